"""Trainer-compatible routes through a real server: OpenRLHF's /get_reward, SandboxFusion's
/run_code (what verl's code reward calls). Their fault statuses (501, 503) are caused for real
in test_trainer_route_faults.py."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.support.api import math_item, verify
from tests.support.server import RunningServer

JSON = {"content-type": "application/json"}
PROMPT = "<|user|>Compute 1+2. Put the final answer in \\boxed{}, e.g. \\boxed{3}.<|assistant|>"


def get_reward(
    client: httpx.Client, query: list[str], prompts: list[str], labels: list[Any]
) -> Any:
    reply = client.post("/get_reward", json={"query": query, "prompts": prompts, "labels": labels})
    assert reply.status_code == 200, reply.text
    return reply.json()


def run_code(client: httpx.Client, **body: Any) -> dict[str, Any]:
    reply = client.post("/run_code", json=body)
    assert reply.status_code == 200, reply.text
    answer: dict[str, Any] = reply.json()
    return answer


# --- OpenRLHF: POST /get_reward ------------------------------------------------------------


def test_get_reward_equals_verify_on_the_same_items(client: httpx.Client) -> None:
    cases = [
        (r"so \boxed{\frac{1}{2}}", r"\frac{1}{2}"),
        (r"\boxed{0.5}", r"\frac{1}{2}"),
        (r"\boxed{4}", "3"),
        ("I give up", "3"),
        (r"The answer is $x = 2$", "2"),
    ]
    native = verify(client, *(math_item(response, label) for response, label in cases))
    prompts = [f"Question {n}: " for n in range(len(cases))]
    answer = get_reward(
        client,
        [prompt + response for prompt, (response, _) in zip(prompts, cases, strict=True)],
        prompts,
        [label for _, label in cases],
    )
    assert answer["rewards"] == [r["reward"] for r in native]
    assert answer["scores"] == answer["rewards"]
    assert answer["verdicts"] == [r["verdict"] for r in native]
    logs = answer["extra_logs"]
    assert logs["accuracy"] == [float(r["verdict"] == "correct") for r in native]
    assert logs["no_answer"] == [float(r["verdict"] == "no_answer") for r in native]
    assert all(len(values) == len(cases) for values in logs.values())
    assert answer["accuracy"] == pytest.approx(sum(logs["accuracy"]) / len(cases))


def test_the_prompt_prefix_is_stripped_and_a_mismatch_scores_the_whole_query(
    client: httpx.Client,
) -> None:
    # The prompt holds \boxed{3}: scored with it, a response without an answer would pass.
    answer = get_reward(
        client,
        [PROMPT + "I am not sure.", PROMPT + r"It is \boxed{3}.", r"It is \boxed{3}."],
        [PROMPT, PROMPT, "a prompt that is not the query's prefix"],
        ["3", "3", "3"],
    )
    assert answer["verdicts"] == ["no_answer", "correct", "correct"]
    assert answer["rewards"] == [0.0, 1.0, 1.0]


def test_openrlhf_queries_decoded_with_special_tokens_score_as_their_answers(
    client: httpx.Client,
) -> None:
    """OpenRLHF's remote reward sends `decode(prompt + response, skip_special_tokens=False)`
    (openrlhf/utils/remote_rm_utils.py): the response ends with the end-of-turn token."""
    prompt = "<|im_start|>user\nAdd the two numbers.<|im_end|>\n<|im_start|>assistant\n"
    code_label = {
        "task": "code",
        "language": "python",
        "tests": {"kind": "stdio", "cases": [{"stdin": "2 3\n", "stdout": "5\n"}]},
    }
    program = "```python\na, b = map(int, input().split())\nprint(a + b)\n```"
    answer = get_reward(
        client,
        [
            prompt + "The answer is 72<|im_end|>",
            prompt + "#### 72<|im_end|><|endoftext|>",
            prompt + program + "<|im_end|>",
            prompt + "The answer is 7<|im_end|>",
        ],
        [prompt] * 4,
        ["72", "72", code_label, "72"],
    )
    assert answer["verdicts"] == ["correct", "correct", "accepted", "wrong"]
    assert answer["rewards"] == [1.0, 1.0, 1.0, 0.0]


def test_labels_may_be_reference_lists_and_item_objects(client: httpx.Client) -> None:
    code_label = {
        "task": "code",
        "language": "python",
        "tests": {"kind": "stdio", "cases": [{"stdin": "2 3\n", "stdout": "5\n"}]},
    }
    program = "```python\na, b = map(int, input().split())\nprint(a + b)\n```"
    answer = get_reward(
        client,
        ["P1" + r"\boxed{0.5}", "P2" + program, "P3" + program, "P4" + r"\boxed{7}"],
        ["P1", "P2", "P3", "P4"],
        [
            ["1/3", "1/2"],
            code_label,
            json.dumps(code_label),  # OpenRLHF labels are often strings
            {"task": "math", "reference": "7.05", "options": {"numeric_tolerance": 0.1}},
        ],
    )
    assert answer["verdicts"] == ["correct", "accepted", "accepted", "correct"]
    assert answer["rewards"] == [1.0, 1.0, 1.0, 1.0]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"prompts": ["p"], "labels": ["1"]}, "query"),
        ({"query": ["p1"], "prompts": [], "labels": ["1"]}, "prompts"),
        ({"query": ["p1"], "prompts": ["p"], "labels": ["1", "2"]}, "labels"),
        ({"query": ["p1", "p2"], "prompts": ["p", "p"], "labels": ["1", None]}, "labels.1"),
        ({"query": ["p1"], "prompts": ["p"], "labels": [[]]}, "labels.0"),
        ({"query": ["p1"], "prompts": ["p"], "labels": [{"task": "code"}]}, "labels.0.tests"),
        ({"query": [], "prompts": [], "labels": []}, "query"),
        ({"query": "p1", "prompts": ["p"], "labels": ["1"]}, "query"),
    ],
)
def test_a_malformed_reward_request_is_a_422_naming_the_field(
    client: httpx.Client, body: dict[str, Any], field: str
) -> None:
    reply = client.post("/get_reward", json=body)
    assert reply.status_code == 422, reply.text
    fields = [detail["field"] for detail in reply.json()["detail"]]
    assert field in fields, fields
    assert field in reply.json()["error"]


def test_an_unusable_reference_is_a_422_naming_the_label(client: httpx.Client) -> None:
    reply = client.post(
        "/get_reward", json={"query": [r"p\boxed{3}"], "prompts": ["p"], "labels": [""]}
    )
    assert reply.status_code == 422
    assert reply.json()["detail"][0]["field"] == "labels.0"


def test_text_that_is_not_unicode_is_a_422_never_a_fault(client: httpx.Client) -> None:
    # The JSON escape \ud800 parses to a lone surrogate, which no program or input can be
    # written as: the caller's data, named like any other bad field (it used to be a 503).
    good = {"kind": "stdio", "cases": [{"stdin": "1\n", "stdout": "1\n"}]}
    bad = {"kind": "stdio", "cases": [{"stdin": "\ud800", "stdout": "1\n"}]}
    label = {"task": "code", "language": "python", "tests": good}
    body = {
        "query": ["P0print(input()) # \ud800", "P1print(input())", "P2print(input())", "P3"],
        "prompts": ["P0", "P1", "P2", "P3"],
        "labels": [label, {**label, "tests": bad}, json.dumps({**label, "tests": bad}), "1"],
    }
    reply = client.post("/get_reward", content=json.dumps(body), headers=JSON)
    assert reply.status_code == 422, reply.text
    fields = [detail["field"] for detail in reply.json()["detail"]]
    assert fields == ["query.0", "labels.1"], fields
    assert "lone surrogate" in reply.json()["error"]
    # a label given as a JSON string is read after the body: its text is checked then
    body = {
        "query": ["P2print(input())"],
        "prompts": ["P2"],
        "labels": [json.dumps({**label, "tests": bad})],
    }
    reply = client.post("/get_reward", content=json.dumps(body), headers=JSON)
    assert reply.status_code == 422, reply.text
    assert [detail["field"] for detail in reply.json()["detail"]] == ["labels.0"]
    assert "lone surrogate" in reply.json()["error"]


# --- SandboxFusion: POST /run_code ---------------------------------------------------------


def test_python_reads_stdin_and_every_field_verl_reads_is_there(client: httpx.Client) -> None:
    answer = run_code(
        client,
        code="name = input()\nprint(f'hello {name}')",
        language="python",
        stdin="world\n",
        compile_timeout=10,
        run_timeout=10,
        memory_limit_MB=1024,
        files={},
        fetch_files=[],
    )
    assert answer["status"] == "Success"
    assert answer["message"] == ""
    assert answer["compile_result"] is None
    assert answer["files"] == {}
    run = answer["run_result"]
    assert run["status"] == "Finished"
    assert run["return_code"] == 0
    assert run["stdout"] == "hello world\n"
    assert run["stderr"] == ""
    assert isinstance(run["execution_time"], float) and run["execution_time"] > 0


def test_cpp_compiles_then_runs(client: httpx.Client) -> None:
    code = (
        "#include <iostream>\n"
        "int main() { long a, b; std::cin >> a >> b; std::cout << a * b << std::endl; }\n"
    )
    answer = run_code(client, code=code, language="cpp", stdin="6 7\n")
    assert answer["status"] == "Success"
    assert answer["compile_result"]["status"] == "Finished"
    assert answer["compile_result"]["return_code"] == 0
    assert answer["run_result"]["stdout"] == "42\n"
    assert answer["run_result"]["return_code"] == 0


def test_a_compile_error_is_failed_with_the_compilers_message(client: httpx.Client) -> None:
    answer = run_code(client, code="int main() { return undefined_name; }\n", language="cpp")
    assert answer["status"] == "Failed"
    assert answer["run_result"] is None
    compiled = answer["compile_result"]
    assert compiled["status"] == "Finished"
    assert compiled["return_code"] not in (0, None)
    assert "undefined_name" in compiled["stderr"]


def test_a_runtime_error_keeps_its_return_code_and_stderr(client: httpx.Client) -> None:
    answer = run_code(client, code="import sys\nprint('partial')\nsys.exit(3)", language="python")
    assert answer["status"] == "Failed"
    assert answer["run_result"]["status"] == "Finished"
    assert answer["run_result"]["return_code"] == 3
    assert answer["run_result"]["stdout"] == "partial\n"
    raised = run_code(client, code="raise ValueError('boom')", language="python3")
    assert raised["status"] == "Failed"
    assert raised["run_result"]["return_code"] == 1
    assert "ValueError: boom" in raised["run_result"]["stderr"]


def test_a_time_limit_is_time_limit_exceeded(client: httpx.Client) -> None:
    answer = run_code(client, code="while True:\n    pass\n", language="python", run_timeout=1)
    assert answer["status"] == "Failed"
    assert answer["run_result"]["status"] == "TimeLimitExceeded"
    assert answer["run_result"]["return_code"] is None  # as SandboxFusion reports a timeout


def test_a_time_limit_keeps_the_output_written_before_it(client: httpx.Client) -> None:
    code = "print('partial', flush=True)\nwhile True:\n    pass\n"
    answer = run_code(client, code=code, language="python", run_timeout=1)
    assert answer["run_result"]["status"] == "TimeLimitExceeded"
    assert answer["run_result"]["stdout"] == "partial\n"


def test_sandboxfusion_ping_answers_pong_without_a_token(client: httpx.Client) -> None:
    reply = client.get("/v1/ping")
    assert reply.status_code == 200
    assert reply.json() == "pong"


def test_run_timeout_is_wall_clock_time_as_in_sandboxfusion(client: httpx.Client) -> None:
    """SandboxFusion stops a sleeping program at `run_timeout` seconds of wall-clock time; a
    CPU-time limit (with its wall clock at twice that plus a second) would let `sleep(3)` under
    `run_timeout: 2` finish as a Success."""
    code = "import time\ntime.sleep(3)\nprint('late')"
    answer = run_code(client, code=code, language="python", run_timeout=2)
    assert answer["status"] == "Failed"
    assert answer["run_result"]["status"] == "TimeLimitExceeded"
    assert "late" not in answer["run_result"]["stdout"]


@pytest.mark.parametrize(
    "limits",
    [{"run_timeout": 0}, {"run_timeout": 1000}, {"memory_limit_MB": 1}, {"memory_limit_MB": 10**6}],
)
def test_sandboxfusion_value_ranges_are_served_not_refused(
    client: httpx.Client, limits: dict[str, float]
) -> None:
    """verl scores a 422 as a failed case: a value SandboxFusion accepts is held to our bounds."""
    reply = client.post("/run_code", json={"code": "print(1)", "language": "python", **limits})
    assert reply.status_code == 200, reply.text
    assert reply.json()["status"] in ("Success", "Failed")


def test_sandboxfusion_language_names_map_to_ours(client: httpx.Client) -> None:
    installed = {entry["name"] for entry in client.get("/v1/languages").json()["languages"]}
    if "javascript" not in installed:
        pytest.skip("node is not installed here")
    answer = run_code(client, code="console.log('from node')", language="nodejs")
    assert answer["status"] == "Success"
    assert answer["run_result"]["stdout"] == "from node\n"


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"code": "x", "language": "cobol"}, "language", "unknown language 'cobol'"),
        ({"code": "x", "language": "pytest"}, "language", "test-runner mode"),
        ({"code": "x", "language": "python", "fetch_files": ["a"]}, "fetch_files", "not"),
        ({"code": "x", "language": "python", "files": {"a": "eA=="}}, "files", "not"),
        ({"language": "python"}, "code", ""),
    ],
)
def test_a_bad_run_request_is_a_422_naming_the_field(
    client: httpx.Client, body: dict[str, Any], field: str, words: str
) -> None:
    reply = client.post("/run_code", json=body)
    assert reply.status_code == 422, reply.text
    assert [d["field"] for d in reply.json()["detail"]] == [field]
    assert words in reply.json()["error"]


@pytest.mark.parametrize("field", ["code", "stdin"])
def test_a_lone_surrogate_in_the_program_or_its_input_is_a_422(
    client: httpx.Client, field: str
) -> None:
    body = {"code": "print(input())", "language": "python", "stdin": "hi\n", field: "x\ud800"}
    reply = client.post("/run_code", content=json.dumps(body), headers=JSON)
    assert reply.status_code == 422, reply.text
    assert [d["field"] for d in reply.json()["detail"]] == [field]
    assert "lone surrogate" in reply.json()["error"]
    assert run_code(client, code="print(input())", language="python", stdin="ok\n")["status"] == (
        "Success"
    )


def test_a_saturated_service_answers_504_for_verl_to_retry(
    server: RunningServer, client: httpx.Client
) -> None:
    with server.service.admitted(server.service.settings.max_pending_items):
        reply = client.post("/run_code", json={"code": "print(1)", "language": "python"})
    assert reply.status_code == 504
    assert int(reply.headers["Retry-After"]) >= 1
    assert "saturated" in reply.json()["error"]


def test_both_routes_are_in_the_openapi_document(client: httpx.Client) -> None:
    document = client.get("/openapi.json").json()
    assert "post" in document["paths"]["/get_reward"]
    assert "post" in document["paths"]["/run_code"]
    schemas = document["components"]["schemas"]
    assert {"RunCodeRequest", "RunCodeResponse", "RewardRequest", "RewardResponse"} <= set(schemas)
