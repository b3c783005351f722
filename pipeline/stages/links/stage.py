"""links: catalog.parquet + targets.parquet (+ an orders export) -> links.parquet.

Proposes, for each active product, 2-5 internal links (configurable) to related products and to one collection
page, each with an anchor built from the target's keywords, a reason and a score. Relatedness comes from the
catalogue (relatedness.py) and, when an orders export is given, from products bought together; the graph
is balanced by balance.py (inbound cap, no orphans). links.parquet is a proposal: nothing here changes a
description. A reviewer accepts or rejects each suggestion in the review app (state: link_decisions), and push
weaves the accepted ones into the body it sends (weave.py, html.py), each at a sentence that mentions its target.

Never linked: the product itself, draft or archived products, unpublished products, products with no
inventory (a total of 0 or less; products that do not track inventory have no total and stay linkable).
Collection pages come from collections.parquet when there is one (the store's collections, else, for a catalogue
pulled from a CSV, the proposed ones), else from product types (handle = the type, handleized): see pages.py.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.commands import command
from pipeline.config import LinksSettings, Settings
from pipeline.core.catalog import read_catalog
from pipeline.core.catalog_variants import read_variant_table
from pipeline.core.progress import Progress
from pipeline.core.text import handleize, strip_html
from pipeline.errors import InputError
from pipeline.stages.links.balance import balance_links
from pipeline.stages.links.orders import read_orders
from pipeline.stages.links.pages import page_per_product, read_pages
from pipeline.stages.links.relatedness import block_keys, related_candidates, tfidf_matrix
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace, atomic_path

LINK_COLUMNS = ["source_product_id", "source_handle", "target_kind", "target_id", "target_handle", "anchor",
                "reason", "score"]
# Variants are read apart, flat (pipeline/catalog_variants.py): nested, they are most of the loading time.
CATALOG_COLUMNS = ["id", "handle", "title", "vendor", "product_type", "tags", "status", "published", "collections",
                   "options", "total_inventory"]
# Option names whose shared values say "same material or style" (sizes say nothing about relatedness).
STYLE_OPTIONS = frozenset({"material", "color", "colour", "style", "finish", "pattern", "fabric", "wood", "metal"})
# Tags that say how a product is sold, not what it is: sharing one is no reason to link.
MERCHANDISING_TAGS = frozenset({"sale", "on sale", "new", "new arrival", "new arrivals", "bestseller", "best seller",
                                "bestsellers", "clearance", "featured", "gift", "gifts", "gift idea", "limited edition",
                                "last chance", "back in stock", "exclusive", "online exclusive"})
COLLECTION_ANCHORS = ("{name}", "all {name}", "more {name}", "shop {name}")


class LinkOptions(LinksSettings):
    """[links] as the stage uses it (the fields and their defaults are config.LinksSettings)."""

    @classmethod
    def from_settings(cls, settings: Settings) -> LinkOptions:
        return cls(**asdict(settings.links))


@dataclass
class LinksResult:
    run_id: int
    products: int
    sources: int
    linkable: int
    product_links: int
    collection_links: int
    related: int
    orphans: int
    orphans_repaired: int
    under_min: int
    inbound: list[int]
    anchors_from_title: int
    orders: int
    seconds: float

    @property
    def links(self) -> int:
        return self.product_links + self.collection_links

    def inbound_stats(self) -> dict[str, float]:
        values = np.asarray(self.inbound or [0])
        return {"inbound_min": int(values.min()), "inbound_median": float(np.median(values)),
                "inbound_max": int(values.max())}

    def summary(self) -> str:
        stats = self.inbound_stats()
        orders = f"; {self.orders:,} orders read" if self.orders else ""
        short = f"; {self.under_min:,} below links_min (too few related products)" if self.under_min else ""
        return (f"links: {self.links:,} links from {self.sources:,} active products ({self.product_links:,} to "
                f"products, {self.collection_links:,} to collections); inbound min {stats['inbound_min']}, "
                f"median {stats['inbound_median']:g}, max {stats['inbound_max']}; orphans {self.orphans} "
                f"({self.orphans_repaired:,} repaired){short}{orders}; {self.seconds:.1f} s")

    def counts(self) -> dict[str, object]:
        return {"products": self.products, "sources": self.sources, "linkable": self.linkable,
                "product_links": self.product_links, "collection_links": self.collection_links,
                "related": self.related, "orphans": self.orphans, "orphans_repaired": self.orphans_repaired,
                "under_min": self.under_min, "anchors_from_title": self.anchors_from_title, "orders": self.orders,
                **self.inbound_stats()}


def suggest_links(workspace: Workspace, state: StateStore, options: LinkOptions, *, locale: str = "en",
                  orders_path: Path | None = None) -> LinksResult:
    """Reads catalog.parquet, targets.parquet (and an orders export when given). Writes links.parquet, the
    link suggestions per product, and the run in state.db; see the module docstring."""
    started = time.monotonic()
    run_id = state.start_run("links")
    try:
        catalog = read_catalog(workspace.catalog, columns=CATALOG_COLUMNS)
        variants = read_variant_table(workspace.catalog)
        keywords = read_keywords(workspace.targets, locale)
        result = _suggest(workspace, catalog, variants, keywords, options, orders_path, locale)
        result.run_id, result.seconds = run_id, time.monotonic() - started
        state.finish_run(run_id, "ok", result.counts())
        return result
    except BaseException as exc:
        state.finish_run(run_id, "failed", {}, str(exc)[:500])
        raise


def read_keywords(path: Path, locale: str) -> dict[str, list[str]]:
    """product_id -> its keywords in `locale`, primary first, then secondaries by score."""
    if not path.exists():
        raise InputError(f"no keyword targets yet; run {command('keywords')} first", file=str(path))
    columns = ["product_id", "locale", "keyword", "role", "score"]
    try:
        present = set(pq.read_schema(path).names)
        for column in columns:
            if column not in present:
                raise InputError(f"missing column in keyword targets (re-run {command('keywords')})", file=str(path),
                                 field=column)
        table = pd.read_parquet(path, columns=columns)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"not a readable Parquet file ({exc}); re-run {command('keywords')}", file=str(path)) from None
    table = table[(table["locale"] == locale) & table["keyword"].notna()]
    table = table.assign(secondary=table["role"] != "primary").sort_values(
        ["product_id", "secondary", "score"], ascending=[True, True, False], kind="stable")
    keywords: dict[str, list[str]] = {}
    for product_id, keyword in zip(table["product_id"].astype(str).tolist(), table["keyword"].astype(str).tolist(),
                                   strict=True):
        keywords.setdefault(product_id, []).append(keyword)
    return keywords


def _suggest(workspace: Workspace, catalog: pd.DataFrame, variants: pd.DataFrame,
             keywords: Mapping[str, list[str]], options: LinkOptions, orders_path: Path | None,
             locale: str = "en") -> LinksResult:
    n = len(catalog)
    catalog = catalog.reset_index(drop=True)
    is_source, is_target = eligibility(catalog)
    progress = Progress("links: relatedness", total=n)
    candidates = related_candidates(
        tfidf_matrix(catalog, variants), block_keys(catalog), is_source, is_target,
        same_block_k=options.same_type_candidates, complementary_k=options.complementary_candidates,
        complementary_blocks_per_block=options.complementary_types, min_similarity=options.min_similarity,
        progress=progress)
    progress.close()
    table = pd.DataFrame({"source": candidates.source, "target": candidates.target,
                          "similarity": candidates.similarity, "same_block": candidates.same_block,
                          "orders": np.zeros(len(candidates), np.int64)})
    orders = 0
    if orders_path is not None:
        table, orders = _with_copurchases(table, catalog, variants, orders_path, is_source, is_target)
    table = _scored(table, options)

    pages = read_pages(catalog, workspace.root)
    collections = pages.linkable(is_target, options.min_collection_products) if options.include_collections else {}
    collection_of = page_per_product(catalog, pages, collections, is_source) if collections else {}
    has_collection = np.array([row in collection_of for row in range(n)], dtype=np.int64)
    max_out = np.where(is_source, options.links_max - has_collection, 0)
    min_out = np.where(is_source, options.links_min - has_collection, 0)
    balanced = balance_links(table[["source", "target", "score", "tier", "similarity", "same_block", "orders"]],
                             n=n, max_out=max_out, min_out=min_out, cap=options.inbound_cap, linkable=is_target)
    chosen = balanced.edges

    anchors, from_title = _product_anchors(catalog, chosen, keywords)
    product_rows = pd.DataFrame({
        "source_product_id": catalog["id"].to_numpy()[chosen["source"]],
        "source_handle": catalog["handle"].to_numpy()[chosen["source"]],
        "target_kind": "product",
        "target_id": catalog["id"].to_numpy()[chosen["target"]],
        "target_handle": catalog["handle"].to_numpy()[chosen["target"]],
        "anchor": anchors,
        "reason": _reasons(catalog, variants, chosen, collections),
        "score": chosen["score"].round(4).astype(float),
    })
    collection_rows = _collection_links(catalog, collection_of, collections, is_source,
                                        _collection_keywords(workspace, locale) if collection_of else {},
                                        _bodies(workspace.catalog) if collection_of else [])
    links = pd.concat([product_rows, collection_rows], ignore_index=True)[LINK_COLUMNS]
    links = links.sort_values(["source_handle", "target_kind", "score"], ascending=[True, False, False],
                              kind="stable").reset_index(drop=True)
    with atomic_path(workspace.links) as tmp:
        links.to_parquet(tmp, index=False)

    # Similarity is symmetric, so a linkable product with candidates of its own is related to something too.
    related = np.zeros(n, dtype=bool)
    related[table["target"].to_numpy()] = True
    related[table["source"].to_numpy()] = True
    related &= is_target
    inbound = np.bincount(chosen["target"].to_numpy(), minlength=n)
    return LinksResult(
        run_id=0, products=n, sources=int(is_source.sum()), linkable=int(is_target.sum()),
        product_links=len(product_rows), collection_links=len(collection_rows), related=int(related.sum()),
        orphans=int((related & (inbound == 0)).sum()), orphans_repaired=balanced.orphans_repaired,
        under_min=balanced.under_min, inbound=inbound[related].tolist(), anchors_from_title=from_title,
        orders=orders, seconds=0.0)


def eligibility(catalog: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(may link out, may be linked to) per row: only active products link; only live, in-stock ones are linked."""
    status = catalog["status"].fillna("").str.lower().to_numpy()
    is_source = (status == "active") & (catalog["handle"].fillna("") != "").to_numpy()
    inventory = pd.to_numeric(catalog["total_inventory"], errors="coerce")
    in_stock = (inventory.isna() | (inventory > 0)).to_numpy()
    published = (catalog["published"].astype(object) != False).to_numpy()  # noqa: E712 - None means unknown: allowed
    return is_source, is_source & in_stock & published


