"""Ruby assert tests as calls: MultiPL-E's test-unit case, `require 'test/unit'`, `class
TestHumanEval < Test::Unit::TestCase`, one `def test_...` of `candidate = method(:f)` and
`assert_equal(expected, candidate.call(...))` lines.

The candidate is the program, then a method of a class of its own (as the test method ran,
in a scope apart from the program's top-level locals) that makes each call and prints its
value; the reference is the expected expressions alone. Both run with the serializer loaded
first (`ruby -r sandboxes/harness/values_rb.rb`), which prints tagged texts that
`ruby_values.same_ruby` compares as `expected == actual` would. An expected expression is
literals only: numbers (a minus before one), strings without interpolation, symbols, `nil`,
`true`, `false`, arrays and hashes of them (`=>` or `key:`), never a name or a method call,
which the program could have defined. A program's magic encoding comment, which would have
applied to the tests' literals in its file, is given to the reference too.
"""

from __future__ import annotations

import re

from verifier_service.code.conversion.protocol import Case, Conversion, JailProgram, harness_text
from verifier_service.code.conversion.ruby_values import same_ruby
from verifier_service.code.conversion.script_tokens import NEWLINE, ruby_tokens
from verifier_service.code.conversion.tokens import (
    IDENT,
    LITERAL,
    NUMBER,
    PUNCT,
    Token,
    closing,
    source,
    split_top,
    texts,
)
from verifier_service.code.languages import BOX

SERIALIZER = "values_rb.rb"
COMMAND = ("/usr/bin/ruby", "-r", f"{BOX}/{SERIALIZER}", "{source}")
TEST_UNIT = ("'test/unit'", '"test/unit"')
TEST_CASE = ["<", "Test", "::", "Unit", "::", "TestCase"]
LITERAL_WORDS = frozenset({"nil", "true", "false"})
EXPECTED_PUNCTUATION = frozenset({"[", "]", "{", "}", ",", "=>", NEWLINE})
MAGIC_COMMENT = re.compile(r"#.*?coding[:=][ \t]*([\w.-]+)", re.I)
CASES_CLASS = "VerifierCases"


def convert(code: str, tests: str) -> Conversion | None:
    """The test method's assertions as calls, or None when the tests are anything but that
    test case of aliases and `assert_equal(literal, call)`s."""
    try:
        statements = _statements(ruby_tokens(tests))
    except ValueError:
        return None  # Ruby the lexer does not read (interpolation, `%w[]`, ...): not this shape
    closers = 0
    while closers < len(statements) and texts(statements[closers]) == ["end"]:
        closers += 1  # `end`s closing the prompt's method, kept with the program
    body = _test_body(statements[closers:])
    if body is None:
        return None
    parsed = _body(tests, body)
    if parsed is None:
        return None
    lines, cases = parsed
    files = ((SERIALIZER, harness_text(SERIALIZER)),)
    calls = "".join(f"    {line}\n" for line in lines)
    candidate = (
        f"{code}\n" + "end\n" * closers + f"class {CASES_CLASS}\n  def verifier_run\n{calls}"
        f"  end\nend\n{CASES_CLASS}.new.verifier_run\n"
    )
    reference = _encoding_comment(code) + "".join(
        f"VerifierValues.expected({index}, ({case.expected}))\n" for index, case in enumerate(cases)
    )
    return Conversion(
        cases=tuple(cases),
        candidate=JailProgram(candidate, COMMAND, files),
        same=same_ruby,
        reference=JailProgram(reference, COMMAND, files),
    )


def _statements(tokens: list[Token]) -> list[list[Token]]:
    """The tokens cut at each line end or `;` outside every bracket, empty statements
    dropped."""
    statements: list[list[Token]] = [[]]
    depth = 0
    for token in tokens:
        if token.kind == PUNCT and token.text in "([{":
            depth += 1
        elif token.kind == PUNCT and token.text in ")]}":
            depth -= 1
        if depth == 0 and token.kind == PUNCT and token.text in (NEWLINE, ";"):
            statements.append([])
        else:
            statements[-1].append(token)
    return [statement for statement in statements if statement]


