"""Pydantic models of the HTTP contract (docs/contract.md)."""
