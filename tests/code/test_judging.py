"""Code items through a real server: test kinds, scoring, compile once, reward-hacking guards."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx

from tests.support.api import verify
from tests.support.server import RunningServer

FENCE = "```"
SUM_CASES = [{"stdin": "1 2\n", "stdout": "3\n"}, {"stdin": "10 -4\n", "stdout": "6\n"}]
PY_SUM = "a, b = map(int, input().split())\nprint(a + b)"


def code_item(
    language: str | None, program: str, tests: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    tag = language or ""
    item = {
        "task": "code",
        "response": f"Here you go:\n{FENCE}{tag}\n{program}\n{FENCE}\n",
        "tests": tests,
    }
    if language:
        item["language"] = language
    return {**item, **extra}


def stdio(cases: list[dict[str, str]], **extra: Any) -> dict[str, Any]:
    return {"kind": "stdio", "cases": cases, **extra}


def test_stdio_item_has_every_contract_field(client: httpx.Client) -> None:
    [result] = verify(client, code_item("python", PY_SUM, stdio(SUM_CASES), id="c1"))
    assert (result["id"], result["task"], result["verdict"], result["reward"]) == (
        "c1",
        "code",
        "accepted",
        1.0,
    )
    assert len(result["tests"]) == 2
    for test in result["tests"]:
        assert test["verdict"] == "accepted" and test["exit_code"] == 0
        assert test["time_ms"] >= 0 and 0 < test["memory_kb"] < 256 * 1024
    assert result["elapsed_ms"] > 0 and result["language"] == "python"


def test_language_may_come_from_the_fence(client: httpx.Client) -> None:
    [result] = verify(
        client,
        code_item(None, PY_SUM, stdio(SUM_CASES))
        | {"response": f"{FENCE}python\n{PY_SUM}\n{FENCE}"},
    )
    assert result["verdict"] == "accepted"


def test_unknown_language_and_missing_code_are_item_verdicts(client: httpx.Client) -> None:
    results = verify(
        client,
        code_item("brainfuck", "+++", stdio(SUM_CASES)),
        code_item(None, "print(1)", stdio(SUM_CASES)) | {"response": f"{FENCE}cobol\nx\n{FENCE}"},
        code_item("python", "", stdio(SUM_CASES)) | {"response": ""},
        code_item("python", PY_SUM, stdio(SUM_CASES)),
    )
    assert [r["verdict"] for r in results] == [
        "unsupported_language",
        "unsupported_language",
        "no_code",
        "accepted",
    ]
    assert [r["reward"] for r in results] == [0.0, 0.0, 0.0, 1.0]


def test_fraction_scoring_and_early_stop(client: httpx.Client) -> None:
    cases = [*SUM_CASES, {"stdin": "2 2\n", "stdout": "5\n"}, {"stdin": "0 0\n", "stdout": "0\n"}]
    fraction, early, full = verify(
        client,
        code_item("python", PY_SUM, stdio(cases), scoring="fraction"),
        code_item("python", PY_SUM, stdio(cases), early_stop=True),
        code_item("python", PY_SUM, stdio(cases)),
    )
    assert fraction["reward"] == 0.75 and fraction["verdict"] == "wrong_answer"
    assert early["reward"] == 0.0 and len(early["tests"]) == 3
    assert full["reward"] == 0.0 and len(full["tests"]) == 4
    assert [t["verdict"] for t in full["tests"]] == [
        "accepted",
        "accepted",
        "wrong_answer",
        "accepted",
    ]


def test_checkers(client: httpx.Client) -> None:
    program = "print('1.0000001  2')\nprint('x ')"
    results = verify(
        client,
        code_item("python", program, stdio([{"stdin": "", "stdout": "1 2\nx\n"}], checker="float")),
        code_item("python", program, stdio([{"stdin": "", "stdout": "1 2\nx\n"}], checker="exact")),
        code_item(
            "python",
            "print('b'); print('a')",
            stdio([{"stdin": "", "stdout": "a\nb\n"}], checker="unordered_lines"),
        ),
        code_item("python", "print('B')", stdio([{"stdin": "", "stdout": "b\n"}])),
    )
    assert [r["verdict"] for r in results] == [
        "accepted",
        "wrong_answer",
        "accepted",
        "wrong_answer",
    ]


def test_a_checker_program_decides_and_is_itself_sandboxed(client: httpx.Client) -> None:
    # testlib-style: argv is input, expected, actual; exit 0 accepts, 1 rejects.
    any_order_sum = (
        "import sys\n"
        "paths = sys.argv[1:4]\n"
        "given, want, got = (open(p).read().split() for p in paths)\n"
        "sys.exit(0 if sorted(got) == sorted(want) and len(got) == len(given) else 1)\n"
    )
    checker = {"language": "python", "source": any_order_sum}
    cases = [{"stdin": "3 1 2\n", "stdout": "1 2 3\n"}]
    crashing = {"language": "python", "source": "raise SystemExit(3)"}
    broken = {"language": "cpp", "source": "int main( {"}
    results = verify(
        client,
        code_item("python", "print(*input().split())", stdio(cases, checker=checker)),
        code_item("python", "print(*sorted(input().split()))", stdio(cases, checker=checker)),
        code_item("python", "print(1, 2)", stdio(cases, checker=checker)),
        code_item("python", "print(1)", stdio(cases, checker=crashing)),
        code_item("python", "print(1)", stdio(cases, checker=broken)),
    )
    assert [r["verdict"] for r in results] == [
        "accepted",
        "accepted",
        "wrong_answer",
        "error",
        "error",
    ]
    assert [r["reward"] for r in results] == [1.0, 1.0, 0.0, None, None]
    assert "checker" in results[3]["tests"][0]["message"]
    assert "does not compile" in results[4]["reason"]


def test_functional_tests_in_python_and_javascript(client: httpx.Client) -> None:
    cases = [{"args": [2, 3], "expected": 5}, {"args": [[1], [2]], "expected": [1, 2]}]
    functional = {"kind": "functional", "entry_point": "add", "cases": cases}
    results = verify(
        client,
        code_item(
            "python",
            "def add(a, b):\n    return a + b\n\n"
            "if __name__ == '__main__':\n    print(add(input(), 1))",
            functional,
        ),
        code_item(
            "python",
            "def add(a, b):\n    return a - b if isinstance(a, int) else a + b",
            functional,
        ),
        code_item(
            "javascript",
            "const add = (a, b) => Array.isArray(a) ? a.concat(b) : a + b;",
            functional,
        ),
        code_item(
            "python",
            "def add(a, b):\n    return True",
            {**functional, "cases": [{"args": [0, 1], "expected": 1}]},
        ),
    )
    assert [r["verdict"] for r in results] == [
        "accepted",
        "wrong_answer",
        "accepted",
        "wrong_answer",
    ]


def test_functional_tests_in_cpp_compile_once_for_every_case(client: httpx.Client) -> None:
    doubled = {
        "kind": "functional",
        "entry_point": "doubled",
        "cases": [
            {"args": [[3, 1, 2]], "expected": [2, 4, 6]},
            {"args": [[]], "expected": []},
            {"args": [[2000000000]], "expected": [4000000000]},
        ],
    }
    right = (
        "#include <bits/stdc++.h>\n"
        "std::vector<long long> doubled(std::vector<long long> v) {\n"
        "  std::sort(v.begin(), v.end());\n"
        "  for (auto& x : v) x *= 2;\n"
        "  return v;\n"
        "}\n"
        "int main() { std::cout << 42; }  // the program's own main is never called\n"
    )
    overflow = right.replace("long long", "int")
    strings = {
        "kind": "functional",
        "entry_point": "tally",
        "cases": [{"args": ['a"b\\c\n', 3.0, True], "expected": {'a"b\\c\n': 1.5}}],
    }
    tally = (
        "#include <map>\n#include <string>\n"
        "std::map<std::string, double> tally(std::string k, double x, bool half) {\n"
        "  return {{k, half ? x / 2 : x}};\n"
        "}\n"
    )
    results = verify(
        client,
        code_item("cpp", right, doubled),
        code_item("cpp", overflow, doubled),
        code_item("cpp", tally, strings),
    )
    assert [r["verdict"] for r in results] == ["accepted", "wrong_answer", "accepted"]
    assert [t["verdict"] for t in results[1]["tests"]] == ["accepted", "accepted", "wrong_answer"]


def test_functional_entry_point_must_be_an_identifier(client: httpx.Client) -> None:
    functional = {
        "kind": "functional",
        "entry_point": 'f); system("ls"',
        "cases": [{"args": [], "expected": 1}],
    }
    reply = client.post(
        "/v1/verify", json={"items": [code_item("cpp", "int f(){return 1;}", functional)]}
    )
    assert reply.status_code == 422 and "entry_point" in reply.json()["error"]


def test_assert_tests_pass_only_when_all_of_them_ran(client: httpx.Client) -> None:
    asserts = {"kind": "assert", "code": "assert add(1, 2) == 3\nassert add(0, 0) == 0"}
    crash = {"kind": "assert", "code": "assert add(1, 2) == 3\nadd(None, 1)"}
    js_asserts = {
        "kind": "assert",
        "code": "const assert = require('node:assert');\nassert.deepEqual(add(1, 2), 3);",
    }
    results = verify(
        client,
        code_item("python", "def add(a, b):\n    return a + b", asserts),
        code_item("python", "def add(a, b):\n    return a * b", asserts),
        code_item("python", "import sys\ndef add(a, b):\n    return 0\nsys.exit(0)", asserts),
        code_item("python", "import os\ndef add(a, b):\n    return 0\nos._exit(0)", asserts),
        code_item(
            "python",
            "import atexit, os\ndef add(a, b):\n    return 0\n"
            "atexit.register(lambda: os._exit(0))\nraise SystemExit",
            asserts,
        ),
        code_item("javascript", "const add = (a, b) => a + b;", js_asserts),
        code_item("javascript", "const add = (a, b) => 0;\nprocess.exit(0);", js_asserts),
        code_item("javascript", "const add = (a, b) => 1;", js_asserts),
        code_item("python", "def add(a, b):\n    return a + b", crash),
    )
    assert [r["verdict"] for r in results] == [
        "accepted",
        "wrong_answer",  # a failed assertion
        "wrong_answer",  # sys.exit(0) before the tests
        "wrong_answer",  # os._exit(0) before the tests
        "wrong_answer",  # SystemExit with an atexit hook that skips the rest
        "accepted",
        "wrong_answer",  # process.exit(0) before the tests
        "wrong_answer",  # a failed assert.deepEqual
        "runtime_error",  # the tests crashed the program: not an assertion
    ]


ALWAYS_EQUAL = """
class Anything:
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def __lt__(self, other):
        return True
    def __bool__(self):
        return True
