"""Synthetic arithmetic word problems with integer answers and step-by-step solutions."""

from __future__ import annotations

import random
from dataclasses import dataclass

NAMES = ("Ann", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Ida")
THINGS = ("pens", "cards", "coins", "beads", "shells", "stamps")


@dataclass(frozen=True)
class Problem:
    op: str
    a: int
    b: int
    answer: int
    question: str

    @property
    def prompt(self) -> str:
        return f"{self.question}\nA:"

    @property
    def reference(self) -> str:
        return str(self.answer)

    def solution(self, worked: bool = True) -> str:
        """The solution the warm-up imitates, ending with "The answer is N.": worked step by
        step, or (`worked=False`) the answer alone, as a model answering at a glance would."""
        if not worked:
            return f" The answer is {self.answer}."
        steps = {"add": _add_steps, "sub": _sub_steps, "mul": _mul_steps, "div": _div_steps}
        return f" {steps[self.op](self.a, self.b)} The answer is {self.answer}."


def _number(rng: random.Random, digits: int) -> int:
    return rng.randint(10 ** (digits - 1), 10**digits - 1)


def make_problem(rng: random.Random, op: str, digits: int) -> Problem:
    name, thing = rng.choice(NAMES), rng.choice(THINGS)
    if op == "add":
        a, b = _number(rng, digits), _number(rng, digits)
        text = f"{name} has {a} {thing} and gets {b} more. How many now?"
        return Problem(op, a, b, a + b, text)
    if op == "sub":
        a, b = sorted((_number(rng, digits), _number(rng, digits)), reverse=True)
        text = f"{name} had {a} {thing} and gave away {b}. How many are left?"
        return Problem(op, a, b, a - b, text)
    if op == "mul":
        a, b = _number(rng, digits), _number(rng, max(1, digits // 2))
        text = f"{name} buys {b} boxes of {a} {thing}. How many {thing} in all?"
        return Problem(op, a, b, a * b, text)
    if op == "div":
        quotient, b = _number(rng, digits), rng.randint(2, 9)
        a = quotient * b
        text = f"{name} shares {a} {thing} among {b} friends. How many each?"
        return Problem(op, a, b, quotient, text)
    raise ValueError(f"unknown op {op!r}")


def make_problems(seed: int, count: int, ops: tuple[str, ...], digits: int) -> list[Problem]:
    """`count` problems, the same for the same arguments."""
    rng = random.Random(seed)
    return [make_problem(rng, rng.choice(ops), digits) for _ in range(count)]


def _add_steps(a: int, b: int) -> str:
    """Column sums from the right, a carried 1 written as "1+": `8+7=15, 1+4+3=8.`"""
    top, bottom = str(a)[::-1], str(b)[::-1]
    carry, columns = 0, []
    for i in range(max(len(top), len(bottom))):
        x = int(top[i]) if i < len(top) else 0
        y = int(bottom[i]) if i < len(bottom) else 0
        total = carry + x + y
        columns.append(f"{'1+' if carry else ''}{x}+{y}={total}")
        carry = total // 10
    return f"{','.join(columns)}."


def _sub_steps(a: int, b: int) -> str:
    """Column differences from the right; a borrow shows as the top digit plus 10, less 1."""
    top, bottom = str(a)[::-1], str(b)[::-1]
    borrow, columns = 0, []
    for i, digit in enumerate(top):
        x = int(digit) - borrow
        y = int(bottom[i]) if i < len(bottom) else 0
        borrow = 1 if x < y else 0
        x += 10 * borrow
        columns.append(f"{x}-{y}={x - y}")
    return f"{','.join(columns)}."


def _mul_steps(a: int, b: int) -> str:
    digits = str(b)[::-1]
    partials = [a * int(d) * 10**i for i, d in enumerate(digits)]
    lines = [
        f"{a}*{int(d) * 10**i}={p}" for i, (d, p) in enumerate(zip(digits, partials, strict=True))
    ]
    if len(partials) > 1:
        lines.append(f"{'+'.join(map(str, partials))}={sum(partials)}")
    return f"{','.join(lines)}."


def _div_steps(a: int, b: int) -> str:
    quotient = a // b
    return f"{b}*{quotient}={a}."