def collection_pages(catalog: pd.DataFrame, is_target: np.ndarray, options: LinkOptions,
                     workspace_root: Path | None = None) -> dict[str, str]:
    """Collection handle -> display name, for collections with enough linkable products to be worth a link
    (pages.py: the collections file of `workspace_root` when it has one, else the catalogue's or its types)."""
    return read_pages(catalog, workspace_root).linkable(is_target, options.min_collection_products)


def memberships(catalog: pd.DataFrame, workspace_root: Path | None = None) -> list[list[str]]:
    """Each row's collection pages (handles), as collection_pages reads them."""
    return read_pages(catalog, workspace_root).members


def _collection_keywords(workspace: Workspace, locale: str) -> dict[str, list[str]]:
    """Collection handle -> its keywords in `locale` (collection_targets.parquet, from the keywords stage): the
    primary, then the secondaries its products match (F1 >= 0.8), most demand first. A query a collection only
    holds a few products for ("terracotta vase" on Vases) is no anchor for it."""
    path = workspace.root / "collection_targets.parquet"
    if not path.exists():
        return {}
    try:
        rows = pq.read_table(path, columns=["collection_handle", "locale", "keyword", "role", "demand",
                                            "match"]).to_pylist()
    except (OSError, pa.ArrowException, KeyError):
        return {}  # an unreadable or older file: the name's phrasings only
    rows = [r for r in rows if r["locale"] == locale and r["keyword"] and
            (r["role"] == "primary" or (r["match"] or 0.0) >= 0.8)]
    rows.sort(key=lambda r: (r["role"] != "primary", -(r["demand"] or 0.0)))
    out: dict[str, list[str]] = {}
    for r in rows:
        found = out.setdefault(str(r["collection_handle"]), [])
        if len(found) < 6 and " ".join(str(r["keyword"]).split()) not in found:
            found.append(" ".join(str(r["keyword"]).split()))
    return out


