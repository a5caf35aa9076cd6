"""Service settings, read from `VERIFIER_*` environment variables."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def _default_workers() -> int:
    return max(1, os.cpu_count() or 1)


class Settings(BaseSettings):
    """Every knob of the service; each documented default is the one used when unset."""

    model_config = SettingsConfigDict(env_prefix="VERIFIER_", extra="ignore")

    host: str = Field("127.0.0.1", description="Address the HTTP API binds to.")
    port: int = Field(8000, ge=0, le=65535, description="Port the HTTP API binds to.")
    api_token: str | None = Field(
        None, description="When set, every endpoint but health checks needs this bearer token."
    )
    allow_public_bind: bool = Field(
        False, description="Allow binding a non-loopback address without an API token."
    )
    max_batch_items: int = Field(10_000, ge=1, description="Most items one request may carry.")
    max_body_bytes: int = Field(
        128 * 1024 * 1024, ge=1024, description="Largest request body accepted, in bytes."
    )
    max_pending_items: int = Field(
        200_000, ge=1, description="Items in flight past which new requests get 429."
    )
    max_concurrent_scoring: int = Field(
        256,
        ge=1,
        description="Threads for blocking scoring calls (one per request being scored), apart "
        "from the threads health checks run on; a request past them waits for one.",
    )
    math_workers: int = Field(
        default_factory=_default_workers, ge=1, description="Math worker processes."
    )
    math_worker_memory_mb: int = Field(
        1024, ge=128, description="Address-space cap of each math worker process, in MiB."
    )
    math_default_timeout_s: float = Field(
        2.0, gt=0, le=30, description="Deadline of a math item whose options set none."
    )
    math_cache_size: int = Field(
        200_000, ge=0, description="Decisions kept in the LRU cache across batches."
    )
    code_enabled: bool = Field(
        True, description="Judge code items (needs root for nsjail); false answers them `error`."
    )
    languages_file: Path = Field(
        Path(__file__).resolve().parents[1] / "sandboxes" / "languages.toml",
        description="The language declarations code items may use.",
    )
    sandbox_dir: Path | None = Field(
        None, description="Where compiled programs live; a fresh temporary directory if unset."
    )
    code_parallelism: int = Field(
        default_factory=_default_workers,
        ge=1,
        description="Jails running programs (tests, checkers) at once; compiles have slots of "
        "their own (`code_compile_parallelism`).",
    )
    code_compile_parallelism: int | None = Field(
        None,
        ge=1,
        description="Compiles running at once (unset: `code_parallelism`), on jail slots of "
        "their own apart from the test runs': compiles never hold every jail from test runs.",
    )
    code_warm_jails: int = Field(
        2,
        ge=0,
        le=64,
        description="Jails set up ahead of time per recent run shape (0: a fresh jail per run).",
    )
    code_assert_conversion: bool = Field(
        True,
        description="Judge assert tests that are plain calls compared with values outside the "
        "program's process (false: every assert test runs behind the completion guard).",
    )
    code_program_cache: int = Field(
        2000, ge=1, description="Compiled programs kept (content-addressed) across requests."
    )
    redis_url: str | None = Field(
        None,
        description="Queue mode: the API enqueues on this Redis and workers score (unset: "
        "everything is scored in this process group).",
    )
    queue_chunk_items: int = Field(
        32,
        ge=1,
        le=1000,
        description="Math items per stream entry (a code item counts as 8).",
    )
    queue_timeout_s: float = Field(
        600.0, gt=0, description="How long a request waits for its results in queue mode."
    )
    queue_max_lag: int = Field(
        5000,
        ge=1,
        description="Chunks waiting for a worker past which requests are answered 429.",
    )
    queue_claim_idle_s: float = Field(
        15.0,
        gt=0,
        description="A chunk pending this long without its worker's heartbeat is reclaimed.",
    )
    queue_max_deliveries: int = Field(
        3, ge=1, description="Deliveries of a chunk before it goes to the dead-letter stream."
    )
    worker_concurrency: int = Field(
        2, ge=1, le=64, description="Chunks a worker scores at the same time."
    )
    worker_prefetch: int = Field(4, ge=1, le=100, description="Chunks a worker reads at once.")
    worker_heartbeat_s: float = Field(
        2.0, gt=0, description="How often a worker says it is alive (and touches its chunks)."
    )
    worker_metrics_port: int = Field(
        9100,
        ge=0,
        le=65535,
        description="A worker's /metrics and /healthz port (0: any free one).",
    )
    worker_metrics_host: str = Field("127.0.0.1", description="Bind address of that port.")
    fault_crash_on_item_id: str | None = Field(
        None,
        description="Testing only: a worker handed an item with this id exits at once (to "
        "exercise reclaiming and dead letters). Never set it in production.",
    )
    job_ttl_s: float = Field(3600.0, gt=0, description="How long finished job results are kept.")
    max_jobs: int = Field(1000, ge=1, description="Jobs kept at once (running and finished).")
    idempotency_ttl_s: float = Field(
        300.0,
        gt=0,
        description="How long the response to a request with an `Idempotency-Key` is kept "
        "for replay.",
    )
    idempotency_max_keys: int = Field(
        10_000, ge=1, description="Idempotency keys remembered at once (oldest forgotten first)."
    )
    idempotency_max_bytes: int = Field(
        256 * 1024 * 1024,
        ge=0,
        description="Embedded mode: most bytes of stored responses kept for replay (oldest "
        "forgotten first); in queue mode Redis keeps them, bounded by the TTL and key count.",
    )
    log_level: str = Field("info", description="Log level of the service.")

    @model_validator(mode="after")
    def _refuse_open_bind_without_token(self) -> Settings:
        if self.host not in LOOPBACK_HOSTS and not self.api_token and not self.allow_public_bind:
            raise ValueError(
                f"VERIFIER_HOST={self.host} is not loopback: set VERIFIER_API_TOKEN, or "
                "VERIFIER_ALLOW_PUBLIC_BIND=true to serve it unauthenticated"
            )
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
