"""Text-level normalisation of an answer or reference, before any parsing.

Each rule removes notation that never changes the value (spacing, sizing, delimiters,
thousands separators, units after a number); nothing here may make two different answers equal.
"""

from __future__ import annotations

import re
from fractions import Fraction

from verifier_service.math.labels import is_constant_text, is_label
from verifier_service.math.structure import list_items, split_top_level
from verifier_service.math.units import TEXT_WRAPPER, UNIT_MARKER, attach_unit, split_unit

_UNICODE = {
    "−": "-",
    "–": "-",
    "×": "\\times ",
    "·": "\\cdot ",
    "÷": "\\div ",
    "π": "\\pi ",
    "∞": "\\infty ",
    "≤": "\\le ",
    "≥": "\\ge ",
    "≠": "\\ne ",
    "√": "\\sqrt",
    "∪": "\\cup ",
    "∈": "\\in ",
    "∅": "\\emptyset ",
    "\u00a0": " ",
}
_DROP_COMMANDS = re.compile(
    r"\\(?:left|right|bigl|bigr|Bigl|Bigr|big|Big|displaystyle|textstyle|mathrm\{\s*\}|limits)"
    r"(?![a-zA-Z])"
)
_SPACING = re.compile(r"\\\\|\\[,;:! ]|\\q?quad(?![a-zA-Z])|~")
_FRAC_ALIASES = re.compile(r"\\[dt]frac(?![a-zA-Z])")
_FRAC_ARGUMENT = r"\s*(\{[^{}]*\}|\\[a-zA-Z]+|[0-9a-zA-Z])"
_FRAC_SHORTHAND = re.compile(r"\\frac" + _FRAC_ARGUMENT + _FRAC_ARGUMENT)
_SQRT_SHORTHAND = re.compile(r"\\sqrt\s*(\\[a-zA-Z]+|[0-9a-zA-Z])")
_DEGREES = re.compile(
    r"\^\s*\{?\s*\\circ\s*\}?|\\degree(?![a-zA-Z])|°|\^\s*\{\s*\\text\{\s*o\s*\}\s*\}"
)
_DOLLAR_SIGN = re.compile(r"\\\$|\\text\{\s*\\\$\s*\}|^\$(?=\d)|(?<=\d)\s*[€£](?=$)|^[€£](?=\d)")
_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$")
# The MATH dataset writes `10,\!000`; others `1\,000` (a thin space between digit groups).
_SPACED_THOUSANDS = re.compile(r"(?<=\d)\s*(?:,\s*\\!|\\,|\\!|\{\s*,\s*\})\s*(?=\d{3}(?!\d))")
_DECIMAL_COMMA = re.compile(r"^([+-]?\d+),(\d+)$")
_SPACE_THOUSANDS = re.compile(r"(?<=\d)[ ](?=\d{3}(?!\d))")
MAX_TEXT_UNWRAP = 4  # nested wrappers beyond this stay (and then match no word)
_WHOLE_DOLLARS = re.compile(r"^\$+|\$+$")
_MATH_FENCES = (("\\(", "\\)"), ("\\[", "\\]"))
_MULTIPLIERS = {
    "hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
    "dozen": 12,
}  # fmt: skip
_MULTIPLIER = re.compile(
    r"^([+-]?\d[\d,]*(?:\.\d+)?)\s*(\\text\{\s*)?(hundred|thousand|million|billion|trillion"
    r"|dozen)s?\b(.*)$",
    re.I | re.S,
)
_MODULUS = re.compile(
    r"\s*(?:\\pmod\s*\{?\s*(\d+)\s*\}?|\(\s*\\b?mod\s*\{?\s*(\d+)\s*\}?\s*\)"
    r"|\\b?mod\s*\{?\s*(\d+)\s*\}?)\s*$"
)
_BRACED_DECIMAL_COMMA = re.compile(r"(?<=\d)\{,\}(?=\d)")  # `1{,}5`: LaTeX's decimal comma
_PERCENT_WORD = re.compile(r"(?<=\d)\s*(?:\\text\{\s*(?:\\?%|percent)\s*\}|\s+percent\b)")
_MARKDOWN_BOLD = re.compile(r"^\*\*(.+)\*\*$", re.S)
_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")
_DOUBLED_BACKSLASH = re.compile(r"\\\\(?=[a-zA-Z{}()\[\]%,!])")
_RELATION_HINT = re.compile(r"[<>=]|\\[lgnv]")


