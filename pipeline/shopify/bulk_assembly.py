"""The lines of a bulk product query that belong together (bulk_lines.LINE_SCHEMA's fields; the product lines, those
without `__parentId`, apart from the child lines; any order) -> a catalogue batch.

Column at a time, with Arrow kernels and numpy: each child line is matched to its product by a hash lookup of its
`__parentId`, variants put in order of product then `position` (ties in the order they came), collection handles
sorted per product, and every field shaped as the catalogue has it (strings never null, status lower-case,
published when `publishedAt` is set, option1..3 from selectedOptions). A child line whose product is not among
the lines is an orphan: counted, not kept.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core import catalog
from pipeline.core.arrow_arrays import (
    bool_array,
    flags,
    int_array,
    list_offsets,
    numbers,
    string_array,
    string_scalar,
    valid,
)

VARIANT_GID = "gid://shopify/ProductVariant/"
COLLECTION_GID = "gid://shopify/Collection/"
PRODUCT_FIELDS = ["id", "handle", "title", "descriptionHtml", "vendor", "productType", "category", "tags", "status",
                  "publishedAt", "updatedAt", "seo", "options", "featuredMedia"]
CHILD_FIELDS = ["id", "__parentId", "handle", "position", "sku", "price", "compareAtPrice", "barcode",
                "inventoryQuantity", "selectedOptions"]
VARIANT_FIELDS = ["sku", "price", "compareAtPrice", "barcode", "inventoryQuantity", "selectedOptions"]
OPTION_COLUMNS = 3  # option1..3, as in Shopify's product CSV
_EMPTY = string_scalar("")


def assemble(products: pa.Table, children: pa.Table, counts: dict[str, int]) -> pa.RecordBatch:
    """Products (their lines, PRODUCT_FIELDS) with their variants and collections (child lines, CHILD_FIELDS) as
    a finished batch of catalog.SCHEMA."""
    products = _unique_products(products.combine_chunks())
    children = children.combine_chunks()
    parent_of = pc.index_in(children.column("__parentId"), value_set=_one(products.column("id")))
    found = valid(parent_of)
    parent = numbers(parent_of, fill=-1)
    orphans = len(children) - int(np.count_nonzero(found))
    if orphans:
        counts["orphan_lines"] = counts.get("orphan_lines", 0) + orphans
    counts["products"] = counts.get("products", 0) + len(products)

    child_ids = children.column("id")
    is_variant = found & flags(pc.starts_with(child_ids, VARIANT_GID))
    is_collection = found & flags(pc.starts_with(child_ids, COLLECTION_GID))
    option_names, option_counts = _option_names(products.column("options"))
    columns = {
        "id": _text(products.column("id")),
        "handle": _text(products.column("handle")),
        "title": _text(products.column("title")),
        "body_html": _text(products.column("descriptionHtml")),
        "vendor": _text(products.column("vendor")),
        "product_type": _text(products.column("productType")),
        "product_category": _text(pc.struct_field(products.column("category"), "fullName")),
        "tags": _lists(products.column("tags")),
        "status": _lower(_text(products.column("status"))),
        "published": _one(pc.is_valid(products.column("publishedAt"))),
        "updated_at": _text(products.column("updatedAt")),
        "seo_title": _text(pc.struct_field(products.column("seo"), "title")),
        "seo_description": _text(pc.struct_field(products.column("seo"), "description")),
        "image_alt": _text(pc.struct_field(products.column("featuredMedia"), "alt")),
        "image_url": _image_url(products.column("featuredMedia")),
        "collections": _collections(children, parent, is_collection, len(products)),
        "options": pa.ListArray.from_arrays(list_offsets(option_counts), option_names),
        "variants": _variants(children, parent, is_variant, option_names, option_counts, len(products)),
        "source": _repeat("shopify", len(products)),
        "source_rows": _repeat("", len(products)),
    }
    return catalog.finish_batch(columns)


def _image_url(media: pa.ChunkedArray) -> pa.Array:
    """The featured media's preview image URL (an image's own, a video's poster): null where there is none."""
    url = pc.struct_field(pc.struct_field(pc.struct_field(_one(media), "preview"), "image"), "url")
    return pc.if_else(pc.equal(url, _EMPTY), pa.nulls(1, pa.string())[0], url)  # (pa.scalar would import pandas)


def _unique_products(products: pa.Table) -> pa.Table:
    """One line per product id: the last line given for it, where its first one came (as a dict keyed by id)."""
    ids = products.column("id")
    if pc.count_distinct(ids).as_py() == len(ids):
        return products
    last = {product_id: row for row, product_id in enumerate(ids.to_pylist())}
    return products.take(int_array(np.fromiter(last.values(), dtype=np.int64, count=len(last))))


