"""Distributed mode: the API enqueues chunks of items on a Redis stream; workers score them."""
