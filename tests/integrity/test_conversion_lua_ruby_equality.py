"""Converted Lua and Ruby tests compare as luaunit's `assertEquals` and Ruby's `==` do:
each pair (expected literal, value the program returns) is judged twice through the real
server, once in MultiPL-E's shape (converted: compared outside the program's jail) and once
with a harmless extra statement in the test function (not converted: the real luaunit or
test-unit compares), and both must answer what the language says.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integrity.conftest import Judge, code_item
from verifier_service.code.conversion import convert_asserts

LIMITS = {"time_s": 10}  # test-unit loads slowly on a loaded machine: room, not a timed check

# (expected literal in the tests, the program's return expression, equal?)
LUA_PAIRS = [
    ("1", "1.0", True),
    ("9007199254740993", "2^53", False),
    ("'3'", "3", False),
    ("{1, 2}", "{1.0, 2}", True),
    ("{x = 1}", "{x = 1, y = 2}", False),
    ("{['a'] = {true}}", "{a = {true}}", True),
    ("{}", "setmetatable({}, {__index = function() return 1 end})", True),
    (
        "{7}",
        "setmetatable({}, {__pairs = function(t) return function(_, k) "
        "if k == nil then return 1, 7 end end, t, nil end})",
        True,
    ),
    ("-0.0", "0", True),
    ("nil", "(function() end)()", True),
    ("{1, 2}", "(function() local c = {1} c[2] = c return c end)()", False),
    ("'a\\0b'", "'a' .. string.char(0) .. 'b'", True),
]
RUBY_PAIRS = [
    ("1", "1.0", True),
    ("9007199254740993", "2.0**53", False),
    ("'3'", "3", False),
    ("{'a' => 1}", "{'a' => 1.0}", True),
    ("{1 => 2}", "{1.0 => 2}", False),
    ("[1, [2]]", "Class.new(Array)[1, [2.0]]", True),
    ("'é'", "'é'.b", False),
    ("'a'", "'a'.b", True),
    ("0.5", "Rational(1, 2)", True),
    ("{'b' => 1, 'a' => 2}", "{'a' => 2, 'b' => 1}", True),
    ("nil", "nil", True),
    (":a", "'a'", False),
]


def _lua(expected: str, actual: str, guarded: bool) -> tuple[str, str]:
    extra = "local unused = 0\n" if guarded else ""
    tests = (
        "lu = require('luaunit')\n\nfunction test_humaneval()\nlocal candidate = f\n"
        f"{extra}    lu.assertEquals(candidate(), {expected})\nend\n\n"
        "os.exit(lu.LuaUnit.run())"
    )
    return f"function f()\n  return {actual}\nend\n", tests


def _ruby(expected: str, actual: str, guarded: bool) -> tuple[str, str]:
    extra = "    unused = 0\n" if guarded else ""
    tests = (
        "require 'test/unit'\nclass TestHumanEval < Test::Unit::TestCase\n  def test_f\n"
        f"    candidate = method(:f)\n{extra}    assert_equal({expected}, candidate.call())\n"
        "  end\nend\n"
    )
    return f"def f\n  {actual}\nend\n", tests


def _items() -> dict[str, tuple[dict[str, Any], bool]]:
    items: dict[str, tuple[dict[str, Any], bool]] = {}
    for language, pairs, build in (("lua", LUA_PAIRS, _lua), ("ruby", RUBY_PAIRS, _ruby)):
        for index, (expected, actual, equal) in enumerate(pairs):
            for guarded in (False, True):
                name = f"{language}-{index}-{'guarded' if guarded else 'converted'}"
                program, tests = build(expected, actual, guarded)
                tested = {"kind": "assert", "code": tests}
                items[name] = (code_item(name, language, program, tested, limits=LIMITS), equal)
    return items


ITEMS = _items()


@pytest.fixture(scope="module")
def verdicts(judge: Judge) -> dict[str, dict[str, Any]]:
    return judge([item for item, _ in ITEMS.values()])


@pytest.mark.parametrize("name", list(ITEMS))
def test_compared_as_the_language_does(verdicts: dict[str, dict[str, Any]], name: str) -> None:
    equal = ITEMS[name][1]
    result = verdicts[name]
    failed = "runtime_error" if name.endswith("guarded") else "wrong_answer"
    assert result["verdict"] == ("accepted" if equal else failed), result


@pytest.mark.parametrize("name", list(ITEMS))
def test_only_the_multipl_e_shape_converts(name: str) -> None:
    item = ITEMS[name][0]
    converted = convert_asserts(item["language"], "", item["tests"]["code"])
    assert (converted is None) == name.endswith("guarded")
