"""POST /v1/jobs and GET /v1/jobs/{job_id}: large batches scored in the background."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status

from verifier_service.api.deps import Authorized, ServiceDep
from verifier_service.api.idempotency import IdempotencyDep, replay_documented
from verifier_service.api.routes.verify import ERRORS, check_batch_size
from verifier_service.api.threads import ScoringThreadsDep
from verifier_service.schemas.requests import VerifyRequest
from verifier_service.schemas.results import JobCreated, JobState

router = APIRouter(tags=["jobs"], dependencies=[Authorized])


@router.post(
    "/v1/jobs",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobCreated,
    responses={**ERRORS, **replay_documented(status.HTTP_202_ACCEPTED)},
)
async def create_job(
    request: VerifyRequest,
    service: ServiceDep,
    idempotency: IdempotencyDep,
    threads: ScoringThreadsDep,
) -> JobCreated | Response:
    """Accept a batch and score it in the background; poll GET /v1/jobs/{job_id}. A retry
    carrying the same `Idempotency-Key` (and body) gets the same job, not a second one."""
    check_batch_size(request, service)

    async def create() -> JobCreated:
        return JobCreated(job_id=await threads.run(service.create_job, request.items))

    return await idempotency.respond(create, status_code=status.HTTP_202_ACCEPTED)


@router.get(
    "/v1/jobs/{job_id}", response_model=JobState, responses={404: {"description": "No such job"}}
)
def get_job(job_id: str, service: ServiceDep) -> JobState:
    """Status, counts done/total, and the results once done."""
    state = service.job(job_id)
    if state is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, detail=f"no job {job_id!r} (unknown or expired)"
        )
    return state
