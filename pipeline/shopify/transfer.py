"""File transfers outside GraphQL: streaming a bulk operation's JSONL result, and a staged upload.

Both URLs are signed storage URLs that need no access token. Downloads stream in large chunks, so memory
stays flat however big the file (read_ahead lets a download go on, on a thread, while its reader works); a
dropped connection before the first byte is retried, one in the middle fails the run (nothing half-written is
kept, and re-running starts over).
"""

from __future__ import annotations

import http.client
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from queue import Full, Queue
from typing import Any, TypeVar

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
    for chunk in stream_chunks(url, chunk_bytes=CHUNK_BYTES, timeout_s=timeout_s, max_attempts=max_attempts,
                               sleep=sleep):
        lines = chunk.split(b"\n")
        lines.pop()  # (each chunk ends with a newline)
        if not all(map(bytes.strip, lines)):  # a blank line (rare): left out
            lines = [line for line in lines if line.strip()]
        yield from lines


def stream_chunks(url: str, *, chunk_bytes: int = 8 * CHUNK_BYTES, timeout_s: float = 60.0, max_attempts: int = 5,
                  sleep: Callable[[float], None] = time.sleep) -> Iterator[bytes]:
    """The file at `url` in pieces of whole lines, about `chunk_bytes` each; every piece ends with a newline (the
    file's last line is given one if it has none)."""
    request = urllib.request.Request(url, headers={"Accept": "application/jsonl, */*"})
    for attempt in retrying(max_attempts, sleep):
        with attempt:
            response = _open(request, "download of the bulk operation result", timeout_s)
    received = 0  # (bytes, not lines: counting lines would read every chunk once more)
    expected = response.headers.get("Content-Length")
    with response:
        tail = b""
        while True:
            try:
                data = response.read(chunk_bytes)
                if not data and expected is not None and received < int(expected):  # http.client reads a body cut
                    raise http.client.IncompleteRead(b"", int(expected) - received)  # short as if it had ended
            except (http.client.HTTPException, OSError) as exc:
                raise StoreError(f"download of the bulk operation result broke off after {received / 2**20:,.1f} MiB "
                                 f"({exc}); re-run to start over") from None
            if not data:
                break
            received += len(data)
            cut = data.rfind(b"\n") + 1
            if not cut:  # no line ends in this read: keep it for the next
                tail += data
                continue
            chunk = b"".join((tail, memoryview(data)[:cut])) if tail or cut < len(data) else data
            tail = data[cut:]
            yield chunk
        if tail.strip():
            yield tail + b"\n"


T = TypeVar("T")


def read_ahead(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """`items`, taken from a thread of their own up to `depth` ahead of the reader: a download goes on while what
    it has given is being read. Errors come out where the item they stopped would have; closing this closes
    `items` (on that thread)."""
    queue: Queue[tuple[str, Any]] = Queue(maxsize=depth)
    stop = threading.Event()

    def offer(kind: str, value: Any) -> bool:
        while not stop.is_set():
            try:
                queue.put((kind, value), timeout=0.05)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer("item", item):
                    return
            offer("end", None)
        except BaseException as exc:  # noqa: BLE001 - handed to the reader, who raises it
            offer("error", exc)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name="read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = queue.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()


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
