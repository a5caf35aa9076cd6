"""What converters accept as an expected expression: the standard library's names and
literals only (`names_only`, every brace language), and in C++ and Java nothing at its top
level that binds looser than `==`.

`candidate(x) == 1 || true` compares `candidate(x)` with 1 and then passes whatever it
returned; such an operator (or `?:`, an assignment, a comma) at the top level of the
expected side makes the tests check something else than the call and the value, so those
tests do not convert.
"""

from __future__ import annotations

from collections.abc import Iterable

from verifier_service.code.conversion.tokens import IDENT, OPENERS, PUNCT, Token

LOOSE = frozenset({"==", "!=", "&", "^", "|", "&&", "||", "?", ":", ",", "->"})


def names_only(
    expected: list[Token], names: Iterable[str], called: set[str], refused: Iterable[str] = ()
) -> bool:
    """Only literals, punctuation and `names` (never a called name), and none of the `refused`
    punctuation anywhere: a value the tests' text alone fixes, whichever language's."""
    allowed = frozenset(names) - called
    banned = frozenset(refused)
    return bool(expected) and not any(
        (token.kind == IDENT and token.text not in allowed)
        or (token.kind == PUNCT and token.text in banned)
        for token in expected
    )


def plain_expected(expected: list[Token], names: Iterable[str], called: set[str]) -> bool:
    """`names_only`, no `;`, and no operator at the top level that binds as loosely as `==`
    or looser (every assignment included): the C++ and Java tests' `==` is one expression."""
    if not names_only(expected, names, called):
        return False
    depth = 0
    for token in expected:
        if token.kind != PUNCT:
            continue
        if token.text in OPENERS:
            depth += 1
        elif token.text in OPENERS.values():
            depth -= 1
        elif depth == 0 and (token.text in LOOSE or token.text.endswith("=")):
            return False
        if token.text == ";" or depth < 0:
            return False
    return True
