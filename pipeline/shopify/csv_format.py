"""Shopify's product CSV, in both header dialects: read it into catalogue rows, write catalogue rows back.

The current dialect (`Title, URL handle, Description, ...`) and the legacy one (`Handle, Title, Body (HTML),
...`) carry the same data under different names. Reading records which dialect and header a file used, so
the files we write back (an import file of approved changes) look like what the merchant exported.
Variants are extra rows with the same handle; product-level cells are filled only on a handle's first row.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.workspace import read_input_bytes

CURRENT, LEGACY = "current", "legacy"
# Python's csv refuses cells over 128 KiB by default; real descriptions can be far larger (inline base64 images),
# so cells up to this size are read, and a larger one is a clear error rather than a "malformed CSV".
MAX_CELL_BYTES = 64 * 1024 * 1024

CURRENT_HEADER = (
    "Title,URL handle,Description,Vendor,Product category,Type,Tags,Published on online store,Status,SKU,"
    "Barcode,Option1 name,Option1 value,Option1 Linked To,Option2 name,Option2 value,Option2 Linked To,"
    "Option3 name,Option3 value,Option3 Linked To,Price,Compare-at price,Cost per item,Charge tax,Tax code,"
    "Unit price total measure,Unit price total measure unit,Unit price base measure,"
    "Unit price base measure unit,Inventory tracker,Inventory quantity,Continue selling when out of stock,"
    "Weight value (grams),Weight unit for display,Requires shipping,Fulfillment service,Product image URL,"
    "Image position,Image alt text,Variant image URL,Gift card,SEO title,SEO description,"
    "Color (product.metafields.shopify.color-pattern),Google Shopping / Google product category,"
    "Google Shopping / Gender,Google Shopping / Age group,Google Shopping / Manufacturer part number (MPN),"
    "Google Shopping / Ad group name,Google Shopping / Ads labels,Google Shopping / Condition,"
    "Google Shopping / Custom product,Google Shopping / Custom label 0,Google Shopping / Custom label 1,"
    "Google Shopping / Custom label 2,Google Shopping / Custom label 3,Google Shopping / Custom label 4"
).split(",")

LEGACY_HEADER = (
    "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,"
    "Option1 Linked To,Option2 Name,Option2 Value,Option2 Linked To,Option3 Name,Option3 Value,"
    "Option3 Linked To,Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,"
    "Variant Inventory Policy,Variant Fulfillment Service,Variant Price,Variant Compare At Price,"
    "Variant Requires Shipping,Variant Taxable,Unit Price Total Measure,Unit Price Total Measure Unit,"
    "Unit Price Base Measure,Unit Price Base Measure Unit,Variant Barcode,Image Src,Image Position,"
    "Image Alt Text,Gift Card,SEO Title,SEO Description,Color (product.metafields.shopify.color-pattern),"
    "Variant Image,Variant Weight Unit,Variant Tax Code,Cost per item,Status"
).split(",")

# Our field name -> the column that holds it, per dialect.
COLUMNS: dict[str, dict[str, str]] = {
    CURRENT: {
        "handle": "URL handle", "title": "Title", "body_html": "Description", "vendor": "Vendor",
        "product_category": "Product category", "product_type": "Type", "tags": "Tags",
        "published": "Published on online store", "status": "Status", "seo_title": "SEO title",
        "seo_description": "SEO description", "image_alt": "Image alt text",
        "image_src": "Product image URL", "image_position": "Image position",
        "option1_name": "Option1 name", "option2_name": "Option2 name", "option3_name": "Option3 name",
        "option1": "Option1 value", "option2": "Option2 value", "option3": "Option3 value",
        "sku": "SKU", "barcode": "Barcode", "price": "Price", "compare_at_price": "Compare-at price",
        "inventory_quantity": "Inventory quantity",
    },
    LEGACY: {
        "handle": "Handle", "title": "Title", "body_html": "Body (HTML)", "vendor": "Vendor",
        "product_category": "Product Category", "product_type": "Type", "tags": "Tags",
        "published": "Published", "status": "Status", "seo_title": "SEO Title",
        "seo_description": "SEO Description", "image_alt": "Image Alt Text",
        "image_src": "Image Src", "image_position": "Image Position",
        "option1_name": "Option1 Name", "option2_name": "Option2 Name", "option3_name": "Option3 Name",
        "option1": "Option1 Value", "option2": "Option2 Value", "option3": "Option3 Value",
        "sku": "Variant SKU", "barcode": "Variant Barcode", "price": "Variant Price",
        "compare_at_price": "Variant Compare At Price", "inventory_quantity": "Variant Inventory Qty",
    },
}
HEADERS = {CURRENT: CURRENT_HEADER, LEGACY: LEGACY_HEADER}

# Product-level fields that must agree on every row of a handle where they are filled.
PRODUCT_FIELDS = ("title", "body_html", "vendor", "product_type", "tags", "status", "seo_title",
                  "seo_description")
VARIANT_FIELDS = ("sku", "price", "compare_at_price", "barcode", "option1", "option2", "option3")


@dataclass(frozen=True)
class CsvSource:
    path: Path
    dialect: str
    header: list[str]


def detect_dialect(header: list[str], path: Path) -> str:
    names = set(header)
    if "URL handle" in names:
        dialect = CURRENT
    elif "Handle" in names:
        dialect = LEGACY
    else:
        raise InputError("missing required column 'URL handle' (current Shopify export) or 'Handle' (legacy "
                         "export); is this a Shopify product CSV?", file=str(path), row=1)
    if "Title" not in names:
        raise InputError("missing required column", file=str(path), row=1, field="Title")
    return dialect


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; export the file as UTF-8 "
                         "(Shopify requires it)", file=str(path), row=line) from None


def _sniff_delimiter(first_line: str, path: Path) -> None:
    if first_line.count(",") == 0 and (first_line.count(";") > 0 or first_line.count("\t") > 0):
        sep = "semicolons" if first_line.count(";") else "tabs"
        raise InputError(f"header is separated by {sep}; Shopify product CSVs use commas", file=str(path), row=1)


def read_products(path: Path) -> tuple[CsvSource, Iterator[dict[str, Any]]]:
    """Validate the header now; the returned iterator validates and yields one product per handle."""
    path = Path(path)
    text = _decode(read_input_bytes(path), path)
    if not text.strip():
        raise InputError("file is empty; expected a Shopify product CSV with a header row", file=str(path))
    _sniff_delimiter(text.split("\n", 1)[0], path)
    if csv.field_size_limit() < MAX_CELL_BYTES:
        csv.field_size_limit(MAX_CELL_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise InputError(f"unreadable CSV header: {exc}", file=str(path), row=1) from None
    header = [h.strip() for h in header]
    dialect = detect_dialect(header, path)
    duplicated = sorted({h for h in header if header.count(h) > 1 and h})
    if duplicated:
        raise InputError("column appears more than once in the header", file=str(path), row=1,
                         field=duplicated[0])
    source = CsvSource(path=path, dialect=dialect, header=header)
    return source, _products(reader, source)


def _records(reader: Any, source: CsvSource) -> Iterator[tuple[int, dict[str, str]]]:
    width = len(source.header)
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise InputError(f"a cell is larger than {MAX_CELL_BYTES // 2**20} MB", file=str(source.path),
                                 row=line) from None
            raise InputError(f"malformed CSV ({exc}); is a quote left open?", file=str(source.path),
                             row=line) from None
        start, line = line, reader.line_num + 1
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != width:
            raise InputError(f"has {len(cells)} cells but the header has {width}; the file may be truncated "
                             "or use another delimiter", file=str(source.path), row=start)
        yield start, {name: value for name, value in zip(source.header, cells, strict=True) if value != ""}


def _products(reader: Any, source: CsvSource) -> Iterator[dict[str, Any]]:
    cols = COLUMNS[source.dialect]
    seen_handles: set[str] = set()
    current: list[tuple[int, dict[str, str]]] = []
    for row_number, cells in _records(reader, source):
        handle = cells.get(cols["handle"], "").strip()
        if not handle:
            raise InputError("empty handle; every row needs the product's handle", file=str(source.path),
                             row=row_number, field=cols["handle"])
        if current and handle != current[0][1][cols["handle"]].strip():
            yield _assemble(current, source)
            current = []
        if not current:
            if handle in seen_handles:
                raise InputError(f"handle {handle!r} appears again after other products; a product's rows "
                                 "must be together and each handle used once", file=str(source.path),
                                 row=row_number, field=cols["handle"])
            seen_handles.add(handle)
        current.append((row_number, cells))
    if current:
        yield _assemble(current, source)


def _assemble(rows: list[tuple[int, dict[str, str]]], source: CsvSource) -> dict[str, Any]:
    cols = COLUMNS[source.dialect]
    first_row, first = rows[0]
    for row_number, cells in rows[1:]:
        for name in PRODUCT_FIELDS:
            column = cols[name]
            value = cells.get(column)
            if value is not None and value != first.get(column, ""):
                raise InputError(
                    f"disagrees with the product's first row ({first_row}) for handle "
                    f"{first[cols['handle']]!r}", file=str(source.path), row=row_number, field=column)
    variants = []
    for index, (row_number, cells) in enumerate(rows):
        if index and not any(cells.get(cols[f]) for f in (*VARIANT_FIELDS, "inventory_quantity")):
            continue  # an extra image row, not a variant; a product's first row always is one
        quantity_text = cells.get(cols["inventory_quantity"], "").strip()
        try:
            quantity = int(float(quantity_text)) if quantity_text else None
        except ValueError:
            raise InputError(f"{quantity_text!r} is not a number", file=str(source.path), row=row_number,
                             field=cols["inventory_quantity"]) from None
        variant: dict[str, Any] = {f: cells.get(cols[f], "") for f in VARIANT_FIELDS}
        variant["inventory_quantity"] = quantity
        variants.append(variant)
    published_text = first.get(cols["published"], "").strip().lower()
    handle = first[cols["handle"]].strip()
    return {
        "id": handle,
        "handle": handle,
        "title": first.get(cols["title"], ""),
        "body_html": first.get(cols["body_html"], ""),
        "vendor": first.get(cols["vendor"], ""),
        "product_category": first.get(cols["product_category"], ""),
        "product_type": first.get(cols["product_type"], ""),
        "tags": [t.strip() for t in first.get(cols["tags"], "").split(",") if t.strip()],
        "status": first.get(cols["status"], "active").strip().lower() or "active",
        "published": {"true": True, "false": False}.get(published_text),
        "seo_title": first.get(cols["seo_title"], ""),
        "seo_description": first.get(cols["seo_description"], ""),
        "image_alt": first.get(cols["image_alt"], ""),
        "image_url": first_image(rows, cols),
        "options": [first[cols[f"option{i}_name"]] for i in (1, 2, 3) if first.get(cols[f"option{i}_name"])],
        "variants": variants,
        "collections": [],
        "updated_at": "",
        "source": "csv",
        "source_rows": json.dumps([cells for _, cells in rows], ensure_ascii=False, separators=(",", ":")),
    }


def first_image(rows: list[tuple[int, dict[str, str]]], cols: dict[str, str]) -> str | None:
    """The product's first image: the image cell of its lowest "Image position" (rows without a position after
    those with one, in file order), as Shopify orders a product's images; None when no row has one."""
    images = []
    for order, (_, cells) in enumerate(rows):
        url = cells.get(cols["image_src"], "").strip()
        if url:
            position = cells.get(cols["image_position"], "").strip()
            images.append((int(position) if position.isdigit() else float("inf"), order, url))
    return min(images)[2] if images else None


