"""Lua and Ruby assert tests judged as calls (conversion/lua.py, conversion/ruby.py), through
the real server in warm and fresh jails.

MultiPL-E-shaped tests convert: the candidate prints its values and the expected ones never
enter its jail, so a program that patches luaunit (under a name built at run time), reads
the tests from its own source file, returns an object of its own whose `==` is always true
(defined under a name the guarded path's refusal does not read: that one still passes the
guarded path), or turns its failing exit status into 0 at exit, is a wrong answer whatever
the guarded path makes of it. Tests of any other shape still run behind the completion guard.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integrity.conftest import Judge, assert_items, check_verdict

LUA_TESTS = """\
lu = require('luaunit')

function test_humaneval()
local candidate = add
    lu.assertEquals(candidate(1, 2), 3)
    lu.assertEquals(candidate(20, 2), 22)
end

os.exit(lu.LuaUnit.run())"""
LUA_ADD = "local function add(a, b)\n  return a + b\nend\n"
LUA_FLOAT = "local function add(a, b)\n  return (a + b) / 1.0\nend\n"  # 3.0 == 3 in Lua 5.4
LUA_WRONG = "local function add(a, b)\n  return a - b\nend\n"
LUA_EXIT = "local function add(a, b)\n  os.exit(0)\nend\n"
LUA_STRING = "local function add(a, b)\n  return tostring(a + b)\nend\n"
# luaunit under a name built at run time: its assertEquals silenced for the guarded path.
LUA_PATCHES_LUAUNIT = """\
local unit = require('lua' .. 'unit')
unit.assertEquals = function() end
local function add(a, b)
  return 0
end
"""
LUA_LOOP_TESTS = """\
lu = require('luaunit')

function test_humaneval()
    for i = 1, 3 do
        lu.assertEquals(add(i, i), 2 * i)
    end
end

os.exit(lu.LuaUnit.run())"""
LUA_TABLE_TESTS = """\
lu = require('luaunit')

function test_humaneval()
local candidate = split
    lu.assertEquals(candidate('a b'), {'a', 'b'})
    lu.assertEquals(candidate(''), {})
    lu.assertEquals(candidate('x'), {'x', n = 1})
end

