"""A bulk collection query's JSONL result -> collection rows (pipeline/core/collections.py SCHEMA, less membership).

One line per collection (graphql/bulk_collections.graphql asks for no connection, so there are no child lines): its
id, handle, title, intro copy, SEO fields, smart rules (as rule text: `product_type = Bath Mats AND tag = teak`)
and, under one alias per locale (`translations_<n>`), its translations. A store has hundreds of collections, not
hundreds of thousands, so the lines are read one by one; which products each holds comes from the product query.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from pipeline.core.collections import store_rule_text
from pipeline.errors import StoreError

COLLECTION_GID = "gid://shopify/Collection/"


def collection_rows(chunks: Iterable[bytes]) -> Iterator[dict[str, Any]]:
    """Each collection of the result as a row: id, handle, title, kind, rule, description, seo_title,
    seo_description, updated_at, translations [(locale, key, value, outdated)]."""
    for chunk in chunks:
        for raw in chunk.splitlines():
            if not raw.strip():
                continue
            try:
                line = json.loads(raw)
            except ValueError:
                raise StoreError(f"Shopify's bulk collection result has a line that is not JSON: {raw[:120]!r}") \
                    from None
            if line.get("__parentId") or not str(line.get("id") or "").startswith(COLLECTION_GID):
                continue  # (none is asked for: a child line of a future field)
            yield collection_row(line)


def collection_row(node: dict[str, Any]) -> dict[str, Any]:
    seo = node.get("seo") or {}
    rule = store_rule_text(node.get("ruleSet"))
    translations = []
    for key, value in node.items():
        if key == "translations" or key.startswith("translations_"):
            for item in value or []:
                translations.append({"locale": str(item.get("locale") or ""), "key": str(item.get("key") or ""),
                                     "value": item.get("value"), "outdated": bool(item.get("outdated"))})
    return {"id": node["id"], "handle": str(node.get("handle") or ""), "title": str(node.get("title") or ""),
            "kind": "smart" if node.get("ruleSet") else "custom", "rule": rule,
            "description": str(node.get("descriptionHtml") or ""), "seo_title": str(seo.get("title") or ""),
            "seo_description": str(seo.get("description") or ""), "updated_at": str(node.get("updatedAt") or ""),
            "translations": translations}
