"""The C++ and Java converters on MultiPL-E-shaped test text (convert or not), and their
comparisons: C++ `==` after the usual conversions, Java's type-strict `equals` and `==`
against a primitive literal."""

from __future__ import annotations

import json
from typing import Any

import pytest

from verifier_service.code.conversion import convert_asserts
from verifier_service.code.conversion.cpp_values import same_cpp
from verifier_service.code.conversion.java_values import same_equals, same_primitive
from verifier_service.code.conversion.numeric import integer_as_f32

CPP_PROGRAM = "#include<bits/stdc++.h>\nlong add(long a, long b) {\n    return a + b;\n"
CPP_TESTS = """\
}
int main() {
    auto candidate = add;
    // assert(candidate(9, 9) == 0); a comment is no case
    assert(candidate((1), (2)) == (3));
    assert(candidate(0, 0) == 0);
}
"""
JAVA_PROGRAM = (
    "import java.util.*;\nclass Problem {\n    public static long add(long a, long b) {\n"
    "        return a + b;\n    }\n"
    "    public static String show(long a) {\n        return String.valueOf(a);\n    }\n"
    '    public static void main(String[] args) {\n        System.out.println("x");\n    }\n}\n'
)
JAVA_TESTS = """\
class VerifierTests extends Problem {
    public static void main(String[] args) {
    assert(add((1l), (2l)) == (3l));
    assert(show(add(1l, 1l)).equals(("2")));
    }

}
"""


def test_cpp_multipl_e_tests_convert() -> None:
    conversion = convert_asserts("cpp", CPP_PROGRAM, CPP_TESTS)
    assert conversion is not None
    assert [(case.call, case.expected) for case in conversion.cases] == [
        ("candidate((1), (2))", "(3)"),
        ("candidate(0, 0)", "0"),
    ]
    assert conversion.reference is not None
    assert "verifier_values::emit(0, ((3)), true);" in conversion.reference.code
    # Expected values of unrelated types mean a return type of the program's: not converted.
    assert "comparable<decltype(((3))), decltype((0))>())) return 3;" in conversion.reference.code
    assert "add" not in conversion.reference.code.split("int main")[-1]
    assert "verifier_values::emit(1, candidate(0, 0), false);" in conversion.candidate.code
    assert "#define main verifier_program_main" in conversion.candidate.code


@pytest.mark.parametrize(
    "body",
    [
        "    for (long i = 0; i < 3; i++) assert(candidate(i, 0) == i);",
        "    long x = 3;\n    assert(candidate(1, 2) == x);",
        "    assert(candidate(1, 2) != 4);",
        "    assert(candidate(1, 2) == 3 || true);",
        "    assert(candidate(1, 2) == (3) && candidate(0, 0) == 0);",
        "    assert(candidate(1, 2) == add(1, 2));",
        "    assert(candidate(1, 2) == candidate(2, 1));",
        "    assert(std::abs(candidate(1, 2) - 3) < 1e-6);",
        '    assert(candidate(1, 2) == 3);\n    printf("done");',
        "    assert(candidate(1, 2) == 1'000);",
        "    assert(candidate(1, 2) == (x = 3));",
        "#define candidate(a, b) 3\n    assert(candidate(1, 2) == 3);",
    ],
)
def test_cpp_other_shapes_do_not_convert(body: str) -> None:
    tests = f"}}\nint main() {{\n    auto candidate = add;\n{body}\n}}\n"
    assert convert_asserts("cpp", CPP_PROGRAM, tests) is None


def _cpp(type_: Any, value: Any) -> str:
    return json.dumps([type_, value])


LONG, INT, UINT, ULONG = (["a", kind] for kind in ("long", "int", "uint", "ulong"))
FLOAT, DOUBLE, BOOL, CHAR = (["a", kind] for kind in ("float", "double", "bool", "char"))
STR, CSTR = ["str"], ["cstr"]