"""
CLASS_TESTS = """
assert Money(3) == Money(3)
assert Money(3) != Money(4)
assert sorted([Money(5), Money(1)]) == [Money(1), Money(5)]
"""
MONEY = (
    "class Money:\n"
    "    def __init__(self, cents):\n"
    "        self.cents = cents\n"
    "    def __eq__(self, other):\n"
    "        return isinstance(other, Money) and self.cents == other.cents\n"
    "    def __lt__(self, other):\n"
    "        return self.cents < other.cents\n"
)


def test_python_asserts_judge_plain_values_not_the_programs_comparisons(
    client: httpx.Client,
) -> None:
    """Reward hacks on `assert f(x) == y`: an object that equals anything, a list or int
    subclass that does, one nested in a container, a patched sys.exit that would let a failed
    assertion reach the token, an `abs` of the program's that the tests would call, a value
    whose difference with anything is 0.0. Plain-data
    subclasses that do not redefine comparison (namedtuple, Counter, IntEnum), the program's
    own classes compared with each other and a program's own `max` (used by its functions)
    pass as they would in Python."""
    asserts = {
        "kind": "assert",
        "code": "assert add(1, 2) == 3\nassert add(0, 0) == 0\nassert 0 < add(1, 1) <= 2\n",
    }
    hacks = [
        ALWAYS_EQUAL + "def add(a, b):\n    return Anything()",
        "class L(list):\n    def __eq__(self, other):\n        return True\n"
        "    def __le__(self, other):\n        return True\n    def __gt__(self, other):\n"
        "        return True\ndef add(a, b):\n    return L()",
        "class I(int):\n    def __eq__(self, other):\n        return True\n"
        "    __hash__ = int.__hash__\n    def __gt__(self, other):\n        return True\n"
        "    def __le__(self, other):\n        return True\n"
        "def add(a, b):\n    return I(7)",
        "import sys\nsys.exit = lambda *args: None\ndef add(a, b):\n    return 0",
    ]
    nested = {"kind": "assert", "code": "assert pairs() == [(1, 2)]\n"}
    close = {"kind": "assert", "code": "assert abs(add(1, 2) - 3) < 1e-9\n"}
    shadows_abs = "def abs(x):\n    return 0\ndef add(a, b):\n    return 5"
    # its difference with anything is 0.0: `abs(add(1, 2) - 3) < 1e-9` would hold
    no_difference = (
        "class Z:\n    def __sub__(self, other):\n        return 0.0\n"
        "def add(a, b):\n    return Z()"
    )
    own_max = (
        "max = lambda a, b: a if a > b else b\ndef add(a, b):\n    return max(a, b) + min(a, b)"
    )
    plain = {
        "kind": "assert",
        "code": "assert pair(1, 2) == (1, 2)\nassert counts('aab') == {'a': 2, 'b': 1}\n"
        "assert level(2) == 2 and level(2) > 1\n",
    }
    honest = (
        "import collections, enum\nPair = collections.namedtuple('Pair', 'x y')\n"
        "class Level(enum.IntEnum):\n    LOW = 1\n    HIGH = 2\n"
        "def pair(x, y):\n    return Pair(x, y)\n"
        "def counts(text):\n    return collections.Counter(text)\n"
        "def level(n):\n    return Level(n)\n"
    )
    results = verify(
        client,
        *(code_item("python", hack, asserts) for hack in hacks),
        code_item("python", ALWAYS_EQUAL + "def pairs():\n    return [(Anything(), 2)]", nested),
        code_item("python", shadows_abs, close),
        code_item("python", no_difference, close),
        code_item("python", honest, plain),
        code_item("python", own_max, close),
        code_item("python", MONEY, {"kind": "assert", "code": CLASS_TESTS}),
        code_item("python", "def add(a, b):\n    return a + b", asserts),
    )
    verdicts = [result["verdict"] for result in results]
    assert all(verdict != "accepted" for verdict in verdicts[: len(hacks) + 3]), results
    assert verdicts[len(hacks) + 3 :] == ["accepted"] * 4, results


def test_javascript_asserts_cannot_be_replaced_by_the_program(client: httpx.Client) -> None:
    """The tests' assert module and `require` are fixed before the program runs."""
    tests = {
        "kind": "assert",
        "code": "const assert = require('node:assert');\nassert.deepEqual(add(1, 2), 3);",
    }
    wrong = "const add = (a, b) => 0;"
    hacks = [
        "require('assert').deepEqual = () => {};\n" + wrong,
        "require('node:assert').deepEqual = () => {};\n" + wrong,
        "globalThis.require = () => ({ deepEqual() {} });\n" + wrong,
        "var require = () => ({ deepEqual() {} });\n" + wrong,
        "const M = require('module');\nconst load = M._load;\n"
        "M._load = (id, ...rest) =>\n"
        "  id.includes('assert') ? { deepEqual() {} } : load(id, ...rest);\n" + wrong,
        "process.exit = () => {};\n" + wrong,
    ]
    results = verify(
        client,
        *(code_item("javascript", hack, tests) for hack in hacks),
        code_item(
            "javascript", "process.stdout.write = () => true;\nconst add = (a, b) => a + b;", tests
        ),
    )
    assert [r["verdict"] != "accepted" for r in results[:-1]] == [True] * len(hacks), results
    assert results[-1]["verdict"] == "accepted", results[-1]


