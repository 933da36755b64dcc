# Two commands set everything up on a fresh machine: `make build` and `make test`.
# Both install the dev and ocr extras; LibreOffice (for .doc files) is a system package: see .ci/run.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build test install eval bench schemas samples clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,ocr]'
	touch $(STAMP)

install: $(STAMP)

build: $(STAMP)
	$(BIN)/planextract build data/raw --out data/out

test: $(STAMP)
	$(BIN)/python -m pytest

eval: $(STAMP)
	$(BIN)/planextract eval ../shared/corpus --gold ../shared/gold

bench: $(STAMP)
	$(BIN)/python -m bench

schemas: $(STAMP)
	$(BIN)/planextract schemas --out schemas --readme README.md

samples: $(STAMP)
	$(BIN)/python scripts/make_samples.py data/raw

clean:
	rm -rf data/out/* data/out/.planextract data/out/.cache data/out/.lock .pytest_cache
