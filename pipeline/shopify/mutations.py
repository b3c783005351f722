"""Push primitives: update products, register translations, create redirects, re-read products.

Each write reports per product (`ok`, `errors`), never raising for one product's `userErrors`: a push of 5,000
products where 3 are refused must still push the other 4,997 and say which 3 failed and why. Whole-request
failures (auth, network after retries, a bulk operation that FAILED) do raise StoreError.
Small batches go one mutation at a time, paced by the cost bucket; from `bulk_threshold` items on, one bulk
mutation (staged upload + bulkOperationRunMutation) does them all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.shopify import bulk
from pipeline.shopify.client import AdminClient
from pipeline.shopify.documents import document

READ_BATCH = 250  # Shopify caps input arrays at 250 items


@dataclass(frozen=True)
class ProductUpdate:
    """The fields to write to one product; None leaves a field as it is. Names follow the catalogue."""

    product_id: str
    title: str | None = None
    body_html: str | None = None
    seo_title: str | None = None
    seo_description: str | None = None
    handle: str | None = None

    def as_input(self) -> dict[str, Any]:
        """A ProductUpdateInput with only the fields we change."""
        product: dict[str, Any] = {"id": self.product_id}
        if self.title is not None:
            product["title"] = self.title
        if self.body_html is not None:
            product["descriptionHtml"] = self.body_html
        if self.handle is not None:
            product["handle"] = self.handle
        seo = {k: v for k, v in (("title", self.seo_title), ("description", self.seo_description)) if v is not None}
        if seo:
            product["seo"] = seo
        return product


@dataclass(frozen=True)
class ProductSnapshot:
    """The store's current values of the fields push may write, plus updatedAt."""

    product_id: str
    handle: str
    title: str
    body_html: str
    seo_title: str
    seo_description: str
    updated_at: str

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> ProductSnapshot:
        seo = node.get("seo") or {}
        return cls(product_id=node["id"], handle=node.get("handle") or "", title=node.get("title") or "",
                   body_html=node.get("descriptionHtml") or "", seo_title=seo.get("title") or "",
                   seo_description=seo.get("description") or "", updated_at=node.get("updatedAt") or "")


@dataclass
class WriteResult:
    """One product's outcome. `errors` holds Shopify's userErrors as "field: message" lines."""

    product_id: str
    ok: bool
    errors: list[str] = field(default_factory=list)
    snapshot: ProductSnapshot | None = None  # product updates: the values after the write


@dataclass(frozen=True)
class TranslationWrite:
    locale: str
    key: str            # title, body_html, meta_title or meta_description
    value: str
    digest: str         # translatableContentDigest of the primary-language content being translated


@dataclass
class RedirectResult:
    ok: bool
    redirect_id: str | None = None
    errors: list[str] = field(default_factory=list)
    path_taken: bool = False  # refused because a redirect from that path exists already


def user_error_lines(errors: Sequence[dict[str, Any]] | None) -> list[str]:
    out = []
    for error in errors or []:
        where = ".".join(str(f) for f in error.get("field") or [])
        code = f" [{error['code']}]" if error.get("code") else ""
        out.append(f"{where + ': ' if where else ''}{error.get('message', 'refused')}{code}")
    return out


def _graphql_errors(errors: Sequence[Any]) -> list[str]:
    return [str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors]


def product_path(handle: str) -> str:
    return f"/products/{handle}"


