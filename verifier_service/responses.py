"""What every task reads from a model output before looking for its answer."""

from __future__ import annotations

THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"


def final_section(response: str) -> str | None:
    """The part of a response that may hold its answer; None when thinking never ended."""
    close = response.rfind(THINK_CLOSE)
    if close >= 0:
        return response[close + len(THINK_CLOSE) :]
    if THINK_OPEN in response:
        return None
    return response
