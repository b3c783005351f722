"""Collection writes for push and rollback: read collections, collectionUpdate, collectionCreate, collectionDelete.

A store has hundreds of collections, so each goes as one mutation (no bulk operation). Like mutations.py, a write
reports its outcome (`ok`, Shopify's `userErrors` as lines) and never raises for one collection's refusal; a
request that fails as a whole (auth, network after retries) raises StoreError from the client. Translations go
through the product primitives (translationsRegister takes any resource id), redirects through create_redirect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.core.collections import parse_rule, rule_input
from pipeline.shopify.client import AdminClient
from pipeline.shopify.mutations import READ_BATCH, user_error_lines

# Our collection field -> Shopify's translatable content key for a collection.
TRANSLATION_KEYS = {"description": "body_html", "seo_title": "meta_title", "seo_description": "meta_description"}
WRITABLE = ("description", "seo_title", "seo_description", "handle")


def collection_path(handle: str) -> str:
    return f"/collections/{handle}"


@dataclass(frozen=True)
class CollectionSnapshot:
    """The store's current values of the fields push may write to a collection ("" for none)."""

    collection_id: str
    handle: str
    title: str
    description: str
    seo_title: str
    seo_description: str

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> CollectionSnapshot:
        seo = node.get("seo") or {}
        return cls(collection_id=node["id"], handle=node.get("handle") or "", title=node.get("title") or "",
                   description=node.get("descriptionHtml") or "", seo_title=seo.get("title") or "",
                   seo_description=seo.get("description") or "")

    def value_of(self, name: str) -> str:
        return str(getattr(self, name))


@dataclass
class CollectionWrite:
    ok: bool
    collection_id: str = ""
    handle: str = ""
    errors: list[str] = field(default_factory=list)


def update_input(collection_id: str, values: dict[str, str]) -> dict[str, Any]:
    """A CollectionInput with only the fields we change. An empty SEO value removes the store's (Shopify keeps
    SEO fields as metafields), which is what restoring a collection that had none needs."""
    data: dict[str, Any] = {"id": collection_id}
    if "description" in values:
        data["descriptionHtml"] = values["description"]
    if "handle" in values:
        data["handle"] = values["handle"]  # the redirect is made apart, so rollback can delete it
    seo = {key: values[name] for name, key in (("seo_title", "title"), ("seo_description", "description"))
           if name in values}
    if seo:
        data["seo"] = seo
    return data


def create_input(title: str, handle: str, rule: str, values: dict[str, str]) -> dict[str, Any]:
    """A CollectionInput for a new smart collection (its rule as a ruleSet), with its copy; no publications, so
    it is created unpublished."""
    data = update_input("", values)
    del data["id"]
    data |= {"title": title, "handle": handle, "ruleSet": rule_input(parse_rule(rule))}
    return data


def read_collections(client: AdminClient, collection_ids: Sequence[str]) -> dict[str, CollectionSnapshot]:
    """The current values of the given collections; an id missing from the answer no longer exists."""
    out: dict[str, CollectionSnapshot] = {}
    ids = [i for i in dict.fromkeys(collection_ids) if i]
    for start in range(0, len(ids), READ_BATCH):
        data = client.run("collections_read", {"ids": ids[start:start + READ_BATCH]})
        for node in data.get("nodes") or []:
            if node and node.get("__typename") == "Collection":
                snapshot = CollectionSnapshot.from_node(node)
                out[snapshot.collection_id] = snapshot
    return out


def _written(payload: dict[str, Any]) -> CollectionWrite:
    errors = user_error_lines(payload.get("userErrors"))
    node = payload.get("collection") or {}
    if not errors and not node:
        errors = ["Shopify returned no collection"]
    return CollectionWrite(not errors, str(node.get("id") or ""), str(node.get("handle") or ""), errors)


def update_collection(client: AdminClient, collection_id: str, values: dict[str, str]) -> CollectionWrite:
    data = client.run("collection_update", {"input": update_input(collection_id, values)})
    return _written(data.get("collectionUpdate") or {})


def create_collection(client: AdminClient, title: str, handle: str, rule: str,
                      values: dict[str, str]) -> CollectionWrite:
    data = client.run("collection_create", {"input": create_input(title, handle, rule, values)})
    return _written(data.get("collectionCreate") or {})


def delete_collection(client: AdminClient, collection_id: str) -> CollectionWrite:
    data = client.run("collection_delete", {"input": {"id": collection_id}})
    payload = data.get("collectionDelete") or {}
    errors = user_error_lines(payload.get("userErrors"))
    return CollectionWrite(not errors, str(payload.get("deletedCollectionId") or collection_id), "", errors)
