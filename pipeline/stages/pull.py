"""pull: catalogue source (Shopify store, product CSV, or the bundled sample) -> catalog.parquet.

Writes the catalogue atomically, remembers the CSV dialect so files written back match it, and records in
the state store which products are new, changed (by content hash of the fields we rewrite) or gone since the
previous pull. The state store takes in each batch's ids and hashes, on a thread of its own, while the catalogue
is still being written, and commits what it recorded only once the catalogue is in place.

With a product CSV, Shopify's translation export (Settings > Languages > Export; pipeline/shopify/translations_csv.py)
may come along: it is read and checked before anything is written, then joined to the catalogue into
translations.parquet (Workspace.locales), the artefact a store pull writes from the Admin API, so the existing
translations are the "before" of the localised drafts in generate and review, and push can write the rows back
with the resource ids and default content of the export. Rows it cannot use (a locale the shop does not have, an
unknown product, another resource type) are counted in the summary with examples.

Then collections.parquet and collections.csv (pipeline/core/collections.py): the store's collections when the
connector reads them (pipeline/shopify/bulk_collections.py), and collections proposed from the catalogue just
written for what they lack; a collections.csv the merchant edited is kept.
"""

from __future__ import annotations

import codecs
import gc
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from queue import Queue
from typing import TYPE_CHECKING, Any, cast

from pipeline.core.progress import Progress
from pipeline.errors import ConfigError, InputError, StoreError
from pipeline.shopify import csv_format
from pipeline.shopify import translations_csv as tcsv
from pipeline.shopify.protocol import ProductSource
from pipeline.state.store import PullChanges, StateStore
from pipeline.workspace import Workspace

if TYPE_CHECKING:
    import pyarrow as pa

    from pipeline.core.catalog import CatalogWriter

# pyarrow (pipeline.core.catalog) is imported only once a store's bulk query is under way: its import takes a good part
# of a second, which then overlaps Shopify's work instead of coming before it.


@dataclass
class PullResult:
    run_id: int
    source: str
    products: int
    skus: int
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    dialect: str | None = None
    seconds: float = 0.0
    translations: tcsv.Report | None = None  # with a translation export: what was kept of it, and what was not
    collections: str = ""  # what collections.parquet holds, in a few words

    def summary(self) -> str:
        where = f"{self.source}" + (f" ({self.dialect} CSV dialect)" if self.dialect else "")
        return (f"pull: {self.products:,} products, {self.skus:,} SKUs from {where}; "
                f"new {len(self.new):,}, changed {len(self.changed):,}, gone {len(self.gone):,}; "
                + (f"{self.collections}; " if self.collections else "") + f"{self.seconds:.1f} s")


