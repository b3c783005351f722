"""One store, as the stages see it: pull the catalogue and translations, and the push primitives.

    connector = connector_from_env(os.environ, settings)      # None without SHOPIFY_STORE; checks the API version
    batches = connector.pull_catalog(since=None)              # what pipeline.stages.pull consumes
    connector.pull_translations(workspace.locales)            # translations.parquet
    connector.pull_collections()                              # collections (pipeline/core/collections.py rows)
    connector.update_products([...]); connector.register_translations(...); connector.create_redirect(...)
    connector.read_products(ids)                              # conflict check before a push, read-back after

Settings come from seo.toml's [shopify] section (API version, timeouts, retries, bulk threshold, page size);
secrets and the store address only from the environment (see auth.py).
"""

from __future__ import annotations

import dataclasses
import gc
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pipeline.config import Settings, ShopifySettings
from pipeline.core.progress import Progress
from pipeline.errors import InputError, StoreError
from pipeline.shopify import bulk
from pipeline.shopify.auth import StoreCredentials, credentials_from_env, token_provider
from pipeline.shopify.client import AdminClient
from pipeline.shopify.documents import bulk_collections_query, bulk_products_query
from pipeline.shopify.mutations import (
    Mutations,
    ProductSnapshot,
    ProductUpdate,
    RedirectResult,
    TranslationWrite,
    WriteResult,
)
from pipeline.shopify.session import AdminGraphQL
from pipeline.shopify.versions import check_api_version

if TYPE_CHECKING:
    import pyarrow as pa

    from pipeline.shopify.translations import ShopLocale

# Modules that import pyarrow (bulk_products, translations) are imported where they are used, so that a pull can
# start its bulk query before paying for that import, and wait for Shopify meanwhile.


def normalise_since(since: str) -> str:
    """An ISO-8601 time as UTC `YYYY-MM-DDTHH:MM:SSZ`, the form Shopify's `updated_at:>` filter takes."""
    try:
        moment = datetime.fromisoformat(since.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--since {since!r} is not an ISO-8601 time, like 2026-11-01T00:00:00Z",
                         field="--since") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ShopifyConnector:
    def __init__(self, client: AdminClient, *, shop: str = "", poller: bulk.Poller | None = None,
                 bulk_threshold: int = 250, translation_page_size: int = 100, tmp_dir: Path | None = None,
                 download_timeout_s: float = 60.0, api_version: str = ShopifySettings.api_version):
        self.client, self.shop, self.poller = client, shop, poller or bulk.Poller()
        self.api_version = api_version
        self.mutations = Mutations(client, bulk_threshold=bulk_threshold, poller=self.poller)
        self.translation_page_size, self.tmp_dir = translation_page_size, tmp_dir
        self.download_timeout_s = download_timeout_s
        self.pulled_ids: list[str] = []
        self.counts: dict[str, int] = {}

    # -- pull -------------------------------------------------------------------------------------------
    def pull_catalog(self, since: str | None = None) -> Iterator[pa.RecordBatch]:
        """Every product (or those updated after `since`) as finished catalogue batches (pipeline.core.catalog.SCHEMA),
        via one bulk query. The query starts now and is waited for on a thread of its own, so that what the caller
        prepares meanwhile (pyarrow's import takes a good part of a second) overlaps Shopify's work."""
        query = bulk_products_query(normalise_since(since) if since else None)
        operation_id = bulk.run_query(self.client, query)
        stop = threading.Event()
        return self._catalog_batches(_on_a_thread(lambda: self._wait(operation_id, stop)), stop)

    def _wait(self, operation_id: str, stop: threading.Event) -> bulk.BulkOperation:
        progress = Progress("shopify bulk query")

        def report(operation: bulk.BulkOperation) -> None:
            progress.advance(operation.object_count - progress.done)

        def sleep(seconds: float) -> None:
            if stop.is_set():  # nobody reads the result any more
                raise StoreError("bulk query abandoned")
            self.poller.sleep(seconds)

        try:
            return bulk.wait(self.client, operation_id, dataclasses.replace(self.poller, sleep=sleep),
                             on_progress=report)
        finally:
            progress.close()

    def _catalog_batches(self, waiting: Future[bulk.BulkOperation],
                         stop: threading.Event) -> Iterator[pa.RecordBatch]:
        from pipeline.shopify.bulk_products import catalog_batches  # (pyarrow: only a pull needs it)

        try:
            operation = waiting.result()
        finally:
            stop.set()
        self.pulled_ids = []
        chunks = bulk.result_chunks(operation, timeout_s=self.download_timeout_s)
        # The batches are columns, but the short-lived Python objects of putting them together would still have the
        # cyclic GC rescan a growing heap; nothing made here has reference cycles, so pause it.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for batch in catalog_batches(chunks, operation.file_size, tmp_dir=self.tmp_dir, counts=self.counts):
                self.pulled_ids.extend(batch.column("id").to_pylist())
                yield batch
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
            if collecting:
                gc.enable()

    def pull_collections(self) -> list[dict[str, Any]]:
        """Every collection of the store, custom and smart: title, handle, intro copy, SEO fields, rules and the
        translations into the shop's other locales, via one bulk query (pipeline/shopify/bulk_collections.py).
        Which products each holds is the product query's (catalog.parquet `collections`)."""
        from pipeline.shopify import translations
        from pipeline.shopify.bulk_collections import collection_rows

        locales = [x.locale for x in translations.shop_locales(self.client) if not x.primary]
        operation = self._wait(bulk.run_query(self.client, bulk_collections_query(locales)), threading.Event())
        chunks = bulk.result_chunks(operation, timeout_s=self.download_timeout_s)
        try:
            return list(collection_rows(chunks))
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()

    def pull_products(self, since: str | None = None) -> Iterator[dict[str, Any]]:
        """pull_catalog's products as row dicts."""
        for batch in self.pull_catalog(since):
            yield from batch.to_pylist()

    def pull_translations(self, destination: Path, *, only_pulled: bool = False) -> int:
        """Write translations.parquet; with `only_pulled` (and an earlier artefact to keep the rest from), re-read
        only the last pull's products."""
        from pipeline.shopify import translations

        only_pulled = only_pulled and destination.exists()
        ids = self.pulled_ids if only_pulled else None
        return translations.write_translations(self.client, destination, page_size=self.translation_page_size,
                                               product_ids=ids, previous=destination if only_pulled else None)

    def shop_locales(self) -> list[ShopLocale]:
        from pipeline.shopify import translations

        return translations.shop_locales(self.client)

    def current_digests(self, product_ids: Sequence[str], locale: str) -> dict[tuple[str, str], str]:
        """(product id, key) -> translatableContentDigest now; call after pushing the source text it digests."""
        from pipeline.shopify import translations

        return translations.current_digests(self.client, product_ids, locale)

    # -- push primitives (see mutations.py) ---------------------------------------------------------------
    def update_products(self, updates: Sequence[ProductUpdate], *, mode: str = "auto") -> list[WriteResult]:
        return self.mutations.update_products(updates, mode=mode)

    def register_translations(self, product_id: str, writes: Sequence[TranslationWrite]) -> WriteResult:
        return self.mutations.register_translations(product_id, writes)

    def register_translations_many(self, writes: Mapping[str, Sequence[TranslationWrite]], *,
                                   mode: str = "auto") -> list[WriteResult]:
        return self.mutations.register_translations_many(writes, mode=mode)

    def create_redirect(self, old_path: str, new_path: str) -> RedirectResult:
        return self.mutations.create_redirect(old_path, new_path)

    def read_products(self, product_ids: Sequence[str]) -> dict[str, ProductSnapshot]:
        return self.mutations.read_products(product_ids)

    def check_api_version(self, warn: Callable[[str], None] | None = None) -> str | None:
        """One query: warn in one line (stderr by default) if Shopify no longer supports our API version."""
        return check_api_version(self.client, self.api_version, **({"warn": warn} if warn else {}))

    def summary(self) -> str:
        return self.client.stats.summary(self.client.bucket)


