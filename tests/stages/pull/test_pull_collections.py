"""pull writes collections.parquet and collections.csv: the store's collections, proposals for what they lack."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.core import collections as coll
from pipeline.core.catalog import catalog_batch
from pipeline.errors import StoreError
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace
from tests.conftest import SAMPLE_CSV, shopify_csv
from tests.fakes.shopify_server import FakeShopify, digest, make_collection, make_product


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_csv_pull_proposes_collections_in_both_files(tmp_path, workspace_args, capsys):
    code, out, err = run([*workspace_args, "pull", "--csv", str(SAMPLE_CSV)], capsys)
    assert code == 0, err
    ws = Workspace(tmp_path / "ws" / "t")
    rows = coll.read_collections(ws)
    assert f"{len(rows):,} collections ({len(rows):,} proposed)" in out
    handles = {r["handle"]: r for r in rows}
    assert handles["floor-lamps"]["rule"] == "product_type = Floor Lamps"
    assert handles["lighting"]["rule"] == "product_category_with_descendants = Home & Garden > Lighting"
    assert handles["japandi"]["rule"] == "tag = japandi"
    products = coll.Products.read(ws.catalog)
    assert coll.products_without_collection(rows, products) == []  # every active product of the sample has one
    with open(coll.collections_csv_path(ws), encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == len(rows)


def test_a_second_pull_keeps_the_merchants_collections_csv(tmp_path, workspace_args, capsys):
    path = tmp_path / "products.csv"
    rows = [{"Title": f"Jute Rug {i}", "URL handle": f"jute-rug-{i}", "Type": "Rugs", "Tags": "jute",
             "Status": "Active", "SKU": f"R{i}"} for i in range(4)]
    path.write_text(shopify_csv(rows), encoding="utf-8")
    assert run([*workspace_args, "pull", "--csv", str(path)], capsys)[0] == 0
    ws = Workspace(tmp_path / "ws" / "t")
    csv_path = coll.collections_csv_path(ws)
    csv_path.write_text(csv_path.read_text(encoding="utf-8-sig").replace("Rugs,smart", "Jute Rugs,smart", 1),
                        encoding="utf-8")
    edited = csv_path.read_bytes()
    code, out, err = run([*workspace_args, "pull", "--csv", str(path)], capsys)
    assert code == 0, err
    assert "collections.csv has your edits and was kept" in out and csv_path.read_bytes() == edited
    assert {r["handle"]: r["title"] for r in coll.read_collections(ws)} == {"rugs": "Jute Rugs"}


@pytest.fixture
def shop(monkeypatch):
    with FakeShopify(locales=("en", "fr"), bulk_polls=2) as double:
        for name, value in double.env().items():
            monkeypatch.setenv(name, value)
        yield double


def test_a_store_pull_reads_the_stores_collections_and_proposes_what_they_lack(shop, tmp_path, workspace_args,
                                                                               capsys):
    shop.add_products([make_product(1, collections=("summer", "all-products")), make_product(2),
                       make_product(3, status="ARCHIVED"),
                       *(make_product(n, productType="Rug", collections=()) for n in range(10, 13))])
    smart = make_collection("cotton", title="Cotton", rules=[("TAG", "EQUALS", "cotton")],
                            description="<p>Cotton, woven.</p>", seo_title="Cotton", seo_description="Cotton things.")
    shop.add_collections([smart])
    shop.translations[(smart["id"], "fr", "title")] = {"value": "Coton", "digest": digest("Cotton"),
                                                       "updatedAt": "2026-02-02T00:00:00Z"}
    code, out, err = run([*workspace_args, "pull"], capsys)
    assert code == 0, err
    ws = Workspace(tmp_path / "ws" / "t")
    rows = {r["handle"]: r for r in coll.read_collections(ws)}
    assert "4 collections (3 store, 1 proposed)" in out
    assert rows["summer"]["source"] == "store" and rows["summer"]["kind"] == "custom"
    assert rows["summer"]["product_handles"] == ["product-1"]
    assert sorted(rows["all-products"]["product_handles"]) == ["product-1", "product-2", "product-3"]
    assert rows["all-products"]["active_products"] == 2
    assert rows["cotton"]["rule"] == "tag = cotton" and rows["cotton"]["seo_description"] == "Cotton things."
    assert rows["cotton"]["description"] == "<p>Cotton, woven.</p>" and rows["cotton"]["id"] == smart["id"]
    assert rows["cotton"]["translations"] == [{"locale": "fr", "key": "title", "value": "Coton", "outdated": False}]
    assert rows["cotton"]["product_handles"] == []  # the products' membership (make_product names none of it)
    assert rows["rug"]["source"] == "proposed" and rows["rug"]["rule"] == "product_type = Rug"  # in no collection
    assert "shirt" not in rows  # the store's all-products collection already holds the shirts


def test_a_failed_collection_read_is_noted_and_the_pull_goes_on(tmp_path):
    from pipeline.stages.pull import pull

    class Store:
        def pull_catalog(self, since=None):
            yield catalog_batch([{"id": "gid://shopify/Product/1", "handle": "a", "title": "A", "status": "active",
                                  "product_type": "Rugs", "collections": ["rugs"]}])

        def pull_collections(self):
            raise StoreError("Shopify bulk operation gid://shopify/BulkOperation/2 ended FAILED, errorCode TIMEOUT")

    ws = Workspace(tmp_path / "w").ensure()
    with StateStore(ws.state_db) as state:
        result = pull(ws, state, connector=Store())
    assert "the store's collections could not be read: Shopify bulk operation" in result.summary()
    rows = coll.read_collections(ws)
    assert [(r["handle"], r["source"], r["product_handles"]) for r in rows] == [("rugs", "store", ["a"])]


def test_a_connector_without_collections_gets_proposals(tmp_path):
    from pipeline.stages.pull import pull

    class Store:
        def pull_catalog(self, since=None):
            yield catalog_batch([{"id": f"gid://shopify/Product/{n}", "handle": f"r{n}", "title": f"Rug {n}",
                                  "status": "active", "product_type": "Rugs"} for n in range(3)])

    ws = Workspace(tmp_path / "w").ensure()
    with StateStore(ws.state_db) as state:
        assert "1 collections (1 proposed)" in pull(ws, state, connector=Store()).summary()
    assert Path(coll.collections_csv_path(ws)).exists()
