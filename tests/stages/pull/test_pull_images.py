"""The product's first image in the catalogue (`image_url`): from a product CSV's lowest image position, from the
bulk query's featured media, from the bundled sample as it is, and null for a catalogue pulled before the column."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.core.catalog import SCHEMA, read_catalog, write_catalog
from pipeline.shopify import csv_format
from pipeline.shopify.bulk_products import catalog_rows
from tests.conftest import LEGACY_HEADER, SAMPLE_CSV, shopify_csv
from tests.fakes.shopify_server import FakeShopify, make_product

CDN = "https://cdn.shopify.com/s/files/1/0001/files"


def _pull_csv(tmp_path: Path, text: str, capsys) -> dict[str, dict]:
    path = tmp_path / "products.csv"
    path.write_text(text, encoding="utf-8")
    code = main(["--workspace", str(tmp_path / "ws"), "--store", "t", "pull", "--csv", str(path)])
    _, err = capsys.readouterr()
    assert code == 0, err
    return {row["handle"]: row for row in pq.read_table(tmp_path / "ws" / "t" / "catalog.parquet").to_pylist()}


def test_a_csv_gives_the_image_of_the_lowest_position_and_none_without_one(tmp_path, capsys) -> None:
    rows = [
        {"Title": "Oak Table", "URL handle": "oak-table", "SKU": "OT-1", "Price": "10.00",
         "Product image URL": f"{CDN}/oak-side.jpg", "Image position": "2", "Image alt text": "Oak table"},
        {"URL handle": "oak-table", "Product image URL": f"{CDN}/oak-front.jpg", "Image position": "1"},
        {"URL handle": "oak-table", "Product image URL": f"{CDN}/oak-detail.jpg", "Image position": "3"},
        {"Title": "Bare Lamp", "URL handle": "bare-lamp", "SKU": "BL-1", "Price": "20.00"},
    ]
    catalog = _pull_csv(tmp_path, shopify_csv(rows), capsys)
    assert catalog["oak-table"]["image_url"] == f"{CDN}/oak-front.jpg"  # position 1, though on the second row
    assert catalog["oak-table"]["image_alt"] == "Oak table"
    assert catalog["bare-lamp"]["image_url"] is None  # no picture: null, not an empty string or a made-up one
    assert len(catalog["oak-table"]["variants"]) == 1  # image rows are still not variants


def test_a_legacy_csv_reads_image_src(tmp_path, capsys) -> None:
    rows = [{"Handle": "wool-throw", "Title": "Wool Throw", "Variant SKU": "WT", "Variant Price": "5.00",
             "Image Src": f"{CDN}/throw.jpg", "Image Position": ""}]
    catalog = _pull_csv(tmp_path, shopify_csv(rows, LEGACY_HEADER), capsys)
    assert catalog["wool-throw"]["image_url"] == f"{CDN}/throw.jpg"  # no position given: still the first image


def test_the_sample_keeps_its_own_images_and_invents_none() -> None:
    with SAMPLE_CSV.open(encoding="utf-8", newline="") as handle:
        cells = list(csv.DictReader(handle))
    first_images = {}
    for row in cells:
        if row["Product image URL"] and row["Image position"] == "1":
            first_images.setdefault(row["URL handle"], row["Product image URL"])
    _, products = csv_format.read_products(SAMPLE_CSV)
    found = {p["handle"]: p["image_url"] for p in products}
    assert {h: u for h, u in found.items() if u is not None} == first_images
    assert 0 < sum(u is None for u in found.values()) < len(found) // 10  # the few without a picture stay without


@pytest.mark.parametrize("price", ['"1.00"', "1.0"])  # a price as a number makes the lines go the slow way
def test_the_bulk_query_takes_the_featured_medias_preview_image(tmp_path, price: str) -> None:
    lines = [
        b'{"id":"gid://shopify/Product/1","handle":"one","title":"One","featuredMedia":{"alt":"Front",'
        b'"preview":{"image":{"url":"https://cdn.shopify.com/one.jpg"}}}}',
        b'{"id":"gid://shopify/Product/2","handle":"two","title":"Two","featuredMedia":null}',
        b'{"id":"gid://shopify/Product/3","handle":"three","title":"Three","featuredMedia":{"alt":null,'
        b'"preview":{"image":null}}}',
        b'{"id":"gid://shopify/ProductVariant/10","position":1,"sku":"A","price":' + price.encode()
        + b',"__parentId":"gid://shopify/Product/1"}',
    ]
    data = b"".join(line + b"\n" for line in lines)
    rows = {r["handle"]: r for r in catalog_rows([data], len(data), tmp_dir=tmp_path)}
    assert rows["one"]["image_url"] == "https://cdn.shopify.com/one.jpg" and rows["one"]["image_alt"] == "Front"
    assert rows["two"]["image_url"] is None and rows["three"]["image_url"] is None  # (a preview not ready yet)


def test_a_store_pull_asks_for_the_image_and_the_double_answers_it(tmp_path, capsys, monkeypatch) -> None:
    with FakeShopify(locales=("en",)) as shop:
        for name, value in shop.env().items():
            monkeypatch.setenv(name, value)
        for name in ("SHOPIFY_CLIENT_ID", "SHOPIFY_CLIENT_SECRET"):
            monkeypatch.delenv(name, raising=False)
        shop.add_products([make_product(1), make_product(2, featuredMedia=None)])
        code = main(["--workspace", str(tmp_path / "ws"), "--store", "t", "pull"])
    _, err = capsys.readouterr()
    assert code == 0, err
    catalog = pq.read_table(tmp_path / "ws" / "t" / "catalog.parquet", columns=["handle", "image_url"]).to_pylist()
    assert {row["handle"]: row["image_url"] for row in catalog} == {"product-1": f"{CDN}/product-1.jpg",
                                                                    "product-2": None}


def test_a_catalogue_from_before_the_image_column_still_loads_and_is_brought_up_to_date(tmp_path) -> None:
    path = tmp_path / "catalog.parquet"
    write_catalog(path, [{"id": "p1", "handle": "p1", "title": "P", "image_url": f"{CDN}/p1.jpg"}])
    old = pq.read_table(path).drop(["image_url"])
    pq.write_table(old, path)  # as a pull before this change wrote it
    assert "image_url" not in pq.read_schema(path).names
    assert read_catalog(path).loc[0, "title"] == "P"
    from pipeline.stages.pull import _catalog_batches

    batches = list(_catalog_batches(path))
    assert batches[0].schema == SCHEMA and batches[0].column("image_url").to_pylist() == [None]
    assert pa.Table.from_batches(batches).column("content_hash") == pq.read_table(path).column("content_hash")
