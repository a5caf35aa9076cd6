"""The JavaScript and TypeScript converters on MultiPL-E-shaped test text (convert or not), and
the mirrored `assert.deepEqual`: fixed cases, then Node itself as the oracle (the emitter's
texts for many values, judged by `same_loose`, against what Node's legacy deepEqual says)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from verifier_service.code.conversion import convert_asserts
from verifier_service.code.conversion.javascript import EMITTER, JS
from verifier_service.code.conversion.js_literals import expected_text
from verifier_service.code.conversion.js_values import same_loose
from verifier_service.code.conversion.protocol import HARNESS_DIR
from verifier_service.code.conversion.tokens import tokenize

JS_TESTS = """\
const assert = require('node:assert');


function test() {
  let candidate = add;
  // assert.deepEqual(candidate(9, 9), 1234567); a comment is no case
  assert.deepEqual(candidate(1, 2),3);
  assert.deepEqual(candidate([1, "a"], {k: -0.5}), [{"x": [true, null]}, undefined])
  assert.deepEqual(candidate(1, 2),3);
}

test();"""
TS_TESTS = "declare var require: any;\n" + JS_TESTS


def cases(language: str, tests: str) -> list[tuple[str, str]] | None:
    conversion = convert_asserts(language, "function add(a, b) { return a + b; }", tests)
    if conversion is None:
        return None
    assert conversion.expected is not None
    return [
        (case.call, text) for case, text in zip(conversion.cases, conversion.expected, strict=True)
    ]


def test_multipl_e_tests_convert() -> None:
    for language, tests in (("javascript", JS_TESTS), ("typescript", TS_TESTS)):
        assert cases(language, tests) == [
            ("candidate(1, 2)", '["n","3.0"]'),
            (
                'candidate([1, "a"], {k: -0.5})',
                '["a",[["o",[["x",["a",[["b",true],["z"]]]]]],["u"]]]',
            ),
            ("candidate(1, 2)", '["n","3.0"]'),
        ]


def test_candidate_keeps_the_scaffold_and_none_of_the_expected_values() -> None:
    conversion = convert_asserts("typescript", "function add(a: number, b: number) {}", TS_TESTS)
    assert conversion is not None
    code = conversion.candidate.code
    assert "declare var require: any;\nconst assert = require('node:assert');\n" in code
    assert "function test() {\n  let candidate = add;\n  verifier_emit(0, candidate(1, 2));" in code
    assert "verifier_emit(2, candidate(1, 2));\n}\ntest();\n" in code
    assert "1234567" not in code and "true" not in code and "undefined" not in code
    assert conversion.candidate.command == ("/usr/bin/node", "/box/values_js.js", "/box/{stem}.js")
    assert code.startswith('function add(a: number, b: number) {}\n;\n"verifier values";\n')
    commented = JS_TESTS.replace("(1, 2),3", "(1, /* 3 */ 2 // 3\n),3")
    js = convert_asserts("javascript", "", commented)
    assert js is not None and "3" not in js.candidate.code
    assert "verifier_emit(0, candidate(1, 2\n));" in js.candidate.code  # line breaks kept


def test_a_program_left_open_is_not_closed_by_the_tests() -> None:
    """The program runs as a script of its own: the tests' `}` cannot close it there."""
    assert cases("javascript", "}\n" + JS_TESTS) is None


