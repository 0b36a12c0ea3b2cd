# `make run` and `make test` set everything up on a fresh machine (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: setup setup-dev db run test test-sqlite test-pg translations lint clean

# What `make run` needs (requirements.txt); the tests and linters add requirements-dev.txt.
$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(BIN)/.dev-installed: requirements-dev.txt $(BIN)/.installed
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

setup: $(BIN)/.installed

setup-dev: $(BIN)/.dev-installed

db: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask search-reindex --if-stale

run: db
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# The suite on SQLite, then the same suite on a fresh PostgreSQL database when one is reachable.
test: setup-dev lint test-sqlite test-pg

# Static analysis: no finding of high severity in the application (bandit), and none of ruff's
# correctness rules (pyproject.toml) in the application, tests and benchmarks (a few seconds).
lint: setup-dev
	$(BIN)/bandit -q -r app -lll
	$(BIN)/ruff check -q .

test-sqlite: setup-dev
	$(BIN)/python -m pytest -q

test-pg: setup-dev
	@url=$$($(BIN)/python -m tests.pg create) || { echo "SKIPPED the PostgreSQL run: $$url"; exit 0; }; \
	echo "PostgreSQL run on $$url"; \
	TEST_DATABASE_URL=$$url $(BIN)/python -m pytest -q; rc=$$?; \
	$(BIN)/python -m tests.pg drop "$$url"; exit $$rc

# Extract messages and update the catalogs after changing strings; then translate and compile.
translations: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --ignore-dirs='.* .venv instance' -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d app/translations

clean:
	rm -rf $(VENV) .pytest_cache
