"""POST /v1/jobs and GET /v1/jobs/{job_id} through a real server."""

from __future__ import annotations

import time

import httpx


def test_job_runs_to_completion_with_results_in_order(client: httpx.Client) -> None:
    items = [
        {"task": "math", "id": n, "response": rf"\boxed{{{n}}}", "reference": str(n)}
        for n in range(600)
    ]
    created = client.post("/v1/jobs", json={"items": items})
    assert created.status_code == 202
    job_id = created.json()["job_id"]
    deadline = time.monotonic() + 60
    while True:
        state = client.get(f"/v1/jobs/{job_id}").json()
        assert state["total"] == 600 and 0 <= state["done"] <= 600
        if state["status"] == "done" or time.monotonic() > deadline:
            break
        assert state["results"] is None
        time.sleep(0.05)
    assert state["status"] == "done" and state["done"] == 600
    assert [r["id"] for r in state["results"]] == list(range(600))
    assert all(r["verdict"] == "correct" for r in state["results"])


def test_unknown_job_is_404(client: httpx.Client) -> None:
    reply = client.get("/v1/jobs/does-not-exist")
    assert reply.status_code == 404
    assert "does-not-exist" in reply.json()["error"]


def test_job_body_is_validated_like_verify(client: httpx.Client) -> None:
    reply = client.post("/v1/jobs", json={"items": [{"task": "math"}]})
    assert reply.status_code == 422
    assert "items.0.math" in reply.json()["error"]
