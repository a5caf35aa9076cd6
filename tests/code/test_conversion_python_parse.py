"""The Python converter on test text (converts or not), and `same`: Python's own `==`, truth
and `is` judged on the texts the emitter (sandboxes/harness/values_python.py, run here by
the system interpreter outside any jail) prints for real values."""

from __future__ import annotations

import collections
import decimal
import subprocess
import sys
from pathlib import Path

import pytest

from verifier_service.code.conversion import Conversion, convert_asserts, read_values
from verifier_service.code.conversion.python_values import same

PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable
PROGRAM = "def add(a, b):\n    return a + b\n"
HUMANEVAL_TESTS = """\
METADATA = {'author': 'jt', 'dataset': 'test'}


def check(candidate):
    \"\"\"The tests.\"\"\"
    import math
    assert candidate(1, 2) == 3, "1 + 2"
    assert True, "This prints if this assert fails"
    assert 987654 == candidate(987650, 4)
    assert candidate(-1, 1) != 5
    assert candidate(0, 0) is not None
    assert not candidate(0, 0)
    assert candidate(2, 2)

check(add)
"""
MBPP_TESTS = """\
assert set(pair((3, 4), (5, 6))) == set((3, 4, 5, 6))
assert pair([1], [2]) == [1, 2]
assert tuple(pair([1], [])) == tuple([1])
"""
PAIR = "def pair(a, b):\n    return list(a) + list(b)\n"


def _convert(tests: str, program: str = PROGRAM) -> Conversion:
    conversion = convert_asserts("python", program, tests)
    assert conversion is not None
    return conversion


def _values(conversion: Conversion, program: str, tmp_path: Path) -> list[str]:
    """The texts the emitter prints for the program's calls (the system interpreter, no jail)."""
    (tmp_path / "main.py").write_text(program, encoding="utf-8")
    name, emitter = conversion.candidate.files[0]
    (tmp_path / name).write_text(emitter, encoding="utf-8")
    run = subprocess.run(
        [PYTHON, "-I", str(tmp_path / name), str(tmp_path / "main.py")],
        input=conversion.candidate.stdin,
        capture_output=True,
        check=True,
        timeout=60,
    )
    values = read_values(run.stdout, len(conversion.cases))
    assert values is not None, run.stdout
    return values


def test_humaneval_tests_convert_with_their_checks() -> None:
    conversion = _convert(HUMANEVAL_TESTS)
    assert [case.call for case in conversion.cases] == [
        "candidate(1, 2)",
        "candidate(987650, 4)",
        "candidate(-1, 1)",
        "candidate(0, 0)",
        "candidate(0, 0)",
        "candidate(2, 2)",
    ]
    assert conversion.expected == ("== 3", "== 987654", "!= 5", "is-not None", "not ", "truth ")
    stdin = conversion.candidate.stdin.decode()
    assert "987654" not in stdin and "author" not in stdin and "assert" not in stdin
    assert "__verifier_emit__(1, candidate(987650, 4))" in stdin
    assert conversion.candidate.code == PROGRAM


def test_multipl_e_tests_convert_through_their_test_function() -> None:
    tests = (
        "def check(candidate):\n    assert candidate(1, 2) == 3\n\n"
        "def test_check():\n    check(add)\n\ntest_check()\n"
    )
    conversion = _convert(tests)
    assert conversion.expected == ("== 3",)
    assert "check(add)\ntest_check()" in conversion.candidate.stdin.decode()


def test_a_right_and_a_wrong_program_through_the_emitter(tmp_path: Path) -> None:
    conversion = _convert(HUMANEVAL_TESTS)
    assert conversion.expected is not None
    right = _values(conversion, PROGRAM, tmp_path)
    assert all(map(same, conversion.expected, right))
    wrong = _values(conversion, PROGRAM.replace("a + b", "a - b"), tmp_path)
    assert not all(map(same, conversion.expected, wrong))


def test_mbpp_tests_with_builtin_wrappers_convert(tmp_path: Path) -> None:
    conversion = _convert(MBPP_TESTS, PAIR)
    assert conversion.expected == ("== set((3, 4, 5, 6))", "== [1, 2]", "== tuple([1])")
    assert conversion.expected is not None
    assert all(map(same, conversion.expected, _values(conversion, PAIR, tmp_path)))


