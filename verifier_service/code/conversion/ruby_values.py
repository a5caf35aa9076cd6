"""Ruby's `expected == actual` on core values, judged on the tagged JSON texts that
sandboxes/harness/values_rb.rb prints (test-unit's `assert_equal(expected, actual)` is
exactly that call).

A text is `[tag, ...]`: `nil`, `bool`, `int` (decimal), `float` (IEEE bits, hex),
`rational` (numerator, denominator, the bits of its `to_f`), `complex` (real and imaginary
parts), `str`/`sym` (encoding name, `ascii_only?`, bytes in hex), `array` (items), `hash`
(key-value pairs) and `opaque` (equal to nothing). The rules mirror Ruby's C methods:
numbers compare across Integer, Float, Rational and Complex by value (`1 == 1.0`, integers
against floats exactly, NaN never, a Rational against a Float through its `to_f`, a Complex
against a real when its imaginary part is zero); strings when their bytes are equal and
their encodings comparable (the same, or both ASCII-only, or empty), a Symbol only with the
same Symbol; arrays item by item; hashes of one size whose every expected key (compared
with `eql?`: `1` is not `1.0` there, `-0.0` is `0.0`) is found with an equal value, in any
order. The candidate's text is untrusted: anything malformed is unequal.
"""

from __future__ import annotations

import json
import math
import struct
from fractions import Fraction
from typing import Any

NUMERIC = frozenset({"int", "float", "rational", "complex"})
INTEGER_DIGITS = 4000  # longer decimals compare as text (Python parses at most 4300 digits)

Number = tuple[Any, ...]  # (kind, value...) as `_number` reads it


def same_ruby(expected_text: str, actual_text: str) -> bool:
    """Whether `expected == actual` in Ruby for the two values."""
    try:
        return _equal(json.loads(expected_text), json.loads(actual_text))
    except (ValueError, TypeError, KeyError, IndexError, RecursionError, OverflowError):
        return False


def _equal(expected: Any, actual: Any) -> bool:
    kind, other = _tag(expected), _tag(actual)
    if "opaque" in (kind, other):
        return False
    if kind in NUMERIC or other in NUMERIC:
        both = kind in NUMERIC and other in NUMERIC
        return both and _same_number(_number(expected), _number(actual))
    if kind != other:
        return False
    if kind == "nil":
        return True
    if kind == "bool":
        return _bool(expected) == _bool(actual)
    if kind in ("str", "sym"):
        return _string(expected) == _string(actual)
    if kind == "array":
        items, others = _list(expected[1]), _list(actual[1])
        return len(items) == len(others) and all(map(_equal, items, others))
    if kind == "hash":
        return _same_hash(_pairs(expected[1]), _pairs(actual[1]))
    return False


def _same_hash(expected: list[tuple[Any, Any]], actual: list[tuple[Any, Any]]) -> bool:
    if len(expected) != len(actual):
        return False
    found = {_key(key): value for key, value in actual}
    if len(found) != len(actual):
        return False  # keys that Ruby's table would not hold apart
    for key, value in expected:
        wanted = _key(key)
        if wanted not in found or not _equal(value, found[wanted]):
            return False
    return True


def _same_number(left: Number, right: Number) -> bool:
    """`left == right` between Ruby numbers (symmetric for the core classes)."""
    if left[0] == "complex" and right[0] == "complex":
        return _same_number(left[1], right[1]) and _same_number(left[2], right[2])
    if "complex" in (left[0], right[0]):
        complex_, real = (left, right) if left[0] == "complex" else (right, left)
        return _same_number(complex_[1], real) and _zero(complex_[2])
    if left[0] == "rational" and right[0] == "rational":
        return bool(left[1] == right[1])
    if "rational" in (left[0], right[0]):
        rational, other = (left, right) if left[0] == "rational" else (right, left)
        if other[0] == "float":
            return bool(rational[2] == other[1])  # through Rational#to_f; NaN never
        return bool(rational[1].denominator == 1 and rational[1].numerator == other[1])
    if isinstance(left[1], str) or isinstance(right[1], str):
        return bool(left[0] == right[0] == "int" and left[1] == right[1])  # long decimals
    return bool(left[1] == right[1])  # exact between int and float; NaN never


