# `make run` serves the portal; `make test` runs the whole suite. Both set up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app portal

.PHONY: install build run test serve bench lint translations clean

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -U pip
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed

build: install
	$(FLASK) i18n compile
	$(FLASK) search build --if-stale

# The development server logs nothing about requests; PUBLIC_URL is http://127.0.0.1:$(PORT).
run: build
	PORT=$(PORT) $(BIN)/python -m portal.serve

# Production behind nginx (never exposed directly): needs PORTAL_PUBLIC_URL=https://…
serve: build
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py 'portal:create_app()'

test: build node_modules/.installed
	$(BIN)/python -m pytest -n auto

lint: install
	$(BIN)/ruff check portal tests bench

# Fails when the extracted templates are out of date with the source.
translations: install
	$(FLASK) i18n extract
	git diff --exit-code -- translations/messages.pot translations/content.pot

bench: build
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules build translations/*/LC_MESSAGES/*.mo
