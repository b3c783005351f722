"""A test double of Shopify's Admin GraphQL API (version 2026-01), for tests, cassette recording and benchmarks.

    with FakeShopify(bucket_size=1000, restore_rate=50) as shop:
        shop.add_products([make_product(1), make_product(2)])
        shop.add_collections([make_collection("linen", rules=[("TAG", "EQUALS", "linen")])])
        env = shop.env()          # SHOPIFY_STORE, SHOPIFY_ACCESS_TOKEN, SHOPIFY_API_URL=http://127.0.0.1:PORT

It answers over plain HTTP on 127.0.0.1 (`http.server`, a bounded number of worker threads; it shuts itself
down after `lifetime_s`). Every GraphQL document is validated against the 2026-01 schema kept in
tests/contracts/shopify/ (the part of Shopify's schema our documents use), answered in the selection's shape
(aliases, fragments, `__typename`), and charged to a cost bucket (`bucket_size`, `restore_rate`) reported in
`extensions.cost` exactly as Shopify does; a request the bucket cannot pay gets Shopify's THROTTLED answer.
Bulk queries and mutations go through CREATED -> RUNNING -> COMPLETED over `bulk_polls` polls, with JSONL
results served from /files/ (child lines shuffled among their parents, as `groupObjects: false` allows;
mutation results carry `__lineNumber`, out of order). Writes bump `updatedAt`. `urlRedirects` searches by
`path:`/`target:`; `lag_search_next` hides redirects from the next searches, as Shopify's search index can
trail a fresh write. Faults are injected with `fail_next`, `throttle_next`, `error_next`, `stall_next`,
`drop_next` and `fail_next_bulk`. Any API version in the URL is answered alike and recorded in
`versions_requested`; `publicApiVersions` lists `api_versions` ((handle, supported) pairs; by default 2026-01
to 2026-10 supported, 2027-01 as release candidate, and unstable). Collections: those added with
`add_collections` (custom or smart, with copy, SEO fields, rules; translations in `translations` under their id),
and a custom one for every collection a product names that was not added; a bulk `collections` query answers
them, one line each (membership is the products' `collections`, as the product query reads it). The added ones
answer `nodes`, `translatableResourcesByIds`, translationsRegister/Remove, collectionUpdate and collectionDelete;
collectionCreate adds one (unpublished unless `publications` is given: `published` in its record).
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import shutil
import tempfile
import threading
import time
import uuid
import zlib
from collections import deque
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from graphql import OperationDefinitionNode, parse, validate
from graphql.utilities import value_from_ast_untyped

from tests.fakes.shopify_graphql import (
    Selection,
    connection_node,
    dumps,
    fields_of,
    find_operation,
    matches_search,
    mutation_cost,
    object_cost,
    select,
)
from tests.fakes.shopify_http import API_VERSION, Handler, Server

# The types and fields of Shopify's Admin schema that our documents use, extracted by extract.py beside it.
SCHEMA_PATH = Path(__file__).resolve().parents[1] / "contracts" / "shopify" / \
    f"admin_schema_{API_VERSION}_subset.graphql"
# publicApiVersions as Shopify answered it in December 2026: four stable versions, a release candidate, unstable
API_VERSIONS = (("2026-01", True), ("2026-04", True), ("2026-07", True), ("2026-10", True), ("2027-01", False),
                ("unstable", False))
MAX_QUERY_COST = 1000
TRANSLATABLE_KEYS = ("title", "body_html", "handle", "product_type", "meta_title", "meta_description")
HANDLE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# one `name:value` term of Shopify's search syntax; the value bare, or quoted with backslash escapes
SEARCH_TERM = re.compile(r"""(\w+):("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|(?:[^\s\\]|\\.)+)""")
LANGUAGES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "nl": "Dutch",
             "pt": "Portuguese", "sv": "Swedish", "da": "Danish", "pl": "Polish", "ja": "Japanese"}
_SCHEMA: dict[str, Any] = {}
_SCHEMA_LOCK = threading.Lock()


def admin_schema():
    """The 2026-01 Admin schema as far as our documents use it (built once per process), or None if it is absent."""
    with _SCHEMA_LOCK:
        if "schema" not in _SCHEMA:
            from graphql import build_schema

            # assume_valid: Shopify's own SDL has deprecation mismatches that graphql-core 3.3 rejects.
            _SCHEMA["schema"] = build_schema(SCHEMA_PATH.read_text(encoding="utf-8"), assume_valid=True) \
                if SCHEMA_PATH.exists() else None
        return _SCHEMA["schema"]


def digest(value: str | None) -> str | None:
    return None if value is None else hashlib.sha256(value.encode("utf-8")).hexdigest()


