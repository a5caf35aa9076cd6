"""Fixed-shape test text of the scripting languages (PHP, Perl) matched against a template.

MultiPL-E writes every PHP and Perl test file the same way, down to the error message, so a
converter can ask for that text token for token (tokens.py) and take only the slots that
differ: the tested function's name, and each case's arguments and expected value. Both are
required to be plain data (literals and the language's array and hash constructors), so no
code other than the tested function's runs in either program. Text with a comment, a
construct the lexer cannot read, or anything beside the template does not convert.
"""

from __future__ import annotations

from verifier_service.code.conversion.tokens import (
    CLOSERS,
    OPENERS,
    PUNCT,
    Grammar,
    Token,
    tokenize,
)

SLOT = "VERIFIER_"  # a template identifier starting so is a slot, not text to match


def lex(text: str, grammar: Grammar) -> list[Token] | None:
    """The tokens of `text`, or None when it does not lex or holds a comment (tokenize drops
    comments; text between two tokens must be blank)."""
    try:
        tokens = tokenize(text, grammar)
    except ValueError:
        return None
    ends = [0, *(token.end for token in tokens)]
    starts = [*(token.start for token in tokens), len(text)]
    if any(text[end:start].strip() for end, start in zip(ends, starts, strict=True)):
        return None
    return tokens


def match(
    tokens: list[Token], start: int, template: list[Token]
) -> tuple[int, dict[str, list[Token]]] | None:
    """(the index after the match, each slot's tokens) when `tokens` from `start` are the
    template, else None. A slot takes every token up to the template's next token met outside
    brackets (it may take none); a slot must not end the template."""
    slots: dict[str, list[Token]] = {}
    index = start
    for position, want in enumerate(template):
        if want.text.startswith(SLOT):
            end = _slot_end(tokens, index, template[position + 1].text)
            if end is None:
                return None
            slots[want.text], index = tokens[index:end], end
            continue
        if index >= len(tokens) or tokens[index].text != want.text:
            return None
        index += 1
    return index, slots


def _slot_end(tokens: list[Token], index: int, stop: str) -> int | None:
    depth = 0
    for position in range(index, len(tokens)):
        token = tokens[position]
        if depth == 0 and token.text == stop:
            return position
        if token.kind == PUNCT and token.text in OPENERS:
            depth += 1
        elif token.kind == PUNCT and token.text in CLOSERS:
            depth -= 1
            if depth < 0:
                return None
    return None


def match_cases(
    tokens: list[Token], start: int, template: list[Token]
) -> tuple[int, list[dict[str, list[Token]]]]:
    """The template matched again and again from `start`: (the index after the last match,
    each match's slots)."""
    cases: list[dict[str, list[Token]]] = []
    index = start
    while (found := match(tokens, index, template)) is not None:
        index, slots = found
        cases.append(slots)
    return index, cases


def interpolates(literal: str, sigils: str) -> bool:
    """Whether a double-quoted literal holds a sigil (`$`, `@`) that no backslash escapes:
    it would be a variable, read where the tests ran, not a value of the text alone."""
    if not literal.startswith('"'):
        return False
    escaped = False
    for character in literal[1:-1]:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif character in sigils:
            return True
    return False


def top_level_count(tokens: list[Token], separator: str) -> int:
    """How many `separator` tokens lie outside every bracket."""
    depth = count = 0
    for token in tokens:
        if token.kind == PUNCT and token.text in OPENERS:
            depth += 1
        elif token.kind == PUNCT and token.text in CLOSERS:
            depth -= 1
        elif depth == 0 and token.text == separator:
            count += 1
    return count
