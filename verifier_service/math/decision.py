"""What the math verifier decides about one item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MathVerdict = Literal["correct", "wrong", "no_answer", "invalid_reference", "timeout", "error"]

REWARDS: dict[MathVerdict, float | None] = {
    "correct": 1.0,
    "wrong": 0.0,
    "no_answer": 0.0,
    "timeout": 0.0,
    "invalid_reference": None,
    "error": None,
}


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: MathVerdict
    reason: str
    extracted: str | None = None

    @property
    def reward(self) -> float | None:
        return REWARDS[self.verdict]
