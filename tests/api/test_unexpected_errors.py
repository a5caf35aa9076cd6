"""A bug in a route answers 503 naming the exception, never a traceback, and the keep-alive
connection it came on stays usable (uvicorn closes it if the exception reaches the server)."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

from tests.support.server import running_asgi
from verifier_service.api import create_app
from verifier_service.config import Settings
from verifier_service.service import Service


def test_an_unexpected_exception_is_a_503_and_the_connection_stays_open() -> None:
    app = create_app(Service(Settings(math_workers=1, code_enabled=False)))

    def broken() -> None:
        raise RuntimeError("a bug, with a secret: hunter2")

    app.add_api_route("/v1/broken", broken, methods=["GET"])
    with running_asgi(app, lifespan="on") as base_url:
        address = urlsplit(base_url)
        connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
        try:
            connection.request("GET", "/v1/broken")
            first = connection.getresponse()
            body = json.loads(first.read())
            socket_used = connection.sock
            connection.request("GET", "/healthz")
            second = connection.getresponse()
            health = json.loads(second.read())
            same_connection = connection.sock is socket_used
            connection.request("GET", "/metrics")
            metrics = connection.getresponse().read().decode()
        finally:
            connection.close()

    assert first.status == 503
    assert body == {"error": "the service could not handle the request (RuntimeError)"}
    assert "hunter2" not in json.dumps(body)
    assert (second.status, health) == (200, {"status": "ok"})
    assert same_connection, "the connection was closed after the 503"
    assert 'verifier_requests_total{route="/v1/broken",status="503"} 1.0' in metrics
