"""Answers stated after an anchor: "the answer is X", "Final Answer: X", `#### X`, or a
caller's own prefixes (`options.anchors`).

The answer runs to the end of its sentence (or line), and stops before a reason or side
remark ("10, since ..."). A tail that opens with math spans joined by connectors gives them all
(`$12$ and $13$`), unless the sentence goes on to make them conditional ("$5$ if n is odd").
A prose tail gives the value it states (statements.py). A next sentence that opens with a
second thought ("Or D.", "Maybe 6.") withdraws the answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from verifier_service.math.statements import (
    MATH_DELIMITERS,
    MATH_SPAN,
    QUALIFIER,
    doubts,
    hedges,
    is_prose,
    main_clause,
    offers_another,
    stated_value,
    supposes,
)

_ANCHOR = re.compile(
    r"(?:\banswers?\b[ \t]*(?:is|are|:|=)|\banswer\b[ \t]*\*\*[ \t]*:|####"
    r"|\b(?:solution|option|choice)[ \t]+is\b(?=[ \t:*]*\(?[A-J]\)?(?![A-Za-z0-9])))",
    re.I,
)
# "Final Answer: ..." as a statement of its own: MATH's capitalised format, or a line of its
# own ("To double-check the final answer: ..." is neither).
_FINAL_ANSWER = re.compile(r"\bFinal Answer\b|(?im:^[ \t*#>_-]*final answer\b)")
_ANCHOR_HINT = re.compile(r"answer|####|solution|option|choice", re.I)
_FINAL_HEADING = re.compile(r"(?im)^[ \t#*_>-]*final answer[ \t*_:]*$\n?")
_SENTENCE_START = re.compile(r"[.!?](?:\s|$)|\n|\*\*")
_SENTENCE_END = re.compile(r"\.(?:\s|$)|\n")
_SECOND_THOUGHT = re.compile(
    r"^\s*(?:or|maybe|perhaps|actually|wait|alternatively|also|though|although|hmm+|but"
    r"|however|no|oops|correction|unless|otherwise)\b",
    re.I,
)
_BOLD = re.compile(r"\*\*|__")
_QUOTES = re.compile(r'^(?:\\?["\'`]|``)+')
_SPAN_CONNECTOR = re.compile(r"\s*(?:,|\band\b|\bor\b)\s*(?=\$|\\\(|\\\[)")
_VALUE = re.compile(r"[\d\\$]|^\(?[A-J]\)?$|(?<![A-Za-z])[A-J](?![A-Za-z])")
_LEADING_VALUE = re.compile(r"(?:[+-]?\d|\\|\$|\(?[A-J]\)?(?![A-Za-z])|[A-Za-z](?:_\w+)?\s*=|\()")
_OPTION_MENTION = re.compile(r"\b(?:option|choice)\s*\(?[A-J]\)?(?![A-Za-z])", re.I)
MAX_ANCHOR_TAIL = 2000


def anchored_answer(text: str) -> str | None:
    """The answer after the last built-in anchor, or None (also when it was withdrawn)."""
    stated = anchored_statement(text)
    return stated or None


def anchored_statement(text: str, start: int = 0, *, leading_value: bool = False) -> str | None:
    """The answer after the last built-in anchor at or after `start`: None without an anchor,
    "" when a second thought withdraws it. A "Final Answer" heading on a line of its own is an
    anchor for the line below it."""
    if not _ANCHOR_HINT.search(text, start):
        return None
    anchors = list(_ANCHOR.finditer(text, start))
    headings = list(_FINAL_HEADING.finditer(text, start)) if "inal" in text else []
    last = anchors[-1] if anchors else None
    heading = headings[-1] if headings else None
    if heading is not None and (last is None or heading.start() > last.start()):
        return clean_tail(text[heading.end() : heading.end() + MAX_ANCHOR_TAIL].lstrip())
    if last is None:
        return None
    if supposes(_sentence_before(text, last.start())):
        return ""  # "Assume the answer is 5", "Is the answer 5?"
    tail = text[last.end() : last.end() + MAX_ANCHOR_TAIL]
    if leading_value and not _LEADING_VALUE.match(tail.lstrip(" \t:*")):
        return None  # prose after the anchor: "...the final answer: plugging in n=5 works"
    return clean_tail(tail)


def _sentence_before(text: str, index: int) -> str:
    """The words of the anchor's own sentence before the anchor."""
    window = text[max(0, index - 200) : index]
    starts = [m.end() for m in _SENTENCE_START.finditer(window)]
    return window[starts[-1] :] if starts else window


