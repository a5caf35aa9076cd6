"""Deterministic, realistic math items for the throughput benchmark.

Every item knows what docs/math.md says about it (`expected`): True when the wrapped answer
equals the reference, False when it does not (including by a strict rule, such as a decimal
approximation of an exact reference), None when the response has no anchored answer. `form`
names how the answer was written, so that a disagreement with another verifier can be
explained by rule.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction

# (category, weight): integers dominate real RL math sets (GSM8K, MATH, AIME).
CATEGORY_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("integer", 24),
    ("fraction", 12),
    ("decimal", 10),
    ("surd", 7),
    ("pi", 6),
    ("polynomial", 7),
    ("interval", 6),
    ("set", 5),
    ("tuple", 5),
    ("matrix", 3),
    ("equation", 5),
    ("choice_text", 8),
    ("complex", 2),
    ("mixed_case", 1),
)
SQUAREFREE = (2, 3, 5, 6, 7, 10, 11, 13, 14, 15, 17, 19, 21, 22, 23)
LETTERS = "ABCDE"
WORDS = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "yes",
    "no",
    "odd",
    "even",
    "Alice",
    "Bob",
    "Carol",
    "north",
    "south",
    "east",
    "west",
    "red",
    "blue",
    "green",
    "true",
    "false",
    "never",
    "always",
    "impossible",
)


@dataclass(frozen=True, slots=True)
class Form:
    """One way to write an answer to a problem, and whether docs/math.md calls it equal."""

    answer: str
    expected: bool
    form: str


@dataclass(slots=True)
class Problem:
    category: str
    reference: str
    same: Form
    alternatives: list[Form] = field(default_factory=list)
    wrong: list[Form] = field(default_factory=list)
    strict: list[Form] = field(default_factory=list)  # unequal by a deliberate strict rule
    numeric: bool = False  # a GSM8K-style "#### X" answer is plausible


@dataclass(frozen=True, slots=True)
class GenItem:
    category: str
    reference: str
    response: str
    answer: str | None  # the answer the response wraps; None when it has none
    form: str
    expected: bool | None  # docs/math.md's verdict: equal, unequal, or no answer
    wrapper: str


# --- small formatting helpers -------------------------------------------------------------


def _frac(value: Fraction) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value.denominator == 1:
        return f"{sign}{value.numerator}"
    return f"{sign}\\frac{{{value.numerator}}}{{{value.denominator}}}"


def _signed_term(coefficient: int, body: str, first: bool) -> str:
    """`+ 3x`, `- x`, `3x` (first term)."""
    if coefficient == 0:
        return ""
    magnitude = abs(coefficient)
    text = (str(magnitude) if magnitude != 1 or not body else "") + body
    if first:
        return text if coefficient > 0 else "-" + text
    return (" + " if coefficient > 0 else " - ") + text


def _poly(coefficients: list[int], variable: str) -> str:
    """Coefficients from the highest power down to the constant."""
    degree = len(coefficients) - 1
    parts: list[str] = []
    for index, coefficient in enumerate(coefficients):
        power = degree - index
        body = "" if power == 0 else variable if power == 1 else f"{variable}^{power}"
        parts.append(_signed_term(coefficient, body, first=not "".join(parts)))
    return "".join(parts) or "0"


def _linear_factor(variable: str, root: int) -> str:
    """(x - root)."""
    if root == 0:
        return variable
    return f"({variable} - {root})" if root > 0 else f"({variable} + {-root})"


def _decimal(value: Fraction, places: int) -> str:
    """`value` rounded half-up to `places` digits after the point, as text."""
    scaled = value * 10**places
    rounded = math.floor(abs(scaled) + Fraction(1, 2))
    sign = "-" if value < 0 and rounded else ""
    digits = str(rounded).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}" if places else f"{sign}{digits}"


def _terminating(value: Fraction) -> bool:
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


def _exact_decimal(value: Fraction) -> str:
    for places in range(12):
        if value * 10**places == int(value * 10**places):
            return _decimal(value, places)
    raise ValueError(f"{value} does not terminate")


# --- problems by category -----------------------------------------------------------------


def _integer(rng: random.Random) -> Problem:
    n = rng.choice((rng.randint(2, 99), rng.randint(100, 9_999), rng.randint(1_000, 2_000_000)))
    grouped = f"{n:,}"
    reference = grouped if n >= 1000 and rng.random() < 0.5 else str(n)
    problem = Problem("integer", reference, Form(reference, True, "same text"), numeric=True)
    other = str(n) if reference == grouped else grouped
    if other != reference:
        problem.alternatives.append(Form(other, True, "thousands separator added/removed"))
    if n >= 1000:
        problem.alternatives.append(Form(grouped.replace(",", "{,}"), True, "1{,}000 separator"))
    problem.alternatives += [
        Form(f"{n}.0", True, "integer written as n.0"),
        Form(f"\\${grouped}", True, "dollar sign"),
        Form(f"{n} \\text{{ {rng.choice(('cm', 'meters', 'apples', 'dollars'))}}}", True, "unit"),
    ]
    problem.wrong += [
        Form(str(n + rng.choice((1, -1, 2, 10))), False, "off by a little"),
        Form(str(n * 10), False, "off by a factor of ten"),
        Form(f"{n + 1000:,}", False, "wrong, with separator"),
    ]
    return problem


def _fraction(rng: random.Random) -> Problem:
    while True:
        q = rng.randint(3, 60)
        p = rng.randint(1, 3 * q)
        value = Fraction(p, q)
        if value.denominator > 1:
            break
    if rng.random() < 0.2:
        value = -value
    p, q = abs(value.numerator), value.denominator
    sign = "-" if value < 0 else ""
    reference = _frac(value)
    problem = Problem("fraction", reference, Form(reference, True, "same text"))
    k = rng.randint(2, 9)
    problem.alternatives += [
        Form(f"{sign}{p}/{q}", True, "slash fraction"),
        Form(f"{sign}\\dfrac{{{p}}}{{{q}}}", True, "\\dfrac"),
        Form(f"{sign}\\frac{{{k * p}}}{{{k * q}}}", True, "unreduced fraction"),
    ]
    if p < 10 and q < 10:
        problem.alternatives.append(Form(f"{sign}\\frac{p}{q}", True, "\\frac12 shorthand"))
    if sign:
        problem.alternatives.append(Form(f"\\frac{{-{p}}}{{{q}}}", True, "sign in numerator"))
    if p > q and not sign:
        whole, rest = divmod(p, q)
        problem.alternatives.append(Form(f"{whole}\\frac{{{rest}}}{{{q}}}", True, "mixed number"))
    if _terminating(value):
        problem.alternatives.append(Form(_exact_decimal(value), True, "exact decimal"))
    else:
        places = rng.choice((2, 3, 4, 6, 8))
        problem.strict.append(
            Form(_decimal(value, places), False, f"decimal approximation ({places} places)")
        )
    problem.wrong += [
        Form(_frac(Fraction(q, p) * (-1 if sign else 1)), False, "reciprocal"),
        Form(_frac(value + Fraction(1, q)), False, "numerator off by one"),
        Form(f"{sign}\\frac{{{p}}}{{{q + 1}}}", False, "denominator off by one"),
    ]
    return problem


def _decimal_problem(rng: random.Random) -> Problem:
    kind = rng.random()
    if kind < 0.45:  # an exact decimal reference
        denominator = rng.choice((2, 4, 5, 8, 10, 20, 25, 40, 50, 100))
        value = Fraction(rng.randint(1, 40 * denominator), denominator)
        if value.denominator == 1:
            value += Fraction(1, 4)
        reference = _exact_decimal(value)
        problem = Problem("decimal", reference, Form(reference, True, "same text"), numeric=True)
        problem.alternatives += [
            Form(_frac(value), True, "fraction of an exact decimal"),
            Form(reference + "0", True, "trailing zero"),
            Form(f"{value.numerator}/{value.denominator}", True, "slash fraction"),
        ]
        step = Fraction(1, 10 ** len(reference.split(".")[1]))
        problem.wrong += [
            Form(_exact_decimal(value + step), False, "last digit off"),
            Form(_exact_decimal(value * 10), False, "decimal point moved"),
        ]
        return problem
    if kind < 0.8:  # a reference rounded to 2 or 3 places
        while True:
            value = Fraction(rng.randint(1, 400), rng.choice((3, 6, 7, 9, 11, 12, 13)))
            if not _terminating(value):
                break
        places = rng.choice((2, 3))
        reference = _decimal(value, places)
        problem = Problem("decimal", reference, Form(reference, True, "same text"), numeric=True)
        problem.alternatives += [
            Form(_frac(value), True, "exact fraction for a rounded reference"),
            Form(_decimal(value, places + 2), True, "more precise decimal for a rounded reference"),
        ]
        problem.wrong.append(
            Form(_decimal(value + Fraction(3, 10**places), places), False, "rounded wrongly")
        )
        shorter = _decimal(value, places - 1)
        if Fraction(shorter) != Fraction(reference):
            problem.wrong.append(Form(shorter, False, "less precise than the reference"))
        return problem
    percent = rng.randint(1, 99)
    reference = f"{percent}\\%"
    problem = Problem("decimal", reference, Form(reference, True, "same text"), numeric=True)
    problem.alternatives += [
        Form(str(percent), True, "percent without the sign"),
        Form(_exact_decimal(Fraction(percent, 100)), True, "percent as a decimal"),
        Form(f"{percent}%", True, "bare % sign"),
    ]
    problem.wrong += [Form(f"{percent + 5}\\%", False, "different percent")]
    return problem


def _surd(rng: random.Random) -> Problem:
    a, b = rng.randint(2, 15), rng.choice(SQUAREFREE)
    if rng.random() < 0.3:  # rationalised denominators: \frac{a\sqrt{b}}{b} = \frac{a}{\sqrt{b}}
        reference = f"\\frac{{{a}\\sqrt{{{b}}}}}{{{b}}}" if a % b else f"{a // b}\\sqrt{{{b}}}"
        value = a / math.sqrt(b)
        problem = Problem("surd", reference, Form(reference, True, "same text"))
        problem.alternatives += [
            Form(f"\\frac{{{a}}}{{\\sqrt{{{b}}}}}", True, "unrationalised denominator"),
            Form(f"\\sqrt{{\\frac{{{a * a}}}{{{b}}}}}", True, "root of a fraction"),
        ]
        problem.wrong += [Form(f"\\frac{{{a}}}{{\\sqrt{{{b + 1}}}}}", False, "wrong radicand")]
    else:
        reference = f"{a}\\sqrt{{{b}}}"
        value = a * math.sqrt(b)
        problem = Problem("surd", reference, Form(reference, True, "same text"))
        problem.alternatives += [
            Form(f"\\sqrt{{{a * a * b}}}", True, "unsimplified surd"),
            Form(f"\\frac{{{a * b}}}{{\\sqrt{{{b}}}}}", True, "surd in the denominator"),
        ]
        if b < 10:
            problem.alternatives.append(Form(f"{a} \\sqrt {b}", True, "\\sqrt without braces"))
        problem.wrong += [
            Form(f"{a + 1}\\sqrt{{{b}}}", False, "wrong coefficient"),
            Form(f"\\sqrt{{{a * b}}}", False, "coefficient moved under the root"),
        ]
    places = rng.choice((3, 4, 6, 8))
    problem.strict.append(Form(f"{value:.{places}f}", False, f"decimal approximation ({places})"))
    return problem


def _pi(rng: random.Random) -> Problem:
    while True:
        k, m = rng.randint(1, 24), rng.randint(1, 12)
        if math.gcd(k, m) == 1:
            break
    k_text = "" if k == 1 else str(k)
    reference = f"{k_text}\\pi" if m == 1 else f"\\frac{{{k_text}\\pi}}{{{m}}}"
    problem = Problem("pi", reference, Form(reference, True, "same text"))
    if m > 1:
        problem.alternatives += [
            Form(f"\\frac{{{k}}}{{{m}}}\\pi", True, "coefficient fraction times pi"),
            Form(f"{k_text}\\pi/{m}", True, "slash"),
        ]
    problem.alternatives.append(Form(f"\\pi \\cdot {_frac(Fraction(k, m))}", True, "pi first"))
    problem.wrong += [
        Form(f"\\frac{{{k}\\pi}}{{{m + 1}}}", False, "wrong denominator"),
        Form(f"{_frac(Fraction(k, m))}", False, "pi dropped"),
    ]
    places = rng.choice((2, 4, 6))
    problem.strict.append(
        Form(f"{k * math.pi / m:.{places}f}", False, f"decimal approximation ({places})")
    )
    return problem


def _polynomial(rng: random.Random) -> Problem:
    variable = rng.choice("xxxxtn")
    r1, r2 = rng.randint(-9, 9), rng.randint(-9, 9)
    if rng.random() < 0.25:
        r2 = r1
    lead = rng.choice((1, 1, 1, 2, 3))
    coefficients = [lead, -lead * (r1 + r2), lead * r1 * r2]
    expanded = _poly(coefficients, variable)
    factors = _linear_factor(variable, r1) + _linear_factor(variable, r2)
    if r1 == r2 and r1 != 0:
        factors = f"{_linear_factor(variable, r1)}^2"
    factored = (str(lead) if lead > 1 else "") + factors
    reference, same_form = (expanded, factored) if rng.random() < 0.6 else (factored, expanded)
    problem = Problem("polynomial", reference, Form(reference, True, "same text"))
    problem.alternatives.append(Form(same_form, True, "expanded vs factored"))
    if r1 != r2:
        swapped = (str(lead) if lead > 1 else "") + _linear_factor(variable, r2)
        swapped += _linear_factor(variable, r1)
        problem.alternatives.append(Form(swapped, True, "factors swapped"))
    problem.alternatives.append(Form(reference.replace(" ", ""), True, "spacing"))
    wrong_coefficients = [lead, -lead * (r1 + r2), -lead * r1 * r2 + (0 if r1 * r2 else 1)]
    problem.wrong += [
        Form(_poly(wrong_coefficients, variable), False, "sign error in the constant"),
        Form(_poly([lead, lead * (r1 + r2) + 1, lead * r1 * r2], variable), False, "wrong middle"),
    ]
    other = "y" if variable != "y" else "x"
    problem.wrong.append(Form(_poly(coefficients, other), False, "different variable"))
    return problem


def _interval_shapes(a: int, b: int, v: str) -> list[tuple[str, str, str]]:
    """(reference, an equal inequality, a wrong answer) for each interval shape."""
    return [
        (f"[{a}, {b})", f"{a} \\le {v} < {b}", f"({a}, {b})"),
        (f"({a}, {b}]", f"{a} < {v} \\leq {b}", f"[{a}, {b}]"),
        (f"({a}, \\infty)", f"{v} > {a}", f"[{a}, \\infty)"),
        (f"(-\\infty, {b}]", f"{v} \\le {b}", f"{v} \\geq {b}"),
        (
            f"(-\\infty, {a}) \\cup ({b}, \\infty)",
            f"{v} < {a} \\text{{ or }} {v} > {b}",
            f"(-\\infty, {a}] \\cup [{b}, \\infty)",
        ),
    ]


def _interval(rng: random.Random) -> Problem:
    a = rng.randint(-20, 15)
    b = a + rng.randint(1, 20)
    v = rng.choice("xxt")
    shape = rng.randrange(5)
    reference, inequality, wrong = _interval_shapes(a, b, v)[shape]
    problem = Problem("interval", reference, Form(reference, True, "same text"))
    problem.alternatives += [
        Form(inequality, True, "inequality for an interval"),
        Form(f"{v} \\in {reference}", True, "x \\in interval"),
        Form(reference.replace(", ", ","), True, "spacing"),
    ]
    problem.wrong += [
        Form(wrong, False, "open/closed end or direction wrong"),
        Form(_interval_shapes(a + 1, b + 1, v)[shape][0], False, "wrong endpoint"),
    ]
    return problem


def _set(rng: random.Random) -> Problem:
    if rng.random() < 0.25:  # roots of a quadratic with a surd
        c, d = rng.randint(-6, 6), rng.choice(SQUAREFREE[:8])
        reference = f"\\{{{c}+\\sqrt{{{d}}}, {c}-\\sqrt{{{d}}}\\}}"
        problem = Problem("set", reference, Form(reference, True, "same text"))
        problem.alternatives += [
            Form(f"{c} \\pm \\sqrt{{{d}}}", True, "\\pm"),
            Form(f"{c}-\\sqrt{{{d}}}, {c}+\\sqrt{{{d}}}", True, "bare list, reordered"),
        ]
        problem.wrong += [Form(f"{c + 1} \\pm \\sqrt{{{d}}}", False, "wrong centre")]
        return problem
    size = rng.randint(2, 4)
    values = sorted(rng.sample(range(-15, 30), size))
    text = ", ".join(map(str, values))
    reference = f"\\{{{text}\\}}"
    problem = Problem("set", reference, Form(reference, True, "same text"))
    shuffled = values[:]
    while shuffled == values:
        rng.shuffle(shuffled)
    problem.alternatives += [
        Form(f"\\{{{', '.join(map(str, shuffled))}\\}}", True, "set reordered"),
        Form(", ".join(map(str, shuffled)), True, "bare list for a set"),
        Form(" \\text{ or } ".join(f"x = {v}" for v in values), True, "x = a or x = b"),
    ]
    missing = values[:-1]
    problem.wrong += [
        Form(f"\\{{{', '.join(map(str, missing))}\\}}", False, "an element missing"),
        Form(f"\\{{{', '.join(map(str, [*values[:-1], values[-1] + 1]))}\\}}", False, "off"),
    ]
    return problem


def _tuple(rng: random.Random) -> Problem:
    size = rng.choice((2, 3, 3, 4))
    values = [rng.randint(-12, 12) for _ in range(size)]
    if len(set(values)) < size:
        values[0] = values[-1] + 13
    text = ", ".join(map(str, values))
    reference = f"({text})"
    problem = Problem("tuple", reference, Form(reference, True, "same text"))
    problem.alternatives += [
        Form(f"({','.join(map(str, values))})", True, "spacing"),
        Form(f"\\left( {text} \\right)", True, "\\left( \\right)"),
    ]
    if size == 3:
        column = " \\\\ ".join(map(str, values))
        problem.alternatives.append(
            Form(f"\\begin{{pmatrix}} {column} \\end{{pmatrix}}", True, "column vector for tuple")
        )
    problem.wrong += [
        Form(f"({', '.join(map(str, values[::-1]))})", False, "order reversed"),
        Form(f"({', '.join(map(str, [*values[:-1], values[-1] - 1]))})", False, "last off"),
    ]
    return problem


def _matrix(rng: random.Random) -> Problem:
    values = [rng.randint(-9, 9) for _ in range(4)]
    if values[1] == values[2]:
        values[2] += 1

    def render(kind: str, v: list[int]) -> str:
        return f"\\begin{{{kind}}} {v[0]} & {v[1]} \\\\ {v[2]} & {v[3]} \\end{{{kind}}}"

    reference = render("pmatrix", values)
    problem = Problem("matrix", reference, Form(reference, True, "same text"))
    problem.alternatives += [
        Form(render("bmatrix", values), True, "bmatrix for pmatrix"),
        Form(f"\\left( {render('matrix', values)} \\right)", True, "\\left( matrix \\right)"),
    ]
    problem.wrong += [
        Form(render("pmatrix", [values[0], values[2], values[1], values[3]]), False, "transposed"),
        Form(render("pmatrix", [*values[:3], values[3] + 1]), False, "one entry off"),
    ]
    return problem


def _equation(rng: random.Random) -> Problem:
    if rng.random() < 0.35:  # a lone variable: x = 5 equals 5
        value = rng.randint(-50, 50)
        variable = rng.choice("xyk")
        reference = f"{variable} = {value}" if rng.random() < 0.5 else str(value)
        other = str(value) if "=" in reference else f"{variable} = {value}"
        problem = Problem("equation", reference, Form(reference, True, "same text"))
        problem.alternatives.append(Form(other, True, "x = 5 vs 5"))
        problem.wrong.append(Form(f"{variable} = {value + 1}", False, "wrong value"))
        return problem
    m, c = rng.choice([v for v in range(-6, 7) if v]), rng.randint(-9, 9)
    line = f"y = {_poly([m, c], 'x')}"
    problem = Problem("equation", line, Form(line, True, "same text"))
    k = rng.randint(2, 5)
    problem.alternatives += [
        Form(f"{k}y = {_poly([k * m, k * c], 'x')}", True, "equation scaled by a constant"),
        Form(f"{_poly([m, 0], 'x')} - y{_signed_term(c, '', first=False)} = 0", True, "= 0 form"),
    ]
    problem.wrong += [
        Form(f"y = {_poly([m, c + 1], 'x')}", False, "wrong intercept"),
        Form(f"y = {_poly([-m, c], 'x')}", False, "wrong slope sign"),
    ]
    return problem


def _choice_text(rng: random.Random) -> Problem:
    if rng.random() < 0.55:
        letter = rng.choice(LETTERS)
        reference = rng.choice(
            (letter, f"({letter})", f"\\text{{({letter})}}", f"\\text{{{letter}}}")
        )
        option = rng.randint(2, 500)
        problem = Problem("choice_text", reference, Form(reference, True, "same text"))
        problem.alternatives += [
            Form(letter, True, "bare letter"),
            Form(f"({letter})", True, "(C)"),
            Form(f"\\text{{{letter}}}", True, "\\text{C}"),
            Form(f"{letter}. {option}", True, "letter with its option text"),
            Form(f"({letter}) {option}", True, "letter with its option text"),
        ]
        wrong = rng.choice([other for other in LETTERS if other != letter])
        problem.wrong += [
            Form(f"({wrong})", False, "wrong letter"),
            Form(f"{wrong}. {option}", False, "wrong letter with option text"),
        ]
        return problem
    word = rng.choice(WORDS)
    reference = f"\\text{{{word}}}" if rng.random() < 0.5 else word
    problem = Problem("choice_text", reference, Form(reference, True, "same text"))
    problem.alternatives += [
        Form(word.lower() if word[0].isupper() else word.capitalize(), True, "case differs"),
        Form(f"\\text{{{word}}}" if reference == word else word, True, "\\text{} wrapper"),
        Form(f"\\textbf{{{word}}}", True, "\\textbf{}"),
    ]
    other = rng.choice([w for w in WORDS if w != word])
    problem.wrong.append(Form(other, False, "different word"))
    return problem


def _complex(rng: random.Random) -> Problem:
    a = rng.choice([v for v in range(-9, 10) if v])
    b = rng.choice([v for v in range(-9, 10) if v not in (0, 1, -1)])
    reference = f"{a} {'+' if b > 0 else '-'} {abs(b)}i"
    problem = Problem("complex", reference, Form(reference, True, "same text"))
    problem.alternatives += [
        Form(f"{b}i {'+' if a >= 0 else '-'} {abs(a)}", True, "terms swapped"),
        Form(f"{a}{'+' if b > 0 else '-'}{abs(b)}i", True, "spacing"),
    ]
    problem.wrong.append(Form(f"{a} {'-' if b > 0 else '+'} {abs(b)}i", False, "conjugate"))
    return problem


def _mixed_case(rng: random.Random) -> Problem:
    """Physics-style answers where `m` and `M` are different quantities."""
    k = rng.randint(1, 12)
    c = "" if k == 1 else str(k)
    shape = rng.randrange(3)
    if shape == 0:  # reduced mass
        reference = f"\\frac{{{c}mM}}{{m + M}}"
        equal = Form(f"\\frac{{{c}Mm}}{{M + m}}", True, "factors and terms reordered")
        wrong = Form(f"\\frac{{{c}m}}{{2}}", False, "m/2: equal only if M = m (case of m vs M)")
    elif shape == 1:
        reference = f"{c}(M - m)"
        equal = Form(f"{c}M - {c}m", True, "expanded")
        wrong = Form("0", False, "0: equal only if M = m (case of m vs M)")
    else:
        reference = f"\\frac{{{c}Mg}}{{m}}"
        equal = Form(f"{c}g \\cdot \\frac{{M}}{{m}}", True, "factors reordered")
        wrong = Form(f"{c}g", False, "g: equal only if M = m (case of m vs M)")
    problem = Problem("mixed_case", reference, Form(reference, True, "same text"))
    problem.alternatives.append(equal)
    problem.wrong.append(wrong)
    return problem


GENERATORS: dict[str, Callable[[random.Random], Problem]] = {
    "integer": _integer,
    "fraction": _fraction,
    "decimal": _decimal_problem,
    "surd": _surd,
    "pi": _pi,
    "polynomial": _polynomial,
    "interval": _interval,
    "set": _set,
    "tuple": _tuple,
    "matrix": _matrix,
    "equation": _equation,
    "choice_text": _choice_text,
    "complex": _complex,
    "mixed_case": _mixed_case,
}


def random_problem(rng: random.Random) -> Problem:
    names = [name for name, _ in CATEGORY_WEIGHTS]
    weights = [weight for _, weight in CATEGORY_WEIGHTS]
    return GENERATORS[rng.choices(names, weights)[0]](rng)


# --- responses ----------------------------------------------------------------------------

_OPENERS = (
    "Let's work through this step by step.",
    "We begin by writing down what is given.",
    "First, let me restate the problem.",
    "To solve this, we set up the relevant equation.",
    "Okay, so we need to find the requested quantity.",
)
_STEPS = (
    "Multiplying both sides by {a} gives {b}.",
    "Substituting $x = {a}$ into the expression yields ${b}$.",
    "Since ${a} + {b} = {c}$, the two cases combine.",
    "The discriminant is ${a}^2 - 4 \\cdot {b} = {c}$.",
    "Adding the {a} terms together we get {c} in total.",
    "Dividing by {a}, the ratio simplifies to $\\frac{{{b}}}{{{a}}}$.",
    "We check the boundary case $n = {a}$ separately, which gives {b}.",
    "By the triangle inequality the sum is at most {c}.",
    "So there are {a} ways to choose the first and {b} ways to choose the second.",
    "Simplifying, $({a} - {b})^2 = {c}$.",
)
_CLOSERS_BOXED = (
    "Therefore, the answer is $\\boxed{{{x}}}$.",
    "So the final answer is \\(\\boxed{{{x}}}\\).",
    "Putting it all together:\n\\[\n\\boxed{{{x}}}\n\\]",
    "**Final Answer**\n\\[ \\boxed{{{x}}} \\]",
    "Hence we obtain $\\boxed{{{x}}}$ as required.",
)
_CLOSERS_ANCHORED = (
    "The answer is ${x}$.",
    "Final Answer: The final answer is ${x}$. I hope it is correct.",
    "So the answer is ${x}$.",
    "Thus, the final answer is: ${x}$",
)
_CLOSERS_MISSING = (
    "Let me double-check the computation: ${a} \\times {b} = {c}$, which is consistent.",
    "Hmm, wait, I need to reconsider the case where $n = {a}$, which gives {b}.",
    "I am not able to finish this computation; the value is at least {a}.",
)


_PLAIN_NUMBER = re.compile(r"^-?[\d,]+(?:\.\d+)?$")  # what GSM8K puts after ####


def _sentence(rng: random.Random, template: str) -> str:
    a, b = rng.randint(2, 99), rng.randint(2, 99)
    return template.format(a=a, b=b, c=a + b)


def _reasoning(rng: random.Random) -> str:
    steps = [_sentence(rng, rng.choice(_STEPS)) for _ in range(rng.randint(2, 5))]
    return rng.choice(_OPENERS) + " " + " ".join(steps)


def wrap_response(rng: random.Random, answer: str, numeric: bool) -> tuple[str, str]:
    """(response, wrapper name) for a response whose final answer is `answer`."""
    body = _reasoning(rng)
    roll = rng.random()
    if numeric and roll < 0.18 and _PLAIN_NUMBER.match(answer):
        return f"{body}\n#### {answer}", "gsm8k ####"
    if roll < 0.42:
        closer = rng.choice(_CLOSERS_ANCHORED).format(x=answer)
        return f"{body}\n\n{closer}", "the answer is"
    closer = rng.choice(_CLOSERS_BOXED).format(x=answer)
    if rng.random() < 0.12:  # a reasoning model: thinking first, answer after </think>
        return f"<think>\n{_reasoning(rng)}\n</think>\n\n{body}\n\n{closer}", "think + boxed"
    return f"{body}\n\n{closer}", "boxed"


def missing_response(rng: random.Random) -> tuple[str, str]:
    body = _reasoning(rng)
    if rng.random() < 0.4:  # thinking that ran out of tokens
        return f"<think>\n{body} {_sentence(rng, rng.choice(_STEPS))}", "unclosed <think>"
    return f"{body} {_sentence(rng, rng.choice(_CLOSERS_MISSING))}", "no anchor"


def _two_boxes(rng: random.Random, problem: Problem) -> GenItem:
    """An intermediate value boxed before the final answer: every box must match."""
    intermediate = str(rng.randint(2, 999))
    body = _reasoning(rng)
    response = (
        f"{body} The intermediate total is $\\boxed{{{intermediate}}}$. "
        f"{_reasoning(rng)}\n\nTherefore, the answer is $\\boxed{{{problem.same.answer}}}$."
    )
    return GenItem(
        problem.category,
        problem.reference,
        response,
        f"{intermediate} ... {problem.same.answer}",
        "two different boxed answers (intermediate boxed first)",
        False,
        "two boxes",
    )


def _item(rng: random.Random, problem: Problem, form: Form) -> GenItem:
    response, wrapper = wrap_response(rng, form.answer, problem.numeric)
    return GenItem(
        problem.category,
        problem.reference,
        response,
        form.answer,
        form.form,
        form.expected,
        wrapper,
    )


def _missing(rng: random.Random, problem: Problem) -> GenItem:
    response, wrapper = missing_response(rng)
    return GenItem(problem.category, problem.reference, response, None, "no answer", None, wrapper)


def distinct_items(count: int, seed: int) -> list[GenItem]:
    """`count` items whose (reference, answer) pairs are all different."""
    rng = random.Random(seed)
    seen: set[tuple[str, str | None, str]] = set()
    items: list[GenItem] = []
    while len(items) < count:
        problem = random_problem(rng)
        roll = rng.random()
        if roll < 0.08:
            item = _missing(rng, problem)
            key = (item.reference, item.answer, item.response)
        elif roll < 0.11:
            item = _two_boxes(rng, problem)
            key = (item.reference, item.answer, "")
        else:
            if roll < 0.35:
                form = problem.same
            elif roll < 0.65 and problem.alternatives:
                form = rng.choice(problem.alternatives)
            elif roll < 0.7 and problem.strict:
                form = rng.choice(problem.strict)
            else:
                form = rng.choice(problem.wrong or [problem.same])
            item = _item(rng, problem, form)
            key = (item.reference, item.answer, "")
        if key in seen:
            continue
        seen.add(key)
        items.append(item)
    return items


def grpo_group(rng: random.Random, samples: int = 16) -> list[GenItem]:
    """`samples` responses to one prompt: 3-6 distinct answers, the correct one most common."""
    problem = random_problem(rng)
    distinct = rng.randint(3, 6)
    no_answer = rng.random() < 0.5
    others: list[Form] = []
    pool = list(problem.alternatives) + list(problem.wrong) + list(problem.wrong)
    rng.shuffle(pool)
    for form in pool:
        if len(others) >= distinct - 1 - no_answer:
            break
        if form.answer not in {o.answer for o in others} and form.answer != problem.same.answer:
            others.append(form)
    missing_count = rng.randint(1, 2) if no_answer else 0
    correct_count = max(samples // 2 - rng.randint(0, 2), samples - missing_count - 3 * len(others))
    counts = _split(rng, samples - missing_count - correct_count, len(others), correct_count - 1)
    group: list[GenItem] = [_item(rng, problem, problem.same) for _ in range(correct_count)]
    for form, count in zip(others, counts, strict=True):
        group += [_item(rng, problem, form) for _ in range(count)]
    group += [_missing(rng, problem) for _ in range(missing_count)]
    rng.shuffle(group)
    return group


def _split(rng: random.Random, total: int, parts: int, cap: int) -> list[int]:
    """`total` split into `parts` positive counts, each at most `cap`."""
    if parts == 0:
        return []
    counts = [1] * parts
    for _ in range(total - parts):
        open_parts = [i for i in range(parts) if counts[i] < cap] or list(range(parts))
        counts[rng.choice(open_parts)] += 1
    return counts


def grpo_batch(rng: random.Random, prompts: int = 64, samples: int = 16) -> list[GenItem]:
    return [item for _ in range(prompts) for item in grpo_group(rng, samples)]


def iter_grpo_batches(count: int, seed: int, prompts: int = 64) -> Iterator[list[GenItem]]:
    rng = random.Random(seed)
    for _ in range(count):
        yield grpo_batch(rng, prompts)
