# seq2seq와 어텐션 교재 - build and test.
#
#   make book    full book (every chapter executed)     -> _build/html/index.html
#   make quick   quick book (ATTN_BOOK_QUICK=1)          -> _build/quick/_build/html/index.html
#   make test    lint + quick book + full book + every test (unit, claims, book output, browser)
#
# Every target first sets up what it needs, idempotently: Debian packages (tools/ensure_system.sh),
# the .venv from requirements/lock.txt, attn_lib in editable mode, npm assets (npm ci) and the
# vendored copies under book/_assets/vendor (tools/vendor_assets.py).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
JB := $(VENV)/bin/jupyter-book
LOCK := requirements/lock.txt
VENV_STAMP := $(VENV)/.attn-installed
NPM_STAMP := node_modules/.package-lock.json
VENDOR_STAMP := book/_assets/vendor/versions.json
TIMINGS := _build/timings.txt

QUICK_OUT := _build/quick
QUICK_HTML := $(QUICK_OUT)/_build/html
FULL_OUT := .
FULL_HTML := _build/html
# --all re-reads every page (cheap: executed notebooks come from the cache), so warnings of a
# page that failed last time are raised again instead of being hidden by an incremental build.
JB_FLAGS := --all --warningiserror --keep-going
# Two workers (CI has two cores); whole files per worker so session fixtures are built once each.
PYTEST_ARGS ?= -n 2 --dist loadfile
INSTALLER ?= uv

