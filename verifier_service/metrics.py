"""Prometheus metrics of the service (`verifier_` prefix, base units)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics


class Metrics:
    """One registry per service instance, so tests can run several side by side."""

    def __init__(self) -> None:
        disable_created_metrics()  # type: ignore[no-untyped-call]
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "verifier_requests",
            "HTTP requests answered.",
            ["route", "status"],
            registry=self.registry,
        )
        self.items = Counter(
            "verifier_items", "Items scored.", ["task", "verdict"], registry=self.registry
        )
        self.item_latency = Histogram(
            "verifier_item_latency_seconds",
            "Time spent deciding one item.",
            ["task"],
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            registry=self.registry,
        )
        self.batch_size = Histogram(
            "verifier_batch_size_items",
            "Items per request.",
            buckets=(1, 8, 64, 256, 1024, 4096, 10000),
            registry=self.registry,
        )
        self.math_cache = Counter(
            "verifier_math_decisions",
            "Math decisions by where they came from.",
            ["source"],
            registry=self.registry,
        )
        self.worker_restarts = Counter(
            "verifier_worker_restarts",
            "Worker processes replaced.",
            ["pool", "reason"],
            registry=self.registry,
        )
        self.compiles = Counter(
            "verifier_code_compiles",
            "Programs compiled (once per distinct program).",
            ["language", "outcome"],
            registry=self.registry,
        )
        self.sandbox_runs = Counter(
            "verifier_sandbox_runs",
            "Test runs in the jail.",
            ["language", "verdict"],
            registry=self.registry,
        )
        self.assert_conversions = Counter(
            "verifier_assert_conversions",
            "Assert tests judged as calls outside the program's process (converted), or run "
            "behind the completion guard because their expected values could not be had "
            "(fallback).",
            ["language", "outcome"],
            registry=self.registry,
        )
        self.queue_wait = Histogram(
            "verifier_queue_wait_seconds",
            "Time a chunk waited on the stream before a worker took it (queue mode).",
            buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60, 300),
            registry=self.registry,
        )
        self.chunks = Counter(
            "verifier_queue_chunks",
            "Chunks a worker answered, by outcome (scored, reclaimed, expired, dead_letter).",
            ["outcome"],
            registry=self.registry,
        )
        self.dead_letters = Counter(
            "verifier_queue_dead_letters",
            "Chunks moved to the dead-letter stream after too many deliveries.",
            registry=self.registry,
        )
        self.idempotent_replays = Counter(
            "verifier_idempotent_replays",
            "Responses replayed for a repeated Idempotency-Key instead of scoring again.",
            ["route"],
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "verifier_items_in_flight",
            "Items accepted and not yet answered.",
            registry=self.registry,
        )
