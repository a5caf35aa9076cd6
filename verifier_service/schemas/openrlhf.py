"""Bodies of `POST /get_reward`, OpenRLHF's remote reward model protocol (`--remote_rm_url`).

OpenRLHF posts `{"query": [...], "prompts": [...], "labels": [...]}` (newer versions may add
`metas`, ignored here) and reads `rewards`; `scores` (dynamic filtering) and `extra_logs`
(logged per sample: every value must be a list of numbers, one per query) are optional.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from verifier_service.schemas.text import CheckedEntry, TextModel


class RewardRequest(TextModel):
    model_config = ConfigDict(extra="ignore")

    query: list[CheckedEntry[str]] = Field(
        min_length=1, description="Prompt + response, one per sample (what OpenRLHF decodes)."
    )
    prompts: list[CheckedEntry[str]] = Field(
        description="The prompt of each query; stripped from the start of its query to get the "
        "response (the whole query is the response when it does not start with its prompt)."
    )
    labels: list[CheckedEntry[Any]] = Field(
        description="One per query. A string (or a list of acceptable strings) is a math "
        "reference answer. A JSON object with `task`, or a string holding one, is a "
        "`/v1/verify` item without its `response` (for example a code item with its `tests`)."
    )


class RewardResponse(BaseModel):
    rewards: list[float] = Field(description="One reward in [0, 1] per query, in order.")
    scores: list[float] = Field(description="The same values as `rewards`.")
    extra_logs: dict[str, list[float]] = Field(
        description="Per-query numbers OpenRLHF logs: `accuracy` (1.0 when correct/accepted) "
        "and `no_answer` (1.0 when no final answer or program was found)."
    )
    verdicts: list[str] = Field(description="The verdict of each query (see /v1/verify).")
    accuracy: float = Field(description="The mean of `extra_logs.accuracy`.")
