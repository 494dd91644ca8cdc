# `make demo` runs the main job, `make test` runs the whole suite; both create .venv when needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

.PHONY: demo test lint typecheck pytest bench catalogs catalogs-check clean

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(READY)

# The whole path over real HTTP against the bundled emulator: no network, no account.
demo: $(READY)
	$(BIN)/jobmsg demo
	$(BIN)/jobmsg demo --locale fr
	$(BIN)/jobmsg demo --locale ja

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
	$(BIN)/python benchmarks/bench_fetch.py
	$(BIN)/python benchmarks/bench_report.py

# Compile every locales/*/LC_MESSAGES/*.po into its .mo (the .mo files are committed).
catalogs: $(READY)
	$(BIN)/pybabel compile -d locales -D jobmsg --statistics
	$(BIN)/pybabel compile -d locales -D jobmsg_report --statistics

# Check every catalog with the project's checker (warnings fail) and with GNU msgfmt -c.
# `make test` runs the same two checks through pytest (tests/test_catalog_shipped.py).
catalogs-check: $(READY)
	$(BIN)/jobmsg catalog check --strict locales
	for po in locales/*/LC_MESSAGES/*.po; do msgfmt -c -o /dev/null "$$po" || exit 1; done

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
