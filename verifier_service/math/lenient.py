"""`extraction: "lenient"`: answers that are not anchored, for scoring evaluation outputs.

After the anchored rules find nothing, the final sentence decides: the last sentence that holds
a number or a math environment (a closing "I hope it is correct." is skipped).
1. Its last math environment (`$..$`, `$$..$$`, `\\(..\\)`, `\\[..\\]`), when what follows it in the
   sentence has no number and no second thought ("or maybe", "not"). When that environment is
   joined to the one before it by only a connector (`$3$ or $4$`), both are candidates, and the
   item is correct only if both are.
2. Else the value the sentence states: what follows its last "is", "are" or "=", or its only
   number ("the probability that Alice wins is 2/3"); a sentence that negates states nothing.
3. Else a response that is one short line with no prose ("42", "x = 5", "(1, 2)").
"""

from __future__ import annotations

import re
from bisect import bisect_right

from verifier_service.math.statements import (
    DOUBT,
    QUALIFIER,
    conclusion,
    main_clause,
    may_be,
    offers_another,
    stated_value,
)

MAX_SINGLE_EXPRESSION = 200
# Bounded lengths keep every scan linear on text full of unclosed delimiters.
_ENVIRONMENT = re.compile(
    r"\$\$(?P<display>.{1,2000}?)\$\$|(?<![\\$])\$(?P<inline>(?:[^$\n]|\\\$){1,1000}?)(?<!\\)\$"
    r"|\\\((?P<paren>[^\n]{1,1000}?)\\\)|\\\[(?P<bracket>.{1,2000}?)\\\]",
    re.S,
)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")
_CONNECTOR = re.compile(r"^[\s,;/]*(?:(?:or|and|either|and/or)[\s,;/]*)?$", re.I)
_COMPARISON = re.compile(r"\b(?:than|instead|versus|vs)\b", re.I)
_PROSE = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}[\s,;:]+[A-Za-z]{2,}")
_TEXT_COMMAND = re.compile(r"\\(?:text|textbf|mathrm|mbox|textnormal)\s*\{[^{}]*\}")
_DIGIT = re.compile(r"\d")
_DELIMITER = re.compile(r"(?<!\\)(?<!\d)(?<!\d )\$(?! ?\d)")
_SCAN_CHARS = 8_000  # the final sentence is near the end; scans stay short


def lenient_answers(section: str) -> list[str]:
    """Candidate answers of an unanchored response, the last one last; empty when none."""
    tail = section[-_SCAN_CHARS:]
    sentence, environments = _final_sentence(tail)
    concluded = conclusion(sentence)  # a run-on sentence: from its last "Therefore" on
    if concluded != sentence:
        sentence, environments = concluded, list(_ENVIRONMENT.finditer(concluded))
    if environments:
        clause = main_clause(sentence)  # "$\\frac13$, which is less than $\\frac12$"
        kept = [m for m in environments if m.end() <= len(clause)]
        if not kept or offers_another(sentence[len(clause) :]):
            return []  # "$n = 5$ works, but so does $n = 6$"
        return _final_environments(clause, kept)
    if not _balanced(tail):
        return []  # a math environment left open (`$ \n 9 \n $`): where it ends is a guess
    if sentence:
        cleaned = sentence.strip().rstrip(".!?").strip()
        value = stated_value(cleaned)
        return [value] if value != cleaned or _is_expression(cleaned) else []
    return _single_expression(section)


def _balanced(text: str) -> bool:
    """No math environment left open outside the matched ones (`$ \\n 9 \\n $` is one); a `$`
    beside a number is a currency sign (`$1,000.99`, `2,74 $`)."""
    leftover = _ENVIRONMENT.sub(" ", text)
    return not (_DELIMITER.search(leftover) or "\\(" in leftover or "\\)" in leftover)


def _final_sentence(text: str) -> tuple[str, list[re.Match[str]]]:
    """The last sentence with a number or a math environment, and its environments."""
    environments = list(_ENVIRONMENT.finditer(text))
    starts = [m.start() for m in environments]

    def inside(index: int) -> bool:
        before = bisect_right(starts, index) - 1
        return before >= 0 and environments[before].end() > index

    ends = [m.end() for m in _SENTENCE_END.finditer(text) if not inside(m.start())]
    ends += [m.end() for m in environments if _ends_display_sentence(text, m)]
    ends.sort()
    bounds = list(zip([0, *ends], [*ends, len(text)], strict=True))
    for start, end in reversed(bounds):
        sentence = text[start:end]
        found = list(_ENVIRONMENT.finditer(sentence))
        if found or _DIGIT.search(sentence):
            return sentence, found
    return "", []


def _ends_display_sentence(text: str, environment: re.Match[str]) -> bool:
    """A displayed formula followed by a capital letter ends its sentence (`$$..$$ Therefore`)."""
    displayed = environment.group("display") or environment.group("bracket")
    following = text[environment.end() : environment.end() + 8].lstrip()
    return displayed is not None and following[:1].isupper()


def _final_environments(sentence: str, environments: list[re.Match[str]]) -> list[str]:
    last = environments[-1]
    if _DIGIT.search(sentence[last.end() :]):
        return []  # "$42$, or 43": the last value is not in a math environment
    words = _ENVIRONMENT.sub(" ", sentence)
    after = sentence[last.end() :]
    hedged = may_be(sentence[: environments[0].start()])
    if hedged or DOUBT.search(words) or _COMPARISON.search(words) or QUALIFIER.match(after.strip()):
        return []  # "We reject $x = 4$", "$\\frac13$, which is less than $\\frac12$"
    chosen = [last]
    for previous in reversed(environments[:-1]):
        if not _CONNECTOR.match(sentence[previous.end() : chosen[0].start()]):
            break
        chosen.insert(0, previous)
    answers = [_content(match) for match in chosen]
    return [answer for answer in answers if answer]


def _content(match: re.Match[str]) -> str:
    return next(group for group in match.groups() if group is not None).strip()


def _is_expression(text: str) -> bool:
    text = text.strip()
    return (
        bool(text)
        and len(text) <= MAX_SINGLE_EXPRESSION
        and "\n" not in text
        and not _PROSE.search(_TEXT_COMMAND.sub(" ", text))
    )


def _single_expression(section: str) -> list[str]:
    text = section.strip()
    return [text] if _is_expression(text) else []
