"""Request text must be valid Unicode.

JSON's `"\\ud800"` escape parses into a lone surrogate, which no answer, program or input can be
written out with: such a field is refused with a 422 naming it, before any scoring starts.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, field_validator

T = TypeVar("T")


def lone_surrogate(value: Any) -> str | None:
    """Where `value` (a string, or JSON made of them) holds a lone surrogate, or None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            return f"character {error.start}"
        return None
    entries: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for key, entry in value.items():
            in_key = lone_surrogate(key)
            if in_key is not None:
                return f"a key ({in_key})"
            entries.append((repr(key), entry))
    elif isinstance(value, list | tuple):
        entries = [(str(index), entry) for index, entry in enumerate(value)]
    for name, entry in entries:
        where = lone_surrogate(entry)
        if where is not None:
            return f"[{name}] {where}"
    return None


def valid_text(value: T) -> T:
    where = lone_surrogate(value)
    if where is not None:
        raise ValueError(f"is not valid Unicode text (a lone surrogate at {where})")
    return value


# A list entry checked on its own, so that a 422 names its index (`query.3`).
CheckedEntry = Annotated[T, AfterValidator(valid_text)]


class TextModel(BaseModel):
    """A request body (or part of one) whose every string field is checked for valid text."""

    @field_validator("*")
    @classmethod
    def _valid_unicode(cls, value: Any) -> Any:
        return valid_text(value)
