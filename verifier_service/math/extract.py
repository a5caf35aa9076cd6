"""Find the final answer(s) in a full model output.

Every scan here is linear in the response length: responses can be hundreds of kilobytes.
Answers are never truncated (a cut answer could equal a shorter reference); the guards refuse
long ones later.
"""

from __future__ import annotations

import re

from verifier_service.math.options import Extraction
from verifier_service.responses import final_section

MAX_NESTED_BOXES = 8

_BOX = re.compile(r"\\(?:boxed|fbox)(?![a-zA-Z])")
_BARE_TOKEN = re.compile(r"[^\s${}\\][^\s$]*")
_SPACES = re.compile(r" +")
_WHOLE_BOX_START = re.compile(r"\\(?:boxed|fbox)\s*\{")
_BRACE_TOKEN = re.compile(r"\\.|[{}]", re.S)

_ANCHOR = re.compile(r"(?:\banswers?\b[ \t]*(?:is|are|:|=)|\banswer\b[ \t]*\*\*[ \t]*:|####)", re.I)
_SENTENCE_END = re.compile(r"\.(?:\s|$)|\n")
_MATH_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))


def extract_answers(response: str, mode: Extraction = "anchored") -> list[str]:
    """Candidate final answers, the last one last; empty when the response has none."""
    if mode == "raw":
        return [response.strip()] if response.strip() else []
    section = final_section(response)
    if section is None:
        return []
    boxed = boxed_contents(section)
    if boxed or mode == "boxed":
        return boxed
    anchored = anchored_answer(section)
    return [anchored] if anchored else []


def boxed_contents(text: str) -> list[str]:
    """Contents of every complete `\\boxed{...}`, `\\boxed X` and `\\fbox{...}`, in order.

    A box inside a box already taken is part of it; an unclosed box is skipped, and the boxes
    after it still count.
    """
    if "\\boxed" not in text and "\\fbox" not in text:
        return []
    closing = _closing_braces(text)
    found: list[str] = []
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
            found.append(content)
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


def anchored_answer(text: str) -> str | None:
    """The answer after the last 'the answer is', 'Final Answer:' or '####' anchor."""
    last = None
    for match in _ANCHOR.finditer(text):
        last = match
    if last is None:
        return None
    tail = text[last.end() :]
    return _clean_anchored(tail) or None


def _clean_anchored(tail: str) -> str:
    tail = tail.lstrip(" \t:*")
    tail = tail.lstrip()
    for opener, closer in _MATH_DELIMITERS:
        if tail.startswith(opener):
            end = _unescaped(tail, closer, len(opener))
            if end >= 0:
                return tail[len(opener) : end].strip()
    sentence_end = _SENTENCE_END.search(tail)
    answer = tail[: sentence_end.start()] if sentence_end else tail
    return answer.strip().strip("*").strip().rstrip(".,;:").strip()


def _unescaped(text: str, delimiter: str, start: int) -> int:
    """Index of the first `delimiter` at or after `start` not escaped by a backslash (`\\$`)."""
    index = text.find(delimiter, start)
    while index > 0 and delimiter == "$" and text[index - 1] == "\\":
        index = text.find(delimiter, index + 1)
    return index
