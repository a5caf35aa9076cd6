"""C++'s `actual == expected` on the standard library's types, judged on the typed JSON texts
that sandboxes/harness/values_cpp.hpp prints: `[type, value]`, or `"opaque"`.

Types: `["a", name]` (bool, the char types, the integers, float, double), `["str"]`
(std::string), `["sv"]` (std::string_view), `["cstr"]` (a char array or pointer),
`["vector"|"deque"|"list"|"set"|"multiset", T]`, `["array", T, n]`, `["map", K, V]`,
`["pair", A, B]`, `["tuple", T...]`, `["optional", T]`, `["nullopt"]`. The comparison is
the tests' own, rules of what compiles included: arithmetic values after the usual
arithmetic conversions (integral promotion, a signed value converted to unsigned where the
rules say so, an integer rounded to the floating type, a float promoted to double; NaN never
equal, -0.0 == 0.0); strings by their bytes (a char array or pointer up to its NUL) but two
char pointers not at all (the tests would compare addresses); the containers and `pair`
only with their own type, element by element in order (a set's and a map's order is their
key order); `tuple` element-wise with any tuple of as many comparable elements; `optional`
with an optional, `nullopt` or a value its content compares with. Two values the tests
could not compare, or a malformed text (the candidate's is untrusted), are unequal.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass
from typing import Any

from verifier_service.code.conversion.numeric import (
    decimal_integer,
    hex_float,
    integer_as_f32,
    integer_as_f64,
)

MAX_TYPE_DEPTH = 64


@dataclass(frozen=True, slots=True)
class _Arithmetic:
    bits: int
    signed: bool
    rank: int  # the conversion rank; a floating type's is above every integer's
    floating: bool = False


ARITHMETIC = {
    "bool": _Arithmetic(1, False, 0),
    "char": _Arithmetic(8, True, 1),
    "schar": _Arithmetic(8, True, 1),
    "uchar": _Arithmetic(8, False, 1),
    "short": _Arithmetic(16, True, 2),
    "ushort": _Arithmetic(16, False, 2),
    "char16": _Arithmetic(16, False, 2),
    "int": _Arithmetic(32, True, 3),
    "uint": _Arithmetic(32, False, 3),
    "wchar": _Arithmetic(32, True, 3),
    "char32": _Arithmetic(32, False, 3),
    "long": _Arithmetic(64, True, 4),
    "ulong": _Arithmetic(64, False, 4),
    "llong": _Arithmetic(64, True, 5),
    "ullong": _Arithmetic(64, False, 5),
    "float": _Arithmetic(32, True, 10, floating=True),
    "double": _Arithmetic(64, True, 11, floating=True),
}
INT = ARITHMETIC["int"]
UINT = ARITHMETIC["uint"]
STRINGS = {"str", "sv", "cstr"}
SAME_TYPE_ONLY = {"vector", "deque", "list", "set", "multiset", "array", "map", "pair"}


def same_cpp(expected_text: str, actual_text: str) -> bool:
    """Whether `actual == expected` holds in the tests (both texts as the serializer wrote)."""
    try:
        expected, actual = json.loads(expected_text), json.loads(actual_text)
        if not isinstance(expected, list) or not isinstance(actual, list):
            return False  # "opaque", or not a value at all
        if len(expected) != 2 or len(actual) != 2:
            return False
        if not comparable(actual[0], expected[0]):
            return False
        return _equal(actual[0], actual[1], expected[0], expected[1])
    except (ValueError, TypeError, KeyError, IndexError, RecursionError, OverflowError):
        return False


def comparable(left: Any, right: Any, depth: int = 0) -> bool:
    """Whether `left == right` compiles (and compares values, not addresses)."""
    if depth > MAX_TYPE_DEPTH:
        raise ValueError("type too deep")
    kind, other = _kind(left), _kind(right)
    if kind == "a" and other == "a":
        return left[1] in ARITHMETIC and right[1] in ARITHMETIC
    if kind in STRINGS and other in STRINGS:
        return not kind == other == "cstr"
    if kind in SAME_TYPE_ONLY:
        return left == right and all(
            comparable(part, part, depth + 1) for part in left[1:] if isinstance(part, list)
        )
    if kind == "tuple" and other == "tuple":
        return len(left) == len(right) and all(
            comparable(a, b, depth + 1) for a, b in zip(left[1:], right[1:], strict=True)
        )
    if "optional" in (kind, other):
        return _optional_comparable(left, right, depth)
    return False


def _optional_comparable(left: Any, right: Any, depth: int) -> bool:
    kind, other = _kind(left), _kind(right)
    if kind == "optional" and other == "optional":
        return comparable(left[1], right[1], depth + 1)
    if "nullopt" in (kind, other):
        return True
    if kind == "optional":
        return comparable(left[1], right, depth + 1)
    return comparable(left, right[1], depth + 1)


def _kind(type_: Any) -> str:
    if not isinstance(type_, list) or not type_ or not isinstance(type_[0], str):
        raise ValueError("not a type")
    return type_[0]


def _equal(left: Any, a: Any, right: Any, b: Any) -> bool:
    """`a == b` for values of the types `left` and `right`, known to be comparable."""
    kind, other = left[0], right[0]
    if kind == "a":
        return _arithmetic_equal(ARITHMETIC[left[1]], a, ARITHMETIC[right[1]], b)
    if kind in STRINGS:
        if not isinstance(a, str) or not isinstance(b, str):
            raise ValueError("not a string's bytes")  # a null char pointer, or malformed
        return bytes.fromhex(a) == bytes.fromhex(b)
    if kind == "map":
        pairs = _items(a), _items(b)
        return len(pairs[0]) == len(pairs[1]) and all(
            _pair_equal(left[1], left[2], x, y) for x, y in zip(*pairs, strict=True)
        )
    if kind == "pair":
        return _pair_equal(left[1], left[2], a, b)
    if kind in SAME_TYPE_ONLY:
        items = _items(a), _items(b)
        return len(items[0]) == len(items[1]) and all(
            _equal(left[1], x, left[1], y) for x, y in zip(*items, strict=True)
        )
    if kind == "tuple":
        parts = _items(a), _items(b)
        if not len(parts[0]) == len(parts[1]) == len(left) - 1:
            raise ValueError("a tuple of another size")
        return all(map(_equal, left[1:], parts[0], right[1:], parts[1]))
    return _optional_equal(left, a, right, b, other)


def _items(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("not a sequence")
    return value


def _pair_equal(first: Any, second: Any, a: Any, b: Any) -> bool:
    if not isinstance(a, list) or not isinstance(b, list) or len(a) != 2 or len(b) != 2:
        raise ValueError("not a pair")
    return _equal(first, a[0], first, b[0]) and _equal(second, a[1], second, b[1])


def _optional_equal(left: Any, a: Any, right: Any, b: Any, other: str) -> bool:
    kind = left[0]
    if kind == "optional" and other == "optional":
        if _present(a) != _present(b):
            return False
        return not _present(a) or _equal(left[1], a[0], right[1], b[0])
    if kind == "nullopt":
        return not _present(b)
    if other == "nullopt":
        return not _present(a)
    if kind == "optional":
        return _present(a) and _equal(left[1], a[0], right, b)
    return _present(b) and _equal(left, a, right[1], b[0])


def _present(optional: Any) -> bool:
    if not isinstance(optional, list) or len(optional) > 1:
        raise ValueError("not an optional")
    return len(optional) == 1


def _arithmetic_equal(left: _Arithmetic, a: Any, right: _Arithmetic, b: Any) -> bool:
    """The usual arithmetic conversions, then `==`."""
    if left.floating or right.floating:
        target = left if left.rank > right.rank else right
        return _as_floating(left, a, target) == _as_floating(right, b, target)
    x, y = _integer(left, a), _integer(right, b)
    left, right = _promoted(left), _promoted(right)
    if left.signed == right.signed:
        return x == y
    unsigned, signed = (left, right) if not left.signed else (right, left)
    if unsigned.rank >= signed.rank or signed.bits <= unsigned.bits:
        bits = max(unsigned.bits, signed.bits)
        return x % (1 << bits) == y % (1 << bits)
    return x == y  # the signed type holds every value of the unsigned one


def _integer(type_: _Arithmetic, value: Any) -> int:
    number = decimal_integer(value)
    low = -(1 << (type_.bits - 1)) if type_.signed else 0
    high = (1 << (type_.bits - 1)) if type_.signed else (1 << type_.bits)
    if not low <= number < high:
        raise ValueError("an integer out of its type's range")
    return number


def _promoted(type_: _Arithmetic) -> _Arithmetic:
    """Integral promotion: what fits in int becomes int, the rest (char32_t) unsigned int."""
    if type_.rank >= INT.rank:
        return type_
    return INT if type_.bits < INT.bits or type_.signed else UINT


def _as_floating(type_: _Arithmetic, value: Any, target: _Arithmetic) -> float:
    if type_.floating:
        number = hex_float(value)
        if type_.bits == 32 and not _is_f32(number):
            raise ValueError("a float that binary32 cannot hold")
        return number
    integer = _integer(type_, value)
    return integer_as_f32(integer) if target.bits == 32 else integer_as_f64(integer)


def _is_f32(number: float) -> bool:
    return math.isnan(number) or math.isinf(number) or number == _round_f32(number)


def _round_f32(number: float) -> float:
    try:
        return float(struct.unpack("f", struct.pack("f", number))[0])
    except OverflowError:
        return math.nan