def product_rows(product: dict[str, Any], dialect: str) -> list[dict[str, str]]:
    """A catalogue row as CSV rows (column -> cell), from its raw rows when it came from a CSV."""
    cols = COLUMNS[dialect]
    rows: list[dict[str, str]] = json.loads(product["source_rows"]) if product.get("source_rows") else []
    if not rows:
        variants = list(product.get("variants") or []) or [{"option1": "Default Title"}]
        for variant in variants:
            row = {cols[f]: str(variant.get(f) or "") for f in VARIANT_FIELDS}
            quantity = variant.get("inventory_quantity")
            row[cols["inventory_quantity"]] = "" if quantity is None else str(quantity)
            rows.append(row)
        first = rows[0]
        options = list(product.get("options") or []) or ["Title"]
        for i, name in enumerate(options[:3], start=1):
            first[cols[f"option{i}_name"]] = name
        for name in ("vendor", "product_category", "product_type", "image_alt"):
            first[cols[name]] = product.get(name) or ""
        first[cols["tags"]] = ", ".join(product.get("tags") or [])
        status = (product.get("status") or "active").lower()
        first[cols["status"]] = status.capitalize() if dialect == CURRENT else status
        if product.get("published") is not None:
            first[cols["published"]] = "TRUE" if product["published"] else "FALSE"
    for row in rows:
        row[cols["handle"]] = product["handle"]
    for name in ("title", "body_html", "seo_title", "seo_description"):
        rows[0][cols[name]] = product.get(name) or ""
    return rows


def write_products(products: Any, destination: Path, dialect: str, header: list[str] | None = None) -> int:
    """Write catalogue rows as a Shopify product CSV (UTF-8, no BOM, RFC 4180 quoting). Returns row count."""
    from pipeline.workspace import atomic_path

    columns = list(header or HEADERS[dialect])
    count = 0
    with atomic_path(Path(destination)) as tmp, open(tmp, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for product in products:
            for row in product_rows(product, dialect):
                writer.writerow(row)
                count += 1
    return count
