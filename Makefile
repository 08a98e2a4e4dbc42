# The two set-up commands of the README: `make lab` and `make test`. Both work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_HOME ?= $(CURDIR)/.demo-home
PORT ?= 8888
# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test install install-test clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip

install: $(VENV)/bin/python
	$(PY) -m pip install .

install-test: $(VENV)/bin/python
	bash scripts/install-system-deps.sh requirements/apt-test.txt
	$(PY) -m pip install ".[test]"
	bash scripts/setup-bigquery-emulator.sh

lab: install
	DATAPLANE_HOME=$(DEMO_HOME) $(VENV)/bin/dataplane demo seed
	mkdir -p notebooks
	DATAPLANE_HOME=$(DEMO_HOME) $(PY) -m jupyterlab --ip=127.0.0.1 --port=$(PORT) --ServerApp.port_retries=0 --notebook-dir=notebooks $(ALLOW_ROOT)

test: install-test
	bash scripts/run-tests.sh

clean:
	rm -rf $(VENV) build dist dataplane_jupyter/labextension labextension/node_modules labextension/lib
