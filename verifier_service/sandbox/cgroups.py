"""cgroup limits for jails: v1 (these machines) or v2 (most clusters), detected at start-up.

Each Jail owns a group `VERIFIER_JAIL/<pid>-<id>` of leaves. nsjail creates one cgroup per run
under a leaf, so the leaf's peak memory is the run's peak. A fresh jail runs under a slot leaf
(`slot-N`, one per concurrent run), swept after each run (cgroups a killed nsjail left behind
are removed, the page cache charged to it is dropped) so the next peak starts from zero; a warm
jail has a leaf of its own (`warm-N`) for its one run; swept, the leaf serves a later warm
jail (creating and removing memory cgroups costs CPU on every run otherwise). Groups of
processes that died are removed at start-up. Without a usable hierarchy jails fall back to
rlimits alone (and say so).

A run's CPU time is its leaf's: wait4 sees only the processes that were reaped, so children
that burn CPU and are never waited for would pass any limit. v2 and a v1 cpuacct co-mounted
with cpu count nsjail's per-run group under the leaf; a v1 cpuacct hierarchy of its own (as
here) is one nsjail never joins, so the jail's launcher is moved into the leaf there before its
program is released (everything the program starts descends from it).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import queue
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

PARENT = "VERIFIER_JAIL"
CGROUP_ROOT = Path("/sys/fs/cgroup")
V1_CONTROLLERS = ("memory", "pids", "cpu")
CPU_MS_PER_SEC = 1000  # one CPU per run
V1_PEAK = "memory.max_usage_in_bytes"
V2_PEAK = "memory.peak"
V1_CPU_USAGE = "cpuacct.usage"  # nanoseconds
V2_CPU_STAT = "cpu.stat"  # usage_usec, among others
NS_PER_S = 1_000_000_000
CACHE_DROP_BYTES = 64 * 1024 * 1024
SWEEP_PATIENCE_S = 0.5


@dataclass(frozen=True, slots=True)
class Cgroups:
    version: int | None  # 1, 2, or None when unavailable
    group: str = ""  # this jail's group under PARENT
    cpuacct_apart: bool = False  # v1 cpuacct mounted on its own, not with cpu

    def leaf_name(self, leaf: str) -> str:
        return f"{PARENT}/{self.group}/{leaf}"

    def arguments(self, memory_mb: int, max_pids: int, leaf: str) -> list[str]:
        """nsjail arguments that cap one run's memory, processes and CPU."""
        caps = [
            "--cgroup_mem_max", str(memory_mb * 1024 * 1024),
            "--cgroup_pids_max", str(max_pids),
            "--cgroup_cpu_ms_per_sec", str(CPU_MS_PER_SEC),
        ]  # fmt: skip
        if self.version == 1:
            for controller, option in (("memory", "mem"), ("pids", "pids"), ("cpu", "cpu")):
                caps += [
                    f"--cgroup_{option}_mount", str(CGROUP_ROOT / controller),
                    f"--cgroup_{option}_parent", self.leaf_name(leaf),
                ]  # fmt: skip
            # A capped cgroup swaps instead of being killed unless swap is capped too.
            swap = self._directory("memory", leaf) / "memory.memsw.limit_in_bytes"
            return [*caps, "--cgroup_mem_swap_max", "0"] if swap.exists() else caps
        if self.version == 2:
            mount = ["--use_cgroupv2", "--cgroupv2_mount", str(CGROUP_ROOT / self.leaf_name(leaf))]
            return [*mount, *caps, "--cgroup_mem_swap_max", "0"]
        return []

    def reset_peak(self, leaf: str) -> int | None:
        """Start measuring a run's peak memory: the leaf's current charge (page cache earlier
        runs left, a warm jail's launcher), which the peak includes; None when this kernel
        cannot measure."""
        peak, usage = self._peak_file(leaf), self._usage_file(leaf)
        if peak is None or usage is None:
            return None
        try:
            peak.write_text("0")
            return _read_number(usage)
        except (OSError, ValueError, IndexError):
            return None

    def peak_kb(self, leaf: str, baseline: int) -> int | None:
        peak = self._peak_file(leaf)
        try:
            return max(0, _read_number(peak) - baseline) // 1024 if peak else None
        except (OSError, ValueError, IndexError):
            return None

    def start_cpu(self, leaf: str) -> int | None:
        """Start measuring a run's CPU time, before its program is released: the leaf's usage
        so far (ns), with the waiting launcher moved into a cpuacct hierarchy of its own; None
        when this kernel cannot measure (wait4's figure stands)."""
        try:
            if self.cpuacct_apart:
                self._join_cpuacct(leaf)
            return self._cpu_usage_ns(leaf)
        except (OSError, ValueError, IndexError):
            return None

    def cpu_s(self, leaf: str, baseline: int) -> float | None:
        """CPU time of every process of the run since `start_cpu`."""
        try:
            usage = self._cpu_usage_ns(leaf)
        except (OSError, ValueError, IndexError):
            return None
        return None if usage is None else max(0, usage - baseline) / NS_PER_S

    def _join_cpuacct(self, leaf: str) -> None:
        """Move the processes of the leaf's nsjail groups (a launcher waiting for its command)
        into the leaf's cpuacct group (raises OSError, or ValueError when there are none)."""
        runs = self._directory("pids", leaf).glob("NSJAIL*/cgroup.procs")
        pids = [pid for procs in runs for pid in procs.read_text().split()]
        if not pids:
            raise ValueError("no jail process to measure")
        for pid in pids:
            (self._directory("cpuacct", leaf) / "cgroup.procs").write_text(pid)

    def _cpu_usage_ns(self, leaf: str) -> int | None:
        if self.version == 1:
            controller = "cpuacct" if self.cpuacct_apart else "cpu"
            usage = self._directory(controller, leaf) / V1_CPU_USAGE
            return _read_number(usage) if usage.exists() else None
        if self.version == 2:
            stat = (self._directory("", leaf) / V2_CPU_STAT).read_text().split()
            return int(stat[stat.index("usage_usec") + 1]) * 1000
        return None

    def sweep(self, leaf: str) -> bool:
        """Remove per-run cgroups a killed nsjail left behind; drop the leaf's page cache once
        it grows large (dropping it every run would cost ~15 ms). True when the leaf is clean
        (ready for another run)."""
        clean = True
        for controller in self._controllers():
            directory = self._directory(controller, leaf)
            _remove_children(directory, SWEEP_PATIENCE_S)
            clean = clean and not any(directory.glob("NSJAIL*"))
        usage = self._usage_file(leaf)
        if self.version != 1 or usage is None:
            return clean
        with contextlib.suppress(OSError, ValueError, IndexError):
            if _read_number(usage) > CACHE_DROP_BYTES:
                (self._directory("memory", leaf) / "memory.force_empty").write_text("0")
        return clean

    def make(self, leaf: str) -> None:
        """Create a leaf in every controller's hierarchy (raises OSError)."""
        for controller in self._controllers():
            directory = self._directory(controller, leaf)
            directory.mkdir(parents=True, exist_ok=True)
            if self.version == 2:
                for level in (directory.parent.parent, directory.parent, directory):
                    (level / "cgroup.subtree_control").write_text("+memory +pids +cpu")

    def remove(self, leaf: str) -> None:
        for controller in self._controllers():
            directory = self._directory(controller, leaf)
            _remove_children(directory, SWEEP_PATIENCE_S)
            with contextlib.suppress(OSError):
                directory.rmdir()

    def release(self) -> None:
        """Remove this jail's group (at service shutdown)."""
        for controller in self._controllers():
            _remove_group(_root(controller) / PARENT / self.group)

    def _controllers(self) -> tuple[str, ...]:
        if self.version == 1:
            return (*V1_CONTROLLERS, "cpuacct") if self.cpuacct_apart else V1_CONTROLLERS
        return ("",) if self.version == 2 else ()

    def _directory(self, controller: str, leaf: str) -> Path:
        return _root(controller) / self.leaf_name(leaf)

    def _usage_file(self, leaf: str) -> Path | None:
        if self.version == 1:
            return self._directory("memory", leaf) / "memory.usage_in_bytes"
        if self.version == 2:
            return self._directory("", leaf) / "memory.current"
        return None

    def _peak_file(self, leaf: str) -> Path | None:
        if self.version == 1:
            return self._directory("memory", leaf) / V1_PEAK
        if self.version == 2:
            return self._directory("", leaf) / V2_PEAK
        return None


