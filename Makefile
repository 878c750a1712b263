# edu-policy-kg — `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT ?= out
SITE ?= site

.DEFAULT_GOAL := help
.PHONY: help install build site serve test lint format bench clean

help: ## Show this list of targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

install: $(STAMP) ## Create .venv and install the project with its dev tools

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

build: install ## Build the graph from seeds/ into out/, validate it, print a summary
	$(BIN)/kg build seeds --out $(OUT)

site: build ## Publish the built graph as a static linked-data site in site/
	$(BIN)/kg publish --from $(OUT) --out $(SITE)

serve: install ## Serve the SPARQL endpoint and site/ with content negotiation (after make site)
	$(BIN)/kg serve --out $(OUT) --site $(SITE)

test: install ## Run the whole test suite
	$(BIN)/pytest

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install ## Benchmark on a synthetic corpus (DOCS=2000); prints figures, not a test
	$(BIN)/python bench/run.py --docs $(or $(DOCS),2000)

clean: ## Remove build outputs, the site and caches (keeps .venv)
	rm -rf $(OUT) $(SITE) test-artifacts .pytest_cache .ruff_cache build *.egg-info
