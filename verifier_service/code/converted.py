"""Converted assert tests (`conversion/`): the expected texts, then one checked candidate run.

The expected texts come from the host (`Conversion.expected`) or from the reference program,
run in a jail of its own with none of the program's code. Its texts depend on the tests alone,
so they are kept (LRU) and every sample of a GRPO group, and every later request with the same
tests, reuses them. A reference that does not compile, fails or misses a case is the tests'
shape fooling the converter, not the program's doing: the item then runs as before, behind
the completion guard.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
from collections import OrderedDict
from functools import partial

from verifier_service.code.conversion import Conversion, JailProgram, all_same, read_values
from verifier_service.code.harness import TestPlan, TestRun
from verifier_service.code.languages import Language
from verifier_service.code.programs import ProgramStore
from verifier_service.code.verdicts import failure_verdict
from verifier_service.sandbox import Jail, RunLimits

log = logging.getLogger(__name__)

REFERENCE_TIME_S = 10.0
REFERENCE_MEMORY_MB = 1024
REFERENCE_OUTPUT_BYTES = 16 * 1024 * 1024
CACHED_REFERENCES = 4096


class ConvertedTests:
    def __init__(self, jail: Jail, store: ProgramStore) -> None:
        self._jail = jail
        self._store = store
        self._expected: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def plan(self, language: Language, conversion: Conversion) -> TestPlan | None:
        """The candidate's one run, checked against the expected texts; None when there are
        none to be had (the caller falls back to the guarded tests)."""
        expected = conversion.expected
        if expected is None:
            assert conversion.reference is not None
            expected = self._reference(language, conversion.reference, len(conversion.cases))
        if expected is None:
            return None
        candidate = conversion.candidate
        check = partial(all_same, conversion, list(expected))
        run = TestRun(candidate.stdin, check, candidate.command)
        return TestPlan(candidate.code, candidate.files, [run])

    def _reference(
        self, language: Language, reference: JailProgram, count: int
    ) -> tuple[str, ...] | None:
        key = _key(language, reference)
        with self._lock:
            cached = self._expected.get(key)
            if cached is not None:
                self._expected.move_to_end(key)
                return cached
        texts = self._run_reference(language, reference, count)
        if texts is not None:
            with self._lock:
                self._expected[key] = texts
                while len(self._expected) > CACHED_REFERENCES:
                    self._expected.popitem(last=False)
        return texts

    def _run_reference(
        self, language: Language, reference: JailProgram, count: int
    ) -> tuple[str, ...] | None:
        limits = RunLimits(
            time_s=REFERENCE_TIME_S,
            memory_mb=REFERENCE_MEMORY_MB + language.memory_extra_mb,
            max_processes=language.processes,
            output_bytes=REFERENCE_OUTPUT_BYTES,
        )
        with contextlib.ExitStack() as in_use:
            program = in_use.enter_context(
                self._store.prepared(language, reference.code, reference.files)
            )
            if not program.compiled:
                log.info("%s reference did not compile: %s", language.name, program.message[:500])
                return None
            command = language.command(
                reference.command or language.run, program.source_name, program.main
            )
            run = self._jail.run(
                command,
                limits=limits,
                mounts=(program.mount(),),
                stdin=reference.stdin,
                environment=dict(language.env),
            )
        if failure_verdict(run, limits) is not None:
            log.info("%s reference failed: %s", language.name, run.stderr[-500:])
            return None
        texts = read_values(run.stdout, count)
        return None if texts is None else tuple(texts)


def _key(language: Language, reference: JailProgram) -> str:
    digest = hashlib.sha256(f"{language.name}\0{reference.code}\0".encode())
    for name, content in reference.files:
        digest.update(f"{name}\0{content}\0".encode())
    digest.update(repr(reference.command).encode() + b"\0" + reference.stdin)
    return digest.hexdigest()
