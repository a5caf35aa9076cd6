"""What a sentence states: the value of "The volume of $ABCD$ is 120", and when it states none.

Prose around an answer is read conservatively. A sentence that negates, hedges or rejects
("is not 5", "maybe 43", "x = 2 is extraneous") states nothing; a value with a qualifier ("at
least 5", "half of 10", "3 times the radius") is not that value; a sentence with two "is" is
ambiguous. A refusal returns the sentence unchanged, which matches no reference.
"""

from __future__ import annotations

import re

# Spans are bounded so that a scan stays linear on text full of unclosed delimiters.
MATH_SPAN = re.compile(
    r"\$\$.{0,4000}?\$\$|\$.{0,4000}?\$|\\\(.{0,4000}?\\\)|\\\[.{0,4000}?\\\]", re.S
)
MATH_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))
# Words that deny, doubt or reject what the sentence says.
DOUBT = re.compile(
    r"\b(?:not|no|never|none|neither|nor|cannot|without|except|unless|isn't|aren't|wasn't"
    r"|maybe|perhaps|possibly|probably|likely|might|unsure|guess|whether|although|though"
    r"|reject|rejected|rejects|extraneous|invalid|fails?|wrong|incorrect|false"
    r"|let|assume|assuming|suppose|supposing|if)\b|n't\b|\?",
    re.I,
)
# Words that make a value a bound, a factor or a description of it.
QUALIFIER = re.compile(
    r"\b(?:least|most|more|less|fewer|greater|smaller|larger|than|multiple|multiples|times"
    r"|half|twice|double|triple|thrice|squared|cubed|maximum|minimum|about|approximately"
    r"|around|roughly|nearly|almost|over|under|between|if|otherwise|or|up|near|close|below"
    r"|above|within|beyond|exceeding|somewhere|estimated|circa|hundred|thousand|million"
    r"|billion|trillion|dozen)\b|~",
    re.I,
)
_PROSE_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}")
_STATES = re.compile(r"(?:^|\s)(?:is|are|equals|=|be|it's|it is)\s", re.I)
_MAY_BE = re.compile(r"\b(?:could|might|may)\s+be\s*$", re.I)
_VALUE_AFTER = re.compile(r"\s*(?:[+-]?\d|\$|\\\(|\\\[)")
_NUMBER = re.compile(r"(?<![\w.])[+-]?\d+(?:[.,]\d+)*(?![\w.])")
_DISCOURSE = re.compile(r"^(?:so|thus|hence|therefore|then|finally)\b,?\s*", re.I)
# A clause that gives a reason or a side remark after the answer.
_CLAUSE_BREAK = re.compile(
    r",\s+(?=(?:since|because|as|which|where|while|given|and|but|so|then|hence|thus|i\.e|let)\b)"
    r"|\s+(?=(?:since|because)\b)|;\s|\s+\((?=[A-Za-z]{2,}\b)"
    r"|,\s+(?=(?:approximately|about|roughly|or about|i\.e)\b)|\s+[\u2014\u2013]\s+",
    re.I,
)
# After the main clause: a second value offered as well ("5; 6 is also valid", "5, and 6",
# "B, but D works too").
_AS_WELL = re.compile(
    r"\b(?:also|too|as well|as is|as does|so is|so does|either|works?|valid|possible|correct"
    r"|alternatively|another|or)\b",
    re.I,
)
_JUST_A_VALUE = re.compile(
    r"^\s*[,;]?\s*(?:and|or|but)?\s*(?:also\s+)?"
    r"(?:[+-]?\d[\d.,/]*|\$[^$]{0,200}\$|\(?[A-J]\)?(?:[.:)]\s*[^,;]{0,40})?|\\\(.{0,200}?\\\))"
    r"\s*[.!]?\s*$"
)
_SUPPOSITION = re.compile(
    r"\b(?:if|assume|assuming|suppose|supposing|let|whether|unless|when|what|guess)\b|^\s*is\b",
    re.I,
)
_HEDGING_REMARK = re.compile(
    r"\b(?:not sure|unsure|not certain|maybe|perhaps|possibly|probably|might be|could be wrong"
    r"|i guess|not confident)\b",
    re.I,
)
_A_VALUE = re.compile(r"\d|\$|\\[(\[]|(?<![A-Za-z])\(?[A-J]\)?(?![A-Za-z])")
# Where a concluding statement starts inside a long run-on sentence.
_CONCLUSION = re.compile(r"\b(?:Therefore|Thus|Hence|So|Finally|In conclusion)\b,?\s*")


