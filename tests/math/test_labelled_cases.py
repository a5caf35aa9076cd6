"""Runs every labelled case in tests/math/cases against the math judge (docs/math.md)."""

from __future__ import annotations

import pytest

from tests.math.cases import (
    VERDICTS,
    Case,
    collections_,
    complex_units_text,
    constants,
    degenerate,
    equations,
    expressions,
    extraction,
    intervals,
    model_outputs,
    model_outputs_more,
    multi_reference,
    numbers,
    real_forms,
    real_forms_more,
    traps,
    traps_forms,
    traps_forms_2,
)
from verifier_service.math.judge import judge_response
from verifier_service.math.options import MathOptions

CATEGORIES: dict[str, list[Case]] = {
    "extraction": extraction.CASES,
    "numbers": numbers.CASES,
    "constants": constants.CASES,
    "expressions": expressions.CASES,
    "equations": equations.CASES,
    "intervals": intervals.CASES,
    "collections": collections_.CASES,
    "complex_units_text": complex_units_text.CASES,
    "traps": traps.CASES,
    "multi_reference": multi_reference.CASES,
    "degenerate": degenerate.CASES,
    "real_forms": real_forms.CASES,
    "real_forms_more": real_forms_more.CASES,
    "traps_forms": traps_forms.CASES,
    "traps_forms_2": traps_forms_2.CASES,
    "model_outputs": model_outputs.CASES,
    "model_outputs_more": model_outputs_more.CASES,
}

LABELLED: list[tuple[str, Case]] = [
    (f"{category}-{index:03d}", case)
    for category, cases in CATEGORIES.items()
    for index, case in enumerate(cases)
]


@pytest.mark.parametrize("case", [case for _, case in LABELLED], ids=[i for i, _ in LABELLED])
def test_labelled_case(case: Case) -> None:
    decision = judge_response(case.response, case.references, MathOptions(**case.options))
    assert decision.verdict == case.verdict, (
        f"{case.note} -> {decision.verdict}: {decision.reason} (extracted {decision.extracted!r})"
    )


def test_suite_size() -> None:
    assert len(LABELLED) >= 300
    for category, cases in CATEGORIES.items():
        assert len(cases) >= 20, f"{category} has only {len(cases)} cases"
    assert len(traps.CASES) >= 60


def test_cases_are_well_formed() -> None:
    for case_id, case in LABELLED:
        assert case.verdict in VERDICTS, case_id
        MathOptions(**case.options)  # raises on an unknown option or a bad value