class Mutations:
    """The push primitives of one store (see the module docstring)."""

    def __init__(self, client: AdminClient, *, bulk_threshold: int = 250, poller: bulk.Poller | None = None):
        self.client, self.bulk_threshold, self.poller = client, bulk_threshold, poller

    def _use_bulk(self, count: int, mode: str) -> bool:
        if mode not in ("auto", "single", "bulk"):
            raise ValueError(f"mode must be auto, single or bulk, not {mode!r}")
        return mode == "bulk" or (mode == "auto" and count >= self.bulk_threshold)

    def update_products(self, updates: Sequence[ProductUpdate], *, mode: str = "auto") -> list[WriteResult]:
        """Write each update with productUpdate; results in the order of `updates`."""
        variables = [{"product": u.as_input()} for u in updates]
        if self._use_bulk(len(updates), mode):
            responses = bulk.run_mutation(self.client, document("product_update"), variables, poller=self.poller,
                                          label="seo-product-update")
            return [self._product_result(u.product_id, responses.get(i)) for i, u in enumerate(updates)]
        return [self._product_result(u.product_id, {"data": self.client.run("product_update", v)})
                for u, v in zip(updates, variables, strict=True)]

    @staticmethod
    def _product_result(product_id: str, response: dict[str, Any] | None) -> WriteResult:
        if response is None:
            return WriteResult(product_id, False, ["no result line from the bulk operation"])
        if response.get("errors"):
            return WriteResult(product_id, False, _graphql_errors(response["errors"]))
        payload = (response.get("data") or {}).get("productUpdate") or {}
        errors = user_error_lines(payload.get("userErrors"))
        node = payload.get("product")
        snapshot = ProductSnapshot.from_node(node) if node else None
        return WriteResult(product_id, not errors and snapshot is not None,
                           errors or ([] if snapshot else ["Shopify returned no product"]), snapshot)

    def register_translations(self, product_id: str, writes: Sequence[TranslationWrite]) -> WriteResult:
        """Register one product's translations, each with the digest of the content it translates."""
        return self.register_translations_many({product_id: writes}, mode="single")[0]

    def register_translations_many(self, writes: Mapping[str, Sequence[TranslationWrite]], *,
                                   mode: str = "auto") -> list[WriteResult]:
        """translationsRegister for several products (resource id -> its translations); one result each."""
        ids = list(writes)
        variables = [{"resourceId": pid, "translations": [
            {"locale": w.locale, "key": w.key, "value": w.value, "translatableContentDigest": w.digest}
            for w in writes[pid]]} for pid in ids]
        if self._use_bulk(len(ids), mode):
            responses = bulk.run_mutation(self.client, document("translations_register"), variables,
                                          poller=self.poller, label="seo-translations")
            return [self._translation_result(pid, responses.get(i)) for i, pid in enumerate(ids)]
        return [self._translation_result(pid, {"data": self.client.run("translations_register", v)})
                for pid, v in zip(ids, variables, strict=True)]

    @staticmethod
    def _translation_result(product_id: str, response: dict[str, Any] | None) -> WriteResult:
        if response is None:
            return WriteResult(product_id, False, ["no result line from the bulk operation"])
        if response.get("errors"):
            return WriteResult(product_id, False, _graphql_errors(response["errors"]))
        payload = (response.get("data") or {}).get("translationsRegister") or {}
        errors = user_error_lines(payload.get("userErrors"))
        return WriteResult(product_id, not errors, errors)

    def create_redirect(self, old_path: str, new_path: str) -> RedirectResult:
        """A URL redirect from `old_path` to `new_path` (e.g. /products/old-handle -> /products/new-handle)."""
        data = self.client.run("url_redirect_create", {"urlRedirect": {"path": old_path, "target": new_path}})
        payload = data.get("urlRedirectCreate") or {}
        raw = payload.get("userErrors") or []
        errors = user_error_lines(raw)
        redirect = payload.get("urlRedirect") or {}
        taken = any((e.get("field") or [""])[-1] == "path" and "taken" in (e.get("message") or "") for e in raw)
        return RedirectResult(ok=not errors and bool(redirect.get("id")), redirect_id=redirect.get("id"),
                              errors=errors, path_taken=taken)

    def read_products(self, product_ids: Sequence[str]) -> dict[str, ProductSnapshot]:
        """The current values of the given products; an id missing from the answer no longer exists."""
        out: dict[str, ProductSnapshot] = {}
        for start in range(0, len(product_ids), READ_BATCH):
            data = self.client.run("products_read", {"ids": list(product_ids[start:start + READ_BATCH])})
            for node in data.get("nodes") or []:
                if node and node.get("__typename") == "Product":
                    snapshot = ProductSnapshot.from_node(node)
                    out[snapshot.product_id] = snapshot
        return out
