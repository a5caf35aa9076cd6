"""Per-item policy of the math verifier (documented in docs/math.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Extraction = Literal["anchored", "boxed", "raw"]


class MathOptions(BaseModel):
    """How one math item is judged. Every field has a documented default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    extraction: Extraction = Field(
        "anchored",
        description=(
            "`anchored`: \\boxed{}, 'the answer is', 'Final Answer:', '####'; "
            "`boxed`: only \\boxed{}; `raw`: the whole response is the answer."
        ),
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