def pull(workspace: Workspace, state: StateStore, *, csv_path: Path | None = None,
         connector: ProductSource | None = None, since: str | None = None, translations_path: Path | None = None,
         locales: Sequence[str] = (), primary_locale: str = "") -> PullResult:
    """Reads the catalogue from `connector` if given, else from `csv_path`. Writes catalog.parquet and the product
    versions (new, changed, gone) in state.db; with `translations_path` (a CSV pull only), translations.parquet
    from that translation export, joined to the catalogue for the shop's `locales`; collections.parquet and .csv."""
    started = time.monotonic()
    if translations_path is not None and connector is not None:
        raise ConfigError("a translation export (--translations / TRANSLATIONS=) goes with a product CSV; with a store "
                          "connection (SHOPIFY_STORE) pull reads the translations from the store")
    run_id = state.start_run("pull")
    try:
        # read and checked first: a bad translation file stops the pull before the catalogue is touched
        translation_file = tcsv.read_translation_file(translations_path) if translations_path is not None else None
        dialect = None
        if connector is not None:
            source_name = "Shopify Admin API" + (f" (updated since {since})" if since else "")
            batches: Iterable[pa.RecordBatch] = connector.pull_catalog(since)
            if since is not None and workspace.catalog.exists():
                batches = _merged_with_previous(batches, workspace.catalog)
        else:
            from pipeline.core.catalog import row_batches

            assert csv_path is not None, "pull needs a CSV path or a store connector"
            _refuse_utf16(csv_path)
            source, products = csv_format.read_products(csv_path)
            products = _not_empty(products, csv_path)
            source_name, dialect = str(csv_path), source.dialect
            batches = _prices_checked(row_batches(products), source)
        writer, changes = _write_and_record(workspace, state, run_id, batches,
                                            full=not (connector is not None and since))
        collections = _write_collections(workspace, connector)
        if dialect is not None:
            state.set_meta("csv_dialect", dialect)
            state.set_meta("csv_header", json.dumps(source.header))
            state.set_meta("csv_path", str(csv_path))
        state.set_meta("last_pull_source", "shopify" if connector is not None else "csv")
        report = None
        if translation_file is not None and translations_path is not None:
            report = _write_translations(workspace, translation_file, locales, primary_locale)
            state.set_meta("translations_path", str(Path(translations_path).resolve()))
            state.set_meta("translations_header", json.dumps(list(translation_file.header)))
        result = PullResult(run_id=run_id, source=source_name, products=writer.count, skus=writer.sku_count,
                            new=changes.new, changed=changes.changed, gone=changes.gone, dialect=dialect,
                            seconds=time.monotonic() - started, translations=report, collections=collections)
        state.finish_run(run_id, "ok", {"products": result.products, "skus": result.skus,
                                        "new": len(result.new), "changed": len(result.changed),
                                        "gone": len(result.gone), **(report.counts() if report else {})})
        return result
    except BaseException as exc:
        state.finish_run(run_id, "failed", {}, str(exc)[:500])
        raise


def _write_collections(workspace: Workspace, connector: ProductSource | None) -> str:
    """collections.parquet and .csv: the store's collections when the connector reads them (a failure to is noted,
    not fatal: the catalogue is in place, and its membership still names them), and proposals for what they lack."""
    from pipeline.core import collections

    read = getattr(connector, "pull_collections", None)
    pulled, note = None, ""
    if callable(read):
        try:
            pulled = read()
        except StoreError as exc:
            note = f" (the store's collections could not be read: {str(exc).splitlines()[0][:200]})"
    return collections.refresh(workspace, pulled).summary() + note