def statement_after(text: str, start: int) -> tuple[bool, str | None]:
    """What the response states after its last box (ending at `start`): (replaces, answer).

    A "Final Answer" statement (MATH's capitalised `Final Answer: The final answer is
    $10,455$`, or a line of its own) replaces the boxes, which were then intermediate results;
    any other anchored statement ("The final answer is 2 or 3.") is one more candidate, which
    must agree with the boxes. A statement with no value ("see above") counts for nothing; a
    withdrawn one ("My final answer is 2. But actually, 7.") gives "" (no answer).
    """
    stated = anchored_statement(text, start, leading_value=True)
    if stated is None:
        return False, None  # no statement, or prose ("plugging in n=5 works", "see above")
    final = _FINAL_ANSWER.search(text, start) is not None
    return final, stated


def custom_anchored_answer(text: str, anchors: Sequence[str]) -> str | None:
    """The rest of the line after the last occurrence of any of `anchors` (literal prefixes);
    None when that line is prose with no value ("Answer: We compute step by step.")."""
    start, anchor = max((text.rfind(anchor), anchor) for anchor in anchors)
    if start < 0:
        return None
    tail = text[start + len(anchor) : start + len(anchor) + MAX_ANCHOR_TAIL]
    line_end = tail.find("\n")
    answer = clean_tail(tail if line_end < 0 else tail[:line_end])
    if not answer or (is_prose(answer) and not _VALUE.search(answer)):
        return None
    return answer


def clean_tail(tail: str) -> str:
    """The answer at the start of an anchor's tail ("" when a second thought withdraws it)."""
    tail = _QUOTES.sub("", tail.lstrip(" \t:*").lstrip())
    sentence = _first_sentence(tail)
    if _SECOND_THOUGHT.match(tail[len(sentence) :].lstrip(" .")):
        return ""
    spans, after = _leading_spans(tail)
    if spans:
        spans_end = len(tail) - len(after)
        remark = sentence[spans_end:] if spans_end <= len(sentence) else ""
        first = main_clause(remark)
        refused = QUALIFIER.search(first) or doubts(first) or offers_another(remark)
        return sentence if refused else ", ".join(spans)
    answer = _BOLD.sub("", sentence).strip().rstrip(".,;:").strip()
    leading = main_clause(answer)
    remark = answer[len(leading) :]
    if offers_another(remark) or hedges(remark):
        return answer  # "5, but 6 works too", "B, but I'm not sure": nothing to reward
    if _OPTION_MENTION.search(remark):
        return answer  # "12, which is option (C)": the letter is in the remark
    if is_prose(answer) and not answer[:1].isdigit():
        return stated_value(answer)
    return leading if not doubts(leading) else answer


def _leading_spans(tail: str) -> tuple[list[str], str]:
    """`$12$ and $13$` at the start of a tail: each math span joined to the one before by only
    a connector, and the text after them; no spans when the tail does not open with one."""
    found: list[str] = []
    index = 0
    while True:
        opened = next(((o, c) for o, c in MATH_DELIMITERS if tail.startswith(o, index)), None)
        if opened is None:
            return found, tail[index:]
        opener, closer = opened
        end = _unescaped(tail, closer, index + len(opener))
        if end < 0:
            return found, tail[index:]
        found.append(tail[index + len(opener) : end].strip())
        after = end + len(closer)
        connector = _SPAN_CONNECTOR.match(tail, after)
        if connector is None or not found[-1]:
            return found, tail[after:]
        index = connector.end()


def _first_sentence(tail: str) -> str:
    """Up to the first full stop or line break outside a math span (spans found lazily)."""
    spans = MATH_SPAN.finditer(tail)
    span = next(spans, None)
    for end in _SENTENCE_END.finditer(tail):
        index = end.start()
        while span is not None and span.end() <= index:
            span = next(spans, None)
        if span is None or not span.start() < index:
            return tail[:index]
    return tail


def _unescaped(text: str, delimiter: str, start: int) -> int:
    """Index of the first `delimiter` at or after `start` not escaped by a backslash (`\\$`)."""
    index = text.find(delimiter, start)
    while index > 0 and delimiter == "$" and text[index - 1] == "\\":
        index = text.find(delimiter, index + 1)
    return index
