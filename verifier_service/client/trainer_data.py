"""Turning trainer-side data (verl rows, TRL dataset columns) into verifier items, and the
environment-configured clients the adapters share.

Environment: `VERIFIER_URL` (default http://127.0.0.1:8000) and `VERIFIER_API_TOKEN`.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import threading
import weakref
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from verifier_service.client.async_client import DEFAULT_URL, AsyncVerifierClient
from verifier_service.client.sync_client import VerifierClient

Task = Literal["math", "code"]

# Data-source names, matched on the lower-cased name's alphanumeric words ("openai/gsm8k" ->
# "openai", "gsm8k"); a word containing "code" (codecontests, livecodebench, deepcoder) is code,
# checked first; a word containing "math" (numinamath), "gsm8k", "aime" ... is math.
CODE_WORDS = frozenset(
    {"apps", "taco", "humaneval", "mbpp", "leetcode", "codeforces", "primeintellect"}
)
MATH_WORDS = frozenset({"amc", "gsm", "dapo"})
MATH_PARTS = ("math", "gsm8k", "aime", "olympiad", "numina", "deepscaler")


def task_of(data_source: str, extra_info: Mapping[str, Any] | None = None) -> Task:
    """`extra_info["task"]` when given, else guessed from the data source's name."""
    if extra_info and extra_info.get("task") is not None:
        task = str(extra_info["task"]).lower()
        if task not in ("math", "code"):
            raise ValueError(f'extra_info["task"] must be "math" or "code", not {task!r}')
        return "code" if task == "code" else "math"
    words = [word for word in re.split(r"[^a-z0-9]+", str(data_source).lower()) if word]
    if any("code" in word or word in CODE_WORDS for word in words):
        return "code"
    if any(word in MATH_WORDS or any(part in word for part in MATH_PARTS) for word in words):
        return "math"
    raise ValueError(
        f"cannot tell whether data source {data_source!r} is math or code: "
        'set extra_info["task"] to "math" or "code"'
    )


def math_reference(ground_truth: Any) -> str | list[str]:
    """A reference string, or a list of acceptable ones."""
    if isinstance(ground_truth, str):
        return ground_truth
    if isinstance(ground_truth, Sequence) and not isinstance(ground_truth, bytes | bytearray):
        return [str(answer) for answer in ground_truth]
    if hasattr(ground_truth, "tolist"):  # a numpy array or scalar from a parquet row
        return math_reference(ground_truth.tolist())
    return str(ground_truth)


def code_tests(ground_truth: Any) -> dict[str, Any]:
    """The API's `tests` object from any of:

    - the API's shape itself (`{"kind": "stdio" | "functional" | "assert", ...}`);
    - verl/PRIME/APPS stdio lists `{"inputs": [...], "outputs": [...]}` (each a string, or a
      list of lines);
    - a list of cases `[{"input"|"stdin": ..., "output"|"stdout": ...}, ...]`;
    - any of these as a JSON string, or wrapped as `{"test_cases": ...}`.

    Call-based APPS/TACO tests (with `fn_name`) are refused rather than guessed: their
    `outputs` wrap return values inconsistently; give the API's `functional` shape instead.
    """
    data = ground_truth
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as error:
            raise ValueError(f"code ground truth is not JSON: {error}") from None
    if isinstance(data, Mapping) and "test_cases" in data and "kind" not in data:
        data = data["test_cases"]
    if isinstance(data, Mapping):
        if "kind" in data:
            return dict(data)
        if data.get("fn_name"):
            raise ValueError(
                "call-based tests (fn_name) are not converted; give the API's "
                '{"kind": "functional", "entry_point": ..., "cases": [...]} instead'
            )
        if "inputs" in data and "outputs" in data:
            inputs, outputs = list(data["inputs"]), list(data["outputs"])
            if len(inputs) != len(outputs):
                raise ValueError(f"{len(inputs)} inputs but {len(outputs)} outputs")
            cases = [
                {"stdin": _stream(stdin), "stdout": _stream(stdout)}
                for stdin, stdout in zip(inputs, outputs, strict=True)
            ]
            return {"kind": "stdio", "cases": cases}
    if isinstance(data, Sequence) and not isinstance(data, str):
        cases = []
        for case in data:
            if not isinstance(case, Mapping):
                raise ValueError("a list of code tests must hold objects with input and output")
            stdin = case.get("stdin", case.get("input", ""))
            stdout = case.get("stdout", case.get("output"))
            if stdout is None:
                raise ValueError("a code test case has no output/stdout")
            cases.append({"stdin": _stream(stdin), "stdout": _stream(stdout)})
        return {"kind": "stdio", "cases": cases}
    raise ValueError(
        "code ground truth must be the API's tests object, {inputs, outputs} lists or a list "
        f"of cases, not {type(ground_truth).__name__}"
    )


def _stream(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence):
        return "".join(f"{line}\n" for line in value)
    return str(value)


def completion_text(completion: Any) -> str:
    """The text of a completion: a string as it is; for TRL's conversational format (a list of
    `{"role", "content"}` messages) the content of the last assistant message."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, Mapping):
        return _content_text(completion.get("content", ""))
    messages = list(completion)
    for message in reversed(messages):
        if isinstance(message, Mapping) and message.get("role", "assistant") == "assistant":
            return _content_text(message.get("content", ""))
    return ""


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, Sequence):  # content parts: [{"type": "text", "text": ...}, ...]
        return "".join(
            str(part.get("text", "")) if isinstance(part, Mapping) else str(part)
            for part in content
        )
    return "" if content is None else str(content)


def env_url() -> str:
    return os.environ.get("VERIFIER_URL") or DEFAULT_URL


def env_token() -> str | None:
    return os.environ.get("VERIFIER_API_TOKEN") or None


_lock = threading.Lock()
_shared: tuple[int, tuple[str, str | None], VerifierClient] | None = None
_shared_async: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, tuple[tuple[str, str | None], AsyncVerifierClient]
] = weakref.WeakKeyDictionary()


_override: VerifierClient | None = None


def use_client(client: VerifierClient | None) -> None:
    """Makes the adapters' blocking functions use `client` (for example one with other
    retries or chunk size); None goes back to the client configured from the environment."""
    global _override  # noqa: PLW0603 - the module-level client the adapters reuse
    with _lock:
        _override = client


def shared_client() -> VerifierClient:
    """The client given to `use_client`, else one client per process configured from the
    environment (a forked child makes its own; rebuilt when `VERIFIER_URL` or
    `VERIFIER_API_TOKEN` change)."""
    global _shared  # noqa: PLW0603 - the module-level client the adapters reuse
    config = (env_url(), env_token())
    with _lock:
        if _override is not None:
            return _override
        if _shared is None or _shared[0] != os.getpid() or _shared[1] != config:
            _shared = (os.getpid(), config, VerifierClient(config[0], token=config[1]))
        return _shared[2]


def shared_async_client() -> AsyncVerifierClient:
    """One async client per running event loop, configured from the environment."""
    loop = asyncio.get_running_loop()
    config = (env_url(), env_token())
    with _lock:
        entry = _shared_async.get(loop)
        if entry is None or entry[0] != config:
            entry = (config, AsyncVerifierClient(config[0], token=config[1]))
            _shared_async[loop] = entry
        return entry[1]