def detect(slots: int) -> Cgroups:
    """Make this jail's slot cgroups; report which cgroup version is usable."""
    group = f"{os.getpid()}-{secrets.token_hex(4)}"
    try:
        if (CGROUP_ROOT / "cgroup.controllers").exists():
            cgroups = Cgroups(2, group)
        elif all((CGROUP_ROOT / controller).is_dir() for controller in V1_CONTROLLERS):
            cgroups = Cgroups(1, group, cpuacct_apart=_cpuacct_apart())
        else:
            log.warning("no cgroup hierarchy found: jails are limited by rlimits only")
            return Cgroups(None)
        _remove_stale_groups(cgroups)
        for slot in range(slots):
            cgroups.make(slot_leaf(slot))
    except OSError as error:
        log.warning("cgroups cannot be prepared (%s): jails are limited by rlimits only", error)
        return Cgroups(None)
    return cgroups


def _cpuacct_apart() -> bool:
    """Whether v1 cpuacct is a hierarchy of its own (co-mounted, `cpu` already counts)."""
    cpu, cpuacct = CGROUP_ROOT / "cpu", CGROUP_ROOT / "cpuacct"
    return (cpuacct / V1_CPU_USAGE).exists() and cpuacct.resolve() != cpu.resolve()


def _read_number(path: Path) -> int:
    return int(path.read_text().split()[0])


def _root(controller: str) -> Path:
    return CGROUP_ROOT / controller if controller else CGROUP_ROOT


def slot_leaf(slot: int) -> str:
    return f"slot-{slot}"


def slots(first: int, count: int) -> queue.Queue[int]:
    """Slots `first`.. as a FIFO for waiters (a run waiting for a slot is never starved)."""
    free: queue.Queue[int] = queue.Queue()
    for slot in range(first, first + count):
        free.put(slot)
    return free


def _remove_stale_groups(cgroups: Cgroups) -> None:
    """Groups of service processes that no longer exist (killed without a shutdown)."""
    for controller in cgroups._controllers():
        for group in (_root(controller) / PARENT).glob("*-*"):
            pid = group.name.split("-", 1)[0]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                _remove_group(group)


def _remove_group(group: Path) -> None:
    for leaf in group.glob("*-*"):
        _remove_children(leaf)
        with contextlib.suppress(OSError):
            leaf.rmdir()
    with contextlib.suppress(OSError):
        group.rmdir()


def _remove_children(directory: Path, patience_s: float = 0.0) -> None:
    """rmdir the per-run cgroups; a killed run's processes may take a moment to leave them."""
    deadline = time.monotonic() + patience_s
    for child in directory.glob("NSJAIL*"):
        while True:
            try:
                child.rmdir()
            except OSError as error:
                if error.errno == errno.EBUSY and time.monotonic() < deadline:
                    time.sleep(0.002)
                    continue
            break