def _variants(children: pa.Table, parent: np.ndarray, is_variant: np.ndarray, option_names: pa.Array,
              option_counts: np.ndarray, products: int) -> pa.Array:
    rows = np.flatnonzero(is_variant)
    position = numbers(children.column("position"))[rows]
    rows = rows[np.lexsort((position, parent[rows]))]  # by product, then position; stable, so ties keep line order
    variants = children.select(VARIANT_FIELDS).take(int_array(rows))
    owner = parent[rows]
    options = _selected_options(variants.column("selectedOptions"), owner, option_names, option_counts)
    struct = pa.StructArray.from_arrays(
        [_text(variants.column("sku")), _text(variants.column("price")), _text(variants.column("compareAtPrice")),
         _text(variants.column("barcode")), *options, _one(variants.column("inventoryQuantity"))],
        fields=list(catalog.VARIANT_TYPE))
    return pa.ListArray.from_arrays(list_offsets(np.bincount(owner, minlength=products)), struct,
                                    type=catalog.SCHEMA.field("variants").type)


def _selected_options(selected: pa.ChunkedArray, owner: np.ndarray, option_names: pa.Array,
                      option_counts: np.ndarray) -> list[pa.Array]:
    """option1..3 of each variant: its selectedOptions' values by position where their names are the product's
    first options in order (the usual case), else looked up by the product's option names; "" where none."""
    selected = _one(selected)
    counts = numbers(pc.list_value_length(selected))
    flat = pc.list_flatten(selected)
    names, values = pc.struct_field(flat, "name"), _text(pc.struct_field(flat, "value"))
    starts = np.cumsum(counts) - counts
    name_starts = (np.cumsum(option_counts) - option_counts)[owner]
    wanted = np.minimum(option_counts, OPTION_COLUMNS)[owner]
    in_order = counts == wanted
    taken = []
    for j in range(OPTION_COLUMNS):
        present = counts > j
        at = int_array(np.where(present, starts + j, 0))
        if present.any():
            if len(option_names):
                wanted_name = option_names.take(int_array(np.where(present & (wanted > j), name_starts + j, 0)))
                in_order &= ~present | flags(pc.equal(names.take(at), wanted_name))
            else:
                in_order &= ~present
            taken.append((present, values.take(at)))
        else:
            taken.append((present, None))
    options = [pc.if_else(bool_array(in_order & present), value, _EMPTY) if value is not None
               else _repeat("", len(counts)) for present, value in taken]
    by_name = np.flatnonzero(~in_order & (counts > 0) & (option_counts[owner] > 0))
    if len(by_name):
        options = _options_by_name(options, by_name, selected, owner, option_names, option_counts)
    return options


def _options_by_name(options: list[pa.Array], rows: np.ndarray, selected: pa.Array, owner: np.ndarray,
                     option_names: pa.Array, option_counts: np.ndarray) -> list[pa.Array]:
    """The rare variants whose selectedOptions do not follow their product's options: looked up one by one."""
    name_lists = pa.ListArray.from_arrays(list_offsets(option_counts), option_names).take(int_array(owner[rows]))
    found: list[list[str]] = [[] for _ in range(OPTION_COLUMNS)]
    for chosen_list, product_names in zip(selected.take(int_array(rows)).to_pylist(), name_lists.to_pylist(),
                                          strict=True):
        chosen = {option["name"]: option["value"] for option in chosen_list}
        for j in range(OPTION_COLUMNS):
            found[j].append(chosen.get(product_names[j]) or "" if j < len(product_names) else "")
    mask = np.zeros(len(selected), dtype=np.bool_)
    mask[rows] = True
    return [pc.replace_with_mask(column, bool_array(mask), string_array(values))
            for column, values in zip(options, found, strict=True)]


def _collections(children: pa.Table, parent: np.ndarray, is_collection: np.ndarray, products: int) -> pa.Array:
    """Each product's collection handles, sorted."""
    rows = np.flatnonzero(is_collection)
    handles = _text(children.column("handle").take(int_array(rows)))
    owner = int_array(parent[rows])
    order = pc.sort_indices(pa.table({"owner": owner, "handle": handles}),
                            sort_keys=[("owner", "ascending"), ("handle", "ascending")])
    return pa.ListArray.from_arrays(list_offsets(np.bincount(parent[rows], minlength=products)),
                                    handles.take(order))


def _option_names(options: pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """Every product's option names (a missing name as "") flattened, and how many each product has."""
    options = _one(options)
    return _text(pc.struct_field(pc.list_flatten(options), "name")), numbers(pc.list_value_length(options))


def _lists(lists: pa.ChunkedArray) -> pa.Array:
    """A list column with null lists made empty."""
    lists = _one(lists)
    return pa.ListArray.from_arrays(list_offsets(numbers(pc.list_value_length(lists))), pc.list_flatten(lists))


def _text(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Strings with null as ""."""
    values = _one(values)
    return pc.fill_null(values, _EMPTY) if values.null_count else values


def _lower(status: pa.Array) -> pa.Array:
    """str.lower of each value (Arrow's ASCII lowering where that is all there is to lower)."""
    if pc.all(pc.string_is_ascii(status)).as_py() is not False:
        return pc.ascii_lower(status)
    return string_array([value.lower() for value in status.to_pylist()])


def _repeat(text: str, count: int) -> pa.Array:
    return pa.repeat(string_scalar(text), count) if count else string_array([])


def _one(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    return values
