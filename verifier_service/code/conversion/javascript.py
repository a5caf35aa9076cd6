"""JavaScript and TypeScript assert tests as calls: MultiPL-E's shape,

    const assert = require('node:assert');
    function test() {
      let candidate = f;
      assert.deepEqual(candidate(...), expected);
      ...
    }
    test();

(TypeScript's with `declare var require: any;` first). `assert.deepEqual` is Node's legacy
loose comparison, mirrored on the host (`js_values.py`) from the expected literals read there
(`js_literals.py`) and the values the candidate prints (sandboxes/harness/values_js.js).

The candidate is the program, a marker statement, then that same scaffold, token for token,
with each assertion replaced by `verifier_emit(i, candidate(...))`; the emitter runs the
program as a script, then the scaffold as strict code in a function of its own, as the assert
driver runs program and tests. So the program meets the names it met beside the tests, and a
TypeScript program, compiled with the scaffold as it was with the tests, is type-checked
against the same calls (a type error stays `compile_error`). No comment or expected
expression of the tests is copied into it. Only tests that are exactly this shape convert
(a leading `}` that would close the program does not: the program is a script of its own),
with expected expressions that are literals the host reads (`js_literals.py`); a test that
uses `/` anywhere (a regex literal cannot be told from a division by tokens) or a template
with a substitution does not.
"""

from __future__ import annotations

import re
from itertools import pairwise

from verifier_service.code.conversion.js_literals import expected_text
from verifier_service.code.conversion.js_values import same_loose
from verifier_service.code.conversion.protocol import Case, Conversion, JailProgram, harness_text
from verifier_service.code.conversion.tokens import (
    IDENT,
    LITERAL,
    Grammar,
    Token,
    call_arguments,
    closing,
    split_top,
    tokenize,
)
from verifier_service.code.languages import BOX

EMITTER = "values_js.js"
JS = Grammar(
    literals=(
        re.compile(r'"(?:\\(?:\r\n|[\s\S])|[^"\\\n\r])*"'),
        re.compile(r"'(?:\\(?:\r\n|[\s\S])|[^'\\\n\r])*'"),
        re.compile(r"`(?:\\[\s\S]|[^`\\])*`"),
    ),
    nested_comments=False,
    punctuation=("===", "!==", "...", "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?."),
)
ASSERT_MODULES = frozenset({"assert", "node:assert"})  # not assert/strict: deepStrictEqual
DECLARATIONS = frozenset({"const", "let", "var"})
TS_PRELUDE = ("declare", "var", "require", ":", "any")
LINE_BREAKS = ("\n", "\r", "\u2028", "\u2029")
MARKER = '"verifier values";'  # where the emitter splits the program from the scaffold


def convert_javascript(code: str, tests: str) -> Conversion | None:
    return _convert(code, tests, typescript=False)


def convert_typescript(code: str, tests: str) -> Conversion | None:
    return _convert(code, tests, typescript=True)


def _convert(code: str, tests: str, *, typescript: bool) -> Conversion | None:
    try:
        tokens = tokenize(tests, JS)
    except ValueError:
        return None  # an unterminated string (MultiPL-E has a line break in one) or comment
    if any(_unreadable(token) for token in tokens):
        return None
    try:
        matched = _Scaffold.match(tests, tokens, typescript=typescript)
        if matched is None:
            return None
        cases, scaffold = matched
        texts = tuple(expected_text(tokens) for _, tokens in cases)
    except ValueError:
        return None  # a syntax error of the tests', or an expected value not read here
    emitter = harness_text(EMITTER)
    program = f"{code}\n;\n{MARKER}\n{scaffold}"
    run = ("/usr/bin/node", f"{BOX}/{EMITTER}")
    if typescript:
        program += "declare var verifier_emit: any;\n"
        command = (*run, f"{BOX}/{{stem}}.js")
    else:
        command = (*run, "{source}")
    return Conversion(
        cases=tuple(case for case, _ in cases),
        candidate=JailProgram(program, command, ((EMITTER, emitter),)),
        same=same_loose,
        expected=texts,
    )


def _unreadable(token: Token) -> bool:
    """A `/` (division or a regex literal?) or a template with a substitution."""
    return token.text == "/" or (token.text.startswith("`") and "${" in token.text)


