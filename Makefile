# Analytics Toolbox Gateway: every target is a thin call of the CLI or pytest.
#
#   make deploy        set up .venv if needed, deploy the catalog (local target by default)
#   make test          unit, contract, live-local and SQL (redshift-local) items
#
# Variables: cloud=redshift modules=a,b functions=x,y diff=1 production=1 dry-run=1 target=local|aws

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Every variable a user may set on the command line. Any other is refused, since make would
# ignore it silently: `make deploy dryrun=1` would deploy for real. Add new ones here.
VARIABLES := cloud modules functions diff production dry-run target sql yes e PYTHON VENV
# A name's spelling key (lower case, no - or _, no plural s) finds what a typo meant.
_lower = $(subst A,a,$(subst B,b,$(subst C,c,$(subst D,d,$(subst E,e,$(subst F,f,$(subst G,g,$(subst \
	H,h,$(subst I,i,$(subst J,j,$(subst K,k,$(subst L,l,$(subst M,m,$(subst N,n,$(subst O,o,$(subst \
	P,p,$(subst Q,q,$(subst R,r,$(subst S,s,$(subst T,t,$(subst U,u,$(subst V,v,$(subst W,w,$(subst \
	X,x,$(subst Y,y,$(subst Z,z,$(1)))))))))))))))))))))))))))
_key = $(patsubst %s,%,$(subst _,,$(subst -,,$(call _lower,$(1)))))
_meant = $(strip $(foreach k,$(VARIABLES),$(if $(filter $(call _key,$(k)),$(call _key,$(1))),$(k))))
_unknown := $(strip $(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $(v))),\
	$(if $(filter $(v),$(VARIABLES)),,$(v)))))
ifneq ($(_unknown),)
_comma := ,
$(error $(foreach v,$(_unknown),unknown variable $(v)$(if $(call _meant,$(v)),; did you mean \
	$(call _meant,$(v))?,.)) Valid: $(subst $(eval) ,$(_comma) ,$(VARIABLES)) (see make help))
endif

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
# With a selection, pytest collects functions/ only: the selected functions' tests, not the engine's.
TEST_PATHS := $(if $(strip $(SELECT)),functions)
DEPLOY_FLAGS := $(SELECT) $(if $(diff),--diff) $(if $(production),--production) \
	$(if $(dry-run),--dry-run) $(if $(target),--target $(target)) $(if $(sql),--sql $(sql))

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
	@echo "  modules=a,b        only these modules (list build deploy status sql remove create-package test*;"
	@echo "                     test* then runs only those functions' tests, not the engine's)"
	@echo "  functions=x,y      only these functions (the same targets)"
	@echo "  diff=1             only functions changed in git (deploy)"
	@echo "  production=1       schema 'carto' instead of {RS_PREFIX}carto; package leaves out development functions"
	@echo "  dry-run=1          print the plan, change nothing (deploy, remove)"
	@echo "  target=local|aws   where to deploy (default: CARTO_TARGET, else local)"
	@echo "  sql=local          deploy: also load the SQL into redshift-local (target=local)"
	@echo "  yes=1              remove: skip the confirmation (required without a terminal)"
	@echo "  e=py312            tox environments (tox)"
	@echo "  PYTHON=python3.12  the interpreter that creates .venv (3.10+; default python3)"
	@echo "  VENV=.venv         where the virtual environment lives"
	@echo "any other variable on the command line is refused (a typo would be ignored by make)"

venv: $(STAMP) ## create .venv and install the project, its dev extras and every function's requirements

# Python 3.10+ only: the interpreter is checked before a .venv is made with it, and a .venv an
# older Python made is rebuilt (its pip ends in a resolver wall, at every run, otherwise).
PY_VERSION_OK := import sys; print("%d.%d" % sys.version_info[:2]); sys.exit(sys.version_info < (3, 10))

$(STAMP): pyproject.toml $(REQUIREMENTS)
	@if test -x $(BIN)/python && ! found=$$($(BIN)/python -c '$(PY_VERSION_OK)' 2>/dev/null); then \
		echo "$(VENV) was made by Python $${found:-(unknown)}, which is unsupported: rebuilding it"; \
		rm -rf $(VENV); \
	fi
	@test -x $(BIN)/python || { \
		found=$$($(PYTHON) -c '$(PY_VERSION_OK)' 2>/dev/null); status=$$?; \
		if test -z "$$found"; then \
			echo "$(PYTHON) was not found or is not Python; set PYTHON=python3.12 (3.10+)" >&2; exit 1; \
		elif test $$status -ne 0; then \
			echo "needs Python 3.10+, found $$found ($(PYTHON)); set PYTHON=python3.12 (3.10+)" >&2; \
			exit 1; \
		fi; \
		$(PYTHON) -m venv $(VENV); \
	}
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' $(addprefix -r ,$(REQUIREMENTS))
	@touch $(STAMP)

lint: venv ## ruff check and format check
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

lint-fix: venv ## ruff fix and format
	$(BIN)/ruff check --fix $(LINT_PATHS)
	$(BIN)/ruff format $(LINT_PATHS)

test: venv ## unit, contract, live and SQL items (SQL on redshift-local with the local target)
	$(PYTEST) -n 2 --deploy --redshift --target $(or $(target),local) $(SELECT) $(TEST_PATHS)

test-unit: venv ## in-process items and the engine's own tests, no deploy
	$(PYTEST) -n 2 $(SELECT) $(TEST_PATHS)

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

deploy: venv ## deploy Lambdas (and SQL when Redshift is configured; sql=local: redshift-local)
	$(CLI) deploy $(DEPLOY_FLAGS)

status: venv ## compare local artifacts with what is deployed
	$(CLI) status $(SELECT) $(if $(production),--production) $(if $(target),--target $(target))

sql: venv ## print the SQL a deploy would run
	$(CLI) sql $(SELECT) $(if $(production),--production)

remove: venv ## remove what this tool deployed (modules=, functions=)
	$(CLI) remove $(SELECT) $(if $(production),--production) $(if $(dry-run),--dry-run) \
		$(if $(target),--target $(target)) $(if $(yes),--yes)

check: venv ## pre-flight checks of credentials, permissions and connectivity
	$(CLI) check $(if $(production),--production)

create-package: venv ## write dist/carto-at-redshift-<version>.zip
	$(CLI) package $(SELECT) $(if $(production),--production)

clean: ## remove build artifacts and caches (keeps .venv and the dependency cache)
	rm -rf .carto/build .carto/pytest dist build .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +

clean-all: clean ## also remove .venv, the local target and the dependency cache
	rm -rf $(VENV) .carto .tox *.egg-info