def test_assert_tests_in_compiled_and_other_languages(client: httpx.Client) -> None:
    cpp_tests = {
        "kind": "assert",
        "code": "int main() {\n  assert(add(1, 2) == 3);\n  assert(add(2, 2) == 4);\n}\n",
    }
    cpp = "#include <bits/stdc++.h>\nint add(int a, int b) { return a + b; }\n"
    cpp_exits = "#include <bits/stdc++.h>\nint add(int a, int b) { exit(0); }\n"
    cpp_wrong = "#include <bits/stdc++.h>\nint add(int a, int b) { return a * b; }\n"
    # Kotlin has no completion guard (Java's and the others' are in test_asserts.py)
    kotlin_tests = {"kind": "assert", "code": "fun main() {\n    check(add(1, 2) == 3)\n}\n"}
    kotlin_wrong = "fun add(a: Int, b: Int) = a - b\n"
    ruby_tests = {"kind": "assert", "code": "raise 'failed' unless add(1, 2) == 3\n"}
    # test/unit runs its tests at exit: a failure there must still fail the item
    ruby_unit = {
        "kind": "assert",
        "code": "require 'test/unit'\nclass T < Test::Unit::TestCase\n"
        "  def test_add\n    assert_equal(3, add(1, 2))\n  end\nend\n",
    }
    cpp_with_main = cpp + "int main() { return add(2, 2) == 4 ? 0 : 1; }\n"
    php = "<?php\nfunction add($a, $b) { return $a + $b; }\n?>\n"
    php_skip = "<?php\nfunction add($a, $b) { return 0; }\n?>\n<p>notes</p>\n"
    php_halt = "<?php\nfunction add($a, $b) { return 0; }\n__halt_compiler();\n"
    php_tests = {"kind": "assert", "code": "if (add(1, 2) !== 3) { throw new Exception('no'); }\n"}
    results = verify(
        client,
        code_item("cpp", cpp, cpp_tests),
        code_item("cpp", cpp_exits, cpp_tests),
        code_item("cpp", cpp_wrong, cpp_tests),
        code_item("cpp", cpp_with_main, cpp_tests),  # a complete program: its main is set aside
        code_item("kotlin", kotlin_wrong, kotlin_tests),
        code_item("ruby", "def add(a, b)\n  a + b\nend\n", ruby_tests),
        code_item("ruby", "def add(a, b)\n  0\nend\nexit 0\n", ruby_tests),
        code_item("ruby", "def add(a, b)\n  0\nend\nexit! 0\n", ruby_tests),
        code_item("php", php, php_tests),  # its closing ?> does not turn the tests into text
        code_item("php", php_skip, php_tests),
        code_item("php", php_halt, php_tests),
        code_item("ruby", "def add(a, b)\n  a + b\nend\n", ruby_unit),
        code_item("ruby", "def add(a, b)\n  a - b\nend\n", ruby_unit),
    )
    assert [r["verdict"] for r in results] == [
        "accepted",
        "wrong_answer",  # exit(0) inside the function: the tests never finished
        "wrong_answer",  # judged as calls: the wrong value is printed, compared outside
        "accepted",
        "error",  # Kotlin has no completion guard yet: refused, never accepted unproven
        "accepted",
        "wrong_answer",  # `exit 0` before the tests
        "wrong_answer",  # `exit! 0` skips even at_exit
        "accepted",
        "wrong_answer",  # tests after a mid-file ?> are printed text, not run
        "wrong_answer",  # __halt_compiler() stops before the tests
        "accepted",
        "runtime_error",  # test/unit fails at exit, after the token: the exit status decides
    ]
    assert results[4]["reward"] is None


