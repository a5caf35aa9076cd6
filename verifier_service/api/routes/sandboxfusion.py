"""POST /run_code: SandboxFusion's run-one-program API, on this service's jail.

What verl's `sandbox_fusion` code reward calls once per test case: run the program with the
given stdin and answer what happened; the caller compares the output itself. Differences from
SandboxFusion are deliberate and documented in docs/trainer_routes.md: saturation answers 504
(verl retries a 504; the native API's 429 it would not), an unknown language is a 422 naming
`language`, and queue mode (no local jail) answers 501.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.exceptions import RequestValidationError

from verifier_service.admission import SaturatedError
from verifier_service.api.deps import Authorized, ServiceDep
from verifier_service.api.threads import ScoringThreadsDep
from verifier_service.code.raw_run import RawRun, RawRunner, UnsupportedLanguageError
from verifier_service.code.runtime import CodeRuntime
from verifier_service.sandbox import JailsBusyError
from verifier_service.schemas.sandboxfusion import (
    CommandRunResult,
    CommandRunStatus,
    RunCodeRequest,
    RunCodeResponse,
    RunStatus,
)

router = APIRouter(tags=["trainer compatibility"], dependencies=[Authorized])

ERRORS: dict[int | str, dict[str, str]] = {
    401: {"description": "VERIFIER_API_TOKEN is set and the bearer token is missing or wrong."},
    413: {"description": "The body is larger than VERIFIER_MAX_BODY_BYTES."},
    422: {"description": "The body does not match (or the language is not supported here)."},
    501: {"description": "Queue mode: programs run on the workers, not behind this API."},
    503: {"description": "Code execution is unavailable on this service (no sandbox)."},
    504: {"description": "Saturated: retry after `Retry-After` seconds (verl retries a 504)."},
}
# verl's request timeout is compile_timeout + run_timeout + CLIENT_SLACK_S (sandbox_fusion utils).
CLIENT_SLACK_S = 10.0
SLOT_WAIT_MARGIN_S = 5.0  # left for the compile of a program not yet cached, and the reply
MIN_SLOT_WAIT_S = 1.0
MAX_COMPILE_WAIT_S = 60.0
# SandboxFusion modes that run a test framework rather than one program.
TEST_MODES = frozenset({"pytest", "junit", "jest", "go_test", "d_ut", "kotlin_script"})
LIMIT_MESSAGES = {
    "memory_limit": "the program exceeded its memory limit",
    "output_limit": "the program exceeded the output limit",
    "runtime_error": "the program ended with an error",
    "time_limit": "the program exceeded its time limit",
}


def runner_of(service: object) -> RawRunner:
    runtime = getattr(service, "code", None)
    if not isinstance(runtime, CodeRuntime):
        raise HTTPException(
            501,
            detail="POST /run_code needs a local sandbox: this API runs in queue mode, where "
            "programs run on the workers; send code items to POST /v1/verify instead",
        )
    if runtime.runner is None:
        raise HTTPException(
            503, detail=f"code execution is unavailable: {runtime.unavailable_reason}"
        )
    return runtime.runner


def execute(runner: RawRunner, request: RunCodeRequest) -> RunCodeResponse:
    """Resolve the language, compile and run once (blocking: call it in a thread)."""
    name = request.language.strip()
    try:
        if name.lower() in TEST_MODES:
            raise UnsupportedLanguageError(
                f"SandboxFusion's test-runner mode {name!r} is not supported; run one program "
                "(python, cpp, java, ...) or use POST /v1/verify with assert tests"
            )
        language = runner.language(name)
    except UnsupportedLanguageError as error:
        raise RequestValidationError(
            [{"loc": ("body", "language"), "msg": str(error), "type": "value_error"}]
        ) from error
    raw = runner.run(
        language,
        request.code,
        stdin=(request.stdin or "").encode("utf-8"),
        time_s=request.run_seconds,
        memory_mb=request.memory_mb,
        wall_s=request.run_seconds,  # SandboxFusion's run_timeout is wall-clock time
        slot_wait_s=slot_wait(request),
    )
    return to_response(raw)


def slot_wait(request: RunCodeRequest) -> float:
    """How long a request may wait for a free jail: verl's client gives up after
    `compile_timeout + run_timeout + 10` s and retries only a 504, so the wait leaves room for
    the compile and the run within that and the 504 comes while the client still listens."""
    compile_budget = min(max(request.compile_timeout, 0.0), MAX_COMPILE_WAIT_S)
    return max(MIN_SLOT_WAIT_S, compile_budget + CLIENT_SLACK_S - SLOT_WAIT_MARGIN_S)


def to_response(raw: RawRun) -> RunCodeResponse:
    """A raw run in SandboxFusion's terms."""
    program = raw.program
    compile_result = None
    if raw.language.compile is not None:
        compile_result = _compile_result(raw)
    if not program.compiled:
        assert compile_result is not None
        if program.infrastructure_error:
            return RunCodeResponse(
                status="SandboxError", message=program.message, compile_result=compile_result
            )
        return RunCodeResponse(
            status="Failed", message="compilation failed", compile_result=compile_result
        )
    run = raw.run
    assert run is not None
    # SandboxFusion reports no return code for a run it stopped at its time limit.
    return_code = run.exit_code if run.signal is None else -run.signal
    if raw.failure == "time_limit":
        return_code = None
    status: RunStatus
    run_status: CommandRunStatus
    if raw.failure == "error":
        status, message, run_status = "SandboxError", run.jail_log or "the sandbox failed", "Error"
    elif raw.failure == "time_limit":
        status, message, run_status = "Failed", LIMIT_MESSAGES["time_limit"], "TimeLimitExceeded"
    elif raw.failure is not None:
        status, message, run_status = "Failed", LIMIT_MESSAGES[raw.failure], "Finished"
    else:
        status, message, run_status = "Success", "", "Finished"
    return RunCodeResponse(
        status=status,
        message=message,
        compile_result=compile_result,
        run_result=CommandRunResult(
            status=run_status,
            execution_time=round(run.wall_s, 4),
            return_code=return_code,
            stdout=run.stdout.decode("utf-8", "replace"),
            stderr=run.stderr.decode("utf-8", "replace"),
        ),
    )


def _compile_result(raw: RawRun) -> CommandRunResult:
    program = raw.program
    if program.infrastructure_error:
        return CommandRunResult(status="Error", stderr=program.message)
    status: CommandRunStatus = "TimeLimitExceeded" if program.compile_timed_out else "Finished"
    return_code = program.compile_exit_code
    if not program.compiled and not program.compile_timed_out and not return_code:
        return_code = 1  # the compiler exited 0 but produced no program: still a failure
    return CommandRunResult(
        status=status,
        execution_time=program.compile_wall_s,
        return_code=return_code,
        stdout="",
        stderr=program.message,
    )


@router.post("/run_code", response_model=RunCodeResponse, responses=ERRORS)
async def run_code(
    request: RunCodeRequest, service: ServiceDep, threads: ScoringThreadsDep
) -> RunCodeResponse:
    """SandboxFusion `/run_code`: compile and run one program once with `stdin`."""
    runner = runner_of(service)
    try:
        with service.admitted(1):
            return await threads.run(execute, runner, request)
    except (SaturatedError, JailsBusyError) as error:
        raise HTTPException(
            504,
            detail=f"the service is saturated ({error}); retry later",
            headers={"Retry-After": str(SaturatedError.retry_after_s)},
        ) from error
