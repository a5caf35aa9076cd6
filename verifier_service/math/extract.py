"""Find the final answer(s) in a full model output.

Every scan here is linear in the response length: responses can be hundreds of kilobytes.
Answers are never truncated (a cut answer could equal a shorter reference); the guards refuse
long ones later.
"""

from __future__ import annotations

import re

from verifier_service.math.options import Extraction

THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"
BOX_COMMANDS = ("\\boxed", "\\fbox")

_ANCHOR = re.compile(r"(?:\banswers?\b[ \t]*(?:is|are|:|=)|\banswer\b[ \t]*\*\*[ \t]*:|####)", re.I)
_SENTENCE_END = re.compile(r"\.(?:\s|$)|\n")
_MATH_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))


def final_section(response: str) -> str | None:
    """The part of a response that may hold its answer; None when thinking never ended."""
    close = response.rfind(THINK_CLOSE)
    if close >= 0:
        return response[close + len(THINK_CLOSE) :]
    if THINK_OPEN in response:
        return None
    return response


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
    """Contents of every complete `\\boxed{...}`, `\\boxed X` and `\\fbox{...}`, in order."""
    found: list[str] = []
    start = 0
    while True:
        position, command = _next_box(text, start)
        if position < 0:
            return found
        content, end = _box_argument(text, position + len(command))
        if content is not None and content.strip():
            found.append(content.strip())
        start = max(end, position + len(command))


def _next_box(text: str, start: int) -> tuple[int, str]:
    best, best_command = -1, ""
    for command in BOX_COMMANDS:
        position = text.find(command, start)
        if position >= 0 and (best < 0 or position < best):
            best, best_command = position, command
    return best, best_command


def _box_argument(text: str, index: int) -> tuple[str | None, int]:
    """The argument after a box command at `index`: a brace group or one bare token."""
    while index < len(text) and text[index] == " ":
        index += 1
    if index >= len(text):
        return None, index
    if text[index] == "{":
        return _brace_group(text, index)
    if text[index].isalpha():  # a longer command such as \boxedanswer: not a box
        return None, index
    match = re.match(r"[^\s$]+", text[index:])
    if match is None:
        return None, index
    return match.group(0), index + match.end()


def _brace_group(text: str, open_index: int) -> tuple[str | None, int]:
    """The content of the brace group opening at `open_index`, honouring `\\{` and `\\}`."""
    depth = 0
    index = open_index
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[open_index + 1 : index], index + 1
        index += 1
    return None, index


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
