"""Cheap checks that refuse answers whose evaluation could not finish in time.

They run on normalised text before any parsing, in linear time. The worker's deadline and
memory cap remain the backstop for whatever slips past them.
"""

from __future__ import annotations

import math
import re

MAX_CHARS = 1000
MAX_NESTING = 16
MAX_RESULT_DIGITS = 10_000
MAX_FACTORIAL = 5000
MAX_BINOMIAL = 10**6
MAX_SERIES_TERMS = 10**4

_FACTORIAL = re.compile(r"(\d+)\s*!")
_BINOMIAL = re.compile(r"\\[dt]?binom\s*\{\s*(\d+)\s*\}")
_SERIES_BOUND = re.compile(r"\\(?:sum|prod)\s*_\s*(?:\{[^{}]*\}|\S)\s*\^\s*")
_NUMBER_BEFORE = re.compile(r"(\d+(?:\.\d+)?)\s*$")


def refusal(text: str) -> str | None:
    """Why this text is too costly to evaluate, or None when it is safe to parse."""
    if len(text) > MAX_CHARS:
        return f"longer than {MAX_CHARS} characters"
    if nesting_depth(text) > MAX_NESTING:
        return f"brackets nested deeper than {MAX_NESTING}"
    for check in (_huge_power, _huge_factorial, _huge_binomial, _huge_series):
        reason = check(text)
        if reason:
            return reason
    return None


def nesting_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")}]":
            depth = max(0, depth - 1)
    return deepest


def _huge_power(text: str) -> str | None:
    for index, char in enumerate(text):
        if char != "^":
            continue
        base = _NUMBER_BEFORE.search(text[max(0, index - 40) : index])
        if base is None or float(base.group(1)) <= 1:
            continue
        exponent = _estimate(_argument(text, index + 1))
        if exponent is not None and exponent * math.log10(float(base.group(1))) > MAX_RESULT_DIGITS:
            return f"a power with more than {MAX_RESULT_DIGITS} digits"
    return None


def _huge_factorial(text: str) -> str | None:
    for match in _FACTORIAL.finditer(text):
        if len(match.group(1)) > 7 or int(match.group(1)) > MAX_FACTORIAL:
            return f"a factorial of a number over {MAX_FACTORIAL}"
    return None


def _huge_binomial(text: str) -> str | None:
    for match in _BINOMIAL.finditer(text):
        if len(match.group(1)) > 9 or int(match.group(1)) > MAX_BINOMIAL:
            return f"a binomial coefficient of a number over {MAX_BINOMIAL}"
    return None


def _huge_series(text: str) -> str | None:
    for match in _SERIES_BOUND.finditer(text):
        bound = _estimate(_argument(text, match.end()))
        if bound is None or bound > MAX_SERIES_TERMS:
            return f"a sum or product over more than {MAX_SERIES_TERMS} terms"
    return None


def _argument(text: str, index: int) -> str:
    """The superscript starting at `index`: a brace group, or one character."""
    while index < len(text) and text[index] == " ":
        index += 1
    if index >= len(text):
        return ""
    if text[index] != "{":
        return text[index]
    depth = 0
    for end in range(index, len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if depth == 0:
            return text[index + 1 : end]
    return text[index + 1 :]


def _estimate(expression: str) -> float | None:
    """An upper estimate of a numeric superscript's value; None when it holds symbols."""
    expression = expression.strip().replace(" ", "")
    if not expression:
        return None
    if len(expression) > 200:
        return math.inf
    if re.fullmatch(r"\d+(?:\.\d+)?", expression):
        return float(expression) if len(expression) < 300 else math.inf
    return _estimate_compound(expression)


def _estimate_compound(expression: str) -> float | None:
    if re.search(r"[a-zA-Z]", re.sub(r"\\(?:cdot|times)", "", expression)):
        return None
    numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", expression)]
    simple_power = re.fullmatch(r"(\d+)\^\{?(\d+)\}?", expression)
    if simple_power:
        digits = float(simple_power[2]) * math.log10(max(float(simple_power[1]), 1.0))
        return math.inf if digits > 300 else float(simple_power[1]) ** float(simple_power[2])
    if "^" not in expression:
        return math.prod(max(n, 1.0) for n in numbers) * len(numbers)
    # A numeric tower: bound it by its largest number raised to itself, level by level.
    levels = expression.count("^") + 1
    top = max(numbers, default=1.0)
    estimate = top
    for _ in range(levels - 1):
        if estimate > 400:
            return math.inf
        estimate = top**estimate
    return estimate
