"""Rust and Go assert tests judged as calls (conversion/rust.py, conversion/go.py), through
the real server in warm and fresh jails.

MultiPL-E-shaped tests convert: the candidate prints its values and the expected ones never
enter its jail, so a program that reads its own source for them, or returns a value of its
own type whose `PartialEq` or `String` says what the tests want, is a wrong answer (each
passed the guarded path). Tests of any other shape still run behind the completion guard.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integrity.conftest import Judge, assert_items, check_verdict

RUST_TESTS = """\
fn main() {
    let candidate = add;
    assert_eq!(candidate(1, 2), 3);
    assert_eq!(candidate(20000000000, 2), 20000000002);
}
"""
RUST_ADD = "fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n"
RUST_WRONG = "fn add(a: i64, b: i64) -> i64 {\n    a - b\n}\n"
RUST_OWN_MAIN = RUST_ADD + 'fn main() {\n    println!("{}", add(1, 2));\n}\n'
RUST_EXIT = "fn add(a: i64, b: i64) -> i64 {\n    std::process::exit(0)\n}\n"
# `PartialEq` under another name walks past the guarded path's refusal of cross-type impls.
RUST_ALWAYS_EQUAL = """\
use std::cmp::PartialEq as Same;
#[derive(Debug)]
struct Anything;
impl Same<i64> for Anything {
    fn eq(&self, _: &i64) -> bool { true }
}
fn add(a: i64, b: i64) -> Anything { Anything }
"""
# The guarded path compiles the tests into the program's file: it can read them.
RUST_READS_SOURCE = """\
fn add(a: i64, b: i64) -> i64 {
    let source = include_str!(file!());
    let key = format!("candidate({}, {}), ", a, b);
    let after = source.split(key.as_str()).nth(1).unwrap_or("");
    let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().unwrap_or(-1)
}
"""
RUST_LOOP_TESTS = """\
fn main() {
    for (a, b, sum) in [(1, 2, 3), (2, 2, 4)] {
        assert_eq!(add(a, b), sum);
    }
}
"""
RUST_COMPOUND_TESTS = """\
}

