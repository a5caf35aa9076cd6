"""Whole model outputs (OlympiadBench/AIME, multiple choice) labelled as a careful grader would.

Olympiad answers: tuples, intervals, sets of tuples, powers, AIME's `024`. Multiple choice:
MMLU/GPQA/AQuA endings ("Answer: B", "The answer is (C).", `\\boxed{B}`, "B) 42") against a
letter reference. Decoding noise as in model_outputs.py; about a fifth are near misses.
"""

from __future__ import annotations

from tests.math.cases import Case

OLYMPIAD_CASES: list[Case] = [
    Case(
        "<think>\n"
        "Try small values: a=2 gives b=3 and the equation balances. Larger a "
        "makes the left side too big.\n"
        "</think>\n"
        "Checking $a = 2$, $b = 3$: $2^3 + 1 = 9 = 3^2$. For $a \\ge 3$ the "
        "left side grows faster, so there are no other solutions.\n"
        "\nThe only pair is $\\boxed{(2, 3)}$.<|im_end|>",
        "(2,3)",
        "correct",
    ),
    Case(
        "Checking $a = 3$, $b = 2$: $3^2 - 2^3 = 1$. No other pair works by "
        "Mihailescu's theorem.\n"
        "The only pair is $\\boxed{(3, 2)}$.",
        "(2,3)",
        "wrong",
        "pair reversed",
    ),
    Case(
        "Substituting back, $(a, b) = (2, 3)$ satisfies both equations and is "
        "the only solution.\n"
        "\n**Final Answer**\n\\[\n\\boxed{(a, b) = (2, 3)}\n\\]",
        "(2,3)",
        "correct",
        "labelled pair",
    ),
    Case(
        "The function is decreasing on $(0,1]$ and the inequality holds "
        "exactly there; at $x = 0$ it is undefined.\n"
        "Hence the solution set is $\\boxed{x \\in (0,1]}$.",
        "(0,1]",
        "correct",
    ),
    Case(
        "The inequality holds for $0 < x \\le 1$, and fails for $x > 1$ since "
        "the log becomes positive.\n"
        "The answer is $\\boxed{0 < x \\leq 1}$.",
        "(0,1]",
        "correct",
        "inequality form of the interval",
    ),
    Case(
        "The inequality holds on the open interval, since at $x = 1$ both sides are equal.\n"
        "Hence the solution set is $\\boxed{(0,1)}$.",
        "(0,1]",
        "wrong",
        "endpoint dropped",
    ),
    Case(
        "By AM-GM, $\\frac{a}{b} + \\frac{b}{a} \\ge 2$, with equality when $a = "
        "b$, so the minimum of the ratio is attained at one half.\n"
        "The answer is $\\boxed{\\frac{1}{2}}$.",
        r"\frac{1}{2}",
        "correct",
    ),
    Case(
        "Each step doubles the count, starting from $2$ at $n = 1$, so after "
        "$2023$ steps we have $2^{2023}$.\n"
        "The answer is $\\boxed{2^{2023}}$.",
        "2^{2023}",
        "correct",
    ),
    Case(
        "Each step doubles the count, starting from $1$ at $n = 1$, so after "
        "$2023$ steps we have $2^{2022}$.\n"
        "The answer is $\\boxed{2^{2022}}$.",
        "2^{2023}",
        "wrong",
        "off by one in the exponent",
    ),
    Case(
        "<think>\nm = 7, n = 17, so m + n = 24.\n</think>\n"
        "We find $\\frac{m}{n} = \\frac{7}{17}$ in lowest terms, so $m + n = 24$.\n\n"
        "\\boxed{024}<|im_end|>",
        "24",
        "correct",
        "AIME three-digit form",
    ),
    Case(
        "So the number of such subsets is 24.\n\nThe final answer is $\\boxed{24}$.",
        "024",
        "correct",
        "reference in AIME form",
    ),
    Case(
        "So the number of such subsets is 204.\n\nThe final answer is $\\boxed{204}$.",
        "024",
        "wrong",
    ),
    Case(
        "Testing the divisors of $2$, the solutions are $(1,2)$ and $(2,1)$ and no others.\n"
        "Therefore all solutions are $\\boxed{(1, 2)}$ and $\\boxed{(2, 1)}$.",
        "(1,2),(2,1)",
        "correct",
        "one box per tuple",
    ),
    Case(
        "Testing the divisors of $2$, the set of solutions is\n\\[\n"
        "\\boxed{\\{(2,1),(1,2)\\}}\n\\]",
        "(1,2),(2,1)",
        "correct",
        "set braces, other order",
    ),
    Case(
        "By symmetry we may assume $x \\le y$; the only solution is then $(1, 2)$.\n"
        "The answer is $\\boxed{(1,2)}$.",
        "(1,2),(2,1)",
        "wrong",
        "half the solution set",
    ),
    Case(
        "The quadratic is negative between its roots and the log needs $x > -1$.\n"
        "So $x \\in [-1, 2) \\cup (3, +\\infty)$.\n\n"
        "The final answer is $\\boxed{[-1,2)\\cup(3,\\infty)}$.",
        r"[-1,2)\cup(3,+\infty)",
        "correct",
    ),
    Case(
        "The quadratic is negative between its roots and the log needs $x > -1$.\n"
        "The final answer is $\\boxed{(-1,2)\\cup(3,\\infty)}$.",
        r"[-1,2)\cup(3,+\infty)",
        "wrong",
        "left end open",
    ),
    Case(
        "Summing the arithmetic series gives $\\frac{n(n+1)}{2}$ for every $n \\ge 1$.\n\n"
        "**Final Answer**\n\\[\n\\boxed{\\dfrac{n^2+n}{2}}\n\\]",
        r"\frac{n(n+1)}{2}",
        "correct",
        "expanded form",
    ),
    Case(
        "Plugging in $n = 1, 2, 3$ confirms the pattern $a_n = 2^n - 1$, and "
        "induction proves it.\n"
        "The answer is $\\boxed{a_n = 2^n - 1}$.",
        "2^n-1",
        "correct",
    ),
    Case(
        "The minimum is attained at $x = -\\tfrac{3}{2}$, where $f = -\\tfrac{9}{4}$.\n"
        "Therefore, the minimum value is $\\boxed{−\\frac{9}{4}}$.",
        r"-\frac{9}{4}",
        "correct",
        "Unicode minus",
    ),
    Case(
        "The minimum is attained at $x = \\tfrac{3}{2}$, where $f = \\tfrac{9}{4}$.\n"
        "Therefore, the minimum value is $\\boxed{\\frac{9}{4}}$.",
        r"-\frac{9}{4}",
        "wrong",
        "sign lost",
    ),
    Case(
        "Rationalising, $\\frac{3}{\\sqrt{12}} = \\frac{\\sqrt{3}}{2}$.\n"
        "The final answer is $\\boxed{\\frac{\\sqrt{3}}{2}}$.\n"
        "The final answer is $\\boxed{\\frac{\\sqrt{3}}{2}}$.",
        r"\frac{\sqrt3}{2}",
        "correct",
        "repeated final line",
    ),
    Case(
        "Adding the three equations and using symmetry, every variable must equal $1$.\n"
        "Hence the unique solution is $\\boxed{x = y = z = 1}$.",
        "(1,1,1)",
        "correct",
        "equal-variables chain for a triple",
    ),
    Case(
        "Both equations force the variables to be equal, and then $a^2 = 4$ with $a > 0$.\n"
        "So the answer is $\\boxed{a = b = 2}$.",
        "(2,2)",
        "correct",
        "equal-variables chain for a pair",
    ),
    Case(
        "The angle at the apex is one third of the straight angle.\n"
        "The answer is $\\boxed{60^\\circ}$.",
        r"60^{\circ}",
        "correct",
    ),
    Case(
        "Both sides agree for every real $x$, so $f(x) = x^2$ is the only solution.\n"
        "The answer is $\\boxed{f(x) = x^2}$.",
        "f(x)=x^2",
        "correct",
    ),
    Case(
        "Both sides agree for every real $x$, so $f(x) = x^2 + 1$ is the only solution.\n"
        "The answer is $\\boxed{f(x) = x^2 + 1}$.",
        "f(x)=x^2",
        "wrong",
    ),
]

