"""pull: catalogue source (Shopify store, product CSV, or the bundled sample) -> catalog.parquet.

Writes the catalogue atomically, remembers the CSV dialect so files written back match it, and records in
the state store which products are new, changed (by content hash of the fields we rewrite) or gone since the
previous pull. The state store takes in each batch's ids and hashes, on a thread of its own, while the catalogue
is still being written, and commits what it recorded only once the catalogue is in place.
"""

from __future__ import annotations

import gc
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from queue import Queue
from typing import TYPE_CHECKING, cast

from pipeline.core.progress import Progress
from pipeline.shopify import csv_format
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

    def summary(self) -> str:
        where = f"{self.source}" + (f" ({self.dialect} CSV dialect)" if self.dialect else "")
        return (f"pull: {self.products:,} products, {self.skus:,} SKUs from {where}; "
                f"new {len(self.new):,}, changed {len(self.changed):,}, gone {len(self.gone):,}; "
                f"{self.seconds:.1f} s")


def pull(workspace: Workspace, state: StateStore, *, csv_path: Path | None = None,
         connector: ProductSource | None = None, since: str | None = None) -> PullResult:
    """Reads the catalogue from `connector` if given, else from `csv_path`. Writes catalog.parquet and the product
    versions (new, changed, gone) in state.db."""
    started = time.monotonic()
    run_id = state.start_run("pull")
    try:
        dialect = None
        if connector is not None:
            source_name = "Shopify Admin API" + (f" (updated since {since})" if since else "")
            batches: Iterable[pa.RecordBatch] = connector.pull_catalog(since)
            if since is not None and workspace.catalog.exists():
                batches = _merged_with_previous(batches, workspace.catalog)
        else:
            from pipeline.core.catalog import row_batches

            assert csv_path is not None, "pull needs a CSV path or a store connector"
            source, products = csv_format.read_products(csv_path)
            source_name, dialect = str(csv_path), source.dialect
            batches = row_batches(products)
        writer, changes = _write_and_record(workspace, state, run_id, batches,
                                            full=not (connector is not None and since))
        if dialect is not None:
            state.set_meta("csv_dialect", dialect)
            state.set_meta("csv_header", json.dumps(source.header))
            state.set_meta("csv_path", str(csv_path))
        state.set_meta("last_pull_source", "shopify" if connector is not None else "csv")
        result = PullResult(run_id=run_id, source=source_name, products=writer.count, skus=writer.sku_count,
                            new=changes.new, changed=changes.changed, gone=changes.gone, dialect=dialect,
                            seconds=time.monotonic() - started)
        state.finish_run(run_id, "ok", {"products": result.products, "skus": result.skus,
                                        "new": len(result.new), "changed": len(result.changed),
                                        "gone": len(result.gone)})
        return result
    except BaseException as exc:
        state.finish_run(run_id, "failed", {}, str(exc)[:500])
        raise


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
