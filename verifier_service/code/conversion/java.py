"""Java assert tests as calls: MultiPL-E's `public static void main(String[] args) {
assert(f(...).equals(expected)); assert(f(...) == (literal)); ... }`, in the prompt's class
(a leading `}`) or a class of their own (`class VerifierTests extends Problem {`).

The candidate is the program (its `static void main`s renamed) and the tests with their
`main` replaced by one that prints each call's value (sandboxes/harness/values_java.java),
started by an entry class of the service's. For `.equals` the value is written as its own
class is (what `equals` dispatches on); for `==` as its static type, chosen by overloads
(a primitive, or a boxed value that `==` unboxes against the literal). The reference is the
expected expressions alone, with the prompt's imports: each passed as `equals(Object)`
receives it, or for `==` to the same overloads. An expected expression may name only the
JDK's and javatuples' values and types (`EXPECTED_NAMES`); `==` converts only against a
primitive literal (two references would compare identities, which the service cannot
mirror: the reference then exits 3 and the tests run the old way).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from verifier_service.code.conversion.expressions import plain_expected
from verifier_service.code.conversion.java_values import same_equals, same_primitive
from verifier_service.code.conversion.protocol import Case, Conversion, JailProgram, harness_text
from verifier_service.code.conversion.tokens import (
    IDENT,
    LITERAL,
    Grammar,
    Token,
    call_arguments,
    closing,
    source,
    split_top,
    texts,
    tokenize,
)
from verifier_service.code.languages import load_languages

JAVA = Grammar(
    literals=(
        re.compile(r'"""(?:\\.|[^\\])*?"""', re.S),
        re.compile(r'"(?:\\[^\n]|[^"\\\n])*"'),
        re.compile(r"'(?:\\[^\n]|[^'\\\n])+'"),
    ),
    nested_comments=False,
    punctuation=("::", "->", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/="),
)
EXPECTED_NAMES = frozenset(
    {
        *("new", "ArrayList", "Arrays", "asList", "List", "of", "Map", "HashMap", "Optional"),
        *("empty", "Pair", "Triplet", "Quartet", "Unit", "with", "Long", "Integer", "Short"),
        *("Byte", "Double", "Float", "Boolean", "Character", "String", "long", "int", "short"),
        *("byte", "double", "float", "boolean", "char", "true", "false", "null"),
    }
)
MAIN = ["public", "static", "void", "main", "(", "String", "[", "]"]
ENTRY = "VerifierValuesMain"
REFERENCE = "VerifierReference"
TESTS_MAIN = "verifierTestsMain"
PROGRAM_MAIN = "verifierProgramMain"
# The prompt's imports: the expected expressions name their types as the tests do.
IMPORTS = "".join(
    f"import {name};\n"
    for name in (
        *("java.util.*", "java.lang.reflect.*", "org.javatuples.*", "java.security.*"),
        *("java.math.*", "java.io.*", "java.util.stream.*"),
    )
)
PRIMITIVE, EQUALS = "primitive", "receiver"


@dataclass(frozen=True, slots=True)
class _Tests:
    start: int  # the offsets of the tests' main, which the generated one replaces
    end: int
    modes: list[str]  # per case: PRIMITIVE (`==`) or EQUALS (`.equals`)
    cases: list[Case]


def convert(code: str, tests: str) -> Conversion | None:
    """The tests as calls, or None when they are anything but asserts of one call `==` a
    literal or `.equals` a value."""
    if "\\u" in tests or re.match(r"\s*package\b", code):
        return None  # unicode escapes rewrite the text before it is read; a package moves main
    parsed = _parse(tests)
    if parsed is None:
        return None
    program = _rename_main(code)
    owner = _owner(tokenize(f"{program}\n{tests[: parsed.start]}", JAVA, strict=False))
    if owner is None:
        return None
    serializer = harness_text("values_java.java")
    emits = "".join(
        f"        VerifierValues.{mode}({index}, {case.call});\n"
        for index, (mode, case) in enumerate(zip(parsed.modes, parsed.cases, strict=True))
    )
    candidate = (
        f"{program}\n{tests[: parsed.start]}public static void {TESTS_MAIN}() {{\n{emits}"
        f"    }}{tests[parsed.end :]}\n{serializer}\n{_entry(ENTRY, f'{owner}.{TESTS_MAIN}();')}"
    )
    expected = "".join(
        f"        VerifierValues.{'expected' if mode == EQUALS else mode}"
        f"({index}, ({case.expected}));\n"
        for index, (mode, case) in enumerate(zip(parsed.modes, parsed.cases, strict=True))
    )
    reference = f"{IMPORTS}\n{serializer}\n" + _entry(
        REFERENCE, f"VerifierValues.reference = true;\n{expected}"
    )
    return Conversion(
        cases=tuple(parsed.cases),
        candidate=JailProgram(candidate, _command(ENTRY)),
        same=_same,
        reference=JailProgram(reference, _command(REFERENCE)),
    )


def _same(expected: str, actual: str) -> bool:
    """The case's own comparison, told by the reference's text: a primitive is `==`'s."""
    if expected.startswith('["p",'):
        return same_primitive(expected, actual)
    return same_equals(expected, actual)


