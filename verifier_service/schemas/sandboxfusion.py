"""Bodies of `POST /run_code`, SandboxFusion's run-one-program API (what verl's code reward calls).

Field names and values follow SandboxFusion's RunCodeRequest / RunCodeResponse so its clients
work unchanged; what this service does not support is refused with a 422 naming the field.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from verifier_service.schemas.text import TextModel

MAX_RUN_TIMEOUT_S = 60
MIN_RUN_TIMEOUT_S = 0.1
DEFAULT_MEMORY_MB = 1024
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
        description="Wall-clock seconds for the run, as in SandboxFusion (a sleeping program "
        f"times out too); any value is accepted and held to {MIN_RUN_TIMEOUT_S} to "
        f"{MAX_RUN_TIMEOUT_S} s.",
    )
    memory_limit_MB: int = Field(
        -1,
        description=f"Memory of the run in MB; -1 (SandboxFusion's no limit) is 1024, and any "
        f"other value is held to {MIN_MEMORY_MB} to {MAX_MEMORY_MB}.",
    )

    @property
    def run_seconds(self) -> float:
        """`run_timeout` held to what this service runs (SandboxFusion has no bounds: a value
        outside ours is served at the nearest bound, never refused)."""
        return min(max(self.run_timeout, MIN_RUN_TIMEOUT_S), MAX_RUN_TIMEOUT_S)

    @property
    def memory_mb(self) -> int:
        if self.memory_limit_MB == -1:
            return DEFAULT_MEMORY_MB
        return min(max(self.memory_limit_MB, MIN_MEMORY_MB), MAX_MEMORY_MB)

    files: dict[str, str | None] = Field(
        default_factory=dict, description="Not supported: must be empty."
    )
    fetch_files: list[str] = Field(
        default_factory=list, description="Not supported: must be empty."
    )
    args: list[str] = Field(default_factory=list, description="Not supported: must be empty.")

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
