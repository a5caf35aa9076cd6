"""Brace structure of source text whose literals and comments are masked (`harness._mask`)."""

from __future__ import annotations


def balanced(masked: str) -> bool:
    """Every `}` closes a `{` before it and every `{` is closed: the text stands on its own,
    rather than continuing a block that some other text opened (MultiPL-E's tests close the
    function and the class that its prompt leaves open)."""
    depth = 0
    for char in masked:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0
