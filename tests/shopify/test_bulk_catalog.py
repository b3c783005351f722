"""A bulk query's JSONL -> catalogue batches (pyarrow's JSON reader, Arrow assembly), and the one content hash.

What a pull keeps of each product must not depend on how the JSONL was read: the fast path (pyarrow) and the
fallback (msgspec, for chunks pyarrow cannot read) give the same rows, one partition or many give the same rows,
and the content hash of a product is the same from a CSV pull as from a store pull.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pyarrow.compute as pc
import pytest

from pipeline.cli import main
from pipeline.core import arrow_arrays, catalog
from pipeline.core.catalog import read_catalog
from pipeline.errors import StoreError
from pipeline.shopify import bulk_lines
from pipeline.shopify.bulk_assembly import CHILD_FIELDS, PRODUCT_FIELDS, assemble
from pipeline.shopify.bulk_products import catalog_batches, catalog_rows
from pipeline.shopify.transfer import read_ahead
from pipeline.state.store import StateStore
from tests.conftest import PROJECT_ROOT, shopify_csv
from tests.fakes.shopify_server import FakeShopify, make_product

TRICKY = ['', 'plain', 'a "quoted" word', 'back\\slash', 'line\nbreak\r\n', 'tab\there', '\x00\x01\x1f\x7f',
          'caf\u00e9 \u2028 \U0001f600 \ufeff', '\\"\\u0041', '<p class="x">12" \\ </p>']


def product_line(n: int, **fields) -> dict:
    line = {"id": f"gid://shopify/Product/{n}", "handle": f"p-{n}", "title": f"Product {n}",
            "descriptionHtml": f"<p>{n}</p>", "vendor": "Acme", "productType": "Lamp",
            "category": {"fullName": "Home > Lighting"}, "tags": ["a", "b"], "status": "ACTIVE",
            "publishedAt": "2026-01-05T10:00:00Z", "updatedAt": "2026-02-01T12:00:00Z",
            "seo": {"title": f"Seo {n}", "description": None}, "options": [{"name": "Size"}, {"name": "Colour"}],
            "featuredMedia": {"alt": f"Photo {n}"}}
    line.update(fields)
    return line


def variant_line(product: int, n: int, **fields) -> dict:
    line = {"id": f"gid://shopify/ProductVariant/{product * 100 + n}", "position": n, "sku": f"SKU-{product}-{n}",
            "price": f"{10 + n}.00", "compareAtPrice": None, "barcode": None, "inventoryQuantity": n,
            "selectedOptions": [{"name": "Size", "value": f"S{n}"}, {"name": "Colour", "value": f"C{n}"}],
            "__parentId": f"gid://shopify/Product/{product}"}
    line.update(fields)
    return line


def collection_line(product: int, handle: str) -> dict:
    return {"id": f"gid://shopify/Collection/{abs(hash(handle)) % 10**6}", "handle": handle,
            "__parentId": f"gid://shopify/Product/{product}"}


def jsonl(lines: list[dict | bytes]) -> bytes:
    return b"".join((line if isinstance(line, bytes) else json.dumps(line).encode()) + b"\n" for line in lines)


def rows_of(data: bytes, **options) -> dict[str, dict]:
    return {row["id"]: row for row in catalog_rows([data], len(data), **options)}


def catalogue(count: int = 60, seed: int = 3) -> list[dict]:
    """Products with 0-4 variants and 0-3 collections, lines shuffled as groupObjects: false allows."""
    rnd = random.Random(seed)
    lines: list[dict] = []
    for n in range(1, count + 1):
        lines.append(product_line(n, title=rnd.choice(TRICKY) + str(n), status=rnd.choice(["ACTIVE", "DRAFT"]),
                                  publishedAt=rnd.choice([None, "2026-01-05T10:00:00Z"])))
        lines += [variant_line(n, i, position=rnd.choice([i, 3]), inventoryQuantity=rnd.choice([None, i]))
                  for i in range(1, rnd.randint(0, 4) + 1)]
        lines += [collection_line(n, rnd.choice(["sale", "new", "lamps", "Zed", "\u00e9t\u00e9"]))
                  for _ in range(rnd.randint(0, 3))]
    rnd.shuffle(lines)
    return lines


# -- the content hash -----------------------------------------------------------------------------------------
def test_content_hashes_of_columns_equal_content_hash_of_each_row():
    rnd = random.Random(5)
    alphabet = [chr(code) for code in range(0x80)] + ["\u00e9", "\u2028", "\U0001f600", "\u0130"]
    rows = [[rnd.choice(TRICKY) + "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 9))) for _ in range(5)]
            for _ in range(2000)]
    columns = [arrow_arrays.string_array([row[i] for row in rows]) for i in range(5)]
    expected = [catalog.content_hash(dict(zip(catalog.REWRITABLE_FIELDS, row, strict=True))) for row in rows]
    assert catalog.content_hashes(*columns).to_pylist() == expected
    assert catalog.content_hashes(*(c.slice(13, 40) for c in columns)).to_pylist() == expected[13:53]


def test_a_product_hashes_the_same_from_a_csv_pull_and_a_store_pull(tmp_path, monkeypatch, capsys):
    title, body = 'Lamp "Nova" \\ 12\u2033', '<p class="lead">Brass.\n\tCaf\u00e9 \u2014 "warm" light.</p>'
    seo_title, seo_description = "Nova lamp | Brass", 'The "Nova": brass\\steel.'
    csv_path = tmp_path / "products.csv"
    csv_path.write_text(shopify_csv([{"Title": title, "URL handle": "nova-lamp", "Description": body,
                                      "SEO title": seo_title, "SEO description": seo_description, "SKU": "N1",
                                      "Option1 name": "Title", "Option1 value": "Default Title"}]))
    assert main(["--workspace", str(tmp_path / "csv"), "--store", "t", "pull", "--csv", str(csv_path)]) == 0
    from_csv = read_catalog(tmp_path / "csv" / "t" / "catalog.parquet").iloc[0]
    with FakeShopify(locales=("en",), bulk_polls=1) as shop:
        for name, value in shop.env().items():
            monkeypatch.setenv(name, value)
        shop.add_products([make_product(1, handle="nova-lamp", title=title, descriptionHtml=body,
                                        seo={"title": seo_title, "description": seo_description})])
        assert main(["--workspace", str(tmp_path / "store"), "--store", "t", "pull"]) == 0
    from_store = read_catalog(tmp_path / "store" / "t" / "catalog.parquet").iloc[0]
    with StateStore(tmp_path / "store" / "t" / "state.db") as state:  # recorded as the lines were read
        assert state.product_version(from_store["id"])["content_hash"] == from_store["content_hash"]
    capsys.readouterr()
    assert (from_store["title"], from_store["body_html"]) == (title, body)
    assert from_store["content_hash"] == from_csv["content_hash"] == catalog.content_hash(
        {"title": title, "body_html": body, "seo_title": seo_title, "seo_description": seo_description,
         "handle": "nova-lamp"})


# -- reading the JSONL ----------------------------------------------------------------------------------------
def test_every_field_is_shaped_as_the_catalogue_has_it():
    lines = [
        variant_line(1, 2, position=2, price=None, inventoryQuantity=None, selectedOptions=None),
        variant_line(1, 1, selectedOptions=[{"name": "Colour", "value": "Red"}, {"name": "Size", "value": "M"}]),
        variant_line(1, 3, position=2, barcode="123"),  # same position as the first: keeps its line order
        collection_line(1, "zed"), collection_line(1, "alpha"), collection_line(1, "mid"),
        product_line(1, status="ARCHIVED", publishedAt=None, tags=None, category=None, seo=None, featuredMedia=None),
        product_line(2, options=None, status="DRAFT"),
        variant_line(2, 1, selectedOptions=[{"name": "Size", "value": "S"}], inventoryQuantity=None),
        product_line(3, options=[{"name": "Size"}, {"name": None}, {"name": "Material"}, {"name": "Fourth"}],
                     status="\u0130NACTIVE"),
        variant_line(3, 1, selectedOptions=[{"name": "Size", "value": "L"}, {"name": None, "value": "x"},
                                            {"name": "Material", "value": None}]),
    ]
    rows = rows_of(jsonl(lines))
    one = rows["gid://shopify/Product/1"]
    assert (one["status"], one["published"], one["tags"], one["product_category"]) == ("archived", False, [], "")
    assert (one["seo_title"], one["seo_description"], one["image_alt"]) == ("", "", "")
    assert [v["sku"] for v in one["variants"]] == ["SKU-1-1", "SKU-1-2", "SKU-1-3"]  # position, then line order
    assert [(v["option1"], v["option2"]) for v in one["variants"]] == [("M", "Red"), ("", ""), ("S3", "C3")]
    assert one["variants"][1]["price"] == "" and one["variants"][1]["inventory_quantity"] is None
    assert one["variants"][2]["barcode"] == "123" and one["total_inventory"] == 1 + 3
    assert one["collections"] == ["alpha", "mid", "zed"] and one["options"] == ["Size", "Colour"]
    assert (one["source"], one["source_rows"]) == ("shopify", "")
    two = rows["gid://shopify/Product/2"]
    assert two["options"] == [] and two["variants"][0]["option1"] == ""  # no option names: nothing to match
    assert two["total_inventory"] is None and two["collections"] == [] and two["status"] == "draft"
    three = rows["gid://shopify/Product/3"]
    assert three["options"] == ["Size", "", "Material", "Fourth"] and three["status"] == "\u0130NACTIVE".lower()
    assert [three["variants"][0][f"option{i}"] for i in (1, 2, 3)] == ["L", "", ""]


def test_odd_but_valid_lines_are_read_by_the_fallback():
    lines = [
        b'{"handle":"late-id","id":"gid://shopify/Product/7","title":"Late id","status":"ACTIVE"}',  # id not first
        b"",
        b"   ",
        json.dumps(variant_line(7, 1, price=12.5, compareAtPrice=20)).encode(),  # numbers, not strings
        json.dumps(variant_line(7, 2, extra={"nested": [1, 2]})).encode(),        # a field we do not select
    ]
    data = jsonl(lines)
    assert bulk_lines.read_fast(data, data.count(b"\n")) is None
    row = rows_of(data)["gid://shopify/Product/7"]
    assert row["title"] == "Late id" and row["handle"] == "late-id"
    assert [(v["price"], v["compare_at_price"]) for v in row["variants"]] == [("12.5", "20.0"), ("12.00", "")]


@pytest.mark.parametrize("line, message", [
    (b'{"id":"gid://shopify/Product/2",,}', "line 3: JSON is malformed"),
    (b'{"title":"no id"}', "line 3: Object missing required field `id`"),
    (b'{"id":"gid://shopify/Product/2","tags":["a",null]}', "line 3: Expected `str`, got `null`"),
    (b'{"id":"gid://shopify/Product/2"}{"id":"gid://shopify/Product/3"}', "line 3: JSON is malformed"),
    (b'{"id":"gid://shopify/Product/2","title":"caf\xe9"}', "line 3: "),
])
def test_a_line_that_cannot_be_read_is_named(line, message):
    data = jsonl([product_line(1), variant_line(1, 1), line, variant_line(1, 2)])
    with pytest.raises(StoreError) as error:
        rows_of(data)
    assert message in str(error.value) and "\n" not in str(error.value)
    assert str(error.value).startswith("Shopify's bulk result has a line we cannot read")


def test_the_fallback_and_the_fast_path_read_the_same_rows():
    data = jsonl(catalogue())
    fast = bulk_lines.read_fast(data, data.count(b"\n"))
    assert fast is not None
    slow = bulk_lines.read_slow(data)
    assert slow.equals(fast.cast(slow.schema))

    def assembled(lines):
        is_child = pc.is_valid(lines.column("__parentId"))
        return assemble(lines.select(PRODUCT_FIELDS).filter(pc.invert(is_child)),
                        lines.select(CHILD_FIELDS).filter(is_child), {})

    assert assembled(fast).equals(assembled(slow))


def test_partitions_and_chunks_do_not_change_the_rows_and_orphans_are_counted(tmp_path):
    lines = catalogue(count=200, seed=11)
    lines += [variant_line(999, 1), collection_line(998, "gone")]  # their products are not in the result
    data = jsonl(lines)
    counts: dict[str, int] = {}
    whole = rows_of(data, partition_bytes=10**9, counts=counts)
    assert counts == {"products": 200, "orphan_lines": 2}
    pieces = [b"\n".join(data.split(b"\n")[i:i + 37]) + b"\n" for i in range(0, len(lines), 37)]
    counts = {}
    parted = {row["id"]: row for row in catalog_rows(pieces, len(data), partition_bytes=len(data) // 7,
                                                         tmp_dir=tmp_path, counts=counts)}
    assert counts == {"products": 200, "orphan_lines": 2}
    assert parted == whole and len(whole) == 200
    assert list(tmp_path.iterdir()) == []  # partition files are removed


def test_a_chunk_read_by_the_fallback_goes_into_the_partitions_with_the_others(tmp_path):
    lines = catalogue(count=100, seed=5)
    data = jsonl(lines)
    pieces = [b"\n".join(data.split(b"\n")[i:i + 40]) + b"\n" for i in range(0, len(lines), 40)]
    pieces.insert(2, jsonl([product_line(999), variant_line(999, 1, price=12.5)]))  # pyarrow cannot read this one
    rows = {row["id"]: row for row in catalog_rows(pieces, sum(map(len, pieces)), partition_bytes=len(data) // 5,
                                                   tmp_dir=tmp_path)}
    assert len(rows) == 101 and rows["gid://shopify/Product/999"]["variants"][0]["price"] == "12.5"
    assert rows == {**rows_of(data), "gid://shopify/Product/999": rows["gid://shopify/Product/999"]}


def test_a_product_given_twice_is_kept_once_with_its_last_line():
    data = jsonl([product_line(1, title="First"), variant_line(1, 1), product_line(1, title="Second")])
    counts: dict[str, int] = {}
    batches = list(catalog_batches([data], len(data), counts=counts))
    assert [row["title"] for batch in batches for row in batch.to_pylist()] == ["Second"]
    assert counts["products"] == 1 and len(batches[0].column("variants")[0]) == 1


def test_a_malformed_line_in_a_store_pull_is_one_line_naming_it(tmp_path, monkeypatch, capsys):
    result = tmp_path / "result.jsonl"
    result.write_bytes(jsonl([product_line(1), variant_line(1, 1), b'{"id":"gid://shopify/Product/2","title":']))
    with FakeShopify(locales=("en",), bulk_polls=1) as shop:
        for name, value in shop.env().items():
            monkeypatch.setenv(name, value)
        shop.serve_bulk_result(result, 3, 2)
        code = main(["--workspace", str(tmp_path / "ws"), "--store", "t", "pull"])
    err = capsys.readouterr().err
    assert code == 4 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "line 3: " in err and "gid://shopify/Product/2" in err
    assert not (tmp_path / "ws" / "t" / "catalog.parquet").exists()
    with StateStore(tmp_path / "ws" / "t" / "state.db") as state:
        assert [run["status"] for run in state.runs("pull")] == ["failed"]
        assert state.product_version("gid://shopify/Product/1") is None  # the state store recorded nothing


def test_read_ahead_gives_every_item_and_passes_on_an_error():
    def items():
        yield from (b"a", b"b")
        raise StoreError("download broke off")

    received = []
    with pytest.raises(StoreError, match="broke off"):
        for item in read_ahead(items()):
            received.append(item)
    assert received == [b"a", b"b"]


def test_a_store_pull_does_not_import_pandas(tmp_path):
    script = (f"import sys; sys.path.insert(0, {str(PROJECT_ROOT)!r})\n"
              "from tests.fakes.shopify_server import FakeShopify, make_product\n"
              "import os\n"
              "with FakeShopify(locales=('en',), bulk_polls=1) as shop:\n"
              "    shop.add_products([make_product(n) for n in range(3)])\n"
              "    os.environ.update(shop.env())\n"
              "    from pipeline.cli import main\n"
              f"    code = main(['--workspace', {str(tmp_path)!r}, '--store', 't', 'pull'])\n"
              "print(code, 'pandas' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert done.stdout.split()[-2:] == ["0", "False"], done.stderr


def test_downloads_come_in_whole_lines_however_the_reads_fall():
    from pipeline.shopify.transfer import stream_chunks, stream_lines

    text = b'{"id":"a"}\n\n{"id":"bb","title":"x"}\n   \n{"id":"ccc"}\n{"id":"last, without a newline"}'
    with FakeShopify(locales=("en",)) as shop:
        (shop.files / "result.jsonl").write_bytes(text)
        url = f"{shop.url}/files/result.jsonl"
        for size in (1, 7, 16, 1 << 20):
            chunks = list(stream_chunks(url, chunk_bytes=size))
            assert all(chunk.endswith(b"\n") for chunk in chunks)
            assert b"".join(chunks) == text + b"\n"
        assert list(stream_lines(url)) == [b'{"id":"a"}', b'{"id":"bb","title":"x"}', b'{"id":"ccc"}',
                                           b'{"id":"last, without a newline"}']


def test_a_download_that_breaks_off_is_one_error_saying_how_far_it_got():
    import http.server
    import threading

    from pipeline.shopify.transfer import stream_chunks

    class HalfBody(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            self.send_response(200)
            self.send_header("Content-Length", str(4 << 20))
            self.end_headers()
            self.wfile.write(b'{"id":"a"}\n' * 100_000)  # ~1 MiB of the promised 4, then the connection closes

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HalfBody)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(StoreError) as error:
            list(stream_chunks(f"http://127.0.0.1:{server.server_address[1]}/result.jsonl", chunk_bytes=1 << 18,
                               max_attempts=1))
    finally:
        server.shutdown()
    assert str(error.value).startswith("download of the bulk operation result broke off after 1.0 MiB")
    assert str(error.value).endswith("re-run to start over")
