"""make bench-generate: offline generation of the whole sample, twice, and what came out of it.

Writes workspace/bench/generate.json. The store is built fresh (pull, audit, keywords) in workspace/bench/, then
`generate --all` runs with the offline writer for en, fr and de:

- pass_rate: drafts that passed every validator / drafts (target >= 0.95); flagged_reasons says why the rest
  did not.
- duplicate_titles: generated titles (title and SEO title, per locale) whose normalised text another product's
  generated title also has (target 0).
- near_duplicate_description_pairs: pairs of products whose generated descriptions (body text, meta description,
  per locale) reach the near-duplicate threshold in word 3-shingle Jaccard similarity, counted exactly over all
  pairs with an inverted index, independently of the LSH the stage uses (target 0).
- rerun_provider_calls: provider calls of the second, unchanged run (target 0).
- rerun_time_ratio: the second run's wall time / the first's, both timed around the stage function in one
  process (target < 0.10); rerun_cpu_ratio beside it, as the machine is shared.

`--products N` runs on N products from the sample generator instead of the bundled sample.

Then the planning side at scale, what `make estimate --all` does before anything is sent: every first request of
a 100,000-product catalogue from the sample generator (seed 11, the catalogue bench-keywords uses, generated once
into workspace/bench/products-100000-11.csv) in four locales (en, fr, de, es), rendered and priced, nothing sent.
Its store (pull, audit, keywords with the generated GSC export) is built once into workspace/bench/planning-100k/
and reused while the catalogue file is unchanged (`--rebuild-planning-store` builds it again). It runs in a child
process of its own, so the figures are the planning's alone:
- planning_100k_x4_wall_s (target <= 60) and planning_100k_x4_cpu_s: reading the artefacts and making every
  request (iter_planned_requests), CPU seconds beside wall time as the machine is shared;
- planning_100k_x4_peak_rss_mb (target <= 1,500): the child's peak resident memory (VmHWM), the estimate included;
- estimate_100k_x4_wall_s / _cpu_s: the whole estimate, planning plus counting every prompt's tokens (tiktoken).
`--planning-products N` changes the size, `--skip-planning` leaves it out.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.cli import main  # noqa: E402
from pipeline.config import load_settings  # noqa: E402
from pipeline.core.lexicon import words  # noqa: E402
from pipeline.core.text import strip_html, word_shingles  # noqa: E402
from pipeline.gates.similarity import SHINGLE_WORDS, title_key  # noqa: E402
from pipeline.stages.generate.offline_writer import OfflineTemplateProvider  # noqa: E402
from pipeline.stages.generate.prompts import Prompts  # noqa: E402
from pipeline.stages.generate.stage import GenerateOptions, generate  # noqa: E402
from pipeline.state.drafts import list_drafts  # noqa: E402
from pipeline.state.store import StateStore  # noqa: E402
from pipeline.workspace import Workspace, write_json_atomic  # noqa: E402

BENCH = ROOT / "workspace" / "bench"
LOCALES = ("en", "fr", "de")
PLANNING_LOCALES = ("en", "fr", "de", "es")
PLANNING_SEED = 11  # the catalogue bench-keywords generates: one file for both


class CountingOffline(OfflineTemplateProvider):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def complete(self, request):  # type: ignore[no-untyped-def]
        self.calls += 1
        return super().complete(request)


def prepare(store: str, products: int | None) -> Workspace:
    shutil.rmtree(BENCH / store, ignore_errors=True)
    base = ["--workspace", str(BENCH), "--store", store]
    pull = [*base, "pull"]
    if products:
        module = _generator()
        csv_path = BENCH / f"{store}.csv"
        module.write_csv(module.generate_products(products, 7), csv_path)
        pull += ["--csv", str(csv_path)]
    for args in (pull, [*base, "audit"], [*base, "keywords"]):
        if main(args) != 0:
            raise SystemExit(f"bench-generate: `{' '.join(args[4:])}` failed")
    return Workspace(BENCH / store)


def timed_run(workspace: Workspace, options: GenerateOptions) -> tuple[object, float, float, int]:
    provider = CountingOffline()
    with StateStore(workspace.state_db) as state:
        wall, cpu = time.perf_counter(), time.process_time()
        result = generate(workspace, state, provider, options, prompts=Prompts())
        return result, time.perf_counter() - wall, time.process_time() - cpu, provider.calls


def duplicate_titles(drafts) -> int:
    holders: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for draft in drafts:
        for field in ("title", "seo_title"):
            text = getattr(draft, field)
            if text:
                holders[(draft.locale, field, title_key(text))].add(draft.product_id)
    return sum(len(ids) for ids in holders.values() if len(ids) > 1)


def near_duplicate_pairs(drafts, threshold: float) -> list[dict[str, object]]:
    """Exact Jaccard for every pair of same-locale, same-field descriptions that share a shingle."""
    found = []
    groups: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(dict)
    for draft in drafts:
        for field in ("body_html", "seo_description"):
            text = getattr(draft, field)
            if text:
                plain = strip_html(text) if field == "body_html" else text
                groups[(draft.locale, field)][draft.product_id] = word_shingles(words(plain), SHINGLE_WORDS)
    for (locale, field), docs in groups.items():
        postings: dict[str, list[str]] = defaultdict(list)
        for pid, shingles in docs.items():
            for shingle in shingles:
                postings[shingle].append(pid)
        shared: Counter[tuple[str, str]] = Counter()
        for pids in postings.values():
            if len(pids) <= 200:  # a shingle in hundreds of texts is boilerplate; pairs it joins share others
                shared.update(combinations(sorted(pids), 2))
        for (a, b), inter in shared.items():
            union = len(docs[a]) + len(docs[b]) - inter
            if union and inter / union >= threshold:
                found.append({"locale": locale, "field": field, "a": a, "b": b, "jaccard": round(inter / union, 3)})
    return found


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("generate_sample", ROOT / "catalog_samples" / "generate_sample.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def planning_store(products: int, rebuild: bool) -> str:
    """A store of `products` generated products with its audit and keyword targets, built once and reused while
    the catalogue file it was pulled from is unchanged."""
    store = f"planning-{products // 1000}k" if products % 1000 == 0 else f"planning-{products}"
    root = BENCH / store
    csv_path = BENCH / f"products-{products}-{PLANNING_SEED}.csv"
    queries = BENCH / f"gsc-queries-{products}-{PLANNING_SEED}.csv"
    if not csv_path.exists() or not queries.exists():
        BENCH.mkdir(parents=True, exist_ok=True)
        generator = _generator()
        if not csv_path.exists():
            started = time.monotonic()
            generator.write_csv(generator.generate_products(products, PLANNING_SEED), csv_path)
            print(f"bench-generate: generated {products:,} products in {time.monotonic() - started:.0f} s")
        if not queries.exists():
            generator.write_queries(queries, PLANNING_SEED, n_queries=max(600, products // 20))
    built = [root / name for name in ("catalog.parquet", "audit.parquet", "targets.parquet")]
    if not rebuild and all(p.exists() for p in built) and built[-1].stat().st_mtime >= csv_path.stat().st_mtime:
        print(f"bench-generate: reusing the planning store {root} (--rebuild-planning-store builds it again)")
        return store
    shutil.rmtree(root, ignore_errors=True)
    started = time.monotonic()
    base = ["--workspace", str(BENCH), "--store", store]
    for args in (["pull", "--csv", str(csv_path)], ["audit"], ["keywords", "--keywords", f"{queries}:en"]):
        if main([*base, *args]) != 0:
            raise SystemExit(f"bench-generate: `{' '.join(args)}` failed on the planning store")
    print(f"bench-generate: built the planning store {root} in {time.monotonic() - started:.0f} s")
    return store


# Run in a fresh interpreter, so that its peak memory is the planning's and not this benchmark's: what
# `make estimate --all` does (pipeline/stages/generate/estimate.py), with the time spent making the requests
# counted apart from the time spent counting their tokens.
_PLANNING_CHILD = """
import json, resource, sys, time
root, bench, store, locales, out = sys.argv[1:6]
sys.path.insert(0, root)
from pathlib import Path
from pipeline.config import load_settings
from pipeline.llm.costs import price_for
from pipeline.llm.estimate import batch_price, estimate
from pipeline.llm.waves import ModelIdentity
from pipeline.stages.generate.stage import GenerateOptions, iter_planned_requests
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace

