"""Wrong programs that dodged their 0, and single items that failed the whole batch.

A program's own failure is its verdict (`compile_error`, `runtime_error`, `wrong_answer`) with
reward 0; reward null (`error`) is for the service's faults only, because trainers drop a null
sample (the wrong program escapes its 0) or stop on it. Every case goes out in one batch beside
normal items that must still be judged normally: before these fixes some of the cases below
answered `error`, and two of them failed the whole request (503).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integrity.conftest import Judge, code_item

ADD_STDIO = {"kind": "stdio", "cases": [{"stdin": "1 2\n", "stdout": "3\n"}]}

C_ADD = '#include <stdio.h>\nint main(void) { puts("3"); return 0; }\n'
# An interpreter path with no terminating NUL: the kernel refuses the program (ENOEXEC), so
# the program's own artifact cannot be executed.
C_BAD_INTERP = (
    "#include <stdio.h>\n"
    'const char interp[12] __attribute__((section(".interp"))) = "/nonexistent";\n'
    'int main(void) { puts("3"); return 0; }\n'
)

RUST_TESTS = "fn main() {\n    let sum = add(1, 2);\n    assert!(sum == 3);\n}\n"
RUST_IDENTIFIER = "fn add(a: i64, b: i64) -> i64 {\n    let no_mangle = a + b;\n    no_mangle\n}\n"
RUST_ATTRIBUTE = (
    '#[no_mangle]\npub extern "C" fn verifier_hook() {}\n\n'
    "fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n"
)
RUST_MACRO_ATTRIBUTE = (
    'macro_rules! exported { ($attribute:meta) => { #[$attribute] pub extern "C" fn hook() {} } }\n'
    "exported!(no_mangle);\n\n"
    "fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n"
)

GO_TESTS = 'func TestAdd(t *testing.T) {\n\tif add(1, 2) != 3 {\n\t\tt.Errorf("1 + 2")\n\t}\n}\n'
GO_ADD = "package main\n\nfunc add(a, b int) int {\n\treturn a + b\n}\n"
GO_CGO = 'package main\n\nimport "C"\n\nfunc add(a, b int) int {\n\treturn a + b\n}\n'

JAVA_TESTS = """\
class VerifierTests extends Problem {
    public static void main(String[] args) {
        int sum = add(1, 2);
        assert sum == 3;
    }
}
"""
JAVA_ADD = "class Problem {\n    static int add(int a, int b) {\n        return a + b;\n    }\n}\n"
# MultiPL-E's shape: the tests close the function and the class the program left open.
JAVA_OPEN_TESTS = """\
    }
    public static void main(String[] args) {
        int sum = add(1, 2);
        assert sum == 3;
    }
}
"""
JAVA_OPEN_ADD = "class Problem {\n    static int add(int a, int b) {\n        return a + b;\n"
# One closing brace too many for those tests: their main ends up outside every class.
JAVA_EXTRA_BRACE = JAVA_OPEN_ADD + "    }\n"
# A method left open, outside any class: the tests' class ends up inside it.
JAVA_OPEN_METHOD = "static int add(int a, int b) {\n    return a + b;\n"
# Tests whose main is in no class at all, whatever the program: the tests' fault.
JAVA_TESTS_WITHOUT_CLASS = (
    "public static void main(String[] args) {\n    assert Problem.add(1, 2) == 3;\n}\n"
)
LONG_NAME = "A" * 300
JAVA_LONG_CLASS = (
    f"public class {LONG_NAME} {{\n"
    '    public static void main(String[] args) {\n        System.out.println("3");\n    }\n}\n'
)

SCALA_LONG_OBJECT = (
    f"object {LONG_NAME} {{\n  def main(args: Array[String]): Unit = println(3)\n}}\n"
)

# A sloppy checker: it aborts on anything but an integer (testlib's checkers fail the same way
# on output they did not expect), so a broken output crashes it.
CHECKER_INTEGERS = """\
import os
import sys
text = open(sys.argv[3]).read()
if not text.strip().isdigit():
    os.abort()
actual = int(text)
expected = int(open(sys.argv[2]).read())
sys.exit(0 if actual == expected else 1)
"""
CHECKER_FAILS_3 = """\
import sys
try:
    actual = int(open(sys.argv[3]).read())
except ValueError:
    sys.exit(3)
sys.exit(0 if actual == int(open(sys.argv[2]).read()) else 1)
"""
CHECKER_BROKEN = "import sys\nsys.exit(5)\n"

# A result line that makes JSON decoding recurse past the interpreter's limit.
FUNCTIONAL_DEEP_RESULT = """\
import os
import sys

def f(x):
    sys.stdout.write("\\n\\x1eVERIFIER_RESULT " + "[" * 100000 + "\\n")
    sys.stdout.flush()
    os._exit(0)
