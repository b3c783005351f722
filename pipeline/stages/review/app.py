"""The review app's HTTP side: a standard-library ThreadingHTTPServer bound to 127.0.0.1, pages from Jinja2.

Everything about drafts and decisions is in pipeline/stages/review.py; this module only turns requests into
calls to it and answers with HTML. A web framework would add a dependency for five routes.

Security, because the app writes to state.db and renders text that came from a model and from the store:
- it listens on 127.0.0.1 only, and answers only requests whose Host is 127.0.0.1:PORT or localhost:PORT
  (a page on another site cannot reach it through DNS rebinding);
- every POST needs the Origin (or Referer) of this app and a CSRF token tied to the browser's session cookie;
- every page is autoescaped; rendered body_html is nh3-sanitised; the Content-Security-Policy allows only this
  app's own script and styles, no inline script, no framing; images also from the web (the product's picture is
  on Shopify's CDN; only an http(s) address reaches an <img>, and body_html keeps no <img>); the page's script
  talks to this app only
  (connect-src 'self': the live check of an edit, POST /check, which needs the token like every POST);
- an edit is checked again when it is saved, and a blocking finding stops its approval unless the reviewer
  overrides it with a note (review/editing.py); a plain approval (the button, the `a` key, the languages page) of
  a draft whose own checks found a blocking finding needs the same override (stage.py `decide`), and bulk
  approve skips such drafts.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import hmac
import io
import json
import os
import secrets
import threading
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from pipeline.commands import command
from pipeline.config import Settings
from pipeline.core.seo_limits import SeoLimits
from pipeline.errors import PipelineError
from pipeline.stages.review.collections import collections_decide, collections_page
from pipeline.stages.review.decisions_csv import export_decisions, import_decisions
from pipeline.stages.review.editing import edited_fields, save_edit
from pipeline.stages.review.labels import reason
from pipeline.stages.review.links import decide_links, link_panel
from pipeline.stages.review.pages import STATIC_FILES, render, static_file
from pipeline.stages.review.product import StoreLinks
from pipeline.stages.review.serp import measure_table
from pipeline.stages.review.stage import (
    ApprovalBlocked,
    BulkOutcome,
    Filters,
    ReviewSource,
    RowCache,
    blocked_rows,
    bulk_approve,
    decide,
    draft_view,
    filter_rows,
    list_page,
    neighbours,
)
from pipeline.stages.review.views import Context, extras, product_page
from pipeline.state.drafts import DRAFT_FIELDS, Draft, get_draft
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace

MAX_FORM_BYTES = 4 * 1024 * 1024
EditCheck = Callable[[Draft, Mapping[str, str]], list[dict[str, str]]]  # (draft, edited fields) -> findings
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data: https: http:; connect-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def draft_url(product_id: str, locale: str, filters: Filters) -> str:
    query = urlencode(filters.query())
    return f"/draft/{quote(locale, safe='')}/{quote(product_id, safe='')}" + (f"?{query}" if query else "")


def product_url(product_id: str, filters: Filters | None = None) -> str:
    query = urlencode(filters.query()) if filters is not None else ""
    return f"/product/{quote(product_id, safe='')}" + (f"?{query}" if query else "")


@dataclass
class ReviewApp:
    """What every request needs: the store's workspace, its artefacts, and who reviews by default."""

    store: str
    source: ReviewSource
    open_state: Callable[[], AbstractContextManager[StateStore]]
    default_reviewer: str
    checker: EditCheck | None = None  # validation findings of an edit; see review/checks.py
    secret: bytes = b""
    limits: SeoLimits = SeoLimits()
    links: StoreLinks = StoreLinks()
    context: Context | None = None  # the product, facts and search previews beside the diffs; built if not given

    def __post_init__(self) -> None:
        self.secret = self.secret or secrets.token_bytes(32)
        self.source_lock = threading.Lock()
        self.row_cache = RowCache(self.source)
        if self.context is None:
            self.context = Context.of(self.source, self.limits, self.links, self.store)
        self.measure = measure_table(self.limits)

    @property
    def ctx(self) -> Context:
        assert self.context is not None  # set in __post_init__
        return self.context

    def csrf_token(self, session: str) -> str:
        return hmac.new(self.secret, session.encode(), hashlib.sha256).hexdigest()

    def fresh_source(self) -> ReviewSource:
        with self.source_lock:  # one reload at a time when an artefact changed under a running app
            self.source.refresh()
        return self.source

    def rows(self, state: StateStore) -> list[Any]:
        self.fresh_source()
        with self.source_lock:
            return self.row_cache.rows(state)


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, app: ReviewApp, port: int):
        super().__init__(("127.0.0.1", port), ReviewHandler)
        self.app = app

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


