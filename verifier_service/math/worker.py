"""What a math worker process runs: deep judging of normalised answers."""

from __future__ import annotations

from dataclasses import dataclass

from verifier_service.math.compare import Policy
from verifier_service.math.decision import Decision
from verifier_service.math.judge import judge_normalized, judge_response

_WARM_UP_ITEMS = (
    (r"\boxed{\frac{\sqrt{2}}{2}}", r"\frac{1}{\sqrt{2}}"),
    (r"\boxed{(x+1)^2}", r"x^2+2x+1"),
    (r"\boxed{[1, 2) \cup (3, \infty)}", r"x \geq 1"),
    (r"\boxed{\begin{pmatrix} 1 & 2 \end{pmatrix}}", r"(1, 2)"),
    (r"\boxed{y = 2x + 3}", r"2y = 4x + 6"),
    (r"\boxed{1 \pm \sqrt{3}}", r"\{1+\sqrt{3}, 1-\sqrt{3}\}"),
    (r"\boxed{\pi e^{i} \log_2 8 \sin x}", r"\binom{5}{2} \cdot 3!"),
)


@dataclass(frozen=True, slots=True)
class MathTask:
    answers: tuple[str, ...]
    references: tuple[str, ...]
    tolerance: float | None


def judge_task(task: MathTask) -> Decision:
    decision = judge_normalized(task.answers, task.references, Policy(task.tolerance), deep=True)
    assert decision is not None
    return decision


def warm_up() -> None:
    """Exercise the parser once so the first real item does not pay its start-up cost."""
    for response, reference in _WARM_UP_ITEMS:
        judge_response(response, [reference])
