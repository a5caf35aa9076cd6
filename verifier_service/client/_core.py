"""What the sync and async clients share: payloads, chunks, retry policy, result parsing.

Nothing here does I/O, so the two clients differ only in how they send and sleep.
"""

from __future__ import annotations

import email.utils
import json
import random
import re
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ValidationError

from verifier_service.client.errors import (
    VerifierAuthError,
    VerifierRequestError,
    VerifierUnavailableError,
)
from verifier_service.schemas.requests import CodeItem, MathItem
from verifier_service.schemas.results import CodeResult, MathResult

ItemLike = Mapping[str, Any] | MathItem | CodeItem
Result = MathResult | CodeResult

VERIFY_PATH = "/v1/verify"
IDEMPOTENCY_HEADER = "Idempotency-Key"
RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_BACKOFF_S = 30.0
MAX_RETRY_AFTER_S = 300.0
CONNECT_TIMEOUT_S = 10.0
_FIELD_INDEX = re.compile(r"\bitems\.(\d+)")


@dataclass
class Chunk:
    """A slice of the caller's batch, sent as one request (with one idempotency key)."""

    offset: int
    items: list[dict[str, Any]]
    key: str = field(default_factory=lambda: str(uuid.uuid4()))

    def body(self) -> bytes:
        return json.dumps({"items": self.items}, ensure_ascii=False).encode()


@dataclass
class Attempt:
    """What to do after one try: `done` with results, `retry` after `delay_s`, or `fail`."""

    action: Literal["done", "retry", "fail"]
    results: list[Result] | None = None
    reason: str = ""
    retry_after_s: float | None = None
    status_code: int | None = None  # the last reply's HTTP status, if there was a reply


@dataclass(frozen=True, slots=True)
class Options:
    """What both clients are configured with (validated once, here)."""

    base_url: str
    chunk_items: int
    max_concurrency: int
    retries: int
    backoff_s: float
    raise_on_error: bool

    def __post_init__(self) -> None:
        if self.chunk_items < 1:
            raise ValueError("chunk_items must be at least 1")
        if self.max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        if self.retries < 0:
            raise ValueError("retries must be 0 or more")
        if self.backoff_s < 0:
            raise ValueError("backoff_s must be 0 or more")

    def http(self, token: str | None, timeout_s: float) -> dict[str, Any]:
        """Keyword arguments of httpx.Client / httpx.AsyncClient."""
        return {
            "base_url": self.base_url,
            "headers": headers(token),
            "timeout": timeout(timeout_s),
            "limits": httpx.Limits(max_connections=self.max_concurrency * 2),
        }


def headers(token: str | None) -> dict[str, str]:
    base = {"content-type": "application/json", "accept": "application/json"}
    if token:
        base["authorization"] = f"Bearer {token}"
    return base


def timeout(timeout_s: float) -> httpx.Timeout:
    return httpx.Timeout(timeout_s, connect=min(timeout_s, CONNECT_TIMEOUT_S))


def payload(item: ItemLike) -> dict[str, Any]:
    """The JSON object of one item: models are dumped, mappings are sent as they are (the
    server validates them and names any bad field)."""
    if isinstance(item, BaseModel):
        return item.model_dump(mode="json", exclude_unset=True)
    if isinstance(item, Mapping):
        return dict(item)
    raise TypeError(f"an item must be a mapping, MathItem or CodeItem, not {type(item).__name__}")


def split(items: Sequence[ItemLike], chunk_items: int) -> list[Chunk]:
    payloads = [payload(item) for item in items]
    return [
        Chunk(offset=start, items=payloads[start : start + chunk_items])
        for start in range(0, len(payloads), chunk_items)
    ]


