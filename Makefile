# Vena: `make run` serves the demo at http://127.0.0.1:5000; `make test` runs the suite.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.DEFAULT_GOAL := help
.PHONY: help run serve bench bench-pages bench-lists db test screenshots lint format migration translations translations-update

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

# The stamps record which install ran; each is redone only when pyproject.toml changes.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[dev]'
	touch $@ $(VENV)/.installed

# seed-demo seeds only SQLite unless SEED_ARGS=--i-know-this-is-a-demo (a PostgreSQL demo).
db: $(VENV)/.installed  ## create or upgrade the database, and add the demo data
	$(FLASK) init-db
	$(FLASK) seed-demo $(SEED_ARGS)

# Both serve plain HTTP on 127.0.0.1, so the session cookie is not marked Secure
# (SESSION_COOKIE_SECURE=false); behind TLS, in production, leave it unset.
run: db translations  ## serve the demo at http://127.0.0.1:5000 (development server)
	SESSION_COOKIE_SECURE=false $(FLASK) run --host $(HOST) --port $(PORT)

# Four workers share the rate limits through RATELIMIT_STORAGE_URI when it is set, else through
# the Redis at 127.0.0.1:6379/0 if one answers; with neither, one worker (gunicorn.conf.py
# refuses several workers that would each count the limits alone).
SERVE_REDIS := redis://127.0.0.1:6379/0
serve: db translations  ## serve with gunicorn, 4 workers (1 without Redis), at http://127.0.0.1:8000
	@storage="$${RATELIMIT_STORAGE_URI:-}"; workers=4; \
	if [ -z "$$storage" ]; then \
		if $(BIN)/python -c 'import redis, sys; redis.Redis.from_url(sys.argv[1], socket_timeout=1, socket_connect_timeout=1).ping()' $(SERVE_REDIS) 2>/dev/null; then \
			storage=$(SERVE_REDIS); \
		else \
			storage=memory://; workers=1; \
			echo "No Redis answers at $(SERVE_REDIS): serving with 1 worker (set RATELIMIT_STORAGE_URI for 4)."; \
		fi; \
	fi; \
	RATELIMIT_STORAGE_URI="$$storage" SESSION_COOKIE_SECURE=false \
		exec $(BIN)/gunicorn -c gunicorn.conf.py -w $$workers -b 127.0.0.1:8000 'app:create_app()'

# BENCH_DATABASE_URL picks the PostgreSQL database, which is dropped and recreated (default
# vena_bench); BENCH_ARGS passes options, e.g. BENCH_ARGS="--backend sqlite --location München".
bench: $(VENV)/.installed  ## race 200 concurrent bookings for one slot, on SQLite and PostgreSQL
	$(BIN)/python bench/booking_race.py $(BENCH_ARGS)

# BENCH_PAGES_DATABASE_URL picks the PostgreSQL database, which is dropped and recreated (default
# vena_bench_pages); BENCH_PAGES_ARGS passes options, e.g. BENCH_PAGES_ARGS="--plans".
bench-pages: $(VENV)/.installed  ## page 1 vs page 1,000 of GET /appointments over 100,000 rows (PostgreSQL)
	$(BIN)/python bench/pagination.py $(BENCH_PAGES_ARGS)

# BENCH_LISTS_DATABASE_URL picks the PostgreSQL database, which is dropped and recreated (default
# vena_bench_lists); BENCH_LISTS_ARGS passes options, e.g. BENCH_LISTS_ARGS="--sizes 1k --plans".
bench-lists: $(VENV)/.installed  ## each portal list page at 1,000 and 1,000,000 appointments (PostgreSQL)
	$(BIN)/python bench/portal_pages.py $(BENCH_LISTS_ARGS)

# TEST_DATABASE_URL, when set in the environment, selects PostgreSQL (make passes it through).
test: $(VENV)/.installed-dev translations  ## run the whole suite (PostgreSQL when TEST_DATABASE_URL is set)
	$(BIN)/pytest

screenshots: $(VENV)/.installed-dev translations  ## run the browser tests and save each main page to docs/screenshots
	VENA_SCREENSHOTS=docs/screenshots VENA_REQUIRE_BROWSER=1 $(BIN)/pytest tests/e2e

# The portal's translations: each catalogue (.po, in git) compiles to the .mo the app reads (built
# here, git-ignored). tests/web/test_i18n.py reads EXTRACT_OPTIONS to check messages.pot is current.
TRANSLATIONS := app/translations
CATALOGUES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
EXTRACT_OPTIONS := -F babel.cfg -k lazy_gettext -k lazy_ngettext:1,2 -k msg -k msg_plural:1,2 --ignore-dirs='.*' --add-comments=TRANSLATORS: --project=Vena --copyright-holder=Vena

translations: $(CATALOGUES:.po=.mo)  ## compile the translation catalogues (.po) into .mo files

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

translations-update: $(VENV)/.installed  ## extract the messages into messages.pot and merge it into each .po
	$(BIN)/pybabel extract $(EXTRACT_OPTIONS) -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)

lint: $(VENV)/.installed-dev  ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy app

format: $(VENV)/.installed-dev  ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migration: $(VENV)/.installed  ## autogenerate a revision: make migration m="add closed dates"
	@test -n "$(m)" || { echo 'usage: make migration m="what changes"'; exit 2; }
	$(BIN)/python -c 'from app.migrate import main; main()' upgrade
	$(BIN)/python -c 'from app.migrate import main; main()' revision -m "$(m)"
