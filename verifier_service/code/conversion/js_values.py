"""Node's legacy `assert.deepEqual`, judged on the tagged JSON texts that
sandboxes/harness/values_js.js prints, and the tests' expected literals read into such texts.

A text is `[tag, payload]`: `u` (undefined), `z` (null), `b` (a boolean), `n` (a number, as
JavaScript prints it: `1.5`, `-0`, `NaN`, `Infinity`), `s` (a string), `i` (a BigInt, in
decimal), `a` (an array: its values), `o` (an object whose tag is `[object Object]`: its own
enumerable keys and values), `x` (anything else: opaque, equal to nothing).

The comparison mirrors Node 20's legacy mode exactly for these values: two primitives are
compared with `==` (so `1 == "1"`, `null == undefined`, `true == 1`, `10n == "10"`), two NaNs
are equal, a primitive never equals an object; arrays by length and index, objects by their
own enumerable keys regardless of order, prototypes ignored (an instance of the program's
class with the same own properties as the literal is equal, as in Node). Values Node would
compare by running the program's code (a function against a primitive, whose `==` calls its
`toString`) or by rules the texts do not carry (Map, Set, Date, boxed primitives, sparse
arrays) are opaque. The candidate's text is untrusted: anything malformed is unequal.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

PRIMITIVES = frozenset("uzbnsi")
# StrWhiteSpaceChar: WhiteSpace (Zs included) and LineTerminator, what `Number(" 1 ")` trims.
JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
JS_SPACE += "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_DECIMAL = re.compile(r"[+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)", re.ASCII)
_NON_DECIMAL = re.compile(r"0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)", re.ASCII)
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
_PRINTED_NUMBER = re.compile(r"-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|Infinity)|NaN", re.ASCII)
_PRINTED_BIGINT = re.compile(r"-?\d{1,4000}", re.ASCII)
NON_DECIMAL_BASES = {"x": 16, "o": 8, "b": 2}


def same_loose(expected_text: str, actual_text: str) -> bool:
    """Whether `assert.deepEqual(actual, expected)` passes for the two texts."""
    try:
        return _deep(json.loads(actual_text), json.loads(expected_text))
    except (ValueError, TypeError, IndexError, RecursionError, OverflowError):
        return False


def _deep(actual: Any, expected: Any) -> bool:
    tag, other = _tag(actual), _tag(expected)
    if tag == "x" or other == "x":
        return False
    if tag in PRIMITIVES or other in PRIMITIVES:
        if tag not in PRIMITIVES or other not in PRIMITIVES:
            return False  # a primitive never equals an object in the loose mode
        left, right = _primitive(actual), _primitive(expected)
        return loose_equal(left, right) or _both_nan(left, right)
    if tag != other:
        return False
    if tag == "a":
        items, wanted = _list(actual[1]), _list(expected[1])
        return len(items) == len(wanted) and all(map(_deep, items, wanted))
    if tag == "o":
        got, want = _entries(actual[1]), _entries(expected[1])
        if got is None or want is None or got.keys() != want.keys():
            return False
        return all(_deep(got[key], want[key]) for key in got)
    return False


def _tag(value: Any) -> str:
    if not isinstance(value, list) or not value or not isinstance(value[0], str):
        raise ValueError("not a tagged value")
    return value[0]


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value


def _entries(pairs: Any) -> dict[bytes, Any] | None:
    """Key (as UTF-16, JavaScript's string identity) -> value; None when a key repeats."""
    entries: dict[bytes, Any] = {}
    for pair in _list(pairs):
        key, value = _list(pair)
        if not isinstance(key, str):
            raise ValueError("not a key")
        entries[_units(key)] = value
    return entries if len(entries) == len(pairs) else None


# A primitive: (tag, value) with value None (undefined, null), bool, float, bytes (the
# string's UTF-16 code units) or int (a BigInt).
Primitive = tuple[str, Any]


def _primitive(value: list[Any]) -> Primitive:
    tag = value[0]
    if tag in "uz":
        if len(value) != 1:
            raise ValueError("a payload on undefined or null")
        return (tag, None)
    payload = value[1]
    if tag == "b" and isinstance(payload, bool):
        return (tag, payload)
    if tag == "s" and isinstance(payload, str):
        return (tag, _units(payload))
    if tag == "n" and isinstance(payload, str) and _PRINTED_NUMBER.fullmatch(payload):
        return (tag, float(payload))
    if tag == "i" and isinstance(payload, str) and _PRINTED_BIGINT.fullmatch(payload):
        return (tag, int(payload))
    raise ValueError("not a primitive")


def _units(text: str) -> bytes:
    return text.encode("utf-16-le", "surrogatepass")


def _both_nan(left: Primitive, right: Primitive) -> bool:
    return left[0] == right[0] == "n" and math.isnan(left[1]) and math.isnan(right[1])


def loose_equal(left: Primitive, right: Primitive) -> bool:
    """JavaScript's `left == right` on two primitives (IsLooselyEqual)."""
    (tag, value), (other, wanted) = left, right
    if tag == other:
        return bool(value == wanted)  # floats: NaN unequal, -0 == 0
    if {tag, other} == {"u", "z"}:
        return True
    if tag == "b":
        return loose_equal(("n", float(value)), right)
    if other == "b":
        return loose_equal(left, ("n", float(wanted)))
    if {tag, other} == {"n", "s"}:
        number, text = (value, wanted) if tag == "n" else (wanted, value)
        return bool(number == string_to_number(text))
    if {tag, other} == {"i", "s"}:
        big, text = (value, wanted) if tag == "i" else (wanted, value)
        parsed = string_to_bigint(text)
        return parsed is not None and parsed == big
    if {tag, other} == {"i", "n"}:
        big, number = (value, wanted) if tag == "i" else (wanted, value)
        return math.isfinite(number) and number.is_integer() and int(number) == big
    return False


def _text(units: bytes) -> str | None:
    """The string's text with JavaScript's spaces trimmed; None for a lone surrogate (no
    number or BigInt literal has one)."""
    try:
        return units.decode("utf-16-le").strip(JS_SPACE)
    except UnicodeDecodeError:
        return None


def string_to_number(units: bytes) -> float:
    """`Number(text)` (StringToNumber): NaN for anything that is not a numeric literal."""
    text = _text(units)
    if text is None:
        return math.nan
    if not text:
        return 0.0
    if _NON_DECIMAL.fullmatch(text):
        return _as_float(int(text[2:], NON_DECIMAL_BASES[text[1].lower()]))
    if _DECIMAL.fullmatch(text):
        return float(text.replace("Infinity", "inf"))
    return math.nan


def string_to_bigint(units: bytes) -> int | None:
    """StringToBigInt: the integer, or None where `BigInt(text)` would throw."""
    text = _text(units)
    if text is None:
        return None
    if not text:
        return 0
    if _NON_DECIMAL.fullmatch(text):
        return int(text[2:], NON_DECIMAL_BASES[text[1].lower()])
    if _INTEGER.fullmatch(text) and len(text) <= 4000:
        return int(text)
    return None


def _as_float(value: int) -> float:
    try:
        return float(value)  # rounded to nearest, ties to even, as JavaScript
    except OverflowError:
        return math.inf


def number_text(value: float) -> str:
    """A number as the texts carry it (the serializer's form, read back by `_primitive`)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return "-0" if value == 0 and math.copysign(1, value) < 0 else repr(value)
