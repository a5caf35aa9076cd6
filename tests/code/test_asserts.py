"""Assert tests in the languages with a completion guard, through a real server.

Each language has an `add(a, b)` solution, a wrong one, and programs that try to pass without
their tests running to the end: an early exit (at the top level or inside the function the
tests call) and, where the language has one, a `main` of the program's own. Every item goes
out in one batch. A failed assertion is `wrong_answer` where a driver catches it (TypeScript,
as JavaScript) and otherwise what the language makes of it: a crash or a test framework's
failing exit status, `runtime_error` (as in C, C++ and Ruby). An early `exit(0)` leaves no
proof that the tests finished: `wrong_answer` (or a crash when it happens inside a test
framework that refuses it). The server judges every assert test behind the guard
(`guarded_server`, warm and fresh jails): these plain-call tests would otherwise be judged
as calls (tests/integrity/test_conversion_*.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.server import RunningServer

BATCH_TIMEOUT_S = 600

JAVA_TESTS = """\
class VerifierTests extends Problem {
    public static void main(String[] args) {
        assert add(1, 2) == 3;
        assert add(2, 2) == 4;
    }
}
"""
RUST_TESTS = "fn main() {\n    assert_eq!(add(1, 2), 3);\n    assert_eq!(add(2, 2), 4);\n}\n"
GO_TESTS = """\
func TestAdd(t *testing.T) {
	candidate := add
	if fmt.Sprintf("%v", candidate(1, 2)) != "3" {
		t.Errorf("1 + 2")
	}
	t.Run("two", func(t *testing.T) {
		if candidate(2, 2) != 4 {
			t.Errorf("2 + 2")
		}
	})
}
"""
GO_HEAD = 'package add_test\n\nimport (\n\t"fmt"\n\t"os"\n\t"testing"\n)\n\nvar _ = os.Args\n\n'
LUA_TESTS = """\
lu = require('luaunit')

function test_humaneval()
    local candidate = add
    lu.assertEquals(candidate(1, 2), 3)
    lu.assertEquals(candidate(2, 2), 4)
end

os.exit(lu.LuaUnit.run())
"""
PERL_TESTS = """\
use Test::Deep;

sub testhumaneval {
    my $candidate = \\&add;
    if (eq_deeply($candidate->(1, 2), 3)) { print "ok!" } else { exit 1; }
    if (eq_deeply($candidate->(2, 2), 4)) { print "ok!" } else { exit 1; }
}

testhumaneval();
"""
BASH_TESTS = """\
candidate() {
    add "$@"
}

set -e
run_test() {
    [[ $(candidate 1 2) = "3" ]]
    [[ $(candidate 2 2) = "4" ]]
}

run_test
"""
TS_TESTS = """\
declare var require: any;
const assert = require('node:assert');

function test() {
  let candidate = add;
  assert.deepEqual(candidate(1, 2), 3);
  assert.deepEqual(candidate(2, 2), 4);
}

