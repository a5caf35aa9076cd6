"""The jail launcher (sandboxes/launcher/launcher.c): built once, spoken to over a pipe.

The binary is compiled with the host's C compiler into the jail's work directory, named by the
hash of its source, so a changed source is rebuilt and an unchanged one is reused.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

SOURCE = Path(__file__).resolve().parents[2] / "sandboxes" / "launcher" / "launcher.c"
IN_JAIL = "/verifier-launcher"
READY = b"R"
EXEC_FAILED = b"E"
COMPILE_TIMEOUT_S = 60


def build(directory: Path) -> Path | None:
    """The launcher binary in `directory`, compiled when missing; None when it cannot be."""
    source = SOURCE.read_bytes()
    binary = directory / f"launcher-{hashlib.sha256(source).hexdigest()[:16]}"
    if binary.exists():
        return binary
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        log.warning("no C compiler for the jail launcher: no warm jails; programs run as jail init")
        return None
    directory.mkdir(parents=True, exist_ok=True)
    partial = binary.with_suffix(f".{os.getpid()}.tmp")
    argv = [compiler, "-O2", "-Wall", "-Werror", "-o", str(partial), str(SOURCE)]
    try:
        subprocess.run(argv, check=True, capture_output=True, timeout=COMPILE_TIMEOUT_S)
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("the jail launcher does not compile (%s): no warm jails", error)
        return None
    partial.chmod(0o755)
    partial.replace(binary)
    return binary


def message(command: list[str], environment: dict[str, str], wall_s: float) -> bytes:
    """What the launcher reads: the wall limit, the environment and the argv."""
    entries = [f"W{math.ceil(wall_s) + 1}"]
    entries += [f"E{name}={value}" for name, value in environment.items()]
    entries += [f"A{argument}" for argument in command]
    if any("\0" in entry for entry in entries):
        raise ValueError("a command or environment entry holds a NUL byte")
    return b"".join(entry.encode() + b"\0" for entry in entries)
