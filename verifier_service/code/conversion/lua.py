"""Lua assert tests as calls: MultiPL-E's luaunit suite, `lu = require('luaunit')`,
`function test_humaneval() local candidate = f; lu.assertEquals(candidate(...), expected)
... end` and `os.exit(lu.LuaUnit.run())`.

The candidate is the program, then a block that runs each call and prints its first value;
the reference is the expected expressions alone. Both run under the value driver
(sandboxes/harness/values_lua.lua), which prints tagged texts that `same` compares as
luaunit's `assertEquals(actual, expected)` does (`_is_table_equals`): values of different
types never equal; numbers by `==` (Lua 5.4: `1 == 1.0`, integers and floats compared
exactly, NaN never equal, `-0.0 == 0.0`); strings by their bytes; tables key by key, each
key the actual table's `pairs` gives compared with the expected's raw value under it (nil
when it has none), and every expected key among them; a table nested in itself never equals
a literal. No `__eq` is ever consulted, as in luaunit. An expected expression is literals
only: numbers (a minus before one), strings, `nil`, `true`, `false` and table constructors
(`{1, 2}`, `{x = 1}`, `{['a'] = 1}`), never a name, which the program could have defined.
"""

from __future__ import annotations

import json
import math
import struct
from typing import Any

from verifier_service.code.conversion.protocol import Case, Conversion, JailProgram, harness_text
from verifier_service.code.conversion.script_tokens import lua_tokens
from verifier_service.code.conversion.tokens import (
    IDENT,
    LITERAL,
    NUMBER,
    Token,
    call_arguments,
    closing,
    source,
    split_top,
    texts,
)
from verifier_service.code.languages import BOX

DRIVER = "values_lua.lua"
COMMAND = ("/usr/bin/lua5.4", f"{BOX}/{DRIVER}", "{source}")
ASSERTIONS = frozenset({"assertEquals", "assert_equals"})
LITERAL_WORDS = frozenset({"nil", "true", "false"})
KEYWORDS = frozenset(
    {
        *("and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto"),
        *("if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true"),
        *("until", "while"),
    }
)
LUAUNIT = ("'luaunit'", '"luaunit"')
EXPECTED_PUNCTUATION = frozenset({"{", "}", "[", "]", ",", ";", "="})
NIL = ["nil"]
INTEGER_DIGITS = 24  # a Lua integer has at most 20 characters


def convert(code: str, tests: str) -> Conversion | None:
    """The suite's assertions as calls, or None when the tests are anything but that suite
    of `assertEquals(call, literal)`s."""
    try:
        tokens = [token for token in lua_tokens(tests) if token.text != ";"]
    except ValueError:
        return None  # text that does not lex as Lua: not this shape
    body = _suite_body(tokens)
    if body is None:
        return None
    module, statements = body
    parsed = _statements(tests, statements, module)
    if parsed is None:
        return None
    lines, cases = parsed
    files = ((DRIVER, harness_text(DRIVER)),)
    candidate = f"{code}\ndo\n" + "".join(f"{line}\n" for line in lines) + "end\n"
    reference = "".join(
        f"verifier_expected({index}, ({case.expected}))\n" for index, case in enumerate(cases)
    )
    return Conversion(
        cases=tuple(cases),
        candidate=JailProgram(candidate, COMMAND, files),
        same=same_lua,
        reference=JailProgram(reference, COMMAND, files),
    )


def _suite_body(tokens: list[Token]) -> tuple[str, list[Token]] | None:
    """(luaunit's name, the test function's body) when `tokens` are the suite: the require,
    one test function luaunit runs, and the `os.exit` of its run."""
    position = 1 if texts(tokens[:1]) == ["local"] else 0
    head = texts(tokens[position : position + 6])
    if len(head) < 5 or tokens[position].kind != IDENT or head[1:3] != ["=", "require"]:
        return None
    module = head[0]
    if head[3] in LUAUNIT:
        position += 4
    elif head[3:6] == ["(", LUAUNIT[0], ")"] or head[3:6] == ["(", LUAUNIT[1], ")"]:
        position += 6
    else:
        return None
    name = tokens[position + 1] if position + 1 < len(tokens) else None
    opening = texts(tokens[position + 2 : position + 4])
    if texts(tokens[position : position + 1]) != ["function"] or name is None:
        return None
    if name.kind != IDENT or not name.text.lower().startswith("test") or opening != ["(", ")"]:
        return None
    start = position + 4
    end = _body_end(tokens, start)
    run = ["os", ".", "exit", "(", module, ".", "LuaUnit", ".", "run", "(", ")", ")"]
    if end is None or texts(tokens[end + 1 :]) != run:
        return None
    return module, tokens[start:end]


def _body_end(tokens: list[Token], start: int) -> int | None:
    """The function's `end`: the first outside every bracket (the body's statements open no
    block of their own; a function in a call's arguments is inside its parentheses)."""
    depth = 0
    for index in range(start, len(tokens)):
        text = tokens[index].text
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(text, 0)
        if depth == 0 and text == "end" and tokens[index].kind == IDENT:
            return index
    return None


