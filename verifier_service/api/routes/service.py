"""Health, readiness, metrics and the language list."""

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
def healthz() -> Health:
    """The process is alive."""
    return Health(status="ok")


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
