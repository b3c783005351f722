"""Keyword files as users export them, recognised by their header row.

Accepted shapes (headers compared case- and space-insensitively; column order and extra columns do not matter;
UTF-8, UTF-8 with BOM or UTF-16 with BOM; comma, tab or semicolon separated; a GSC `.zip` download is opened
and its queries and pages tables read, whatever the interface language named them: `Queries.csv`,
`Requêtes.csv`, `Suchanfragen.csv`, `Consultas.csv`, `Query.csv`, `Zoekopdrachten.csv`, `Zapytania.csv`, ...):

- Google Search Console, Performance report, Queries export: `Top queries, Clicks, Impressions, CTR, Position`
  (also `Query` instead of `Top queries`, as the Search Console API, Looker Studio and Sheets add-ons write it;
  and the headers of the French, German, Spanish, Italian, Dutch, Portuguese and Polish interfaces, GSC_LANGUAGES
  below). Demand = impressions; position = the site's average position.   -> source "gsc"
- Google Search Console, Pages export: `Top pages, Clicks, Impressions, CTR, Position` (`Page`, `Landing Page`
  or `URL` also accepted). Without a query column it names no keywords: each row is a page signal (the product
  at /products/<handle> already earns impressions). With a query column (API, Looker Studio and bulk exports
  have `Query, Page, ...`) each row is a keyword plus the product page that ranks for it.  -> source "gsc_pages"
- Ahrefs, Keywords Explorer: `#, Keyword, Country, Difficulty, Volume, CPC, CPS, Parent Keyword, Last Update,
  SERP Features, Global volume, Traffic potential, ...` (2020-2026 shapes), and Site Explorer organic keywords:
  `Keyword, Volume, KD, CPC, ..., Current position, ..., Current URL, ...`. Recognised by `Keyword` plus one of
  Difficulty, KD, Parent Keyword, Parent Topic, Traffic potential, Global volume, CPS, Current position,
  Current URL. Demand = `Volume` (never `Global volume`); `Country` (a code, `us`, or a name, `United States`)
  gives the locale when the file has none.
                                                                           -> source "ahrefs"
- Semrush, Keyword Magic Tool: `Keyword, Intent, Volume, Trend, Keyword Difficulty, CPC (USD), Competitive
  Density, SERP Features, Number of Results`; Organic Research positions: `Keyword, Position, Previous position,
  Search Volume, Keyword Difficulty, CPC, URL, Traffic, ...`; API exports: `database;Keyword;Search Volume;
  Keyword Difficulty Index;...`. Recognised by `Keyword` plus one of Keyword Difficulty, Keyword Difficulty Index,
  Competitive Density, Number of Results, Search Volume, Trend(s), Keyword Intents. Demand = `Volume` or
  `Search Volume`; `Database` gives the locale when the file has none.   -> source "semrush"
- A plain list: one keyword per line, with or without a `keyword` header; or a `keyword` column with an optional
  `locale` (or `language`) column and an optional `volume` column.      -> source "list"

Numbers are read as the file writes them: "1,234" and "12.5" in English, "1.234" and "12,5" in German, "1 234"
(with a no-break space) and "12,5" in French; the file's decimal separator is the one its numbers show, else the
one Search Console uses for the header's language (_Reader.decimal_separator).

A file that fits none of these fails with one line naming the columns it found and the shapes expected.
The locale of a row is, in order: its own locale/language column, the locale given for the file
(`PATH:LOCALE` or seo.toml), the country/database column mapped to its main language, the primary locale.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from pipeline.errors import InputError

SOURCES = ("gsc", "gsc_pages", "ahrefs", "semrush", "list")


@dataclass(frozen=True)
class GscLanguage:
    """How Search Console names its CSV download in one interface language: the zip's queries and pages files,
    the header of each table, and the decimal separator its numbers use (clicks are not read)."""

    query_files: tuple[str, ...]
    page_files: tuple[str, ...]
    queries: tuple[str, ...]
    pages: tuple[str, ...]
    impressions: tuple[str, ...]
    ctr: tuple[str, ...]
    position: tuple[str, ...]
    decimal: str


# Search Console writes its download in the account's interface language. There is no published list of these
# names; each language below says where its names were seen (looked up in April 2026 with a code search over
# public repositories that parse real downloads: their parsers, fixtures and notes). "(unconfirmed)" marks a name
# seen in a single source only, kept because accepting an extra header costs nothing.
GSC_LANGUAGES: dict[str, GscLanguage] = {
    # English: the bundled sample (catalog_samples/gsc_queries.csv) and every parser seen. `Query`/`Page` are how
    # the Search Console API, Looker Studio and Sheets add-ons name the columns.
    "en": GscLanguage(("queries.csv",), ("pages.csv",), ("top queries", "query", "queries", "search query"),
                      ("top pages", "page", "pages", "landing page", "url", "address"), ("impressions",),
                      ("ctr",), ("position", "average position"), "."),
    # French: Requêtes.csv, Pages.csv, Pays.csv; "Requêtes les plus fréquentes,Clics,Impressions,CTR,Position" and
    # "Pages les plus populaires" in several parsers and zip fixtures; numbers like "0,00 %" and "84,6".
    # "Position moyenne" (unconfirmed).
    "fr": GscLanguage(("requêtes.csv",), ("pages.csv",), ("requêtes les plus fréquentes",),
                      ("pages les plus populaires",), ("impressions",), ("ctr",),
                      ("position", "position moyenne"), ","),
    # German: Suchanfragen.csv, Seiten.csv, Länder.csv, Geräte.csv, Diagramm.csv listed in project notes on real
    # downloads; "Häufigste Suchanfragen", "Klicks", "Impressionen", "CTR", "Position" and "Häufigste Seiten" in
    # parsers; numbers like "1.200" and "15,8". Bare "Suchanfragen"/"Seiten", "Klickrate", "Durchschnittliche
    # Position", "Top-Seiten", "Die häufigsten Seiten" (unconfirmed).
    "de": GscLanguage(("suchanfragen.csv",), ("seiten.csv",), ("häufigste suchanfragen", "suchanfragen"),
                      ("häufigste seiten", "die häufigsten seiten", "top-seiten", "seiten"), ("impressionen",),
                      ("ctr", "klickrate"), ("position", "durchschnittliche position"), ","),
    # Spanish: Consultas.csv, Páginas.csv; "Consultas principales,Clics,Impresiones,CTR,Posición" and "Páginas
    # principales" in several parsers and fixtures. "Posición media" (unconfirmed).
    "es": GscLanguage(("consultas.csv",), ("páginas.csv", "paginas.csv"), ("consultas principales",),
                      ("páginas principales",), ("impresiones",), ("ctr",), ("posición", "posición media"), ","),
    # Italian: Query.csv, Pagine.csv, Grafico.csv; "Query più frequenti,Clic,Impressioni,CTR,Posizione" and
    # "Pagine principali" in two projects' zip fixtures. "Query principali", "Posizione media" (unconfirmed).
    "it": GscLanguage(("query.csv",), ("pagine.csv",), ("query più frequenti", "query principali"),
                      ("pagine principali",), ("impressioni",), ("ctr",), ("posizione", "posizione media"), ","),
    # Dutch: Zoekopdrachten.csv, Landen.csv in project notes on real downloads (the pages file as "Paginas.csv";
    # "Pagina's.csv" unconfirmed); "Meest uitgevoerde zoekopdrachten", "Aantal klikken", "Vertoningen", "Positie"
    # and "Toppagina's" in two parsers. "Populairste zoekopdrachten", "Klikken" (unconfirmed).
    "nl": GscLanguage(("zoekopdrachten.csv",), ("pagina's.csv", "paginas.csv"),
                      ("meest uitgevoerde zoekopdrachten", "populairste zoekopdrachten"), ("toppagina's",),
                      ("vertoningen",), ("ctr",), ("positie",), ","),
    # Portuguese: "Principais consultas" / "Consultas principais", "Cliques", "Impressões", "CTR", "Posição" and
    # "Páginas principais" / "Páginas mais visitadas" in several Brazilian projects' parsers and fixtures, with
    # numbers like "1.234" and "5,26%"; the files as Consultas.csv and Páginas.csv/Paginas.csv (as in Spanish).
    # "Top consultas" (unconfirmed).
    "pt": GscLanguage(("consultas.csv",), ("páginas.csv", "paginas.csv"),
                      ("principais consultas", "consultas principais", "top consultas"),
                      ("páginas principais", "páginas mais visitadas"), ("impressões",), ("ctr",), ("posição",),
                      ","),
    # Polish: Zapytania.csv, Strony.csv, Kraje.csv, Urządzenia.csv, Daty.csv, Filtry.csv listed in one project's
    # notes on real downloads. Headers (unconfirmed, one source): "Najpopularniejsze zapytania", "Kliknięcia",
    # "Wyświetlenia", "CTR", "Pozycja"; "Najpopularniejsze strony" (not seen anywhere; by analogy).
    "pl": GscLanguage(("zapytania.csv",), ("strony.csv",), ("najpopularniejsze zapytania",),
                      ("najpopularniejsze strony",), ("wyświetlenia",), ("ctr",), ("pozycja",), ","),
}


def _gsc_names(part: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for language in GSC_LANGUAGES.values() for name in getattr(language, part)))


QUERY_COLUMNS = _gsc_names("queries")
PAGE_COLUMNS = _gsc_names("pages")
IMPRESSION_COLUMNS = _gsc_names("impressions")
POSITION_COLUMNS = _gsc_names("position")
CTR_COLUMNS = _gsc_names("ctr")
GSC_QUERY_FILES = _gsc_names("query_files")
GSC_PAGE_FILES = _gsc_names("page_files")
KEYWORD_COLUMNS = ("keyword", "keywords", "keyphrase", "search term", "term", "query")
LOCALE_COLUMNS = ("locale", "language", "lang")
AHREFS_MARKERS = ("difficulty", "kd", "parent keyword", "parent topic", "traffic potential", "global volume", "cps",
                  "current position", "current url", "current organic traffic")
SEMRUSH_MARKERS = ("keyword difficulty", "keyword difficulty index", "competitive density", "number of results",
                   "search volume", "trend", "trends", "keyword intents", "serp features by keyword")

EXPECTED_SHAPES = ("GSC Queries (Top queries, Clicks, Impressions, CTR, Position), "
                   "GSC Pages (Top pages, Clicks, Impressions, CTR, Position), "
                   "Ahrefs (Keyword, Volume, Difficulty or KD, ...), "
                   "Semrush (Keyword, Volume or Search Volume, Keyword Difficulty, ...), "
                   "or a one-column keyword list")

# Country or Semrush database code -> the language its searches are in, for files that carry no locale.
COUNTRY_LANGUAGE = {
    "us": "en", "gb": "en", "uk": "en", "au": "en", "ca": "en", "ie": "en", "nz": "en", "za": "en", "in": "en",
    "sg": "en", "fr": "fr", "de": "de", "at": "de", "es": "es", "mx": "es", "ar": "es", "co": "es", "cl": "es",
    "pe": "es", "it": "it", "nl": "nl", "pt": "pt", "br": "pt", "se": "sv", "dk": "da", "pl": "pl", "jp": "ja",
}
# Ahrefs writes the country as a name in some exports (Site Explorer over all countries, some Keywords Explorer
# versions) and as a code in others. Names are compared without case or accents. Countries with more than one
# main search language (Switzerland, Belgium) are left out: their rows take the file's or the primary locale.
COUNTRY_NAMES = {
    "united states": "us", "united states of america": "us", "usa": "us", "united kingdom": "gb",
    "great britain": "gb", "england": "gb", "australia": "au", "canada": "ca", "ireland": "ie",
    "new zealand": "nz", "south africa": "za", "india": "in", "singapore": "sg", "france": "fr", "germany": "de",
    "deutschland": "de", "austria": "at", "osterreich": "at", "spain": "es", "espana": "es", "mexico": "mx",
    "argentina": "ar", "colombia": "co", "chile": "cl", "peru": "pe", "italy": "it", "italia": "it",
    "netherlands": "nl", "the netherlands": "nl", "nederland": "nl", "portugal": "pt", "brazil": "br",
    "brasil": "br", "sweden": "se", "denmark": "dk", "poland": "pl", "polska": "pl", "japan": "jp",
}


@dataclass(frozen=True)
class KeywordRecord:
    keyword: str
    locale: str
    source: str
    demand: float | None = None  # GSC impressions, or the tool's monthly search volume
    position: float | None = None
    page_handle: str | None = None  # the product page that ranks for it, when the export names one
    file: str = ""
    row: int = 0


@dataclass(frozen=True)
class PageSignal:
    handle: str
    locale: str
    impressions: float
    position: float | None
    file: str
    row: int


@dataclass
class KeywordFile:
    path: str
    shape: str
    records: list[KeywordRecord] = field(default_factory=list)
    pages: list[PageSignal] = field(default_factory=list)
    skipped_locales: dict[str, int] = field(default_factory=dict)


def split_locale_spec(spec: str, known_locales: Iterable[str]) -> tuple[Path, str | None]:
    """`PATH:LOCALE` -> (PATH, LOCALE) when the suffix is a known locale; otherwise the whole string is a path."""
    path, sep, suffix = spec.rpartition(":")
    if sep and path and suffix.lower() in {loc.lower() for loc in known_locales}:
        return Path(path), suffix.lower()
    return Path(spec), None


def read_keyword_file(path: Path, *, locale: str | None, default_locale: str,
                      allowed_locales: Sequence[str]) -> KeywordFile:
    """Every keyword (and page signal) in one export; rows whose locale is not configured are counted, not kept."""
    path = Path(path)
    if not path.exists():
        raise InputError("keyword file not found", file=str(path))
    if path.is_dir():
        raise InputError("is a directory, not a keyword file", file=str(path))
    if path.suffix.lower() == ".zip":
        return _read_gsc_zip(path, locale=locale, default_locale=default_locale, allowed_locales=allowed_locales)
    if path.suffix.lower() in (".xlsx", ".xls", ".ods"):
        raise InputError("spreadsheet files are not read; export or save the sheet as CSV", file=str(path))
    return read_keyword_text(_decode(path.read_bytes(), str(path)), str(path), locale=locale,
                             default_locale=default_locale, allowed_locales=allowed_locales)


def read_keyword_text(text: str, name: str, *, locale: str | None, default_locale: str,
                      allowed_locales: Sequence[str]) -> KeywordFile:
    lines = text.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise InputError(f"empty keyword file; expected {EXPECTED_SHAPES}", file=name)
    delimiter = _delimiter(lines[0])
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter or "\x1f"))
    header = [_norm_header(h) for h in rows[0]]
    reader = _Reader(name, header, locale, default_locale, allowed_locales)
    shape = reader.shape()
    result = KeywordFile(path=name, shape=shape)
    first_data = 0 if shape == "list" and header and header[0] not in KEYWORD_COLUMNS and len(header) == 1 else 1
    reader.decimal = reader.decimal_separator(rows[first_data:])
    for offset, cells in enumerate(rows[first_data:]):
        line = offset + first_data + 1
        if not any(c.strip() for c in cells):
            continue
        reader.read_row(cells, line, result)
    return result


class _Reader:
    """Reads rows of one recognised shape; the shape decides which columns mean keyword, demand and page."""

    def __init__(self, name: str, header: list[str], locale: str | None, default_locale: str,
                 allowed_locales: Sequence[str]):
        self.name, self.header = name, header
        self.file_locale, self.default_locale = locale, default_locale
        self.allowed = {loc.split("-")[0].lower() for loc in allowed_locales}
        self.columns = {h: i for i, h in reversed(list(enumerate(header)))}
        self.ctr_col: int | None = None
        self.decimal: str | None = None  # the file's decimal separator, once known (decimal_separator)

    def _find(self, names: Iterable[str]) -> int | None:
        for name in names:
            if name in self.columns:
                return self.columns[name]
        return None

    def shape(self) -> str:
        has = set(self.header)
        self.keyword_col = self.demand_col = self.position_col = self.page_col = self.country_col = None
        self.locale_col = self._find(LOCALE_COLUMNS)
        if has & set(IMPRESSION_COLUMNS) and (has & set(QUERY_COLUMNS) or has & set(PAGE_COLUMNS)):
            self.keyword_col = self._find(QUERY_COLUMNS)
            self.page_col = self._find(PAGE_COLUMNS)
            self.demand_col = self._find(IMPRESSION_COLUMNS)
            self.position_col = self._find(POSITION_COLUMNS)
            self.ctr_col = self._find(CTR_COLUMNS)
            self.source = "gsc" if self.page_col is None else "gsc_pages"
            return "GSC Queries" if self.page_col is None else ("GSC Pages" if self.keyword_col is None
                                                                else "GSC Queries by page")
        keyword = self._find(KEYWORD_COLUMNS)
        if keyword is not None and has & set(AHREFS_MARKERS):
            self.keyword_col, self.source = keyword, "ahrefs"
            self.demand_col = self._find(("volume", "search volume"))
            self.position_col = self._find(("current position", "position"))
            self.page_col = self._find(("current url", "url"))
            self.country_col = self._find(("country",))
            return "Ahrefs"
        if keyword is not None and has & set(SEMRUSH_MARKERS):
            self.keyword_col, self.source = keyword, "semrush"
            self.demand_col = self._find(("volume", "search volume"))
            self.position_col = self._find(("position",))
            self.page_col = self._find(("url",))
            self.country_col = self._find(("database",))
            return "Semrush"
        list_columns = set(KEYWORD_COLUMNS) | set(LOCALE_COLUMNS) | {"volume", "search volume"}
        if len(self.header) == 1 or (keyword is not None and has <= list_columns):
            self.keyword_col, self.source = (keyword if keyword is not None else 0), "list"
            self.demand_col = self._find(("volume", "search volume"))
            return "list"
        found = ", ".join(h or "(blank)" for h in self.header[:12]) + (", ..." if len(self.header) > 12 else "")
        raise InputError(f"not a keyword export we recognise: found columns {found}; expected {EXPECTED_SHAPES}",
                         file=self.name, row=1)

    def decimal_separator(self, rows: Sequence[list[str]]) -> str | None:
        """The file's decimal separator: what its numbers show (the first one written with a decimal part that
        cannot be a thousands group, as "14,2" or "0.79%"), else what Search Console writes in the language of the
        header (a comma outside English), else unknown (None)."""
        columns = [c for c in (self.position_col, self.ctr_col, self.demand_col) if c is not None]
        for cells in rows:
            for index in columns:
                if index < len(cells) and (found := _decimal_evidence(cells[index])):
                    return found
        if self.source in ("gsc", "gsc_pages"):
            header = set(self.header)
            for code, language in GSC_LANGUAGES.items():
                names = set(language.queries) | set(language.pages)
                if code != "en" and header & names and header & set(language.impressions):
                    return language.decimal
        return None

    def read_row(self, cells: list[str], line: int, out: KeywordFile) -> None:
        def cell(index: int | None) -> str:
            return cells[index].strip() if index is not None and index < len(cells) else ""

        locale = self._row_locale(cell(self.locale_col), cell(self.country_col), line)
        demand = _number(cell(self.demand_col), self.name, line, self._name(self.demand_col), decimal=self.decimal,
                         count=True)
        position = _number(cell(self.position_col), self.name, line, self._name(self.position_col),
                           decimal=self.decimal)
        page = _product_handle(cell(self.page_col)) if self.page_col is not None else None
        if locale not in self.allowed:
            out.skipped_locales[locale] = out.skipped_locales.get(locale, 0) + 1
            return
        if self.keyword_col is None:  # a GSC Pages export: a signal about a product page, no keyword
            if page:
                out.pages.append(PageSignal(page, locale, demand or 0.0, position, self.name, line))
            return
        keyword = clean_keyword(cell(self.keyword_col))
        if not keyword:
            return
        out.records.append(KeywordRecord(keyword, locale, self.source, demand, position, page, self.name, line))

    def _row_locale(self, own: str, country: str, line: int) -> str:
        if own:
            code = re.split(r"[-_]", own.strip().lower())[0]
            if not re.fullmatch(r"[a-z]{2,3}", code):
                raise InputError(f"{own!r} is not a locale code like en or fr-CA", file=self.name, row=line,
                                 field=self._name(self.locale_col))
            return code
        if self.file_locale:
            return self.file_locale
        language = country_language(country)
        return language if language is not None else self.default_locale

    def _name(self, index: int | None) -> str | None:
        return self.header[index] if index is not None else None


def clean_keyword(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().strip("\"'").strip().lower()


def country_language(country: str) -> str | None:
    """The main search language of a country given as a code (`de`, Semrush's `uk`) or a name (`Germany`,
    `United States`), or None when it is not one we know."""
    text = country.strip().lower()
    if not text:
        return None
    if text in COUNTRY_LANGUAGE:
        return COUNTRY_LANGUAGE[text]
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    code = COUNTRY_NAMES.get(re.sub(r"\s+", " ", plain))
    return COUNTRY_LANGUAGE.get(code) if code else None


# Spaces (also the no-break and narrow no-break spaces French uses) and apostrophes (Swiss) only ever group digits.
_GROUPING = str.maketrans("", "", " \u00a0\u202f\u2009'\u2019")
_COMMA_DECIMAL = re.compile(r"\d*,(\d{1,2}|\d{4,})|\d{1,3}(\.\d{3})+,\d+")
_POINT_DECIMAL = re.compile(r"\d*\.(\d{1,2}|\d{4,})|\d{1,3}(,\d{3})+\.\d+")


def _decimal_evidence(text: str) -> str | None:
    """"," or "." when this number can only be read one way ("14,2" and "1.234,5" have a decimal comma; "14.2"
    and "1,234.5" a decimal point); None for "1,234", "1.234" or "12" (a thousands group or no decimal part)."""
    raw = text.strip().translate(_GROUPING).rstrip("%")
    if _COMMA_DECIMAL.fullmatch(raw):
        return ","
    if _POINT_DECIMAL.fullmatch(raw):
        return "."
    return None


def _number(text: str, name: str, line: int, column: str | None, *, decimal: str | None = None,
            count: bool = False) -> float | None:
    """Numbers as tools write them: `1234`, `1,234`, `12.5`, `45.61%`, `<10`, and in the file's locale `1.234`,
    `1 234` (also with a no-break space), `12,5`, `0,79 %`; empty, `-` or `n/a` are unknown.

    `decimal` is the file's decimal separator when known (Reader.decimal_separator). Without it, a lone separator
    followed by exactly three digits is a thousands group when it is a comma (`1,234`, as English writes it) or
    when the column counts something (`1.234` impressions cannot be a fraction); otherwise it is a decimal
    separator (`12,5`, `14.2`)."""
    raw = text.strip().translate(_GROUPING)
    if raw.lower() in ("", "-", "n/a", "na", "none", "null"):
        return None
    raw = raw.lstrip("<>~≈").rstrip("%")
    try:
        value = float(_plain_number(raw, decimal, count))
    except ValueError:
        raise InputError(f"{text!r} is not a number", file=name, row=line, field=column) from None
    if value < 0:
        raise InputError(f"{text!r} is negative", file=name, row=line, field=column)
    return value


def _plain_number(raw: str, decimal: str | None, count: bool) -> str:
    """`raw` with its thousands groups taken out and a decimal point; unchanged when it is no number we know."""
    if "," in raw and "." in raw:  # both: the last one is the decimal separator, the other groups thousands
        point = "," if raw.rfind(",") > raw.rfind(".") else "."
        group = "." if point == "," else ","
        whole, _, fraction = raw.rpartition(point)
        if re.fullmatch(rf"\d{{1,3}}(\{group}\d{{3}})+", whole) and fraction.isdigit():
            return f"{whole.replace(group, '')}.{fraction}"
        return raw
    separator = "," if "," in raw else "." if "." in raw else None
    if separator is None:
        return raw
    grouped = re.fullmatch(rf"\d{{1,3}}(\{separator}\d{{3}})+", raw) is not None
    if raw.count(separator) > 1:  # only a thousands separator repeats: 1.234.567
        return raw.replace(separator, "") if grouped else raw
    if decimal is not None:
        thousands = separator != decimal and grouped
    else:
        thousands = grouped and (separator == "," or count)
    return raw.replace(separator, "") if thousands else raw.replace(separator, ".")


def _product_handle(url: str) -> str | None:
    """The product handle of a storefront URL (/products/<handle>, also under a locale or collection path)."""
    path = urlparse(url).path if "://" in url else url
    match = re.search(r"/products/([^/?#]+)", path)
    return unquote(match.group(1)).lower() if match else None


def _norm_header(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\ufeff", "").replace("\u2019", "'"))
    return re.sub(r"\s+", " ", text).strip().strip('"').strip().lower()


def _delimiter(header_line: str) -> str | None:
    counts = {d: header_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else None


def _decode(data: bytes, name: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if len(data) >= 4 and data[1] == 0 and data[3] == 0:  # UTF-16 LE without a BOM (some Ahrefs exports)
        return data.decode("utf-16-le", errors="replace")
    if b"\x00" in data[:4096]:
        raise InputError("binary file, not a CSV or text keyword export", file=name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_gsc_zip(path: Path, *, locale: str | None, default_locale: str,
                  allowed_locales: Sequence[str]) -> KeywordFile:
    """Search Console's CSV download: a zip of one CSV per table, named in the interface language (Queries.csv
    and Pages.csv, Requêtes.csv, Suchanfragen.csv and Seiten.csv, ...: GSC_LANGUAGES). The queries and pages
    tables are read, found by their file name or, for a name we do not know, by their header; the charts,
    countries, devices and filters are not needed."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise InputError("not a readable zip file", file=str(path)) from None
    with archive:
        tables = [info for info in archive.infolist()
                  if not info.is_dir() and not info.filename.startswith("__MACOSX/")]
        known = set(GSC_QUERY_FILES) | set(GSC_PAGE_FILES)
        wanted = [info for info in tables if _member_name(info) in known]
        wanted += [info for info in tables if info not in wanted and _member_name(info).endswith((".csv", ".tsv"))
                   and _is_gsc_table(archive.read(info), info.filename)]
        if not wanted:
            found = ", ".join(Path(_member_name(info, lower=False)).name for info in tables[:8]) or "nothing"
            raise InputError(f"zip holds no Search Console queries or pages table (Queries.csv, Requêtes.csv, "
                             f"Suchanfragen.csv, Consultas.csv, Query.csv, Zoekopdrachten.csv, Zapytania.csv, ..."
                             f"); found {found}", file=str(path))
        combined = KeywordFile(path=str(path), shape="GSC zip")
        for info in wanted:
            name = f"{path}[{_member_name(info, lower=False)}]"
            part = read_keyword_text(_decode(archive.read(info), name), name, locale=locale,
                                     default_locale=default_locale, allowed_locales=allowed_locales)
            combined.records += part.records
            combined.pages += part.pages
            for key, count in part.skipped_locales.items():
                combined.skipped_locales[key] = combined.skipped_locales.get(key, 0) + count
    return combined


def _member_name(info: zipfile.ZipInfo, *, lower: bool = True) -> str:
    """A zip member's file name as its maker wrote it. Python reads a name without the UTF-8 flag as code page 437,
    which turns a UTF-8 "Requêtes.csv" from a zip tool that does not set the flag into "Requ├¬tes.csv"; such a
    name is decoded again as UTF-8. macOS writes accents decomposed (NFD): names are compared in NFC."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    name = unicodedata.normalize("NFC", name.rsplit("/", 1)[-1]).replace("\u2019", "'")
    return name.lower() if lower else name


def _is_gsc_table(data: bytes, name: str) -> bool:
    """Whether a table of a Search Console zip is its queries or pages table, by its header: the first column is
    a query or page column (the countries, devices, dates and filters tables start otherwise)."""
    try:
        text = _decode(data[:4096], name)
    except (InputError, UnicodeDecodeError):
        return False
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = _delimiter(first_line) or ","
    header = [_norm_header(h) for h in next(csv.reader([first_line], delimiter=delimiter), [])]
    return bool(header) and header[0] in set(QUERY_COLUMNS) | set(PAGE_COLUMNS) and bool(
        set(header) & set(IMPRESSION_COLUMNS))