def _entry(name: str, body: str) -> str:
    return (
        f"final class {name} {{\n    public static void main(String[] args) {{\n"
        f"        {body.strip()}\n    }}\n}}\n"
    )


@functools.cache
def _run_template() -> tuple[str, ...]:
    return load_languages()["java"].run


def _command(main: str) -> tuple[str, ...]:
    return tuple(main if part == "{main}" else part for part in _run_template())


def _parse(tests: str) -> _Tests | None:
    tokens = tokenize(tests, JAVA)
    words = texts(tokens)
    position = 0
    while position < len(tokens) and words[position] == "}":
        position += 1
    if words[position : position + 1] == ["class"]:
        position = _class_header(tokens, position)
    if position < 0 or words[position : position + len(MAIN)] != MAIN:
        return None
    signature = position + len(MAIN)
    if texts(tokens[signature + 1 : signature + 3]) != [")", "{"]:
        return None
    if tokens[signature].kind != IDENT:
        return None
    close = closing(tokens, signature + 2)
    if any(word != "}" for word in words[close + 1 :]):
        return None
    body = tokens[signature + 3 : close]
    if body and body[-1].text != ";":
        return None
    modes: list[str] = []
    cases: list[Case] = []
    for statement in split_top(body, ";"):
        parsed = _assertion(tests, statement)
        if parsed is None:
            return None
        modes.append(parsed[0])
        cases.append(parsed[1])
    if not cases:
        return None
    return _Tests(tokens[position].start, tokens[close].end, modes, cases)


def _class_header(tokens: list[Token], position: int) -> int:
    """The index after `class Name [extends Name] {`, or -1 when it is not that."""
    words = texts(tokens[position : position + 5])
    if len(words) >= 3 and tokens[position + 1].kind == IDENT and words[2] == "{":
        return position + 3
    if (
        texts(tokens[position + 2 : position + 5 : 2]) == ["extends", "{"]
        and tokens[position + 1].kind == IDENT
        and tokens[position + 3].kind == IDENT
    ):
        return position + 5
    return -1


def _assertion(tests: str, statement: list[Token]) -> tuple[str, Case] | None:
    """(mode, case) for `assert(call.equals(expected))` or `assert(call == (literal))`."""
    if texts(statement[:2]) != ["assert", "("] or closing(statement, 1) != len(statement) - 1:
        return None
    inner = statement[2:-1]
    sides = split_top(inner, "==")
    if len(sides) == 2 and all(sides):
        call, expected = sides
        if any(token.kind == LITERAL and token.text.startswith('"') for token in expected):
            return None  # a string: `==` would compare identities
        mode = PRIMITIVE
    elif len(sides) == 1:
        found = _equals_call(inner)
        if found is None:
            return None
        call, expected = found
        if split_top(expected, ",") != [expected]:
            return None
        mode = EQUALS
    else:
        return None
    called = {call[0].text} if call and call[0].kind == IDENT else set()
    if call_arguments(call, called) is None or not plain_expected(expected, EXPECTED_NAMES, called):
        return None
    return mode, Case(source(tests, call), source(tests, expected))


def _equals_call(inner: list[Token]) -> tuple[list[Token], list[Token]] | None:
    """(the receiver, the argument) when `inner` is `receiver.equals(argument)`."""
    if len(inner) < 5 or inner[-1].text != ")":
        return None
    for index in range(len(inner) - 2, 1, -1):
        if (
            inner[index].text == "("
            and texts(inner[index - 2 : index]) == [".", "equals"]
            and closing(inner, index) == len(inner) - 1
        ):
            return inner[: index - 2], inner[index + 1 : -1]
    return None


def _rename_main(code: str) -> str:
    """The program with each `static ... void main(` renamed: only the entry class's runs."""
    tokens = tokenize(code, JAVA, strict=False)
    parts: list[str] = []
    last = 0
    for index, token in enumerate(tokens):
        if (
            token.text == "main"
            and index > 1
            and tokens[index - 1].text == "void"
            and "static" in texts(tokens[max(0, index - 5) : index - 1])
            and index + 1 < len(tokens)
            and tokens[index + 1].text == "("
        ):
            parts.append(code[last : token.start] + PROGRAM_MAIN)
            last = token.end
    return "".join(parts) + code[last:]


def _owner(tokens: list[Token]) -> str | None:
    """The (nested) class whose body the end of `tokens` is in, as `Outer.Inner`; None when
    a body around it is not a named class's (a method, an anonymous class) or there is none."""
    stack: list[str | None] = []
    header: list[Token] = []
    for token in tokens:
        if token.text == "{":
            named = [
                following.text
                for keyword, following in itertools.pairwise(header)
                if keyword.text in ("class", "interface", "enum", "record")
                and following.kind == IDENT
            ]
            stack.append(named[0] if named else None)
        elif token.text == "}" and stack:
            stack.pop()
        if token.text in ("{", "}", ";"):
            header = []
        else:
            header.append(token)
    names = [name for name in stack if name is not None]
    return ".".join(names) if stack and len(names) == len(stack) else None
