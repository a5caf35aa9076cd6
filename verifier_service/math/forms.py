"""Forms read on the text: clock times (`3:45`, `12:00`, `7:05 pm`) compared as times of day,
and marks the LaTeX parser drops (primes, base subscripts) compared before it runs."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CLOCK = re.compile(
    r"^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?\s*(?:\\text\{\s*)?([ap])?\.?\s*(?:m\.?)?\s*\}?$", re.I
)


@dataclass(frozen=True, slots=True)
class ClockTime:
    hour: int
    minute: int
    second: int
    half: str | None  # "a" or "p" when written with am/pm


def clock_time(text: str) -> ClockTime | None:
    """`3:45`, `12:00`, `7:05 pm` as a time of day; None for anything else (`11:21` ratios too
    read as times: a time and a ratio are told apart by the other side)."""
    match = _CLOCK.match(text.strip())
    if match is None or int(match.group(1)) > 24:
        return None
    half = match.group(4).lower() if match.group(4) else None
    return ClockTime(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0), half)


def same_time(answer: ClockTime, reference: ClockTime) -> bool:
    if answer.half and reference.half:
        return answer == reference
    return _24h(answer) == _24h(reference)


def _24h(time: ClockTime) -> tuple[int, int, int]:
    hour = time.hour
    if time.half == "p" and hour < 12:
        hour += 12
    elif time.half == "a" and hour == 12:
        hour = 0
    return hour, time.minute, time.second


_PRIME = re.compile(r"'|\\prime\b")
# `f'(x) =` and `y' =` name a derivative; labels are compared as labels (labels.py).
_PRIMED_LABEL = re.compile(r"^\s*[A-Za-z]'+\s*(?:\([^()]*\))?\s*=")
_BASE_NUMERAL = re.compile(r"(?<![\w.])([0-9A-Fa-f]+)_\{?(\d{1,2})\}?(?![\w}])")


def different_marks(answer: str, reference: str) -> str | None:
    """Why two answers differ in marks the parser would drop, or None: `f''(1)` is not
    `f'(1)`, and `101_2` (a numeral in base 2) is neither `101` nor `101_3`."""
    answer_value, reference_value = _PRIMED_LABEL.sub("", answer), _PRIMED_LABEL.sub("", reference)
    if len(_PRIME.findall(answer_value)) != len(_PRIME.findall(reference_value)):
        return "different numbers of primes (derivatives)"
    answer_numerals = sorted(_BASE_NUMERAL.findall(answer))
    reference_numerals = sorted(_BASE_NUMERAL.findall(reference))
    if answer_numerals != reference_numerals:
        return "different numerals in a base"
    return None
