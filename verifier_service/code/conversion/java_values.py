"""Java's `actual.equals(expected)` and `actual == literal`, judged on the JSON texts that
sandboxes/harness/values_java.java prints.

`.equals` texts are the value's own class: `["Long"|"Integer"|"Short"|"Byte"|"Boolean"|
"Character", decimal]`, `["Double"|"Float", bits, hex]`, `["String", UTF-16 hex]`, `["List",
[...]]` (any JDK list), `["Map", [[k, v], ...]]`, `["Optional", [] | [v]]`, `["Tuple", class,
[...]]` (javatuples), null, `["primitive"]` (a receiver `.equals` cannot be called on) or
"opaque". `equals` is type-strict: a Long never equals an Integer; a Double or Float equals
one of its own class with the same bits (NaN equals NaN, 0.0 does not equal -0.0); lists
compare element by element with `Objects.equals`, whatever their classes; a map equals a map
of as many entries whose every key finds the actual's value equal under it; a tuple equals
one of its own class with equal values.

`==` texts are `["p", kind, value]` (a primitive) or `["b", kind, value]` (a boxed value,
unboxed against the primitive literal; null throws): numbers after binary numeric
promotion (to double, else float, else by value; NaN never equal, -0.0 == 0.0), booleans
with booleans. Anything malformed (the candidate's text is untrusted) or that the tests could
not compile is unequal.
"""

from __future__ import annotations

import json
from typing import Any

from verifier_service.code.conversion.numeric import (
    decimal_integer,
    hex_float,
    integer_as_f32,
    integer_as_f64,
)

SCALARS = {"Long", "Integer", "Short", "Byte", "Boolean", "Character", "String"}
FLOATING = {"Double", "Float"}
INTEGRAL = {"long", "int", "short", "byte", "char"}
ERRORS = (ValueError, TypeError, KeyError, IndexError, RecursionError, OverflowError)


def same_equals(expected_text: str, actual_text: str) -> bool:
    """Whether `actual.equals(expected)` is true in the tests."""
    try:
        actual = json.loads(actual_text)
        if actual is None or actual == ["primitive"]:
            return False  # NullPointerException, or a test that would not compile
        return _equals(actual, json.loads(expected_text))
    except ERRORS:
        return False


def same_primitive(expected_text: str, actual_text: str) -> bool:
    """Whether `actual == expected` is true in the tests (expected: a primitive literal)."""
    try:
        expected, actual = json.loads(expected_text), json.loads(actual_text)
        if _tag(expected) != "p" or _tag(actual) not in ("p", "b") or len(actual) != 3:
            return False
        if actual[2] is None:
            return False  # unboxing null throws
        return _numeric_equal(actual[1], actual[2], expected[1], expected[2])
    except ERRORS:
        return False


def _tag(value: Any) -> str:
    if not isinstance(value, list) or not value or not isinstance(value[0], str):
        raise ValueError("not a tagged value")
    return value[0]


def _equals(actual: Any, expected: Any) -> bool:
    """`actual.equals(expected)`, actual not null."""
    tag = _tag(actual)
    if expected is None:
        return False
    other = _tag(expected)
    if tag in SCALARS or tag in FLOATING:
        return tag == other and _payload(actual) == _payload(expected)
    if tag == "List":
        return other == "List" and _items_equal(_list(actual[1]), _list(expected[1]))
    if tag == "Optional":
        if other != "Optional":
            return False
        values, wanted = _list(actual[1]), _list(expected[1])
        if len(values) > 1 or len(wanted) > 1:
            raise ValueError("an optional of many values")
        return _items_equal(values, wanted)
    if tag == "Tuple":
        return (
            other == "Tuple"
            and actual[1] == expected[1]
            and _items_equal(_list(actual[2]), _list(expected[2]))
        )
    if tag == "Map":
        return other == "Map" and _map_equal(_list(actual[1]), _list(expected[1]))
    return False


def _payload(value: list[Any]) -> tuple[str, ...]:
    parts = value[1:]
    if not parts or not all(isinstance(part, str) and len(part) < (1 << 22) for part in parts):
        raise ValueError("not a scalar")
    return tuple(parts[:1])  # a floating value's bits; its hex text is for `==` alone


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value


def _items_equal(actual: list[Any], expected: list[Any]) -> bool:
    """`Objects.equals` element by element."""
    return len(actual) == len(expected) and all(
        (b is None) if a is None else _equals(a, b) for a, b in zip(actual, expected, strict=True)
    )


def _map_equal(actual: list[Any], expected: list[Any]) -> bool:
    """AbstractMap.equals: as many entries, and under each actual key the expected map holds
    a value the actual one equals (null: the key present with null)."""
    if len(actual) != len(expected):
        return False
    for entry in actual:
        key, value = _entry(entry)
        found = [_entry(other) for other in expected if _same_key(key, _entry(other)[0])]
        if len(found) != 1:
            return False
        wanted = found[0][1]
        if not ((wanted is None) if value is None else _equals(value, wanted)):
            return False
    return True


def _entry(entry: Any) -> tuple[Any, Any]:
    if not isinstance(entry, list) or len(entry) != 2:
        raise ValueError("not a map entry")
    return entry[0], entry[1]


def _same_key(key: Any, other: Any) -> bool:
    return (other is None) if key is None else _equals(key, other)


def _numeric_equal(kind: Any, value: Any, other_kind: Any, other: Any) -> bool:
    """`==` between two primitive values of these kinds (binary numeric promotion)."""
    if "boolean" in (kind, other_kind):
        if kind != other_kind or value not in ("true", "false") or other not in ("true", "false"):
            return False  # a boolean against a number does not compile
        return bool(value == other)
    if "double" in (kind, other_kind):
        return _number(kind, value, 64) == _number(other_kind, other, 64)
    if "float" in (kind, other_kind):
        return _number(kind, value, 32) == _number(other_kind, other, 32)
    if kind not in INTEGRAL or other_kind not in INTEGRAL:
        raise ValueError("not a primitive kind")
    return decimal_integer(value) == decimal_integer(other)


def _number(kind: Any, value: Any, bits: int) -> float:
    if kind in ("float", "double"):
        return hex_float(value)
    if kind not in INTEGRAL:
        raise ValueError("not a primitive kind")
    integer = decimal_integer(value)
    return integer_as_f32(integer) if bits == 32 else integer_as_f64(integer)
