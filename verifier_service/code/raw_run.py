"""Run one program once with a given stdin and report the raw run: no tests, no verdict.

For callers that judge the output themselves (SandboxFusion-style `/run_code`). The program is
compiled through the same content-addressed store as judged items (so it compiles once) and
runs in the same jail, with the same limits, as a test of a judged item.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier_service.code.languages import Language, LanguageRegistry
from verifier_service.code.programs import Program, ProgramStore
from verifier_service.code.toolchains import Toolchains
from verifier_service.code.verdicts import failure_verdict
from verifier_service.metrics import Metrics
from verifier_service.sandbox import Jail, RunLimits, RunResult

OUTPUT_BYTES = 8 * 1024 * 1024


class UnsupportedLanguageError(ValueError):
    """The language is unknown here, or its toolchain is not installed; the message says which."""


@dataclass(frozen=True, slots=True)
class RawRun:
    language: Language
    program: Program  # `compiled` False: the compile step failed and nothing ran
    run: RunResult | None  # None when the program did not compile
    limits: RunLimits
    # What the run amounts to, in the judge's words (`time_limit`, `memory_limit`,
    # `output_limit`, `runtime_error`, `error` for a sandbox fault), or None when the program
    # ran to its end with exit status 0.
    failure: str | None


class RawRunner:
    def __init__(
        self,
        jail: Jail,
        registry: LanguageRegistry,
        *,
        store: ProgramStore,
        toolchains: Toolchains,
        metrics: Metrics,
    ) -> None:
        self._jail = jail
        self._registry = registry
        self._store = store
        self._toolchains = toolchains
        self._metrics = metrics

    def language(self, name: str) -> Language:
        """The language `name` (any alias) names, installed here; or UnsupportedLanguageError."""
        language = self._registry.resolve(name)
        if language is None:
            known = ", ".join(sorted(self._registry.languages))
            raise UnsupportedLanguageError(f"unknown language {name!r}; known: {known}")
        if not self._toolchains.available(language):
            raise UnsupportedLanguageError(f"{language.display} is not installed on this service")
        return language

    def run(
        self,
        language: Language,
        code: str,
        *,
        stdin: bytes,
        time_s: float,
        memory_mb: int,
        wall_s: float | None = None,
        slot_wait_s: float | None = None,
    ) -> RawRun:
        """Compile (once per distinct program) and run `code` once; `time_s` is CPU seconds,
        `wall_s` a wall-clock limit (default: twice the CPU time plus a second), `slot_wait_s`
        how long to wait for a free jail before JailsBusyError (default: as long as it takes)."""
        limits = RunLimits(
            time_s=time_s,
            memory_mb=memory_mb + language.memory_extra_mb,
            max_processes=language.processes,
            output_bytes=OUTPUT_BYTES,
            wall_limit_s=wall_s,
        )
        with self._store.prepared(language, code) as program:
            if not program.compiled:
                return RawRun(language, program, None, limits, None)
            command = language.command(language.run, program.source_name, program.main)
            run = self._jail.run(
                command,
                limits=limits,
                mounts=(program.mount(),),
                stdin=stdin,
                environment=dict(language.env),
                slot_wait_s=slot_wait_s,
            )
        failure = failure_verdict(run, limits)
        self._metrics.sandbox_runs.labels(language.name, failure or "finished").inc()
        return RawRun(language, program, run, limits, failure)
