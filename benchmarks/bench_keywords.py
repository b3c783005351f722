"""make bench-keywords: keyword targeting measured on the sample, on real WANDS queries, and at 100,000 products.

Writes workspace/bench/keywords.json:
- primary_shared (target 0): (locale, keyword) pairs that are the primary of more than one product, compared
  both as written and by the stage's cannibalisation key (sorted word stems); products_without_primary (target 0).
- coverage (target >= 0.9): share of the sample GSC export's queries with impressions that a page targets: a
  product (primary or secondary) or, for a category query, the collection page it was given
  (docs/collections.md#category-queries), among the queries for which a relevant product exists (the stage's match
  rule); coverage_all_queries: the same share over every query with impressions, relevant or not;
  coverage_products: products only; queries_on_collections: the queries with impressions given to collections
  (none of them is a product's keyword).
- wands_assigned_share: the 480 real home-goods search queries of WANDS (../shared/data/wands/query.csv, read in
  place, never copied) used as a second keyword list for en beside the GSC export; the share of them given to
  some product as primary or secondary. 20 seeded random query -> product title assignments are printed and
  saved for a person to judge.
- keywords_<n>k_wall_s and keywords_<n>k_cpu_s: the keywords stage on an n-product catalogue from the sample
  generator with a generated GSC export, four locales; pulling it is not part of the figures. CPU seconds are
  reported beside wall time because on a shared machine the wall time also measures the neighbours.
- keywords_<n>k_peak_rss_mb (target <= 1,500 at 100k): the stage runs in a child process of its own (the CLI's
  `keywords` command in a fresh interpreter), and this is that process's peak resident memory (VmHWM).
  peak_rss_mb is this benchmark process's own peak (the pull of the large catalogue and the sample runs).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.cli import main  # noqa: E402
from pipeline.config import SAMPLE_KEYWORDS  # noqa: E402
from pipeline.core.catalog import read_catalog  # noqa: E402
from pipeline.stages.keywords.assignment import FIELD_WEIGHTS, keyword_key, locale_fields  # noqa: E402
from pipeline.stages.keywords.files import KeywordFile, KeywordRecord, clean_keyword, read_keyword_file  # noqa: E402
from pipeline.stages.keywords.relevance import RelevanceIndex  # noqa: E402
from pipeline.stages.keywords.stage import build_targets, catalog_profiles  # noqa: E402
from pipeline.state.store import StateStore  # noqa: E402
from pipeline.workspace import write_json_atomic  # noqa: E402

BENCH = ROOT / "workspace" / "bench"
SAMPLE_CSV = ROOT / "catalog_samples" / "products.csv"
WANDS_QUERIES = ROOT.parent / "shared" / "data" / "wands" / "query.csv"
LOCALES = ["en", "fr", "de", "es"]


def run(store: str, *args: str) -> None:
    code = main(["--workspace", str(BENCH), "--store", store, *args])
    if code != 0:
        raise SystemExit(f"bench-keywords: `{' '.join(args)}` failed with exit code {code}")


def shared_primaries(targets: pd.DataFrame) -> dict[str, int]:
    primary = targets[targets.role == "primary"].copy()
    primary["key"] = [keyword_key(k, loc) for k, loc in zip(primary.keyword, primary.locale, strict=True)]
    as_written = primary.groupby(["locale", "keyword"]).size()
    by_key = primary.groupby(["locale", "key"]).size()
    return {"primary_shared": int((as_written > 1).sum()), "primary_shared_by_stem_key": int((by_key > 1).sum())}


def bench_sample() -> dict[str, object]:
    store = "keywords-sample"
    run(store, "pull", "--csv", str(SAMPLE_CSV))
    started = time.monotonic()
    run(store, "keywords", "--keywords", f"{SAMPLE_KEYWORDS}:en")
    wall = time.monotonic() - started
    root = BENCH / store
    targets = pd.read_parquet(root / "targets.parquet")
    catalog = pd.read_parquet(root / "catalog.parquet", columns=["id"])
    with StateStore(root / "state.db") as state:
        en = state.last_run("keywords")["counts"]["locales"]["en"]
    without = {loc: len(set(catalog.id) - set(targets[(targets.locale == loc) & (targets.role == "primary")]
                                             .product_id)) for loc in LOCALES}
    return {
        **shared_primaries(targets),
        "products": len(catalog), "products_without_primary": sum(without.values()),
        "coverage": en["coverage"], "coverage_products": en.get("coverage_products"),
        "queries_on_collections": en.get("keywords_with_demand_on_collections"),
        "coverage_all_queries": round(en["keywords_with_demand_assigned"] / max(en["keywords_with_demand"], 1), 4),
        "queries_with_impressions": en["keywords_with_demand"],
        "queries_with_a_relevant_product": en["keywords_with_demand_relevant"],
        "primary_from_data": en["primary_data"], "primary_long_tail": en["primary_long_tail"],
        "primary_derived": en["primary_derived"], "collisions_resolved": en["collisions_resolved"],
        "contested_keywords": en["contested_keywords"], "sample_wall_s": round(wall, 2),
    }


def wands_records() -> list[KeywordRecord]:
    with open(WANDS_QUERIES, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [KeywordRecord(clean_keyword(row["query"]), "en", "list", None, None, None, str(WANDS_QUERIES), i + 2)
            for i, row in enumerate(rows) if clean_keyword(row["query"])]


def bench_wands(seed: int) -> dict[str, object]:
    catalog = read_catalog(BENCH / "keywords-sample" / "catalog.parquet", columns=["id", "title"])
    gsc = read_keyword_file(SAMPLE_KEYWORDS, locale="en", default_locale="en", allowed_locales=LOCALES)
    wands = KeywordFile(path=str(WANDS_QUERIES), shape="list", records=wands_records())
    facts = catalog_profiles(BENCH / "keywords-sample" / "catalog.parquet")
    table, results, _ = build_targets(facts, [gsc, wands], LOCALES)
    targets = table.to_pandas()
    en = targets[targets.locale == "en"].copy()
    en["key"] = [keyword_key(k, "en") for k in en.keyword]
    assigned_keys = set(en.key)
    queries = [r.keyword for r in wands.records]
    assigned = [q for q in queries if keyword_key(q, "en") in assigned_keys]
    titles = dict(zip(catalog.id, catalog.title, strict=True))
    by_key = {row.key: row for row in en.itertuples()}
    rng = random.Random(seed)
    draws = rng.sample(assigned, min(20, len(assigned)))
    examples = [{"query": q, "product_title": titles[by_key[keyword_key(q, "en")].product_id],
                 "role": by_key[keyword_key(q, "en")].role} for q in draws]
    # When fewer than 20 were assigned, show why the rest were not: each one's closest product and how much of
    # the query it contains (the stage needs 0.75, and the product type the query names).
    unassigned = rng.sample([q for q in queries if q not in set(assigned)], max(0, 20 - len(examples)))
    index = RelevanceIndex(locale_fields(facts, "en"), FIELD_WEIGHTS, "en")
    closest = index.search(unassigned, top_k=1, min_match=0.0)
    best = {int(q): (int(p), float(m)) for q, p, m in zip(closest.query, closest.product, closest.match, strict=True)}
    rejected = [{"query": q, "closest_product": facts[best[i][0]].title if i in best else None,
                 "match": round(best[i][1], 2) if i in best else 0.0} for i, q in enumerate(unassigned)]
    stats = next(r.stats for r in results if r.locale == "en")
    return {"wands_queries": len(queries), "wands_assigned_share": round(len(assigned) / len(queries), 4),
            "wands_primary_share": round(sum(1 for q in assigned if by_key[keyword_key(q, "en")].role == "primary")
                                         / len(queries), 4),
            "wands_run_primary_shared": shared_primaries(targets)["primary_shared"],
            "wands_run_gsc_coverage": stats["coverage"], "wands_examples": examples,
            "wands_unassigned_examples": rejected}


def bench_large(n: int, seed: int) -> dict[str, object]:
    store = f"keywords-{n // 1000}k"
    csv_path = BENCH / f"products-{n}-{seed}.csv"
    queries_path = BENCH / f"gsc-queries-{n}-{seed}.csv"
    generator_path = ROOT / "catalog_samples" / "generate_sample.py"
    spec = importlib.util.spec_from_file_location("generate_sample", generator_path)
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    if not csv_path.exists():
        started = time.monotonic()
        generator.write_csv(generator.generate_products(n, seed), csv_path)
        print(f"bench-keywords: generated {n:,} products in {time.monotonic() - started:.0f} s", file=sys.stderr)
    if not queries_path.exists():
        generator.write_queries(queries_path, seed, n_queries=max(600, n // 20))
    run(store, "pull", "--csv", str(csv_path))
    stage = measure_stage(store, "keywords", "--keywords", f"{queries_path}:en")
    targets = pd.read_parquet(BENCH / store / "targets.parquet")
    with StateStore(BENCH / store / "state.db") as state:
        en = state.last_run("keywords")["counts"]["locales"]["en"]
    label = f"{n // 1000}k"
    print(f"bench-keywords: keywords on {n:,} products: {stage['wall']:.1f} s ({stage['cpu']:.1f} s CPU), peak "
          f"{stage['peak_rss_mb']:,} MB", file=sys.stderr)
    return {f"keywords_{label}_wall_s": round(stage["wall"], 1), f"keywords_{label}_cpu_s": round(stage["cpu"], 1),
            f"keywords_{label}_peak_rss_mb": stage["peak_rss_mb"],
            f"keywords_{label}": {"products": n, "queries": en["keywords"], **shared_primaries(targets),
                                  "coverage": en["coverage"], "coverage_products": en.get("coverage_products"),
                                  "queries_on_collections": en.get("keywords_with_demand_on_collections"),
                                  "primary_from_data": en["primary_data"],
                                  "primary_long_tail": en["primary_long_tail"],
                                  "primary_derived": en["primary_derived"]}}


# A CLI command in a fresh interpreter, so that its peak memory is the stage's and not this benchmark's (a child
# started from this process could report this process's high-water mark as its own through ru_maxrss).
_STAGE_CHILD = """
import json, resource, sys, time
root, args, out = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
sys.path.insert(0, root)
from pipeline.cli import main
wall, cpu = time.perf_counter(), time.process_time()
code = main(args)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
try:
    with open("/proc/self/status", encoding="ascii") as status:
        peak = int(next(line for line in status if line.startswith("VmHWM")).split()[1]) // 1024
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024 // (1024 if sys.platform == "darwin" else 1)
json.dump({"code": code, "wall": wall, "cpu": cpu, "peak_rss_mb": peak}, open(out, "w", encoding="utf-8"))
"""


def measure_stage(store: str, *args: str) -> dict[str, float]:
    """Run one pipeline command on `store` in a child process: its wall and CPU seconds and peak memory (MB)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "stage.json"
        command = ["--workspace", str(BENCH), "--store", store, *args]
        subprocess.run([sys.executable, "-c", _STAGE_CHILD, str(ROOT), json.dumps(command), str(out)], cwd=ROOT,
                       check=True)
        figures = json.loads(out.read_text(encoding="utf-8"))
    if figures["code"] != 0:
        raise SystemExit(f"bench-keywords: `{' '.join(args)}` failed with exit code {figures['code']}")
    return figures


