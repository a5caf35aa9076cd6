"""Health, readiness, metrics and the language list."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from verifier_service.api.deps import Authorized, ServiceDep

router = APIRouter(tags=["service"])


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    ready: bool
    math_workers: int


class Language(BaseModel):
    name: str
    display: str
    aliases: list[str]
    version: str


class Languages(BaseModel):
    languages: list[Language]


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process is alive."""
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
def readyz(service: ServiceDep, response: Response) -> Readiness:
    """The service can take work: its worker processes are up."""
    ready = service.ready()
    if not ready:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Readiness(ready=ready, math_workers=service.math_pool.alive_workers())


@router.get("/metrics", dependencies=[Authorized], response_class=Response)
def metrics(service: ServiceDep) -> Response:
    """Prometheus text format."""
    return Response(generate_latest(service.metrics.registry), media_type=CONTENT_TYPE_LATEST)


@router.get("/v1/languages", dependencies=[Authorized], response_model=Languages)
def languages(service: ServiceDep) -> Languages:
    """Languages code items may use: those whose toolchain answered inside the jail."""
    toolchains = service.code.toolchains
    if toolchains is None:
        return Languages(languages=[])
    declared = service.code.registry.languages
    return Languages(
        languages=[
            Language(
                name=name,
                display=declared[name].display,
                aliases=sorted(declared[name].aliases),
                version=version,
            )
            for name, version in sorted(toolchains.versions().items())
        ]
    )
