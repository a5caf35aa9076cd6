"""The shape of an answer: a value, an interval, a collection, a union or a matrix.

Collections and intervals are split at the text level so that order (tuples) and bracket kind
(open vs closed) survive; only the leaves go through the LaTeX parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

Value = Any  # a sympy expression or equation: sympy ships no type information


@dataclass(frozen=True, slots=True)
class Scalar:
    value: Value
    decimals: int | None = None  # digits after the point when written as a plain decimal
    percent: bool = False
    variable: str | None = None  # `x` in `x = 5`


@dataclass(frozen=True, slots=True)
class Interval:
    left: str  # "(" or "["
    right: str  # ")" or "]"
    low: Node
    high: Node


@dataclass(frozen=True, slots=True)
class Collection:
    ordered: bool
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Union:
    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Matrix:
    rows: tuple[tuple[Value, ...], ...]


Node = Scalar | Interval | Collection | Union | Matrix

OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = frozenset(")]}")
_LIST_CONNECTOR = re.compile(
    r"\\text\{\s*(?:or|and)\s*\}|\s+(?:or|and)\s+|(?<=[)\]])\s*(?:or|and)\s*(?=[(\[])"
)
_LONE_VARIABLE = re.compile(r"^([a-zA-Z])\s*=\s*([^=<>]+)$")
_LONE_VARIABLE_RIGHT = re.compile(r"^([^=<>]+?)\s*=\s*([a-zA-Z])$")
_MEMBERSHIP = re.compile(r"^[a-zA-Z]\s*\\in\s*")
_COMMAND = re.compile(r"\\(?:[a-zA-Z]+|.)")


def _scan(text: str) -> list[tuple[int, int, int]]:
    """(index, length, depth after) for each token; `\\{` and `\\langle` count as brackets."""
    tokens: list[tuple[int, int, int]] = []
    depth = 0
    index = 0
    while index < len(text):
        length = 1
        char = text[index]
        if char == "\\":
            command = _COMMAND.match(text, index)
            length = len(command.group(0)) if command else 1
            token = text[index : index + length]
            depth += (
                1 if token in ("\\{", "\\langle") else -1 if token in ("\\}", "\\rangle") else 0
            )
        elif char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth -= 1
        tokens.append((index, length, depth))
        index += length
    return tokens


def split_top_level(text: str, separator: str) -> list[str]:
    """Split at `separator` where no bracket is open."""
    parts: list[str] = []
    start = 0
    depth_before = 0
    for index, _, depth in _scan(text):
        if (
            depth_before == 0
            and index >= start
            and text.startswith(separator, index)
            and (
                separator[0] != "\\"
                or not text[index + len(separator) : index + len(separator) + 1].isalpha()
            )
        ):
            parts.append(text[start:index])
            start = index + len(separator)
        depth_before = depth
    parts.append(text[start:])
    return [part.strip() for part in parts]


def list_items(text: str) -> list[str]:
    """Items of a bare list (`1, 2`, `2 or 3`), or `[text]` when it is not one."""
    joined = _LIST_CONNECTOR.sub(",", text)
    items = split_top_level(joined, ",")
    return items if len(items) > 1 and all(items) else [text]


def lone_variable(text: str) -> tuple[str | None, str]:
    """(`x`, `5`) for `x = 5`; (None, text) when the left side is not one letter."""
    match = _LONE_VARIABLE.match(text)
    if match is not None:
        return match.group(1).lower(), match.group(2).strip()
    match = _LONE_VARIABLE_RIGHT.match(text)
    if match is not None:
        return match.group(2).lower(), match.group(1).strip()
    return None, text


def strip_membership(text: str) -> str:
    """`x \\in (1, 2]` -> `(1, 2]`."""
    return _MEMBERSHIP.sub("", text, count=1)


def bracket_shape(text: str) -> tuple[str, str, str] | None:
    """(opener, inner text, closer) when the whole text is one bracketed group."""
    tokens = _scan(text)
    if not tokens or tokens[-1][2] != 0:
        return None
    _first_index, first_length, _ = tokens[0]
    last_index, _last_length, _ = tokens[-1]
    opener = text[:first_length]
    closer = text[last_index:]
    if opener not in ("(", "[", "\\{", "\\langle") or closer not in (")", "]", "\\}", "\\rangle"):
        return None
    if any(depth == 0 for _, _, depth in tokens[:-1]):
        return None
    return opener, text[first_length:last_index], closer
