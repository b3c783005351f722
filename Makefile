# Every target calls the one entry point, `python -m pipeline`; `make help` lists them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STORE  ?= sample
RUN    := $(PY) -m pipeline --store $(STORE)
ARGS   ?=

.DEFAULT_GOAL := help
.PHONY: help install demo test lint pull

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed ## create .venv and install the project and its test tools into it

demo: install ## run every stage end to end, offline, on the bundled sample, with a summary
	$(RUN) demo

test: install ## lint, then run the test suite (offline; HTTP is replayed from cassettes)
	$(PY) -m ruff check pipeline tests catalog_samples
	$(PY) -m pytest

pull: install ## read the catalogue: store if SHOPIFY_STORE is set, else CSV=path, else the sample
	$(RUN) pull $(if $(CSV),--csv $(CSV)) $(if $(SINCE),--since $(SINCE)) $(ARGS)

.PHONY: links bench-links
links: install ## suggest internal links between related products and collections (ORDERS=orders_export.csv adds "bought together")
	$(RUN) links $(if $(ORDERS),--orders $(ORDERS)) $(ARGS)

bench-links: install ## measure the link graph on the sample (orphans, inbound spread) and a 100k catalogue's wall time
	$(PY) benchmarks/bench_links.py $(ARGS)

.PHONY: audit audit-eval bench-audit
audit: install ## audit the catalogue: duplicates, near-duplicates, generic/thin copy, SEO fields -> audit.parquet/.csv/.html
	$(RUN) audit $(if $(THRESHOLD),--threshold $(THRESHOLD)) $(ARGS)

audit-eval: install ## score the audit against the sample's planted flaws (precision/recall per flaw type)
	$(PY) benchmarks/audit_eval.py $(ARGS)

bench-audit: install ## time the audit on 100,000 products and check LSH near-duplicate recall against all pairs
	$(PY) benchmarks/bench_audit.py $(ARGS)

.PHONY: keywords bench-keywords
keywords: install ## target keywords per product and locale -> targets.parquet (KEYWORDS="Queries.csv ahrefs_fr.csv:fr")
	$(RUN) keywords $(foreach k,$(KEYWORDS),--keywords $(k)) $(ARGS)

bench-keywords: install ## primary uniqueness, query coverage and WANDS assignment on the sample, 100k timing -> workspace/bench/keywords.json
	$(PY) benchmarks/bench_keywords.py $(ARGS)
