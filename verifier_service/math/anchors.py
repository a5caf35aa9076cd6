"""Answers stated after an anchor: "the answer is X", "Final Answer: X", `#### X`, or a
caller's own prefixes (`options.anchors`).

The answer runs to the end of its sentence (or line). When that sentence is prose ("The volume
of $ABCD$ is 120"), the value it states is taken: what follows its last "is", "are" or "=", or
its only number. A sentence that negates ("is not 5") is kept whole, so it matches nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_ANCHOR = re.compile(
    r"(?:\banswers?\b[ \t]*(?:is|are|:|=)|\banswer\b[ \t]*\*\*[ \t]*:|####"
    r"|\b(?:solution|option|choice)[ \t]+is\b(?=[ \t:]*\(?[A-J]\)?(?![A-Za-z0-9])))",
    re.I,
)
_SENTENCE_END = re.compile(r"\.(?:\s|$)|\n")
_MATH_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))
_MATH_SPAN = re.compile(r"\$\$.*?\$\$|\$.*?\$|\\\(.*?\\\)|\\\[.*?\\\]", re.S)
_PROSE_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}")
_NEGATION = re.compile(r"\b(?:not|no|never|cannot|isn't|aren't|wrong|incorrect)\b|n't\b", re.I)
_FINAL_ANSWER = re.compile(r"final answer", re.I)
_HEDGE = re.compile(r"\b(?:maybe|perhaps|possibly|might|not sure|unsure|guess)\b", re.I)
_STATES = re.compile(r"(?:^|\s)(?:is|are|equals|=|be|it's|it is)\s", re.I)
_NUMBER = re.compile(r"(?<![\w.])[+-]?\d+(?:[.,]\d+)*(?![\w.])")
_DISCOURSE = re.compile(r"^(?:so|thus|hence|therefore|then|finally)\b,?\s*", re.I)
MAX_ANCHOR_TAIL = 2000
_QUOTES = re.compile(r'^(?:\\?["\'`]|``)+')
_SPAN_CONNECTOR = re.compile(r"\s*(?:,|;|\band\b|\bor\b)\s*(?=\$|\\\(|\\\[)")


def anchored_answer(text: str) -> str | None:
    """The answer after the last built-in anchor, or None."""
    last = None
    for match in _ANCHOR.finditer(text):
        last = match
    if last is None:
        return None
    return clean_tail(text[last.end() : last.end() + MAX_ANCHOR_TAIL]) or None


def final_answer_after(text: str, start: int) -> str | None:
    """The answer of a "Final Answer: ..." statement made after `start` (after the last box:
    "\\boxed{200} ... \\boxed{255} ... Final Answer: The final answer is $10,455$")."""
    statements = [match.start() for match in _FINAL_ANSWER.finditer(text, start)]
    return anchored_answer(text[statements[-1] :]) if statements else None


def custom_anchored_answer(text: str, anchors: Sequence[str]) -> str | None:
    """The rest of the line after the last occurrence of any of `anchors` (literal prefixes)."""
    best = max((text.rfind(anchor), anchor) for anchor in anchors)
    start, anchor = best
    if start < 0:
        return None
    tail = text[start + len(anchor) : start + len(anchor) + MAX_ANCHOR_TAIL]
    line_end = tail.find("\n")
    line = tail if line_end < 0 else tail[:line_end]
    return clean_tail(line) or None


def clean_tail(tail: str) -> str:
    """The answer at the start of an anchor's tail: a math span, or its sentence."""
    tail = _QUOTES.sub("", tail.lstrip(" \t:*").lstrip())
    spans = _leading_spans(tail)
    if spans:
        return ", ".join(spans)
    sentence = _first_sentence(tail)
    answer = sentence.strip().strip("*").strip().rstrip(".,;:").strip()
    return stated_value(answer)


def _leading_spans(tail: str) -> list[str]:
    """`$12$ and $13$` at the start of a tail: each math span joined to the one before by only
    a connector; empty when the tail does not start with a math span."""
    found: list[str] = []
    index = 0
    while True:
        opened = next(((o, c) for o, c in _MATH_DELIMITERS if tail.startswith(o, index)), None)
        if opened is None:
            return found
        opener, closer = opened
        end = _unescaped(tail, closer, index + len(opener))
        if end < 0:
            return found
        found.append(tail[index + len(opener) : end].strip())
        connector = _SPAN_CONNECTOR.match(tail, end + len(closer))
        if connector is None or not found[-1]:
            return found
        index = connector.end()


def _first_sentence(tail: str) -> str:
    """Up to the first full stop or line break outside a math span."""
    spans = [(m.start(), m.end()) for m in _MATH_SPAN.finditer(tail, 0, 2 * MAX_ANCHOR_TAIL)]
    for end in _SENTENCE_END.finditer(tail):
        if not any(start < end.start() < stop for start, stop in spans):
            return tail[: end.start()]
    return tail


def stated_value(sentence: str) -> str:
    """The value a prose sentence states; any other text unchanged."""
    sentence = _DISCOURSE.sub("", sentence)
    outside = _MATH_SPAN.sub(" ", sentence)
    if len(_PROSE_WORD.findall(outside)) < 2 or _HEDGE.search(outside):
        return sentence
    stated = list(_STATES.finditer(sentence))
    if stated:
        rest = sentence[stated[-1].end() :].strip()
        rest_outside = _MATH_SPAN.sub(" ", rest)
        if _NEGATION.search(rest_outside):
            return sentence  # "... is not 5"
        if rest and len(_PROSE_WORD.findall(rest_outside)) <= 1:
            return _unwrap_math(rest)
    if _NEGATION.search(outside):
        return sentence
    spans: list[str] = _MATH_SPAN.findall(sentence)
    numbers: list[str] = _NUMBER.findall(outside)
    if len(spans) == 1 and not numbers:
        return _unwrap_math(spans[0])
    if len(numbers) == 1 and not spans:
        return numbers[0]
    return sentence


def _unwrap_math(text: str) -> str:
    for opener, closer in _MATH_DELIMITERS:
        if text.startswith(opener) and text.endswith(closer) and len(text) > 2 * len(opener):
            return text[len(opener) : -len(closer)].strip()
    return text


def _unescaped(text: str, delimiter: str, start: int) -> int:
    """Index of the first `delimiter` at or after `start` not escaped by a backslash (`\\$`)."""
    index = text.find(delimiter, start)
    while index > 0 and delimiter == "$" and text[index - 1] == "\\":
        index = text.find(delimiter, index + 1)
    return index
