"""cgroup limits for jails: v1 (these machines) or v2 (most clusters), detected at start-up.

Each Jail owns a group `VERIFIER_JAIL/<pid>-<id>` of slots, one per concurrent run
(`.../slot-N`): nsjail creates one cgroup per run under its slot, the slot's peak memory is
the run's peak, and after the run the slot is swept (cgroups a killed nsjail left behind are
removed, the page cache charged to it is dropped) so the next peak starts from zero. Groups of
processes that died are removed at start-up. Without a usable hierarchy jails fall back to
rlimits alone (and say so).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
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


@dataclass(frozen=True, slots=True)
class Cgroups:
    version: int | None  # 1, 2, or None when unavailable
    group: str = ""  # this jail's group under PARENT

    def slot_name(self, slot: int) -> str:
        return f"{PARENT}/{self.group}/slot-{slot}"

    def arguments(self, memory_mb: int, max_pids: int, slot: int) -> list[str]:
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
                    f"--cgroup_{option}_parent", self.slot_name(slot),
                ]  # fmt: skip
            # A capped cgroup swaps instead of being killed unless swap is capped too.
            swap = self._directory("memory", slot) / "memory.memsw.limit_in_bytes"
            return [*caps, "--cgroup_mem_swap_max", "0"] if swap.exists() else caps
        if self.version == 2:
            mount = ["--use_cgroupv2", "--cgroupv2_mount", str(CGROUP_ROOT / self.slot_name(slot))]
            return [*mount, *caps, "--cgroup_mem_swap_max", "0"]
        return []

    def reset_peak(self, slot: int) -> int | None:
        """Start measuring a run's peak memory: the slot's current charge (page cache earlier
        runs left), which the peak includes; None when this kernel cannot measure."""
        peak, usage = self._peak_file(slot), self._usage_file(slot)
        if peak is None or usage is None:
            return None
        try:
            peak.write_text("0")
            return _read_number(usage)
        except (OSError, ValueError, IndexError):
            return None

    def peak_kb(self, slot: int, baseline: int) -> int | None:
        peak = self._peak_file(slot)
        try:
            return max(0, _read_number(peak) - baseline) // 1024 if peak else None
        except (OSError, ValueError, IndexError):
            return None

    def sweep(self, slot: int) -> None:
        """Remove per-run cgroups a killed nsjail left behind; drop the slot's page cache once
        it grows large (dropping it every run would cost ~15 ms)."""
        for controller in self._controllers():
            _remove_children(self._directory(controller, slot))
        usage = self._usage_file(slot)
        if self.version != 1 or usage is None:
            return
        with contextlib.suppress(OSError, ValueError, IndexError):
            if _read_number(usage) > CACHE_DROP_BYTES:
                (self._directory("memory", slot) / "memory.force_empty").write_text("0")

    def release(self, slots: int) -> None:
        """Remove this jail's group (at service shutdown)."""
        for controller in self._controllers():
            for slot in range(slots):
                directory = self._directory(controller, slot)
                _remove_children(directory)
                with contextlib.suppress(OSError):
                    directory.rmdir()
            with contextlib.suppress(OSError):
                (_root(controller) / PARENT / self.group).rmdir()

    def _controllers(self) -> tuple[str, ...]:
        return V1_CONTROLLERS if self.version == 1 else ("",) if self.version == 2 else ()

    def _directory(self, controller: str, slot: int) -> Path:
        return _root(controller) / self.slot_name(slot)

    def _usage_file(self, slot: int) -> Path | None:
        if self.version == 1:
            return self._directory("memory", slot) / "memory.usage_in_bytes"
        if self.version == 2:
            return self._directory("", slot) / "memory.current"
        return None

    def _peak_file(self, slot: int) -> Path | None:
        if self.version == 1:
            return self._directory("memory", slot) / V1_PEAK
        if self.version == 2:
            return self._directory("", slot) / V2_PEAK
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
        _make_slots(cgroups, slots)
    except OSError as error:
        log.warning("cgroups cannot be prepared (%s): jails are limited by rlimits only", error)
        return Cgroups(None)
    return cgroups


def _read_number(path: Path) -> int:
    return int(path.read_text().split()[0])


def _root(controller: str) -> Path:
    return CGROUP_ROOT / controller if controller else CGROUP_ROOT


def _make_slots(cgroups: Cgroups, slots: int) -> None:
    for controller in cgroups._controllers():
        for slot in range(slots):
            directory = cgroups._directory(controller, slot)
            directory.mkdir(parents=True, exist_ok=True)
            if cgroups.version == 2:
                for level in (directory.parent.parent, directory.parent, directory):
                    (level / "cgroup.subtree_control").write_text("+memory +pids +cpu")


def _remove_stale_groups(cgroups: Cgroups) -> None:
    """Groups of service processes that no longer exist (killed without a shutdown)."""
    for controller in cgroups._controllers():
        for group in (_root(controller) / PARENT).glob("*-*"):
            pid = group.name.split("-", 1)[0]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                for slot in group.glob("slot-*"):
                    _remove_children(slot)
                    with contextlib.suppress(OSError):
                        slot.rmdir()
                with contextlib.suppress(OSError):
                    group.rmdir()


def _remove_children(directory: Path) -> None:
    for child in directory.glob("NSJAIL*"):
        with contextlib.suppress(OSError):
            child.rmdir()
