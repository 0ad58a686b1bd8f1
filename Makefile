# mamnon: `make demo` to try it, `make test` to check it. Both create .venv on first use.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MAMNON := $(VENV)/bin/mamnon
PIP_FLAGS := --disable-pip-version-check --no-input -q
HOST ?= 127.0.0.1:8000
# The demo runs on a day of seed 002's school year 2023-2024 (mamnon.core.clock); DEMO_TODAY= uses the real date.
DEMO_TODAY ?= 2024-05-16

.PHONY: install demo test test-browser bench lint serve clean messages

install: $(VENV)/.installed node_modules/.installed
	@$(PY) -m mamnon.core.compile_messages

$(VENV)/.installed: pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found (set PYTHON=python3)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP_FLAGS) --upgrade pip
	$(PY) -m pip install $(PIP_FLAGS) -c constraints.txt -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make: npm not found: apt-get install npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

demo: install
	$(MAMNON) migrate --noinput -v0
	MAMNON_TODAY=$(DEMO_TODAY) $(MAMNON) demo-data --scale small --replace
	@echo "mamnon: serving http://$(HOST)/  (Ctrl+C to stop; the logins are above)"
	MAMNON_TODAY=$(DEMO_TODAY) $(MAMNON) runserver $(HOST)

lint: install
	$(PY) -m ruff check .

test: install
	$(PY) -m ruff check .
	$(PY) -m pytest -n 2 --dist loadfile -q

bench: install
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) node_modules var

# Update every Vietnamese catalogue from the source (apps with a locale/ directory get their own), then
# translate the new entries and run `make install` to compile them.
messages: install
	cd mamnon && ../$(MAMNON) makemessages -l vi --no-obsolete --no-location --ignore 'node_modules/*'
