"""The completion guard of assert tests that cannot be judged as calls (JavaScript, TypeScript,
Ruby, Python), through the real server in warm and fresh jails.

Each attack below was accepted before these fixes: a JavaScript program that rebinds the tests'
hoisted `function test` (`var test = ...` does it by accident) or reads the expected values
from `test.toString()`; a Ruby `at_exit { exit!(true) }` that turned the failing status of
test/unit into 0 after the token was printed; a Python program that replaces `math.isclose`,
or walks its frames or the garbage collector's objects for the token. Every attack must end
with reward 0, and the right programs beside them (with the same accidental names) must stay
accepted. The tests are loops over cases, not plain calls, so that they stay on the guarded
path whatever converters exist; the service here also has conversion off.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integrity.conftest import Judge, code_item

JS_TESTS = """\
const assert = require('node:assert');

function test() {
  const cases = [[1, 2, 3], [2, 2, 4], [5, 5, 10]];
  for (const [a, b, want] of cases) {
    assert.ok(Math.abs(add(a, b) - want) < 1e-9);
    assert.ok(JSON.stringify([add(a, b)]) === JSON.stringify([want]));
  }
}

test();
"""
TS_TESTS = "declare var require: any;\n" + JS_TESTS
JS_ADD = "function add(a, b) {\n  return a + b;\n}\n"
TS_ADD = "function add(a: number, b: number): number {\n  return a + b;\n}\n"
# The tests' source would give the expected values of every case.
JS_READS_CALLER = """\
function add(a, b) {
  const source = String(add.caller);
  for (const [, x, y, want] of source.matchAll(/\\[(\\d+), (\\d+), (\\d+)\\]/g)) {
    if (Number(x) === a && Number(y) === b) return Number(want);
  }
  return 0;
}
"""
# Right on the first case, then it replaces what the tests compare with.
JS_REPLACES_WHILE_TESTED = """\
function add(a, b) {
  Math.abs = () => 0;
  JSON.stringify = () => "same";
  globalThis.Math = { abs: () => 0 };
  Array.prototype.toJSON = () => 0;
  return a === 1 ? 3 : 0;
}
"""
# Prints every 32-hex-digit string of its own heap as the token and exits 0.
JS_HEAP_TOKEN = """\
function add(a, b) {
  return 0;
}
const file = require('v8').writeHeapSnapshot('/tmp/heap.heapsnapshot');
const text = require('fs').readFileSync(file, 'latin1');
for (const [found] of text.matchAll(/\\b[0-9a-f]{32}\\b/g)) {
  process.stdout.write('\\n\\x1eVERIFIER_DONE ' + found + '\\n');
}
process.exit(0);
"""

RUBY_TESTS = """\
require 'test/unit'
class TestAdd < Test::Unit::TestCase
  def test_add
    [[1, 2, 3], [2, 2, 4], [5, 5, 10]].each do |a, b, want|
      assert_equal(want, add(a, b))
    end
  end
end
"""
RUBY_PLAIN_TESTS = (
    "[[1, 2, 3], [2, 2, 4]].each { |a, b, want| raise 'no' unless add(a, b) == want }\n"
)
RUBY_ADD = "def add(a, b)\n  a + b\nend\n"
RUBY_WRONG = "def add(a, b)\n  0\nend\n"
# The token from stdin or from any String of the heap, printed, then a successful exit.
RUBY_STEALS_TOKEN = (
    RUBY_WRONG
    + "found = [$stdin.read.to_s] + ObjectSpace.each_object(String).to_a\n"
    + "found.join(' ').scan(/\\h{32}/).each { |t| print \"\\n\\x1eVERIFIER_DONE #{t}\\n\" }\n"
    + "$stdout.flush\nexit!(0)\n"
)

PYTHON_TESTS = """\
import math

for a, b, want in [(1, 2, 3.0), (2, 2, 4.0), (5, 5, 10.0)]:
    assert math.isclose(add(a, b), want)
"""
PYTHON_ADD = "def add(a, b):\n    return a + b\n"
# Every 32-hex-digit string or bytes in the locals of every frame it can reach (its callers',
# a traceback's) and in every object the garbage collector lists, printed as the token.
PYTHON_STEALS_TOKEN = """\
import gc, os, re, sys

def add(a, b):
    found = set()
    def scan(values):
        for value in values:
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            if isinstance(value, str):
                found.update(re.findall(r"\\b[0-9a-f]{32}\\b", value))
    try:
        raise ValueError
    except ValueError as error:
        frame = error.__traceback__.tb_frame
    while frame is not None:
        scan(frame.f_locals.values())
        frame = frame.f_back
    for thing in gc.get_objects():
        if isinstance(thing, dict):
            scan(thing.values())
        elif isinstance(thing, (list, tuple)):
            scan(thing)
    os.write(1, "".join(f"\\n\\x1eVERIFIER_DONE {t}\\n" for t in found).encode())
    os._exit(0)