class ReviewHandler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "review"
    sys_version = ""

    # -- plumbing -----------------------------------------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        if os.environ.get("REVIEW_ACCESS_LOG"):
            super().log_message(format, *args)

    def log_error(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        import sys

        sys.stderr.write(f"review: {format % args}\n")

    @property
    def app(self) -> ReviewApp:
        return self.server.app

    def _allowed_origins(self) -> set[str]:
        return {f"127.0.0.1:{self.server.port}", f"localhost:{self.server.port}"}

    def _host_ok(self) -> bool:
        return (self.headers.get("Host") or "") in self._allowed_origins()

    def _origin_ok(self) -> bool:
        origin = self.headers.get("Origin") or self.headers.get("Referer")
        if not origin:
            return False
        parts = urlsplit(origin)
        return parts.scheme == "http" and parts.netloc in self._allowed_origins()

    def _session(self) -> tuple[str, bool]:
        cookie = SimpleCookie(self.headers.get("Cookie") or "")
        name = f"review_session_{self.server.port}"
        if name in cookie and len(cookie[name].value) >= 32:
            return cookie[name].value, False
        return secrets.token_urlsafe(32), True

    def _reviewer(self) -> str:
        cookie = SimpleCookie(self.headers.get("Cookie") or "")
        name = f"review_reviewer_{self.server.port}"
        value = unquote(cookie[name].value) if name in cookie else ""
        return value.strip()[:80] or self.app.default_reviewer

    def _send(self, status: int, body: bytes, content_type: str, headers: Mapping[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**SECURITY_HEADERS, **(headers or {})}.items():
            self.send_header(name, value)
        for cookie in getattr(self, "_cookies", []):
            self.send_header("Set-Cookie", cookie)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _page(self, template: str, status: int = 200, **context: Any) -> None:
        session, new = self._session()
        if new:
            self._set_cookie(f"review_session_{self.server.port}", session, http_only=True)
        context = {"store": self.app.store, "csrf": self.app.csrf_token(session), "reviewer": self._reviewer(),
                   "draft_url": draft_url, "product_url": product_url, "flash": "", "flash_kind": "", **context}
        self._send(status, render(template, **context).encode("utf-8"), "text/html; charset=utf-8")

    def _set_cookie(self, name: str, value: str, *, http_only: bool) -> None:
        flags = "; Path=/; SameSite=Strict" + ("; HttpOnly" if http_only else "") + "; Max-Age=31536000"
        self._cookies = [*getattr(self, "_cookies", []), f"{name}={value}{flags}"]

    def _redirect(self, location: str) -> None:
        self._send(HTTPStatus.SEE_OTHER, b"", "text/plain", {"Location": location})

    def _message(self, status: int, heading: str, lines: list[str], kind: str = "", **extra: Any) -> None:
        self._page("message.html.j2", status, heading=heading, lines=lines, kind=kind,
                   show_import_form=extra.get("show_import_form", False))

    def _query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query, keep_blank_values=True).items()}

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_FORM_BYTES:
            raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "the form is too large")
        raw = self.rfile.read(length).decode("utf-8", errors="replace")
        return {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    def _check_post(self, form: Mapping[str, str]) -> None:
        if not self._origin_ok():
            raise _Refused(HTTPStatus.FORBIDDEN, "this request did not come from the review app's own page")
        session, new = self._session()
        token = form.get("csrf", "")
        if new or not hmac.compare_digest(token, self.app.csrf_token(session)):
            raise _Refused(HTTPStatus.FORBIDDEN, "the page is out of date (the app restarted or the session "
                                                 "expired); reload it and try again")

    # -- dispatch -----------------------------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        self._handle({"/": self._list, "/bulk": self._bulk_confirm, "/decisions.csv": self._export,
                      "/import": self._import_form, "/favicon.ico": self._no_icon,
                      "/collections": lambda: collections_page(self)},
                     prefixes={"/draft/": self._draft, "/product/": self._product, "/static/": self._static})

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_POST(self) -> None:  # noqa: N802
        self._handle({"/decide": self._decide, "/bulk": self._bulk, "/reviewer": self._save_reviewer,
                      "/import": self._import, "/check": self._check, "/link": self._link,
                      "/collections/decide": lambda: collections_decide(self)}, prefixes={}, post=True)

    def _handle(self, routes: Mapping[str, Callable[[], None]], prefixes: Mapping[str, Callable[[str], None]],
                post: bool = False) -> None:
        path = urlsplit(self.path).path
        try:
            if not self._host_ok():
                raise _Refused(HTTPStatus.MISDIRECTED_REQUEST, "unknown Host: open the app at its 127.0.0.1 address")
            if path in routes:
                routes[path]()
                return
            for prefix, handler in prefixes.items():
                if path.startswith(prefix):
                    handler(path[len(prefix):])
                    return
            raise _Refused(HTTPStatus.NOT_FOUND, f"no page at {path}")
        except _Refused as refused:
            self._send(refused.status, refused.message.encode("utf-8") + b"\n", "text/plain; charset=utf-8")
        except PipelineError as exc:
            self._message(HTTPStatus.BAD_REQUEST, "That did not work", [str(exc)], "flash error")
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as exc:  # noqa: BLE001 - one line for the reviewer, the app keeps serving
            message = f"internal error: {type(exc).__name__}: {exc}"
            self.log_error("%s", message)
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, message.encode("utf-8") + b"\n", "text/plain; charset=utf-8")

    # -- pages --------------------------------------------------------------------------------------------
    def _rows(self, state: StateStore) -> list[Any]:
        return self.app.rows(state)

    def _list(self) -> None:
        query = self._query()
        filters = Filters.from_query(query)
        with self.app.open_state() as state:
            listing = list_page(self._rows(state), filters, self.app.source, hidden=self.app.row_cache.hidden)
        skipped = int(query["skipped"]) if query.get("skipped", "").isdigit() else 0
        flash = BulkOutcome(int(query["done"]), skipped).summary() if query.get("done", "").isdigit() else ""
        self._page("list.html.j2", listing=listing, flash=flash, flash_kind="")

    def _draft(self, rest: str) -> None:
        locale, _, quoted_id = rest.partition("/")
        product_id, locale = unquote(quoted_id), unquote(locale)
        query = self._query()
        saved = query.get("saved", "")
        self._draft_page(product_id, locale, Filters.from_query(query), saved=saved)

    def _draft_page(self, product_id: str, locale: str, filters: Filters, *, saved: str = "", status: int = 200,
                    typed: Mapping[str, str] | None = None, blocked: list[dict[str, Any]] | None = None,
                    note: str = "", approve_refused: ApprovalBlocked | None = None) -> None:
        """The draft page; after a refused edit (`blocked`), with the reviewer's typed values kept in the form; after a
        refused approval (`approve_refused`), with the note kept in the override box."""
        with self.app.open_state() as state:
            view = draft_view(state, self.app.fresh_source(), product_id, locale)
            if view is None or view.draft.status == "abstained":
                raise _Refused(HTTPStatus.NOT_FOUND, f"no draft for product {product_id!r} in locale {locale!r}")
            previous, following, position, in_view = neighbours(self._rows(state), filters, product_id, locale)
            more = extras(state, self.app.ctx, view)
            links = link_panel(state, self.app.source, product_id)
        edit_notes = None
        if view.decision_state == "edited" and view.decision is not None and self.app.checker is not None:
            try:
                edit_notes = [reason(f) for f in self.app.checker(view.draft, view.decision.fields)]
            except Exception as exc:  # noqa: BLE001 - the edit is saved; only its check could not run
                edit_notes = [reason({"field": "", "code": "check_failed", "message": f"{type(exc).__name__}: {exc}"})]
        flash, flash_kind = "", ""
        if saved == "edit":
            overrode = view.decision is not None and view.decision.overrides
            flash = "Edit saved and approved." + (" It was approved over blocking findings, with your note."
                                                  if overrode else "") + \
                (" The edited text has notes: see the check below." if edit_notes else "")
            flash_kind = "warn" if edit_notes or overrode else ""
        if blocked:
            count = "1 blocking finding stands" if len(blocked) == 1 else f"{len(blocked)} blocking findings stand"
            flash = f"Not saved: {count}. Fix the text, or tick “Approve anyway” and say why in the note."
            flash_kind = "error"
        if approve_refused is not None:
            refused = len(approve_refused.blocking)
            stands = "1 blocking finding stands" if refused == 1 else f"{refused} blocking findings stand"
            flash = f"Not approved: {stands}. Tick “Approve anyway” and say why in the note, or edit the text."
            flash_kind = "error"
        values = {f.name: (f.after if not f.left_alone else "") for f in view.fields}
        if typed is not None:
            values = {name: typed.get(name, "") for name in DRAFT_FIELDS}
        self._page("draft.html.j2", status, view=view, more=more, filters=filters, previous=previous,
                   following=following, position=position, in_view=in_view, edit_notes=edit_notes, flash=flash,
                   flash_kind=flash_kind, primary_locale=self.app.source.primary_locale, values=values,
                   blocked=blocked or [], typed_note=note if approve_refused is None else "",
                   measure=self.app.measure, limits=self.app.limits, links=links,
                   approve_note=note if approve_refused is not None else "")

    def _product(self, rest: str) -> None:
        product_id = unquote(rest)
        filters = Filters.from_query(self._query())
        with self.app.open_state() as state:
            page = product_page(state, self.app.ctx, product_id)
        if page is None:
            raise _Refused(HTTPStatus.NOT_FOUND, f"no product {product_id!r}")
        self._page("product.html.j2", product=page, filters=filters, limits=self.app.limits)

    def _static(self, name: str) -> None:
        if name not in STATIC_FILES:
            raise _Refused(HTTPStatus.NOT_FOUND, "no such file")
        self._send(200, static_file(name).encode("utf-8"), STATIC_FILES[name],
                   {"Cache-Control": "no-cache"})

    def _no_icon(self) -> None:
        self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")

    def _bulk_confirm(self) -> None:
        filters = Filters.from_query(self._query())
        with self.app.open_state() as state:
            rows = self._rows(state)
            listing = list_page(rows, filters, self.app.source, page_size=1)
        undecided = [r for r in filter_rows(rows, replace(filters, page=1)) if r.decision in ("undecided", "stale")]
        self._page("bulk.html.j2", filters=filters, count=listing.undecided, blocked=len(blocked_rows(undecided)))

    def _export(self) -> None:
        with self.app.open_state() as state:
            out = io.StringIO()
            count = export_decisions(state, self.app.fresh_source(), out)
        self._send(200, out.getvalue().encode("utf-8"), "text/csv; charset=utf-8",
                   {"Content-Disposition": f'attachment; filename="{self.app.store}-decisions.csv"',
                    "X-Rows": str(count)})

    def _import_form(self) -> None:
        self._message(200, "Import decisions from a CSV",
                      ["A CSV exported from this app, with the decision column filled in (approved, edited or "
                       "rejected; blank rows are skipped). Edited cells are sanitised and applied as edits."],
                      show_import_form=True)

    # -- actions ------------------------------------------------------------------------------------------
    def _decide(self) -> None:
        form = self._form()
        self._check_post(form)
        product_id, locale, action = form.get("id", ""), form.get("draft_locale", ""), form.get("action", "")
        filters = Filters.from_query(form)
        back_to_product = form.get("back") == "product"  # a flag, never an address: no open redirect
        if action == "edit":
            edits = {name: form[name].replace("\r\n", "\n") for name in DRAFT_FIELDS if name in form}
            note = form.get("note", "")
            with self.app.open_state() as state:
                outcome = save_edit(state, self.app.checker, product_id, locale, edits, reviewer=self._reviewer(),
                                    note=note, override=form.get("override") == "1")
            if not outcome.saved:
                self._draft_page(product_id, locale, filters, status=HTTPStatus.CONFLICT, typed=edits,
                                 blocked=outcome.blocking, note=note)
                return
            self._redirect(draft_url(product_id, locale, filters) + ("&" if filters.query() else "?")
                           + "saved=edit")
            return
        try:
            with self.app.open_state() as state:
                decide(state, product_id, locale, action, reviewer=self._reviewer(), note=form.get("note", ""),
                       override=form.get("override") == "1")
        except ApprovalBlocked as refused:  # the draft page says why and offers the override
            self._draft_page(product_id, locale, filters, status=HTTPStatus.CONFLICT, note=form.get("note", ""),
                             approve_refused=refused)
            return
        with self.app.open_state() as state:
            if back_to_product:
                self._redirect(product_url(product_id, filters) + f"#locale-{quote(locale, safe='')}")
                return
            _, following, _, _ = neighbours(self._rows(state), filters, product_id, locale)
        if following is None:
            self._redirect("/?" + urlencode(filters.query()))
        else:
            self._redirect(draft_url(following.product_id, following.locale, filters))

    def _link(self) -> None:
        """Accept or reject one suggested link (or accept every one that can be placed), then back to the draft."""
        form = self._form()
        self._check_post(form)
        product_id, locale = form.get("id", ""), form.get("draft_locale", "")
        filters = Filters.from_query(form)
        with self.app.open_state() as state:
            decide_links(state, self.app.fresh_source(), product_id, form.get("action", ""),
                         reviewer=self._reviewer(), target_kind=form.get("target_kind", ""),
                         target_id=form.get("target_id", ""))
        self._redirect(draft_url(product_id, locale or self.app.source.primary_locale, filters) + "#links")

    def _check(self) -> None:
        """The live check of an edit as the reviewer types: findings in words and the counters, as JSON."""
        form = self._form()
        self._check_post(form)
        product_id, locale = form.get("id", ""), form.get("draft_locale", "")
        edits = {name: form[name].replace("\r\n", "\n") for name in DRAFT_FIELDS if name in form}
        with self.app.open_state() as state:
            draft = get_draft(state, product_id, locale)
        if draft is None:
            raise _Refused(HTTPStatus.NOT_FOUND, f"no draft for product {product_id!r} in locale {locale!r}")
        fields = edited_fields(draft, edits)
        if self.app.checker is None or not fields:
            answer: dict[str, Any] = {"findings": [], "blocking": 0, "counters": {}}
        else:
            checker = self.app.checker
            live = getattr(checker, "live", None)
            answer = live(draft, fields) if live is not None else {
                "findings": [reason(f) for f in checker(draft, fields)], "counters": {}}
            answer["blocking"] = sum(1 for f in answer["findings"] if f["blocking"])
        self._send(200, json.dumps(answer, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _bulk(self) -> None:
        form = self._form()
        self._check_post(form)
        filters = Filters.from_query(form)
        expected = int(form["expected"]) if form.get("expected", "").isdigit() else -1
        with self.app.open_state() as state:
            done = bulk_approve(state, self._rows(state), filters, reviewer=self._reviewer(), expected=expected)
        self._redirect("/?" + urlencode({**filters.query(page=1), "done": done.approved, "skipped": done.blocked}))

    def _save_reviewer(self) -> None:
        form = self._form()
        self._check_post(form)
        name = " ".join(form.get("reviewer", "").split())[:80]
        if name:
            self._set_cookie(f"review_reviewer_{self.server.port}", quote(name), http_only=True)
        referer = urlsplit(self.headers.get("Referer") or "/")
        self._redirect((referer.path or "/") + (f"?{referer.query}" if referer.query else ""))

    def _import(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_UPLOAD_BYTES:
            raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "the file is too large")
        parts = _multipart(self.headers.get("Content-Type") or "", self.rfile.read(length))
        self._check_post({"csrf": parts.get("csrf", b"").decode("utf-8", errors="replace")})
        if not parts.get("file"):
            raise _Refused(HTTPStatus.BAD_REQUEST, "choose a CSV file to import")
        text = parts["file"].decode("utf-8-sig", errors="replace")
        with self.app.open_state() as state:
            result = import_decisions(state, io.StringIO(text), name="uploaded CSV", reviewer=self._reviewer())
        self._message(200, "Import finished", result.lines(), "flash")


class _Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = int(status), message


def _multipart(content_type: str, body: bytes) -> dict[str, bytes]:
    """Fields of a multipart/form-data body (the cgi module is gone from the standard library)."""
    if not content_type.startswith("multipart/form-data"):
        return {}
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + body)
    fields: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            payload = part.get_payload(decode=True)  # bytes for a non-multipart part
            fields[str(name)] = payload if isinstance(payload, bytes) else b""
    return fields


def serve(app: ReviewApp, port: int, *, open_browser: bool, ready: Callable[[str], None] | None = None) -> None:
    """Serve until interrupted; open the browser on the list page when asked and possible."""
    server = ReviewServer(app, port)
    if ready is not None:
        ready(server.url)
    if open_browser:
        import webbrowser

        try:
            webbrowser.open(server.url)
        except Exception:  # noqa: BLE001 - no browser is fine: the URL is printed
            pass
    try:
        server.serve_forever()
    finally:
        server.server_close()


def login_name() -> str:
    """Who is at the keyboard by default: $USER, else the login name, else 'reviewer'."""
    import getpass

    try:
        return os.environ.get("USER") or getpass.getuser() or "reviewer"
    except Exception:  # noqa: BLE001 - no user database entry (some containers)
        return "reviewer"


def app_for_workspace(workspace: Workspace, settings: Settings, *, reviewer: str | None = None,
                      env: Mapping[str, str] | None = None) -> ReviewApp:
    """The app for one store: artefacts loaded, state opened per request, edits checked like drafts are; links to
    the storefront and the admin when a store is configured (SHOPIFY_STORE)."""
    from pipeline.stages.review.checks import EditChecker

    source = ReviewSource(workspace, settings.primary_locale)

    def open_state() -> StateStore:
        return StateStore(workspace.state_db)

    who = reviewer or login_name()
    context = Context.of(source, settings.limits, store_links(os.environ if env is None else env), settings.store)
    return ReviewApp(store=settings.store, source=source, open_state=open_state, default_reviewer=who,
                     checker=EditChecker(settings, source, open_state, context.catalogue), limits=settings.limits,
                     links=context.links, context=context)


def store_links(env: Mapping[str, str]) -> StoreLinks:
    """Links to the configured store (SHOPIFY_STORE); none when it is unset or not a store address."""
    from pipeline.errors import ConfigError
    from pipeline.shopify.auth import shop_domain

    value = env.get("SHOPIFY_STORE", "").strip()
    if not value:
        return StoreLinks()
    try:
        return StoreLinks(shop_domain(value))
    except ConfigError:
        return StoreLinks()


def run_review(workspace: Workspace, settings: Settings, *, port: int | None, open_browser: bool, reviewer: str | None,
               export_path: Path | None = None, import_path: Path | None = None) -> list[str]:
    """Reads drafts and decisions from state.db (and a decisions CSV with --import). Writes decisions to state.db,
    or a decisions CSV with --export; otherwise serves the review app until Ctrl-C."""
    import sys
    import time

    from pipeline.errors import ConfigError, InputError
    from pipeline.state.decisions import count_decisions, count_history
    from pipeline.workspace import atomic_path

    who = reviewer or login_name()
    if export_path is not None or import_path is not None:
        with StateStore(workspace.state_db) as state:
            lines = []
            if import_path is not None:
                try:
                    with open(import_path, encoding="utf-8-sig", newline="") as handle:
                        result = import_decisions(state, handle, name=str(import_path), reviewer=who)
                except FileNotFoundError:
                    raise InputError("file not found", file=str(import_path)) from None
                except UnicodeDecodeError:
                    raise InputError("not UTF-8 text", file=str(import_path)) from None
                lines += [f"review: import: {line}" for line in result.lines()]
            if export_path is not None:
                source = ReviewSource(workspace, settings.primary_locale)
                with atomic_path(export_path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as out:
                    rows = export_decisions(state, source, out)
                lines += [f"review: exported {rows:,} drafts with their decisions", f"  wrote {export_path}"]
        return lines

    port = port if port is not None else settings.review.port
    if not 0 <= port <= 65535:
        raise ConfigError(f"port {port} is not a TCP port (0-65535)")
    app = app_for_workspace(workspace, settings, reviewer=who)
    with StateStore(workspace.state_db) as state:
        run_id = state.start_run("review")
        before = count_history(state)
        drafts = len(app.rows(state))  # also makes the first page fast
    started = time.monotonic()

    def announce(url: str) -> None:
        waiting = f"{drafts:,} drafts" if drafts else f"no drafts yet (run {command('generate')})"
        if app.row_cache.hidden:
            waiting += f", {app.row_cache.hidden:,} of products no longer in the catalogue left out"
        print(f"review: {url} (127.0.0.1 only; reviewer {who}; {waiting}); Ctrl-C to stop", flush=True)

    status = "ok"
    try:
        _stop_on_sigterm()
        serve(app, port, open_browser=open_browser, ready=announce)
    except OSError as exc:
        status = "failed"
        raise ConfigError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); choose another with PORT=N "
                          "or --port N") from None
    except KeyboardInterrupt:
        print(file=sys.stderr)
    finally:
        with StateStore(workspace.state_db) as state:
            made = count_history(state) - before
            totals = count_decisions(state).by_decision
            state.finish_run(run_id, status, {"decisions_made": made, **totals})
    kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(totals.items())) or "none"
    return [f"review: {made:,} decisions in this session; current decisions: {kinds}; "
            f"{time.monotonic() - started:.0f} s"]


def _stop_on_sigterm() -> None:
    """A terminated app (closed terminal, `kill`) stops like Ctrl-C: the run is recorded and summarised."""
    import signal

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)
