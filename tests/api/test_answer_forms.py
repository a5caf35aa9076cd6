"""Answer forms through a real server (docs/math.md): decoded text with special tokens left in,
per-request anchors, lenient extraction and its refusals, solution references."""

from __future__ import annotations

import httpx
import pytest

from tests.support.api import math_item, verify

SPECIAL_TOKENS = ("<|im_end|>", "<|endoftext|>", "<|eot_id|>", "</s>", "<eos>", "<|end|>")
ADD_PROGRAM = "a, b = map(int, input().split())\nprint(a + b)\n"


@pytest.mark.parametrize("token", SPECIAL_TOKENS)
def test_trailing_special_tokens_do_not_hide_a_math_answer(
    client: httpx.Client, token: str
) -> None:
    results = verify(
        client,
        math_item(f"The answer is 72{token}", "72"),
        math_item(f"#### 72{token}", "72"),
        math_item(f"#### 72{token}\n<|im_start|>user", "72"),
        math_item(f"#### 7{token}", "72"),
    )
    assert [r["verdict"] for r in results] == ["correct", "correct", "correct", "wrong"]
    assert [r["extracted"] for r in results] == ["72", "72", "72", "7"]


@pytest.mark.parametrize("token", ["<|im_end|>", "</s>", "<|eot_id|><|endoftext|>"])
def test_trailing_special_tokens_do_not_break_a_program(client: httpx.Client, token: str) -> None:
    tests = {"kind": "stdio", "cases": [{"stdin": "2 3\n", "stdout": "5\n"}]}
    items = [
        {"task": "code", "language": "python", "response": body, "tests": tests}
        for body in (f"```python\n{ADD_PROGRAM}```{token}", f"{ADD_PROGRAM}{token}")
    ]
    results = verify(client, *items)
    assert [r["verdict"] for r in results] == ["accepted", "accepted"], results


def test_anchors_option_reads_the_datasets_own_format(client: httpx.Client) -> None:
    results = verify(
        client,
        math_item("Work...\nSolution: 42", "42", options={"anchors": ["Solution:"]}),
        math_item("Work...\nANSWER: 7\n", "7", options={"anchors": ["ANSWER:"]}),
        math_item("Work...\nSolution: 42", "42"),
        math_item("Solution: 41\n\\boxed{42}", "42", options={"anchors": ["Solution:"]}),
    )
    assert [r["verdict"] for r in results] == ["correct", "correct", "no_answer", "wrong"]


@pytest.mark.parametrize(
    "anchors", [[""], ["   "], ["x" * 65], ["two\nlines"], [f"A{n}:" for n in range(9)], "Answer:"]
)
def test_bad_anchors_are_422_naming_the_field(client: httpx.Client, anchors: object) -> None:
    body = {"items": [math_item("Answer: 1", "1", options={"anchors": anchors})]}
    reply = client.post("/v1/verify", json=body)
    assert reply.status_code == 422, reply.text
    assert "anchors" in reply.json()["error"], reply.json()


def test_lenient_extraction_and_its_refusals(client: httpx.Client) -> None:
    lenient = {"extraction": "lenient"}
    results = verify(
        client,
        math_item("So the total is $42$.", "42", options=lenient),
        math_item("So the total is $42$.", "42"),
        math_item("It is $3$ or $4$.", "3", options=lenient),
        math_item("It is $3$ or $4$.", "4", options=lenient),
        math_item("The total is $42$. Or maybe it is 43.", "42", options=lenient),
        math_item("42", "42", options=lenient),
        math_item("There are 42 apples, not 43.", "43", options=lenient),
    )
    verdicts = [r["verdict"] for r in results]
    assert verdicts == [
        "correct",
        "no_answer",
        "wrong",
        "wrong",
        "no_answer",
        "correct",
        "no_answer",
    ]


def test_a_solution_reference_gives_its_final_answer(client: httpx.Client) -> None:
    solution = r"The sum is $9 + 5 = 14$, so the answer is $\boxed{14}$."
    gsm8k = "She sells 48/2 = <<48/2=24>>24 clips in May.\n#### 72"
    results = verify(
        client,
        math_item(r"\boxed{14}", solution),
        math_item(r"\boxed{9}", solution),
        math_item("The answer is 72", gsm8k),
        math_item("The answer is 24", gsm8k),
    )
    assert [r["verdict"] for r in results] == ["correct", "wrong", "correct", "wrong"]


def test_undefined_values_never_compare_equal(client: httpx.Client) -> None:
    results = verify(
        client,
        math_item(r"\boxed{12:00}", "1:00"),
        math_item(r"\boxed{2:00}", "1:00"),
        math_item(r"\boxed{3:45}", "3:45"),
        math_item(r"\boxed{\frac{1}{0}}", r"\frac{2}{0}"),
        math_item(r"\boxed{\infty - \infty}", r"2\infty - \infty"),
    )
    assert [r["verdict"] for r in results] == ["wrong", "wrong", "correct", "wrong", "wrong"]
