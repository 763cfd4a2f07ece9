# The two commands a newcomer needs: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app run.py
PORT ?= 5000
HOST ?= 127.0.0.1
WORKERS ?= 4
# pytest-xdist processes for `make test` (0 runs the suite in one process)
PYTEST_WORKERS ?= auto

.PHONY: install install-dev translations schema db run serve test lint clean

# what the product runs on (`make run`, `make serve`)
$(VENV)/.installed: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

# and what the suite and the linter need (`make test`, `make lint`)
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

translations: install
	$(PY) -c 'from admin_app.i18n import compile_catalogs; compile_catalogs()'

# the tables and the first account; `make serve` (production) stops here
schema: translations
	$(FLASK) init-db

# the tables and the demo data with its five demo accounts, for trying the product (`make run`)
db: schema
	$(FLASK) seed-demo

# The queue worker (background jobs, outbox, reminders, sweeps) runs beside the server and stops with it.
WITH_WORKER = $(FLASK) run-worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM;

run: db
	@echo ""
	@echo "  Customer service back office: http://$(HOST):$(PORT)/"
	@echo "  Log in as 'admin' with ADMIN_PASSWORD, or the password printed above on first start"
	@echo "  (lost it? .venv/bin/flask --app run.py set-password admin)."
	@echo "  Demo accounts, one per role: clerk1, tech1, quality1, supervisor1, manager1;"
	@echo "  password: $${DEMO_PASSWORD:-demo-pass-2026} (change or disable them before real use)."
	@echo "  Background jobs run in a queue worker started alongside (flask run-worker). Ctrl+C stops both."
	@echo ""
	@$(WITH_WORKER) $(FLASK) run --host $(HOST) --port $(PORT)

serve: schema
	@$(WITH_WORKER) $(VENV)/bin/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - 'run:app'

test: install-dev translations
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache
