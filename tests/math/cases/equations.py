"""Equations: a lone variable against its value, and equations equal up to a constant factor."""

from __future__ import annotations

from tests.math.cases import Case, lines

CASES: list[Case] = [
    # --- lone variable = value ----------------------------------------------------------------
    Case(r"\boxed{x = 5}", "5", "correct"),
    Case(r"\boxed{5}", "x = 5", "correct", "the reference is the equation"),
    Case(r"\boxed{5 = x}", "5", "correct", "the lone variable on the right"),
    Case(r"The answer is $x = \frac{1}{2}$.", "0.5", "correct"),
    Case(r"\boxed{a = -3}", "-3", "correct"),
    Case(r"\boxed{k = \sqrt{2}}", r"\sqrt{2}", "correct"),
    Case(r"$\boxed{x=7}$", "x = 7", "correct"),
    Case(r"\boxed{x = -5}", "5", "wrong"),
    Case(r"\boxed{x = 6}", "5", "wrong"),
    Case(r"\boxed{x = 5}", "x = 50", "wrong"),
    Case(r"\boxed{y = 5}", "x = 5", "wrong", "a different variable: not a multiple"),
    # --- lines and curves ---------------------------------------------------------------------
    Case(r"The line is $y = 2x + 3$.", "y = 2x + 3", "no_answer", "no anchor"),
    Case(r"The answer is $y = 2x + 3$.", "y = 2x + 3", "correct"),
    Case(r"\boxed{2y = 4x + 6}", "y = 2x + 3", "correct", "both sides times 2"),
    Case(r"\boxed{y - 2x - 3 = 0}", "y = 2x + 3", "correct"),
    Case(r"\boxed{2x + 3 = y}", "y = 2x + 3", "correct", "sides swapped"),
    Case(r"\boxed{-y = -2x - 3}", "y = 2x + 3", "correct", "times -1"),
    Case(r"\boxed{3x + 2y = 6}", r"y = -\frac{3}{2}x + 3", "correct"),
    Case(r"\boxed{\frac{x}{2} + \frac{y}{3} = 1}", "3x + 2y = 6", "correct", "times 6"),
    Case(r"\boxed{x + y - 1 = 0}", "y = 1 - x", "correct"),
    Case(r"\boxed{y = x^2 - 4x + 4}", "y = (x-2)^2", "correct"),
    Case(r"\boxed{2x^2 + 2y^2 = 2}", "x^2 + y^2 = 1", "correct"),
    Case(
        lines(
            r"Completing the square: $x^2 - 2x + y^2 + 4y = 4$.",
            r"So the circle is $\boxed{(x-1)^2 + (y+2)^2 = 9}$.",
        ),
        "x^2 - 2x + y^2 + 4y - 4 = 0",
        "correct",
    ),
    Case(r"\boxed{y = 3x + 2}", "y = 2x + 3", "wrong"),
    Case(r"\boxed{y = 2x + 6}", "y = 2x + 3", "wrong", "only one side scaled"),
    Case(r"\boxed{2y = 4x + 3}", "y = 2x + 3", "wrong", "only part of one side scaled"),
    Case(r"\boxed{y = -2x + 3}", "y = 2x + 3", "wrong"),
    Case(r"\boxed{y = 2(x + 3)}", "y = 2x + 3", "wrong"),
    Case(r"\boxed{y = 2x + 3}", "y = 2x", "wrong"),
    Case(r"\boxed{x + y = 1}", "x - y = 1", "wrong"),
    Case(r"\boxed{x^2 + y^2 = 4}", "x^2 + y^2 = 1", "wrong"),
]
