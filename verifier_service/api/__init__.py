"""The HTTP API (contract: docs/contract.md)."""

from verifier_service.api.app import create_app

__all__ = ["create_app"]
