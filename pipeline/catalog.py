"""The catalogue artefact: one row per product, variants nested, in Shopify's field names.

Both pull paths (CSV file and Admin API bulk JSONL) produce rows of this one shape, so every later stage
reads a single format. `content_hash` covers exactly the fields we rewrite: it decides what is new or
changed for re-optimisation and is part of the generation cache key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.io import atomic_path

REWRITABLE_FIELDS = ("title", "body_html", "seo_title", "seo_description", "handle")

VARIANT_TYPE = pa.struct([
    ("sku", pa.string()),
    ("price", pa.string()),
    ("compare_at_price", pa.string()),
    ("barcode", pa.string()),
    ("option1", pa.string()),
    ("option2", pa.string()),
    ("option3", pa.string()),
    ("inventory_quantity", pa.int64()),
])

SCHEMA = pa.schema([
    ("id", pa.string()),
    ("handle", pa.string()),
    ("title", pa.string()),
    ("body_html", pa.string()),
    ("vendor", pa.string()),
    ("product_type", pa.string()),
    ("product_category", pa.string()),
    ("tags", pa.list_(pa.string())),
    ("status", pa.string()),
    ("published", pa.bool_()),
    ("updated_at", pa.string()),
    ("seo_title", pa.string()),
    ("seo_description", pa.string()),
    ("image_alt", pa.string()),
    ("collections", pa.list_(pa.string())),
    ("options", pa.list_(pa.string())),
    ("variants", pa.list_(VARIANT_TYPE)),
    ("total_inventory", pa.int64()),
    ("content_hash", pa.string()),
    ("source", pa.string()),
    # Raw CSV rows of this product (JSON), so a file written back keeps every column we do not rewrite.
    ("source_rows", pa.string()),
])

COLUMNS = tuple(SCHEMA.names)


def content_hash(product: dict[str, Any]) -> str:
    payload = json.dumps([product.get(f) or "" for f in REWRITABLE_FIELDS], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def finish_row(product: dict[str, Any]) -> dict[str, Any]:
    """Fill defaults and derived columns so a row matches SCHEMA."""
    row = {name: product.get(name) for name in COLUMNS}
    for name in ("tags", "collections", "options", "variants"):
        row[name] = list(row[name] or [])
    for name in ("handle", "title", "body_html", "vendor", "product_type", "product_category", "status",
                 "updated_at", "seo_title", "seo_description", "image_alt", "source", "source_rows"):
        row[name] = row[name] or ""
    quantities = [v.get("inventory_quantity") for v in row["variants"]]
    known = [q for q in quantities if q is not None]
    row["total_inventory"] = sum(known) if known else None
    row["content_hash"] = content_hash(row)
    return row


class CatalogWriter:
    """Streams product rows into catalog.parquet in batches; the file appears only when all rows are in."""

    def __init__(self, destination: Path, batch_size: int = 5000):
        self.destination = Path(destination)
        self.batch_size = batch_size
        self.count = 0
        self.sku_count = 0

    def write_all(self, products: Iterable[dict[str, Any]]) -> int:
        with atomic_path(self.destination) as tmp:
            writer = pq.ParquetWriter(tmp, SCHEMA, compression="zstd")
            try:
                batch: list[dict[str, Any]] = []
                for product in products:
                    row = finish_row(product)
                    self.count += 1
                    self.sku_count += len(row["variants"])
                    batch.append(row)
                    if len(batch) >= self.batch_size:
                        writer.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
                        batch = []
                if batch or self.count == 0:
                    writer.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
            finally:
                writer.close()
        return self.count


def write_catalog(destination: Path, products: Iterable[dict[str, Any]]) -> CatalogWriter:
    writer = CatalogWriter(destination)
    writer.write_all(products)
    return writer


def read_catalog(path: Path, columns: list[str] | None = None):
    """The catalogue as a pandas DataFrame (one row per product)."""
    from pipeline.errors import InputError

    path = Path(path)
    if not path.exists():
        raise InputError("no catalogue yet; run `make pull` first", file=str(path))
    try:
        table = pq.read_table(path, columns=columns)
    except (pa.ArrowException, OSError) as exc:  # truncated, overwritten, or from an older schema
        raise InputError(f"not a readable Parquet file ({type(exc).__name__}); re-run `make pull`",
                         file=str(path)) from None
    return table.to_pandas()


def iter_catalog(path: Path) -> Iterator[dict[str, Any]]:
    """Product rows as plain dicts, one batch in memory at a time."""
    for batch in pq.ParquetFile(path).iter_batches(batch_size=5000):
        yield from batch.to_pylist()