CPP_VECTOR_TESTS = """\
int main() {
  assert(reverse_pair(std::vector<long>({1, 2})) == std::vector<long>({2, 1}));
}
"""
JAVA_LIST_TESTS = """\
class Problem {
    public static void main(String[] args) {
        assert(Solution.swap(new ArrayList<Long>(Arrays.asList(1L, 2L)))
            .equals(new ArrayList<Long>(Arrays.asList(2L, 1L))));
    }
}
"""


RUST_ANY = """\
#[derive(Debug)]
struct Any;
impl PartialEq<i64> for Any {
    fn eq(&self, _other: &i64) -> bool {
        true
    }
}
"""
# MultiPL-E's prompts declare unions like this one for answers of two types
CPP_UNION = """\
#include <bits/stdc++.h>
union Union_std_string_long {
    std::string f0;
    long f1;
    Union_std_string_long(std::string _f0) : f0(_f0) {}
    Union_std_string_long(long _f1) : f1(_f1) {}
    ~Union_std_string_long() {}
    bool operator==(std::string f) { return f0 == f; }
    bool operator==(long f) { return f1 == f; }
};
Union_std_string_long name(long n) {
    return Union_std_string_long(std::string(n == 1 ? "one" : "many"));
}
"""
RUST_MUTE = "macro_rules! assert_eq {\n    ($($any:tt)*) => {};\n}\n"
RUST_OWN = "#[derive(Debug, PartialEq)]\nstruct Point {\n    x: i64,\n}\n"


