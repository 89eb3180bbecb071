# Puente — the two commands a newcomer needs:
#   make demo   batch the example cases into out/ (DOCX + PDF + manifest)
#   make test   the test suite
# Both install what they need first (Debian packages, .venv with Python 3.12).

PYTHON ?= $(shell command -v python3.12 || echo python3.12)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test deps venv wheel messages clean

deps:
	@bash scripts/install-system-deps.sh

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

demo: deps venv
	$(BIN)/puente batch examples/ --out out --jobs 2 --today 2026-11-23
	@echo "Open out/EX-0001/es/asylum.pdf; manifest: out/manifest.json"

test: deps venv
	$(BIN)/python -m pytest -q -ra

wheel: venv
	$(BIN)/pip install -q build
	$(BIN)/python -m build --wheel --outdir dist .

# Refresh the message catalogs after adding N_("...") messages in the code.
messages: venv
	$(BIN)/pybabel extract -F translations/babel.cfg -o translations/puente.pot --no-location --omit-header docassemble/puente
	$(BIN)/pybabel update -i translations/puente.pot -d translations -D puente --no-location --omit-header

clean:
	rm -rf out dist build *.egg-info
