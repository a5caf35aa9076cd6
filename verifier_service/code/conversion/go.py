"""Go assert tests as calls: MultiPL-E's table test, whose cases are `{ actual: candidate(...),
expected: ... }` and whose check is `fmt.Sprintf("%v", tc.actual) != fmt.Sprintf("%v",
tc.expected)`.

That check is text equality of two `%v` renderings of values held in `interface{}`, so the
service mirrors it exactly: the candidate (the program as package main, its `main` renamed,
then a generated `main`) prints each call's `%v` text and the reference (the expected
expressions alone, so each takes its default type as it does in an `interface{}` field)
prints each expected one (sandboxes/harness/values_go.go); equal texts pass. Only tests that
are this table, token for token (names of the subtest and the error message aside), convert;
an expected expression may name only Go's predeclared identifiers and types.
"""

from __future__ import annotations

from verifier_service.code.conversion.expressions import names_only
from verifier_service.code.conversion.protocol import Case, Conversion, JailProgram, harness_text
from verifier_service.code.conversion.tokens import (
    GO,
    IDENT,
    LITERAL,
    PUNCT,
    Token,
    call_arguments,
    closing,
    source,
    split_top,
    texts,
    tokenize,
)

PROGRAM_MAIN = "verifier_program_main"
TEST_NAME, ENTRY = "VERIFIER_TEST", "VERIFIER_NAME"
STRING, TABLE = "VERIFIER_STRING", "VERIFIER_TABLE"
TEMPLATE = f"""
func {TEST_NAME}(t *testing.T) {{
    candidate := {ENTRY}
    type test struct {{
        actual   interface{{}}
        expected interface{{}}
    }}
    tests := []test{{ {TABLE} }}
    for i, tc := range tests {{
        t.Run(fmt.Sprintf({STRING}, i), func(t *testing.T) {{
            if fmt.Sprintf("%v", tc.actual) != fmt.Sprintf("%v", tc.expected) {{
                t.Errorf({STRING}, tc.expected, tc.actual)
            }}
        }})
    }}
}}
"""
ASSIGNING = ("=", ":=", "<-")  # never in an expected value: they assign or receive
EXPECTED_NAMES = frozenset(
    {
        *("true", "false", "nil", "int", "int8", "int16", "int32", "int64", "uint", "uint8"),
        *("uint16", "uint32", "uint64", "uintptr", "float32", "float64", "complex64"),
        *("complex128", "string", "bool", "byte", "rune", "interface", "map", "struct"),
    }
)
OWN_IMPORTS = """import (
\tverifier_fmt "fmt"
\tverifier_hex "encoding/hex"
\tverifier_os "os"
\tverifier_reflect "reflect"
\tverifier_strconv "strconv"
"""
# The packages the table test uses, and a declaration that uses each: the program imported
# them for the tests, and Go refuses an unused import.
TEST_PACKAGES = {"fmt": "var _ = {}.Sprintf", "testing": "var _ *{}.T"}


def convert(code: str, tests: str) -> Conversion | None:
    """The table's cases as calls, or None when the tests are anything but that table."""
    tokens = [token for token in tokenize(tests, GO) if token.text != ";"]
    position = 0
    while position < len(tokens) and tokens[position].text == "}":
        position += 1
    matched = _match(tokens[position:])
    if matched is None:
        return None
    entry, table = matched
    cases = _cases(tests, table, {"candidate", entry})
    if not cases:
        return None
    serializer = harness_text("values_go.go")
    emits = "".join(f"\tverifier_emit({i}, {case.call})\n" for i, case in enumerate(cases))
    candidate = (
        f"{_program(code)}\n{'}' * position}\n\n{serializer}\n"
        f"const verifier_reference = false\n\nfunc main() {{\n\tcandidate := {entry}\n{emits}}}\n"
    )
    expected = "".join(f"\tverifier_emit({i}, {case.expected})\n" for i, case in enumerate(cases))
    reference = (
        f"package main\n\n{OWN_IMPORTS})\n\n{serializer}\n"
        f"const verifier_reference = true\n\nfunc main() {{\n{expected}}}\n"
    )
    return Conversion(
        cases=tuple(cases),
        candidate=JailProgram(candidate),
        same=_same,
        reference=JailProgram(reference),
    )


def _same(expected: str, actual: str) -> bool:
    """The tests' check: the two %v texts are equal (an opaque value equals nothing)."""
    return expected.startswith("h") and expected == actual


