"""Find the final answer(s) in a full model output, and a reference's answer in a solution.

Every scan here is linear in the response length: responses can be hundreds of kilobytes.
Answers are never truncated (a cut answer could equal a shorter reference); the guards refuse
long ones later.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from verifier_service.math.anchors import (
    anchored_answer,
    custom_anchored_answer,
    statement_after,
)
from verifier_service.math.lenient import lenient_answers
from verifier_service.math.options import Extraction
from verifier_service.responses import final_section

MAX_NESTED_BOXES = 8

_BOX = re.compile(r"\\(?:boxed|fbox)(?![a-zA-Z])")
_BARE_TOKEN = re.compile(r"[^\s${}\\][^\s$]*")
_SPACES = re.compile(r" +")
_WHOLE_BOX_START = re.compile(r"\\(?:boxed|fbox)\s*\{")
_BRACE_TOKEN = re.compile(r"\\.|[{}]", re.S)
# What may stand between boxes that list one answer: punctuation, math delimiters, spacing,
# and the words "and"/"or" (also as `\text{ and }`); a letter or digit anywhere else is prose.
_LIST_GAP_WORDS = re.compile(
    r"\\(?:text|mathrm|textnormal)\s*\{\s*(?:and|or)?\s*\}|\\q?quad|\b(?:and|or)\b"
)

_GAP_LABEL = re.compile(r"(?<![A-Za-z])[A-Za-z](?:_\{?\w+\}?)?\s*=\s*(?=[$\\]|$)")
# The next part of a multi-part question: `(b)`, `b)`, `(ii)`, `Part 2`, `**(c)**`.
_PART = re.compile(
    r"(?:^|[\s.;:*$])(?:\(?[a-h]\)|\(?(?:i|ii|iii|iv|v|vi)\))[\s:.*$]"
    r"|\bpart\s*\(?(?:[a-h]|\d|i|ii|iii|iv)\)?(?![A-Za-z0-9])",
    re.I,
)
_UNIT_THEN_CONNECTOR = re.compile(r"^[\s$.,]*(?:[A-Za-z]+[\s.]+){1,2}(?:and|or)[\s$,]*$")


def extract_answers(
    response: str, mode: Extraction = "anchored", anchors: Sequence[str] = ()
) -> list[str]:
    """Candidate final answers, the last one last; empty when the response has none."""
    if mode == "raw":
        return [response.strip()] if response.strip() else []
    section = final_section(response)
    if section is None:
        return []
    if anchors:
        custom = custom_anchored_answer(section, anchors)
        if custom is not None:
            return boxed_contents(custom) or [custom]
    boxes = _boxes(section)
    if boxes and mode != "boxed":
        replaces, stated = statement_after(section, boxes[-1][2])
        if stated == "":
            return []  # the statement after the boxes was withdrawn
        if stated is not None:
            return [stated] if replaces else [*joined_boxes(section, boxes), stated]
    if boxes or mode == "boxed":
        return joined_boxes(section, boxes)
    anchored = anchored_answer(section)
    if anchored:
        return [anchored]
    return lenient_answers(section) if mode == "lenient" else []


def reference_answer(reference: str) -> str:
    """A reference's answer: its boxes when it is a solution, its anchored answer, or itself.

    Boxes that list one answer are joined (`joined_boxes`); otherwise the last box is the
    reference's answer.
    """
    boxes = _boxes(reference)
    if boxes:
        return joined_boxes(reference, boxes)[-1]
    anchored = anchored_answer(reference)
    return anchored if anchored else reference


def joined_boxes(text: str, boxes: list[tuple[str, int, int]]) -> list[str]:
    """The boxes' contents, as one answer when together they list it: every gap between two
    boxes is list punctuation, a label (`$ or $x = `), a unit word and a connector, or the
    start of the next part of the question (`(b)`). Otherwise each box is its own candidate."""
    contents = [content for content, _, _ in boxes]
    gaps = [text[end:start] for (_, _, end), (_, start, _) in pairwise(boxes)]
    if len(set(contents)) == 1:
        return contents[:1]
    if gaps and all(_is_list_gap(gap) or _PART.search(gap) for gap in gaps):
        return [
            ", ".join(contents)
        ]  # repeats kept: `\\boxed{2}, \\boxed{2}, \\boxed{3}` lists a double root
    return contents


def _is_list_gap(gap: str) -> bool:
    """Only list punctuation, or a unit word or two and then a connector (`\\boxed{1} papers
    and \\boxed{2} bins`), once labels before the next box are set aside."""
    gap = _GAP_LABEL.sub(" ", gap)
    rest = _LIST_GAP_WORDS.sub(" ", gap)
    return not re.search(r"[A-Za-z0-9]", rest) or _UNIT_THEN_CONNECTOR.match(gap) is not None


def boxed_contents(text: str) -> list[str]:
    """Contents of every complete `\\boxed{...}`, `\\boxed X` and `\\fbox{...}`, in order.

    A box inside a box already taken is part of it; an unclosed box is skipped, and the boxes
    after it still count.
    """
    return [content for content, _, _ in _boxes(text)]


def _boxes(text: str) -> list[tuple[str, int, int]]:
    """(content, start, end) of every complete box, in order."""
    if "\\boxed" not in text and "\\fbox" not in text:
        return []
    closing = _closing_braces(text)
    found: list[tuple[str, int, int]] = []
    resume = 0
    for match in _BOX.finditer(text):
        if match.start() < resume:
            continue
        content, end = _box_argument(text, match.end(), closing)
        if content is None:
            continue
        resume = end
        content = _unbox(content.strip())
        if content:
            found.append((content, match.start(), end))
    return found


def _box_argument(text: str, index: int, closing: dict[int, int]) -> tuple[str | None, int]:
    """The argument after a box command ending at `index`: a brace group or one bare token."""
    spaces = _SPACES.match(text, index)
    index = spaces.end() if spaces else index
    if index >= len(text):
        return None, index
    if text[index] == "{":
        close = closing.get(index)
        return (None, index) if close is None else (text[index + 1 : close], close + 1)
    token = _BARE_TOKEN.match(text, index)
    return (token.group(0), token.end()) if token else (None, index)


def _closing_braces(text: str) -> dict[int, int]:
    """Index of each `{` -> index of its `}`, in one pass; `\\{` and `\\}` are not braces."""
    closing: dict[int, int] = {}
    open_braces: list[int] = []
    for match in _BRACE_TOKEN.finditer(text):
        brace = match.group(0)
        if brace == "{":
            open_braces.append(match.start())
        elif brace == "}" and open_braces:
            closing[open_braces.pop()] = match.start()
    return closing


def _unbox(content: str) -> str:
    """`\\boxed{\\boxed{5}}` holds the answer `5`: peel whole-content boxes, a few at most."""
    for _ in range(MAX_NESTED_BOXES):
        start = _WHOLE_BOX_START.match(content)
        if start is None:
            return content
        open_index = start.end() - 1
        if _closing_braces(content).get(open_index) != len(content) - 1:
            return content
        content = content[open_index + 1 : -1].strip()
    return content