def test_compiled_tests_keep_the_standard_comparisons(client: httpx.Client) -> None:
    """C++, Java and Rust programs that replace the comparison the tests use (an `operator==`
    for std::vector, a macro that mutes failed asserts, an ArrayList whose equals() is always
    true, a PartialEq<i64> that always holds, a macro_rules! assert_eq) earn 0: these plain
    calls are judged outside the program's process (its comparisons and macros are never
    used: `wrong_answer`), and the Java refusal still comes first (`compile_error`, reward 0,
    not null, which means the service failed). Programs that define comparisons for their own
    types are judged as usual, but a value of the program's own type is opaque there: equal to
    nothing, since the tests would have called the program's `operator==`."""
    cpp_tests = {"kind": "assert", "code": CPP_VECTOR_TESTS}
    union_tests = {"kind": "assert", "code": 'int main() {\n  assert(name(1) == "one");\n}\n'}
    head = "#include <bits/stdc++.h>\nusing namespace std;\n"
    wrong = "vector<long> reverse_pair(vector<long> v) { return v; }\n"
    right = "vector<long> reverse_pair(vector<long> v) { return {v[1], v[0]}; }\n"
    always = "bool operator==(const vector<long>& a, const vector<long>& b) { return true; }\n"
    muted = "#define __assert_fail(...) ((void)0)\n"
    own = "struct P { long v; };\nbool operator<(const P& a, const P& b) { return a.v < b.v; }\n"
    java_tests = {"kind": "assert", "code": JAVA_LIST_TESTS}
    rust_tests = {"kind": "assert", "code": "fn main() {\n    assert_eq!(add(1, 2), 3);\n}\n"}
    java_head = "import java.util.*;\n"
    java_hack = (
        "class Solution {\n    static ArrayList<Long> swap(ArrayList<Long> xs) {\n"
        "        return new ArrayList<Long>() {\n"
        "            public boolean equals(Object other) { return true; }\n        };\n    }\n}\n"
    )
    java_right = (
        "class Pair {\n    long a;\n"
        "    public boolean equals(Object o) { return o instanceof Pair && ((Pair) o).a == a; }\n"
        "    public int hashCode() { return (int) a; }\n}\n"
        "class Solution {\n    static ArrayList<Long> swap(ArrayList<Long> xs) {\n"
        "        return new ArrayList<Long>(Arrays.asList(xs.get(1), xs.get(0)));\n    }\n}\n"
    )
    results = verify(
        client,
        code_item("cpp", head + always + wrong, cpp_tests),
        code_item("cpp", "#include <cassert>\n" + muted + head + wrong, cpp_tests),
        code_item("cpp", head + own + right, cpp_tests),
        code_item("cpp", CPP_UNION, union_tests),
        code_item("java", java_head + java_hack, java_tests),
        code_item("java", java_head + java_right, java_tests),
        code_item("rust", RUST_ANY + "fn add(a: i64, b: i64) -> Any {\n    Any\n}\n", rust_tests),
        code_item("rust", RUST_MUTE + "fn add(a: i64, b: i64) -> i64 {\n    0\n}\n", rust_tests),
        code_item("rust", RUST_OWN + "fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n", rust_tests),
    )
    assert [r["verdict"] for r in results] == [
        "wrong_answer",  # the program's operator== is never called: the values differ
        "wrong_answer",  # a muted assert mutes nothing: the values are compared outside
        "accepted",
        "wrong_answer",  # a union of the program's is opaque (its operator== would decide)
        "compile_error",  # refused: equals() redefined in an ArrayList subclass
        "accepted",
        "wrong_answer",  # PartialEq<i64> of the program's: its value is opaque
        "wrong_answer",  # macro_rules! assert_eq mutes nothing: the values are compared outside
        "accepted",
    ], results
    assert [r["reward"] for r in results] == [0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0]


