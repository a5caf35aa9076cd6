"""PHP assert tests as calls: MultiPL-E's `function candidate(...$args) { return f(...$args); }`
and `function test(): void { if (candidate(...) !== expected) { throw new Exception("Test
failed!"); } ... } test();`.

The check is PHP's strict identity, so the service mirrors it on texts that are canonical for
`===` (sandboxes/harness/values_php.php): the candidate (the program, then a generated function
that emits each call's value) and the reference (the expected expressions alone, in a function
as the tests' are) print them, and equal texts pass. `1` and `1.0`, `"1"` and `1`, `true` and
`1` differ; arrays are identical only with the same keys, of the same types, in the same order;
floats by IEEE value (NaN never, `-0.0 === 0.0`). An object is identical only to itself, which
no literal is: opaque. Arguments and expected values must be plain data: literals, `array(...)`
and `[...]`, `=>`, `true`, `false`, `null`, signs.
"""

from __future__ import annotations

import re

from verifier_service.code.conversion.protocol import Case, Conversion, JailProgram, harness_text
from verifier_service.code.conversion.scripted import interpolates, lex, match, match_cases
from verifier_service.code.conversion.tokens import (
    IDENT,
    LITERAL,
    NUMBER,
    PUNCT,
    Grammar,
    Token,
    source,
)
from verifier_service.code.languages import BOX

SERIALIZER_FILE = "values_php.php"
PHP = Grammar(
    literals=(re.compile(r"'(?:\\.|[^'\\])*'", re.S), re.compile(r'"(?:\\.|[^"\\])*"', re.S)),
    nested_comments=False,
    punctuation=("!==", "===", "=>", "...", "->", "::", "!=", "==", "<?", "?>"),
)
HEAD = lex(
    "function candidate(...$args) {\n    return VERIFIER_ENTRY(...$args);\n}\n"
    "function test(): void {",
    PHP,
)
CASE = lex(
    'if (candidate(VERIFIER_ARGS) !== VERIFIER_EXPECTED) { throw new Exception("Test failed!"); }',
    PHP,
)
TAIL = lex("}\ntest();", PHP)
PLAIN_NAMES = frozenset({"array", "true", "false", "null"})
PLAIN_PUNCTUATION = frozenset({"(", ")", "[", "]", ",", "=>", "-", "+"})


def convert(code: str, tests: str) -> Conversion | None:
    """The tests' cases as calls, or None when the tests are anything but MultiPL-E's."""
    tokens = lex(tests, PHP)
    if tokens is None or HEAD is None or CASE is None or TAIL is None:
        return None
    position = 2 if [token.text for token in tokens[:2]] == ["<?", "php"] else 0
    closers = 0
    while position < len(tokens) and tokens[position].text == "}":
        position, closers = position + 1, closers + 1
    head = match(tokens, position, HEAD)
    if head is None or len(head[1]["VERIFIER_ENTRY"]) != 1:
        return None
    entry = head[1]["VERIFIER_ENTRY"][0]
    end, found = match_cases(tokens, head[0], CASE)
    tail = match(tokens, end, TAIL)
    if entry.kind != IDENT or not found or tail is None or tail[0] != len(tokens):
        return None
    cases = [_case(tests, slots) for slots in found]
    if not all(cases):
        return None
    return _conversion(code, "}\n" * closers, entry.text, [case for case in cases if case])


def _case(tests: str, slots: dict[str, list[Token]]) -> Case | None:
    arguments, expected = slots["VERIFIER_ARGS"], slots["VERIFIER_EXPECTED"]
    if not expected or not _plain(arguments) or not _plain(expected):
        return None
    return Case(f"candidate({source(tests, arguments)})", source(tests, expected))


def _plain(tokens: list[Token]) -> bool:
    """Literals, array constructors, true/false/null and signs: no name the program defines."""
    for token in tokens:
        if token.kind == LITERAL and interpolates(token.text, "$"):
            return False
        if token.kind == IDENT and token.text.lower() not in PLAIN_NAMES:
            return False
        if token.kind == PUNCT and token.text not in PLAIN_PUNCTUATION:
            return False
    return all(token.kind in (IDENT, LITERAL, NUMBER, PUNCT) for token in tokens)


def _conversion(code: str, closers: str, entry: str, cases: list[Case]) -> Conversion:
    files = ((SERIALIZER_FILE, harness_text(SERIALIZER_FILE)),)
    emits = "".join(
        f"    \\verifier_emit({i}, {case.call}, false);\n" for i, case in enumerate(cases)
    )
    candidate = (
        f"{_program(code)}\n{closers}\nfunction candidate(...$args) {{\n"
        f"    return {entry}(...$args);\n}}\n\nrequire '{BOX}/{SERIALIZER_FILE}';\n\n"
        f"function verifier_cases(): void {{\n{emits}}}\n\nverifier_cases();\n"
    )
    expected = "".join(
        f"    \\verifier_emit({i}, {case.expected}, true);\n" for i, case in enumerate(cases)
    )
    reference = (
        f"<?php\nrequire '{BOX}/{SERIALIZER_FILE}';\n\n"
        f"function verifier_expected(): void {{\n{expected}}}\n\nverifier_expected();\n"
    )
    return Conversion(
        cases=tuple(cases),
        candidate=JailProgram(candidate, files=files),
        same=_same,
        reference=JailProgram(reference, files=files),
    )


def _same(expected: str, actual: str) -> bool:
    """`===`: the canonical texts are equal (an opaque value equals nothing)."""
    return "?" not in expected and expected == actual


def _program(code: str) -> str:
    """The program as the guarded path runs it: opened with `<?php` if it was not, and a
    closing `?>` at its end dropped, so what follows it runs as code."""
    program = code.rstrip()
    program = program[: -len("?>")] if program.endswith("?>") else program
    return program if program.lstrip().startswith("<?php") else "<?php\n" + program
