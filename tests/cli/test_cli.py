"""The command line, run as users run it: real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.server import free_port

CLI = [sys.executable, "-m", "verifier_service"]


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], input=stdin, capture_output=True, text=True, timeout=120, check=False
    )


def test_help_on_every_command() -> None:
    for args in ((), ("serve",), ("verify",)):
        done = run_cli(*args, "--help")
        assert done.returncode == 0 and "usage:" in done.stdout


def test_train_help_explains_every_override_with_each_presets_default() -> None:
    done = run_cli("train", "--help")
    assert done.returncode == 0, done.stderr
    help_text = " ".join(done.stdout.split())
    assert "GRPO steps (ci: 3;" in help_text
    assert "relative to the current directory (ci: runs/ci; cpu-demo: runs/cpu-demo" in help_text
    assert "--out-dir V where checkpoints" in help_text


def test_verify_file_prints_one_json_line_per_item(tmp_path: Path) -> None:
    items = tmp_path / "items.jsonl"
    lines = [
        {"task": "math", "id": "a", "response": r"\boxed{\frac{1}{2}}", "reference": "0.5"},
        {"task": "math", "id": "b", "response": "The answer is 8.", "reference": "9"},
        {"task": "math", "id": "c"},
    ]
    items.write_text("\n".join(json.dumps(line) for line in lines) + "\nnot json\n")
    done = run_cli("verify", str(items), "--math-workers", "1")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o.get("verdict") for o in out[:2]] == ["correct", "wrong"]
    assert out[2]["line"] == 3 and "math.response: Field required" in out[2]["error"]
    assert out[3]["line"] == 4 and "not JSON" in out[3]["error"]


def test_verify_leaves_no_sandbox_directory_and_no_header_warning(tmp_path: Path) -> None:
    """A short `verify` run closes the service while the precompiled header may still be
    building: that build stops quietly and writes nothing into the removed sandbox root."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    items = tmp_path / "items.jsonl"
    items.write_text(json.dumps({"task": "math", "response": r"\boxed{1}", "reference": "1"}))
    done = subprocess.run(
        [*CLI, "verify", str(items), "--math-workers", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    assert done.returncode == 0, done.stderr
    assert "precompiling" not in done.stderr
    assert [p.name for p in scratch.iterdir() if p.name.startswith("verifier-sandbox-")] == []


def test_verify_reads_stdin() -> None:
    line = json.dumps({"task": "math", "response": r"\boxed{2}", "reference": "2"})
    done = run_cli("verify", "-", "--math-workers", "1", stdin=line + "\n")
    assert json.loads(done.stdout)["verdict"] == "correct"


def test_missing_file_is_a_clear_error() -> None:
    done = run_cli("verify", "/nonexistent/items.jsonl")
    assert done.returncode == 2 and "cannot read" in done.stderr


def test_serve_stops_cleanly_with_its_workers_on_sigterm_and_ctrl_c() -> None:
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        port = free_port()
        env = {**os.environ, "VERIFIER_PORT": str(port), "VERIFIER_MATH_WORKERS": "2"}
        server = subprocess.Popen(
            [*CLI, "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            _wait_ready(f"http://127.0.0.1:{port}")
            group = _process_group(server.pid)
            assert len(group) >= 3  # the API process, the forkserver, two workers
            if stop_signal == signal.SIGINT:
                os.killpg(server.pid, signal.SIGINT)  # Ctrl-C reaches the whole group
            else:
                server.terminate()
            # uvicorn re-raises the signal it handled once shutdown is complete
            assert server.wait(timeout=30) in (0, -stop_signal)
            assert server.stderr is not None
            assert b"Application shutdown complete" in server.stderr.read()
            time.sleep(0.5)
            assert _process_group(server.pid) == set()
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGKILL)


def _wait_ready(base_url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("the server did not become ready")


def _process_group(group_id: int) -> set[int]:
    members = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[2]) == group_id and fields[0] != "Z":
            members.add(int(entry.name))
    return members
