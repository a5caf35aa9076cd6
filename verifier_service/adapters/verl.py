"""verl reward functions backed by the verifier service.

verl config (see docs/client.md)::

    custom_reward_function:
      path: /path/to/verifier_service/adapters/verl.py   # or any file importing these
      name: compute_score          # NaiveRewardManager: one call per sample
      # name: compute_score_batch  # with reward_model.reward_manager=batch: one call per batch

Math or code is read from `extra_info["task"]`, else from the data source's name
(`openai/gsm8k`, `lighteval/MATH`, `aime` ... are math; `codecontests`, `apps`, `taco`,
`livecodebench`, `humaneval`, `mbpp` ... are code). For code, `ground_truth` is the tests (the
API's tests object, verl/PRIME `{"inputs": [...], "outputs": [...]}` stdio lists, or either
as a JSON string), `extra_info["language"]` the language (default python), and optional
`extra_info["limits"]` / `extra_info["scoring"]` are passed through.

The server is `VERIFIER_URL` (default http://127.0.0.1:8000), the token `VERIFIER_API_TOKEN`;
one module-level client is reused across calls (`use_client(VerifierClient(...))` replaces it,
for example to change retries or chunk size).

Faults: a fault must never look like a wrong answer. `compute_score` must return a float, so
when the service cannot score the sample it raises (`VerifierUnavailableError` for an
infrastructure fault, `VerifierUnscoredError` for e.g. an unreadable reference) rather than
return 0.0. `compute_score_batch` returns None for those samples instead of raising.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from verifier_service.client.errors import VerifierUnavailableError, VerifierUnscoredError
from verifier_service.client.trainer_data import (
    code_tests,
    math_reference,
    shared_client,
    task_of,
    use_client,
)


def make_item(
    data_source: str,
    solution_str: str,
    ground_truth: Any,
    extra_info: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The `/v1/verify` item of one verl sample."""
    extra = extra_info or {}
    if task_of(data_source, extra) == "math":
        item: dict[str, Any] = {
            "task": "math",
            "response": solution_str,
            "reference": math_reference(ground_truth),
        }
        if isinstance(extra.get("options"), Mapping):
            item["options"] = dict(extra["options"])
        return item
    item = {
        "task": "code",
        "response": solution_str,
        "tests": code_tests(ground_truth),
        "language": str(extra.get("language") or "python"),
    }
    for key in ("limits", "scoring"):
        if extra.get(key) is not None:
            item[key] = extra[key]
    return item


def compute_score(
    data_source: str,
    solution_str: str,
    ground_truth: Any,
    extra_info: Mapping[str, Any] | None = None,
    **_: Any,
) -> float:
    """The reward of one sample, a float in [0, 1]; raises rather than score a fault 0."""
    item = make_item(data_source, solution_str, ground_truth, extra_info)
    [result] = shared_client().verify([item], raise_on_error=True)
    if result.reward is None:
        if result.verdict == "error":
            raise VerifierUnavailableError(
                f"the service could not score the sample: {result.reason}"
            )
        raise VerifierUnscoredError(
            f"the service gave no reward ({result.verdict}: {result.reason})"
        )
    return float(result.reward)


def compute_score_batch(
    data_sources: Sequence[str],
    solution_strs: Sequence[str],
    ground_truths: Sequence[Any],
    extra_infos: Sequence[Mapping[str, Any] | None] | None = None,
    **_: Any,
) -> list[float | None]:
    """One reward per sample, in order (for verl's BatchRewardManager); None where the
    service could not score the sample (a fault or an unreadable reference), never 0."""
    count = len(solution_strs)
    if not len(data_sources) == len(ground_truths) == count:
        raise ValueError("data_sources, solution_strs and ground_truths differ in length")
    extras: Sequence[Mapping[str, Any] | None] = (
        [None] * count if extra_infos is None else extra_infos
    )
    if len(extras) != count:
        raise ValueError("extra_infos and solution_strs differ in length")
    items = [
        make_item(source, solution, truth, extra)
        for source, solution, truth, extra in zip(
            data_sources, solution_strs, ground_truths, extras, strict=True
        )
    ]
    return shared_client().rewards(items)


__all__ = ["compute_score", "compute_score_batch", "make_item", "use_client"]
