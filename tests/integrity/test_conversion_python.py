"""Python assert tests judged as calls (conversion/python.py), through the real server in warm
and fresh jails.

HumanEval- and MBPP-shaped tests convert: the program's jail runs only the calls and the
expected values are compared on the host, so a program that reads them from the tests' code
in its caller's frame, or replaces the tests' comparison in its caller's globals, is a wrong
answer (each passed the guarded path, where the tests run in the program's process). Tests
of any other shape still run behind the completion guard.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integrity.conftest import Judge, check_verdict, code_item
from verifier_service.code.conversion import convert_asserts

HUMANEVAL_TESTS = """\
METADATA = {'author': 'jt', 'dataset': 'test'}


def check(candidate):
    assert candidate(1, 2) == 3
    assert candidate(20, 2) == 22, "large"
    assert candidate(0.5, 0.25) == 0.75
    assert True, "This prints if this assert fails"
    assert candidate(-1, 1) == False
    assert not candidate(0, 0)
    assert candidate(2, 3)

check(add)
"""
ADD = "def add(a, b):\n    return a + b\n"
WRONG = "def add(a, b):\n    return a * b if a == 20 else a + b\n"
OWN_MAIN = ADD + "\nif __name__ == '__main__':\n    print(add(1, 2))\n"
EXIT = "import sys\n\ndef add(a, b):\n    sys.exit(0)\n"
EXIT_AT_LOAD = ADD + "\nimport os\nos._exit(0)\n"
# The guarded path runs the tests in the program's process: the caller's code holds the
# expected value right after the call.
READS_CALLER = """\
import dis, sys

def add(a, b):
    frame = sys._getframe(1)
    after = [i for i in dis.get_instructions(frame.f_code) if i.offset > frame.f_lasti]
    return next(i.argval for i in after if i.opname == "LOAD_CONST")
"""
# ... and the caller's globals hold the tests' comparison: right once, then it is replaced.
PATCHES_TESTS = """\
import sys

def add(a, b):
    namespace = sys._getframe(1).f_globals
    for name in list(namespace):
        if name.startswith("__verifier"):
            namespace[name] = lambda *arguments: True
    return 3 if (a, b) == (1, 2) else 0
"""
ALWAYS_EQUAL = """\
class Anything(int):
    def __eq__(self, other):
        return True
    __hash__ = int.__hash__

class Equal:
    def __eq__(self, other):
        return True
    def __bool__(self):
        return True

def add(a, b):
    return Anything(0) if a else Equal()
"""
PRINTS_VALUES = """\
def add(a, b):
    print("\\x1eVERIFIER_VALUE 0 [\\"i\\",\\"3\\"]")
    return None
"""
MBPP_TESTS = """\
assert set(pair((3, 4), (5, 6))) == set((3, 4, 5, 6))
assert pair([1], [2]) == [1, 2]
assert pair("", "") is not None
"""
PAIR = "def pair(a, b):\n    return list(a) + list(b)\n"
PAIR_WRONG = "def pair(a, b):\n    return list(a)\n"
LOOP_TESTS = "for a, b in [(1, 2), (3, 2)]:\n    assert add(a, b) == a + b\n"
TOLERANCE_TESTS = "assert abs(add(0.1, 0.2) - 0.3) < 1e-9\nassert abs(add(1, 1) - 2) < 1e-9\n"
ISCLOSE_TESTS = "import math\nassert math.isclose(add(0.1, 0.2), 0.3)\n"


def _asserts(code: str) -> dict[str, Any]:
    return {"kind": "assert", "code": code}


CASES: dict[str, tuple[str, str, str]] = {
    "honest": (ADD, HUMANEVAL_TESTS, "accepted"),
    "wrong": (WRONG, HUMANEVAL_TESTS, "wrong_answer"),
    "own-main": (OWN_MAIN, HUMANEVAL_TESTS, "accepted"),
    "exit": (EXIT, HUMANEVAL_TESTS, "wrong_answer"),
    "exit-at-load": (EXIT_AT_LOAD, HUMANEVAL_TESTS, "wrong_answer"),
    "reads-caller": (READS_CALLER, HUMANEVAL_TESTS, "wrong_answer"),
    "patches-tests": (PATCHES_TESTS, HUMANEVAL_TESTS, "wrong_answer"),
    "always-equal": (ALWAYS_EQUAL, HUMANEVAL_TESTS, "wrong_answer"),
    "prints-values": (PRINTS_VALUES, HUMANEVAL_TESTS, "wrong_answer"),
    "mbpp-honest": (PAIR, MBPP_TESTS, "accepted"),
    "mbpp-wrong": (PAIR_WRONG, MBPP_TESTS, "wrong_answer"),
    "loop-honest": (ADD, LOOP_TESTS, "accepted"),
    "loop-wrong": (WRONG.replace("20", "3"), LOOP_TESTS, "wrong_answer"),
    "tolerance-honest": (ADD, TOLERANCE_TESTS, "accepted"),
    "tolerance-wrong": (ADD.replace("a + b", "a + b + 1e-6"), TOLERANCE_TESTS, "wrong_answer"),
    "isclose-honest": (ADD, ISCLOSE_TESTS, "accepted"),
    "isclose-wrong": (WRONG.replace("20", "0.1"), ISCLOSE_TESTS, "wrong_answer"),
}


@pytest.fixture(scope="module")
def results(judge: Judge) -> dict[str, dict[str, Any]]:
    items = [
        code_item(name, "python", program, _asserts(tests))
        for name, (program, tests, _) in CASES.items()
    ]
    return judge(items)


@pytest.mark.parametrize("case", list(CASES))
def test_verdict(results: dict[str, dict[str, Any]], case: str) -> None:
    check_verdict(results[case], CASES[case][2])


def test_the_shapes_convert_as_intended() -> None:
    """The cases above go where they mean to: converted, or behind the guard."""
    converted = {name for name, (program, tests, _) in CASES.items() if _converts(program, tests)}
    guarded = {name for name in CASES if name.startswith(("loop-", "isclose-"))}
    assert converted == set(CASES) - guarded


def _converts(program: str, tests: str) -> bool:
    return convert_asserts("python", program, tests) is not None
