"""Collection pages a product may link to, and which one each product links to.

Where the pages come from, in order:

- the collections file (workspace/<store>/collections.parquet, with the merchant's edits in collections.csv;
  pipeline/core/collections.py) when there is one. A product links to collections it belongs to (their
  `product_handles`). When the file has collections the store has (pulled: `source` "store" or a store id), only
  those are pages: a proposal does not exist on the store until someone creates it. When it has none (a catalogue
  pulled from a product CSV, which cannot carry collections), its proposals are the pages: the collections
  collections.csv lists for the merchant to create, the same pages the product-type guess below would name, and
  more specific ones ("Teak Bath Mats", made for a query with demand);
- else the catalogue's own `collections` column (a store pull without the file);
- else the product type, handleized: `Area Rugs` is `/collections/area-rugs`, the usual automated collection.

A page is worth a link with at least `min_products` linkable products. Each product links to the most specific
page it is in: a category page first (every active member of the same product type as the product: "Bath Mats",
"Teak Bath Mats"), the smallest of them; else the smallest page of any kind ("Linen", "Living Room").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.core import collections as coll
from pipeline.core.text import handleize
from pipeline.workspace import Workspace

FROM_STORE = "store collections"
FROM_PROPOSALS = "proposed collections (none on the store yet)"
FROM_CATALOGUE = "the catalogue's collections"
FROM_TYPES = "product types"


@dataclass(frozen=True)
class CollectionPages:
    names: dict[str, str]  # handle -> display name: every page, linkable or not
    members: list[list[str]]  # each catalogue row's pages (handles)
    origin: str  # FROM_*

    def linkable(self, is_target: np.ndarray, min_products: int) -> dict[str, str]:
        """Handle -> name of the pages with at least `min_products` linkable products."""
        counts: Counter[str] = Counter()
        for row, handles in enumerate(self.members):
            if is_target[row]:
                counts.update(handles)
        return {h: self.names[h] for h, n in counts.items() if n >= min_products}

    def live(self, is_target: np.ndarray) -> dict[str, bool]:
        """Handle -> whether the page holds a linkable product."""
        out = dict.fromkeys(self.names, False)
        for row, handles in enumerate(self.members):
            if is_target[row]:
                for handle in handles:
                    out[handle] = True
        return out


def read_pages(catalog: pd.DataFrame, workspace_root: Path | None) -> CollectionPages:
    """The collection pages of the catalogue (its rows in order: `handle`, `collections`, `product_type`)."""
    if workspace_root is not None:
        workspace = Workspace(workspace_root)
        if coll.collections_path(workspace).exists() or coll.collections_csv_path(workspace).exists():
            return _from_file(catalog, coll.read_collections(workspace))
    handles_listed = any(len(c) for c in catalog["collections"] if c is not None)
    names: dict[str, str] = {}
    members: list[list[str]] = []
    listed = catalog["collections"] if handles_listed else catalog["product_type"]
    for value in listed:
        found = [str(v) for v in value] if handles_listed and value is not None else \
            [str(value).strip()] if not handles_listed and value and str(value).strip() else []
        row = []
        for name in found:
            handle = handleize(name)
            if handle:
                names.setdefault(handle, " ".join(name.split()))
                row.append(handle)
        members.append(list(dict.fromkeys(row)))
    return CollectionPages(names, members, FROM_CATALOGUE if handles_listed else FROM_TYPES)


def _from_file(catalog: pd.DataFrame, rows: list[dict]) -> CollectionPages:
    on_store = [r for r in rows if r.get("id") or r.get("source") == "store"]
    pages = on_store or rows
    at = {h: i for i, h in enumerate(catalog["handle"].fillna("").astype(str))}
    names: dict[str, str] = {}
    members: list[list[str]] = [[] for _ in range(len(catalog))]
    for row in pages:
        handle = str(row["handle"])
        names[handle] = " ".join(str(row.get("title") or handle).split())
        for product in row.get("product_handles") or []:
            if product in at:
                members[at[product]].append(handle)
    return CollectionPages(names, members, FROM_STORE if on_store else FROM_PROPOSALS)


def page_per_product(catalog: pd.DataFrame, pages: CollectionPages, linkable: dict[str, str],
                     active: np.ndarray) -> dict[int, str]:
    """Row -> the page it links to, among the `linkable` pages it is in (module docstring: category first)."""
    types = catalog["product_type"].fillna("").astype(str).str.strip().str.lower().tolist()
    size: Counter[str] = Counter()
    kinds: dict[str, set[str]] = {}
    for row, handles in enumerate(pages.members):
        if not active[row]:
            continue
        for handle in handles:
            size[handle] += 1
            kinds.setdefault(handle, set()).add(types[row])
    chosen = {}
    for row, handles in enumerate(pages.members):
        options = [h for h in handles if h in linkable]
        if options:
            chosen[row] = min(options, key=lambda h: (kinds.get(h, set()) != {types[row]}, size[h], h))
    return chosen


__all__ = ["CollectionPages", "FROM_CATALOGUE", "FROM_PROPOSALS", "FROM_STORE", "FROM_TYPES", "page_per_product",
           "read_pages"]