@pytest.mark.parametrize(
    ("actual", "expected", "equal"),
    [
        ((LONG, "3"), (INT, "3"), True),
        ((LONG, "3"), (INT, "4"), False),
        ((FLOAT, "0x1.333334p-2"), (DOUBLE, "0x1.3333333333333p-2"), False),  # 0.3f, 0.3
        ((FLOAT, "0x1p-1"), (DOUBLE, "0x1p-1"), True),  # 0.5f == 0.5
        ((DOUBLE, "nan"), (DOUBLE, "nan"), False),
        ((DOUBLE, "-0x0p+0"), (DOUBLE, "0x0p+0"), True),
        ((FLOAT, "0x1p+24"), (INT, "16777217"), True),  # the int rounds to float
        ((DOUBLE, "0x1.000001p+24"), (INT, "16777217"), True),
        ((UINT, "4294967295"), (INT, "-1"), True),  # -1 converts to unsigned
        ((ULONG, "18446744073709551615"), (INT, "-1"), True),
        ((LONG, "-1"), (UINT, "4294967295"), False),  # long holds every unsigned int
        ((BOOL, "1"), (BOOL, "1"), True),
        ((BOOL, "1"), (INT, "1"), True),
        ((CHAR, "97"), (CHAR, "97"), True),
        ((STR, "6162"), (CSTR, "6162"), True),
        ((STR, "616200"), (CSTR, "6162"), False),
        ((CSTR, "6162"), (CSTR, "6162"), False),  # two pointers: addresses
        ((STR, "6162"), (INT, "1"), False),
        ((["vector", LONG], ["1", "2"]), (["vector", LONG], ["1", "2"]), True),
        ((["vector", LONG], ["1", "2"]), (["vector", LONG], ["2", "1"]), False),
        ((["vector", LONG], []), (["vector", INT], []), False),  # does not compile
        ((["tuple", LONG, LONG], ["1", "2"]), (["tuple", INT, INT], ["1", "2"]), True),
        ((["tuple", LONG, LONG], ["1", "2"]), (["tuple", INT], ["1"]), False),
        ((["pair", LONG, LONG], ["1", "2"]), (["pair", INT, INT], ["1", "2"]), False),
        ((["optional", LONG], []), (["nullopt"], []), True),
        ((["optional", LONG], ["2"]), (["nullopt"], []), False),
        ((["optional", LONG], ["2"]), (INT, "2"), True),
        ((["optional", LONG], []), (INT, "2"), False),
        ((["optional", STR], ["6162"]), (CSTR, "6162"), True),
        ((["optional", STR], []), (["optional", LONG], []), False),  # does not compile
        ((["map", STR, LONG], [["61", "2"]]), (["map", STR, LONG], [["61", "2"]]), True),
        ((["map", STR, LONG], [["61", "2"]]), (["map", STR, LONG], [["61", "3"]]), False),
    ],
)
def test_cpp_equality(actual: tuple[Any, Any], expected: tuple[Any, Any], equal: bool) -> None:
    assert same_cpp(_cpp(*expected), _cpp(*actual)) is equal


@pytest.mark.parametrize(
    "actual",
    [
        '"opaque"',
        "",
        "[",
        '[["a","long"],"1e3"]',
        '[["a","long"],"99999999999999999999"]',
        '[["vector",["a","long"]],"12"]',
        '[["a","nope"],"1"]',
        '[["cstr"],null]',
        "[1,2]",
        '[["optional",["a","long"]],["1","2"]]',
        "[" * 100000,
    ],
)
def test_cpp_malformed_or_opaque_is_unequal(actual: str) -> None:
    assert not same_cpp(_cpp(LONG, "1"), actual)
    assert not same_cpp('"opaque"', '"opaque"')


def test_integer_rounds_to_float_once() -> None:
    # 2^25 + 3 lies above the midpoint of its two neighbours in binary32: it rounds up,
    # where rounding through a double first would not change the answer here but does for
    # values that a double rounds onto a midpoint.
    assert integer_as_f32(2**25 + 3) == 2**25 + 4
    assert integer_as_f32(2**24 + 1) == 2**24  # a tie goes to even
    assert integer_as_f32((1 << 60) + (1 << 36) + 1) == (1 << 60) + (1 << 37)
    assert integer_as_f32(-(2**24 + 3)) == -(2**24 + 4)


def test_java_multipl_e_tests_convert() -> None:
    conversion = convert_asserts("java", JAVA_PROGRAM, JAVA_TESTS)
    assert conversion is not None
    assert [(case.call, case.expected) for case in conversion.cases] == [
        ("add((1l), (2l))", "(3l)"),
        ("show(add(1l, 1l))", '("2")'),
    ]
    candidate = conversion.candidate.code
    assert "VerifierValues.primitive(0, add((1l), (2l)));" in candidate
    assert "VerifierValues.receiver(1, show(add(1l, 1l)));" in candidate
    assert "verifierProgramMain" in candidate  # the program's own main is renamed
    assert conversion.candidate.command is not None
    assert conversion.candidate.command[-1] == "VerifierValuesMain"
    assert conversion.reference is not None
    assert 'VerifierValues.expected(1, (("2")));' in conversion.reference.code
    assert "add" not in conversion.reference.code.split("class VerifierReference")[-1]


