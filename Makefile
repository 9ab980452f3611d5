# The course's verbs. `make book` builds and serves the course; `make test` runs every test.
# Everything installs into .venv from the package registries (PyPI and npm), pinned.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
JB_FLAGS := -W -n --keep-going

.PHONY: help setup assets build book serve test test-grading lint chromium grading-tools grade bench lock notebooks exercises scorm site pdf-tools handouts clean

help:
	@echo "make book    build the course and serve it on http://$(HOST):$(PORT) (Ctrl-C stops it)"
	@echo "make build   build the course into _build/html without serving it"
	@echo "make serve   serve the last build"
	@echo "make test    install what the tests need and run the whole suite"
	@echo "make grade SUBMISSIONS=folder   mark a folder (or zip) of learners' exercise notebooks"
	@echo "make notebooks  re-execute the book's notebooks after changing code they show"
	@echo "make exercises  regenerate exercises/ from solutions/ (after changing an exercise)"
	@echo "make test-grading  run only the grading tests (sandbox, marking, gradebook, hand-ins)"
	@echo "make bench   print build times and page weight (benchmarks, not tests)"
	@echo "make lock    re-pin every Python package in constraints.txt"
	@echo "make scorm   SCORM 1.2 and 2004 packages of the course for a learning system, in _build/scorm/"
	@echo "make site    a zip of the built site for any web server: _build/dementia-and-housing-site.zip"
	@echo "make handouts  A4 PDFs of the session handouts, forms and certificates, in _build/handouts/"
	@echo "               (PARTICIPANTS=file.csv for the certificates; default: the fictional sample)"
	@echo "make clean   remove the build output (keeps .venv)"

$(STAMP): pyproject.toml constraints.txt
	@echo "==> Installing the course's pinned Python packages into $(VENV) (about a minute the first time)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[course,test]"
	@$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (course)" >/dev/null
	@touch $@
	@echo "    done: $(VENV)"

setup: $(STAMP) assets

assets: $(STAMP)
	@$(BIN)/python scripts/fetch_web_assets.py

build: setup
	@echo "==> Building the book (warnings are errors)"
	@$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo "    built: _build/html/index.html"

serve:
	@test -f _build/html/index.html || { echo "Nothing built yet: run 'make build' or 'make book'"; exit 1; }
	@$(BIN)/python scripts/serve_site.py --host $(HOST) --port $(PORT) --quiet _build/html

book: build serve

chromium:
	@bash scripts/ensure_chromium.sh

lint: $(STAMP)
	@echo "==> ruff (lint and format check)"
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .

# The grading tests need Debian's bubblewrap (the sandbox for learners' code) and PostgreSQL (the
# shared-gradebook test): installed here when we are root with apt-get, as in CI. Otherwise the
# script says what to install, and the tests that need them say why they cannot run.
grading-tools:
	@bash scripts/ensure_grading_tools.sh bubblewrap postgresql || echo "    (carrying on: the grading tests will say what is missing)"

# The handouts' tests read PDFs with Debian's poppler-utils, and certificates need fonts for
# non-Latin names: installed here when we are root with apt-get; otherwise the script says what to
# install, and the handouts' tests fail saying what is missing.
pdf-tools:
	@bash scripts/ensure_pdf_tools.sh || echo "    (carrying on: the handouts' tests will say what is missing)"

test: setup chromium grading-tools pdf-tools lint
	@echo "==> pytest: models, evidence table, notebooks (nbval, strict), book build, browser"
	@$(BIN)/pytest --nbval --nbval-current-env tests book

# Mark learners' exercise notebooks: make grade SUBMISSIONS=incoming (a folder or a zip).
# Extra options go in GRADE_FLAGS, e.g. GRADE_FLAGS="--regrade" (see book/assessors/guide.md).
# Marking needs only the Python install (no web files), so an offline assessor's machine can grade.
grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "Say which submissions to mark: make grade SUBMISSIONS=folder-or-zip"; exit 2; }
	@bash scripts/ensure_grading_tools.sh bubblewrap || true
	@$(BIN)/dementia-housing grade "$(SUBMISSIONS)" $(GRADE_FLAGS)

# Only the grading tests: everything about marking learners' work, without the book or browser.
test-grading: $(STAMP) grading-tools
	@echo "==> pytest: grading tests only"
	@$(BIN)/pytest -m grading tests

exercises: $(STAMP)
	@echo "==> Regenerating exercises/ from solutions/ (nbgrader generate_assignment, throw-away gradebook)"
	@$(BIN)/python scripts/release_exercises.py

notebooks: setup
	@echo "==> Re-executing the book's notebooks in place (outputs and widget state)"
	@$(BIN)/python scripts/execute_notebooks.py

bench: setup chromium grading-tools
	@$(BIN)/python bench/build_and_page_weight.py   # then Lighthouse (npm ci of bench/lighthouse on first use)
	@$(BIN)/python bench/live_tools.py
	@$(BIN)/python bench/grading.py

lock:
	@echo "==> Re-pinning: fresh venv, newest allowed versions, written to constraints.txt"
	@rm -rf /tmp/dh-lock-venv && $(PYTHON) -m venv /tmp/dh-lock-venv
	@/tmp/dh-lock-venv/bin/pip install --quiet --disable-pip-version-check -e ".[course,test]"
	@/tmp/dh-lock-venv/bin/pip freeze --exclude-editable | grep -v '^dementia-housing' > constraints.txt
	@/tmp/dh-lock-venv/bin/python scripts/pin_live_wheels.py
	@echo "    constraints.txt: $$(wc -l < constraints.txt) packages pinned"

# Packages for a learning system (LMS) and a zip for any web server, from the built site (built first if
# needed): one SCO per chapter, the manifest generated from _toc.yml (src/dementia_housing/scorm.py).
_build/html/index.html:
	@$(MAKE) --no-print-directory build

scorm: _build/html/index.html
	@echo "==> SCORM packages of the built course"
	@$(BIN)/dementia-housing scorm _build/html --out _build/scorm

site: _build/html/index.html
	@echo "==> A zip of the built site for any web server"
	@$(BIN)/dementia-housing scorm _build/html --site-zip _build/dementia-and-housing-site.zip

# Handouts: prints the built site (built first when a source is newer) and the certificates.
PARTICIPANTS ?= data/participants-sample.csv
handouts: setup chromium pdf-tools
	@$(BIN)/dementia-housing handouts --participants "$(PARTICIPANTS)" --out _build/handouts

clean:
	rm -rf _build
