"""Response bodies: one result per item, in request order."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from verifier_service.math.decision import MathVerdict

CodeVerdict = Literal[
    "accepted",
    "wrong_answer",
    "time_limit",
    "memory_limit",
    "output_limit",
    "runtime_error",
    "compile_error",
    "no_code",
    "unsupported_language",
    "error",
]
Reward = float | None


class MathResult(BaseModel):
    id: str | int | None = None
    task: Literal["math"] = "math"
    reward: Reward = Field(description="1.0 or 0.0; null when the item could not be scored.")
    verdict: MathVerdict
    extracted: str | None = Field(None, description="The final answer found in the response.")
    reason: str = Field(description="Which rule decided.")
    elapsed_ms: float


class TestResult(BaseModel):
    verdict: CodeVerdict
    time_ms: float | None = Field(None, description="CPU time of the run.")
    wall_ms: float | None = Field(None, description="Wall-clock time of the run.")
    memory_kb: int | None = Field(None, description="Peak resident memory.")
    exit_code: int | None = None
    signal: int | None = Field(None, description="The signal that ended the program, if any.")
    message: str | None = Field(None, description="Tail of stderr for runtime errors.")


class CodeResult(BaseModel):
    id: str | int | None = None
    task: Literal["code"] = "code"
    reward: Reward
    verdict: CodeVerdict
    reason: str = ""
    language: str | None = Field(None, description="The language the program was judged as.")
    tests: list[TestResult] = Field(default_factory=list)
    elapsed_ms: float


Result = MathResult | CodeResult


class VerifyResponse(BaseModel):
    results: list[Result]


JobStatus = Literal["queued", "running", "done", "failed"]


class JobCreated(BaseModel):
    job_id: str


class JobState(BaseModel):
    job_id: str
    status: JobStatus
    done: int
    total: int
    results: list[Result] | None = None
    error: str | None = None
