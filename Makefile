# fremdrift: two commands on a fresh machine, `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PLAN := examples/randers-nordby-2017-21
PLAN_SLUG := randers-nordby-2017-21
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## Load the bundled Randers Nordby plan into the local SQLite database,
## write its final evaluation to out/, then serve the web app until Ctrl-C.
demo: install
	$(BIN)/fremdrift migrate --no-input --verbosity 0
	$(BIN)/fremdrift load $(PLAN)
	mkdir -p out
	for fmt in html pdf docx xlsx; do \
	  $(BIN)/fremdrift report $(PLAN_SLUG) --kind final --format $$fmt --out out/$(PLAN_SLUG)-resultatevaluering.$$fmt || exit 1; \
	done
	$(BIN)/fremdrift verdicts $(PLAN_SLUG) --format json > out/$(PLAN_SLUG)-verdicts.json
	@echo "Reports: out/$(PLAN_SLUG)-resultatevaluering.{html,pdf,docx,xlsx}"
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	FREMDRIFT_DEBUG=1 $(BIN)/fremdrift runserver --noreload $(HOST):$(PORT)

## The whole suite (set FREMDRIFT_DATABASE_URL to run it on PostgreSQL).
test: install
	$(BIN)/pytest

## Speed and memory, measured (not asserted in tests); JSON in bench/results/.
bench: install
	$(BIN)/python bench/reports.py

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

clean:
	rm -rf $(VENV) out var .pytest_cache
