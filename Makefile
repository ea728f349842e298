# The two commands of the README: `make run` and `make test`. Both start with `make setup`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPARK_STAMP := $(VENV)/.installed-spark
UV := $(BIN)/uv pip install --quiet --python $(BIN)/python $(foreach f,$(PIP_FIND_LINKS),--find-links $(f))
PERSONS ?= 20000
PORT ?= 8501
# pytest workers (pytest-xdist): one per core here
JOBS ?= 2

export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: setup setup-spark java run test lint format bench browser serve clean

setup: $(STAMP)

# uv installs what pip would, from the same pins, in a quarter of the time; it reads the wheel
# folder pip is pointed at (PIP_FIND_LINKS) when there is one, such as this machine's CPU torch.
$(BIN)/uv:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==0.13.9

# (uv is order-only: a venv set up by pip before uv gets it without reinstalling the rest)
$(STAMP): pyproject.toml constraints.txt | $(BIN)/uv
	$(UV) -c constraints.txt -e '.[dev]'
	$(UV) --no-deps anonymeter==1.1.0 numba==0.68.1 llvmlite==0.50.0 polars==2.1.0 polars-runtime-32==2.1.0
	touch $(STAMP)

# The optional Spark target: dbt-spark with a local PySpark, and Java (Debian's) if missing.
setup-spark: $(SPARK_STAMP) java

$(SPARK_STAMP): $(STAMP) | $(BIN)/uv
	$(UV) -c constraints.txt -e '.[dev,spark]'
	touch $(SPARK_STAMP)

java:
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

# Fails before building when PORT is taken.
run: setup
	$(BIN)/dwh serve --port $(PORT) --check-port
	$(BIN)/dwh simulate --persons $(PERSONS)
	$(BIN)/dwh build
	$(BIN)/dwh publish
	$(BIN)/dwh serve --port $(PORT)

# Headless Chromium for the real-browser tests (Debian's package; Playwright drives it).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Test files run on JOBS workers, each file whole on one worker (its module fixtures built once),
# in the order tests/conftest.py gives them (the slowest first; xdist would otherwise sort the
# files by their number of tests); each worker builds the session's small warehouse for itself.
test: lint browser setup-spark
	$(BIN)/pytest -q -n $(JOBS) --dist loadfile --no-loadscope-reorder

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DWH_TARGET=ci $(BIN)/sqlfluff lint models tests/dbt
	$(BIN)/yamllint --strict .
	$(BIN)/lint-imports --no-cache

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	DWH_TARGET=ci $(BIN)/sqlfluff fix models tests/dbt

bench: setup setup-spark
	$(BIN)/python bench/warehouse.py
	$(BIN)/python bench/dashboards.py
	$(BIN)/python bench/spark.py

clean:
	rm -rf $(VENV) target logs
