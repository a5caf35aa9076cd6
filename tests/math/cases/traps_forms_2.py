"""Second round of traps for the answer forms fixed after the first round (prose tails, joined
boxes, "Final Answer" lines after boxes, custom anchors, multiple choice, units and multiplier
words, labels with primes, equation chains, lenient final sentences), plus answers as real
models write them that must stay correct.

Each case is labelled with the verdict a careful grader gives; a case that fails against the
verifier shows a false "correct" (a trap) or a false "wrong" (marked so in its note).
"""

from __future__ import annotations

from tests.math.cases import Case, lines

LENIENT = {"extraction": "lenient"}
ANSWER_PREFIX = {"anchors": ["Answer:"]}

CASES: list[Case] = [
    # --- prose tails: a qualifier, a multiplier or a hedge after the value ---------------------
    Case("The answer is 5 for n even.", "5", "wrong", "a conditional answer"),
    Case("The answer is up to 5.", "5", "wrong", "a bound is not the value"),
    Case("The answer is somewhere near 5.", "5", "wrong", "an estimate"),
    Case("The answer is close to 5.", "5", "wrong", "an estimate"),
    Case("The answer is 5 when rounded.", "5", "wrong", "the exact value is not 5"),
    Case("The answer is 5 at best.", "5", "wrong", "a bound"),
    Case("The answer is 5 onwards.", "5", "wrong", "a range starting at 5"),
    Case("The answer is 5 hopefully.", "5", "wrong", "a hedge, not a unit"),
    Case("The answer is 5 I think.", "5", "wrong", "a hedge, not a unit"),
    Case("The answer is 5 hundred.", "5", "wrong", "500, not 5: 'hundred' is not a unit"),
    Case("The answer is 5 thousand.", "5", "wrong", "5000, not 5"),
    Case("The answer is 5 million.", "5", "wrong", "5000000, not 5"),
    Case("The answer is 5 dozen.", "5", "wrong", "60, not 5"),
    Case("The answer is 5 billion dollars.", "5", "wrong", "a multiplier before the unit"),
    Case("The answer is 5 factorial.", "5", "wrong", "120, not 5"),
    Case("The answer is 5 inverse.", "5", "wrong", "1/5, not 5"),
    Case(
        "The answer is 5 percent of 20.",
        "5",
        "wrong",
        "1; currently raises RecursionError in sympy's abs (not caught by _parsed_outcome)",
    ),
    Case("The answer is $5$?", "5", "wrong", "a question, not a statement"),
    # --- a second value after the main clause ----------------------------------------------------
    Case("The answer is 5; 6 is also valid.", "5", "wrong", "claims two values"),
    Case("The answer is 5, and 6.", "5", "wrong", "two values"),
    Case("The answer is 5, but 6 works too.", "5", "wrong", "claims two values"),
    Case("The answer is 5, as is 6.", "5", "wrong", "claims two values"),
    Case("The answer is 5, and so is 6.", "5", "wrong", "claims two values"),
    Case("The answer is 5, and also 6.", "5", "wrong", "claims two values"),
    Case("The answer is $5$; $6$ also works.", "5", "wrong", "claims two values"),
    Case("The answer is $5$, but $6$ works too.", "5", "wrong", "claims two values"),
    Case("The answer is $x = 5$ and also $x=6$.", "5", "wrong", "two roots against one"),
    Case("#### 5, but 6 also works", "5", "wrong", "claims two values"),
    Case("#### 5; 6", "5", "wrong", "two values"),
    Case("The answer is 5. Also 6.", "5", "no_answer", "a second value in the next sentence"),
    Case("The answer is 5. Hmm, or 6.", "5", "no_answer", "a second thought after 'Hmm,'"),
    Case(
        "The answer is 5. Though 6 is possible.", "5", "no_answer", "a hedge in the next sentence"
    ),
    # --- custom anchors ------------------------------------------------------------------------
    Case("Answer: 5, but 6 works too", "5", "wrong", "claims two values", ANSWER_PREFIX),
    Case("Answer: 5; also 6", "5", "wrong", "two values", ANSWER_PREFIX),
    Case("Answer: 5. Also 6.", "5", "no_answer", "two values on the anchor's line", ANSWER_PREFIX),
    Case("Answer: 5 thousand", "5", "wrong", "5000, not 5", ANSWER_PREFIX),
    Case("Answer: 5 hmm", "5", "wrong", "a hesitation is not a unit", ANSWER_PREFIX),
    Case(
        "Answer: 12 (since 3*4)",
        "12",
        "correct",
        "false wrong: a parenthesised reason after the value",
        ANSWER_PREFIX,
    ),
    Case("Answer: 12", "12", "correct", "", ANSWER_PREFIX),
    Case(lines("<think>hmm</think>", "", "Answer: 12"), "12", "correct", "", ANSWER_PREFIX),
    # --- multiple choice: a second option after the main clause ----------------------------------
    Case("The answer is B; D is also correct.", "B", "wrong", "two options"),
    Case("The answer is B, as is D.", "B", "wrong", "two options"),
    Case("The answer is B, and D.", "B", "wrong", "two options"),
    Case("The answer is B, but D works too.", "B", "wrong", "two options"),
    Case("The answer is B as well as D.", "B", "wrong", "two options"),
    Case("The answer is E: 5, D: 4", "E", "wrong", "two options, each with its text"),
    Case("The answer is E) 5; D) 4", "E", "wrong", "two options, each with its text"),
    Case("The answer is C, since A and B fail.", "C", "correct"),
    Case(r"Therefore, the answer is $\boxed{\text{(C)}\ 5}$.", "C", "correct"),
    Case("The answer is (B) $\\frac{1}{2}$.", "B", "correct"),
    Case(r"So the final answer is $\boxed{E}$.", "E", "correct"),
    # --- boxes, and statements after the last box ------------------------------------------------
    Case(
        lines(r"\boxed{2}", "", "The final answer is 2 or 3."),
        "2",
        "wrong",
        "the closing statement hedges the box",
    ),
    Case(
        lines(r"\boxed{2}", "", "My final answer is 2. But actually, 7."),
        "2",
        "no_answer",
        "the response withdraws the box",
    ),
    Case(
        r"(a) $\boxed{3}$ (b) $\boxed{4}$",
        "3, 4",
        "correct",
        "false wrong: a part marker after a space is not seen as one",
    ),
    Case(
        r"\boxed{2}, \boxed{2}, \boxed{3}",
        "2, 2, 3",
        "correct",
        "false wrong: joined boxes drop the repeated root that the reference lists",
    ),
    Case(lines("(a) $\\boxed{5}$", "(b) $\\boxed{7}$"), "5, 7", "correct"),
    Case(r"**(a)** $\boxed{5}$ **(b)** $\boxed{7}$", "5, 7", "correct"),
    Case(r"For part (a): $\boxed{5}$. For part (b): $\boxed{7}$.", "5, 7", "correct"),
    Case(r"The roots are $x = \boxed{2}$ and $x = \boxed{-3}$.", "-3, 2", "correct"),
    Case(
        r"\boxed{(1,2),(1,2)}",
        "(1,2)",
        "correct",
        "false wrong: repeating the one solution tuple claims nothing more",
    ),
    Case(
        lines(r"\boxed{5}", "", "## Final Answer", "6"),
        "5",
        "wrong",
        "a Final Answer heading after the box states 6",
    ),
    Case(
        lines("The answer is 5.", "", "**Final Answer**", "6"),
        "5",
        "wrong",
        "the closing Final Answer heading states 6",
    ),
    Case(
        lines(r"\boxed{5}", "", "Final Answer: 5 thousand"),
        "5",
        "wrong",
        "the stated final answer is 5000",
    ),
    # --- multiplier words and non-units inside a box ---------------------------------------------
    Case(r"\boxed{5 \text{ million}}", "5", "wrong", "5000000, not 5"),
    Case(r"\boxed{5 \text{ thousand}}", "5", "wrong", "5000, not 5"),
    Case(r"\boxed{2 \text{ dozen}}", "2", "wrong", "24, not 2"),
    Case(r"\boxed{3 \text{ factorial}}", "3", "wrong", "6, not 3"),
    Case(r"\boxed{2 \text{ thirds}}", "2", "wrong", "2/3, not 2"),
    Case(r"\boxed{3 \text{ (approx)}}", "3", "wrong", "an approximation of an exact 3"),
    Case(r"\boxed{3 \text{ approx.}}", "3", "wrong", "an approximation of an exact 3"),
    Case(
        r"\boxed{5 \text{ million}}",
        "5000000",
        "correct",
        "false wrong: the multiplier word is dropped as a unit",
    ),
    Case("The answer is 1.5 million.", "1500000", "correct", "false wrong: a multiplier word"),
    Case("#### 2.5 million", "2500000", "correct", "false wrong: a multiplier word"),
    Case(r"\boxed{2 \text{ pairs}}", "2", "correct"),
    # --- references with multiplier words ------------------------------------------------------
    Case(r"\boxed{5}", "5 thousand", "wrong", "the reference is 5000"),
    Case(r"\boxed{5}", r"5 \text{ million dollars}", "wrong", "the reference is 5000000"),
    Case(r"\boxed{5}", r"\$5 \text{ million}", "wrong", "the reference is 5000000"),
    Case(r"\boxed{5}", "The answer is 5 thousand.", "wrong", "a reference solution: 5000"),
    Case(r"\boxed{5000}", "The answer is 5 thousand.", "correct", "false wrong: same value"),
    # --- decimal commas --------------------------------------------------------------------------
    Case(
        r"\boxed{0, 25}",
        "0,25",
        "wrong",
        "the reference is the decimal 0.25 (leading zero); both 0.25 and the list 0, 25 match it",
    ),
    Case(r"\boxed{0.25}", "0,25", "correct"),
    Case(
        r"\boxed{1{,}5}",
        "1.5",
        "correct",
        "false wrong: `{,}` is LaTeX's decimal comma before fewer than three digits",
    ),
    Case(r"\boxed{1{,}5}", "15", "wrong"),
    # --- labels with primes and derivatives -------------------------------------------------------
    Case(r"\boxed{f''(1) = 4}", "f'(1) = 4", "wrong", "second versus first derivative"),
    Case(r"\boxed{f''(1)}", "f'(1)", "wrong", "the primes are dropped"),
    Case(r"\boxed{y''}", "y'", "wrong", "the primes are dropped"),
    Case(r"\boxed{x'' = 4}", "x' = 4", "wrong", "different labels"),
    Case(
        r"The derivative is $\boxed{f'(x) = 2x + 3}$.",
        "2x+3",
        "correct",
        "false wrong: the label f'(x) is read as an equation because x is in its value",
    ),
    Case(r"\boxed{f'(x) = 2x}", "2x", "correct", "false wrong: same"),
    Case(r"The derivative is $\boxed{y' = 3x^2}$.", "3x^2", "correct"),
    # --- chains whose steps are false ----------------------------------------------------------
    Case(r"\boxed{x = 2 = 3}", "3", "wrong", "a contradictory chain: x is 2 and 3"),
    Case(r"\boxed{\sqrt{16} = 5}", "5", "wrong", "a false chain: sqrt 16 is 4"),
    Case(r"\boxed{2+2 = 4 = 5}", "5", "wrong", "a false chain: 2+2 is 4"),
    Case(r"\boxed{x = 5+5+1 = 11}", "11", "correct"),
    # --- bases and congruences ------------------------------------------------------------------
    Case("The answer is $101_2$.", "101", "wrong", "101 in base 2 is five, not one hundred one"),
    Case("The answer is 101 in binary.", "101", "wrong", "'in binary' is read as a unit"),
    Case(r"\boxed{1011_2}", "1011", "wrong", "a base-2 numeral, not 1011"),
    Case(
        r"The remainder is $\boxed{5 \pmod 7}$.",
        "5",
        "correct",
        "false wrong: a residue written with its modulus",
    ),
    Case(r"\boxed{5 \pmod{7}}", "12", "wrong"),
    Case(
        "The answer is 50%, i.e. 0.5.",
        "0.5",
        "correct",
        "false wrong: the 'i.e.' restatement breaks the sentence",
    ),
    # --- clock times -----------------------------------------------------------------------------
    Case(
        "The answer is 3:45 in the afternoon.",
        "3:45 am",
        "wrong",
        "'in the afternoon' is read as a unit and dropped",
    ),
    Case("Final Answer: The final answer is 3:45 PM. I hope it is correct.", "3:45 pm", "correct"),
    # --- lenient final sentences -----------------------------------------------------------------
    Case("So the total is $5$ thousand.", "5", "no_answer", "5000, not 5", LENIENT),
    Case("Therefore there are 5 thousand ways.", "5", "no_answer", "5000, not 5", LENIENT),
    Case("It could be $5$.", "5", "no_answer", "a hedge", LENIENT),
    Case("So $n = 5$ works, but so does $n=6$.", "5", "no_answer", "two values", LENIENT),
    Case("So $n = 5$ works, as does $n=6$.", "5", "no_answer", "two values", LENIENT),
    Case("Let $n = 5$.", "5", "no_answer", "a supposition, not an answer", LENIENT),
    Case("Assume the answer is $5$.", "5", "no_answer", "a supposition", LENIENT),
    Case("If the answer is $5$, then we are done.", "5", "no_answer", "a condition", LENIENT),
    Case("Is the answer $5$?", "5", "no_answer", "a question", LENIENT),
    Case("Therefore, the probability that Alice wins is 2/3.", "2/3", "correct", "", LENIENT),
    # --- real model outputs that must stay correct ---------------------------------------------
    Case(
        lines("<think>", "6*7=42.", "</think>", "", "**Final Answer**", r"\boxed{42}"),
        "42",
        "correct",
    ),
    Case(
        lines("<think>", "ok", "</think>", "", r"The final answer is $\boxed{\dfrac{3}{4}}$"),
        "0.75",
        "correct",
    ),
    Case(
        lines("Janet has 16 - 3 - 4 = 9 eggs.", "She makes 9 * 2 = $18.", "#### 18"),
        "18",
        "correct",
    ),
    Case(lines("Step 1: ...", "#### 1,250"), "1250", "correct"),
    Case("Final Answer: The final answer is $(2,3)$. I hope it is correct.", "(2,3)", "correct"),
    Case("Final Answer: The final answer is $\\$18.50$. I hope it is correct.", "18.5", "correct"),
    Case(r"The answer is $\boxed{\$1,\!250}$.", "1250", "correct"),
    Case(r"Thus $\boxed{a = 2, b = -3}$.", "(2, -3)", "correct"),
    Case(
        "The answer is 12 (since 3 \\times 4 = 12).",
        "12",
        "correct",
        "false wrong: a parenthesised reason after the value",
    ),
    Case("The answer is 42 (in dollars).", "42", "correct", "false wrong: a parenthesised unit"),
    Case(r"The answer is $\boxed{7}$ (choice C).", "7", "correct"),
]
