"""The GraphQL documents we send, kept as .graphql files so tests can validate each against the schema."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

GRAPHQL_DIR = Path(__file__).resolve().parent / "graphql"
PRODUCT_STATUSES = "status:active,draft,archived"


@cache
def document(name: str) -> str:
    """The text of graphql/<name>.graphql."""
    return (GRAPHQL_DIR / f"{name}.graphql").read_text(encoding="utf-8")


def names() -> list[str]:
    return sorted(p.stem for p in GRAPHQL_DIR.glob("*.graphql"))


def product_filter(since: str | None) -> str:
    """The `products(query:)` search string: every status (the default is active only), optionally changed since."""
    if since is None:
        return PRODUCT_STATUSES
    return f"{PRODUCT_STATUSES} AND updated_at:>'{since}'"


def search_value(value: str) -> str:
    """`value` as one quoted term of Shopify's search syntax: in double quotes, with backslash and quote escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def redirect_path_filter(path: str) -> str:
    """The `urlRedirects(query:)` search string for the redirects from `path`."""
    return f"path:{search_value(path)}"


def bulk_products_query(since: str | None = None) -> str:
    """The product query for bulkOperationRunQuery, with the status and `updated_at` filter filled in."""
    return document("bulk_products").replace("PRODUCT_FILTER", json.dumps(product_filter(since)))


_TRANSLATIONS = re.compile(r'^(?P<indent>[ \t]*)translations\(locale: "LOCALE"\) \{.*?^(?P=indent)\}\n', re.M | re.S)


def bulk_collections_query(locales: Sequence[str] = ()) -> str:
    """The collection query for bulkOperationRunQuery, with the translations into each of `locales` (the shop's
    locales but its primary one) under an alias of its own (`translations_<n>`), or none."""
    text = document("bulk_collections")
    match = _TRANSLATIONS.search(text)
    assert match is not None, "graphql/bulk_collections.graphql lost its translations field"
    block = match.group(0)
    indent = match.group("indent")
    copies = "".join(block.replace(f'{indent}translations(locale: "LOCALE")',
                                   f"{indent}translations_{n}: translations(locale: {json.dumps(locale)})", 1)
                     for n, locale in enumerate(locales))
    return text[:match.start()] + copies + text[match.end():]


def sent(name: str) -> str:
    """graphql/<name>.graphql as it is sent: a bulk query with its placeholders filled (the product query for every
    status, the collection query with translations into one locale), for the contract tests."""
    if name == "bulk_products":
        return bulk_products_query()
    if name == "bulk_collections":
        return bulk_collections_query(["fr"])
    return document(name)
