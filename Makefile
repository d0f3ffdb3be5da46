# impact-review: `make report` produces the review for the shipped sample; `make test` runs the tests.
# Both create .venv and install the locked dependencies first.

.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export GX_ANALYTICS_ENABLED := false
export MPLBACKEND := Agg

# A TRACKER or EVIDENCE the user gives, when relative, is from the folder they typed the command
# in: `make -C path/to/impact-review report TRACKER=ours.xlsx` changes make's folder, not the
# shell's $PWD.
CALLER_DIR := $(or $(PWD),$(CURDIR))
given = $(if $(filter command line environment,$(origin $(1))),$(if $(filter /%,$($(1))),$($(1)),$(CALLER_DIR)/$($(1))),$($(1)))
TRACKER ?= data/raw/sample/east-sussex-lscb-tracker-2015-18.xlsx
# The period and label: the command's own defaults apply only to the sample (YEAR, or FROM and
# TO, are required for any other tracker), so they are passed only when given.
YEAR ?=
FROM ?=
TO ?=
LABEL ?=
# Returned call-for-evidence workbooks (the sample's own are used by default on its period).
EVIDENCE ?=

## help: list the targets
.PHONY: help
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  make /'

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || \
		{ echo "impact-review needs Python 3.11 (found $$($(PYTHON) --version)); set PYTHON=/path/to/python3.11"; exit 2; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name impact-review \
		--display-name "Python (impact-review)" >/dev/null
	touch $(STAMP)

## install: create .venv with the locked dependencies and the project (editable)
.PHONY: install
install: $(STAMP)

## report: run the review on the shipped sample (or TRACKER=... YEAR=... or FROM=... TO=..., LABEL=...)
.PHONY: report
report: $(STAMP)
	$(BIN)/impact-review run --tracker "$(call given,TRACKER)" $(if $(YEAR),--year $(YEAR)) \
		$(if $(FROM),--from $(FROM)) \
		$(if $(TO),--to $(TO)) $(if $(LABEL),--label $(LABEL)) \
		$(if $(EVIDENCE),--evidence "$(call given,EVIDENCE)")

## compare: review each year of the 2018-21 sample (YEARS), then compare them: reports/compare-2018-19-2020-21/
YEARS_TRACKER ?= data/raw/sample/east-sussex-tracker-2018-21.xlsx
YEARS ?= 2018-19 2019-20 2020-21
.PHONY: compare
compare: $(STAMP)
	for year in $(YEARS); do \
		$(BIN)/impact-review run --tracker "$(call given,YEARS_TRACKER)" --year $$year || exit $$?; \
	done
	$(BIN)/impact-review compare $(YEARS)

## lab: open JupyterLab on the notebooks, in the project's kernel (they write to scratch/)
.PHONY: lab
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

## test: run the whole test suite (installs Debian's poppler-utils and chromium if missing)
.PHONY: test
test: $(STAMP) system-deps
	$(BIN)/python -m pytest -n auto --dist loadgroup

## test-fast: the edit-test loop: every test not marked slow (no notebook runs, no rendering)
.PHONY: test-fast
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q

## system-deps: install the Debian packages the tests use to look at the outputs (pdftotext, chromium)
.PHONY: system-deps
system-deps:
	@bash scripts/install-system-deps.sh

## bench: time and measure the review from the sample to 1M rows against its imports (BENCH_SIZES=sample,10k,100k,1m)
BENCH_SIZES ?= sample,10k,100k,1m
BENCH_FORMATS ?= csv,xlsx
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py --sizes $(BENCH_SIZES) --formats $(BENCH_FORMATS) --repeat 3

## lint: ruff lint and format check (notebooks included) and the dead-code check
.PHONY: lint
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/check_dead_code.py

## sample: rebuild the shipped sample trackers (2015-18, and 2018-21 by year) and the 2015-18 evidence (deterministic)
.PHONY: sample
sample: $(STAMP)
	$(BIN)/python scripts/make_sample_tracker.py
	$(BIN)/python scripts/make_sample_evidence.py
	$(BIN)/python scripts/make_sample_years.py

## lock: re-pin requirements.lock from pyproject.toml (needs uv)
.PHONY: lock
lock:
	uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 -o requirements.lock

## clean: delete generated outputs (processed data, reports, staging); raw data is never touched
.PHONY: clean
clean:
	rm -rf data/processed/*/ reports/ .staging/ test-artifacts/
