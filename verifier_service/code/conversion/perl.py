"""Perl assert tests as calls: MultiPL-E's `use Test::Deep; sub testhumaneval { my $candidate =
\\&f; if(eq_deeply($candidate->(...),expected)) { print "ok!" }else{ exit 1; } ... }
testhumaneval();`.

`eq_deeply` has no prototype, so the call is in list context and its list is flattened into
the arguments: the tests compare the first of (the call's list, then the expected value) with
the second (undef where there is none). A call that returns a list of several values is
unequal here, although the tests would compare that list's first two values with each other
and pass `return (0, 0)` whatever they expect. Against plain data it compares scalars with `eq`
(`1`, `1.0` and `"1"` are all `"1"`; NaN is `"NaN"`, equal to itself), undef only with undef,
arrays element by element, hashes key by key, and a blessed reference never with an unblessed
one. The candidate (the program, then the calls) and the reference (the expected expressions
alone) print each list as texts canonical for that comparison (sandboxes/harness/values_pl.pl)
and the service takes the two arguments from them as `eq_deeply` would. Arguments and
expected values must be plain data: literals, `[...]`, `{...}`, `=>`, `undef`, signs.
"""

from __future__ import annotations

import re

from verifier_service.code.conversion.protocol import Case, Conversion, JailProgram, harness_text
from verifier_service.code.conversion.scripted import (
    interpolates,
    lex,
    match,
    match_cases,
    top_level_count,
)
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

DRIVER_FILE = "values_pl.pl"
COMMAND = ("/usr/bin/perl", f"{BOX}/{DRIVER_FILE}", "{source}")
PERL = Grammar(
    literals=(re.compile(r"'(?:\\.|[^'\\])*'", re.S), re.compile(r'"(?:\\.|[^"\\])*"', re.S)),
    nested_comments=False,
    punctuation=("->", "=>", "::"),
)
HEAD = lex("use Test::Deep;\nsub testhumaneval {\n    my $candidate = \\&VERIFIER_ENTRY;", PERL)
CASE = lex(
    "if(eq_deeply($candidate->(VERIFIER_ARGS),VERIFIER_EXPECTED)) {\n"
    '    print "ok!" }else{\n    exit 1;\n    }',
    PERL,
)
TAIL = lex("}\ntesthumaneval();", PERL)
PLAIN_PUNCTUATION = frozenset({"[", "]", "{", "}", ",", "=>", "-"})
NO_PROGRAM = "# the reference runs none of the program's code\n"
UNDEF, OPAQUE = "u", "?"


def convert(code: str, tests: str) -> Conversion | None:
    """The tests' cases as calls, or None when the tests are anything but MultiPL-E's."""
    tokens = lex(tests, PERL)
    if tokens is None or HEAD is None or CASE is None or TAIL is None:
        return None
    head = match(tokens, 0, HEAD)
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
    return _conversion(code, entry.text, [case for case in cases if case])


def _case(tests: str, slots: dict[str, list[Token]]) -> Case | None:
    arguments, expected = slots["VERIFIER_ARGS"], slots["VERIFIER_EXPECTED"]
    if not expected or not _plain(arguments) or not _plain(expected):
        return None
    if top_level_count(expected, ",") + top_level_count(expected, "=>") > 0:
        return None  # a list, not one value
    return Case(f"$candidate->({source(tests, arguments)})", source(tests, expected))


def _plain(tokens: list[Token]) -> bool:
    """Literals, array and hash constructors, `undef`, barewords before `=>`, signs."""
    for index, token in enumerate(tokens):
        following = tokens[index + 1].text if index + 1 < len(tokens) else ""
        if token.kind == LITERAL and interpolates(token.text, "$@"):
            return False
        if token.kind == IDENT and token.text != "undef" and following != "=>":
            return False
        if token.kind == PUNCT and token.text not in PLAIN_PUNCTUATION:
            return False
        if token.kind not in (IDENT, LITERAL, NUMBER, PUNCT):
            return False
    return True


def _conversion(code: str, entry: str, cases: list[Case]) -> Conversion:
    files = ((DRIVER_FILE, harness_text(DRIVER_FILE)),)
    emits = "".join(
        f"    VerifierValues::emit({i}, [{case.call}], 0);\n" for i, case in enumerate(cases)
    )
    calls = (
        f"sub verifier_cases {{\n    my $candidate = \\&{entry};\n{emits}}}\nverifier_cases();\n"
    )
    expected = "".join(
        f"    VerifierValues::emit({i}, [{case.expected}], 1);\n" for i, case in enumerate(cases)
    )
    values = f"sub verifier_expected {{\n{expected}}}\nverifier_expected();\n"
    return Conversion(
        cases=tuple(cases),
        candidate=JailProgram(code, COMMAND, files, calls.encode()),
        same=_same,
        reference=JailProgram(NO_PROGRAM, COMMAND, files, values.encode()),
    )


def _same(expected: str, actual: str) -> bool:
    """eq_deeply's two arguments, taken from the call's list then the expected value, are
    equal (an opaque text equals nothing)."""
    returned = actual.split(" ") if actual else []
    if len(returned) > 1:
        # eq_deeply would compare the list's own first two values and never see the expected
        # one: `return (0, 0)` would pass every test. Stricter than the tests, on purpose.
        return False
    arguments = [*returned, *expected.split(" ")]
    first = arguments[0] if arguments else UNDEF
    second = arguments[1] if len(arguments) > 1 else UNDEF
    return OPAQUE not in first and OPAQUE not in second and first == second
