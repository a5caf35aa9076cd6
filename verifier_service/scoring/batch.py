"""A batch of mixed items -> results in request order, each item scored on its own."""

from __future__ import annotations

from collections.abc import Sequence

from verifier_service.schemas.requests import CodeItem, Item, MathItem
from verifier_service.schemas.results import CodeResult, Result
from verifier_service.scoring.math_scorer import MathScorer

CODE_NOT_AVAILABLE = "code judging is not available in this build yet; nothing was run"


class BatchScorer:
    def __init__(self, math: MathScorer) -> None:
        self._math = math

    def score(self, items: Sequence[Item]) -> list[Result]:
        math_positions = [i for i, item in enumerate(items) if isinstance(item, MathItem)]
        math_items = [item for item in items if isinstance(item, MathItem)]
        results: list[Result | None] = [None] * len(items)
        for position, result in zip(math_positions, self._math.score(math_items), strict=True):
            results[position] = result
        for position, item in enumerate(items):
            if isinstance(item, CodeItem):
                results[position] = _unavailable(item)
        return [result for result in results if result is not None]


def _unavailable(item: CodeItem) -> CodeResult:
    return CodeResult(
        id=item.id, reward=None, verdict="error", reason=CODE_NOT_AVAILABLE, elapsed_ms=0.0
    )
