"""Rust assert tests as calls: MultiPL-E's `fn main() { let candidate = f;
assert_eq!(candidate(...), expected); ... }`.

The candidate is the program (its top-level `fn main` renamed) and a generated `main` that
evaluates each call and prints its value (sandboxes/harness/values_rust.rs); the reference
is the expected expressions alone, in one array (so `None`, `Vec::<isize>::new()` and
`vec![1, 2]` take one type, as they do against the one function the tests call), printed by
the same serializer. Integer literals too large for Rust's default `i32` are given `i64`
(`i128`) there: the tests typed them by the candidate's return type, and integers compare by
value. An expected expression may name only the standard library's values and types
(`EXPECTED_NAMES`), never the program's.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier_service.code.conversion.expressions import names_only
from verifier_service.code.conversion.protocol import Case, Conversion, JailProgram, harness_text
from verifier_service.code.conversion.tagged import same_tagged
from verifier_service.code.conversion.tokens import (
    IDENT,
    NUMBER,
    PUNCT,
    RUST,
    Token,
    call_arguments,
    closing,
    source,
    split_top,
    texts,
    tokenize,
)

PROGRAM_MAIN = "verifier_program_main"
ASSIGNING = ("=", "|", ";")  # an assignment, a closure, a statement: never a value
EXPECTED_NAMES = frozenset(
    {
        *("String", "from", "to_string", "to_owned", "into", "new", "vec", "Vec", "std"),
        *("Some", "None", "Ok", "Err", "true", "false", "collections", "string", "vec"),
        *("HashMap", "HashSet", "BTreeMap", "BTreeSet", "VecDeque", "option", "result"),
        *("i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128"),
        *("usize", "f32", "f64", "bool", "char", "str", "MAX", "MIN", "INFINITY"),
        *("NEG_INFINITY", "NAN", "EPSILON"),
    }
)
I32_MAX = 2**31 - 1
I64_MAX = 2**63 - 1
I128_MAX = 2**127 - 1


@dataclass(frozen=True, slots=True)
class _Tests:
    closers: str  # the `}` lines closing the prompt's function, kept with the program
    uses: str  # the tests' `use` declarations
    statements: list[str]  # the generated main's statements: aliases and emits, in order
    cases: list[Case]


def convert(code: str, tests: str) -> Conversion | None:
    """The tests as calls, or None when they are anything but aliases and `assert_eq!`s of
    one call against a value."""
    parsed = _parse(tests)
    if parsed is None:
        return None
    serializer = harness_text("values_rust.rs")
    candidate = (
        f"#![allow(dead_code)]\n{_rename_main(code)}\n{parsed.closers}\n{parsed.uses}\n"
        f"{serializer}\nconst VERIFIER_REFERENCE: ::std::primitive::bool = false;\n"
        "fn main() {\n" + "".join(f"    {line}\n" for line in parsed.statements) + "}\n"
    )
    expected = ", ".join(_widened(case.expected) for case in parsed.cases)
    reference = (
        "#![allow(unused)]\nuse std::collections::*;\n"
        f"{parsed.uses}\n{serializer}\n"
        "const VERIFIER_REFERENCE: ::std::primitive::bool = true;\n"
        f"fn main() {{\n    let verifier_expected = [{expected}];\n"
        "    for (verifier_index, verifier_value) in verifier_expected.iter().enumerate() {\n"
        "        verifier_emit!(verifier_index, verifier_value);\n    }\n}\n"
    )
    return Conversion(
        cases=tuple(parsed.cases),
        candidate=JailProgram(candidate),
        same=same_tagged,
        reference=JailProgram(reference),
    )


def _parse(tests: str) -> _Tests | None:
    tokens = tokenize(tests, RUST)
    position = 0
    while position < len(tokens) and tokens[position].text == "}":
        position += 1
    closers = "}\n" * position
    uses: list[str] = []
    while position < len(tokens) and tokens[position].text == "use":
        end = _statement_end(tokens, position)
        if end is None:
            return None
        uses.append(source(tests, tokens[position : end + 1]))
        position = end + 1
    if texts(tokens[position : position + 5]) != ["fn", "main", "(", ")", "{"]:
        return None
    close = closing(tokens, position + 4)
    if close != len(tokens) - 1:
        return None
    return _body(tests, tokens[position + 5 : close], closers, "\n".join(uses))


def _statement_end(tokens: list[Token], start: int) -> int | None:
    for index in range(start, len(tokens)):
        if tokens[index].text in ("{", "}", "(", ")"):
            return None
        if tokens[index].text == ";":
            return index
    return None


def _body(tests: str, body: list[Token], closers: str, uses: str) -> _Tests | None:
    statements = split_top(body, ";")
    if body and body[-1].text != ";":
        return None  # a tail expression
    names: set[str] = set()
    lines: list[str] = []
    cases: list[Case] = []
    for statement in statements:
        words = texts(statement)
        if len(words) == 4 and words[0] == "let" and words[2] == "=":
            if statement[1].kind != IDENT or statement[3].kind != IDENT:
                return None
            names.update((words[1], words[3]))  # the alias, and the function by name
            lines.append(f"let {words[1]} = {words[3]};")
            continue
        case = _assertion(tests, statement, names)
        if case is None:
            return None
        lines.append(f"verifier_emit!({len(cases)}, {case.call});")
        cases.append(case)
    if not cases:
        return None
    return _Tests(closers, uses, lines, cases)


def _assertion(tests: str, statement: list[Token], aliases: set[str]) -> Case | None:
    """`assert_eq!(call, expected)` (either order) as a case; None for anything else."""
    if texts(statement[:3]) != ["assert_eq", "!", "("]:
        return None
    if closing(statement, 2) != len(statement) - 1:
        return None
    sides = split_top(statement[3:-1], ",")
    if len(sides) != 2 or not all(sides):
        return None
    for call, expected in (sides, sides[::-1]):
        called = {call[0].text} if call[0].kind == IDENT and not aliases else aliases
        plain = names_only(expected, EXPECTED_NAMES, called, ASSIGNING)
        if plain and call_arguments(call, called) is not None:
            return Case(source(tests, call), source(tests, expected))
    return None


def _widened(expected: str) -> str:
    """The expression with each integer literal too large for `i32` suffixed to fit."""
    parts: list[str] = []
    last = 0
    for token in tokenize(expected, RUST):
        digits = token.text.replace("_", "")
        if token.kind != NUMBER or not digits.isdigit() or int(digits) <= I32_MAX:
            continue
        suffix = "i64" if int(digits) <= I64_MAX + 1 else "i128"
        suffix = suffix if int(digits) <= I128_MAX + 1 else "u128"
        parts.append(expected[last : token.end] + suffix)
        last = token.end
    return "".join(parts) + expected[last:]


def _rename_main(code: str) -> str:
    """The program with its top-level `fn main(` renamed, so the generated one runs."""
    tokens = tokenize(code, RUST, strict=False)
    depth = 0
    parts: list[str] = []
    last = 0
    for index, token in enumerate(tokens):
        if token.kind == PUNCT and token.text in ("(", "[", "{"):
            depth += 1
        elif token.kind == PUNCT and token.text in (")", "]", "}"):
            depth -= 1
        elif (
            depth == 0
            and token.text == "main"
            and index > 0
            and tokens[index - 1].text == "fn"
            and index + 1 < len(tokens)
            and tokens[index + 1].text in ("(", "<")
        ):
            parts.append(code[last : token.start] + PROGRAM_MAIN)
            last = token.end
    return "".join(parts) + code[last:]
