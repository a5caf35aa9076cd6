"""Compile once per distinct program: a content-addressed store of sources and artifacts.

Every program gets a directory `programs/<sha256>/` that only the service writes and that
jails see read-only at /box (a copy of it: `sandbox/filesystem.py`). A compile step writes
into /out, a size-capped tmpfs of its own jail, never the host's disk (`sandbox/output.py`);
the service then *reads* the declared artifacts from there (regular files only, never
following a link) and copies them into the program's directory. The host never writes into a
directory a jail could have touched. A compile runs on a compile slot, apart from test runs,
with stdin from /dev/null and output pipes it cannot reopen, and ends once it has used no CPU
for COMPILE_IDLE_S: a compile blocked for good holds no test run, nor its own slot for long.
"""

from __future__ import annotations

import contextlib
import fnmatch
import glob
import hashlib
import logging
import shutil
import tempfile
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from verifier_service.code.languages import BOX, OUT, Language
from verifier_service.sandbox import Jail, JailMount, RunLimits, RunResult
from verifier_service.sandbox.output import OutputSpace

log = logging.getLogger(__name__)

MAX_ARTIFACTS = 256
COMPILE_OUTPUT_BYTES = 1024 * 1024  # the compiler's messages
COMPILE_FILES_MB = 256  # the /out tmpfs: artifacts (a precompiled header is ~100 MiB)
COMPILE_IDLE_S = 10.0  # a compile that used no CPU this long is blocked for good
MESSAGE_CHARS = 4000
PCH = "/pch"
HEADER_OUTPUT = "header.gch"


@dataclass(frozen=True, slots=True)
class Program:
    """A program ready to run, or the reason it is not."""

    key: str
    directory: Path
    source_name: str
    compiled: bool
    message: str = ""  # the compiler's output (trimmed) when `compiled` is False
    infrastructure_error: bool = False
    main: str = ""  # what `{main}` in the run command names (Java's class holding main)
    # The compile step's own run, when there was one (raw runs report it as it happened).
    compile_exit_code: int | None = None  # -N when the compiler died of signal N
    compile_wall_s: float | None = None
    compile_timed_out: bool = False

    def mount(self) -> JailMount:
        return JailMount(self.directory, BOX)


