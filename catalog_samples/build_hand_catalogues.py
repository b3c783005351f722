#!/usr/bin/env python3
"""Write the hand-written catalogues (<name>/data.py) as Shopify product CSVs, in both export dialects.

    python catalog_samples/build_hand_catalogues.py                 # (re)write every catalogue's two CSVs
    python catalog_samples/build_hand_catalogues.py apparel --check # exit 1 if a file is not what data.py gives

Standard library only, no randomness: the same data.py always gives byte-identical files. The copy in
data.py is written by hand; this script only lays it out the way Shopify's product export does:

* ``products.csv``: the legacy export (``Handle,Title,Body (HTML),...``), as Shopify wrote it until its
  2024 export change: lower-case ``true``/``false`` and status, a Google Shopping block, one metafield column.
* ``products_new_export.csv``: the current export (``Title,URL handle,Description,...``): ``TRUE``/``FALSE``,
  ``Active``/``Draft``/``Archived``.

Both: one row per variant (variants in option order, the first option varying slowest, as Shopify lists a
grid it created); product-level cells only on a product's first row; images zipped onto rows the way the
export does it (image 2 on the second row, and so on; images beyond the last variant get rows of their own
that hold only the handle and image cells). A product without options gets ``Title`` / ``Default Title``.
UTF-8 without BOM, RFC 4180 quoting, ``\\n`` line endings.

The catalogues: apparel, jewellery and garden (each folder's README says what it holds).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import itertools
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CATALOGUES = ("apparel", "jewellery", "garden")

LEGACY_HEADER = [
    "Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
    "Option1 Name", "Option1 Value", "Option1 Linked To", "Option2 Name", "Option2 Value", "Option2 Linked To",
    "Option3 Name", "Option3 Value", "Option3 Linked To", "Variant SKU", "Variant Grams",
    "Variant Inventory Tracker", "Variant Inventory Qty", "Variant Inventory Policy",
    "Variant Fulfillment Service", "Variant Price", "Variant Compare At Price", "Variant Requires Shipping",
    "Variant Taxable", "Unit Price Total Measure", "Unit Price Total Measure Unit", "Unit Price Base Measure",
    "Unit Price Base Measure Unit", "Variant Barcode", "Image Src", "Image Position", "Image Alt Text",
    "Gift Card", "SEO Title", "SEO Description", "Google Shopping / Google Product Category",
    "Google Shopping / Gender", "Google Shopping / Age Group", "Google Shopping / MPN",
    "Google Shopping / Condition", "Google Shopping / Custom Product", "Google Shopping / Custom Label 0",
    "Google Shopping / Custom Label 1", "Google Shopping / Custom Label 2", "Google Shopping / Custom Label 3",
    "Google Shopping / Custom Label 4", "Color (product.metafields.shopify.color-pattern)", "Variant Image",
    "Variant Weight Unit", "Variant Tax Code", "Cost per item", "Status",
]

CURRENT_HEADER = [
    "Title", "URL handle", "Description", "Vendor", "Product category", "Type", "Tags",
    "Published on online store", "Status", "SKU", "Barcode", "Option1 name", "Option1 value",
    "Option1 Linked To", "Option2 name", "Option2 value", "Option2 Linked To", "Option3 name", "Option3 value",
    "Option3 Linked To", "Price", "Compare-at price", "Cost per item", "Charge tax", "Tax code",
    "Unit price total measure", "Unit price total measure unit", "Unit price base measure",
    "Unit price base measure unit", "Inventory tracker", "Inventory quantity",
    "Continue selling when out of stock", "Weight value (grams)", "Weight unit for display",
    "Requires shipping", "Fulfillment service", "Product image URL", "Image position", "Image alt text",
    "Variant image URL", "Gift card", "SEO title", "SEO description",
    "Color (product.metafields.shopify.color-pattern)", "Google Shopping / Google product category",
    "Google Shopping / Gender", "Google Shopping / Age group",
    "Google Shopping / Manufacturer part number (MPN)", "Google Shopping / Ad group name",
    "Google Shopping / Ads labels", "Google Shopping / Condition", "Google Shopping / Custom product",
    "Google Shopping / Custom label 0", "Google Shopping / Custom label 1", "Google Shopping / Custom label 2",
    "Google Shopping / Custom label 3", "Google Shopping / Custom label 4",
]

# Our key -> (legacy column, current column)
PRODUCT_COLUMNS = {
    "handle": ("Handle", "URL handle"),
    "title": ("Title", "Title"),
    "body": ("Body (HTML)", "Description"),
    "vendor": ("Vendor", "Vendor"),
    "category": ("Product Category", "Product category"),
    "type": ("Type", "Type"),
    "tags": ("Tags", "Tags"),
    "seo_title": ("SEO Title", "SEO title"),
    "seo_description": ("SEO Description", "SEO description"),
    "color_pattern": ("Color (product.metafields.shopify.color-pattern)",
                      "Color (product.metafields.shopify.color-pattern)"),
    "google_category": ("Google Shopping / Google Product Category", "Google Shopping / Google product category"),
    "google_gender": ("Google Shopping / Gender", "Google Shopping / Gender"),
    "google_age_group": ("Google Shopping / Age Group", "Google Shopping / Age group"),
    "google_condition": ("Google Shopping / Condition", "Google Shopping / Condition"),
}
VARIANT_COLUMNS = {
    "sku": ("Variant SKU", "SKU"),
    "grams": ("Variant Grams", "Weight value (grams)"),
    "inventory": ("Variant Inventory Qty", "Inventory quantity"),
    "price": ("Variant Price", "Price"),
    "compare_at": ("Variant Compare At Price", "Compare-at price"),
    "barcode": ("Variant Barcode", "Barcode"),
    "cost": ("Cost per item", "Cost per item"),
    "weight_unit": ("Variant Weight Unit", "Weight unit for display"),
    "unit_total": ("Unit Price Total Measure", "Unit price total measure"),
    "unit_total_unit": ("Unit Price Total Measure Unit", "Unit price total measure unit"),
    "unit_base": ("Unit Price Base Measure", "Unit price base measure"),
    "unit_base_unit": ("Unit Price Base Measure Unit", "Unit price base measure unit"),
}


def load_data(folder: Path):
    spec = importlib.util.spec_from_file_location(f"catalog_data_{folder.name}", folder / "data.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {folder / 'data.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _code(value: str, codes: dict[str, str]) -> str:
    if value in codes:
        return codes[value]
    words = [w for w in "".join(c if c.isalnum() else " " for c in value).split() if w]
    if len(words) > 1:
        return "".join(w[0] for w in words).upper()
    return words[0][:4].upper() if words else "X"


def variants_of(product: dict, store: dict) -> list[dict]:
    """The product's variants: its explicit list, else the grid of its options less any excluded combinations."""
    options = product.get("options") or []
    base = {
        "grams": product.get("grams", 0), "price": product["price"], "compare_at": product.get("compare_at", ""),
        "cost": product.get("cost", ""), "weight_unit": product.get("weight_unit", store["weight_unit"]),
        "barcode": "", "unit_total": "", "unit_total_unit": "", "unit_base": "", "unit_base_unit": "",
    }
    if "unit_price" in product:
        base["unit_total"], base["unit_total_unit"], base["unit_base"], base["unit_base_unit"] = product["unit_price"]
    if "variants" in product:
        out = []
        for v in product["variants"]:
            variant = dict(base, **{k: val for k, val in v.items() if k != "values"})
            variant["values"] = list(v.get("values", ()))
            variant.setdefault("inventory", 0)
            out.append(variant)
        return out
    if not options:
        return [dict(base, values=[], sku=product["sku"], inventory=product.get("inventory", 0))]
    excluded = {tuple(x) for x in product.get("exclude", ())}
    sold_out = {tuple(x) for x in product.get("sold_out", ())}
    codes = store.get("codes", {})
    out = []
    for combo in itertools.product(*(values for _, values in options)):
        if combo in excluded:
            continue
        variant = dict(base, values=list(combo))
        variant["sku"] = "-".join([product["sku"], *(_code(v, codes) for v in combo)])
        for value in combo:
            if value in product.get("price_by", {}):
                variant["price"] = product["price_by"][value]
            if value in product.get("compare_at_by", {}):
                variant["compare_at"] = product["compare_at_by"][value]
            if value in product.get("grams_by", {}):
                variant["grams"] = product["grams_by"][value]
        # Stock levels: a fixed, readable pattern (not random), zero for sold-out combinations.
        stock = product.get("stock", 12)
        level = stock + 3 * (len(out) % 5) - 4 * (len(out) % 3)
        variant["inventory"] = 0 if combo in sold_out or stock == 0 else max(level, 0)
        out.append(variant)
    return out


