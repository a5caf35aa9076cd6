"""Per-language pieces of the assert tests' completion guard (docs/code.md "Assert tests: the
completion guard") that the generated programs in `harness.py` use."""
