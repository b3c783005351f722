"""One product's fact sheet from its catalogue row: the adapter between the catalogue's columns and the content
gates, so generate (on provider answers) and review (on edits) judge a draft against the same facts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipeline.core.text import as_list
from pipeline.gates.content import FactSheet, ProductFactsInput, build_fact_sheet

COPY_FIELDS = ("title", "body_html", "seo_title", "seo_description")


def fact_sheet(row: Mapping[str, Any], primary_locale: str = "en") -> FactSheet:
    """The facts of the product's current copy and data (catalogue row as read from catalog.parquet)."""
    names = [str(n) for n in as_list(row.get("options"))]
    variants = [v for v in as_list(row.get("variants")) if isinstance(v, Mapping)]
    options = []
    for position, name in enumerate(names[:3], start=1):
        values = list(dict.fromkeys(str(v.get(f"option{position}") or "") for v in variants))
        options.append({"name": name, "values": [v for v in values if v]})
    return build_fact_sheet(ProductFactsInput(
        title=str(row.get("title") or ""), body_html=str(row.get("body_html") or ""),
        vendor=str(row.get("vendor") or ""), product_type=str(row.get("product_type") or ""),
        tags=tuple(str(t) for t in as_list(row.get("tags"))), options=options,
        variants=[{"sku": str(v.get("sku") or ""), "price": str(v.get("price") or ""),
                   "options": [str(v.get(f"option{i}") or "") for i in range(1, len(names) + 1)]} for v in variants],
        seo_title=str(row.get("seo_title") or ""), seo_description=str(row.get("seo_description") or ""),
        primary_locale=primary_locale))


def current_copy(row: Mapping[str, Any]) -> dict[str, str]:
    """The copy a draft replaces, field by field (empty fields left out)."""
    return {name: str(row[name]) for name in COPY_FIELDS if row.get(name)}
