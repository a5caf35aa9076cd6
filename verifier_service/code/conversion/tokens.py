"""Tokens of brace languages (Rust, Go) for the converters: literals and comments kept whole.

A converter must tell code from the inside of a string or a comment before it can say that
the tests are only calls compared with values, and must find a program's `main` without
being fooled by one in a comment. Tokens carry their offsets, so the converter cuts the
original text (never a rewritten one) between them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

IDENT = "ident"
NUMBER = "number"
LITERAL = "literal"  # a string, byte string, char or rune literal
PUNCT = "punct"
OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = set(OPENERS.values())


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Grammar:
    """One language's lexical rules: literal patterns tried in order, and multi-char
    punctuation."""

    literals: tuple[re.Pattern[str], ...]
    nested_comments: bool
    punctuation: tuple[str, ...]


_IDENT = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_NUMBER = re.compile(r"\d[\w]*(?:\.(?![.A-Za-z_])\d*\w*)?(?:(?<=[eE])[+-]\d\w*)?")
_SPACE = re.compile(r"\s+")
_LINE_COMMENT = re.compile(r"//[^\n]*")

RUST = Grammar(
    literals=(
        re.compile(r'b?r(#*)".*?"\1', re.S),
        re.compile(r'b?"(?:\\.|[^"\\])*"', re.S),
        re.compile(r"b?'(?:\\(?:u\{[0-9a-fA-F_]+\}|x[0-9a-fA-F]{2}|.)|[^'\\\n])'"),
        re.compile(r"'[A-Za-z_]\w*(?!')"),  # a lifetime or label, not a literal: kept whole
    ),
    nested_comments=True,
    punctuation=("::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "..=", "..."),
)
GO = Grammar(
    literals=(
        re.compile(r"`[^`]*`"),
        re.compile(r'"(?:\\[^\n]|[^"\\\n])*"'),
        re.compile(r"'(?:\\[^\n]|[^'\\\n])+'"),
    ),
    nested_comments=False,
    punctuation=(":=", "==", "!=", "<=", ">=", "&&", "||", "<-", "...", "&^"),
)


def tokenize(text: str, grammar: Grammar, *, strict: bool = True) -> list[Token]:
    """The tokens of `text`, comments and spaces dropped. With `strict`, text that does not
    lex (an unterminated literal or comment) raises ValueError; without, the rest of the text
    is one literal token (a program's text is never refused here: it is the compiler's)."""
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        space = _SPACE.match(text, position) or _LINE_COMMENT.match(text, position)
        if space is not None:
            position = space.end()
            continue
        if text.startswith("/*", position):
            position = _comment_end(text, position, grammar.nested_comments, strict)
            continue
        token = _token(text, position, grammar)
        if token is None:
            if strict:
                raise ValueError(f"cannot read the text at offset {position}")
            token = Token(LITERAL, text[position:], position, len(text))
        tokens.append(token)
        position = token.end
    return tokens


def _token(text: str, position: int, grammar: Grammar) -> Token | None:
    for pattern in grammar.literals:
        found = pattern.match(text, position)
        if found is not None:
            return Token(LITERAL, found.group(0), position, found.end())
    if text[position] in "\"'`":
        return None  # an unterminated literal
    for kind, pattern in ((IDENT, _IDENT), (NUMBER, _NUMBER)):
        found = pattern.match(text, position)
        if found is not None:
            return Token(kind, found.group(0), position, found.end())
    for mark in grammar.punctuation:
        if text.startswith(mark, position):
            return Token(PUNCT, mark, position, position + len(mark))
    return Token(PUNCT, text[position], position, position + 1)


def _comment_end(text: str, start: int, nested: bool, strict: bool) -> int:
    depth, position = 0, start
    while position < len(text):
        if text.startswith("/*", position):
            depth, position = depth + 1, position + 2
        elif text.startswith("*/", position):
            depth, position = depth - 1, position + 2
            if depth == 0 or not nested:
                return position
        else:
            position += 1
    if strict:
        raise ValueError("unterminated comment")
    return len(text)


def closing(tokens: list[Token], open_index: int) -> int:
    """The index of the token closing the bracket at `open_index`; ValueError when the
    brackets do not balance."""
    stack: list[str] = []
    for index in range(open_index, len(tokens)):
        text = tokens[index].text
        if tokens[index].kind != PUNCT:
            continue
        if text in OPENERS:
            stack.append(OPENERS[text])
        elif text in CLOSERS:
            if not stack or stack.pop() != text:
                raise ValueError("unbalanced brackets")
            if not stack:
                return index
    raise ValueError("unclosed bracket")


def split_top(tokens: list[Token], separator: str) -> list[list[Token]]:
    """`tokens` cut at each `separator` outside every bracket (an empty last part, from a
    trailing separator, is dropped)."""
    parts: list[list[Token]] = [[]]
    depth = 0
    for token in tokens:
        if token.kind == PUNCT and token.text in OPENERS:
            depth += 1
        elif token.kind == PUNCT and token.text in CLOSERS:
            depth -= 1
        if depth == 0 and token.kind == PUNCT and token.text == separator:
            parts.append([])
        else:
            parts[-1].append(token)
    if not parts[-1]:
        parts.pop()
    return parts


def call_arguments(tokens: list[Token], names: set[str]) -> list[Token] | None:
    """The argument tokens when `tokens` are exactly one call `name(...)` of one of `names`
    (nothing before the name or after its closing parenthesis), else None."""
    if len(tokens) < 3 or tokens[0].kind != IDENT or tokens[0].text not in names:
        return None
    if tokens[1].text != "(":
        return None
    try:
        close = closing(tokens, 1)
    except ValueError:
        return None
    return tokens[2:close] if close == len(tokens) - 1 else None


def source(text: str, tokens: list[Token]) -> str:
    """The original text that `tokens` (consecutive) span."""
    return text[tokens[0].start : tokens[-1].end] if tokens else ""


def texts(tokens: list[Token]) -> list[str]:
    return [token.text for token in tokens]
