# docgen: `make run` starts the watcher on the demo workspace, `make test` runs every test.
# Both install what is missing first (LibreOffice and fonts via apt-get when root, a venv, the package).
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench system install clean-demo templates

system:
	@bash tools/install_system.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	PYTHONWARNINGS="ignore:Editable installation" $(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: system $(STAMP)

run: install
	$(VENV)/bin/docgen --workspace . watch

test: install
	$(PY) -m pytest -q -rs

bench: install
	$(PY) tools/bench.py

templates: $(STAMP)
	$(PY) tools/build_templates.py

clean-demo:
	rm -rf outbox/* inbox/processed inbox/failed inbox/.processing register.sqlite* .docgen
