"""A worker's own small HTTP server: GET /metrics (Prometheus) and GET /healthz."""

from __future__ import annotations

import errno
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

if TYPE_CHECKING:
    from verifier_service.queue.worker import Worker

log = logging.getLogger(__name__)


class HealthServer:
    def __init__(self, worker: Worker) -> None:
        self._worker = worker
        self._server: ThreadingHTTPServer | None = None
        self.port = 0

    def start(self) -> None:
        settings = self._worker.settings
        worker = self._worker

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/metrics":
                    self._send(200, generate_latest(worker.metrics.registry), CONTENT_TYPE_LATEST)
                elif self.path == "/healthz":
                    alive = not worker.stopping.is_set()
                    self._send(200 if alive else 503, b"ok\n" if alive else b"stopping\n")
                else:
                    self._send(404, b"not found\n")

            def _send(self, code: int, body: bytes, content_type: str = "text/plain") -> None:
                self.send_response(code)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        address = (settings.worker_metrics_host, settings.worker_metrics_port)
        try:
            self._server = ThreadingHTTPServer(address, Handler)
        except OSError as error:
            if error.errno != errno.EADDRINUSE or settings.worker_metrics_port == 0:
                raise
            # Another worker on this machine has the port: take a free one and say which.
            self._server = ThreadingHTTPServer((settings.worker_metrics_host, 0), Handler)
            log.warning(
                "worker metrics port %d is in use (another worker on this machine?); serving "
                "/metrics and /healthz on port %d instead (set VERIFIER_WORKER_METRICS_PORT)",
                settings.worker_metrics_port,
                self._server.server_address[1],
            )
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, name="health", daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
