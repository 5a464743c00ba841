# docgen: `make run` starts the watcher and the web office on the demo workspace, `make test` runs every test.
# `make test-fast` runs the tier that needs no LibreOffice, no chromium, no PostgreSQL and nothing marked slow
# (under a minute).
# Both install what is missing first (LibreOffice and fonts via apt-get when root, a venv, the package).
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast bench system install clean-demo

# Python's default is to cache compiled modules; some machines switch that off, and then every docgen command
# and every sandboxed parse child compiles docgen again (a third of the suite's CPU): run with the default.
unexport PYTHONDONTWRITEBYTECODE

system:
	@bash tools/install_system.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" $(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: system $(STAMP)

run: install
	$(PY) tools/demo_users.py .
	$(VENV)/bin/docgen --workspace . watch --web

test: install
	$(PY) -m pytest -q -rs

# four workers on two cores: much of a test's time is fsync and child processes, not CPU (pytest-xdist)
test-fast: $(STAMP)
	$(PY) -m pytest -q -rs -n 4 -m "not libreoffice and not chromium and not postgresql and not slow"

bench: install
	$(PY) tools/bench.py

clean-demo:
	rm -rf outbox/* inbox/processed inbox/failed inbox/.processing register.sqlite* .docgen
