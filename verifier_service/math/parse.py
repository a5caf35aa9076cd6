"""Normalised answer text -> structure (`structure.Node`), with LaTeX leaves read by
latex2sympy2_extended. Runs only inside math worker processes: parsing can be slow."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import sympy
from latex2sympy2_extended import latex2sympy
from latex2sympy2_extended.latex2sympy2 import ConversionConfig
from sympy.core.function import AppliedUndef

from verifier_service.math import structure as st
from verifier_service.math.numbers import parse_number

MAX_ITEMS = 64

_DECIMAL_LITERAL = re.compile(r"(?<![\d.])(\d*)\.(\d+)(?![\d.])")
_E_NOTATION = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)[eE]([+-]?\d+)(?![\w.])")
# `M` and `m` are different variables: the parser's default would lower-case both into one.
_CONVERSION = ConversionConfig(lowercase_symbols=False)
_CONSTANTS = {sympy.Symbol("i"): sympy.I, sympy.Symbol("e"): sympy.E}


class ParseError(ValueError):
    """The text is not an answer the verifier can read."""


@lru_cache(maxsize=8192)
def parse_node(text: str) -> st.Node:
    """The structure of a normalised answer or reference."""
    text = st.strip_membership(text.strip())
    if not text:
        raise ParseError("empty")
    variable, rest = st.lone_variable(text)
    if variable is not None:
        node = parse_node(rest)
        if isinstance(node, st.Scalar):
            return st.Scalar(node.value, node.decimals, node.percent, variable)
        return node
    parts = st.split_top_level(text, "\\cup")
    if len(parts) > 1:
        return st.Union(tuple(parse_node(part) for part in _limited(parts)))
    items = st.list_items(text)
    if len(items) > 1:
        return st.Collection(False, tuple(parse_node(item) for item in _limited(items)))
    shape = st.bracket_shape(text)
    if shape is not None:
        return _bracketed(*shape)
    return parse_scalar(text)


def _limited(items: list[str]) -> list[str]:
    if len(items) > MAX_ITEMS:
        raise ParseError(f"more than {MAX_ITEMS} items")
    return items


def _bracketed(opener: str, inner: str, closer: str) -> st.Node:
    items = st.split_top_level(inner, ",")
    if opener == "\\{":
        return st.Collection(False, tuple(parse_node(i) for i in _limited(items) if i))
    if len(items) == 1:
        if opener == "\\langle":
            return st.Collection(True, (parse_node(inner),))
        return parse_scalar(f"({inner})" if opener == "(" else f"[{inner}]")
    if len(items) == 2 and opener in "([":
        return st.Interval(opener, closer, parse_node(items[0]), parse_node(items[1]))
    return st.Collection(True, tuple(parse_node(item) for item in _limited(items)))


def parse_scalar(text: str) -> st.Node:
    percent = text.endswith("\\%")
    body = text[:-2].strip() if percent else text
    number = parse_number(body)
    if number is not None:
        return st.Scalar(sympy.Rational(number.value), number.decimals, percent)
    value = from_sympy(parse_latex(body))
    if isinstance(value, st.Scalar) and percent:
        return st.Scalar(value.value, value.decimals, True, value.variable)
    return value


def parse_latex(text: str) -> Any:
    """One LaTeX expression as an exact sympy object (decimals become rationals)."""
    prepared = _E_NOTATION.sub(r"\1\\times10^{\2}", text)
    prepared = _DECIMAL_LITERAL.sub(_decimal_as_fraction, prepared)
    try:
        value = latex2sympy(prepared, conversion_config=_CONVERSION)
        if isinstance(value, str):
            raise ParseError(f"unreadable LaTeX: {text[:80]}")
        # Substituting i and e re-evaluates the expression, which can itself fail
        # (`e - i > 7` compares a complex number).
        return _exact(value)
    except (RecursionError, MemoryError):
        raise
    except Exception as error:  # the parser raises bare Exceptions on bad input
        raise ParseError(f"unreadable LaTeX: {text[:80]}") from error


def _decimal_as_fraction(match: re.Match[str]) -> str:
    whole, digits = match.group(1) or "0", match.group(2)
    return f"{{\\frac{{{whole}{digits}}}{{1{'0' * len(digits)}}}}}"


def _exact(value: Any) -> Any:
    if not isinstance(value, sympy.Basic):
        return value
    if isinstance(value, sympy.MatrixBase):
        return value.applyfunc(_exact)
    floats = value.atoms(sympy.Float)
    if floats:
        value = value.xreplace({f: sympy.Rational(str(f)) for f in floats})
    present = {symbol: constant for symbol, constant in _CONSTANTS.items() if value.has(symbol)}
    return value.xreplace(present) if present else value


def from_sympy(value: Any) -> st.Node:
    """A sympy object from the LaTeX parser as a structure node."""
    if isinstance(value, sympy.MatrixExpr) and not isinstance(value, sympy.MatrixSymbol):
        value = _matrix_value(value)
    if isinstance(value, sympy.MatrixBase):
        return st.Matrix(tuple(tuple(value.row(r)) for r in range(value.rows)))
    if isinstance(value, sympy.Tuple | tuple):
        return st.Collection(True, tuple(from_sympy(item) for item in value))
    if isinstance(value, sympy.Set):
        return _from_set(value)
    if isinstance(value, sympy.Eq) and isinstance(value.rhs, sympy.Set):
        return _from_set(value.rhs)
    lone_left = isinstance(value, sympy.Eq) and isinstance(value.lhs, sympy.Symbol)
    if lone_left and not value.rhs.has(value.lhs):
        return st.Scalar(value.rhs, variable=str(value.lhs))
    if isinstance(value, sympy.Rel | sympy.And | sympy.Or) and not isinstance(value, sympy.Eq):
        return _from_relation(value)
    if isinstance(value, sympy.Basic):
        return st.Scalar(value)
    raise ParseError(f"unsupported answer type {type(value).__name__}")


def _matrix_value(value: Any) -> Any:
    """`A + B` and `A B` of written matrices as the matrix they make (shapes must agree)."""
    try:
        return value.doit()
    except (ValueError, TypeError, sympy.ShapeError) as error:
        raise ParseError("matrices that cannot be combined") from error


def _from_relation(value: Any) -> st.Node:
    applied = value.atoms(AppliedUndef)
    if len(applied) == 1:  # `0 < f(x) < 1` bounds the value f(x)
        value = value.xreplace({applied.pop(): sympy.Dummy("value")})
    symbols = value.free_symbols
    if len(symbols) != 1:
        raise ParseError("an inequality in more than one variable")
    try:
        return _from_set(value.as_set())
    except (NotImplementedError, TypeError, ValueError) as error:
        raise ParseError("an inequality that cannot be solved") from error


def _from_set(value: Any) -> st.Node:
    if isinstance(value, sympy.Interval):
        left = "(" if value.left_open else "["
        right = ")" if value.right_open else "]"
        return st.Interval(left, right, st.Scalar(value.start), st.Scalar(value.end))
    if isinstance(value, sympy.Union):
        return st.Union(tuple(_from_set(part) for part in value.args))
    if isinstance(value, sympy.FiniteSet):
        return st.Collection(False, tuple(from_sympy(item) for item in value.args))
    if value is sympy.S.EmptySet:
        return st.Collection(False, ())
    raise ParseError(f"unsupported set {type(value).__name__}")
