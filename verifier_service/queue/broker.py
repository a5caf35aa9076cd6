"""The Redis side of the queue: every command the API and the workers send, in one place.

Chunks go on one stream read by one consumer group. A worker answers a chunk with one
server-side script that writes its results once (HSETNX on the chunk's index), signals the
waiting request (RPUSH of the index on a list the request BLPOPs), and acknowledges the entry:
results and XACK travel together, and a chunk processed twice (reclaimed from a worker
presumed dead that was only slow) never duplicates or reorders anything.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

import redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from verifier_service.queue import keys
from verifier_service.queue.codec import Chunk

DELIVER = """
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('RPUSH', KEYS[2], ARGV[1])
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return redis.call('XACK', KEYS[3], ARGV[4], ARGV[5])
"""
SOCKET_TIMEOUT_S = 10.0
BLOCK_MARGIN_S = 5.0


class QueueUnavailableError(RuntimeError):
    """Redis cannot be reached: the API answers 503, a worker waits and retries."""

    retry_after_s = 2


@contextmanager
def unavailable_as_error() -> Iterator[None]:
    try:
        yield
    except (RedisConnectionError, RedisTimeoutError, OSError) as error:
        raise QueueUnavailableError(f"Redis is unreachable: {error}") from error


@dataclass(frozen=True, slots=True)
class Entry:
    entry_id: bytes
    fields: dict[bytes, bytes]


@dataclass(frozen=True, slots=True)
class Pending:
    entry_id: bytes
    consumer: str
    idle_ms: int
    deliveries: int


class Broker:
    def __init__(self, url: str, max_connections: int = 512) -> None:
        self.url = url
        self.redis = redis.Redis.from_url(
            url,
            socket_timeout=SOCKET_TIMEOUT_S,
            socket_connect_timeout=SOCKET_TIMEOUT_S,
            health_check_interval=30,
            max_connections=max_connections,
        )
        self._deliver = self.redis.register_script(DELIVER)

    def close(self) -> None:
        self.redis.close()

    def ping(self) -> bool:
        try:
            return bool(self.redis.ping())
        except (RedisConnectionError, RedisTimeoutError, OSError):
            return False

    def ensure_group(self) -> None:
        """Create the stream and its consumer group if this is the first process to start."""
        with unavailable_as_error():
            try:
                self.redis.xgroup_create(keys.STREAM, keys.GROUP, id="0", mkstream=True)
            except ResponseError as error:
                if "BUSYGROUP" not in str(error):
                    raise

    # --- the API side ---------------------------------------------------------------------

    def enqueue(self, chunks: Sequence[Chunk]) -> None:
        """All of a request's chunks in one pipelined round trip."""
        with unavailable_as_error():
            pipe = self.redis.pipeline(transaction=False)
            for chunk in chunks:
                pipe.xadd(keys.STREAM, chunk.fields())  # type: ignore[arg-type]
            pipe.execute()

    def wait_arrivals(self, reply_to: str, timeout_s: float) -> list[int]:
        """Block until at least one chunk of `reply_to` landed (or the timeout): their indexes."""
        arrivals = keys.arrivals(reply_to)
        with unavailable_as_error():
            first = self.redis.blpop([arrivals], timeout=max(timeout_s, 0.01))
            if first is None:
                return []
            rest = cast(list[bytes] | None, self.redis.lpop(arrivals, 10_000)) or []
        return [int(first[1]), *map(int, rest)]

    def results(self, reply_to: str, indexes: Sequence[int]) -> list[bytes | None]:
        with unavailable_as_error():
            return cast(list[bytes | None], self.redis.hmget(keys.results(reply_to), indexes))

    def all_results(self, reply_to: str) -> dict[int, bytes]:
        with unavailable_as_error():
            stored = cast(dict[bytes, bytes], self.redis.hgetall(keys.results(reply_to)))
        return {int(index): payload for index, payload in stored.items()}

    def forget(self, reply_to: str) -> None:
        with unavailable_as_error():
            self.redis.delete(keys.results(reply_to), keys.arrivals(reply_to))

    def lag(self) -> int:
        """Entries of the stream not yet delivered to any worker."""
        with unavailable_as_error():
            groups = self.redis.xinfo_groups(keys.STREAM)
        for group in groups:
            if group.get("name") in (keys.GROUP, keys.GROUP.encode()):
                lag = group.get("lag")
                return int(lag) if lag is not None else int(self.redis.xlen(keys.STREAM))
        return 0

    def create_job(self, job_id: str, shape: list[Any], counts: list[int], ttl_s: int) -> None:
        """A job's item shapes and the item count of each of its chunks."""
        record = {
            "shape": json.dumps(shape),
            "chunks": json.dumps(counts),
            "created": repr(time.time()),
        }
        with unavailable_as_error():
            pipe = self.redis.pipeline(transaction=True)
            pipe.hset(keys.job(job_id), mapping=record)  # type: ignore[arg-type]
            pipe.expire(keys.job(job_id), ttl_s)
            pipe.execute()

    def job(self, job_id: str) -> dict[bytes, bytes]:
        with unavailable_as_error():
            return cast(dict[bytes, bytes], self.redis.hgetall(keys.job(job_id)))

    # --- the worker side --------------------------------------------------------------------

    def read(self, consumer: str, count: int, block_ms: int) -> list[Entry]:
        with unavailable_as_error():
            reply = self.redis.xreadgroup(
                keys.GROUP, consumer, {keys.STREAM: ">"}, count=count, block=block_ms
            )
        return [
            Entry(entry_id, fields)
            for _, entries in cast(list[tuple[bytes, list[tuple[bytes, Any]]]], reply or [])
            for entry_id, fields in entries
            if fields  # an entry trimmed while pending comes back empty
        ]

    def deliver(self, entry_id: bytes, chunk: Chunk, payload: bytes) -> None:
        """The chunk's results (first writer wins), the waiter's signal and the XACK, at once."""
        self.deliver_all([(entry_id, chunk, payload)])

    def deliver_all(self, answers: Sequence[tuple[bytes, Chunk, bytes]]) -> None:
        """deliver() for several chunks in one pipelined round trip."""
        with unavailable_as_error():
            pipe = self.redis.pipeline(transaction=False)
            for entry_id, chunk, payload in answers:
                self._deliver(
                    keys=[keys.results(chunk.reply_to), keys.arrivals(chunk.reply_to), keys.STREAM],
                    args=[chunk.index, payload, chunk.ttl_s, keys.GROUP, entry_id],
                    client=pipe,
                )
            pipe.execute()

    def acknowledge(self, entry_id: bytes) -> None:
        with unavailable_as_error():
            self.redis.xack(keys.STREAM, keys.GROUP, entry_id)

    def touch(self, consumer: str, entry_ids: Sequence[bytes]) -> None:
        """Reset the idle time of entries this worker is still working on."""
        if entry_ids:
            with unavailable_as_error():
                self.redis.xclaim(
                    keys.STREAM, keys.GROUP, consumer, 0, list(entry_ids), justid=True
                )

    def idle_pending(self, min_idle_ms: int, count: int = 100) -> list[Pending]:
        with unavailable_as_error():
            rows = self.redis.xpending_range(
                keys.STREAM, keys.GROUP, min="-", max="+", count=count, idle=min_idle_ms
            )
        return [
            Pending(
                cast(bytes, row["message_id"]),
                cast(bytes, row["consumer"]).decode(),
                int(row["time_since_delivered"]),
                int(row["times_delivered"]),
            )
            for row in rows
        ]

    def claim(self, consumer: str, min_idle_ms: int, entry_ids: Sequence[bytes]) -> list[Entry]:
        """Take over entries still idle past `min_idle_ms` (another claimer may win some)."""
        with unavailable_as_error():
            claimed = cast(
                list[tuple[bytes, dict[bytes, bytes]]],
                self.redis.xclaim(keys.STREAM, keys.GROUP, consumer, min_idle_ms, list(entry_ids)),
            )
        return [Entry(entry_id, fields) for entry_id, fields in claimed if fields]

    def entry(self, entry_id: bytes) -> Entry | None:
        with unavailable_as_error():
            rows = cast(
                list[tuple[bytes, dict[bytes, bytes]]],
                self.redis.xrange(keys.STREAM, entry_id, entry_id),
            )
        return Entry(rows[0][0], rows[0][1]) if rows else None

    def dead_letter(self, entry: Entry, reason: str, maxlen: int) -> None:
        fields = {**entry.fields, b"reason": reason.encode(), b"entry_id": entry.entry_id}
        with unavailable_as_error():
            self.redis.xadd(keys.DEAD_LETTERS, fields, maxlen=maxlen, approximate=True)  # type: ignore[arg-type]

    def trim(self) -> int:
        """Delete acknowledged entries only: those older than the oldest pending one and than
        the group's last delivered (undelivered entries are the lag autoscaling reads)."""
        with unavailable_as_error():
            summary = self.redis.xpending(keys.STREAM, keys.GROUP)
            groups = self.redis.xinfo_groups(keys.STREAM)
            delivered = next(
                (
                    g["last-delivered-id"]
                    for g in groups
                    if g["name"] in (keys.GROUP, keys.GROUP.encode())
                ),
                None,
            )
            if delivered is None:
                return 0
            bound = summary["min"] if summary.get("pending") else delivered
            return int(self.redis.xtrim(keys.STREAM, minid=bound, approximate=False))

    def heartbeat(self, worker: str, info: dict[str, str], ttl_s: int) -> None:
        with unavailable_as_error():
            pipe = self.redis.pipeline(transaction=False)
            pipe.zadd(keys.WORKERS, {worker: time.time()})
            pipe.hset(keys.worker_info(worker), mapping=info)  # type: ignore[arg-type]
            pipe.expire(keys.worker_info(worker), ttl_s)
            pipe.zremrangebyscore(keys.WORKERS, "-inf", time.time() - 10 * ttl_s)
            pipe.execute()

    def leave(self, worker: str) -> None:
        with unavailable_as_error():
            pipe = self.redis.pipeline(transaction=False)
            pipe.zrem(keys.WORKERS, worker)
            pipe.delete(keys.worker_info(worker))
            pipe.execute()

    def live_workers(self, window_s: float) -> dict[str, dict[bytes, bytes]]:
        """Workers whose last heartbeat is within `window_s`, with their info."""
        with unavailable_as_error():
            names = cast(
                list[bytes], self.redis.zrangebyscore(keys.WORKERS, time.time() - window_s, "+inf")
            )
            pipe = self.redis.pipeline(transaction=False)
            for name in names:
                pipe.hgetall(keys.worker_info(name.decode()))
            infos = cast(list[dict[bytes, bytes]], pipe.execute())
        return {name.decode(): info for name, info in zip(names, infos, strict=True) if info}
