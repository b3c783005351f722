"""The Shopify double as the reliability cases use it: a pulled store with reviewed drafts (tests/push_fixtures.py),
a count of the writes each product received, and the check that nothing on the store changed without its entry in
the push ledger."""

from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.push_fixtures import SampleStore, sample_store

FIELDS = {"title": "title", "descriptionHtml": "body_html", "handle": "handle"}


@contextlib.contextmanager
def pushed_store(tmp_path: Path, *, products: int, settings: str = "") -> Iterator[SampleStore]:
    """The bundled sample's first `products` products on a running double, pulled, drafted and reviewed; SHOPIFY_*
    point at the double meanwhile. `settings` is appended to its seo.toml's [shopify] section."""
    monkeypatch = pytest.MonkeyPatch()
    tmp_path.mkdir(parents=True, exist_ok=True)
    stores = sample_store(tmp_path, monkeypatch, limit=products)
    try:
        sample = next(stores)
        if settings:
            config = Path(sample.case.base[sample.case.base.index("--config") + 1])
            config.write_text(config.read_text(encoding="utf-8") + settings + "\n", encoding="utf-8")
        yield sample
    finally:
        stores.close()
        monkeypatch.undo()


def count_writes(shop: Any) -> Counter[str]:
    """Count, per product, the writes the double accepted (productUpdate, single or in a bulk mutation, and
    translationsRegister), from now on."""
    writes: Counter[str] = Counter()
    update, register = shop._product_update, shop._translations_register

    def counted_update(changes: dict[str, Any]) -> dict[str, Any]:
        answer = update(changes)
        if answer.get("product"):
            writes[f"product {changes.get('id')}"] += 1
        return answer

    def counted_register(resource_id: str, inputs: list[dict[str, Any]]) -> dict[str, Any]:
        answer = register(resource_id, inputs)
        if answer.get("translations"):
            writes[f"translations {resource_id} {inputs[0]['locale'] if inputs else ''}"] += 1
        return answer

    shop._product_update, shop._translations_register = counted_update, counted_register
    return writes


def store_fields(product: dict[str, Any]) -> dict[str, str]:
    values = {ours: product.get(theirs) or "" for theirs, ours in FIELDS.items()}
    seo = product.get("seo") or {}
    values |= {"seo_title": seo.get("title") or "", "seo_description": seo.get("description") or ""}
    return values


def unledgered_changes(shop: Any, pulled: dict[str, Any], state_path: Path) -> list[str]:
    """Fields the store holds differently from `pulled` (field_values before the push) with no ledger row that
    wrote exactly that value: what a push applied without recording it first. Empty when every change on the
    store is accounted for."""
    with sqlite3.connect(state_path) as db:
        recorded = {(pid, name, after) for pid, name, after in db.execute(
            "SELECT product_id, field, after FROM push_ledger WHERE locale = 'en' AND target LIKE 'store:%'")}
    missing = []
    for pid, product in shop.products.items():
        if pid not in pulled["products"]:
            continue
        before = store_fields(pulled["products"][pid])
        for name, value in store_fields(product).items():
            if value != before[name] and (pid, name, value) not in recorded:
                missing.append(f"{pid} {name}")
    return missing


def ledger_counts(state_path: Path) -> Counter[str]:
    with sqlite3.connect(state_path) as db:
        return Counter(dict(db.execute("SELECT status, COUNT(*) FROM push_ledger GROUP BY status").fetchall()))


def approved_on_store(sample: SampleStore) -> tuple[int, int]:
    """(approved English changes the store holds exactly, approved English changes)."""
    shop, approved = sample.case.shop, sample.case.approved_en
    held = sum(pid in shop.products and all(store_fields(shop.products[pid])[name] == value
                                            for name, value in fields.items()) for pid, fields in approved.items())
    return held, len(approved)