test();
"""

# language -> check -> (program, tests, verdict)
CASES: dict[str, dict[str, tuple[str, str, str]]] = {
    "java": {
        "accepted": (
            "class Problem {\n    static int add(int a, int b) { return a + b; }\n}\n",
            JAVA_TESTS,
            "accepted",
        ),
        "wrong": (
            "class Problem {\n    static int add(int a, int b) { return a * b; }\n}\n",
            JAVA_TESTS,
            "runtime_error",
        ),
        "exit": (
            "class Problem {\n    static int add(int a, int b) { System.exit(0); return 0; }\n}\n",
            JAVA_TESTS,
            "wrong_answer",
        ),
        "static_exit": (
            "class Problem {\n    static { System.exit(0); }\n"
            "    static int add(int a, int b) { return 0; }\n}\n",
            JAVA_TESTS,
            "wrong_answer",
        ),
        # its own main runs nothing wrong and exits 0: it must not be what runs
        "own_main": (
            "public class Problem {\n    static int add(int a, int b) { return 0; }\n"
            "    public static void main(String[] args) { System.exit(0); }\n}\n",
            JAVA_TESTS,
            "runtime_error",
        ),
        # MultiPL-E's shape: the tests close the program's class and hold its main
        "tests_in_program_class": (
            "class Problem {\n    public static int add(int a, int b) {\n        return a + b;\n",
            "    }\n    public static void main(String[] args) {\n"
            "        assert add(1, 2) == 3;\n    }\n}\n",
            "accepted",
        ),
        # a program class named like a JDK class the entry uses cannot stand in for it
        "shadows_system": (
            "class System { static void exit(int code) {} }\n"
            "class Problem { static int add(int a, int b) { return a + b; } }\n",
            JAVA_TESTS,
            "compile_error",
        ),
    },
    "rust": {
        "accepted": ("fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n", RUST_TESTS, "accepted"),
        "wrong": ("fn add(a: i64, b: i64) -> i64 {\n    a * b\n}\n", RUST_TESTS, "runtime_error"),
        "exit": (
            "fn add(_a: i64, _b: i64) -> i64 {\n    std::process::exit(0)\n}\n",
            RUST_TESTS,
            "wrong_answer",
        ),
        "own_main": (
            "fn add(_a: i64, _b: i64) -> i64 {\n    0\n}\n"
            "fn main() {\n    std::process::exit(0);\n}\n",
            RUST_TESTS,
            "runtime_error",
        ),
        # code run before main could read the token first: refused (the program's doing)
        "before_main": (
            '#[used]\n#[link_section = ".init_array"]\nstatic INIT: extern "C" fn() = init;\n'
            'extern "C" fn init() {}\nfn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n',
            RUST_TESTS,
            "compile_error",
        ),
    },
    "go": {
        "accepted": (GO_HEAD + "func add(a, b int) int { return a + b }\n", GO_TESTS, "accepted"),
        "wrong": (GO_HEAD + "func add(a, b int) int { return a * b }\n", GO_TESTS, "runtime_error"),
        "exit": (
            GO_HEAD + "func add(a, b int) int {\n\tos.Exit(0)\n\treturn 0\n}\n",
            GO_TESTS,
            "wrong_answer",
        ),
        "init_exit": (
            GO_HEAD + "func init() { os.Exit(0) }\n\nfunc add(a, b int) int { return a + b }\n",
            GO_TESTS,
            "wrong_answer",
        ),
        "own_main": (
            GO_HEAD + "func add(a, b int) int { return 0 }\n\nfunc main() { os.Exit(0) }\n",
            GO_TESTS,
            "runtime_error",
        ),
        # the guard runs a fixed list of tests: a program that starts it itself only runs
        # the same tests sooner
        "calls_the_guard": (
            GO_HEAD + "func init() {\n\tverifier_start <- struct{}{}\n}\n\n"
            "func add(a, b int) int { return 0 }\n",
            GO_TESTS,
            "runtime_error",
        ),
        # no package clause, imports or test of its own: the service supplies what is missing
        "bare_function": ("func add(a, b int) int { return a + b }\n", GO_TESTS, "accepted"),
        "cgo": (
            'package main\n\n// int f(void) { return 1; }\nimport "C"\n\n'
            "func add(a, b int) int { return a + b }\n",
            GO_TESTS,
            "compile_error",
        ),
    },
    "lua": {
        "accepted": ("local function add(a, b)\n  return a + b\nend\n", LUA_TESTS, "accepted"),
        "wrong": ("local function add(a, b)\n  return a * b\nend\n", LUA_TESTS, "runtime_error"),
        "exit": (
            "local function add(a, b)\n  return 0\nend\nos.exit(0)\n",
            LUA_TESTS,
            "wrong_answer",
        ),
        "return": (
            "local function add(a, b)\n  return 0\nend\ndo return end\n",
            LUA_TESTS,
            "wrong_answer",
        ),
        # without luaunit: plain asserts, and an exit inside the function they call
        "plain_exit": (
            "local function add(a, b)\n  os.exit(0)\nend\n",
            "assert(add(1, 2) == 3)\n",
            "wrong_answer",
        ),
        "plain_accepted": (
            "function add(a, b) return a + b end\n",
            "assert(add(1, 2) == 3)\n",
            "accepted",
        ),
        # the debug library would reach the token: the program has none
        "no_debug": (
            "local function add(a, b) return a + b end\n"
            "assert(debug == nil and package.loadlib == nil)\n",
            LUA_TESTS,
            "accepted",
        ),
    },
    "perl": {
        "accepted": (
            "sub add {\n    my ($a, $b) = @_;\n    return $a + $b;\n}\n",
            PERL_TESTS,
            "accepted",
        ),
        "wrong": (
            "sub add {\n    my ($a, $b) = @_;\n    return $a * $b;\n}\n",
            PERL_TESTS,
            "runtime_error",
        ),
        "exit": ("sub add {\n    exit 0;\n}\n", PERL_TESTS, "wrong_answer"),
        "top_exit": ("sub add { return 0 }\nexit 0;\n", PERL_TESTS, "wrong_answer"),
        # __END__ ends the program only: the tests still run (and fail)
        "end_marker": ("sub add { return 0 }\n__END__\nnotes\n", PERL_TESTS, "runtime_error"),
        # an override of a builtin (exit here) is removed by the driver before the tests
        # compile: the tests' `exit 1` still fails the run
        "exit_override": (
            "BEGIN { *CORE::GLOBAL::exit = sub { 1 } }\nsub add { return 0 }\n",
            PERL_TESTS,
            "runtime_error",
        ),
    },
    "bash": {
        "accepted": ("add() {\n    echo $(( $1 + $2 ))\n}\n", BASH_TESTS, "accepted"),
        "wrong": ("add() {\n    echo $(( $1 * $2 ))\n}\n", BASH_TESTS, "runtime_error"),
        "exit": ("add() {\n    echo 0\n}\nexit 0\n", BASH_TESTS, "wrong_answer"),
        "exit_in_function": (
            "add() {\n    echo 0\n}\nfinish() {\n    exit 0\n}\nfinish\n",
            BASH_TESTS,
            "wrong_answer",
        ),
        # `return` ends only the sourced program; the tests still run (and fail)
        "return": ("add() {\n    echo 0\n}\nreturn 0\n", BASH_TESTS, "runtime_error"),
        # an unclosed here-document swallows nothing after the program
        "heredoc": ("add() {\n    echo 0\n}\ncat <<'run_test'\n", BASH_TESTS, "runtime_error"),
        # tests that do not parse never pass
        "tests_do_not_parse": (
            "add() {\n    echo $(( $1 + $2 ))\n}\n",
            "}\n" + BASH_TESTS,
            "runtime_error",
        ),
    },
    "typescript": {
        "accepted": (
            "function add(a: number, b: number): number {\n    return a + b;\n}\n",
            TS_TESTS,
            "accepted",
        ),
        "wrong": (
            "function add(a: number, b: number): number {\n    return a * b;\n}\n",
            TS_TESTS,
            "wrong_answer",
        ),
        "exit": (
            "function add(a: number, b: number): number {\n    process.exit(0);\n}\n",
            TS_TESTS,
            "wrong_answer",
        ),
        # a module (it exports) whose `main` would run only as the main module
        "module": (
            "export function add(a: number, b: number): number {\n    return a + b;\n}\n"
            "function main(): void {\n    process.exit(0);\n}\n"
            "if (require.main === module) {\n    main();\n}\n",
            TS_TESTS,
            "accepted",
        ),
    },
    "cpp": {
        # NDEBUG or an `assert` macro of the program's own does not mute the tests' asserts
        "ndebug": (
            "#define NDEBUG\n#include <bits/stdc++.h>\nint add(int a, int b) { return 0; }\n",
            "int main() {\n  assert(add(1, 2) == 3);\n}\n",
            "runtime_error",
        ),
    },
}
CHECKS = [(language, check) for language, checks in CASES.items() for check in checks]


@pytest.fixture(scope="module")
def verdicts(guarded_server: RunningServer) -> Iterator[dict[str, dict[str, Any]]]:
    """Every case, judged in one batch: result by `language/check`."""
    items = [
        {
            "task": "code",
            "id": f"{language}/{check}",
            "language": language,
            "response": f"```{language}\n{program}```\n",
            "tests": {"kind": "assert", "code": tests},
        }
        for language, checks in CASES.items()
        for check, (program, tests, _) in checks.items()
    ]
    with httpx.Client(base_url=guarded_server.base_url, timeout=BATCH_TIMEOUT_S) as http:
        response = http.post("/v1/verify", json={"items": items})
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    yield {str(result["id"]): result for result in results}


@pytest.mark.parametrize(
    ("language", "check"), CHECKS, ids=[f"{lang}-{check}" for lang, check in CHECKS]
)
def test_assert_verdicts(verdicts: dict[str, dict[str, Any]], language: str, check: str) -> None:
    result = verdicts[f"{language}/{check}"]
    expected = CASES[language][check][2]
    assert result["verdict"] == expected, json.dumps(result, indent=1)
    if expected == "accepted":
        assert result["reward"] == 1.0
    elif expected == "error":
        assert result["reward"] is None  # refused: never accepted unproven
    else:
        assert result["reward"] == 0.0


def test_every_new_guard_refuses_an_early_exit() -> None:
    """Each guarded language has a passing case and one whose early exit does not pass."""
    for language in ("java", "rust", "go", "lua", "perl", "bash", "typescript"):
        assert CASES[language]["accepted"][2] == "accepted"
        assert CASES[language]["exit"][2] != "accepted"
