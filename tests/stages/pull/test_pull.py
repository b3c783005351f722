"""pull: reading both CSV dialects, rejecting bad files with one clear line, and tracking changes."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.core.catalog import read_catalog
from pipeline.shopify import csv_format
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace
from tests.conftest import LEGACY_HEADER, SAMPLE_CSV, shopify_csv


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, text: str | bytes, name: str = "products.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_pull_reads_products_with_variants_nested(tmp_path, small_catalog_rows, workspace_args, capsys):
    path = write(tmp_path, shopify_csv(small_catalog_rows))
    code, out, err = run_cli([*workspace_args, "pull", "--csv", str(path)], capsys)
    assert code == 0, err
    assert "2 products, 3 SKUs" in out and "new 2, changed 0, gone 0" in out
    catalog = read_catalog(tmp_path / "ws" / "t" / "catalog.parquet").set_index("handle")
    duvet = catalog.loc["linen-duvet-cover"]
    assert duvet["title"] == "Linen Duvet Cover"
    assert list(duvet["tags"]) == ["bedroom", "linen"]
    assert [v["sku"] for v in duvet["variants"]] == ["NH-DUV-Q", "NH-DUV-K"]
    assert duvet["total_inventory"] == 4
    assert list(duvet["options"]) == ["Size"]
    assert duvet["status"] == "active" and bool(duvet["published"]) is True


def test_legacy_dialect_is_read_and_remembered(tmp_path, workspace_args, capsys):
    rows = [{"Handle": "oak-stool", "Title": "Oak Stool", "Body (HTML)": "<p>Oak.</p>", "Variant SKU": "OAK-1",
             "Option1 Name": "Title", "Option1 Value": "Default Title", "Variant Price": "80", "Status": "draft",
             "SEO Title": "Oak stool"}]
    path = write(tmp_path, shopify_csv(rows, LEGACY_HEADER))
    code, out, _ = run_cli([*workspace_args, "pull", "--csv", str(path)], capsys)
    assert code == 0 and "legacy CSV dialect" in out
    with StateStore(tmp_path / "ws" / "t" / "state.db") as state:
        assert state.get_meta("csv_dialect") == "legacy"
    product = read_catalog(tmp_path / "ws" / "t" / "catalog.parquet").iloc[0]
    assert (product["title"], product["seo_title"], product["status"]) == ("Oak Stool", "Oak stool", "draft")


@pytest.mark.parametrize("dialect", [csv_format.CURRENT, csv_format.LEGACY])
def test_sample_round_trips_in_shopify_format(tmp_path, dialect):
    """Reading the sample and writing it back gives the same rows, cell for cell, in the same header."""
    source_path = SAMPLE_CSV
    if dialect == csv_format.LEGACY:
        source_path = tmp_path / "legacy.csv"
        _convert_to_legacy(SAMPLE_CSV, source_path)
    source, products = csv_format.read_products(source_path)
    assert source.dialect == dialect
    out = tmp_path / "written.csv"
    csv_format.write_products(products, out, source.dialect, source.header)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") is False
    original = list(csv.reader(source_path.open(encoding="utf-8", newline="")))
    written = list(csv.reader(out.open(encoding="utf-8", newline="")))
    assert written[0] == original[0]
    assert len(written) == len(original) > 3000
    assert written == original


def _convert_to_legacy(current_path: Path, legacy_path: Path) -> None:
    current = csv_format.COLUMNS[csv_format.CURRENT]
    legacy = csv_format.COLUMNS[csv_format.LEGACY]
    rename = {current[k]: legacy[k] for k in current}
    with current_path.open(encoding="utf-8", newline="") as src, legacy_path.open("w", encoding="utf-8",
                                                                                   newline="") as dst:
        writer = csv.DictWriter(dst, fieldnames=LEGACY_HEADER, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in csv.DictReader(src):
            writer.writerow({rename.get(k, k): v for k, v in row.items()})


def test_sample_has_the_promised_size():
    source, products = csv_format.read_products(SAMPLE_CSV)
    rows = list(products)
    assert source.dialect == csv_format.CURRENT and source.header == csv_format.CURRENT_HEADER
    assert len(rows) >= 1200
    assert sum(len(p["variants"]) for p in rows) >= 3000


BAD_INPUTS = [
    ("missing handle column", lambda: shopify_csv([{"Title": "x"}], ["Title", "Vendor"]),
     "row 1: missing required column 'URL handle'"),
    ("missing title column", lambda: shopify_csv([{"URL handle": "x"}], ["URL handle", "Vendor"]),
     "row 1: column 'Title': missing required column"),
    ("undecodable bytes", lambda: shopify_csv([{"Title": "Cafe", "URL handle": "cafe"}]).encode().replace(
        b"Cafe", b"Caf\xe9"), "row 2: byte 0xe9 is not valid UTF-8"),
    ("rows of a handle disagree", lambda: shopify_csv([
        {"Title": "Lamp", "URL handle": "lamp", "SKU": "A"},
        {"Title": "Lamp Two", "URL handle": "lamp", "SKU": "B"}]),
     "row 3: column 'Title': disagrees with the product's first row (2) for handle 'lamp'"),
    ("empty file", lambda: "", "file is empty"),
    ("semicolon delimiter", lambda: "Title;URL handle\nLamp;lamp\n", "header is separated by semicolons"),
    ("truncated row", lambda: shopify_csv([{"Title": "Lamp", "URL handle": "lamp"}]).rstrip("\n").rsplit(",", 20)[0],
     "row 2: has"),
    ("handle reused later", lambda: shopify_csv([
        {"Title": "Lamp", "URL handle": "lamp", "SKU": "A"},
        {"Title": "Rug", "URL handle": "rug", "SKU": "B"},
        {"URL handle": "lamp", "SKU": "C"}]), "row 4: column 'URL handle': handle 'lamp' appears again"),
    ("non-numeric inventory", lambda: shopify_csv([
        {"Title": "Lamp", "URL handle": "lamp", "SKU": "A", "Inventory quantity": "lots"}]),
     "row 2: column 'Inventory quantity': 'lots' is not a number"),
    ("unclosed quote", lambda: shopify_csv([{"Title": "Lamp", "URL handle": "lamp"}]) + '"Rug,rug,"<p>oops\n',
     "malformed CSV"),
    ("header only", lambda: shopify_csv([]),
     "row 2: no products: the file has a header row and no product rows; export the products again"),
    ("header and blank lines only", lambda: shopify_csv([]) + "\n\n", "row 2: no products"),
    ("price with a decimal comma", lambda: shopify_csv([
        {"Title": "Lamp", "URL handle": "lamp", "SKU": "A", "Price": "24.50"},
        {"URL handle": "lamp", "SKU": "B", "Option1 value": "Large", "Price": "29,90"}]),
     "row 3: column 'Price': '29,90' is not a number; Shopify reads prices with a decimal point (29.90), not a "
     "decimal comma"),
    ("price with thousands dots and a decimal comma", lambda: shopify_csv([
        {"Title": "Sofa", "URL handle": "sofa", "SKU": "A", "Price": "1.299,00"}]),
     "row 2: column 'Price': '1.299,00' is not a number; Shopify reads prices with a decimal point (1299.00)"),
    ("price with a currency sign", lambda: shopify_csv([
        {"Title": "Lamp", "URL handle": "lamp", "SKU": "A", "Price": "$24"}]),
     "row 2: column 'Price': '$24' is not a number; write prices as digits with a decimal point, like 24.50"),
    ("compare-at price not a number", lambda: shopify_csv([
        {"Title": "Lamp", "URL handle": "lamp", "SKU": "A", "Price": "24", "Compare-at price": "n/a"}]),
     "row 2: column 'Compare-at price': 'n/a' is not a number"),
    ("legacy price not a number", lambda: shopify_csv([
        {"Handle": "lamp", "Title": "Lamp", "Variant SKU": "A", "Variant Price": "12,5"}], LEGACY_HEADER),
     "row 2: column 'Variant Price': '12,5' is not a number; Shopify reads prices with a decimal point (12.5)"),
    ("UTF-16 with a byte-order mark", lambda: shopify_csv([{"Title": "Lamp", "URL handle": "lamp"}]).encode("utf-16"),
     "row 1: the file is UTF-16 text; Shopify product CSVs are UTF-8: save it again as \"CSV UTF-8\""),
    ("UTF-16 without a byte-order mark", lambda: shopify_csv([{"Title": "Lamp", "URL handle": "lamp"}]).encode(
        "utf-16-be"), "row 1: the file is UTF-16 text"),
]


@pytest.mark.parametrize("name,content,message", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_is_one_line_with_file_row_and_column(tmp_path, workspace_args, capsys, name, content, message):
    path = write(tmp_path, content())
    code, out, err = run_cli([*workspace_args, "pull", "--csv", str(path)], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"error: {path}: ")
    assert message in err
    assert not (tmp_path / "ws" / "t" / "catalog.parquet").exists()


def test_a_bad_price_far_down_names_its_own_row(tmp_path, workspace_args, capsys):
    """The row of a bad price is the line it starts on, past multi-line descriptions and in a later batch."""
    rows = [{"Title": f"Lamp {i}", "URL handle": f"lamp-{i}", "Description": "<p>Brass.</p>\n<p>Oiled.</p>",
             "SKU": f"L{i}", "Price": "24.50"} for i in range(6000)]
    rows[5500]["Price"] = "24,50"
    path = write(tmp_path, shopify_csv(rows))
    code, _, err = run_cli([*workspace_args, "pull", "--csv", str(path)], capsys)
    assert code == 2
    assert err == (f"error: {path}: row {2 + 5500 * 2}: column 'Price': '24,50' is not a number; Shopify reads "
                   "prices with a decimal point (24.50), not a decimal comma; export the file again from Shopify, or "
                   "save it from a spreadsheet set to an English locale\n")


def test_prices_that_are_numbers_or_empty_are_read(tmp_path, workspace_args, capsys):
    rows = [{"Title": "Lamp", "URL handle": "lamp", "SKU": "A", "Price": "24"},
            {"URL handle": "lamp", "SKU": "B", "Option1 value": "Large", "Price": " 29.90 ", "Compare-at price": ""},
            {"Title": "Gift card", "URL handle": "gift-card", "SKU": "G", "Price": ""}]
    code, out, err = run_cli([*workspace_args, "pull", "--csv", str(write(tmp_path, shopify_csv(rows)))], capsys)
    assert code == 0, err
    assert "2 products, 3 SKUs" in out


def test_bad_input_keeps_the_previous_catalogue(tmp_path, small_catalog_rows, workspace_args, capsys):
    good = write(tmp_path, shopify_csv(small_catalog_rows), "good.csv")
    assert run_cli([*workspace_args, "pull", "--csv", str(good)], capsys)[0] == 0
    catalog_path = tmp_path / "ws" / "t" / "catalog.parquet"
    before = catalog_path.read_bytes()
    bad = write(tmp_path, shopify_csv([*small_catalog_rows, {"Title": "Rug", "URL handle": "rug",
                                                              "Inventory quantity": "x"}]), "bad.csv")
    assert run_cli([*workspace_args, "pull", "--csv", str(bad)], capsys)[0] == 2
    assert catalog_path.read_bytes() == before
    assert not [p for p in catalog_path.parent.iterdir() if p.name.endswith(".tmp")]
    with StateStore(tmp_path / "ws" / "t" / "state.db") as state:
        first, failed = state.runs("pull")
        assert (first["status"], failed["status"]) == ("ok", "failed")
        assert state.product_version("linen-duvet-cover")["last_seen_run"] == first["id"]  # nothing recorded
        assert state.pull_changes(failed["id"]) == {"new": [], "changed": [], "gone": []}


def test_missing_file_is_a_one_line_error(tmp_path, workspace_args, capsys):
    code, _, err = run_cli([*workspace_args, "pull", "--csv", str(tmp_path / "nope.csv")], capsys)
    assert code == 2 and "nope.csv: file not found" in err


def test_second_pull_reports_new_changed_and_gone(tmp_path, small_catalog_rows, workspace_args, capsys):
    first = write(tmp_path, shopify_csv(small_catalog_rows), "first.csv")
    assert run_cli([*workspace_args, "pull", "--csv", str(first)], capsys)[0] == 0

    edited = [dict(r) for r in small_catalog_rows if r["URL handle"] != "brass-floor-lamp"]
    edited[0]["SEO title"] = "Washed linen duvet cover"       # a field we rewrite: changed
    edited[1]["Inventory quantity"] = "9"                        # not a field we rewrite: unchanged
    edited.append({"Title": "Jute Rug", "URL handle": "jute-rug", "SKU": "JR-1", "Option1 name": "Title",
                   "Option1 value": "Default Title"})
    second = write(tmp_path, shopify_csv(edited), "second.csv")
    code, out, _ = run_cli([*workspace_args, "pull", "--csv", str(second)], capsys)
    assert code == 0 and "new 1, changed 1, gone 1" in out

    with StateStore(tmp_path / "ws" / "t" / "state.db") as state:
        run = state.last_run("pull")
        assert state.pull_changes(run["id"]) == {"new": ["jute-rug"], "changed": ["linen-duvet-cover"],
                                                 "gone": ["brass-floor-lamp"]}
        assert run["counts"] == {"products": 2, "skus": 3, "new": 1, "changed": 1, "gone": 1}
        assert state.product_version("brass-floor-lamp")["gone_run"] == run["id"]

    code, out, _ = run_cli([*workspace_args, "pull", "--csv", str(second)], capsys)
    assert "new 0, changed 0, gone 0" in out


def test_catalogue_keeps_pulled_values_for_conflict_checks(tmp_path, small_catalog_rows, workspace_args, capsys):
    path = write(tmp_path, shopify_csv(small_catalog_rows))
    run_cli([*workspace_args, "pull", "--csv", str(path)], capsys)
    catalog = read_catalog(Workspace(tmp_path / "ws" / "t").catalog)
    assert isinstance(catalog, pd.DataFrame)
    assert set(catalog["content_hash"].str.len()) == {20}
    assert catalog.set_index("handle").loc["linen-duvet-cover", "seo_description"] == "A washed linen duvet cover."


def test_a_product_seen_twice_counts_once_with_what_it_was_seen_with_last(tmp_path):
    with StateStore(tmp_path / "state.db") as state:
        first = state.start_run("pull")
        state.record_pull(first, [("p1", "one", "aaa", ""), ("p2", "two", "bbb", "")])
        second = state.start_run("pull")
        changes = state.record_pull(second, [("p2", "two", "bbb", ""), ("p1", "one", "ccc", ""),
                                             ("p3", "three", "ddd", ""), ("p1", "one-b", "aaa", "")])
        assert (changes.new, changes.changed, changes.unchanged) == (["p3"], [], 2)
        assert state.product_version("p1")["handle"] == "one-b"


def test_the_comparison_is_with_the_versions_there_when_the_first_product_comes(tmp_path):
    """A pull feeds the state store while it is still reading; what another connection wrote before the first
    product came is compared against, and nobody writes between that and the commit."""
    path = tmp_path / "state.db"
    with StateStore(path) as state:
        first = state.start_run("pull")
        state.record_pull(first, [("p1", "one", "aaa", ""), ("p2", "two", "bbb", "")])
        second = state.start_run("pull")

        def seen():
            with StateStore(path) as other:
                other.db.execute("UPDATE product_versions SET content_hash = 'zzz' WHERE product_id = 'p1'")
                other.db.execute("UPDATE product_versions SET gone_run = 1 WHERE product_id = 'p2'")
            yield "p1", "one", "aaa", ""
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                sqlite3.connect(path, timeout=0.05).execute("UPDATE product_versions SET handle = 'x'")
            yield "p2", "two", "bbb", ""

        changes = state.record_pull(second, seen())
        assert (changes.new, changes.changed, changes.gone) == (["p2"], ["p1"], [])
        assert state.product_version("p1")["handle"] == "one"
