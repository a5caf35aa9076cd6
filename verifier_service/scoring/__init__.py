"""Batches of items -> results: dedup, cache, dispatch to the math pool."""