def rows_of(product: dict, store: dict, dialect: str) -> list[dict[str, str]]:
    col = 0 if dialect == "legacy" else 1
    legacy = dialect == "legacy"
    options = product.get("options") or [("Title", ["Default Title"])]
    variants = variants_of(product, store)
    if not product.get("options") and "variants" not in product:
        variants[0]["values"] = ["Default Title"]
    images = product.get("images", [])
    image_base = store["image_base"]
    rows: list[dict[str, str]] = []
    for index in range(max(len(variants), len(images))):
        row: dict[str, str] = {PRODUCT_COLUMNS["handle"][col]: product["handle"]}
        if index == 0:
            for key, columns in PRODUCT_COLUMNS.items():
                if key != "handle" and product.get(key):
                    row[columns[col]] = product[key]
            published = product.get("published", True)
            status = product.get("status", "active")
            if legacy:
                row["Published"] = "true" if published else "false"
                row["Status"] = status
                row["Gift Card"] = "false"
            else:
                row["Published on online store"] = "TRUE" if published else "FALSE"
                row["Status"] = status.capitalize()
                row["Gift card"] = "FALSE"
            for number, (name, _) in enumerate(options, start=1):
                row[f"Option{number} Name" if legacy else f"Option{number} name"] = name
        if index < len(variants):
            variant = variants[index]
            for number, value in enumerate(variant["values"], start=1):
                row[f"Option{number} Value" if legacy else f"Option{number} value"] = value
            for key, columns in VARIANT_COLUMNS.items():
                value = variant.get(key, "")
                if value != "" and value is not None:
                    row[columns[col]] = str(value)
            policy = "continue" if product.get("continue_selling") else "deny"
            if legacy:
                row.update({"Variant Inventory Tracker": "shopify", "Variant Inventory Policy": policy,
                            "Variant Fulfillment Service": "manual", "Variant Requires Shipping": "true",
                            "Variant Taxable": "true"})
            else:
                row.update({"Charge tax": "TRUE", "Inventory tracker": "shopify",
                            "Continue selling when out of stock": policy.upper(), "Requires shipping": "TRUE",
                            "Fulfillment service": "manual"})
        if index < len(images):
            filename, alt = images[index]
            row["Image Src" if legacy else "Product image URL"] = image_base + filename
            row["Image Position" if legacy else "Image position"] = str(index + 1)
            if alt:
                row["Image Alt Text" if legacy else "Image alt text"] = alt
        rows.append(row)
    return rows


