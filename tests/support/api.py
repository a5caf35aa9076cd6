"""Posting items to a running server the way a trainer does."""

from __future__ import annotations

from typing import Any

import httpx


def math_item(response: str, reference: str | list[str], **extra: Any) -> dict[str, Any]:
    return {"task": "math", "response": response, "reference": reference, **extra}


def verify(client: httpx.Client, *items: dict[str, Any]) -> list[dict[str, Any]]:
    """POST /v1/verify; the results, after asserting the request itself succeeded."""
    reply = client.post("/v1/verify", json={"items": list(items)})
    assert reply.status_code == 200, reply.text
    results: list[dict[str, Any]] = reply.json()["results"]
    return results
