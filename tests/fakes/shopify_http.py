"""The HTTP side of the Shopify double: a bounded threaded server and the request handler."""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
import uuid
from email.parser import BytesParser
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

API_VERSION = "2026-01"  # the default [shopify] api_version; any version is answered (and recorded) alike
GRAPHQL_PATH = re.compile(r"^/admin/api/(\d{4}-\d{2}|unstable)/graphql\.json$")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type, max_workers: int):
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(max_workers)
        self.double: Any

    def process_request(self, request: Any, client_address: Any) -> None:
        self._slots.acquire()
        super().process_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout test) is not an error worth a traceback on stderr."""

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None,
              content_type: str = "application/json; charset=utf-8") -> None:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-Id", uuid.uuid4().hex)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        double, path = self.server.double, urlsplit(self.path).path
        body = self._body()
        if path == "/admin/oauth/access_token":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            self._send(*double.token_grant(form))
        elif (version := GRAPHQL_PATH.match(path)) is not None:
            double.versions_requested.append(version.group(1))
            if not double.authorised(self.headers.get("X-Shopify-Access-Token")):
                self._send(401, {"errors": "[API] Invalid API key or access token (unrecognized login or wrong "
                                           "password)"})
                return
            fault = double.next_fault()
            if fault and fault["kind"] == "drop":
                self.close_connection = True
                return
            if fault and fault["kind"] == "stall":
                time.sleep(fault["seconds"])
                fault = None
            if fault and fault["kind"] == "http":
                headers = {"Retry-After": fault["retry_after"]} if fault["retry_after"] else {}
                message = {429: "Exceeded 2 calls per second for api client. Reduce request rates to resume "
                                "uninterrupted service.", 503: "Service Unavailable"}.get(fault["status"], "Error")
                self._send(fault["status"], {"errors": message}, headers)
                return
            self._send(200, double.graphql(json.loads(body), fault))
        elif path == "/staged-uploads":
            message = BytesParser(policy=email_policy).parsebytes(
                f"Content-Type: {self.headers.get('Content-Type')}\r\n\r\n".encode() + body)
            fields = {part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
                      for part in message.iter_parts()}
            status = double.staged_upload(fields)
            self._send(status, b"<?xml version='1.0' encoding='UTF-8'?><PostResponse><Key>"
                       + fields.get("key", b"") + b"</Key></PostResponse>", content_type="application/xml")
        elif path.startswith("/admin/api/"):
            self._send(404, {"errors": "Not Found"})
        else:
            self._send(404, b"Not Found", content_type="text/plain")

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = urlsplit(self.path).path
        file = self.server.double.file_path(path[len("/files/"):]) if path.startswith("/files/") else None
        if file is None:
            self._send(404, b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>NoSuchKey</Code></Error>",
                       content_type="application/xml")
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/jsonl")
        self.send_header("Content-Length", str(file.stat().st_size))
        self.end_headers()
        with open(file, "rb") as handle:
            shutil.copyfileobj(handle, self.wfile, 1 << 20)
