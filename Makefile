# `make demo` runs the main job, `make test` runs the whole suite; both create .venv when needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

.PHONY: demo test lint typecheck pytest bench catalogs clean

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(READY)

demo: $(READY)
	$(BIN)/jobmsg localize examples/job-messages.json --locale fr
	$(BIN)/jobmsg localize examples/job-messages.json --locale ja
	$(BIN)/jobmsg localize examples/job-messages.json --locale ar

test: lint typecheck pytest

lint: $(READY)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(READY)
	$(BIN)/mypy --strict jobmsg_i18n

pytest: $(READY)
	$(BIN)/pytest -n 2 -q

bench: $(READY)
	$(BIN)/python benchmarks/bench_localize.py

# Compile every locales/*/LC_MESSAGES/*.po into its .mo (the .mo files are committed).
catalogs: $(READY)
	$(BIN)/pybabel compile -d locales -D jobmsg --statistics

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
