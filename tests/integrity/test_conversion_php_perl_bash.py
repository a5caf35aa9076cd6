"""PHP, Perl and Bash assert tests judged as calls (conversion/php.py, perl.py, bash.py),
through the real server in warm and fresh jails.

MultiPL-E-shaped tests convert: the candidate prints its values and the expected ones never
enter its jail, so a program that reads its own source or the shell's copy of the tests for
them, prints the completion token it read first, fakes Test::Deep, or returns an object whose
overloaded `eq` is always true, is a wrong answer (reading the source, the token or the
shell's copy of the tests passed the guarded path). The tests' own comparison holds: PHP's
`===` tells `3` from `3.0` and keys in another order, Perl's `eq` tells `"3"` from `"3.0"`,
and Bash's quoted pattern matches only itself. Tests of any other shape still run behind the
completion guard.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integrity.conftest import Judge, assert_items, check_verdict

PHP_FAILED = '{ throw new Exception("Test failed!"); }'
PHP_TESTS = f"""\
function candidate(...$args) {{
    return add(...$args);
}}

function test(): void {{
    if (candidate(1, 2) !== 3) {PHP_FAILED}
    if (candidate(20, 2) !== 22) {PHP_FAILED}
}}

test();
"""
PHP_ADD = "<?php\nfunction add($a, $b) {\n    return $a + $b;\n}\n?>\n"
PHP_WRONG = "<?php\nfunction add($a, $b) {\n    return $a - $b;\n}\n"
PHP_FLOAT = "<?php\nfunction add($a, $b) {\n    return (float) ($a + $b);\n}\n"
PHP_EXIT = "<?php\nfunction add($a, $b) {\n    exit(0);\n}\n"
# The guarded path runs the tests in the program's file: it can read them.
PHP_READS_SOURCE = """\
<?php
function add($a, $b) {
    $source = file_get_contents(__FILE__);
    preg_match('/candidate\\(' . $a . ', ' . $b . '\\) !== (\\d+)/', $source, $found);
    return (int) ($found[1] ?? -1);
}
"""
# The guarded path's token comes on stdin, which the program can read first.
PHP_READS_TOKEN = """\
<?php
function add($a, $b) {
    return 0;
}
echo "\\n\\x1eVERIFIER_DONE " . trim((string) fgets(STDIN)) . "\\n";
exit(0);
"""
PHP_PAIRS_TESTS = f"""\
function candidate(...$args) {{
    return pairs(...$args);
}}

function test(): void {{
    if (candidate("ba") !== array("b" => 2, "a" => 1)) {PHP_FAILED}
    if (candidate("") !== array()) {PHP_FAILED}
}}

test();
"""
PHP_PAIRS = '<?php\nfunction pairs($s) {\n    return $s === "" ? [] : ["b" => 2, "a" => 1];\n}\n'
PHP_PAIRS_SORTED = PHP_PAIRS.replace('["b" => 2, "a" => 1]', '["a" => 1, "b" => 2]')
PHP_LOOP_TESTS = f"""\
function test(): void {{
    foreach ([[1, 2, 3], [20, 2, 22]] as [$a, $b, $sum]) {{
        if (add($a, $b) !== $sum) {PHP_FAILED}
    }}
}}

test();
"""

PERL_TESTS = """\
use Test::Deep;


sub testhumaneval {
    my $candidate = \\&add;
        if(eq_deeply($candidate->(1, 2),3)) {
        print "ok!" }else{
        exit 1;
        }
        if(eq_deeply($candidate->(20, 2),22)) {
        print "ok!" }else{
        exit 1;
        }
}

testhumaneval();
"""
PERL_ADD = "sub add {\n    my ($a, $b) = @_;\n    return $a + $b;\n}\n"
PERL_WRONG = "sub add {\n    my ($a, $b) = @_;\n    return $a - $b;\n}\n"
PERL_NUMBER = "sub add {\n    my ($a, $b) = @_;\n    return ($a + $b) * 1.0;\n}\n"
PERL_TEXT = 'sub add {\n    my ($a, $b) = @_;\n    return sprintf("%.1f", $a + $b);\n}\n'
PERL_EXIT = "sub add {\n    exit 0;\n}\n"
PERL_OVERLOAD = """\
package Anything;
use overload 'eq' => sub { 1 }, '==' => sub { 1 }, '""' => sub { "3" };
package main;
sub add {
    return bless {}, 'Anything';
}
"""
# Loaded first, a stand-in for Test::Deep exports an eq_deeply that is always true; the
# names are cut so that the guarded path's refusal of `Test::` and `eq_deeply` misses them.
PERL_FAKE_TEST_DEEP = """\
BEGIN {
    my $name = "Te" . "st";
    $INC{"$name/Deep.pm"} = 1;
    no strict 'refs';
    *{"${name}::Deep::import"} = sub { *{"main::eq_" . "deeply"} = sub { 1 } };
}
sub add {
    return 0;
}
"""
PERL_LOOP_TESTS = """\
use Test::Deep;
foreach my $case ([1, 2, 3], [20, 2, 22]) {
    exit 1 unless eq_deeply(add($case->[0], $case->[1]), $case->[2]);
}
"""

BASH_TESTS = """\
candidate() {
    add "$@"
}

set -e
run_test() {
    [[ $(candidate "1" "2") = "3" ]]
    [[ $(candidate "20" "2") = "22" ]]
}

