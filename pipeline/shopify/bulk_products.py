"""A bulk product query's JSONL result -> catalogue rows, in memory that does not grow with the catalogue.

Each connection node (a variant, a collection) comes on its own line with `__parentId`, and since API 2026-01
(`groupObjects: false`) a child line may come before its parent. So lines are first routed, unparsed, into
partitions by their product's id (a partition is one list in memory for a small file, a temporary file each
for a large one, sized from the operation's `fileSize`), and then each partition is read alone and its
products put together. Routing reads the product id from the line's text: `__parentId` on child lines, the
leading `id` on product lines (our query selects `id` first); anything else is parsed to be sure.
"""

from __future__ import annotations

import json
import math
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

PARTITION_BYTES = 48 * 1024 * 1024
PARENT_KEY = b'"__parentId":"'
LEADING_ID = b'{"id":"'


def product_id_of(line: bytes) -> bytes:
    """The id of the product a JSONL line belongs to: its parent's for a child line, its own otherwise."""
    at = line.rfind(PARENT_KEY)
    if at >= 0:
        start = at + len(PARENT_KEY)
        return line[start:line.index(b'"', start)]
    if line.startswith(LEADING_ID):
        return line[len(LEADING_ID):line.index(b'"', len(LEADING_ID))]
    node = json.loads(line)
    return str(node.get("__parentId") or node["id"]).encode()


def catalog_rows(lines: Iterable[bytes], file_size: int | None = None, *,
                 partition_bytes: int = PARTITION_BYTES, tmp_dir: Path | None = None,
                 counts: dict[str, int] | None = None) -> Iterator[dict[str, Any]]:
    """Catalogue rows (pipeline.catalog's shape) from a bulk product query's lines."""
    counts = counts if counts is not None else {}
    partitions = max(1, math.ceil((file_size or 0) / partition_bytes)) if file_size is not None else 16
    if partitions == 1:
        yield from _assemble(list(lines), counts)
        return
    with tempfile.TemporaryDirectory(prefix="bulk-products-", dir=tmp_dir) as folder:
        paths = [Path(folder) / f"part-{i:04d}.jsonl" for i in range(partitions)]
        files = [open(path, "wb", buffering=1 << 20) for path in paths]  # noqa: SIM115 - closed just below
        try:
            for line in lines:
                file = files[zlib.crc32(product_id_of(line)) % partitions]
                file.write(line)
                file.write(b"\n")
        finally:
            for file in files:
                file.close()
        for path in paths:
            with open(path, "rb") as file:
                part = file.read().split(b"\n")
            path.unlink()
            yield from _assemble(part, counts)


def _assemble(lines: list[bytes], counts: dict[str, int]) -> Iterator[dict[str, Any]]:
    products: dict[str, dict[str, Any]] = {}
    children: list[tuple[str, dict[str, Any]]] = []
    for raw in lines:
        if not raw:
            continue
        node = json.loads(raw)
        parent = node.pop("__parentId", None)
        if parent is None:
            node["variants"], node["collections"] = [], []
            products[node["id"]] = node
        else:
            children.append((parent, node))
    for parent, node in children:
        product = products.get(parent)
        if product is None:
            counts["orphan_lines"] = counts.get("orphan_lines", 0) + 1
            continue
        kind = node.get("id", "").split("/")[3] if node.get("id", "").count("/") >= 4 else ""
        if kind == "ProductVariant":
            product["variants"].append(node)
        elif kind == "Collection":
            product["collections"].append(node)
    lines.clear()
    for product in products.values():
        counts["products"] = counts.get("products", 0) + 1
        yield catalog_row(product)


def catalog_row(node: dict[str, Any]) -> dict[str, Any]:
    """One product (its JSONL line, with `variants` and `collections` lists of child nodes) as a catalogue row."""
    options = [o.get("name") or "" for o in node.get("options") or []]
    variants = []
    for variant in sorted(node.get("variants") or [], key=lambda v: v.get("position") or 0):
        chosen = {o.get("name"): o.get("value") for o in variant.get("selectedOptions") or []}
        values = [chosen.get(name) or "" for name in options[:3]] + [""] * (3 - min(3, len(options)))
        variants.append({
            "sku": variant.get("sku") or "", "price": _money(variant.get("price")),
            "compare_at_price": _money(variant.get("compareAtPrice")), "barcode": variant.get("barcode") or "",
            "option1": values[0], "option2": values[1], "option3": values[2],
            "inventory_quantity": variant.get("inventoryQuantity"),
        })
    seo = node.get("seo") or {}
    return {
        "id": node["id"],
        "handle": node.get("handle") or "",
        "title": node.get("title") or "",
        "body_html": node.get("descriptionHtml") or "",
        "vendor": node.get("vendor") or "",
        "product_type": node.get("productType") or "",
        "product_category": (node.get("category") or {}).get("fullName") or "",
        "tags": list(node.get("tags") or []),
        "status": (node.get("status") or "").lower(),
        "published": node.get("publishedAt") is not None,
        "updated_at": node.get("updatedAt") or "",
        "seo_title": seo.get("title") or "",
        "seo_description": seo.get("description") or "",
        "image_alt": (node.get("featuredMedia") or {}).get("alt") or "",
        "collections": sorted(c.get("handle") or "" for c in node.get("collections") or []),
        "options": options,
        "variants": variants,
        "source": "shopify",
        "source_rows": "",
    }


def _money(value: Any) -> str:
    return "" if value is None else str(value)
