"""JavaScript and TypeScript assert tests judged as calls (conversion/javascript.py), through
the real server in warm and fresh jails.

MultiPL-E-shaped tests convert: the candidate prints its values and the expected ones never
enter its jail. A TypeScript program that reads them from the compiled file it runs from
passed the guarded path (program and tests compile into that one file) and is a wrong answer
now; one that asks the tests' function for its source finds no such global (the scaffold runs
in a function of its own: `runtime_error`), nor a caller (strict code). The comparison stays
Node's loose deepEqual (`"3"` passes for `3`), a TypeScript type error stays `compile_error`,
and tests of any other shape still run behind the completion guard.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integrity.conftest import Judge, assert_items, check_verdict

JS_TESTS = """\
const assert = require('node:assert');


function test() {
  let candidate = add;
  assert.deepEqual(candidate(1, 2),3);
  assert.deepEqual(candidate(20, 22),42);
}

test();"""
TS_TESTS = "declare var require: any;\n" + JS_TESTS
JS_ADD = "function add(a, b) {\n  return a + b;\n}\n"
JS_WRONG = "function add(a, b) {\n  return a - b;\n}\n"
JS_TEXT = "function add(a, b) {\n  return String(a + b);\n}\n"  # deepEqual: "3" == 3
JS_EXIT = "function add(a, b) {\n  process.exit(0);\n}\n"
# Were the tests' function a global, or the program's caller, its source would hold the answers.
JS_READS_TESTS = """\
function add(a, b) {
  const key = "candidate(" + a + ", " + b + "),";
  const after = test.toString().split(key)[1] || "";
  return Number(after.split(")")[0]);
}
"""
JS_READS_CALLER = JS_READS_TESTS.replace("test.toString()", "String(add.caller)")
JS_PATCHES_ASSERT = """\
const library = require("assert");
try { library.deepEqual = () => {}; } catch (error) {}
function add(a, b) {
  return 0;
}
"""
JS_TAGGED = """\
function add(a, b) {
  return [a + b];
}
"""
JS_LOOP_TESTS = """\
const assert = require('node:assert');
for (const [a, b, sum] of [[1, 2, 3], [2, 2, 4]]) {
  assert.deepEqual(add(a, b), sum);
}
"""
TS_ADD = "function add(a: number, b: number): number {\n  return a + b;\n}\n"
TS_WRONG = TS_ADD.replace("a + b", "a * b")
TS_TYPE_ERROR = "function add(a: string, b: string): string {\n  return a + b;\n}\n"
# The guarded path compiles program and tests into one file, the one node runs.
TS_READS_SOURCE = """\
function add(a: number, b: number): number {
  const source: string = require("fs").readFileSync(process.argv[2], "utf8");
  const after = source.split("candidate(" + a + ", " + b + "),")[1] || "";
  return Number(after.split(")")[0]);
}
"""


# Generous CPU seconds: Node and tsc start slowly on a loaded machine, and a time limit here
# would hide the verdict under test.
LIMITS = {"time_s": 10}


CASES: dict[str, tuple[str, str, str, str]] = {
    "js-honest": ("javascript", JS_ADD, JS_TESTS, "accepted"),
    "js-wrong": ("javascript", JS_WRONG, JS_TESTS, "wrong_answer"),
    "js-text": ("javascript", JS_TEXT, JS_TESTS, "accepted"),
    "js-array": ("javascript", JS_TAGGED, JS_TESTS, "wrong_answer"),
    "js-exit": ("javascript", JS_EXIT, JS_TESTS, "wrong_answer"),
    "js-reads-tests": ("javascript", JS_READS_TESTS, JS_TESTS, "runtime_error"),
    "js-reads-caller": ("javascript", JS_READS_CALLER, JS_TESTS, "wrong_answer"),
    "js-patches-assert": ("javascript", JS_PATCHES_ASSERT, JS_TESTS, "wrong_answer"),
    "js-loop-honest": ("javascript", JS_ADD, JS_LOOP_TESTS, "accepted"),
    "js-loop-wrong": ("javascript", JS_WRONG, JS_LOOP_TESTS, "wrong_answer"),
    "ts-honest": ("typescript", TS_ADD, TS_TESTS, "accepted"),
    "ts-wrong": ("typescript", TS_WRONG, TS_TESTS, "wrong_answer"),
    "ts-type-error": ("typescript", TS_TYPE_ERROR, TS_TESTS, "compile_error"),
    "ts-reads-source": ("typescript", TS_READS_SOURCE, TS_TESTS, "wrong_answer"),
    "ts-reads-tests": ("typescript", JS_READS_TESTS, TS_TESTS, "runtime_error"),
}


@pytest.fixture(scope="module")
def results(judge: Judge) -> dict[str, dict[str, Any]]:
    return judge(assert_items(CASES, limits=LIMITS))


@pytest.mark.parametrize("case", list(CASES))
def test_verdict(results: dict[str, dict[str, Any]], case: str) -> None:
    check_verdict(results[case], CASES[case][3])
