# lstm_book: two commands on a fresh machine with only python3 and make.
#   make test   install into .venv, then run the whole suite (notebooks in quick mode)
#   make book   install into .venv, run every notebook in full, export, clean, render the site
#               (installs Quarto into .quarto-bin/ when it is not on PATH)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Notebooks to (re-)execute; `make notebooks NB=nbs/04_lstm.ipynb` runs one.
NB     ?= $(sort $(wildcard nbs/[0-9]*.ipynb)) nbs/index.ipynb
export PYTHONHASHSEED := 0
export TF_CPP_MIN_LOG_LEVEL := 2
QUARTO_VERSION := 1.7.34
QUARTO_HOME    := .quarto-bin
# Quarto on PATH wins; otherwise the copy `make book` installed into $(QUARTO_HOME).
QUARTO_PATH = $$(command -v quarto >/dev/null 2>&1 && dirname "$$(command -v quarto)" || echo "$(CURDIR)/$(QUARTO_HOME)/quarto-$(QUARTO_VERSION)/bin")

.PHONY: help install test book notebooks export clean-nbs quarto docs site-check binder-check bench wheel dist distclean test-torch

help:
	@echo "make test   - install into $(VENV) and run the whole suite (notebooks in quick mode)"
	@echo "make book   - install, run every notebook in full, export, clean and render the site"
	@echo "make docs   - render the site into _docs/ from the stored notebooks (runs nothing)"
	@echo "make site-check - render the site and check every page (needs Quarto; the checks in Chromium, with every other"
	@echo "                  host blocked - no outside request, no JS error, every formula typeset, widgets that give their test vectors' numbers,"
	@echo "                  nothing wider than its column at 1280 and 1024 px - also need Chromium (apt-get install chromium)"
	@echo "                  and Playwright, which it installs into .venv; without them they are skipped with a message)"
	@echo "make vendor - rebuild nbs/vendor/ (MathJax and the font, served by the site itself) from its lockfile (npm ci)"
	@echo "make binder-check - install the Binder environment into a fresh venv and run one chapter there"
	@echo "make dist   - build the sdist and wheel into dist/"
	@echo "make bench  - time the numpy LSTM against TensorFlow and PyTorch (if installed), and minGRU's loop against its scan"
	@echo "make test-torch - install PyTorch (CPU build) if missing and run the PyTorch tests"
	@echo "make notebooks NB=nbs/04_lstm.ipynb - re-run chosen notebooks in place (full mode)"

$(STAMP): settings.ini setup.py pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10) and "lstm_book needs Python 3.10 or newer; got " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev,book]"
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	LSTM_BOOK_QUICK=1 $(BIN)/python -m pytest

notebooks: $(STAMP)
	for nb in $(NB); do \
	  echo "== running $$nb"; \
	  LSTM_BOOK_QUICK= $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=3600 --ExecutePreprocessor.kernel_name=python3 "$$nb"; \
	  $(BIN)/python tools/strip_logs.py "$$nb"; \
	done
	$(MAKE) --no-print-directory export clean-nbs

export: $(STAMP)
	$(BIN)/nbdev_export

clean-nbs: $(STAMP)
	$(BIN)/nbdev_clean

# The pinned Quarto release into $(QUARTO_HOME)/ unless Quarto is on PATH already (no sudo, unlike nbdev's installer).
quarto:
	@command -v quarto >/dev/null 2>&1 || $(PYTHON) tools/get_quarto.py --dest $(QUARTO_HOME) --version $(QUARTO_VERSION) >/dev/null

# README.md is written by hand (its links point into nbs/ for GitHub): touching it keeps nbdev_docs from
# regenerating it out of index.ipynb.
docs: $(STAMP)
	@PATH="$(QUARTO_PATH):$$PATH"; if ! command -v quarto >/dev/null 2>&1; then \
	  echo "Quarto is not on PATH, so the site cannot be rendered. 'make book' installs Quarto $(QUARTO_VERSION) into" >&2; \
	  echo "$(QUARTO_HOME)/ when it is online; or get Quarto from https://quarto.org/docs/get-started/ and run 'make docs'" >&2; \
	  echo "again to render the stored notebooks into _docs/ with nbdev_docs (nothing is re-run)." >&2; \
	  exit 1; \
	fi
	touch README.md
	PATH="$(QUARTO_PATH):$$PATH" PYTHONPATH="$(CURDIR)$${PYTHONPATH:+:$$PYTHONPATH}" $(BIN)/nbdev_docs

book: notebooks quarto docs

site-check: $(STAMP)
	@PATH="$(QUARTO_PATH):$$PATH"; if ! command -v quarto >/dev/null 2>&1; then \
	  echo "site-check skipped: it renders the site, which needs Quarto (make quarto, or https://quarto.org)." >&2; \
	  exit 0; \
	fi; \
	touch README.md; \
	$(BIN)/python -c 'import playwright' 2>/dev/null || $(BIN)/python -m pip install --quiet --disable-pip-version-check playwright \
	  || echo "site-check: Playwright could not be installed; the checks in Chromium will say so and skip." >&2; \
	PATH="$(QUARTO_PATH):$$PATH" PYTHONPATH="$(CURDIR)$${PYTHONPATH:+:$$PYTHONPATH}" $(BIN)/python tools/site_check.py --render

# PyTorch is optional and `make test` never installs it: PyPI's default Linux wheel is a CUDA build of several GB.
# TORCH_INSTALL names what pip installs (e.g. TORCH_INSTALL=torch==2.13.0 where a CPU build of it is at hand).
TORCH_INSTALL ?= torch --index-url https://download.pytorch.org/whl/cpu
test-torch: $(STAMP)
	$(BIN)/python -c 'import torch' 2>/dev/null || $(BIN)/python -m pip install --quiet --disable-pip-version-check $(TORCH_INSTALL)
	LSTM_BOOK_QUICK=1 $(BIN)/python -m pytest -q -rs tests/test_torch.py tests/test_variants.py

binder-check: $(STAMP)
	LSTM_BOOK_HEAVY=1 $(BIN)/python -m pytest -q -rs -s tests/test_binder.py

bench: $(STAMP)
	$(BIN)/python bench/bench_lstm.py
	$(BIN)/python bench/bench_scan.py

wheel: $(STAMP)
	$(BIN)/python -m build --wheel --outdir dist .

dist: $(STAMP)
	$(BIN)/python -m build --outdir dist .

distclean:
	rm -rf $(VENV) $(QUARTO_HOME) _docs _proc build dist *.egg-info

# What the site serves instead of a CDN (MathJax, the theme's font), rebuilt from nbs/vendor/package-lock.json by
# tools/vendor.py. The result is committed, so rendering needs no npm; this is run only to change a pinned version
# (edit nbs/vendor/package.json, `npm install --package-lock-only` there, then `make vendor`).
.PHONY: vendor
vendor:
	@command -v npm >/dev/null 2>&1 || { echo "make vendor needs npm (Node.js): https://nodejs.org" >&2; exit 1; }
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	cp nbs/vendor/package.json nbs/vendor/package-lock.json "$$tmp"/; \
	(cd "$$tmp" && npm ci --ignore-scripts --no-audit --no-fund); \
	$(PYTHON) tools/vendor.py "$$tmp/node_modules" --dest nbs/vendor