# -- what a product CSV must hold, beyond what csv_format checks while reading it ------------------------------------
def _refuse_utf16(path: Path) -> None:
    """A UTF-16 file (Excel's "Unicode Text", some exporters) is named as such, not reported as a bad UTF-8 byte.
    UTF-16 is told by its byte-order mark, or without one by the zero bytes that ASCII text has in it."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
    except OSError:
        return  # csv_format says what is wrong with a path it cannot read (missing, a directory)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
            len(head) == 4 and (head[1] == head[3] == 0 or head[0] == head[2] == 0) and head != bytes(4)):
        raise InputError("the file is UTF-16 text; Shopify product CSVs are UTF-8: save it again as \"CSV UTF-8\" "
                         "(Excel: Save As > CSV UTF-8; Sheets and Shopify's own export already write UTF-8)",
                         file=str(path), row=1)


def _not_empty(products: Iterator[dict[str, Any]], path: Path) -> Iterator[dict[str, Any]]:
    """The products, refused when there are none: a header alone is an export that went wrong, and pulling it
    would mark every product gone."""
    first = next(products, None)
    if first is None:
        raise InputError("no products: the file has a header row and no product rows; export the products again "
                         "(Shopify admin > Products > Export)", file=str(path), row=2)
    return itertools.chain([first], products)


# A price as Shopify's product CSV writes it and its import reads it: digits, with a decimal point.
PRICE = r"^\s*\d+(\.\d+)?\s*$"
PRICE_FIELDS = ("price", "compare_at_price")


def _prices_checked(batches: Iterable[pa.RecordBatch], source: csv_format.CsvSource) -> Iterator[pa.RecordBatch]:
    """Each batch, once every variant's price and compare-at price is a number or empty (one Arrow pass per
    column); the first that is not stops the pull, naming its row, found by reading the file again."""
    import pyarrow.compute as pc

    for batch in batches:
        variants = pc.list_flatten(batch.column("variants"))
        for name in PRICE_FIELDS:
            prices = pc.struct_field(variants, name)
            ok = pc.or_(pc.equal(prices, ""), pc.match_substring_regex(prices, PRICE))
            if not pc.all(pc.fill_null(ok, True)).as_py():
                bad = pc.indices_nonzero(pc.invert(pc.fill_null(ok, True)))[0].as_py()
                parents = pc.list_parent_indices(batch.column("variants"))
                handle = batch.column("handle")[parents[bad].as_py()].as_py()
                _bad_price(source, name, handle, prices[bad].as_py())
        yield batch


def _bad_price(source: csv_format.CsvSource, name: str, handle: str, value: str) -> None:
    column = csv_format.COLUMNS[source.dialect][name]
    if re.fullmatch(r"\s*\d{1,3}([.\s\u00a0\u202f]\d{3})*,\d+\s*", value):
        plain = re.sub(r"[.\s\u00a0\u202f]", "", value).replace(",", ".")
        hint = (f"Shopify reads prices with a decimal point ({plain}), "
                "not a decimal comma; export the file again from Shopify, or save it from a spreadsheet set to an "
                "English locale")
    else:
        hint = "write prices as digits with a decimal point, like 24.50, without a currency sign or spaces"
    raise InputError(f"{value!r} is not a number; {hint}", file=str(source.path),
                     row=_row_of(source, handle, column, value), field=column)


def _row_of(source: csv_format.CsvSource, handle: str, column: str, value: str) -> int | None:
    """The line on which the row of this handle with this value in `column` starts, counted as csv_format counts
    rows (a quoted cell may span lines); None if it is not found."""
    import csv
    import io

    text = source.path.read_bytes().decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    handle_at, value_at = header.index(csv_format.COLUMNS[source.dialect]["handle"]), header.index(column)
    start = reader.line_num + 1
    for cells in reader:
        if len(cells) > max(handle_at, value_at) and cells[handle_at].strip() == handle and cells[value_at] == value:
            return start
        start = reader.line_num + 1
    return None


# -- a translation export, joined to the catalogue ----------------------------------------------------------------
# Beyond translations.parquet's columns (pipeline/shopify/translations.py SCHEMA): what push needs to write a row of
# the export back (its resource type and Identification as exported, its default content and status), and where
# it was in the file.
FILE_COLUMNS = ("resource_type", "identification", "default_content", "status", "line")


def _write_translations(workspace: Workspace, file: tcsv.TranslationFile, locales: Sequence[str],
                        primary_locale: str) -> tcsv.Report:
    """Join the export to the catalogue just written and write translations.parquet (atomically); return the
    join's report. The shop's locales are recorded in its metadata as a store pull records them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.shopify.translations import LOCALES_METADATA, SCHEMA
    from pipeline.workspace import atomic_path

    catalog = pq.read_table(workspace.catalog, columns=["id", "handle", *tcsv.FIELD_KEYS])
    products = [tcsv.CatalogueProduct(row["id"], row["handle"], {f: row[f] or "" for f in tcsv.FIELD_KEYS})
                for row in catalog.to_pylist()]
    joined, report = tcsv.join(file, products, locales, primary_locale)
    shop_locales = [{"locale": loc, "name": loc, "primary": loc == primary_locale, "published": True}
                    for loc in locales]
    schema = pa.schema([*SCHEMA, *(pa.field(name, pa.int64() if name == "line" else pa.string())
                                   for name in FILE_COLUMNS)],
                       metadata={LOCALES_METADATA: json.dumps(shop_locales).encode(),
                                 b"source": b"csv", b"source_file": str(file.path).encode()})
    rows = [{"product_id": j.product_id, "locale": j.locale, "key": j.key, "value": j.value, "digest": None,
             "primary": False, "outdated": j.outdated, "updated_at": None, "resource_type": j.source.resource_type,
             "identification": j.source.identification, "default_content": j.source.default_content,
             "status": j.source.status, "line": j.source.line} for j in joined]
    with atomic_path(workspace.locales) as tmp:
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp, compression="zstd")
    return report


_ALL_SEEN = object()


