"""The review app as an attacker meets it: it listens on 127.0.0.1 only; a state-changing request needs this
app's origin and the session's token (so another local page cannot forge one); every text a product, a model or
a reviewer supplied is rendered escaped. Each case checks that nothing was recorded when a request is refused.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from pipeline.config import load_settings
from pipeline.stages.review.app import ReviewServer, app_for_workspace
from pipeline.state.decisions import list_decisions
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace
from tests.reliability.catalogue import csv_text, product_rows
from tests.reliability.conftest import CleanStore
from tests.reliability.harness import PROJECT_ROOT, live_markup, run_cli

GROUP = "review app"
XSS_TITLE = "<script>alert('title')</script><img src=x onerror=alert(1)>"
XSS_BODY = ("<p>Brass.</p><script>alert('body')</script><img src=x onerror=alert(2)>"
            "<a href=\"javascript:alert(3)\">x</a>")
ATTACKER = "http://attacker.example"


class Browser:
    """A tiny browser: keeps its cookies and sends the Host (and, for posts, the Origin) a page would send."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        sent = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
        connection.close()
        return response.status, {k.lower(): v for k, v in response.headers.items()}, text

    def post(self, path: str, form: dict[str, str], origin: str | None = "self",
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        sent = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        if origin == "self":
            sent["Origin"] = f"http://127.0.0.1:{self.port}"
        elif origin:
            sent["Origin"] = origin
        return self.request("POST", path, urlencode(form).encode(), sent)

    def token(self) -> str:
        status, _, page = self.request("GET", "/")
        assert status == 200
        return re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)


@pytest.fixture(scope="module")
def hostile_store(clean_store_template: CleanStore, tmp_path_factory: pytest.TempPathFactory) -> CleanStore:
    """The clean store with markup in a title and a description, drafted again."""
    store = clean_store_template.copy_to(tmp_path_factory.mktemp("review-hostile"))
    csv_path = store.base.parent / "hostile.csv"
    csv_path.write_text(csv_text(product_rows(brass_floor_lamp={"Title": XSS_TITLE, "Description": XSS_BODY})),
                        encoding="utf-8")
    from pipeline.cli import main

    for stage in (["pull", "--csv", str(csv_path)], ["audit"], ["generate", "--all", "--provider", "offline"]):
        assert main([*store.args(), *stage]) == 0
    return store


@dataclass
class App:
    workspace: Workspace
    server: ReviewServer

    def browser(self) -> Browser:
        return Browser(self.server.port)

    def decisions(self) -> list:
        with StateStore(self.workspace.state_db) as state:
            return list_decisions(state)


