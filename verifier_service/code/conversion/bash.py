"""Bash assert tests as calls: MultiPL-E's `candidate() { f "$@"; }`, `set -e` and `run_test()
{ [[ $(candidate "args") = "expected" ]] ... }; run_test`.

`[[ left = right ]]` matches `left` against the pattern `right`, and a quoted pattern matches
only itself: the check is byte equality of the call's output (as `$(...)` gives it: trailing
newlines removed, NUL bytes dropped) with the quoted text. The host reads that text itself (a
double-quoted word whose only expansions are backslash escapes, a single-quoted one, or an
unquoted word of characters that are never a pattern), so no reference program runs; the
candidate (the program, then the calls, sandboxes/harness/values_sh.sh) prints each output's
bytes in hex. Arguments must be such words too: nothing in them expands.
"""

from __future__ import annotations

import re

from verifier_service.code.conversion.protocol import Case, Conversion, JailProgram, harness_text
from verifier_service.code.languages import BOX

DRIVER_FILE = "values_sh.sh"
COMMAND = ("/usr/bin/bash", f"{BOX}/{DRIVER_FILE}", "{source}")
# A word that expands to a fixed text: double quotes holding no `$` or backquote but escaped
# ones, single quotes, or characters that are neither special to the shell nor to a pattern.
WORD = r"""(?:"(?:[^"\\$`]|\\[\s\S])*"|'[^']*'|[A-Za-z0-9_.,:/%+=@^-]+)"""
HEAD = re.compile(
    r"(?P<closers>(?:[ \t]*\}?[ \t]*\n)*)\s*candidate\(\)[ \t]*\{\s*"
    r'(?P<entry>[A-Za-z_][A-Za-z0-9_]*)[ \t]+"\$@"[ \t]*\n\s*\}[ \t]*\n'
    r"\s*set -e[ \t]*\n\s*run_test\(\)[ \t]*\{[ \t]*\n"
)
CASE = re.compile(
    rf"\s*\[\[[ \t]+\$\(candidate(?P<arguments>(?:[ \t]+{WORD})*)[ \t]*\)"
    rf"[ \t]+==?[ \t]+(?P<expected>{WORD})[ \t]+\]\][ \t]*\n"
)
TAIL = re.compile(r"\s*\}[ \t]*\n\s*run_test[ \t]*\n?\s*\Z")
_DOUBLE_QUOTED_ESCAPE = re.compile(r"\\([$`\"\\\n])")


def convert(code: str, tests: str) -> Conversion | None:
    """The tests' cases as calls, or None when the tests are anything but MultiPL-E's."""
    head = HEAD.match(tests)
    if head is None:
        return None
    cases: list[Case] = []
    position = head.end()
    while (case := CASE.match(tests, position)) is not None:
        cases.append(Case(f"$(candidate{case['arguments']})", case["expected"]))
        position = case.end()
    if not cases or TAIL.match(tests, position) is None:
        return None
    closers = "}\n" * head["closers"].count("}")
    emits = "".join(f'    verifier_emit {i} "{case.call}"\n' for i, case in enumerate(cases))
    calls = (
        f'candidate() {{\n    {head["entry"]} "$@"\n}}\n\nset -e\n'
        f"verifier_cases() {{\n{emits}}}\n\nverifier_cases\n"
    )
    files = ((DRIVER_FILE, harness_text(DRIVER_FILE)),)
    return Conversion(
        cases=tuple(cases),
        candidate=JailProgram(f"{code}\n{closers}", COMMAND, files, calls.encode()),
        same=_same,
        expected=tuple(word_text(case.expected).encode().hex() for case in cases),
    )


def word_text(word: str) -> str:
    """The text a `WORD` expands to: double quotes give up the backslash before `$`, a
    backquote, `"`, a backslash (and a backslash-newline is removed), keeping any other."""
    if word.startswith('"'):
        return _DOUBLE_QUOTED_ESCAPE.sub(
            lambda found: "" if found[1] == "\n" else found[1], word[1:-1]
        )
    if word.startswith("'"):
        return word[1:-1]
    return word


def _same(expected: str, actual: str) -> bool:
    """The quoted pattern matches only itself: the output's bytes are the expected ones."""
    return expected == actual
