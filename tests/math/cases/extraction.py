"""Extraction: which part of the response is the final answer (docs/math.md, Extraction)."""

from __future__ import annotations

from tests.math.cases import Case, lines

BOXED = {"extraction": "boxed"}
RAW = {"extraction": "raw"}

CASES: list[Case] = [
    # --- \boxed, \fbox, nested braces ---------------------------------------------------------
    Case(r"So the total is $\boxed{\frac{3}{4}}$.", r"\frac{3}{4}", "correct"),
    Case(
        r"Hence the point is $\boxed{\left(\frac{1}{2}, \frac{\sqrt{3}}{2}\right)}$.",
        r"(1/2, \sqrt{3}/2)",
        "correct",
        "nested braces inside the box",
    ),
    Case(
        r"$$\boxed{\frac{\sqrt{\frac{1}{2}}}{2}}$$",
        r"\frac{\sqrt{2}}{4}",
        "correct",
        "three levels of nested braces",
    ),
    Case(r"The area is \fbox{12}.", "12", "correct", r"\fbox counts like \boxed"),
    Case(r"We conclude $\boxed 7$.", "7", "correct", r"\boxed without braces"),
    Case(r"The answer is $\boxed{ 5 }$.", "5", "correct", "spaces inside the box"),
    Case(r"\[\boxed{x = 2}\]", "2", "correct", "display math around the box"),
    Case(
        lines(
            r"Thus $\boxed{15}$.",
            r"As a sanity check, $3 \cdot 5 = 15$ and $15 < 20$.",
        ),
        "15",
        "correct",
        "text after the box does not matter",
    ),
    Case(r"The probability is $\boxed{\dfrac{5}{36}}$.", r"\frac{5}{36}", "correct"),
    # --- several boxes ------------------------------------------------------------------------
    Case(
        r"First, \boxed{12}. Double-checking by another route, the count is again \boxed{12}.",
        "12",
        "correct",
        "two boxes that agree",
    ),
    Case(
        r"So $p = \boxed{\frac{1}{2}}$, i.e. $\boxed{0.5}$.",
        r"\frac{1}{2}",
        "correct",
        "two boxes with different text, both equal to the reference",
    ),
    Case(
        r"Case 1 gives \boxed{3}. Case 2 gives \boxed{5}.",
        "5",
        "wrong",
        "several different boxes: every one must equal the reference",
    ),
    Case(
        r"I first got \boxed{4}, but after correcting an error it is \boxed{6}.",
        "6",
        "wrong",
        "a retracted box still counts",
    ),
    Case(
        r"\boxed{4}. Actually, the answer is 5.",
        "5",
        "wrong",
        "a box wins over 'the answer is'; the box says 4",
    ),
    # --- 'the answer is', 'Final Answer', GSM8K ####  -----------------------------------------
    Case("The answer is 42.", "42", "correct"),
    Case(
        r"Adding the two parts, the answer is $\frac{7}{2}$.",
        "3.5",
        "correct",
        "math delimiters and full stop removed",
    ),
    Case(
        "Final Answer: The final answer is $6$. I hope it is correct.",
        "6",
        "correct",
        "Minerva format: X stops at the end of its sentence",
    ),
    Case(
        r"Final Answer: The final answer is $\frac{1}{4}$. I hope it is correct.",
        "0.25",
        "correct",
    ),
    Case(
        r"Final Answer: The final answer is $\boxed{20}$. I hope it is correct.",
        "20",
        "correct",
    ),
    Case("final answer: 9", "9", "correct"),
    Case("The answer is **12**.", "12", "correct", "bold markers removed"),
    Case(r"Thus the answer is \(\frac{5}{6}\).", r"\frac{5}{6}", "correct"),
    Case(
        "The answer is 3.5.",
        r"\frac{7}{2}",
        "correct",
        "the decimal point is not the end of the sentence",
    ),
    Case(
        lines("The answer is 5", "Check: 5 + 5 = 10, which matches the second condition."),
        "5",
        "correct",
        "X runs to the end of its line",
    ),
    Case(r"The answer is $x = -1$.", "-1", "correct"),
    Case(
        lines("The answer is 4.", "Wait, I made an arithmetic slip.", "The answer is 5."),
        "5",
        "correct",
        "the last anchored phrase counts",
    ),
    Case(
        lines("The answer is 4.", "Wait, I made an arithmetic slip.", "The answer is 5."),
        "4",
        "wrong",
        "the last anchored phrase counts, not the first",
    ),
    Case(
        lines(
            "Natalia sold 48/2 = <<48/2=24>>24 clips in May.",
            "Natalia sold 48+24 = <<48+24=72>>72 clips altogether in April and May.",
            "#### 72",
        ),
        "72",
        "correct",
        "GSM8K format with intermediate numbers",
    ),
    Case(
        lines("She pays 1,000 + 234 = 1,234 dollars in total.", "#### 1,234"),
        "1234",
        "correct",
        "GSM8K answer with a thousands separator",
    ),
    Case(
        lines(
            "Janet's ducks lay 16 eggs per day. She eats 3 and bakes with 4.",
            "So she sells 16 - 3 - 4 = 9 eggs and makes 9 * 2 = 18 dollars.",
            "#### 18",
        ),
        "19",
        "wrong",
    ),
    # --- <think> ------------------------------------------------------------------------------
    Case(
        lines(
            "<think>Maybe 3? No, let me recompute... it is 4.</think>",
            r"The answer is $\boxed{4}$.",
        ),
        "4",
        "correct",
    ),
    Case(
        lines(
            r"<think>First guess: \boxed{3}.</think>",
            r"After checking, the result is \boxed{4}.",
        ),
        "4",
        "correct",
        "a box inside the thinking does not count",
    ),
    Case(
        lines(
            r"<think>First guess: \boxed{3}.</think>",
            r"After checking, the result is \boxed{4}.",
        ),
        "3",
        "wrong",
        "only the text after </think> counts",
    ),
    Case(
        r"<think>a</think> draft \boxed{2} <think>recheck</think> So \boxed{5}.",
        "5",
        "correct",
        "only the text after the LAST </think> counts",
    ),
    Case(
        lines("Let me work through it: 3 * 3 = 9.", "</think>", "", r"**Answer:** $\boxed{9}$"),
        "9",
        "correct",
        "closing tag without an opening one (chat template added it)",
    ),
    Case(
        lines("<think>", r"The sum is 10, so the answer is \boxed{10}."),
        "10",
        "no_answer",
        "<think> never closed",
    ),
    Case(
        r"<think>Computing... \boxed{8}</think>",
        "8",
        "no_answer",
        "nothing after </think>",
    ),
    Case(
        lines("<think>The answer is 8.</think>", "I computed $2^3 = 8$."),
        "8",
        "no_answer",
        "no anchor after </think>",
    ),
    # --- no anchor ----------------------------------------------------------------------------
    Case("Adding 17 and 25 gives 42", "42", "no_answer", "the last number is never a guess"),
    Case("So there are 720 ways.", "720", "no_answer"),
    Case(r"Therefore, $x = \frac{1}{2}$.", r"\frac{1}{2}", "no_answer"),
    Case("", "5", "no_answer", "empty response"),
    # --- options.extraction -------------------------------------------------------------------
    Case("The answer is 5.", "5", "no_answer", "boxed mode ignores phrases", BOXED),
    Case(lines("2 + 3 = 5", "#### 5"), "5", "no_answer", "boxed mode ignores ####", BOXED),
    Case(r"Simplifying gives $\boxed{5}$.", "5", "correct", options=BOXED),
    Case(r"The answer is 4. So $\boxed{-2}$.", "-2", "correct", options=BOXED),
    Case("5", "5", "correct", options=RAW),
    Case(r"\frac{1}{2}", "0.5", "correct", options=RAW),
    Case("  -3  \n", "-3", "correct", "surrounding whitespace", RAW),
    Case("x = 5", "5", "correct", "equation with a lone variable", RAW),
    Case("The answer is 5.", "5", "wrong", "raw: the whole text is the answer", RAW),
    Case(r"The answer is $\$79$.", "79", "correct", "an escaped dollar inside $...$"),
    Case(r"Final answer: $\$1{,}250$", "1250", "correct", "currency with a braced separator"),
    Case(r"\boxed{\boxed{5}}", "5", "correct", "a box inside a box"),
    Case(r"a typo \boxed{ here, then \boxed{6}", "6", "correct", "an unclosed box is skipped"),
    Case(r"\boxed{3} + \boxed{4}", "7", "wrong", "two boxes, neither is 7"),
]
