"""The shop's locales and each product's translatable content -> translations.parquet (Workspace.locales).

One row per product, locale and key (title, body_html, meta_title, meta_description):
- the primary locale's rows hold the store's own text (`value`) and its `digest`;
- every other enabled locale's rows hold the existing translation (`value`, null when there is none), whether
  Shopify marks it `outdated`, and the digest of the primary content it must be registered against.
generate reads which locales to write and what exists; push passes `digest` to translationsRegister (a digest
that no longer matches the content is refused with INVALID_TRANSLATABLE_CONTENT, so re-pull before pushing).
The shop's locales (code, name, primary, published) are in the file's metadata: `read_shop_locales(path)`.
A shop with no locale but its primary one gets an artefact with no rows (nothing to translate into).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core.progress import Progress
from pipeline.shopify.client import AdminClient
from pipeline.workspace import atomic_path

KEYS = ("title", "body_html", "meta_title", "meta_description")
SCHEMA = pa.schema([
    ("product_id", pa.string()),
    ("locale", pa.string()),
    ("key", pa.string()),
    ("value", pa.string()),
    ("digest", pa.string()),
    ("primary", pa.bool_()),
    ("outdated", pa.bool_()),
    ("updated_at", pa.string()),
])
LOCALES_METADATA = b"shop_locales"
BY_IDS_BATCH = 250


@dataclass(frozen=True)
class ShopLocale:
    locale: str
    name: str
    primary: bool
    published: bool


def shop_locales(client: AdminClient) -> list[ShopLocale]:
    """Every locale enabled on the shop (published or not); the primary one first."""
    data = client.run("shop_locales")
    locales = [ShopLocale(locale=x["locale"], name=x.get("name") or x["locale"], primary=bool(x.get("primary")),
                          published=bool(x.get("published"))) for x in data.get("shopLocales") or []]
    return sorted(locales, key=lambda x: not x.primary)


def _pages(client: AdminClient, locale: str, page_size: int, ids: Sequence[str] | None) -> Iterator[dict]:
    """translatableResources nodes for every product (or only `ids`), with translations into `locale`."""
    batches: Iterable[Sequence[str] | None] = (
        [ids[i:i + BY_IDS_BATCH] for i in range(0, len(ids), BY_IDS_BATCH)] if ids is not None else [None])
    for batch in batches:
        after = None
        while True:
            variables: dict[str, Any] = {"first": page_size, "after": after, "locale": locale}
            if batch is None:
                connection = client.run("translatable_products", variables)["translatableResources"]
            else:
                variables["ids"] = list(batch)
                connection = client.run("translatable_products_by_ids", variables)["translatableResourcesByIds"]
            yield from connection.get("nodes") or []
            info = connection.get("pageInfo") or {}
            if not info.get("hasNextPage"):
                break
            after = info.get("endCursor")


def _rows(node: dict[str, Any], locale: ShopLocale, with_primary: bool) -> Iterator[dict[str, Any]]:
    content = {c["key"]: c for c in node.get("translatableContent") or [] if c.get("key") in KEYS}
    existing = {t["key"]: t for t in node.get("translations") or [] if t.get("key") in KEYS}
    for key in KEYS:
        source = content.get(key)
        if source is None:
            continue  # e.g. meta_title before the product has an SEO title: nothing to translate yet
        if with_primary:
            yield {"product_id": node["resourceId"], "locale": source.get("locale") or "", "key": key,
                   "value": source.get("value"), "digest": source.get("digest"), "primary": True,
                   "outdated": False, "updated_at": None}
        if not locale.primary:
            translation = existing.get(key) or {}
            yield {"product_id": node["resourceId"], "locale": locale.locale, "key": key,
                   "value": translation.get("value"), "digest": source.get("digest"), "primary": False,
                   "outdated": translation.get("outdated"), "updated_at": translation.get("updatedAt")}


def write_translations(client: AdminClient, destination: Path, *, page_size: int = 100,
                       product_ids: Sequence[str] | None = None, previous: Path | None = None) -> int:
    """Write the artefact; return its row count.

    With `product_ids` (an incremental pull) only those products are read again, and the other products'
    rows are carried over from `previous`.
    """
    locales = shop_locales(client)
    # A shop with only its primary locale has nothing to translate into: skip the (costly) paged read.
    passes = [x for x in locales if not x.primary]
    metadata = {LOCALES_METADATA: json.dumps([asdict(x) for x in locales]).encode()}
    schema = SCHEMA.with_metadata(metadata)
    count = 0
    with atomic_path(destination) as tmp:
        writer = pq.ParquetWriter(tmp, schema, compression="zstd")
        try:
            progress = Progress("translations")
            for index, locale in enumerate(passes):
                batch: list[dict[str, Any]] = []
                for node in _pages(client, locale.locale, page_size, product_ids):
                    progress.advance()
                    batch.extend(_rows(node, locale, with_primary=index == 0))
                    if len(batch) >= 20_000:
                        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                        count, batch = count + len(batch), []
                if batch:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    count += len(batch)
            progress.close()
            if product_ids is not None and previous is not None and previous.exists():
                count += _carry_over(previous, set(product_ids), writer, schema)
        finally:
            writer.close()
    return count


def _carry_over(previous: Path, refreshed: set[str], writer: pq.ParquetWriter, schema: pa.Schema) -> int:
    count = 0
    for batch in pq.ParquetFile(previous).iter_batches(batch_size=20_000):
        rows = [r for r in batch.to_pylist() if r["product_id"] not in refreshed]
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            count += len(rows)
    return count


def current_digests(client: AdminClient, product_ids: Sequence[str], locale: str) -> dict[tuple[str, str], str]:
    """(product id, key) -> the digest translationsRegister needs now; read again after pushing source text."""
    out: dict[tuple[str, str], str] = {}
    for node in _pages(client, locale, BY_IDS_BATCH, list(product_ids)):
        for content in node.get("translatableContent") or []:
            if content.get("key") in KEYS and content.get("digest"):
                out[(node["resourceId"], content["key"])] = content["digest"]
    return out


def read_shop_locales(path: Path) -> list[ShopLocale]:
    """The shop's locales recorded with translations.parquet."""
    metadata = pq.read_schema(path).metadata or {}
    return [ShopLocale(**x) for x in json.loads(metadata.get(LOCALES_METADATA, b"[]"))]
