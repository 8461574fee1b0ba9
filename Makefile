# The README's commands. `make serve` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8866
# JupyterLab/formgrader's port for `make facilitator`.
LAB_PORT ?= 8867
INNOKRAFT_HOME ?= $(CURDIR)/.innokraft
export INNOKRAFT_HOME
# Parallel test workers; browser tests each start their own server.
WORKERS ?= 2

.PHONY: serve setup test test-scale test-unit test-notebooks test-browser screenshots bench bench-team load load-replicas facilitator lint \
	chromium clean axe-core front constraints

# Everything installs at the versions in constraints.txt (the ones the tests ran with).
$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[facilitator,postgres,test,load]"
	touch $@

setup: $(BIN)/.installed

serve: setup
	$(BIN)/innokraft check
	$(BIN)/innokraft demo --base-url http://127.0.0.1:$(PORT)/
	$(BIN)/innokraft serve --port $(PORT)

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q chromium; \
	  else echo "Chromium is needed for the browser tests: sudo apt-get install -y chromium"; exit 1; fi; }

# ruff, then the import contracts of pyproject.toml (the rooms and their one direction).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

# constraints.txt anew from pyproject.toml, resolved in a fresh environment (then run make test).
constraints:
	rm -rf .venv-constraints && $(PYTHON) -m venv .venv-constraints
	.venv-constraints/bin/pip install --quiet --upgrade pip
	.venv-constraints/bin/pip install --quiet -e ".[facilitator,postgres,test,load]"
	{ echo "# Every package the tests ran with, pinned: \`make setup\` installs with it (pip -c), a test checks"; \
	  echo "# this environment matches it, \`make constraints\` renews it from pyproject.toml."; \
	  .venv-constraints/bin/pip freeze --exclude-editable | grep -v '^innokraft'; } > constraints.txt
	rm -rf .venv-constraints

test: setup chromium lint
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadfile -p no:cacheprovider --durations=15 -m "not scale" tests

# Replicas behind HAProxy with PostgreSQL, one of them killed under load (tests/scale): apart from
# `make test`, as it takes the machine's two cores for a few minutes. CI runs both.
test-scale: setup
	$(BIN)/python -m pytest -p no:cacheprovider -m scale tests/scale

test-unit: setup
	$(BIN)/python -m pytest -q tests/unit

test-notebooks: setup
	$(BIN)/python -m pytest -q -n $(WORKERS) tests/notebooks

test-browser: setup chromium
	$(BIN)/python -m pytest -q -n $(WORKERS) --dist loadfile tests/browser

# Every page whole, in every language and size, in test-output/accessibility/ (for a person's eye).
screenshots: setup chromium
	$(BIN)/python -m pytest -q -n $(WORKERS) --dist loadfile --full-pages tests/browser/test_every_page.py tests/browser/test_team_session.py

bench: setup chromium
	$(BIN)/python -m benchmarks.run

# Thirty team members answer a leader's team session within a minute, on SQLite and on
# PostgreSQL with two servers: form load, the leader's aggregate delay, the server's CPU and
# memory (benchmarks/team.py; test-output/bench/team.json).
bench-team: setup chromium
	$(BIN)/python -m benchmarks.team

# A hundred leaders at once, at the protocol level (benchmarks/load.py): evenly over two minutes,
# then as a burst after one e-mail; each on a server of its own. test-output/load/ keeps the
# figures (JSON, markdown, PNG). LOAD_ARGS=... passes more (e.g. --leaders 20 --within 30).
LOAD_PROFILES ?= steady burst
LOAD_ARGS ?=
load: setup
	@for profile in $(LOAD_PROFILES); do \
	  $(BIN)/python -m benchmarks.load --profile $$profile $(LOAD_ARGS) || exit 1; done

# The same leaders through HAProxy to two replicas on one PostgreSQL (tests/helpers/replicas.py);
# the reports are test-output/load/replicas-<profile>.*.
load-replicas: setup
	@for profile in $(LOAD_PROFILES); do \
	  $(BIN)/python -m benchmarks.load --profile $$profile --replicas 2 --name replicas-$$profile $(LOAD_ARGS) \
	  || exit 1; done

# The course page's widget front-end (widgets/page_front) is committed built, so serving and
# testing need no Node; after changing its sources, this rebuilds it (Node 18+, npm).
front:
	cd widgets/page_front && npm ci --no-audit --no-fund && node build.mjs

# axe-core for the browser tests is vendored (MPL-2.0) in tests/browser/vendor/axe-core;
# this refreshes it from npm at a pinned version.
AXE_CORE_VERSION ?= $(shell cat tests/browser/vendor/axe-core/VERSION)
axe-core:
	cd $$(mktemp -d) && npm pack --silent axe-core@$(AXE_CORE_VERSION) >/dev/null && tar xzf axe-core-*.tgz && \
	  cp package/axe.min.js package/LICENSE $(CURDIR)/tests/browser/vendor/axe-core/ && \
	  node -p 'require("./package/package.json").version' > $(CURDIR)/tests/browser/vendor/axe-core/VERSION

clean:
	rm -rf $(VENV) test-output .pytest_cache

# The course and formgrader together, in one terminal (Ctrl-C stops both).
facilitator: setup
	$(BIN)/innokraft session --port $(PORT) --lab-port $(LAB_PORT)
