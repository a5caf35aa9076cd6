"""Complex numbers, degrees, currency and units, percent, text answers, multiple choice."""

from __future__ import annotations

from tests.math.cases import Case, lines

CASES: list[Case] = [
    # --- complex numbers ----------------------------------------------------------------------
    Case(r"\boxed{4i + 3}", "3+4i", "correct"),
    Case(r"\boxed{2 - 3i}", "2-3i", "correct"),
    Case(r"\boxed{\frac{1+i\sqrt{3}}{2}}", r"\frac{1}{2} + \frac{\sqrt{3}}{2}i", "correct"),
    Case(r"\boxed{(1+i)^2}", "2i", "correct"),
    Case(r"\boxed{i^2}", "-1", "correct"),
    Case(r"\boxed{\frac{1}{i}}", "-i", "correct"),
    Case(r"\boxed{-2i}", "2i", "wrong", "conjugate / sign"),
    Case(r"\boxed{1 - i}", "1 + i", "wrong", "conjugate"),
    Case(r"\boxed{5}", "5i", "wrong"),
    Case(r"\boxed{3 + 4i}", "4 + 3i", "wrong", "real and imaginary parts swapped"),
    # --- degrees ------------------------------------------------------------------------------
    Case(r"\boxed{30^\circ}", "30", "correct"),
    Case(r"The angle is $\boxed{45^{\circ}}$.", "45", "correct"),
    Case(r"The angle measures \boxed{60°}.", r"60^\circ", "correct", "unicode degree sign"),
    Case(r"\boxed{120}", r"120^{\circ}", "correct"),
    Case(r"\boxed{60^\circ}", "30", "wrong"),
    Case(r"\boxed{90^\circ}", r"180^\circ", "wrong"),
    # --- currency and units -------------------------------------------------------------------
    Case(r"She paid $\boxed{\$12.50}$ in total.", "12.5", "correct"),
    Case(r"The answer is \$1,250.", "1250", "correct"),
    Case(lines("He earns 3 * 6 = 18 dollars.", "#### $18"), "18", "correct", "plain dollar sign"),
    Case(r"\boxed{12 \text{ dollars}}", "12", "correct"),
    Case(r"\boxed{5 \text{ cm}}", "5", "correct"),
    Case(r"\boxed{12\text{ meters}}", "12", "correct"),
    Case(r"\boxed{3.5\text{ km}}", r"\frac{7}{2}", "correct"),
    Case(r"It takes \boxed{7 \text{ hours}}.", "7", "correct"),
    Case("The answer is 36 apples.", "36", "correct", "trailing unit word"),
    Case(r"\boxed{\$12.50}", "12.05", "wrong"),
    Case(r"\boxed{\$125}", "1250", "wrong"),
    Case(r"\boxed{5 \text{ cm}}", "50", "wrong"),
    Case("The answer is 35 apples.", "36", "wrong"),
    # --- percent ------------------------------------------------------------------------------
    Case(r"\boxed{25\%}", "0.25", "correct"),
    Case(r"\boxed{0.25}", r"25\%", "correct"),
    Case(r"\boxed{25\%}", "25.5", "wrong"),
    # --- text answers -------------------------------------------------------------------------
    Case(r"\boxed{\text{Monday}}", "Monday", "correct"),
    Case("The answer is monday.", r"\text{Monday}", "correct", "case ignored"),
    Case(r"\boxed{\text{Yes}}", "yes", "correct"),
    Case("The answer is Yes.", "yes", "correct", "trailing full stop ignored"),
    Case(r"\boxed{\text{odd}}", "odd", "correct"),
    Case(r"\boxed{\text{Tuesday}}", "Monday", "wrong"),
    Case(r"\boxed{\text{no}}", "yes", "wrong"),
    Case(r"\boxed{\text{even}}", "odd", "wrong"),
    Case(r"\boxed{\text{Monday and Tuesday}}", "Monday", "wrong", "extra words"),
    # --- multiple choice ----------------------------------------------------------------------
    Case(r"\boxed{(A)}", "A", "correct"),
    Case(r"\boxed{\text{(B)}}", "B", "correct"),
    Case(r"\boxed{\text{C}}", "(C)", "correct"),
    Case(r"\boxed{C. 42}", "C", "correct", "letter followed by the option's text"),
    Case(r"\boxed{C: 42}", "C", "correct"),
    Case(r"\boxed{(D) 17}", "D", "correct"),
    Case("The answer is (E).", "E", "correct"),
    Case(r"\boxed{A}", "B", "wrong"),
    Case(r"\boxed{(D)}", "(C)", "wrong"),
    Case(r"\boxed{\text{(B)}}", "D", "wrong"),
    Case(r"\boxed{42}", "C", "wrong", "the option's text without its letter"),
    Case(r"\boxed{AB}", "A", "wrong", "two letters"),
    Case(r"\boxed{\text{A and B}}", "A", "wrong", "two options"),
    # --- units on both sides must agree -------------------------------------------------------
    Case(r"\boxed{5 \text{ cm}}", r"5 \text{ m}", "wrong", "different units"),
    Case(r"\boxed{5 \text{ cm}^2}", r"5 \text{ cm}", "wrong", "area vs length"),
    Case(r"\boxed{12 \text{ hours}}", r"12 \text{ minutes}", "wrong", "different units"),
    Case(r"The answer is 5 cm.", r"5 \text{ centimeters}", "correct", "abbreviation and word"),
    Case(r"\boxed{3 \text{ inches}}", r"3 \text{ in}", "correct", "plural and abbreviation"),
    Case(r"\boxed{7 \text{ feet}}", r"7 \text{ ft}", "correct"),
    Case(r"\boxed{\frac{1}{2} \text{ kg}}", r"0.5 \text{ kilograms}", "correct"),
    Case(r"\boxed{2 \text{ kg}}", r"2 \text{ g}", "wrong", "different units"),
]