def normalize(text: str) -> str:
    """The canonical text form of one answer or reference."""
    text = text.strip()
    for source, target in _UNICODE.items():
        text = text.replace(source, target)
    commands = "\\" in text
    if commands:
        text = _single_backslashes(text)
    if text.startswith("**"):
        text = _MARKDOWN_BOLD.sub(r"\1", text)
    text = _strip_fences(text)
    if commands or "{" in text:
        text = _SPACED_THOUSANDS.sub(_thousands_mark, text)
        text = _BRACED_DECIMAL_COMMA.sub(",", text)
    if commands:
        text = _DROP_COMMANDS.sub("", text)
        text = _FRAC_ALIASES.sub(r"\\frac", text)
        text = _FRAC_SHORTHAND.sub(_braced_fraction, text)
        text = _SQRT_SHORTHAND.sub(r"\\sqrt{\1}", text)
    text = _SPACING.sub(_space_or_row_break, text)
    text = _DEGREES.sub("", text)
    text = _DOLLAR_SIGN.sub("", text)
    text = _PERCENT_WORD.sub("%", text)
    text = text.replace("\\%", "%").replace("%", "\\%")
    text = _relations(text)
    text = text.rstrip(" .")
    if text.startswith("{"):
        text = _unwrap_group(text)
    if text[:1].isdigit() or text[:1] in "+-":
        text = _multiplied(text)
    text = attach_unit(text)
    if "mod" in text:
        text = _modulus(text)
    text = _thousands(text)
    text = collapse_redundant_brackets(text)
    return " ".join(text.split())


def _single_backslashes(text: str) -> str:
    """`\\\\frac` (text escaped twice, as in JSON) -> `\\frac`; not in matrices (`\\\\` rows)."""
    if "&" in text or "\\\\" not in text:
        return text
    return _DOUBLED_BACKSLASH.sub(r"\\", text)


def final_of_chain(text: str) -> tuple[str, list[str]]:
    """The value a chain of equalities ends with, and its constant steps to check: `x = 5+5+1 =
    11` -> (`x = 11`, [`5+5+1`, `11`]), `2+3 = 5` -> (`5`, [`2+3`, `5`]); ([] when there is no
    chain). A trailing `\\approx ...` is dropped first. Lists (`a = 1, b = 2`) are left alone."""
    if "=" not in text and "\\approx" not in text:
        return text, []
    approx = split_top_level(text, "\\approx") if "\\approx" in text else [text]
    if len(approx) > 1:
        exact = approx[0]
        if not exact or is_label(exact):  # `\\approx 11`, `x \\approx 11`
            text = f"{exact} = {approx[-1]}" if exact else approx[-1]
        else:
            text = exact
    if "=" not in text or ";" in text or len(list_items(text)) > 1:
        return text, []
    parts = split_top_level(text, "=")
    if len(parts) < 2 or not all(parts):
        return text, []
    if len(parts) == 2:
        constant = all(is_constant_text(part) for part in parts)
        return (parts[1], parts) if constant else (text, [])
    if all(is_label(part) for part in parts[:-1]):  # `x = y = z = 1`: each of them is 1
        return ", ".join(f"{part} = {parts[-1]}" for part in parts[:-1]), []
    label = is_label(parts[0])
    steps = parts[1:] if label else parts
    return (f"{parts[0]} = {parts[-1]}" if label else parts[-1]), steps


def _multiplied(text: str) -> str:
    """`1.5 million` -> `1500000`, `5 \\text{ thousand}` -> `5000`, `2 dozen` -> `24`."""
    match = _MULTIPLIER.match(text)
    if match is None:
        return text
    digits = match.group(1).replace(",", "") if _THOUSANDS.match(match.group(1)) else None
    if digits is None and "," in match.group(1):
        return text
    value = Fraction(digits or match.group(1)) * _MULTIPLIERS[match.group(3).lower()]
    written = str(value.numerator)
    if value.denominator != 1:
        written = f"{value.numerator}/{value.denominator}"
    rest = match.group(4)
    if match.group(2):  # `\\text{ million dollars}`: the words after the multiplier stay wrapped
        rest = "" if rest.strip() == "}" else f" \\text{{{rest}"
    return f"{written}{rest}"


def _modulus(text: str) -> str:
    """`5 \\pmod 7` -> `5 \\unit{mod 7}`: compared like a unit (ignored when one side has none,
    different moduli are different answers)."""
    match = _MODULUS.search(text)
    if match is None or UNIT_MARKER in text or not text[: match.start()].strip():
        return text
    modulus = next(group for group in match.groups() if group)
    return f"{text[: match.start()].rstrip()} {UNIT_MARKER}{{mod {modulus}}}"


def _unwrap_group(text: str) -> str:
    """`{1,3}` is a TeX group around `1,3`, not a set (`\\{1,3\\}` is)."""
    while text.startswith("{") and _matching_brackets(text).get(0) == len(text) - 1:
        text = text[1:-1].strip()
    return text


def _thousands_mark(match: re.Match[str]) -> str:
    """`,\\!` and `{,}` are a comma between digit groups; a thin space `\\,` joins them."""
    return "," if "," in match.group(0).replace("\\,", "") else ""


