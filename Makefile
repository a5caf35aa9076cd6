# The two commands: `make run` starts the service, `make test` runs every check.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run worker test install install-bench lint typecheck validate-deploy pytest bench bench-code \
	bench-queue bench-conversion bench-peer-math clean

# With VERIFIER_REDIS_URL set, `make run` starts the API in queue mode and `make worker` one
# worker against the same Redis (docs/queue.md).
run: install
	$(BIN)/verifier-service serve

worker: install
	$(BIN)/verifier-service worker

test: install lint typecheck validate-deploy pytest

install:
	@EXTRAS=dev,train,hf scripts/install.sh
	@scripts/install_toolchains.sh
	@scripts/install_deploy_tools.sh

install-bench:
	@EXTRAS=dev,bench scripts/install.sh

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

# docker-compose.yml as docker-compose reads it; both kustomize flavours of k8s/ (KEDA and the
# HPA overlay) against Kubernetes' JSON schemas, strictly (unknown fields fail), for the oldest
# and newest Kubernetes they target. kubernetes-validate ships no schema for CRDs: it skips
# them with a warning. Only KEDA's ScaledObject may be skipped (a typo in any other apiVersion
# would skip a resource silently); tests/deploy checks the ScaledObject's content.
KUBE_VERSIONS ?= 1.30 1.37
KUSTOMIZATIONS := k8s k8s/overlays/hpa
SKIPPED_CRD := Couldn't find schema for kind ScaledObject with api version keda.sh/v1alpha1

validate-deploy:
	docker-compose -f docker-compose.yml config -q
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for dir in $(KUSTOMIZATIONS); do \
	  if ! kubectl kustomize "$$dir" >"$$tmp/resources.yaml" 2>"$$tmp/stderr"; then \
	    cat "$$tmp/stderr" >&2; exit 1; \
	  fi; \
	  for version in $(KUBE_VERSIONS); do \
	    if ! $(BIN)/kubernetes-validate --strict --quiet -k "$$version" "$$tmp/resources.yaml" \
	        >"$$tmp/report" 2>&1; then \
	      cat "$$tmp/report" >&2; exit 1; \
	    fi; \
	    if grep -v "$(SKIPPED_CRD)" "$$tmp/report" | grep .; then \
	      echo "validate-deploy: $$dir: a resource was not validated" >&2; exit 1; \
	    fi; \
	  done; \
	  echo "validate-deploy: $$dir: $$(grep -c '^kind:' "$$tmp/resources.yaml") resources," \
	    "all but KEDA's valid for Kubernetes $(KUBE_VERSIONS) (strict)"; \
	done

pytest:
	$(BIN)/pytest -q

bench: install-bench
	$(BIN)/python benchmarks/math_throughput.py

bench-code: install
	$(BIN)/python benchmarks/code_sandbox.py

bench-queue: install
	$(BIN)/python benchmarks/queue_throughput.py

bench-conversion: install
	$(BIN)/python benchmarks/assert_conversion.py --output benchmarks/results/assert_conversion.txt

# Downloads the math-verify sdist from PyPI and replays its test suite through our HTTP API.
bench-peer-math: install
	$(BIN)/python benchmarks/peer_mathverify.py --output benchmarks/results/peer_mathverify.txt

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