@pytest.mark.parametrize(
    "body",
    [
        '    assert(show(1l) == ("2"));',  # identity of two strings
        "    for (long i = 0; i < 3; i++) assert(add(i, 0) == i);",
        "    long x = 3;\n    assert(add(1l, 2l) == x);",
        "    assert(add(1l, 2l) != (4l));",
        "    assert(add(1l, 2l) == (3l) || true);",
        "    assert(add(1l, 2l) == add(2l, 1l));",
        "    assert(show(1l).equals(show(1l)));",
        '    assert(show(1l).equals("1", "2"));',
        '    assert(show(1l).equals("1"));\n    System.out.println("done");',
        '    assert(show(1l).equals("\\u0031"));',
        "    assert(Math.abs(add(1l, 2l) - 3) < 1e-6);",
    ],
)
def test_java_other_shapes_do_not_convert(body: str) -> None:
    head = "class VerifierTests extends Problem {\n    public static void main(String[] args) {\n"
    tests = f"{head}{body}\n    }}\n}}\n"
    assert convert_asserts("java", JAVA_PROGRAM, tests) is None


@pytest.mark.parametrize(
    ("actual", "expected", "equal"),
    [
        (["Long", "1"], ["Long", "1"], True),
        (["Long", "1"], ["Integer", "1"], False),  # equals is type-strict
        (["Double", "7ff8000000000000", "NaN"], ["Double", "7ff8000000000000", "NaN"], True),
        (["Double", "0", "0x0.0p0"], ["Double", "8000000000000000", "-0x0.0p0"], False),
        (["Float", "3f000000", "0x1.0p-1"], ["Double", "3fe0000000000000", "0x1.0p-1"], False),
        (["String", "00610062"], ["String", "00610062"], True),
        (["List", [["Long", "1"], None]], ["List", [["Long", "1"], None]], True),
        (["List", [["Long", "1"]]], ["List", [["Integer", "1"]]], False),
        (["List", []], ["Optional", []], False),
        (["Optional", []], ["Optional", []], True),
        (["Optional", [["String", "0061"]]], ["Optional", [["String", "0062"]]], False),
        (
            ["Tuple", "Pair", [["Long", "1"], ["Long", "2"]]],
            ["Tuple", "Pair", [["Long", "1"], ["Long", "2"]]],
            True,
        ),
        (
            ["Tuple", "Pair", [["Long", "1"], ["Long", "2"]]],
            ["List", [["Long", "1"], ["Long", "2"]]],
            False,
        ),
        (
            ["Map", [[["String", "0061"], ["Long", "2"]], [["String", "0062"], ["Long", "1"]]]],
            ["Map", [[["String", "0062"], ["Long", "1"]], [["String", "0061"], ["Long", "2"]]]],
            True,
        ),
        (
            ["Map", [[["String", "0061"], ["Long", "2"]]]],
            ["Map", [[["String", "0061"], ["Integer", "2"]]]],
            False,
        ),
        (["Map", [[["String", "0061"], None]]], ["Map", [[["String", "0062"], None]]], False),
    ],
)
def test_java_equals(actual: Any, expected: Any, equal: bool) -> None:
    assert same_equals(json.dumps(expected), json.dumps(actual)) is equal


@pytest.mark.parametrize("actual", ["null", '["primitive"]', '"opaque"', "{", '["Long"]', "7"])
def test_java_equals_refuses_malformed(actual: str) -> None:
    assert not same_equals('["Long","1"]', actual)


@pytest.mark.parametrize(
    ("actual", "expected", "equal"),
    [
        (["p", "long", "3"], ["p", "long", "3"], True),
        (["b", "long", "3"], ["p", "long", "3"], True),  # unboxed against the literal
        (["b", "long", None], ["p", "long", "3"], False),  # unboxing null throws
        (["p", "int", "3"], ["p", "long", "3"], True),
        (["p", "float", "0x1.0p-1"], ["p", "double", "0x1.0p-1"], True),
        (["p", "float", "0x1.333334p-2"], ["p", "double", "0x1.3333333333333p-2"], False),
        (["p", "double", "NaN"], ["p", "double", "NaN"], False),
        (["p", "double", "-0x0.0p0"], ["p", "double", "0x0.0p0"], True),
        (["p", "long", "16777217"], ["p", "float", "0x1.0p24"], True),  # long -> float
        (["p", "boolean", "true"], ["p", "boolean", "true"], True),
        (["p", "boolean", "true"], ["p", "long", "1"], False),  # does not compile
        (["p", "char", "97"], ["p", "int", "97"], True),
    ],
)
def test_java_primitive_equality(actual: Any, expected: Any, equal: bool) -> None:
    assert same_primitive(json.dumps(expected), json.dumps(actual)) is equal


@pytest.mark.parametrize("actual", ['"opaque"', '["Long","3"]', '["p","long"]', "[", "null"])
def test_java_primitive_refuses_malformed(actual: str) -> None:
    assert not same_primitive('["p","long","3"]', actual)
