# The two commands: `make run` starts the service, `make test` runs every check.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test install install-bench lint typecheck pytest bench bench-code clean

run: install
	$(BIN)/verifier-service serve

test: install lint typecheck pytest

install:
	@EXTRAS=dev scripts/install.sh
	@scripts/install_toolchains.sh

install-bench:
	@EXTRAS=dev,bench scripts/install.sh

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/pytest -q

bench: install-bench
	$(BIN)/python benchmarks/math_throughput.py

bench-code: install
	$(BIN)/python benchmarks/code_sandbox.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