settings = load_settings(store=store, workspace=Path(bench))
options = GenerateOptions.from_settings(settings, select_all=True, locales=locales.split(","))
model = settings.generation.model
planning = [0.0, 0.0]

def timed(requests):
    while True:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            request = next(requests)
        except StopIteration:
            return
        finally:
            planning[0] += time.perf_counter() - wall
            planning[1] += time.process_time() - cpu
        yield request

def peak_rss_mb():
    try:  # this process's own high-water mark (ru_maxrss may carry the parent's from before exec)
        with open("/proc/self/status", encoding="ascii") as status:
            return int(next(line for line in status if line.startswith("VmHWM")).split()[1]) // 1024
    except (OSError, StopIteration):
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return rss // 1024 // (1024 if sys.platform == "darwin" else 1)

wall, cpu = time.perf_counter(), time.process_time()
workspace = Workspace(Path(bench) / store)
with StateStore(workspace.state_db) as state:
    live = price_for(settings, model)
    result = estimate(timed(iter_planned_requests(workspace, state, ModelIdentity("openai", model), options)),
                      model=model, price=live, batch=batch_price(settings, model, live))
json.dump({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu, "planning_wall": planning[0],
           "planning_cpu": planning[1], "peak_rss_mb": peak_rss_mb(), "requests": result.requests,
           "products": result.products, "lines": result.lines()}, open(out, "w", encoding="utf-8"))
