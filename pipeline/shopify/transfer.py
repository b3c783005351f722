"""File transfers outside GraphQL: streaming a bulk operation's JSONL result, and a staged upload.

Both URLs are signed storage URLs that need no access token. Downloads stream in large chunks, so memory
stays flat however big the file; a dropped connection before the first byte is retried, one in the middle
fails the run (nothing half-written is kept, and re-running starts over).
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from pipeline.errors import StoreError
from pipeline.shopify.errors import RetryableStoreError
from pipeline.shopify.session import retry_after_seconds
from pipeline.shopify.throttle import retrying

CHUNK_BYTES = 1 << 20


def _open(request: urllib.request.Request, what: str, timeout_s: float) -> Any:
    try:
        return urllib.request.urlopen(request, timeout=timeout_s)
    except urllib.error.HTTPError as exc:
        status, headers = exc.code, exc.headers
        exc.close()
        if status == 429 or status >= 500:
            raise RetryableStoreError(f"{what}: HTTP {status}", status=status,
                                      retry_after=retry_after_seconds(headers)) from None
        hint = "; the result URL expires 7 days after the operation ends" if status in (403, 404, 410) else ""
        raise StoreError(f"{what}: HTTP {status}{hint}") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        raise RetryableStoreError(f"{what}: network error: {getattr(exc, 'reason', exc)}") from None


def stream_lines(url: str, *, timeout_s: float = 60.0, max_attempts: int = 5,
                 sleep: Callable[[float], None] = time.sleep) -> Iterator[bytes]:
    """The non-empty lines of the file at `url`, without their newline, read 1 MiB at a time."""
    for batch in stream_line_batches(url, timeout_s=timeout_s, max_attempts=max_attempts, sleep=sleep):
        yield from batch


def stream_line_batches(url: str, *, timeout_s: float = 60.0, max_attempts: int = 5,
                        sleep: Callable[[float], None] = time.sleep) -> Iterator[list[bytes]]:
    """stream_lines, a list of lines for each 1 MiB read (for readers that go through lines in bulk)."""
    request = urllib.request.Request(url, headers={"Accept": "application/jsonl, */*"})
    for attempt in retrying(max_attempts, sleep):
        with attempt:
            response = _open(request, "download of the bulk operation result", timeout_s)
    lines = 0
    with response:
        tail = b""
        while True:
            try:
                chunk = response.read(CHUNK_BYTES)
            except (http.client.HTTPException, OSError) as exc:
                raise StoreError(f"download of the bulk operation result broke off after {lines:,} lines ({exc}); "
                                 "re-run to start over") from None
            if not chunk:
                break
            parts = (tail + chunk).split(b"\n")
            tail = parts.pop()
            if not all(map(bytes.strip, parts)):  # a blank line (rare): left out
                parts = [line for line in parts if line.strip()]
            if parts:
                lines += len(parts)
                yield parts
        if tail.strip():
            yield [tail]


def upload_staged(url: str, parameters: list[dict[str, str]], data: bytes, *, filename: str = "vars.jsonl",
                  timeout_s: float = 120.0, max_attempts: int = 5,
                  sleep: Callable[[float], None] = time.sleep) -> None:
    """POST `data` as multipart/form-data: every staged-upload parameter first, then the file field last."""
    boundary = f"----seo-pipeline-{uuid.uuid4().hex}"
    parts: list[bytes] = []
    for parameter in parameters:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{parameter["name"]}"\r\n\r\n'
                     f'{parameter["value"]}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: text/jsonl\r\n\r\n".encode())
    parts.append(data)
    parts.append(f"\r\n--{boundary}--\r\n".encode())
    body = b"".join(parts)
    request = urllib.request.Request(url, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"},
                                     method="POST")
    for attempt in retrying(max_attempts, sleep):
        with attempt:
            with _open(request, "staged upload of the bulk mutation variables", timeout_s) as response:
                response.read()
