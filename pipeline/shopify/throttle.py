"""Staying inside Shopify's cost bucket, and retrying what may pass if we wait.

Shopify meters the Admin GraphQL API per app and store with a leaky bucket of cost points. Every response
carries `extensions.cost.throttleStatus` (maximumAvailable, currentlyAvailable, restoreRate), and we read it
rather than hard-coding a plan's numbers. Before each request `CostBucket` waits until the bucket should hold
that operation's cost (as last measured), so a long push runs at the restore rate instead of bouncing off
THROTTLED. What still fails transiently (THROTTLED, HTTP 429 and 5xx, network errors) is retried by tenacity
with exponential backoff and jitter, waiting at least what Retry-After or the bucket asks, a bounded number
of times.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from pipeline.shopify.errors import RetryableStoreError

DEFAULT_COST = 10.0  # until Shopify has told us an operation's cost: what a mutation costs by default


class CostBucket:
    """Our estimate of the store's bucket, refreshed from every response's throttleStatus.

    Waiting deducts the expected cost from the local estimate at once, so callers on several threads do not
    all spend the same points; the next response replaces the estimate with Shopify's own figure.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 margin_points: float = 0.5):
        self.clock, self.sleep, self.margin = clock, sleep, margin_points
        self.maximum: float | None = None
        self.available: float | None = None
        self.restore_rate: float | None = None
        self.observed_at = 0.0
        self.expected_cost: dict[str, float] = {}
        self.waited_s = 0.0
        self.points_spent = 0.0
        self._lock = threading.Lock()

    def available_now(self) -> float | None:
        if self.available is None or self.maximum is None or not self.restore_rate:
            return self.available
        refill = (self.clock() - self.observed_at) * self.restore_rate
        return min(self.maximum, self.available + refill)

    def wait_before(self, operation: str, default_cost: float = DEFAULT_COST) -> float:
        """Sleep until the bucket should hold `operation`'s cost; return the seconds slept."""
        with self._lock:
            cost = self.expected_cost.get(operation, default_cost)
            available = self.available_now()
            if available is None or not self.restore_rate:
                return 0.0
            cost = min(cost, self.maximum or cost)
            wait = max(0.0, (cost + self.margin - available) / self.restore_rate)
            # The estimate as it will stand when this request goes out, after it has spent its points.
            self.available = available + wait * self.restore_rate - cost
            self.observed_at = self.clock() + wait
        if wait > 0:
            self.sleep(wait)
            self.waited_s += wait
        return wait

    def observe(self, operation: str, cost: Mapping[str, Any] | None) -> None:
        """Take Shopify's figures from a response's `extensions.cost`."""
        if not cost:
            return
        status = cost.get("throttleStatus") or {}
        with self._lock:
            requested = cost.get("requestedQueryCost")
            if isinstance(requested, int | float):
                self.expected_cost[operation] = float(requested)
            actual = cost.get("actualQueryCost")
            if isinstance(actual, int | float):
                self.points_spent += float(actual)
            if all(isinstance(status.get(k), int | float)
                   for k in ("maximumAvailable", "currentlyAvailable", "restoreRate")):
                self.maximum = float(status["maximumAvailable"])
                self.available = float(status["currentlyAvailable"])
                self.restore_rate = float(status["restoreRate"])
                self.observed_at = self.clock()

    def refill_wait(self, cost: Mapping[str, Any] | None) -> float | None:
        """After THROTTLED: seconds until the bucket holds the refused request's cost."""
        if not cost:
            return None
        status = cost.get("throttleStatus") or {}
        requested, available, rate = (cost.get("requestedQueryCost"), status.get("currentlyAvailable"),
                                      status.get("restoreRate"))
        if not (isinstance(requested, int | float) and isinstance(available, int | float)
                and isinstance(rate, int | float)) or not rate:
            return None
        return max(0.0, (float(requested) + self.margin - float(available)) / float(rate))


def _wait(state: RetryCallState) -> float:
    backoff = wait_random_exponential(multiplier=0.5, max=30)(state)
    exc = state.outcome.exception() if state.outcome else None
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        # At least what Shopify asked for; a little jitter so parallel workers do not return in step.
        return float(retry_after) + random.uniform(0, 0.05 + 0.1 * float(retry_after))
    return backoff


def retrying(max_attempts: int, sleep: Callable[[float], None] = time.sleep) -> Retrying:
    """A tenacity policy for RetryableStoreError: `max_attempts` tries in all, then the last error is raised."""
    return Retrying(stop=stop_after_attempt(max_attempts), wait=_wait, sleep=sleep, reraise=True,
                    retry=retry_if_exception_type(RetryableStoreError))
