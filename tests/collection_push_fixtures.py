"""A small store on the Shopify double with collections, pulled, with collection drafts in two locales.

Six products: three bath mats in the store's smart collection `bath-mats` (intro, SEO title, a French intro), three
floor lamps that no collection holds, so pull proposes `floor-lamps`. The drafts are written straight into
collection_drafts.parquet in the generate stage's schema, so the tests depend on review and push only.
"""

from __future__ import annotations

import copy
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.cli import main
from pipeline.stages.generate.collections import COLLECTION_DRAFTS_SCHEMA
from tests.fakes.shopify_server import FakeShopify, collection_gid, digest, make_collection, make_product

MATS = collection_gid("bath-mats")
OLD_INTRO = "<p>Our bath mats.</p>"
OLD_FR_INTRO = "<p>Nos tapis de bain.</p>"


def collection_records(shop: FakeShopify) -> dict[str, Any]:
    """The double's collections (less `updatedAt`, which every write moves), their translations (value and
    digest) and the redirects, as comparable values."""
    collections = {cid: {k: copy.deepcopy(v) for k, v in c.items() if k != "updatedAt"}
                   for cid, c in shop.collections.items()}
    translations = {key: (t["value"], t["digest"]) for key, t in shop.translations.items()
                    if key[0] in shop.collections or key[0].startswith("gid://shopify/Collection/")}
    return {"collections": collections, "translations": translations, "redirects": copy.deepcopy(shop.redirects)}


def draft_row(handle: str, locale: str, *, collection_id: str, source: str, description: str, seo_title: str,
              seo_description: str, status: str = "ok") -> dict[str, Any]:
    return {"collection_handle": handle, "collection_id": collection_id, "collection_source": source,
            "locale": locale, "keyword": "", "description": description, "seo_title": seo_title,
            "seo_description": seo_description, "links": [], "status": status, "findings": [],
            "provider": "test", "model": "", "created_at": "2026-12-06T00:00:00Z"}


def write_drafts(root: Path, rows: list[dict[str, Any]]) -> None:
    pq.write_table(pa.Table.from_pylist(rows, schema=COLLECTION_DRAFTS_SCHEMA), root / "collection_drafts.parquet")


DRAFTS = [
    draft_row("bath-mats", "en", collection_id=MATS, source="store",
              description="<p>Six cotton bath mats in three sizes.</p>", seo_title="Bath Mats – Hollis",
              seo_description="Cotton bath mats in three sizes."),
    draft_row("bath-mats", "fr", collection_id=MATS, source="store",
              description="<p>Tapis de bain en coton.</p>", seo_title="Tapis de bain",
              seo_description="Tapis de bain en coton, trois tailles."),
    draft_row("floor-lamps", "en", collection_id="", source="proposed",
              description="<p>Three floor lamps.</p>", seo_title="Floor Lamps", seo_description="Floor lamps."),
    draft_row("floor-lamps", "fr", collection_id="", source="proposed",
              description="<p>Trois lampadaires.</p>", seo_title="Lampadaires", seo_description="Lampadaires."),
    draft_row("abstained", "en", collection_id="", source="proposed", description="", seo_title="",
              seo_description="", status="abstained"),
]


@dataclass
class CollectionStore:
    shop: FakeShopify
    base: list[str]
    root: Path  # the store's workspace folder

    def run(self, capsys: Any, *args: str) -> tuple[int, str, str]:
        code = main([*self.base, *args])
        out, err = capsys.readouterr()
        return code, out, err

    def export(self, capsys: Any, path: Path) -> list[dict[str, str]]:
        code, _, err = self.run(capsys, "review", "--collections-export", str(path))
        assert code == 0, err
        with open(path, encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    def decide(self, capsys: Any, path: Path, decisions: dict[tuple[str, str], dict[str, str]]) -> tuple[int, str]:
        """Export, fill in `decisions` ((handle, locale) -> cells to set), import; (exit code, stderr)."""
        rows = self.export(capsys, path)
        for row in rows:
            row.update(decisions.get((row["collection_handle"], row["locale"]), {}))
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        code, _, err = self.run(capsys, "review", "--collections-import", str(path), "--reviewer", "sam")
        return code, err


def collection_store(tmp_path: Path, monkeypatch: Any, *, connected: bool = True) -> Iterator[CollectionStore]:
    with FakeShopify(locales=("en", "fr"), bucket_size=1_000_000, restore_rate=1_000_000, bulk_polls=1) as shop:
        config = tmp_path / "seo.toml"
        config.write_text('[pipeline]\nlocales = ["en", "fr"]\nprimary_locale = "en"\n'
                          '[shopify]\npoll_first_s = 0.01\npoll_max_s = 0.05\n', encoding="utf-8")
        products = [make_product(n, variants=1, handle=f"bath-mat-{n}", title=f"Cotton Bath Mat {n}",
                                 productType="Bath Mats", tags=["cotton"], collections=("bath-mats",))
                    for n in range(1, 4)]
        products += [make_product(n, variants=1, handle=f"floor-lamp-{n}", title=f"Brass Floor Lamp {n}",
                                  productType="Floor Lamps", tags=["brass"], collections=())
                     for n in range(4, 7)]
        shop.add_products(products)
        shop.add_collections([make_collection("bath-mats", title="Bath Mats", rules=[("TYPE", "EQUALS", "Bath Mats")],
                                              description=OLD_INTRO, seo_title="Old mats title")])
        shop.translations[(MATS, "fr", "body_html")] = {"value": OLD_FR_INTRO, "digest": digest(OLD_INTRO),
                                                        "updatedAt": "2026-02-02T00:00:00Z"}
        for name, value in shop.env().items():
            monkeypatch.setenv(name, value)
        for name in ("SHOPIFY_CLIENT_ID", "SHOPIFY_CLIENT_SECRET"):
            monkeypatch.delenv(name, raising=False)
        base = ["--config", str(config), "--workspace", str(tmp_path / "ws"), "--store", "s"]
        assert main([*base, "pull"]) == 0
        if not connected:
            monkeypatch.delenv("SHOPIFY_STORE")
        root = tmp_path / "ws" / "s"
        write_drafts(root, DRAFTS)
        yield CollectionStore(shop, base, root)