def render(data, dialect: str) -> str:
    header = LEGACY_HEADER if dialect == "legacy" else CURRENT_HEADER
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    seen: set[str] = set()
    for product in data.PRODUCTS:
        if product["handle"] in seen:
            raise SystemExit(f"data.py: handle {product['handle']!r} used twice")
        seen.add(product["handle"])
        for row in rows_of(product, data.STORE, dialect):
            writer.writerow(row)
    return buffer.getvalue()


OUTPUTS = {"products.csv": "legacy", "products_new_export.csv": "current"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("catalogues", nargs="*", metavar="CATALOGUE",
                        help=f"which catalogues, of {', '.join(CATALOGUES)} (default: all)")
    parser.add_argument("--check", action="store_true", help="verify the CSVs are up to date; write nothing")
    args = parser.parse_args(argv)
    unknown = [c for c in args.catalogues if c not in CATALOGUES]
    if unknown:
        parser.error(f"unknown catalogue {unknown[0]!r}; known: {', '.join(CATALOGUES)}")
    failed = 0
    for catalogue in args.catalogues or CATALOGUES:
        failed += build(HERE / catalogue, check=args.check)
    return 1 if failed else 0


def build(folder: Path, *, check: bool) -> int:
    """Write (or with check, compare) one catalogue's two CSVs; 1 when a file is out of date."""
    data = load_data(folder)
    stale = []
    for name, dialect in OUTPUTS.items():
        text = render(data, dialect)
        path = folder / name
        if check:
            if not path.exists() or path.read_bytes() != text.encode("utf-8"):
                stale.append(name)
        else:
            path.write_bytes(text.encode("utf-8"))
    variants = sum(len(variants_of(p, data.STORE)) for p in data.PRODUCTS)
    if stale:
        print(f"{folder.name}: out of date: {', '.join(stale)}; run python {Path(__file__).as_posix()} "
              f"{folder.name}", file=sys.stderr)
        return 1
    verb = "up to date" if check else "written"
    print(f"{folder.name}: {len(data.PRODUCTS)} products, {variants} variants; {', '.join(OUTPUTS)} {verb}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
