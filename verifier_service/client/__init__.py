"""The Python client of the verifier service (trainer side).

```python
from verifier_service.client import VerifierClient

with VerifierClient("http://127.0.0.1:8000") as verifier:
    rewards = verifier.rewards([{"task": "math", "response": r"\\boxed{2}", "reference": "2"}])
```

See docs/client.md for chunking, retries, the failure policy and the exception tree.
"""

from verifier_service.client.async_client import AsyncVerifierClient
from verifier_service.client.errors import (
    VerifierAuthError,
    VerifierError,
    VerifierRequestError,
    VerifierUnavailableError,
    VerifierUnscoredError,
)
from verifier_service.client.sync_client import VerifierClient
from verifier_service.schemas.requests import CodeItem, MathItem
from verifier_service.schemas.results import CodeResult, MathResult

__all__ = [
    "AsyncVerifierClient",
    "CodeItem",
    "CodeResult",
    "MathItem",
    "MathResult",
    "VerifierAuthError",
    "VerifierClient",
    "VerifierError",
    "VerifierRequestError",
    "VerifierUnavailableError",
    "VerifierUnscoredError",
]
