"""Whole model outputs (MATH, GSM8K) as real models end them, labelled as a careful grader would.

Each response is a full decoded output: a few sentences of reasoning, then the final answer in
that model family's form (`\\boxed{}` after `</think>`, `**Final Answer**`, `#### 18`, "The
answer is 18."), with decoding noise: end-of-turn tokens, a repeated last line, trailing spaces,
Unicode minus and pi. About a fifth of each source are near-miss wrong answers.
"""

from __future__ import annotations

from tests.math.cases import Case

MATH_CASES: list[Case] = [
    Case(
        "<think>\nWe need the probability of drawing two red balls. There are 4 red out of 6.\n"
        "P = 4/6 * 3/5 = 12/30 = 2/5. Hmm, let me double check: yes 2/5.\n</think>\n"
        "The probability is $\\frac{4}{6}\\cdot\\frac{3}{5} = \\frac{2}{5}$.\n\n"
        "**Final Answer**\n\\[\n\\boxed{\\dfrac{2}{5}}\n\\]<|im_end|>",
        r"\frac{2}{5}",
        "correct",
    ),
    Case(
        "The diagonal of a square with side $6$ is $6\\sqrt{2}$.\n"
        "Therefore the length is $\\boxed{6\\sqrt{2}}$.",
        r"6\sqrt{2}",
        "correct",
    ),
    Case(
        "We solve $x - 3 < 0$, so $x < 3$. In interval notation this is $(-\\infty, 3)$.\n"
        "The final answer is $\\boxed{(-\\infty,3)}$. I hope it is correct.",
        r"(-\infty, 3)",
        "correct",
    ),
    Case(
        "We solve $x - 3 \\le 0$, so $x \\le 3$.\n"
        "The final answer is $\\boxed{(-\\infty,3]}$. I hope it is correct.",
        r"(-\infty, 3)",
        "wrong",
        "closed end instead of open",
    ),
    Case(
        "Checking each choice, only (C) satisfies both conditions.\n\n**Final Answer**\n\\[\n"
        "\\boxed{\\text{(C)}}\n\\]",
        r"\text{(C)}",
        "correct",
    ),
    Case(
        "Checking each choice, only C satisfies both conditions.\n"
        "The final answer is $\\boxed{C}$.",
        r"\text{(C)}",
        "correct",
        "bare letter against a text-wrapped choice",
    ),
    Case(
        "The total cost is $3 \\times 6.30 = 18.90$ dollars.\n"
        "Thus, the answer is $\\boxed{\\$18.90}$.",
        r"\$18.90",
        "correct",
    ),
    Case(
        "The total cost is $3 \\times 6.30 = 18.90$ dollars.\n"
        "Thus, the answer is $\\boxed{18.90}$.<|im_end|>",
        r"\$18.90",
        "correct",
        "dollar sign dropped",
    ),
    Case(
        "The total cost is $3 \\times 6.20 = 18.60$ dollars.\n"
        "Thus, the answer is $\\boxed{18.60}$.",
        r"\$18.90",
        "wrong",
    ),
    Case(
        "The increase is $\\frac{11-10}{10} = 0.1$, which is a $10\\%$ increase.\n"
        "The final answer is $\\boxed{10\\%}$.",
        r"10\%",
        "correct",
    ),
    Case(
        "The increase is $\\frac{11-10}{10} = 0.1$, which is a $10\\%$ increase.\n"
        "The final answer is $\\boxed{10}$.",
        r"10\%",
        "correct",
        "percent sign dropped",
    ),
    Case(
        "<think>\nFactor: (x-2)(x-3)=0 so x=2 or x=3.\n</think>\n"
        "Factoring gives $(x-2)(x-3) = 0$, so the solutions are $x = 2$ and $x = 3$.\n\n"
        "The final answer is $\\boxed{2, 3}$.<|im_end|>",
        r"2 \text{ and } 3",
        "correct",
    ),
    Case(
        "Factoring gives $(x-2)(x-4) = 0$.\nThe final answer is $\\boxed{2, 4}$.",
        r"2 \text{ and } 3",
        "wrong",
    ),
    Case(
        "Expanding, $(x+2)(x+5) = x^2 + 5x + 2x + 10 = x^2 + 7x + 10$.\n\n**Final Answer**\n"
        "\\[\n\\boxed{x^2 + 7x + 10}\n\\]",
        "x^2+7x+10",
        "correct",
    ),
    Case(
        "Expanding, $(x+2)(x+5) = x^2 + 7x + 10$.\nThe final answer is $\\boxed{(x+2)(x+5)}$.",
        "x^2+7x+10",
        "correct",
        "factored form of the same polynomial",
    ),
    Case(
        "Expanding, $(x+2)(x+5) = x^2 + 7x + 7$.\nThe final answer is $\\boxed{x^2+7x+7}$.",
        "x^2+7x+10",
        "wrong",
    ),
    Case(
        "The angle subtends a quarter of the half-turn, so it is $\\pi/4$ radians.\n"
        "The final answer is $\\boxed{\\frac{\\pi}{4}}$.",
        r"\dfrac{\pi}{4}",
        "correct",
    ),
    Case(
        "The angle is $\\pi/4$ radians.\nThe final answer is $\\boxed{π/4}$.",
        r"\dfrac{\pi}{4}",
        "correct",
        "Unicode pi",
    ),
    Case(
        "There are $10 \\cdot 10 \\cdot 10 = 1000$ such codes.\n"
        "The final answer is $\\boxed{1000}$.",
        r"1,\!000",
        "correct",
    ),
    Case(
        "There are $10 \\cdot 10 \\cdot 10 = 1000$ such codes.\n"
        "The final answer is $\\boxed{1,000}$.\nThe final answer is $\\boxed{1,000}$.",
        r"1,\!000",
        "correct",
        "repeated final line, thousands comma",
    ),
    Case(
        "Applying the matrix to $(1,0)$ and adding gives the vector $(1, 2)$.\n\\[\n"
        "\\boxed{\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}}\n\\]",
        r"\begin{pmatrix} 1 \\ 2 \end{pmatrix}",
        "correct",
    ),
    Case(
        "Applying the matrix gives the vector $(2, 1)$.\n"
        "The final answer is $\\boxed{\\begin{pmatrix} 2 \\\\ 1 \\end{pmatrix}}$.",
        r"\begin{pmatrix} 1 \\ 2 \end{pmatrix}",
        "wrong",
    ),
    Case(
        "The triangle is right-angled at $C$, so $\\angle C = 90^\\circ$.\n"
        "The final answer is $\\boxed{90^\\circ}$.",
        r"90^\circ",
        "correct",
    ),
    Case(
        "The triangle is right-angled at $C$, so $\\angle C = 90$ degrees.\n"
        "The final answer is $\\boxed{90}$.",
        r"90^\circ",
        "correct",
        "degree sign dropped",
    ),
    Case(
        "<think>\nLet me compute 7 choose 3 = 35. So the answer should be 35.\n"
        "Wait, the problem asks for ordered selections... no, it says committees. 35.",
        "35",
        "no_answer",
        "thinking never closed",
    ),
    Case(
        "The sum telescopes to $1 - \\frac{1}{n+1}$, and with $n = 99$ this is "
        "$\\frac{99}{100}$.\n"
        "\nFinal Answer: The final answer is $\\frac{99}{100}$. I hope it is correct.",
        r"\frac{99}{100}",
        "correct",
    ),
    Case(
        "Simplifying, $\\sqrt{50} - \\sqrt{8} = 5\\sqrt2 - 2\\sqrt2 = 3\\sqrt2$.\n"
        "The final answer is $\\boxed{3\\sqrt{2}}$.",
        r"3\sqrt{2}",
        "correct",
    ),
    Case(
        "The slope is $\\frac{-3 - 5}{4 - 2} = -4$.\nThe final answer is $\\boxed{−4}$.",
        "-4",
        "correct",
        "Unicode minus",
    ),
    Case(
        "The increase is $\\frac{11-10}{10} = 0.1$, i.e. ten percent.\n"
        "The final answer is $\\boxed{10\\text{\\%}}$.<|im_end|>",
        r"10\%",
        "correct",
        "percent sign inside text",
    ),
    Case(
        "Two of the five marbles are red, so the probability is two fifths.\n"
        "The answer is $\\frac{2}{5}$, approximately 0.4.",
        r"\frac{2}{5}",
        "correct",
        "decimal restatement after the answer",
    ),
]

