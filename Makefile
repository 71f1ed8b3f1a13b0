# oxysim: the two set-up commands of the README, plus helpers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test validate bench lint docs clean

# --no-compile: modules are byte-compiled when first imported, not all of them at install
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-compile -e '.[test,sbml,distributed,web]'
	touch $(STAMP)

## chromium: Debian's Chromium for the browser tests, installed when missing (Playwright drives
## it; `playwright install` would download browsers and is not used)
CHROMIUM := /usr/bin/chromium
AS_ROOT := $(if $(filter 0,$(shell id -u)),,sudo)
$(CHROMIUM):
	$(AS_ROOT) apt-get update -qq
	$(AS_ROOT) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

## demo: run the default scenario, write out/demo.nc and out/demo.png, print a table
demo: $(STAMP)
	$(BIN)/oxysim demo -o out/demo.nc

## test: lint, type-check src/ and run the whole test suite (includes every virtual experiment),
## one pytest worker per core (tests that share a cached run stay in one worker)
test: $(STAMP) $(CHROMIUM)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto --dist loadgroup

## validate: the validation table of all virtual experiments
validate: $(STAMP)
	$(BIN)/oxysim validate --markdown docs/validation.md

## bench: the engine benchmark (10 000 subjects x 24 h) and oxysim against libRoadRunner
bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/vs_roadrunner.py --roadrunner-subjects 1000

## docs: regenerate docs/scenarios.md (from the schema), the sweep-file reference in docs/scale.md
## and the equations in docs/model.md
docs: $(STAMP)
	$(BIN)/python -c 'from oxysim.scenario.reference import refresh_docs; refresh_docs()'
	$(BIN)/python -c 'from oxysim.sweep.reference import refresh_docs; refresh_docs()'
	$(BIN)/python -c 'from oxysim.engine.equations import refresh_docs; refresh_docs()'

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
