"""Warm jails: set up before their run, used once, and never a verdict of their own."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from verifier_service.sandbox import Jail, JailMount, RunLimits
from verifier_service.sandbox.warm import WarmShape

PYTHON = "/usr/bin/python3"
LIMITS = RunLimits(time_s=2, memory_mb=128)


@pytest.fixture(scope="module")
def jail() -> Iterator[Jail]:
    created = Jail.create(parallelism=2, warm_spares=2)
    assert created.warm is not None, "the launcher did not build"
    yield created
    created.close()


@pytest.fixture
def box(tmp_path: Path) -> JailMount:
    tmp_path.chmod(0o755)
    (tmp_path / "hello.py").write_text("import sys\nprint('hello', sys.stdin.read())\n")
    (tmp_path / "lib").mkdir(mode=0o755)
    (tmp_path / "lib" / "data.txt").write_text("nested\n")
    return JailMount(tmp_path, "/box")


def warm_leaves(jail: Jail) -> set[str]:
    """The cgroups of the warm jails waiting for a run (one per jail, named by its pid)."""
    root = Path("/sys/fs/cgroup/memory/VERIFIER_JAIL", jail.cgroups.group)
    return {path.name for path in root.glob("warm-*/NSJAIL.*")}


def wait_for_a_spare(jail: Jail) -> None:
    deadline = time.monotonic() + 10
    while not warm_leaves(jail):
        assert time.monotonic() < deadline, "no warm jail was set up"
        time.sleep(0.02)


def test_runs_after_the_first_of_a_shape_take_a_jail_set_up_before_them(
    jail: Jail, box: JailMount
) -> None:
    command = [PYTHON, "/box/hello.py"]
    first = jail.run(command, limits=LIMITS, mounts=(box,), stdin=b"one")
    assert first.stdout == b"hello one\n"
    time.sleep(0.3)  # the spares are being set up
    spares = warm_leaves(jail)
    assert len(spares) >= 2
    second = jail.run(command, limits=LIMITS, mounts=(box,), stdin=b"two")
    assert (second.exit_code, second.stdout, second.jail_log) == (0, b"hello two\n", "")
    assert 0 < second.memory_kb < 64 * 1024
    time.sleep(0.3)
    assert spares - warm_leaves(jail), "no spare was used"


def test_a_warm_jail_sees_the_mounts_files_tree_and_cannot_write_them(
    jail: Jail, box: JailMount
) -> None:
    source = (
        "import os\nprint(open('/box/lib/data.txt').read().strip())\n"
        "try:\n    open('/box/new', 'w')\nexcept OSError as e:\n    print(e.errno)\n"
    )
    for _ in range(3):
        result = jail.run([PYTHON, "-c", source], limits=LIMITS, mounts=(box,))
        assert result.stdout == b"nested\n13\n"  # EACCES: a root-owned tmpfs (filesystem.py)
    assert sorted(os.listdir(box.source)) == ["hello.py", "lib"]


def test_a_program_that_cannot_start_is_a_sandbox_fault_not_a_verdict(
    jail: Jail, box: JailMount
) -> None:
    jail.run([PYTHON, "-c", "pass"], limits=LIMITS, mounts=(box,))  # the shape's spares start
    for _ in range(3):
        wait_for_a_spare(jail)
        result = jail.run(["/box/missing"], limits=LIMITS, mounts=(box,))
        assert result.jail_log, result
        assert "missing" in result.jail_log


def test_a_fresh_jail_reports_a_program_it_cannot_start_every_time(box: JailMount) -> None:
    # nsjail's own report of a failed launch is lost about one time in six (the fatal line of
    # its child races its own exit): fresh jails start programs through the launcher too.
    fresh_only = Jail.create(parallelism=1, warm_spares=0)
    try:
        assert fresh_only.warm is None and fresh_only.launcher is not None
        for _ in range(30):
            result = fresh_only.run(["/box/missing"], limits=LIMITS, mounts=(box,))
            assert "cannot execute /box/missing" in result.jail_log, result
        gone = JailMount(box.source / "gone", "/box")  # nsjail cannot set this jail up
        for _ in range(10):
            result = fresh_only.run([PYTHON, "/box/hello.py"], limits=LIMITS, mounts=(gone,))
            assert result.jail_log, result
        result = fresh_only.run([PYTHON, "/box/hello.py"], limits=LIMITS, mounts=(box,))
        assert (result.stdout, result.jail_log) == (b"hello \n", "")
    finally:
        fresh_only.close()


def test_the_launcher_ends_the_run_at_its_wall_limit_if_the_service_does_not(
    jail: Jail, box: JailMount
) -> None:
    """The backstop for a service that died mid-run: nothing outlives the wall limit."""
    warm = jail.spawn_warm(WarmShape(LIMITS, ("/box",)))
    try:
        assert warm.wait_ready()
        warm.release([PYTHON, "-c", "import time; time.sleep(60)"], {}, wall_s=0.5)
        result = warm.spawned.collect(b"", 1 << 20, wall_limit_s=30)
    finally:
        warm.dispose()
    assert not result.wall_timed_out  # the host's clock (30 s) never fired
    assert result.exit_code == 128 + signal.SIGKILL
    assert result.wall_s < 5


def test_an_idle_warm_jail_exits_when_the_service_goes_away(jail: Jail) -> None:
    warm = jail.spawn_warm(WarmShape(LIMITS, ()))
    assert warm.wait_ready()
    os.close(warm.control)  # what the kernel does when the service's process dies
    warm.control = -1
    result = warm.spawned.collect(b"", 1 << 20, wall_limit_s=5)
    warm.dispose()
    assert (result.exit_code, result.wall_timed_out) == (0, False)


def test_runs_with_a_writable_mount_get_a_fresh_jail(jail: Jail, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.chown(out, 65534, 65534)
    mount = JailMount(out, "/out", writable=True)
    assert WarmShape.of(LIMITS, (mount,)) is None
    result = jail.run(
        [PYTHON, "-c", "open('/out/f', 'w').write('x')"], limits=LIMITS, mounts=(mount,)
    )
    assert result.exit_code == 0
    assert (out / "f").read_text() == "x"


def test_closing_the_jail_stops_every_warm_jail(box: JailMount) -> None:
    jail = Jail.create(warm_spares=3)
    jail.run([PYTHON, "-c", "pass"], limits=LIMITS, mounts=(box,))
    time.sleep(0.3)
    assert warm_leaves(jail)
    jail.close()
    assert not warm_leaves(jail)
    assert jail.work_dir is not None and not jail.work_dir.exists()
