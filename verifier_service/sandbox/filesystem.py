"""A jail's file system, and what it shows of the host: its own paths only, in
/proc/self/mountinfo and in /proc.

The root holds read-only binds of the /usr subtrees toolchains use (/usr/bin, lib, lib64,
include, share: not /usr/local, /usr/src or /usr/etc, which hold the host's own installs and
configuration) with the merged-usr links, the toolchain paths languages declare, a few device
nodes, a private size-capped tmpfs /tmp, procfs, and the mounts of the run.

A bind mount's root field in mountinfo is the source's path within its file system, so binding
a directory of the service (the program store, a warm jail's stage) or the launcher names a host
path inside every jail. Instead:

- a run whose mounts are all read-only gets, at each target, a tmpfs of its own, owned by root
  with mode 0755 (the program, uid 65534 without capabilities, can read it but change nothing
  in it), which the service fills through the jail's init (/proc/PID/root) before the program
  is released; the root field is then `/`. Still bound: a mount marked `bound` (a compile's
  precompiled header, too large to copy for every compile) and the mounts of a run with a
  writable mount (none of the service's: a compile writes to a tmpfs of its own, `output.py`);
- the launcher runs from a sealed, read-only memfd that nsjail opens before it sets up the
  jail (`--execute_fd`): nothing is bound for it, and /proc/1/exe reads `/memfd:...`;
- procfs is mounted by the jail itself (read-only superblock), with /dev/null bound over the
  files that describe the host's kernel and hardware rather than the jail (kernel config and
  command line, symbols, modules, devices, disks, interrupts, host-wide locks and keys).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from verifier_service.sandbox.limits import JailMount

MERGED_USR_LINKS = ("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32")
# The parts of /usr toolchains use (not /usr/local, /usr/src, /usr/etc, /usr/sbin): a
# language that needs more declares it in its `paths`.
SYSTEM_READ_ONLY = (
    "/usr/bin", "/usr/lib", "/usr/lib64", "/usr/include", "/usr/share",
    "/etc/alternatives", "/etc/ld.so.cache",
)  # fmt: skip
DEVICES_WRITABLE = ("/dev/null",)
DEVICES_READ_ONLY = ("/dev/zero", "/dev/urandom", "/dev/random")
# /dev/stdin and friends: programs read "/dev/stdin" and shells use /dev/fd.
STANDARD_STREAM_LINKS = (
    ("/proc/self/fd", "/dev/fd"),
    ("/proc/self/fd/0", "/dev/stdin"),
    ("/proc/self/fd/1", "/dev/stdout"),
    ("/proc/self/fd/2", "/dev/stderr"),
)
MIB = 1024 * 1024
STAGE_TMPFS_MB = 1024  # a cap only: a tmpfs holds what was written to it
STAGE_OPTIONS = f"size={STAGE_TMPFS_MB * MIB},mode=0755,uid=0,gid=0"
MFD_EXEC = 0x10  # kernels that know it refuse to execute a memfd created without it
SEALS = fcntl.F_SEAL_WRITE | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SEAL
HOST_PROC_FILES = (
    "config.gz", "cmdline", "bootconfig", "kallsyms", "modules", "iomem", "ioports",
    "interrupts", "softirqs", "devices", "diskstats", "partitions", "swaps", "consoles",
    "crypto", "buddyinfo", "zoneinfo", "dma", "misc", "mtrr", "locks", "keys", "key-users",
    "sys/kernel/random/boot_id",
)  # fmt: skip


def arguments(
    tmpfs_mb: int, toolchain_paths: tuple[str, ...], mounts: tuple[JailMount, ...], work_dir: str
) -> list[str]:
    """nsjail's mount arguments: system binds, /tmp, the run's binds, then procfs."""
    argv: list[str] = []
    for link in MERGED_USR_LINKS:
        if os.path.islink(link):
            argv += ["--symlink", f"{os.readlink(link)}:{link}"]
        elif os.path.isdir(link):
            argv += ["--bindmount_ro", link]
    for path in (*SYSTEM_READ_ONLY, *toolchain_paths, *DEVICES_READ_ONLY):
        if os.path.exists(path.partition(":")[0]):  # SOURCE or SOURCE:TARGET
            argv += ["--bindmount_ro", path]
    for target, link in STANDARD_STREAM_LINKS:
        argv += ["--symlink", f"{target}:{link}"]
    for device in DEVICES_WRITABLE:
        argv += ["--bindmount", device]
    argv += ["--mount", f"none:{work_dir}:tmpfs:size={tmpfs_mb * MIB}"]
    for mount in mounts:
        option = "--bindmount" if mount.writable else "--bindmount_ro"
        argv += [option, f"{mount.source}:{mount.target}"]
    return [*argv, *proc_arguments()]


def staged(mounts: tuple[JailMount, ...]) -> tuple[JailMount, ...]:
    """The mounts copied into a tmpfs of their own (`fill`): the read-only ones not marked
    `bound`, when the run has no writable mount (nsjail binds all of such a run's mounts)."""
    if any(mount.writable for mount in mounts):
        return ()
    return tuple(mount for mount in mounts if not mount.bound)


def tmpfs_arguments(targets: tuple[str, ...]) -> list[str]:
    """nsjail arguments for an empty root-owned tmpfs at each target, filled by `fill`."""
    return [argument for target in targets for argument in ("--mount", _tmpfs(target))]


def _tmpfs(target: str) -> str:
    return f"none:{target}:tmpfs:{STAGE_OPTIONS}"


def fill(nsjail_pid: int, mounts: tuple[JailMount, ...]) -> None:
    """Copy each mount's files into its tmpfs in the jail, before anything untrusted ran
    there (raises OSError)."""
    root = init_root(nsjail_pid)
    for mount in mounts:
        _copy_tree(mount.source, root / mount.target.lstrip("/"))


def fill_failure(nsjail_pid: int, mounts: tuple[JailMount, ...]) -> str | None:
    """`fill`, for a fresh jail: None, or why a source could not be copied (like a bind nsjail
    cannot make, a sandbox fault, never a verdict)."""
    try:
        fill(nsjail_pid, mounts)
    except OSError as error:
        return f"cannot stage the run's mounts: {error}"
    return None


def _copy_tree(source: Path, target: Path) -> None:
    """Copy `source` into the existing directory `target`: root-owned, readable, writable by
    no one else (the tmpfs is not a read-only mount, so the modes are what protects it);
    symlinks are recreated as they are, never followed; other special files are left out."""
    with os.scandir(source) as entries:
        for entry in entries:
            destination = target / entry.name
            if entry.is_symlink():
                os.symlink(os.readlink(entry.path), destination)
            elif entry.is_dir(follow_symlinks=False):
                destination.mkdir()
                os.chmod(destination, 0o755)  # whatever the service's umask
                _copy_tree(Path(entry.path), destination)
            elif entry.is_file(follow_symlinks=False):
                shutil.copyfile(entry.path, destination, follow_symlinks=False)
                mode = stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode)
                os.chmod(destination, (mode & 0o555) | 0o444)


