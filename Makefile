# fremdrift: two commands on a fresh machine, `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml demo/pyproject.toml | cksum | cut -d' ' -f1)
PLAN := examples/randers-nordby-2017-21
PLAN_SLUG := randers-nordby-2017-21
DEMO_PLAN := examples/eksempelby-2025-29
DEMO_SLUG := eksempelby-2025-29
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# fremdrift with its development tools, and the demo and benchmark
# generators (demo/: make demo and make bench need them; production does not).
$(STAMP): $(BIN)/python pyproject.toml demo/pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]' -e ./demo
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## Load the bundled Randers Nordby plan and the fictional running plan
## Eksempelby (with generated registrations and demo users) into the local
## SQLite database, write the Randers final evaluation to out/, then serve
## the web app on 127.0.0.1 until Ctrl-C, with a task worker beside it that
## typesets the PDFs asked for in the web app (stopped with the server).
demo: install
	mkdir -p out
	$(BIN)/fremdrift migrate --no-input --verbosity 0
	$(BIN)/fremdrift load $(PLAN)
	$(BIN)/fremdrift load $(DEMO_PLAN)
	$(BIN)/fremdrift demo_registrations $(DEMO_SLUG)
	FREMDRIFT_DEMO=1 $(BIN)/fremdrift demo_users $(DEMO_SLUG) > out/demo-users.txt
	cat out/demo-users.txt
	for fmt in html pdf docx xlsx; do \
	  $(BIN)/fremdrift report $(PLAN_SLUG) --kind final --format $$fmt --out out/$(PLAN_SLUG)-resultatevaluering.$$fmt || exit 1; \
	done
	$(BIN)/fremdrift verdicts $(PLAN_SLUG) --format json > out/$(PLAN_SLUG)-verdicts.json
	@echo "Reports: out/$(PLAN_SLUG)-resultatevaluering.{html,pdf,docx,xlsx}"
	@echo "Staff app: http://$(HOST):$(PORT)/registrering/ (users and passwords above, and in out/demo-users.txt)"
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops), with a task worker that typesets the PDFs"
	@FREMDRIFT_DEBUG=1 nice -n 10 $(BIN)/fremdrift db_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	FREMDRIFT_DEBUG=1 $(BIN)/fremdrift runserver --noreload $(HOST):$(PORT)

## The whole suite (set FREMDRIFT_DATABASE_URL to run it on PostgreSQL), in
## parallel: one pytest-xdist worker per core, each test file on one worker
## (its module fixtures are built once, its tests keep their order), files
## with a slow test first (tests/conftest.py orders them). Each
## worker has its own test database (pytest-django suffixes the name: _gw0,
## _gw1, ...) and its own process cache. TEST_WORKERS=0 runs it in one
## process; pytest's exit code is make's, so a failing test fails the target.
TEST_WORKERS ?= auto
test: install
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

## Speed and memory, measured (not asserted in tests); JSON in bench/results/.
## NATIONAL passes options to bench/national.py, e.g.
## make bench NATIONAL="--scale small --skip attendance" for a quick run.
## The page loads use wrk (Debian's package) when it can be had.
bench: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& apt-get install -y -q wrk >/dev/null 2>&1; } \
		|| echo "wrk is not installed: the page loads come from Python threads"
	@start=$$(date +%s); \
	$(BIN)/python bench/reports.py --runs 3 \
	&& $(BIN)/python bench/report_queue.py \
	&& $(BIN)/python bench/typesetting.py \
	&& $(BIN)/python bench/registrations.py --runs 5 \
	&& $(BIN)/python bench/national.py $(NATIONAL) \
	&& elapsed=$$(( $$(date +%s) - start )) \
	&& echo "make bench: $$(( elapsed / 60 )) min $$(( elapsed % 60 )) s in all"

lint: install
	$(BIN)/ruff check src tests bench demo
	$(BIN)/ruff format --check src tests bench demo
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests demo
	$(BIN)/ruff check --fix src tests demo

clean:
	rm -rf $(VENV) out var .pytest_cache
