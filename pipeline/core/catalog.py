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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.commands import command
from pipeline.core import arrow_arrays
from pipeline.workspace import atomic_path

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
    # The product's first image (its featured media's preview, or the CSV's lowest "Image Position"); null when it
    # has none, or in a file pulled before this column existed.
    ("image_url", pa.string()),
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


# json.dumps(ensure_ascii=False) escapes these two and every control character (these with a short escape), and
# nothing else.
_JSON_ESCAPES = {"\\": "\\\\", '"': '\\"'}
_JSON_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def content_hashes(title: pa.Array, body_html: pa.Array, seo_title: pa.Array, seo_description: pa.Array,
                   handle: pa.Array) -> pa.Array:
    """content_hash of each row of these string arrays (no nulls), the JSON payload built with Arrow kernels."""
    parts = [_json_string_bodies(values) for values in (title, body_html, seo_title, seo_description, handle)]
    quote = arrow_arrays.string_scalar
    # The brackets go onto the first and last parts (short columns) so that the long text is copied once, not twice.
    parts[0] = pc.binary_join_element_wise(quote('["'), parts[0], quote(""))
    parts[-1] = pc.binary_join_element_wise(parts[-1], quote('"]'), quote(""))
    payloads = pc.binary_join_element_wise(*parts, quote('", "'))
    offsets, data = arrow_arrays.string_offsets(payloads)
    view, sha256 = memoryview(data), hashlib.sha256
    digests = b"".join([sha256(view[start:end]).digest()[:10]
                        for start, end in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)])
    return _hex_strings(np.frombuffer(digests, dtype=np.uint8), 10)


def _json_string_bodies(values: pa.Array) -> pa.Array:
    """Each string as json.dumps(ensure_ascii=False) writes it, less its quotes (only the characters the values
    hold are looked for: a byte below 0x80 in UTF-8 is always that character)."""
    offsets, data = arrow_arrays.string_offsets(values)
    if data is None or offsets[-1] == offsets[0]:
        return values
    text = np.frombuffer(data, dtype=np.uint8)[offsets[0]:offsets[-1]]
    for char, escape in _JSON_ESCAPES.items():  # the backslash first: the escapes after it add backslashes
        if (text == ord(char)).any():
            values = pc.replace_substring(values, char, escape)
    controls = text < 0x20
    if controls.any():
        for code in np.unique(text[controls]).tolist():
            values = pc.replace_substring(values, chr(code), _JSON_SHORT_ESCAPES.get(chr(code), f"\\u{code:04x}"))
    return values


def _hex_strings(digests: np.ndarray, width: int) -> pa.Array:
    """Rows of `width` bytes each as a string array of lower-case hex."""
    text = np.empty(len(digests) * 2, dtype=np.uint8)
    text[0::2] = _HEX[digests >> 4]
    text[1::2] = _HEX[digests & 15]
    rows = len(digests) // width
    offsets = np.arange(0, (rows + 1) * width * 2, width * 2, dtype=np.int32)
    return pa.StringArray.from_buffers(rows, pa.py_buffer(offsets), pa.py_buffer(text), null_count=0)


def finish_row(product: dict[str, Any]) -> dict[str, Any]:
    """Fill defaults and derived columns so a row matches SCHEMA."""
    row: dict[str, Any] = {name: product.get(name) for name in COLUMNS}
    for name in ("tags", "collections", "options", "variants"):
        row[name] = list(row[name] or [])
    for name in STRING_COLUMNS:
        row[name] = row[name] or ""
    quantities = [v.get("inventory_quantity") for v in row["variants"]]
    known = [q for q in quantities if q is not None]
    row["total_inventory"] = sum(known) if known else None
    row["content_hash"] = content_hash(row)
    return row


def finish_batch(columns: Mapping[str, pa.Array]) -> pa.RecordBatch:
    """SOURCE_COLUMNS as arrays of SCHEMA's types (strings and lists without nulls, as finish_row leaves them) ->
    a batch of SCHEMA, total_inventory and content_hash derived as finish_row derives them."""
    variants = columns["variants"]
    lengths = arrow_arrays.numbers(pc.list_value_length(variants))
    quantities = pc.struct_field(pc.list_flatten(variants), "inventory_quantity")
    offsets = [0, *itertools.accumulate(lengths.tolist())]
    derived = {"total_inventory": _totals(arrow_arrays.numbers(quantities), arrow_arrays.valid(quantities), offsets),
               "content_hash": content_hashes(*(columns[name] for name in REWRITABLE_FIELDS))}
    return pa.RecordBatch.from_arrays([derived[name] if name in derived else columns[name] for name in COLUMNS],
                                      schema=SCHEMA)


