"""Rust's `==` on the standard library's types, judged on the tagged JSON texts that
sandboxes/harness/values_rust.rs prints.

A text is `[tag, payload]`: `int` (decimal), `f64`/`f32` (Rust's shortest round-trip text),
`bool`, `char`, `str`, `unit`, `none`, `some`/`ok`/`err` (a value), `seq`/`tuple`/`set`
(values), `map` (key-value pairs), `opaque` (a type the serializer does not know: equal to
nothing). Integers compare by value whatever their width (a test's literal takes the
candidate's type, and the tests compile only when the value fits it); floats by IEEE value
(NaN never, -0.0 == 0.0), an f32 against an f64 literal rounded to f32 as Rust would have
typed it; sets and maps regardless of order. The candidate's text is untrusted: anything
malformed, or too deep to read, is unequal.
"""

from __future__ import annotations

import json
import math
import struct
from typing import Any

SCALARS = {"int", "bool", "char", "str", "unit", "none"}
WRAPPERS = {"some", "ok", "err"}
SEQUENCES = {"seq", "tuple"}
FLOATS = {"f64", "f32"}


def same_tagged(expected_text: str, actual_text: str) -> bool:
    """Whether the two texts are values that `assert_eq!` finds equal."""
    try:
        return _same(json.loads(expected_text), json.loads(actual_text))
    except (ValueError, TypeError, KeyError, IndexError, RecursionError, OverflowError):
        return False


def _same(expected: Any, actual: Any) -> bool:
    tag, other = _tag(expected), _tag(actual)
    if tag in FLOATS and other in FLOATS:
        return _same_float(expected, actual)
    if tag != other or tag == "opaque":
        return False
    if tag == "int":
        return _integer(expected[1]) == _integer(actual[1])
    if tag in SCALARS:
        return _scalar(expected) == _scalar(actual)
    if tag in WRAPPERS:
        return len(expected) == len(actual) == 2 and _same(expected[1], actual[1])
    if tag in SEQUENCES:
        return _same_items(expected[1], actual[1])
    if tag in ("set", "map"):
        return _same_unordered(tag, expected[1], actual[1])
    return False


def _tag(value: Any) -> str:
    if not isinstance(value, list) or not value or not isinstance(value[0], str):
        raise ValueError("not a tagged value")
    return value[0]


def _integer(text: Any) -> int:
    if not isinstance(text, str) or not text.lstrip("-").isdigit() or len(text) > 50:
        raise ValueError("not an integer")
    return int(text)


def _scalar(value: list[Any]) -> tuple[Any, ...]:
    payload = tuple(value[1:])
    if not all(isinstance(part, bool | str) for part in payload):
        raise ValueError("not a scalar")
    return payload


def _float(value: list[Any]) -> float:
    text = value[1]
    if not isinstance(text, str) or len(text) > 64:
        raise ValueError("not a float")
    return float(text)


def _same_float(expected: list[Any], actual: list[Any]) -> bool:
    want, got = _float(expected), _float(actual)
    if "f32" in (expected[0], actual[0]):
        want, got = _as_f32(want), _as_f32(got)
    return want == got  # NaN is never equal; -0.0 == 0.0


def _as_f32(value: float) -> float:
    try:
        return float(struct.unpack("f", struct.pack("f", value))[0])
    except OverflowError:
        return math.copysign(math.inf, value)


def _same_items(expected: Any, actual: Any) -> bool:
    if not isinstance(expected, list) or not isinstance(actual, list):
        raise ValueError("not a list of values")
    return len(expected) == len(actual) and all(map(_same, expected, actual))


def _same_unordered(tag: str, expected: Any, actual: Any) -> bool:
    """Sets and maps: the same keys (each key's canonical form) and, for maps, equal values
    under each. A key with no canonical form (a float) makes them unequal."""
    if not isinstance(expected, list) or not isinstance(actual, list):
        raise ValueError("not a list of entries")
    if len(expected) != len(actual):
        return False
    if tag == "set":
        wanted = {_canonical(item) for item in expected}
        return len(wanted) == len(expected) and wanted == {_canonical(item) for item in actual}
    want = {_canonical(pair[0]): pair[1] for pair in expected}
    got = {_canonical(pair[0]): pair[1] for pair in actual}
    if len(want) != len(expected) or want.keys() != got.keys():
        return False
    return all(_same(want[key], got[key]) for key in want)


def _canonical(value: Any) -> tuple[Any, ...]:
    """A hashable form of a key, equal for keys that Rust's `Eq` finds equal."""
    tag = _tag(value)
    if tag == "int":
        return (tag, _integer(value[1]))
    if tag in SCALARS:
        return (tag, *_scalar(value))
    if tag in WRAPPERS:
        return (tag, _canonical(value[1]))
    if tag in SEQUENCES or tag == "set":
        items = value[1]
        if not isinstance(items, list):
            raise ValueError("not a list of values")
        parts = tuple(_canonical(item) for item in items)
        return (tag, frozenset(parts) if tag == "set" else parts)
    raise ValueError(f"no canonical form for {tag}")