def make_product(n: int, *, variants: int = 2, collections: tuple[str, ...] = ("all-products",),
                 **fields: Any) -> dict[str, Any]:
    """A product in the Admin API's field names, with `variants` variants (Size option) and collections."""
    sizes = ["S", "M", "L", "XL", "XXL"]
    product = {
        "id": f"gid://shopify/Product/{1000 + n}", "handle": f"product-{n}", "title": f"Product {n}",
        "descriptionHtml": f"<p>Description of product {n}.</p>", "vendor": "Acme", "productType": "Shirt",
        "category": {"fullName": "Apparel & Accessories > Clothing > Shirts"}, "tags": ["cotton", f"tag-{n % 7}"],
        "status": "ACTIVE", "publishedAt": "2026-01-05T10:00:00Z", "updatedAt": "2026-02-01T12:00:00Z",
        "seo": {"title": None, "description": None}, "options": [{"name": "Size"}],
        "featuredMedia": {"alt": f"Product {n} photo",
                          "preview": {"image": {"url": f"https://cdn.shopify.com/s/files/1/0001/files/product-{n}.jpg"}}},
        "variants": [{"id": f"gid://shopify/ProductVariant/{100000 + n * 10 + i}", "position": i + 1,
                      "sku": f"SKU-{n}-{sizes[i % 5]}", "price": f"{19 + i}.00", "compareAtPrice": None,
                      "barcode": None, "inventoryQuantity": 5 + i,
                      "selectedOptions": [{"name": "Size", "value": sizes[i % 5]}]} for i in range(variants)],
        "collections": [{"id": f"gid://shopify/Collection/{zlib.crc32(h.encode()) % 10**9}", "handle": h,
                         "title": h.title()} for h in collections],
    }
    product.update(fields)
    return product


def collection_gid(handle: str) -> str:
    """The id make_product gives a product's collection of this handle, so make_collection's matches it."""
    return f"gid://shopify/Collection/{zlib.crc32(handle.encode()) % 10**9}"


def make_collection(handle: str, *, title: str | None = None, rules: Any = (), disjunctive: bool = False,
                    description: str = "", seo_title: str | None = None, seo_description: str | None = None,
                    **fields: Any) -> dict[str, Any]:
    """A collection in the Admin API's field names: smart when `rules` ((column, relation, condition) triples,
    Shopify's enums) are given, else custom."""
    collection = {
        "id": collection_gid(handle), "handle": handle, "title": title or handle.replace("-", " ").title(),
        "descriptionHtml": description, "updatedAt": "2026-02-01T12:00:00Z",
        "seo": {"title": seo_title, "description": seo_description},
        "ruleSet": {"appliedDisjunctively": disjunctive,
                    "rules": [{"column": c, "relation": r, "condition": v} for c, r, v in rules]} if rules else None,
    }
    collection.update(fields)
    return collection


