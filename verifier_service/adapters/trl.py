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

MATH_COLUMNS = ("reference", "answer", "solution")
CODE_COLUMNS = ("tests", "test_cases", "verification_info", "input_output")

RewardFunc = Callable[..., list[float | None]]
AsyncRewardFunc = Callable[..., Awaitable[list[float | None]]]
ItemBuilder = Callable[[Sequence[Any], Mapping[str, Any]], list[dict[str, Any]]]


def _column(columns: Mapping[str, Any], wanted: str | None, known: tuple[str, ...]) -> Any:
    names = (wanted,) if wanted else known
    for name in names:
        if columns.get(name) is not None:
            return columns[name]
    raise ValueError(
        f"the dataset has no {' / '.join(names)} column (columns: {sorted(columns)}); "
        "name the column with the make_*_reward factory"
    )


def math_items_builder(
    column: str | None = None, options: Mapping[str, Any] | None = None
) -> ItemBuilder:
    def build(completions: Sequence[Any], columns: Mapping[str, Any]) -> list[dict[str, Any]]:
        references = _column(columns, column, MATH_COLUMNS)
        items = []
        for completion, reference in zip(completions, references, strict=True):
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
    def build(completions: Sequence[Any], columns: Mapping[str, Any]) -> list[dict[str, Any]]:
        tests = _column(columns, column, CODE_COLUMNS)
        languages = columns.get("language") or [None] * len(completions)
        items = []
        for completion, case_set, column_language in zip(
            completions, tests, languages, strict=True
        ):
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
        return client().rewards(build(completions, columns))

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
        return await client().rewards(build(completions, columns))

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
    "math_reward",
    "use_client",
]
