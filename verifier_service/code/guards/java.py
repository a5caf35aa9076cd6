"""Java tests' `assert` statements as explicit checks.

An `assert` is skipped when assertions are off for its class, and a program can turn them off
for the tests' class before it is initialized (a superclass's static initializer calling
`ClassLoader.setClassAssertionStatus` or `setDefaultAssertionStatus`). The tests' statements
are therefore rewritten to `{ if (!(cond)) throw new AssertionError(message); }`, which no
assertion status mutes. The text is scanned with its literals and comments masked, so an
`assert` in a string or a comment is left alone.
"""

from __future__ import annotations

import re

_ASSERT = re.compile(r"(?<![\w$.])assert(?![\w$])")
_OPENERS, _CLOSERS = "([{", ")]}"


def explicit_asserts(text: str, masked: str) -> str:
    """`text` with each `assert cond;` and `assert cond : message;` statement rewritten as an
    explicit check (`masked`: the same text with literals and comments blanked). A statement
    whose end cannot be found is left as written."""
    parts: list[str] = []
    last = 0
    for found in _ASSERT.finditer(masked):
        if found.start() < last:
            continue  # inside a statement already rewritten
        split = _statement(masked, found.end())
        if split is None:
            continue
        colon, end = split
        condition = text[found.end() : colon if colon is not None else end]
        message = "" if colon is None else text[colon + 1 : end]
        parts.append(text[last : found.start()])
        parts.append(f"{{ if (!({condition})) throw new AssertionError({message}); }}")
        last = end + 1
    return "".join(parts) + text[last:]


def _statement(masked: str, start: int) -> tuple[int | None, int] | None:
    """Where the message's `:` (None without one) and the ending `;` of the assert statement
    whose expression starts at `start` are; None when it does not end."""
    depth = ternaries = 0
    colon: int | None = None
    index = start
    while index < len(masked):
        char = masked[index]
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0 and char == "?" and not _wildcard(masked, index):
            ternaries += 1
        elif depth == 0 and char == ":":
            if masked.startswith("::", index):
                index += 1  # a method reference
            elif ternaries:
                ternaries -= 1
            elif colon is None:
                colon = index
        elif depth == 0 and char == ";":
            return colon, index
        index += 1
    return None


def _wildcard(masked: str, index: int) -> bool:
    """Whether the `?` at `index` is a generic wildcard (`List<?>`, `Map<K, ? extends V>`)."""
    before = masked[:index].rstrip()
    return before.endswith(("<", ","))
