# Everything a fresh machine needs is set up here: `make demo` and `make test` work from nothing.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint bench docs realworld clean

LOCK   := tests/requirements-lock.txt

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c $(LOCK) -e '.[dev]'
	touch $(STAMP)

## demo: lint the insecure examples (every rule fires on one of them) and the correct one
DEMO_EXAMPLES := examples/insecure-stream-consumer examples/insecure-vpc-consumer
demo: $(STAMP)
	@for example in $(DEMO_EXAMPLES); do \
	  echo "==> ddblint check $$example"; \
	  $(VENV)/bin/ddblint check $$example; status=$$?; \
	  echo "    exit $$status (1 = findings at or above --fail-on)"; echo; \
	  test $$status -le 1 || exit $$status; \
	done
	@echo "==> ddblint check examples/complete (built from modules/)"
	@$(VENV)/bin/ddblint check examples/complete

## docs: regenerate the inputs/outputs tables in modules/*/README.md (the test suite fails when they drift)
docs: $(STAMP)
	$(PY) linter/scripts/module_docs.py

## lint: ruff on the linter and the tests
lint: $(STAMP)
	$(PY) -m ruff check linter tests
	$(PY) -m ruff format --check linter tests

## test: lint, then the whole test suite; skipped tests print their reason in the summary
test: $(STAMP)
	$(PY) -m ruff check linter tests
	$(PY) -m pytest -ra -q

## bench: ddblint cold/warm/one-changed against checkov on generated repositories (not part of `make test`)
CHECKOV_VERSION := 3.3.30
CHECKOV_VENV    := build/venv-checkov
$(CHECKOV_VENV)/.installed-$(CHECKOV_VERSION):
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet 'checkov==$(CHECKOV_VERSION)'
	touch $@

bench: $(STAMP)
	@$(MAKE) --no-print-directory $(CHECKOV_VENV)/.installed-$(CHECKOV_VERSION) \
	  || echo "bench: checkov $(CHECKOV_VERSION) could not be installed; measuring ddblint only"
	$(PY) tests/bench/run.py $(BENCH_ARGS)

## realworld: ddblint on the public repositories of tests/realworld/manifest.toml, diffed against the committed
## tests/realworld/summary.json (not part of `make test`; REALWORLD_ARGS="--only owner/name -j 2 --update")
realworld: $(STAMP)
	$(PY) linter/scripts/realworld.py $(REALWORLD_ARGS)

clean:
	rm -rf $(VENV) build .pytest_cache