def decimal_comma(text: str, *, against: str | None = None) -> str | None:
    """`1,22` and `1000,99` read with a decimal comma; None when the text is not such a number.

    `1,000` was already read as one thousand by `normalize` (a comma before exactly three
    digits, after one to three digits not starting with 0, separates thousands). A reference
    (compared `against` an answer) is read so only where it cannot be a list (`3,5` lists two
    roots), or where the answer is the same digits with a point (`1,22` and `1.22`).
    """
    match = _DECIMAL_COMMA.match(text)
    if match is None or _THOUSANDS.match(text):
        return None
    whole, digits = match.group(1), match.group(2)
    decimal = f"{whole}.{digits}"
    unsigned = whole.lstrip("+-")
    if against is None or _cannot_be_a_list(unsigned, digits):
        return decimal
    # `1,22` may list 1 and 22, but an answer `1.22` with those very digits is the decimal it
    # also reads as; `3,5` against `3.5` stays a list (MATH writes two roots so).
    same_digits = against == decimal and len(digits) == 2 and unsigned[:1] != "0"
    return decimal if same_digits else None


def _cannot_be_a_list(whole: str, digits: str) -> bool:
    """Whether `whole,digits` cannot be a list of two numbers written without a space, as
    MATH's `3,5`, `-2,1` and `0,1` are: a part with a leading zero (`1,05`, `0,25`), or a part
    of four digits or more (`1000,99`, `1,2345`)."""
    leading_zero = digits.startswith("0") or (whole == "0" and len(digits) >= 2)
    return leading_zero or len(whole) >= 4 or len(digits) >= 4


def _space_or_row_break(match: re.Match[str]) -> str:
    """Spacing commands become a space; a matrix row break `\\\\` stays."""
    return match.group(0) if match.group(0) == "\\\\" else " "


def _braced_fraction(match: re.Match[str]) -> str:
    """`\\frac12` -> `\\frac{1}{2}`; groups already braced stay as they are."""
    numerator, denominator = (g if g.startswith("{") else "{" + g + "}" for g in match.groups())
    return f"\\frac{numerator}{denominator}"


def _relations(text: str) -> str:
    """One spelling per relation and for the empty set: `>=` and `\\ge` are `\\geq`."""
    if not _RELATION_HINT.search(text):
        return text
    text = re.sub(r"\\(?:le|leqslant)(?![a-zA-Z])|<=", r"\\leq ", text)
    text = re.sub(r"\\(?:ge|geqslant)(?![a-zA-Z])|>=", r"\\geq ", text)
    text = re.sub(r"\\(?:ne)(?![a-zA-Z])|!=", r"\\neq ", text)
    text = re.sub(r"\\lt(?![a-zA-Z])", "<", text)
    text = re.sub(r"\\gt(?![a-zA-Z])", ">", text)
    return re.sub(r"\\varnothing(?![a-zA-Z])", r"\\emptyset", text)


def _strip_fences(text: str) -> str:
    if len(_UNESCAPED_DOLLAR.findall(text)) % 2 == 0:
        text = _UNESCAPED_DOLLAR.sub(" ", text).strip()  # `$x$`, and `$125$ miles`
    text = _WHOLE_DOLLARS.sub("", text).strip()
    for opener, closer in _MATH_FENCES:
        if text.startswith(opener) and text.endswith(closer):
            text = text[len(opener) : -len(closer)].strip()
    return text


def _thousands(text: str) -> str:
    number, unit = split_unit(text)
    if unit is not None:
        return f"{_thousands(number)} {UNIT_MARKER}{{{unit}}}"
    if _THOUSANDS.match(text):
        return text.replace(",", "")
    spaced = _SPACE_THOUSANDS.sub("", text)
    if re.fullmatch(r"[+-]?\d+(?:\.\d+)?", spaced):
        return spaced
    return text


def unwrap_text(text: str) -> str:
    """`\\text{Monday}` -> `Monday`, for answers that are words."""
    for _ in range(MAX_TEXT_UNWRAP):
        unwrapped = re.sub(TEXT_WRAPPER, r"\1", text)
        if unwrapped == text:
            break
        text = unwrapped
    return text.strip()


def collapse_redundant_brackets(text: str) -> str:
    """`((x))` -> `(x)` and `{{x}}` -> `{x}`: the LaTeX parser slows down sharply with depth."""
    partner = _matching_brackets(text)
    drop: set[int] = set()
    for open_index, close_index in partner.items():
        inner = open_index + 1
        if (
            inner in partner
            and partner[inner] == close_index - 1
            and text[inner] == text[open_index]
            and (open_index == 0 or text[open_index - 1] != "\\")
        ):
            drop.update((inner, close_index - 1))
    if not drop:
        return text
    return "".join(char for index, char in enumerate(text) if index not in drop)


def _matching_brackets(text: str) -> dict[int, int]:
    """Open index -> close index for `(`/`)` and unescaped `{`/`}`."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    escaped = False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char in "({":
            stack.append(index)
        elif char in ")}" and stack:
            opened = stack.pop()
            if {"(": ")", "{": "}"}[text[opened]] == char:
                pairs[opened] = index
    return pairs
