"""Expressions with variables: polynomial and trigonometric identities, rational functions."""

from __future__ import annotations

from tests.math.cases import Case, lines

CASES: list[Case] = [
    # --- polynomials --------------------------------------------------------------------------
    Case(r"$f(x) = \boxed{(x+1)^2}$", "x^2+2x+1", "correct"),
    Case(r"The answer is $x^2 + x - 2$.", "(x-1)(x+2)", "correct"),
    Case(r"\boxed{a^3+3a^2b+3ab^2+b^3}", "(a+b)^3", "correct"),
    Case(r"\boxed{\left(x - \frac{1}{2}\right)^2}", r"x^2 - x + \frac{1}{4}", "correct"),
    Case(r"\boxed{x^3+3x^2+2x}", "x(x+1)(x+2)", "correct"),
    Case(r"\boxed{1.5x}", r"\frac{3x}{2}", "correct", "decimal coefficient is exact"),
    Case(
        lines(
            r"Expanding, $3(x-2) + 6 = 3x - 6 + 6$.",
            r"Therefore the simplified form is $\boxed{3x}$.",
        ),
        "3(x - 2) + 6",
        "correct",
    ),
    Case(r"\boxed{x^2-x-2}", "(x-1)(x+2)", "wrong", "sign of the linear term"),
    Case(r"\boxed{x^2+1}", "(x+1)^2", "wrong"),
    Case(r"\boxed{x^2+2x}", "(x+1)^2", "wrong", "constant term missing"),
    Case(r"\boxed{2x}", "x^2", "wrong", "agree at x = 0 and x = 2 only"),
    Case(r"\boxed{x^3}", "x^2", "wrong", "agree at x = 0 and x = 1 only"),
    Case(r"\boxed{x+y}", "x-y", "wrong"),
    # --- trigonometric identities -------------------------------------------------------------
    Case(r"\boxed{\sin^2(x) + \cos^2(x)}", "1", "correct"),
    Case(r"\boxed{2\sin(x)\cos(x)}", r"\sin(2x)", "correct"),
    Case(r"\boxed{1 - 2\sin^2(x)}", r"\cos(2x)", "correct"),
    Case(r"\boxed{\cos^2(x) - \sin^2(x)}", r"\cos(2x)", "correct"),
    Case(r"\boxed{\frac{\sin(x)}{\cos(x)}}", r"\tan(x)", "correct"),
    Case(r"\boxed{-\sin(x)}", r"\sin(x + \pi)", "correct"),
    Case(r"\boxed{\sin(x)}", r"\cos(x)", "wrong"),
    Case(r"\boxed{2\sin(x)}", r"\sin(2x)", "wrong"),
    Case(r"\boxed{2\cos^2(x)}", r"\cos(2x)", "wrong", "the -1 is missing"),
    Case(r"\boxed{\cot(x)}", r"\tan(x)", "wrong"),
    # --- rational functions, exponentials -----------------------------------------------------
    Case(r"\boxed{\frac{x+y}{xy}}", r"\frac{1}{x}+\frac{1}{y}", "correct"),
    Case(r"\boxed{\frac{2}{x^2-1}}", r"\frac{1}{x-1} - \frac{1}{x+1}", "correct"),
    Case(r"\boxed{\frac{2x+2}{2}}", "x+1", "correct"),
    Case(r"\boxed{e^{x} e^{y}}", "e^{x+y}", "correct"),
    Case(r"\boxed{2 \cdot 2^{x}}", "2^{x+1}", "correct"),
    Case(r"\boxed{\frac{x}{2}}", r"\frac{2}{x}", "wrong"),
    Case(r"\boxed{\frac{x-1}{x+1}}", r"\frac{x+1}{x-1}", "wrong"),
    Case(r"\boxed{e^{xy}}", "e^{x+y}", "wrong"),
    # --- sqrt(x^2) ----------------------------------------------------------------------------
    Case(r"\boxed{\sqrt{x^2}}", "x", "wrong", r"\sqrt{x^2} is |x|, differs for negative x"),
    Case(r"\boxed{x}", r"\sqrt{x^2}", "wrong", "the same in the other direction"),
    Case(r"\boxed{|x|}", r"\sqrt{x^2}", "correct"),
]
