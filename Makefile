# Everything a fresh machine needs is set up here: `make demo` and `make test` work from nothing.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: help demo test test-fast lint bench docs realworld clean

## help: list the targets
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

LOCK   := tests/requirements-lock.txt

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c $(LOCK) -e '.[dev]'
	touch $(STAMP)

## demo: lint the insecure examples (every rule fires on one of them), check a handler's calls against its role
## and print its least-privilege policy, then lint the correct example
DEMO_EXAMPLES := examples/insecure-stream-consumer examples/insecure-vpc-consumer
demo: $(STAMP)
	@for example in $(DEMO_EXAMPLES); do \
	  echo "==> ddblint check $$example"; \
	  $(VENV)/bin/ddblint check $$example; status=$$?; \
	  echo "    exit $$status (1 = findings at or above --fail-on)"; echo; \
	  test $$status -le 1 || exit $$status; \
	done
	@echo "==> ddblint check examples/code-permissions (the handler's calls against its role)"
	@$(VENV)/bin/ddblint check examples/code-permissions; status=$$?; \
	  echo "    exit $$status (1 = findings at or above --fail-on)"; echo; test $$status -le 1
	@echo "==> ddblint policy aws_lambda_function.api examples/code-permissions (the least-privilege policy)"
	@$(VENV)/bin/ddblint policy aws_lambda_function.api examples/code-permissions; echo
	@echo "==> ddblint check examples/complete (built from modules/)"
	@$(VENV)/bin/ddblint check examples/complete

## docs: regenerate the inputs/outputs tables in modules/*/README.md (the test suite fails when they drift)
docs: $(STAMP)
	$(PY) linter/scripts/module_docs.py

## lint: ruff on the linter and the tests
lint: $(STAMP)
	$(PY) -m ruff check linter tests
	$(PY) -m ruff format --check linter tests

# pytest-xdist workers (`make test PYTEST_WORKERS=0` runs without xdist). The integration markers are
# registered in pyproject.toml; tests/conftest.py checks that every test needing one of them carries it.
PYTEST_WORKERS ?= auto
# `make test`: each test file runs on one worker (its module fixtures, a stack applied to moto say, are set up once),
# files in collection order: tests/conftest.py puts the longest first. (Not loadgroup: with pytest 9.2, xdist 3.8 ignores
# xdist_group marks, pytest-dev/pytest-xdist#1386.)
PYTEST_DIST    := --dist loadfile --no-loadscope-reorder
INTEGRATION    := terraform or moto or checkov or precommit or packaging
# `make test-fast`: twice as many workers as cores, stealing work from each other: many of these tests wait on a
# `ddblint` subprocess, so two per core keep both cores busy (measured on 2 cores: 107 s with 2 workers and
# --dist load, 75 s with 4 and worksteal). The CPU the run takes hardly depends on it: 84-90 s user+sys with 2, 3
# or 4 workers since the tests that are not about the process run the CLI in-process (tests/support/cli_in_process.py).
FAST_WORKERS   ?= $(shell $(PYTHON) -c "import os; print(2 * (os.cpu_count() or 1))")

# Both test targets let Python keep bytecode in __pycache__ (git-ignored) even where the environment sets
# PYTHONDONTWRITEBYTECODE (some CI images and sandboxes do): the suite starts `python -m ddblint` about 90 times
# and pytest-xdist starts a worker per core or two, and without bytecode on disk every start compiles ddblint's
# modules and the test modules again (measured on 2 cores: about half of a `ddblint check` run's CPU).
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest

## test-fast: lint, then every test that needs no terraform, moto, checkov, pre-commit or PyPI (under a minute)
test-fast: $(STAMP)
	$(PY) -m ruff check linter tests
	$(PYTEST) -q -n $(FAST_WORKERS) --dist worksteal -m "not ($(INTEGRATION))"

## test: lint, then the whole suite, integration tests included; skipped tests print their reason in the summary
# checkov's venv is installed in the background while the tests run; its tests wait for it (tests/support/checkov.py).
test: $(STAMP)
	$(PY) -m ruff check linter tests
	@mkdir -p build
	$(PY) tests/support/checkov.py >build/checkov-install.log 2>&1 & \
	$(PYTEST) -q -n $(PYTEST_WORKERS) $(PYTEST_DIST); status=$$?; wait; exit $$status

## bench: ddblint cold/warm/one-changed against checkov on generated repositories (not part of `make test`)
# checkov's venv is the one the tests use (tests/support/checkov.py pins its version and installs it).
bench: $(STAMP)
	@mkdir -p build
	@checkov=$$($(PY) tests/support/checkov.py 2>build/checkov-install.log) \
	  || echo "bench: checkov could not be installed (build/checkov-install.log); measuring ddblint only"; \
	$(PY) tests/bench/run.py $${checkov:+--checkov "$$checkov"} $(BENCH_ARGS)

## realworld: ddblint on the public repositories of tests/realworld/manifest.toml, diffed against the committed
## tests/realworld/summary.json (not part of `make test`; REALWORLD_ARGS="--only owner/name -j 2 --update")
realworld: $(STAMP)
	$(PY) linter/scripts/realworld.py $(REALWORLD_ARGS)

clean:
	rm -rf $(VENV) build .pytest_cache