def main_clause(sentence: str) -> str:
    """The sentence up to a reason or side remark: "10, and the remainder is 3" -> "10"."""
    outside = MATH_SPAN.sub(lambda m: "#" * len(m.group(0)), sentence)
    cut = _CLAUSE_BREAK.search(outside)
    return sentence[: cut.start()].rstrip(" ,;") if cut else sentence


def may_be(prefix: str) -> bool:
    """Whether the words before a value hedge it: "It could be", "the answer might be"."""
    return _MAY_BE.search(MATH_SPAN.sub(" ", prefix)) is not None


def supposes(prefix: str) -> bool:
    """Whether the words before an answer make it a supposition or a question ("Assume the
    answer is", "If the answer is", "Is the answer")."""
    return _SUPPOSITION.search(MATH_SPAN.sub(" ", prefix)) is not None


def hedges(remark: str) -> bool:
    """Whether a remark after the answer takes it back: ", but I'm not sure", "maybe"."""
    return _HEDGING_REMARK.search(MATH_SPAN.sub(" ", remark)) is not None


def offers_another(remark: str) -> bool:
    """Whether what follows an answer offers a second value: "; 6 is also valid", ", and 6"."""
    if not _A_VALUE.search(remark):
        return False
    return _JUST_A_VALUE.match(remark) is not None or _AS_WELL.search(remark) is not None


def conclusion(sentence: str) -> str:
    """The sentence from its last "Therefore", "Thus", "So", "Hence" on, outside math."""
    outside = MATH_SPAN.sub(lambda m: "#" * len(m.group(0)), sentence)
    starts = [m.start() for m in _CONCLUSION.finditer(outside)]
    return sentence[starts[-1] :] if starts else sentence


def is_prose(text: str) -> bool:
    return len(_PROSE_WORD.findall(MATH_SPAN.sub(" ", text))) >= 2


def doubts(text: str) -> bool:
    """Whether the text, outside its math, denies, doubts or rejects."""
    return DOUBT.search(MATH_SPAN.sub(" ", text)) is not None


def stated_value(sentence: str) -> str:
    """The value a prose sentence states; the sentence unchanged when it states none. Text that
    is not prose is returned without its leading "So", "Thus" and side remarks."""
    clause = main_clause(_DISCOURSE.sub("", sentence))
    if not is_prose(clause):
        return clause
    value = _stated(clause)
    return sentence if value is None else value


def _stated(clause: str) -> str | None:
    outside = MATH_SPAN.sub(" ", clause)
    if DOUBT.search(outside):
        return None
    stated = list(_STATES.finditer(clause))
    if any(_VALUE_AFTER.match(clause, verb.end()) for verb in stated[:-1]):
        return None  # "x is 3 and y is 4": which one?
    if stated:
        if _MAY_BE.search(clause[: stated[-1].end()]):
            return None  # "it could be 5"
        rest = clause[stated[-1].end() :].strip()
        if _clean_value(rest):
            return unwrap_math(rest)
    spans: list[str] = MATH_SPAN.findall(clause)
    numbers = list(_NUMBER.finditer(outside))
    if len(spans) == 1 and not numbers and not QUALIFIER.search(outside):
        return unwrap_math(spans[0])
    if len(numbers) == 1 and not spans and not _qualified(outside, numbers[0]):
        return numbers[0].group(0)
    return None


def _clean_value(rest: str) -> bool:
    """A value and at most one word (a unit), with no qualifier: "120", "18 dollars"."""
    outside = MATH_SPAN.sub(" ", rest)
    return bool(rest) and not QUALIFIER.search(outside) and len(_PROSE_WORD.findall(outside)) <= 1


def _qualified(text: str, number: re.Match[str]) -> bool:
    """A qualifier among the two words on either side of the number ("at least 5")."""
    before = text[: number.start()].split()[-2:]
    after = text[number.end() :].split()[:2]
    return QUALIFIER.search(" ".join([*before, *after])) is not None


def unwrap_math(text: str) -> str:
    for opener, closer in MATH_DELIMITERS:
        if text.startswith(opener) and text.endswith(closer) and len(text) > 2 * len(opener):
            return text[len(opener) : -len(closer)].strip()
    return text
