"""Bulk operations: run a query or a mutation over a whole catalogue, wait for it, read its JSONL result.

A bulk query (`bulkOperationRunQuery`) avoids pagination and the per-request cost limit; a bulk mutation
(`stagedUploadsCreate` + upload + `bulkOperationRunMutation`) runs one mutation per line of a JSONL file of
variables. Both are polled with `bulkOperation(id:)` (API 2026-01) with a growing interval until they end.
COMPLETED does not mean every line of a mutation succeeded: each result line is matched to its input line by
`__lineNumber` (never by position: Shopify does not promise order) and checked on its own.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.errors import StoreError
from pipeline.shopify.client import AdminClient
from pipeline.shopify.errors import BulkOperationFailed
from pipeline.shopify.transfer import read_ahead, stream_chunks, stream_lines, upload_staged

TERMINAL = {"COMPLETED", "FAILED", "CANCELED", "EXPIRED"}
ERROR_CODES = {
    "ACCESS_DENIED": "the app lacks an access scope the query needs (run it as a normal query to see which)",
    "INTERNAL_SERVER_ERROR": "Shopify had an internal error; it is often intermittent, so try again",
    "TIMEOUT": "the query took too long; select fewer fields",
}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # Shopify accepts 100 MB; smaller parts fail and retry more cheaply


@dataclass(frozen=True)
class BulkOperation:
    id: str
    status: str
    error_code: str | None = None
    object_count: int = 0
    root_object_count: int = 0
    file_size: int | None = None
    url: str | None = None
    partial_data_url: str | None = None

    @classmethod
    def from_data(cls, node: dict[str, Any]) -> BulkOperation:
        def number(key: str) -> int | None:
            value = node.get(key)
            return None if value is None or value == "" else int(value)

        return cls(id=node["id"], status=node["status"], error_code=node.get("errorCode"),
                   object_count=number("objectCount") or 0, root_object_count=number("rootObjectCount") or 0,
                   file_size=number("fileSize"), url=node.get("url"), partial_data_url=node.get("partialDataUrl"))


@dataclass
class Poller:
    """How often to ask: `first_s`, growing by `factor` up to `max_s`; Shopify's own CLI asks every 1-5 s."""

    first_s: float = 0.25
    factor: float = 1.6
    max_s: float = 10.0
    timeout_s: float = 10 * 24 * 3600  # Shopify fails a bulk query after 10 days
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic


def _started(payload: dict[str, Any], what: str) -> str:
    errors = payload.get("userErrors") or []
    if errors:
        text = "; ".join(f"{e.get('message')}" + (f" ({e['code']})" if e.get("code") else "") for e in errors)
        if any(e.get("code") == "OPERATION_IN_PROGRESS" for e in errors):
            text += "; wait for the running bulk operation to finish"
        raise StoreError(f"Shopify refused to start the bulk {what}: {text}")
    operation = payload.get("bulkOperation") or {}
    if not operation.get("id"):
        raise StoreError(f"Shopify did not start the bulk {what} (no operation id in its answer)")
    return operation["id"]


def run_query(client: AdminClient, query: str) -> str:
    """Start a bulk query; return the operation's id."""
    data = client.run("bulk_run_query", {"query": query})
    return _started(data["bulkOperationRunQuery"] or {}, "query")