def catalog_batch(products: list[dict[str, Any]]) -> pa.RecordBatch:
    """Rows as finish_row makes them, as one record batch of SCHEMA built column by column (no row dicts rebuilt,
    no from_pylist)."""
    try:
        return _columnar_batch(products)
    except (AttributeError, KeyError, TypeError, ValueError, pa.ArrowException):
        # Something unusual in a row (a variant that is not a mapping, a value of the wrong type): finish it
        # the general way, which gives the same rows or raises the error such a row always raised.
        rows = [finish_row(p) for p in products]
        if not rows:
            return pa.RecordBatch.from_pylist([], schema=SCHEMA)
        return pa.Table.from_pylist(rows, schema=SCHEMA).combine_chunks().to_batches()[0]


def _columnar_batch(products: list[dict[str, Any]]) -> pa.RecordBatch:
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
    hashes = list(map(_content_hash, columns["title"], columns["body_html"], columns["seo_title"],
                      columns["seo_description"], columns["handle"]))
    arrays["content_hash"] = _string_array(hashes)
    return pa.RecordBatch.from_arrays([arrays[name] if name in arrays else _array(columns[name], field.type)
                                       for name, field in zip(COLUMNS, SCHEMA, strict=True)], schema=SCHEMA)


# Arrays straight from their buffers (pipeline.arrow_arrays: pa.array's first call imports pandas); each builder
# below falls back to pa.array for what it does not handle itself (nulls, other types), so values and errors stay
# pa.array's.
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
        return arrow_arrays.bool_array(np.fromiter(values, dtype=np.bool_, count=len(values)))
    return pa.array(values, type=kind)


_string_array = arrow_arrays.string_array


def _int64_values(values: Sequence[Any]) -> tuple[Any, Any]:
    """(int64 numpy values with 0 for None, numpy mask of known values), or (None, None) for other values."""
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
    return arrow_arrays.int_array(data, known)


def _offsets_array(offsets: list[int]) -> pa.Array:
    if offsets[-1] >= 2**31:
        return pa.array(offsets, type=pa.int32())  # (raises, as from_pylist would)
    return arrow_arrays.int_array(np.asarray(offsets, dtype=np.int32))


def _totals(quantities: Any, known: Any, offsets: list[int]) -> pa.Array:
    """Each row's sum of its known variant quantities, null where it knows none (finish_row's total_inventory)."""
    if quantities is None:  # quantities that are not all int or None: pa.array has raised for them already
        raise TypeError("variant inventory quantities must be whole numbers")
    bounds = np.asarray(offsets, dtype=np.int64)
    counts = np.concatenate([[0], np.cumsum(known, dtype=np.int64)])
    sums = np.concatenate([[0], np.cumsum(quantities, dtype=np.int64)])
    return arrow_arrays.int_array(sums[bounds[1:]] - sums[bounds[:-1]], (counts[bounds[1:]] - counts[bounds[:-1]]) > 0)


SEEN_COLUMNS = ("id", "handle", "content_hash", "updated_at")
# Parquet dictionary encoding where values repeat (vendor, type, tags, options, prices...), not for the text each
# product has its own of, where it is built and then given up (a fifth of the writing time, for nothing); min/max
# statistics only for the id, which readers filter on.
_OWN_TEXT = {"id", "handle", "title", "body_html", "seo_title", "seo_description", "image_alt", "image_url",
             "content_hash", "source_rows", "variants.list.element.sku", "variants.list.element.barcode"}


def _parquet_paths(schema: pa.Schema) -> list[str]:
    paths = []
    for field in schema:
        if pa.types.is_list(field.type):
            item = field.type.value_type
            children = [f".{child.name}" for child in item] if pa.types.is_struct(item) else [""]
            paths += [f"{field.name}.list.element{child}" for child in children]
        else:
            paths.append(field.name)
    return paths


PARQUET_OPTIONS = {"compression": "zstd", "write_statistics": ["id"],
                   "use_dictionary": [path for path in _parquet_paths(SCHEMA) if path not in _OWN_TEXT]}