def _bodies(catalog_path: Path) -> list[str]:
    """Each catalogue row's description as text (read apart: the stage needs it only to pick anchors)."""
    table = pq.read_table(catalog_path, columns=["body_html"])
    return [strip_html(b or "") for b in table.column("body_html").to_pylist()]


def _collection_links(catalog: pd.DataFrame, collection_of: Mapping[int, str], collections: Mapping[str, str],
                      is_source: np.ndarray, keywords: Mapping[str, list[str]] | None = None,
                      bodies: Sequence[str] = ()) -> pd.DataFrame:
    """One link per source to its collection page. The anchor is one of the page's keywords (its category
    queries) or phrasings of its name. Across sources the anchors rotate, the least used so far first, and one the
    source's description already says counts as used once less, so that push can link those very words without
    every page linking the collection by the same words."""
    ids, handles = catalog["id"].tolist(), catalog["handle"].tolist()
    rows = []
    used: dict[str, Counter[str]] = {}
    patterns: dict[str, re.Pattern[str]] = {}
    for row in sorted(collection_of, key=lambda r: handles[r]):
        if not is_source[row]:
            continue
        handle = collection_of[row]
        name = " ".join(collections[handle].split())
        options = list(dict.fromkeys([*(keywords or {}).get(handle, []),
                                      *(v.format(name=name.lower()) for v in COLLECTION_ANCHORS)]))
        body = bodies[row] if row < len(bodies) else ""
        said = {o for o in options if body and patterns.setdefault(o, _words_pattern(o)).search(body)}
        counts = used.setdefault(handle, Counter())
        anchor = min(options, key=lambda o: (counts[o] - (o in said), o not in said, options.index(o)))
        counts[anchor] += 1
        rows.append((ids[row], handles[row], "collection", handle, handle, anchor, f"its collection: {name}", 1.0))
    return pd.DataFrame(rows, columns=LINK_COLUMNS)