def init_root(nsjail_pid: int) -> Path:
    """The root of the jail started by nsjail (its only child, the waiting launcher)."""
    children = Path(f"/proc/{nsjail_pid}/task/{nsjail_pid}/children").read_text().split()
    if len(children) != 1:
        raise OSError(f"nsjail {nsjail_pid} has {len(children)} children, not its launcher")
    return Path(f"/proc/{children[0]}/root")


def proc_arguments() -> list[str]:
    """procfs mounted read-only by the jail itself, then /dev/null over the host's files
    (only those this kernel has: nsjail cannot create a mount point in procfs)."""
    argv = ["--disable_proc", "--mount", "none:/proc:proc:ro"]
    for name in HOST_PROC_FILES:
        if os.path.isfile(f"/proc/{name}"):
            argv += ["--bindmount_ro", f"/dev/null:/proc/{name}"]
    return argv


def sealed_executable(binary: Path | None, name: str) -> int | None:
    """A read-only descriptor of a sealed memfd copy of `binary` (no one, the jails included,
    can change it); None without a binary or where this kernel offers no memfd."""
    if binary is None:
        return None
    try:
        writable = _memfd(name)
    except OSError:
        return None
    try:
        data = memoryview(binary.read_bytes())
        while data:
            data = data[os.write(writable, data) :]
        fcntl.fcntl(writable, fcntl.F_ADD_SEALS, SEALS)
        return os.open(f"/proc/self/fd/{writable}", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    finally:
        os.close(writable)


def _memfd(name: str) -> int:
    flags = os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING
    try:
        return os.memfd_create(name, flags | MFD_EXEC)
    except OSError:
        return os.memfd_create(name, flags)


def close(descriptor: int | None) -> None:
    if descriptor is not None:
        with contextlib.suppress(OSError):
            os.close(descriptor)
