"""What a run asks of a jail: its mounts, its limits (and the nsjail arguments that enforce
them), and the run request that carries them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from verifier_service.sandbox.cgroups import Cgroups
    from verifier_service.sandbox.output import OutputSpace


@dataclass(frozen=True, slots=True)
class JailMount:
    source: Path
    target: str
    writable: bool = False
    bound: bool = False  # bound from the host even in a run that copies its mounts (`filesystem`)


@dataclass(frozen=True, slots=True)
class RunLimits:
    time_s: float = 2.0
    memory_mb: int = 256
    max_processes: int = 64
    output_bytes: int = 8 * 1024 * 1024
    tmpfs_mb: int = 64
    file_size_mb: int = 64
    open_files: int = 256
    idle_s: float | None = None  # end the run once it used (almost) no CPU this long
    wall_limit_s: float | None = None  # a wall-clock limit of its own (SandboxFusion's run_timeout)

    @property
    def wall_s(self) -> float:
        """Sleeping does not use CPU: the wall clock allows twice the time plus a second, unless
        the caller set a wall-clock limit of its own."""
        return self.wall_limit_s if self.wall_limit_s is not None else self.time_s * 2 + 1


@dataclass(frozen=True, slots=True)
class RunRequest:
    """One run as the jail receives it."""

    command: list[str]
    limits: RunLimits
    mounts: tuple[JailMount, ...]
    stdin: bytes
    environment: dict[str, str]
    output: OutputSpace | None = None  # a compile's: its streams cannot be reopened either


def resource_arguments(limits: RunLimits, cgroups: Cgroups, leaf: str | None) -> list[str]:
    """rlimits, and the cgroup caps when the run has a leaf (then memory and processes are the
    cgroup's to cap: an address-space limit breaks runtimes that reserve much more than they
    use)."""
    capped_by_cgroup = leaf is not None
    memory = "inf" if capped_by_cgroup else str(limits.memory_mb)
    processes = "soft" if capped_by_cgroup else str(limits.max_processes)
    return [
        "--rlimit_as", memory,
        "--rlimit_cpu", str(math.ceil(limits.time_s)),
        "--rlimit_fsize", str(limits.file_size_mb),
        "--rlimit_nofile", str(limits.open_files),
        "--rlimit_nproc", processes,
        "--rlimit_stack", str(min(limits.memory_mb, 256)),
        "--rlimit_core", "0",
        *(cgroups.arguments(limits.memory_mb, limits.max_processes, leaf) if leaf else []),
    ]  # fmt: skip
