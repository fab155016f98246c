# Two commands: `make run` serves the demo, `make test` runs every test.
# Both set up what they need on a fresh machine with Python 3.11 and make.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := FLASK_APP=wsgi.py $(BIN)/flask
PYBABEL := $(BIN)/pybabel
LOCALES := da sv nb nn fi is

.PHONY: run test setup translations compile-translations migrate bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed compile-translations

compile-translations: $(VENV)/.installed
	@$(PYBABEL) compile --use-fuzzy -d translations -D messages --statistics 2>&1 | grep -v "^compiling" || true

# Extract new strings, merge them into every catalogue, compile.
translations: $(VENV)/.installed
	$(PYBABEL) extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 -k _lp:1c,2 --omit-header -o translations/messages.pot .
	@for locale in $(LOCALES); do \
	  if [ -f translations/$$locale/LC_MESSAGES/messages.po ]; then \
	    $(PYBABEL) update -i translations/messages.pot -d translations -l $$locale --no-fuzzy-matching; \
	  else \
	    $(PYBABEL) init -i translations/messages.pot -d translations -l $$locale; \
	  fi; \
	done
	$(MAKE) compile-translations

migrate: setup
	$(FLASK) db upgrade

run: migrate
	$(FLASK) demo load
	@echo "Serving on http://127.0.0.1:5000 (mail is printed by the worker below)"
	@$(FLASK) outbox work & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(FLASK) run --host 127.0.0.1 --port 5000

# The outside checkers of the browser tests (W3C Nu, IBM Equal Access), pinned in
# package.json and package-lock.json, into node_modules/ (ignored by git). No install
# scripts: vnu-jar's would download a Java; the machine's Java 17 runs vnu.jar.
# Without npm the tests skip those checks (and fail where browser tests are required).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else \
	  echo "npm not found: the W3C Nu HTML and IBM Equal Access checks cannot be installed"; \
	fi

test: setup node_modules/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) instance .pytest_cache