def _zero(part: Number) -> bool:
    if part[0] == "rational":
        return bool(part[1] == 0)
    return not isinstance(part[1], str) and part[1] == 0


def _number(value: list[Any]) -> Number:
    kind = _tag(value)
    if kind == "int":
        return ("int", _integer(value[1]))
    if kind == "float":
        return ("float", _float(value[1]))
    if kind == "rational":
        numerator, denominator = _integer(value[1]), _integer(value[2])
        if isinstance(numerator, str) or isinstance(denominator, str) or denominator <= 0:
            raise ValueError("not a rational to compare")
        return ("rational", Fraction(numerator, denominator), _float(value[3]))
    if kind == "complex":
        real, imaginary = _number(value[1]), _number(value[2])
        if "complex" in (real[0], imaginary[0]):
            raise ValueError("a complex part that is complex")
        return ("complex", real, imaginary)
    raise ValueError(f"not a number: {kind}")


def _integer(text: Any) -> int | str:
    if not isinstance(text, str) or not text.lstrip("-").isdigit() or text.startswith("--"):
        raise ValueError("not an integer")
    if len(text) > INTEGER_DIGITS:
        return text
    return int(text)


def _float(text: Any) -> float:
    if not isinstance(text, str) or len(text) != 16:
        raise ValueError("not a float's bits")
    return float(struct.unpack(">d", bytes.fromhex(text))[0])


def _bool(value: list[Any]) -> bool:
    if len(value) != 2 or not isinstance(value[1], bool):
        raise ValueError("not a boolean")
    return value[1]


def _string(value: list[Any]) -> tuple[Any, ...]:
    """A form equal for strings that Ruby's `==` (and `eql?`) finds equal: the bytes, and the
    encoding unless they are ASCII-only or empty."""
    if len(value) != 4 or not isinstance(value[1], str) or not isinstance(value[2], bool):
        raise ValueError("not a string")
    data = value[3]
    if not isinstance(data, str) or len(data) % 2:
        raise ValueError("not hex bytes")
    data = bytes.fromhex(data)
    if not data or value[2]:
        return (value[0], data)
    return (value[0], value[1], data)


def _key(value: Any) -> tuple[Any, ...]:
    """A hashable form of a Hash key, equal for keys that are `eql?` (with equal `hash`)."""
    kind = _tag(value)
    if kind == "nil":
        return ("nil",)
    if kind == "bool":
        return ("bool", _bool(value))
    if kind == "int":
        return ("int", _integer(value[1]))
    if kind == "float":
        number = _float(value[1])
        if math.isnan(number):
            raise ValueError("a NaN key")
        return ("float", number)  # -0.0 and 0.0 are one key, as in Ruby
    if kind == "rational":
        return ("rational", _number(value)[1])
    if kind in ("str", "sym"):
        return _string(value)
    if kind == "array":
        return ("array", tuple(_key(item) for item in _list(value[1])))
    raise ValueError(f"no key form for {kind}")


def _tag(value: Any) -> str:
    if not isinstance(value, list) or not value or not isinstance(value[0], str):
        raise ValueError("not a tagged value")
    return value[0]


def _list(items: Any) -> list[Any]:
    if not isinstance(items, list):
        raise ValueError("not a list of values")
    return items


def _pairs(entries: Any) -> list[tuple[Any, Any]]:
    pairs: list[tuple[Any, Any]] = []
    for entry in _list(entries):
        if not isinstance(entry, list) or len(entry) != 2:
            raise ValueError("not a key-value pair")
        pairs.append((entry[0], entry[1]))
    return pairs
