"""A command the jail cannot execute: the program's own artifact (under /box) is the program's
fault, `runtime_error` with reward 0; a toolchain's binary is the service's, `error`. Real
jails, warm and fresh (both start programs through the launcher)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from verifier_service.code.verdicts import failure_verdict
from verifier_service.sandbox import Jail, JailMount, RunLimits

LIMITS = RunLimits(time_s=2, memory_mb=128)


@pytest.fixture(scope="module", params=["warm", "fresh"])
def jail(request: pytest.FixtureRequest) -> Iterator[Jail]:
    created = Jail.create(parallelism=1, warm_spares=2 if request.param == "warm" else 0)
    assert created.launcher is not None, "the launcher did not build"
    yield created
    created.close()


@pytest.fixture
def box(tmp_path: Path) -> JailMount:
    tmp_path.chmod(0o755)
    # Executable bits, but neither ELF nor a `#!` script: execve answers ENOEXEC.
    (tmp_path / "main").write_bytes(b"\x7fELF not really an executable\n")
    (tmp_path / "main").chmod(0o755)
    return JailMount(tmp_path, "/box")


def test_an_artifact_of_the_program_that_cannot_be_executed_is_a_runtime_error(
    jail: Jail, box: JailMount
) -> None:
    result = jail.run(["/box/main"], limits=LIMITS, mounts=(box,))
    assert "cannot execute /box/main" in result.jail_log, result
    assert failure_verdict(result, LIMITS) == "runtime_error"


def test_a_toolchain_that_cannot_be_executed_is_the_services_error(
    jail: Jail, box: JailMount
) -> None:
    result = jail.run(["/usr/bin/verifier-no-such-toolchain"], limits=LIMITS, mounts=(box,))
    assert "cannot execute /usr/bin/verifier-no-such-toolchain" in result.jail_log, result
    assert failure_verdict(result, LIMITS) == "error"
