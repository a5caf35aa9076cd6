"""verl and TRL reward functions against a real server: the same rewards as the native API."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from tests.client.test_client import FENCE, PY_SUM, native
from tests.support.server import RunningServer, free_port
from verifier_service.adapters import trl, verl
from verifier_service.client import (
    VerifierClient,
    VerifierUnavailableError,
    VerifierUnscoredError,
)
from verifier_service.client.trainer_data import code_tests, completion_text, task_of

STDIO = {"inputs": ["1 2\n", "10 -4\n"], "outputs": ["3\n", "6\n"]}
API_TESTS = {
    "kind": "stdio",
    "cases": [{"stdin": "1 2\n", "stdout": "3\n"}, {"stdin": "10 -4\n", "stdout": "6\n"}],
}
GOOD = f"I will read two numbers.\n{FENCE}python\n{PY_SUM}\n{FENCE}"
BAD = f"{FENCE}python\nprint(3)\n{FENCE}"


@pytest.fixture
def env(server: RunningServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("VERIFIER_URL", server.base_url)
    monkeypatch.delenv("VERIFIER_API_TOKEN", raising=False)
    yield server.base_url
    verl.use_client(None)


def native_rewards(base_url: str, items: list[dict[str, Any]]) -> list[float | None]:
    return [result["reward"] for result in native(base_url, items)]


MATH_CASES = [
    ("openai/gsm8k", r"... so she has \boxed{72} dollars", "72"),
    ("lighteval/MATH", r"Thus \boxed{\frac{2}{4}}", r"\frac{1}{2}"),
    ("aime", r"The answer is \boxed{113}.", "114"),
    ("math", "no final answer here", "3"),
]


def test_verl_compute_score_equals_native_rewards_on_math(env: str) -> None:
    scores = [verl.compute_score(source, text, truth) for source, text, truth in MATH_CASES]
    items = [
        {"task": "math", "response": text, "reference": truth} for _, text, truth in MATH_CASES
    ]
    assert scores == native_rewards(env, items) == [1.0, 1.0, 0.0, 0.0]
    assert all(isinstance(score, float) for score in scores)


def test_verl_compute_score_on_a_python_stdio_program(env: str) -> None:
    native_items = [
        {"task": "code", "response": text, "language": "python", "tests": API_TESTS}
        for text in (GOOD, BAD)
    ]
    expected = native_rewards(env, native_items)
    assert expected == [1.0, 0.0]
    assert [
        verl.compute_score("codecontests", text, json.dumps(STDIO)) for text in (GOOD, BAD)
    ] == expected
    assert verl.compute_score("my/own", GOOD, API_TESTS, {"task": "code"}) == 1.0
    assert verl.compute_score("livecodebench", GOOD, STDIO, {"language": "python"}) == 1.0


def test_verl_batch_equals_native_rewards_and_keeps_none(env: str) -> None:
    sources = [source for source, _, _ in MATH_CASES] + ["apps", "taco", "math"]
    texts = [text for _, text, _ in MATH_CASES] + [GOOD, BAD, r"\boxed{1}"]
    truths: list[Any] = [truth for _, _, truth in MATH_CASES] + [STDIO, json.dumps(STDIO), ""]
    extras: list[dict[str, Any] | None] = [None] * 6 + [{"task": "math"}]
    rewards = verl.compute_score_batch(sources, texts, truths, extras)
    assert rewards == [1.0, 1.0, 0.0, 0.0, 1.0, 0.0, None]
    items = [verl.make_item(*row) for row in zip(sources, texts, truths, extras, strict=True)]
    assert native_rewards(env, items) == rewards
    with pytest.raises(ValueError, match="differ in length"):
        verl.compute_score_batch(sources, texts[:-1], truths)


def test_verl_never_turns_a_fault_into_zero(env: str) -> None:
    with pytest.raises(VerifierUnscoredError, match="invalid_reference"):
        verl.compute_score("math", r"\boxed{1}", "")
    verl.use_client(VerifierClient(f"http://127.0.0.1:{free_port()}", retries=1, backoff_s=0.01))
    with pytest.raises(VerifierUnavailableError):
        verl.compute_score("math", r"\boxed{1}", "1")
    assert verl.compute_score_batch(["math", "apps"], [r"\boxed{1}", GOOD], ["1", STDIO]) == [
        None,
        None,
    ]


def conversation(text: str) -> list[dict[str, str]]:
    return [{"role": "assistant", "content": "thinking..."}, {"role": "assistant", "content": text}]


def test_trl_math_reward_on_plain_and_conversational_completions(env: str) -> None:
    texts = [text for _, text, _ in MATH_CASES]
    answers = [truth for _, _, truth in MATH_CASES]
    items = [
        {"task": "math", "response": t, "reference": a} for t, a in zip(texts, answers, strict=True)
    ]
    expected = native_rewards(env, items)
    prompts = ["q"] * len(texts)
    assert trl.math_reward(prompts, texts, answer=answers) == expected
    chats = [conversation(text) for text in texts]
    assert trl.math_reward(prompts=prompts, completions=chats, solution=answers) == expected
    by_column = trl.make_math_reward(column="gold", base_url=env)
    assert by_column(prompts, texts, gold=answers, answer=["0"] * 4) == expected
    assert by_column.__name__ == "math_reward"
    with pytest.raises(ValueError, match="no gold column"):
        by_column(prompts, texts, answer=answers)


def test_trl_code_reward_on_plain_and_conversational_completions(env: str) -> None:
    tests = [STDIO, json.dumps(API_TESTS)]
    assert trl.code_reward(["p", "p"], [GOOD, BAD], tests=tests) == [1.0, 0.0]
    chats = [conversation(GOOD), conversation(BAD)]
    reward = trl.make_code_reward(column="input_output", base_url=env)
    assert reward(["p", "p"], chats, input_output=tests) == [1.0, 0.0]


def test_trl_functions_return_none_for_rows_they_do_not_apply_to(env: str) -> None:
    """A mixed dataset: a math function on a code row, and the reverse, give None (TRL leaves
    it out), never 0.0 and never an error; `ground_truth` is a math column (TRL's docs)."""
    completions = [r"\boxed{4}", GOOD, r"\boxed{5}"]
    columns = {
        "task": ["math", "code", "math"],
        "ground_truth": ["4", None, "4"],
        "tests": [None, STDIO, None],
    }
    assert trl.math_reward(["p"] * 3, completions, **columns) == [1.0, None, 0.0]
    assert trl.code_reward(["p"] * 3, completions, **columns) == [None, 1.0, None]
    no_task = {"ground_truth": ["4", None, "4"], "tests": [None, STDIO, None]}
    assert trl.math_reward(["p"] * 3, completions, **no_task) == [1.0, None, 0.0]


def test_masked_on_fault_masks_the_whole_sample(env: str) -> None:
    """TRL masks a sample only when every function returns None: the combinator makes one
    function of several, None wherever any of them is."""

    def format_reward(
        prompts: object = None, completions: Sequence[str] = (), **_: object
    ) -> list[float]:
        return [0.5 for _ in completions]

    combined = trl.masked_on_fault(trl.math_reward, format_reward, weights=[1.0, 2.0])
    completions = [r"\boxed{4}", GOOD, r"\boxed{5}"]
    rewards = combined(["p"] * 3, completions, ground_truth=["4", None, "4"])
    assert rewards == [2.0, None, 1.0]
    with pytest.raises(ValueError, match="one weight per reward function"):
        trl.masked_on_fault(trl.math_reward, weights=[1.0, 2.0])


def test_trl_async_rewards(env: str) -> None:
    async def run() -> tuple[list[float | None], ...]:
        math_rewards = await trl.async_math_reward(
            ["q", "q"], [r"\boxed{4}", conversation(r"\boxed{5}")], answer=["4", "4"]
        )
        code_rewards = await trl.async_code_reward(["p"], [conversation(GOOD)], tests=[STDIO])
        own = trl.make_async_math_reward(base_url=env)
        return math_rewards, code_rewards, await own(["q"], [r"\boxed{1}"], answer=["1"])

    assert asyncio.run(run()) == ([1.0, 0.0], [1.0], [1.0])
    assert asyncio.run(run()) == ([1.0, 0.0], [1.0], [1.0])  # a new event loop, new clients


def test_task_routing_and_conversions() -> None:
    for source in ("openai/gsm8k", "lighteval/MATH", "aime_2024", "math", "AI-MO/NuminaMath"):
        assert task_of(source) == "math", source
    for source in ("deepmind/code_contests", "codecontests", "codeparrot/apps", "BAAI/TACO"):
        assert task_of(source) == "code", source
    for source in ("livecodebench", "openai_humaneval", "mbpp", "code"):
        assert task_of(source) == "code", source
    assert task_of("whatever", {"task": "code"}) == "code"
    with pytest.raises(ValueError, match='extra_info\\["task"\\]'):
        task_of("squad")
    assert code_tests({"inputs": [["1 2"]], "outputs": [["3"]]}) == {
        "kind": "stdio",
        "cases": [{"stdin": "1 2\n", "stdout": "3\n"}],
    }
    assert code_tests([{"input": "1", "output": "2"}])["cases"] == [{"stdin": "1", "stdout": "2"}]
    with pytest.raises(ValueError, match="fn_name"):
        code_tests({"inputs": [[1]], "outputs": [[2]], "fn_name": "f"})
    parts = [{"role": "assistant", "content": [{"type": "text", "text": "a"}, {"text": "b"}]}]
    assert completion_text(parts) == "ab"
    assert completion_text([{"role": "user", "content": "q"}]) == ""
