"""The Lua and Ruby converters on MultiPL-E-shaped test text (convert or not), luaunit's
`assertEquals` (conversion/lua.py `same_lua`) and Ruby's `==` (conversion/ruby_values.py)
on the serializers' texts."""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest

from verifier_service.code.conversion import convert_asserts
from verifier_service.code.conversion.lua import same_lua
from verifier_service.code.conversion.ruby_values import same_ruby

LUA_PROGRAM = "local function add(a, b)\n  return a + b\nend\n"
LUA_TESTS = """\
lu = require('luaunit')

function test_humaneval()
local candidate = add
    -- lu.assertEquals(candidate(9, 9), 0) a comment is no case
    lu.assertEquals(candidate(1, 2), 3)
    lu.assertEquals(candidate({1, 2}, 'a,b'), {[1] = -1.5, x = {true, nil}, ['y'] = "z"})
end

os.exit(lu.LuaUnit.run())"""
RUBY_PROGRAM = "def add(a, b)\n  a + b\nend\n"
RUBY_TESTS = """\
require 'test/unit'
class TestHumanEval < Test::Unit::TestCase
  def test_add
    candidate = method(:add)
    # assert_equal(0, candidate.call(9, 9)) a comment is no case
    assert_equal(3, candidate.call(1, 2))
    assert_equal({"a" => [1, -2.5, nil], b: :c}, candidate.call(
      {"a" => 1}, 'x#{y}'))
  end
end
"""


def test_lua_multipl_e_tests_convert() -> None:
    conversion = convert_asserts("lua", LUA_PROGRAM, LUA_TESTS)
    assert conversion is not None
    assert [(case.call, case.expected) for case in conversion.cases] == [
        ("candidate(1, 2)", "3"),
        ("candidate({1, 2}, 'a,b')", "{[1] = -1.5, x = {true, nil}, ['y'] = \"z\"}"),
    ]
    assert conversion.reference is not None
    assert "verifier_expected(0, (3))" in conversion.reference.code
    assert "add" not in conversion.reference.code
    assert conversion.candidate.code.startswith(LUA_PROGRAM)
    assert "verifier_emit(1, (candidate({1, 2}, 'a,b')))" in conversion.candidate.code
    assert "{[1] = -1.5" not in conversion.candidate.code


def test_ruby_multipl_e_tests_convert() -> None:
    conversion = convert_asserts("ruby", RUBY_PROGRAM, RUBY_TESTS)
    assert conversion is not None
    assert [case.expected for case in conversion.cases] == [
        "3",
        '{"a" => [1, -2.5, nil], b: :c}',
    ]
    assert conversion.reference is not None
    assert "VerifierValues.expected(0, (3))" in conversion.reference.code
    assert "add" not in conversion.reference.code
    assert "candidate = method(:add)" in conversion.candidate.code
    assert "VerifierValues.emit(0, candidate.call(1, 2))" in conversion.candidate.code
    assert "-2.5" not in conversion.candidate.code


def test_ruby_magic_encoding_reaches_the_reference() -> None:
    program = "# -*- coding: ascii-8bit -*-\n" + RUBY_PROGRAM
    conversion = convert_asserts("ruby", program, RUBY_TESTS)
    assert conversion is not None and conversion.reference is not None
    assert conversion.reference.code.startswith("# encoding: ascii-8bit\n")
    plain = convert_asserts("ruby", "# encoding: utf-8\n" + RUBY_PROGRAM, RUBY_TESTS)
    assert plain is not None and plain.reference is not None
    assert plain.reference.code.startswith("VerifierValues")


@pytest.mark.parametrize(
    "tests",
    [
        LUA_TESTS.replace("candidate(1, 2), 3)", "candidate(1, 2), None)"),  # a name
        LUA_TESTS.replace("candidate(1, 2), 3)", "candidate(1, 2), math.huge)"),
        LUA_TESTS.replace("candidate(1, 2), 3)", "candidate(1, 2), 3, 'message')"),
        LUA_TESTS.replace("candidate(1, 2), 3)", "candidate(1, 2), 1 + 2)"),
        LUA_TESTS.replace("candidate(1, 2), 3)", "candidate(1, 2) + 0, 3)"),
        LUA_TESTS.replace("candidate(1, 2), 3)", "other(1, 2), 3)"),
        LUA_TESTS.replace(
            "lu.assertEquals(candidate(1, 2)", "lu.assertAlmostEquals(candidate(1, 2)"
        ),
        LUA_TESTS.replace("lu.assertEquals(candidate(1, 2), 3)", "local x = 3"),
        LUA_TESTS.replace(
            "    lu.assertEquals(candidate(1, 2), 3)",
            "    for i = 1, 2 do lu.assertEquals(candidate(i, i), 2 * i) end",
        ),
        LUA_TESTS.replace("os.exit(lu.LuaUnit.run())", ""),  # the tests never run
        LUA_TESTS.replace("function test_humaneval", "function check"),  # luaunit skips it
        LUA_TESTS.replace("require('luaunit')", "require('other')"),
        LUA_TESTS + "\nprint(1)",
        LUA_TESTS.replace("candidate(1, 2), 3)", "candidate(1, 2), '3)"),  # unterminated
    ],
)
def test_lua_other_shapes_do_not_convert(tests: str) -> None:
    assert convert_asserts("lua", LUA_PROGRAM, tests) is None


