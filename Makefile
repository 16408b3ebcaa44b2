# fremdrift: two commands on a fresh machine, `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PLAN := examples/randers-nordby-2017-21
PLAN_SLUG := randers-nordby-2017-21
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test lint format serve clean

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
	$(BIN)/fremdrift report $(PLAN_SLUG) --kind final --format html --out out/$(PLAN_SLUG)-resultatevaluering.html
	$(BIN)/fremdrift verdicts $(PLAN_SLUG) --format json > out/$(PLAN_SLUG)-verdicts.json
	@echo "Report: out/$(PLAN_SLUG)-resultatevaluering.html"
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	FREMDRIFT_DEBUG=1 $(BIN)/fremdrift runserver --noreload $(HOST):$(PORT)

## The whole suite (set FREMDRIFT_DATABASE_URL to run it on PostgreSQL).
test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

clean:
	rm -rf $(VENV) out var .pytest_cache
