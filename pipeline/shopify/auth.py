"""Store credentials from the environment, and the access token they give.

Either `SHOPIFY_STORE` + `SHOPIFY_ACCESS_TOKEN` (an existing admin-created custom app's token; Shopify stopped
letting merchants create those on 2026-01-01), or `SHOPIFY_STORE` + `SHOPIFY_CLIENT_ID` +
`SHOPIFY_CLIENT_SECRET` for a Dev Dashboard app: then we obtain the token with the client-credentials grant and
renew it before it expires (Shopify's tokens from that grant last 24 hours). `SHOPIFY_API_URL` points the
connector at another address (a test double) instead of https://<store>.myshopify.com.

Secrets stay in memory: they are left out of reprs and error messages, and never written anywhere.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from pipeline.errors import ConfigError, StoreError
from pipeline.shopify.errors import RetryableStoreError
from pipeline.shopify.throttle import retrying

SHOP_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")
DEFAULT_TOKEN_LIFETIME_S = 24 * 3600


@dataclass(frozen=True)
class StoreCredentials:
    shop: str                                   # my-store.myshopify.com
    access_token: str | None = field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    api_url: str | None = None                  # e.g. http://127.0.0.1:8123 for the test double

    @property
    def base_url(self) -> str:
        return (self.api_url or f"https://{self.shop}").rstrip("/")


def shop_domain(value: str) -> str:
    """`my-store`, `my-store.myshopify.com` or `https://my-store.myshopify.com/admin` -> my-store.myshopify.com."""
    text = value.strip().lower()
    text = re.sub(r"^https?://", "", text).split("/", 1)[0]
    if "." not in text:
        text += ".myshopify.com"
    if not SHOP_DOMAIN.match(text):
        raise ConfigError(f"SHOPIFY_STORE={value!r} is not a store address like my-store.myshopify.com")
    return text


def credentials_from_env(env: Mapping[str, str]) -> StoreCredentials | None:
    """The store's credentials, or None when SHOPIFY_STORE is not set (pull then uses a CSV or the sample)."""
    store = env.get("SHOPIFY_STORE", "").strip()
    if not store:
        return None
    token = env.get("SHOPIFY_ACCESS_TOKEN", "").strip() or None
    client_id = env.get("SHOPIFY_CLIENT_ID", "").strip() or None
    client_secret = env.get("SHOPIFY_CLIENT_SECRET", "").strip() or None
    if not token and not (client_id and client_secret):
        missing = "SHOPIFY_CLIENT_SECRET" if client_id else "SHOPIFY_CLIENT_ID" if client_secret else \
            "SHOPIFY_ACCESS_TOKEN (or SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET)"
        raise ConfigError(f"SHOPIFY_STORE is set but {missing} is not")
    api_url = env.get("SHOPIFY_API_URL", "").strip() or None
    if api_url and not re.match(r"^https?://[^/\s]+/?$", api_url):
        raise ConfigError(f"SHOPIFY_API_URL={api_url!r} must be a scheme and host, like http://127.0.0.1:8123")
    return StoreCredentials(shop=shop_domain(store), access_token=token, client_id=client_id,
                            client_secret=client_secret, api_url=api_url)


class StaticToken:
    """An access token given in the environment."""

    renewable = False

    def __init__(self, token: str):
        self._token = token

    def __call__(self) -> str:
        return self._token

    def invalidate(self) -> None:
        """Nothing to renew: a refused static token is a configuration error."""


class ClientCredentialsToken:
    """A token from the client-credentials grant, renewed when less than `renew_margin` of its life is left."""

    renewable = True

    def __init__(self, credentials: StoreCredentials, *, timeout_s: float = 30.0, max_attempts: int = 4,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
                 renew_margin: float = 0.1):
        assert credentials.client_id and credentials.client_secret
        self.credentials, self.timeout_s, self.max_attempts = credentials, timeout_s, max_attempts
        self.clock, self.sleep, self.renew_margin = clock, sleep, renew_margin
        self._token: str | None = None
        self._expires_at = 0.0
        self._renew_at = 0.0
        self.grants = 0
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            if self._token is None or self.clock() >= self._renew_at:
                self._grant()
            assert self._token is not None
            return self._token

    def invalidate(self) -> None:
        with self._lock:
            self._token = None

    @property
    def expires_at(self) -> float:
        return self._expires_at

    def _grant(self) -> None:
        for attempt in retrying(self.max_attempts, self.sleep):
            with attempt:
                answer = self._post()
        token, lifetime = answer.get("access_token"), answer.get("expires_in", DEFAULT_TOKEN_LIFETIME_S)
        if not isinstance(token, str) or not token:
            raise StoreError("Shopify's client-credentials grant answered without an access_token")
        lifetime = float(lifetime) if isinstance(lifetime, int | float) else DEFAULT_TOKEN_LIFETIME_S
        now = self.clock()
        self._token = token
        self._expires_at = now + lifetime
        self._renew_at = now + lifetime * (1 - self.renew_margin)
        self.grants += 1

    def _post(self) -> dict:
        url = f"{self.credentials.base_url}/admin/oauth/access_token"
        form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": self.credentials.client_id,
                                       "client_secret": self.credentials.client_secret}).encode()
        request = urllib.request.Request(url, form, {"Content-Type": "application/x-www-form-urlencoded",
                                                     "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            status = exc.code
            detail = _oauth_error(exc.read(2048))
            exc.close()
            if status == 429 or status >= 500:
                raise RetryableStoreError(f"Shopify token request: HTTP {status}", status=status) from None
            raise ConfigError(f"Shopify refused the client-credentials grant for {self.credentials.shop} "
                              f"(HTTP {status}{': ' + detail if detail else ''}); check SHOPIFY_CLIENT_ID and "
                              "SHOPIFY_CLIENT_SECRET, and that the app is installed on this store") from None
        except OSError as exc:
            raise RetryableStoreError(f"Shopify token request: network error: {getattr(exc, 'reason', exc)}") \
                from None
        try:
            answer = json.loads(body)
        except ValueError:
            raise StoreError("Shopify's client-credentials grant answered with something that is not JSON") from None
        return answer if isinstance(answer, dict) else {}


def _oauth_error(body: bytes) -> str:
    """The OAuth error code and description, never the request (which carried the secret)."""
    try:
        answer = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(answer, dict):
        return ""
    parts = [str(answer.get(k)) for k in ("error", "error_description") if isinstance(answer.get(k), str)]
    return ": ".join(parts)[:200]


def token_provider(credentials: StoreCredentials, **options) -> StaticToken | ClientCredentialsToken:
    if credentials.access_token:
        return StaticToken(credentials.access_token)
    return ClientCredentialsToken(credentials, **options)