T = TypeVar("T")


def _on_a_thread(work: Callable[[], T]) -> Future[T]:
    """`work` run on a daemon thread (one the process does not wait for at exit), its outcome in the future."""
    future: Future[T] = Future()
    future.set_running_or_notify_cancel()

    def run() -> None:
        try:
            future.set_result(work())
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the future
            future.set_exception(exc)

    threading.Thread(target=run, name="bulk-query-wait", daemon=True).start()
    return future


def build_connector(credentials: StoreCredentials,
                    options: ShopifySettings | Mapping[str, Any] | None = None, *,
                    sleep: Callable[[float], None] = time.sleep) -> ShopifyConnector:
    """A connector for `credentials`; `options` are seo.toml's [shopify] settings (a mapping of some of its keys
    is read on top of the defaults)."""
    if not isinstance(options, ShopifySettings):
        options = ShopifySettings(**(options or {})).checked("[shopify] settings")
    token = token_provider(credentials, timeout_s=options.timeout_s, sleep=sleep)
    transport = AdminGraphQL(credentials.shop, token, api_url=credentials.api_url, timeout_s=options.timeout_s,
                             api_version=options.api_version)
    client = AdminClient(transport, max_attempts=options.max_attempts, sleep=sleep, token=token)
    poller = bulk.Poller(first_s=options.poll_first_s, max_s=options.poll_max_s, sleep=sleep)
    return ShopifyConnector(client, shop=credentials.shop, poller=poller, bulk_threshold=options.bulk_threshold,
                            translation_page_size=options.translation_page_size,
                            download_timeout_s=options.download_timeout_s, api_version=options.api_version)


def connector_from_env(env: Mapping[str, str], settings: Settings | None = None, *, check_version: bool = True,
                       warn: Callable[[str], None] | None = None, **kwargs: Any) -> ShopifyConnector | None:
    """The store named by SHOPIFY_STORE with its credentials, or None when no store is configured.

    Connecting asks the store once whether it still supports [shopify] api_version (one warning line on stderr,
    or through `warn`, when it does not; never fatal). `check_version=False` skips that query."""
    credentials = credentials_from_env(env)
    if credentials is None:
        return None
    connector = build_connector(credentials, settings.shopify if settings is not None else None, **kwargs)
    if check_version:
        connector.check_api_version(warn)
    return connector
