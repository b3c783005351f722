"""The store as the stages see it: what pull, push, rollback and reoptimise call on a connector.

`ShopifyConnector` (connector.py) is the one real implementation; tests pass fakes or wrappers around it. The
stages are typed against these Protocols, not the class, so a fake needs only what a stage calls.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import pyarrow as pa

    from pipeline.shopify.client import AdminClient
    from pipeline.shopify.mutations import ProductSnapshot, ProductUpdate, RedirectResult, TranslationWrite, WriteResult


class ProductSource(Protocol):
    """What pull needs from a store: finished batches of catalog.SCHEMA (all products, or those updated after
    `since`)."""

    def pull_catalog(self, since: str | None = None) -> Iterator[pa.RecordBatch]: ...


class CollectionSource(Protocol):
    """What pull needs to read a store's collections (pipeline/core/collections.py rows, membership aside); pull
    asks a connector that has it, and proposes collections from the catalogue alone for one that has not."""

    def pull_collections(self) -> list[dict[str, Any]]: ...


class Connector(ProductSource, Protocol):
    """A live store connector: pull (catalogue, translations), the push primitives, and the Admin API client the
    push support functions (push_support.py: translation states, redirect lookup and deletion) take."""

    @property
    def shop(self) -> str: ...  # the store's myshopify domain; the ledger's target is `store:<shop>`

    @property
    def client(self) -> AdminClient: ...

    def pull_translations(self, destination: Path, *, only_pulled: bool = False) -> int: ...

    def read_products(self, product_ids: Sequence[str]) -> dict[str, ProductSnapshot]: ...

    def update_products(self, updates: Sequence[ProductUpdate], *, mode: str = "auto") -> list[WriteResult]: ...

    def register_translations_many(self, writes: Mapping[str, Sequence[TranslationWrite]], *,
                                   mode: str = "auto") -> list[WriteResult]: ...

    def create_redirect(self, old_path: str, new_path: str) -> RedirectResult: ...

    def summary(self) -> str: ...  # the API calls and throttling, for the command's last line
