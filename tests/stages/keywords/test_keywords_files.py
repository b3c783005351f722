"""Keyword exports as users download them: each tool's shape is recognised by its header, bad files fail in one
line that names the file, row and column."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.stages.keywords.files import read_keyword_file, read_keyword_text, split_locale_spec

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


# -- Search Console downloads as they come from an interface in another language ----------------------------------
# Per language: the zip's queries and pages file names, their headers, and the numbers written as that interface
# writes them (impressions 1,234 and 12,000; position 6.1 and 14.25). Where each name was seen: GSC_LANGUAGES.
NBSP, NNBSP = "\u00a0", "\u202f"
DOTS_QUERY, DOTS_PAGE = ("1.234", "6,1", "3,5 %"), ("12.000", "14,25", "0,5 %")  # thousands dots, decimal commas
GSC_DOWNLOADS = {
    "en": ("Queries.csv", "Pages.csv", "Top queries,Clicks,Impressions,CTR,Position",
           "Top pages,Clicks,Impressions,CTR,Position", ("1,234", "6.1", "3.5%"), ("12,000", "14.25", "0.5%")),
    "fr": ("Requêtes.csv", "Pages.csv", "Requêtes les plus fréquentes,Clics,Impressions,CTR,Position",
           "Pages les plus populaires,Clics,Impressions,CTR,Position",
           (f"1{NNBSP}234", "6,1", "3,5 %"), (f"12{NBSP}000", "14,25", "0,5 %")),
    "de": ("Suchanfragen.csv", "Seiten.csv", "Häufigste Suchanfragen,Klicks,Impressionen,CTR,Position",
           "Häufigste Seiten,Klicks,Impressionen,CTR,Position", DOTS_QUERY, DOTS_PAGE),
    "es": ("Consultas.csv", "Páginas.csv", "Consultas principales,Clics,Impresiones,CTR,Posición",
           "Páginas principales,Clics,Impresiones,CTR,Posición", DOTS_QUERY, DOTS_PAGE),
    "it": ("Query.csv", "Pagine.csv", "Query più frequenti,Clic,Impressioni,CTR,Posizione",
           "Pagine principali,Clic,Impressioni,CTR,Posizione", DOTS_QUERY, DOTS_PAGE),
    "nl": ("Zoekopdrachten.csv", "Pagina's.csv",
           "Meest uitgevoerde zoekopdrachten,Aantal klikken,Vertoningen,CTR,Positie",
           "Toppagina's,Aantal klikken,Vertoningen,CTR,Positie", DOTS_QUERY, DOTS_PAGE),
    "pt": ("Consultas.csv", "Páginas.csv", "Principais consultas,Cliques,Impressões,CTR,Posição",
           "Páginas principais,Cliques,Impressões,CTR,Posição", DOTS_QUERY, DOTS_PAGE),
    "pl": ("Zapytania.csv", "Strony.csv", "Najpopularniejsze zapytania,Kliknięcia,Wyświetlenia,CTR,Pozycja",
           "Najpopularniejsze strony,Kliknięcia,Wyświetlenia,CTR,Pozycja",
           (f"1{NBSP}234", "6,1", "3,5%"), (f"12{NBSP}000", "14,25", "0,5%")),
}
OTHER_TABLES = {"Chart.csv": "Date,Clicks,Impressions,CTR,Position\n2026-03-01,3,120,2.5%,7.1\n",
                "Countries.csv": "Country,Clicks,Impressions,CTR,Position\nFrance,3,120,2.5%,7.1\n",
                "Filters.csv": "Filter,Value\nSearch type,Web\n"}


def csv_line(*cells: str) -> str:
    return ",".join(f'"{c}"' if "," in c else c for c in cells) + "\n"


def gsc_zip(tmp_path: Path, language: str, *, other_tables: bool = True) -> Path:
    queries_file, pages_file, queries_header, pages_header, query_numbers, page_numbers = GSC_DOWNLOADS[language]
    impressions, position, ctr = query_numbers
    page_impressions, page_position, page_ctr = page_numbers
    archive = tmp_path / f"site-Performance-on-Search-{language}.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(queries_file, queries_header + "\n" + csv_line("Oak Coffee Table", "41", impressions, ctr, position))
        z.writestr(pages_file, pages_header + "\n" + csv_line("https://shop.example.com/products/oak-coffee-table",
                                                              "90", page_impressions, page_ctr, page_position))
        for name, text in (OTHER_TABLES.items() if other_tables else ()):
            z.writestr(name, text)
    return archive


@pytest.mark.parametrize("language", list(GSC_DOWNLOADS))
def test_a_search_console_zip_from_an_interface_in_another_language(tmp_path, language):
    export = read_keyword_file(gsc_zip(tmp_path, language), locale="en", default_locale="en",
                               allowed_locales=LOCALES)
    assert [(r.keyword, r.source, r.demand, r.position) for r in export.records] == [
        ("oak coffee table", "gsc", 1234.0, 6.1)]
    assert [(p.handle, p.impressions, p.position) for p in export.pages] == [("oak-coffee-table", 12000.0, 14.25)]


def flag_names_as_not_utf8(archive: Path) -> None:
    """Clear the zip's "names are UTF-8" flag, as some zip tools leave it while writing UTF-8 names."""
    data = bytearray(archive.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            data[start + offset + 1] &= ~0x08  # bit 11 of the little-endian general-purpose flags
            start += 4
    archive.write_bytes(bytes(data))


def test_zip_member_names_are_found_without_the_utf8_flag_and_decomposed(tmp_path):
    archive = gsc_zip(tmp_path, "fr")
    flag_names_as_not_utf8(archive)
    with zipfile.ZipFile(archive) as z:
        assert "Requêtes.csv" not in z.namelist()  # Python reads these names as code page 437
    assert [r.keyword for r in read_keyword_file(archive, locale="en", default_locale="en",
                                                 allowed_locales=LOCALES).records] == ["oak coffee table"]
    decomposed = tmp_path / "nfd.zip"
    with zipfile.ZipFile(decomposed, "w") as z:  # macOS writes accents as combining characters
        z.writestr(unicodedata.normalize("NFD", "Consultas.csv"), "Consultas principales,Clics,Impresiones,CTR,"
                   "Posición\nmesa de centro roble,3,\"1.234\",\"0,2 %\",\"8,5\"\n")
        z.writestr(unicodedata.normalize("NFD", "Páginas.csv"), "Páginas principales,Clics,Impresiones,CTR,Posición\n")
    export = read_keyword_file(decomposed, locale="es", default_locale="en", allowed_locales=LOCALES)
    assert [(r.keyword, r.demand, r.position) for r in export.records] == [("mesa de centro roble", 1234.0, 8.5)]


def test_a_zip_table_with_a_name_we_do_not_know_is_found_by_its_header(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Dotazy.csv", "Top queries,Clicks,Impressions,CTR,Position\ncoffee table,4,120,3.3%,11.2\n")
        z.writestr("Zařízení.csv", "Device,Clicks,Impressions,CTR,Position\nMobile,4,120,3.3%,11.2\n")
    export = read_keyword_file(archive, locale=None, default_locale="en", allowed_locales=LOCALES)
    assert [(r.keyword, r.demand) for r in export.records] == [("coffee table", 120.0)]


def test_a_zip_without_a_queries_or_pages_table_names_what_it_holds(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name, text in OTHER_TABLES.items():
            z.writestr(name, text)
    with pytest.raises(InputError) as error:
        read_keyword_file(archive, locale=None, default_locale="en", allowed_locales=LOCALES)
    message = str(error.value)
    assert message.startswith(f"{archive}: zip holds no Search Console queries or pages table")
    assert "Requêtes.csv" in message and "found Chart.csv, Countries.csv, Filters.csv" in message
    assert "\n" not in message


def read_text(text: str, **kwargs) -> list[tuple[str, float | None, float | None]]:
    export = read_keyword_text(text, "q.csv", locale=kwargs.get("locale"), default_locale="en",
                               allowed_locales=LOCALES)
    return [(r.keyword, r.demand, r.position) for r in export.records]


@pytest.mark.parametrize("text,expected", [
    # German: dots group thousands, a comma is the decimal separator; the positions show it
    ("Häufigste Suchanfragen;Klicks;Impressionen;CTR;Position\ncouchtisch;9;1.234;0,7 %;6,1\n",
     [("couchtisch", 1234.0, 6.1)]),
    # ... and the header's language tells it when no number has a decimal part
    ("Häufigste Suchanfragen;Klicks;Impressionen;CTR;Position\ncouchtisch;9;1.234;0 %;6\n",
     [("couchtisch", 1234.0, 6.0)]),
    # thousands in millions, and both separators in one number
    ("Häufigste Suchanfragen;Klicks;Impressionen;CTR;Position\ncouchtisch;9;1.234.567;0,1 %;1.234,5\n",
     [("couchtisch", 1234567.0, 1234.5)]),
    # French: a no-break space or a narrow no-break space groups thousands
    (f"Requêtes les plus fréquentes;Clics;Impressions;CTR;Position\ntable basse;2;1{NBSP}234;0,2 %;8,4\n"
     f"table chêne;1;12{NNBSP}345{NNBSP}678;0 %;12\n",
     [("table basse", 1234.0, 8.4), ("table chêne", 12345678.0, 12.0)]),
    # English: commas group thousands, the decimal separator is a point
    ('Top queries,Clicks,Impressions,CTR,Position\ncoffee table,41,"1,234",3.3%,14.2\n',
     [("coffee table", 1234.0, 14.2)]),
    ('Top queries,Clicks,Impressions,CTR,Position\ncoffee table,41,"1,234,567.0",3.3%,"1,001.5"\n',
     [("coffee table", 1234567.0, 1001.5)]),
    # a count cannot be a fraction: "1.234" impressions are 1,234 even when no number says which separator it is
    ("Top queries;Clicks;Impressions;CTR;Position\ncoffee table;41;1.234;0%;7\n", [("coffee table", 1234.0, 7.0)]),
])
def test_numbers_are_read_in_the_files_own_locale(text, expected):
    assert read_text(text) == expected


def test_a_volume_with_thousands_dots_in_a_semrush_export():
    text = "Keyword;Volume;Keyword Difficulty;CPC\ncouchtisch eiche;2.400;41;0,85\n"
    assert read_text(text, locale="de") == [("couchtisch eiche", 2400.0, None)]


def test_ahrefs_country_names_give_the_locale_as_codes_do(tmp_path):
    path = tmp_path / "ahrefs.csv"
    path.write_text("Keyword,Country,Volume,KD\noak coffee table,United States,3600,24\ncouchtisch eiche,Germany,"
                    "5400,18\ntable basse chêne,France,2900,15\nmesa de centro roble,México,1900,12\n"
                    "oak side table,united kingdom,700,9\ncouchtisch rund,DE,300,5\nmesa roble,Atlantis,10,1\n",
                    encoding="utf-8")
    export = read_keyword_file(path, locale=None, default_locale="en", allowed_locales=LOCALES)
    assert {r.keyword: r.locale for r in export.records} == {
        "oak coffee table": "en", "couchtisch eiche": "de", "table basse chêne": "fr", "mesa de centro roble": "es",
        "oak side table": "en", "couchtisch rund": "de", "mesa roble": "en"}  # an unknown country: the primary