run_test
"""
BASH_ADD = 'add() {\n    echo "$(( $1 + $2 ))"\n}\n'
BASH_WRONG = 'add() {\n    echo "$(( $1 - $2 ))"\n}\n'
BASH_NEWLINES = "add() {\n    printf '%s\\n\\n\\n' \"$(( $1 + $2 ))\"\n}\n"
BASH_OPEN_PROMPT = 'add() {\n    echo "$(( $1 + $2 ))"\n'  # MultiPL-E's prompt, left open
BASH_OPEN_TESTS = "}\n\n" + BASH_TESTS
# The guarded path's token and tests are shell variables the program can read.
BASH_READS_TOKEN = (
    "add() {\n    echo 0\n}\nprintf '\\n\\036VERIFIER_DONE %s\\n' \"$verifier_token\"\nexit 0\n"
)
BASH_READS_TESTS = """\
add() {
    local line
    while IFS= read -r line; do
        if [[ $line == *"candidate \\"$1\\" \\"$2\\")"* ]]; then
            line=${line##*= \\"}
            echo "${line%%\\"*}"
            return
        fi
    done <<< "$verifier_tests"
    echo 0
}
"""
BASH_GLOB_TESTS = BASH_TESTS.replace('"3" ]]', '"3*" ]]').replace('"22" ]]', '"2?" ]]')
BASH_GLOB_LITERAL = 'add() {\n    if [[ $1 == 1 ]]; then echo "3*"; else echo "2?"; fi\n}\n'
BASH_ARITHMETIC_TESTS = BASH_TESTS.replace('= "3" ]]', "-eq 3 ]]").replace('= "22" ]]', "-eq 22 ]]")


CASES: dict[str, tuple[str, str, str, str]] = {
    "php-honest": ("php", PHP_ADD, PHP_TESTS, "accepted"),
    "php-wrong": ("php", PHP_WRONG, PHP_TESTS, "wrong_answer"),
    "php-float-is-not-int": ("php", PHP_FLOAT, PHP_TESTS, "wrong_answer"),
    "php-exit": ("php", PHP_EXIT, PHP_TESTS, "wrong_answer"),
    "php-reads-source": ("php", PHP_READS_SOURCE, PHP_TESTS, "wrong_answer"),
    "php-reads-token": ("php", PHP_READS_TOKEN, PHP_TESTS, "wrong_answer"),
    "php-keys-in-order": ("php", PHP_PAIRS, PHP_PAIRS_TESTS, "accepted"),
    "php-keys-out-of-order": ("php", PHP_PAIRS_SORTED, PHP_PAIRS_TESTS, "wrong_answer"),
    "php-loop-honest": ("php", PHP_ADD, PHP_LOOP_TESTS, "accepted"),
    "php-loop-wrong": ("php", PHP_WRONG, PHP_LOOP_TESTS, "runtime_error"),
    "perl-honest": ("perl", PERL_ADD, PERL_TESTS, "accepted"),
    "perl-wrong": ("perl", PERL_WRONG, PERL_TESTS, "wrong_answer"),
    "perl-number-as-float": ("perl", PERL_NUMBER, PERL_TESTS, "accepted"),
    "perl-text-3.0": ("perl", PERL_TEXT, PERL_TESTS, "wrong_answer"),
    "perl-exit": ("perl", PERL_EXIT, PERL_TESTS, "wrong_answer"),
    "perl-overload": ("perl", PERL_OVERLOAD, PERL_TESTS, "wrong_answer"),
    "perl-fake-test-deep": ("perl", PERL_FAKE_TEST_DEEP, PERL_TESTS, "wrong_answer"),
    "perl-loop-honest": ("perl", PERL_ADD, PERL_LOOP_TESTS, "accepted"),
    "perl-loop-wrong": ("perl", PERL_WRONG, PERL_LOOP_TESTS, "runtime_error"),
    "bash-honest": ("bash", BASH_ADD, BASH_TESTS, "accepted"),
    "bash-wrong": ("bash", BASH_WRONG, BASH_TESTS, "wrong_answer"),
    "bash-trailing-newlines": ("bash", BASH_NEWLINES, BASH_TESTS, "accepted"),
    "bash-open-prompt": ("bash", BASH_OPEN_PROMPT, BASH_OPEN_TESTS, "accepted"),
    "bash-reads-token": ("bash", BASH_READS_TOKEN, BASH_TESTS, "wrong_answer"),
    "bash-reads-tests": ("bash", BASH_READS_TESTS, BASH_TESTS, "wrong_answer"),
    "bash-quoted-glob-literal": ("bash", BASH_GLOB_LITERAL, BASH_GLOB_TESTS, "accepted"),
    "bash-quoted-glob-matches-itself": ("bash", BASH_ADD, BASH_GLOB_TESTS, "wrong_answer"),
    "bash-arithmetic-honest": ("bash", BASH_ADD, BASH_ARITHMETIC_TESTS, "accepted"),
    "bash-arithmetic-wrong": ("bash", BASH_WRONG, BASH_ARITHMETIC_TESTS, "runtime_error"),
}


@pytest.fixture(scope="module")
def results(judge: Judge) -> dict[str, dict[str, Any]]:
    return judge(assert_items(CASES))


@pytest.mark.parametrize("case", list(CASES))
def test_verdict(results: dict[str, dict[str, Any]], case: str) -> None:
    check_verdict(results[case], CASES[case][3])