@pytest.mark.parametrize(
    ("language", "tests"),
    [
        ("javascript", TS_TESTS),  # `declare` is TypeScript
        (
            "javascript",
            JS_TESTS.replace("deepEqual(candidate(1, 2),3)", "strictEqual(candidate(1, 2),3)"),
        ),
        ("javascript", JS_TESTS.replace("'node:assert'", "'node:assert/strict'")),
        ("javascript", JS_TESTS.replace("'node:assert'", "'chai'")),
        ("javascript", JS_TESTS.replace("),3);", "),3, 'message');")),
        ("javascript", JS_TESTS.replace("),3);", "),three);")),
        ("javascript", JS_TESTS.replace("),3);", "),-three);")),
        ("javascript", JS_TESTS.replace("),3);", "),add(1, 2));")),
        ("javascript", JS_TESTS.replace("),3);", "),[...[3]]);")),
        ("javascript", JS_TESTS.replace("),3);", "),[3,,4]);")),
        ("javascript", JS_TESTS.replace("),3);", "),{__proto__: 3});")),
        ("javascript", JS_TESTS.replace("),3);", "),{a: 1, 'a': 2});")),
        ("javascript", JS_TESTS.replace("),3);", "),{a});")),
        ("javascript", JS_TESTS.replace("),3);", "),3n);")),
        ("javascript", JS_TESTS.replace("),3);", "),1_000);")),
        ("javascript", JS_TESTS.replace("),3);", "),017);")),
        ("javascript", JS_TESTS.replace("),3);", "),`3`);")),
        ("javascript", JS_TESTS.replace("),3);", "),'\\1');")),
        ("javascript", JS_TESTS.replace("),3);", "),6 / 2);")),
        ("javascript", JS_TESTS.replace("candidate(1, 2),3", "candidate(/a,/),3")),
        ("javascript", JS_TESTS.replace("candidate(1, 2),3", "candidate(`${1}`),3")),
        ("javascript", JS_TESTS.replace("candidate(1, 2),3", "add(1, 2) + 0,3")),
        ("javascript", JS_TESTS.replace("),3);\n  assert", "),3); assert")[:-1] + "x"),
        ("javascript", JS_TESTS.replace(",3);\n  assert", ",3) assert")),  # a syntax error
        ("javascript", JS_TESTS.replace("let candidate = add;", "let candidate = add; let n = 3;")),
        (
            "javascript",
            JS_TESTS.replace("  assert.deepEqual(candidate(1, 2),3);\n", "  for (;;) {}\n", 1),
        ),
        ("javascript", JS_TESTS.replace("test();", "test(); console.log(1);")),
        ("javascript", JS_TESTS.replace('"a"', '"a\nb"')),  # a line break inside a string
        ("typescript", "declare var require: any;\nfunction test() {}\ntest();"),
    ],
)
def test_other_shapes_do_not_convert(language: str, tests: str) -> None:
    assert cases(language, tests) is None


def text(literal: str) -> str:
    return expected_text(tokenize(literal, JS))


@pytest.mark.parametrize(
    ("expected", "actual", "equal"),
    [
        ("3", '["n","3"]', True),
        ("3", '["s","3"]', True),  # primitives compare with ==
        ("3", '["s"," 3\\n"]', True),
        ("3", '["s","0x3"]', True),
        ("3", '["s","3px"]', False),
        ("'3'", '["n","3"]', True),
        ("true", '["n","1"]', True),
        ("true", '["s","1"]', True),
        ("true", '["s","true"]', False),
        ("false", '["s",""]', True),
        ("undefined", '["z"]', True),
        ("null", '["u"]', True),
        ("null", '["n","0"]', False),
        ("NaN", '["n","NaN"]', True),  # deepEqual's exception to ==
        ("NaN", '["s","NaN"]', False),
        ("0", '["n","-0"]', True),
        ("3", '["i","3"]', True),
        ("'3'", '["i","3"]', True),
        ("3.5", '["i","3"]', False),
        ("9007199254740993", '["i","9007199254740993"]', False),  # the literal is ...992
        ("[1, 2]", '["a",[["n","1"],["s","2"]]]', True),
        ("[1, 2]", '["a",[["n","1"]]]', False),
        ("[]", '["o",[]]', False),
        ("[1]", '["n","1"]', False),  # a primitive never equals an object
        ("'1'", '["a",[["n","1"]]]', False),
        ("{a: 1, 'b': [2]}", '["o",[["b",["a",[["n","2"]]]],["a",["s","1"]]]]', True),
        ("{a: 1}", '["o",[["a",["n","1"]],["b",["u"]]]]', False),
        ("{1: 'x'}", '["o",[["1",["s","x"]]]]', True),
        ("'\\u{1F600}'", '["s","\\ud83d\\ude00"]', True),
        ("'\\ud83d\\ude00'", '["s","\\ud83d\\ude00"]', True),
        ("'e\\u0301'", '["s","\\u00e9"]', False),
        ("1", '["x"]', False),
        ("1", "not json", False),
        ("1", '["n","1e999999"]', False),
        ("1", '["n", 1]', False),
        ("1", '["i","1.0"]', False),
        ("{}", '["o",[["a",["u"]],["a",["u"]]]]', False),
        ("[1]", "[" * 100000 + "]" * 100000, False),
    ],
)
def test_deep_equal_semantics(expected: str, actual: str, equal: bool) -> None:
    assert same_loose(text(expected), actual) is equal


