"""A small, clean Shopify product CSV for the reliability cases, and ways to spoil it.

Eight products across a few types, in the current export dialect, so that audit, keywords, links and generate
all have something to do; each hostile case changes one thing about it.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from pipeline.shopify.csv_format import CURRENT_HEADER

PRODUCTS = [
    ("linen-duvet-cover", "Linen Duvet Cover", "Duvet Cover", "Nordhaus", "bedroom, linen",
     "<p>The Linen Duvet Cover is cut from washed European linen for a soft, lived-in feel. A button closure at "
     "the foot keeps the duvet in place.</p><ul><li>Material: washed linen</li><li>Care: machine wash warm</li>"
     "</ul>", [("Queen", "NH-DUV-Q", "129.00"), ("King", "NH-DUV-K", "149.00")]),
    ("percale-sheet-set", "Percale Sheet Set", "Sheet Set", "Nordhaus", "bedroom, cotton",
     "<p>Crisp cotton percale sheets.</p>", [("Queen", "NH-SHT-Q", "89.00")]),
    ("brass-floor-lamp", "Aster Brass Floor Lamp", "Floor Lamp", "Lumen Atelier", "living room, brass",
     "<p>Solid brass floor lamp with a linen shade.</p>", [("Brushed", "LU-AST-B", "220.00"),
                                                          ("Polished", "LU-AST-P", "240.00")]),
    ("oak-serving-board", "Holm Oak Serving Board", "Serving Board", "Alder & Pine", "kitchen, oak",
     "<p>The Holm serving board is cut from one piece of solid oak and finished with food-safe oil. A juice "
     "groove runs around the edge.</p>", [("Default Title", "AP-HOLM-1", "59.00")]),
    ("wool-throw", "Fjord Wool Throw", "Throw Blanket", "Fjell Studio", "living room, wool",
     "<p>The Fjord throw is woven from pure wool in a herringbone pattern, with fringed ends.</p>",
     [("Grey", "FS-FJ-G", "119.00"), ("Ochre", "FS-FJ-O", "119.00")]),
    ("stoneware-mug", "Tove Stoneware Mug", "Mug", "Kiln Street", "kitchen, stoneware",
     "<p>The Tove mug is thrown in stoneware and glazed by hand.</p>", [("Sand", "KS-TOVE-S", "24.00")]),
    ("ceramic-vase", "Mira Ceramic Vase", "Vase", "Kiln Street", "living room, ceramic",
     "<p>The Mira vase is slip-cast ceramic with a matte glaze inside and out.</p>",
     [("Default Title", "KS-MIRA", "42.00")]),
    ("walnut-side-table", "Walnut Side Table", "Side Table", "Alder & Pine", "living room, walnut",
     "<p>A round side table in oiled walnut, 45 cm tall.</p>", [("Default Title", "AP-WST-1", "310.00")]),
]


def product_rows(**overrides: dict[str, str]) -> list[dict[str, str]]:
    """CSV rows (column -> cell) of the clean catalogue; `overrides[handle]` replaces cells of that product's
    first row (use the CSV's column names)."""
    rows = []
    for handle, title, kind, vendor, tags, body, variants in PRODUCTS:
        for i, (value, sku, price) in enumerate(variants):
            row: dict[str, Any] = {"URL handle": handle, "Option1 value": value, "SKU": sku, "Price": price,
                                   "Inventory quantity": "5"}
            if i == 0:
                row |= {"Title": title, "Description": body, "Vendor": vendor, "Type": kind, "Tags": tags,
                        "Status": "Active", "Published on online store": "TRUE",
                        "Option1 name": "Title" if value == "Default Title" else "Variant"}
                row |= overrides.get(handle.replace("-", "_"), overrides.get(handle, {}))
            rows.append(row)
    return rows


def csv_text(rows: list[dict[str, str]] | None = None, *, header: list[str] | None = None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or CURRENT_HEADER, lineterminator="\n")
    writer.writeheader()
    for row in rows if rows is not None else product_rows():
        writer.writerow(row)
    return out.getvalue()


CLEAN_CSV = csv_text()
