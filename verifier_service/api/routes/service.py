"""Health, readiness, metrics and the language list.

None of them scores, and none takes a thread scoring uses (see `api/threads.py`). /healthz is
`async`: it touches nothing, so it answers from the event loop with no thread at all, and its
answer means what a liveness probe asks, that the loop serves. The others stay `def`: in queue
mode they talk to Redis, blocking I/O that must not run on the event loop; FastAPI runs them on
its default threads, which scoring leaves free.
"""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from verifier_service.api.deps import Authorized, ServiceDep
from verifier_service.schemas.service import Languages, Readiness

router = APIRouter(tags=["service"])


class Health(BaseModel):
    status: str


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is alive."""
    return Health(status="ok")


@router.get("/v1/ping", tags=["trainer compatibility"])
async def ping() -> str:
    """SandboxFusion's liveness check (its clients poll it before sending work): "pong"."""
    return "pong"


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
def readyz(service: ServiceDep, response: Response) -> Readiness:
    """The service can take work: its worker processes are up (in queue mode: Redis answers
    and at least one worker sent a heartbeat recently)."""
    readiness = service.readiness()
    if not readiness.ready:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return readiness


@router.get("/metrics", dependencies=[Authorized], response_class=Response)
def metrics(service: ServiceDep) -> Response:
    """Prometheus text format."""
    return Response(generate_latest(service.metrics.registry), media_type=CONTENT_TYPE_LATEST)


@router.get("/v1/languages", dependencies=[Authorized], response_model=Languages)
def languages(service: ServiceDep) -> Languages:
    """Languages code items may use: those whose toolchain answered inside the jail."""
    return Languages(languages=service.languages())