"""

# language -> check -> (program, tests, accepted?)
CASES: dict[str, dict[str, tuple[str, str, bool]]] = {
    "javascript": {
        "right": (JS_ADD, JS_TESTS, True),
        # a helper kept in `var test`, a `function test` of its own, its own `assert`
        "right_var_test": (JS_ADD + "var test = 5;\n", JS_TESTS, True),
        "right_function_test": (JS_ADD + "function test() {\n  return 1;\n}\n", JS_TESTS, True),
        "right_own_assert": ("const assert = require('assert');\n" + JS_ADD, JS_TESTS, True),
        # a global of its own named like a builtin, used by its own function
        "right_own_escape": (
            "function escape(x) {\n  return x;\n}\n"
            "function add(a, b) {\n  return escape(a) + escape(b);\n}\n",
            JS_TESTS,
            True,
        ),
        "silences_test": (
            "function add(a, b) {\n  return 0;\n}\ntest = function () {};\n",
            JS_TESTS,
            False,
        ),
        "reads_caller": (JS_READS_CALLER, JS_TESTS, False),
        "replaces_builtins": (
            "function add(a, b) {\n  return 0;\n}\nMath.abs = () => 0;\n"
            'JSON.stringify = () => "same";\nvar JSON = { stringify: () => "same" };\n',
            JS_TESTS,
            False,
        ),
        "replaces_while_tested": (JS_REPLACES_WHILE_TESTED, JS_TESTS, False),
        "heap_token": (JS_HEAP_TOKEN, JS_TESTS, False),
    },
    "typescript": {
        "right": (TS_ADD, TS_TESTS, True),
        "right_var_test": (TS_ADD + "var test2 = 5;\nvar helper = test2;\n", TS_TESTS, True),
        "silences_test": (
            "function add(a: number, b: number): number {\n  return 0;\n}\n"
            "(globalThis as any).test = function () {};\n",
            TS_TESTS,
            False,
        ),
    },
    "ruby": {
        "right": (RUBY_ADD, RUBY_TESTS, True),
        "right_plain": (RUBY_ADD, RUBY_PLAIN_TESTS, True),
        # `include Math` at the top level, and a main block that must not run
        "right_main_block": (
            "include Math\n" + RUBY_ADD + "if __FILE__ == $0\n  puts add(1, 2)\n  exit 0\nend\n",
            RUBY_TESTS,
            True,
        ),
        "at_exit": (RUBY_WRONG + "at_exit { exit!(true) }\n", RUBY_TESTS, False),
        "trap_exit": (RUBY_WRONG + "trap('EXIT') { exit!(0) }\n", RUBY_TESTS, False),
        "shadows_raise": (RUBY_WRONG + "def raise(*) = nil\n", RUBY_PLAIN_TESTS, False),
        "shadows_exit": (
            RUBY_WRONG + "def exit!(*) = nil\nat_exit { Process.exit!(0) }\n",
            RUBY_TESTS,
            False,
        ),
        "prepends": (
            RUBY_WRONG + "helper = Module.new { define_method('==') { |_| true } }\n"
            "1.class.prepend(helper)\n",
            RUBY_PLAIN_TESTS,
            False,
        ),
        "steals_token": (RUBY_STEALS_TOKEN, RUBY_TESTS, False),
        # right on the first case, then it replaces what the runner decides with
        "replaces_while_tested": (
            "def add(a, b)\n  Test::Unit::TestResult.send(:define_method, :passed?) { true }\n"
            "  self.class.send(:define_method, :assert_equal) { |*| true }\n"
            "  a == 1 ? 3 : 0\nend\n",
            RUBY_TESTS,
            False,
        ),
        # helpers named like Kernel methods are the program's own
        "right_helpers": (
            "def test(x) = x\ndef format(x) = x.to_s\ndef add(a, b) = format(a + b).to_i\n",
            RUBY_TESTS,
            True,
        ),
    },
    "python": {
        "right": (PYTHON_ADD, PYTHON_TESTS, True),
        "right_main_block": (
            "import sys\nfrom math import *\nsys.setrecursionlimit(10000)\n"
            + PYTHON_ADD
            + 'if __name__ == "__main__":\n    print(add(1, 2))\n',
            PYTHON_TESTS,
            True,
        ),
        "replaces_isclose": (
            "import math\nmath.isclose = lambda *a, **k: True\ndef add(a, b):\n    return 0\n",
            PYTHON_TESTS,
            False,
        ),
        "replaces_while_tested": (
            "import math\ndef add(a, b):\n    math.isclose = lambda *a, **k: True\n"
            "    return 3 if a == 1 else 0\n",
            PYTHON_TESTS,
            False,
        ),
        "replaces_module": (
            "import sys, types\nfake = types.ModuleType('math')\n"
            "fake.isclose = lambda *a, **k: True\nsys.modules['math'] = fake\n"
            "def add(a, b):\n    return 0\n",
            PYTHON_TESTS,
            False,
        ),
        # a tracer that would jump over the tests' remaining lines
        "traces": (
            "import sys\ndef add(a, b):\n    sys.settrace(lambda *a: None)\n    return 3\n",
            PYTHON_TESTS,
            False,
        ),
        "steals_token": (PYTHON_STEALS_TOKEN, PYTHON_TESTS, False),
    },
}
# Room for a loaded machine: a verdict here never depends on time.
LIMITS = {"time_s": 10, "memory_mb": 512}
CHECKS = [(language, check) for language, checks in CASES.items() for check in checks]


@pytest.fixture(scope="module")
def verdicts(guarded_judge: Judge) -> dict[str, dict[str, Any]]:
    items = [
        code_item(
            f"{language}/{check}",
            language,
            program,
            {"kind": "assert", "code": tests},
            limits=LIMITS,
        )
        for language, checks in CASES.items()
        for check, (program, tests, _) in checks.items()
    ]
    return guarded_judge(items)


@pytest.mark.parametrize(
    ("language", "check"), CHECKS, ids=[f"{lang}-{check}" for lang, check in CHECKS]
)
def test_guard(verdicts: dict[str, dict[str, Any]], language: str, check: str) -> None:
    result = verdicts[f"{language}/{check}"]
    if CASES[language][check][2]:
        assert (result["verdict"], result["reward"]) == ("accepted", 1.0), json.dumps(result)
    else:
        assert result["verdict"] in ("wrong_answer", "runtime_error"), json.dumps(result)
        assert result["reward"] == 0.0
