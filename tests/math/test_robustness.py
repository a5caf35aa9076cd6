"""Random LaTeX-ish noise never makes the verifier raise: each bad answer is an item verdict."""

from __future__ import annotations

import random

import pytest

from verifier_service.math.compare import Policy
from verifier_service.math.extract import extract_answers
from verifier_service.math.judge import judge_normalized, normalize_all

TOKENS = [
    *"0123456789+-*/^_{}()[].,=<> xyzab%!|&:;$",
    r"\frac", r"\sqrt", r"\pi", r"\infty", r"\text{cm}", r"\cup", r"\{", r"\}", r"\pm",
    r"\in", r"\le", r"\sin", r"\log", r"\binom", r"\cdot", r"\times", r"\boxed", r"\fbox",
    r"\left(", r"\right)", r"\\", r"\overline{", r"\%", r"\$", r"\unit{",
    " or ", "\\begin{pmatrix}", "\\end{pmatrix}", "e", "i", "°", "−", "<think>", "</think>",
    "answer is ", "#### ", " dollars", "\\text{", "1,000",
]  # fmt: skip


def noise(rng: random.Random, longest: int) -> str:
    return "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, longest)))


@pytest.mark.parametrize("seed", range(4))
def test_service_side_rules_never_raise(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(3000):
        response, reference = noise(rng, 30), noise(rng, 12)
        answers = extract_answers(response, rng.choice(["anchored", "boxed", "raw"]))
        if answers:
            policy = Policy(rng.choice([None, 0.01]))
            judge_normalized(normalize_all(answers), normalize_all([reference]), policy, deep=False)


@pytest.mark.parametrize("seed", range(2))
def test_worker_side_judging_never_raises(seed: int) -> None:
    rng = random.Random(100 + seed)
    for _ in range(150):
        answer, reference = noise(rng, 10) or "1", noise(rng, 8) or "1"
        decision = judge_normalized(
            normalize_all([answer]), normalize_all([reference]), Policy(None), deep=True
        )
        assert decision is not None
        assert decision.verdict in ("correct", "wrong", "invalid_reference")
