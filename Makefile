# Puente — the two commands a newcomer needs:
#   make demo   batch the example cases into out/ (DOCX + PDF + manifest)
#   make test   the test suite (after `make lint`: ruff and mypy)
# Both install what they need first (Debian packages, .venv with Python 3.12).

PYTHON ?= $(shell command -v python3.12 || echo python3.12)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: bench demo test lint docs deps venv docassemble wheel messages interview-translations clean

deps:
	@bash scripts/install-system-deps.sh

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# docassemble.base (the interview engine the interview tests run in-process),
# dayamlchecker, and the Debian packages and NLTK data they need.
docassemble: venv
	@PUENTE_DOCASSEMBLE=webapp bash scripts/install-docassemble.sh

demo: deps venv
	$(BIN)/puente batch examples/ --out out --jobs 2 --today 2026-11-23
	@echo "Open out/EX-0001/es/asylum.pdf; manifest: out/manifest.json"

# The end-to-end tests need the server's packages (docassemble.webapp,
# Chromium, Selenium…) installed before pytest collects them, or the browser
# tests would skip; the server itself is started by the tests' fixture.
# Lint first: it fails in seconds, before the long installs.
test: deps venv lint docassemble
	@bash scripts/server/install.sh
	$(BIN)/python -m pytest -q -ra --durations=15

# Lint and types (settings in pyproject.toml): ruff over the whole tree,
# mypy over the package. `$(BIN)/ruff check --fix .` sorts imports.
lint: venv
	$(BIN)/ruff check .
	$(BIN)/mypy

# The generated parts of docs/ (the case record's fields, the deadline rules,
# the calendar), after changing model.py or law/. tests/test_docs.py checks them.
docs: venv
	$(BIN)/python -m docassemble.puente.docgen

# The batch benchmark (issue 15): Puente against the bare LibreOffice
# converters and one LibreOffice per document; writes bench/results.json.
# Not part of `make test` (a 2-case smoke run is). BENCH_CASES=N to scale.
BENCH_CASES ?= 30
bench: deps venv
	$(BIN)/python bench/bench.py --cases $(BENCH_CASES) --jobs 2

wheel: venv
	$(BIN)/pip install -q build
	$(BIN)/python -m build --wheel --outdir dist .

# Refresh the message catalogs after adding N_("...") messages in the code.
messages: venv
	$(BIN)/pybabel extract -F translations/babel.cfg -o translations/puente.pot --no-location --omit-header docassemble/puente
	$(BIN)/pybabel update -i translations/puente.pot -d translations -D puente -w 100

# Add new interview phrases to translations/puente-en.xlsx (a translator
# fills the tr_text column); drops phrases no interview uses any more.
interview-translations: docassemble
	$(BIN)/python scripts/update-interview-translations.py

clean:
	rm -rf out dist build *.egg-info

# A local docassemble server with Puente (PostgreSQL, Redis, RabbitMQ, Celery,
# unoserver, gunicorn) on 127.0.0.1, all state in .state/; see docs/server.md.
# Prints the intake URL and where the admin password is. Running it again is
# harmless; `make stop` stops exactly what it started.
.PHONY: serve stop loadtest
serve: deps venv
	@bash scripts/server/serve.sh

# 20 simulated lawyers at once through the asylum interview (REST API, on
# 127.0.0.1 only) against `make serve`; writes docs/loadtest.md. Not part of
# `make test` (which runs a 3-lawyer smoke run). `make stop` afterwards.
loadtest: serve
	$(BIN)/python -m tests.e2e.load --users $${USERS:-20} --write docs/loadtest.md

stop:
	@bash scripts/server/stop.sh