"""


def measure_planning(products: int, rebuild: bool) -> dict[str, object]:
    """Planning `products` x PLANNING_LOCALES in a child process: its time, CPU time and peak memory."""
    store = planning_store(products, rebuild)
    label = f"{products // 1000}k" if products % 1000 == 0 else str(products)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "planning.json"
        command = [sys.executable, "-c", _PLANNING_CHILD, str(ROOT), str(BENCH), store, ",".join(PLANNING_LOCALES),
                   str(out)]
        subprocess.run(command, cwd=ROOT, check=True)
        figures = json.loads(out.read_text(encoding="utf-8"))
    name = f"planning_{label}_x{len(PLANNING_LOCALES)}"
    print(f"bench-generate: planning {products:,} products x {len(PLANNING_LOCALES)} locales: "
          f"{figures['requests']:,} requests in {figures['planning_wall']:.1f} s ({figures['planning_cpu']:.1f} s "
          f"CPU), peak {figures['peak_rss_mb']:,} MB; the whole estimate {figures['wall']:.1f} s "
          f"({figures['cpu']:.1f} s CPU)")
    for line in figures["lines"]:
        print(f"  {line}")
    return {f"{name}_wall_s": round(figures["planning_wall"], 1), f"{name}_cpu_s": round(figures["planning_cpu"], 1),
            f"{name}_peak_rss_mb": figures["peak_rss_mb"], f"{name}_requests": figures["requests"],
            f"estimate_{label}_x{len(PLANNING_LOCALES)}_wall_s": round(figures["wall"], 1),
            f"estimate_{label}_x{len(PLANNING_LOCALES)}_cpu_s": round(figures["cpu"], 1),
            "planning_locales": list(PLANNING_LOCALES)}


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, help="use N generated products instead of the bundled sample")
    parser.add_argument("--planning-products", type=int, default=100_000,
                        help="catalogue size for the planning figures (default 100000)")
    parser.add_argument("--skip-planning", action="store_true", help="leave the planning figures out")
    parser.add_argument("--rebuild-planning-store", action="store_true",
                        help="build the planning store again even when its catalogue is unchanged")
    args = parser.parse_args()
    os.environ.pop("OPENAI_API_KEY", None)
    store = "generate" if not args.products else f"generate-{args.products}"
    workspace = prepare(store, args.products)
    settings = load_settings(store=store, workspace=BENCH)
    options = GenerateOptions.from_settings(settings, select_all=True, locales=list(LOCALES))
    first, first_wall, first_cpu, first_calls = timed_run(workspace, options)
    second, second_wall, second_cpu, second_calls = timed_run(workspace, options)
    with StateStore(workspace.state_db) as state:
        drafts = list_drafts(state)
    pairs = near_duplicate_pairs(drafts, options.near_duplicate_threshold)
    checked = first.passed + first.flagged
    report = {
        "catalogue": f"{args.products} generated products" if args.products else "catalog_samples/products.csv",
        "provider": "the offline writer (no language model)",
        "locales": list(LOCALES), "products": first.products, "drafts": first.drafts,
        "pass_rate": round(first.passed / checked, 4) if checked else None,
        "passed": first.passed, "flagged": first.flagged,
        "flagged_reasons": dict(first.tally.flagged_reasons.most_common()),
        "repaired": first.repaired, "nothing_to_rewrite": first.nothing_to_write,
        "abstained_drafts": first.abstained, "fields_left_alone": first.counts()["fields_left_alone"],
        "duplicate_titles": duplicate_titles(drafts),
        "near_duplicate_description_pairs": len(pairs),
        "near_duplicate_threshold": options.near_duplicate_threshold,
        "near_duplicate_examples": pairs[:10],
        "first_run_provider_calls": first_calls,
        "first_run_wall_s": round(first_wall, 2), "first_run_cpu_s": round(first_cpu, 2),
        "rerun_provider_calls": second_calls, "rerun_skipped_unchanged": second.skipped,
        "rerun_wall_s": round(second_wall, 3), "rerun_cpu_s": round(second_cpu, 3),
        "rerun_time_ratio": round(second_wall / first_wall, 4),
        "rerun_cpu_ratio": round(second_cpu / first_cpu, 4) if first_cpu else None,
        "load_average_1m": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
    }
    if not args.skip_planning:
        report.update(measure_planning(args.planning_products, args.rebuild_planning_store))
        report["load_average_1m"] = round(os.getloadavg()[0], 2)
    write_json_atomic(BENCH / "generate.json", report)
    print(f"bench-generate: {report['drafts']:,} drafts for {report['products']:,} products ({', '.join(LOCALES)}); "
          f"pass_rate {report['pass_rate']}, flagged {report['flagged_reasons']}")
    print(f"  duplicate_titles {report['duplicate_titles']}, near_duplicate_description_pairs "
          f"{report['near_duplicate_description_pairs']} (Jaccard >= {options.near_duplicate_threshold})")
    print(f"  first run {first_wall:.1f} s wall / {first_cpu:.1f} s CPU, {first_calls:,} provider calls; re-run "
          f"{second_wall:.2f} s / {second_cpu:.2f} s CPU, {second_calls} provider calls; rerun_time_ratio "
          f"{report['rerun_time_ratio']} (CPU {report['rerun_cpu_ratio']})")
    print(f"  wrote {BENCH / 'generate.json'}")


if __name__ == "__main__":
    main_bench()
