"""Turn an item's tests into jail runs: stdin, an optional driver command, and an output check.

- stdio: the program itself, one run per case, checked by a built-in checker;
- functional: a driver (sandboxes/harness/functional.*) reads the call from stdin before the
  program loads, calls the entry point and prints the JSON result last;
- assert: in Python and JavaScript a driver reads a one-time token and the tests from stdin
  before the program loads (so the program cannot read its tests), runs the program then the
  tests, and prints the token only if both ran to the end, so exiting early never passes; in
  C and C++ the program's own `main` and the tests' `main` are renamed and a generated `main`
  prints the token after the tests returned; in Ruby and PHP the token is printed by an
  epilogue after the tests; other languages have no guard yet, so their assert tests are
  refused (never accepted unproven).
"""

from __future__ import annotations

import json
import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from verifier_service.code import checkers
from verifier_service.code.languages import BOX, Language
from verifier_service.schemas.requests import (
    AssertTests,
    CheckerProgram,
    CodeItem,
    FunctionalTests,
    StdioTests,
)

HARNESS_DIR = Path(__file__).resolve().parents[2] / "sandboxes" / "harness"
CPP_FUNCTIONAL_HEADER = "functional.hpp"
RESULT_MARKER = b"\x1eVERIFIER_RESULT "
DONE_MARKER = b"\x1eVERIFIER_DONE "


@dataclass(frozen=True, slots=True)
class Driver:
    """How one language runs functional or assert tests: a driver file and its command."""

    file: str
    command: tuple[str, ...]


FUNCTIONAL_DRIVERS = {
    "python": Driver("functional.py", ("/usr/bin/python3", "-I", f"{BOX}/{{driver}}", "{source}")),
    "javascript": Driver("functional.js", ("/usr/bin/node", f"{BOX}/{{driver}}", "{source}")),
}
ASSERT_DRIVERS = {
    "python": Driver("asserts.py", ("/usr/bin/python3", "-I", f"{BOX}/{{driver}}", "{source}")),
    "javascript": Driver("asserts.js", ("/usr/bin/node", f"{BOX}/{{driver}}", "{source}")),
}


@dataclass(frozen=True, slots=True)
class TestRun:
    stdin: bytes
    check: Callable[[bytes], bool]
    command: tuple[str, ...] | None = None  # None: the language's own `run`


@dataclass(frozen=True, slots=True)
class TestPlan:
    code: str
    files: tuple[tuple[str, str], ...]  # extra files beside the program: (name, content)
    tests: list[TestRun]


class CheckerFailedError(RuntimeError):
    """A checker program crashed or answered neither accept nor reject."""


# A checker program, ready to run: (input, expected, actual) -> accepted?
ExternalChecker = Callable[[bytes, bytes, bytes], bool]


def plan_tests(
    item: CodeItem, language: Language, code: str, external: ExternalChecker | None = None
) -> TestPlan | str:
    """The runs for this item, or why its tests cannot run in this language."""
    tests = item.tests
    if isinstance(tests, StdioTests):
        return _stdio(tests, code, external)
    if isinstance(tests, FunctionalTests):
        return _functional(tests, language, code)
    return _asserts(tests, language, code)


def _stdio(tests: StdioTests, code: str, external: ExternalChecker | None) -> TestPlan | str:
    if isinstance(tests.checker, CheckerProgram):
        if external is None:
            return "the checker program is not available"
        runs = [
            TestRun(
                case.stdin.encode(), partial(external, case.stdin.encode(), case.stdout.encode())
            )
            for case in tests.cases
        ]
        return TestPlan(code, (), runs)
    compare: checkers.Checker
    if tests.checker == "float":
        compare = partial(checkers.floats, abs_tol=tests.abs_tol, rel_tol=tests.rel_tol)
    else:
        compare = checkers.BUILT_IN[tests.checker]
    runs = [
        TestRun(case.stdin.encode(), partial(_expect, compare, case.stdout.encode()))
        for case in tests.cases
    ]
    return TestPlan(code, (), runs)


def _expect(compare: checkers.Checker, expected: bytes, actual: bytes) -> bool:
    return compare(expected, actual)


