"""Turn an item's tests into jail runs: stdin, an optional driver command, and an output check.

- stdio: the program itself, one run per case, checked by a built-in checker;
- functional: a driver (sandboxes/harness/functional.*) reads the call from stdin before the
  program loads, calls the entry point and prints the JSON result last;
- assert: a one-time token comes on stdin and is printed only once the tests ran to their
  end (`_finished`); the exit status judges the rest, so exiting early never passes. Python,
  JavaScript, Ruby, Lua, Perl and Bash: a driver (sandboxes/harness/asserts.*) reads the token
  and the tests before the program loads, runs the program then the tests, and prints the
  token; TypeScript: program and tests compile as one file that the JavaScript driver splits
  and runs; C, C++,
  Java, Rust and Go: the tests' entry point (and the program's own) is renamed and a
  generated one reads the token (Java, Rust, Go: before any code of the program runs), calls
  the tests and prints it; PHP: an epilogue after the tests prints it. Other
  languages have no guard, so their assert tests are refused (never accepted unproven).
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

from verifier_service.code import braces, checkers, overrides
from verifier_service.code.conversion import Conversion, convert_asserts
from verifier_service.code.guards.java import explicit_asserts
from verifier_service.code.languages import BOX, Language
from verifier_service.code.rust_refusals import rust_before_main
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
    "lua": Driver("asserts.lua", ("/usr/bin/lua5.4", f"{BOX}/{{driver}}", "{source}")),
    "perl": Driver("asserts.pl", ("/usr/bin/perl", f"{BOX}/{{driver}}", "{source}")),
    "bash": Driver("asserts.sh", ("/usr/bin/bash", f"{BOX}/{{driver}}", "{source}")),
    "ruby": Driver("asserts.rb", ("/usr/bin/ruby", f"{BOX}/{{driver}}", "{source}")),
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


class Refusal(str):
    """Why the program itself is refused before it runs (its fault: `compile_error`, reward 0),
    as opposed to the plain `str` of tests that cannot run (`error`, reward null)."""


def plan_tests(
    item: CodeItem,
    language: Language,
    code: str,
    external: ExternalChecker | None = None,
    *,
    convert: bool = False,
) -> TestPlan | Conversion | str:
    """The runs for this item, or why its tests cannot run in this language. With `convert`,
    assert tests that are only plain calls compared with values come back as a `Conversion`
    (judged outside the program's process, `conversion/`)."""
    tests = item.tests
    if isinstance(tests, StdioTests):
        return _stdio(tests, code, external)
    if isinstance(tests, FunctionalTests):
        return _functional(tests, language, code)
    if convert:
        conversion = convert_asserts(language.name, code, tests.code)
        if conversion is not None:
            return conversion
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
    override = overrides.script_override(language.name, code)
    if override is not None:
        return Refusal(
            f"assert tests refuse programs that write `{override}`: it could redefine the "
            "tests' equality or their test library"
        )
    token = secrets.token_hex(16)
    check = partial(_finished, token.encode())
    driver = ASSERT_DRIVERS.get(language.name)
    if driver is not None:
        stdin = ASSERT_INPUTS.get(language.name, _driver_input)(token, tests.code)
        run = TestRun(stdin.encode(), check, _driver_command(driver))
        return TestPlan(code, _driver_files(driver), [run])
    epilogue = ASSERT_EPILOGUES.get(language.name)
    if epilogue is not None:
        run = TestRun(f"{token}\n".encode(), check)
        return TestPlan(epilogue(code, tests.code), (), [run])
    generate = ASSERT_GENERATED.get(language.name)
    if generate is None:
        # Without a completion guard a program could skip its tests (exit early, its own
        # main) and exit 0: never accept what was not proven to have run.
        return f"assert tests are not supported for {language.display} yet"
    guarded = generate(code, tests.code, language)
    if isinstance(guarded, str):
        return guarded
    run = TestRun(f"{token}\n".encode(), check, guarded.command)
    return TestPlan(guarded.code, guarded.files, [run])


@dataclass(frozen=True, slots=True)
class GuardedProgram:
    """Program and tests joined with a generated entry point that prints the stdin token only
    after the tests returned."""

    code: str
    command: tuple[str, ...] | None = None  # None: the language's own `run`
    files: tuple[tuple[str, str], ...] = ()


def _driver_input(token: str, tests: str) -> str:
    return f"{token}\n{tests}"


def _lua_input(token: str, tests: str) -> str:
    """Token, the value that ends the tests, then the tests. luaunit suites end with
    `os.exit(lu.LuaUnit.run())`, which would exit before anything after it: that last line
    is taken out and its value, which the tests' chunk returns, decides whether the driver
    prints the token (an `os.exit` anywhere else stays a real exit without the token)."""
    lines = tests.rstrip().split("\n")
    status = "true"
    ending = _LUA_EXIT.match(lines[-1])
    if ending is not None:
        status = ending.group(1).strip() or "true"
        lines.pop()
    return f"{token}\n{status}\n" + "\n".join(lines) + "\n"


def _c_family_asserts(code: str, tests: str, language: Language) -> GuardedProgram | str:
    """The tests' `main` becomes a function that returns 0 at its end; the real main
    (`asserts_main.c`) reads the stdin token first, with raw reads into a local (never
    stdio's buffer), and prints it only after that function returned, so `exit(0)` in the
    program never passes.
    `assert` is defined afresh before the tests, and every macro of the program undefined: a
    program's NDEBUG, own `assert` or other macro does not rewrite them. A program defining a
    comparison operator between two standard types is refused (`overrides.py`)."""
    masked = _mask(code, _C_SKIP)
    override = overrides.cpp_comparison_override(masked)
    if override is not None:
        return Refusal(f"assert tests refuse programs that define `{override}` for a std type")
    start = _C_MAIN.search(tests)
    close = None if start is None else _closing_brace(tests, start.end() - 1)
    if start is None or close is None:
        return "assert tests in C/C++ need an `int main(...) { ... }` to run"
    undefined = "".join(f"#undef {name}\n" for name in overrides.c_macros(masked))
    renamed = (
        tests[: start.start()]
        + "int verifier_tests_main(void) {"
        + tests[start.end() : close]
        + "\n  return 0;\n"
        + tests[close:]
    )
    return GuardedProgram(
        f"#define main verifier_program_main\n{code}\n#undef main\n{undefined}"
        f"#undef NDEBUG\n#include <assert.h>\n{renamed}\n"
        f"{(HARNESS_DIR / C_ENTRY).read_text(encoding='utf-8')}"
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


def _java_asserts(code: str, tests: str, language: Language) -> GuardedProgram | str:
    """The tests' `main` is renamed and called by a generated entry class, which the run
    command names whatever else declares a `main`: it reads the token before any class of
    the program is initialized, keeps it in a local and prints it after the tests' main
    returned. `System.exit(0)` ends the JVM before that; the tests' `assert` statements are
    explicit checks (`guards/java.py`, whatever assertion status the program set), a failed
    one an uncaught AssertionError. The program's own `main` methods are renamed too (a test
    class may share a class with them). The entry reaches the JDK through single-type imports,
    which a program class of the same name cannot shadow (that is a compile error)."""
    if "{main}" not in language.run:
        return f"assert tests need `{{main}}` in the run command of {language.display}"
    if overrides.java_equals_override(_mask(code, _JAVA_SKIP)):
        return Refusal("assert tests refuse programs that redefine equals() in a JDK subtype")
    program, _ = _rename(code, _JAVA_SKIP, _JAVA_MAIN, JAVA_PROGRAM_MAIN)
    checked = explicit_asserts(tests, _mask(tests, _JAVA_SKIP))
    renamed, found = _rename(checked, _JAVA_SKIP, _JAVA_MAIN, JAVA_TESTS_MAIN, count=1)
    if not found:
        return "assert tests in Java need a `static void main(String[] args)` to run"
    joined = f"{program}\n{renamed}\n"
    masked = _mask(joined, _JAVA_SKIP)
    tests_main = re.compile(rf"\bvoid\s+{JAVA_TESTS_MAIN}\s*\(")
    call = tests_main.search(masked, len(program) + 1)
    owner = None if call is None else _java_owner(masked, call.start())
    if owner is None:
        # Tests that stand on their own (balanced braces) with their main in no named class
        # are at fault; otherwise the program's braces put the tests' main outside one.
        alone = _mask(renamed, _JAVA_SKIP)
        call = tests_main.search(alone)
        if braces.balanced(alone) and (call is None or _java_owner(alone, call.start()) is None):
            return "the tests' `main` must be a method of a named class"
        return Refusal("the program's braces leave the tests' `main` out of a class body")
    package = _JAVA_PACKAGE.match(masked)
    split = package.end() if package else 0
    entry = (
        f"final class {JAVA_ENTRY} {{\n"
        "    public static void main(String[] args) throws Throwable {\n"
        "        FileInputStream in = new FileInputStream(FileDescriptor.in);\n"
        "        StringBuilder token = new StringBuilder();\n"
        "        for (int c = in.read(); c >= 0 && c != '\\n'; c = in.read()) {\n"
        "            token.append((char) c);\n"
        "        }\n"
        f"        {owner}.{JAVA_TESTS_MAIN}(args);\n"
        '        System.out.print("\\n\\036VERIFIER_DONE " + token.toString().trim() + "\\n");\n'
        "        System.out.flush();\n"
        "    }\n"
        "}\n"
    )
    source = joined[:split] + _JAVA_IMPORTS + joined[split:] + entry
    command = tuple(JAVA_ENTRY if part == "{main}" else part for part in language.run)
    return GuardedProgram(source, command)


def _java_owner(masked: str, position: int) -> str | None:
    """The (nested) class whose body holds `position`, as `Outer.Inner`; None when a body
    around it is not a named type's (a method, an anonymous class) or there is none."""
    stack: list[str | None] = []
    header = 0
    for index in range(position):
        char = masked[index]
        if char == "{":
            named = _JAVA_TYPE.search(masked, header, index)
            stack.append(named.group(1) if named else None)
        elif char == "}" and stack:
            stack.pop()
        if char in "{};":
            header = index + 1
    names = [name for name in stack if name is not None]
    return ".".join(names) if stack and len(names) == len(stack) else None


def _rust_asserts(code: str, tests: str, language: Language) -> GuardedProgram | str:
    """The tests' `fn main` is renamed; a generated `main` reads the token first (no code of
    the program runs before `main` in Rust), keeps it in a local and prints it after the
    tests' main returned (Ok, when it returns a Result). `std::process::exit(0)` ends the
    process before that; a failed `assert!` panics (exit 101). The entry names everything
    from `::std`, which no item of the program can shadow. Programs that could run code
    before `main` or replace a libc symbol (`link_section`, `no_mangle`, `export_name`,
    `global_asm!`), or the tests' comparisons and assertions (`overrides.py`), are refused."""
    masked = _mask(code, _RUST_SKIP)
    refused = rust_before_main(masked)
    if refused is not None:
        return Refusal(f"assert tests in Rust refuse programs that use `{refused}`")
    override = overrides.rust_comparison_override(masked)
    if override is not None:
        return Refusal(f"assert tests refuse programs that define `{override}`")
    program, _ = _rename(code, _RUST_SKIP, _RUST_MAIN, RUST_PROGRAM_MAIN, top_level=True)
    renamed, found = _rename(
        tests, _RUST_SKIP, _RUST_MAIN, RUST_TESTS_MAIN, top_level=True, count=1
    )
    if not found:
        return "assert tests in Rust need a `fn main() { ... }` to run"
    entry = (HARNESS_DIR / RUST_ENTRY).read_text(encoding="utf-8")
    return GuardedProgram(f"#![allow(dead_code)]\n{program}\n{renamed}\n{entry}")


def _go_asserts(code: str, tests: str, language: Language) -> GuardedProgram | str:
    """Go tests are `go test` functions (`func TestX(t *testing.T)`) or a `func main()`. The
    program becomes package main with its own `main` renamed. The first package-level
    variable, initialized before any of the program's and before every `init`, reads the
    token with raw reads and hands it to a goroutine of its own (`asserts_main.go`), which
    the generated `main` starts: it runs the tests (a fixed list) through `testing.Main` and
    prints the token once the last of them finished with none failed or skipped. The token
    is in no package-level variable or closure. `os.Exit(0)` ends the process before it; a
    failed test makes `testing.Main` exit 1, a panic 2. cgo is refused (`import "C"`: its C
    code could run before Go's initialization)."""
    masked = _mask(code, _GO_SKIP)
    package = _GO_PACKAGE.match(masked)
    if package is None:
        code, masked = "package main\n" + code, "package main\n" + masked
        package = _GO_PACKAGE.match(masked)
        assert package is not None
    imports_end, imported = _go_imports(code, masked, package.end())
    if "C" in imported.values():
        return Refusal('assert tests in Go refuse cgo programs (`import "C"`)')
    masked_tests = _mask(tests, _GO_SKIP)
    names = [found.group(2) for found in _GO_TEST.finditer(masked_tests)]
    calls = [f'{{Name: "{name}", F: {name}}}' for name in names]
    tests, found = _rename(tests, _GO_SKIP, _GO_MAIN, GO_TESTS_MAIN, count=1)
    if found:
        calls.append(f'{{Name: "main", F: func(*verifier_testing.T) {{ {GO_TESTS_MAIN}() }}}}')
    if not calls:
        return "assert tests in Go need `func TestX(t *testing.T)` functions or a `func main()`"
    needed = "".join(
        f'\t"{name}"\n'
        for name in GO_TEST_PACKAGES
        if name not in imported and re.search(rf"\b{name}\.", masked_tests)
    )
    body, _ = _rename(code[imports_end:], _GO_SKIP, _GO_MAIN, GO_PROGRAM_MAIN)
    for name in names:  # a test of the program's own by the same name is set aside
        body, _ = _rename(body, _GO_SKIP, _go_test(name), f"verifier_program_{name}")
    listed = "".join(f"\t\t{call},\n" for call in calls)
    source = (
        f"{code[: package.start()]}package main\n\n{_GO_IMPORTS}{needed})\n"
        f"{code[package.end() : imports_end]}\n\n"
        "var verifier_start = verifier_prepare()\n\n"
        f"{body}\n\n{tests}\n\n{(HARNESS_DIR / GO_ENTRY).read_text(encoding='utf-8')}\n"
        "type verifier_suite struct{}\n\n"
        "func (verifier_suite) verifier_tests() []verifier_testing.InternalTest {\n"
        f"\treturn []verifier_testing.InternalTest{{\n{listed}\t}}\n}}\n\n"
        "func main() {\n\tverifier_start <- struct{}{}\n\tselect {}\n}\n"
    )
    return GuardedProgram(source)


def _go_test(name: str) -> re.Pattern[str]:
    return re.compile(_GO_TEST_SIGNATURE.format(re.escape(name) + r"\b"))


def _go_imports(code: str, masked: str, start: int) -> tuple[int, dict[str, str]]:
    """Where the import declarations after the package clause end, and what they import
    (name in the file -> path)."""
    imported: dict[str, str] = {}
    position = start
    while (found := _GO_IMPORT.match(masked, position)) is not None:
        rest = code[found.end() :]
        spec = found.end() + len(rest) - len(rest.lstrip())  # the spec's quote, or `(`
        if code.startswith("(", spec):
            close = masked.find(")", spec)
            end = len(masked) if close < 0 else close + 1
        else:
            newline = masked.find("\n", spec)
            end = len(masked) if newline < 0 else newline
        for named in _GO_IMPORT_SPEC.finditer(code, found.end(), end):
            path = named.group(2)
            imported[named.group(1) or path.rsplit("/", 1)[-1]] = path
        position = end
    return position, imported


def _typescript_asserts(code: str, tests: str, language: Language) -> GuardedProgram:
    """Program and tests compile as one file (tsc type-checks the tests against the program),
    with a marker statement between them that names a nonce the program cannot have written;
    the JavaScript driver splits the compiled file there and runs the two parts as it runs a
    JavaScript program and its tests (the tests in a scope of their own). It reads the token
    before it loads the compiled file and prints it only if the tests ran to their end:
    `process.exit(0)` never passes, and a failed assertion is a wrong answer as in JavaScript."""
    nonce = secrets.token_hex(8)
    driver = ASSERT_DRIVERS["javascript"]
    command = (*_driver_command(driver)[:-1], f"{BOX}/{{stem}}.js", nonce)
    source = f'{code}\n;\n"verifier tests {nonce}";\n{tests}\n'
    return GuardedProgram(source, command, _driver_files(driver))


def _mask(text: str, skip: re.Pattern[str]) -> str:
    """`text` with the literals and comments that `skip` matches blanked (newlines kept), so
    that patterns searched in it match code only, at the same offsets."""
    return skip.sub(lambda literal: _NOT_NEWLINE.sub(" ", literal.group(0)), text)


def _rename(
    text: str,
    skip: re.Pattern[str],
    pattern: re.Pattern[str],
    name: str,
    *,
    top_level: bool = False,
    count: int = 0,
) -> tuple[str, int]:
    """`text` with the name between `pattern`'s groups 1 and 2 replaced by `name` where it
    matches code (outside every brace when `top_level`), at most `count` times (0: all);
    and how many were replaced."""
    masked = _mask(text, skip)
    parts: list[str] = []
    last = done = 0
    for found in pattern.finditer(masked):
        if count and done == count:
            break
        if top_level and masked.count("{", 0, found.start()) != masked.count("}", 0, found.start()):
            continue
        parts.append(text[last : found.start()] + found.expand(rf"\g<1>{name}\g<2>"))
        last = found.end()
        done += 1
    return "".join(parts) + text[last:], done


def _php_asserts(code: str, tests: str) -> str:
    """Program, tests, then the stdin token: an early `exit` never reaches it. A closing `?>`
    at the end of the program is dropped so the tests run as code (any other `?>` turns tests
    and token into printed text, which never passes)."""
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
    "php": _php_asserts,
}
ASSERT_INPUTS: dict[str, Callable[[str, str], str]] = {"lua": _lua_input}
# Languages whose program the service writes: the tests' entry point renamed and called by a
# generated one (C, C++, Java, Rust, Go), or program and tests compiled together (TypeScript).
ASSERT_GENERATED: dict[str, Callable[[str, str, Language], GuardedProgram | str]] = {
    "c": _c_family_asserts,
    "cpp": _c_family_asserts,
    "cpp20": _c_family_asserts,
    "java": _java_asserts,
    "rust": _rust_asserts,
    "go": _go_asserts,
    "typescript": _typescript_asserts,
}
_NOT_NEWLINE = re.compile(r"[^\n]")
_C_MAIN = re.compile(r"\bint\s+main\s*\([^)]*\)\s*\{")
_C_SKIP = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|//[^\n]*|/\*.*?\*/', re.S)
_LUA_EXIT = re.compile(r"^[ \t]*os\.exit\s*\((.*)\)[ \t]*;?[ \t]*$")

JAVA_ENTRY = "VerifierAssertMain"
JAVA_PROGRAM_MAIN = "verifierProgramMain"
JAVA_TESTS_MAIN = "verifierTestsMain"
_JAVA_SKIP = re.compile(
    r'"""(?:\\.|[^\\])*?"""|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|//[^\n]*|/\*.*?\*/', re.S
)
_JAVA_MAIN = re.compile(r"(\bstatic\b[\w\s]*?\bvoid\s+)main(\s*\()")
_JAVA_TYPE = re.compile(r"\b(?:class|interface|enum|record)\s+([A-Za-z_$][\w$]*)")
_JAVA_PACKAGE = re.compile(r"\A\s*package\s+[\w.]+\s*;")
_JAVA_IMPORTS = (
    "\nimport java.io.FileDescriptor;\nimport java.io.FileInputStream;\n"
    "import java.lang.AssertionError;\nimport java.lang.String;\n"
    "import java.lang.StringBuilder;\nimport java.lang.System;\n"
)

C_ENTRY = "asserts_main.c"  # appended to C and C++ programs
RUST_ENTRY = "asserts_main.rs"  # appended to the program
RUST_PROGRAM_MAIN = "verifier_program_main"
RUST_TESTS_MAIN = "verifier_tests_main"
_RUST_SKIP = re.compile(
    r"//[^\n]*|/\*.*?\*/|b?r(#*)\".*?\"\1|b?\"(?:\\.|[^\"\\])*\""
    r"|b?'(?:\\(?:u\{[0-9a-fA-F_]+\}|x[0-9a-fA-F]{2}|.)|[^'\\\n])'",
    re.S,
)
_RUST_MAIN = re.compile(r"(\bfn\s+)main(\s*\()")

GO_ENTRY = "asserts_main.go"  # appended to the program
GO_PROGRAM_MAIN = "verifier_program_main"
GO_TESTS_MAIN = "verifier_tests_main"
GO_TEST_PACKAGES = ("fmt", "reflect", "testing")  # added when the tests use them unimported
_GO_SKIP = re.compile(
    r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|`[^`]*`|'(?:\\[^\n]|[^'\\\n])*'", re.S
)
_GO_PACKAGE = re.compile(r"\s*package\s+\w+")
_GO_IMPORT = re.compile(r"[\s;]*import\b")
_GO_IMPORT_SPEC = re.compile(r'(?:([\w.]+)[ \t]+)?"([^"\n]*)"')
_GO_MAIN = re.compile(r"(\bfunc\s+)main(\s*\(\s*\))")
_GO_TEST_SIGNATURE = r"(\bfunc\s+){}(\s*\(\s*\w+\s+\*\s*\w+\.T\s*\))"
_GO_TEST = re.compile(_GO_TEST_SIGNATURE.format(r"(Test(?![a-z])\w*)"))
_GO_IMPORTS = """\
import (
\tverifier_os "os"
\tverifier_sync "sync"
\tverifier_testing "testing"
"""


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
    except (ValueError, RecursionError):  # not JSON, or nested past what the decoder follows
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
