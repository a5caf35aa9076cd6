"""Judge one code item: language, program, compile once, tests in parallel, verdicts, reward."""

from __future__ import annotations

import contextlib
import time
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial

from verifier_service.code.conversion import Conversion
from verifier_service.code.converted import ConvertedTests
from verifier_service.code.extract import extract_program
from verifier_service.code.harness import (
    CheckerFailedError,
    ExternalChecker,
    Refusal,
    TestPlan,
    TestRun,
    plan_tests,
)
from verifier_service.code.languages import Language, LanguageRegistry
from verifier_service.code.programs import Program, ProgramStore
from verifier_service.code.toolchains import Toolchains
from verifier_service.code.verdicts import failure_verdict, test_result
from verifier_service.metrics import Metrics
from verifier_service.sandbox import Jail, JailMount, RunLimits, RunResult
from verifier_service.schemas.requests import CheckerProgram, CodeItem, StdioTests
from verifier_service.schemas.results import CodeResult, TestResult

ACCEPTED = "accepted"
CHECK = "/check"
CHECKER_LIMITS = RunLimits(time_s=10, memory_mb=1024, max_processes=64)
MESSAGE_CHARS = 1000


class CodeJudge:
    def __init__(
        self,
        jail: Jail,
        registry: LanguageRegistry,
        *,
        store: ProgramStore,
        toolchains: Toolchains,
        parallelism: int,
        metrics: Metrics,
        convert_asserts: bool = True,
    ) -> None:
        self._metrics = metrics
        self._converted = ConvertedTests(jail, store) if convert_asserts else None
        self._jail = jail
        self._registry = registry
        self._store = store
        self._toolchains = toolchains
        # As many test threads as jail slots: more would contend for the slots, and a
        # thread that keeps losing that race starves its whole request.
        self._tests = ThreadPoolExecutor(max_workers=parallelism, thread_name_prefix="test")

    def close(self) -> None:
        self._tests.shutdown(wait=False, cancel_futures=True)

    def judge(self, item: CodeItem) -> CodeResult:
        started = time.perf_counter()
        result = self._judge(item)
        result.elapsed_ms = round((time.perf_counter() - started) * 1000, 3)
        return result

    def _judge(self, item: CodeItem) -> CodeResult:
        requested = self._registry.resolve(item.language) if item.language else None
        if item.language and requested is None:
            return _result(item, "unsupported_language", f"unknown language {item.language!r}")
        block = extract_program(item.response, requested.aliases if requested else None)
        if block is None:
            return _result(item, "no_code", "no program found in the response")
        language = requested or self._registry.resolve(block.tag)
        if language is None:
            reason = f"fence tag {block.tag!r} names no supported language; set `language`"
            return _result(item, "unsupported_language", reason)
        if not self._toolchains.available(language):
            reason = f"{language.display} is not installed on this service"
            return _result(item, "unsupported_language", reason, language)
        with contextlib.ExitStack() as in_use:
            external = self._checker(item, in_use)
            if isinstance(external, str):
                return _result(item, "error", external, language)
            runs = self._plan(item, language, block.code, external)
            if isinstance(runs, Refusal):
                return _result(item, "compile_error", runs, language)
            if isinstance(runs, str):
                return _result(item, "error", runs, language)
            program = in_use.enter_context(self._store.prepared(language, runs.code, runs.files))
            if not program.compiled:
                verdict = "error" if program.infrastructure_error else "compile_error"
                return _result(item, verdict, program.message, language)
            tests = self._run_tests(item, language, program, runs.tests)
        return _scored(item, language, tests, len(runs.tests))

    def _plan(
        self, item: CodeItem, language: Language, code: str, external: ExternalChecker | None
    ) -> TestPlan | str:
        """The item's runs; converted assert tests when they convert and their expected values
        could be had, else the runs as planned without conversion."""
        runs = plan_tests(item, language, code, external, convert=self._converted is not None)
        if isinstance(runs, Conversion):
            assert self._converted is not None
            converted = self._converted.plan(language, runs)
            self._metrics.assert_conversions.labels(
                language.name, "converted" if converted else "fallback"
            ).inc()
            if converted is not None:
                return converted
            runs = plan_tests(item, language, code, external)
        assert not isinstance(runs, Conversion)  # only planned with `convert`
        return runs

    def _checker(
        self, item: CodeItem, in_use: contextlib.ExitStack
    ) -> ExternalChecker | str | None:
        """The item's checker program compiled (once) and kept while `in_use` lasts, or why it
        cannot be used."""
        tests = item.tests
        if not isinstance(tests, StdioTests) or not isinstance(tests.checker, CheckerProgram):
            return None
        language = self._registry.resolve(tests.checker.language)
        if language is None or not self._toolchains.available(language):
            return f"the checker's language {tests.checker.language!r} is not available"
        program = in_use.enter_context(self._store.prepared(language, tests.checker.source))
        if not program.compiled:
            return f"the checker program does not compile: {program.message}"
        return partial(self._run_checker, language, program)

    def _run_checker(
        self, language: Language, checker: Program, stdin: bytes, expected: bytes, actual: bytes
    ) -> bool:
        """testlib's convention: exit 0 accepts, 1 or 2 rejects, anything else is a failure.

        A checker that fails on the program's output but accepts the expected output in its
        place was broken by that output: a wrong answer (the program's doing, reward 0). One
        that cannot judge the expected output either is at fault itself (`error`).
        """
        accepted, failure = self._check(language, checker, stdin, expected, actual)
        if accepted is not None:
            return accepted
        if actual != expected and self._check(language, checker, stdin, expected, expected)[0]:
            return False
        raise CheckerFailedError(failure)

    def _check(
        self, language: Language, checker: Program, stdin: bytes, expected: bytes, actual: bytes
    ) -> tuple[bool | None, str]:
        """One checker run: accepted or not, or None and why it failed.

        The three files are written by the service into a fresh directory that the checker
        sees read-only at /check.
        """
        with self._store.check_files(stdin, expected, actual) as directory:
            command = language.command(language.run, checker.source_name, checker.main)
            run = self._jail.run(
                [*command, f"{CHECK}/input", f"{CHECK}/expected", f"{CHECK}/actual"],
                limits=CHECKER_LIMITS,
                mounts=(checker.mount(), JailMount(directory, CHECK)),
                environment=dict(language.env),
            )
        if run.exit_code in (0, 1, 2) and not run.jail_log and not run.wall_timed_out:
            return run.exit_code == 0, ""
        reason = run.jail_log or run.stderr.decode("utf-8", "replace")[-300:]
        return None, f"the checker failed (exit {run.exit_code}): {reason}"

    def _run_tests(
        self, item: CodeItem, language: Language, program: Program, tests: list[TestRun]
    ) -> list[TestResult]:
        limits = RunLimits(
            time_s=item.limits.time_s,
            memory_mb=item.limits.memory_mb + language.memory_extra_mb,
            max_processes=language.processes,
            output_bytes=int(item.limits.output_mb * 1024 * 1024),
        )
        futures = [
            self._tests.submit(self._run_one, language, program, test, limits) for test in tests
        ]
        results: list[TestResult] = []
        for future in futures:
            if item.early_stop and results and results[-1].verdict != ACCEPTED:
                _cancel(futures)
                break
            results.append(future.result())
        return results

    def _run_one(
        self, language: Language, program: Program, test: TestRun, limits: RunLimits
    ) -> TestResult:
        command = language.command(test.command or language.run, program.source_name, program.main)
        run = self._jail.run(
            command,
            limits=limits,
            mounts=(program.mount(),),
            stdin=test.stdin,
            environment=dict(language.env),
        )
        try:
            verdict = _verdict(run, limits, test)
        except CheckerFailedError as error:
            self._metrics.sandbox_runs.labels(language.name, "error").inc()
            failed = test_result("error", run)
            return failed.model_copy(update={"message": str(error)[:MESSAGE_CHARS]})
        self._metrics.sandbox_runs.labels(language.name, verdict).inc()
        return test_result(verdict, run)