def _test_body(statements: list[list[Token]]) -> list[list[Token]] | None:
    """The test method's statements when `statements` are test-unit's require, one test
    case class and one test method in it."""
    if len(statements) < 5 or texts(statements[-2]) != ["end"] or texts(statements[-1]) != ["end"]:
        return None
    required = texts(statements[0])
    if required not in (["require", name] for name in TEST_UNIT) and required not in (
        ["require", "(", name, ")"] for name in TEST_UNIT
    ):
        return None
    declared = statements[1]
    if texts(declared[:1]) != ["class"] or len(declared) != 8 or texts(declared[2:]) != TEST_CASE:
        return None
    if declared[1].kind != IDENT or not declared[1].text[:1].isupper():
        return None
    method = texts(statements[2])
    if method[:1] != ["def"] or len(method) not in (2, 4) or method[2:] not in ([], ["(", ")"]):
        return None
    if statements[2][1].kind != IDENT or not re.fullmatch(r"test_?\w+", method[1]):
        return None
    return statements[3:-2]


def _body(tests: str, body: list[list[Token]]) -> tuple[list[str], list[Case]] | None:
    """The generated method's lines (aliases, then one emit per assertion, in order) and
    the cases; None when a statement is anything else."""
    aliases: dict[str, str] = {}
    lines: list[str] = []
    cases: list[Case] = []
    for statement in body:
        words = texts(statement)
        if len(words) == 6 and words[1:4] == ["=", "method", "("] and words[5] == ")":
            symbol = statement[4]
            if statement[0].kind != IDENT or not re.fullmatch(r":[A-Za-z_]\w*[?!]?", symbol.text):
                return None
            aliases[words[0]] = symbol.text[1:]
            lines.append(f"{words[0]} = method({symbol.text})")
            continue
        case = _assertion(tests, statement, aliases)
        if case is None:
            return None
        lines.append(f"VerifierValues.emit({len(cases)}, {case.call})")
        cases.append(case)
    return (lines, cases) if cases else None


def _assertion(tests: str, statement: list[Token], aliases: dict[str, str]) -> Case | None:
    """`assert_equal(expected, call)`, the call one of the tested method."""
    if texts(statement[:2]) != ["assert_equal", "("] or not _adjacent(statement, 1):
        return None
    if closing(statement, 1) != len(statement) - 1:
        return None
    sides = [_trimmed(side) for side in split_top(statement[2:-1], ",")]
    if len(sides) != 2 or not all(sides):
        return None
    expected, call = sides
    if not _call(call, aliases) or not _plain(expected):
        return None
    return Case(source(tests, call), source(tests, expected))


def _trimmed(tokens: list[Token]) -> list[Token]:
    start, end = 0, len(tokens)
    while start < end and tokens[start].text == NEWLINE:
        start += 1
    while end > start and tokens[end - 1].text == NEWLINE:
        end -= 1
    return tokens[start:end]


def _call(call: list[Token], aliases: dict[str, str]) -> bool:
    """`alias.call(...)`, or the aliased method called by name: `f(...)`."""
    words = texts(call[:4])
    if words[:3] and words[0] in aliases and words[1:4] == [".", "call", "("]:
        opening = 3
    elif words[:2] and words[0] in aliases.values() and words[1] == "(":
        opening = 1
    else:
        return False
    return _adjacent(call, opening) and closing(call, opening) == len(call) - 1


def _adjacent(tokens: list[Token], index: int) -> bool:
    """No space before the token at `index` (`f (x)` is another parse in Ruby)."""
    return tokens[index].start == tokens[index - 1].end


def _plain(expected: list[Token]) -> bool:
    """Literals, arrays and hashes only: no name, method call or operator but a minus."""
    for index, token in enumerate(expected):
        after = expected[index + 1] if index + 1 < len(expected) else None
        if token.kind in (NUMBER, LITERAL) or token.text in LITERAL_WORDS:
            continue
        if (
            token.kind == IDENT
            and after is not None
            and after.text == ":"
            and _adjacent(expected, index + 1)
        ):
            continue  # a `key:` label
        if token.text == ":" and index and expected[index - 1].kind in (IDENT, LITERAL):
            continue
        if token.text == "-" and after is not None and after.kind == NUMBER:
            continue
        if token.kind == PUNCT and token.text in EXPECTED_PUNCTUATION:
            continue
        return False
    return True


def _encoding_comment(code: str) -> str:
    """The program's magic encoding comment (on its first line, or its second after a `#!`
    line), for the tests' literals it would have applied to; none for UTF-8, the default."""
    lines = code.split("\n", 2)
    first = lines[1] if lines[0].startswith("#!") and len(lines) > 1 else lines[0]
    found = MAGIC_COMMENT.match(first.strip())
    if found is None or found.group(1).lower() in ("utf-8", "utf8"):
        return ""
    return f"# encoding: {found.group(1)}\n"
