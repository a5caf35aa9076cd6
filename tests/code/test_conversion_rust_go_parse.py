"""The Rust and Go converters on MultiPL-E-shaped test text (convert or not), and Rust's
tagged comparison (`assert_eq!` on the standard library's types)."""

from __future__ import annotations

import json

import pytest

from verifier_service.code.conversion import convert_asserts
from verifier_service.code.conversion.tagged import same_tagged

RUST_PROGRAM = "fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n"
RUST_TESTS = """\
}

fn main() {
    let candidate = add;
    // assert_eq!(candidate(9, 9), 0); a comment is no case
    assert_eq!(candidate(1, 2), 3);
    assert_eq!(candidate(0, 0), 0);
}
"""
GO_PROGRAM = 'package add_test\n\nimport (\n\t"testing"\n\t"fmt"\n)\n\nfunc add(a, b int) int {\n'
GO_TESTS = """\
func TestAdd(t *testing.T) {
  candidate := add
	type test struct {
		actual   interface{}
		expected interface{}
	}
   tests := []test{
     { actual: candidate(1, 2), expected: 3 },
     { actual: candidate(0, 0), expected: 0 },
   }

	for i, tc := range tests {
		t.Run(fmt.Sprintf("test num % d", i), func(t *testing.T) {
			if fmt.Sprintf("%v", tc.actual) != fmt.Sprintf("%v", tc.expected) {
				t.Errorf("expected '%s', got '%s'", tc.expected, tc.actual)
			}
		})
	}
}
"""


def test_rust_multipl_e_tests_convert() -> None:
    conversion = convert_asserts("rust", RUST_PROGRAM, RUST_TESTS)
    assert conversion is not None
    assert [(case.call, case.expected) for case in conversion.cases] == [
        ("candidate(1, 2)", "3"),
        ("candidate(0, 0)", "0"),
    ]
    assert conversion.reference is not None
    assert "let verifier_expected = [3, 0];" in conversion.reference.code
    assert "add" not in conversion.reference.code.split("fn main")[-1]
    assert "verifier_emit!(1, candidate(0, 0));" in conversion.candidate.code


def test_rust_expected_values_stay_out_of_the_candidate() -> None:
    tests = RUST_TESTS.replace("candidate(1, 2), 3", "candidate(1, 2), 987654")
    conversion = convert_asserts("rust", RUST_PROGRAM, tests)
    assert conversion is not None
    assert "987654" not in conversion.candidate.code


def test_rust_large_literals_are_widened_in_the_reference() -> None:
    tests = RUST_TESTS.replace("candidate(1, 2), 3", "candidate(1, 2), vec![30000000000]")
    conversion = convert_asserts("rust", RUST_PROGRAM, tests)
    assert conversion is not None and conversion.reference is not None
    assert "vec![30000000000i64]" in conversion.reference.code


@pytest.mark.parametrize(
    "statement",
    [
        "for x in 0..2 { assert_eq!(candidate(x, 0), x); }",
        "let x = 3;",
        "assert!(candidate(1, 2) == 3);",
        'assert_eq!(candidate(1, 2), 3, "message");',
        "assert_eq!(candidate(1, 2), add(1, 2));",
        "assert_eq!(candidate(1, 2), helper());",
        "assert_eq!(candidate(1, 2) + 1, 4);",
        'println!("done");',
    ],
)
def test_rust_other_statements_keep_the_guarded_path(statement: str) -> None:
    tests = RUST_TESTS.replace("    assert_eq!(candidate(0, 0), 0);\n", f"    {statement}\n")
    assert convert_asserts("rust", RUST_PROGRAM, tests) is None


def test_rust_tests_without_cases_or_with_more_items_do_not_convert() -> None:
    no_cases = "fn main() {\n    let candidate = add;\n}\n"
    assert convert_asserts("rust", RUST_PROGRAM, no_cases) is None
    extra = RUST_TESTS + "fn helper() -> i64 { 3 }\n"
    assert convert_asserts("rust", RUST_PROGRAM, extra) is None
    assert convert_asserts("rust", RUST_PROGRAM, RUST_TESTS.replace("}\n", "", 1)[:-2]) is None


