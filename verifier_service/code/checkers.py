"""Comparisons of a program's stdout with the expected output (bytes, never lower-cased).

- `tokens` (default): the same whitespace-separated tokens;
- `exact`: the same bytes;
- `lines`: the same lines, trailing spaces and trailing empty lines ignored;
- `float`: the same tokens, numbers equal within `abs_tol` or `rel_tol` (NaN never equal);
- `unordered_lines`: the same lines in any order.
A prefix of the expected output is never accepted.
"""

from __future__ import annotations

import math
from collections.abc import Callable

DEFAULT_ABS_TOL = 1e-6
DEFAULT_REL_TOL = 1e-6


def tokens(expected: bytes, actual: bytes) -> bool:
    return expected.split() == actual.split()


def exact(expected: bytes, actual: bytes) -> bool:
    return expected == actual


def _lines(text: bytes) -> list[bytes]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def lines(expected: bytes, actual: bytes) -> bool:
    return _lines(expected) == _lines(actual)


def unordered_lines(expected: bytes, actual: bytes) -> bool:
    return sorted(_lines(expected)) == sorted(_lines(actual))


def floats(
    expected: bytes,
    actual: bytes,
    abs_tol: float | None = None,
    rel_tol: float | None = None,
) -> bool:
    want, got = expected.split(), actual.split()
    if len(want) != len(got):
        return False
    absolute = DEFAULT_ABS_TOL if abs_tol is None else abs_tol
    relative = DEFAULT_REL_TOL if rel_tol is None else rel_tol
    return all(_token_close(w, g, absolute, relative) for w, g in zip(want, got, strict=True))


def _token_close(want: bytes, got: bytes, absolute: float, relative: float) -> bool:
    expected_number, actual_number = _number(want), _number(got)
    if expected_number is None or actual_number is None:
        return want == got
    if math.isnan(expected_number) or math.isnan(actual_number):
        return False
    if math.isinf(expected_number) or math.isinf(actual_number):
        return expected_number == actual_number
    return math.isclose(expected_number, actual_number, rel_tol=relative, abs_tol=absolute)


def _number(token: bytes) -> float | None:
    try:
        return float(token)
    except ValueError:
        return None


Checker = Callable[[bytes, bytes], bool]

BUILT_IN: dict[str, Checker] = {
    "tokens": tokens,
    "exact": exact,
    "lines": lines,
    "unordered_lines": unordered_lines,
}
