"""Units after a number: `5 \\text{ cm}^2`, `18 dollars`.

A unit is ignored when only one side names one (`5` equals `5 cm`), but two different units
never compare equal (`5 cm` is not `5 m`). `normalize` keeps a found unit as a trailing
`\\unit{...}` marker in canonical form, and `split_unit` takes it off again before comparison.
"""

from __future__ import annotations

import re

from verifier_service.math.statements import DOUBT, QUALIFIER

TEXT_WRAPPER = (
    r"\\(?:text|textbf|textit|textnormal|textrm|textsf|mbox|mathrm|mathbf|operatorname)"
    r"\s*\{([^{}]*)\}"
)
MAX_UNIT_SCAN_CHARS = 300
UNIT_MARKER = "\\unit"

_POWER = r"(?:\s*\^\s*\{?(\d)\}?)?"
_TRAILING_TEXT_UNIT = re.compile(r"\s*" + TEXT_WRAPPER + _POWER + r"\s*$")
_TRAILING_WORD_UNIT = re.compile(
    r"(?<=[\d}).])\s+([A-Za-z][A-Za-z .]*[A-Za-z.])" + _POWER + r"\s*$"
)
_GLUED_AREA_UNIT = re.compile(r"(?<=\d)\s*(mm|cm|km|m|in|ft|yd|mi)\s*([\u00b2\u00b3])$")
_MERIDIEM = re.compile(r"^[ap]\.?\s*m\.?$", re.I)
_PREFIX_END = re.compile(r"(?:[\d})]|\\pi|\\infty)\s*$")
# A multiplier, a fraction word or an adverb changes the value; it is never a unit.
_NOT_A_UNIT = re.compile(
    r"\b(?:hundred|thousand|million|billion|trillion|dozen|gross|score|factorial|inverse"
    r"|reciprocal|halves|thirds?|quarters?|fourths?|fifths?|sixths?|sevenths?|eighths?"
    r"|ninths?|tenths?|hundredths?|thousandths?|approx|onwards?|upwards?|downwards?|percent"
    r"|hmm+|umm?|uh|erm|[a-z]+ly)s?\b",
    re.I,
)
_UNIT_WORDS = frozenset(
    {"square", "cubic", "per", "meter", "centimeter", "millimeter", "kilometer", "inch", "foot"}
    | {"yard", "mile", "gram", "kilogram", "milligram", "pound", "ounce", "liter", "milliliter"}
    | {"second", "minute", "hour", "day", "week", "month", "year", "dollar", "cent", "unit"}
    | {"degree", "radian", "gallon", "quart", "pint", "cup", "acre", "hectare", "ton", "tonne"}
    | {"light", "kilowatt", "watt", "volt", "newton", "joule", "calorie", "mph", "euro"}
)
_MARKED = re.compile(r"^(.*) \\unit\{([^{}]*)\}$", re.S)
_CONNECTORS = frozenset(
    {"or", "and", "to", "but", "not", "no", "none", "nor", "if", "then", "than", "more", "less"}
    | {"least", "most", "only", "each", "plus", "minus", "times", "over", "under", "is"}
    | {"are", "was", "be", "equals"}
)
_SYNONYMS = {
    "cm": "centimeter", "mm": "millimeter", "km": "kilometer", "m": "meter", "in": "inch",
    "ft": "foot", "feet": "foot", "yd": "yard", "mi": "mile", "g": "gram", "kg": "kilogram",
    "mg": "milligram", "lb": "pound", "lbs": "pound", "oz": "ounce", "l": "liter",
    "ml": "milliliter",
    "s": "second", "sec": "second", "min": "minute", "h": "hour", "hr": "hour", "hrs": "hour",
    "metre": "meter", "centimetre": "centimeter", "kilometre": "kilometer", "litre": "liter",
    "sq": "square", "mph": "mile per hour", "kmh": "kilometer per hour",
}  # fmt: skip


def attach_unit(text: str) -> str:
    """`5 \\text{ cm}^2` -> `5 \\unit{centimeter^2}`; text without a unit is unchanged."""
    if len(text) > MAX_UNIT_SCAN_CHARS:
        return text
    glued = _GLUED_AREA_UNIT.search(text)
    if glued is not None:  # `1,000.99m²`
        power = "2" if glued.group(2) == "\u00b2" else "3"
        return f"{text[: glued.start()]} {UNIT_MARKER}{{{_canonical([glued.group(1)], power)}}}"
    units: list[str] = []
    for _ in range(3):
        stripped, unit = _strip_one_unit(text)
        if unit is None:
            break
        text = stripped
        units.insert(0, unit)
    return f"{text} {UNIT_MARKER}{{{' '.join(units)}}}" if units else text


def split_unit(text: str) -> tuple[str, str | None]:
    """(`5`, `centimeter^2`) for a normalised `5 \\unit{centimeter^2}`; (text, None) otherwise."""
    match = _MARKED.match(text)
    if match is None:
        return text, None
    return match.group(1), match.group(2)


def _strip_one_unit(text: str) -> tuple[str, str | None]:
    for pattern, min_letters in ((_TRAILING_TEXT_UNIT, 1), (_TRAILING_WORD_UNIT, 2)):
        match = pattern.search(text)
        if match is None:
            continue
        words = re.findall(r"[A-Za-z]+", match.group(1))
        prefix = text[: match.start()].rstrip()
        if not words or sum(map(len, words)) < min_letters:
            continue
        if any(word.lower() in _CONNECTORS for word in words) or _not_a_unit(match.group(1)):
            continue
        if len(words) > 1 and not all(_is_unit_word(word) for word in words):
            continue  # "5 I think", "101 in binary": only known unit words make a long unit
        if prefix and _PREFIX_END.search(prefix):
            return prefix, _canonical(words, match.group(2))
    return text, None


def _not_a_unit(text: str) -> bool:
    """Words that doubt or qualify a value ("probably", "squared", "maximum", "thousand",
    "hopefully"), and a.m./p.m."""
    if DOUBT.search(text) or QUALIFIER.search(text) or _NOT_A_UNIT.search(text):
        return True
    return _MERIDIEM.match(text.strip()) is not None


def _is_unit_word(word: str) -> bool:
    lower = word.lower()
    return lower in _UNIT_WORDS or _singular(lower) in _UNIT_WORDS or lower in _SYNONYMS


def _canonical(words: list[str], power: str | None) -> str:
    unit = " ".join(_singular(_SYNONYMS.get(word.lower(), word.lower())) for word in words)
    unit = " ".join(_SYNONYMS.get(part, part) for part in unit.split())
    return f"{unit}^{power}" if power else unit


def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith("ss"):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word
