# lstm_book: two commands on a fresh machine with only python3 and make.
#   make test   install into .venv, then run the whole suite (notebooks in quick mode)
#   make book   install into .venv, run every notebook in full, export, clean, render the site
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

.PHONY: help install test book notebooks export clean-nbs docs bench wheel distclean

help:
	@echo "make test   - install into $(VENV) and run the whole suite (notebooks in quick mode)"
	@echo "make book   - install, run every notebook in full, export, clean and render the site"
	@echo "make bench  - time the numpy LSTM against TensorFlow"
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

docs: $(STAMP)
	@if ! command -v quarto >/dev/null 2>&1; then \
	  echo "Quarto is not on PATH, so the site cannot be rendered (the notebooks themselves are run, exported and" >&2; \
	  echo "cleaned by 'make book'). Get Quarto from https://quarto.org/docs/get-started/ and run 'make docs' to" >&2; \
	  echo "render the site into _docs/ with nbdev_docs." >&2; \
	  exit 1; \
	fi
	$(BIN)/nbdev_docs

book: notebooks docs

bench: $(STAMP)
	$(BIN)/python bench/bench_lstm.py

wheel: $(STAMP)
	$(BIN)/python -m build --wheel --outdir dist .

distclean:
	rm -rf $(VENV) _docs _proc build dist *.egg-info
