"""The math verifier: response + references -> Decision (rules in docs/math.md).

`judge_normalized(..., deep=False)` uses only the text rules and exact plain numbers: bounded,
fast, safe to run in the service process. `deep=True` adds guards and the LaTeX parser and
runs in a worker process under a deadline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from verifier_service.math import guards
from verifier_service.math.choices import choice_reference, chosen_letter
from verifier_service.math.compare import Policy, nodes_equal, rationals_equal, rounding_digits
from verifier_service.math.decision import Decision
from verifier_service.math.extract import extract_answers, reference_answer
from verifier_service.math.forms import clock_time, different_marks, same_time
from verifier_service.math.labels import Labelled, bare_as_tuple, has_free_letters, labelled
from verifier_service.math.normalize import decimal_comma, final_of_chain, normalize, unwrap_text
from verifier_service.math.numbers import ExactNumber, parse_number
from verifier_service.math.options import MathOptions
from verifier_service.math.parse import ParseError, parse_node
from verifier_service.math.units import split_unit

MAX_DISTINCT_ANSWERS = 8
_WORDS = re.compile(r"^[A-Za-z]+(?:[ '\-]+[A-Za-z]+)*$")
_MATH_WORDS = frozenset({"sin", "cos", "tan", "cot", "sec", "csc", "log", "ln", "exp", "pi", "oo"})
_INFINITY = re.compile(r"^([+-]?)\s*(?:\\text\{\s*)?(?:infinity|inf|\\infty|oo)\s*\}?$", re.I)


@dataclass(frozen=True, slots=True)
class PairOutcome:
    equal: bool
    rule: str
    reference_invalid: bool = False


def judge_response(
    response: str, references: Sequence[str], options: MathOptions | None = None
) -> Decision:
    """Judge one model output against acceptable references, in this process, unbounded."""
    options = options or MathOptions()
    if no_reference(references):
        return Decision("invalid_reference", "the reference is empty")
    answers = extract_answers(response, options.extraction, options.anchors)
    if not answers:
        return Decision("no_answer", no_answer_reason(options))
    policy = Policy(options.numeric_tolerance)
    decision = judge_normalized(
        normalize_all(answers), normalize_references(references), policy, deep=True
    )
    assert decision is not None
    return replace(decision, extracted=answers[-1])


def no_reference(references: Sequence[str]) -> bool:
    """Whether an item has nothing to be judged against: it cannot be scored, whatever the
    response says."""
    return not any(reference.strip() for reference in references)


def no_answer_reason(options: MathOptions) -> str:
    if options.extraction == "boxed":
        return "no \\boxed{} answer"
    return "no \\boxed{}, 'the answer is' or '####' answer"


def normalize_all(texts: Sequence[str]) -> tuple[str, ...]:
    """Normalised, distinct, in order of first appearance, the last one kept last."""
    normalized = [_canonical_infinity(normalize(text)) for text in texts]
    distinct = list(dict.fromkeys(reversed(normalized)))
    return tuple(reversed(distinct))


def normalize_references(references: Sequence[str]) -> tuple[str, ...]:
    """Normalised references; a reference that is a whole solution gives its final answer."""
    return normalize_all([reference_answer(reference) for reference in references])


def _canonical_infinity(text: str) -> str:
    match = _INFINITY.match(text)
    if match is None:
        return text
    return "-\\infty" if match.group(1) == "-" else "\\infty"


def judge_normalized(
    answers: Sequence[str], references: Sequence[str], policy: Policy, *, deep: bool
) -> Decision | None:
    """The decision for normalised answers; None when `deep=False` cannot decide."""
    valid = [reference for reference in references if reference]
    if not valid:
        return Decision("invalid_reference", "the reference is empty")
    if len(answers) > MAX_DISTINCT_ANSWERS:
        return Decision("wrong", f"boxes {len(answers)} different answers")
    return _each_answer(answers, valid, policy, deep=deep)


def _each_answer(
    answers: Sequence[str], references: list[str], policy: Policy, *, deep: bool
) -> Decision | None:
    """Correct when every answer equals a reference (a hedge between values is not)."""
    rules: list[str] = []
    for answer in answers:
        outcome = _against_references(answer, references, policy, deep=deep)
        if outcome is None:
            return None
        if not outcome.equal:
            return _unequal(outcome, len(answers))
        rules.append(outcome.rule)
    return Decision("correct", rules[-1])


def _unequal(outcome: PairOutcome, answer_count: int) -> Decision:
    if outcome.reference_invalid:
        return Decision("invalid_reference", outcome.rule)
    if answer_count > 1:
        return Decision("wrong", f"{answer_count} different final answers, not all equal")
    return Decision("wrong", outcome.rule)


def _against_references(
    answer: str, references: list[str], policy: Policy, *, deep: bool
) -> PairOutcome | None:
    """Equal to any reference? A reference that cannot be read counts only if all cannot."""
    failures: list[PairOutcome] = []
    for reference in references:
        outcome = compare_pair(answer, reference, policy, deep=deep)
        if outcome is None:
            return None
        if outcome.equal:
            return outcome
        failures.append(outcome)
    readable = [failure for failure in failures if not failure.reference_invalid]
    return readable[-1] if readable else failures[-1]


def compare_pair(answer: str, reference: str, policy: Policy, *, deep: bool) -> PairOutcome | None:
    prepared = _prepare_pair(answer, reference, policy, deep=deep)
    if not isinstance(prepared, tuple):
        return prepared
    answer, reference = prepared
    answer_time, reference_time = clock_time(answer), clock_time(reference)
    if answer_time and reference_time:
        equal = same_time(answer_time, reference_time)
        return PairOutcome(equal, "same time of day" if equal else "different times of day")
    choice = choice_reference(reference)
    if choice:
        return _choice_outcome(answer, *choice, policy, deep=deep)
    if is_text_answer(reference):
        equal = _text_key(answer) == _text_key(reference)
        return PairOutcome(equal, "same words" if equal else "different words")
    by_labels = _labelled_outcome(answer, reference, policy, deep=deep)
    if by_labels is None or by_labels.equal or by_labels.rule.startswith("labelled: "):
        return by_labels
    answer_number, reference_number = _number(answer), _number(reference, against=answer)
    if answer_number is not None and reference_number is not None:
        return _numbers_outcome(answer_number, reference_number, policy)
    return _parsed_outcome(answer, reference, policy) if deep else None


def _number(text: str, *, against: str | None = None) -> ExactNumber | None:
    """A plain number, `1,22` read with a decimal comma too (a list `1, 22` has a space)."""
    number = parse_number(text)
    if number is None:
        european = decimal_comma(text, against=against)
        number = parse_number(european) if european else None
    return number


def _prepare_pair(
    answer: str, reference: str, policy: Policy, *, deep: bool
) -> tuple[str, str] | PairOutcome | None:
    """The pair with units, decimal commas and chains of equalities read, or its outcome when
    that alone decides (identical text, different units or marks, a chain with a false step)."""
    identical = PairOutcome(True, "identical after normalisation")
    if answer == reference:
        return identical
    answer, answer_unit = split_unit(answer)
    reference, reference_unit = split_unit(reference)
    if answer_unit and reference_unit and answer_unit != reference_unit:
        return PairOutcome(False, f"different units ({answer_unit} vs {reference_unit})")
    marks = different_marks(answer, reference)
    if answer == reference or marks:
        return PairOutcome(False, marks) if marks else identical
    reference = decimal_comma(reference, against=answer) or final_of_chain(reference)[0]
    answer, steps = final_of_chain(answer)
    if steps:
        checked = _chain_holds(steps, policy, deep=deep)
        if checked is None or not checked.equal:
            return checked
    return identical if answer == reference else (answer, reference)


def _chain_holds(steps: list[str], policy: Policy, *, deep: bool) -> PairOutcome | None:
    """Every step of a chain of equalities equals its final value (`2 + 2 = 4 = 5` does not)."""
    last = steps[-1]
    for step in steps[:-1]:
        outcome = compare_pair(step, last, policy, deep=deep)
        if outcome is None:
            return None
        if not outcome.equal:
            return PairOutcome(False, f"a chain with a false step ({step} = {last})")
    return PairOutcome(True, "the chain holds")


def _choice_outcome(
    answer: str, letter: str, option: str | None, policy: Policy, *, deep: bool
) -> PairOutcome | None:
    """The same letter; or, against an option with its text (`(C) 12`), an answer that gives
    that text and names no letter (`12`)."""
    chosen = chosen_letter(answer)
    if chosen == letter:
        return PairOutcome(True, "same multiple-choice letter")
    if chosen is None and option is not None:
        by_text = compare_pair(answer, normalize(option), policy, deep=deep)
        if by_text is None or by_text.equal:
            return by_text
    return PairOutcome(False, f"chose {chosen}" if chosen else "no multiple-choice letter")


def _labelled_outcome(
    answer: str, reference: str, policy: Policy, *, deep: bool
) -> PairOutcome | None:
    """The labels' decision; a `not labelled` outcome (equal False) lets later rules decide.

    Values without variables decide for good ("labelled: ..."); an equation like `y = 2x + 3`
    may still equal `2y = 4x + 6` by the equation rule.
    """
    answer_labels, reference_labels = labelled(answer), labelled(reference)
    if answer_labels is None and reference_labels is None:
        return PairOutcome(False, "not labelled")
    if answer_labels is not None and reference_labels is not None:
        if sorted(answer_labels.labels) != sorted(reference_labels.labels):
            different = (answer_labels.text(), reference_labels.text())
            return _labels_final(False, "different labels", *different)
        answer_text = answer_labels.text(reference_labels.labels)
        reference_text = reference_labels.text()
        outcome = compare_pair(answer_text, reference_text, policy, deep=deep)
        if outcome is None:
            return None
        return PairOutcome(outcome.equal, f"labelled: {outcome.rule}")  # the same labels
    elif answer_labels is not None:
        if "=" in reference and has_free_letters(answer_labels.text()):
            return PairOutcome(False, "not labelled")  # `y = 2x + 3` against an equation
        answer_text = answer_labels.text()
        reference_text = _as_labelled_row(reference, answer_labels)
    else:
        assert reference_labels is not None
        if "=" in answer and has_free_letters(reference_labels.text()):
            return PairOutcome(False, "not labelled")
        reference_text = reference_labels.text()
        answer_text = _as_labelled_row(answer, reference_labels)
    outcome = compare_pair(answer_text, reference_text, policy, deep=deep)
    if outcome is None:
        return None
    return _labels_final(outcome.equal, outcome.rule, answer_text, reference_text)


def _as_labelled_row(bare: str, other: Labelled) -> str:
    """A bare list against one row of several labels reads as that row's tuple."""
    one_row = len(other.labels) > 1 and len(other.rows) == 1 and not other.roots
    return bare_as_tuple(bare) if one_row else bare


