"""Backpressure: how many items may be in flight before new requests are told to come back."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Gauge


class SaturatedError(RuntimeError):
    """Too much work in flight: the caller should retry after a pause (HTTP 429)."""

    retry_after_s = 1


class Admission:
    """Counts items in flight and refuses a request that would pass the limit (a request
    arriving when nothing is in flight is always admitted, whatever its size)."""

    def __init__(self, limit: int, gauge: Gauge) -> None:
        self._limit = limit
        self._gauge = gauge
        self._in_flight = 0
        self._lock = threading.Lock()

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @contextmanager
    def admitted(self, count: int) -> Iterator[None]:
        with self._lock:
            if self._in_flight and self._in_flight + count > self._limit:
                raise SaturatedError(f"{self._in_flight} items already in flight")
            self._in_flight += count
            self._gauge.set(self._in_flight)
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= count
                self._gauge.set(self._in_flight)
