"""Plain numbers read as exact rationals, without sympy: the fast path for most answers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

MAX_DIGITS = 400
MAX_EXPONENT = 400

_SIGN = r"(?P<sign>[+-]?)\s*"
_DECIMAL = re.compile(_SIGN + r"(?P<int>\d*)(?:\.(?P<frac>\d+))?$")
_SLASH = re.compile(_SIGN + r"(?P<num>\d+)\s*/\s*(?P<den>\d+)$")
_FRAC = re.compile(_SIGN + r"(?P<whole>\d+)?\s*\\frac\{\s*(?P<num>\d+)\s*\}\{\s*(?P<den>\d+)\s*\}$")
_SCIENTIFIC = re.compile(
    _SIGN + r"(?P<mant>\d+(?:\.\d+)?)\s*(?:\\times|\\cdot|\*|x)\s*10\s*\^\s*"
    r"(?:\{\s*(?P<exp1>[+-]?\d+)\s*\}|(?P<exp2>\d))$"
)
_E_NOTATION = re.compile(_SIGN + r"(?P<mant>\d+(?:\.\d+)?)[eE](?P<exp>[+-]?\d+)$")
_REPEATING = re.compile(_SIGN + r"(?P<int>\d*)\.(?P<fixed>\d*)\\overline\{(?P<rep>\d+)\}$")


@dataclass(frozen=True, slots=True)
class ExactNumber:
    value: Fraction
    decimals: int | None = None  # digits after the point when written as a plain decimal
    percent: bool = False

    def candidates(self) -> tuple[Fraction, ...]:
        """Values this number may stand for: `50%` is 50 or 0.5."""
        if self.percent:
            return (self.value, self.value / 100)
        return (self.value,)


def parse_number(text: str) -> ExactNumber | None:
    """An exact reading of a plain number (normalised text), or None when it is not one."""
    text = text.strip()
    percent = text.endswith("\\%")
    if percent:
        text = text[:-2].rstrip()
    if not text or len(text) > MAX_DIGITS:
        return None
    for reader in (_read_decimal, _read_fraction, _read_scientific, _read_repeating):
        number = reader(text)
        if number is not None:
            return ExactNumber(number[0], number[1], percent)
    return None


def _signed(sign: str, value: Fraction) -> Fraction:
    return -value if sign == "-" else value


def _read_decimal(text: str) -> tuple[Fraction, int | None] | None:
    match = _DECIMAL.match(text)
    if match is None or not (match["int"] or match["frac"]):
        return None
    fraction_digits = match["frac"]
    value = Fraction(int(match["int"] or "0"))
    if fraction_digits:
        value += Fraction(int(fraction_digits), 10 ** len(fraction_digits))
    return _signed(match["sign"], value), len(fraction_digits) if fraction_digits else None


def _read_fraction(text: str) -> tuple[Fraction, int | None] | None:
    match = _SLASH.match(text) or _FRAC.match(text)
    if match is None or int(match["den"]) == 0:
        return None
    value = Fraction(int(match["num"]), int(match["den"]))
    whole = match.groupdict().get("whole")
    if whole:
        value += int(whole)
    return _signed(match["sign"], value), None


def _read_scientific(text: str) -> tuple[Fraction, int | None] | None:
    match = _SCIENTIFIC.match(text)
    if match is not None:
        exponent = match["exp1"] or match["exp2"]
    else:
        match = _E_NOTATION.match(text)
        if match is None:
            return None
        exponent = match["exp"]
    power = int(exponent)
    if abs(power) > MAX_EXPONENT:
        return None
    mantissa = _read_decimal(match["mant"])
    assert mantissa is not None
    return _signed(match["sign"], mantissa[0] * Fraction(10) ** power), None


def _read_repeating(text: str) -> tuple[Fraction, int | None] | None:
    match = _REPEATING.match(text)
    if match is None:
        return None
    fixed, repeated = match["fixed"], match["rep"]
    value = Fraction(int(match["int"] or "0"))
    if fixed:
        value += Fraction(int(fixed), 10 ** len(fixed))
    value += Fraction(int(repeated), (10 ** len(repeated) - 1) * 10 ** len(fixed))
    return _signed(match["sign"], value), None


def rounds_to(value: Fraction, reference: Fraction, decimals: int) -> bool:
    """Whether `value` rounded to `decimals` places is `reference` (ties either way)."""
    return abs(value - reference) <= Fraction(5, 10 ** (decimals + 1))


def within_tolerance(value: Fraction, reference: Fraction, tolerance: float) -> bool:
    scale = max(abs(reference), abs(value))
    return abs(value - reference) <= Fraction(tolerance) * scale
