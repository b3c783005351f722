"""The Admin GraphQL client the connector uses: paced by the cost bucket, retried, errors made plain.

`AdminClient.run(name, variables)` sends graphql/<name>.graphql and returns its `data`, or raises a one-line
StoreError. A response's top-level `errors` become exceptions (THROTTLED is retried once the bucket holds the
request's cost); `userErrors` inside `data` are the caller's business, because they belong to one product.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipeline.errors import StoreError
from pipeline.shopify.documents import document
from pipeline.shopify.errors import AuthError, RetryableStoreError
from pipeline.shopify.session import GraphQLReply
from pipeline.shopify.throttle import DEFAULT_COST, CostBucket, retrying

# The access scopes the connector's documents need (docs/shopify.md#scopes).
SCOPES = ("read_products, write_products, read_translations, write_translations, read_locales and "
          "write_online_store_navigation")


@dataclass
class ClientStats:
    requests: int = 0
    retries: int = 0
    throttled: int = 0

    def summary(self, bucket: CostBucket) -> str:
        return (f"shopify: {self.requests:,} requests, {bucket.points_spent:,.0f} cost points, "
                f"{self.throttled:,} throttled, {self.retries:,} retried, {bucket.waited_s:.1f} s paced")


class AdminClient:
    """Runs named GraphQL documents against one store, inside its cost bucket, with bounded retries."""

    def __init__(self, transport: Any, *, bucket: CostBucket | None = None, max_attempts: int = 6,
                 sleep: Callable[[float], None] = time.sleep, token: Any = None):
        self.transport = transport                    # session.AdminGraphQL or anything with its execute()
        self.bucket = bucket or CostBucket(sleep=sleep)
        self.max_attempts, self.sleep = max_attempts, sleep
        self.token = token                            # auth token provider, renewed once on HTTP 401
        self.stats = ClientStats()

    def run(self, name: str, variables: dict[str, Any] | None = None, *,
            max_attempts: int | None = None) -> dict[str, Any]:
        """Send graphql/<name>.graphql; return the response's `data`."""
        return self.execute(document(name), variables, operation=_operation_name(document(name)) or name,
                            max_attempts=max_attempts)

    def execute(self, query: str, variables: dict[str, Any] | None = None, *,
                operation: str = "request", max_attempts: int | None = None) -> dict[str, Any]:
        """`max_attempts` overrides the client's own for this request (1: no retry, for a check that may fail)."""
        started = time.monotonic()
        renewed = False
        attempts = 0
        while True:
            try:
                for attempt in retrying(max_attempts or self.max_attempts, self.sleep):
                    with attempt:
                        attempts += 1
                        if attempts > 1:
                            self.stats.retries += 1
                        self.bucket.wait_before(operation, DEFAULT_COST)
                        return self._once(query, variables, operation)
            except AuthError:
                if renewed or not getattr(self.token, "renewable", False):
                    raise
                self.token.invalidate()
                renewed = True
            except RetryableStoreError as exc:
                if (max_attempts or self.max_attempts) == 1:
                    raise  # asked for one try: nothing was given up, and the caller may tell a passing fault
                raise StoreError(f"{exc} (gave up after {attempts} attempts over "
                                 f"{time.monotonic() - started:.0f} s; try again later)") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, query: str, variables: dict[str, Any] | None, operation: str) -> dict[str, Any]:
        self.stats.requests += 1
        reply: GraphQLReply = self.transport.execute(query, variables, operation)
        payload = reply.payload
        cost = (payload.get("extensions") or {}).get("cost")
        self.bucket.observe(operation, cost)
        errors = payload.get("errors")
        if errors:
            raise self._graphql_error(errors, cost, operation)
        data = payload.get("data")
        if not isinstance(data, dict):
            raise StoreError(f"Shopify {operation}: answer has no data")
        return data

    def _graphql_error(self, errors: Any, cost: Any, operation: str) -> StoreError:
        if not isinstance(errors, list):  # a few endpoints answer {"errors": "text"}
            return StoreError(f"Shopify {operation}: {str(errors)[:300]}")
        codes = [((e.get("extensions") or {}).get("code") if isinstance(e, dict) else None) for e in errors]
        messages = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors)[:300]
        if "THROTTLED" in codes:
            self.stats.throttled += 1
            return RetryableStoreError(f"Shopify {operation}: throttled", throttled=True,
                                       retry_after=self.bucket.refill_wait(cost))
        if "INTERNAL_SERVER_ERROR" in codes:
            return RetryableStoreError(f"Shopify {operation}: internal error: {messages}")
        if "ACCESS_DENIED" in codes:
            return StoreError(f"Shopify {operation}: access denied ({messages}); the app needs the {SCOPES} "
                              "scopes (docs/shopify.md#scopes)")
        if "MAX_COST_EXCEEDED" in codes:
            return StoreError(f"Shopify {operation}: query too costly ({messages}); lower the page size")
        return StoreError(f"Shopify {operation}: {messages}")


def _operation_name(text: str) -> str | None:
    for line in text.splitlines():
        words = line.split()
        if words and words[0] in ("query", "mutation") and len(words) > 1:
            return words[1].split("(")[0].split("{")[0] or None
    return None
