# Rapor: `make demo` runs the product on demo data, `make test` runs the tests.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export RAPOR_HOME ?= $(CURDIR)/var
PORT ?= 8000
# The app database the tests also run on, besides the embedded SQLite.
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.PHONY: demo install spark data serve serve-prod browser libreoffice js-tools echarts test test-fast lint lock bench bench-web bench-xlsx

demo: data
	$(BIN)/rapor summary
	$(MAKE) serve

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	cd src/rapor/web && $(CURDIR)/$(BIN)/rapor web compilemessages -v0
	touch $@

data: install
	$(BIN)/rapor synth --scale national --inject-errors 40
	$(BIN)/rapor build

# The web app on http://127.0.0.1:$(PORT) over the active release, with the demo accounts.
serve: install
	$(BIN)/rapor web migrate --noinput -v0
	$(BIN)/rapor web collectstatic --noinput -v0
	$(BIN)/rapor web seed_demo_accounts
	$(BIN)/rapor web seed_demo_help
	$(BIN)/gunicorn rapor.web.wsgi --bind 127.0.0.1:$(PORT) --workers 3 --access-logfile -

# The production configuration (docs/deploy.md) on this machine, over plain http on
# http://127.0.0.1:$(PORT): PostgreSQL database `rapor` on 127.0.0.1, Redis, JSON logs, no demo
# accounts. The secret key is made once into $RAPOR_HOME (never the repository) unless set.
PROD_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/rapor
serve-prod: export DATABASE_URL ?= $(PROD_DATABASE_URL)
serve-prod: export REDIS_URL ?= redis://127.0.0.1:6379/0
serve-prod: export SECURE_SSL_REDIRECT ?= false
serve-prod: export HOST := 127.0.0.1
serve-prod: export PORT := $(PORT)
serve-prod: install
	psql "$(DATABASE_URL)" -c 'select 1' >/dev/null 2>&1 || \
		createdb -h 127.0.0.1 -U postgres "$(notdir $(DATABASE_URL))"
	test -s "$(RAPOR_HOME)/secret_key" || (umask 077 && mkdir -p "$(RAPOR_HOME)" && \
		$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))' \
		> "$(RAPOR_HOME)/secret_key")
	export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat "$(RAPOR_HOME)/secret_key")}" \
		DJANGO_SETTINGS_MODULE=rapor.web.settings.production && \
	$(BIN)/rapor web migrate --noinput -v0 && \
	$(BIN)/rapor web collectstatic --noinput -v0 && \
	exec $(BIN)/gunicorn -c python:rapor.web.gunicorn_conf

# pyspark and SQLGlot for `rapor build --engine spark` (Spark runs on the machine's Java 17).
spark: $(VENV)/.spark-installed

$(VENV)/.spark-installed: $(VENV)/.installed requirements-spark.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements-spark.lock
	touch $@

# Debian's chromium for the browser tests (Playwright drives it; nothing is downloaded by it).
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

# LibreOffice Calc, headless, for the test that opens a downloaded workbook outside Excel.
libreoffice:
	command -v soffice >/dev/null || (apt-get update -qq && \
		apt-get install -y -qq --no-install-recommends libreoffice-calc)

# The JavaScript tools of package.json (never served): axe-core for the accessibility tests,
# echarts and esbuild for `make echarts`. `npm ci` of package-lock.json into node_modules/
# (git-ignored), again whenever the lock file changes.
js-tools: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm)
	npm ci --no-audit --no-fund --silent
	touch $@

# The vendored ECharts: a bundle of only the charts rapor.js draws (static/vendor/README.md).
echarts: js-tools
	npm run --silent build:echarts

# One pytest worker per core (pytest-xdist), a whole test file per worker: a file's module and
# session fixtures (the national build, the Spark session, a gunicorn) are made once.
PARALLEL = -n auto --dist loadfile

test: install spark lint browser libreoffice js-tools
	$(BIN)/pytest $(PARALLEL)
	DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest tests/web -q $(PARALLEL)

test-fast: install js-tools
	$(BIN)/pytest -m "not national and not spark" $(PARALLEL)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# requirements-spark.lock holds the `spark` extra on top of (and pinned like) requirements.lock.
lock: install
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--quiet -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra spark --generate-hashes \
		--python-version 3.11 --quiet -c requirements.lock -o requirements-spark.lock

bench: install
	$(BIN)/python benchmarks/pipeline.py

bench-web: install
	$(BIN)/python benchmarks/web.py

bench-xlsx: install
	$(BIN)/python benchmarks/xlsx.py
