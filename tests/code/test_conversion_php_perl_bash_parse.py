"""The PHP, Perl and Bash converters on MultiPL-E-shaped test text (convert or not), Bash's
expected texts read on the host, and each language's comparison on the value texts."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from verifier_service.code.conversion import convert_asserts

PHP_TESTS = """\
function candidate(...$args) {
    return add(...$args);
}

function test(): void {
    if (candidate(1, 2) !== 3) { throw new Exception("Test failed!"); }
    if (candidate(array("a" => 1), 'x') !== array(1.5, "b", true, null, -2))
        { throw new Exception("Test failed!"); }
}

test();"""
PERL_TESTS = """\
use Test::Deep;


sub testhumaneval {
    my $candidate = \\&add;
        if(eq_deeply($candidate->(1, 2),3)) {
        print "ok!" }else{
        exit 1;
        }
        if(eq_deeply($candidate->([1, "a"], {x => 1}),{"k" => [undef, -1.5]})) {
        print "ok!" }else{
        exit 1;
        }
}

testhumaneval();"""
BASH_TESTS = """\
}

candidate() {
    add "$@"
}

set -e
run_test() {
    [[ $(candidate "1" "2") = "3" ]]
    [[ $(candidate 'a b' "Hello\\!") = "#\\$a^D \\"\\\\" ]]
    [[ $(candidate "") = "" ]]
}

run_test"""


def test_php_multipl_e_tests_convert() -> None:
    conversion = convert_asserts(
        "php", "<?php\nfunction add($a, $b) { return $a + $b; }\n?>", PHP_TESTS
    )
    assert conversion is not None and conversion.reference is not None
    assert [(case.call, case.expected) for case in conversion.cases] == [
        ("candidate(1, 2)", "3"),
        ("candidate(array(\"a\" => 1), 'x')", 'array(1.5, "b", true, null, -2)'),
    ]
    assert "\\verifier_emit(1, candidate(array(\"a\" => 1), 'x'), false);" in (
        conversion.candidate.code
    )
    assert "?>" not in conversion.candidate.code  # the program's closing tag is dropped
    assert "1.5" not in conversion.candidate.code
    assert '\\verifier_emit(1, array(1.5, "b", true, null, -2), true);' in conversion.reference.code
    assert "add" not in conversion.reference.code


def test_perl_multipl_e_tests_convert() -> None:
    conversion = convert_asserts("perl", "sub add { return $_[0] + $_[1]; }\n", PERL_TESTS)
    assert conversion is not None and conversion.reference is not None
    assert [(case.call, case.expected) for case in conversion.cases] == [
        ("$candidate->(1, 2)", "3"),
        ('$candidate->([1, "a"], {x => 1})', '{"k" => [undef, -1.5]}'),
    ]
    calls = conversion.candidate.stdin.decode()
    assert "VerifierValues::emit(0, [$candidate->(1, 2)], 0);" in calls
    assert "-1.5" not in calls and conversion.candidate.code.startswith("sub add")
    values = conversion.reference.stdin.decode()
    assert 'VerifierValues::emit(1, [{"k" => [undef, -1.5]}], 1);' in values
    assert "add" not in values + conversion.reference.code


def test_bash_expected_texts_are_read_on_the_host() -> None:
    conversion = convert_asserts("bash", 'add() {\n    echo "$1"\n', BASH_TESTS)
    assert conversion is not None and conversion.expected is not None
    assert [bytes.fromhex(text) for text in conversion.expected] == [b"3", b'#$a^D "\\', b""]
    assert conversion.candidate.code.endswith("\n}\n")  # the tests' `}` closes the prompt
    calls = conversion.candidate.stdin.decode()
    assert 'verifier_emit 1 "$(candidate \'a b\' "Hello\\!")"' in calls
    assert "#" not in calls


PHP_CASE = '    if (candidate(1, 2) !== 3) { throw new Exception("Test failed!"); }'


@pytest.mark.parametrize(
    "case",
    [
        '    if (candidate(1, 2) != 3) { throw new Exception("Test failed!"); }',
        '    if (candidate(1, 2) !== PHP_INT_MAX) { throw new Exception("Test failed!"); }',
        '    if (candidate(1, 2) !== strval(3)) { throw new Exception("Test failed!"); }',
        '    if (candidate(1, 2) !== "$x") { throw new Exception("Test failed!"); }',
        '    if (candidate($x, 2) !== 3) { throw new Exception("Test failed!"); }',
        '    if (candidate(1, 2) !== 3) { throw new Exception("other"); }',
        "    $x = 3;",
        "    for ($i = 0; $i < 2; $i++) { candidate($i, 0); }",
        PHP_CASE + " // a comment",
        PHP_CASE + " # a comment",
        PHP_CASE + "\n    echo 'done';",
    ],
)
def test_php_tests_of_another_shape_do_not_convert(case: str) -> None:
    tests = PHP_TESTS.replace(PHP_CASE, case)
    assert tests != PHP_TESTS
    assert convert_asserts("php", "<?php function add($a, $b) { return $a + $b; }", tests) is None


PERL_CASE = "if(eq_deeply($candidate->(1, 2),3))"


@pytest.mark.parametrize(
    "case",
    [
        "if(is_deeply($candidate->(1, 2),3))",
        "if(eq_deeply($candidate->(1, 2),3, 4))",
        "if(eq_deeply($candidate->(1, 2),3 => 4))",
        "if(eq_deeply($candidate->(1, 2),foo()))",
        'if(eq_deeply($candidate->(1, 2),"$x"))',
        'if(eq_deeply($candidate->(1, 2),"a@b.c"))',
        "if(eq_deeply($candidate->(1, 2),qw(a b)))",
        "if(eq_deeply($candidate->($x, 2),3))",
        "if(eq_deeply($candidate->(1, 2),3)) # a comment\n",
        "if(eq_deeply(add(1, 2),3))",
    ],
)
def test_perl_tests_of_another_shape_do_not_convert(case: str) -> None:
    tests = PERL_TESTS.replace(PERL_CASE, case)
    assert tests != PERL_TESTS
    assert convert_asserts("perl", "sub add { $_[0] + $_[1] }", tests) is None


BASH_CASE = '[[ $(candidate "1" "2") = "3" ]]'


@pytest.mark.parametrize(
    "case",
    [
        '[[ $(candidate "1" "2") = "$HOME" ]]',
        '[[ $(candidate "1" "2") = "`id`" ]]',
        '[[ $(candidate "1" "2") = "$(echo 3)" ]]',
        "[[ $(candidate 1 2) = 3* ]]",
        "[[ $(candidate 1 2) = [3] ]]",
        '[[ $(candidate "1" "2") = "3"x ]]',
        '[[ $(candidate "1" "2") -eq "3" ]]',
        '[[ $(candidate "1" "$2") = "3" ]]',
        "[[ $(candidate *) = 3 ]]",
        '[[ "$(candidate 1 2)" = "3" ]]',
        '[[ $(candidate "1" "2") = "3" ]] || exit 0',
        'x=$(candidate "1" "2")',
    ],
)
def test_bash_tests_of_another_shape_do_not_convert(case: str) -> None:
    tests = BASH_TESTS.replace(BASH_CASE, case)
    assert tests != BASH_TESTS
    assert convert_asserts("bash", 'add() {\n    echo "$1"\n', tests) is None


def _same(language: str, tests: str, program: str) -> Callable[[str, str], bool]:
    conversion = convert_asserts(language, program, tests)
    assert conversion is not None
    return conversion.same


def test_php_identity_is_text_equality_and_opaque_equals_nothing() -> None:
    same = _same("php", PHP_TESTS, "<?php function add($a, $b) { return $a + $b; }")
    assert same("i1;", "i1;")
    assert not same("i1;", "d3ff0000000000000;")  # 1 !== 1.0
    assert not same("i1;", "s31;")  # 1 !== "1"
    assert not same("a2{i0;i1;i1;i2;}", "a2{i1;i2;i0;i1;}")  # same pairs, another order
    assert not same("?", "?")
    assert not same("i1;", "i1;\x00")


@pytest.mark.parametrize(
    ("expected", "actual", "equal"),
    [
        ("s31;", "s31;", True),
        ("s31;", "s312e30;", False),  # "1" ne "1.0"
        ("u", "u", True),
        ("u", "", True),  # an empty list: eq_deeply(undef, undef)
        ("s31;", "", False),  # eq_deeply(1, undef)
        ("[s31;,s32;]", "s31; s32;", False),  # a list is not an array: eq_deeply(1, 2)
        ("s39;", "s31; s31;", False),  # eq_deeply(1, 1) would pass: never here
        ("s31;", "s31; s31;", False),
        ("[s31;]", "[s31;]", True),
        ("{s61;:s31;}", "{s61;:s31;}", True),
        ("[s31;]", "?", False),
        ("s31;", "? ?", False),
        ("s31;", "s31;\x00garbage", False),
    ],
)
def test_perl_eq_deeply_takes_its_arguments_from_the_flattened_list(
    expected: str, actual: str, equal: bool
) -> None:
    same = _same("perl", PERL_TESTS, "sub add { $_[0] + $_[1] }")
    assert same(expected, actual) is equal


def test_bash_compares_bytes() -> None:
    same = _same("bash", BASH_TESTS, 'add() {\n    echo "$1"\n')
    assert same(b"3".hex(), b"3".hex())
    assert not same(b"3".hex(), b"3 ".hex())
    assert not same(b"a*".hex(), b"abc".hex())
