# Everyday tasks; the README's two commands are the ones CI runs.
VENV ?= .venv
PY := $(VENV)/bin/python

$(PY):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'

.PHONY: install test lint format bench bench-full demo clean
install: $(PY)

test: $(PY)
	$(PY) -m pytest

lint: $(PY)
	$(VENV)/bin/ruff check armsgraph tests benchmarks
	$(VENV)/bin/ruff format --check armsgraph tests benchmarks
	$(VENV)/bin/mypy

format: $(PY)
	$(VENV)/bin/ruff check --fix armsgraph tests benchmarks
	$(VENV)/bin/ruff format armsgraph tests benchmarks

bench: $(PY)
	$(PY) -m benchmarks.run --quick

bench-full: $(PY)
	$(PY) -m benchmarks.run --full

demo: $(PY)
	$(VENV)/bin/armsgraph demo

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache artifacts
