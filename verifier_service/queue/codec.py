"""What travels through Redis: chunks of items on the stream, and each chunk's results.

A chunk is one stream entry of a few tens of items (one entry per item costs ~30x the
throughput). Its results are written once per chunk: a JSON list of results in item order, or
`{"failed": reason}` when the chunk could not be scored (dead-lettered); whoever waits for the
chunk knows its items and turns a failure into one `error` result (reward null) per item.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Literal

from pydantic import TypeAdapter, ValidationError

from verifier_service.schemas.requests import Item
from verifier_service.schemas.results import CodeResult, MathResult, Result

ITEMS = TypeAdapter(list[Item])
RESULTS = TypeAdapter(list[Result])

Task = Literal["math", "code"]
Shape = list[tuple[Task, str | int | None]]
CODE_WEIGHT = 8


class ChunkFormatError(ValueError):
    """A stream entry that is not a chunk this version understands."""


@dataclass(frozen=True, slots=True)
class Chunk:
    reply_to: str  # the request or job whose results hash receives this chunk's results
    index: int  # position of the chunk in its request
    items_json: bytes  # the items, as the API validated them
    count: int
    enqueued: float  # epoch seconds
    deadline: float  # epoch seconds: past it nobody waits for the answer
    ttl_s: int  # how long the results are kept in Redis

    def fields(self) -> dict[str, str | bytes]:
        return {
            "reply_to": self.reply_to,
            "index": str(self.index),
            "count": str(self.count),
            "enqueued": repr(self.enqueued),
            "deadline": repr(self.deadline),
            "ttl_s": str(self.ttl_s),
            "items": self.items_json,
        }

    def items(self) -> list[Item]:
        try:
            return ITEMS.validate_json(self.items_json)
        except ValidationError as error:
            raise ChunkFormatError(f"the chunk's items do not validate: {error}") from error

    def expired(self, now: float | None = None) -> bool:
        return (time.time() if now is None else now) > self.deadline


def make_chunks(
    reply_to: str, items: list[Item], budget: int, *, timeout_s: float, ttl_s: int
) -> list[Chunk]:
    """Cut `items` into chunks of about `budget` math items' worth of work each."""
    now = time.time()
    return [
        Chunk(
            reply_to=reply_to,
            index=index,
            items_json=ITEMS.dump_json(items[start:end]),
            count=end - start,
            enqueued=now,
            deadline=now + timeout_s,
            ttl_s=ttl_s,
        )
        for index, (start, end) in enumerate(chunk_bounds(items, budget))
    ]


def chunk_bounds(items: list[Item], budget: int) -> list[tuple[int, int]]:
    """(start, end) of each chunk. A code item weighs CODE_WEIGHT math items: code chunks are
    smaller, so that a few workers share a code batch evenly."""
    bounds: list[tuple[int, int]] = []
    start, weight = 0, 0
    for index, item in enumerate(items):
        weight += CODE_WEIGHT if item.task == "code" else 1
        if weight >= budget:
            bounds.append((start, index + 1))
            start, weight = index + 1, 0
    if start < len(items):
        bounds.append((start, len(items)))
    return bounds


def split_shape(shape: Shape, counts: list[int]) -> list[Shape]:
    """The items of each chunk, given each chunk's item count."""
    parts: list[Shape] = []
    start = 0
    for count in counts:
        parts.append(shape[start : start + count])
        start += count
    return parts


def read_chunk(fields: dict[bytes, bytes]) -> Chunk:
    try:
        return Chunk(
            reply_to=fields[b"reply_to"].decode(),
            index=int(fields[b"index"]),
            items_json=fields[b"items"],
            count=int(fields[b"count"]),
            enqueued=float(fields[b"enqueued"]),
            deadline=float(fields[b"deadline"]),
            ttl_s=int(fields[b"ttl_s"]),
        )
    except (KeyError, ValueError, UnicodeDecodeError) as error:
        raise ChunkFormatError(f"not a chunk: {error!r}") from error


def results_payload(results: list[Result]) -> bytes:
    return RESULTS.dump_json(results)


def failure_payload(reason: str) -> bytes:
    return json.dumps({"failed": reason}).encode()


def read_results(payload: bytes, shape: Shape) -> list[Result]:
    """A chunk's results; `shape` (each item's task and id) turns a failure into errors."""
    try:
        decoded = json.loads(payload)
        if isinstance(decoded, dict):
            return error_results(shape, str(decoded.get("failed", "the chunk failed")))
        results = RESULTS.validate_python(decoded)
    except (ValueError, ValidationError):
        return error_results(shape, "the chunk's results could not be read")
    if len(results) != len(shape):
        return error_results(shape, "the chunk's results do not match its items")
    return results


def error_results(shape: Shape, reason: str) -> list[Result]:
    return [error_result(task, item_id, reason) for task, item_id in shape]


def error_result(task: Task, item_id: str | int | None, reason: str) -> Result:
    """An item the service could not score: reward null, never a wrong answer."""
    if task == "math":
        return MathResult(id=item_id, reward=None, verdict="error", reason=reason, elapsed_ms=0.0)
    return CodeResult(id=item_id, reward=None, verdict="error", reason=reason, elapsed_ms=0.0)


def shape_of(items: list[Item]) -> Shape:
    return [(item.task, item.id) for item in items]
