"""A compile must never hold the service, nor write to the host's disk.

Through the real server, warm and fresh jails, with one compile slot: compiles that would
wait on a pipe of the service's for the whole compile wall clock (`#include "/dev/stdout"`,
Rust's `include_str!`) are refused at once and judged `compile_error` with the compiler's own
message, one that waits on its own (compile-time code that sleeps) is ended once it has used
no CPU for a while, and a normal program sent with them is still accepted. Compile-time code
that writes hundreds of MiB (Nim's `staticExec`, a huge initialized array) writes into a
size-capped tmpfs of the compile's own jail: `compile_error`, nothing left on the host. The
compile's /box and /out show no host path in its mountinfo.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integrity.conftest import BATCH_TIMEOUT_S, code_item
from tests.support.server import running_server
from verifier_service.config import Settings

ADD_STDIO = {"kind": "stdio", "cases": [{"stdin": "1 2\n", "stdout": "3\n"}]}
BLOCKERS = 3
HOST_LEFTOVER_LIMIT_BYTES = 32 * 1024 * 1024

C_ADD = '#include <stdio.h>\nint main(void) { puts("3"); return 0; }\n'
PYTHON_ADD = "a, b = map(int, input().split())\nprint(a + b)\n"


def _c_includes(path: str, serial: int) -> str:
    """A C program whose compile reads `path` (distinct per serial: each compiles)."""
    return f'/* {serial} */\n#include "{path}"\nint main(void) {{ return 0; }}\n'


RUST_STDOUT = 'const S: &str = include_str!("/dev/stdout");\nfn main() { println!("{}", S); }\n'
# stdin is /dev/null: the include is empty and the program prints 3.
RUST_STDIN = (
    'const S: &str = include_str!("/dev/stdin");\nfn main() { println!("{}", 3 + S.len()); }\n'
)
# The compile's own mountinfo, read at compile time: every mount of the compile's /box and /out
# is rooted at "/" (a tmpfs of the jail's), so it names no host path; then it prints 3.
RUST_COMPILE_MOUNTS = """\
const MOUNTS: &str = include_str!("/proc/self/mountinfo");
fn main() {
    let mut seen = 0;
    for line in MOUNTS.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        if fields.len() > 4 && (fields[4] == "/box" || fields[4] == "/out") {
            seen += 1;
            if fields[3] != "/" || !line.contains(" - tmpfs ") {
                println!("{}", line);
                return;
            }
        }
    }
    println!("{}", seen + 1);
}
"""
# 300 MB written to /out at compile time; the program itself is right.
NIM_FILLER = (
    'const written = staticExec("head -c 300000000 /dev/zero > /out/junk; echo written")\necho 3\n'
)
# Compile-time code that waits for good: it uses no CPU, so the compile is ended long before
# its wall clock (61 s here).
NIM_SLEEPER = 'const slept = staticExec("sleep 100")\necho 3\n'
# An initialized array the linker must write out whole: 300 MiB.
C_HUGE_OBJECT = (
    "#include <stdio.h>\n"
    "char big[300 << 20] = {1};\n"
    'int main(int argc, char **argv) { puts("3"); return big[argc * 4096]; }\n'
)


def _items() -> list[dict[str, Any]]:
    blockers = [
        code_item(f"c-stdout-{serial}", "c", _c_includes("/dev/stdout", serial), ADD_STDIO)
        for serial in range(BLOCKERS)
    ]
    return [
        *blockers,
        code_item("c-stderr", "c", _c_includes("/dev/stderr", 0), ADD_STDIO),
        code_item("cpp-fd1", "cpp", _c_includes("/proc/self/fd/1", 0), ADD_STDIO),
        code_item("c-init-fd1", "c", _c_includes("/proc/1/fd/1", 0), ADD_STDIO),
        code_item("rust-stdout", "rust", RUST_STDOUT, ADD_STDIO),
        code_item("rust-stdin", "rust", RUST_STDIN, ADD_STDIO),
        code_item("rust-compile-mounts", "rust", RUST_COMPILE_MOUNTS, ADD_STDIO),
        code_item("nim-filler", "nim", NIM_FILLER, ADD_STDIO),
        code_item("nim-sleeper", "nim", NIM_SLEEPER, ADD_STDIO),
        code_item("c-huge-object", "c", C_HUGE_OBJECT, ADD_STDIO),
        code_item("c-add", "c", C_ADD, ADD_STDIO),
        code_item("python-add", "python", PYTHON_ADD, ADD_STDIO),
    ]


@pytest.fixture(scope="module", params=["warm", "fresh"])
def judged(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[dict[str, dict[str, Any]], Path]]:
    """One batch through a server with a single compile slot; its results and sandbox dir."""
    sandbox = tmp_path_factory.mktemp(f"sandbox-{request.param}")
    sandbox.chmod(0o755)
    settings = Settings(
        math_workers=1,
        code_warm_jails=2 if request.param == "warm" else 0,
        code_parallelism=2,
        code_compile_parallelism=1,
        sandbox_dir=sandbox,
    )
    with (
        running_server(settings) as running,
        httpx.Client(base_url=running.base_url, timeout=BATCH_TIMEOUT_S) as http,
    ):
        response = http.post("/v1/verify", json={"items": _items()})
        assert response.status_code == 200, response.text
        results = {str(result["id"]): result for result in response.json()["results"]}
        yield results, sandbox


def _verdict(results: dict[str, dict[str, Any]], item_id: str) -> tuple[str, Any]:
    result = results[item_id]
    return result["verdict"], result["reward"]


@pytest.mark.parametrize(
    "item_id",
    [
        *(f"c-stdout-{serial}" for serial in range(BLOCKERS)),
        "c-stderr",
        "cpp-fd1",
        "c-init-fd1",
        "rust-stdout",
    ],
)
def test_a_compile_cannot_reopen_the_services_pipes(
    judged: tuple[dict[str, dict[str, Any]], Path], item_id: str
) -> None:
    """Refused at once by the compiler itself, not ended by the wall clock."""
    results, _ = judged
    assert _verdict(results, item_id) == ("compile_error", 0.0), results[item_id]
    reason = results[item_id]["reason"]
    assert "Permission denied" in reason, reason
    assert "took too long" not in reason


def test_normal_programs_are_judged_beside_them(
    judged: tuple[dict[str, dict[str, Any]], Path],
) -> None:
    results, _ = judged
    for item_id in ("c-add", "python-add", "rust-stdin"):
        assert _verdict(results, item_id) == ("accepted", 1.0), results[item_id]


def test_a_compile_that_uses_no_cpu_is_ended(
    judged: tuple[dict[str, dict[str, Any]], Path],
) -> None:
    results, _ = judged
    assert _verdict(results, "nim-sleeper") == ("compile_error", 0.0), results["nim-sleeper"]
    assert "used no CPU" in results["nim-sleeper"]["reason"]


def test_a_compile_shows_no_host_path(judged: tuple[dict[str, dict[str, Any]], Path]) -> None:
    results, _ = judged
    assert _verdict(results, "rust-compile-mounts") == ("accepted", 1.0), results[
        "rust-compile-mounts"
    ]


def test_compile_time_writes_fill_a_capped_tmpfs(
    judged: tuple[dict[str, dict[str, Any]], Path],
) -> None:
    results, _ = judged
    assert _verdict(results, "nim-filler") == ("compile_error", 0.0), results["nim-filler"]
    assert "output space" in results["nim-filler"]["reason"]
    assert _verdict(results, "c-huge-object") == ("compile_error", 0.0), results["c-huge-object"]
    assert "No space left on device" in results["c-huge-object"]["reason"]


def test_nothing_big_is_left_on_the_host(judged: tuple[dict[str, dict[str, Any]], Path]) -> None:
    """The service's own directories hold sources and artifacts only (headers aside: the
    precompiled bits/stdc++.h is the service's, ~100 MiB a language)."""
    _, sandbox = judged
    for name in ("programs", "checks"):
        used = subprocess.run(
            ["du", "-sb", str(sandbox / name)], capture_output=True, text=True, check=True
        )
        assert int(used.stdout.split()[0]) < HOST_LEFTOVER_LIMIT_BYTES, used.stdout
    assert not (sandbox / "builds").exists()
