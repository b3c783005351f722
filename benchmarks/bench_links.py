"""make bench-links: the link graph's shape on the sample, and the links stage's wall time on 100,000 products.

Writes workspace/bench/links.json. On the sample: orphans (target 0), unresolved_links (target 0: links in
links.parquet to a product or collection that does not exist or may not be linked, plus hrefs that do not
resolve after weaving every product's links into its body_html while 10% of handles are renamed in the same
run), inbound_min / inbound_median / inbound_max (max <= inbound_cap), invalid_html (target 0), and anchor
variety. Then links_100k_wall_s: `python -m pipeline links` on a 100,000-product catalogue from the sample
generator (target <= 120 s on 2 cores); pulling it is not part of the figure.

Keyword targets come from the keywords stage when it runs on the workspace; otherwise (and always for the
100k catalogue, whose keyword run is not what is measured here) each product's primary keyword is its title.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import nh3
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.cli import COMMANDS, main  # noqa: E402
from pipeline.config import load_settings  # noqa: E402
from pipeline.stages.links.html import place_links  # noqa: E402
from pipeline.stages.links.stage import LinkOptions, collection_pages, eligibility  # noqa: E402
from pipeline.state.store import StateStore  # noqa: E402
from pipeline.workspace import write_json_atomic  # noqa: E402

BENCH = ROOT / "workspace" / "bench"
SAMPLE_CSV = ROOT / "catalog_samples" / "products.csv"


def run(store: str, *args: str) -> None:
    code = main(["--workspace", str(BENCH), "--store", store, *args])
    if code != 0:
        raise SystemExit(f"bench-links: `{' '.join(args)}` failed with exit code {code}")


def title_targets(root: Path) -> None:
    catalog = pd.read_parquet(root / "catalog.parquet", columns=["id", "handle", "title"])
    pd.DataFrame({"product_id": catalog["id"], "handle": catalog["handle"], "locale": "en",
                  "keyword": catalog["title"].str.lower(), "role": "primary", "source": "derived", "score": 1.0,
                  "demand": None, "reason": "title (bench fallback)"}).to_parquet(root / "targets.parquet")


def keyword_targets(store: str) -> str:
    """Run the keywords stage if the CLI has one; fall back to titles. Returns where the targets came from."""
    root = BENCH / store
    if "keywords" in COMMANDS:
        code = main(["--workspace", str(BENCH), "--store", store, "keywords"])
        if code == 0 and (root / "targets.parquet").exists():
            return "keywords stage"
        print(f"bench-links: keywords stage failed (exit {code}); using titles as keywords", file=sys.stderr)
    title_targets(root)
    return "titles (no keywords stage)"


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.depth: list[str] = []
        self.balanced = True

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")
            self.balanced &= "a" not in self.depth
        if tag not in {"br", "hr", "img", "wbr"}:
            self.depth.append(tag)

    def handle_endtag(self, tag):
        if tag in {"br", "hr", "img", "wbr"}:
            return
        self.balanced &= bool(self.depth) and self.depth[-1] == tag
        if self.depth and self.depth[-1] == tag:
            self.depth.pop()


def measure_graph(store: str, options: LinkOptions) -> dict[str, object]:
    root = BENCH / store
    catalog = pd.read_parquet(root / "catalog.parquet")
    links = pd.read_parquet(root / "links.parquet")
    with StateStore(root / "state.db") as state:
        counts = state.last_run("links")["counts"]
    _, is_target = eligibility(catalog)
    linkable = dict(zip(catalog["id"], zip(catalog["handle"], is_target, strict=True), strict=True))
    collections = set(collection_pages(catalog, is_target, options)) if options.include_collections else set()

    products = links[links["target_kind"] == "product"]
    bad_product = [not (t in linkable and linkable[t][0] == h and linkable[t][1])
                   for t, h in zip(products["target_id"], products["target_handle"], strict=True)]
    bad_collection = ~links.loc[links["target_kind"] == "collection", "target_handle"].isin(collections)
    self_links = int((products["source_product_id"] == products["target_id"]).sum())
    duplicates = int(links.duplicated(["source_product_id", "target_kind", "target_handle"]).sum())

    # Weave every product's links into its copy while 10% of handles are renamed in the same run.
    rng = np.random.default_rng(7)
    renamed = {h: f"{h}-v2" for h in catalog["handle"] if rng.random() < 0.1}
    current = {renamed.get(h, h) for h in catalog["handle"]}
    bodies = dict(zip(catalog["handle"], catalog["body_html"], strict=True))
    unresolved_html = invalid_html = placed = in_text = 0
    for source, group in links.groupby("source_handle"):
        placement = place_links(bodies[source], group.to_dict("records"), renamed, known_handles=current,
                                known_collections=collections)
        parser = _Hrefs()
        parser.feed(placement.html)
        invalid_html += int(not parser.balanced or nh3.clean(placement.html, link_rel=None) != placement.html)
        for href in parser.hrefs:
            kind, _, handle = href.removeprefix("/").partition("/")
            if kind == "products" and handle not in current or kind == "collections" and handle not in collections:
                unresolved_html += 1
        placed += len(placement.placed)
        in_text += len(placement.placed) - len(placement.appended)

    inbound = products["target_id"].value_counts()
    repeated = inbound[inbound >= 2].index
    varied = products[products["target_id"].isin(repeated)].groupby("target_id")["anchor"].nunique()
    return {
        "products": len(catalog), "links": len(links), "product_links": len(products),
        "collection_links": int((links["target_kind"] == "collection").sum()),
        "orphans": counts["orphans"], "orphans_repaired": counts["orphans_repaired"],
        "related_products": counts["related"], "sources_under_min": counts["under_min"],
        "inbound_min": counts["inbound_min"], "inbound_median": counts["inbound_median"],
        "inbound_max": counts["inbound_max"], "inbound_cap": options.inbound_cap,
        "links_per_product_min": int(links.groupby("source_product_id").size().min()),
        "links_per_product_max": int(links.groupby("source_product_id").size().max()),
        "unresolved_links": int(sum(bad_product)) + int(bad_collection.sum()) + unresolved_html,
        "unresolved_in_artefact": int(sum(bad_product)) + int(bad_collection.sum()),
        "unresolved_in_html": unresolved_html, "handles_renamed": len(renamed),
        "self_or_duplicate_links": self_links + duplicates, "invalid_html": invalid_html,
        "links_woven": placed, "links_woven_in_text": in_text,
        "anchor_variety": round(float((varied >= 2).mean()), 3) if len(varied) else None,
        "anchors_from_title": counts["anchors_from_title"],
    }


def bench_100k(n: int, seed: int) -> dict[str, object]:
    store = f"links-{n // 1000}k"
    root = BENCH / store
    csv_path = BENCH / f"products-{n}-{seed}.csv"
    if not csv_path.exists():
        generator_path = ROOT / "catalog_samples" / "generate_sample.py"
        spec = importlib.util.spec_from_file_location("generate_sample", generator_path)
        generator = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(generator)
        started = time.monotonic()
        generator.write_csv(generator.generate_products(n, seed), csv_path)
        print(f"bench-links: generated {n:,} products in {time.monotonic() - started:.0f} s", file=sys.stderr)
    started = time.monotonic()
    run(store, "pull", "--csv", str(csv_path))
    pull_s = time.monotonic() - started
    title_targets(root)
    started = time.monotonic()
    run(store, "links")
    wall = time.monotonic() - started
    with StateStore(root / "state.db") as state:
        counts = state.last_run("links")["counts"]
    return {f"links_{n // 1000}k_wall_s": round(wall, 1), f"pull_{n // 1000}k_wall_s": round(pull_s, 1),
            f"links_{n // 1000}k": {key: counts[key] for key in (
                "products", "product_links", "collection_links", "orphans", "orphans_repaired", "under_min",
                "inbound_min", "inbound_median", "inbound_max")}}


def main_bench(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000, help="size of the large catalogue (default 100000)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--skip-large", action="store_true", help="measure the sample only")
    args = parser.parse_args(argv)
    options = LinkOptions.from_settings(load_settings())

    run("links-sample", "pull", "--csv", str(SAMPLE_CSV))
    source = keyword_targets("links-sample")
    run("links-sample", "links")
    result: dict[str, object] = {"sample": str(SAMPLE_CSV.relative_to(ROOT)), "keywords_from": source}
    result.update(measure_graph("links-sample", options))
    if not args.skip_large:
        result.update(bench_100k(args.products, args.seed))
    out = BENCH / "links.json"
    write_json_atomic(out, result)
    print(json.dumps(result, indent=2))
    print(f"bench-links: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main_bench())
