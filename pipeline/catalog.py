"""The catalogue artefact: one row per product, variants nested, in Shopify's field names.

Both pull paths (CSV file and Admin API bulk JSONL) produce rows of this one shape, so every later stage
reads a single format. `content_hash` covers exactly the fields we rewrite: it decides what is new or
changed for re-optimisation and is part of the generation cache key.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.io import atomic_path

REWRITABLE_FIELDS = ("title", "body_html", "seo_title", "seo_description", "handle")

VARIANT_TYPE = pa.struct([
    ("sku", pa.string()),
    ("price", pa.string()),
    ("compare_at_price", pa.string()),
    ("barcode", pa.string()),
    ("option1", pa.string()),
    ("option2", pa.string()),
    ("option3", pa.string()),
    ("inventory_quantity", pa.int64()),
])

SCHEMA = pa.schema([
    ("id", pa.string()),
    ("handle", pa.string()),
    ("title", pa.string()),
    ("body_html", pa.string()),
    ("vendor", pa.string()),
    ("product_type", pa.string()),
    ("product_category", pa.string()),
    ("tags", pa.list_(pa.string())),
    ("status", pa.string()),
    ("published", pa.bool_()),
    ("updated_at", pa.string()),
    ("seo_title", pa.string()),
    ("seo_description", pa.string()),
    ("image_alt", pa.string()),
    ("collections", pa.list_(pa.string())),
    ("options", pa.list_(pa.string())),
    ("variants", pa.list_(VARIANT_TYPE)),
    ("total_inventory", pa.int64()),
    ("content_hash", pa.string()),
    ("source", pa.string()),
    # Raw CSV rows of this product (JSON), so a file written back keeps every column we do not rewrite.
    ("source_rows", pa.string()),
])

COLUMNS = tuple(SCHEMA.names)


STRING_COLUMNS = ("handle", "title", "body_html", "vendor", "product_type", "product_category", "status",
                  "updated_at", "seo_title", "seo_description", "image_alt", "source", "source_rows")
LIST_COLUMNS = ("tags", "collections", "options")
VARIANT_FIELDS = tuple(field.name for field in VARIANT_TYPE)
SOURCE_COLUMNS = tuple(name for name in COLUMNS if name not in ("total_inventory", "content_hash"))
_VARIANT_VALUES = operator.itemgetter(*VARIANT_FIELDS)
_SOURCE_VALUES = operator.itemgetter(*SOURCE_COLUMNS)
_STRING_LIST = pa.list_(pa.string())
_encode = msgspec.json.encode  # a str comes out byte for byte as json.dumps(ensure_ascii=False) writes it

def content_hash(product: dict[str, Any]) -> str:
    return _content_hash(*(product.get(f) or "" for f in REWRITABLE_FIELDS))


def _content_hash(title: Any, body_html: Any, seo_title: Any, seo_description: Any, handle: Any) -> str:
    """sha256 of json.dumps([title, body_html, seo_title, seo_description, handle], ensure_ascii=False), cut."""
    if type(title) is type(body_html) is type(seo_title) is type(seo_description) is type(handle) is str:
        payload = b"[%b, %b, %b, %b, %b]" % (_encode(title), _encode(body_html), _encode(seo_title),
                                             _encode(seo_description), _encode(handle))
    else:
        values = [title, body_html, seo_title, seo_description, handle]
        payload = json.dumps(values, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()[:20]


def finish_row(product: dict[str, Any]) -> dict[str, Any]:
    """Fill defaults and derived columns so a row matches SCHEMA."""
    row = {name: product.get(name) for name in COLUMNS}
    for name in ("tags", "collections", "options", "variants"):
        row[name] = list(row[name] or [])
    for name in STRING_COLUMNS:
        row[name] = row[name] or ""
    quantities = [v.get("inventory_quantity") for v in row["variants"]]
    known = [q for q in quantities if q is not None]
    row["total_inventory"] = sum(known) if known else None
    row["content_hash"] = content_hash(row)
    return row


@dataclass
class CatalogBatch:
    """Finished rows as one record batch of SCHEMA, with the columns pull records in the state store."""

    batch: pa.RecordBatch
    ids: list[Any]
    handles: list[str]
    content_hashes: list[str]
    updated_at: list[str]
    skus: int


def catalog_batch(products: list[dict[str, Any]]) -> CatalogBatch:
    """Rows as finish_row makes them, built column by column (no row dicts rebuilt, no from_pylist)."""
    try:
        return _columnar_batch(products)
    except (AttributeError, KeyError, TypeError, ValueError, pa.ArrowException):
        # Something unusual in a row (a variant that is not a mapping, a value of the wrong type): finish it
        # the general way, which gives the same rows or raises the error such a row always raised.
        rows = [finish_row(p) for p in products]
        table = pa.Table.from_pylist(rows, schema=SCHEMA).combine_chunks()
        batch = table.to_batches()[0] if rows else pa.RecordBatch.from_pylist([], schema=SCHEMA)
        return CatalogBatch(batch, [r["id"] for r in rows], [r["handle"] for r in rows],
                            [r["content_hash"] for r in rows], [r["updated_at"] for r in rows],
                            sum(len(r["variants"]) for r in rows))


def _columnar_batch(products: list[dict[str, Any]]) -> CatalogBatch:
    try:  # one C-level pass per row, then the rows turned into columns
        rows = list(map(_SOURCE_VALUES, products))
    except KeyError:  # a row without some column: None, as finish_row's product.get gives
        rows = [tuple(map(p.get, SOURCE_COLUMNS)) for p in products]
    columns: dict[str, Any] = dict(zip(SOURCE_COLUMNS, zip(*rows, strict=True) if rows else [()] * len(SOURCE_COLUMNS),
                                       strict=True))
    del rows
    # finish_row's `value or ""` and `list(value or [])`: only a None needs replacing here, since any other falsy
    # value of the wrong type (0, False) makes the conversion raise and the batch go the general way.
    for name in STRING_COLUMNS:
        if None in columns[name]:
            columns[name] = [value or "" for value in columns[name]]
    for name in (*LIST_COLUMNS, "variants"):
        if None in columns[name]:
            columns[name] = [value or [] for value in columns[name]]
    offsets = [0, *itertools.accumulate(map(len, columns["variants"]))]
    flat = list(itertools.chain.from_iterable(columns["variants"]))
    try:
        values = list(map(_VARIANT_VALUES, flat))
    except KeyError:  # a variant without every field: the missing ones are null, as in from_pylist
        values = [tuple(map(v.get, VARIANT_FIELDS)) for v in flat]
    fields = list(zip(*values, strict=True)) if values else [()] * len(VARIANT_FIELDS)
    del values
    quantities, known = _int64_values(fields[-1])
    variant_arrays = [_array(v, f.type) for v, f in zip(fields[:-1], VARIANT_TYPE, strict=False)]
    variant_arrays.append(_int64_array(fields[-1], quantities, known))
    struct = pa.StructArray.from_arrays(variant_arrays, fields=list(VARIANT_TYPE))
    arrays = {"variants": pa.ListArray.from_arrays(_offsets_array(offsets), struct,
                                                   type=SCHEMA.field("variants").type),
              "total_inventory": _totals(quantities, known, offsets)}
    columns["content_hash"] = list(map(_content_hash, columns["title"], columns["body_html"], columns["seo_title"],
                                       columns["seo_description"], columns["handle"]))
    batch = pa.RecordBatch.from_arrays([arrays[name] if name in arrays else _array(columns[name], field.type)
                                        for name, field in zip(COLUMNS, SCHEMA, strict=True)], schema=SCHEMA)
    return CatalogBatch(batch, columns["id"], columns["handle"], columns["content_hash"], columns["updated_at"],
                        len(flat))


# Arrays straight from their buffers. pa.array gives the same arrays, but its first call imports pandas (0.3-0.4 s
# and ~50 MB in a process that never uses it); each builder below falls back to pa.array for what it does not
# handle itself (nulls, other types), so values and errors stay pa.array's.
def _array(values: Sequence[Any], kind: pa.DataType) -> pa.Array:
    if kind == pa.string():
        return _string_array(values)
    if kind == _STRING_LIST:
        try:
            strings = _string_array(list(itertools.chain.from_iterable(values)))
            return pa.ListArray.from_arrays(_offsets_array([0, *itertools.accumulate(map(len, values))]), strings,
                                            type=kind)
        except TypeError:  # not all sequences
            return pa.array(values, type=kind)
    if kind == pa.bool_() and set(map(type, values)) <= {bool}:
        np = _numpy()
        bits = np.packbits(np.fromiter(values, dtype=np.bool_, count=len(values)), bitorder="little")
        return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(bits)], null_count=0)
    return pa.array(values, type=kind)


def _string_array(values: Sequence[Any]) -> pa.Array:
    np = _numpy()
    try:
        text = "".join(values)  # (raises for a None or a value that is not a str)
        if text.isascii():
            data, lengths = text.encode("ascii"), map(len, values)
        else:
            encoded = list(map(str.encode, values))
            data, lengths = b"".join(encoded), map(len, encoded)
    except (TypeError, UnicodeEncodeError):
        return pa.array(values, type=pa.string())
    if len(data) >= 2**31:
        return pa.array(values, type=pa.string())
    offsets = np.zeros(len(values) + 1, dtype=np.int32)
    np.cumsum(np.fromiter(lengths, dtype=np.int32, count=len(values)), out=offsets[1:])
    return pa.StringArray.from_buffers(len(values), pa.py_buffer(offsets), pa.py_buffer(data), null_count=0)


def _int64_values(values: Sequence[Any]) -> tuple[Any, Any]:
    """(int64 numpy values with 0 for None, numpy mask of known values), or (None, None) for other values."""
    np = _numpy()
    kinds = set(map(type, values))
    if not kinds <= {int, type(None)}:
        return None, None
    try:
        if type(None) not in kinds:
            return np.fromiter(values, dtype=np.int64, count=len(values)), np.ones(len(values), dtype=np.bool_)
        return (np.fromiter((0 if v is None else v for v in values), dtype=np.int64, count=len(values)),
                np.fromiter((v is not None for v in values), dtype=np.bool_, count=len(values)))
    except OverflowError:
        return None, None


def _int64_array(values: Sequence[Any], data: Any, known: Any) -> pa.Array:
    if data is None:
        return pa.array(values, type=pa.int64())
    return _int64_from(data, known)


def _int64_from(data: Any, known: Any) -> pa.Array:
    np = _numpy()
    nulls = len(known) - int(np.count_nonzero(known))
    validity = pa.py_buffer(np.packbits(known, bitorder="little")) if nulls else None
    return pa.Array.from_buffers(pa.int64(), len(data), [validity, pa.py_buffer(data)], null_count=nulls)


def _offsets_array(offsets: list[int]) -> pa.Array:
    np = _numpy()
    if offsets[-1] >= 2**31:
        return pa.array(offsets, type=pa.int32())  # (raises, as from_pylist would)
    return pa.Array.from_buffers(pa.int32(), len(offsets), [None, pa.py_buffer(np.asarray(offsets, dtype=np.int32))])


def _totals(quantities: Any, known: Any, offsets: list[int]) -> pa.Array:
    """Each row's sum of its known variant quantities, null where it knows none (finish_row's total_inventory)."""
    np = _numpy()
    if quantities is None:  # quantities that are not all int or None: pa.array has raised for them already
        raise TypeError("variant inventory quantities must be whole numbers")
    bounds = np.asarray(offsets, dtype=np.int64)
    counts = np.concatenate([[0], np.cumsum(known, dtype=np.int64)])
    sums = np.concatenate([[0], np.cumsum(quantities, dtype=np.int64)])
    return _int64_from(sums[bounds[1:]] - sums[bounds[:-1]], (counts[bounds[1:]] - counts[bounds[:-1]]) > 0)


def _numpy() -> Any:
    import numpy  # pyarrow has imported it already

    return numpy


class CatalogWriter:
    """Streams product rows into catalog.parquet in batches; the file appears only when all rows are in.

    Each batch is encoded and compressed on a writer thread (pyarrow lets go of the GIL for it) while the next
    one is put together, with at most one batch waiting. `observe`, if given, sees each finished batch (pull
    records its ids and content hashes from it).
    """

    def __init__(self, destination: Path, batch_size: int = 5000,
                 observe: Callable[[CatalogBatch], None] | None = None):
        self.destination = Path(destination)
        self.batch_size = batch_size
        self.observe = observe
        self.count = 0
        self.sku_count = 0

    def write_all(self, products: Iterable[dict[str, Any]]) -> int:
        from concurrent.futures import Future, ThreadPoolExecutor

        rows = iter(products)
        with atomic_path(self.destination) as tmp:
            writer = pq.ParquetWriter(tmp, SCHEMA, compression="zstd")
            pending: Future[None] | None = None
            try:
                with ThreadPoolExecutor(max_workers=1, thread_name_prefix="catalog-writer") as thread:
                    while (batch := list(itertools.islice(rows, self.batch_size))) or self.count == 0:
                        finished = self._finish(batch)
                        if pending is not None:
                            pending.result()  # the previous batch is written (or its error raised here)
                        pending = thread.submit(writer.write_batch, finished.batch)
                        if not batch:
                            break
                    if pending is not None:
                        pending.result()
            finally:
                writer.close()
        return self.count

    def _finish(self, products: list[dict[str, Any]]) -> CatalogBatch:
        finished = catalog_batch(products)
        self.count += finished.batch.num_rows
        self.sku_count += finished.skus
        if self.observe is not None:
            self.observe(finished)
        return finished


def write_catalog(destination: Path, products: Iterable[dict[str, Any]]) -> CatalogWriter:
    writer = CatalogWriter(destination)
    writer.write_all(products)
    return writer


def read_catalog(path: Path, columns: list[str] | None = None):
    """The catalogue as a pandas DataFrame (one row per product)."""
    from pipeline.errors import InputError

    path = Path(path)
    if not path.exists():
        raise InputError("no catalogue yet; run `make pull` first", file=str(path))
    try:
        table = pq.read_table(path, columns=columns)
    except (pa.ArrowException, OSError) as exc:  # truncated, overwritten, or from an older schema
        raise InputError(f"not a readable Parquet file ({type(exc).__name__}); re-run `make pull`",
                         file=str(path)) from None
    return table.to_pandas()


def iter_catalog(path: Path) -> Iterator[dict[str, Any]]:
    """Product rows as plain dicts, one batch in memory at a time."""
    for batch in pq.ParquetFile(path).iter_batches(batch_size=5000):
        yield from batch.to_pylist()