def main_bench(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000, help="size of the large catalogue (default 100000)")
    parser.add_argument("--seed", type=int, default=11, help="generator seed for the large catalogue")
    parser.add_argument("--draw-seed", type=int, default=5, help="seed for the 20 WANDS examples")
    parser.add_argument("--skip-large", action="store_true", help="measure the sample and WANDS only")
    args = parser.parse_args(argv)

    result: dict[str, object] = {"sample": str(SAMPLE_CSV.relative_to(ROOT)),
                                 "keyword_file": str(SAMPLE_KEYWORDS.relative_to(ROOT))}
    result.update(bench_sample())
    if WANDS_QUERIES.exists():
        result.update(bench_wands(args.draw_seed))
    else:
        print(f"bench-keywords: {WANDS_QUERIES} not found; WANDS figures skipped", file=sys.stderr)
    if not args.skip_large:
        result.update(bench_large(args.products, args.seed))
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out = BENCH / "keywords.json"
    write_json_atomic(out, result)
    shown = dict(result)
    examples = shown.pop("wands_examples", [])
    rejected = shown.pop("wands_unassigned_examples", [])
    print(json.dumps(shown, indent=2))
    if examples:
        print(f"\n{len(examples)} random WANDS query -> product assignments (seed {args.draw_seed}):")
        for example in examples:
            print(f"  {example['query']!r:42} -> {example['product_title']}  ({example['role']})")
    if rejected:
        print(f"\n{len(rejected)} random WANDS queries left unassigned, with their closest product and match share:")
        for example in rejected:
            print(f"  {example['query']!r:42} ~ {example['closest_product']}  (match {example['match']:.2f})")
    print(f"bench-keywords: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main_bench())
