"""Pydantic models of the HTTP contract (../shared/API.md)."""