MC_CASES: list[Case] = [
    Case(
        "The derivative of the position is the velocity, which is 12 m/s at t = 2.\nAnswer: B",
        "B",
        "correct",
    ),
    Case(
        "Only option C is consistent with the conservation of charge.\n"
        "The answer is (C).<|eot_id|>",
        "C",
        "correct",
    ),
    Case(
        "Photosynthesis takes place in the chloroplast, not the mitochondrion.\n\n**Answer: D**",
        "D",
        "correct",
    ),
    Case(
        "<think>\nA is wrong because it ignores friction. B fits.\n</think>\n"
        "Friction reduces the acceleration to 2 m/s^2, which is option B.\n\n"
        "\\boxed{B}<|im_end|>",
        "B",
        "correct",
    ),
    Case(
        "The speed is 60 / 5 = 12 km/h.\nThe correct option is (A) 12",
        "A",
        "correct",
    ),
    Case(
        "6 * 7 = 42.\nSo the answer is B) 42",
        "B",
        "correct",
    ),
    Case(
        "Let's analyze each option. A overstates the effect, B ignores "
        "inflation, and D is irrelevant.\n"
        "Therefore, the correct answer is: C",
        "C",
        "correct",
    ),
    Case(
        "Rate = 120 / 8 = 15 per hour.\nAnswer: C\nAnswer: C",
        "C",
        "correct",
        "repeated final line",
    ),
    Case(
        "The reaction is exothermic, so raising T shifts it left.\nThe answer is (A).  \n  ",
        "A",
        "correct",
        "trailing whitespace",
    ),
    Case(
        "Reasoning: 2 × 3 = 6 and 6 − 1 = 5.\n**Answer:** (B) 5",
        "B",
        "correct",
        "Unicode symbols in the reasoning",
    ),
    Case(
        "Checking each choice against the constraint, only option E works.\n"
        "The final answer is $\\boxed{\\text{(E)}}$.",
        "E",
        "correct",
    ),
    Case(
        "The electron configuration ends in 3d5, so Mn.\nANSWER: D",
        "D",
        "correct",
    ),
    Case(
        "Let me compute: the answer should be 42.\nThe correct answer is **C. 42**.",
        "C",
        "correct",
    ),
    Case(
        "A is too small and C double counts. So the answer is B, not A.\n",
        "B",
        "correct",
        "rejects the other option",
    ),
    Case(
        "The first option overcounts and the second ignores order.\n"
        "The answer is C; A and B are too small.",
        "C",
        "correct",
        "reason naming rejected options",
    ),
    Case(
        "The total is 12 apples.\nThe answer is 12, which is option (C).",
        "C",
        "correct",
        "value then its letter",
    ),
    Case(
        "The speed is 60 / 4 = 15 km/h.\nThe correct option is (B) 15",
        "A",
        "wrong",
    ),
    Case(
        "I eliminated A and D; between B and C, C fits the data better.\nAnswer: C",
        "B",
        "wrong",
    ),
    Case(
        "The answer is B.\n\n"
        "Wait, let me reconsider. Option D accounts for friction, so D is better.\n\n"
        "The answer is D.",
        "B",
        "wrong",
        "changed its mind to D",
    ),
    Case(
        "Both interpretations are reasonable.\nThe answer is B or C.",
        "B",
        "wrong",
        "hedge between two letters",
    ),
    Case(
        "Answer: B\n\nHmm, but D also seems possible.",
        "B",
        "no_answer",
        "answer withdrawn by a second thought",
    ),
    Case(
        "The mitochondrion is the site of respiration.\n"
        "Therefore, the correct answer is: A<|eot_id|>",
        "D",
        "wrong",
    ),
    Case(
        "\\boxed{B} or \\boxed{C}",
        "B",
        "wrong",
        "two boxes, two letters",
    ),
    Case(
        "Using the ideal gas law, V doubles.\nAnswer: (B)<|im_end|>",
        "B",
        "correct",
    ),
    Case(
        "All four options look plausible; I need more information about the setup.",
        "B",
        "no_answer",
    ),
]

CASES: list[Case] = OLYMPIAD_CASES + MC_CASES
