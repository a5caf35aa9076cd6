"""Intervals and unions: endpoints as numbers, closedness, inequalities, infinity."""

from __future__ import annotations

from tests.math.cases import Case, lines

CASES: list[Case] = [
    Case(r"\boxed{[1, 2)}", "[1,2)", "correct"),
    Case(r"\boxed{\left[ -2, 2 \right]}", "[-2, 2]", "correct", r"\left/\right removed"),
    Case(r"\boxed{[0, 0.5]}", r"[0, \frac{1}{2}]", "correct", "endpoints compared as numbers"),
    Case(r"\boxed{[-\frac{1}{2}, 3)}", "[-0.5, 3)", "correct"),
    Case(r"\boxed{(\sqrt{2}, \pi]}", r"(\frac{2}{\sqrt{2}}, \pi]", "correct"),
    Case(r"\boxed{(2, +\infty)}", r"(2, \infty)", "correct"),
    Case(r"\boxed{(-\infty, \infty)}", r"(-\infty, +\infty)", "correct"),
    Case(
        r"\boxed{(1, \infty) \cup (-\infty, 0)}",
        r"(-\infty, 0) \cup (1, \infty)",
        "correct",
        "a union is a set: order of the pieces does not matter",
    ),
    Case(
        r"\boxed{(-\infty, -1] \cup [1, \infty)}",
        r"(-\infty,-1]\cup[1,\infty)",
        "correct",
    ),
    Case(
        lines(
            r"The quadratic $x^2 - 4$ is positive outside its roots $\pm 2$.",
            r"The solution set is $\boxed{\left(-\infty, -2\right) \cup \left(2, \infty\right)}$.",
        ),
        r"(-\infty,-2)\cup(2,\infty)",
        "correct",
    ),
    # --- inequalities vs intervals ------------------------------------------------------------
    Case(r"\boxed{(-\infty, 3)}", "x < 3", "correct"),
    Case(r"\boxed{x \le 3}", r"(-\infty, 3]", "correct"),
    Case(r"\boxed{x \geq 2}", r"[2, \infty)", "correct"),
    Case(r"\boxed{1 < x \le 2}", "(1, 2]", "correct"),
    Case(r"\boxed{-2 \le x \le 2}", "[-2, 2]", "correct"),
    Case(r"\boxed{3 < x}", r"(3, \infty)", "correct", "variable on the right"),
    Case(r"The answer is $(0, \infty)$.", "x > 0", "correct"),
    Case(r"\boxed{x < 3}", r"(-\infty, 3]", "wrong", "strict vs non-strict"),
    Case(r"\boxed{x \ge 0}", r"(0, \infty)", "wrong", "0 included vs excluded"),
    Case(r"\boxed{x > 2}", r"[2, \infty)", "wrong"),
    Case(r"\boxed{x > 3}", r"(-\infty, 3)", "wrong", "direction reversed"),
    # --- open vs closed, endpoints, pieces ----------------------------------------------------
    Case(r"\boxed{(1, 2)}", "(1, 2]", "wrong"),
    Case(r"\boxed{(1, 2]}", "[1, 2]", "wrong"),
    Case(r"\boxed{(-\infty, 3]}", r"(-\infty, 3)", "wrong"),
    Case(r"\boxed{[1, 3]}", "[1, 4]", "wrong"),
    Case(r"\boxed{(-\infty, 0)}", r"(0, \infty)", "wrong"),
    Case(r"\boxed{[2, \infty)}", r"(-\infty, 2]", "wrong"),
    Case(r"\boxed{(0, 2)}", r"(0,1)\cup(1,2)", "wrong", "the point 1 is excluded"),
    Case(r"\boxed{(1,2) \cup (3,4)}", r"(1,2)\cup[3,4)", "wrong"),
    Case(r"\boxed{(-\infty, -1) \cup (1, \infty)}", "(-1, 1)", "wrong", "complement"),
    Case(r"\boxed{(-\infty, 1) \cup (1, \infty)}", r"(-\infty, \infty)", "wrong"),
    Case(r"\boxed{(-\infty, 2)}", r"(-\infty, 2) \cup (3, \infty)", "wrong", "a piece missing"),
]
