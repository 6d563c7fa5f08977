# The two commands a newcomer needs: `make run` and `make test`. Both set themselves up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
PG_URL ?= postgresql://postgres@127.0.0.1:5432/kemala
# Settings that make `manage.py check --deploy` judge the configuration we document for production.
PROD_ENV := DEBUG=false SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	SECURE_SSL_REDIRECT=true SECURE_COOKIES=true SECURE_HSTS_SECONDS=31536000 SECURE_HSTS_PRELOAD=true \
	BEHIND_TLS_PROXY=true \
	ALLOWED_HOSTS=kemala.example.go.id

.PHONY: run test browser lint typecheck checks test-sqlite test-postgres bench messages clean

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Kemala needs Python 3.11 or newer"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

run: $(INSTALLED)
	$(VENV)/bin/kemala run --demo

test: $(INSTALLED) browser lint typecheck checks test-sqlite test-postgres

# The browser tests use Debian's chromium through Playwright (Playwright's own browser download cannot work
# offline). Installed when missing and we may (root with apt-get); otherwise those tests skip and say why.
browser:
	@if command -v chromium >/dev/null; then echo "== chromium: $$(chromium --version 2>/dev/null)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "== installing chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null; \
	else echo "== chromium is not installed and cannot be installed here: browser tests will be skipped"; fi

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(INSTALLED)
	$(VENV)/bin/mypy .

checks: $(INSTALLED)
	KEMALA_TESTING=1 $(PY) manage.py check --fail-level WARNING
	env $(PROD_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	KEMALA_TESTING=1 $(PY) manage.py makemigrations --check --dry-run
	KEMALA_TESTING=1 $(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

test-sqlite: $(INSTALLED)
	@echo "== tests on SQLite"
	$(VENV)/bin/pytest -n 2 -q

test-postgres: $(INSTALLED)
	@if $(PY) -c "import psycopg,sys; psycopg.connect('postgresql://postgres@127.0.0.1:5432/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== tests on PostgreSQL ($(PG_URL))"; \
		DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -n 2 -q; \
	else \
		echo "== PostgreSQL does not answer at 127.0.0.1:5432: the PostgreSQL run is SKIPPED (SQLite run above only)"; \
		if [ -n "$$CI" ]; then echo "CI must have PostgreSQL"; exit 1; fi; \
	fi

bench: $(INSTALLED)
	$(PY) -m bench.run_all

# Gather every app's strings into kemala/locale (LOCALE_PATHS) from the repo root, then compile the .mo that is
# committed. compilemessages runs inside kemala/ so it does not walk into .venv and recompile Django's own catalogs.
MESSAGES_IGNORE := --ignore='.venv/*' --ignore='var/*' --ignore='bench/*' --ignore='tests/*' \
	--ignore='sandbox/*' --ignore='triage/*'
messages: $(INSTALLED)
	KEMALA_TESTING=1 $(PY) manage.py makemessages -l id --no-obsolete $(MESSAGES_IGNORE)
	cd kemala && KEMALA_TESTING=1 ../$(PY) ../manage.py compilemessages -l id
	msgfmt --check-format -o /dev/null kemala/locale/id/LC_MESSAGES/django.po
	@untranslated=$$(msgattrib --untranslated --no-obsolete kemala/locale/id/LC_MESSAGES/django.po | grep -c '^msgid ' || true); \
	fuzzy=$$(msgattrib --only-fuzzy --no-obsolete kemala/locale/id/LC_MESSAGES/django.po | grep -c '^msgid ' || true); \
	echo "== kemala/locale/id: $$untranslated untranslated, $$fuzzy fuzzy"

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