def judge(reply: httpx.Response, chunk: Chunk) -> Attempt:
    """Classifies a reply; raises for the caller's own errors (4xx other than 429)."""
    status = reply.status_code
    if status == 200:
        return _parse(reply, chunk)
    message = _server_message(reply)
    if status in RETRY_STATUSES:
        return Attempt(
            "retry",
            reason=f"HTTP {status}: {message}",
            retry_after_s=retry_after(reply.headers.get("retry-after")),
            status_code=status,
        )
    if status in (401, 403):
        raise VerifierAuthError(f"HTTP {status}: {message}", status_code=status)
    if 400 <= status < 500:
        hint = " (lower chunk_items)" if status == 413 else ""
        raise VerifierRequestError(
            f"HTTP {status}: {shift_fields(message, chunk.offset)}{hint}",
            status_code=status,
            detail=_shifted_detail(reply, chunk.offset),
        )
    return Attempt("fail", reason=f"HTTP {status}: {message}", status_code=status)


def _parse(reply: httpx.Response, chunk: Chunk) -> Attempt:
    try:
        raw = reply.json()["results"]
        results = [parse_result(entry) for entry in raw]
    except (ValueError, KeyError, TypeError, ValidationError) as error:
        return Attempt("fail", reason=f"unreadable reply ({type(error).__name__}: {error})")
    if len(results) != len(chunk.items):
        return Attempt(
            "fail", reason=f"the reply has {len(results)} results for {len(chunk.items)} items"
        )
    return Attempt("done", results=results)


def parse_result(entry: Mapping[str, Any]) -> Result:
    if entry.get("task") == "code":
        return CodeResult.model_validate(entry)
    return MathResult.model_validate(entry)


def transport_failure(error: httpx.TransportError) -> Attempt:
    return Attempt("retry", reason=f"{type(error).__name__}: {error}".rstrip(": "))


def error_results(chunk: Chunk, reason: str) -> list[Result]:
    """Results for items the service could not score: reward None, verdict "error"."""
    text = f"verifier unavailable: {reason}"
    results: list[Result] = []
    for item in chunk.items:
        item_id = item.get("id")
        if not isinstance(item_id, str | int) or isinstance(item_id, bool):
            item_id = None
        if item.get("task") == "code":
            results.append(
                CodeResult(id=item_id, reward=None, verdict="error", reason=text, elapsed_ms=0.0)
            )
        else:
            results.append(
                MathResult(id=item_id, reward=None, verdict="error", reason=text, elapsed_ms=0.0)
            )
    return results


def unavailable(chunk: Chunk, attempt: Attempt, attempts: int) -> VerifierUnavailableError:
    return VerifierUnavailableError(
        f"items {chunk.offset}..{chunk.offset + len(chunk.items) - 1} could not be scored "
        f"after {attempts} attempt(s): {attempt.reason}",
        status_code=attempt.status_code,
    )


def delay_s(
    attempt: int, backoff_s: float, retry_after_s: float | None, rng: random.Random
) -> float:
    """Exponential backoff with jitter (`backoff_s * 2**attempt`, times 0.5 to 1, at most 30 s);
    never shorter than the server's Retry-After."""
    backoff: float = min(backoff_s * (2**attempt), MAX_BACKOFF_S) * rng.uniform(0.5, 1.0)
    if retry_after_s is None:
        return backoff
    return max(min(retry_after_s, MAX_RETRY_AFTER_S), backoff)


def retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (a number of seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def shift_fields(message: str, offset: int) -> str:
    """`items.3.reference` in chunk starting at 2000 -> `items.2003.reference`."""
    if not offset:
        return message
    return _FIELD_INDEX.sub(lambda match: f"items.{int(match.group(1)) + offset}", message)


def _server_message(reply: httpx.Response) -> str:
    try:
        body = reply.json()
    except ValueError:
        return reply.text[:500] or reply.reason_phrase
    if isinstance(body, dict):
        for key in ("error", "detail"):
            if isinstance(body.get(key), str):
                return str(body[key])
    return json.dumps(body)[:500]


def _shifted_detail(reply: httpx.Response, offset: int) -> list[dict[str, Any]]:
    try:
        body = reply.json()
    except ValueError:
        return []
    detail = body.get("detail") if isinstance(body, dict) else None
    if not isinstance(detail, list):
        return []
    shifted: list[dict[str, Any]] = []
    for entry in detail:
        if isinstance(entry, dict):
            copy = dict(entry)
            if isinstance(copy.get("field"), str):
                copy["field"] = shift_fields(copy["field"], offset)
            shifted.append(copy)
    return shifted
