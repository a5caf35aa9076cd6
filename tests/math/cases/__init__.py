"""Labelled math cases: a response, its reference(s) and the verdict docs/math.md requires.

Each module in this package exports ``CASES: list[Case]`` for one category. Every label follows
docs/math.md; where the spec is silent the label is what a careful human grader would say, and
genuinely debatable cases are left out rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

VERDICTS = frozenset({"correct", "wrong", "no_answer", "invalid_reference"})


@dataclass(frozen=True)
class Case:
    response: str  # the FULL model output
    reference: str | list[str]  # one reference or several acceptable ones
    verdict: str  # "correct" | "wrong" | "no_answer" | "invalid_reference"
    note: str = ""  # why, for the hard ones
    options: dict[str, Any] = field(default_factory=dict)  # MathOptions fields

    @property
    def references(self) -> list[str]:
        """The reference(s) as the list that ``judge_response`` takes."""
        if isinstance(self.reference, str):
            return [self.reference]
        return list(self.reference)


def lines(*parts: str) -> str:
    """Join the lines of a multi-line response (raw strings cannot hold a newline escape)."""
    return "\n".join(parts)