def _words_pattern(anchor: str) -> re.Pattern[str]:
    """The anchor's words, whole, any case (as push finds an anchor in a sentence: links/html.py)."""
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in anchor.split()) + r"(?!\w)", re.IGNORECASE)


def _with_copurchases(table: pd.DataFrame, catalog: pd.DataFrame, variants: pd.DataFrame, orders_path: Path,
                      is_source: np.ndarray, is_target: np.ndarray) -> tuple[pd.DataFrame, int]:
    with_sku = variants[variants["sku"].notna() & (variants["sku"] != "")]
    sku_rows = dict(zip(with_sku["sku"].tolist(), with_sku["row"].tolist(), strict=True))
    handle_rows = {handle: row for row, handle in enumerate(catalog["handle"])}
    bought = read_orders(orders_path, sku_rows, handle_rows)
    pairs = [(a, b, count) for (a, b), count in bought.pairs.items()]
    pairs += [(b, a, count) for a, b, count in pairs]
    extra = pd.DataFrame(pairs, columns=["source", "target", "orders"]).astype(np.int64)
    extra = extra[is_source[extra["source"]] & is_target[extra["target"]]]
    extra = extra.assign(similarity=np.float32(0.0), same_block=False)
    merged = pd.concat([table, extra], ignore_index=True).groupby(["source", "target"], as_index=False).agg(
        similarity=("similarity", "max"), same_block=("same_block", "max"), orders=("orders", "max"))
    return merged, bought.orders


def _scored(table: pd.DataFrame, options: LinkOptions) -> pd.DataFrame:
    """Score = similarity + up to 0.5 for being bought together; tier = the edge's rank among its source's
    edges of the same kind, so every source's best link of each kind is considered before anyone's second."""
    bought = np.minimum(table["orders"].to_numpy() / options.copurchase_saturation, 1.0)
    table = table.assign(score=table["similarity"].to_numpy(np.float64) + 0.5 * bought,
                         kind=np.where(table["orders"] > 0, 0, np.where(table["same_block"], 1, 2)))
    rank = table.groupby(["source", "kind"])["score"].rank(method="first", ascending=False).to_numpy() - 1
    # A complementary type's best link competes with the same type's second best, not its best.
    return table.assign(tier=rank + (table["kind"].to_numpy() == 2))