def _statements(tests: str, body: list[Token], module: str) -> tuple[list[str], list[Case]] | None:
    """The generated block's lines (aliases, then one emit per assertion, in order) and the
    cases; None when a statement is anything else."""
    aliases: dict[str, str] = {}
    lines: list[str] = []
    cases: list[Case] = []
    position = 0
    while position < len(body):
        words = texts(body[position : position + 4])
        if words[:1] == ["local"]:
            if len(words) < 4 or words[2] != "=" or not _name(body[position + 1]):
                return None
            if not _name(body[position + 3]):
                return None
            aliases[words[1]] = words[3]
            lines.append(f"local {words[1]} = {words[3]}")
            position += 4
            continue
        if len(words) < 4 or words[:2] != [module, "."] or words[2] not in ASSERTIONS:
            return None
        if words[3] != "(":
            return None
        close = closing(body, position + 3)
        case = _assertion(tests, body[position + 4 : close], aliases, module)
        if case is None:
            return None
        lines.append(f"verifier_emit({len(cases)}, ({case.call}))")
        cases.append(case)
        position = close + 1
    return (lines, cases) if cases else None


def _name(token: Token) -> bool:
    return token.kind == IDENT and token.text not in KEYWORDS


def _assertion(
    tests: str, arguments: list[Token], aliases: dict[str, str], module: str
) -> Case | None:
    """`assertEquals(call, expected)`: exactly one call of the tested function first."""
    sides = split_top(arguments, ",")
    if len(sides) != 2 or not all(sides):
        return None
    call, expected = sides
    names = {*aliases, *aliases.values()}
    if not aliases and _name(call[0]) and call[0].text != module:
        names = {call[0].text}
    if call_arguments(call, names) is None or not _plain(expected):
        return None
    return Case(source(tests, call), source(tests, expected))


def _plain(expected: list[Token]) -> bool:
    """Literals and table constructors only: no name but a field's (`{x = 1}`)."""
    for index, token in enumerate(expected):
        before = expected[index - 1].text if index else ""
        after = expected[index + 1].text if index + 1 < len(expected) else ""
        if token.kind in (NUMBER, LITERAL) or token.text in LITERAL_WORDS:
            continue
        if token.kind == IDENT and before in ("{", ",", ";") and after == "=":
            continue
        if token.text == "-" and index + 1 < len(expected) and expected[index + 1].kind == NUMBER:
            continue
        if token.kind != IDENT and token.text in EXPECTED_PUNCTUATION:
            continue
        return False
    return True


def same_lua(expected_text: str, actual_text: str) -> bool:
    """Whether luaunit's assertEquals(actual, expected) passes on the two values."""
    try:
        return _equal(json.loads(expected_text), json.loads(actual_text))
    except (ValueError, TypeError, KeyError, IndexError, RecursionError, OverflowError):
        return False


def _equal(expected: Any, actual: Any) -> bool:
    kind, other = _tag(expected), _tag(actual)
    if kind in ("int", "float") and other in ("int", "float"):
        return _number(expected) == _number(actual)  # exact; NaN never equal
    if kind != other or kind == "opaque":
        return False
    if kind == "nil":
        return True
    if kind == "bool":
        return _bool(expected) == _bool(actual)
    if kind == "str":
        return _hex(expected) == _hex(actual)
    if kind == "table":
        return _equal_tables(expected[1], actual[1])
    return False


def _equal_tables(expected: Any, actual: Any) -> bool:
    """luaunit's walk: each (key, value) of the actual's `pairs` against the expected's value
    under that key (nil when none), then every expected key among those seen."""
    wanted = {_key(pair[0]): pair[1] for pair in _pairs(expected)}
    seen: set[tuple[Any, ...]] = set()
    for key, value in _pairs(actual):
        if _tag(key) == "opaque":
            # A table or function key: the expected table (a literal) has none, so only a
            # nil value under it (a `__pairs` can give one) matches.
            if _tag(value) != "nil":
                return False
            continue
        found = _key(key)
        seen.add(found)
        if not _equal(wanted.get(found, NIL), value):
            return False
    return seen >= wanted.keys()


def _pairs(entries: Any) -> list[tuple[Any, Any]]:
    if not isinstance(entries, list):
        raise ValueError("not a list of entries")
    pairs: list[tuple[Any, Any]] = []
    for entry in entries:
        if not isinstance(entry, list) or len(entry) != 2:
            raise ValueError("not a key-value pair")
        pairs.append((entry[0], entry[1]))
    return pairs


def _key(value: Any) -> tuple[Any, ...]:
    """The key as Lua's tables compare keys: numbers by value (a float key with an integral
    value is that integer), strings by bytes. A NaN key raises (luaunit fails on one)."""
    kind = _tag(value)
    if kind in ("int", "float"):
        number = _number(value)
        if math.isnan(number):
            raise ValueError("a NaN key")
        return ("number", number)
    if kind == "str":
        return ("str", _hex(value))
    if kind == "bool":
        return ("bool", _bool(value))
    raise ValueError(f"no key of type {kind}")


def _tag(value: Any) -> str:
    if not isinstance(value, list) or not value or not isinstance(value[0], str):
        raise ValueError("not a tagged value")
    return value[0]


def _number(value: list[Any]) -> int | float:
    text = value[1]
    if not isinstance(text, str):
        raise ValueError("not a number")
    if value[0] == "int":
        if len(text) > INTEGER_DIGITS or not text.lstrip("-").isdigit():
            raise ValueError("not an integer")
        return int(text)
    if len(text) != 16:
        raise ValueError("not a float's bits")
    return float(struct.unpack(">d", bytes.fromhex(text))[0])


def _bool(value: list[Any]) -> bool:
    if len(value) != 2 or not isinstance(value[1], bool):
        raise ValueError("not a boolean")
    return value[1]


def _hex(value: list[Any]) -> str:
    text = value[1]
    if not isinstance(text, str) or len(text) % 2:
        raise ValueError("not hex bytes")
    bytes.fromhex(text)
    return text.lower()
