"""make bench-links: the link graph's shape on the sample, accepted links reaching the pushed bodies, and the links
stage's wall time on 100,000 products.

Writes workspace/bench/links.json. On the sample: orphans (target 0), unresolved_links (target 0: links in
links.parquet to a product or collection that does not exist or may not be linked, plus hrefs that do not
resolve after weaving every product's links into its body_html while 10% of handles are renamed in the same
run), inbound_min / inbound_median / inbound_max (max <= inbound_cap), invalid_html (target 0), anchor variety,
and how many of all the suggestions the sample's own copy lets be woven (links_woven: in or after a sentence
that mentions the target). Then the links as a reviewer accepts them: for 100 products drawn from the sample
(seeded), every suggestion the review app lets be accepted (its "Accept all", on the body push would send) is
accepted (with the sample's links.parquet and the collections file its collection links were made from), an
offline push writes the import file, and its body cells are read back: accepted_links_pushed_share
(target 1.0: accepted links present in the exported body, to the target's current handle) and broken_links
(target 0: hrefs in the exported bodies to a product that does not exist or is not active and published, or to a
collection with no such product). Then links_100k_wall_s: `python -m pipeline links` on a 100,000-product
catalogue from the sample generator (target <= 120 s on 2 cores); pulling it is not part of the figure.

Keyword targets come from the keywords stage when it runs on the workspace; otherwise (and always for the
100k catalogue, whose keyword run is not what is measured here) each product's primary keyword is its title.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
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
from pipeline.core.text import handleize  # noqa: E402
from pipeline.shopify import csv_format  # noqa: E402
from pipeline.stages.links.html import place_links  # noqa: E402
from pipeline.stages.links.stage import LinkOptions, collection_pages, eligibility, memberships  # noqa: E402
from pipeline.stages.links.weave import LinkTargets  # noqa: E402
from pipeline.stages.review.links import decide_links  # noqa: E402
from pipeline.stages.review.stage import ReviewSource  # noqa: E402
from pipeline.state import ledger  # noqa: E402
from pipeline.state.link_decisions import link_decisions  # noqa: E402
from pipeline.state.store import StateStore  # noqa: E402
from pipeline.workspace import Workspace, write_json_atomic  # noqa: E402

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
    collections = set(collection_pages(catalog, is_target, options, root)) if options.include_collections else set()

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
    targets = LinkTargets.load(root / "catalog.parquet")
    for source, group in links.groupby("source_handle"):
        woven = [targets.link(r["target_kind"], r["target_id"], r["anchor"], r["target_handle"])
                 for r in group.to_dict("records")]
        placement = place_links(bodies[source], woven, renamed, known_handles=current,
                                known_collections=collections)
        parser = _Hrefs()
        parser.feed(placement.html)
        invalid_html += int(not parser.balanced or nh3.clean(placement.html, link_rel=None) != placement.html)
        for href in parser.hrefs:
            kind, _, handle = href.removeprefix("/").partition("/")
            if kind == "products" and handle not in current or kind == "collections" and handle not in collections:
                unresolved_html += 1
        placed += len(placement.placed)
        in_text += len(placement.in_text)

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


_HREF = re.compile(r'<a\s[^>]*href="(/(products|collections)/([^"/?#]+))"')


def measure_push(sample_store: str, products: int = 100, seed: int = 3) -> dict[str, object]:
    """Accept what the review app lets be accepted for `products` products, push offline, read the file back."""
    store = "links-push"
    shutil.rmtree(BENCH / store, ignore_errors=True)  # a fresh state: no decision or push from an earlier run
    run(store, "pull", "--csv", str(SAMPLE_CSV))
    workspace = Workspace.for_store(BENCH, store)
    shutil.copy(BENCH / sample_store / "links.parquet", workspace.links)
    for name in ("collections.parquet", "collections.csv"):  # the pages the links were made for (pages.py)
        if (BENCH / sample_store / name).exists():
            shutil.copy(BENCH / sample_store / name, workspace.root / name)
    links = pd.read_parquet(workspace.links)
    sources = sorted(links["source_product_id"].unique())
    chosen = sorted(np.random.default_rng(seed).choice(sources, size=min(products, len(sources)), replace=False))
    source = ReviewSource(workspace, "en")
    with StateStore(workspace.state_db) as state:
        for pid in chosen:
            decide_links(state, source, str(pid), "accept_all", reviewer="bench")
        accepted = [d for d in link_decisions(state) if d.accepted]
    suggested = int(links["source_product_id"].isin(chosen).sum())

    saved = os.environ.pop("SHOPIFY_STORE", None)  # offline: the import file
    try:
        started = time.monotonic()
        run(store, "push")
        push_s = time.monotonic() - started
    finally:
        if saved is not None:
            os.environ["SHOPIFY_STORE"] = saved
    with StateStore(workspace.state_db) as state:
        run_id = ledger.latest_undoable_push(state)
        export = ledger.push_run(state, run_id)["export_path"] if run_id else None
        counts = state.last_run("push")["counts"]
    bodies = {p["handle"]: p["body_html"] for p in csv_format.read_products(export)[1]} if export else {}

    catalog = pd.read_parquet(workspace.catalog, columns=["id", "handle", "status", "published", "collections",
                                                          "product_type", "total_inventory"])
    status = catalog["status"].fillna("").str.lower()
    live = (status == "active") & (catalog["published"].astype(object) != False)  # noqa: E712 - None: unknown
    handles = dict(zip(catalog["id"], catalog["handle"], strict=True))
    live_products = set(catalog.loc[live, "handle"])
    live_collections = {handleize(name) for members, ok in zip(memberships(catalog, workspace.root), live,
                                                               strict=True) if ok for name in members}
    present = 0
    for made in accepted:
        target = handles.get(made.target_id, made.target_handle) if made.target_kind == "product" else made.target_id
        path = f"/{made.target_kind}s/{target}"
        present += path in {m.group(1) for m in _HREF.finditer(bodies.get(handles[made.source_product_id], ""))}
    hrefs = [m for body in bodies.values() for m in _HREF.finditer(body)]
    broken = sum(1 for m in hrefs if (m.group(3) not in live_products if m.group(2) == "products"
                                      else m.group(3) not in live_collections))
    return {
        "push_products_sampled": len(chosen), "push_suggestions": suggested, "links_accepted": len(accepted),
        "suggestions_acceptable_share": round(len(accepted) / suggested, 3) if suggested else None,
        "products_with_accepted_links": len({d.source_product_id for d in accepted}),
        "bodies_exported": len(bodies), "links_in_pushed_bodies": len(hrefs),
        "links_pushed_in_text": counts.get("links_in_text", 0),
        "links_pushed_after_sentence": counts.get("links_after_sentence", 0),
        "accepted_links_pushed_share": round(present / len(accepted), 4) if accepted else None,
        "broken_links": broken, "links_push_wall_s": round(push_s, 2),
    }


def measure_collections(store: str) -> dict[str, object]:
    """Category demand on collection pages and products in no collection (pipeline/stages/keywords/collections.py),
    on the sample after pull and keywords, with its Search Console file."""
    from pipeline.config import SAMPLE_KEYWORDS
    from pipeline.stages.keywords.collections import figures

    found = figures(Workspace.for_store(BENCH, store), SAMPLE_KEYWORDS)
    return {key: found[key] for key in ("category_queries_on_collections", "products_without_collection")
            if key in found} | {f"collections_{k}": v for k, v in found.items()
                                if k not in ("category_queries_on_collections", "products_without_collection")
                                and isinstance(v, int | float)}


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
    result.update(measure_push("links-sample"))
    result.update(measure_collections("links-sample"))
    if not args.skip_large:
        result.update(bench_100k(args.products, args.seed))
    out = BENCH / "links.json"
    write_json_atomic(out, result)
    print(json.dumps(result, indent=2))
    print(f"bench-links: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main_bench())
