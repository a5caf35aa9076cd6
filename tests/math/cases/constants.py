"""Symbolic constants: radicals, pi, e, logs, binomials, small factorials, powers."""

from __future__ import annotations

from tests.math.cases import Case, lines

CASES: list[Case] = [
    # --- radicals -----------------------------------------------------------------------------
    Case(r"\boxed{2\sqrt{2}}", r"\sqrt{8}", "correct"),
    Case(r"The answer is $\frac{\sqrt{2}}{2}$.", r"\frac{1}{\sqrt{2}}", "correct"),
    Case(r"\boxed{\sqrt{3}/3}", r"\frac{1}{\sqrt{3}}", "correct", "rationalised denominator"),
    Case(r"\boxed{\sqrt{12}}", r"2\sqrt{3}", "correct"),
    Case(r"\boxed{\sqrt{5+2\sqrt{6}}}", r"\sqrt{2}+\sqrt{3}", "correct", "nested radical"),
    Case(r"\boxed{\sqrt[3]{27}}", "3", "correct"),
    Case(r"\boxed{\sqrt{2}\cdot\sqrt{8}}", "4", "correct"),
    Case(r"\boxed{4^{-1/2}}", r"\frac{1}{2}", "correct"),
    Case(r"\boxed{3\sqrt{2}}", r"\sqrt{12}", "wrong"),
    Case(r"\boxed{\sqrt{3}}", r"\sqrt{2}", "wrong"),
    Case(r"\boxed{\sqrt{2}+\sqrt{3}}", r"\sqrt{5}", "wrong"),
    Case(r"\boxed{1.414}", r"\sqrt{2}", "wrong", "an exact reference rejects an approximation"),
    # --- pi and e -----------------------------------------------------------------------------
    Case(r"\boxed{\frac{\pi}{2}}", r"\pi/2", "correct"),
    Case(r"\boxed{\pi^2/6}", r"\frac{\pi^{2}}{6}", "correct"),
    Case(r"\boxed{\frac{4}{3}\pi}", r"\frac{4\pi}{3}", "correct"),
    Case(r"\boxed{e^2}", "e^{2}", "correct"),
    Case(r"\boxed{\frac{1}{1-\frac{1}{e}}}", r"\frac{e}{e-1}", "correct"),
    Case(r"\boxed{\sin\left(\frac{\pi}{6}\right)}", r"\frac{1}{2}", "correct"),
    Case(r"\boxed{\sqrt{2}}", "1.41", "correct", "answer rounds to the 2-digit reference"),
    Case(r"\boxed{2\pi}", r"\pi", "wrong"),
    Case(r"\boxed{\frac{22}{7}}", r"\pi", "wrong"),
    Case(r"\boxed{3.14}", r"\pi", "wrong", "an exact reference rejects an approximation"),
    Case(r"\boxed{2.718281828}", "e", "wrong", "an exact reference rejects an approximation"),
    Case(r"\boxed{e^{-2}}", "e^{2}", "wrong"),
    Case(r"\boxed{\frac{1}{e}}", "e", "wrong"),
    Case(
        r"\boxed{0.785}", r"\frac{\pi}{4}", "wrong", "an exact reference rejects an approximation"
    ),
    Case(r"\boxed{\sqrt{3}}", "1.41", "wrong", r"\sqrt{3} rounds to 1.73"),
    # --- logs ---------------------------------------------------------------------------------
    Case(r"\boxed{3\ln 2}", r"\ln 8", "correct"),
    Case(r"\boxed{\log_2 8}", "3", "correct"),
    Case(r"\boxed{\log_3 81}", "4", "correct"),
    Case(r"\boxed{e^{\ln 5}}", "5", "correct"),
    Case(r"\boxed{\ln 2}", r"\log_2 e", "wrong"),
    Case(r"\boxed{\log_8 2}", r"\log_2 8", "wrong"),
    # --- binomials, factorials, powers --------------------------------------------------------
    Case(r"\boxed{\binom{5}{2}}", "10", "correct"),
    Case(r"\boxed{\binom{6}{3}}", "20", "correct"),
    Case(r"\boxed{\binom{10}{3}}", "5!", "correct", "both are 120"),
    Case(r"\boxed{5!}", "120", "correct"),
    Case(
        lines(
            r"The number of ordered pairs of distinct chairs is $\frac{10!}{8!} = 10 \cdot 9$.",
            r"So the answer is $\boxed{\frac{10!}{8!}}$.",
        ),
        "90",
        "correct",
    ),
    Case(r"\boxed{2^{10}}", "1024", "correct"),
    Case(r"\boxed{2^{-3}}", "0.125", "correct"),
    Case(r"\boxed{\binom{6}{2}}", "20", "wrong", "C(6,2) = 15"),
    Case(r"\boxed{4!}", "120", "wrong"),
    Case(r"\boxed{2^{10}}", "1000", "wrong"),
]
