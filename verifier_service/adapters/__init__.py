"""Reward functions for RL trainers, backed by the verifier service.

- `verifier_service.adapters.verl`: `compute_score`, `compute_score_batch`.
- `verifier_service.adapters.trl`: `math_reward`, `code_reward`, their async twins and the
  `make_*_reward` factories.

Submodules are imported on use, so importing one never needs another trainer's packages.
"""
