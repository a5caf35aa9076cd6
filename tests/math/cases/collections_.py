"""Collections: unordered sets, \\pm, bare lists, ordered tuples, matrices and vectors."""

from __future__ import annotations

from tests.math.cases import Case, lines

CASES: list[Case] = [
    # --- sets, bare lists, \pm (unordered, same count) ----------------------------------------
    Case(r"\boxed{\{1, 2, 3\}}", r"\{3, 2, 1\}", "correct"),
    Case(r"\boxed{\{-1, 0, 1\}}", r"\{0, 1, -1\}", "correct"),
    Case(r"\boxed{\{\frac{1}{2}, 2\}}", r"\{2, 0.5\}", "correct", "elements compared as numbers"),
    Case(r"\boxed{2, 1}", "1, 2", "correct", "bare list, unordered"),
    Case(
        lines(
            r"Factoring, $(x - 3)(x - 5) = 0$, so the roots are 3 and 5.",
            "The answer is 3, 5.",
        ),
        r"\{3, 5\}",
        "correct",
        "bare list against a set",
    ),
    Case(r"\boxed{\{1, 2\}}", "1, 2", "correct"),
    Case(r"\boxed{2 \text{ or } 3}", "3, 2", "correct", "'or' list"),
    Case(r"\boxed{\frac{1}{2}, -\frac{1}{3}}", r"-\frac{1}{3}, \frac{1}{2}", "correct"),
    Case(r"\boxed{\pm 2}", "2, -2", "correct"),
    Case(r"\boxed{-3, 3}", r"\pm 3", "correct"),
    Case(r"\boxed{\pm\sqrt{3}}", r"-\sqrt{3}, \sqrt{3}", "correct"),
    Case(r"\boxed{1 \pm \sqrt{2}}", r"1+\sqrt{2}, 1-\sqrt{2}", "correct"),
    Case(r"\boxed{\pm 2}", "2", "wrong", r"\pm gives two elements"),
    Case(r"\boxed{2}", r"\pm 2", "wrong", "one of the two elements missing"),
    Case(r"\boxed{1 + \sqrt{2}}", r"1 \pm \sqrt{2}", "wrong"),
    Case(r"\boxed{\pm 3}", "3, -3, 0", "wrong"),
    Case(r"\boxed{\{1, 2\}}", r"\{1, 2, 3\}", "wrong", "missing element"),
    Case(r"\boxed{\{1, 2, 3, 4\}}", r"\{1, 2, 3\}", "wrong", "extra element"),
    Case(r"\boxed{\{1, 2\}}", r"\{1, 3\}", "wrong"),
    Case(r"\boxed{1, 1, 2}", "1, 2", "wrong", "same elements, different count"),
    Case(r"\boxed{2 \text{ or } 3}", "2, 4", "wrong"),
    # --- tuples (ordered) ---------------------------------------------------------------------
    Case(r"\boxed{(1, 2, 3)}", "(1,2,3)", "correct"),
    Case(r"\boxed{\left( 1, 2 \right)}", "(1, 2)", "correct"),
    Case(r"\boxed{(\sqrt{2}, \pi)}", r"(\sqrt 2, \pi)", "correct"),
    Case(r"The answer is $(3, -1)$.", "(3,-1)", "correct"),
    Case(r"\boxed{(0.5, 2)}", r"(\frac{1}{2}, 2)", "correct"),
    Case(r"\boxed{(3, 2, 1)}", "(1, 2, 3)", "wrong", "tuples are ordered"),
    Case(r"\boxed{(2, 1)}", "(1, 2)", "wrong", "tuples are ordered"),
    Case(r"\boxed{(1, -2)}", "(1, 2)", "wrong"),
    Case(r"\boxed{(1, 2, 3)}", "(1, 2)", "wrong", "different length"),
    # --- matrices and vectors -----------------------------------------------------------------
    Case(
        r"\boxed{\begin{pmatrix} 1 \\ 2 \end{pmatrix}}",
        r"\begin{bmatrix} 1 \\ 2 \end{bmatrix}",
        "correct",
        "pmatrix and bmatrix are the same vector",
    ),
    Case(
        r"\boxed{\begin{pmatrix} \frac{1}{2} & 0 \\ 0 & 1 \end{pmatrix}}",
        r"\begin{pmatrix} 0.5 & 0 \\ 0 & 1 \end{pmatrix}",
        "correct",
    ),
    Case(
        lines(
            r"Multiplying every entry by 2 gives",
            r"$$\boxed{\begin{pmatrix} 2 & 4 \\ 6 & 8 \end{pmatrix}}$$",
        ),
        r"\begin{pmatrix} 2 & 4 \\ 6 & 8 \end{pmatrix}",
        "correct",
    ),
    Case(
        r"\boxed{\begin{pmatrix} -1 \\ \frac{3}{2} \\ 0 \end{pmatrix}}",
        r"\begin{pmatrix} -1 \\ 1.5 \\ 0 \end{pmatrix}",
        "correct",
    ),
    Case(
        r"\boxed{\begin{bmatrix} 1 & 2 \end{bmatrix}}",
        r"\begin{pmatrix} 1 & 2 \end{pmatrix}",
        "correct",
    ),
    Case(
        r"\boxed{\begin{pmatrix} 1 & 3 \\ 2 & 4 \end{pmatrix}}",
        r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}",
        "wrong",
        "transposed",
    ),
    Case(
        r"\boxed{\begin{pmatrix} 1 & 2 \end{pmatrix}}",
        r"\begin{pmatrix} 1 \\ 2 \end{pmatrix}",
        "wrong",
        "row vs column: different shape",
    ),
    Case(
        r"\boxed{\begin{pmatrix} 1 \\ 2 \\ 3 \end{pmatrix}}",
        r"\begin{pmatrix} 1 \\ 2 \\ 4 \end{pmatrix}",
        "wrong",
    ),
    Case(
        r"\boxed{\begin{pmatrix} 2 & 0 \\ 0 & 2 \end{pmatrix}}",
        r"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}",
        "wrong",
        "off by a factor",
    ),
]