@pytest.mark.parametrize(
    "statement",
    [
        "assert abs(add(1, 2) - 3) > 1e-6",
        "assert abs(add(1, 2) - x) < 1e-6",
        "assert abs(add(1, 2)) < 1e-6",
        "assert math.isclose(add(1, 2), 3)",
        "assert add(1, 2) == add(2, 1)",
        "assert add(1, 2) == helper",
        "assert add(1, 2) == math.pi",
        "assert add(1, 2) == 1 == 1",
        "assert add(1, 2) is 3",
        "assert add(1, 2) + 1 == 4",
        "assert add(x := 1, 2) == 3",
        "assert sorted(add([2], [1]), reverse=True) == [2, 1]",
        "assert False",
        "assert print(1) == None",
        "assert add(1, 2) == [0] * 3",
        "assert add(1, 2) == list(range(10 ** 6))",
        "assert add(1, 2) == 1 / 0",
        "print(add(1, 2))",
        "add(1, 2)",
        "for i in range(2): assert add(i, 0) == i",
        "from math import *",
        "if True: assert add(1, 2) == 3",
    ],
)
def test_other_statements_keep_the_guarded_path(statement: str) -> None:
    tests = f"assert add(0, 0) == 0\n{statement}\nassert add(1, 1) == 2\n"
    assert convert_asserts("python", PROGRAM, tests) is None


@pytest.mark.parametrize(
    "tests",
    [
        "",
        "def check(candidate):\n    assert candidate(1, 2) == 3\n",  # never called
        "def check(candidate):\n    assert candidate(1, 2) == 3\ncheck(add)\ncheck(add)\n",
        "expected = 3\nassert add(1, 2) == expected\n",  # a local the assertion reads
        "set = list\nassert add([1], [2]) == set([1, 2])\n",  # the tests rebind a constructor
        "def check(c):\n    def inner():\n        pass\n    assert c(1, 2) == 3\ncheck(add)\n",
        "def check(c):\n    assert c(1, 2) == 3\ndef run():\n    check(add)\nrun()\nrun()\n",
        "def check(c):\n    assert c(1, 2) == 3\ndef run():\n    check(add)\n",  # never run
        "assert add(1, 2) == 3\ndef check(candidate):\n    print(1)\ncheck(add)\n",
        "not python (",
    ],
)
def test_tests_of_other_shapes_do_not_convert(tests: str) -> None:
    assert convert_asserts("python", PROGRAM, tests) is None


# (the program's value, the expected literal): `same` must answer Python's own `==`
PAIRS = [
    ("1", "1.0"),
    ("True", "1"),
    ("1", "True"),
    ("2", "True"),
    ("[1]", "(1,)"),
    ("(1, [2.0])", "(1, [2])"),
    ("float('nan')", "float('nan')"),
    ("[float('nan')]", "[float('nan')]"),
    ("-0.0", "0"),
    ("0.1 + 0.2", "0.3"),
    ("0.1 + 0.2", "0.30000000000000004"),
    ("{1: 'a', 2: 'b'}", "{2: 'b', 1: 'a'}"),
    ("{1, 2}", "frozenset({2, 1})"),
    ("{1: 2}", "{True: 2.0}"),
    ("'a'", "b'a'"),
    ("bytearray(b'a')", "b'a'"),
    ("10 ** 40 + 1", "10 ** 40"),
    ("-(10 ** 40)", "-(10 ** 40)"),
    ("complex(1, 0)", "1"),
    ("1j", "1j"),
    ("range(3)", "range(0, 3)"),
    ("range(3)", "[0, 1, 2]"),
    ("collections.OrderedDict([(2, 1), (1, 2)])", "{1: 2, 2: 1}"),
    ("collections.Counter('aab')", "{'a': 2, 'b': 1}"),
    ("collections.deque([1])", "[1]"),
    ("collections.namedtuple('P', 'x y')(1, 2)", "(1, 2)"),
    ("{1: 2}.keys()", "{1}"),
    ("{1: 2}.items()", "{(1, 2)}"),
    ("{1: 2}.values()", "[2]"),
    ("None", "0"),
    ("None", "None"),
    ("'\\ud800é\\n'", "'\\ud800é\\n'"),
    ("decimal.Decimal('1.0')", "1"),
    ("decimal.Decimal('0.1')", "0.1"),
    ("[[1, [2, [3]]], {'k': (None, True)}]", "[[1, [2, [3]]], {'k': (None, True)}]"),
    ("[1, 2]", "[1, 2, 3]"),
    ("iter([1])", "[1]"),
]


def test_same_is_pythons_equality(tmp_path: Path) -> None:
    calls = "".join(f"assert value({i}) == {expected}\n" for i, (_, expected) in enumerate(PAIRS))
    values = ", ".join(value for value, _ in PAIRS)
    program = f"import collections, decimal\n\ndef value(i):\n    return [{values}][i]\n"
    conversion = _convert(calls, program)
    assert conversion.expected is not None
    texts = _values(conversion, program, tmp_path)
    built = eval(f"[{values}]", {"collections": collections, "decimal": decimal})
    for index, (value, expected) in enumerate(PAIRS):
        wanted = bool(built[index] == eval(expected))
        check, text = conversion.expected[index], texts[index]
        assert same(check, text) is wanted, (value, expected, text)
        assert same("!=" + check[2:], text) is not wanted, (value, expected, text)


