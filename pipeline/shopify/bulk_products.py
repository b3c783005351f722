"""A bulk product query's JSONL result -> catalogue batches, in memory that does not grow with the catalogue.

Each connection node (a variant, a collection) comes on its own line with `__parentId`, and since API 2026-01
(`groupObjects: false`) a child line may come before its parent. So the result is parsed a chunk at a time
(bulk_lines: pyarrow's JSON reader, on every core) and its lines routed into partitions by their product's id
(the parent's for a child line, its own for a product): one table in memory for a small result, an Arrow IPC
file each for a large one, as many as the operation's `fileSize` needs for each to stay near PARTITION_BYTES of
JSON. Then each partition is read alone and its products put together (bulk_assembly), two at a time, so that
the Arrow kernels of one run while the other's Python steps hold the GIL.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

from pipeline.core.arrow_arrays import int_array, string_offsets, valid
from pipeline.shopify.bulk_assembly import CHILD_FIELDS, PRODUCT_FIELDS, assemble
from pipeline.shopify.bulk_lines import LINE_SCHEMA, line_tables

PARTITION_BYTES = 24 * 1024 * 1024
MAX_PARTITIONS = 256
ASSEMBLERS = 2


def catalog_batches(chunks: Iterable[bytes], file_size: int | None = None, *,
                    partition_bytes: int = PARTITION_BYTES, tmp_dir: Path | None = None,
                    counts: dict[str, int] | None = None) -> Iterator[pa.RecordBatch]:
    """Finished catalogue batches (pipeline.core.catalog.SCHEMA) from a bulk product query's JSONL, in chunks of whole
    lines; `counts` gets "products" and, for child lines whose product is not in the result, "orphan_lines"."""
    counts = counts if counts is not None else {}
    partitions = max(1, math.ceil((file_size or 0) / partition_bytes)) if file_size is not None else 16
    if partitions == 1:
        tables = list(line_tables(chunks))
        if tables:
            lines = pa.concat_tables(tables)
            is_child = pc.is_valid(lines.column("__parentId"))
            yield assemble(lines.select(PRODUCT_FIELDS).filter(pc.invert(is_child)),
                           lines.select(CHILD_FIELDS).filter(is_child), counts)
        return
    partitions = min(partitions, MAX_PARTITIONS)
    with tempfile.TemporaryDirectory(prefix="bulk-products-", dir=tmp_dir) as folder:
        paths = [(Path(folder) / f"products-{i:04d}.arrows", Path(folder) / f"children-{i:04d}.arrows")
                 for i in range(partitions)]
        _route(line_tables(chunks), paths)  # (the next chunks are parsed while this one is routed)
        yield from _assembled(paths, counts)


def catalog_rows(chunks: Iterable[bytes], file_size: int | None = None, **options: Any) -> Iterator[dict[str, Any]]:
    """catalog_batches as row dicts (every column of pipeline.core.catalog.SCHEMA)."""
    for batch in catalog_batches(chunks, file_size, **options):
        yield from batch.to_pylist()


def partition_of(keys: pa.Array, partitions: int) -> np.ndarray:
    """The partition of each product id: from its last three bytes (a GID's last digits), so it is evenly spread."""
    offsets, data = string_offsets(keys)
    text = np.frombuffer(data, dtype=np.uint8) if data is not None and data.size else np.zeros(1, dtype=np.uint8)
    starts, ends = offsets[:-1], offsets[1:]
    tail = np.zeros(len(keys), dtype=np.int64)
    for place, weight in enumerate((1, 10, 100), 1):
        inside = ends - place >= starts
        tail += np.where(inside, text[np.where(inside, ends - place, 0)], 0).astype(np.int64) * weight
    return tail % partitions


def _route(tables: Iterable[pa.Table], paths: list[tuple[Path, Path]]) -> None:
    """Append each chunk's product lines and child lines, grouped by partition, to that partition's two IPC files
    (products and children apart, each with only its own fields)."""
    writers: dict[Path, ipc.RecordBatchStreamWriter] = {}
    try:
        for table in tables:
            parent = table.column("__parentId")
            is_child = valid(parent)
            partition = partition_of(_one(pc.coalesce(parent, table.column("id"))), len(paths))
            for kind, rows, fields in ((0, np.flatnonzero(~is_child), PRODUCT_FIELDS),
                                       (1, np.flatnonzero(is_child), CHILD_FIELDS)):
                if not len(rows):
                    continue
                ordered = table.select(fields).take(int_array(rows[np.argsort(partition[rows], kind="stable")]))
                bounds = np.concatenate([[0], np.cumsum(np.bincount(partition[rows], minlength=len(paths)))])
                for index in np.flatnonzero(np.diff(bounds)).tolist():
                    path = paths[index][kind]
                    if path not in writers:
                        writers[path] = ipc.new_stream(str(path), ordered.schema)
                    writers[path].write_table(ordered.slice(int(bounds[index]), int(bounds[index + 1] - bounds[index])))
    finally:
        for writer in writers.values():
            writer.close()


def _assembled(paths: list[tuple[Path, Path]], counts: dict[str, int]) -> Iterator[pa.RecordBatch]:
    """Each partition's batch, in partition order; up to ASSEMBLERS partitions in the works at once."""
    with ThreadPoolExecutor(max_workers=ASSEMBLERS, thread_name_prefix="bulk-assemble") as pool:
        pending: list[Future[tuple[pa.RecordBatch, dict[str, int]]]] = []
        try:
            for pair in [*paths, None]:
                if pair is not None:
                    pending.append(pool.submit(_assemble_partition, *pair))
                while pending and (len(pending) == ASSEMBLERS or pair is None):
                    batch, partition_counts = pending.pop(0).result()
                    for key, value in partition_counts.items():
                        counts[key] = counts.get(key, 0) + value
                    if batch.num_rows:
                        yield batch
        finally:
            for future in pending:
                future.cancel()


def _assemble_partition(products: Path, children: Path) -> tuple[pa.RecordBatch, dict[str, int]]:
    counts: dict[str, int] = {}
    return assemble(_read(products, PRODUCT_FIELDS), _read(children, CHILD_FIELDS), counts), counts


def _read(path: Path, fields: list[str]) -> pa.Table:
    """A partition file's lines (memory-mapped: its pages are read once, by what copies them out), then removed."""
    if not path.exists():  # no line fell into it
        return pa.Table.from_batches([], schema=pa.schema([LINE_SCHEMA.field(name) for name in fields]))
    lines = ipc.open_stream(pa.memory_map(str(path))).read_all()
    path.unlink()
    return lines


def _one(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    return values

