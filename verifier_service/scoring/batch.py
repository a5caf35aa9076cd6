"""A batch of mixed items -> results in request order, each item scored on its own.

Math and code items are scored at the same time: they use different workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from verifier_service.schemas.requests import CodeItem, Item, MathItem
from verifier_service.schemas.results import Result
from verifier_service.scoring.code_scorer import CodeScorer
from verifier_service.scoring.math_scorer import MathScorer


class BatchScorer:
    def __init__(self, math: MathScorer, code: CodeScorer) -> None:
        self._math = math
        self._code = code
        self._beside = ThreadPoolExecutor(max_workers=8, thread_name_prefix="batch")

    def close(self) -> None:
        self._beside.shutdown(wait=False, cancel_futures=True)

    def score(self, items: Sequence[Item]) -> list[Result]:
        code_items = [item for item in items if isinstance(item, CodeItem)]
        math_items = [item for item in items if isinstance(item, MathItem)]
        code_results = self._beside.submit(self._code.score, code_items) if code_items else None
        math_results = iter(self._math.score(math_items))
        code_iter = iter(code_results.result() if code_results else [])
        return [
            next(math_results) if isinstance(item, MathItem) else next(code_iter) for item in items
        ]