fn main() {
    let candidate = describe;
    assert_eq!(candidate(2), (vec![String::from("2")], Some(0.5),
        HashMap::from([(String::from("n"), 2)])));
    assert_eq!(candidate(0), (Vec::<String>::new(), None, HashMap::from([(String::from("n"), 0)])));
}
"""
RUST_COMPOUND = """\
// Left open, as MultiPL-E's prompt: the tests' leading `}` closes it.
use std::collections::HashMap;
fn describe(n: isize) -> (Vec<String>, Option<f64>, HashMap<String, isize>) {
    let words = if n == 0 { vec![] } else { vec![n.to_string()] };
    let share = if n == 0 { None } else { Some(1.0 / n as f64) };
    (words, share, HashMap::from([(String::from("n"), n)]))
"""
RUST_COMPOUND_WRONG = RUST_COMPOUND.replace("1.0 / n as f64", "1.0 / (n + 1) as f64")

GO_TESTS = """\
func TestAdd(t *testing.T) {
  candidate := add
	type test struct {
		actual   interface{}
		expected interface{}
	}
   tests := []test{
     { actual: candidate(1, 2), expected: 3 },
     { actual: candidate(2, 2), expected: 4 },
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
GO_HEAD = 'package add_test\n\nimport (\n\t"testing"\n\t"fmt"\n)\n\n'
GO_ADD = GO_HEAD + "func add(a int, b int) int {\n\treturn a + b\n}\n"
GO_WRONG = GO_HEAD + "func add(a int, b int) int {\n\treturn a * b\n}\n"
GO_OWN_MAIN = GO_ADD + "func main() {\n\tfmt.Println(add(1, 2))\n}\n"
GO_EXIT = GO_HEAD.replace('"fmt"', '"fmt"\n\t"os"') + (
    "func add(a int, b int) int {\n\tos.Exit(0)\n\treturn 0\n}\n"
)
# %v calls a String method of the program's type: any text it likes passes the guarded path.
GO_STRINGER = (
    GO_HEAD.replace('"fmt"', '"fmt"\n\t"strconv"')
    + "type answer struct{ a, b int }\n\n"
    + "func (x answer) String() string { return strconv.Itoa(x.a + x.b) }\n\n"
    + "func add(a int, b int) answer {\n\treturn answer{a, b}\n}\n"
)
GO_READS_SOURCE = GO_HEAD.replace('"fmt"', '"fmt"\n\t_ "embed"\n\t"strconv"\n\t"strings"') + (
    "//go:embed main.go\nvar source string\n\n"
    "func add(a int, b int) int {\n"
    '\tkey := fmt.Sprintf("candidate(%d, %d), expected: ", a, b)\n'
    "\tparts := strings.SplitN(source, key, 2)\n"
    "\tif len(parts) < 2 {\n\t\treturn -1\n\t}\n"
    "\tvalue, _ := strconv.Atoi(strings.Fields(parts[1])[0])\n"
    "\treturn value\n}\n"
)
GO_PLAIN_TESTS = """\
func TestAdd(t *testing.T) {
	if fmt.Sprint(add(1, 2)) != "3" || add(2, 2) != 4 {
		t.Errorf("add")
	}
}
"""
GO_COMPOUND_TESTS = GO_TESTS.replace("add", "split").replace(
    "{ actual: candidate(1, 2), expected: 3 },\n     { actual: candidate(2, 2), expected: 4 },",
    '{ actual: candidate("a b"), expected: []string{"a", "b"} },\n'
    '     { actual: candidate(""), expected: map[string]int{} },',
)
GO_COMPOUND = GO_HEAD.replace('"fmt"', '"fmt"\n\t"strings"') + (
    "func split(text string) interface{} {\n"
    '\tif text == "" {\n\t\treturn map[string]int{}\n\t}\n'
    "\treturn strings.Fields(text)\n}\n"
)


CASES: dict[str, tuple[str, str, str, str]] = {
    "rust-honest": ("rust", RUST_ADD, RUST_TESTS, "accepted"),
    "rust-wrong": ("rust", RUST_WRONG, RUST_TESTS, "wrong_answer"),
    "rust-own-main": ("rust", RUST_OWN_MAIN, RUST_TESTS, "accepted"),
    "rust-exit": ("rust", RUST_EXIT, RUST_TESTS, "wrong_answer"),
    "rust-always-equal": ("rust", RUST_ALWAYS_EQUAL, RUST_TESTS, "wrong_answer"),
    "rust-reads-source": ("rust", RUST_READS_SOURCE, RUST_TESTS, "wrong_answer"),
    "rust-loop-honest": ("rust", RUST_ADD, RUST_LOOP_TESTS, "accepted"),
    "rust-loop-wrong": ("rust", RUST_WRONG, RUST_LOOP_TESTS, "runtime_error"),
    "rust-compound": ("rust", RUST_COMPOUND, RUST_COMPOUND_TESTS, "accepted"),
    "rust-compound-wrong": ("rust", RUST_COMPOUND_WRONG, RUST_COMPOUND_TESTS, "wrong_answer"),
    "go-honest": ("go", GO_ADD, GO_TESTS, "accepted"),
    "go-wrong": ("go", GO_WRONG, GO_TESTS, "wrong_answer"),
    "go-own-main": ("go", GO_OWN_MAIN, GO_TESTS, "accepted"),
    "go-exit": ("go", GO_EXIT, GO_TESTS, "wrong_answer"),
    "go-stringer": ("go", GO_STRINGER, GO_TESTS, "wrong_answer"),
    "go-reads-source": ("go", GO_READS_SOURCE, GO_TESTS, "wrong_answer"),
    "go-plain-honest": ("go", GO_ADD, GO_PLAIN_TESTS, "accepted"),
    "go-plain-wrong": ("go", GO_WRONG, GO_PLAIN_TESTS, "runtime_error"),
    "go-compound": ("go", GO_COMPOUND, GO_COMPOUND_TESTS, "accepted"),
}


@pytest.fixture(scope="module")
def results(judge: Judge) -> dict[str, dict[str, Any]]:
    return judge(assert_items(CASES))


@pytest.mark.parametrize("case", list(CASES))
def test_verdict(results: dict[str, dict[str, Any]], case: str) -> None:
    check_verdict(results[case], CASES[case][3])
