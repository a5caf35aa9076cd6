"""Per-item policy of the math verifier (documented in docs/math.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Extraction = Literal["anchored", "boxed", "raw", "lenient"]
MAX_ANCHORS = 8
MAX_ANCHOR_CHARS = 64


class MathOptions(BaseModel):
    """How one math item is judged. Every field has a documented default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    extraction: Extraction = Field(
        "anchored",
        description=(
            "`anchored`: \\boxed{}, 'the answer is', 'Final Answer:', '####'; "
            "`boxed`: only \\boxed{}; `raw`: the whole response is the answer; `lenient`: "
            "anchored first, else the last math environment, else a response that is one "
            "expression (for evaluation outputs, not training)."
        ),
    )
    anchors: tuple[str, ...] = Field(
        (),
        max_length=MAX_ANCHORS,
        description="Literal prefixes that introduce the answer on their line (`Answer:`), "
        "looked for before the built-in anchors; the last occurrence counts.",
    )
    numeric_tolerance: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Relative tolerance for every numeric comparison; null compares exactly "
        "(except against a rounded decimal reference).",
    )
    timeout_s: float | None = Field(
        None,
        ge=0.05,
        le=30,
        description="Deadline for judging this item, in seconds; null uses the service default.",
    )

    @field_validator("anchors")
    @classmethod
    def _anchors_readable(cls, anchors: tuple[str, ...]) -> tuple[str, ...]:
        for anchor in anchors:
            if not anchor.strip() or len(anchor) > MAX_ANCHOR_CHARS or "\n" in anchor:
                raise ValueError(
                    f"each anchor must be 1 to {MAX_ANCHOR_CHARS} characters on one line, "
                    'not blank (for example "Answer:")'
                )
        return anchors
