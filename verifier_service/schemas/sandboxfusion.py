"""Bodies of `POST /run_code`, SandboxFusion's run-one-program API (what verl's code reward calls).

Field names and values follow SandboxFusion's RunCodeRequest / RunCodeResponse so its clients
work unchanged; what this service does not support is refused with a 422 naming the field.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from verifier_service.schemas.text import TextModel

MAX_RUN_TIMEOUT_S = 60
MIN_MEMORY_MB = 16
MAX_MEMORY_MB = 8192

CommandRunStatus = Literal["Finished", "Error", "TimeLimitExceeded"]
RunStatus = Literal["Success", "Failed", "SandboxError"]


class RunCodeRequest(TextModel):
    model_config = ConfigDict(extra="ignore")

    code: str = Field(examples=['print("hello")'], description="The program's source.")
    language: str = Field(
        examples=["python"],
        description="SandboxFusion's name (python, cpp, java, go, nodejs, rust, bash, ...) or "
        "any alias GET /v1/languages lists.",
    )
    stdin: str | None = Field(None, description="The program's standard input.")
    compile_timeout: float = Field(
        10,
        gt=0,
        description="Accepted for compatibility; compiles run under the language's own limit "
        "(languages.toml `compile_time_s`), since a compiled program is reused across requests.",
    )
    run_timeout: float = Field(
        10,
        gt=0,
        le=MAX_RUN_TIMEOUT_S,
        description="CPU seconds for the run; the wall clock allows twice that plus a second.",
    )
    memory_limit_MB: int = Field(
        -1, description=f"Memory of the run in MB ({MIN_MEMORY_MB} to {MAX_MEMORY_MB}); -1: 1024."
    )
    files: dict[str, str | None] = Field(
        default_factory=dict, description="Not supported: must be empty."
    )
    fetch_files: list[str] = Field(
        default_factory=list, description="Not supported: must be empty."
    )
    args: list[str] = Field(default_factory=list, description="Not supported: must be empty.")

    @field_validator("memory_limit_MB")
    @classmethod
    def _memory(cls, value: int) -> int:
        if value != -1 and not MIN_MEMORY_MB <= value <= MAX_MEMORY_MB:
            raise ValueError(f"must be -1 or between {MIN_MEMORY_MB} and {MAX_MEMORY_MB}")
        return value

    @field_validator("files", "fetch_files", "args")
    @classmethod
    def _unsupported(cls, value: Any) -> Any:
        if value:
            raise ValueError("is not supported by this service (the program runs alone)")
        return value


class CommandRunResult(BaseModel):
    status: CommandRunStatus = Field(
        description="Finished (ran to its end, whatever its return code), TimeLimitExceeded, "
        "or Error (the sandbox failed)."
    )
    execution_time: float | None = Field(None, description="Wall-clock seconds.")
    return_code: int | None = Field(None, description="-N when killed by signal N.")
    stdout: str | None = None
    stderr: str | None = None


class RunCodeResponse(BaseModel):
    status: RunStatus = Field(
        description="Success (every step finished with return code 0), Failed (a compile "
        "error, a non-zero return code or a time limit), SandboxError (the service's fault)."
    )
    message: str = Field(description="Why, when the status is not Success; else empty.")
    compile_result: CommandRunResult | None = Field(
        None, description="The compile step; null for interpreted languages."
    )
    run_result: CommandRunResult | None = Field(
        None, description="The run; null when the program did not compile."
    )
    executor_pod_name: str | None = None
    files: dict[str, str] = Field(default_factory=dict)
