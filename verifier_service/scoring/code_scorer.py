"""Code items -> results: each item judged in its own thread, tests fanned out inside.

Each item is judged inside its own error boundary: whatever one item raises (a fault of the
service's that one program or test text reached) becomes that item's `error` result and a log
line with the traceback, never the failure of the whole request.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from verifier_service.code.judge import CodeJudge
from verifier_service.code.runtime import CodeRuntime
from verifier_service.metrics import Metrics
from verifier_service.schemas.requests import CodeItem
from verifier_service.schemas.results import CodeResult

ITEM_THREADS = 32
log = logging.getLogger(__name__)


class CodeScorer:
    def __init__(self, runtime: CodeRuntime, metrics: Metrics) -> None:
        self._runtime = runtime
        self._metrics = metrics
        self._items = ThreadPoolExecutor(max_workers=ITEM_THREADS, thread_name_prefix="code")

    def close(self) -> None:
        self._items.shutdown(wait=False, cancel_futures=True)

    def score(self, items: Sequence[CodeItem]) -> list[CodeResult]:
        judge = self._runtime.judge
        if judge is None:
            results = [self._unavailable(item) for item in items]
        else:
            results = list(self._items.map(lambda item: _judged(judge, item), items))
        for result in results:
            self._metrics.items.labels("code", result.verdict).inc()
            self._metrics.item_latency.labels("code").observe(result.elapsed_ms / 1000)
        return results

    def _unavailable(self, item: CodeItem) -> CodeResult:
        reason = f"code judging is unavailable: {self._runtime.unavailable_reason}"
        return CodeResult(id=item.id, reward=None, verdict="error", reason=reason, elapsed_ms=0.0)


def _judged(judge: CodeJudge, item: CodeItem) -> CodeResult:
    """The item's result; an exception while judging it is its own `error` (reward null)."""
    try:
        return judge.judge(item)
    except Exception as error:
        log.exception("judging code item %r failed", item.id)
        reason = f"the service failed judging this item ({type(error).__name__})"
        return CodeResult(id=item.id, reward=None, verdict="error", reason=reason, elapsed_ms=0.0)
