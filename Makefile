# Two commands do everything on a fresh machine:  make book  and  make test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BUILD  := _build
JB_FLAGS := --warningiserror --nitpick --keep-going

.PHONY: book test serve bench mutation reconstruct references lock clean help chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

help:
	@echo "make book        build the site into $(BUILD)/html"
	@echo "make test        run the whole test suite"
	@echo "make serve       preview the built site on http://127.0.0.1:8000"
	@echo "make bench       time builds and simulations"
	@echo "make reconstruct regenerate the synthetic cohorts in data/*/reconstructed/"
	@echo "make references  re-execute the chapters into tests/notebooks/ and rewrite the findings golden file"
	@echo "make mutation    mutation score of the check families' unit tests"

# The virtual environment, rebuilt whenever a pin changes.
$(STAMP): requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 >/dev/null
	touch $@

# Every file under data/ is validated first (one line per problem, all of them, then exit 2).
# Executed notebooks are cached by jupyter-cache, which only sees a notebook's own
# code; tools/cache_keys.py drops the cached result of every chapter whose src/,
# data/ or pinned requirements changed.
# tools/execute.py then runs the chapters that have no cached execution side by side (one per
# core), into the same cache, so the build itself executes nothing it can find there.
# tools/handouts.py prints each paper chapter's handout to PDF with Chromium, into the downloads
# before Sphinx copies them; with nothing changed it launches no browser.
# A failed build stays failed: on any error or warning the Sphinx environment and the site are
# removed, so the next build reads every page again instead of reusing the broken one.
book: $(STAMP) chromium
	$(BIN)/python -m recheck validate
	$(BIN)/python tools/cache_keys.py
	$(BIN)/python -m recheck export book/_static/downloads
	$(BIN)/python tools/handouts.py book/_static/downloads/handouts
	$(BIN)/python tools/execute.py
	$(BIN)/jupyter-book build . $(JB_FLAGS) || { rm -rf $(BUILD)/.doctrees $(BUILD)/html; exit 1; }
	@echo "$(CURDIR)/$(BUILD)/html/index.html"

# The browser test needs the built site and Debian's Chromium (no browser download).
test: $(STAMP) chromium book
	$(BIN)/python -m pytest

chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

serve: book
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory $(BUILD)/html

bench: $(STAMP)
	$(BIN)/python tools/bench.py

mutation: $(STAMP)
	$(BIN)/python tools/mutation.py

reconstruct: $(STAMP)
	$(BIN)/python -m recheck reconstruct

references: $(STAMP)
	$(BIN)/python tools/references.py

lock:
	rm -rf /tmp/recheck-lock && $(PYTHON) -m venv /tmp/recheck-lock
	/tmp/recheck-lock/bin/pip install --quiet -r requirements.txt
	(echo "# Exact versions of every transitive dependency (pip freeze of a clean install)."; \
	 /tmp/recheck-lock/bin/pip freeze --exclude-editable) > constraints.txt

clean:
	rm -rf $(BUILD)
