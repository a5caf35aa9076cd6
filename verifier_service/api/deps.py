"""Dependencies shared by the routes."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from verifier_service.backend import Backend

_bearer = HTTPBearer(auto_error=False, description="Needed when VERIFIER_API_TOKEN is set.")


def get_service(request: Request) -> Backend:
    service: Backend = request.app.state.service
    return service


ServiceDep = Annotated[Backend, Depends(get_service)]


def require_token(
    service: ServiceDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    expected = service.settings.api_token
    if not expected:
        return
    given = credentials.credentials if credentials else ""
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="missing or wrong bearer token (Authorization: Bearer <VERIFIER_API_TOKEN>)",
            headers={"WWW-Authenticate": "Bearer"},
        )


Authorized = Depends(require_token)


def caller_token(
    service: ServiceDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str | None:
    """The bearer token the request was authorized with; None when auth is off. Use it after
    `Authorized`: state kept per caller (idempotency keys) is scoped by it."""
    if not service.settings.api_token or credentials is None:
        return None
    return credentials.credentials


CallerTokenDep = Annotated[str | None, Depends(caller_token)]
