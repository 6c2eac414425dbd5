# Baotou Carbon — the two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint messages install migrate seed worker beat clean

$(PY):
	$(shell command -v $(PYTHON) >/dev/null 2>&1 && echo $(PYTHON) || echo python3) -m venv $(VENV)

$(STAMP): requirements.lock requirements-dev.lock | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.lock
	touch $(STAMP)

install: $(STAMP)

## run: install, migrate, load demo data and serve on http://127.0.0.1:8000 (SQLite, tasks in-process)
run: export DEBUG ?= true
run: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

## test: the whole suite (PostgreSQL when DATABASE_URL is set; SQLite otherwise)
test: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run --settings=tests.settings
	$(PY) -m pytest $(PYTEST_ARGS)
	$(PY) -m pytest $(PYTEST_ARGS) -m date_sensitive --today=2027-02-28
	$(PY) -m pytest $(PYTEST_ARGS) -m date_sensitive --today=2026-11-30
	$(PY) -m pytest $(PYTEST_ARGS) -m date_sensitive --today=2026-12-31

## lint: ruff, formatting, the floors' import contract, mypy and template lint
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy .
	$(PY) -m djlint templates --lint

## messages: refresh the zh-hans and en catalogues, then compile them
messages: $(STAMP)
	DEBUG=true $(PY) manage.py makemessages --locale zh_Hans --locale en --ignore '.venv/*' --ignore 'staticfiles/*' --no-obsolete
	DEBUG=true $(PY) manage.py compilemessages --ignore '.venv/*'

worker: $(STAMP)
	$(VENV)/bin/celery -A baotou_carbon worker -l info

beat: $(STAMP)
	$(VENV)/bin/celery -A baotou_carbon beat -l info --scheduler django_celery_beat.schedulers:DatabaseScheduler

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
