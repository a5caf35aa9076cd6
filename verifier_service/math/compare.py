"""Equivalence of two parsed answers. Every function returns the rule that matched, or None.

Exact arithmetic decides first; numbers are evaluated to 60 digits only when exact
simplification is not available, and must then agree to 50 significant digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from verifier_service.math import structure as st
from verifier_service.math.numbers import rounds_to, within_tolerance

DIGITS = 60
AGREEMENT = sympy.Float("1e-50", DIGITS)
POINT_DIGITS = 40
POINT_AGREEMENT = sympy.Float("1e-25", POINT_DIGITS)
MIN_POINTS = 3
# Fixed sample points (rational, both signs, away from common singularities) keep every
# decision reproducible.
SAMPLES = tuple(
    sympy.Rational(p, q)
    for p, q in ((-37, 17), (5, 7), (29, 11), (-3, 13), (41, 9), (11, 23), (-53, 19), (7, 3))
)
TRIALS = 6
MAX_DISTINCT_SCAN = 64  # elements compared pairwise when looking for repeats


@dataclass(frozen=True, slots=True)
class Policy:
    tolerance: float | None = None


def nodes_equal(answer: st.Node, reference: st.Node, policy: Policy) -> str | None:
    if isinstance(answer, st.Scalar) and isinstance(reference, st.Scalar):
        return scalars_equal(answer, reference, policy)
    if isinstance(answer, st.Interval) and isinstance(reference, st.Interval):
        return intervals_equal(answer, reference, policy)
    answer, reference = _pair_reading(answer, reference), _pair_reading(reference, answer)
    single = _one_repeated_solution(answer, reference, policy)
    if single is not answer:
        return nodes_equal(single, reference, policy)
    answer_parts, reference_parts = _as_union(answer), _as_union(reference)
    if answer_parts is not None and reference_parts is not None:
        return _unordered(answer_parts, reference_parts, policy, "equal unions")
    if isinstance(answer, st.Matrix) and isinstance(reference, st.Matrix):
        return matrices_equal(answer, reference, policy)
    answer_items, reference_items = _as_sequence(answer), _as_sequence(reference)
    if answer_items is None or reference_items is None:
        return None
    if isinstance(reference, st.Collection) and not reference.ordered:
        return _unordered(answer_items, reference_items, policy, "equal as unordered collections")
    return _ordered(answer_items, reference_items, policy, "equal as ordered tuples")


def _pair_reading(node: st.Node, other: st.Node) -> st.Node:
    """`(1, 3)` read as the ordered pair it may be when the other side is a pair of values."""
    is_pair = isinstance(other, st.Collection) and len(other.items) == 2
    if isinstance(node, st.Interval) and node.left + node.right == "()" and is_pair:
        return st.Collection(True, (node.low, node.high))
    return node


def _one_repeated_solution(answer: st.Node, reference: st.Node, policy: Policy) -> st.Node:
    """`(1,2),(1,2)` against the single solution `(1,2)`: a repeat claims nothing more."""
    if not isinstance(answer, st.Collection) or answer.ordered or len(answer.items) < 2:
        return answer
    if isinstance(reference, st.Collection) and not reference.ordered:
        return answer
    if not all(isinstance(item, st.Collection | st.Interval) for item in answer.items):
        return answer
    distinct = _distinct(answer.items, policy)
    return distinct[0] if len(distinct) == 1 else answer


def _as_union(node: st.Node) -> tuple[st.Node, ...] | None:
    """A union's parts; `x < 2 \\text{ or } x > 3` reads as a union of intervals too."""
    if isinstance(node, st.Union):
        return node.parts
    is_list = isinstance(node, st.Collection) and not node.ordered and bool(node.items)
    if is_list and all(isinstance(item, st.Interval) for item in node.items):  # type: ignore[union-attr]
        return node.items  # type: ignore[union-attr]
    return None


def _as_sequence(node: st.Node) -> tuple[st.Node, ...] | None:
    """Collections, and vectors written as one-row or one-column matrices."""
    if isinstance(node, st.Collection):
        return node.items
    if isinstance(node, st.Matrix) and (len(node.rows) == 1 or all(len(r) == 1 for r in node.rows)):
        return tuple(st.Scalar(value) for row in node.rows for value in row)
    return None


def _ordered(
    answer: tuple[st.Node, ...], reference: tuple[st.Node, ...], policy: Policy, rule: str
) -> str | None:
    if len(answer) != len(reference):
        return None
    for a, r in zip(answer, reference, strict=True):
        if nodes_equal(a, r, policy) is None:
            return None
    return rule


def _unordered(
    answer: tuple[st.Node, ...], reference: tuple[st.Node, ...], policy: Policy, rule: str
) -> str | None:
    """Same elements, as many times each; an answer that repeats a solution tuple of a reference
    without repeats (`(3,17), (3,17), (5,2)` for `(3,17), (5,2)`) claims nothing more."""
    if len(answer) != len(reference):
        if not all(isinstance(item, st.Collection | st.Interval) for item in answer):
            return None  # `1, 1, 2` lists a double root: a multiset
        distinct = _distinct(answer, policy)
        if len(distinct) != len(reference) or len(_distinct(reference, policy)) != len(reference):
            return None
        answer = distinct
    unmatched = list(reference)
    for a in answer:
        match = next((r for r in unmatched if nodes_equal(a, r, policy) is not None), None)
        if match is None:
            return None
        unmatched.remove(match)
    return rule


def _distinct(items: tuple[st.Node, ...], policy: Policy) -> tuple[st.Node, ...]:
    kept: list[st.Node] = []
    for item in items[: 2 * MAX_DISTINCT_SCAN]:
        if not any(nodes_equal(item, other, policy) is not None for other in kept):
            kept.append(item)
    return tuple(kept)


def intervals_equal(answer: st.Interval, reference: st.Interval, policy: Policy) -> str | None:
    if _bracket(answer.left, answer.low) != _bracket(reference.left, reference.low):
        return None
    if _bracket(answer.right, answer.high) != _bracket(reference.right, reference.high):
        return None
    if nodes_equal(answer.low, reference.low, policy) is None:
        return None
    if nodes_equal(answer.high, reference.high, policy) is None:
        return None
    return "equal intervals"


def _bracket(bracket: str, endpoint: st.Node) -> str:
    """An infinite endpoint is open whatever bracket was written."""
    infinite = isinstance(endpoint, st.Scalar) and endpoint.value in (sympy.oo, -sympy.oo)
    return "open" if infinite or bracket in "()" else "closed"


def matrices_equal(answer: st.Matrix, reference: st.Matrix, policy: Policy) -> str | None:
    if [len(r) for r in answer.rows] != [len(r) for r in reference.rows]:
        return None
    for a_row, r_row in zip(answer.rows, reference.rows, strict=True):
        for a, r in zip(a_row, r_row, strict=True):
            if values_equal(a, r, None, policy) is None:
                return None
    return "equal matrices"


def scalars_equal(answer: st.Scalar, reference: st.Scalar, policy: Policy) -> str | None:
    if answer.variable and reference.variable and answer.variable != reference.variable:
        return None
    if undefined(answer.value) or undefined(reference.value):
        return None
    if isinstance(answer.value, sympy.Eq) or isinstance(reference.value, sympy.Eq):
        return equations_equal(_equation(answer), _equation(reference))
    rounded = rounding_digits(answer.decimals, reference.decimals, reference.percent)
    for a in _candidates(answer):
        for r in _candidates(reference):
            rule = values_equal(a, r, rounded, policy)
            if rule:
                return rule
    return None


def rounding_digits(
    answer_decimals: int | None, reference_decimals: int | None, reference_percent: bool
) -> int | None:
    """Digits at which the reference counts as rounded, or None when it must match exactly."""
    if reference_percent or not reference_decimals:
        return None
    if answer_decimals is not None and answer_decimals <= reference_decimals:
        return None  # a decimal no more precise than the reference must equal it exactly
    return reference_decimals


def _candidates(scalar: st.Scalar) -> tuple[Any, ...]:
    if scalar.percent:
        return (scalar.value, scalar.value / 100)
    return (scalar.value,)


def _equation(scalar: st.Scalar) -> Any:
    if scalar.variable is not None:
        return sympy.Eq(sympy.Symbol(scalar.variable), scalar.value, evaluate=False)
    return scalar.value


def values_equal(answer: Any, reference: Any, rounded: int | None, policy: Policy) -> str | None:
    """Whether two sympy values are equal; `rounded`: digits of a rounded decimal reference."""
    if undefined(answer) or undefined(reference):
        return None  # `1/0` and `2/0` are both `zoo`: an undefined value never decides "equal"
    if not isinstance(answer, sympy.Expr) or not isinstance(reference, sympy.Expr):
        return "identical" if answer == reference else None
    if answer == reference:
        return "identical expressions"
    symbols = answer.free_symbols | reference.free_symbols
    if symbols:
        return functions_equal(answer, reference)
    if isinstance(answer, sympy.Rational) and isinstance(reference, sympy.Rational):
        return rationals_equal(_fraction(answer), _fraction(reference), rounded, policy)
    return constants_equal(answer, reference, rounded, policy)


