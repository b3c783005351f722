"""Offline push and rollback: a Shopify product CSV import file of changed values, in the store's own dialect.

Shopify's import with "Overwrite products with matching handles" updates the products whose handle matches and
leaves every column the file does not have as it is, but blanks a column that is present and empty. So the file
holds the handle, the title (always: Shopify wants it on every product's first row) and only the columns of the
fields that change, one row per product (no variant columns, so variants are left alone); a product that
changes some of those columns but not others carries its current value in the others.
Column names and order follow the header the catalogue was pulled from (state meta `csv_header`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from pipeline.shopify import csv_format
from pipeline.state.store import StateStore
from pipeline.workspace import atomic_path

FILE_FIELDS = ("title", "body_html", "seo_title", "seo_description")  # a CSV import cannot change a handle


def store_dialect(state: StateStore) -> tuple[str, list[str]]:
    """The dialect and header of the CSV the catalogue came from (the current dialect for a store pull)."""
    dialect = state.get_meta("csv_dialect") or csv_format.CURRENT
    header = json.loads(state.get_meta("csv_header") or "null") or list(csv_format.HEADERS[dialect])
    return dialect, header


def import_columns(dialect: str, header: Sequence[str], fields: set[str]) -> list[str]:
    """The handle and Title columns and those of `fields`, in the order of `header`."""
    names = csv_format.COLUMNS[dialect]
    wanted = {names["handle"], names["title"], *(names[f] for f in fields)}
    ordered = [column for column in header if column in wanted]
    return ordered + sorted(wanted - set(ordered))


def write_import_file(destination: Path, dialect: str, header: Sequence[str],
                      products: Sequence[Mapping[str, str]]) -> int:
    """Write one row per product (field name -> value; `handle` and `title` required) atomically; return rows."""
    names = csv_format.COLUMNS[dialect]
    fields = {f for product in products for f in product if f in FILE_FIELDS and f != "title"}
    columns = import_columns(dialect, header, fields)
    with atomic_path(destination) as tmp, open(tmp, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for product in products:
            writer.writerow({names[f]: value for f, value in product.items() if f in names and names[f] in columns})
    return len(products)


def current_file_values(path: Path, handles: set[str]) -> dict[str, dict[str, str]]:
    """handle -> the values of FILE_FIELDS in a product CSV now, for these handles (the offline conflict check)."""
    _, products = csv_format.read_products(path)
    return {p["handle"]: {f: p[f] for f in FILE_FIELDS} for p in products if p["handle"] in handles}