OWN_TYPES = """\
class Anything:
    def __eq__(self, other):
        return True
    def __bool__(self):
        return True

class Loud(int):
    def __eq__(self, other):
        return True

class Items(list):
    def __iter__(self):
        return iter([1, 2, 3])

looped = []
looped.append(looped)

def value(i):
    return [Anything(), Loud(4), Loud(3), Items([7]), looped, Anything(), 0, [], 'x', 1, True][i]
"""
OWN_CHECKS = [
    ("value(0) == 3", False),  # a type of the program's equals nothing
    ("value(0) != 3", True),
    ("value(1) == 3", False),  # an int subclass is read as its int
    ("value(2) == 3", True),
    ("value(3) == [7]", True),  # a list subclass through list's own iteration
    ("value(4) == [[]]", False),  # a cycle is opaque
    ("value(5)", False),  # nor has it a truth
    ("not value(5)", False),
    ("not value(6)", True),
    ("not value(7)", True),
    ("value(8)", True),
    ("value(9) is True", False),
    ("value(10) is True", True),
    ("value(10) is not False", True),
    ("value(6) is None", False),
]


def test_same_on_values_of_the_programs_types(tmp_path: Path) -> None:
    tests = "".join(f"assert {check}\n" for check, _ in OWN_CHECKS)
    conversion = _convert(tests, OWN_TYPES)
    assert conversion.expected is not None
    texts = _values(conversion, OWN_TYPES, tmp_path)
    for (check, wanted), expected, text in zip(OWN_CHECKS, conversion.expected, texts, strict=True):
        assert same(expected, text) is wanted, (check, text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[]",
        "{}",
        '["i"]',
        '["i", 5]',
        '["i", "zz"]',
        '["b", 2]',
        '["f", "x"]',
        '["n", 1]',
        '["x", "1"]',
        '["l", ["i", "3"], "3"]',
        '["d", ["i", "1"]]',
        '["D", "sNaN"]',
        "[" * 100_000 + "]" * 100_000,
    ],
)
def test_malformed_texts_pass_no_check(text: str) -> None:
    for check in ("== [3]", "== 3", "!= [3]", "!= 3", "is True", "is False", "is None"):
        if text.startswith('["D"') and check.startswith("!="):
            continue  # Decimal('sNaN') is neither [3] nor 3
        assert same(check, text) is False, (check, text[:40])
    if not text.startswith('["D"'):
        assert same("truth ", text) is same("not ", text) is False


def test_an_opaque_value_equals_nothing_and_has_no_truth() -> None:
    assert same("== 3", '["o"]') is False
    assert same("!= 3", '["o"]') is True
    assert same("truth ", '["o"]') is same("not ", '["o"]') is False
    assert same("is None", '["o"]') is False
    assert same("is-not None", '["o"]') is True


def test_tolerances_are_pythons_arithmetic() -> None:
    conversion = _convert(
        "assert abs(add(0.1, 0.2) - 0.3) < 1e-17\nassert abs(2.0 / 3.0 - add(1, 2)) <= 2\n"
    )
    assert conversion.expected == ("abs< (0.3, 1e-17)", "abs<= (2.0 / 3.0, 2)")
    point_three = f'["f", "{(0.1 + 0.2).hex()}"]'  # 5.55e-17 away from 0.3
    assert same("abs< (0.3, 1e-17)", point_three) is False
    assert same("abs< (0.3, 1e-16)", point_three) is True
    assert same("abs<= (2.0 / 3.0, 2)", '["i", "2"]') is True
    assert same("abs<= (2.0 / 3.0, 2)", '["i", "3"]') is False
    assert same("abs<= (2.0 / 3.0, 2)", '["b", 1]') is True  # True - 2/3, as Python has it
    for foreign in ('["f", "nan"]', '["o"]', '["l", ["i", "2"]]', '["s", "2"]', "x"):
        assert same("abs<= (2.0 / 3.0, 2)", foreign) is False, foreign


def test_a_text_larger_than_the_expected_value_is_unequal_unread() -> None:
    colliding = ",".join(f'["i", "{(index << 61) - index:x}"]' for index in range(1, 5000))
    assert same("== {1, 2}", f'["S", {colliding}]') is False
    assert same("!= {1, 2}", f'["S", {colliding}]') is True
    assert same("truth ", f'["S", {colliding}]') is True
    assert same("== {1, 2}", '["S", ["i", "2"], ["f", "0x1.0p+0"]]') is True