def undefined(value: Any) -> bool:
    """Whether a value is or holds `zoo` (a division by zero) or `nan` (`\\infty - \\infty`)."""
    if isinstance(value, sympy.Rational) or not isinstance(value, sympy.Basic):
        return False
    return bool(value.has(sympy.nan, sympy.zoo))


def _fraction(value: Any) -> Fraction:
    return Fraction(int(value.p), int(value.q))


def rationals_equal(
    answer: Fraction, reference: Fraction, rounded: int | None, policy: Policy
) -> str | None:
    if answer == reference:
        return "equal as rationals"
    if rounded is not None and rounds_to(answer, reference, rounded):
        return f"rounds to the reference at {rounded} decimal places"
    if policy.tolerance is not None and within_tolerance(answer, reference, policy.tolerance):
        return f"within relative tolerance {policy.tolerance:g}"
    return None


def constants_equal(answer: Any, reference: Any, rounded: int | None, policy: Policy) -> str | None:
    """Exact when the difference evaluates to a rational; otherwise 50 of 60 digits."""
    try:
        difference = (answer - reference).doit()
        a, r = answer.evalf(DIGITS), reference.evalf(DIGITS)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if difference.is_Rational:
        if difference == 0:
            return "equal by exact arithmetic"
        return _close_enough(abs(difference), a, r, rounded, policy)
    if not (_finite(a) and _finite(r)):
        return "equal infinities" if a == r and a.is_infinite else None
    gap = abs(a - r)
    if gap <= AGREEMENT * max(abs(a), abs(r)):
        return "equal to 50 significant digits"
    return _close_enough(gap, a, r, rounded, policy)


def _close_enough(gap: Any, a: Any, r: Any, rounded: int | None, policy: Policy) -> str | None:
    """Rounded-reference and explicit-tolerance rules, for a non-zero gap."""
    if rounded is not None and r.is_real and gap <= sympy.Rational(5, 10 ** (rounded + 1)):
        return f"rounds to the reference at {rounded} decimal places"
    if policy.tolerance is None or not (_finite(a) and _finite(r)):
        return None
    if gap <= sympy.Float(policy.tolerance, DIGITS) * max(abs(a), abs(r)):
        return f"within relative tolerance {policy.tolerance:g}"
    return None


def _finite(value: Any) -> bool:
    return bool(value.is_number) and value.is_finite is True


def functions_equal(answer: Any, reference: Any) -> str | None:
    """Equal at every sample point where both are defined (at least MIN_POINTS of them)."""
    symbols = sorted(answer.free_symbols | reference.free_symbols, key=str)
    agreed = 0
    for point in _points(symbols):
        a, r = _evaluate(answer, point), _evaluate(reference, point)
        if a is None and r is None:
            continue
        if a is None or r is None:
            return None
        if abs(a - r) > POINT_AGREEMENT * max(abs(a), abs(r), 1):
            return None
        agreed += 1
    return f"equal at {agreed} sample points" if agreed >= MIN_POINTS else None


def equations_equal(answer: Any, reference: Any) -> str | None:
    """Equivalent equations: one side-difference is a constant multiple of the other's."""
    if not (isinstance(answer, sympy.Eq) and isinstance(reference, sympy.Eq)):
        return None
    a_diff, r_diff = answer.lhs - answer.rhs, reference.lhs - reference.rhs
    symbols = sorted(a_diff.free_symbols | r_diff.free_symbols, key=str)
    if not symbols or a_diff.free_symbols != r_diff.free_symbols:
        return "identical equations" if answer == reference else None
    ratio = None
    agreed = 0
    for point in _points(symbols):
        a, r = _evaluate(a_diff, point), _evaluate(r_diff, point)
        if a is None or r is None or abs(r) < POINT_AGREEMENT:
            continue
        current = a / r
        if abs(current) < POINT_AGREEMENT:
            return None
        if ratio is not None and abs(current - ratio) > POINT_AGREEMENT * max(abs(ratio), 1):
            return None
        ratio = current
        agreed += 1
    return "equivalent equations" if agreed >= MIN_POINTS else None


def _points(symbols: list[Any]) -> list[dict[Any, Any]]:
    return [
        {
            symbol: SAMPLES[(trial * 3 + index * 5) % len(SAMPLES)]
            for index, symbol in enumerate(symbols)
        }
        for trial in range(TRIALS)
    ]


def _evaluate(expression: Any, point: dict[Any, Any]) -> Any:
    try:
        value = expression.evalf(POINT_DIGITS, subs=point)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not value.is_number or value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        return None
    return value
