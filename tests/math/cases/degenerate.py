"""Degenerate values: clock times, undefined values (zoo, nan) and empty sets.

Two answers that are both undefined (1/0, 0/0, oo - oo, log 0) are never equal: "undefined"
on both sides says nothing about the answer. A clock time such as 12:00 is not a ratio with a
zero part, so two different times must not collapse to the same undefined value. References here
are readable text, so a mismatch is "wrong", not "invalid_reference".
"""

from __future__ import annotations

from tests.math.cases import Case

UNDEF = "both sides are undefined; undefined never equals undefined"

CASES: list[Case] = [
    # --- clock times with a zero part (correct only when the same time) -----------------------
    Case(r"\boxed{12:00}", "1:00", "wrong", "different clock times, not two 1/0 ratios"),
    Case(r"\boxed{2:00}", "1:00", "wrong", "different clock times"),
    Case(r"\boxed{5:00}", "1:00", "wrong", "different clock times"),
    Case(r"\boxed{1:00}", "12:00", "wrong", "different clock times"),
    Case(r"\boxed{10:00}", "1:00", "wrong", "different clock times (prefix)"),
    Case(r"\boxed{4:00}", "8:00", "wrong", "different clock times"),
    Case(r"The answer is 4:00.", "5:00", "wrong", "different clock times after an anchor"),
    Case(r"\boxed{7:00}", "7:30", "wrong", "same hour, different minutes"),
    Case(r"\boxed{9:30}", "9:00", "wrong", "same hour, different minutes"),
    Case(r"\boxed{3:45}", "3:45", "correct", "same clock time"),
    Case(r"\boxed{12:00}", "12:00", "correct", "same clock time"),
    Case(r"\boxed{2:00}", "2:00", "correct", "same clock time with a zero part"),
    Case(r"The meeting starts at $\boxed{6:00}$.", "6:00", "correct", "same clock time"),
    Case(r"\boxed{10:30}", "10:30", "correct"),
    # --- division by zero ---------------------------------------------------------------------
    Case(r"\boxed{\frac{2}{0}}", r"\frac{1}{0}", "wrong", UNDEF),
    Case(r"\boxed{\frac{1}{0}}", r"\frac{2}{0}", "wrong", UNDEF),
    Case(r"\boxed{1/0}", r"-\frac{1}{0}", "wrong", UNDEF),
    Case(r"\boxed{\frac{0}{0}+1}", "0/0", "wrong", UNDEF),
    Case(r"\boxed{0/0}", r"\frac{0}{0}+1", "wrong", UNDEF),
    Case(r"\boxed{\frac{0}{0}}", r"\frac{1}{0}", "wrong", "nan vs zoo: both undefined"),
    Case(r"\boxed{\frac{5}{0}}", "5", "wrong", "undefined is not a number"),
    Case(r"\boxed{\frac{1}{0}}", r"\infty", "wrong", "1/0 is undefined, not infinity"),
    Case(r"\boxed{\frac{3}{1-1}}", r"\frac{7}{2-2}", "wrong", UNDEF),
    # --- indeterminate forms with infinity ----------------------------------------------------
    Case(r"\boxed{\infty - \infty}", "0", "wrong", "indeterminate, not zero"),
    Case(r"\boxed{2\infty - \infty}", r"\infty-\infty", "wrong", UNDEF),
    Case(r"\boxed{\infty-\infty}", r"2\infty - \infty", "wrong", UNDEF),
    Case(r"\boxed{\infty - \infty}", r"\infty", "wrong", "indeterminate, not infinity"),
    Case(r"\boxed{0 \cdot \infty}", r"\infty - \infty", "wrong", UNDEF),
    Case(r"\boxed{\frac{\infty}{\infty}}", "1", "wrong", "indeterminate, not one"),
    Case(r"\boxed{\frac{\infty}{\infty}}", r"\frac{0}{0}", "wrong", UNDEF),
    # --- logarithms and trigonometric poles ---------------------------------------------------
    Case(r"\boxed{\log 0 + 1}", r"\log 0", "wrong", UNDEF),
    Case(r"\boxed{\log 0}", r"\log 0 + 1", "wrong", UNDEF),
    Case(r"\boxed{\ln 0}", r"\frac{1}{0}", "wrong", UNDEF),
    Case(r"\boxed{\tan(3\pi/2)}", r"\tan(\pi/2)", "wrong", UNDEF),
    Case(r"\boxed{\tan(\pi/2)}", r"\tan(3\pi/2)", "wrong", UNDEF),
    Case(r"\boxed{\tan(\pi/2)}", "1/0", "wrong", UNDEF),
    Case(r"\boxed{\tan\frac{\pi}{2}}", "0", "wrong", "undefined is not zero"),
    Case(r"\boxed{\cot 0}", r"\csc 0", "wrong", UNDEF),
    Case(r"\boxed{\sec\frac{\pi}{2}}", r"\tan\frac{\pi}{2}", "wrong", UNDEF),
    # --- undefined expressions with variables -------------------------------------------------
    Case(r"\boxed{\frac{x+1}{0}}", r"\frac{x}{0}", "wrong", "undefined at every sample point"),
    Case(r"\boxed{\frac{x}{0}}", r"\frac{2x}{0}", "wrong", "undefined at every sample point"),
    Case(r"\boxed{\frac{y}{0}}", r"\frac{x}{0}", "wrong", "undefined at every sample point"),
    Case(r"\boxed{\frac{5}{x - x}}", r"\frac{1}{x-x}", "wrong", "undefined at every point"),
    Case(r"\boxed{\frac{x}{x-x}}", r"\frac{2}{0}", "wrong", "undefined at every point"),
    Case(r"\boxed{\frac{x^2}{0}}", "x^2", "wrong", "undefined is not the numerator"),
    Case(r"\boxed{\log(x - x)}", r"\log 0 + x", "wrong", "undefined at every point"),
    # --- empty sets ---------------------------------------------------------------------------
    Case(r"\boxed{\{\}}", r"\emptyset", "correct", "two spellings of the empty set"),
    Case(r"\boxed{\emptyset}", r"\{\}", "correct", "two spellings of the empty set"),
    Case(r"\boxed{\varnothing}", r"\emptyset", "correct", "two spellings of the empty set"),
    Case(r"\boxed{\varnothing}", r"\{\}", "correct", "two spellings of the empty set"),
    Case(r"\boxed{0}", r"\emptyset", "wrong", "a number is not the empty set"),
    Case(r"\boxed{0}", r"\{\}", "wrong", "a number is not the empty set"),
    Case(r"\boxed{\{0\}}", r"\emptyset", "wrong", "the set holding 0 is not empty"),
    Case(r"\boxed{\emptyset}", r"\{0\}", "wrong", "the set holding 0 is not empty"),
    Case(r"\boxed{\{\}}", "0", "wrong", "the empty set is not a number"),
    Case(r"\boxed{\emptyset}", "0", "wrong", "the empty set is not a number"),
    Case(r"\boxed{\{\emptyset\}}", r"\emptyset", "wrong", "a set holding the empty set"),
    Case(r"\boxed{x}", r"\emptyset", "wrong", "a variable is not the empty set"),
]
