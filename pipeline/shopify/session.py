"""The one module that uses ShopifyAPI (the `shopify` package): a GraphQL POST with a timeout and our errors.

ShopifyAPI 12.7 was deprecated in August 2026 in favour of `shopifyapp`. Its `GraphQL.execute` has no timeout,
no retries and no throttling, prints HTTP error bodies to stdout, and its session is per thread. So the rest of
the connector sees only `AdminGraphQL.execute() -> GraphQLReply` and the errors in `pipeline.shopify.errors`:
retries and pacing live in client.py/throttle.py, and moving to `shopifyapp` means rewriting this file only.

What we keep from ShopifyAPI: `Session` (the API version path, the store URL, and `protocol`/`url`, which let
the same code reach a test double over plain HTTP on 127.0.0.1), `ShopifyResource.activate_session` (the
`X-Shopify-Access-Token` header) and `GraphQL`'s endpoint and headers. What we replace: the single `execute`
method, with the same request plus a timeout, no printing, and the response status and headers kept for
Retry-After.
"""

from __future__ import annotations

import http.client
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import shopify

from pipeline.config import ShopifySettings
from pipeline.errors import StoreError
from pipeline.shopify.errors import AuthError, RetryableStoreError

# The default version, [shopify] api_version's default: the one whose schema the contract tests validate against.
API_VERSION = ShopifySettings.api_version
MAX_ERROR_BODY = 300

# ShopifyAPI keeps the active session in thread-local state; remember per thread which (site, token) it holds.
_ACTIVE = threading.local()


@dataclass(frozen=True)
class GraphQLReply:
    status: int
    headers: Mapping[str, str]
    payload: dict[str, Any]


class _TimedGraphQL(shopify.GraphQL):
    """ShopifyAPI's GraphQL client with `execute` made safe: a timeout, no printing, status and headers kept."""

    def __init__(self, timeout_s: float):
        super().__init__()
        self.timeout_s = timeout_s

    def execute(self, query: str, variables: dict[str, Any] | None = None,
                operation_name: str | None = None) -> tuple[int, dict[str, str], bytes]:
        headers = self.merge_headers({"Accept": "application/json", "Content-Type": "application/json"},
                                     self.headers)
        body = json.dumps({"query": query, "variables": variables, "operationName": operation_name}).encode()
        request = urllib.request.Request(self.endpoint, body, headers)
        with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
            return response.status, dict(response.headers.items()), response.read()


class AdminGraphQL:
    """One store's Admin GraphQL endpoint, at `api_version` ([shopify] api_version; `API_VERSION` by default).

    `token` is called before every request, so a renewed client-credentials token is picked up at once.
    `api_url` (e.g. http://127.0.0.1:8123) points the same code at a test double instead of the store.
    """

    def __init__(self, shop: str, token: Callable[[], str], *, api_url: str | None = None,
                 timeout_s: float = 30.0, api_version: str = API_VERSION):
        self.shop, self.token, self.api_url = shop, token, api_url
        self.timeout_s, self.api_version = timeout_s, api_version

    @property
    def endpoint(self) -> str:
        return self._session("").site + "/graphql.json"

    def _session(self, token: str) -> shopify.Session:
        session = shopify.Session(self.shop, self.api_version, token)
        if self.api_url:
            parts = urlsplit(self.api_url)
            session.protocol, session.url = parts.scheme, parts.netloc
        return session

    def _activate(self, token: str) -> None:
        session = self._session(token)
        key = (session.site, token)
        if getattr(_ACTIVE, "key", None) != key:
            shopify.ShopifyResource.activate_session(session)
            _ACTIVE.key = key

    def execute(self, query: str, variables: dict[str, Any] | None = None,
                operation_name: str | None = None) -> GraphQLReply:
        """POST one document. Raises RetryableStoreError (429, 5xx, network), AuthError (401) or StoreError."""
        self._activate(self.token())
        try:
            status, headers, body = _TimedGraphQL(self.timeout_s).execute(query, variables, operation_name)
        except urllib.error.HTTPError as exc:
            raise _http_error(exc, operation_name, self.api_version) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise RetryableStoreError(f"Shopify {operation_name or 'request'}: network error: {reason}") from None
        try:
            payload = json.loads(body)
        except ValueError:
            raise RetryableStoreError(f"Shopify {operation_name or 'request'}: HTTP {status} answer is not JSON: "
                                      f"{_excerpt(body)}", status=status) from None
        if not isinstance(payload, dict):
            raise StoreError(f"Shopify {operation_name or 'request'}: unexpected answer {_excerpt(body)}")
        return GraphQLReply(status=status, headers=headers, payload=payload)


def _http_error(exc: urllib.error.HTTPError, operation: str | None, api_version: str = API_VERSION) -> StoreError:
    try:
        body = exc.read(4096)
    except OSError:
        body = b""
    finally:
        exc.close()
    status = exc.code
    what = f"Shopify {operation or 'request'}: HTTP {status}"
    detail = _excerpt(body)
    if status == 429 or status >= 500:
        return RetryableStoreError(f"{what} {detail}".strip(), status=status,
                                   retry_after=retry_after_seconds(exc.headers))
    if status == 401:
        return AuthError(f"{what}: the access token was refused; check SHOPIFY_ACCESS_TOKEN, or SHOPIFY_CLIENT_ID"
                         " and SHOPIFY_CLIENT_SECRET")
    hints = {402: "the store is frozen (unpaid plan)", 403: "the app lacks an access scope this call needs",
             404: f"check SHOPIFY_STORE, and [shopify] api_version ({api_version}) in seo.toml",
             423: "the store is locked"}
    return StoreError(f"{what}: {hints.get(status, detail or exc.reason)}")


def retry_after_seconds(headers: Mapping[str, str] | Any) -> float | None:
    """Retry-After as seconds: Shopify sends a number ("2.0"); HTTP also allows a date."""
    value = headers.get("Retry-After") if headers is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        from datetime import UTC, datetime

        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def _excerpt(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip().replace("\n", " ")
    return text[:MAX_ERROR_BODY] + ("..." if len(text) > MAX_ERROR_BODY else "")
