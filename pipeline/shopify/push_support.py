"""What push and rollback need beyond the connector's primitives (connector.py, mutations.py).

- `translation_states`: each product's translations in one locale as the store holds them now, with the digest
  of the primary content each must be registered against (read after the primary text was pushed);
- `remove_translations`: rollback of a translation that did not exist before the push;
- `delete_redirect`: rollback of a redirect push created for a changed handle;
- `find_redirect`: the redirect from one path, for a run that died between creating a redirect and recording it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.shopify.client import AdminClient
from pipeline.shopify.documents import redirect_path_filter
from pipeline.shopify.mutations import RedirectResult, WriteResult, user_error_lines

# Our draft field -> Shopify's translatable content key for a product.
FIELD_KEYS = {"title": "title", "body_html": "body_html", "seo_title": "meta_title",
              "seo_description": "meta_description"}
IDS_PER_CALL = 250  # Shopify caps resourceIds at 250
REDIRECTS_PER_PAGE = 10  # a path has one redirect; a few more pages only if search matches loosely
REDIRECT_PAGES = 20


@dataclass(frozen=True)
class Redirect:
    id: str
    path: str
    target: str


@dataclass(frozen=True)
class TranslationState:
    """One product's translations into one locale now: key -> value (None: no translation) and key -> digest."""

    values: dict[str, str | None] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)

    def value_of(self, field_name: str) -> str | None:
        return self.values.get(FIELD_KEYS[field_name])

    def digest_of(self, field_name: str) -> str | None:
        return self.digests.get(FIELD_KEYS[field_name])


def translation_states(client: AdminClient, product_ids: Sequence[str], locale: str) -> dict[str, TranslationState]:
    """The current translations into `locale` of each product that exists (a deleted one is absent)."""
    keys = set(FIELD_KEYS.values())
    out: dict[str, TranslationState] = {}
    ids = list(product_ids)
    for start in range(0, len(ids), IDS_PER_CALL):
        batch = ids[start:start + IDS_PER_CALL]
        after = None
        while True:  # `first` as small as the batch: Shopify charges for the page size asked, not the nodes sent
            connection = client.run("translatable_products_by_ids", {
                "ids": batch, "first": len(batch), "after": after, "locale": locale})["translatableResourcesByIds"]
            for node in connection.get("nodes") or []:
                digests = {c["key"]: c["digest"] for c in node.get("translatableContent") or []
                           if c.get("key") in keys and c.get("digest")}
                values = {t["key"]: t.get("value") for t in node.get("translations") or [] if t.get("key") in keys}
                out[node["resourceId"]] = TranslationState(values=values, digests=digests)
            info = connection.get("pageInfo") or {}
            if not info.get("hasNextPage"):
                break
            after = info.get("endCursor")
    return out


def remove_translations(client: AdminClient, product_id: str, locale: str, field_names: Sequence[str]) -> WriteResult:
    """translationsRemove for these fields of one product in one locale."""
    data = client.run("translations_remove", {"resourceId": product_id, "locales": [locale],
                                              "translationKeys": [FIELD_KEYS[n] for n in field_names]})
    errors = user_error_lines((data.get("translationsRemove") or {}).get("userErrors"))
    return WriteResult(product_id, not errors, errors)


def delete_redirect(client: AdminClient, redirect_id: str) -> RedirectResult:
    """urlRedirectDelete; a redirect someone already deleted counts as done (there is nothing left to undo)."""
    data = client.run("url_redirect_delete", {"id": redirect_id})
    payload = data.get("urlRedirectDelete") or {}
    raw = payload.get("userErrors") or []
    if raw and all(e.get("code") == "DOES_NOT_EXIST" for e in raw):
        return RedirectResult(ok=True, redirect_id=redirect_id, errors=[])
    errors = user_error_lines(raw)
    return RedirectResult(ok=not errors, redirect_id=payload.get("deletedUrlRedirectId") or redirect_id,
                          errors=errors)


def find_redirect(client: AdminClient, path: str) -> Redirect | None:
    """The store's redirect from exactly `path`, if there is one (urlRedirects searched by path)."""
    after = None
    for _ in range(REDIRECT_PAGES):
        connection = client.run("url_redirects_by_path", {"query": redirect_path_filter(path),
                                                          "first": REDIRECTS_PER_PAGE, "after": after})["urlRedirects"]
        for node in connection.get("nodes") or []:
            if node.get("path") == path:
                return Redirect(node["id"], node["path"], node.get("target") or "")
        info = connection.get("pageInfo") or {}
        if not info.get("hasNextPage"):
            return None
        after = info.get("endCursor")
    return None
