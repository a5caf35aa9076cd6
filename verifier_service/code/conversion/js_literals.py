"""The tests' expected expressions read on the host, as the texts `js_values.py` compares.

Only what the host can read exactly is read: numbers (decimal, `0x`/`0o`/`0b`, a leading `-`),
single- and double-quoted strings, `true`, `false`, `null`, `undefined`, `NaN`, `Infinity`,
arrays without holes or spreads, and object literals whose keys are names, strings or
decimal integers (never `__proto__`, which sets the prototype, and never twice). Anything else
(a name the program could define, a call, a template, a BigInt, a legacy octal, a numeric
separator) raises ValueError: the tests then do not convert. Those names are safe to read as
their values: `undefined`, `NaN` and `Infinity` are non-writable properties of the global
object, which no script can redeclare, and the tests' function declares none of them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from verifier_service.code.conversion.js_values import number_text
from verifier_service.code.conversion.tokens import IDENT, LITERAL, NUMBER, Token

MAX_DEPTH = 200
CONSTANTS: dict[str, list[Any]] = {
    "true": ["b", True],
    "false": ["b", False],
    "null": ["z"],
    "undefined": ["u"],
    "NaN": ["n", "NaN"],
    "Infinity": ["n", "Infinity"],
}
_DECIMAL = re.compile(r"(?:0|[1-9]\d*)(?:\.\d*)?(?:[eE][+-]?\d+)?", re.ASCII)
_NON_DECIMAL = re.compile(r"0([xXoObB])([0-9a-fA-F]+)", re.ASCII)
_KEY_INTEGER = re.compile(r"0|[1-9]\d{0,15}", re.ASCII)
BASES = {"x": 16, "o": 8, "b": 2}
SIMPLE_ESCAPES = {
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
}
LINE_TERMINATORS = ("\r\n", "\n", "\r", "\u2028", "\u2029")


def expected_text(tokens: list[Token]) -> str:
    """The tagged JSON text of the literal `tokens` spell (ValueError if they are not one)."""
    value, end = _value(tokens, 0, 0)
    if end != len(tokens):
        raise ValueError("more than one value")
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def _value(tokens: list[Token], index: int, depth: int) -> tuple[list[Any], int]:
    if depth > MAX_DEPTH or index >= len(tokens):
        raise ValueError("no value")
    token = tokens[index]
    if token.text == "-" and index + 1 < len(tokens):
        following = tokens[index + 1]
        if following.kind == NUMBER or following.text == "Infinity":
            value, end = _value(tokens, index + 1, depth + 1)
            return ["n", number_text(-float(value[1].replace("Infinity", "inf")))], end
        raise ValueError("a minus before something other than a number")
    if token.kind == NUMBER:
        return ["n", number_text(number_value(token.text))], index + 1
    if token.kind == LITERAL:
        return ["s", string_value(token.text)], index + 1
    if token.kind == IDENT and token.text in CONSTANTS:
        return CONSTANTS[token.text], index + 1
    if token.text == "[":
        return _array(tokens, index + 1, depth + 1)
    if token.text == "{":
        return _object(tokens, index + 1, depth + 1)
    raise ValueError(f"not a literal: {token.text[:40]!r}")


def _array(tokens: list[Token], index: int, depth: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    while True:
        if index < len(tokens) and tokens[index].text == "]":
            return ["a", items], index + 1
        item, index = _value(tokens, index, depth)  # a hole (`[1,,2]`) is no value
        items.append(item)
        index = _after_item(tokens, index, "]")


def _object(tokens: list[Token], index: int, depth: int) -> tuple[list[Any], int]:
    entries: list[list[Any]] = []
    keys: set[bytes] = set()
    while True:
        if index < len(tokens) and tokens[index].text == "}":
            return ["o", entries], index + 1
        if index + 1 >= len(tokens) or tokens[index + 1].text != ":":
            raise ValueError("not a `key: value` property")
        key = _key(tokens[index])
        units = key.encode("utf-16-le", "surrogatepass")
        if key == "__proto__" or units in keys:
            raise ValueError("a key that sets the prototype or repeats")
        keys.add(units)
        value, index = _value(tokens, index + 2, depth)
        entries.append([key, value])
        index = _after_item(tokens, index, "}")


def _after_item(tokens: list[Token], index: int, closer: str) -> int:
    if index < len(tokens) and tokens[index].text == ",":
        return index + 1
    if index < len(tokens) and tokens[index].text == closer:
        return index
    raise ValueError("items not separated by commas")


def _key(token: Token) -> str:
    if token.kind == IDENT:
        return token.text
    if token.kind == LITERAL:
        return string_value(token.text)
    if token.kind == NUMBER and _KEY_INTEGER.fullmatch(token.text):
        return token.text  # a decimal integer key's name is its digits
    raise ValueError("a key other than a name, a string or a decimal integer")


def number_value(text: str) -> float:
    """A numeric literal's value (decimal or `0x`/`0o`/`0b`); ValueError for the rest."""
    if _DECIMAL.fullmatch(text):
        return float(text)
    found = _NON_DECIMAL.fullmatch(text)
    if found is None:
        raise ValueError(f"not a numeric literal read here: {text[:40]!r}")
    try:
        return float(int(found.group(2), BASES[found.group(1).lower()]))
    except OverflowError:
        return float("inf")


def string_value(text: str) -> str:
    """A single- or double-quoted literal's value (code units kept as Python characters,
    a lone surrogate included); ValueError for what is not read here."""
    if len(text) < 2 or text[0] not in "'\"" or text[-1] != text[0]:
        raise ValueError("not a quoted string")
    body, parts, index = text[1:-1], [], 0
    while index < len(body):
        char = body[index]
        if char in "\n\r":
            raise ValueError("a line break inside a string")
        if char != "\\":
            parts.append(char)
            index += 1
            continue
        part, index = _escape(body, index + 1)
        parts.append(part)
    return "".join(parts)


def _escape(body: str, index: int) -> tuple[str, int]:
    """The value of the escape after a backslash at `index - 1`, and where it ends."""
    if index >= len(body):
        raise ValueError("a backslash at the end")
    for terminator in LINE_TERMINATORS:
        if body.startswith(terminator, index):
            return "", index + len(terminator)  # a line continuation
    char = body[index]
    if char in SIMPLE_ESCAPES:
        return SIMPLE_ESCAPES[char], index + 1
    if char == "0" and not body[index + 1 : index + 2].isdigit():
        return "\0", index + 1
    if char.isdigit():
        raise ValueError("a legacy octal escape")
    if char == "x":
        return chr(_hex(body[index + 1 : index + 3], 2)), index + 3
    if char == "u" and body.startswith("{", index + 1):
        close = body.find("}", index + 2)
        code = _hex(body[index + 2 : close], 0) if close > 0 else -1
        if not 0 <= code <= 0x10FFFF:
            raise ValueError("a code point escape out of range")
        return chr(code), close + 1
    if char == "u":
        return chr(_hex(body[index + 1 : index + 5], 4)), index + 5
    return char, index + 1  # any other character stands for itself


def _hex(digits: str, count: int) -> int:
    if not digits or (count and len(digits) != count) or len(digits) > 8:
        raise ValueError("a malformed hexadecimal escape")
    if not all(digit in "0123456789abcdefABCDEF" for digit in digits):
        raise ValueError("a malformed hexadecimal escape")
    return int(digits, 16)