class _Scaffold:
    """Reads the tests' tokens as the scaffold, and writes it again around the calls."""

    def __init__(self, tests: str, tokens: list[Token]) -> None:
        self.tests, self.tokens, self.index = tests, tokens, 0
        self.lines: list[str] = []

    @classmethod
    def match(
        cls, tests: str, tokens: list[Token], *, typescript: bool
    ) -> tuple[list[tuple[Case, list[Token]]], str] | None:
        """(each case and its expected tokens, the scaffold with the calls) or None."""
        reader = cls(tests, tokens)
        if typescript and reader.take(*TS_PRELUDE):
            reader.end_statement()
            reader.lines.append("declare var require: any;")
        if not reader.declaration("assert") or not reader.take("=", "require", "("):
            return None
        module = reader.next()
        if module.kind != LITERAL or module.text[1:-1] not in ASSERT_MODULES:
            return None
        if not reader.take(")"):
            return None
        reader.end_statement()
        reader.lines[-1] += f" = require({module.text});"
        return reader.test_function()

    def test_function(self) -> tuple[list[tuple[Case, list[Token]]], str] | None:
        if not self.take("function"):
            return None
        name = self.next()
        if name.kind != IDENT or not self.take("(", ")", "{"):
            return None
        self.lines.append(f"function {name.text}() {{")
        if not self.declaration("candidate") or not self.take("="):
            return None
        entry = self.next()
        if entry.kind != IDENT:
            return None
        self.end_statement()
        self.lines[-1] = f"  {self.lines[-1]} = {entry.text};"
        cases = self.assertions({"candidate", entry.text})
        if cases is None or not cases or not self.take("}", name.text, "(", ")"):
            return None
        self.end_statement()
        if self.index != len(self.tokens):
            return None
        self.lines += ["}", f"{name.text}();", ""]
        return cases, "\n".join(self.lines)

    def assertions(self, called: set[str]) -> list[tuple[Case, list[Token]]] | None:
        cases: list[tuple[Case, list[Token]]] = []
        while self.take("assert", ".", "deepEqual"):
            open_index = self.index
            if self.next().text != "(":
                return None
            close = closing(self.tokens, open_index)
            parts = split_top(self.tokens[open_index + 1 : close], ",")
            self.index = close + 1
            if len(parts) != 2 or call_arguments(parts[0], called) is None:
                return None
            call = self.code(parts[0])
            expected = self.tests[parts[1][0].start : parts[1][-1].end]
            self.lines.append(f"  verifier_emit({len(cases)}, {call});")
            cases.append((Case(call, expected), parts[1]))
            self.end_statement()
        return cases

    def declaration(self, name: str) -> bool:
        keyword = self.next()
        if keyword.text not in DECLARATIONS or not self.take(name):
            return False
        self.lines.append(f"{keyword.text} {name}")
        return True

    def take(self, *texts: str) -> bool:
        """Consume the tokens `texts` if they come next (the kinds matter: a string "x" is
        not the name x)."""
        ahead = self.tokens[self.index : self.index + len(texts)]
        if [token.text for token in ahead] != list(texts):
            return False
        if any(token.kind == LITERAL for token in ahead):
            return False
        self.index += len(texts)
        return True

    def next(self) -> Token:
        if self.index >= len(self.tokens):
            return Token(LITERAL, "", 0, 0)  # matches nothing the scaffold wants
        self.index += 1
        return self.tokens[self.index - 1]

    def end_statement(self) -> None:
        """A `;`, or what JavaScript takes for one here: a line break, a `}` or the end (what
        follows each statement of the scaffold is a name or `}`, never a continuation).
        Two statements on one line with nothing between are a syntax error: ValueError."""
        if self.take(";") or self.index in (0, len(self.tokens)):
            return
        following = self.tokens[self.index]
        gap = self.tests[self.tokens[self.index - 1].end : following.start]
        if following.text != "}" and not any(mark in gap for mark in LINE_BREAKS):
            raise ValueError("two statements on one line")

    def code(self, tokens: list[Token]) -> str:
        """The tokens' text without the tests' comments: each gap between two tokens is a
        space, or a line break where it held one (so automatic semicolons stay where they
        were)."""
        parts = [tokens[0].text]
        for before, token in pairwise(tokens):
            gap = self.tests[before.end : token.start]
            parts.append("\n" if any(mark in gap for mark in LINE_BREAKS) else " " if gap else "")
            parts.append(token.text)
        return "".join(parts)
