"""Labelled answers: `(p,q)=(3,2)`, `AB=4, CD=5`, `f(x)=1`, `V_1:V_2=11:21`, `p=5,q=2;p=7,q=2`.

A label names what its value is: a letter or a few (`x`, `AB`, `a_{37}`, `\\theta`), a length
`|AB|`, a segment `\\overline{AB}`, an angle `\\angle ABC`, a function `f(x)`, a ratio of names
`A:B` or `\\frac{NO}{BO}`, or a tuple of names `(p,q)` (which spreads over a tuple value of the
same length). Both sides labelled: the same labels, each with an equal value. One side
labelled: its values, in its labels' order, against the other side. Groups separated by `;`
are alternative solutions, compared as an unordered collection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier_service.math.structure import bracket_shape, list_items, split_top_level

MAX_LABELS = 16
_GREEK = r"\\(?:alpha|beta|gamma|delta|theta|lambda|mu|phi|varphi|omega|sigma|rho|tau|psi)"
_NAME = rf"(?:[A-Za-z]{{1,4}}|{_GREEK})(?:_\{{?[A-Za-z0-9]+\}}?|_[A-Za-z0-9])?'*"
_ARGUMENT = rf"(?:{_NAME}|[+-]?\d+)"
_DECORATED = (
    rf"(?:\|\s*{_NAME}\s*\||\\overline\{{\s*{_NAME}\s*\}}|(?:m\s*)?\\angle\s*{_NAME}"
    rf"|{_NAME}\s*\(\s*{_ARGUMENT}(?:\s*,\s*{_ARGUMENT})*\s*\)|\\frac\{{\s*{_NAME}\s*\}}\{{\s*{_NAME}\s*\}}"
    rf"|{_NAME})"
)
_LABEL = re.compile(rf"^{_DECORATED}(?:\s*:\s*{_DECORATED})*$")
_NAME_TUPLE = re.compile(rf"^\(\s*{_NAME}(?:\s*,\s*{_NAME})+\s*\)$")
_SUBSCRIPT_BRACES = re.compile(r"_\{([A-Za-z0-9])\}")
_FUNCTION_LABEL = re.compile(r"^([A-Za-z])'*\s*\(")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_CONSTANT_COMMANDS = frozenset(
    {"frac", "dfrac", "tfrac", "sqrt", "pi", "cdot", "times", "div", "pm", "mp", "infty", "circ"}
)
# Roots named by index (`x_1, x_2`, `r_1, r_2`, `z_1, z_2`) are unordered: the index only counts.
_ROOT_LABEL = re.compile(r"^([xrz])_(\d)$")


@dataclass(frozen=True, slots=True)
class Labelled:
    """Rows of values under one list of labels (one row unless `;` separated alternatives)."""

    labels: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def roots(self) -> bool:
        """`x_1 = 2, x_2 = 3`: the roots of one equation, in no particular order."""
        bases = {m.group(1) if m else None for m in map(_ROOT_LABEL.match, self.labels)}
        return (
            len(self.labels) > 1 and len(self.rows) == 1 and len(bases) == 1 and None not in bases
        )

    def text(self, order: tuple[str, ...] | None = None) -> str:
        """The values as answer text: a value, a tuple `(4, 5)`, a list of tuples, or the bare
        list `2, 3` of unordered roots."""
        if self.roots:
            return ", ".join(self.rows[0])
        columns = [self.labels.index(label) for label in order or self.labels]
        rows = [[row[column] for column in columns] for row in self.rows]
        written = [row[0] if len(row) == 1 else f"({', '.join(row)})" for row in rows]
        return ", ".join(written)


def labelled(text: str) -> Labelled | None:
    """The labels and values of a labelled answer, or None when it is not one."""
    if "=" not in text:
        return None
    groups = split_top_level(text, ";") if ";" in text else [text]
    parsed = [_group(group) for group in groups]
    first = parsed[0]
    if first is None or any(group is None or group[0] != first[0] for group in parsed):
        return _tuple_label_rows(text)
    return Labelled(first[0], tuple(group[1] for group in parsed if group is not None))


def _tuple_label_rows(text: str) -> Labelled | None:
    """`(p, q) = (5, 2), (7, 2)`: one tuple label over several solution tuples."""
    items = list_items(text)
    head = _labelled_item(items[0]) if len(items) > 1 else None
    if head is None or len(head[0]) < 2 or len(items) > MAX_LABELS:
        return None
    rows = [tuple(head[1])]
    for item in items[1:]:
        shape = bracket_shape(item)
        values = split_top_level(shape[1], ",") if shape and shape[0] == "(" else []
        if len(values) != len(head[0]) or not all(values):
            return None
        rows.append(tuple(values))
    return Labelled(tuple(head[0]), tuple(rows))


def is_label(text: str) -> bool:
    """Whether the text names a quantity (`x`, `AB`, `f(x)`, `(p,q)`) rather than computing one."""
    text = text.strip()
    return _LABEL.match(text) is not None or _NAME_TUPLE.match(text) is not None


def bare_as_tuple(text: str) -> str:
    """A bare list `4, 5` written as the tuple `(4, 5)`, to compare with labelled values."""
    return f"({text})" if len(list_items(text)) > 1 and bracket_shape(text) is None else text


def _group(text: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    items = list_items(text)
    if len(items) > MAX_LABELS:
        return None
    labels: list[str] = []
    values: list[str] = []
    for item in items:
        pair = _labelled_item(item)
        if pair is None:
            return None
        labels.extend(pair[0])
        values.extend(pair[1])
    if len(set(labels)) != len(labels):
        return None
    return tuple(labels), tuple(values)


def _labelled_item(item: str) -> tuple[list[str], list[str]] | None:
    sides = split_top_level(item, "=")
    if len(sides) != 2 or not sides[1]:
        return None
    label, value = sides
    if _NAME_TUPLE.match(label):
        names = [_canonical(name) for name in split_top_level(label[1:-1], ",")]
        shape = bracket_shape(value)
        values = split_top_level(shape[1], ",") if shape and shape[0] in "([" else []
        if len(values) == len(names) and all(values):
            return names, values
        return [_canonical(label)], [value]
    if not _LABEL.match(label) or _defines_itself(label, value):
        return None
    return [_canonical(label)], [value]


def _defines_itself(label: str, value: str) -> bool:
    """`x = 2x - 3` is an equation, not a label: the value uses the name it defines."""
    function = _FUNCTION_LABEL.match(label)
    if function is not None:
        return re.search(rf"(?<![A-Za-z\\]){function.group(1)}(?![A-Za-z])", value) is not None
    names = re.findall(r"(?<![A-Za-z\\])[A-Za-z](?![A-Za-z])", label)
    return any(re.search(rf"(?<![A-Za-z\\]){name}(?![A-Za-z])", value) for name in names)


def _canonical(label: str) -> str:
    return _SUBSCRIPT_BRACES.sub(r"_\1", "".join(label.split())).casefold()


def is_constant_text(text: str) -> bool:
    """Whether a value is written with numbers and arithmetic only (`\\frac{1}{2}`, `3\\sqrt2`):
    no letter and no command but fractions, roots, pi and operators (`\\cos\\theta` is not)."""
    if any(command not in _CONSTANT_COMMANDS for command in _COMMAND.findall(text)):
        return False
    return re.search(r"[A-Za-z]", _COMMAND.sub(" ", text)) is None


def has_free_letters(text: str) -> bool:
    """Whether a value mentions a variable (a letter outside LaTeX commands)."""
    return re.search(r"(?<![\\A-Za-z])[A-Za-z]", re.sub(r"\\[A-Za-z]+", " ", text)) is not None
