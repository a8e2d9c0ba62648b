# The two commands of the README: `make serve` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: serve test test-fast fuzz build check import bench bench-rebuild clean

$(BIN)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.dev: requirements-dev.txt $(BIN)/.runtime
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

serve: $(BIN)/.runtime  ## build the handbook and serve it at http://127.0.0.1:8000
	$(BIN)/python build.py serve

test: $(BIN)/.dev  ## run the whole test suite, browser tests included
	scripts/ensure-chromium.sh
	$(BIN)/python -m pytest

test-fast: $(BIN)/.dev  ## the suite without browser tests, in parallel: a quick check while editing
	$(BIN)/python -m pytest -m "not browser" -n auto -q

fuzz: $(BIN)/.dev  ## the nightly fuzz run: over 10,000 generated inputs to the loader, text readers and importer
	HANDBOOK_FUZZ=nightly $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_fuzz.py --hypothesis-show-statistics

build: $(BIN)/.runtime  ## build site/; BASE_URL=https://example.org/handbook/ overrides config.yaml's base_url
	$(BIN)/python build.py $(if $(BASE_URL),--base-url "$(BASE_URL)") build

check: $(BIN)/.runtime
	$(BIN)/python build.py check

import: $(BIN)/.runtime
	$(BIN)/python build.py import

bench: $(BIN)/.runtime  ## build a generated corpus (N=10000 by default) and print the figures
	$(BIN)/python scripts/benchmark.py $(if $(N),--cards $(N))

bench-rebuild: $(BIN)/.runtime  ## one-card edits in the preview and a cached build after one, against Hugo, on N generated cards
	$(BIN)/python scripts/bench_rebuild.py $(if $(N),--cards $(N))

clean:
	rm -rf $(VENV) site .pytest_cache