def _product_anchors(catalog: pd.DataFrame, chosen: pd.DataFrame,
                     keywords: Mapping[str, list[str]]) -> tuple[list[str], int]:
    """Anchors from each target's keywords (primary first), varied across its inbound links, best link first."""
    ids, titles, vendors = catalog["id"].tolist(), catalog["title"].tolist(), catalog["vendor"].fillna("").tolist()
    anchors = [""] * len(chosen)
    from_title = 0
    order = np.lexsort((-chosen["score"].to_numpy(), chosen["target"].to_numpy()))
    targets = chosen["target"].to_numpy()
    position = 0
    variants_cache: dict[int, list[str]] = {}
    previous = -1
    for i in order.tolist():
        t = int(targets[i])
        if t != previous:
            position, previous = 0, t
            if t not in variants_cache:
                variants_cache[t] = anchor_variants(keywords.get(ids[t], []), titles[t], vendors[t])
                from_title += not keywords.get(ids[t])
        variants = variants_cache[t]
        anchors[i] = variants[position % len(variants)]
        position += 1
    return anchors, from_title


def anchor_variants(keywords: list[str], title: str, vendor: str = "", limit: int = 4) -> list[str]:
    """Distinct anchor texts for one target: its keywords in order, then forms of its title (for variety when
    it has fewer than two keywords)."""
    words = str(title or "").split()
    fallbacks = [" ".join(words[:8])]
    if vendor and vendor.lower() not in str(title).lower():
        fallbacks.append(f"{' '.join(words[:8])} by {vendor}")
    if len(words) > 4:
        fallbacks.append(" ".join(words[:4]))
    variants: list[str] = []
    seen: set[str] = set()
    for text in [*keywords, *(fallbacks if len(set(keywords)) < 2 else [])]:
        text = " ".join(str(text).split())
        if text and text.lower() not in seen:
            seen.add(text.lower())
            variants.append(text)
    return variants[:limit] or ["this product"]


def _reasons(catalog: pd.DataFrame, variants: pd.DataFrame, chosen: pd.DataFrame,
             collections: Mapping[str, str]) -> list[str]:
    types = catalog["product_type"].fillna("").tolist()
    traits = _traits(catalog, variants)
    memberships = [set(c) if c is not None else set() for c in catalog["collections"]]
    frequency = Counter(trait for found in traits for trait in found)
    # The rarest shared traits say most (a material before a colour before a room).
    by_rarity = [sorted(found, key=lambda trait: (frequency[trait], trait)) for found in traits]
    same_type = {name: f"same collection: {name}" if handleize(name) in collections else f"same type: {name}"
                 for name in set(types) if name}
    reasons = []
    for s, t, same_block, orders in zip(chosen["source"].tolist(), chosen["target"].tolist(),
                                        chosen["same_block"].tolist(), chosen["orders"].tolist(), strict=True):
        parts = []
        if orders:
            parts.append(f"bought together in {orders} order{'s' if orders != 1 else ''}")
        shared_collections = sorted(memberships[s] & memberships[t])
        if shared_collections:
            parts.append(f"same collection: {shared_collections[0]}")
        elif same_block and types[s]:
            parts.append(same_type[types[s]])
        elif types[s] != types[t] and types[s] and types[t]:
            parts.append(f"complementary type: {types[s]} -> {types[t]}")
        shared_traits = [trait for trait in by_rarity[s] if trait in traits[t]]
        if shared_traits:
            parts.append("same material or style: " + ", ".join(shared_traits[:2]))
        reasons.append("; ".join(parts) or "similar title and tags")
    return reasons


def _traits(catalog: pd.DataFrame, variants: pd.DataFrame) -> list[set[str]]:
    """Per product: its tags (less merchandising ones) and its material/colour/style option values, lower-cased."""
    traits = [{str(tag).strip().lower() for tag in tags} - MERCHANDISING_TAGS - {""} if tags is not None else set()
              for tags in catalog["tags"]]
    names = catalog["options"].map(lambda o: [str(n).strip().lower() for n in o] if o is not None else [])
    for index in range(3):
        is_style = names.map(lambda o, i=index: len(o) > i and o[i] in STYLE_OPTIONS).to_numpy(dtype=bool)
        values = variants[f"option{index + 1}"]
        picked = variants[is_style[variants["row"].to_numpy()] & values.notna() & (values != "")]
        for row, value in zip(picked["row"].tolist(), picked[f"option{index + 1}"].tolist(), strict=True):
            traits[row].add(str(value).strip().lower())
    return traits
