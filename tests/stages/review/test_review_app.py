"""The review app over HTTP: what it refuses (other hosts, other origins, missing tokens) and what it escapes."""

from __future__ import annotations

import re

from pipeline.state.decisions import get_decision, list_decisions
from pipeline.state.drafts import get_draft, save_draft
from pipeline.state.store import StateStore
from tests.stages.review.app_client import Client, start


def decisions(workspace) -> list:
    with StateStore(workspace.state_db) as state:
        return list_decisions(state)


def test_listens_on_loopback_only_and_refuses_other_hosts(server, client) -> None:
    assert server.server_address[0] == "127.0.0.1"
    status, _, body = client.get("/", Host="attacker.example")
    assert status == 421 and "unknown Host" in body and "<table" not in body
    assert client.get("/", Host=f"localhost:{server.port}")[0] == 200


def test_pages_forbid_inline_script_and_framing(client) -> None:
    status, headers, _ = client.get("/")
    assert status == 200
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"


def test_a_post_needs_this_apps_origin_and_the_sessions_token(workspace, server, client) -> None:
    form = {"id": "oak-side-table", "draft_locale": "en", "action": "approve"}
    assert client.post("/decide", form | {"csrf": "0" * 64})[0] == 403
    token = client.token()
    status, _, body = client.post("/decide", form | {"csrf": token}, origin="http://attacker.example")
    assert status == 403 and "did not come from the review app" in body
    assert client.post("/decide", form | {"csrf": token}, origin=None)[0] == 403
    other = Client(server)
    other.token()
    other_status, _, other_body = other.post("/decide", form | {"csrf": token})  # a token of another session
    assert other_status == 403 and "reload it" in other_body
    assert decisions(workspace) == []

    status, headers, _ = client.post("/decide", form | {"csrf": token})
    assert status == 303 and headers["Location"].startswith("/draft/")
    made = decisions(workspace)
    assert [(d.product_id, d.decision, d.reviewer) for d in made] == [("oak-side-table", "approved", "tester")]


def test_model_and_store_text_is_escaped_and_the_preview_sanitised(workspace, client) -> None:
    with StateStore(workspace.state_db) as state:
        draft = get_draft(state, "wool-throw", "en")
        draft.title = '<img src=x onerror="alert(1)">Wool Throw'
        draft.body_html = '<p>Soft<img src=x onerror="alert(2)"><script>alert(3)</script></p>'
        save_draft(state, draft)
    status, _, page = client.get("/draft/en/wool-throw")
    assert status == 200
    assert not re.search(r"<[^>]*onerror", page) and "<script>alert" not in page
    assert "&lt;img src=x onerror=" in page  # shown as text in the diff, never as markup
    listing = client.get("/?q=wool")[2]
    assert not re.search(r"<[^>]*onerror", listing)


def test_an_edit_is_stored_sanitised_and_checked_again(workspace, client) -> None:
    token = client.token("/draft/en/oak-side-table")
    form = {"csrf": token, "id": "oak-side-table", "draft_locale": "en", "action": "edit",
            "title": "OAK TABLE <script>alert(1)</script>", "seo_title": "Oak Side Table | Nordhaus",
            "body_html": '<p onmouseover="x()">Oiled oak.<img src=x onerror=alert(2)></p>\r\n<script>y()</script>',
            "seo_description": "", "handle": "", "note": "shorter"}
    status, headers, _ = client.post("/decide", form)
    assert status == 303 and "saved=edit" in headers["Location"]
    with StateStore(workspace.state_db) as state:
        made = get_decision(state, "oak-side-table", "en")
    assert made.decision == "edited" and made.note == "shorter"
    assert made.fields["title"] == "OAK TABLE" and made.fields["body_html"] == "<p>Oiled oak.</p>"
    assert "seo_description" not in made.fields  # emptied: left as it is on the store
    page = client.get(headers["Location"])[2]
    assert "Check of the edited text" in page and "all_caps" in page  # the validators ran on the edit


def test_reviewer_name_from_the_page_is_recorded(workspace, client) -> None:
    token = client.token()
    assert client.post("/reviewer", {"csrf": token, "reviewer": "Ana Lima"})[0] == 303
    client.post("/decide", {"csrf": token, "id": "wool-throw", "draft_locale": "fr", "action": "reject"})
    assert [(d.reviewer, d.decision) for d in decisions(workspace)] == [("Ana Lima", "rejected")]


def test_bulk_approve_states_the_count_and_approves_exactly_that_set(workspace, client) -> None:
    status, _, page = client.get("/bulk?locale=fr&status=passed")
    assert status == 200 and "Approve 3 drafts?" in page
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    status, _, body = client.post("/bulk", {"csrf": token, "expected": "4", "locale": "fr", "status": "passed"})
    assert status == 400 and "now has 3 undecided drafts, not 4" in body and decisions(workspace) == []
    status, headers, _ = client.post("/bulk", {"csrf": token, "expected": "3", "locale": "fr", "status": "passed"})
    assert status == 303 and "done=3" in headers["Location"]
    assert sorted((d.product_id, d.locale) for d in decisions(workspace)) == [
        ("linen-duvet-cover", "fr"), ("oak-side-table", "fr"), ("wool-throw", "fr")]
    assert "Approved 3 drafts." in client.get(headers["Location"])[2]


def test_csv_export_and_upload_import(workspace, client) -> None:
    status, headers, text = client.get("/decisions.csv")
    assert status == 200 and "attachment" in headers["Content-Disposition"] and headers["X-Rows"] == "8"
    lines = text.splitlines()
    header = lines[0].split(",")
    first = lines[1].split(",")
    first[header.index("decision")] = "rejected"
    upload = "\n".join([lines[0], ",".join(first)]) + "\n"
    token = client.token("/import")
    boundary = "----reviewtest"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n{upload}\r\n--{boundary}--\r\n").encode()
    status, _, page = client.request("POST", "/import", body, {
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": f"http://127.0.0.1:{client.port}"})
    assert status == 200 and "recorded 1 decisions (rejected 1)" in page
    assert [(d.product_id, d.decision) for d in decisions(workspace)] == [(first[0], "rejected")]


def test_decisions_outlive_the_server_and_old_pages_must_be_reloaded(workspace, server, client) -> None:
    token = client.token()
    client.post("/decide", {"csrf": token, "id": "wool-throw", "draft_locale": "en", "action": "approve"})
    server.shutdown()
    server.server_close()
    restarted = start(workspace)
    try:
        client.port = restarted.port
        assert client.post("/decide", {"csrf": token, "id": "wool-throw", "draft_locale": "fr",
                                       "action": "approve"})[0] == 403  # a page from before the restart
        page = client.get("/?decision=approved")[2]
        assert 'data-product="wool-throw" data-locale="en"' in page and "tester" in page
    finally:
        restarted.shutdown()
        restarted.server_close()


def test_a_store_without_drafts_says_what_to_run(workspace, client) -> None:
    with StateStore(workspace.state_db) as state:
        state.db.execute("DELETE FROM drafts")
    status, _, page = client.get("/")
    assert status == 200 and "No drafts yet" in page and "seo-pipeline generate" in page
    assert client.get("/draft/en/wool-throw")[0] == 404