def _labels_final(equal: bool, rule: str, answer: str, reference: str) -> PairOutcome:
    if equal or not (has_free_letters(answer) or has_free_letters(reference)):
        return PairOutcome(equal, f"labelled: {rule}")
    return PairOutcome(False, rule)


def is_text_answer(reference: str) -> bool:
    words = unwrap_text(reference)
    if not _WORDS.match(words) or max(map(len, re.findall("[A-Za-z]+", words))) < 2:
        return False
    wrapped = words != reference.strip()
    return wrapped or words.lower() not in _MATH_WORDS


def _text_key(text: str) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", unwrap_text(text).lower())
    return " ".join(words.split())


def _numbers_outcome(answer: ExactNumber, reference: ExactNumber, policy: Policy) -> PairOutcome:
    rounded = rounding_digits(answer.decimals, reference.decimals, reference.percent)
    for a in answer.candidates():
        for r in reference.candidates():
            rule = rationals_equal(a, r, rounded, policy)
            if rule:
                return PairOutcome(True, rule)
    return PairOutcome(False, "different numbers")


def _parsed_outcome(answer: str, reference: str, policy: Policy) -> PairOutcome:
    refused = guards.refusal(reference)
    if refused:
        return PairOutcome(False, f"reference refused: {refused}", reference_invalid=True)
    try:
        reference_node = parse_node(reference)
    except (ParseError, RecursionError) as error:
        return PairOutcome(False, f"reference unreadable: {error}", reference_invalid=True)
    refused = guards.refusal(answer)
    if refused:
        return PairOutcome(False, f"answer refused: {refused}")
    try:
        answer_node = parse_node(answer)
    except (ParseError, RecursionError) as error:
        return PairOutcome(False, f"answer unreadable: {error}")
    try:
        rule = nodes_equal(answer_node, reference_node, policy)
    except (TypeError, ValueError, ArithmeticError, RecursionError) as error:  # sympy refuses some
        return PairOutcome(False, f"not comparable ({type(error).__name__})")
    return PairOutcome(rule is not None, rule or "not equal")
