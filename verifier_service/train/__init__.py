"""`verifier-service train`: a small bundled GRPO trainer rewarded by the service.

Nothing here imports torch at import time; `verifier_service.train.trainer` does.
"""
