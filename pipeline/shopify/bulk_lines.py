"""A bulk product query's JSONL, a chunk of whole lines at a time, read into Arrow tables of LINE_SCHEMA.

Each line is a product, a variant or a collection (the latter two with `__parentId`); LINE_SCHEMA has every field
of the three, so one table holds any mix of them. pyarrow's JSON reader parses chunks without holding the GIL,
two at a time, which is what lets a 100,000-product pull use the second core. It is stricter about types than
the API's JSON needs (a price sent as a number) and laxer about what we refuse (a line without an id, a null in a
list, bytes that are not UTF-8, two objects on one line), so a chunk it cannot read, or reads into something
msgspec's decoding of the same lines would refuse, is decoded line by line with msgspec instead: that reads the
odd-but-valid lines and stops at a malformed one with an error naming it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import msgspec
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from pipeline.errors import StoreError

STRING = pa.string()
LINE_SCHEMA = pa.schema([
    ("id", STRING),
    ("__parentId", STRING),
    # product
    ("handle", STRING),  # (collections have one too)
    ("title", STRING),
    ("descriptionHtml", STRING),
    ("vendor", STRING),
    ("productType", STRING),
    ("category", pa.struct([("fullName", STRING)])),
    ("tags", pa.list_(STRING)),
    ("status", STRING),
    ("publishedAt", STRING),
    ("updatedAt", STRING),
    ("seo", pa.struct([("title", STRING), ("description", STRING)])),
    ("options", pa.list_(pa.struct([("name", STRING)]))),
    ("featuredMedia", pa.struct([("alt", STRING), ("preview", pa.struct([("image", pa.struct([("url", STRING)]))]))])),
    # variant
    ("position", pa.int64()),
    ("sku", STRING),
    ("price", STRING),
    ("compareAtPrice", STRING),
    ("barcode", STRING),
    ("inventoryQuantity", pa.int64()),
    ("selectedOptions", pa.list_(pa.struct([("name", STRING), ("value", STRING)]))),
])
LISTS = ("tags", "options", "selectedOptions")
PARSERS = 2  # chunks parsed at once, each on one thread: pyarrow's own threads spend more CPU on the same chunk
_PARSE = pj.ParseOptions(explicit_schema=LINE_SCHEMA, unexpected_field_behavior="ignore")


def line_tables(chunks: Iterable[bytes], parsers: int = PARSERS) -> Iterator[pa.Table]:
    """One table per chunk (each chunk whole lines, each line ending with a newline), in order, its lines in order;
    the next `parsers` chunks are parsed meanwhile, each on a thread of its own."""
    with ThreadPoolExecutor(max_workers=parsers, thread_name_prefix="jsonl-parse") as pool:
        pending: deque[Future[pa.Table]] = deque()
        first_line = 1
        try:
            for chunk in chunks:
                lines = chunk.count(b"\n")
                pending.append(pool.submit(_read, chunk, lines, first_line))
                first_line += lines
                if len(pending) > parsers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def _read(chunk: bytes, lines: int, first_line: int) -> pa.Table:
    return read_fast(chunk, lines) or read_slow(chunk, first_line)


def read_fast(chunk: bytes, lines: int) -> pa.Table | None:
    """The chunk's lines with pyarrow's JSON reader, or None where msgspec must decide (see the module docstring)."""
    try:
        options = pj.ReadOptions(use_threads=False, block_size=max(len(chunk), 1))
        table = pj.read_json(pa.BufferReader(chunk), read_options=options, parse_options=_PARSE)
        if (table.num_rows != lines  # a blank line, or two objects on one line, or one object on two
                or table.column("id").null_count
                or any(pc.list_flatten(table.column(name)).null_count for name in LISTS)):
            return None
        table.validate(full=True)  # the reader copies string bytes without checking that they are UTF-8
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return table


# msgspec's view of a line: the same fields as LINE_SCHEMA, each of its type, so that what it accepts is what the
# catalogue has always accepted. gc=False: these hold only strings, numbers and lists (no cycles).
class _Named(msgspec.Struct, gc=False):
    name: str | None = None


class _Seo(msgspec.Struct, gc=False):
    title: str | None = None
    description: str | None = None


class _Category(msgspec.Struct, gc=False):
    fullName: str | None = None  # noqa: N815 - Shopify's field name


class _Image(msgspec.Struct, gc=False):
    url: str | None = None


class _Preview(msgspec.Struct, gc=False):
    image: _Image | None = None


class _Media(msgspec.Struct, gc=False):
    alt: str | None = None
    preview: _Preview | None = None


class _SelectedOption(msgspec.Struct, gc=False):
    name: str | None = None
    value: str | None = None


class _Line(msgspec.Struct, gc=False):
    id: str
    parent_id: str | None = msgspec.field(default=None, name="__parentId")
    handle: str | None = None
    title: str | None = None
    descriptionHtml: str | None = None  # noqa: N815
    vendor: str | None = None
    productType: str | None = None  # noqa: N815
    category: _Category | None = None
    tags: list[str] | None = None
    status: str | None = None
    publishedAt: str | None = None  # noqa: N815
    updatedAt: str | None = None  # noqa: N815
    seo: _Seo | None = None
    options: list[_Named] | None = None
    featuredMedia: _Media | None = None  # noqa: N815
    position: int | None = None
    sku: str | None = None
    price: str | float | None = None  # a string in the API; a number read as one is kept as Python writes it
    compareAtPrice: str | float | None = None  # noqa: N815
    barcode: str | None = None
    inventoryQuantity: int | None = None  # noqa: N815
    selectedOptions: list[_SelectedOption] | None = None  # noqa: N815


_DECODER = msgspec.json.Decoder(_Line)


def read_slow(chunk: bytes, first_line: int = 1) -> pa.Table:
    """The chunk's lines decoded one by one (blank lines skipped); a StoreError naming the first unreadable one."""
    decoded = []
    for number, raw in enumerate(chunk.split(b"\n"), first_line):
        if not raw.strip():
            continue
        try:
            decoded.append(_DECODER.decode(raw))
        except (msgspec.DecodeError, UnicodeDecodeError) as exc:  # (bytes that are not UTF-8: the latter)
            raise StoreError(f"Shopify's bulk result has a line we cannot read (line {number:,}: {exc}): "
                             f"{raw[:120]!r}") from None
    rows = msgspec.to_builtins(decoded)
    for row in rows:
        for name in ("price", "compareAtPrice"):
            if row[name] is not None:
                row[name] = str(row[name])
    return pa.Table.from_pylist(rows, schema=LINE_SCHEMA)
