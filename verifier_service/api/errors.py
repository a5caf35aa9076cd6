"""Every failure is a 4xx with a message that names the field, or a 503; never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from verifier_service.admission import SaturatedError
from verifier_service.jobs.store import TooManyJobsError
from verifier_service.queue.broker import QueueUnavailableError

log = logging.getLogger(__name__)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(SaturatedError, _saturated)
    app.add_exception_handler(TooManyJobsError, _saturated)
    app.add_exception_handler(QueueUnavailableError, _queue_unavailable)


def field_path(location: tuple[Any, ...] | list[Any]) -> str:
    """`("body", "items", 3, "reference")` -> `items.3.reference`."""
    parts = [str(part) for part in location if part != "body"]
    return ".".join(parts) or "body"


def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    details = [_detail(e, request.headers.get("content-type", "")) for e in error.errors()]
    summary = "; ".join(f"{d['field']}: {d['message']}" for d in details[:5])
    return JSONResponse(status_code=422, content={"error": summary, "detail": details})


def _detail(error: Any, content_type: str) -> dict[str, Any]:
    """One validation error as `{field, message, type}`, with what to do for a body that is
    not JSON (the position of the first bad character) or not sent as JSON."""
    kind = error.get("type")
    location = error.get("loc", ())
    message = error.get("msg", "")
    if kind == "json_invalid":
        position = location[-1] if location else "?"
        reason = (error.get("ctx") or {}).get("error", "JSON decode error")
        message = f"the body is not valid JSON: {reason} at character {position}"
        return {"field": "body", "message": message, "type": kind}
    if location in (("body",), ["body"]) and "json" not in content_type.lower():
        message = (
            f"{message}; send the body as JSON with the header `content-type: application/json`"
            f" (this request said {content_type or 'no content-type'!r})"
        )
    return {"field": field_path(location), "message": message, "type": kind}


def _http_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    message = str(error.detail)
    if error.status_code == 400 and "parsing the body" in message:
        message = "the request body is not valid JSON in UTF-8"
    return JSONResponse(
        status_code=error.status_code,
        content={"error": message, "detail": message},
        headers=dict(error.headers or {}),
    )


def _saturated(_: Request, error: Exception) -> JSONResponse:
    return JSONResponse(
        status_code=429,
        content={"error": f"the service is saturated ({error}); retry later"},
        headers={"Retry-After": str(SaturatedError.retry_after_s)},
    )


def _queue_unavailable(_: Request, error: Exception) -> JSONResponse:
    return JSONResponse(
        status_code=503,
        content={"error": f"the queue is unavailable ({error}); retry later"},
        headers={"Retry-After": str(QueueUnavailableError.retry_after_s)},
    )


class UnexpectedErrors:
    """Any other exception becomes a 503 that names its type, and the connection stays open.

    (Starlette's handler for `Exception` re-raises after answering, and uvicorn then closes a
    keep-alive connection the client may be about to reuse.) An exception after the response
    has started cannot be answered any more: it goes on to the server.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            if started:
                raise
            log.exception("unexpected error on %s", scope.get("path"), exc_info=error)
            message = f"the service could not handle the request ({type(error).__name__})"
            response = JSONResponse(status_code=503, content={"error": message})
            await response(scope, receive, send)