RUBY_UNIT = """\
require 'test/unit'
class TestAdd < Test::Unit::TestCase
  def test_add
    assert_equal(3, add(1, 2))
  end
end
"""
PERL_DEEP = """\
use Test::Deep;
if (eq_deeply(add(1, 2), 3)) { print "ok!" } else { exit 1; }
"""
LUA_UNIT = """\
lu = require('luaunit')
function test_add()
    lu.assertEquals(add(1, 2), 3)
end
os.exit(lu.LuaUnit.run())
"""


def test_script_programs_cannot_redefine_equality_or_the_test_library(
    client: httpx.Client,
) -> None:
    """Ruby, Perl and Lua programs that redefine `==` or patch the test library earn 0: Ruby's
    redefinitions are refused (`compile_error`), Perl's patched Test::Deep is put back before
    the tests compare (`runtime_error`: the test fails), and Lua's plain-call tests are judged
    outside the program's process (`wrong_answer`); plain solutions pass."""
    ruby = {"kind": "assert", "code": RUBY_UNIT}
    perl = {"kind": "assert", "code": PERL_DEEP}
    lua = {"kind": "assert", "code": LUA_UNIT}
    hacks = [
        (
            "ruby",
            "class Any\n  def ==(other)\n    true\n  end\nend\ndef add(a, b)\n  Any.new\nend\n",
            ruby,
        ),
        (
            "ruby",
            "class Integer\n  def ==(other)\n    true\n  end\nend\ndef add(a, b)\n  0\nend\n",
            ruby,
        ),
        (
            "perl",
            "use Test::Deep ();\nno warnings;\n"
            "*Test::Deep::eq_deeply = sub { 1 };\nsub add { 0 }\n",
            perl,
        ),
        (
            "lua",
            "local real = require('luaunit')\nreal.assertEquals = function() end\n"
            "function add(a, b) return 0 end\n",
            lua,
        ),
    ]
    honest = [
        ("ruby", "def add(a, b)\n  a + b\nend\n", ruby),
        ("perl", "sub add { my ($a, $b) = @_; return $a + $b; }\n", perl),
        ("lua", "function add(a, b) return a + b end\n", lua),
    ]
    results = verify(
        client,
        *(code_item(language, program, tests) for language, program, tests in hacks + honest),
    )
    verdicts = [result["verdict"] for result in results]
    hacked = ["compile_error", "compile_error", "runtime_error", "wrong_answer"]
    assert verdicts == hacked + ["accepted"] * len(honest), results