@pytest.mark.parametrize(
    "tests",
    [
        RUBY_TESTS.replace("assert_equal(3,", 'assert_equal("#{1 + 2}",'),  # interpolation
        RUBY_TESTS.replace("assert_equal(3,", 'assert_equal("#$A",'),  # a global, interpolated
        RUBY_TESTS.replace("assert_equal(3,", "assert_equal(Float::INFINITY,"),
        RUBY_TESTS.replace("assert_equal(3,", "assert_equal(THREE,"),
        RUBY_TESTS.replace("assert_equal(3,", "assert_equal(1 + 2,"),
        RUBY_TESTS.replace("assert_equal(3,", "assert_equal(%w[a b],"),
        RUBY_TESTS.replace("candidate.call(1, 2))", "candidate.call(1, 2), 'message')"),
        RUBY_TESTS.replace("candidate.call(1, 2))", "candidate.call(1, 2)) if false"),
        RUBY_TESTS.replace("candidate.call(1, 2))", "candidate.call(1, 2).to_i)"),
        RUBY_TESTS.replace("candidate.call(1, 2))", "other.call(1, 2))"),
        RUBY_TESTS.replace("assert_equal(3, candidate.call(1, 2))", "assert_in_delta(3, 3, 1)"),
        RUBY_TESTS.replace("assert_equal(3, candidate.call(1, 2))", "x = 3"),
        RUBY_TESTS.replace(
            "    assert_equal(3, candidate.call(1, 2))",
            "    [1, 2].each { |i| assert_equal(2 * i, candidate.call(i, i)) }",
        ),
        RUBY_TESTS.replace(
            "assert_equal(3, candidate.call(1, 2))",
            "assert_equal(3, candidate.call(1, 2))\n  .tap { }",
        ),
        RUBY_TESTS.replace("< Test::Unit::TestCase", ""),
        RUBY_TESTS.replace("def test_add", "def check_add"),  # test-unit skips it
        RUBY_TESTS.replace("require 'test/unit'", "require 'minitest'"),
        RUBY_TESTS + "puts 1\n",
        "=begin\n=end\n" + RUBY_TESTS,
    ],
)
def test_ruby_other_shapes_do_not_convert(tests: str) -> None:
    assert convert_asserts("ruby", RUBY_PROGRAM, tests) is None


def _text(value: Any) -> str:
    return json.dumps(value)


def _float(number: float) -> list[str]:
    return ["float", struct.pack(">d", number).hex()]


def _int(number: int) -> list[str]:
    return ["int", str(number)]


def _lua_str(text: bytes) -> list[str]:
    return ["str", text.hex()]


def _table(*pairs: tuple[Any, Any]) -> list[Any]:
    return ["table", [[key, value] for key, value in pairs]]


NAN = float("nan")
LUA_EQUAL = [
    (_int(1), _float(1.0)),  # Lua 5.4: 1 == 1.0
    (_float(0.0), _float(-0.0)),
    (_int(2**53), _float(2.0**53)),
    (_lua_str(b"a\x00\xff"), _lua_str(b"a\x00\xff")),
    (["nil"], ["nil"]),
    (["bool", False], ["bool", False]),
    (
        _table((_int(1), _int(5)), (_lua_str(b"x"), _table())),
        _table((_lua_str(b"x"), _table()), (_float(1.0), _float(5.0))),
    ),
    # a `__pairs` that gives a key with no value: luaunit compares nil with nil
    (_table(), _table((_lua_str(b"k"), ["nil"]))),
    (_table(), _table((["opaque"], ["nil"]))),
]
LUA_UNEQUAL = [
    (_int(2**53 + 1), _float(2.0**53)),  # compared exactly
    (_float(NAN), _float(NAN)),
    (_int(1), _lua_str(b"1")),
    (["bool", True], _int(1)),
    (["nil"], ["bool", False]),
    (_table(), ["nil"]),
    (_table((_int(1), _int(5))), _table((_int(1), _int(5)), (_int(2), _int(6)))),
    (_table((_int(1), _int(5)), (_int(2), _int(6))), _table((_int(1), _int(5)))),
    (_table((_int(1), _int(5))), _table((_lua_str(b"1"), _int(5)))),
    (_table((_lua_str(b"k"), _int(1))), _table((_lua_str(b"k"), ["nil"]))),
    (_table(), _table((["opaque"], _int(1)))),  # a table key: no literal has it
    (_table(), _table((_float(NAN), ["nil"]))),  # luaunit fails on a NaN key
    (_table((_int(1), _int(1))), ["opaque"]),  # a cycle, a function, too deep
]


