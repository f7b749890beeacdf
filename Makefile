# Two commands for a newcomer: `make run` serves the API, `make test` passes the suite.
# Every target sets up whatever is missing first (venv, Python and npm packages, PostgreSQL).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
NODE_STAMP := node_modules/.installed-$(shell cat package-lock.json | cksum | cut -d' ' -f1)

export PYTHONPATH := $(CURDIR)/layers/shared/python:$(CURDIR)
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup run demo migrate test test-fast lint format openapi synth layer bench fuzz coverage clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements-dev.txt
	@rm -f $(VENV)/.installed-* && touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@rm -f node_modules/.installed-* && touch $@

setup: $(STAMP) $(NODE_STAMP)
	@bash scripts/ensure_system_packages.sh

run: $(STAMP)
	$(BIN)/python -m trustreg.local.server

migrate: $(STAMP)
	$(BIN)/python -m trustreg.db.migrate

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

# The whole suite once (unit, api, infra, e2e, contract), with line coverage per test (contexts)
# and of the server processes; then the two coverage floors and the error-message ratio.
ERROR_LOG := $(CURDIR)/build/error-messages.jsonl
test: setup
	@rm -f .coverage .coverage.* $(ERROR_LOG) && mkdir -p build
	TRUSTREG_ERROR_LOG=$(ERROR_LOG) $(BIN)/python -m pytest -p tests.contract.error_log \
		--cov --cov-context=test --cov-report=
	$(BIN)/python scripts/coverage_gate.py --all 95 --unit-api 90
	$(BIN)/python scripts/error_messages.py --log $(ERROR_LOG) --fail-under 80

coverage: $(STAMP)
	$(BIN)/python -m coverage report --skip-covered --sort=miss

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not infra and not e2e" -x -q

lint: $(STAMP)
	$(BIN)/python scripts/openapi_check.py
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy layers/shared/python/trustreg functions

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

openapi: $(STAMP)
	$(BIN)/python scripts/openapi_check.py --write

synth: setup
	npx cdk synth --quiet

layer: $(STAMP)
	$(BIN)/python infra/build_layer.py --arch arm64

bench: setup
	$(BIN)/python -m bench

fuzz: setup
	FUZZ_LONG=1 $(BIN)/python -m pytest tests/contract -m fuzz --fuzz-long

clean:
	rm -rf build cdk.out .pytest_cache .mypy_cache .ruff_cache .coverage .coverage.*
