"""The generated problems: right answers, worked solutions that reach them, reproducible."""

from __future__ import annotations

import re

import pytest

from verifier_service.train.config import OPS, TrainConfig
from verifier_service.train.tasks import make_problems

ANSWER = re.compile(r"The answer is (-?\d+)\.$")


def test_answers_are_right_and_integer() -> None:
    for digits in (1, 2, 3, 4):
        for problem in make_problems(digits, 400, OPS, digits):
            a, b = problem.a, problem.b
            expected = {"add": a + b, "sub": a - b, "mul": a * b, "div": a // b}[problem.op]
            assert problem.answer == expected
            assert problem.answer >= 0
            if problem.op == "div":
                assert a % b == 0
            assert str(a) in problem.question and str(b) in problem.question
            assert len(str(a)) == digits or problem.op == "div"


def test_solutions_end_with_the_answer_and_their_steps_are_true() -> None:
    for problem in make_problems(7, 400, OPS, 3):
        solution = problem.solution()
        match = ANSWER.search(solution)
        assert match is not None and int(match.group(1)) == problem.answer
        for left, right in re.findall(r"([\d+\-*]+)=(\d+)", solution):
            assert eval(left) == int(right), (solution, left)  # digits and + - * only


def test_addition_columns_carry() -> None:
    (problem,) = [p for p in make_problems(0, 200, ("add",), 3) if p.a + p.b > 1000][:1]
    steps = problem.solution().split(" The answer")[0].strip(" .").split(",")
    assert len(steps) == 3
    digits = [int(step.split("=")[1]) % 10 for step in steps]
    carry = int(steps[-1].split("=")[1]) // 10
    assert int(f"{carry or ''}{''.join(map(str, reversed(digits)))}") == problem.answer


def test_same_seed_same_problems() -> None:
    assert make_problems(3, 50, OPS, 3) == make_problems(3, 50, OPS, 3)
    assert make_problems(3, 50, OPS, 3) != make_problems(4, 50, OPS, 3)


def test_a_direct_solution_is_the_answer_alone() -> None:
    for problem in make_problems(5, 50, OPS, 3):
        assert problem.solution(worked=False) == f" The answer is {problem.answer}."
        assert "=" in problem.solution() and problem.solution().endswith(problem.solution(False))


@pytest.mark.parametrize("share", [-0.1, 1.0])
def test_the_direct_share_of_the_warm_up_is_checked(share: float) -> None:
    with pytest.raises(ValueError, match="sft_direct_fraction"):
        TrainConfig(sft_direct_fraction=share)
