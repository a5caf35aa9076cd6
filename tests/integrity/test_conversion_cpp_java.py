"""C++ and Java assert tests judged as calls (conversion/cpp.py, conversion/java.py), through
the real server in warm and fresh jails.

MultiPL-E-shaped tests convert: the candidate prints its values with their types and the
expected ones never enter its jail, so a program whose own type's `operator==` or `equals`
says yes to anything, or that exits early, is a wrong answer. The comparison is the tests'
typed one (a double result against a float literal, a Double against a Float). Tests of
any other shape still run behind the completion guard.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integrity.conftest import Judge, assert_items, check_verdict

CPP_TESTS = """\
int main() {
    auto candidate = add;
    assert(candidate((1), (2)) == (3));
    assert(candidate((20000000000), (2)) == (20000000002));
}
"""
CPP_HEAD = "#include <bits/stdc++.h>\n"
CPP_ADD = CPP_HEAD + "long add(long a, long b) {\n    return a + b;\n}\n"
CPP_WRONG = CPP_HEAD + "long add(long a, long b) {\n    return a - b;\n}\n"
CPP_OWN_MAIN = CPP_ADD + 'int main() {\n    printf("%ld\\n", add(1, 2));\n}\n'
CPP_EXIT = CPP_HEAD + "long add(long a, long b) {\n    std::exit(0);\n}\n"
# A type of the program's whose `==` says yes: the guarded path allows it (it is no operator
# between two standard types), and its asserts all hold.
CPP_ALWAYS_EQUAL = CPP_HEAD + (
    "struct Anything {\n"
    "    template <class T> bool operator==(const T&) const { return true; }\n"
    "};\n"
    "Anything add(long, long) { return {}; }\n"
)
# Reads the tests' expected values from its source file, if it is there to read.
CPP_READS_SOURCE = CPP_HEAD + (
    "long add(long a, long b) {\n"
    "    std::ifstream in(__FILE__);\n"
    "    std::stringstream text;\n"
    "    text << in.rdbuf();\n"
    "    std::string source = text.str();\n"
    '    std::string key = "candidate((" + std::to_string(a) + "), (" + std::to_string(b)'
    ' + ")) == (";\n'
    "    auto at = source.find(key);\n"
    "    return at == std::string::npos ? -1 : std::stol(source.substr(at + key.size()));\n"
    "}\n"
)
CPP_LOOP_TESTS = """\
int main() {
    for (long a = 0; a < 3; a++) {
        assert(add(a, 2) == a + 2);
    }
}
"""
CPP_TYPED_TESTS = """\
}
int main() {
    auto candidate = describe;
    assert(candidate((2)) == (std::make_tuple(std::vector<std::string>({(std::string)"2"}), \
std::optional<float>(0.5f), std::map<std::string,long>({{"n", 2}}))));
    assert(candidate((0)) == (std::make_tuple(std::vector<std::string>(), std::nullopt, \
std::map<std::string,long>({{"n", 0}}))));
    assert(candidate((10)) == (std::make_tuple(std::vector<std::string>({"10"}), \
std::optional<float>(0.1f), std::map<std::string,long>({{"n", 10}}))));
}
"""
# Left open, as MultiPL-E's prompt: the tests' leading `}` closes it.
CPP_TYPED = CPP_HEAD + (
    "std::tuple<std::vector<std::string>, std::optional<float>, std::map<std::string, long>>"
    " describe(long n) {\n"
    "    std::vector<std::string> words;\n"
    "    std::optional<float> share;\n"
    "    if (n != 0) { words.push_back(std::to_string(n)); share = 1.0f / n; }\n"
    '    return {words, share, {{"n", n}}};\n'
)
# The same values computed in double: 0.1 is not 0.1f, so `==` fails in the tests.
CPP_TYPED_DOUBLE = (
    CPP_TYPED.replace("std::optional<float>", "std::optional<double>", 1)
    .replace("std::optional<float> share", "std::optional<double> share")
    .replace("1.0f", "1.0")
)

JAVA_TESTS = """\
class VerifierTests extends Problem {
    public static void main(String[] args) {
    assert(add((1l), (2l)) == (3l));
    assert(add((20000000000l), (2l)) == (20000000002l));
    assert(pair((1l)).equals((new ArrayList<Long>(Arrays.asList((long)1l, (long)2l)))));
    }

}
"""
JAVA_HEAD = "import java.util.*;\nimport org.javatuples.*;\n"
JAVA_PAIR = (
    "    public static ArrayList<Long> pair(long a) {\n"
    "        return new ArrayList<Long>(Arrays.asList(a, a + 1));\n    }\n"
)
JAVA_ADD = JAVA_HEAD + (
    "class Problem {\n    public static long add(long a, long b) {\n        return a + b;\n"
    f"    }}\n{JAVA_PAIR}}}\n"
)
JAVA_WRONG = JAVA_ADD.replace("a + b", "a - b")
JAVA_OWN_MAIN = JAVA_ADD.replace(
    JAVA_PAIR,
    JAVA_PAIR + "    public static void main(String[] args) {\n"
    "        System.out.println(add(1, 2));\n    }\n",
)
JAVA_EXIT = JAVA_ADD.replace("return a + b;", "System.exit(0);\n        return 0;")
# A class of the program's whose equals says yes (it subclasses no JDK type, so the guarded
# path runs it), returned where the tests call `.equals`.
JAVA_ALWAYS_EQUAL = JAVA_ADD.replace(
    JAVA_PAIR,
    "    public static Anything pair(long a) {\n        return new Anything();\n    }\n",
) + (
    "class Anything {\n    @Override public boolean equals(Object other) { return true; }\n"
    "    @Override public int hashCode() { return 0; }\n}\n"
)
JAVA_LOOP_TESTS = """\
class VerifierTests extends Problem {
    public static void main(String[] args) {
    for (long a = 0; a < 3; a++) assert(add(a, 2l) == a + 2);
    }
}
"""
JAVA_TYPED_TESTS = """\
    }
    public static void main(String[] args) {
    assert(describe((2l)).equals(Pair.with(Optional.of(0.5f), \
new HashMap<String,Long>(Map.of("n", 2l)))));
    assert(describe((4l)).equals(Pair.with(Optional.of(0.25f), \
new HashMap<String,Long>(Map.of("n", 4l)))));
    }

}
"""
# Left open, as MultiPL-E's prompt: the tests' leading `}` closes the method.
JAVA_TYPED = JAVA_HEAD + (
    "class Problem {\n"
    "    public static Pair<Optional<Float>, HashMap<String, Long>> describe(long n) {\n"
    "        HashMap<String, Long> counts = new HashMap<>();\n"
    '        counts.put("n", n);\n'
    "        return Pair.with(Optional.of(1.0f / n), counts);\n"
)
# The same numbers as Doubles: `Float.equals(Double)` is false whatever the value.
JAVA_TYPED_DOUBLE = JAVA_TYPED.replace("Optional<Float>", "Optional<Double>").replace(
    "1.0f / n", "1.0 / n"
)


CASES: dict[str, tuple[str, str, str, str]] = {
    "cpp-honest": ("cpp", CPP_ADD, CPP_TESTS, "accepted"),
    "cpp-wrong": ("cpp", CPP_WRONG, CPP_TESTS, "wrong_answer"),
    "cpp-own-main": ("cpp", CPP_OWN_MAIN, CPP_TESTS, "accepted"),
    "cpp-exit": ("cpp", CPP_EXIT, CPP_TESTS, "wrong_answer"),
    "cpp-always-equal": ("cpp", CPP_ALWAYS_EQUAL, CPP_TESTS, "wrong_answer"),
    "cpp-reads-source": ("cpp", CPP_READS_SOURCE, CPP_TESTS, "wrong_answer"),
    "cpp-loop-honest": ("cpp", CPP_ADD, CPP_LOOP_TESTS, "accepted"),
    "cpp-loop-wrong": ("cpp", CPP_WRONG, CPP_LOOP_TESTS, "runtime_error"),
    "cpp-typed": ("cpp", CPP_TYPED, CPP_TYPED_TESTS, "accepted"),
    "cpp-typed-double": ("cpp", CPP_TYPED_DOUBLE, CPP_TYPED_TESTS, "wrong_answer"),
    "java-honest": ("java", JAVA_ADD, JAVA_TESTS, "accepted"),
    "java-wrong": ("java", JAVA_WRONG, JAVA_TESTS, "wrong_answer"),
    "java-own-main": ("java", JAVA_OWN_MAIN, JAVA_TESTS, "accepted"),
    "java-exit": ("java", JAVA_EXIT, JAVA_TESTS, "wrong_answer"),
    "java-always-equal": ("java", JAVA_ALWAYS_EQUAL, JAVA_TESTS, "wrong_answer"),
    "java-loop-honest": ("java", JAVA_ADD, JAVA_LOOP_TESTS, "accepted"),
    "java-loop-wrong": ("java", JAVA_WRONG, JAVA_LOOP_TESTS, "runtime_error"),
    "java-typed": ("java", JAVA_TYPED, JAVA_TYPED_TESTS, "accepted"),
    "java-typed-double": ("java", JAVA_TYPED_DOUBLE, JAVA_TYPED_TESTS, "wrong_answer"),
}


@pytest.fixture(scope="module")
def results(judge: Judge) -> dict[str, dict[str, Any]]:
    """One batch per language: each compiles a dozen programs, slow on a loaded machine."""
    judged: dict[str, dict[str, Any]] = {}
    for wanted in ("cpp", "java"):
        judged |= judge(
            assert_items({name: case for name, case in CASES.items() if case[0] == wanted})
        )
    return judged


@pytest.mark.parametrize("case", list(CASES))
def test_verdict(results: dict[str, dict[str, Any]], case: str) -> None:
    check_verdict(results[case], CASES[case][3])