def test_a_program_cannot_read_its_assert_tests(client: httpx.Client) -> None:
    cheat = (
        "import os, re\n"
        "seen = ''\n"
        "for name in os.listdir('/box'):\n"
        "    seen += open('/box/' + name, errors='replace').read()\n"
        "try:\n"
        "    seen += os.read(0, 1 << 20).decode()\n"
        "except OSError:\n"
        "    pass\n"
        "answers = re.findall(r'== ([0-9]+)', seen)\n"
        "def add(a, b):\n"
        "    return int(answers.pop(0)) if answers else -1\n"
    )
    asserts = {"kind": "assert", "code": "assert add(1, 2) == 3\nassert add(0, 0) == 0"}
    [result] = verify(client, code_item("python", cheat, asserts))
    assert result["verdict"] == "wrong_answer"


def test_the_program_cannot_see_expected_outputs(client: httpx.Client) -> None:
    secret = "8457294461"
    snoop = (
        "import os\n"
        "found = []\n"
        "for root in ('/box', '/tmp', '/'):\n"
        "    for path, dirs, files in os.walk(root):\n"
        "        dirs[:] = [d for d in dirs if d not in ('proc', 'sys', 'usr', 'dev', 'opt')]\n"
        "        for name in files:\n"
        "            try:\n"
        "                if b'"
        + secret
        + "' in open(os.path.join(path, name), 'rb').read(1 << 20):\n"
        "                    found.append(path + '/' + name)\n"
        "            except OSError:\n"
        "                pass\n"
        "print(found[0] if found else 'nothing')\n"
    )
    cases = [{"stdin": "", "stdout": secret}]
    limits = {"time_s": 20}  # it walks every file it can see
    [result] = verify(client, code_item("python", snoop, stdio(cases), limits=limits))
    assert result["verdict"] == "wrong_answer"


