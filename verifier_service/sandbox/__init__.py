"""The only way the project runs untrusted code: nsjail, never a shell, never in-process."""

from verifier_service.sandbox.jail import Jail, JailsBusyError, SandboxUnavailableError
from verifier_service.sandbox.limits import JailMount, RunLimits
from verifier_service.sandbox.runner import RunResult

__all__ = [
    "Jail",
    "JailMount",
    "JailsBusyError",
    "RunLimits",
    "RunResult",
    "SandboxUnavailableError",
]
