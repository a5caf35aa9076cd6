"""Pre-forked worker processes with per-task deadlines."""

from verifier_service.pool.process_pool import DeadlinePool, Outcome, PoolClosedError

__all__ = ["DeadlinePool", "Outcome", "PoolClosedError"]
