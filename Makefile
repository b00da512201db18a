# Two commands do all the set-up: `make demo` and `make test` create .venv and install into it.
# pip installs uv, and uv the project with its pinned dependencies: the same versions pip picks,
# in half the time (37 s instead of 74 s on a 2-core machine). Byte-compiled as pip does: where
# PYTHONDONTWRITEBYTECODE is set, every process would otherwise compile its imports again
# (2-4 s each).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV := uv==0.13.9

.PHONY: demo test lint check-fresh chromium

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip '$(UV)'
	$(BIN)/python -m uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/promiseplan demo

# The browser tests drive Debian's chromium (never a browser downloaded by a test tool).
chromium:
	@command -v chromium >/dev/null || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

# The fast engine is compiled before the test workers start, so that they do not both compile
# it (a few minutes on a new machine, then cached): the engine the tests run and, beside it on
# the second core, the bounds-checked one of tests/integration/test_bounds.py (optimised less:
# only its answers count, and it compiles in 77 s instead of 90 s on a 2-core machine).
test: $(STAMP) chromium
	NUMBA_BOUNDSCHECK=1 NUMBA_OPT=1 NUMBA_CACHE_DIR=$(CURDIR)/.numba_cache/bounds-checked \
	  $(BIN)/python -m tests.warm_up & checked=$$!; \
	NUMBA_CACHE_DIR=$(CURDIR)/.numba_cache $(BIN)/python -m tests.warm_up; plain=$$?; \
	wait $$checked && exit $$plain
	NUMBA_CACHE_DIR=$(CURDIR)/.numba_cache $(BIN)/python -m pytest -n 2 -p no:cacheprovider --durations=15

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
