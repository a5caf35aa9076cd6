"""cgroup limits for jails: v1 (these machines) or v2 (most clusters), detected at start-up.

Each Jail owns a group `VERIFIER_JAIL/<pid>-<id>` of leaves. nsjail creates one cgroup per run
under a leaf, so the leaf's peak memory is the run's peak. A fresh jail runs under a slot leaf
(`slot-N`, one per concurrent run), swept after each run (cgroups a killed nsjail left behind
are removed, the page cache charged to it is dropped) so the next peak starts from zero; a warm
jail has a leaf of its own (`warm-N`) for its one run; swept, the leaf serves a later warm
jail (creating and removing memory cgroups costs CPU on every run otherwise). Groups of
processes that died are removed at start-up. Without a usable hierarchy jails fall back to
rlimits alone (and say so).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
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
CACHE_DROP_BYTES = 64 * 1024 * 1024
SWEEP_PATIENCE_S = 0.5


@dataclass(frozen=True, slots=True)
class Cgroups:
    version: int | None  # 1, 2, or None when unavailable
    group: str = ""  # this jail's group under PARENT

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
        return V1_CONTROLLERS if self.version == 1 else ("",) if self.version == 2 else ()

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
            cgroups = Cgroups(1, group)
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


def _read_number(path: Path) -> int:
    return int(path.read_text().split()[0])


def _root(controller: str) -> Path:
    return CGROUP_ROOT / controller if controller else CGROUP_ROOT


def slot_leaf(slot: int) -> str:
    return f"slot-{slot}"


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
