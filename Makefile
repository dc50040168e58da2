# Two entry points a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/reader seeds/

# On every core (pytest-xdist): one process took 8m41 on CI's two cores, close to its ten minutes.
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n auto

bench: $(VENV)/.installed
	$(BIN)/python bench/bench_parse.py

clean:
	rm -rf $(VENV) build *.egg-info
