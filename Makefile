# The two commands of the README: `make run` and `make test`. Both start with `make setup`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PERSONS ?= 20000

export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: setup run test lint format bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: setup
	$(BIN)/dwh simulate --persons $(PERSONS)
	$(BIN)/dwh build
	$(BIN)/dwh publish

test: lint
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DWH_TARGET=ci $(BIN)/sqlfluff lint models tests/dbt
	$(BIN)/yamllint --strict .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	DWH_TARGET=ci $(BIN)/sqlfluff fix models tests/dbt

bench: setup
	$(BIN)/python bench/warehouse.py

clean:
	rm -rf $(VENV) target logs