GSM8K_CASES: list[Case] = [
    Case(
        "Janet's ducks lay 16 eggs per day. She eats 3 and bakes with 4, so 16 - 3 - 4 = 9.\n"
        "She sells 9 eggs at $2 each, so she makes 9 * 2 = 18 dollars.\n#### 18",
        "18",
        "correct",
    ),
    Case(
        "She uses 3 + 4 = 7 eggs, leaving 16 - 7 = 9 eggs to sell.\n9 eggs at $2 each is $18.\n"
        "The answer is 18.<|eot_id|>",
        "18",
        "correct",
    ),
    Case(
        "She uses 3 + 4 = 7 eggs, leaving 16 - 7 = 9 eggs.\n9 * $2 = $18.\n\n**Answer:** $18",
        "18",
        "correct",
    ),
    Case(
        "She has 16 - 3 - 4 = 9 eggs left to sell at the market.\n"
        "Therefore, Janet makes $\\boxed{18}$ dollars every day at the farmers' market.",
        "18",
        "correct",
    ),
    Case(
        "## Step 1: Eggs left\n16 - 3 - 4 = 9 eggs.\n\n## Step 2: Earnings\n"
        "9 * 2 = 18 dollars.\n\nThe final answer is: $\\boxed{18}$<|eot_id|>",
        "18",
        "correct",
    ),
    Case(
        "She uses 3 + 4 = 7 eggs, so she sells 16 - 7 = 9.\n9 * $2 = $18\n#### $18\n#### $18",
        "18",
        "correct",
        "repeated final line with a dollar sign",
    ),
    Case(
        "She eats 3 eggs, leaving 16 - 3 = 13 eggs to sell.\n13 * 2 = 26 dollars.\n#### 26",
        "18",
        "wrong",
        "forgot the muffins",
    ),
    Case(
        "The robe takes 2 bolts of blue fiber and half that much white fiber.\n"
        "2 + 2/2 = 3 bolts in total.\nThe answer is 3 bolts.",
        "3",
        "correct",
    ),
    Case(
        "The house cost 80,000 + 50,000 = 130,000 dollars.\n"
        "Its value rose by 150%, so the new value is 80,000 * 2.5 = 200,000.\n"
        "Profit = 200,000 - 130,000 = 70,000.\n#### 70,000",
        "70000",
        "correct",
    ),
    Case(
        "He runs 3 sprints 3 times a week, 60 meters each.\n3 * 3 * 60 = 540 meters.\n"
        "The answer is 540 meters.  \n",
        "540",
        "correct",
        "trailing whitespace",
    ),
    Case(
        "Each chicken gets 3 cups a day, 20 chickens need 60 cups.\n"
        "Morning and afternoon used 15 + 25 = 40 cups, so 60 - 40 = 20 cups remain.\n\n"
        "**Answer:** 20 cups",
        "20",
        "correct",
    ),
    Case(
        "One glass costs $5 and every second glass costs 60% of that, $3.\n"
        "16 glasses = 8 * 5 + 8 * 3 = 40 + 24 = 64.\n"
        "Therefore, Kylar needs to pay $\\boxed{\\$64}$ for the glasses.",
        "64",
        "correct",
    ),
    Case(
        "Toulouse has 2 * 20 = 40 sheep, Charleston has 4 * 20 = 80 sheep.\n"
        "Together 20 + 40 + 80 = 140 sheep.\nThe final answer is: $\\boxed{140}$",
        "260",
        "wrong",
        "misread the multipliers",
    ),
    Case(
        "The download is 200 GB at 2 GB/minute. 40% of the way is 80 GB, taking 40 minutes.\n"
        "The restart takes 20 minutes and then the full 200 GB takes 100 minutes.\n"
        "Total: 40 + 20 + 100 = 160 minutes.\n#### 160<|eot_id|>",
        "160",
        "correct",
    ),
    Case(
        "In 3 hours he drives 3 * 60 = 180 miles, then turns back.\nHe is 45 miles from home.\n"
        "So the answer is 45 miles.",
        "45",
        "correct",
    ),
    Case(
        "Eliza earns $10 for the first 40 hours: 40 * 10 = $400.\n"
        "Overtime is 1.2 * 10 = $12 per hour for 5 hours: $60.\n"
        "Total earnings are $400 + $60 = $460.\nThe answer is $460.",
        "460",
        "correct",
    ),
    Case(
        "Overtime is 1.5 * 10 = $15 per hour for 5 hours: $75.\n"
        "Total earnings are $400 + $75 = $475.\nThe answer is $475.",
        "460",
        "wrong",
        "wrong overtime rate",
    ),
    Case(
        "The program had 60 downloads in the first month and 3 * 60 = 180 in the second.\n"
        "The third month had 30% fewer: 180 * 0.7 = 126.\nTotal = 60 + 180 + 126 = 366.\n\n"
        "Therefore, the total number of downloads is **366**.",
        "366",
        "no_answer",
        "bold final sentence with no anchor word: no anchored answer under the default rules",
    ),
    Case(
        "Half of the 1 liter is 0.5 liters.\n#### 0.5",
        "0.5",
        "correct",
    ),
    Case(
        "Half of the 1 liter is 1/2 liter.\nThe answer is 1/2.",
        "0.5",
        "correct",
        "fraction against a decimal reference",
    ),
    Case(
        "The ticket costs $12.50 and she buys 4, so 4 * 12.50 = 50.\n"
        "The answer is 50.00.<|eot_id|>",
        "50",
        "correct",
    ),
    Case(
        "The total number of minutes is 18 * 60 = 1080.\n#### 1,080",
        "1080",
        "correct",
    ),
    Case(
        "The total number of minutes is 18 * 60 = 1008.\n#### 1008",
        "1080",
        "wrong",
        "arithmetic slip",
    ),
    Case(
        "Carla downloads 40% of 200 GB = 80 GB in 80/2 = 40 minutes.\n"
        "I'm not fully sure about the restart rule, so let me reconsider the problem.",
        "160",
        "no_answer",
        "no final answer stated",
    ),
    Case(
        "John has 5 apples and buys 3 more, giving 8 apples.\n"
        "He gives away 2, so he has 6 left.\n"
        "The answer is 6.<|eot_id|><|start_header_id|>user<|end_header_id|>",
        "6",
        "correct",
        "next Llama turn header after the answer",
    ),
    Case(
        "The third month had 30% fewer: 180 * 0.7 = 126. Total = 60 + 180 + 126 = 366.\n"
        "Therefore, the total number of downloads is **366**.",
        "366",
        "correct",
        "lenient reads the final sentence",
        {"extraction": "lenient"},
    ),
]

CASES: list[Case] = MATH_CASES + GSM8K_CASES
