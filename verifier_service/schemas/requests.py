"""Request bodies of `POST /v1/verify` and `POST /v1/jobs`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from verifier_service.math.options import MathOptions
from verifier_service.schemas.text import TextModel

ItemId = Annotated[str | int | None, Field(description="Echoed back in the item's result.")]
MAX_REFERENCES = 64
# Arrays and objects inside one another in a functional argument or expected value. Code that
# walks such values (literal generators, JSON encoders and decoders, comparisons) recurses once
# per level; real tests nest a few levels, and a bound keeps every walk far from the
# interpreter's recursion limit (a 900-deep argument crashed the C++ literal generator).
MAX_VALUE_DEPTH = 64


class MathItem(TextModel):
    """A model output to check against one or several acceptable final answers."""

    model_config = ConfigDict(extra="ignore")

    task: Literal["math"]
    id: ItemId = None
    response: str = Field(description="The full model output.")
    reference: str | Annotated[list[str], Field(max_length=MAX_REFERENCES)] = Field(
        description="The correct answer, or a list of acceptable answers (any match is correct). "
        "An empty list or string leaves the item unscorable: its verdict is `invalid_reference`."
    )
    options: MathOptions = Field(default_factory=MathOptions)

    @property
    def references(self) -> list[str]:
        return [self.reference] if isinstance(self.reference, str) else self.reference


class StdioCase(TextModel):
    stdin: str = ""
    stdout: str


class CheckerProgram(TextModel):
    language: str
    source: str


StdioChecker = Literal["tokens", "exact", "lines", "float", "unordered_lines"]


class StdioTests(TextModel):
    kind: Literal["stdio"]
    cases: list[StdioCase] = Field(min_length=1)
    checker: StdioChecker | CheckerProgram = "tokens"
    abs_tol: float | None = Field(None, ge=0)
    rel_tol: float | None = Field(None, ge=0)


class FunctionalCase(TextModel):
    args: list[Any] = Field(
        default_factory=list,
        description=f"The call's arguments; each nests at most {MAX_VALUE_DEPTH} deep.",
    )
    expected: Any = Field(description=f"The JSON result; nests at most {MAX_VALUE_DEPTH} deep.")

    @field_validator("args", mode="before")
    @classmethod
    def _shallow_arguments(cls, value: Any) -> Any:
        if isinstance(value, list):
            for argument in value:
                _shallow(argument)
        return value

    @field_validator("expected", mode="before")
    @classmethod
    def _shallow_expected(cls, value: Any) -> Any:
        return _shallow(value)


def _shallow(value: Any) -> Any:
    """`value`, refused when it nests arrays and objects deeper than MAX_VALUE_DEPTH (walked
    level by level, without recursion, so that the check itself cannot overflow)."""
    level: list[Any] = [value]
    for _ in range(MAX_VALUE_DEPTH):
        level = [child for node in level for child in _children(node)]
    if any(isinstance(node, list | dict) for node in level):
        raise ValueError(f"nests arrays and objects more than {MAX_VALUE_DEPTH} deep")
    return value


def _children(node: Any) -> list[Any]:
    if isinstance(node, dict):
        return list(node.values())
    return list(node) if isinstance(node, list) else []


class FunctionalTests(TextModel):
    kind: Literal["functional"]
    entry_point: str = Field(
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z_$][A-Za-z0-9_$]*(?:(?:\.|::)[A-Za-z_$][A-Za-z0-9_$]*)*$",
        description="The function to call: an identifier (`Solution.f` or `ns::f` too).",
    )
    cases: list[FunctionalCase] = Field(min_length=1)


class AssertTests(TextModel):
    kind: Literal["assert"]
    code: str = Field(min_length=1, description="Test code in the program's language.")


CodeTests = Annotated[StdioTests | FunctionalTests | AssertTests, Field(discriminator="kind")]


class CodeLimits(BaseModel):
    time_s: float = Field(2.0, gt=0, le=60, description="CPU seconds per test.")
    memory_mb: int = Field(256, ge=16, le=8192, description="Memory per test run.")
    output_mb: float = Field(8, gt=0, le=256, description="stdout + stderr per test run.")


class CodeItem(TextModel):
    """A model output holding a program to run against tests."""

    model_config = ConfigDict(extra="ignore")

    task: Literal["code"]
    id: ItemId = None
    response: str
    language: str | None = None
    tests: CodeTests
    limits: CodeLimits = Field(default_factory=CodeLimits)
    scoring: Literal["all", "fraction"] = "all"
    early_stop: bool = False


Item = Annotated[MathItem | CodeItem, Field(discriminator="task")]


class VerifyRequest(BaseModel):
    items: list[Item] = Field(min_length=1, description="1 to VERIFIER_MAX_BATCH_ITEMS items.")
    timeout_s: float | None = Field(
        None,
        ge=0.05,
        le=30,
        description="Deadline of every math item of this request whose options set none.",
    )

    @model_validator(mode="after")
    def _apply_request_deadline(self) -> VerifyRequest:
        if self.timeout_s is not None:
            for item in self.items:
                if isinstance(item, MathItem) and item.options.timeout_s is None:
                    item.options = item.options.model_copy(update={"timeout_s": self.timeout_s})
        return self
