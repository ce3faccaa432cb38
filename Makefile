# The two commands of the README:
#   make demo   set up a fresh clone, load demo data and serve LiMon on http://127.0.0.1:8585
#   make test   install and run the whole test suite (SQLite unless DATABASE_URL is set)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8585
PYTEST_ARGS ?= -n 2

.PHONY: demo test serve install install-dev migrate lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt

var/secret_key:
	mkdir -p var
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	chmod 600 var/secret_key

migrate: install var/secret_key
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py create_signing_key --if-missing

demo: migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py poll_servers
	$(BIN)/python manage.py create_admin --username admin
	$(MAKE) serve

serve:
	PORT=$(PORT) ./scripts/serve.sh

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var staticfiles
