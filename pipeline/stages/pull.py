"""pull: catalogue source (Shopify store, product CSV, or the bundled sample) -> catalog.parquet.

Writes the catalogue atomically, remembers the CSV dialect so files written back match it, and records in
the state store which products are new, changed (by content hash of the fields we rewrite) or gone since the
previous pull.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.catalog import SCHEMA, SEEN_COLUMNS, CatalogWriter, catalog_batch
from pipeline.io import Workspace
from pipeline.progress import Progress
from pipeline.shopify import csv_format
from pipeline.store import StateStore


class ProductSource(Protocol):
    """What pull needs from a live store connector (pipeline/shopify/): finished batches of catalog.SCHEMA."""

    def pull_catalog(self, since: str | None = None) -> Iterator[pa.RecordBatch]: ...


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
    """Read the catalogue from `connector` if given, else from `csv_path`, into workspace.catalog."""
    started = time.monotonic()
    run_id = state.start_run("pull")
    try:
        dialect = None
        seen: list[pa.RecordBatch] = []
        progress = Progress("pull")

        def observed(batch: pa.RecordBatch) -> None:
            seen.append(batch.select(SEEN_COLUMNS))
            progress.advance(batch.num_rows)

        writer = CatalogWriter(workspace.catalog, observe=observed)
        if connector is not None:
            source_name = "Shopify Admin API" + (f" (updated since {since})" if since else "")
            batches: Iterable[pa.RecordBatch] = connector.pull_catalog(since)
            if since is not None and workspace.catalog.exists():
                batches = _merged_with_previous(batches, workspace.catalog)
            writer.write_batches(batches)
        else:
            assert csv_path is not None, "pull needs a CSV path or a store connector"
            source, products = csv_format.read_products(csv_path)
            source_name, dialect = str(csv_path), source.dialect
            writer.write_all(products)
        progress.close()
        changes = state.record_pull(run_id, _rows(seen), full=not (connector is not None and since))
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


def _rows(batches: list[pa.RecordBatch]) -> Iterator[tuple[str, ...]]:
    for batch in batches:
        yield from zip(*(batch.column(name).to_pylist() for name in batch.schema.names), strict=True)


def _merged_with_previous(fresh: Iterable[pa.RecordBatch], previous: Path) -> Iterator[pa.RecordBatch]:
    """An incremental pull's products first, then every previously pulled product it did not replace."""
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
    file = pq.ParquetFile(path)
    current = file.schema_arrow == SCHEMA
    for batch in file.iter_batches(batch_size=5000):
        yield batch if current else catalog_batch(batch.to_pylist())