os.exit(lu.LuaUnit.run())"""
LUA_SPLIT = """\
function split(text)
  local words = {}
  for word in text:gmatch('%S+') do
    words[#words + 1] = word
  end
  if #words == 1 then
    words.n = 1.0
  end
  return words
end
"""
LUA_SPLIT_WRONG = LUA_SPLIT.replace("words.n = 1.0", "words.n = 2")

RUBY_TESTS = """\
require 'test/unit'
class TestHumanEval < Test::Unit::TestCase
  def test_add
    candidate = method(:add)
    assert_equal(3, candidate.call(1, 2))
    assert_equal(22, candidate.call(20, 2))
  end
end
"""
RUBY_ADD = "def add(a, b)\n  a + b\nend\n"
RUBY_FLOAT = "def add(a, b)\n  (a + b).to_f\nend\n"  # 3 == 3.0 in Ruby
RUBY_WRONG = "def add(a, b)\n  a - b\nend\n"
RUBY_EXIT = "def add(a, b)\n  exit(0)\nend\n"
RUBY_AT_EXIT = "at_exit { exit!(true) }\n" + RUBY_WRONG
# `==` defined under a name the guarded path's refusal does not read: 3 == Anything.new
# asks Anything#==.
RUBY_ALWAYS_EQUAL = """\
class Anything
  define_method("=" + "=") { |_other| true }
end
def add(a, b)
  Anything.new
end
"""
# The guarded path runs the tests from the program's own file.
RUBY_READS_SOURCE = """\
def add(a, b)
  found = File.read(__FILE__)[/assert_equal\\((\\d+), candidate\\.call\\(#{a}, #{b}\\)\\)/, 1]
  found.to_i
end
"""
RUBY_LOOP_TESTS = """\
require 'test/unit'
class TestHumanEval < Test::Unit::TestCase
  def test_add
    [1, 2, 3].each { |i| assert_equal(2 * i, add(i, i)) }
  end
end
"""
RUBY_HASH_TESTS = """\
require 'test/unit'
class TestHumanEval < Test::Unit::TestCase
  def test_histogram
    candidate = method(:histogram)
    assert_equal({"a" => 2, "b" => 1}, candidate.call("a b a"))
    assert_equal({}, candidate.call(""))
    assert_equal([["a", 1.5]], candidate.call("list"))
  end
end
"""
RUBY_HISTOGRAM = """\
def histogram(text)
  return [["a", Rational(3, 2)]] if text == "list"
  counts = Hash.new(0)
  text.split.reverse.each { |word| counts[word] += 1 }
  counts
end
"""
RUBY_HISTOGRAM_WRONG = RUBY_HISTOGRAM.replace("counts[word] += 1", "counts[word.to_sym] += 1")


# Ruby's test-unit takes a while to load on a loaded machine: room for it, not a timed check.
LIMITS = {"time_s": 10}


CASES: dict[str, tuple[str, str, str, str]] = {
    "lua-honest": ("lua", LUA_ADD, LUA_TESTS, "accepted"),
    "lua-float": ("lua", LUA_FLOAT, LUA_TESTS, "accepted"),
    "lua-wrong": ("lua", LUA_WRONG, LUA_TESTS, "wrong_answer"),
    "lua-string": ("lua", LUA_STRING, LUA_TESTS, "wrong_answer"),
    "lua-exit": ("lua", LUA_EXIT, LUA_TESTS, "wrong_answer"),
    "lua-patches-luaunit": ("lua", LUA_PATCHES_LUAUNIT, LUA_TESTS, "wrong_answer"),
    "lua-loop-honest": ("lua", LUA_ADD.replace("local ", ""), LUA_LOOP_TESTS, "accepted"),
    "lua-loop-wrong": ("lua", LUA_WRONG.replace("local ", ""), LUA_LOOP_TESTS, "runtime_error"),
    "lua-tables": ("lua", LUA_SPLIT, LUA_TABLE_TESTS, "accepted"),
    "lua-tables-wrong": ("lua", LUA_SPLIT_WRONG, LUA_TABLE_TESTS, "wrong_answer"),
    "ruby-honest": ("ruby", RUBY_ADD, RUBY_TESTS, "accepted"),
    "ruby-float": ("ruby", RUBY_FLOAT, RUBY_TESTS, "accepted"),
    "ruby-wrong": ("ruby", RUBY_WRONG, RUBY_TESTS, "wrong_answer"),
    "ruby-exit": ("ruby", RUBY_EXIT, RUBY_TESTS, "wrong_answer"),
    "ruby-at-exit": ("ruby", RUBY_AT_EXIT, RUBY_TESTS, "wrong_answer"),
    "ruby-always-equal": ("ruby", RUBY_ALWAYS_EQUAL, RUBY_TESTS, "wrong_answer"),
    "ruby-reads-source": ("ruby", RUBY_READS_SOURCE, RUBY_TESTS, "wrong_answer"),
    "ruby-loop-honest": ("ruby", RUBY_ADD, RUBY_LOOP_TESTS, "accepted"),
    "ruby-loop-wrong": ("ruby", RUBY_WRONG, RUBY_LOOP_TESTS, "runtime_error"),
    "ruby-hashes": ("ruby", RUBY_HISTOGRAM, RUBY_HASH_TESTS, "accepted"),
    "ruby-hashes-wrong": ("ruby", RUBY_HISTOGRAM_WRONG, RUBY_HASH_TESTS, "wrong_answer"),
}


@pytest.fixture(scope="module")
def verdicts(judge: Judge) -> dict[str, dict[str, Any]]:
    return judge(assert_items(CASES, limits=LIMITS))


@pytest.mark.parametrize("name", list(CASES))
def test_verdict(verdicts: dict[str, dict[str, Any]], name: str) -> None:
    check_verdict(verdicts[name], CASES[name][3])
