"""Numbers: separators, fractions, mixed numbers, scientific notation, percent, rounding."""

from __future__ import annotations

from tests.math.cases import Case, lines

CASES: list[Case] = [
    # --- thousands separators -----------------------------------------------------------------
    Case(r"\boxed{1,000}", "1000", "correct"),
    Case(r"The total is $\boxed{1{,}000}$.", "1000", "correct"),
    Case(r"The total is $\boxed{1\,000}$.", "1000", "correct"),
    Case("The answer is 1,234,567.", "1234567", "correct"),
    Case(r"\boxed{12,345.67}", "12345.67", "correct", "separator and decimal point together"),
    Case(r"\boxed{1\,234\,567}", "1,234,567", "correct", "separators on both sides"),
    Case(r"\boxed{1,000}", "100", "wrong"),
    Case(r"\boxed{1.000}", "1000", "wrong", "a decimal point is not a thousands separator"),
    # --- integers, decimals, fractions --------------------------------------------------------
    Case(r"\boxed{0.5}", r"\frac{1}{2}", "correct"),
    Case(r"\boxed{.5}", "1/2", "correct", "decimal without a leading zero"),
    Case(r"\boxed{\dfrac{1}{2}}", "0.5", "correct"),
    Case(r"\boxed{\tfrac{3}{4}}", "3/4", "correct"),
    Case(r"The answer is $3/4$.", "0.75", "correct"),
    Case(
        r"\boxed{\frac{6}{8}}", r"\frac{3}{4}", "correct", "unreduced fraction is the same number"
    ),
    Case(r"\boxed{\frac34}", "0.75", "correct", r"\frac without braces"),
    Case(r"\boxed{3.00}", "3", "correct", "exactly 3"),
    Case(r"\boxed{+5}", "5", "correct", "explicit plus sign"),
    Case(r"\boxed{0.1 + 0.2}", "0.3", "correct", "exact rationals, not floats"),
    Case(r"\boxed{\frac{3}{4}}", r"\frac{4}{3}", "wrong"),
    Case(r"\boxed{1/2}", "2", "wrong"),
    Case(r"\boxed{2.999}", "3", "wrong", "an integer reference is exact"),
    # --- mixed numbers ------------------------------------------------------------------------
    Case(r"\boxed{2\frac{1}{2}}", r"\frac{5}{2}", "correct", "mixed number"),
    Case(r"The answer is $3\tfrac{1}{4}$.", "3.25", "correct", "mixed number with \\tfrac"),
    Case(r"\boxed{2\frac{1}{2}}", "1", "wrong", "a mixed number is not 2 times 1/2"),
    # --- negative numbers ---------------------------------------------------------------------
    Case(r"\boxed{-\frac{3}{2}}", "-1.5", "correct"),
    Case(r"\boxed{\frac{-3}{2}}", r"-\frac{3}{2}", "correct"),
    Case(r"\boxed{-0.5}", "0.5", "wrong", "sign differs"),
    # --- scientific notation ------------------------------------------------------------------
    Case(r"\boxed{1.5\times10^{6}}", "1500000", "correct"),
    Case(r"\boxed{1.5e6}", "1500000", "correct"),
    Case(r"\boxed{1.5 \times 10^6}", "1.5e6", "correct"),
    Case(r"\boxed{2.5 \times 10^{-3}}", "0.0025", "correct"),
    Case(r"\boxed{6.02\times 10^{23}}", "6.02e23", "correct"),
    Case(r"\boxed{1.5e6}", "1.5e5", "wrong"),
    Case(r"\boxed{15\times10^{6}}", r"1.5\times10^{6}", "wrong", "off by a factor of 10"),
    # --- percent ------------------------------------------------------------------------------
    Case(r"\boxed{50\%}", "50", "correct"),
    Case(r"\boxed{50\%}", "0.5", "correct"),
    Case(r"\boxed{0.5}", r"50\%", "correct"),
    Case("The answer is 12.5%.", "0.125", "correct", "plain percent sign"),
    Case(r"\boxed{50\%}", "5", "wrong"),
    Case(r"\boxed{25\%}", "0.025", "wrong", "neither 25 nor 0.25"),
    Case(r"\boxed{50}", "0.5", "wrong", "no percent sign: 50 is not 0.5"),
    # --- rounded decimal references vs exact references ---------------------------------------
    Case(r"\boxed{\frac{1}{3}}", "0.33", "correct", "the spec's own example"),
    Case(r"\boxed{\frac{2}{3}}", "0.67", "correct", "rounds to the 2-digit reference"),
    Case(r"\boxed{1/3}", "0.333", "correct"),
    Case(r"\boxed{0.333}", "0.33", "correct", "0.333 rounds to 0.33"),
    Case(r"\boxed{12.5}", "12.50", "correct"),
    Case(r"\boxed{0.333}", r"\frac{1}{3}", "wrong", "an exact reference rejects an approximation"),
    Case(r"\boxed{0.67}", r"\frac{2}{3}", "wrong", "an exact reference rejects an approximation"),
    Case(r"\boxed{0.3}", "0.33", "wrong", "0.3 rounds to 0.30, not 0.33"),
    Case(r"\boxed{0.66}", "0.67", "wrong"),
    # --- numeric_tolerance --------------------------------------------------------------------
    Case(r"\boxed{100.05}", "100", "correct", "5e-4 relative", {"numeric_tolerance": 1e-3}),
    Case(
        r"\boxed{0.3333}",
        r"\frac{1}{3}",
        "correct",
        "tolerance widens an exact reference",
        {"numeric_tolerance": 1e-3},
    ),
    Case(
        lines("Half of -100.4 is -50.2.", r"So the answer is $\boxed{-50.2}$."),
        "-50",
        "correct",
        "4e-3 relative",
        {"numeric_tolerance": 0.01},
    ),
    Case(r"\boxed{100.5}", "100", "wrong", "5e-3 relative > 1e-3", {"numeric_tolerance": 1e-3}),
    Case(
        r"\boxed{50}",
        "-50",
        "wrong",
        "tolerance does not forgive sign",
        {"numeric_tolerance": 0.01},
    ),
    Case(r"\boxed{1100}", "1000", "wrong", "10% relative > 1%", {"numeric_tolerance": 0.01}),
]