def _match(tokens: list[Token]) -> tuple[str, list[Token]] | None:
    """(the function the tests call, the table's tokens) when `tokens` are the template."""
    template = tokenize(TEMPLATE, GO)
    entry: str | None = None
    table: list[Token] = []
    index = 0
    for want in template:
        if index >= len(tokens):
            return None
        got = tokens[index]
        if want.text == TABLE:
            close = closing(tokens, index - 1)
            table, index = tokens[index:close], close
            continue
        if want.text == ENTRY and got.kind == IDENT:
            entry = got.text
        elif not _same_token(want, got):
            return None
        index += 1
    if index != len(tokens) or entry is None:
        return None
    return entry, table


def _same_token(want: Token, got: Token) -> bool:
    if want.text == TEST_NAME:
        return got.kind == IDENT and got.text.startswith("Test")
    if want.text == STRING:
        return got.kind == LITERAL and got.text[0] in '"`'
    return want.kind == got.kind and want.text == got.text


def _cases(tests: str, table: list[Token], called: set[str]) -> list[Case] | None:
    cases: list[Case] = []
    for entry in split_top(table, ","):
        if entry[0].text != "{" or closing(entry, 0) != len(entry) - 1:
            return None
        fields: dict[str, list[Token]] = {}
        for field in split_top(entry[1:-1], ","):
            if len(field) < 3 or field[0].kind != IDENT or field[1].text != ":":
                return None
            if field[0].text in fields or field[0].text not in ("actual", "expected"):
                return None
            fields[field[0].text] = field[2:]
        actual, expected = fields.get("actual"), fields.get("expected")
        if actual is None or expected is None or call_arguments(actual, called) is None:
            return None
        if not names_only(expected, EXPECTED_NAMES, called, ASSIGNING):
            return None
        cases.append(Case(source(tests, actual), source(tests, expected)))
    return cases


def _program(code: str) -> str:
    """The program as package main, with the serializer's imports, a use of each test
    package it imported for the tests, and its `func main` renamed."""
    tokens = tokenize(code, GO, strict=False)
    imported = _imports(tokens)
    missing = "".join(
        f'\t"{name}"\n'
        for name in TEST_PACKAGES
        if name not in imported.values() and _mentions(tokens, name)
    )
    uses = "".join(
        TEST_PACKAGES[path].format(name) + "\n"
        for name, path in imported.items()
        if path in TEST_PACKAGES and name not in ("_", ".")
    )
    head = f"package main\n\n{OWN_IMPORTS}{missing})\n"
    if texts(tokens[:1]) == ["package"] and len(tokens) > 1 and tokens[1].kind == IDENT:
        prefix, body, offset = code[: tokens[0].start], code[tokens[1].end :], tokens[1].end
    else:
        prefix, body, offset = "", code, 0
    return f"{prefix}{head}{_rename_main(body, tokens, offset)}\n{uses}"


def _imports(tokens: list[Token]) -> dict[str, str]:
    """The program's imports after its package clause: name in the file -> path."""
    imported: dict[str, str] = {}
    index = 2 if texts(tokens[:1]) == ["package"] else 0
    while index < len(tokens) and tokens[index].text in ("import", ";"):
        index += 1
        if tokens[index - 1].text == ";":
            continue
        if index < len(tokens) and tokens[index].text == "(":
            end = closing(tokens, index) if _balanced(tokens, index) else len(tokens)
            specs, index = tokens[index + 1 : end], end + 1
        else:
            specs, index = tokens[index : index + 2], index + 2
            if specs and specs[0].kind == LITERAL:
                specs, index = specs[:1], index - 1
        for spec in split_top([*specs, Token(PUNCT, ";", 0, 0)], ";"):
            _add_specs(spec, imported)
    return imported


def _add_specs(spec: list[Token], imported: dict[str, str]) -> None:
    """Import specs written without `;` between them, one after another."""
    index = 0
    while index < len(spec):
        name = None
        if spec[index].kind != LITERAL and index + 1 < len(spec):
            name, index = spec[index].text, index + 1
        path = spec[index].text.strip('"`')
        imported[name or path.rsplit("/", 1)[-1]] = path
        index += 1


def _balanced(tokens: list[Token], index: int) -> bool:
    try:
        closing(tokens, index)
    except ValueError:
        return False
    return True


def _mentions(tokens: list[Token], name: str) -> bool:
    return any(
        token.text == name and index + 1 < len(tokens) and tokens[index + 1].text == "."
        for index, token in enumerate(tokens)
    )


def _rename_main(body: str, tokens: list[Token], offset: int) -> str:
    parts: list[str] = []
    last = 0
    for index, token in enumerate(tokens):
        if (
            token.text == "main"
            and token.start >= offset
            and index > 0
            and tokens[index - 1].text == "func"
            and index + 1 < len(tokens)
            and tokens[index + 1].text == "("
        ):
            parts.append(body[last : token.start - offset] + PROGRAM_MAIN)
            last = token.end - offset
    return "".join(parts) + body[last:]