def _functional(tests: FunctionalTests, language: Language, code: str) -> TestPlan | str:
    if language.name in GENERATED_FUNCTIONAL:
        return GENERATED_FUNCTIONAL[language.name](tests, code)
    driver = FUNCTIONAL_DRIVERS.get(language.name)
    if driver is None:
        return f"functional tests are not supported for {language.display} yet"
    command = _driver_command(driver)
    runs = [
        TestRun(
            json.dumps({"entry_point": tests.entry_point, "args": case.args}).encode(),
            partial(_returned, case.expected),
            command,
        )
        for case in tests.cases
    ]
    return TestPlan(code, _driver_files(driver), runs)


def _cpp_functional(tests: FunctionalTests, code: str) -> TestPlan:
    """One program for every case (so it compiles once): stdin picks the case to call.

    The program's own `main`, if any, is renamed away; the arguments become C++ literals
    (braced lists convert to the parameter types); the expected values stay outside the jail.
    """
    calls = "\n".join(
        f"    case {index}: verifier::result({tests.entry_point}({_cpp_arguments(case.args)}));"
        " break;"
        for index, case in enumerate(tests.cases)
    )
    source = (
        f"#define main verifier_program_main\n{code}\n#undef main\n"
        f'#include "{BOX}/{CPP_FUNCTIONAL_HEADER}"\n'
        "int main() {\n  int verifier_case = -1;\n  if (!(std::cin >> verifier_case)) return 2;\n"
        f"  switch (verifier_case) {{\n{calls}\n    default: return 2;\n  }}\n  return 0;\n}}\n"
    )
    runs = [
        TestRun(f"{index}\n".encode(), partial(_returned, case.expected))
        for index, case in enumerate(tests.cases)
    ]
    header = (HARNESS_DIR / CPP_FUNCTIONAL_HEADER).read_text(encoding="utf-8")
    return TestPlan(source, ((CPP_FUNCTIONAL_HEADER, header),), runs)


def _cpp_arguments(arguments: list[Any]) -> str:
    return ", ".join(_cpp_literal(argument) for argument in arguments)


def _cpp_literal(value: Any) -> str:
    """A JSON value as a C++ expression that converts to the parameter's type."""
    if value is None:
        return "{}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value}LL" if abs(value) > 2**31 - 1 else str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            sign = "-" if value < 0 else ""
            kind = "quiet_NaN" if math.isnan(value) else "infinity"
            return f"{sign}std::numeric_limits<double>::{kind}()"
        return repr(value)
    if isinstance(value, str):
        return _cpp_string(value)
    if isinstance(value, list):
        return "{" + ", ".join(_cpp_literal(item) for item in value) + "}"
    pairs = (f"{{{_cpp_string(str(k))}, {_cpp_literal(v)}}}" for k, v in value.items())
    return "{" + ", ".join(pairs) + "}"


def _cpp_string(text: str) -> str:
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\{ord(char):03o}")
        else:
            escaped.append(char)
    return 'std::string("' + "".join(escaped) + '")'


GENERATED_FUNCTIONAL = {"cpp": _cpp_functional, "cpp20": _cpp_functional}


def _asserts(tests: AssertTests, language: Language, code: str) -> TestPlan | str:
    token = secrets.token_hex(16)
    driver = ASSERT_DRIVERS.get(language.name)
    if driver is not None:
        stdin = f"{token}\n{tests.code}".encode()
        run = TestRun(stdin, partial(_finished, token.encode()), _driver_command(driver))
        return TestPlan(code, _driver_files(driver), [run])
    epilogue = ASSERT_EPILOGUES.get(language.name)
    if epilogue is not None:
        run = TestRun(f"{token}\n".encode(), partial(_finished, token.encode()))
        return TestPlan(epilogue(code, tests.code), (), [run])
    if language.name not in C_FAMILY:
        # Without a completion guard a program could skip its tests (exit early, its own
        # Java main) and exit 0: never accept what was not proven to have run.
        return f"assert tests are not supported for {language.display} yet"
    guarded = _c_family_asserts(code, tests.code)
    if guarded is None:
        return "assert tests in C/C++ need an `int main(...) { ... }` to run"
    run = TestRun(f"{token}\n".encode(), partial(_finished, token.encode()))
    return TestPlan(guarded, (), [run])


