"""The bundled sample catalogue as a store on the Shopify double, pulled, with drafts and review decisions.

Drafts and decisions are written through the same APIs generation and review use (save_draft, record_decision),
so push reads exactly what it reads after a real review. The copy is deterministic per product: new titles, SEO
fields and some descriptions in English, some handle changes, and French translations for a quarter of the
products; most approved, some edited, some rejected, some left undecided.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.cli import main
from pipeline.shopify import csv_format
from pipeline.state.decisions import approved_changes, record_decision
from pipeline.state.drafts import Draft, save_draft
from pipeline.state.store import StateStore
from tests.conftest import SAMPLE_CSV
from tests.fakes.shopify_server import FakeShopify, digest, make_product


def sample_products(limit: int | None = None) -> list[dict[str, Any]]:
    """The sample's products in the Admin API's shape (one variant each; push never touches variants)."""
    _, rows = csv_format.read_products(SAMPLE_CSV)
    out = []
    for n, row in enumerate(rows, start=1):
        if limit is not None and n > limit:
            break
        out.append(make_product(n, variants=1, handle=row["handle"], title=row["title"],
                                descriptionHtml=row["body_html"], vendor=row["vendor"],
                                productType=row["product_type"], status=row["status"].upper(),
                                seo={"title": row["seo_title"] or None,
                                     "description": row["seo_description"] or None}))
    return out


def field_values(shop: FakeShopify) -> dict[str, Any]:
    """Every product's writable fields, every translation and redirect on the double, as comparable values."""
    products = {pid: {k: copy.deepcopy(p.get(k)) for k in ("title", "descriptionHtml", "handle", "seo")}
                for pid, p in shop.products.items()}
    translations = {key: (t["value"], t["digest"]) for key, t in shop.translations.items()}
    return {"products": products, "translations": translations, "redirects": copy.deepcopy(shop.redirects)}


@dataclass
class StoreCase:
    shop: FakeShopify
    base: list[str]  # CLI options: --workspace, --store
    state_path: Path
    approved_en: dict[str, dict[str, str]] = field(default_factory=dict)  # product id -> field -> approved value
    approved_fr: dict[str, dict[str, str]] = field(default_factory=dict)
    not_approved: set[str] = field(default_factory=set)  # en drafts rejected or undecided

    def run(self, capsys: Any, *args: str) -> tuple[int, str, str]:
        code = main([*self.base, *args])
        out, err = capsys.readouterr()
        return code, out, err

    def state(self) -> StateStore:
        return StateStore(self.state_path)


def english_copy(n: int, product: dict[str, Any]) -> dict[str, str]:
    title = product["title"]
    values = {"seo_title": f"{title[:40]} – shop Hollis & Fern",
              "seo_description": f"{title}: made to last and easy to care for. Free returns within 30 days."}
    if n % 3 == 0:
        values["title"] = f"{title} – Hollis & Fern"
    if n % 5 == 0:
        values["body_html"] = f"<p>{title}, described plainly.</p><ul><li>Care: wipe clean</li></ul>"
    if n % 60 == 0:
        values["handle"] = f"{product['handle']}-hf"
    return values


def decide_sample(state: StateStore, products: list[dict[str, Any]], case: StoreCase) -> None:
    """Drafts for every product in English and a quarter in French, with a realistic mix of decisions."""
    for n, product in enumerate(products, start=1):
        pid = product["id"]
        values = english_copy(n, product)
        draft = Draft(pid, "en", status="passed", **values)
        save_draft(state, draft)
        if n % 10 == 7:
            record_decision(state, draft, "rejected", reviewer="sam")
            case.not_approved.add(pid)
        elif n % 20 == 9:
            case.not_approved.add(pid)  # undecided
        elif n % 20 == 3:
            record_decision(state, draft, "edited", reviewer="sam",
                            edits={"seo_title": f"Edited: {product['title'][:30]}"})
        else:
            record_decision(state, draft, "approved", reviewer="sam")
        if n % 4 == 0:
            french = {"title": f"{product['title']} (édition française)",
                      "body_html": f"<p>{product['title']} : entretien facile.</p>"}
            draft_fr = Draft(pid, "fr", status="passed", **french)
            save_draft(state, draft_fr)
            record_decision(state, draft_fr, "approved", reviewer="sam")
    # the final values, as review stored them (sanitised): what push must write
    for change in approved_changes(state):
        (case.approved_en if change.locale == "en" else case.approved_fr)[change.product_id] = change.fields


@dataclass
class SampleStore:
    case: StoreCase
    products: list[dict[str, Any]]
    pulled: dict[str, Any]  # field_values(shop) right after the pull


def seed_translations(shop: FakeShopify, products: list[dict[str, Any]]) -> None:
    """Existing French titles on every eighth product, so rollback must restore some and remove others."""
    for n, product in enumerate(products, start=1):
        if n % 8 == 0:
            shop.translations[(product["id"], "fr", "title")] = {
                "value": f"Ancien titre {n}", "digest": digest(product["title"]), "updatedAt": "2026-02-02T00:00:00Z"}


def sample_store(tmp_path: Path, monkeypatch: Any, *, limit: int | None = None,
                 locales: tuple[str, ...] = ("en", "fr")) -> Iterator[SampleStore]:
    """Yield the sample on a running double (a big cost bucket: pacing is the connector's tests' business),
    pulled into a workspace, with drafts and decisions; SHOPIFY_* point at the double meanwhile."""
    with FakeShopify(locales=locales, bucket_size=1_000_000, restore_rate=1_000_000, bulk_polls=1) as shop:
        for name, value in shop.env().items():
            monkeypatch.setenv(name, value)
        for name in ("SHOPIFY_CLIENT_ID", "SHOPIFY_CLIENT_SECRET"):
            monkeypatch.delenv(name, raising=False)
        config = tmp_path / "seo.toml"
        config.write_text(f'[pipeline]\nlocales = {list(locales)!r}\nprimary_locale = "en"\n'
                          '[shopify]\npoll_first_s = 0.01\npoll_max_s = 0.05\n'.replace("'", '"'), encoding="utf-8")
        products = sample_products(limit)
        shop.add_products(products)
        seed_translations(shop, products)
        base = ["--config", str(config), "--workspace", str(tmp_path / "ws"), "--store", "s"]
        case = StoreCase(shop=shop, base=base, state_path=tmp_path / "ws" / "s" / "state.db")
        code = main([*base, "pull"])
        assert code == 0
        with case.state() as state:
            decide_sample(state, products, case)
        yield SampleStore(case=case, products=products, pulled=field_values(shop))
