"""Pulling a store: `make pull` with credentials reads products and translations from the Admin API (double)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.core.catalog import read_catalog
from pipeline.shopify.bulk_products import catalog_rows
from pipeline.shopify.translations import read_shop_locales
from tests.fakes.shopify_server import FakeShopify, digest, make_product


@pytest.fixture
def shop(monkeypatch):
    with FakeShopify(locales=("en", "fr", "de"), bulk_polls=3) as double:
        for name, value in double.env().items():
            monkeypatch.setenv(name, value)
        for name in ("SHOPIFY_CLIENT_ID", "SHOPIFY_CLIENT_SECRET"):
            monkeypatch.delenv(name, raising=False)
        yield double


def pull(args: list[str], tmp_path: Path, capsys) -> tuple[int, str, str]:
    code = main(["--workspace", str(tmp_path / "ws"), "--store", "t", "pull", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_pull_reads_every_product_with_variants_options_and_collections(shop, tmp_path, capsys):
    shop.add_products([
        make_product(1, variants=3, collections=("summer", "cotton-tees"), status="DRAFT", publishedAt=None,
                     seo={"title": "Tee one", "description": "A tee."},
                     options=[{"name": "Size"}, {"name": "Colour"}]),
        make_product(2, variants=1, featuredMedia=None, category=None),
    ])
    shop.products["gid://shopify/Product/1001"]["variants"][1]["selectedOptions"] = [
        {"name": "Colour", "value": "Red"}, {"name": "Size", "value": "M"}]
    code, out, err = pull([], tmp_path, capsys)
    assert code == 0, err
    assert "2 products, 4 SKUs from Shopify Admin API" in out
    catalog = read_catalog(tmp_path / "ws" / "t" / "catalog.parquet").set_index("handle")
    one = catalog.loc["product-1"]
    assert one["id"] == "gid://shopify/Product/1001" and one["source"] == "shopify"
    assert one["status"] == "draft" and not one["published"]
    assert (one["seo_title"], one["seo_description"]) == ("Tee one", "A tee.")
    assert list(one["collections"]) == ["cotton-tees", "summer"]
    assert list(one["options"]) == ["Size", "Colour"]
    assert [v["sku"] for v in one["variants"]] == ["SKU-1-S", "SKU-1-M", "SKU-1-L"]  # by position
    assert (one["variants"][1]["option1"], one["variants"][1]["option2"]) == ("M", "Red")  # by option name
    assert one["total_inventory"] == 5 + 6 + 7 and one["updated_at"] == "2026-02-01T12:00:00Z"
    two = catalog.loc["product-2"]
    assert two["image_alt"] == "" and two["product_category"] == "" and two["published"]


def test_child_lines_may_come_before_their_parent_and_large_files_are_partitioned(tmp_path):
    lines = [
        b'{"id":"gid://shopify/ProductVariant/11","position":2,"sku":"B","price":"2.00","__parentId":"gid://shopify/Product/1"}',
        b'{"id":"gid://shopify/Collection/5","handle":"sale","__parentId":"gid://shopify/Product/2"}',
        b'{"id":"gid://shopify/Product/1","handle":"one","title":"One","options":[{"name":"Size"}],"status":"ACTIVE"}',
        b'{"title":"Two","id":"gid://shopify/Product/2","handle":"two","status":"ARCHIVED"}',
        b'{"id":"gid://shopify/ProductVariant/10","position":1,"sku":"A","price":"1.00",'
        b'"selectedOptions":[{"name":"Size","value":"S"}],"__parentId":"gid://shopify/Product/1"}',
    ]
    data = b"".join(line + b"\n" for line in lines)
    for partition_bytes in (10**9, 100):  # one partition in memory; several temporary files
        counts: dict[str, int] = {}
        rows = {r["handle"]: r for r in catalog_rows([data], len(data), partition_bytes=partition_bytes,
                                                       tmp_dir=tmp_path, counts=counts)}
        assert [v["sku"] for v in rows["one"]["variants"]] == ["A", "B"]
        assert rows["one"]["variants"][0]["option1"] == "S"
        assert rows["two"]["collections"] == ["sale"] and rows["two"]["status"] == "archived"
        assert counts["products"] == 2
    assert list(tmp_path.iterdir()) == []  # partition files are removed


def test_a_failed_bulk_operation_is_one_line_with_shopifys_error_code(shop, tmp_path, capsys):
    shop.add_products([make_product(1)])
    shop.fail_next_bulk("ACCESS_DENIED")
    code, out, err = pull([], tmp_path, capsys)
    assert code == 4
    assert err.startswith("error: Shopify bulk operation gid://shopify/BulkOperation/1 ended FAILED, "
                          "errorCode ACCESS_DENIED: the app lacks an access scope")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "ws" / "t" / "catalog.parquet").exists()


def test_since_pulls_only_products_updated_after_it_and_keeps_the_rest(shop, tmp_path, capsys):
    shop.add_products([make_product(1), make_product(2)])
    assert pull([], tmp_path, capsys)[0] == 0
    shop.products["gid://shopify/Product/1002"].update(title="Product 2, renamed", updatedAt="2026-12-01T09:00:00Z")
    code, out, err = pull(["--since", "2026-11-30T00:00:00+01:00"], tmp_path, capsys)
    assert code == 0, err
    assert "2 products" in out and "new 0, changed 1, gone 0" in out
    operation = [o for o in shop.operations.values() if "products(" in o["query"]][-1]  # (then its collections)
    assert "updated_at:>'2026-11-29T23:00:00Z'" in operation["query"] and operation["roots"] == 1
    catalog = read_catalog(tmp_path / "ws" / "t" / "catalog.parquet").set_index("handle")
    assert len(catalog) == 2 and catalog.loc["product-2", "title"] == "Product 2, renamed"
    assert shop.log[-1]["operation"] == "TranslatableProductsByIds"   # only the changed product read again
    translations = pd.read_parquet(tmp_path / "ws" / "t" / "translations.parquet")
    titles = translations[(translations["locale"] == "en") & (translations["key"] == "title")]
    assert sorted(titles["value"]) == ["Product 1", "Product 2, renamed"]  # the other product carried over


def test_a_bad_since_is_an_input_error(shop, tmp_path, capsys):
    code, out, err = pull(["--since", "last tuesday"], tmp_path, capsys)
    assert code == 2 and "--since 'last tuesday' is not an ISO-8601 time" in err


def test_translations_artefact_holds_locales_digests_and_existing_translations(shop, tmp_path, capsys):
    shop.add_products([make_product(1, seo={"title": "Tee", "description": None}), make_product(2)])
    shop.translations[("gid://shopify/Product/1001", "fr", "title")] = {
        "value": "T-shirt 1", "digest": digest("Product 1"), "updatedAt": "2026-02-02T00:00:00Z"}
    shop.translations[("gid://shopify/Product/1001", "de", "body_html")] = {
        "value": "<p>Alt</p>", "digest": digest("<p>older text</p>"), "updatedAt": "2026-01-02T00:00:00Z"}
    code, out, err = pull([], tmp_path, capsys)
    assert code == 0, err
    path = tmp_path / "ws" / "t" / "translations.parquet"
    assert [(x.locale, x.primary) for x in read_shop_locales(path)] == [("en", True), ("fr", False), ("de", False)]
    frame = pd.read_parquet(path)
    one = frame[frame["product_id"] == "gid://shopify/Product/1001"].set_index(["locale", "key"])
    assert one.loc[("en", "title"), "value"] == "Product 1" and one.loc[("en", "title"), "primary"]
    assert one.loc[("fr", "title"), "value"] == "T-shirt 1"
    assert one.loc[("fr", "title"), "digest"] == digest("Product 1")  # what translationsRegister needs
    assert bool(one.loc[("de", "body_html"), "outdated"])               # translated from older text
    assert pd.isna(one.loc[("fr", "body_html"), "value"])              # nothing yet: generate's work
    assert ("en", "meta_title") in one.index and ("en", "meta_description") not in one.index
    assert "translation rows" in out


def test_partial_credentials_are_a_config_error_naming_what_is_missing(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("SHOPIFY_STORE", "my-store")
    for name in ("SHOPIFY_ACCESS_TOKEN", "SHOPIFY_CLIENT_SECRET", "SHOPIFY_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SHOPIFY_CLIENT_ID", "abc")
    code, out, err = pull([], tmp_path, capsys)
    assert code == 2 and err.strip() == "error: SHOPIFY_STORE is set but SHOPIFY_CLIENT_SECRET is not"


def test_an_explicit_csv_wins_over_a_configured_store(shop, tmp_path, capsys):
    from tests.conftest import shopify_csv

    path = tmp_path / "p.csv"
    path.write_text(shopify_csv([{"Title": "Lamp", "URL handle": "lamp", "SKU": "L1", "Option1 name": "Title",
                                  "Option1 value": "Default Title"}]))
    code, out, err = pull(["--csv", str(path)], tmp_path, capsys)
    assert code == 0 and "1 products" in out and shop.log == []