def _c_family_asserts(code: str, tests: str) -> str | None:
    """The tests' `main` becomes a function that returns 0 at its end; the real main prints
    the stdin token only after it returned, so `exit(0)` in the program never passes.
    None when the tests have no `int main(...) {...}` to rename."""
    start = _C_MAIN.search(tests)
    if start is None:
        return None
    close = _closing_brace(tests, start.end() - 1)
    if close is None:
        return None
    renamed = (
        tests[: start.start()]
        + "int verifier_tests_main(void) {"
        + tests[start.end() : close]
        + "\n  return 0;\n"
        + tests[close:]
    )
    return (
        f"#define main verifier_program_main\n{code}\n#undef main\n{renamed}\n"
        "#include <stdio.h>\n"
        "int main(void) {\n"
        "  char verifier_token[64] = {0};\n"
        '  if (scanf("%63s", verifier_token) != 1) return 2;\n'
        "  verifier_tests_main();\n"
        '  printf("\\n\\036VERIFIER_DONE %s\\n", verifier_token);\n'
        "  return 0;\n"
        "}\n"
    )


def _closing_brace(text: str, open_index: int) -> int | None:
    """The `}` matching the `{` at `open_index`, skipping string/char literals and comments."""
    depth = 0
    index = open_index
    while index < len(text):
        literal = _C_SKIP.match(text, index)
        if literal:
            index = literal.end()
            continue
        char = text[index]
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return index
        index += 1
    return None


def _ruby_asserts(code: str, tests: str) -> str:
    """Program, tests, then the stdin token: an early `exit` never reaches it (test/unit's
    at_exit runner still sets a failing exit status)."""
    return (
        f"{code}\n{tests}\n"
        '$stdout.write("\\n\\x1eVERIFIER_DONE " + STDIN.gets.to_s.strip + "\\n")\n'
        "$stdout.flush\n"
    )


def _php_asserts(code: str, tests: str) -> str:
    """As Ruby; a closing `?>` at the end of the program is dropped so the tests run as code
    (any other `?>` turns tests and token into printed text, which never passes)."""
    program = code.rstrip()
    program = program[: -len("?>")] if program.endswith("?>") else program
    tests = tests.lstrip()
    tests = tests[len("<?php") :] if tests.startswith("<?php") else tests
    if not program.lstrip().startswith("<?php"):
        program = "<?php\n" + program
    return (
        f"{program}\n{tests}\n"
        'echo "\\n\\x1eVERIFIER_DONE " . trim((string) fgets(STDIN)) . "\\n";\n'
    )


ASSERT_EPILOGUES: dict[str, Callable[[str, str], str]] = {
    "ruby": _ruby_asserts,
    "php": _php_asserts,
}
C_FAMILY = frozenset({"c", "cpp", "cpp20"})
_C_MAIN = re.compile(r"\bint\s+main\s*\([^)]*\)\s*\{")
_C_SKIP = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|//[^\n]*|/\*.*?\*/', re.S)


def _driver_command(driver: Driver) -> tuple[str, ...]:
    return tuple(part.replace("{driver}", driver.file) for part in driver.command)


def _driver_files(driver: Driver) -> tuple[tuple[str, str], ...]:
    return ((driver.file, (HARNESS_DIR / driver.file).read_text(encoding="utf-8")),)


def _returned(expected: Any, stdout: bytes) -> bool:
    marker = stdout.rfind(RESULT_MARKER)
    if marker < 0:
        return False
    line = stdout[marker + len(RESULT_MARKER) :].split(b"\n", 1)[0]
    try:
        actual = json.loads(line)
    except ValueError:
        return False
    return _same(expected, actual)


def _same(expected: Any, actual: Any) -> bool:
    """JSON equality; numbers compare by value (1 == 1.0), NaN never equals, bool is not int."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return not (math.isnan(expected) or math.isnan(actual)) and expected == actual
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(map(_same, expected, actual))
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(
            _same(expected[k], actual[k]) for k in expected
        )
    return type(expected) is type(actual) and bool(expected == actual)


def _finished(token: bytes, stdout: bytes) -> bool:
    """The one-time token was printed on a line of its own: the tests ran to their end.

    (A test runner may print its report after it, at exit; the exit status judges that.)"""
    line = DONE_MARKER + token
    return stdout.rstrip().endswith(line) or line + b"\n" in stdout
