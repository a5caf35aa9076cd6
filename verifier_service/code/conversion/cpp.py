"""C++ assert tests as calls: MultiPL-E's `int main() { auto candidate = f;
assert(candidate(...) == (expected)); ... }`.

The candidate is the program (its `main` renamed and its macros undefined, as the guarded
path compiles it) and a generated `main` that evaluates each call and prints its value with
its static type (sandboxes/harness/values_cpp.hpp); the reference is each expected
expression alone, parenthesized, printed by the same serializer: its own static type is the
one it has in the tests, where nothing converts it before `==` does. The service then
applies `==` as the tests would, the rules of what compiles included
(conversion/cpp_values.py). An expected expression may name only the standard library's
values and types (`EXPECTED_NAMES`), never the program's, and may hold no operator that
binds looser than `==` (it would change what the tests compare).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from verifier_service.code import overrides
from verifier_service.code.conversion.cpp_values import same_cpp
from verifier_service.code.conversion.expressions import plain_expected
from verifier_service.code.conversion.protocol import Case, Conversion, JailProgram, harness_text
from verifier_service.code.conversion.tokens import (
    IDENT,
    LITERAL,
    PUNCT,
    Grammar,
    Token,
    call_arguments,
    closing,
    source,
    split_top,
    texts,
    tokenize,
)

CPP = Grammar(
    literals=(
        re.compile(r'"(?:\\[^\n]|[^"\\\n])*"'),
        re.compile(r"'(?:\\[^\n]|[^'\\\n])+'"),
    ),
    nested_comments=False,
    punctuation=("::", "->", "==", "!=", "<=", ">=", "&&", "||", "<<", "+=", "-=", "*=", "/="),
)
EXPECTED_NAMES = frozenset(
    {
        *("std", "vector", "string", "string_view", "optional", "nullopt", "make_optional"),
        *("tuple", "make_tuple", "pair", "make_pair", "map", "set", "deque", "list", "array"),
        *("long", "int", "short", "char", "signed", "unsigned", "float", "double", "bool"),
        *("true", "false", "size_t", "int64_t", "int32_t", "uint64_t", "uint32_t"),
    }
)


@dataclass(frozen=True, slots=True)
class _Tests:
    closers: str  # the `}` lines closing the prompt's function, kept with the program
    statements: list[str]  # the generated main's statements: aliases and emits, in order
    cases: list[Case]


def convert(code: str, tests: str) -> Conversion | None:
    """The tests as calls, or None when they are anything but aliases and asserts of one
    call `==` a value."""
    parsed = _parse(tests)
    if parsed is None:
        return None
    serializer = harness_text("values_cpp.hpp")
    undefined = "".join(f"#undef {name}\n" for name in overrides.c_macros(_masked(code)))
    candidate = (
        f"#define main verifier_program_main\n{code}\n{parsed.closers}\n#undef main\n"
        f"{undefined}{serializer}\nint main() {{\n"
        + "".join(f"    {line}\n" for line in parsed.statements)
        + "    return 0;\n}\n"
    )
    emits = "".join(
        f"    verifier_values::emit({index}, ({case.expected}), true);\n"
        for index, case in enumerate(parsed.cases)
    )
    reference = (
        f"{serializer}\nint main() {{\n{_same_family(parsed.cases)}{emits}    return 0;\n}}\n"
    )
    return Conversion(
        cases=tuple(parsed.cases),
        candidate=JailProgram(candidate),
        same=same_cpp,
        reference=JailProgram(reference),
    )


def _same_family(cases: list[Case]) -> str:
    """The reference's first statement: exit 3 unless each expected value compares with the
    next (values of two unrelated types, `std::vector<std::string>` and `3`, mean that the
    function returns a type of the program's, whose `==` the service cannot mirror)."""
    checks = " && ".join(
        f"verifier_values::comparable<decltype(({a.expected})), decltype(({b.expected}))>()"
        for a, b in itertools.pairwise(cases)
    )
    return f"    if (!({checks})) return 3;\n" if checks else ""


def _parse(tests: str) -> _Tests | None:
    tokens = tokenize(tests, CPP)
    if any(token.kind == PUNCT and token.text == "#" for token in tokens) or any(
        token.kind == LITERAL and before.end == token.start and before.kind != PUNCT
        for before, token in itertools.pairwise(tokens)
    ):
        # A preprocessor line, or a literal glued to what precedes it: a raw string
        # (R"(...)"), a prefix or a digit separator (1'000), which these tokens misread.
        return None
    position = 0
    while position < len(tokens) and tokens[position].text == "}":
        position += 1
    if texts(tokens[position : position + 5]) != ["int", "main", "(", ")", "{"]:
        return None
    close = closing(tokens, position + 4)
    if close != len(tokens) - 1:
        return None
    body = tokens[position + 5 : close]
    if body and body[-1].text != ";":
        return None
    return _body(tests, split_top(body, ";"), "}\n" * position)


def _body(tests: str, statements: list[list[Token]], closers: str) -> _Tests | None:
    names: set[str] = set()
    lines: list[str] = []
    cases: list[Case] = []
    for number, statement in enumerate(statements):
        words = texts(statement)
        if words == ["return", "0"] and number == len(statements) - 1:
            continue
        if len(words) == 4 and words[0] == "auto" and words[2] == "=":
            if statement[1].kind != IDENT or statement[3].kind != IDENT or cases:
                return None
            names.update((words[1], words[3]))  # the alias, and the function by name
            lines.append(f"auto {words[1]} = {words[3]};")
            continue
        case = _assertion(tests, statement, names)
        if case is None:
            return None
        lines.append(f"verifier_values::emit({len(cases)}, {case.call}, false);")
        cases.append(case)
    if not cases:
        return None
    return _Tests(closers, lines, cases)


def _assertion(tests: str, statement: list[Token], aliases: set[str]) -> Case | None:
    """`assert(call == expected)` as a case; None for anything else."""
    if texts(statement[:2]) != ["assert", "("] or closing(statement, 1) != len(statement) - 1:
        return None
    sides = split_top(statement[2:-1], "==")
    if len(sides) != 2 or not all(sides):
        return None
    call, expected = sides
    called = {call[0].text} if call[0].kind == IDENT and not aliases else aliases
    if call_arguments(call, called) is None or not plain_expected(expected, EXPECTED_NAMES, called):
        return None
    return Case(source(tests, call), source(tests, expected))


def _masked(code: str) -> str:
    """The program with its literals and comments blanked (newlines kept), as the macro
    search reads it."""
    masked = [char if char == "\n" else " " for char in code]
    for token in tokenize(code, CPP, strict=False):
        if token.kind != LITERAL:
            masked[token.start : token.end] = code[token.start : token.end]
    return "".join(masked)