class _WritingFailed(Exception):
    """The catalogue could not be written: the recording of what it held stops (the writer's error is raised)."""


def _write_and_record(workspace: Workspace, state: StateStore, run_id: int, batches: Iterable[pa.RecordBatch], *,
                      full: bool) -> tuple[CatalogWriter, PullChanges]:
    """Write the catalogue here while a thread of the state store records what each batch holds (SQLite's
    connection is its thread's, so it opens its own). The batches are taken from their source a batch ahead of the
    writer, on a thread, and handed to the store as they are made, so that it compares them with the previous pull
    while the writer still writes; it commits once the catalogue is in place, and if writing fails, records
    nothing."""
    from pipeline.core.arrow_arrays import reuse_freed_memory
    from pipeline.core.catalog import SEEN_COLUMNS, CatalogWriter
    from pipeline.shopify.transfer import read_ahead

    reuse_freed_memory()

    seen: Queue[object] = Queue()
    written = threading.Event()
    failed: list[bool] = []
    progress = Progress("pull")

    def recorded() -> Iterator[pa.RecordBatch]:
        for batch in batches:  # (the rows are made here: the store's thread has enough to do)
            seen.put(list(zip(*(batch.column(name).to_pylist() for name in SEEN_COLUMNS), strict=True)))
            yield batch
        seen.put(_ALL_SEEN)

    def catalogue_in_place() -> None:
        written.wait()
        if failed:
            raise _WritingFailed()

    writer = CatalogWriter(workspace.catalog, observe=lambda batch: progress.advance(batch.num_rows))
    # Hundreds of thousands of short-lived tuples (the recorded rows) would have the cyclic GC rescan a growing heap
    # again and again; nothing made here has reference cycles, so it waits until the pull is done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull-record") as pool:
            recording = pool.submit(_record, state.path, run_id, seen, full, catalogue_in_place)
            try:
                writer.write_batches(read_ahead(recorded(), depth=1))
            except BaseException:
                failed.append(True)
                seen.put(_WritingFailed())  # the recording stops, committing nothing
                raise
            finally:
                written.set()
                progress.close()
            return writer, recording.result()
    finally:
        if collecting:
            gc.enable()


def _record(path: Path, run_id: int, seen: Queue[object], full: bool,
            before_commit: Callable[[], None]) -> PullChanges:
    with StateStore(path) as state:
        return state.record_pull(run_id, _seen_rows(seen), full=full, before_commit=before_commit)


def _seen_rows(seen: Queue[object]) -> Iterator[tuple[str, str, str, str]]:
    """(id, handle, content_hash, updated_at) of each product, from the lists in the queue, until _ALL_SEEN."""
    while (rows := seen.get()) is not _ALL_SEEN:
        if isinstance(rows, BaseException):
            raise rows
        yield from cast("list[tuple[str, str, str, str]]", rows)  # the SEEN_COLUMNS rows _write_and_record puts


def _merged_with_previous(fresh: Iterable[pa.RecordBatch], previous: Path) -> Iterator[pa.RecordBatch]:
    """An incremental pull's products first, then every previously pulled product it did not replace."""
    import pyarrow as pa
    import pyarrow.compute as pc

    replaced: list[pa.Array] = []
    for batch in fresh:
        replaced.append(batch.column("id"))
        yield batch
    ids = pa.concat_arrays(replaced) if replaced else pa.StringArray.from_buffers(0, pa.py_buffer(bytes(4)),
                                                                                  pa.py_buffer(b""))
    for batch in _catalog_batches(previous):
        yield batch.filter(pc.invert(pc.is_in(batch.column("id"), value_set=ids)))


def _catalog_batches(path: Path) -> Iterator[pa.RecordBatch]:
    """A catalogue file's batches, in today's SCHEMA (a file from an older one finished again from its rows)."""
    import pyarrow.parquet as pq

    from pipeline.core.catalog import SCHEMA, catalog_batch

    file = pq.ParquetFile(path)
    current = file.schema_arrow == SCHEMA
    for batch in file.iter_batches(batch_size=5000):
        yield batch if current else catalog_batch(batch.to_pylist())


run = pull
