"""Shopify's translation CSV (Settings > Languages > Export / Import, and Translate & Adapt): read, join, write.

The file is long-form: one row per resource, field and locale. The format followed here is the one Shopify's
admin exports since Markets (help.shopify.com/en/manual/international/languages/translate, "Add language
translations using a CSV file"), eight columns:

    Type, Identification, Field, Locale, Market, Status, Default content, Translated content

`Type` names the resource (PRODUCT, COLLECTION, PRODUCT_OPTION, METAFIELD, ...), `Identification` its numeric id
(exported with a leading ' so that a spreadsheet keeps the digits; a GraphQL gid is read too), `Field` Shopify's
translatable key (for a product: title, body_html, meta_title, meta_description, handle, ...), `Locale` the
language, `Market` empty for a translation that applies everywhere (else the market it adapts), `Status` the
translation's state (translated, outdated, untranslated; empty for none), `Default content` the text in the
store's primary language when exported and `Translated content` the translation: the one column an import reads.
Files from before Markets have the same header without `Market` (read, and written back the same way).

Reading is hostile-input safe: UTF-8 with or without a byte-order mark (UTF-16 is named as such and refused, as
Shopify's import refuses it), a header separated by semicolons or tabs is named, a cell up to csv_format's
MAX_CELL_BYTES is read, cells are never evaluated, and a resource's field and locale given twice with different
content is refused; every error is one line naming the file, the row and the column (InputError).
Writing neutralises a cell a spreadsheet would run as a formula with a leading ' (pipeline.core.spreadsheet); the
reader takes that guard off again, so what we write reads back exactly. Push keeps approved values that start like
a formula out of the file altogether (the guard would be imported as text).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.spreadsheet import FORMULA_START, safe_cell
from pipeline.errors import InputError
from pipeline.shopify.csv_format import MAX_CELL_BYTES
from pipeline.workspace import read_input_bytes

FORMAT_SOURCE = "https://help.shopify.com/en/manual/international/languages/translate"
FORMAT_VERSION = "Shopify admin translation CSV, Markets-era header (8 columns; the 7-column pre-Markets header read)"

TYPE, IDENTIFICATION, FIELD, LOCALE, MARKET, STATUS, DEFAULT, TRANSLATED = (
    "Type", "Identification", "Field", "Locale", "Market", "Status", "Default content", "Translated content")
CURRENT_HEADER: tuple[str, ...] = (TYPE, IDENTIFICATION, FIELD, LOCALE, MARKET, STATUS, DEFAULT, TRANSLATED)
LEGACY_HEADER: tuple[str, ...] = (TYPE, IDENTIFICATION, FIELD, LOCALE, STATUS, DEFAULT, TRANSLATED)
REQUIRED = (TYPE, IDENTIFICATION, FIELD, LOCALE, DEFAULT, TRANSLATED)

PRODUCT = "PRODUCT"
# Our draft field -> Shopify's translatable key for a product (as in pipeline.shopify.push_support.FIELD_KEYS).
FIELD_KEYS = {"title": "title", "body_html": "body_html", "seo_title": "meta_title",
              "seo_description": "meta_description"}
KEY_FIELDS = {key: name for name, key in FIELD_KEYS.items()}
OUTDATED = "outdated"
GID_PREFIX = "gid://shopify/"


@dataclass(frozen=True)
class TranslationRow:
    """One row of the file: a resource's field in one locale. `line` is where it starts in the file it came from
    (0 for a row we make)."""

    resource_type: str
    identification: str
    field: str
    locale: str
    market: str = ""
    status: str = ""
    default_content: str = ""
    translated_content: str = ""
    line: int = 0

    @property
    def resource_id(self) -> str:
        return resource_number(self.identification)

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """What makes a row unique: resource type and id, field, locale and market."""
        return (self.resource_type.strip().upper(), self.resource_id, self.field.strip(), self.locale.strip().lower(),
                self.market.strip())

    @property
    def is_product(self) -> bool:
        return self.resource_type.strip().upper() == PRODUCT

    def cells(self, header: Sequence[str]) -> list[str]:
        values = {TYPE: self.resource_type, IDENTIFICATION: self.identification, FIELD: self.field,
                  LOCALE: self.locale, MARKET: self.market, STATUS: self.status, DEFAULT: self.default_content,
                  TRANSLATED: self.translated_content}
        return [values.get(name, "") for name in header]


@dataclass(frozen=True)
class TranslationFile:
    path: Path
    header: tuple[str, ...]  # the standard columns the file has, in Shopify's order (CURRENT_HEADER or LEGACY)
    rows: tuple[TranslationRow, ...]
    repeated: int = 0  # rows that repeat an earlier row exactly (skipped)


def resource_number(identification: str) -> str:
    """The resource's numeric id from an Identification cell: Excel's leading ' and a gid's path taken off."""
    text = identification.strip().lstrip("'").strip()
    if text.startswith(GID_PREFIX):
        text = text.rsplit("/", 1)[-1]
    return text.split("?", 1)[0]


def product_number(product_id: str) -> str | None:
    """The numeric id of a catalogue product id that is a Shopify gid (a store pull); None for a handle (a CSV
    pull, whose products have no id)."""
    if product_id.startswith(GID_PREFIX + "Product/"):
        return product_id.rsplit("/", 1)[-1]
    return None


# -- reading ---------------------------------------------------------------------------------------------------------
def read_translation_file(path: Path) -> TranslationFile:
    """Read and check a translation CSV; every problem is an InputError naming file, row and column."""
    path = Path(path)
    return parse_translation_text(decode(read_input_bytes(path), str(path)), str(path))


def decode(raw: bytes, name: str) -> str:
    """The file's text: UTF-8, with or without a byte-order mark. UTF-16 (by its byte-order mark, or by the zero
    bytes ASCII text has in it) is named as such; another encoding is named by its first byte that is not UTF-8."""
    head = raw[:4]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
            len(head) == 4 and (head[1] == head[3] == 0 or head[0] == head[2] == 0) and head != bytes(4)):
        raise InputError("the file is UTF-16 text; Shopify's translation import reads UTF-8: save it again as \"CSV "
                         "UTF-8\" (Excel: Save As > CSV UTF-8), or export it again from Shopify admin > Settings > "
                         "Languages", file=name, row=1)
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; export the translations as UTF-8 "
                         "(Shopify's import requires it)", file=name, row=line) from None


def parse_translation_text(text: str, name: str = "translations.csv") -> TranslationFile:
    """Parse the text of a translation CSV (see read_translation_file)."""
    if not text.strip():
        raise InputError("file is empty; expected Shopify's translation export (Settings > Languages > Export) with "
                         "a header row", file=name)
    first = text.split("\n", 1)[0]
    if "," not in first and (";" in first or "\t" in first):
        sep = "semicolons" if first.count(";") >= first.count("\t") else "tabs"
        raise InputError(f"header is separated by {sep}; Shopify's translation CSV uses commas (save it again as "
                         "CSV UTF-8, comma-delimited)", file=name, row=1)
    if csv.field_size_limit() < MAX_CELL_BYTES:
        csv.field_size_limit(MAX_CELL_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise InputError(f"unreadable CSV header: {exc}", file=name, row=1) from None
    columns = _columns(header, name)
    rows: list[TranslationRow] = []
    seen: dict[tuple[str, str, str, str, str], TranslationRow] = {}
    repeated = 0
    width = len(header)
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise InputError(f"a cell is larger than {MAX_CELL_BYTES // 2**20} MB", file=name, row=line) from None
            raise InputError(f"malformed CSV ({exc}); is a quote left open?", file=name, row=line) from None
        start, line = line, reader.line_num + 1
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != width:
            raise InputError(f"has {len(cells)} cells but the header has {width}; the file may be truncated or use "
                             "another delimiter", file=name, row=start)
        row = _row(cells, columns, start, name)
        earlier = seen.get(row.key)
        if earlier is not None:
            if _same(earlier, row):
                repeated += 1
                continue
            raise InputError(f"the same {row.resource_type} {row.resource_id} {row.field!r} in locale {row.locale!r}"
                             f"{' for market ' + repr(row.market) if row.market else ''} as row {earlier.line}, with "
                             "other content; keep one of the two rows", file=name, row=start, field=TRANSLATED)
        seen[row.key] = row
        rows.append(row)
    standard = CURRENT_HEADER if MARKET in columns else LEGACY_HEADER
    return TranslationFile(path=Path(name), header=standard, rows=tuple(rows), repeated=repeated)


def _columns(header: list[str], name: str) -> dict[str, int]:
    """Standard column -> its position (names matched without regard to case)."""
    lowered = [h.lower() for h in header]
    repeated = sorted({h for h in header if h and lowered.count(h.lower()) > 1})
    if repeated:
        raise InputError("column appears more than once in the header", file=name, row=1, field=repeated[0])
    found = {standard: lowered.index(standard.lower()) for standard in CURRENT_HEADER if standard.lower() in lowered}
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        if {"url handle", "handle"} & set(lowered):
            hint = "this looks like a product CSV; pass it as CSV=, and the translation export as TRANSLATIONS="
        else:
            hint = ("is this Shopify's translation export (Settings > Languages > Export)? Its header is "
                    + ", ".join(CURRENT_HEADER))
        raise InputError(f"missing required column; {hint}", file=name, row=1, field=missing[0])
    return found


def _row(cells: list[str], columns: Mapping[str, int], line: int, name: str) -> TranslationRow:
    def cell(column: str) -> str:
        return cells[columns[column]] if column in columns else ""

    for column in (TYPE, IDENTIFICATION, FIELD, LOCALE):
        if not cell(column).strip():
            raise InputError("empty cell; every row names its resource, field and locale", file=name, row=line,
                             field=column)
    if not resource_number(cell(IDENTIFICATION)):
        raise InputError(f"{cell(IDENTIFICATION)!r} is not a resource id", file=name, row=line, field=IDENTIFICATION)
    return TranslationRow(resource_type=cell(TYPE).strip(), identification=cell(IDENTIFICATION).strip(),
                          field=cell(FIELD).strip(), locale=cell(LOCALE).strip(), market=cell(MARKET).strip(),
                          status=cell(STATUS).strip(), default_content=_unguarded(cell(DEFAULT)),
                          translated_content=_unguarded(cell(TRANSLATED)), line=line)


def _unguarded(text: str) -> str:
    """A cell without the ' that `safe_cell` puts before text a spreadsheet would run as a formula."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def _same(a: TranslationRow, b: TranslationRow) -> bool:
    return (a.translated_content, a.default_content, a.status) == (b.translated_content, b.default_content, b.status)


