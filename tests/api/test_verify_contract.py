"""/v1/verify through a real server: the shapes of docs/contract.md, errors that name fields."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.conftest import TEST_BODY_LIMIT
from tests.support.api import math_item, verify


def test_math_result_has_every_contract_field(client: httpx.Client) -> None:
    [result] = verify(
        client, math_item(r"So it is \boxed{\frac{1}{2}}.", r"\frac{1}{2}", id="p1-s1")
    )
    assert result["id"] == "p1-s1"
    assert result["task"] == "math"
    assert result["reward"] == 1.0
    assert result["verdict"] == "correct"
    assert result["extracted"] == r"\frac{1}{2}"
    assert result["reason"]
    assert result["elapsed_ms"] >= 0


def test_results_come_back_in_request_order(client: httpx.Client) -> None:
    items = [math_item(rf"\boxed{{{n}}}", str(n if n % 3 else n + 1), id=n) for n in range(50)]
    results = verify(client, *items)
    assert [r["id"] for r in results] == list(range(50))
    assert [r["verdict"] for r in results] == [
        "wrong" if n % 3 == 0 else "correct" for n in range(50)
    ]


def test_rewards_follow_verdicts(client: httpx.Client) -> None:
    results = verify(
        client,
        math_item(r"\boxed{3}", "3"),
        math_item(r"\boxed{4}", "3"),
        math_item("no anchor here, just 3", "3"),
        math_item(r"\boxed{3}", ""),
    )
    assert [(r["verdict"], r["reward"]) for r in results] == [
        ("correct", 1.0),
        ("wrong", 0.0),
        ("no_answer", 0.0),
        ("invalid_reference", None),
    ]


def test_several_references_any_matches(client: httpx.Client) -> None:
    [result] = verify(client, math_item(r"\boxed{0.5}", ["1/3", r"\frac{1}{2}"]))
    assert result["verdict"] == "correct"


def test_options_are_honoured(client: httpx.Client) -> None:
    results = verify(
        client,
        math_item("The answer is 7", "7", options={"extraction": "boxed"}),
        math_item("7", "7", options={"extraction": "raw"}),
        math_item(r"\boxed{3.1}", "3", options={"numeric_tolerance": 0.05}),
    )
    assert [r["verdict"] for r in results] == ["no_answer", "correct", "correct"]


def test_a_code_item_gets_its_own_result_and_the_batch_still_scores(client: httpx.Client) -> None:
    code = {
        "task": "code",
        "id": "c1",
        "response": "```python\nprint(3)\n```",
        "tests": {"kind": "stdio", "cases": [{"stdin": "", "stdout": "3\n"}]},
    }
    broken = {**code, "id": "c2", "language": "cobol"}
    results = verify(client, code, broken, math_item(r"\boxed{2}", "2"))
    assert [r["task"] for r in results] == ["code", "code", "math"]
    assert (results[0]["verdict"], results[0]["reward"]) == ("accepted", 1.0)
    assert results[1]["verdict"] == "unsupported_language"
    assert results[2]["verdict"] == "correct"


def test_missing_field_is_422_naming_it(client: httpx.Client) -> None:
    reply = client.post("/v1/verify", json={"items": [{"task": "math", "response": "x"}]})
    assert reply.status_code == 422
    assert "items.0.math.reference" in reply.json()["error"]


def test_wrong_types_and_unknown_task_are_422(client: httpx.Client) -> None:
    for body, field in (
        ({"items": []}, "items"),
        ({"items": "nope"}, "items"),
        ({}, "items"),
        ({"items": [{"task": "poetry", "response": "x"}]}, "items.0"),
        ({"items": [math_item("x", "1", options={"timeout_s": 999})]}, "timeout_s"),
        ({"items": [math_item("x", "1", options={"extraction": "guess"})]}, "extraction"),
    ):
        reply = client.post("/v1/verify", json=body)
        assert reply.status_code == 422, body
        assert field in reply.json()["error"], reply.json()


def test_too_many_items_is_422_naming_items(client: httpx.Client) -> None:
    items = [math_item(r"\boxed{1}", "1")] * 10_001
    reply = client.post("/v1/verify", json={"items": items})
    assert reply.status_code == 422
    assert reply.json()["error"].startswith("items:")


def test_oversized_body_is_413(client: httpx.Client) -> None:
    huge = "x" * (TEST_BODY_LIMIT + 1024)
    reply = client.post("/v1/verify", json={"items": [math_item(huge, "1")]})
    assert reply.status_code == 413
    assert "VERIFIER_MAX_BODY_BYTES" in reply.json()["error"]


def test_oversized_chunked_body_is_413(client: httpx.Client) -> None:
    def chunks() -> Any:
        yield b'{"items": [{"task": "math", "reference": "1", "response": "'
        for _ in range(TEST_BODY_LIMIT // 65536 + 2):
            yield b"x" * 65536
        yield b'"}]}'

    reply = client.post(
        "/v1/verify", content=chunks(), headers={"content-type": "application/json"}
    )
    assert reply.status_code == 413


def test_invalid_json_and_invalid_utf8_are_4xx(client: httpx.Client) -> None:
    headers = {"content-type": "application/json"}
    bad_utf8 = b'{"items": [{"task": "math", "response": "\xff\xfe", "reference": "1"}]}'
    for body in (b"{not json", bad_utf8, b""):
        reply = client.post("/v1/verify", content=body, headers=headers)
        assert 400 <= reply.status_code < 500, (body, reply.status_code)
        assert reply.json()["error"]


def test_openapi_describes_the_contract(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/v1/verify", "/v1/jobs", "/v1/jobs/{job_id}", "/v1/languages"):
        assert path in spec["paths"]
    for path in ("/healthz", "/readyz", "/metrics"):
        assert path in spec["paths"]
    assert "MathOptions" in spec["components"]["schemas"]
    assert client.get("/docs").status_code == 200


def test_service_endpoints(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["math_workers"] == 2
    languages = [entry["name"] for entry in client.get("/v1/languages").json()["languages"]]
    assert "python" in languages
    verify(client, math_item(r"\boxed{2}", "2"))
    assert client.get("/v1/jobs/no-such-job").status_code == 404
    metrics = client.get("/metrics").text
    assert 'verifier_items_total{task="math",verdict="correct"}' in metrics
    assert "verifier_item_latency_seconds_bucket" in metrics
    assert 'verifier_requests_total{route="/v1/verify",status="200"}' in metrics
    assert 'verifier_requests_total{route="/v1/jobs/{job_id}",status="404"}' in metrics


def test_a_lone_surrogate_anywhere_is_a_422_naming_the_field(client: httpx.Client) -> None:
    # JSON's \ud800 escape parses to a lone surrogate: no answer, program or input can be
    # written out with one, so it is the caller's bad data, never a fault of the batch.
    headers = {"content-type": "application/json"}
    code = {
        "task": "code",
        "response": "```python\nprint(input())\n```",
        "tests": {"kind": "stdio", "cases": [{"stdin": "1\n", "stdout": "1\n"}]},
    }
    bad_case = {"kind": "stdio", "cases": [{"stdin": "\ud800", "stdout": "1\n"}]}
    for item, field in (
        (math_item("\\boxed{1}\ud800", "1"), "items.0.math.response"),
        (math_item("\\boxed{1}", ["1", "x\udfff"]), "items.0.math.reference"),
        ({**code, "response": "print(1) # \ud800"}, "items.0.code.response"),
        ({**code, "tests": bad_case}, "items.0.code.tests.stdio.cases.0.stdin"),
    ):
        body = json.dumps({"items": [item, math_item("\\boxed{2}", "2")]})
        reply = client.post("/v1/verify", content=body, headers=headers)
        assert reply.status_code == 422, (field, reply.text)
        assert field in reply.json()["error"], reply.json()
        assert "lone surrogate" in reply.json()["error"]
    assert [r["verdict"] for r in verify(client, code)] == ["accepted"]


def test_an_empty_reference_list_is_that_items_invalid_reference(client: httpx.Client) -> None:
    results = verify(
        client,
        math_item(r"\boxed{1}", []),
        math_item(r"\boxed{1}", "1"),
        math_item("no answer here", "   "),
    )
    assert [r["verdict"] for r in results] == ["invalid_reference", "correct", "invalid_reference"]
    assert [r["reward"] for r in results] == [None, 1.0, None]


def test_invalid_json_names_the_position(client: httpx.Client) -> None:
    reply = client.post(
        "/v1/verify", content=b'{"items": [', headers={"content-type": "application/json"}
    )
    assert reply.status_code == 422
    assert "not valid JSON" in reply.json()["error"]
    assert "character 11" in reply.json()["error"]


def test_a_body_without_a_json_content_type_says_which_header(client: httpx.Client) -> None:
    body = json.dumps({"items": [math_item("1", "1")]}).encode()
    reply = client.post("/v1/verify", content=body, headers={"content-type": "text/plain"})
    assert reply.status_code == 422
    assert "content-type: application/json" in reply.json()["error"]
