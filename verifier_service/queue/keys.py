"""Every Redis key the distributed mode uses, and nothing else names one.

All keys share the `verifier:` prefix, so one Redis can be inspected (or flushed) at a glance.
"""

from __future__ import annotations

PREFIX = "verifier:"
STREAM = f"{PREFIX}work"  # chunks of items waiting for a worker (the KEDA trigger's stream)
GROUP = "verifier-workers"  # the consumer group every worker reads in
DEAD_LETTERS = f"{PREFIX}dead"  # chunks delivered too many times, kept for inspection
WORKERS = f"{PREFIX}workers"  # sorted set: worker name -> time of its last heartbeat


def worker_info(worker: str) -> str:
    """Hash of one worker's state (pool sizes, languages), expiring with its heartbeats."""
    return f"{PREFIX}worker:{worker}"


def results(reply_to: str) -> str:
    """Hash: chunk index -> that chunk's results, written once (HSETNX) per chunk."""
    return f"{PREFIX}results:{reply_to}"


def arrivals(reply_to: str) -> str:
    """List the waiting request blocks on (BLPOP): the index of each chunk as it lands."""
    return f"{PREFIX}arrivals:{reply_to}"


def job(job_id: str) -> str:
    """Hash of a job's metadata: total items, chunk count, creation time."""
    return f"{PREFIX}job:{job_id}"


IDEMPOTENCY_ANSWERED = f"{PREFIX}idempotency-answered"  # sorted set: slot key -> time answered


def idempotency(slot: str) -> str:
    """Hash of one Idempotency-Key slot: fingerprint and owner while it is being answered,
    fingerprint, status, media type and body once answered (expiring with the TTL)."""
    return f"{PREFIX}idempotency:{slot}"
