# Analytics Toolbox Gateway: every target is a thin call of the CLI or pytest.
#
#   make deploy        set up .venv if needed, deploy the catalog (local target by default)
#   make test          unit, contract and live-local items
#
# Variables: cloud=redshift modules=a,b functions=x,y diff=1 production=1 dry-run=1 target=local|aws

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CLI := $(BIN)/carto-gateway
PYTEST := $(BIN)/pytest
STAMP := $(VENV)/.installed
REQUIREMENTS := $(sort $(wildcard functions/*/*/code/lambda/python/requirements.txt))
LINT_PATHS := engine pytest_carto carto_runtime functions benchmarks tests scripts

cloud ?= redshift
ifneq ($(cloud),redshift)
$(error cloud=$(cloud) is not supported: only cloud=redshift is (or leave it out))
endif

# make's variables -> CLI flags, one place.
SELECT := $(if $(modules),--modules $(modules)) $(if $(functions),--functions $(functions))
DEPLOY_FLAGS := $(SELECT) $(if $(diff),--diff) $(if $(production),--production) \
	$(if $(dry-run),--dry-run) $(if $(target),--target $(target))

# Interpreters for tox: PATH first, then pyenv's versions (whose shims may not expose them).
empty :=
space := $(empty) $(empty)
PYENV_BINS := $(subst $(space),:,$(wildcard $(or $(PYENV_ROOT),$(HOME)/.pyenv)/versions/3.1[0-3].*/bin))

.PHONY: help venv tox lint lint-fix test test-unit test-integration validate list build deploy \
	status sql remove check create-package clean clean-all

help: ## list the targets and variables
	@echo "targets:"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "variables:"
	@echo "  cloud=redshift     the only supported cloud (the default)"
	@echo "  modules=a,b        only these modules"
	@echo "  functions=x,y      only these functions"
	@echo "  diff=1             only functions changed in git (deploy)"
	@echo "  production=1       schema 'carto' instead of {RS_PREFIX}carto; package leaves out development functions"
	@echo "  dry-run=1          print the plan, change nothing (deploy, remove)"
	@echo "  target=local|aws   where to deploy (default: CARTO_TARGET, else local)"

venv: $(STAMP) ## create .venv and install the project, its dev extras and every function's requirements

$(STAMP): pyproject.toml $(REQUIREMENTS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' $(addprefix -r ,$(REQUIREMENTS))
	@touch $(STAMP)

lint: venv ## ruff check and format check
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

lint-fix: venv ## ruff fix and format
	$(BIN)/ruff check --fix $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

test: venv ## unit, contract and live items through the local target
	$(PYTEST) -n 2 --deploy --target $(or $(target),local) $(SELECT)

test-unit: venv ## in-process items and the engine's own tests, no deploy
	$(PYTEST) -n 2 $(SELECT)

test-integration: venv ## live items through the deployed artifacts (+ SQL when Redshift is configured)
	$(PYTEST) -n 2 functions --deploy --redshift --target $(or $(target),local) \
		-m "carto_live or carto_redshift" $(SELECT)

tox: venv ## the test suite under Python 3.10, 3.11, 3.12 and 3.13, and lint
	PATH="$$PATH:$(PYENV_BINS)" $(BIN)/tox $(if $(e),-e $(e))

validate: venv ## validate every function.yaml and cases.yaml
	$(CLI) validate

list: venv ## list functions (modules=, functions=)
	$(CLI) list $(SELECT)

build: venv ## build the Lambda artifacts
	$(CLI) build $(SELECT)

deploy: venv ## deploy Lambdas (and SQL when Redshift is configured)
	$(CLI) deploy $(DEPLOY_FLAGS)

status: venv ## compare local artifacts with what is deployed
	$(CLI) status $(if $(production),--production) $(if $(target),--target $(target))

sql: venv ## print the SQL a deploy would run
	$(CLI) sql $(SELECT) $(if $(production),--production)

remove: venv ## remove what this tool deployed (modules=, functions=)
	$(CLI) remove $(SELECT) $(if $(production),--production) $(if $(dry-run),--dry-run) \
		$(if $(target),--target $(target))

check: venv ## pre-flight checks of credentials, permissions and connectivity
	$(CLI) check $(if $(production),--production)

create-package: venv ## write dist/carto-at-redshift-<version>.zip
	$(CLI) package $(SELECT) $(if $(production),--production)

clean: ## remove build artifacts and caches (keeps .venv and the dependency cache)
	rm -rf .carto/build .carto/pytest dist build .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +

clean-all: clean ## also remove .venv, the local target and the dependency cache
	rm -rf $(VENV) .carto .tox *.egg-info
