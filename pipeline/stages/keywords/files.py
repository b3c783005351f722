"""Keyword files as users export them, recognised by their header row.

Accepted shapes (headers compared case- and space-insensitively; column order and extra columns do not matter;
UTF-8, UTF-8 with BOM or UTF-16 with BOM; comma, tab or semicolon separated; a GSC `.zip` download is opened
and its Queries.csv and Pages.csv read):

- Google Search Console, Performance report, Queries export: `Top queries, Clicks, Impressions, CTR, Position`
  (also `Query` instead of `Top queries`, as the Search Console API, Looker Studio and Sheets add-ons write it;
  and the French, German and Spanish UI headers: `Requêtes les plus fréquentes`, `Häufigste Suchanfragen`,
  `Consultas principales`, with `Impressionen`/`Impresiones` and `Position moyenne`/`Durchschnittliche Position`/
  `Posición media`). Demand = impressions; position = the site's average position.   -> source "gsc"
- Google Search Console, Pages export: `Top pages, Clicks, Impressions, CTR, Position` (`Page`, `Landing Page`
  or `URL` also accepted). Without a query column it names no keywords: each row is a page signal (the product
  at /products/<handle> already earns impressions). With a query column (API, Looker Studio and bulk exports
  have `Query, Page, ...`) each row is a keyword plus the product page that ranks for it.  -> source "gsc_pages"
- Ahrefs, Keywords Explorer: `#, Keyword, Country, Difficulty, Volume, CPC, CPS, Parent Keyword, Last Update,
  SERP Features, Global volume, Traffic potential, ...` (2020-2026 shapes), and Site Explorer organic keywords:
  `Keyword, Volume, KD, CPC, ..., Current position, ..., Current URL, ...`. Recognised by `Keyword` plus one of
  Difficulty, KD, Parent Keyword, Parent Topic, Traffic potential, Global volume, CPS, Current position,
  Current URL. Demand = `Volume` (never `Global volume`); `Country` gives the locale when the file has none.
                                                                           -> source "ahrefs"
- Semrush, Keyword Magic Tool: `Keyword, Intent, Volume, Trend, Keyword Difficulty, CPC (USD), Competitive
  Density, SERP Features, Number of Results`; Organic Research positions: `Keyword, Position, Previous position,
  Search Volume, Keyword Difficulty, CPC, URL, Traffic, ...`; API exports: `database;Keyword;Search Volume;
  Keyword Difficulty Index;...`. Recognised by `Keyword` plus one of Keyword Difficulty, Keyword Difficulty Index,
  Competitive Density, Number of Results, Search Volume, Trend(s), Keyword Intents. Demand = `Volume` or
  `Search Volume`; `Database` gives the locale when the file has none.   -> source "semrush"
- A plain list: one keyword per line, with or without a `keyword` header; or a `keyword` column with an optional
  `locale` (or `language`) column and an optional `volume` column.      -> source "list"

A file that fits none of these fails with one line naming the columns it found and the shapes expected.
The locale of a row is, in order: its own locale/language column, the locale given for the file
(`PATH:LOCALE` or seo.toml), the country/database column mapped to its main language, the primary locale.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from pipeline.errors import InputError

SOURCES = ("gsc", "gsc_pages", "ahrefs", "semrush", "list")

# Search Console writes its headers in the account's UI language: the French, German and Spanish names are
# those that published GSC parsers accept (not checked against a live export here).
QUERY_COLUMNS = ("top queries", "query", "queries", "search query", "requêtes les plus fréquentes",
                 "häufigste suchanfragen", "consultas principales")
PAGE_COLUMNS = ("top pages", "page", "pages", "landing page", "url", "address", "pages les plus populaires",
                "häufigste seiten", "top-seiten", "páginas principales")
IMPRESSION_COLUMNS = ("impressions", "impressionen", "impresiones")
POSITION_COLUMNS = ("position", "average position", "position moyenne", "durchschnittliche position",
                    "posición media", "posición")
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

    def read_row(self, cells: list[str], line: int, out: KeywordFile) -> None:
        def cell(index: int | None) -> str:
            return cells[index].strip() if index is not None and index < len(cells) else ""

        locale = self._row_locale(cell(self.locale_col), cell(self.country_col), line)
        demand = _number(cell(self.demand_col), self.name, line, self._name(self.demand_col))
        position = _number(cell(self.position_col), self.name, line, self._name(self.position_col))
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
        if country and country.strip().lower() in COUNTRY_LANGUAGE:
            return COUNTRY_LANGUAGE[country.strip().lower()]
        return self.default_locale

    def _name(self, index: int | None) -> str | None:
        return self.header[index] if index is not None else None


def clean_keyword(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().strip("\"'").strip().lower()


def _number(text: str, name: str, line: int, column: str | None) -> float | None:
    """Numbers as tools write them: `1234`, `1,234`, `12.5`, `45.61%`, `<10`; empty, `-` or `n/a` are unknown."""
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if raw.lower() in ("", "-", "n/a", "na", "none", "null"):
        return None
    raw = raw.lstrip("<>~≈").rstrip("%")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", raw):
        raw = raw.replace(",", "")
    elif re.fullmatch(r"\d+,\d+", raw):  # a decimal comma, as European spreadsheets write positions
        raw = raw.replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{text!r} is not a number", file=name, row=line, field=column) from None
    if value < 0:
        raise InputError(f"{text!r} is negative", file=name, row=line, field=column)
    return value


def _product_handle(url: str) -> str | None:
    """The product handle of a storefront URL (/products/<handle>, also under a locale or collection path)."""
    path = urlparse(url).path if "://" in url else url
    match = re.search(r"/products/([^/?#]+)", path)
    return unquote(match.group(1)).lower() if match else None


def _norm_header(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\ufeff", "")).strip().strip('"').strip().lower()


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
    """Search Console's CSV download: a zip holding Queries.csv and Pages.csv (and charts we do not need)."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise InputError("not a readable zip file", file=str(path)) from None
    with archive:
        members = {Path(n).name.lower(): n for n in archive.namelist()}
        wanted = [members[n] for n in ("queries.csv", "pages.csv") if n in members]
        if not wanted:
            raise InputError("zip holds no Queries.csv or Pages.csv (a Search Console export)", file=str(path))
        combined = KeywordFile(path=str(path), shape="GSC zip")
        for member in wanted:
            name = f"{path}[{member}]"
            part = read_keyword_text(_decode(archive.read(member), name), name, locale=locale,
                                     default_locale=default_locale, allowed_locales=allowed_locales)
            combined.records += part.records
            combined.pages += part.pages
            for key, count in part.skipped_locales.items():
                combined.skipped_locales[key] = combined.skipped_locales.get(key, 0) + count
    return combined