PRIMITIVES = [
    *("0", "-0", "1", "1.5", "-1", "NaN", "Infinity", "-Infinity", "0x10", "1e21"),
    *('""', '" "', '"0"', '"1"', '" 1 "', '"1.50"', '"0x10"', '"-0x10"', '"16"', '"1e3"'),
    *('"abc"', '"true"', '"\\t1\\n"', '"\\u00a01"', '"\\u00851"', '"-Infinity"', '"inf"'),
    *('"1_0"', '".5"', '"5."', '"+5"', '"0b11"', '"0o7"', '"\\ud83d"', '"\\u00e9"'),
    *("true", "false", "null", "undefined", "9007199254740992", '"9007199254740993"'),
]
OBJECTS = [
    *("[]", "{}", "[1]", "[1, 2]", '["1", 2]', "[[1], [2, [3]]]", "{a: 1}", '{"a": 1, b: [2]}'),
    *("{b: [2], a: 1}", '{1: "x"}', "[null]", "[undefined]", "{a: undefined}", "[true, '1']"),
]
ACTUAL_ONLY = [
    *("1n", "0n", "16n", "-1n", "9007199254740993n", "1000000000000000000000n", "[1,,2]"),
    *("Object.assign([1], {x: 1})", "new Map([[1, 2]])", "new Set([1])", "new Date(0)"),
    *("new Number(1)", 'new String("a")', "(() => 1)", 'Symbol("a")', "Object.create(null)"),
    "(function () { class P { constructor() { this.a = 1; } } return new P(); })()",
    "(function () { const o = Object.create(null); o.a = 1; return o; })()",
    "(function () { return arguments; })(1)",
    'new Error("x")',
    "new Uint8Array([1])",
    '{[Symbol.toStringTag]: "X", a: 1}',
    "Promise.resolve(1)",
    'Object.defineProperty({}, "a", {value: 1, enumerable: false})',
]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js, the oracle")
def test_node_itself_agrees(tmp_path: Path) -> None:
    """Every pair (actual, expected): Node's deepEqual and `same_loose` on the emitter's text."""
    actuals, expecteds = PRIMITIVES + OBJECTS + ACTUAL_ONLY, PRIMITIVES + OBJECTS
    lines = [
        '"verifier values";',  # the marker: no program, all of it is the scaffold
        "const verdicts = [];",
        *(f"verifier_emit({index}, ({actual}));" for index, actual in enumerate(actuals)),
    ]
    for actual in actuals:
        for expected in expecteds:
            lines.append(
                f"try {{ require('node:assert').deepEqual(({actual}), ({expected}));"
                " verdicts.push(1); } catch (error) { verdicts.push(0); }"
            )
    lines.append("console.log('\\nVERDICTS ' + JSON.stringify(verdicts));")
    script = tmp_path / "pairs.js"
    script.write_text("\n".join(lines), encoding="utf-8")
    run = subprocess.run(
        ["node", str(HARNESS_DIR / EMITTER), str(script)],
        capture_output=True,
        text=True,
        check=True,
    )
    values: dict[int, str] = {}
    verdicts: list[int] = []
    for line in run.stdout.split("\n"):  # not splitlines: \x1e ends a line there
        if line.startswith("\x1eVERIFIER_VALUE "):
            index, value = line.split(" ", 2)[1:]
            values[int(index)] = value
        elif line.startswith("VERDICTS "):
            verdicts = json.loads(line.removeprefix("VERDICTS "))
    pairs = [(actual, expected) for actual in range(len(actuals)) for expected in expecteds]
    assert len(verdicts) == len(pairs)
    disagree = [
        (actuals[actual], expected, verdict)
        for (actual, expected), verdict in zip(pairs, verdicts, strict=True)
        if same_loose(text(expected), values[actual]) != bool(verdict)
    ]
    assert disagree == []
    assert sum(verdicts) > len(actuals)  # many pairs are equal, not only the identical ones