def test_rust_program_main_is_renamed_only_at_the_top_level() -> None:
    program = (
        'fn main() { println!("fn main()"); }\n'
        "mod inner { pub fn main() {} }\n"
        "fn add(a: i64, b: i64) -> i64 { a + b }\n"
    )
    conversion = convert_asserts("rust", program, RUST_TESTS)
    assert conversion is not None
    code = conversion.candidate.code
    assert 'fn verifier_program_main() { println!("fn main()"); }' in code
    assert "pub fn main() {}" in code


def test_go_multipl_e_tests_convert() -> None:
    conversion = convert_asserts("go", GO_PROGRAM, "}\n\n" + GO_TESTS)
    assert conversion is not None
    assert [(case.call, case.expected) for case in conversion.cases] == [
        ("candidate(1, 2)", "3"),
        ("candidate(0, 0)", "0"),
    ]
    code = conversion.candidate.code
    assert code.startswith("package main\n")
    assert "var _ = fmt.Sprintf" in code and "var _ *testing.T" in code
    assert conversion.reference is not None
    assert "verifier_emit(0, 3)" in conversion.reference.code


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('fmt.Sprintf("%v", tc.actual)', "reflect.DeepEqual(tc.actual, tc.expected) && x"),
        ('fmt.Sprintf("%v", tc.expected)', 'fmt.Sprintf("%d", tc.expected)'),
        ("expected: 3 }", "expected: add(1, 2) }"),
        ("expected: 3 }", "expected: helper }"),
        ("actual: candidate(1, 2)", "actual: candidate(1, 2) + 1"),
        ("candidate := add\n", "candidate := add\n\tprintln(1)\n"),
        ("t.Errorf(", "t.Logf("),
    ],
)
def test_go_other_shapes_keep_the_guarded_path(old: str, new: str) -> None:
    tests = GO_TESTS.replace(old, new, 1)
    assert tests != GO_TESTS
    assert convert_asserts("go", GO_PROGRAM, tests) is None


def _tagged(tag: str, payload: object = None) -> str:
    return json.dumps([tag] if payload is None else [tag, payload])


@pytest.mark.parametrize(
    ("expected", "actual", "equal"),
    [
        (_tagged("int", "3"), _tagged("int", "3"), True),
        (_tagged("int", "3"), _tagged("f64", "3.0"), False),
        (_tagged("f64", "0.5"), _tagged("f64", "5e-1"), True),
        (_tagged("f64", "0.0"), _tagged("f64", "-0.0"), True),
        (_tagged("f64", "NaN"), _tagged("f64", "NaN"), False),
        (_tagged("f64", "0.1"), _tagged("f32", "0.1"), True),
        (_tagged("f64", "0.1"), _tagged("f32", "0.10000001"), False),
        (_tagged("str", "a"), _tagged("char", "a"), False),
        (_tagged("seq", []), _tagged("tuple", []), False),
        (_tagged("none"), _tagged("some", ["unit"]), False),
        (_tagged("opaque"), _tagged("opaque"), False),
        (
            _tagged("set", [["int", "1"], ["int", "2"]]),
            _tagged("set", [["int", "2"], ["int", "1"]]),
            True,
        ),
        (
            _tagged("map", [[["str", "a"], ["int", "1"]], [["str", "b"], ["int", "2"]]]),
            _tagged("map", [[["str", "b"], ["int", "2"]], [["str", "a"], ["int", "1"]]]),
            True,
        ),
        (
            _tagged("map", [[["str", "a"], ["int", "1"]]]),
            _tagged("map", [[["str", "a"], ["int", "2"]]]),
            False,
        ),
        (_tagged("int", "1"), "[" * 100000, False),
        (_tagged("int", "1"), '["int", 1]', False),
    ],
)
def test_rust_comparison(expected: str, actual: str, equal: bool) -> None:
    assert same_tagged(expected, actual) is equal
