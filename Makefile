# Every target calls the one entry point, `python -m pipeline`; `make help` lists them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STORE  ?= sample
# A store name is one word (letters, digits, '.', '_' or '-'): an empty STORE= is an error, never the sample, and a
# name with a space is refused (when a target runs the pipeline) rather than split into stray arguments. It reaches
# the pipeline quoted.
STORE_NAME = $(if $(filter 1,$(words $(STORE))),$(subst ','\'',$(STORE)),$(error STORE='$(STORE)': a store name is one word of letters, digits, '.', '_' or '-', like STORE=my-shop; leave STORE out for the bundled sample))
PIPELINE = $(PY) -m pipeline --store '$(STORE_NAME)'
# Messages then name the next command as `make pull`, not `seo-pipeline pull` (pipeline/commands.py).
export SEO_PIPELINE_VIA_MAKE := 1
ARGS   ?=

.DEFAULT_GOAL := help
.PHONY: help install demo test pull bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed ## create .venv and install the project and its test tools into it

demo: install ## run every stage end to end, offline, on the bundled sample, with a summary
	$(PIPELINE) demo

bench: install ## every benchmark in one run, then one table of the figures and their targets (workspace/bench/*.json)
	$(PY) benchmarks/summary.py --run

test: install browser ## lint, then run the test suite (offline; HTTP is replayed from cassettes)
	$(PY) -m ruff check pipeline tests benchmarks catalog_samples
	$(PY) -m mypy
	$(PY) -m pytest

pull: install ## read the catalogue: store if SHOPIFY_STORE is set, else CSV=path (TRANSLATIONS=its translation export), else the sample
	$(PIPELINE) pull $(if $(CSV),--csv $(CSV)) $(if $(TRANSLATIONS),--translations $(TRANSLATIONS)) $(if $(SINCE),--since $(SINCE)) $(ARGS)

.PHONY: bench-shopify
bench-shopify: install ## pull 100k products (3 variants) and push 1,200 updates against the Shopify double -> workspace/bench/shopify.json
	$(PY) benchmarks/bench_shopify.py $(ARGS)

.PHONY: links bench-links
links: install ## suggest internal links between related products and collections (ORDERS=orders_export.csv adds "bought together")
	$(PIPELINE) links $(if $(ORDERS),--orders $(ORDERS)) $(ARGS)

bench-links: install ## measure the link graph on the sample (orphans, inbound spread) and a 100k catalogue's wall time
	$(PY) benchmarks/bench_links.py $(ARGS)

.PHONY: audit audit-eval bench-audit
audit: install ## audit the catalogue: duplicates, near-duplicates, generic/thin copy, SEO fields -> audit.parquet/.csv/.html
	$(PIPELINE) audit $(if $(THRESHOLD),--threshold $(THRESHOLD)) $(ARGS)

audit-eval: install ## score the audit against the sample's planted flaws (precision/recall per flaw type)
	$(PY) benchmarks/audit_eval.py $(ARGS)

bench-audit: install ## time the audit on 100,000 products and check LSH near-duplicate recall against all pairs
	$(PY) benchmarks/bench_audit.py $(ARGS)

.PHONY: keywords bench-keywords
keywords: install ## target keywords per product and locale -> targets.parquet (KEYWORDS="Queries.csv ahrefs_fr.csv:fr")
	$(PIPELINE) keywords $(foreach k,$(KEYWORDS),--keywords $(k)) $(ARGS)

bench-keywords: install ## primary uniqueness, query coverage and WANDS assignment on the sample, 100k timing -> workspace/bench/keywords.json
	$(PY) benchmarks/bench_keywords.py $(ARGS)

.PHONY: review review-report review-export review-import bench-review review-screenshots browser
review: install ## review drafts in the browser at 127.0.0.1:PORT ([review] port, 8765): diffs, approve / edit / reject; NO_BROWSER=1 to not open one
	$(PIPELINE) review $(if $(PORT),--port $(PORT)) $(if $(NO_BROWSER),--no-browser) $(if $(REVIEWER),--reviewer "$(REVIEWER)") $(ARGS)

review-report: install ## one static HTML file of every draft's diff, for readers -> review_report.html
	$(PIPELINE) review-report $(ARGS)

review-export: install ## every draft and its decision to CSV for spreadsheet reviewers (CSV=decisions.csv)
	$(PIPELINE) review --export $(or $(CSV),workspace/$(STORE)/decisions.csv) $(ARGS)

review-import: install ## record the decisions filled in a CSV from review-export (CSV=decisions.csv)
	$(PIPELINE) review --import $(or $(CSV),workspace/$(STORE)/decisions.csv) $(ARGS)

bench-review: install ## time the review list page over 10,000 drafts -> workspace/bench/review.json
	$(PY) benchmarks/bench_review.py $(ARGS)

review-screenshots: install browser ## retake the README's review screenshots from workspace/$(STORE) (on a copy) -> docs/screenshots/
	$(PY) tests/e2e/review_screenshots.py --store $(STORE)

browser: ## install Debian's chromium for the browser test when it is missing (Playwright's own download is not used)
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || \
	  { command -v apt-get >/dev/null 2>&1 && apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || \
	  echo "browser: chromium is not installed and apt-get cannot install it; the browser test will be skipped"

.PHONY: generate bench-generate
generate: install ## draft copy per product and locale into state.db (ARGS="--all | --only IDS | --limit N | --locales en,fr"; MODE=live|batch with OpenAI)
	$(PIPELINE) generate $(if $(MODE),--mode $(MODE)) $(ARGS)

.PHONY: bench-quality
bench-quality: install ## the content gates on 669 labelled drafts (12 families, en/fr/de/es), then the offline writer on 4 catalogues -> workspace/bench/quality.json
	$(PY) benchmarks/bench_quality.py $(ARGS)

bench-generate: install ## offline generation of the sample twice: pass rate, duplicates, re-run calls and time -> workspace/bench/generate.json
	$(PY) benchmarks/bench_generate.py $(ARGS)

.PHONY: estimate bench-scale
estimate: install ## requests, tokens (tiktoken) and cost of the next generate run, live and batch, before spending (ARGS as generate)
	$(PIPELINE) estimate $(ARGS)

bench-scale: install ## 2,400 requests against the local OpenAI-compatible server at 3,000 RPM / 2M TPM, live and batch -> workspace/bench/scale.json
	$(PY) benchmarks/bench_scale.py $(ARGS)

.PHONY: push rollback reoptimise
push: install ## send approved drafts to the store (no SHOPIFY_STORE: an import CSV in exports/); DRY_RUN=1 prints what would change
	$(PIPELINE) push $(if $(DRY_RUN),--dry-run) $(ARGS)

rollback: install ## restore what a push replaced, where the store still holds our values, and delete its redirects (RUN=ID, default the latest push; DRY_RUN=1 previews)
	$(PIPELINE) rollback $(if $(RUN),--run $(RUN)) $(if $(DRY_RUN),--dry-run) $(ARGS)

reoptimise: install ## pull what changed since the last pull, then audit, keywords and drafts for new/changed products only (CSV=fresh export); never pushes
	$(PIPELINE) reoptimise $(if $(CSV),--csv $(CSV)) $(ARGS)

.PHONY: reliability
reliability: install ## crash (SIGKILL), provider/store fault, hostile-input, secrets and review-app security cases, slow ones too: table + workspace/bench/reliability.json
	$(PY) benchmarks/reliability.py $(ARGS)