"""
FUNCTIONAL_TESTS = {
    "kind": "functional",
    "entry_point": "f",
    "cases": [{"args": [1], "expected": [[1]]}],
}


def _asserts(code: str) -> dict[str, Any]:
    return {"kind": "assert", "code": code}


def _checker(source: str) -> dict[str, Any]:
    return {**ADD_STDIO, "checker": {"language": "python", "source": source}}


# id -> (item, verdict, reward)
CASES: dict[str, tuple[dict[str, Any], str, float | None]] = {
    "c-add": (code_item("c-add", "c", C_ADD, ADD_STDIO), "accepted", 1.0),
    "c-interp": (code_item("c-interp", "c", C_BAD_INTERP, ADD_STDIO), "runtime_error", 0.0),
    "rust-identifier": (
        code_item("rust-identifier", "rust", RUST_IDENTIFIER, _asserts(RUST_TESTS)),
        "accepted",
        1.0,
    ),
    "rust-attribute": (
        code_item("rust-attribute", "rust", RUST_ATTRIBUTE, _asserts(RUST_TESTS)),
        "compile_error",
        0.0,
    ),
    "rust-macro-attribute": (
        code_item("rust-macro-attribute", "rust", RUST_MACRO_ATTRIBUTE, _asserts(RUST_TESTS)),
        "compile_error",
        0.0,
    ),
    "go-add": (code_item("go-add", "go", GO_ADD, _asserts(GO_TESTS)), "accepted", 1.0),
    "go-cgo": (code_item("go-cgo", "go", GO_CGO, _asserts(GO_TESTS)), "compile_error", 0.0),
    "java-add": (code_item("java-add", "java", JAVA_ADD, _asserts(JAVA_TESTS)), "accepted", 1.0),
    "java-open-add": (
        code_item("java-open-add", "java", JAVA_OPEN_ADD, _asserts(JAVA_OPEN_TESTS)),
        "accepted",
        1.0,
    ),
    "java-extra-brace": (
        code_item("java-extra-brace", "java", JAVA_EXTRA_BRACE, _asserts(JAVA_OPEN_TESTS)),
        "compile_error",
        0.0,
    ),
    "java-open-method": (
        code_item("java-open-method", "java", JAVA_OPEN_METHOD, _asserts(JAVA_TESTS)),
        "compile_error",
        0.0,
    ),
    "java-tests-without-class": (
        code_item("java-tests-without-class", "java", JAVA_ADD, _asserts(JAVA_TESTS_WITHOUT_CLASS)),
        "error",
        None,
    ),
    "java-long-class": (
        code_item("java-long-class", "java", JAVA_LONG_CLASS, ADD_STDIO),
        "compile_error",
        0.0,
    ),
    "scala-long-object": (
        code_item("scala-long-object", "scala", SCALA_LONG_OBJECT, ADD_STDIO),
        "compile_error",
        0.0,
    ),
    "checker-accepts": (
        code_item("checker-accepts", "python", "print(3)", _checker(CHECKER_INTEGERS)),
        "accepted",
        1.0,
    ),
    "checker-crashes-on-output": (
        code_item("checker-crashes-on-output", "python", "print('x')", _checker(CHECKER_INTEGERS)),
        "wrong_answer",
        0.0,
    ),
    "checker-exits-3-on-output": (
        code_item("checker-exits-3-on-output", "python", "print('x')", _checker(CHECKER_FAILS_3)),
        "wrong_answer",
        0.0,
    ),
    "checker-always-fails": (
        code_item("checker-always-fails", "python", "print(3)", _checker(CHECKER_BROKEN)),
        "error",
        None,
    ),
    "functional-deep-result": (
        code_item("functional-deep-result", "python", FUNCTIONAL_DEEP_RESULT, FUNCTIONAL_TESTS),
        "wrong_answer",
        0.0,
    ),
}


@pytest.fixture(scope="module")
def results(judge: Judge) -> dict[str, dict[str, Any]]:
    return judge([item for item, _, _ in CASES.values()])


@pytest.mark.parametrize("case", list(CASES))
def test_each_item_gets_its_own_verdict(results: dict[str, dict[str, Any]], case: str) -> None:
    _, verdict, reward = CASES[case]
    result = results[case]
    assert (result["verdict"], result["reward"]) == (verdict, reward), result


def test_a_broken_checker_says_so(results: dict[str, dict[str, Any]]) -> None:
    assert "checker" in results["checker-always-fails"]["reason"]


def test_refusals_name_what_was_refused(results: dict[str, dict[str, Any]]) -> None:
    assert "no_mangle" in results["rust-attribute"]["reason"]
    assert "cgo" in results["go-cgo"]["reason"]
