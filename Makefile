# Inspection Ledger: `make run` serves the demo on SQLite; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

NODE_STAMP := node_modules/.installed
CHROMIUM := /usr/bin/chromium

.PHONY: install run test lint bench clean chromium screenshots

install: $(STAMP) $(NODE_STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# GOV.UK Frontend's CSS, JS, fonts and images come from the npm package, served by the app.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# The browser tests drive Debian's Chromium (test tools cannot download browsers here).
chromium:
	@if [ ! -x $(CHROMIUM) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

screenshots: install
	$(BIN)/python -m tests.browser.screenshots docs/screenshots

# The demo asks no one for a second factor unless LEDGER_REQUIRE_2FA_ROLES is set (README, Security).
run: install
	$(BIN)/ledger seed-demo
	LEDGER_REQUIRE_2FA_ROLES="$${LEDGER_REQUIRE_2FA_ROLES-}" \
		$(BIN)/ledger serve --host $${HOST:-127.0.0.1} --port $${PORT:-5000}

test: install chromium lint
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check domain adapters projections web tests benchmarks
	$(BIN)/mypy

# Benchmarks of issue 7 on SQLite and PostgreSQL (skipped if it does not answer).
# BENCH_ARGS="--events 1000000" for the full-size log; see README "Benchmarks".
bench: install
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance node_modules .pytest_cache .mypy_cache .ruff_cache
