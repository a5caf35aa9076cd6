"""cgroup limits for jails: v1 (these machines) or v2 (most clusters), detected at start-up.

Jails run in a fixed number of slots, each with its own parent cgroup
(`VERIFIER_JAIL/slot-N`): nsjail creates one cgroup per run under it, the slot's peak memory
(reset before each run) is the run's peak, and what a killed nsjail leaves behind is swept
after the run. Without a usable hierarchy the jail falls back to rlimits alone (and says so).
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

PARENT = "VERIFIER_JAIL"
CGROUP_ROOT = Path("/sys/fs/cgroup")
V1_CONTROLLERS = ("memory", "pids")
V1_PEAK = "memory.max_usage_in_bytes"
V2_PEAK = "memory.peak"


@dataclass(frozen=True, slots=True)
class Cgroups:
    version: int | None  # 1, 2, or None when unavailable

    def slot_name(self, slot: int) -> str:
        return f"{PARENT}/slot-{slot}"

    def arguments(self, memory_mb: int, max_pids: int, slot: int) -> list[str]:
        """nsjail arguments that cap one run's memory and process count."""
        memory = str(memory_mb * 1024 * 1024)
        if self.version == 1:
            arguments = ["--cgroup_mem_max", memory, "--cgroup_pids_max", str(max_pids)]
            for controller, option in (("memory", "mem"), ("pids", "pids")):
                arguments += [
                    f"--cgroup_{option}_mount", str(CGROUP_ROOT / controller),
                    f"--cgroup_{option}_parent", self.slot_name(slot),
                ]  # fmt: skip
            # A capped cgroup swaps instead of being killed unless swap is capped too.
            swap = _slot_dir("memory", self.slot_name(slot)) / "memory.memsw.limit_in_bytes"
            return [*arguments, "--cgroup_mem_swap_max", "0"] if swap.exists() else arguments
        if self.version == 2:
            return [
                "--use_cgroupv2", "--cgroupv2_mount", str(CGROUP_ROOT / self.slot_name(slot)),
                "--cgroup_mem_max", memory, "--cgroup_mem_swap_max", "0",
                "--cgroup_pids_max", str(max_pids),
            ]  # fmt: skip
        return []

    def reset_peak(self, slot: int) -> bool:
        """Start measuring a run's peak memory; False when this kernel cannot."""
        peak = self._peak_file(slot)
        if peak is None:
            return False
        try:
            peak.write_text("0")
        except OSError:
            return False
        return True

    def peak_kb(self, slot: int) -> int | None:
        peak = self._peak_file(slot)
        try:
            return int(peak.read_text().split()[0]) // 1024 if peak else None
        except (OSError, ValueError, IndexError):
            return None

    def sweep(self, slot: int) -> None:
        """Remove per-run cgroups that a killed nsjail could not remove itself."""
        controllers = V1_CONTROLLERS if self.version == 1 else ("",) if self.version else ()
        for controller in controllers:
            for child in _slot_dir(controller, self.slot_name(slot)).glob("NSJAIL*"):
                with contextlib.suppress(OSError):
                    child.rmdir()

    def _peak_file(self, slot: int) -> Path | None:
        if self.version == 1:
            return _slot_dir("memory", self.slot_name(slot)) / V1_PEAK
        if self.version == 2:
            return _slot_dir("", self.slot_name(slot)) / V2_PEAK
        return None


def detect(slots: int) -> Cgroups:
    """Make the slot cgroups nsjail needs; report which version is usable."""
    try:
        if (CGROUP_ROOT / "cgroup.controllers").exists():
            _prepare_v2(slots)
            return Cgroups(2)
        if all((CGROUP_ROOT / controller).is_dir() for controller in V1_CONTROLLERS):
            _prepare_v1(slots)
            return Cgroups(1)
    except OSError as error:
        log.warning("cgroups cannot be prepared (%s): jails are limited by rlimits only", error)
        return Cgroups(None)
    log.warning("no cgroup hierarchy found: jails are limited by rlimits only")
    return Cgroups(None)


def _slot_dir(controller: str, name: str) -> Path:
    return CGROUP_ROOT / controller / name if controller else CGROUP_ROOT / name


def _prepare_v1(slots: int) -> None:
    for controller in V1_CONTROLLERS:
        for slot in range(slots):
            os.makedirs(_slot_dir(controller, f"{PARENT}/slot-{slot}"), exist_ok=True)


def _prepare_v2(slots: int) -> None:
    parent = CGROUP_ROOT / PARENT
    parent.mkdir(exist_ok=True)
    (parent / "cgroup.subtree_control").write_text("+memory +pids")
    for slot in range(slots):
        directory = parent / f"slot-{slot}"
        directory.mkdir(exist_ok=True)
        (directory / "cgroup.subtree_control").write_text("+memory +pids")
