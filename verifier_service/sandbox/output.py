"""A compile's output: a size-capped tmpfs of the jail's own, read after the jail is gone.

A compile writes its artifacts (and whatever compile-time code writes: Nim's `staticExec`,
Template Haskell, a huge object file) into this tmpfs, never onto the host's disk, and never
more than its size. nsjail mounts it, owned by the jail's user; the service opens its root
through the jail's init before the compiler is released (nothing untrusted ran yet, so it is
the tmpfs nsjail mounted). That descriptor keeps the tmpfs alive once the jail exits and its
mount namespace goes (as a lazy unmount would), so the service reads the artifacts after every
process of the compile is dead, and closing it frees the memory. The tmpfs's pages are charged
to the compile's memory cgroup like any other memory of the compile.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from pathlib import Path

from verifier_service.sandbox import filesystem

MIB = 1024 * 1024
FULL_BYTES = MIB  # less room than this left: the compile filled its output


class OutputSpace:
    """One compile's output tmpfs at `target`: nsjail's arguments, then its descriptor."""

    def __init__(self, target: str, size_mb: int, owner: tuple[int, int]) -> None:
        self.target = target
        self.size_mb = size_mb
        self._owner = owner
        self._descriptor: int | None = None

    def arguments(self) -> list[str]:
        uid, gid = self._owner
        options = f"size={self.size_mb * MIB},mode=0700,uid={uid},gid={gid}"
        return ["--mount", f"none:{self.target}:tmpfs:{options}"]

    def open_in(self, nsjail_pid: int) -> str | None:
        """Open the tmpfs in the jail nsjail started, before its program runs: None, or why it
        cannot be (a sandbox fault)."""
        try:
            path = filesystem.init_root(nsjail_pid) / self.target.lstrip("/")
            flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
            self._descriptor = os.open(path, flags)
        except OSError as error:
            return f"cannot open the compile's output directory: {error}"
        return None

    def names(self) -> list[str]:
        """The names at the top of the output, sorted ([] when it was never opened)."""
        if self._descriptor is None:
            return []
        with os.scandir(self._descriptor) as entries:
            return sorted(entry.name for entry in entries)

    def full(self) -> bool:
        """Whether the compile left (almost) no room: it wrote as much as it may."""
        if self._descriptor is None:
            return False
        info = os.fstatvfs(self._descriptor)
        return info.f_bavail * info.f_frsize < FULL_BYTES

    def copy_regular(self, name: str, target: Path) -> bool:
        """Copy one regular file of the output to `target` (mode 0755) without following a
        link; anything else the jail left there is ignored."""
        if self._descriptor is None:
            return False
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            descriptor = os.open(name, flags, dir_fd=self._descriptor)
        except OSError:
            return False
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return False
            with open(target, "wb") as copy:
                shutil.copyfileobj(handle, copy, MIB)
        target.chmod(0o755)
        return True

    def close(self) -> None:
        """Free the tmpfs (its last reference once the jail is gone)."""
        if self._descriptor is not None:
            with contextlib.suppress(OSError):
                os.close(self._descriptor)
            self._descriptor = None
