"""The program in a model output: the last fenced block, or the whole response.

Scanned line by line (linear time): responses can be hundreds of kilobytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier_service.responses import final_section

_FENCE_OPEN = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([^\s`{]*)")


@dataclass(frozen=True, slots=True)
class FencedBlock:
    tag: str  # the info string's first word, lower case ("" when absent)
    code: str


def fenced_blocks(text: str) -> list[FencedBlock]:
    """Every fenced block in order; an unclosed last fence runs to the end of the text."""
    blocks: list[FencedBlock] = []
    fence: str | None = None
    tag = ""
    lines: list[str] = []
    for line in text.splitlines():
        if fence is None:
            opening = _FENCE_OPEN.match(line)
            if opening:
                fence, tag, lines = opening.group(1), opening.group(2).lower(), []
            continue
        stripped = line.strip()
        if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
            blocks.append(FencedBlock(tag, "\n".join(lines) + "\n"))
            fence = None
            continue
        lines.append(line)
    if fence is not None:
        blocks.append(FencedBlock(tag, "\n".join(lines) + "\n"))
    return blocks


def extract_program(response: str, aliases: frozenset[str] | None) -> FencedBlock | None:
    """The program to judge, or None (`no_code`).

    With `aliases` (the item names its language) only blocks without a tag or tagged with one
    of them count; without, the last block decides the language by its tag.
    """
    section = final_section(response)
    if section is None:
        return None
    every_block = fenced_blocks(section)
    if not every_block:
        return FencedBlock("", section) if section.strip() else None
    blocks = [b for b in every_block if aliases is None or not b.tag or b.tag in aliases]
    if not blocks or not blocks[-1].code.strip():
        return None
    return blocks[-1]