class ProgramStore:
    def __init__(
        self,
        root: Path,
        jail: Jail,
        capacity: int = 2000,
        on_compile: Callable[[str, str], None] | None = None,
    ) -> None:
        self._programs_dir = root / "programs"
        self._headers_dir = root / "headers"
        self._checks_dir = root / "checks"
        self._headers: dict[str, Path] = {}  # language -> directory bound at /pch
        for directory in (
            root,
            self._programs_dir,
            self._headers_dir,
            self._checks_dir,
        ):
            directory.mkdir(mode=0o755, parents=True, exist_ok=True)
        self._jail = jail
        self._on_compile = on_compile or (lambda language, outcome: None)
        self._capacity = capacity
        self._programs: OrderedDict[str, Program] = OrderedDict()
        self._users: Counter[str] = Counter()  # runs using each program right now
        self._evicted_in_use: dict[str, Program] = {}  # deleted when their last run ends
        self._key_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._closing = threading.Event()

    @property
    def programs_dir(self) -> Path:
        return self._programs_dir

    @contextlib.contextmanager
    def prepared(
        self, language: Language, code: str, files: tuple[tuple[str, str], ...] = ()
    ) -> Iterator[Program]:
        """The compiled program, kept on disk until the block ends; identical programs compile
        once, even concurrently.

        `files` are written beside the source (test drivers, assert tests). A program in use is
        never deleted by eviction: its directory goes when its last user is done.
        """
        program = self._prepare(language, code, files)
        try:
            yield program
        finally:
            self._release(program.key)

    def _prepare(
        self, language: Language, code: str, files: tuple[tuple[str, str], ...]
    ) -> Program:
        source_name = language.source_name(code)
        main = language.main_name(code, source_name)
        digest = hashlib.sha256(f"{language.name}\0{source_name}\0{code}".encode())
        for name, content in files:
            digest.update(f"\0{name}\0{content}".encode())
        key = digest.hexdigest()
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                cached = self._checkout(key)
                if cached is not None:
                    return cached
            program = replace(self._build(key, language, source_name, code, files), main=main)
            with self._lock:
                self._users[key] += 1
                if not program.infrastructure_error:
                    self._programs[key] = program
                self._evict()
        return program

    def _checkout(self, key: str) -> Program | None:
        """The stored program (one evicted but still in use comes back), counted as in use."""
        program = self._programs.get(key) or self._evicted_in_use.pop(key, None)
        if program is not None:
            self._programs[key] = program
            self._programs.move_to_end(key)
            self._users[key] += 1
        return program

    def _release(self, key: str) -> None:
        with self._lock:
            self._users[key] -= 1
            if self._users[key] > 0:
                return
            del self._users[key]
            evicted = self._evicted_in_use.pop(key, None)
        if evicted is not None:
            shutil.rmtree(evicted.directory, ignore_errors=True)

    def _build(
        self,
        key: str,
        language: Language,
        source_name: str,
        code: str,
        files: tuple[tuple[str, str], ...],
    ) -> Program:
        directory = self._programs_dir / key
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(mode=0o755)
        for name, content in ((source_name, code), *files):
            path = directory / name
            path.write_text(content, encoding="utf-8")
            path.chmod(0o644)
        if language.compile is None:
            return Program(key, directory, source_name, compiled=True)
        program = self._compile(key, language, directory, source_name)
        outcome = (
            "error" if program.infrastructure_error else "ok" if program.compiled else "failed"
        )
        self._on_compile(language.name, outcome)
        return program

    def _compile(self, key: str, language: Language, directory: Path, source_name: str) -> Program:
        argv = language.command(language.compile or (), source_name)
        with self._compile_run(language, argv, (JailMount(directory, BOX),)) as (result, out):
            program = self._compiled(key, language, directory, source_name, result=result, out=out)
        exit_code = result.exit_code if result.signal is None else -result.signal
        return replace(
            program,
            compile_exit_code=exit_code,
            compile_wall_s=round(result.wall_s, 3),
            compile_timed_out=result.wall_timed_out,
        )

    def _compiled(
        self,
        key: str,
        language: Language,
        directory: Path,
        source_name: str,
        *,
        result: RunResult,
        out: OutputSpace,
    ) -> Program:
        """What the compile step's run means for the program."""
        if result.jail_log:
            return Program(key, directory, source_name, False, result.jail_log, True)
        output = (result.stderr + result.stdout).decode("utf-8", "replace")
        if result.idle_timed_out:
            message = f"the compile used no CPU for {COMPILE_IDLE_S:g} s (it waits for good)"
            return Program(key, directory, source_name, False, message)
        if result.wall_timed_out:
            return Program(key, directory, source_name, False, "compilation took too long")
        if out.full():
            message = f"the compile filled its {out.size_mb} MiB output space (/out)"
            return Program(key, directory, source_name, False, _trim(f"{message}\n{output}"))
        if result.exit_code != 0:
            return Program(key, directory, source_name, False, _trim(output))
        missing = _collect_artifacts(out, directory, language.artifacts)
        if missing:
            return Program(key, directory, source_name, False, f"no {missing} was produced")
        return Program(key, directory, source_name, compiled=True)

    @contextlib.contextmanager
    def check_files(self, stdin: bytes, expected: bytes, actual: bytes) -> Iterator[Path]:
        """A fresh service-written directory of a checker's three files, removed afterwards."""
        directory = Path(tempfile.mkdtemp(dir=self._checks_dir))
        try:
            directory.chmod(0o755)
            for name, content in (("input", stdin), ("expected", expected), ("actual", actual)):
                path = directory / name
                path.write_bytes(content)
                path.chmod(0o644)
            yield directory
        finally:
            shutil.rmtree(directory, ignore_errors=True)

    def precompiled_languages(self) -> list[str]:
        """Languages whose precompiled header is ready (compiles use it from then on)."""
        return sorted(self._headers)

    def close(self) -> None:
        """The service is closing: a header build in progress stops and writes nothing more."""
        self._closing.set()

    def build_precompiled_headers(self, languages: list[Language]) -> None:
        """Compile each declared header once, in the jail; compiles use it once it exists. A
        build cut short by the service closing (a short `verify` run) is no failure."""
        for language in languages:
            spec = language.precompiled_header
            headers = sorted(glob.glob(spec.header)) if spec else []
            if spec is None or not headers:
                continue
            if self._closing.is_set():
                return
            argv = [part.format(header=headers[-1]) for part in spec.compile]
            target = self._headers_dir / language.name / spec.name
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
            with self._compile_run(language, argv, ()) as (result, out):
                made = result.exit_code == 0 and not self._closing.is_set()
                made = made and self._keep_header(out, target)
            if self._closing.is_set():
                return
            if made:
                target.chmod(0o644)
                self._headers[language.name] = self._headers_dir / language.name
            else:
                log.warning("precompiling %s failed: %s", spec.header, result.stderr[-500:])

    @staticmethod
    def _keep_header(out: OutputSpace, target: Path) -> bool:
        """Copy the header out; False when it cannot be (the service closing under the build
        removes the directory: compiles then go on without the header, as before it)."""
        try:
            return out.copy_regular(HEADER_OUTPUT, target)
        except OSError as error:
            log.info("precompiled header not kept: %s", error)
            return False

    def _compile_run(
        self, language: Language, argv: list[str], mounts: tuple[JailMount, ...]
    ) -> contextlib.AbstractContextManager[tuple[RunResult, OutputSpace]]:
        """The compile's run and its /out, readable until the block ends. The precompiled
        header is bound, not copied into the jail like the source: it is large."""
        header = self._headers.get(language.name)
        extra = (JailMount(header, PCH, bound=True),) if header else ()
        return self._jail.compile(
            argv,
            limits=RunLimits(
                time_s=language.compile_time_s,
                memory_mb=language.compile_memory_mb,
                max_processes=max(language.processes, 64),
                output_bytes=COMPILE_OUTPUT_BYTES,
                tmpfs_mb=512,
                file_size_mb=512,
                idle_s=COMPILE_IDLE_S,
            ),
            mounts=(*mounts, *extra),
            output=(OUT, COMPILE_FILES_MB),
            environment=dict(language.env),
        )

    def _evict(self) -> None:
        while len(self._programs) > self._capacity:
            key, program = self._programs.popitem(last=False)
            if self._users[key] > 0:
                self._evicted_in_use[key] = program
                continue
            self._users.pop(key, None)
            self._key_locks.pop(key, None)
            shutil.rmtree(program.directory, ignore_errors=True)


def _collect_artifacts(
    out: OutputSpace, destination: Path, patterns: tuple[str, ...]
) -> str | None:
    """Copy what the compiler left in `out`; the first pattern that matched nothing, if any."""
    names = out.names()
    copied = 0
    for pattern in patterns:
        matches = fnmatch.filter(names, pattern)
        if not matches:
            return pattern
        for name in matches:
            if copied >= MAX_ARTIFACTS:
                return f"more than {MAX_ARTIFACTS} artifacts"
            if out.copy_regular(name, destination / name):
                copied += 1
    return None


def _trim(message: str) -> str:
    message = message.strip()
    if len(message) <= MESSAGE_CHARS:
        return message
    return message[:MESSAGE_CHARS] + f"\n... ({len(message) - MESSAGE_CHARS} more characters)"