# jupyter-cache keys only on notebook sources: hash what else changes the outputs (the library,
# the pinned packages, and this file's environment variables).
SOURCE_HASH = $(shell find attn_lib \( -name '*.py' -o -name '*.js' -o -name '*.css' \) \
	-not -path '*/__pycache__/*' | LC_ALL=C sort \
	| xargs cat $(LOCK) Makefile | sha256sum | cut -c1-16)

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_NO_INPUT := 1
export UV_LINK_MODE := copy
# TensorFlow's C++ start-up logs (and the oneDNN notice) would otherwise be stderr output in the
# executed notebooks, which the strict build treats as an error.
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Where chapters write the weights files of their in-browser models (book/_ext/webmodels.py
# copies the ones a page names into the site; docs/browser-model.md).
export ATTN_BOOK_WEBMODELS := $(CURDIR)/_build/webmodels
# Plain build logs (Sphinx honours NO_COLOR).
export NO_COLOR := 1

# $(call timed,PHASE): print and record how long the recipe has taken so far (needs t0 set).
define timed
mkdir -p _build; echo "[time] $(1): $$(( $$(date +%s) - t0 )) s" | tee -a $(TIMINGS)
endef

# $(call clear_stale_cache,OUT): drop OUT's execution cache if attn_lib or the lock changed.
define clear_stale_cache
stamp="$(1)/_build/.attn-source-hash"; cache="$(1)/_build/.jupyter_cache"
if [[ -d "$$cache" && "$$(cat "$$stamp" 2>/dev/null)" != "$(SOURCE_HASH)" ]]; then
  echo "attn_lib, $(LOCK) or Makefile changed: clearing $$cache"; rm -rf "$$cache"
fi
mkdir -p "$(1)/_build"; echo "$(SOURCE_HASH)" > "$$stamp"
endef

.PHONY: help setup setup-book system system-browser venv assets book quick test lint lock clean distclean colab-check

help:
	@echo "make book   - set up and build the full book into $(FULL_HTML)"
	@echo "make quick  - set up and build the quick book (ATTN_BOOK_QUICK=1) into $(QUICK_HTML)"
	@echo "make test   - set up, lint, build the quick and the full book, run all tests"
	@echo "make colab-check - run the Colab editions in a Colab-like Python 3.13 venv"
	@echo "make lock   - re-pin requirements/lock.txt and environment.yml from .venv"
	@echo "make clean  - remove build outputs (keeps .venv and node_modules)"

system:
	@t0=$$(date +%s)
	tools/ensure_system.sh
	$(call timed,system)

system-browser:
	@t0=$$(date +%s)
	tools/ensure_system.sh --browser
	$(call timed,system)

venv: $(VENV_STAMP)

$(VENV_STAMP): $(LOCK) pyproject.toml
	@t0=$$(date +%s)
	if [[ ! -x $(PY) ]]; then
	  $(PYTHON) -m venv $(VENV)
	fi
	$(PY) -c 'import sys; v = sys.version_info[:2]; (v != (3, 11)) and print(f"warning: lock is for Python 3.11, venv has {v}")'
	# uv (pinned in the lock) installs the ~130 pinned wheels in parallel: about 1 min instead
	# of 6 with pip. INSTALLER=pip falls back to plain pip.
	if [[ "$(INSTALLER)" == uv ]]; then
	  $(PY) -m pip install --quiet "$$(grep -E '^uv==' $(LOCK))"
	  # --compile-bytecode: the environment sets PYTHONDONTWRITEBYTECODE, so without .pyc files
	  # every kernel would compile TensorFlow's sources again (import 12 s instead of 4 s).
	  $(VENV)/bin/uv pip install --python $(PY) --quiet --compile-bytecode -r $(LOCK)
	  $(VENV)/bin/uv pip install --python $(PY) --quiet --no-deps -e .
	else
	  $(PY) -m pip install --quiet -r $(LOCK)
	  $(PY) -m compileall -q -j 0 $(VENV)/lib > /dev/null
	  $(PY) -m pip install --quiet --no-deps -e .
	fi
	touch $@
	$(call timed,venv)

$(NPM_STAMP): package.json package-lock.json
	@t0=$$(date +%s)
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@
	$(call timed,npm)

$(VENDOR_STAMP): $(NPM_STAMP) $(VENV_STAMP) tools/vendor_assets.py attn_lib/fonts/NanumGothic.ttf
	@t0=$$(date +%s)
	$(PY) tools/vendor_assets.py
	$(call timed,vendor)

assets: $(VENDOR_STAMP)

setup-book: system venv assets

setup: system-browser venv assets

quick: setup-book
	@t0=$$(date +%s)
	$(call clear_stale_cache,$(QUICK_OUT))
	status=0
	ATTN_BOOK_QUICK=1 $(PY) tools/execute_notebooks.py --cache $(QUICK_OUT)/_build/.jupyter_cache
	$(call timed,quick notebooks)
	ATTN_BOOK_QUICK=1 $(JB) build . --path-output $(QUICK_OUT) $(JB_FLAGS) 2>&1 \
	  | tee $(QUICK_OUT)/build.log || status=$$?
	$(call timed,quick build)
	exit $$status

book: setup-book
	@t0=$$(date +%s)
	$(call clear_stale_cache,$(FULL_OUT))
	status=0
	ATTN_BOOK_QUICK=0 $(PY) tools/execute_notebooks.py --cache _build/.jupyter_cache
	$(call timed,full notebooks)
	ATTN_BOOK_QUICK=0 $(JB) build . $(JB_FLAGS) 2>&1 | tee _build/build.log || status=$$?
	$(call timed,full build)
	[[ $$status == 0 ]] && echo "book: $(FULL_HTML)/index.html"
	exit $$status

lint: venv
	@t0=$$(date +%s)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(call timed,lint)

# The full book is built too: its notebooks run the chapters' claim checks at full budget, and
# the tests read what both builds printed.
test: setup lint quick book
	@t0=$$(date +%s)
	status=0
	$(PY) -m pytest $(PYTEST_ARGS) || status=$$?
	$(call timed,pytest)
	exit $$status

# Colab editions (written into the quick build) executed in a Colab-like Python 3.13 venv from
# requirements/colab.txt; .ci/run runs it after `make test`.
colab-check: quick
	@t0=$$(date +%s)
	$(PY) tools/colab_check.py --editions $(QUICK_HTML)/colab
	$(call timed,colab-check)

lock: venv
	{ echo "# Exact versions of every Python package the book is built and tested with (Python 3.11)."
	  echo "# Regenerate with \`make lock\` (pip freeze of .venv, minus the editable attn_lib)."
	  $(PY) -m pip freeze --exclude-editable | sort -f; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	$(PY) tools/sync_environment.py
	touch $(VENV_STAMP)

clean:
	rm -rf _build test-output book/_assets/vendor .pytest_cache

distclean: clean
	rm -rf $(VENV) node_modules
