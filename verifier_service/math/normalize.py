"""Text-level normalisation of an answer or reference, before any parsing.

Each rule removes notation that never changes the value (spacing, sizing, delimiters,
thousands separators, units after a number); nothing here may make two different answers equal.
"""

from __future__ import annotations

import re

from verifier_service.math.units import TEXT_WRAPPER, attach_unit

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
_DOLLAR_SIGN = re.compile(r"\\\$|\\text\{\s*\\\$\s*\}|^\$(?=\d)")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_BRACED_COMMA = re.compile(r"(?<=\d)\{,\}(?=\d{3})")
_SPACE_THOUSANDS = re.compile(r"(?<=\d)[ ](?=\d{3}(?!\d))")
MAX_TEXT_UNWRAP = 4  # nested wrappers beyond this stay (and then match no word)
_WHOLE_DOLLARS = re.compile(r"^\$+|\$+$")
_MATH_FENCES = (("\\(", "\\)"), ("\\[", "\\]"))


def normalize(text: str) -> str:
    """The canonical text form of one answer or reference."""
    text = text.strip()
    for source, target in _UNICODE.items():
        text = text.replace(source, target)
    text = _strip_fences(text)
    text = _DROP_COMMANDS.sub("", text)
    text = _SPACING.sub(_space_or_row_break, text)
    text = _FRAC_ALIASES.sub(r"\\frac", text)
    text = _FRAC_SHORTHAND.sub(_braced_fraction, text)
    text = _SQRT_SHORTHAND.sub(r"\\sqrt{\1}", text)
    text = _DEGREES.sub("", text)
    text = _DOLLAR_SIGN.sub("", text)
    text = text.replace("\\%", "%").replace("%", "\\%")
    text = re.sub(r"\\(?:le|leqslant)(?![a-zA-Z])", r"\\leq", text)
    text = re.sub(r"\\(?:ge|geqslant)(?![a-zA-Z])", r"\\geq", text)
    text = text.rstrip(" .")
    text = attach_unit(text)
    text = _thousands(text)
    text = collapse_redundant_brackets(text)
    return " ".join(text.split())


def _space_or_row_break(match: re.Match[str]) -> str:
    """Spacing commands become a space; a matrix row break `\\\\` stays."""
    return match.group(0) if match.group(0) == "\\\\" else " "


def _braced_fraction(match: re.Match[str]) -> str:
    """`\\frac12` -> `\\frac{1}{2}`; groups already braced stay as they are."""
    numerator, denominator = (g if g.startswith("{") else "{" + g + "}" for g in match.groups())
    return f"\\frac{numerator}{denominator}"


def _strip_fences(text: str) -> str:
    text = _WHOLE_DOLLARS.sub("", text).strip()
    for opener, closer in _MATH_FENCES:
        if text.startswith(opener) and text.endswith(closer):
            text = text[len(opener) : -len(closer)].strip()
    return text


def _thousands(text: str) -> str:
    text = _BRACED_COMMA.sub(",", text)
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