def _verdict(run: RunResult, limits: RunLimits, test: TestRun) -> str:
    failed = failure_verdict(run, limits)
    if failed is not None:
        return failed
    return ACCEPTED if test.check(run.stdout) else "wrong_answer"


def _cancel(futures: list[Future[TestResult]]) -> None:
    for future in futures:
        future.cancel()


def _scored(item: CodeItem, language: Language, tests: list[TestResult], total: int) -> CodeResult:
    failed = next((t for t in tests if t.verdict != ACCEPTED), None)
    if failed is not None and failed.verdict == "error":
        return _result(item, "error", failed.message or "the sandbox failed", language, tests)
    passed = sum(t.verdict == ACCEPTED for t in tests)
    reward = passed / total if item.scoring == "fraction" else float(failed is None)
    verdict = failed.verdict if failed else ACCEPTED
    reason = f"{passed}/{total} tests passed"
    return CodeResult(
        id=item.id,
        reward=reward,
        verdict=verdict,
        reason=reason,
        language=language.name,
        tests=tests,
        elapsed_ms=0.0,
    )


def _result(
    item: CodeItem,
    verdict: str,
    reason: str,
    language: Language | None = None,
    tests: list[TestResult] | None = None,
) -> CodeResult:
    return CodeResult(
        id=item.id,
        reward=None if verdict == "error" else 0.0,
        verdict=verdict,
        reason=reason,
        language=language.name if language else None,
        tests=tests or [],
        elapsed_ms=0.0,
    )
