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
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
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
        spec = importlib.util.spec_from_file_location("generate_sample", ROOT / "catalog_samples" /
                                                      "generate_sample.py")
        module = importlib.util.module_from_spec(spec)
        assert spec.loader is not None
        spec.loader.exec_module(module)
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


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, help="use N generated products instead of the bundled sample")
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
