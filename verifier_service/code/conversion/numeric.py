"""Numbers as C++ and Java compare them after their conversions: an integer converted to
`float` or `double` (round to nearest, ties to even), and the hex texts values travel in.

Python's float is an IEEE double, so a `double` is held exactly and a `float` too (every
binary32 value is a binary64 one); what needs care is rounding an integer to binary32
directly, not through a double (which would round twice).
"""

from __future__ import annotations

import math

F32_MANTISSA_BITS = 24
MAX_NUMBER_TEXT = 64


def integer_as_f32(number: int) -> float:
    """`number` converted to binary32 as C++ and Java convert an integer to `float`."""
    magnitude = abs(number)
    extra = magnitude.bit_length() - F32_MANTISSA_BITS
    if extra > 0:
        kept, rest = divmod(magnitude, 1 << extra)
        half = 1 << (extra - 1)
        if rest > half or (rest == half and kept & 1):
            kept += 1
        magnitude = kept << extra
    try:
        return math.copysign(float(magnitude), number)
    except OverflowError:  # beyond binary64 (never for the 64-bit integers that reach here)
        return math.copysign(math.inf, number)


def integer_as_f64(number: int) -> float:
    """`number` converted to binary64 (Python's own conversion rounds to nearest, even)."""
    try:
        return float(number)
    except OverflowError:
        return math.copysign(math.inf, number)


def decimal_integer(text: object) -> int:
    """A decimal integer text; ValueError for anything else (a bounded length)."""
    if not isinstance(text, str) or len(text) > MAX_NUMBER_TEXT:
        raise ValueError("not an integer text")
    digits = text[1:] if text.startswith("-") else text
    if not digits.isdigit() or not digits.isascii():
        raise ValueError("not an integer text")
    return int(text)


def hex_float(text: object) -> float:
    """A C `%a` / Java `Double.toHexString` text (or inf / nan); ValueError otherwise."""
    if not isinstance(text, str) or len(text) > MAX_NUMBER_TEXT:
        raise ValueError("not a float text")
    lowered = text.lower()
    if lowered.lstrip("-") in ("inf", "infinity"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered.lstrip("-") == "nan":
        return math.nan
    return float.fromhex(text)
