"""TRL reward functions backed by the verifier service.

```python
from trl import GRPOTrainer
from verifier_service.adapters.trl import code_reward, math_reward, make_math_reward

trainer = GRPOTrainer(model=..., reward_funcs=[math_reward], train_dataset=dataset, ...)
```

TRL calls a reward function as `f(prompts=..., completions=..., **columns)`, every other
dataset column passed by name as a list. Completions may be plain strings or conversational
(lists of `{"role", "content"}` messages; the last assistant message is judged).

- `math_reward`: the reference is the first of the columns `reference`, `answer`, `solution`
  present (a `solution` holding a worked solution works when its final answer is anchored, for
  example in `\\boxed{}`); `make_math_reward(column="answer", ...)` picks one column and may
  set `base_url`, `token` and math `options`.
- `code_reward`: the tests are the first of the columns `tests`, `test_cases`,
  `verification_info`, `input_output` present (any shape `trainer_data.code_tests` reads);
  the language is the `language` column, else `make_code_reward(language=...)` (python).

Each returns one reward per completion; None (never 0) where the service could not score it
(TRL ignores None rewards). `async_math_reward` / `async_code_reward` and the factories'
`make_async_*` twins are coroutine functions for trainers that await reward functions.

The server is `VERIFIER_URL` (default http://127.0.0.1:8000) and the token `VERIFIER_API_TOKEN`
unless a factory is given `base_url` / `token`.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from verifier_service.client.async_client import AsyncVerifierClient
from verifier_service.client.sync_client import VerifierClient
from verifier_service.client.trainer_data import (
    code_tests,
    completion_text,
    math_reference,
    shared_async_client,
    shared_client,
    use_client,
)

MATH_COLUMNS = ("reference", "answer", "solution", "ground_truth")
CODE_COLUMNS = ("tests", "test_cases", "verification_info", "input_output")

RewardFunc = Callable[..., list[float | None]]
AsyncRewardFunc = Callable[..., Awaitable[list[float | None]]]
# One item per completion, or None for a row the function does not apply to (a math function
# on a code row, and the reverse): its reward is None, never 0.0 and never an error.
ItemBuilder = Callable[[Sequence[Any], Mapping[str, Any]], list[dict[str, Any] | None]]


def _column(columns: Mapping[str, Any], wanted: str | None, known: tuple[str, ...]) -> Any:
    names = (wanted,) if wanted else known
    for name in names:
        if columns.get(name) is not None:
            return columns[name]
    raise ValueError(
        f"the dataset has no {' / '.join(names)} column (columns: {sorted(columns)}); "
        "name the column with the make_*_reward factory"
    )


def _tasks(columns: Mapping[str, Any], count: int) -> list[str | None]:
    """The `task` column of a mixed dataset ("math" / "code" per row), or no task per row."""
    tasks = columns.get("task")
    if tasks is None:
        return [None] * count
    return [str(task).lower() if task is not None else None for task in tasks]


def _applicable(items: list[dict[str, Any] | None]) -> list[dict[str, Any]]:
    return [item for item in items if item is not None]


def _placed(items: list[dict[str, Any] | None], rewards: list[float | None]) -> list[float | None]:
    """The rewards of the applicable rows back in row order, None for the other rows."""
    scored = iter(rewards)
    return [next(scored) if item is not None else None for item in items]


def math_items_builder(
    column: str | None = None, options: Mapping[str, Any] | None = None
) -> ItemBuilder:
    def build(
        completions: Sequence[Any], columns: Mapping[str, Any]
    ) -> list[dict[str, Any] | None]:
        references = _column(columns, column, MATH_COLUMNS)
        tasks = _tasks(columns, len(completions))
        items: list[dict[str, Any] | None] = []
        for completion, reference, task in zip(completions, references, tasks, strict=True):
            if reference is None or task not in (None, "math"):
                items.append(None)
                continue
            item: dict[str, Any] = {
                "task": "math",
                "response": completion_text(completion),
                "reference": math_reference(reference),
            }
            if options:
                item["options"] = dict(options)
            items.append(item)
        return items

    return build


def code_items_builder(
    column: str | None = None,
    language: str = "python",
    limits: Mapping[str, Any] | None = None,
) -> ItemBuilder:
    def build(
        completions: Sequence[Any], columns: Mapping[str, Any]
    ) -> list[dict[str, Any] | None]:
        tests = _column(columns, column, CODE_COLUMNS)
        languages = columns.get("language") or [None] * len(completions)
        tasks = _tasks(columns, len(completions))
        items: list[dict[str, Any] | None] = []
        for completion, case_set, column_language, task in zip(
            completions, tests, languages, tasks, strict=True
        ):
            if case_set is None or task not in (None, "code"):
                items.append(None)
                continue
            lang = column_language
            if isinstance(case_set, Mapping) and isinstance(case_set.get("language"), str):
                lang = lang or case_set["language"]
            item: dict[str, Any] = {
                "task": "code",
                "response": completion_text(completion),
                "tests": code_tests(case_set),
                "language": lang or language,
            }
            if limits:
                item["limits"] = dict(limits)
            items.append(item)
        return items

    return build


def _sync_reward(name: str, build: ItemBuilder, client: Callable[[], VerifierClient]) -> RewardFunc:
    def reward(
        prompts: Sequence[Any] | None = None, completions: Sequence[Any] = (), **columns: Any
    ) -> list[float | None]:
        if not completions:
            return []
        items = build(completions, columns)
        applicable = _applicable(items)
        return _placed(items, client().rewards(applicable) if applicable else [])

    reward.__name__ = reward.__qualname__ = name
    return reward


def _async_reward(
    name: str, build: ItemBuilder, client: Callable[[], AsyncVerifierClient]
) -> AsyncRewardFunc:
    async def reward(
        prompts: Sequence[Any] | None = None, completions: Sequence[Any] = (), **columns: Any
    ) -> list[float | None]:
        if not completions:
            return []
        items = build(completions, columns)
        applicable = _applicable(items)
        return _placed(items, await client().rewards(applicable) if applicable else [])

    reward.__name__ = reward.__qualname__ = name
    return reward


def _sync_client(base_url: str | None, token: str | None) -> Callable[[], VerifierClient]:
    if base_url is None and token is None:
        return shared_client
    own: list[VerifierClient] = []

    def get() -> VerifierClient:
        if not own:
            own.append(VerifierClient(base_url or shared_client().options.base_url, token=token))
        return own[0]

    return get


def _async_client(base_url: str | None, token: str | None) -> Callable[[], AsyncVerifierClient]:
    if base_url is None and token is None:
        return shared_async_client
    own: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncVerifierClient] = (
        weakref.WeakKeyDictionary()
    )

    def get() -> AsyncVerifierClient:
        loop = asyncio.get_running_loop()
        if loop not in own:
            url = base_url or shared_client().options.base_url
            own[loop] = AsyncVerifierClient(url, token=token)
        return own[loop]

    return get


def make_math_reward(
    column: str | None = "answer",
    *,
    base_url: str | None = None,
    token: str | None = None,
    options: Mapping[str, Any] | None = None,
    name: str = "math_reward",
) -> RewardFunc:
    """A TRL math reward reading the reference from `column` (None: the first of
    reference / answer / solution present)."""
    return _sync_reward(name, math_items_builder(column, options), _sync_client(base_url, token))


def make_async_math_reward(
    column: str | None = "answer",
    *,
    base_url: str | None = None,
    token: str | None = None,
    options: Mapping[str, Any] | None = None,
    name: str = "math_reward",
) -> AsyncRewardFunc:
    """The coroutine twin of `make_math_reward`."""
    return _async_reward(name, math_items_builder(column, options), _async_client(base_url, token))


def make_code_reward(
    column: str | None = "tests",
    *,
    language: str = "python",
    limits: Mapping[str, Any] | None = None,
    base_url: str | None = None,
    token: str | None = None,
    name: str = "code_reward",
) -> RewardFunc:
    """A TRL code reward reading the tests from `column` (None: the first of tests /
    test_cases / verification_info / input_output present)."""
    builder = code_items_builder(column, language, limits)
    return _sync_reward(name, builder, _sync_client(base_url, token))


def make_async_code_reward(
    column: str | None = "tests",
    *,
    language: str = "python",
    limits: Mapping[str, Any] | None = None,
    base_url: str | None = None,
    token: str | None = None,
    name: str = "code_reward",
) -> AsyncRewardFunc:
    """The coroutine twin of `make_code_reward`."""
    builder = code_items_builder(column, language, limits)
    return _async_reward(name, builder, _async_client(base_url, token))


def masked_on_fault(
    *reward_funcs: Callable[..., Sequence[float | None]],
    weights: Sequence[float] | None = None,
    name: str = "reward",
) -> RewardFunc:
    """One TRL reward function out of several, None for a row where any of them is None.

    TRL masks a sample only when every reward function returns None for it; with several
    functions a None counts as 0 in their weighted sum, so a service fault would train on a
    wrong reward. Pass `reward_funcs=[masked_on_fault(math_reward, format_reward)]` (and leave
    TRL's `reward_weights` unset: `weights` here replaces them) to mask the whole sample.
    """
    factors = list(weights) if weights is not None else [1.0] * len(reward_funcs)
    if len(factors) != len(reward_funcs) or not reward_funcs:
        raise ValueError("give one weight per reward function, and at least one function")

    def reward(
        prompts: Sequence[Any] | None = None, completions: Sequence[Any] = (), **columns: Any
    ) -> list[float | None]:
        each = [func(prompts=prompts, completions=completions, **columns) for func in reward_funcs]
        rows: list[float | None] = []
        for values in zip(*each, strict=True):
            if any(value is None for value in values):
                rows.append(None)
            else:
                rows.append(sum(f * float(v) for f, v in zip(factors, values, strict=True)))
        return rows

    reward.__name__ = reward.__qualname__ = name
    return reward


math_reward = make_math_reward(column=None)
code_reward = make_code_reward(column=None)
async_math_reward = make_async_math_reward(column=None)
async_code_reward = make_async_code_reward(column=None)

__all__ = [
    "async_code_reward",
    "async_math_reward",
    "code_reward",
    "make_async_code_reward",
    "make_async_math_reward",
    "make_code_reward",
    "make_math_reward",
    "masked_on_fault",
    "math_reward",
    "use_client",
]
