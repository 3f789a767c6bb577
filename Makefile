# Troc Actif developer commands. `make` (or `make help`) lists them.
# Everything runs from the repository's virtualenv (.venv), created by `make install`.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.SUFFIXES:

VENV      ?= .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.troc-install.stamp
# Every package's pyproject.toml: a new or edited one makes `make install` run pip again.
PYPROJECTS := $(wildcard chassis/pyproject.toml contracts/pyproject.toml ops/pyproject.toml \
                         gateway/pyproject.toml \
                         services/*/pyproject.toml clients/python/setup.py)
WORKERS   ?= 2
E2E_WORKERS ?= 2
# Random cases per operation and role of the security stage's fuzzer: `make security` runs
# SECURITY_EXAMPLES and schemathesis' coverage phase, the short form in `make test`
# SECURITY_CI_EXAMPLES without the coverage phase.
SECURITY_EXAMPLES ?= 25
SECURITY_CI_EXAMPLES ?= 5
# Rounds of faults of `make chaos` (every process killed, each backend restarted, per round);
# CHAOS_SHORT=1 is the one-round form CI runs.
CHAOS_ROUNDS ?= 3
CHAOS_SHORT ?=
PYTEST_ARGS ?=
STAGE     := scripts/pytest-stage.sh
# Type-checked strictly by `make test` and `make lint` ([tool.mypy] in pyproject.toml): the
# chassis, the contracts, the platform-wide operations and every domain.
MYPY_PATHS := chassis/chassis contracts/contracts ops/ops gateway/gateway/domain \
              services/ledger/ledger/domain.py services/listings/listings/domain.py \
              services/invoices/invoices/domain services/notifications/notifications/domain.py
s         ?= ledger

export VENV

.PHONY: help install lock client run migrate seed services test test-unit test-integration test-e2e \
        security audit bandit lint boundaries fmt bench bench-e2e bench-listings bench-reference chaos backends ci \
        image up down logs shell container-smoke definitions clean distclean

help: ## Show this help
	@echo "Troc Actif: make <target>"
	@if [ -t 1 ]; then c='\033[36m'; r='\033[0m'; else c=; r=; fi; \
	grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) \
	  | awk -v c="$$c" -v r="$$r" 'BEGIN {FS = ":.*## "}; {printf "  %s%-18s%s %s\n", c, $$1, r, $$2}'
	@echo "Variables: WORKERS=$(WORKERS) (pytest-xdist), PYTEST_ARGS='...', s=<service> (shell)"

# --- install -------------------------------------------------------------------------------

$(STAMP): $(PYPROJECTS) requirements/dev.txt $(wildcard requirements/constraints.txt) scripts/install.sh
	@scripts/install.sh

install: $(STAMP) ## Create .venv (Python 3.11+) and install every package + dev tools (idempotent)

client: install ## Regenerate clients/python (the Python client) from the code's merged OpenAPI document
	@$(PY) scripts/generate_client.py

lock: ## Re-resolve the dependencies and rewrite requirements/constraints.txt (pip freeze)
	@scripts/install.sh --lock

# --- run -----------------------------------------------------------------------------------

run: ## Install, migrate, seed the demo and start every service (SQLite + filesystem bus, Ctrl-C stops)
	@scripts/run.sh all

migrate: install ## Run every service's migrations (python -m <pkg>.cli migrate)
	@$(PY) scripts/devrun.py migrate

seed: install ## Load the demo data (python -m gateway.cli seed-demo)
	@$(PY) scripts/devrun.py seed

services: install ## List the services of this checkout and what each provides
	@$(PY) scripts/devrun.py services

# --- quality -------------------------------------------------------------------------------

test: install ## Every tier: lint, bandit, unit+contract, integration, e2e, security (short); local PostgreSQL/RabbitMQ if they answer
	@rm -rf build/test-reports
	@$(PY) -m chassis.testing.local >/dev/null
	@echo "===== ruff check, ruff format --check ====="
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(MAKE) --no-print-directory boundaries
	@$(MAKE) --no-print-directory bandit
	@$(STAGE) unit -n $(WORKERS) $(PYTEST_ARGS)
	@$(STAGE) integration -n $(WORKERS) $(PYTEST_ARGS)
	@$(STAGE) e2e -n $(E2E_WORKERS) --dist loadfile $(PYTEST_ARGS)
	@SECURITY_EXAMPLES=$(SECURITY_CI_EXAMPLES) SECURITY_PHASES=examples,fuzzing \
	  $(STAGE) security -n 0 $(PYTEST_ARGS)
	@echo "===== summary ====="
	@$(PY) scripts/test_summary.py build/test-reports --require unit integration e2e security

test-unit: install ## Unit and contract tests only (no database server, no broker; seconds)
	@$(STAGE) unit -n $(WORKERS) $(PYTEST_ARGS)

test-integration: install ## Integration tests (database + broker of the environment)
	@$(STAGE) integration -n $(WORKERS) $(PYTEST_ARGS)

test-e2e: install ## End-to-end tests (every service as a real process)
	@$(STAGE) e2e -n $(E2E_WORKERS) --dist loadfile $(PYTEST_ARGS)

security: install bandit ## Attack suite on the whole platform: fuzzing, roles, tokens, SSRF, inputs (SECURITY_EXAMPLES)
	@$(PY) -m chassis.testing.local >/dev/null
	@SECURITY_EXAMPLES=$(SECURITY_EXAMPLES) $(STAGE) security -n 0 $(PYTEST_ARGS)

audit: install ## Each pinned package vs its newest release on the registry (AUDIT_ARGS='--only lxml'); no CVE database here
	@$(PY) scripts/audit.py $(AUDIT_ARGS)

bandit: install ## Static security check of chassis, contracts, ops, gateway, services (fails on medium+)
	@echo "===== bandit ====="
	@$(VENV)/bin/bandit -c pyproject.toml -r chassis contracts ops gateway services \
	  --severity-level medium --quiet

chaos: install ## Faults under load: kill -9 every process, restart RabbitMQ and PostgreSQL (CHAOS_SHORT=1: CI's one round)
	@CHAOS_SHORT=$(CHAOS_SHORT) CHAOS_ROUNDS=$(CHAOS_ROUNDS) $(STAGE) chaos -m chaos -s tests/chaos $(PYTEST_ARGS)

lint: install ## ruff check + ruff format --check, import contracts and types (make boundaries)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(MAKE) --no-print-directory boundaries

boundaries: install ## Import contracts (lint-imports, .importlinter) and types (mypy on MYPY_PATHS)
	@echo "===== import contracts ====="
	@$(VENV)/bin/lint-imports
	@echo "===== mypy ====="
	@$(VENV)/bin/mypy $(MYPY_PATHS)

fmt: install ## Format and autofix with ruff
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/ruff check --fix .

# --- benchmarks ----------------------------------------------------------------------------

bench: install ## Ledger, then end-to-end benchmarks (with a 10-minute soak) vs the pgbench reference, ~25 min (BENCH_ARGS=--quick|--help) -> bench/results/
	@bash bench/run_all.sh $(BENCH_ARGS)

bench-e2e: install ## End to end through the gateway (locust): settled/s, latencies, gateway overhead, scale -> bench/results/e2e.json
	@$(PY) bench/e2e_bench.py $(BENCH_ARGS)

bench-listings: install ## Listings search through the gateway: 100,000 listings on PostgreSQL, p50/p95 -> bench/results/listings.json
	@$(PY) bench/listings_bench.py $(BENCH_ARGS)

bench-reference: ## pgbench reference (fn-uniform, fn-hot at 4 clients) -> bench/out/pgbench_reference.json
	@bench/pgbench_reference.sh bench/out/pgbench_reference.json

# --- local PostgreSQL / RabbitMQ (what CI uses) ---------------------------------------------

backends: ## Start local PostgreSQL + RabbitMQ if needed and recreate the troc_* databases
	@scripts/backends.sh all

ci: ## Run the CI script (.ci/run) here
	@CI=true bash .ci/run

# --- containers: Docker when an engine answers, Podman otherwise (deploy/podman/) -------------
# Images from Debian packages (no registry needed), the compose stack on 127.0.0.1 only
# (gateway :18000, Mailpit :18025, RabbitMQ management :18672 by default; see docker-compose.yml).

image: ## Build the project's image and the backends' (PostgreSQL, RabbitMQ, mail sink) from Debian packages
	@deploy/podman/images.sh all

up: ## Start the compose stack from the images of `make image`, waiting for every healthcheck
	@deploy/podman/stack.sh up

down: ## Stop the compose stack; remove its containers, volumes and networks
	@deploy/podman/stack.sh down

logs: ## Follow the compose stack's logs
	@deploy/podman/stack.sh logs

shell: ## Shell in a running container: make shell s=ledger
	@deploy/podman/stack.sh shell $(s)

container-smoke: install ## Container smoke test: image, stack, barter flow through the containers, kills (not in make test)
	@deploy/podman/smoke.sh

definitions: install ## Regenerate deploy/rabbitmq/definitions.json from the bus topology in code
	@$(PY) -m contracts.definitions --write deploy/rabbitmq/definitions.json

# --- housekeeping --------------------------------------------------------------------------

clean: ## Remove var/ (local data), caches, build outputs and bench/out (keeps .venv)
	rm -rf var build bench/out .pytest_cache .ruff_cache .hypothesis .mypy_cache .import_linter_cache
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name '*.egg-info' \) -type d -print0 \
	  | xargs -0 rm -rf

distclean: clean ## clean, and remove .venv
	rm -rf $(VENV)
