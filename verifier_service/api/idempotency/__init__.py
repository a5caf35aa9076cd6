"""`Idempotency-Key`: a retried request is answered with the first one's response, not rescored.

`guard.py` holds the rule, `store.py` the table (in memory; `queue/idempotency.py` in Redis),
`dependency.py` the FastAPI glue the routes use.
"""

from verifier_service.api.idempotency.dependency import (
    REPLAYED_HEADER,
    Idempotency,
    IdempotencyDep,
    replay_documented,
    store_for,
)
from verifier_service.api.idempotency.guard import HEADER, KeyReusedError, answer_once
from verifier_service.api.idempotency.store import (
    Claimed,
    IdempotencyStore,
    MemoryStore,
    Seen,
    StoredResponse,
)

__all__ = [
    "HEADER",
    "REPLAYED_HEADER",
    "Claimed",
    "Idempotency",
    "IdempotencyDep",
    "IdempotencyStore",
    "KeyReusedError",
    "MemoryStore",
    "Seen",
    "StoredResponse",
    "answer_once",
    "replay_documented",
    "store_for",
]
