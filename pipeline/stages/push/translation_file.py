"""Offline push and rollback of translations: Shopify's translation import file (pipeline/shopify/translations_csv.py).

A product's translation row names the product by its Shopify id (`Identification`), which a product CSV does not
have: the ids come from the translation export pull joined (translations.parquet's `identification`, kept as
exported), or from the catalogue's own ids after a store pull (gid://shopify/Product/N). Each row we write is the
export's row for that product, field and locale with only `Translated content` changed; a field the export had
no row for gets the product's primary-locale text as its default content. Push writes
exports/shopify_translations_<run>.csv, rollback exports/shopify_translations_rollback_<run>.csv.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.shopify import translations_csv as tcsv
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace

FIELD_KEYS = tcsv.FIELD_KEYS  # our field -> Shopify's key (title, body_html, meta_title, meta_description)
IMPORT_HINT = "Shopify admin > Settings > Languages > Import"


@dataclass
class ProductResource:
    """How the translation file names one product, and the export's row of each of its fields per locale."""

    resource_type: str
    identification: str
    rows: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (locale, key) -> the export's row

    def row(self, entry_locale: str, field_name: str, default: str, market: str = "") -> tcsv.TranslationRow:
        """The export's row for this field and locale (or a new one), to hold a new translation."""
        found = self.rows.get((entry_locale, FIELD_KEYS[field_name]))
        return tcsv.TranslationRow(
            resource_type=self.resource_type, identification=self.identification, field=FIELD_KEYS[field_name],
            locale=entry_locale, market=market, status=(found or {}).get("status") or "",
            default_content=(found or {}).get("default_content") or default)

    def has_default(self, locale: str, field_name: str) -> bool:
        found = self.rows.get((locale, FIELD_KEYS[field_name]))
        return bool(found and (found.get("default_content") or "").strip())


def export_path(workspace: Workspace, run_id: int, *, rollback: bool = False) -> Path:
    return workspace.exports / f"shopify_translations_{'rollback_' if rollback else ''}{run_id}.csv"


def resources(workspace: Workspace, product_ids: Sequence[str]) -> dict[str, ProductResource]:
    """product id -> how the translation file names it: from the pulled export's rows, else from a store id."""
    ids = list(dict.fromkeys(product_ids))
    out: dict[str, ProductResource] = {}
    path = workspace.locales
    if ids and path.exists() and "identification" in pq.read_schema(path).names:
        columns = ["product_id", "locale", "key", "resource_type", "identification", "default_content", "status"]
        table = pq.read_table(path, columns=columns, filters=[("product_id", "in", ids)])
        for row in table.to_pylist():
            if not row["identification"]:
                continue
            resource = out.setdefault(row["product_id"], ProductResource(row["resource_type"] or tcsv.PRODUCT,
                                                                         row["identification"]))
            resource.rows[(row["locale"], row["key"])] = row
    for product_id in ids:
        number = tcsv.product_number(product_id)
        if product_id not in out and number:
            out[product_id] = ProductResource(tcsv.PRODUCT, number)
    return out


def header(state: StateStore) -> tuple[str, ...]:
    """The header of the export pulled (the Markets-era one, or the older one without Market)."""
    found = tuple(json.loads(state.get_meta("translations_header") or "null") or ())
    return found if found in (tcsv.CURRENT_HEADER, tcsv.LEGACY_HEADER) else tcsv.CURRENT_HEADER


def source_file(state: StateStore, override: Path | None = None) -> Path | None:
    """The translation export to compare with at push time: the one given now (a newer export), else the one
    pulled, while it is still there; None when there is none."""
    if override is not None:
        return Path(override)
    path = state.get_meta("translations_path")
    return Path(path) if path and Path(path).is_file() else None


def current_values(path: Path, found: Mapping[str, ProductResource],
                   locales: Sequence[str]) -> dict[tuple[str, str, str], str | None]:
    """(product_id, locale, our field) -> the translation the export at `path` holds now, for these products."""
    numbers = {tcsv.resource_number(resource.identification): pid for pid, resource in found.items()}
    return tcsv.current_translations(tcsv.read_translation_file(path), numbers, locales)
