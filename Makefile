# docgen: `make run` starts the watcher and the web office on the demo workspace, `make test` runs every test.
# Both install what is missing first (LibreOffice and fonts via apt-get when root, a venv, the package).
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench system install clean-demo

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

bench: install
	$(PY) tools/bench.py

clean-demo:
	rm -rf outbox/* inbox/processed inbox/failed inbox/.processing register.sqlite* .docgen