@pytest.mark.parametrize(("expected", "actual"), LUA_EQUAL)
def test_lua_equal_values(expected: Any, actual: Any) -> None:
    assert same_lua(_text(expected), _text(actual))


@pytest.mark.parametrize(("expected", "actual"), LUA_UNEQUAL)
def test_lua_unequal_values(expected: Any, actual: Any) -> None:
    assert not same_lua(_text(expected), _text(actual))


def _str(text: str, encoding: str = "UTF-8") -> list[Any]:
    data = text.encode("latin-1" if encoding == "ASCII-8BIT" else "utf-8")
    return ["str", encoding, data.isascii(), data.hex()]


def _array(*items: Any) -> list[Any]:
    return ["array", list(items)]


def _hash(*pairs: tuple[Any, Any]) -> list[Any]:
    return ["hash", [[key, value] for key, value in pairs]]


def _rational(numerator: int, denominator: int) -> list[Any]:
    return ["rational", str(numerator), str(denominator), _float(numerator / denominator)[1]]


RUBY_EQUAL = [
    (_int(1), _float(1.0)),
    (_float(0.0), _float(-0.0)),
    (_int(10**30), _int(10**30)),
    (_int(3), _rational(3, 1)),
    (_float(1 / 3), _rational(1, 3)),  # Rational#== through to_f
    (_int(3), ["complex", _int(3), _float(0.0)]),
    (_str("abc"), _str("abc", "ASCII-8BIT")),  # ASCII-only strings of any encoding
    (_str(""), ["str", "UTF-16LE", False, ""]),
    (["sym", "US-ASCII", True, b"a".hex()], ["sym", "US-ASCII", True, b"a".hex()]),
    (_array(_int(1), _array(_str("x"))), _array(_float(1.0), _array(_str("x")))),
    (
        _hash((_str("a"), _int(1)), (_int(2), _int(3))),
        _hash((_int(2), _float(3.0)), (_str("a"), _int(1))),
    ),
    (_hash((_float(0.0), _int(1))), _hash((_float(-0.0), _int(1)))),
]
RUBY_UNEQUAL = [
    (_int(2**53 + 1), _float(2.0**53)),
    (_float(NAN), _float(NAN)),
    (_str("é"), _str("é", "ASCII-8BIT")),  # the same bytes, encodings not comparable
    (_str("a"), ["sym", "US-ASCII", True, b"a".hex()]),
    (_int(1), _str("1")),
    (["nil"], ["bool", False]),
    (_rational(1, 2), _int(1)),
    (_int(3), ["complex", _int(3), _int(1)]),
    (_array(_int(1)), _array(_int(1), _int(2))),
    (_hash((_int(1), _int(2))), _hash((_float(1.0), _int(2)))),  # keys compare with eql?
    (_hash((_int(1), _int(2))), _hash((_int(1), _int(3)))),
    (_hash((_int(1), _int(2))), _hash((["opaque"], _int(2)))),
    (_int(3), ["opaque"]),  # a program's object, whose == could say anything
    (["int", "1" + "0" * 5000], _float(1e308)),
]


@pytest.mark.parametrize(("expected", "actual"), RUBY_EQUAL)
def test_ruby_equal_values(expected: Any, actual: Any) -> None:
    assert same_ruby(_text(expected), _text(actual))


@pytest.mark.parametrize(("expected", "actual"), RUBY_UNEQUAL)
def test_ruby_unequal_values(expected: Any, actual: Any) -> None:
    assert not same_ruby(_text(expected), _text(actual))


@pytest.mark.parametrize("same", [same_lua, same_ruby])
@pytest.mark.parametrize(
    "actual",
    ["", "[", "[[[[", '["int"]', '["int","1e5"]', '["float","zz"]', '["table",[[1]]]', "[" * 5000],
)
def test_malformed_texts_are_unequal(same: Any, actual: str) -> None:
    assert not same(_text(_int(1)), actual)
