"""POST /get_reward: OpenRLHF's remote reward model protocol on top of the native scoring.

OpenRLHF turns `rewards` straight into a tensor of floats: it has no way to say "not scored".
So an item the service could not score (reward null on /v1/verify) never becomes a number
here: the whole request answers 503 with `Retry-After` (OpenRLHF retries a failed request, then
stops with an error) rather than a 0.0 that would train the model as if the answer were wrong.
A label the verifier cannot use (`invalid_reference`) is the caller's data, not a fault: 422
naming `labels.<i>`.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from verifier_service.api.deps import Authorized, ServiceDep
from verifier_service.api.threads import ScoringThreadsDep
from verifier_service.backend import Backend
from verifier_service.queue.broker import QueueUnavailableError
from verifier_service.schemas.openrlhf import RewardRequest, RewardResponse
from verifier_service.schemas.requests import MAX_REFERENCES, CodeItem, Item, MathItem
from verifier_service.schemas.results import Result
from verifier_service.schemas.text import lone_surrogate

router = APIRouter(tags=["trainer compatibility"], dependencies=[Authorized])

ERRORS: dict[int | str, dict[str, str]] = {
    401: {"description": "VERIFIER_API_TOKEN is set and the bearer token is missing or wrong."},
    413: {"description": "The body is larger than VERIFIER_MAX_BODY_BYTES."},
    422: {"description": "The body does not match; `error` names the field (`labels.3`)."},
    429: {"description": "Saturated: retry after `Retry-After` seconds."},
    503: {"description": "Some item could not be scored (an infrastructure fault): retry."},
}
CORRECT = frozenset({"correct", "accepted"})
NO_ANSWER = frozenset({"no_answer", "no_code"})
FAULT_RETRY_AFTER_S = QueueUnavailableError.retry_after_s
REASONS_SHOWN = 5


def response_of(query: str, prompt: str) -> str:
    """The response: the query without its prompt prefix, or the whole query without one."""
    return query[len(prompt) :] if prompt and query.startswith(prompt) else query


def to_items(request: RewardRequest, service: Backend) -> list[Item]:
    """One /v1/verify item per query, or a 422 naming the offending field."""
    count = len(request.query)
    errors: list[dict[str, Any]] = []
    limit = service.settings.max_batch_items
    if count > limit:
        errors.append(_error(("query",), f"at most {limit} queries per request (got {count})"))
    for name in ("prompts", "labels"):
        given = len(getattr(request, name))
        if given != count:
            message = f"has {given} entries but query has {count}: one per query"
            errors.append(_error((name,), message))
    if errors:
        raise RequestValidationError(errors)
    items: list[Item] = []
    for index, (query, prompt, label) in enumerate(
        zip(request.query, request.prompts, request.labels, strict=True)
    ):
        item = _item(index, response_of(query, prompt), label, errors)
        if item is not None:
            items.append(item)
    if errors:
        raise RequestValidationError(errors)
    return items


def _item(index: int, response: str, label: Any, errors: list[dict[str, Any]]) -> Item | None:
    try:
        template = _template(label)
    except RecursionError:
        message = "holds JSON nested too deeply to read: send the item object itself"
        errors.append(_error(("labels", index), message))
        return None
    where = lone_surrogate(label if template is None else template)
    if where is not None:
        message = f"is not valid Unicode text (a lone surrogate at {where})"
        errors.append(_error(("labels", index), message))
        return None
    if template is None:
        if isinstance(label, str):
            return MathItem(task="math", id=index, response=response, reference=label)
        if (
            isinstance(label, list)
            and 0 < len(label) <= MAX_REFERENCES
            and all(isinstance(entry, str) for entry in label)
        ):
            return MathItem(task="math", id=index, response=response, reference=label)
        message = (
            "must be a reference answer (a string or a list of 1 to "
            f"{MAX_REFERENCES} strings) or an item object with `task`"
        )
        errors.append(_error(("labels", index), message))
        return None
    body = {**template, "id": index, "response": response}
    try:
        if body.get("task") == "code":
            return CodeItem.model_validate(body)
        return MathItem.model_validate(body)
    except ValidationError as error:
        for detail in error.errors():
            location = ("labels", index, *detail.get("loc", ()))
            errors.append(_error(location, detail.get("msg", ""), detail.get("type", "")))
        return None


def _template(label: Any) -> dict[str, Any] | None:
    """The item a label describes (an object with `task`, or a string holding one), or None.
    Raises RecursionError for a string of JSON nested past what the decoder follows."""
    if isinstance(label, str) and label.lstrip().startswith("{"):
        try:
            label = json.loads(label)
        except ValueError:
            return None
    if isinstance(label, dict) and label.get("task") in ("math", "code"):
        return label
    return None


def _error(location: tuple[Any, ...], message: str, kind: str = "value_error") -> dict[str, Any]:
    return {"loc": ("body", *location), "msg": message, "type": kind}


def to_response(results: list[Result]) -> RewardResponse:
    """Rewards in order; a 422 for unusable labels or a 503 when anything was not scored."""
    invalid = [r for r in results if r.verdict == "invalid_reference"]
    if invalid:
        raise RequestValidationError(
            [_error(("labels", r.id), f"the reference cannot be used: {r.reason}") for r in invalid]
        )
    unscored = [r for r in results if r.reward is None]
    if unscored:
        shown = "; ".join(f"query {r.id}: {r.reason}" for r in unscored[:REASONS_SHOWN])
        raise HTTPException(
            503,
            detail=f"{len(unscored)} of {len(results)} queries could not be scored ({shown}); "
            "retry later",
            headers={"Retry-After": str(FAULT_RETRY_AFTER_S)},
        )
    rewards = [float(r.reward or 0.0) for r in results]
    accuracy = [float(r.verdict in CORRECT) for r in results]
    return RewardResponse(
        rewards=rewards,
        scores=list(rewards),
        extra_logs={
            "accuracy": accuracy,
            "no_answer": [float(r.verdict in NO_ANSWER) for r in results],
        },
        verdicts=[r.verdict for r in results],
        accuracy=sum(accuracy) / len(accuracy),
    )


@router.post("/get_reward", response_model=RewardResponse, responses=ERRORS)
async def get_reward(
    request: RewardRequest, service: ServiceDep, threads: ScoringThreadsDep
) -> RewardResponse:
    """OpenRLHF `--remote_rm_url`: one reward per query (prompt + response), labels the answers."""
    items = to_items(request, service)
    with service.admitted(len(items)):
        results = await threads.run(service.score, items)
    return to_response(results)
