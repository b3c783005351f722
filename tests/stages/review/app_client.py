"""A tiny HTTP client for the review app, and the app started on a workspace in a thread: what the review tests
drive the app with (tests/stages/review/conftest.py makes them fixtures)."""

from __future__ import annotations

import http.client
import re
import threading
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from pipeline.config import load_settings
from pipeline.stages.review.app import ReviewServer, app_for_workspace


class Client:
    """A tiny browser: keeps cookies, sends the Host and Origin a page of the app would send."""

    def __init__(self, server: ReviewServer):
        self.port = server.port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
                ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        sent = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8")
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            self.cookies.update({k: m.value for k, m in cookie.items()})
        connection.close()
        return response.status, dict(response.headers), text

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, form: dict[str, str], origin: str | None = "same") -> tuple[int, dict[str, str], str]:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if origin == "same":
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        elif origin:
            headers["Origin"] = origin
        return self.request("POST", path, urlencode(form).encode(), headers)

    def token(self, path: str = "/") -> str:
        status, _, page = self.get(path)
        assert status == 200
        return re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)


def start(workspace) -> ReviewServer:
    settings = load_settings(None, store=workspace.store_name, workspace=workspace.root.parent, env={})
    server = ReviewServer(app_for_workspace(workspace, settings, reviewer="tester"), 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server
