"""make pull CSV=... TRANSLATIONS=...: Shopify's translation export joined to the catalogue into translations.parquet,
the "before" of localised drafts; rows it cannot use are counted with examples; a bad file changes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.errors import ConfigError
from pipeline.shopify.translations import read_shop_locales
from pipeline.shopify.translations_csv import CURRENT_HEADER
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace
from tests.conftest import shopify_csv

CONFIG = '[pipeline]\nlocales = ["en", "fr", "de"]\nprimary_locale = "en"\n'
EXPORT_ROWS = [
    "PRODUCT,'8000000000001,title,fr,,translated,Linen Duvet Cover,Housse de couette en lin",
    "PRODUCT,'8000000000001,body_html,fr,,outdated,<p>Washed linen.</p>,<p>Lin lavé.</p>",
    "PRODUCT,'8000000000001,handle,fr,,,linen-duvet-cover,",
    "PRODUCT,'8000000000001,meta_title,fr,,,Linen duvet cover,",
    "PRODUCT,'8000000000001,title,de,,translated,Linen Duvet Cover (2024),Leinen-Bettbezug",
    "PRODUCT,'8000000000001,handle,de,,,linen-duvet-cover,",
    "PRODUCT,'8000000000002,title,fr,,translated,Brass Floor Lamp,Lampadaire en laiton",
    "PRODUCT,'8000000000002,handle,fr,,,brass-floor-lamp,",
    "PRODUCT,'8000000000002,title,it,,translated,Brass Floor Lamp,Lampada da terra",
    "PRODUCT,'8000000000003,title,fr,,translated,Walnut Stool,Tabouret en noyer",
    "PRODUCT,'8000000000003,handle,fr,,,walnut-stool,",
    "PRODUCT_OPTION,'9000000000011,name,fr,,translated,Size,Taille",
]


def export_text(rows=EXPORT_ROWS) -> str:
    return ",".join(CURRENT_HEADER) + "\n" + "\n".join(rows) + "\n"


@pytest.fixture
def files(tmp_path, small_catalog_rows):
    config = tmp_path / "seo.toml"
    config.write_text(CONFIG, encoding="utf-8")
    products = tmp_path / "products_export.csv"
    products.write_text(shopify_csv(small_catalog_rows), encoding="utf-8")
    translations = tmp_path / "translations_export.csv"
    translations.write_text(export_text(), encoding="utf-8")
    args = ["--config", str(config), "--workspace", str(tmp_path / "ws"), "--store", "t"]
    return args, products, translations, Workspace(tmp_path / "ws" / "t")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_export_joins_the_catalogue_and_the_summary_counts_what_it_left(files, capsys):
    args, products, translations, ws = files
    code, out, err = run(capsys, *args, "pull", "--csv", str(products), "--translations", str(translations))
    assert code == 0, err
    assert f"translations: 12 rows from {translations}; 2 products matched" in out
    assert "de 1 translated of 1 (outdated 1), fr 3 translated of 4 (outdated 1)" in out
    assert "outdated: 1 marked outdated by Shopify, 1 whose default content differs from the product file" in out
    assert "unknown locale (not in [pipeline] locales), not used: 1, e.g. row 10: 'it'" in out
    assert "unknown resource (no product in the catalogue), not used: 1, e.g. row 11: PRODUCT 8000000000003 " \
           "(handle 'walnut-stool')" in out
    assert "other resources and fields, left as they are: 5 (PRODUCT handle 4, PRODUCT_OPTION 1)" in out
    assert f"wrote {ws.locales}" in out
    table = pq.read_table(ws.locales).to_pylist()
    got = {(r["product_id"], r["locale"], r["key"]): (r["value"], r["outdated"], r["identification"],
                                                      r["default_content"]) for r in table}
    assert got == {
        ("linen-duvet-cover", "fr", "title"): ("Housse de couette en lin", False, "'8000000000001",
                                               "Linen Duvet Cover"),
        ("linen-duvet-cover", "fr", "body_html"): ("<p>Lin lavé.</p>", True, "'8000000000001", "<p>Washed linen.</p>"),
        ("linen-duvet-cover", "fr", "meta_title"): (None, False, "'8000000000001", "Linen duvet cover"),
        ("linen-duvet-cover", "de", "title"): ("Leinen-Bettbezug", True, "'8000000000001",
                                               "Linen Duvet Cover (2024)"),
        ("brass-floor-lamp", "fr", "title"): ("Lampadaire en laiton", False, "'8000000000002", "Brass Floor Lamp"),
    }
    assert not any(r["primary"] for r in table)
    assert [x.locale for x in read_shop_locales(ws.locales)] == ["en", "fr", "de"]
    with StateStore(ws.state_db) as state:
        assert state.get_meta("translations_path") == str(translations.resolve())
        assert state.get_meta("translations_header") is not None
        counts = state.last_run("pull")
    assert counts is not None


def test_existing_translations_are_the_before_of_localised_drafts_in_review(files, capsys):
    from pipeline.stages.review import ReviewSource

    args, products, translations, ws = files
    assert run(capsys, *args, "pull", "--csv", str(products), "--translations", str(translations))[0] == 0
    source = ReviewSource(ws, "en")
    before = source.before("linen-duvet-cover", "fr")
    assert before["title"] == "Housse de couette en lin" and before["body_html"] == "<p>Lin lavé.</p>"
    assert before["seo_title"] is None
    assert source.before("brass-floor-lamp", "de")["title"] is None  # no German export rows: nothing translated
    assert source.before("linen-duvet-cover", "en")["title"] == "Linen Duvet Cover"


def test_generate_judges_a_localised_draft_against_the_current_translation(files, capsys):
    from pipeline.stages.generate.stage import GenerateOptions, _current_translations

    args, products, translations, ws = files
    assert run(capsys, *args, "pull", "--csv", str(products), "--translations", str(translations))[0] == 0
    options = GenerateOptions(locales=("en", "fr", "de"), primary_locale="en")
    # outdated translations translate older English: the primary copy stays the reference for those
    assert _current_translations(ws, options) == {("linen-duvet-cover", "fr"): {"title": "Housse de couette en lin"},
                                                  ("brass-floor-lamp", "fr"): {"title": "Lampadaire en laiton"}}


def _hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith("state.db")}


@pytest.mark.parametrize("data, pattern", [
    (export_text().encode("utf-16"), r"translations_export\.csv: row 1: the file is UTF-16 text"),
    (export_text().replace(",", ";").encode(), r"row 1: header is separated by semicolons"),
    (export_text(EXPORT_ROWS + ["PRODUCT,'8000000000001,title,fr,,translated,Linen Duvet Cover,Autre titre"]).encode(),
     r"row 14: column 'Translated content': the same PRODUCT 8000000000001 'title' in locale 'fr' as row 2"),
])
def test_a_bad_export_stops_the_pull_before_anything_is_written(files, capsys, data, pattern):
    import re

    args, products, translations, ws = files
    assert run(capsys, *args, "pull", "--csv", str(products), "--translations", str(translations))[0] == 0
    before = _hashes(ws.root)
    translations.write_bytes(data)
    code, out, err = run(capsys, *args, "pull", "--csv", str(products), "--translations", str(translations))
    assert code == 2 and not out and len(err.strip().splitlines()) == 1, (out, err)
    assert re.search(pattern, err), err
    assert _hashes(ws.root) == before


def test_a_translation_export_goes_with_a_product_csv_not_a_store(tmp_path):
    from pipeline.stages.pull import pull

    class Store:
        def pull_catalog(self, since=None):
            raise AssertionError("not reached")

    with StateStore(tmp_path / "state.db") as state, pytest.raises(ConfigError, match="goes with a product CSV"):
        pull(Workspace(tmp_path), state, connector=Store(), translations_path=tmp_path / "t.csv")


def test_the_sample_export_is_what_its_generator_builds():
    import subprocess
    import sys

    from tests.conftest import PROJECT_ROOT

    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "catalog_samples" / "build_translations.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