# -- writing ---------------------------------------------------------------------------------------------------------
def write_translation_file(destination: Path, rows: Iterable[TranslationRow],
                           header: Sequence[str] = CURRENT_HEADER) -> int:
    """Write rows as Shopify's translation CSV (UTF-8, no byte-order mark, RFC 4180 quoting) atomically, every cell
    a spreadsheet would run as a formula neutralised; return the row count."""
    from pipeline.workspace import atomic_path

    header = tuple(header)
    if header not in (CURRENT_HEADER, LEGACY_HEADER):
        raise ValueError(f"not a translation CSV header: {header}")
    count = 0
    with atomic_path(Path(destination)) as tmp, open(tmp, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            if row.market and MARKET not in header:
                raise ValueError(f"row for market {row.market!r} in a file without a Market column")
            writer.writerow([safe_cell(value) for value in row.cells(header)])
            count += 1
    return count


# -- joining a file to the catalogue ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CatalogueProduct:
    """What the join needs of a catalogue row: its id, handle and primary-locale copy."""

    id: str
    handle: str
    copy: Mapping[str, str]  # our field name -> the primary-locale text


@dataclass(frozen=True)
class JoinedRow:
    """A product field's translation in one locale, matched to a catalogue product."""

    product_id: str
    locale: str          # spelt as [pipeline] locales spell it
    key: str             # Shopify's key: title, body_html, meta_title, meta_description
    value: str | None    # None: no translation
    outdated: bool
    source: TranslationRow


@dataclass
class Report:
    """What a join kept, and what it did not, with examples: nothing is dropped without being counted here."""

    file: str
    rows: int = 0
    repeated: int = 0
    kept: Counter[str] = field(default_factory=Counter)          # locale -> product field rows kept
    translated: Counter[str] = field(default_factory=Counter)
    outdated: Counter[str] = field(default_factory=Counter)
    marked_outdated: Counter[str] = field(default_factory=Counter)  # of `outdated`: Status says so
    default_differs: Counter[str] = field(default_factory=Counter)  # of `outdated`: the product file has other text
    products: set[str] = field(default_factory=set)
    unknown_locale: list[str] = field(default_factory=list)
    unknown_resource: list[str] = field(default_factory=list)
    primary_locale: list[str] = field(default_factory=list)
    market_specific: list[str] = field(default_factory=list)
    other_types: Counter[str] = field(default_factory=Counter)
    other_fields: Counter[str] = field(default_factory=Counter)

    def lines(self, shown: int = 3) -> list[str]:
        locales = sorted(self.kept)
        per_locale = ", ".join(f"{loc} {self.translated[loc]:,} translated of {self.kept[loc]:,} (outdated "
                               f"{self.outdated[loc]:,})" for loc in locales) or "none"
        out = [f"translations: {self.rows:,} rows from {self.file}; {len(self.products):,} products matched; "
               f"{per_locale}"]
        marked, differs = sum(self.marked_outdated.values()), sum(self.default_differs.values())
        if marked or differs:
            out.append(f"  outdated: {marked:,} marked outdated by Shopify, {differs:,} whose default content differs "
                       "from the product file (translated from older text); shown as the drafts' before, to replace")
        for title, items in (("unknown locale (not in [pipeline] locales), not used", self.unknown_locale),
                             ("unknown resource (no product in the catalogue), not used", self.unknown_resource),
                             ("in the primary locale, not used (the product file holds that text)",
                              self.primary_locale),
                             ("market-specific (Market set), kept as they are on the store", self.market_specific)):
            if items:
                out.append(f"  {title}: {len(items):,}, e.g. {'; '.join(items[:shown])}")
        others = sum(self.other_types.values()) + sum(self.other_fields.values())
        if others:
            kinds = ", ".join(f"{k} {n:,}" for k, n in (self.other_types + self.other_fields).most_common(6))
            out.append(f"  other resources and fields, left as they are: {others:,} ({kinds})")
        if self.repeated:
            out.append(f"  rows repeated word for word, read once: {self.repeated:,}")
        return out

    def counts(self) -> dict[str, int]:
        return {"translation_rows": self.rows, "translations_kept": sum(self.kept.values()),
                "translated": sum(self.translated.values()), "outdated": sum(self.outdated.values()),
                "unknown_locale": len(self.unknown_locale), "unknown_resource": len(self.unknown_resource),
                "market_specific": len(self.market_specific)}


def join(file: TranslationFile, products: Iterable[CatalogueProduct], locales: Sequence[str],
         primary_locale: str) -> tuple[list[JoinedRow], Report]:
    """Match the file's product rows to catalogue products and the shop's locales.

    A product is found by its numeric id when the catalogue has Shopify ids (a store pull), else by its handle:
    the export gives each product a `handle` row whose default content is the handle. A row is kept only for a
    product field we write (title, body_html, meta_title, meta_description), in one of `locales` other than the
    primary one, for all markets; everything else is counted in the report with examples, never dropped silently.
    A kept row is outdated when Shopify marked it so, or when its default content is not the product's text now.
    """
    report = Report(file=str(file.path), rows=len(file.rows) + file.repeated, repeated=file.repeated)
    by_number: dict[str, CatalogueProduct] = {}
    by_handle: dict[str, CatalogueProduct] = {}
    for product in products:
        number = product_number(product.id)
        if number:
            by_number[number] = product
        by_handle[product.handle] = product
    handles = {row.resource_id: row.default_content.strip() for row in file.rows
               if row.is_product and row.field == "handle" and row.default_content.strip()}
    spelling = {loc.lower(): loc for loc in locales}
    primary = primary_locale.lower()
    out: list[JoinedRow] = []
    for row in file.rows:
        where = f"row {row.line}"
        if not row.is_product:
            report.other_types[row.resource_type.upper()] += 1
            continue
        if row.field not in KEY_FIELDS:
            report.other_fields[f"PRODUCT {row.field}"] += 1
            continue
        locale = spelling.get(row.locale.lower())
        if locale is None:
            report.unknown_locale.append(f"{where}: {row.locale!r}")
            continue
        if row.locale.lower() == primary:
            report.primary_locale.append(f"{where}: {row.locale!r}")
            continue
        found = by_number.get(row.resource_id) or by_handle.get(handles.get(row.resource_id, "\0"))
        if found is None:
            handle = handles.get(row.resource_id)
            report.unknown_resource.append(f"{where}: PRODUCT {row.resource_id}"
                                           + (f" (handle {handle!r})" if handle else " (no handle row)"))
            continue
        product = found
        if row.market:
            report.market_specific.append(f"{where}: {product.handle} [{row.locale}] {row.field} for {row.market!r}")
            continue
        value = row.translated_content if row.translated_content.strip() else None
        marked = row.status.strip().lower() == OUTDATED
        differs = value is not None and row.default_content.strip() != str(
            product.copy.get(KEY_FIELDS[row.field]) or "").strip()
        outdated = value is not None and (marked or differs)
        report.kept[locale] += 1
        report.products.add(product.id)
        if value is not None:
            report.translated[locale] += 1
        if outdated:
            report.outdated[locale] += 1
            if marked:
                report.marked_outdated[locale] += 1
            else:
                report.default_differs[locale] += 1
        out.append(JoinedRow(product.id, locale, row.field, value, outdated, row))
    return out, report


# -- what a later, newer export says ---------------------------------------------------------------------------------
def current_translations(file: TranslationFile, numbers: Mapping[str, str], locales: Sequence[str],
                         ) -> dict[tuple[str, str, str], str | None]:
    """(product_id, locale, our field) -> the translation a (newer) export holds, for the products whose numeric id
    is in `numbers` (numeric id -> product id); only rows for all markets."""
    wanted = {loc.lower(): loc for loc in locales}
    out: dict[tuple[str, str, str], str | None] = {}
    for row in file.rows:
        product_id = numbers.get(row.resource_id)
        locale = wanted.get(row.locale.lower())
        if not row.is_product or row.market or product_id is None or locale is None or row.field not in KEY_FIELDS:
            continue
        out[(product_id, locale, KEY_FIELDS[row.field])] = (row.translated_content
                                                             if row.translated_content.strip() else None)
    return out
