"""Exceptions raised by the verifier client and the trainer adapters.

The tree::

    VerifierError                  base of everything below; catch it to catch them all
    ├── VerifierAuthError          401/403: VERIFIER_API_TOKEN is set on the server and the
    │                              client's token is missing or wrong
    ├── VerifierRequestError       400/413/422 (and any other 4xx but 429): the request is the
    │                              caller's bug; `message` is the server's, naming the field
    │                              with indices counted in the caller's whole batch
    ├── VerifierUnavailableError   the service could not be reached or kept failing (connection
    │                              refused, timeouts, 429/502/503/504 past every retry), or
    │                              answered another 5xx (500: not retried); `status_code` is the
    │                              last reply's status (None without a reply); raised only
    │                              with `raise_on_error=True` (otherwise the affected items come
    │                              back with `reward=None`, `verdict="error"`), and by the verl
    │                              single-item adapter, which must return a float
    └── VerifierUnscoredError      the verl single-item adapter got `reward=None` for a reason
                                   other than a fault (for example `invalid_reference`)

Client errors (4xx other than 429) are never retried and always raise: retrying a malformed
request cannot succeed, and a wrong token must not turn into a run of silent `None` rewards.
"""

from __future__ import annotations

from typing import Any


class VerifierError(Exception):
    """Base class of every error of the verifier client."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


class VerifierAuthError(VerifierError):
    """401 (or 403): the bearer token is missing or wrong."""


class VerifierRequestError(VerifierError):
    """400/413/422 or another 4xx but 429: the request is malformed.

    `message` is the server's message (it names the field, e.g. `items.1042.reference: ...`,
    with the item index counted in the whole batch given to `verify`, not in the chunk);
    `detail` is the server's structured list of `{field, message, type}` when it sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        detail: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message, status_code=status_code)
        self.detail = detail or []


class VerifierUnavailableError(VerifierError):
    """The service could not score the items: every retry failed (connection refused,
    timeouts, 429/502/503/504 for longer than the retries last), or it answered a 5xx that
    is not retried (500). `status_code` is the last reply's HTTP status, None without one."""


class VerifierUnscoredError(VerifierError):
    """The service answered but gave the item no reward (`reward=None` with a verdict other
    than `error`, such as `invalid_reference`): raised only where a float is required."""


__all__ = [
    "VerifierAuthError",
    "VerifierError",
    "VerifierRequestError",
    "VerifierUnavailableError",
    "VerifierUnscoredError",
]