class CatalogWriter:
    """Streams catalogue batches into catalog.parquet; the file appears only when all of them are in.

    Each batch is encoded and compressed on a writer thread (pyarrow lets go of the GIL for it) while the next
    one is put together, with at most one batch waiting. `observe`, if given, sees each batch as it is taken
    (pull counts its progress with it).
    """

    def __init__(self, destination: Path, batch_size: int = 5000,
                 observe: Callable[[pa.RecordBatch], None] | None = None):
        self.destination = Path(destination)
        self.batch_size = batch_size
        self.observe = observe
        self.count = 0
        self.sku_count = 0

    def write_all(self, products: Iterable[dict[str, Any]]) -> int:
        """Product rows (finish_row's shape, defaults and derived columns filled here)."""
        return self.write_batches(row_batches(products, self.batch_size))

    def write_batches(self, batches: Iterable[pa.RecordBatch]) -> int:
        """Finished batches of SCHEMA (catalog_batch, finish_batch); row groups of at most batch_size rows."""
        from concurrent.futures import Future, ThreadPoolExecutor

        with atomic_path(self.destination) as tmp:
            writer = pq.ParquetWriter(tmp, SCHEMA, **PARQUET_OPTIONS)
            pending: Future[None] | None = None
            try:
                with ThreadPoolExecutor(max_workers=1, thread_name_prefix="catalog-writer") as thread:
                    for batch in batches:
                        self._count(batch)
                        if pending is not None:
                            pending.result()  # the previous batch is written (or its error raised here)
                        pending = thread.submit(self._write, writer, batch)
                    if pending is not None:
                        pending.result()
            finally:
                writer.close()
        return self.count

    def _count(self, batch: pa.RecordBatch) -> None:
        if batch.schema != SCHEMA:
            raise ValueError(f"a catalogue batch must have the catalogue's schema, not {batch.schema}")
        self.count += batch.num_rows
        self.sku_count += len(pc.list_flatten(batch.column("variants")))
        if self.observe is not None:
            self.observe(batch)

    def _write(self, writer: pq.ParquetWriter, batch: pa.RecordBatch) -> None:
        for start in range(0, batch.num_rows, self.batch_size):
            writer.write_batch(batch.slice(start, self.batch_size))


def row_batches(products: Iterable[dict[str, Any]], size: int = 5000) -> Iterator[pa.RecordBatch]:
    """Product rows as catalog_batch batches of `size` rows."""
    rows = iter(products)
    while batch := list(itertools.islice(rows, size)):
        yield catalog_batch(batch)


def write_catalog(destination: Path, products: Iterable[dict[str, Any]]) -> CatalogWriter:
    writer = CatalogWriter(destination)
    writer.write_all(products)
    return writer


def read_catalog(path: Path, columns: list[str] | None = None):
    """The catalogue as a pandas DataFrame (one row per product)."""
    return read_catalog_table(path, columns).to_pandas()


def read_catalog_table(path: Path, columns: list[str] | None = None) -> pa.Table:
    """The catalogue as an Arrow table (columnar: far smaller than a DataFrame of 100,000 products with their
    variants, and rows come out of it as plain dicts with `take(...).to_pylist()`)."""
    from pipeline.errors import InputError

    path = Path(path)
    if not path.exists():
        raise InputError(f"no catalogue yet; run {command('pull')} first", file=str(path))
    try:
        return pq.read_table(path, columns=columns)
    except (pa.ArrowException, OSError) as exc:  # truncated, overwritten, or from an older schema
        raise InputError(f"not a readable Parquet file ({type(exc).__name__}); re-run {command('pull')}",
                         file=str(path)) from None


def iter_catalog(path: Path) -> Iterator[dict[str, Any]]:
    """Product rows as plain dicts, one batch in memory at a time."""
    for batch in pq.ParquetFile(path).iter_batches(batch_size=5000):
        yield from batch.to_pylist()


# The fields push may write; their pulled values are what push and rollback compare the store with.
PRODUCT_FIELDS = ("title", "body_html", "seo_title", "seo_description", "handle")


def pulled_products(catalog: Path, product_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """id -> the pulled values of the fields push may write (plus `source`), for these products only."""
    ids = list(dict.fromkeys(product_ids))
    if not ids:
        return {}
    table = pq.read_table(catalog, columns=["id", *PRODUCT_FIELDS, "source"], filters=[("id", "in", ids)])
    return {row["id"]: row for row in table.to_pylist()}
