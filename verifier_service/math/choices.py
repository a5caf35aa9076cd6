"""Multiple-choice answers: the one option letter an answer names.

`C`, `(C)`, `C)`, `\\text{C}`, `C. <option text>`, `(B) 17`, `Choice B`, `Choice_B: -9`,
`Option (C)`, "the correct answer is Choice D", "I pick C", `C, since A and B fail`. An answer
that names a second option (`B and C`, `B or maybe D`, `B (or possibly D)`), or that rejects
the one it names (`Option B is wrong`), names none.
"""

from __future__ import annotations

import re

from verifier_service.math.normalize import unwrap_text
from verifier_service.math.statements import DOUBT

_CHOICE_REFERENCE = re.compile(r"^\(?([A-J])\)?$")
# A reference that is an option with its text: `(C) 12`, `\text{(C) } 12`, `C. 12`.
_OPTION_REFERENCE = re.compile(r"^(?:\(([A-J])\)\s*|([A-J])[.:)]\s+(?!.*=))(\S.*)$", re.S)
_PREFIX = (
    r"(?:(?:the|correct|final|best|my|answer|choice|option|solution|is"
    r"|i\s+(?:would\s+|will\s+|'ll\s+)?(?:pick|choose|select|go\s+with))(?:[\s_:]+|$))*"
)
_ANSWER_CHOICE = re.compile(
    rf"^{_PREFIX}(?:\(([A-J])\)|([A-J])(?![A-Za-z0-9]))(?P<rest>.*)$", re.S | re.I
)
_LONE_LETTER = re.compile(r"^\(?([A-Ja-j])\)?$")
_LOWER_LETTER_PREFIX = re.compile(r"^[a-j](?![A-Za-z0-9(])")
_EXPLANATION = re.compile(
    r"^\s*[,;(]?\s*(?:since|because|given|not\s+\(?[A-J]\)?(?![A-Za-z])|[A-J](?:\s*,\s*[A-J])*"
    r"(?:\s+and\s+[A-J])?\s+(?:are|is)\s+(?:too|not|wrong|incorrect))",
    re.I,
)
_MENTIONED = re.compile(r"\b(?:option|choice)\s*\(?([A-J])\)?(?![A-Za-z])", re.I)
_ANOTHER_OPTION = re.compile(r"(?<![A-Za-z0-9])\(?[A-J](?:\)|[.:])(?!\w)")
_OPTION_TEXT = re.compile(r"^\s*[.:)\]]")
_WORDS_AFTER = re.compile(r"^\s+(?![=+\-*/^<>])")
_OTHER_LETTER = re.compile(r"(?<![A-Za-z0-9])\(?([A-J])\)?(?![A-Za-z0-9])")
_SECOND = re.compile(r"^\s*(?:,|/|;|&|\bor\b|\band\b)", re.I)


def choice_reference(reference: str) -> tuple[str, str | None] | None:
    """(letter, option text or None) when the reference is a multiple-choice option."""
    text = unwrap_text(reference).strip()
    bare = _CHOICE_REFERENCE.match(text)
    if bare is not None:
        return bare.group(1), None
    option = _OPTION_REFERENCE.match(text)
    if option is None:
        return None
    return option.group(1) or option.group(2), option.group(3).strip()


def chosen_letter(answer: str) -> str | None:
    """The one option letter an answer names, or None when it names none or several."""
    text = unwrap_text(answer).strip()
    lone = _LONE_LETTER.match(text)
    if lone is not None:
        return lone.group(1).upper()
    match = _ANSWER_CHOICE.match(text)
    if match is None:
        return _mentioned_option(text)
    if _LOWER_LETTER_PREFIX.match(text):
        return None  # `a + b` starts with a lower-case variable, not an option
    letter = (match.group(1) or match.group(2)).upper()
    rest = match.group("rest")
    if not rest.strip() or _EXPLANATION.match(rest):
        return letter
    if DOUBT.search(rest) or _SECOND.match(rest):
        return None
    if _OPTION_TEXT.match(rest):
        return None if _ANOTHER_OPTION.search(rest[1:]) else letter  # `E: 5, D: 4`
    if not _WORDS_AFTER.match(rest):
        return None
    others = {m.group(1) for m in _OTHER_LETTER.finditer(rest)} - {letter}
    return None if others else letter


def _mentioned_option(text: str) -> str | None:
    """`12, which is option (C)`: a value followed by the one option it names."""
    if DOUBT.search(text):
        return None
    letters = {m.group(1).upper() for m in _MENTIONED.finditer(text)}
    return letters.pop() if len(letters) == 1 else None
