# Rapor: `make demo` runs the product on demo data, `make test` runs the tests.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export RAPOR_HOME ?= $(CURDIR)/var

.PHONY: demo install data test test-fast lint lock bench

demo: data
	$(BIN)/rapor summary

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

data: install
	$(BIN)/rapor synth --scale national --inject-errors 40
	$(BIN)/rapor build

test: install lint
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not national"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lock: install
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--quiet -o requirements.lock

bench: install
	$(BIN)/python benchmarks/pipeline.py
