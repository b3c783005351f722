"""Record the Shopify cassettes: `.venv/bin/python tests/cassettes/shopify/record.py` (see README.md here).

Each scenario runs the real connector against the Admin API test double (tests/fakes/shopify_server.py) with
vcrpy recording. Before anything is written, `scrub` removes secrets (the access-token header, client
secrets, minted tokens) and the double's address is rewritten to a store's and Shopify's storage hosts, so
the replay tests drive the connector exactly as it runs against https://<store>.myshopify.com.
The scenarios are shared with tests/test_shopify_cassettes.py, which replays them offline.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import vcr

HERE = Path(__file__).resolve().parent
SHOP = "seo-pipeline-dev.myshopify.com"
STORAGE = "https://storage.googleapis.com/shopify-tiers-assets-prod-us-east1/bulk-operation-outputs"
STAGED = "https://shopify-staged-uploads.storage.googleapis.com/"
FILTERED = "FILTERED"
SECRET_PATTERNS = [
    (re.compile(rb"(client_secret=)[^&\s]+"), rb"\1" + FILTERED.encode()),
    (re.compile(rb'("access_token"\s*:\s*")[^"]*(")'), rb"\1" + FILTERED.encode() + rb"\2"),
    (re.compile(rb"\bshp(at|ca|pa|ss|ua)_[A-Za-z0-9_]+"), FILTERED.encode()),
]
TOKEN_LIKE = re.compile(r"\bshp(at|ca|pa|ss|ua)_[A-Za-z0-9_]+")


def scrub(data: bytes) -> bytes:
    """Secrets out of a request or response body."""
    for pattern, replacement in SECRET_PATTERNS:
        data = pattern.sub(replacement, data)
    return data


def shopify_vcr(double_url: str | None = None, **options: Any) -> vcr.VCR:
    """vcrpy configured for Shopify: secrets filtered; the double's URLs (if any) shown as Shopify's."""

    def rewrite(text: bytes) -> bytes:
        if double_url:
            base = double_url.encode()
            text = text.replace(base + b"/files/", STORAGE.encode() + b"/")
            text = text.replace(base + b"/staged-uploads", STAGED.encode())
            text = text.replace(base, f"https://{SHOP}".encode())
        return text

    def before_request(request: Any) -> Any:
        request.uri = rewrite(request.uri.encode()).decode()
        if isinstance(request.body, bytes | str) and request.body:
            body = request.body.encode() if isinstance(request.body, str) else request.body
            request.body = scrub(rewrite(body))
        return request

    def before_response(response: dict[str, Any]) -> dict[str, Any]:
        body = response["body"]["string"]
        if isinstance(body, str):
            body = body.encode()
        response["body"]["string"] = scrub(rewrite(body))
        response["headers"].pop("Content-Length", None)
        return response

    return vcr.VCR(cassette_library_dir=str(HERE), serializer="yaml", record_mode=options.pop("record_mode", "none"),
                   match_on=["method", "scheme", "host", "port", "path", "query"],
                   filter_headers=["X-Shopify-Access-Token", "Authorization", "Cookie", "Host"],
                   before_record_request=before_request, before_record_response=before_response,
                   decode_compressed_response=True, **options)


# -- scenarios: each takes a connector and returns what the tests check -------------------------------------
def pull_scenario(connector: Any, workdir: Path) -> dict[str, Any]:
    rows = list(connector.pull_products())
    count = connector.pull_translations(workdir / "translations.parquet")
    return {"rows": rows, "translation_rows": count, "translations": workdir / "translations.parquet"}


def pull_failed_scenario(connector: Any, workdir: Path) -> dict[str, Any]:
    from pipeline.errors import StoreError

    try:
        list(connector.pull_products())
    except StoreError as exc:
        return {"error": str(exc)}
    return {"error": None}


def push_scenario(connector: Any, workdir: Path) -> dict[str, Any]:
    from pipeline.shopify.mutations import ProductUpdate, TranslationWrite, product_path

    p1, p2, p3 = (f"gid://shopify/Product/{1000 + n}" for n in (1, 2, 3))
    before = connector.read_products([p1, p2, p3])
    single = connector.update_products([ProductUpdate(p1, seo_title="Organic cotton tee | Acme",
                                                       seo_description="Soft, breathable organic cotton."),
                                        ProductUpdate(p2, handle="product-3")], mode="single")
    bulk = connector.update_products([ProductUpdate(p3, title="Product 3, improved"), ProductUpdate(p2, title=""),
                                      ProductUpdate(p1, body_html="<p>Better copy.</p>")], mode="bulk")
    digests = connector.current_digests([p1], "en")
    translated = connector.register_translations(p1, [
        TranslationWrite("fr", "meta_title", "T-shirt en coton bio | Acme", digests[(p1, "meta_title")])])
    stale = connector.register_translations(p1, [TranslationWrite("fr", "title", "T-shirt", "0" * 64)])
    redirect = connector.create_redirect(product_path("product-1"), product_path("organic-cotton-tee"))
    taken = connector.create_redirect(product_path("product-1"), product_path("elsewhere"))
    return {"before": before, "single": single, "bulk": bulk, "digests": digests, "translated": translated,
            "stale": stale, "redirect": redirect, "taken": taken}


def redirects_scenario(connector: Any, workdir: Path) -> dict[str, Any]:
    """What a push resumed after dying between urlRedirectCreate and its ledger record sees, and rollback does."""
    from pipeline.shopify.mutations import product_path
    from pipeline.shopify.push_support import delete_redirect, find_redirect

    made = connector.create_redirect(product_path("product-1"), product_path("organic-cotton-tee"))
    again = connector.create_redirect(product_path("product-1"), product_path("organic-cotton-tee"))
    found = find_redirect(connector.client, product_path("product-1"))
    missing = find_redirect(connector.client, product_path("product-9"))
    deleted = delete_redirect(connector.client, made.redirect_id or "")
    gone = find_redirect(connector.client, product_path("product-1"))
    return {"made": made, "again": again, "found": found, "missing": missing, "deleted": deleted, "gone": gone}


def throttled_scenario(connector: Any, workdir: Path, inject: Callable[[str], None] = lambda step: None
                       ) -> dict[str, Any]:
    from pipeline.errors import StoreError

    inject("throttled")
    first = connector.read_products(["gid://shopify/Product/1001"])      # THROTTLED, then answered
    inject("429")
    second = connector.shop_locales()                                    # HTTP 429 Retry-After, then answered
    inject("503")
    try:
        connector.shop_locales()                                         # HTTP 503 until retries run out
        error = None
    except StoreError as exc:
        error = str(exc)
    return {"first": first, "second": second, "error": error, "stats": connector.client.stats}


def client_credentials_scenario(connector: Any, workdir: Path) -> dict[str, Any]:
    return {"locales": connector.shop_locales(), "grants": connector.client.token.grants}


SCENARIOS: dict[str, tuple[Callable[..., dict[str, Any]], dict[str, Any]]] = {
    "pull": (pull_scenario, {}),
    "pull_failed": (pull_failed_scenario, {}),
    "push": (push_scenario, {}),
    "redirects": (redirects_scenario, {}),
    "throttled": (throttled_scenario, {"max_attempts": 3}),
    "client_credentials": (client_credentials_scenario, {}),
}


def _prepare(name: str, shop: Any) -> None:
    from tests.fakes.shopify_server import digest, make_product

    shop.add_products([make_product(1, seo={"title": "Cotton tee", "description": None}),
                       make_product(2, variants=1, collections=("sale", "summer")), make_product(3, status="DRAFT")])
    if name == "pull":
        shop.translations[("gid://shopify/Product/1001", "fr", "title")] = {
            "value": "T-shirt en coton", "digest": digest("Product 1"), "updatedAt": "2026-02-03T08:00:00Z"}
    elif name == "pull_failed":
        shop.fail_next_bulk("ACCESS_DENIED")


def record(names: list[str]) -> None:
    sys.path.insert(0, str(HERE.parents[2]))
    from pipeline.shopify.auth import credentials_from_env
    from pipeline.shopify.connector import build_connector
    from tests.fakes.shopify_server import FakeShopify

    for name in names:
        scenario, options = SCENARIOS[name]
        client_credentials = name == "client_credentials"
        double = FakeShopify(locales=("en", "fr"), bulk_polls=3, shop="seo-pipeline-dev",
                             access_token=None if client_credentials else "shpat_recording_only_0000",
                             client_id="recording-client-id" if client_credentials else None,
                             client_secret="shpss_recording_secret" if client_credentials else None)
        with double as shop:
            _prepare(name, shop)
            (HERE / f"{name}.yaml").unlink(missing_ok=True)
            connector = build_connector(credentials_from_env(shop.env(client_credentials=client_credentials)),
                                        {"poll_first_s": 0.01, **options}, sleep=lambda s: None)
            with shopify_vcr(shop.url, record_mode="all").use_cassette(f"{name}.yaml"), \
                    tempfile.TemporaryDirectory() as workdir:
                if name == "throttled":
                    faults = {"throttled": lambda: shop.throttle_next(1),
                              "429": lambda: shop.fail_next(429, retry_after="1.0"),
                              "503": lambda: shop.fail_next(503, times=3)}
                    scenario(connector, Path(workdir), inject=lambda step, faults=faults: faults[step]())
                else:
                    scenario(connector, Path(workdir))
        print(f"recorded {HERE / (name + '.yaml')}")


if __name__ == "__main__":
    record(sys.argv[1:] or list(SCENARIOS))
