"""Bodies of the service endpoints: readiness and the language list."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Readiness(BaseModel):
    ready: bool
    mode: Literal["embedded", "queue"] = "embedded"
    math_workers: int = Field(description="Math worker processes alive (over all workers).")
    workers: int | None = Field(None, description="Queue workers seen alive (queue mode).")
    redis: bool | None = Field(None, description="Redis answers (queue mode).")


class Language(BaseModel):
    name: str
    display: str
    aliases: list[str]
    version: str


class Languages(BaseModel):
    languages: list[Language]
