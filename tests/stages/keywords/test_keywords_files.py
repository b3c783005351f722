"""Keyword exports as users download them: each tool's shape is recognised by its header, bad files fail in one
line that names the file, row and column."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.stages.keywords.files import read_keyword_file, split_locale_spec

DATA = Path(__file__).resolve().parents[2] / "data" / "keywords"
LOCALES = ["en", "fr", "de", "es"]


def read(name: str | Path, locale: str | None = None):
    return read_keyword_file(DATA / name, locale=locale, default_locale="en", allowed_locales=LOCALES)


def test_gsc_queries_export_reads_impressions_and_position():
    export = read("gsc_Queries.csv")
    assert export.shape == "GSC Queries"
    first = export.records[0]
    assert (first.keyword, first.source, first.demand, first.position, first.locale) == (
        "coffee table", "gsc", 5210.0, 14.2, "en")
    assert [r.row for r in export.records] == [2, 3, 4, 5, 6]


def test_gsc_export_from_a_german_search_console_with_decimal_commas(tmp_path):
    export_path = tmp_path / "Suchanfragen.csv"
    export_path.write_text("Häufigste Suchanfragen;Klicks;Impressionen;Klickrate;Durchschnittliche Position\n"
                           "couchtisch eiche;9;300;3,0 %;6,1\n", encoding="utf-8")
    export = read_keyword_file(export_path, locale="de", default_locale="en", allowed_locales=LOCALES)
    record = export.records[0]
    assert (export.shape, record.keyword, record.demand, record.position, record.locale) == (
        "GSC Queries", "couchtisch eiche", 300.0, 6.1, "de")


def test_gsc_pages_export_gives_page_signals_not_keywords():
    export = read("gsc_Pages.csv")
    assert export.shape == "GSC Pages" and export.records == []
    assert [(p.handle, p.impressions) for p in export.pages] == [("walnut-coffee-table", 2400.0),
                                                                 ("oak-coffee-table", 300.0)]


def test_gsc_query_by_page_export_names_the_ranking_product():
    export = read("gsc_query_by_page.csv")
    assert {(r.keyword, r.page_handle, r.source) for r in export.records} == {
        ("coffee table", "walnut-coffee-table", "gsc_pages"), ("oak coffee table", "oak-coffee-table", "gsc_pages")}


def test_gsc_zip_download_reads_queries_and_pages(tmp_path):
    archive = tmp_path / "performance-on-search.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(DATA / "gsc_Queries.csv", "Queries.csv")
        z.write(DATA / "gsc_Pages.csv", "Pages.csv")
        z.writestr("Chart.csv", "Date,Clicks,Impressions,CTR,Position\n2026-01-01,1,2,50%,3\n")
    export = read_keyword_file(archive, locale=None, default_locale="en", allowed_locales=LOCALES)
    assert len(export.records) == 5 and len(export.pages) == 2


def test_ahrefs_utf16_tab_export_uses_volume_and_country_for_locale():
    export = read("ahrefs_keywords_explorer.csv")
    assert export.shape == "Ahrefs"
    by_keyword = {r.keyword: r for r in export.records}
    assert by_keyword["oak coffee table"].demand == 3600.0  # Volume, never Global volume (8100)
    assert {k: r.locale for k, r in by_keyword.items()} == {
        "oak coffee table": "en", "couchtisch eiche": "de", "table basse chêne": "fr", "mesa de centro roble": "es"}
    assert {r.source for r in export.records} == {"ahrefs"}


def test_a_locale_given_for_the_file_beats_the_country_column():
    export = read("ahrefs_keywords_explorer.csv", locale="fr")
    assert {r.locale for r in export.records} == {"fr"}


def test_semrush_keyword_magic_export_with_bom_and_thousands_separators():
    export = read("semrush_keyword_magic.csv")
    assert export.shape == "Semrush"
    assert [(r.keyword, r.demand) for r in export.records] == [
        ("coffee table", 201000.0), ("walnut coffee table", 9900.0), ("linen bedding", None)]


def test_semrush_positions_export_reads_position_and_ranking_url():
    record = read("semrush_positions.csv").records[0]
    assert (record.demand, record.position, record.page_handle) == (2400.0, 7.0, "oak-coffee-table")


def test_plain_list_without_header_keeps_every_line():
    export = read("keywords_list.txt", locale="en")
    assert export.shape == "list"
    assert [r.keyword for r in export.records] == ["coffee table", "walnut side table", "linen duvet cover"]
    assert all(r.demand is None and r.source == "list" for r in export.records)


def test_list_with_a_locale_per_row():
    export = read("keywords_by_locale.csv")
    assert [(r.keyword, r.locale) for r in export.records] == [
        ("table basse chêne", "fr"), ("couchtisch eiche", "de"), ("oak coffee table", "en")]


def test_rows_in_locales_not_configured_are_counted_not_kept():
    export = read_keyword_file(DATA / "keywords_by_locale.csv", locale=None, default_locale="en",
                               allowed_locales=["en"])
    assert [r.keyword for r in export.records] == ["oak coffee table"]
    assert export.skipped_locales == {"fr": 1, "de": 1}


def test_unrecognised_file_names_the_columns_expected():
    with pytest.raises(InputError) as error:
        read("not_keywords.csv")
    message = str(error.value)
    assert message.startswith(f"{DATA / 'not_keywords.csv'}: row 1: not a keyword export")
    assert "found columns sku, price, inventory" in message
    assert "Top queries, Clicks, Impressions" in message and "Ahrefs" in message and "Semrush" in message


def test_a_bad_number_names_file_row_and_column():
    with pytest.raises(InputError) as error:
        read("gsc_bad_number.csv")
    assert str(error.value) == f"{DATA / 'gsc_bad_number.csv'}: row 3: column 'impressions': 'lots' is not a number"


def test_spreadsheets_and_missing_files_are_one_line_errors(tmp_path):
    sheet = tmp_path / "Queries.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match="save the sheet as CSV"):
        read_keyword_file(sheet, locale=None, default_locale="en", allowed_locales=LOCALES)
    with pytest.raises(InputError, match="keyword file not found"):
        read_keyword_file(tmp_path / "nope.csv", locale=None, default_locale="en", allowed_locales=LOCALES)


def test_path_locale_spec_splits_only_on_a_known_locale():
    assert split_locale_spec("exports/requetes.csv:fr", LOCALES) == (Path("exports/requetes.csv"), "fr")
    assert split_locale_spec("exports/Queries.csv", LOCALES) == (Path("exports/Queries.csv"), None)
    assert split_locale_spec("C:/exports/q.csv", LOCALES) == (Path("C:/exports/q.csv"), None)
