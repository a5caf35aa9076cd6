"""Tokens of Lua and Ruby test code for their converters (conversion/lua.py, ruby.py).

Brace languages have `tokens.py`; Lua's comments (`--`, `--[[ ]]`) and long strings, and
Ruby's newline-ended statements, `#` comments and string interpolation, need lexers of
their own. Both are strict: text they cannot read for certain raises ValueError, and the
tests then run as before (behind the completion guard). The Ruby lexer reads only a plain
subset of Ruby (no interpolation, `%` literals, here-documents, regular expressions, `?x`
characters, globals or instance variables): a test using those is not converted, rather than
read differently from the way Ruby reads it.
"""

from __future__ import annotations

import re

from verifier_service.code.conversion.tokens import IDENT, LITERAL, NUMBER, PUNCT, Token

NEWLINE = "\n"  # a Ruby statement separator (a PUNCT token)

_SPACE = re.compile(r"[ \t\r\f\v]+")
_LUA_SPACE = re.compile(r"\s+")
_LUA_LONG = re.compile(r"\[(=*)\[.*?\]\1\]", re.S)
_LUA_STRING = re.compile(r"'(?:\\z\s*|\\\n|\\.|[^'\\\n])*'|\"(?:\\z\s*|\\\n|\\.|[^\"\\\n])*\"")
_LUA_NUMBER = re.compile(
    r"0[xX](?:[0-9a-fA-F]*\.?[0-9a-fA-F]+|[0-9a-fA-F]+\.?)(?:[pP][+-]?\d+)?"
    r"|(?:\d*\.\d+|\d+\.?)(?:[eE][+-]?\d+)?"
)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_LUA_PUNCT = ("...", "..", "==", "~=", "<=", ">=", "//", "::", "<<", ">>")
_LUA_SINGLE = set("+-*/%^#&~|<>=(){}[];:,.")

_RUBY_COMMENT = re.compile(r"#[^\n]*")
_RUBY_SINGLE_QUOTED = re.compile(r"'(?:\\.|[^'\\])*'", re.S)
_RUBY_DOUBLE_QUOTED = re.compile(r'"(?:\\.|[^"\\])*"', re.S)
_RUBY_SYMBOL = re.compile(r":[A-Za-z_][A-Za-z_0-9]*(?:[?!](?!=)|=(?![=~>]))?")
_RUBY_NUMBER = re.compile(
    r"0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+(?![.\d])"
    r"|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?[ri]?(?![A-Za-z_\d])"
)
_RUBY_IDENT = re.compile(r"[A-Za-z_][A-Za-z_0-9]*(?:[?!](?!=))?")
_RUBY_PUNCT = ("::", "=>", "==", "!=", "**", "...", "..", "&.", "->", "&&", "||", "<=", ">=")
_RUBY_SINGLE = set("()[]{},.=-+*<>!&|;:")
_INTERPOLATION = re.compile(r"\\.|#[{@$]", re.S)


def lua_tokens(text: str) -> list[Token]:
    """Lua's tokens, comments and spaces dropped."""
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        skipped = _lua_skip(text, position)
        if skipped != position:
            position = skipped
            continue
        token = _lua_token(text, position)
        tokens.append(token)
        position = token.end
    return tokens


def _lua_skip(text: str, position: int) -> int:
    space = _LUA_SPACE.match(text, position)
    if space is not None:
        return space.end()
    if text.startswith("--", position):
        long = _LUA_LONG.match(text, position + 2)
        if long is not None:
            return long.end()
        if text.startswith("[", position + 2) and re.match(r"\[=*\[", text[position + 2 :]):
            raise ValueError("unterminated long comment")
        end = text.find("\n", position)
        return len(text) if end < 0 else end
    return position


def _lua_token(text: str, position: int) -> Token:
    for kind, pattern in ((LITERAL, _LUA_STRING), (LITERAL, _LUA_LONG), (NUMBER, _LUA_NUMBER)):
        found = pattern.match(text, position)
        if found is not None and found.end() > position:
            return Token(kind, found.group(0), position, found.end())
    if text[position] in "'\"" or re.match(r"\[=*\[", text[position:]):
        raise ValueError(f"unterminated string at offset {position}")
    found = _IDENT.match(text, position)
    if found is not None:
        return Token(IDENT, found.group(0), position, found.end())
    for mark in _LUA_PUNCT:
        if text.startswith(mark, position):
            return Token(PUNCT, mark, position, position + len(mark))
    if text[position] in _LUA_SINGLE:
        return Token(PUNCT, text[position], position, position + 1)
    raise ValueError(f"cannot read the Lua text at offset {position}")


def ruby_tokens(text: str) -> list[Token]:
    """Ruby's tokens, comments and spaces dropped, each line end a NEWLINE token."""
    if re.search(r"^=begin\b", text, flags=re.M):
        raise ValueError("=begin comments are not read")
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        skip = _SPACE.match(text, position) or _RUBY_COMMENT.match(text, position)
        if skip is not None:
            position = skip.end()
            continue
        token = _ruby_token(text, position)
        tokens.append(token)
        position = token.end
    return tokens


def _ruby_token(text: str, position: int) -> Token:
    char = text[position]
    if char == NEWLINE:
        return Token(PUNCT, NEWLINE, position, position + 1)
    for pattern in (_RUBY_SINGLE_QUOTED, _RUBY_DOUBLE_QUOTED, _RUBY_SYMBOL):
        found = pattern.match(text, position)
        if found is not None:
            if char == '"' and any(m.group(0)[0] == "#" for m in _INTERPOLATION.finditer(found[0])):
                raise ValueError(f"string interpolation at offset {position}")
            return Token(LITERAL, found.group(0), position, found.end())
    for kind, pattern in ((NUMBER, _RUBY_NUMBER), (IDENT, _RUBY_IDENT)):
        found = pattern.match(text, position)
        if found is not None:
            return Token(kind, found.group(0), position, found.end())
    for mark in _RUBY_PUNCT:
        if text.startswith(mark, position):
            return Token(PUNCT, mark, position, position + len(mark))
    if char in _RUBY_SINGLE and not text.startswith("<<", position):
        return Token(PUNCT, char, position, position + 1)
    raise ValueError(f"cannot read the Ruby text at offset {position}")
