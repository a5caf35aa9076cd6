"""Real `verifier-service worker` processes against a test Redis, killed and restarted at will."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from verifier_service.config import Settings
from verifier_service.queue.broker import Broker

READY_TIMEOUT_S = 90
FAST_QUEUE = {
    "VERIFIER_MATH_WORKERS": "1",
    "VERIFIER_CODE_PARALLELISM": "1",
    "VERIFIER_CODE_WARM_JAILS": "1",
    "VERIFIER_WORKER_METRICS_PORT": "0",
    "VERIFIER_WORKER_HEARTBEAT_S": "0.3",
    "VERIFIER_QUEUE_CLAIM_IDLE_S": "1.5",
    "VERIFIER_QUEUE_MAX_DELIVERIES": "2",
    "VERIFIER_LOG_LEVEL": "warning",
}


def languages_subset(names: tuple[str, ...]) -> str:
    """The service's languages file cut down to `names` (a worker then probes only those)."""
    text = Settings().languages_file.read_text()
    sections = re.split(r"(?m)^(?=\[languages\.)", text)
    return "".join(
        section
        for section in sections[1:]
        if re.match(r"\[languages\.([\w-]+)[\].]", section)[1] in names  # type: ignore[index]
    )


class WorkerFleet:
    """`count` worker processes; with `supervise`, a dead one is restarted (as Kubernetes
    restarts a crashed pod)."""

    def __init__(
        self,
        redis_url: str,
        count: int,
        logs: Path,
        *,
        supervise: bool = False,
        settings: dict[str, str] | None = None,
        languages: tuple[str, ...] = ("python", "c"),
    ) -> None:
        self.redis_url = redis_url
        self.logs = logs
        languages_file = logs / "languages.toml"
        languages_file.write_text(languages_subset(languages))
        self.environment = {
            **{k: v for k, v in os.environ.items() if not k.startswith("VERIFIER_")},
            **FAST_QUEUE,
            "VERIFIER_LANGUAGES_FILE": str(languages_file),
            **(settings or {}),
            "VERIFIER_REDIS_URL": redis_url,
        }
        self.processes: list[subprocess.Popen[bytes]] = []
        self.restarts = 0
        self._count = count
        self._supervise = supervise
        self._closing = threading.Event()
        self._supervisor = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> WorkerFleet:
        self.processes = [self._spawn(index) for index in range(self._count)]
        if self._supervise:
            self._supervisor.start()
        self.wait_ready(self._count)
        return self

    def wait_ready(self, count: int) -> None:
        broker = Broker(self.redis_url)
        try:
            deadline = time.monotonic() + READY_TIMEOUT_S
            while len(broker.live_workers(window_s=1.5)) < count:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{count} workers did not come up; logs in {self.logs}")
                time.sleep(0.1)
        finally:
            broker.close()

    def kill(self, index: int) -> None:
        """SIGKILL: no goodbye, its chunks stay pending."""
        self.processes[index].kill()
        self.processes[index].wait()

    def close(self) -> None:
        self._closing.set()
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def __enter__(self) -> WorkerFleet:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.close()

    def _spawn(self, index: int) -> subprocess.Popen[bytes]:
        log = (self.logs / f"worker-{index}.log").open("ab")
        with log:
            return subprocess.Popen(
                [sys.executable, "-m", "verifier_service", "worker"],
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def _watch(self) -> None:
        while not self._closing.wait(0.2):
            for index, process in enumerate(self.processes):
                if process.poll() is not None and not self._closing.is_set():
                    self.processes[index] = self._spawn(index)
                    self.restarts += 1