def test_each_distinct_program_compiles_once(client: httpx.Client) -> None:
    program = (
        "#include <cstdio>\n"
        'int main(){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",a+b);} // '
        + "once-7731"
    )
    before = _compiles(client)
    results = verify(client, *[code_item("cpp", program, stdio(SUM_CASES)) for _ in range(4)])
    verify(client, code_item("cpp", program, stdio(SUM_CASES)))
    assert {r["verdict"] for r in results} == {"accepted"}
    assert _compiles(client) == before + 1


def test_cpp_compiles_with_the_precompiled_header(
    client: httpx.Client, server: RunningServer
) -> None:
    store = server.service.code.store
    assert store is not None
    deadline = time.monotonic() + 300  # both headers compile at start, one after the other
    while not {"cpp", "cpp20"} <= set(store.precompiled_languages()):
        assert time.monotonic() < deadline, store.precompiled_languages()
        time.sleep(0.2)
    program = (
        "#include <bits/stdc++.h>\nusing namespace std;\n"
        "int main(){ vector<long long> v(2); cin >> v[0] >> v[1]; "
        "cout << accumulate(v.begin(), v.end(), 0LL) << endl; }\n"
    )
    results = verify(
        client, *(code_item(lang, program, stdio(SUM_CASES)) for lang in ("cpp", "cpp20"))
    )
    assert [r["verdict"] for r in results] == ["accepted", "accepted"]


def _compiles(client: httpx.Client) -> float:
    text = client.get("/metrics").text
    found = re.findall(
        r'verifier_code_compiles_total\{language="cpp",outcome="ok"\} ([0-9.e+]+)', text
    )
    return float(found[0]) if found else 0.0


def test_math_and_code_in_one_batch_keep_their_order(client: httpx.Client) -> None:
    math = {"task": "math", "response": r"\boxed{4}", "reference": "4"}
    results = verify(client, math, code_item("python", PY_SUM, stdio(SUM_CASES)), math)
    assert [r["task"] for r in results] == ["math", "code", "math"]
    assert all(r["reward"] == 1.0 for r in results)


def test_languages_endpoint_lists_toolchains_with_versions(client: httpx.Client) -> None:
    languages = {entry["name"]: entry for entry in client.get("/v1/languages").json()["languages"]}
    for name in ("python", "cpp", "javascript"):
        assert name in languages and languages[name]["version"]
    assert "py" in languages["python"]["aliases"]
