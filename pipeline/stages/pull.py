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
from typing import Any, Protocol

from pipeline.catalog import CatalogBatch, CatalogWriter, iter_catalog
from pipeline.io import Workspace
from pipeline.progress import Progress
from pipeline.shopify import csv_format
from pipeline.store import StateStore


class ProductSource(Protocol):
    """What pull needs from a live store connector (pipeline/shopify/)."""

    def pull_products(self, since: str | None = None) -> Iterator[dict[str, Any]]: ...


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
        if connector is not None:
            source_name = "Shopify Admin API" + (f" (updated since {since})" if since else "")
            products: Iterable[dict[str, Any]] = connector.pull_products(since)
        else:
            assert csv_path is not None, "pull needs a CSV path or a store connector"
            source, products = csv_format.read_products(csv_path)
            source_name, dialect = str(csv_path), source.dialect
        incremental = connector is not None and since is not None and workspace.catalog.exists()
        if incremental:
            products = _merged_with_previous(products, workspace.catalog)
        seen: tuple[list[Any], list[str], list[str], list[str]] = ([], [], [], [])
        progress = Progress("pull")

        def observed(batch: CatalogBatch) -> None:
            for column, values in zip(seen, (batch.ids, batch.handles, batch.content_hashes, batch.updated_at),
                                      strict=True):
                column.extend(values)
            progress.advance(len(batch.ids))

        writer = CatalogWriter(workspace.catalog, observe=observed)
        writer.write_all(products)
        progress.close()
        changes = state.record_pull(run_id, zip(*seen, strict=True), full=not (connector is not None and since))
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


def _merged_with_previous(fresh: Iterable[dict[str, Any]], previous: Path) -> Iterator[dict[str, Any]]:
    """An incremental pull's products first, then every previously pulled product it did not replace."""
    replaced: set[str] = set()
    for row in fresh:
        replaced.add(row["id"])
        yield row
    for row in iter_catalog(previous):
        if row["id"] not in replaced:
            yield row