@pytest.fixture
def app(hostile_store: CleanStore, tmp_path: Path) -> Iterator[App]:
    store = hostile_store.copy_to(tmp_path)
    workspace = Workspace(store.root)
    settings = load_settings(store.config, store=store.store, workspace=store.base, env={})
    server = ReviewServer(app_for_workspace(workspace, settings, reviewer="tester"), 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield App(workspace, server)
    server.shutdown()
    server.server_close()


DECIDE = {"id": "oak-serving-board", "draft_locale": "en", "action": "approve"}


@dataclass(frozen=True)
class Forgery:
    name: str
    expected: str
    attempt: Callable[[App], tuple[int, str]]  # -> (status, body)
    status: int


def _no_token(app: App) -> tuple[int, str]:
    browser = app.browser()
    browser.token()  # a session exists, the form just carries no token
    status, _, body = browser.post("/decide", DECIDE)
    return status, body


def _wrong_token(app: App) -> tuple[int, str]:
    browser = app.browser()
    browser.token()
    status, _, body = browser.post("/decide", DECIDE | {"csrf": "0" * 64})
    return status, body


def _other_sessions_token(app: App) -> tuple[int, str]:
    victim, attacker = app.browser(), app.browser()
    token = attacker.token()  # the attacker's own valid token, replayed in the victim's session
    victim.token()
    status, _, body = victim.post("/decide", DECIDE | {"csrf": token})
    return status, body


def _cross_site_origin(app: App) -> tuple[int, str]:
    browser = app.browser()
    token = browser.token()
    status, _, body = browser.post("/decide", DECIDE | {"csrf": token}, origin=ATTACKER)
    return status, body


def _no_origin(app: App) -> tuple[int, str]:
    browser = app.browser()
    token = browser.token()
    status, _, body = browser.post("/decide", DECIDE | {"csrf": token}, origin=None)
    return status, body


def _rebound_host(app: App) -> tuple[int, str]:
    browser = app.browser()
    token = browser.token()
    status, _, body = browser.post("/decide", DECIDE | {"csrf": token},
                                   headers={"Host": f"attacker.example:{app.server.port}"})
    return status, body


def _get_decide(app: App) -> tuple[int, str]:
    status, _, body = app.browser().request("GET", "/decide?" + urlencode(DECIDE))
    return status, body


def _bulk_without_token(app: App) -> tuple[int, str]:
    browser = app.browser()
    browser.token()
    status, _, body = browser.post("/bulk", {"expected": "30", "status": "passed"}, origin=ATTACKER)
    return status, body


def _import_without_token(app: App) -> tuple[int, str]:
    browser = app.browser()
    browser.token()
    boundary = "reliabilityboundary"
    payload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.csv\"\r\n"
               "Content-Type: text/csv\r\n\r\nproduct_id,locale,decision\r\noak-serving-board,en,approved\r\n"
               f"--{boundary}--\r\n").encode()
    status, _, body = browser.request("POST", "/import", payload, {
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": f"http://127.0.0.1:{app.server.port}"})
    return status, body


FORGERIES = [
    Forgery("csrf_post_without_token", "403, nothing recorded", _no_token, 403),
    Forgery("csrf_post_with_wrong_token", "403, nothing recorded", _wrong_token, 403),
    Forgery("csrf_token_of_another_session", "403: a token works only with its own session cookie",
            _other_sessions_token, 403),
    Forgery("csrf_cross_site_origin", "403: a page on another site cannot post, even with a token",
            _cross_site_origin, 403),
    Forgery("csrf_post_without_origin", "403: a post with neither Origin nor Referer is refused", _no_origin, 403),
    Forgery("dns_rebinding_host", "421: a request for another host name is refused", _rebound_host, 421),
    Forgery("get_cannot_change_state", "404: decisions only by POST", _get_decide, 404),
    Forgery("csrf_bulk_approve_cross_site", "403: bulk approve from another site is refused", _bulk_without_token,
            403),
    Forgery("csrf_import_upload_without_token", "403: a CSV upload needs the token too", _import_without_token, 403),
]


@pytest.mark.parametrize("forgery", FORGERIES, ids=lambda f: f.name)
def test_state_changing_requests_need_origin_and_session_token(forgery: Forgery, app: App, case) -> None:
    case.expect(forgery.expected)
    status, body = forgery.attempt(app)
    recorded = app.decisions()
    case.observe(f"HTTP {status}: {body.strip().splitlines()[0][:90] if body.strip() else ''}; "
                 f"{len(recorded)} decisions recorded")
    assert status == forgery.status
    assert recorded == []


def test_the_same_request_from_the_apps_own_page_is_accepted(app: App, case) -> None:
    """The control for the forgeries above: with its origin and its session's token, the post is recorded."""
    case.expect("303 and the decision recorded")
    browser = app.browser()
    status, headers, _ = browser.post("/decide", DECIDE | {"csrf": browser.token()})
    recorded = app.decisions()
    case.observe(f"HTTP {status} -> {headers.get('location', '')}; {len(recorded)} decision recorded "
                 f"({recorded[0].decision if recorded else '-'})")
    assert status == 303 and [(d.product_id, d.decision) for d in recorded] == [("oak-serving-board", "approved")]


def test_session_cookie_is_http_only_and_same_site_strict(app: App, case) -> None:
    case.expect("session cookie HttpOnly, SameSite=Strict; CSP without inline script; no framing")
    _, headers, _ = app.browser().request("GET", "/")
    cookie, csp = headers.get("set-cookie", ""), headers.get("content-security-policy", "")
    case.observe(f"Set-Cookie flags: {'; '.join(cookie.split('; ')[1:])}; CSP: {csp[:80]}")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert headers.get("x-frame-options") == "DENY"


REFLECTED = "/?" + urlencode({"finding": "<script>alert(9)</script>", "q": "\"><img src=x onerror=alert(10)>"})


@pytest.mark.parametrize("page", ["/", "/draft/en/brass-floor-lamp", REFLECTED],
                         ids=["xss_escaped_in_list_page", "xss_escaped_in_draft_page", "xss_reflected_query_escaped"])
def test_markup_from_the_store_and_the_model_is_escaped(page: str, app: App, case) -> None:
    case.expect("markup from titles, descriptions and the query string shows as text: 0 live scripts, handlers, "
                "javascript: URLs")
    status, _, html = app.browser().request("GET", page)
    live = live_markup(html)
    case.observe(f"HTTP {status}; {len(html):,} bytes; live markup {live or 'none'}; escaped text shown: "
                 f"{'&lt;script&gt;' in html}")
    assert status == 200 and live == []
    if page != REFLECTED:
        assert "&lt;script&gt;alert(" in html


def test_a_reviewers_edit_with_markup_is_stored_sanitised_and_shown_escaped(app: App, case) -> None:
    case.expect("edit stored without script/handlers; the draft page shows it with 0 live markup")
    browser = app.browser()
    form = DECIDE | {"csrf": browser.token(), "action": "edit", "title": "Holm Board <script>alert('edit')</script>",
                     "seo_title": "Board\"><img src=x onerror=alert(5)>",
                     "body_html": "<p onclick=\"alert(6)\">Oak.</p><script>alert(7)</script>"
                                  "<a href=\"javascript:alert(8)\">x</a><iframe src=\"//evil\"></iframe>"}
    status, _, _ = browser.post("/decide", form)
    recorded = app.decisions()
    stored = recorded[0].fields if recorded else {}
    _, _, html = browser.request("GET", "/draft/en/oak-serving-board")
    live = live_markup(html) + live_markup(stored.get("body_html") or "")
    case.observe(f"HTTP {status}; stored body {stored.get('body_html')!r}; live markup {live or 'none'}")
    assert status == 303 and recorded and recorded[0].decision == "edited"
    assert live == [] and "<script" not in (stored.get("body_html") or "") and "<iframe" not in stored["body_html"]


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of TCP sockets listening on `port`, from /proc/net/tcp{,6} (Linux)."""
    found = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(name):
            continue
        with open(name) as table:
            for line in table.readlines()[1:]:
                fields = line.split()
                address, hex_port = fields[1].split(":")
                if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                    if len(address) == 8:
                        found.add(".".join(str(b) for b in reversed(bytes.fromhex(address))))
                    else:
                        found.add(f"ipv6:{address}")
    return found


@pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="reads the listening sockets from /proc (Linux)")
def test_make_review_listens_on_loopback_only(hostile_store: CleanStore, tmp_path: Path, case) -> None:
    case.expect("`review` binds 127.0.0.1 only (no 0.0.0.0, no IPv6 any); the URL it prints is 127.0.0.1")
    store = hostile_store.copy_to(tmp_path)
    process = subprocess.Popen([sys.executable, "-m", "pipeline", *store.args(), "review", "--port", "0",
                                "--no-browser", "--reviewer", "tester"], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line + process.stderr.read() if process.poll() is not None else line
        port = int(match.group(1))
        addresses = _listening_addresses(port)
        case.observe(f"printed {match.group(0)}; listening on {sorted(addresses)}")
        assert addresses == {"127.0.0.1"}
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    deadline = time.monotonic() + 5
    while _listening_addresses(port) and time.monotonic() < deadline:
        time.sleep(0.1)


def test_review_port_option_cannot_open_other_interfaces(hostile_store: CleanStore, tmp_path: Path, capsys,
                                                         case) -> None:
    case.expect("an out-of-range port is a one-line error, exit 2; nothing starts")
    store = hostile_store.copy_to(tmp_path)
    result = run_cli(capsys, [*store.args(), "review", "--port", "70000", "--no-browser"])
    case.observe(result.summary())
    assert result.code == 2 and "port 70000 is not a TCP port" in result.err and len(result.err.splitlines()) == 1
