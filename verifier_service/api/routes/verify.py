"""POST /v1/verify: score a batch and answer when every item is scored."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.exceptions import RequestValidationError

from verifier_service.api.deps import Authorized, ServiceDep
from verifier_service.api.idempotency import IdempotencyDep, replay_documented
from verifier_service.api.threads import ScoringThreadsDep
from verifier_service.backend import Backend
from verifier_service.schemas.requests import VerifyRequest
from verifier_service.schemas.results import VerifyResponse

router = APIRouter(tags=["verify"], dependencies=[Authorized])

ERRORS: dict[int | str, dict[str, str]] = {
    401: {"description": "VERIFIER_API_TOKEN is set and the bearer token is missing or wrong."},
    413: {"description": "The body is larger than VERIFIER_MAX_BODY_BYTES."},
    422: {
        "description": "The body does not match the contract, or the Idempotency-Key was "
        "already used with another body; `error` names the field (or the header)."
    },
    429: {"description": "Saturated: retry after `Retry-After` seconds."},
}


def check_batch_size(request: VerifyRequest, service: Backend) -> None:
    limit = service.settings.max_batch_items
    if len(request.items) > limit:
        raise RequestValidationError(
            [
                {
                    "loc": ("body", "items"),
                    "msg": f"at most {limit} items per request (got {len(request.items)}); "
                    "split the batch or use POST /v1/jobs",
                    "type": "too_long",
                }
            ]
        )


@router.post(
    "/v1/verify", response_model=VerifyResponse, responses={**ERRORS, **replay_documented(200)}
)
async def verify(
    request: VerifyRequest,
    service: ServiceDep,
    idempotency: IdempotencyDep,
    threads: ScoringThreadsDep,
) -> VerifyResponse | Response:
    """Score every item; results come back in request order, one per item. A retry carrying
    the same `Idempotency-Key` (and body) gets the first response, without scoring again."""
    check_batch_size(request, service)

    async def score() -> VerifyResponse:
        with service.admitted(len(request.items)):
            results = await threads.run(service.score, request.items)
        return VerifyResponse(results=results)

    return await idempotency.respond(score)
