"""The connector's failures, as kinds of the pipeline's StoreError (one line each, exit code 4)."""

from __future__ import annotations

from pipeline.errors import StoreError


class RetryableStoreError(StoreError):
    """A failure that may pass if we wait: HTTP 429 or 5xx, a dropped connection, a timeout, THROTTLED.

    `retry_after` is the wait Shopify asked for (a Retry-After header, or what the cost bucket needs to refill);
    None lets the retry policy choose an exponential backoff.
    """

    def __init__(self, message: str, *, retry_after: float | None = None, status: int | None = None,
                 throttled: bool = False):
        super().__init__(message)
        self.retry_after, self.status, self.throttled = retry_after, status, throttled


class AuthError(StoreError):
    """Shopify refused the access token (HTTP 401). A client-credentials token may be renewed once."""


class BulkOperationFailed(StoreError):
    """A bulk operation ended FAILED, CANCELED or EXPIRED; carries Shopify's errorCode."""

    def __init__(self, message: str, *, status: str, error_code: str | None):
        super().__init__(message)
        self.status, self.error_code = status, error_code
