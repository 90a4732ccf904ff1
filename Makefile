# Key Cities Hub. Two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
export PYTHONDONTWRITEBYTECODE := 1
# Many small numerical fits (pilot evaluations, survey weights) run slower with a BLAS thread pool on a few cores.
export OPENBLAS_NUM_THREADS ?= 1

PORT ?= 8000

.PHONY: run test setup gettext fonts pango browser lint typecheck pytest e2e bench openapi messages clean

# Welsh catalogues (one per app, plus keycities/locale for the shared templates), compiled by msgfmt.
PO_FILES := $(wildcard keycities/locale/cy/LC_MESSAGES/django.po keycities/*/locale/cy/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

keycities/static/build/hub.css: node_modules/.installed scripts/build-assets.mjs $(wildcard assets/scss/*.scss)
	npm run --silent build

# GNU gettext compiles the Welsh catalogues and finds the strings marked for translation.

gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  echo "Installing GNU gettext (apt-get install gettext)"; \
	  (apt-get install -y -qq gettext >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)) \
	  || { echo "make: GNU gettext is missing: install it with 'apt-get install gettext' (or your system's gettext package)"; exit 1; }; }

%.mo: %.po | gettext
	msgfmt --check -o $@ $<

# DejaVu Sans for PDFs: the PDF standard fonts have no ŵ or ŷ, which Welsh needs (keycities/core/pdf.py).
# The italic faces (DejaVuSans-Oblique) are in fonts-dejavu-extra.
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf -a -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf || { \
	  echo "Installing DejaVu fonts for PDFs (apt-get install fonts-dejavu-core fonts-dejavu-extra)"; \
	  (apt-get install -y -qq fonts-dejavu-core fonts-dejavu-extra >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq fonts-dejavu-core fonts-dejavu-extra >/dev/null)) \
	  || { echo "make: DejaVu fonts are missing: install them with 'apt-get install fonts-dejavu-core fonts-dejavu-extra'"; exit 1; }; }

# Pango and HarfBuzz's subsetter for the PDF engine (WeasyPrint): Debian's libpango-1.0-0, libpangoft2-1.0-0 and
# libharfbuzz-subset0, installed when missing.
pango:
	@sh scripts/ensure-pango.sh

setup: $(BIN)/.installed keycities/static/build/hub.css $(MO_FILES) | fonts pango
	mkdir -p var

# Debian's Chromium for the browser journeys: installed when missing and possible, else one line saying what to do.
browser:
	@sh scripts/ensure-browser.sh

# Serve the Hub at http://127.0.0.1:8000 (PORT=...) on the embedded SQLite database, with a task worker
# and the scheduler of periodic tasks beside the web server; Ctrl-C stops all three.
run: setup
	DEBUG=1 $(PY) manage.py migrate --no-input -v0
	DEBUG=1 $(PY) manage.py load_network
	DEBUG=1 $(PY) manage.py import_statistics
	DEBUG=1 $(PY) manage.py load_claims
	DEBUG=1 $(PY) manage.py load_engagement
	DEBUG=1 $(PY) manage.py import_population
	DEBUG=1 $(PY) manage.py rebuild_search_index --embed
	@echo "Serving http://127.0.0.1:$(PORT) with a task worker and the task scheduler beside it."
	@trap 'kill $$(jobs -p) 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py db_worker & \
	DEBUG=1 $(PY) manage.py schedule_tasks --loop & \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

pytest: setup browser
	$(BIN)/pytest

# The whole suite: lint, types, unit and integration tests, browser journeys.
test: lint typecheck pytest

e2e: setup browser
	$(BIN)/pytest -m e2e

$(VENV)/.bench-installed: $(BIN)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	touch $@

# Import and API benchmarks against baselines measured in the same run; rewrites docs/benchmarks.md.
bench: setup $(VENV)/.bench-installed
	$(PY) -m benchmarks

# Refresh the Welsh catalogues after adding or changing strings; then translate the new entries.
messages: setup gettext
	cd keycities && DJANGO_SETTINGS_MODULE=keycities.settings_test ../$(PY) -m django makemessages -l cy \
	  --no-obsolete --add-location file -i "tests/*" -i "static/*"

openapi: setup
	UPDATE_SNAPSHOTS=1 $(BIN)/pytest keycities/tests/test_openapi.py -q

clean:
	rm -rf $(VENV) node_modules keycities/static/build var