class FakeShopify:
    def __init__(self, *, bucket_size: float = 2000.0, restore_rate: float = 100.0,
                 access_token: str | None = "shpat_double_0123456789abcdef", client_id: str | None = None,
                 client_secret: str | None = None, token_lifetime_s: int = 86399,
                 locales: tuple[str, ...] = ("en", "fr"),
                 bulk_polls: int = 2, shuffle: bool = True, seed: int = 7, max_workers: int = 16,
                 lifetime_s: float = 900.0, validate_documents: bool = True, shop: str = "double-store",
                 api_versions: tuple[tuple[str, bool], ...] = API_VERSIONS):
        self.bucket_size, self.restore_rate = float(bucket_size), float(restore_rate)
        self.available, self._refilled_at = float(bucket_size), time.monotonic()
        self.static_token, self.client_id, self.client_secret = access_token, client_id, client_secret
        self.token_lifetime_s = token_lifetime_s
        self.minted: dict[str, float] = {}
        self.locales, self.shop = list(locales), shop
        self.bulk_polls, self.shuffle, self.random = bulk_polls, shuffle, random.Random(seed)
        self.validate_documents, self.lifetime_s = validate_documents, lifetime_s
        self.api_versions = api_versions
        self.versions_requested: list[str] = []  # the API version of every GraphQL request, in order
        self.products: dict[str, dict[str, Any]] = {}
        self.collections: dict[str, dict[str, Any]] = {}
        self.translations: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.redirects: dict[str, dict[str, str]] = {}
        self._redirect_ids = 0  # ids are never reused, as on Shopify, even after a delete
        self._collection_ids = 0  # (the same for collections push creates)
        self._lagging_searches = 0
        self.operations: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, bytes] = {}
        self.files = Path(tempfile.mkdtemp(prefix="fake-shopify-"))
        self.log: list[dict[str, Any]] = []
        self.throttled_responses = 0
        self._faults: deque[dict[str, Any]] = deque()
        self._bulk_faults: deque[dict[str, Any]] = deque()
        self._prepared_result: tuple[Path, int, int] | None = None
        self._served: dict[str, Path] = {}
        self._clock_ms = int(datetime(2026, 3, 1, tzinfo=UTC).timestamp() * 1000)
        self._lock = threading.RLock()
        self._validated: set[str] = set()
        self._server = Server(("127.0.0.1", 0), Handler, max_workers)
        self._server.double = self
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-shopify", daemon=True)
        self._stopper = threading.Timer(lifetime_s, self.stop)
        self._stopper.daemon = True

    # -- lifecycle ------------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeShopify:
        if self.validate_documents:
            admin_schema()
        self._thread.start()
        self._stopper.start()
        return self

    def stop(self) -> None:
        self._stopper.cancel()
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()
        shutil.rmtree(self.files, ignore_errors=True)

    def __enter__(self) -> FakeShopify:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def env(self, *, client_credentials: bool = False) -> dict[str, str]:
        env = {"SHOPIFY_STORE": f"{self.shop}.myshopify.com", "SHOPIFY_API_URL": self.url}
        if client_credentials:
            env |= {"SHOPIFY_CLIENT_ID": self.client_id or "", "SHOPIFY_CLIENT_SECRET": self.client_secret or ""}
        else:
            env["SHOPIFY_ACCESS_TOKEN"] = self.static_token or ""
        return env

    # -- data and faults --------------------------------------------------------------------------------------
    def add_products(self, products: list[dict[str, Any]]) -> None:
        with self._lock:
            for product in products:
                self.products[product["id"]] = product

    def add_collections(self, collections: list[dict[str, Any]]) -> None:
        with self._lock:
            for collection in collections:
                self.collections[collection["id"]] = collection

    def all_collections(self) -> list[dict[str, Any]]:
        """The added collections, then a custom one for each collection a product names that was not added."""
        found = dict(self.collections)
        for product in self.products.values():
            for item in product.get("collections") or []:
                if item["id"] not in found:
                    found[item["id"]] = make_collection(item["handle"], title=item.get("title"), id=item["id"])
        return list(found.values())

    def serve_bulk_result(self, path: Path, objects: int, roots: int) -> None:
        """Answer the next bulk query with this prepared JSONL file instead of generating one (benchmarks)."""
        self._prepared_result = (Path(path), objects, roots)

    def prepare_bulk_result(self, query: str, destination: Path) -> tuple[int, int]:
        """Write now the JSONL this bulk query would give, and serve it next; return (objects, roots)."""
        lines, roots = self._bulk_query_lines(parse(query))
        with open(destination, "w", encoding="utf-8") as handle:
            for line in lines:
                handle.write(line + "\n")
        self.serve_bulk_result(destination, len(lines), roots)
        return len(lines), roots

    def fail_next(self, status: int, *, times: int = 1, retry_after: str | None = None) -> None:
        self._faults.extend({"kind": "http", "status": status, "retry_after": retry_after} for _ in range(times))

    def throttle_next(self, times: int = 1) -> None:
        self._faults.extend({"kind": "throttled"} for _ in range(times))

    def error_next(self, code: str, message: str) -> None:
        self._faults.append({"kind": "error", "code": code, "message": message})

    def stall_next(self, seconds: float) -> None:
        """Answer the next request only after `seconds` (a hung connection, for timeout tests)."""
        self._faults.append({"kind": "stall", "seconds": seconds})

    def drop_next(self, times: int = 1) -> None:
        """Close the next connections without answering (a network failure)."""
        self._faults.extend({"kind": "drop"} for _ in range(times))

    def lag_search_next(self, times: int = 1) -> None:
        """The next `times` urlRedirects searches find nothing (the search index has not caught up yet)."""
        self._lagging_searches += times

    def fail_next_bulk(self, error_code: str = "ACCESS_DENIED", status: str = "FAILED") -> None:
        self._bulk_faults.append({"status": status, "errorCode": error_code})

    def expire_tokens(self) -> None:
        with self._lock:
            self.minted = {token: 0.0 for token in self.minted}

    def now(self) -> str:
        """A timestamp that moves forward on every call, so every write gets a new updatedAt."""
        with self._lock:
            self._clock_ms += 1000
            moment = datetime.fromtimestamp(self._clock_ms / 1000, UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    # -- HTTP entry points (called by _Handler) -----------------------------------------------------------------
    def authorised(self, token: str | None) -> bool:
        if token and token == self.static_token:
            return True
        return bool(token) and self.minted.get(token, 0.0) > time.time()

    def token_grant(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if (form.get("grant_type") != "client_credentials" or not self.client_id
                or form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret):
            return 400, {"error": "invalid_client", "error_description": "Client authentication failed due to "
                         "unknown client, no client authentication included, or unsupported authentication method."}
        token = f"shpat_minted_{uuid.uuid4().hex}"
        with self._lock:
            self.minted[token] = time.time() + self.token_lifetime_s
        return 200, {"access_token": token, "scope": "read_products,write_products,read_translations,"
                     "write_translations,read_locales,write_online_store_navigation",
                     "expires_in": self.token_lifetime_s}

    def next_fault(self) -> dict[str, Any] | None:
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def graphql(self, request: dict[str, Any], fault: dict[str, Any] | None) -> dict[str, Any]:
        query, variables = request.get("query") or "", request.get("variables") or {}
        try:
            document = parse(query)
        except Exception as exc:  # noqa: BLE001 - any parse failure is the client's error
            return {"errors": [{"message": str(exc).split("\n")[0], "extensions": {"code": "parseError"}}]}
        problems = self._validate(query, document)
        if problems:
            return {"errors": problems}
        operation = find_operation(document, request.get("operationName"))
        fragments = {d.name.value: d for d in document.definitions if hasattr(d, "type_condition")
                     and not isinstance(d, OperationDefinitionNode)}
        cost = mutation_cost(operation) if operation.operation.value == "mutation" else \
            max(1, object_cost(operation.selection_set, variables) - 1)
        entry = {"operation": request.get("operationName"), "cost": cost, "throttled": False}
        self.log.append(entry)
        if cost > MAX_QUERY_COST:
            return {"errors": [{"message": f"Query cost is {cost}, which exceeds the single query max cost limit "
                                f"({MAX_QUERY_COST}).", "extensions": {"code": "MAX_COST_EXCEEDED", "cost": cost,
                                                                       "maxCost": MAX_QUERY_COST}}]}
        with self._lock:
            now = time.monotonic()
            self.available = min(self.bucket_size, self.available + (now - self._refilled_at) * self.restore_rate)
            self._refilled_at = now
            throttled = (fault or {}).get("kind") == "throttled" or self.available < cost
            if not throttled:
                self.available -= cost
            status = {"maximumAvailable": self.bucket_size, "currentlyAvailable": int(self.available),
                      "restoreRate": self.restore_rate}
        if throttled:
            entry["throttled"] = True
            self.throttled_responses += 1
            return {"errors": [{"message": "Throttled", "extensions": {
                "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
                "extensions": {"cost": {"requestedQueryCost": cost, "actualQueryCost": None,
                                        "throttleStatus": status}}}
        extensions = {"cost": {"requestedQueryCost": cost, "actualQueryCost": cost, "throttleStatus": status}}
        if fault and fault["kind"] == "error":
            return {"errors": [{"message": fault["message"], "extensions": {"code": fault["code"]}}],
                    "extensions": extensions}
        with self._lock:
            root = self._query_root() if operation.operation.value == "query" else self._mutation_root()
            data = select(root, operation.selection_set, variables, fragments)
        return {"data": data, "extensions": extensions}

    def _validate(self, query: str, document: Any) -> list[dict[str, Any]]:
        schema = admin_schema() if self.validate_documents else None
        if schema is None or query in self._validated:
            return []
        errors = validate(schema, document)
        if not errors:
            self._validated.add(query)
        return [{"message": e.message, "locations": [{"line": loc.line, "column": loc.column}
                                                     for loc in e.locations or []],
                 "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}} for e in errors]

    def file_path(self, name: str) -> Path | None:
        if name in self._served:
            return self._served[name]
        path = self.files / name
        return path if path.is_file() and path.parent == self.files else None

    def staged_upload(self, fields: dict[str, bytes]) -> int:
        key = fields.get("key", b"").decode()
        if not key or "file" not in fields or fields.get("policy") is None:
            return 400
        with self._lock:
            self.uploads[key] = fields["file"]
        return 201

    # -- GraphQL roots ------------------------------------------------------------------------------------------
    def _query_root(self) -> dict[str, Any]:
        return {
            "bulkOperation": lambda a: self._operation_view(a["id"]),
            "nodes": lambda a: [self._product_view(self.products[i]) if i in self.products else
                                self._collection_view(self.collections[i]) if i in self.collections else None
                                for i in a["ids"]],
            "shopLocales": lambda a: [{"locale": code, "name": LANGUAGES.get(code, code), "primary": i == 0,
                                       "published": True,
                                       "marketWebPresences": []} for i, code in enumerate(self.locales)],
            "translatableResources": lambda a: self._translatable(list(self.products), a),
            "translatableResourcesByIds": lambda a: self._translatable(
                [i for i in a["resourceIds"] if i in self.products or i in self.collections], a),
            "urlRedirects": lambda a: self._redirects_found(a),
            "publicApiVersions": lambda a: self._public_api_versions(),
        }

    def _public_api_versions(self) -> list[dict[str, Any]]:
        stable = [h for h, ok in self.api_versions if ok and h != "unstable"]
        latest = max(stable) if stable else None
        names = {h: h + (" (Latest)" if h == latest else "" if ok or h == "unstable" else " (Release candidate)")
                 for h, ok in self.api_versions}
        return [{"handle": h, "displayName": names[h], "supported": ok} for h, ok in self.api_versions]

    def _mutation_root(self) -> dict[str, Any]:
        return {
            "productUpdate": lambda a: self._product_update(a.get("product") or {}),
            "translationsRegister": lambda a: self._translations_register(a["resourceId"], a["translations"]),
            "urlRedirectCreate": lambda a: self._redirect_create(a["urlRedirect"]),
            "urlRedirectDelete": lambda a: self._redirect_delete(a["id"]),
            "translationsRemove": lambda a: self._translations_remove(a["resourceId"], a["translationKeys"],
                                                                      a["locales"]),
            "bulkOperationRunQuery": lambda a: self._run_bulk_query(a["query"]),
            "bulkOperationRunMutation": lambda a: self._run_bulk_mutation(a["mutation"], a["stagedUploadPath"]),
            "stagedUploadsCreate": lambda a: self._staged_uploads_create(a["input"]),
            "collectionUpdate": lambda a: self._collection_update(a["input"]),
            "collectionCreate": lambda a: self._collection_create(a["input"]),
            "collectionDelete": lambda a: self._collection_delete(a["input"]["id"]),
        }

    def _product_view(self, product: dict[str, Any]) -> dict[str, Any]:
        view = dict(product, __typename="Product")
        for name in ("variants", "collections"):
            nodes = product.get(name) or []
            view[name] = {"edges": [{"node": n} for n in nodes], "nodes": nodes,
                          "pageInfo": {"hasNextPage": False, "endCursor": None}}
        return view

    def _collection_view(self, collection: dict[str, Any]) -> dict[str, Any]:
        seo = collection.get("seo") or {}
        content = {"title": collection.get("title"), "body_html": collection.get("descriptionHtml"),
                   "handle": collection.get("handle"), "meta_title": seo.get("title"),
                   "meta_description": seo.get("description")}

        def translations(args: dict[str, Any]) -> list[dict[str, Any]]:
            out = []
            for key, value in content.items():
                saved = self.translations.get((collection["id"], args["locale"], key))
                if saved and value is not None:
                    out.append({"key": key, "locale": args["locale"], "value": saved["value"],
                                "outdated": saved["digest"] != digest(value), "updatedAt": saved["updatedAt"],
                                "market": None})
            return out

        return dict(collection, __typename="Collection", translations=translations)

    def _content(self, product: dict[str, Any]) -> dict[str, str]:
        seo = product.get("seo") or {}
        content = {"title": product.get("title"), "body_html": product.get("descriptionHtml"),
                   "handle": product.get("handle"), "product_type": product.get("productType"),
                   "meta_title": seo.get("title"), "meta_description": seo.get("description")}
        return {k: v for k, v in content.items() if v is not None}

    def _translatable(self, ids: list[str], args: dict[str, Any]) -> dict[str, Any]:
        if args.get("resourceType", "PRODUCT") != "PRODUCT":
            ids = []
        start = int(base64.b64decode(args["after"]).decode()) + 1 if args.get("after") else 0
        page = ids[start:start + int(args.get("first") or 10)]
        nodes = [self._resource_view(self.products.get(i) or self.collections[i]) for i in page]
        end = start + len(page) - 1
        cursor = base64.b64encode(str(end).encode()).decode() if page else None
        return {"nodes": nodes, "edges": [{"node": n, "cursor": cursor} for n in nodes],
                "pageInfo": {"hasNextPage": start + len(page) < len(ids), "endCursor": cursor,
                             "hasPreviousPage": start > 0, "startCursor": None}}

    def _resource_view(self, product: dict[str, Any]) -> dict[str, Any]:
        content = self._content(product)
        primary = self.locales[0]

        def translations(args: dict[str, Any]) -> list[dict[str, Any]]:
            out = []
            for key in TRANSLATABLE_KEYS:
                saved = self.translations.get((product["id"], args["locale"], key))
                if saved:
                    out.append({"key": key, "locale": args["locale"], "value": saved["value"],
                                "outdated": saved["digest"] != digest(content.get(key)),
                                "updatedAt": saved["updatedAt"], "market": None})
            return out

        return {"resourceId": product["id"], "translations": translations,
                "translatableContent": [{"key": k, "value": v, "digest": digest(v), "locale": primary,
                                         "type": "HTML" if k == "body_html" else "SINGLE_LINE_TEXT_FIELD"}
                                        for k, v in content.items()]}

    def _product_update(self, changes: dict[str, Any]) -> dict[str, Any]:
        product = self.products.get(changes.get("id", ""))
        if product is None:
            return {"product": None, "userErrors": [{"field": ["id"], "message": "Product does not exist"}]}
        errors = []
        if "title" in changes and not (changes["title"] or "").strip():
            errors.append({"field": ["title"], "message": "Title can't be blank"})
        handle = changes.get("handle")
        if handle is not None and not HANDLE.match(handle):
            errors.append({"field": ["handle"], "message": "Handle is invalid"})
        elif handle and any(p["handle"] == handle and p["id"] != product["id"] for p in self.products.values()):
            errors.append({"field": ["handle"],
                           "message": f"Handle '{handle}' already in use. Please provide a new handle."})
        if errors:
            return {"product": None, "userErrors": errors}
        old_handle = product["handle"]
        for ours, theirs in (("title", "title"), ("descriptionHtml", "descriptionHtml"), ("handle", "handle")):
            if changes.get(ours) is not None:
                product[theirs] = changes[ours]
        if changes.get("seo"):  # SEO fields are metafields (global.title_tag, ...): an empty value removes one
            product["seo"] = {**(product.get("seo") or {}), **{k: v or None for k, v in changes["seo"].items()}}
        if changes.get("redirectNewHandle") and product["handle"] != old_handle:
            self._redirect_create({"path": f"/products/{old_handle}", "target": f"/products/{product['handle']}"})
        product["updatedAt"] = self.now()
        return {"product": self._product_view(product), "userErrors": []}

    def _translations_register(self, resource_id: str, inputs: list[dict[str, Any]]) -> dict[str, Any]:
        product = self.products.get(resource_id) or self.collections.get(resource_id)
        if product is None:
            return {"translations": None, "userErrors": [{"field": ["resourceId"], "message":
                    f"Resource {resource_id} does not exist", "code": "RESOURCE_NOT_FOUND"}]}
        content, errors = self._content(product), []
        for i, item in enumerate(inputs):
            where = ["translations", str(i)]
            if item["locale"] not in self.locales[1:]:
                errors.append({"field": [*where, "locale"], "message": f"Locale {item['locale']} is not enabled "
                               "for this shop", "code": "INVALID_LOCALE_FOR_SHOP"})
            elif item["key"] not in content:
                errors.append({"field": [*where, "key"], "message": f"Key {item['key']} is not a valid "
                               "translatable field", "code": "INVALID_KEY_FOR_MODEL"})
            elif item["translatableContentDigest"] != digest(content[item["key"]]):
                errors.append({"field": [*where, "translatableContentDigest"],
                               "message": "Translatable content hash is invalid",
                               "code": "INVALID_TRANSLATABLE_CONTENT"})
        if errors:
            return {"translations": None, "userErrors": errors}
        saved = []
        for item in inputs:
            record = {"value": item["value"], "digest": item["translatableContentDigest"], "updatedAt": self.now()}
            self.translations[(resource_id, item["locale"], item["key"])] = record
            saved.append({"key": item["key"], "locale": item["locale"], "value": item["value"], "outdated": False,
                          "updatedAt": record["updatedAt"], "market": None})
        return {"translations": saved, "userErrors": []}

    # -- collections (what push and rollback write; a collection's translatable content is read like a product's)
    def _collection_errors(self, changes: dict[str, Any], own_id: str | None) -> list[dict[str, Any]]:
        errors = []
        if "title" in changes and not (changes["title"] or "").strip():
            errors.append({"field": ["input", "title"], "message": "Title can't be blank"})
        handle = changes.get("handle")
        if handle is not None and not HANDLE.match(handle):
            errors.append({"field": ["input", "handle"], "message": "Handle is invalid"})
        elif handle and any(c["handle"] == handle and c["id"] != own_id for c in self.all_collections()):
            errors.append({"field": ["input", "handle"], "message": f"Handle '{handle}' has already been taken"})
        return errors

    def _apply_collection(self, collection: dict[str, Any], changes: dict[str, Any]) -> None:
        for name in ("title", "descriptionHtml", "handle", "ruleSet"):
            if changes.get(name) is not None:
                collection[name] = changes[name]
        if changes.get("seo"):  # as for products: an empty SEO value removes the field
            collection["seo"] = {**(collection.get("seo") or {}), **{k: v or None for k, v in changes["seo"].items()}}
        collection["updatedAt"] = self.now()

    def _collection_update(self, changes: dict[str, Any]) -> dict[str, Any]:
        collection = self.collections.get(changes.get("id") or "")
        if collection is None:
            return {"collection": None, "job": None,
                    "userErrors": [{"field": ["input", "id"], "message": "Collection does not exist"}]}
        errors = self._collection_errors(changes, collection["id"])
        if changes.get("ruleSet") is not None and collection.get("ruleSet") is None:
            errors.append({"field": ["input", "ruleSet"], "message": "A custom collection cannot get rules"})
        if errors:
            return {"collection": None, "job": None, "userErrors": errors}
        old_handle = collection["handle"]
        self._apply_collection(collection, changes)
        if changes.get("redirectNewHandle") and collection["handle"] != old_handle:
            self._redirect_create({"path": f"/collections/{old_handle}",
                                   "target": f"/collections/{collection['handle']}"})
        return {"collection": self._collection_view(collection), "job": None, "userErrors": []}

    def _collection_create(self, changes: dict[str, Any]) -> dict[str, Any]:
        errors = self._collection_errors({"title": changes.get("title") or "", **changes}, None)
        if changes.get("id"):
            errors.append({"field": ["input", "id"], "message": "An id cannot be given to a new collection"})
        if errors:
            return {"collection": None, "userErrors": errors}
        self._collection_ids += 1
        collection = make_collection(changes.get("handle") or "", published=bool(changes.get("publications")),
                                     id=f"gid://shopify/Collection/9{self._collection_ids:08d}")
        self._apply_collection(collection, changes)
        self.collections[collection["id"]] = collection
        return {"collection": self._collection_view(collection), "userErrors": []}

    def _collection_delete(self, collection_id: str) -> dict[str, Any]:
        if collection_id not in self.collections:
            return {"deletedCollectionId": None, "shop": {},
                    "userErrors": [{"field": ["id"], "message": "Collection does not exist"}]}
        del self.collections[collection_id]
        for key in [k for k in self.translations if k[0] == collection_id]:  # its translations go with it
            del self.translations[key]
        return {"deletedCollectionId": collection_id, "shop": {}, "userErrors": []}

    def _redirect_create(self, redirect: dict[str, Any]) -> dict[str, Any]:
        path, target = redirect.get("path") or "", redirect.get("target") or ""
        errors = []
        if not path.startswith("/"):
            errors.append({"field": ["urlRedirect", "path"], "message": "Path can't be blank", "code": "CREATE_FAILED"})
        elif path in self.redirects:
            errors.append({"field": ["urlRedirect", "path"], "message": "Path has already been taken",
                           "code": "CREATE_FAILED"})
        if not target:
            errors.append({"field": ["urlRedirect", "target"], "message": "Target can't be blank",
                           "code": "CREATE_FAILED"})
        elif target == path:
            errors.append({"field": ["urlRedirect", "target"], "message": "Target cannot be the same as path",
                           "code": "CREATE_FAILED"})
        if errors:
            return {"urlRedirect": None, "userErrors": errors}
        self._redirect_ids += 1
        record = {"id": f"gid://shopify/UrlRedirect/{self._redirect_ids}", "path": path, "target": target}
        self.redirects[path] = record
        return {"urlRedirect": record, "userErrors": []}

    def _redirects_found(self, args: dict[str, Any]) -> dict[str, Any]:
        """urlRedirects(first:, after:, query:): a page of the redirects matching every `path:`/`target:` term
        (equality on the unescaped value), in id order, as a connection with edges, nodes and pageInfo."""
        terms = [(name, _unquoted(value)) for name, value in SEARCH_TERM.findall(args.get("query") or "")]
        found = sorted((r for r in self.redirects.values() if all(r.get(name) == value for name, value in terms)),
                       key=lambda r: int(r["id"].rsplit("/", 1)[1]))
        if self._lagging_searches:
            self._lagging_searches -= 1
            found = []
        start = int(base64.b64decode(args["after"]).decode()) + 1 if args.get("after") else 0
        page = found[start:start + int(args.get("first") or 0)]
        cursors = [base64.b64encode(str(start + i).encode()).decode() for i in range(len(page))]
        return {"nodes": page, "edges": [{"node": r, "cursor": c} for r, c in zip(page, cursors, strict=True)],
                "pageInfo": {"hasNextPage": start + len(page) < len(found), "hasPreviousPage": start > 0,
                             "startCursor": cursors[0] if cursors else None,
                             "endCursor": cursors[-1] if cursors else None}}

    def _redirect_delete(self, redirect_id: str) -> dict[str, Any]:
        path = next((p for p, r in self.redirects.items() if r["id"] == redirect_id), None)
        if path is None:
            return {"deletedUrlRedirectId": None, "userErrors": [
                {"field": ["id"], "message": "Redirect does not exist", "code": "DOES_NOT_EXIST"}]}
        del self.redirects[path]
        return {"deletedUrlRedirectId": redirect_id, "userErrors": []}

    def _translations_remove(self, resource_id: str, keys: list[str], locales: list[str]) -> dict[str, Any]:
        if resource_id not in self.products and resource_id not in self.collections:
            return {"translations": None, "userErrors": [{"field": ["resourceId"], "message":
                    f"Resource {resource_id} does not exist", "code": "RESOURCE_NOT_FOUND"}]}
        removed = [{"key": k, "locale": x, **self.translations.pop((resource_id, x, k))}
                   for x in locales for k in keys if (resource_id, x, k) in self.translations]
        return {"translations": removed, "userErrors": []}

    # -- bulk operations -----------------------------------------------------------------------------------------
    def _new_operation(self, kind: str, query: str) -> dict[str, Any]:
        running = [o for o in self.operations.values() if o["type"] == kind and o["status"] not in
                   ("COMPLETED", "FAILED", "CANCELED", "EXPIRED")]
        if len(running) >= 5:
            return {"error": {"field": None, "message": f"A bulk {kind.lower()} operation for this app and shop is "
                              "already in progress", "code": "OPERATION_IN_PROGRESS"}}
        number = len(self.operations) + 1
        operation = {"id": f"gid://shopify/BulkOperation/{number}", "type": kind, "status": "CREATED", "polls": 0,
                     "query": query, "createdAt": self.now(), "completedAt": None, "errorCode": None,
                     "file": None, "objects": 0, "roots": 0, "fault": self._bulk_faults.popleft()
                     if self._bulk_faults else None}
        self.operations[operation["id"]] = operation
        return operation

    def _operation_view(self, operation_id: str) -> dict[str, Any] | None:
        operation = self.operations.get(operation_id)
        if operation is None:
            return None
        operation["polls"] += 1
        if operation["status"] in ("CREATED", "RUNNING"):
            done = operation["polls"] >= self.bulk_polls
            operation["status"] = "RUNNING" if not done else (operation["fault"] or {}).get("status", "COMPLETED")
            if done:
                operation["completedAt"] = self.now()
                operation["errorCode"] = (operation["fault"] or {}).get("errorCode")
        finished = operation["status"] == "COMPLETED"
        file = operation["file"] if finished else None
        return {"id": operation["id"], "type": operation["type"], "status": operation["status"],
                "errorCode": operation["errorCode"], "createdAt": operation["createdAt"],
                "completedAt": operation["completedAt"], "query": operation["query"],
                "objectCount": str(operation["objects"] if finished else operation["objects"] // 2),
                "rootObjectCount": str(operation["roots"] if finished else operation["roots"] // 2),
                "fileSize": str(file.stat().st_size) if file else None,
                "url": f"{self.url}/files/{file.name}" if file else None, "partialDataUrl": None}

    def _started(self, operation: dict[str, Any]) -> dict[str, Any]:
        if "error" in operation:
            return {"bulkOperation": None, "userErrors": [operation["error"]]}
        return {"bulkOperation": {k: operation[k] for k in ("id", "status", "type", "createdAt", "query")},
                "userErrors": []}

    def _run_bulk_query(self, query: str) -> dict[str, Any]:
        problems = self._validate(query, parse(query))
        if problems:
            return {"bulkOperation": None, "userErrors": [{"field": ["query"], "message": problems[0]["message"],
                                                           "code": "INVALID"}]}
        operation = self._new_operation("QUERY", query)
        if "error" in operation:
            return self._started(operation)
        if self._prepared_result:
            path, operation["objects"], operation["roots"] = self._prepared_result
            self._prepared_result = None
            self._served[path.name] = path
            operation["file"] = path
        else:
            lines, operation["roots"] = self._bulk_query_lines(parse(query))
            operation["objects"] = len(lines)
            operation["file"] = self._write_lines(lines) if lines else None
        return self._started(operation)

    def _bulk_query_lines(self, document: Any) -> tuple[list[str], int]:
        root = fields_of(find_operation(document, None).selection_set)[0]
        filters = value_from_ast_untyped(next((a.value for a in root.arguments if a.name.value == "query"), None)
                                         ) if root.arguments else None
        node_selection = connection_node(root)
        if root.name.value == "collections":  # (raw, view): children come from the raw object's lists
            roots = [(c, self._collection_view(c)) for c in self.all_collections()]
        else:
            roots = [(p, self._product_view(p)) for p in self.products.values() if matches_search(p, filters or "")]
        connections = [f for f in fields_of(node_selection) if f.selection_set and connection_node(f) is not None]
        plain = [s for s in node_selection.selections if all(s is not c for c in connections)]
        lines = []
        for raw, view in roots:
            lines.append(dumps(select(view, Selection(plain), {}, {})))
            for field in connections:
                for child in raw.get(field.name.value) or []:
                    lines.append(dumps({**select(child, connection_node(field), {}, {}),
                                         "__parentId": raw["id"]}))
        if self.shuffle:
            self.random.shuffle(lines)
        return lines, len(roots)

    def _write_lines(self, lines: list[str]) -> Path:
        path = self.files / f"bulk-{uuid.uuid4().hex}.jsonl"
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        return path

    def _staged_uploads_create(self, inputs: list[dict[str, Any]]) -> dict[str, Any]:
        targets = []
        for item in inputs:
            key = f"tmp/{zlib.crc32(self.shop.encode()) % 10**8}/bulk/{uuid.uuid4()}/{item['filename']}"
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            expires = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
            policy = base64.b64encode(json.dumps({"conditions": [{"key": key}], "expiration": expires}).encode())
            targets.append({"url": f"{self.url}/staged-uploads", "resourceUrl": None, "parameters": [
                {"name": "Content-Type", "value": item["mimeType"]}, {"name": "success_action_status", "value": "201"},
                {"name": "acl", "value": "private"}, {"name": "key", "value": key},
                {"name": "x-goog-date", "value": stamp},
                {"name": "x-goog-credential", "value": f"merchant-assets@shopify-tiers.iam.gserviceaccount.com/"
                                                       f"{stamp[:8]}/auto/storage/goog4_request"},
                {"name": "x-goog-algorithm", "value": "GOOG4-RSA-SHA256"},
                {"name": "x-goog-signature", "value": hashlib.sha256(key.encode()).hexdigest()},
                {"name": "policy", "value": policy.decode()}]})
        return {"stagedTargets": targets, "userErrors": []}

    def _run_bulk_mutation(self, mutation: str, staged_path: str) -> dict[str, Any]:
        if staged_path not in self.uploads:
            return {"bulkOperation": None, "userErrors": [{"field": ["stagedUploadPath"], "message":
                    "The JSONL file could not be found. Try uploading the file again, and check that you've "
                    "entered the URL correctly for the stagedUploadPath mutation argument.", "code": "NO_SUCH_FILE"}]}
        document = parse(mutation)
        problems = self._validate(mutation, document)
        if problems or find_operation(document, None).operation.value != "mutation":
            return {"bulkOperation": None, "userErrors": [{"field": ["mutation"], "message": (problems or [
                {"message": "Operation must be a mutation"}])[0]["message"], "code": "INVALID_MUTATION"}]}
        operation = self._new_operation("MUTATION", mutation)
        if "error" in operation:
            return self._started(operation)
        operation_node = find_operation(document, None)
        results = []
        for number, raw in enumerate(self.uploads.pop(staged_path).decode("utf-8").splitlines()):
            if not raw.strip():
                continue
            try:
                variables = json.loads(raw)
                data = select(self._mutation_root(), operation_node.selection_set, variables, {})
                results.append({"data": data, "__lineNumber": number})
            except (ValueError, KeyError, TypeError) as exc:
                results.append({"errors": [{"message": f"Invalid variables: {exc}"}], "__lineNumber": number})
        if self.shuffle:
            self.random.shuffle(results)
        operation["objects"] = operation["roots"] = len(results)
        operation["file"] = self._write_lines([dumps(r) for r in results]) if results else None
        return self._started(operation)


def _unquoted(value: str) -> str:
    """A search value as written (quotes off, backslash escapes resolved)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return re.sub(r"\\(.)", r"\1", value)