def wait(client: AdminClient, operation_id: str, poller: Poller | None = None,
         on_progress: Callable[[BulkOperation], None] | None = None) -> BulkOperation:
    """Poll until the operation ends; return it when COMPLETED, else raise BulkOperationFailed."""
    poller = poller or Poller()
    started, interval = poller.clock(), poller.first_s
    while True:
        node = client.run("bulk_operation", {"id": operation_id}).get("bulkOperation")
        if node is None:
            raise StoreError(f"Shopify does not know bulk operation {operation_id}")
        operation = BulkOperation.from_data(node)
        if on_progress:
            on_progress(operation)
        if operation.status in TERMINAL:
            break
        if poller.clock() - started > poller.timeout_s:
            raise StoreError(f"bulk operation {operation_id} still {operation.status} after "
                             f"{poller.timeout_s:.0f} s; giving up waiting (it keeps running on Shopify)")
        poller.sleep(interval)
        interval = min(poller.max_s, interval * poller.factor)
    if operation.status != "COMPLETED":
        code = operation.error_code or "none given"
        meaning = ERROR_CODES.get(operation.error_code or "", "")
        raise BulkOperationFailed(
            f"Shopify bulk operation {operation_id} ended {operation.status}, errorCode {code}"
            + (f": {meaning}" if meaning else ""), status=operation.status, error_code=operation.error_code)
    return operation


def result_chunks(operation: BulkOperation, **download_options: Any) -> Iterator[bytes]:
    """The JSONL of a completed operation in pieces of whole lines (transfer.stream_chunks), downloaded on a thread
    ahead of the reader; none when it matched nothing (Shopify then gives no url)."""
    if not operation.url:
        return iter(())
    return read_ahead(stream_chunks(operation.url, **download_options))


def run_mutation(client: AdminClient, mutation: str, variables: Sequence[dict[str, Any]], *,
                 poller: Poller | None = None, label: str = "seo-pipeline",
                 upload: Callable[..., None] = upload_staged,
                 download: Callable[..., Iterator[bytes]] = stream_lines) -> dict[int, dict[str, Any]]:
    """Run `mutation` once per item of `variables`; return each input index's response ({"data"|"errors"}).

    The variables are split into uploads of at most MAX_UPLOAD_BYTES, each its own bulk operation. An index
    absent from the result had no result line (Shopify stopped early): the caller reports it as failed.
    """
    results: dict[int, dict[str, Any]] = {}
    for offset, lines in _chunks([json.dumps(v, ensure_ascii=False, separators=(",", ":")) for v in variables]):
        body = ("\n".join(lines) + "\n").encode("utf-8")
        path = _stage(client, body, upload)
        data = client.run("bulk_run_mutation", {"mutation": mutation, "stagedUploadPath": path,
                                                "clientIdentifier": f"{label}-{uuid.uuid4().hex[:12]}"})
        operation = wait(client, _started(data["bulkOperationRunMutation"] or {}, "mutation"), poller)
        if not operation.url:
            continue
        for raw in download(operation.url):
            line = json.loads(raw)
            number = line.pop("__lineNumber", None)
            if isinstance(number, int) and 0 <= number < len(lines):
                results[offset + number] = line
    return results


def _chunks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    start, size = 0, 0
    for index, line in enumerate(lines):
        length = len(line.encode("utf-8")) + 1
        if index > start and size + length > MAX_UPLOAD_BYTES:
            yield start, lines[start:index]
            start, size = index, 0
        size += length
    if start < len(lines):
        yield start, lines[start:]


def _stage(client: AdminClient, body: bytes, upload: Callable[..., None]) -> str:
    """Upload a JSONL variables file; return the `key` parameter, which bulkOperationRunMutation wants."""
    data = client.run("staged_uploads_create", {"input": [{
        "resource": "BULK_MUTATION_VARIABLES", "filename": "bulk_op_vars.jsonl", "mimeType": "text/jsonl",
        "httpMethod": "POST", "fileSize": str(len(body))}]})
    payload = data["stagedUploadsCreate"] or {}
    if payload.get("userErrors"):
        raise StoreError("Shopify refused the staged upload: "
                         + "; ".join(str(e.get("message")) for e in payload["userErrors"]))
    targets = payload.get("stagedTargets") or []
    if not targets or not targets[0].get("url"):
        raise StoreError("Shopify gave no staged upload target")
    target = targets[0]
    parameters = target.get("parameters") or []
    key = next((p["value"] for p in parameters if p.get("name") == "key"), None)
    if not key:
        raise StoreError("Shopify's staged upload target has no 'key' parameter")
    upload(target["url"], parameters, body)
    return key
