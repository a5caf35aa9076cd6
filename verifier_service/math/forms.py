"""Answer forms decided on their text: clock times and multiple-choice letters."""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier_service.math.normalize import unwrap_text

_CLOCK = re.compile(
    r"^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?\s*(?:\\text\{\s*)?([ap])?\.?\s*(?:m\.?)?\s*\}?$", re.I
)
CHOICE_REFERENCE = re.compile(r"^\(?([A-J])\)?$")
_CHOICE_PREFIX = r"(?:(?:the|correct|final|answer|choice|option|solution|is)(?:[\s_:]+|$))*"
_ANSWER_CHOICE = re.compile(
    rf"^{_CHOICE_PREFIX}(?:\(([A-J])\)|([A-J])(?![A-Za-z0-9]))(?P<rest>.*)$",
    re.S | re.I,
)
_LONE_LETTER = re.compile(r"^\(?([A-Ja-j])\)?$")
_LOWER_LETTER_PREFIX = re.compile(r"^[a-j](?![A-Za-z0-9(])")
# After the letter: nothing, the option's text after `.`, `:` or `)`, or words (not an operator).
_AFTER_LETTER = re.compile(r"^(?:\s*[.:)\]]|\s+(?![=+\-*/^<>]))")
_LISTED_LETTER = re.compile(
    r"^\s*(?:,|/|;|\bor\b|\band\b)\s*(?:(?:choice|option)[\s_]*)?\(?[A-J]\)?(?![A-Za-z0-9])",
    re.I,
)
_OTHER_LETTER = re.compile(r"(?:^|[\s,;/]|\b(?:and|or)\b)\s*\(?([A-J])\)?(?![A-Za-z0-9])")


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


def chosen_letter(answer: str) -> str | None:
    """The one option letter an answer names (`C`, `(C)`, `Choice C`, `Option (C): 17`), or
    None when it names none or several different ones."""
    text = unwrap_text(answer).strip()
    lone = _LONE_LETTER.match(text)
    if lone is not None:
        return lone.group(1).upper()
    match = _ANSWER_CHOICE.match(text)
    if match is None:
        return None
    letter = match.group(1) or match.group(2)
    if _LOWER_LETTER_PREFIX.match(text):
        return None  # `a + b` starts with a lower-case variable, not an option
    rest = match.group("rest")
    if rest and not _AFTER_LETTER.match(rest):
        return None
    others = {m.group(1) for m in _OTHER_LETTER.finditer(rest)} - {letter.upper()}
    if others and _names_option(rest):
        return None
    return letter.upper()


def _names_option(rest: str) -> bool:
    """Whether the text after a letter names another option (`or C`, `, (D)`), not prose."""
    listed = _LISTED_LETTER.match(rest) is not None
    return listed or re.search(r"\([A-J]\)", rest) is not None
