"""The review app's link suggestions: each one shown with where push would weave it, accepted or rejected on its
own (a POST with this app's origin and the session's token, like every other), apart from the draft's decision;
a link no sentence mentions cannot be accepted."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pipeline.state.decisions import get_decision
from pipeline.state.drafts import get_draft, save_draft
from pipeline.state.link_decisions import link_decisions
from pipeline.state.store import StateStore
from tests.review_workspace import build_review_workspace
from tests.stages.review.app_client import Client, start

SOURCE = "linen-duvet-cover"
BODY = "<p>Washed linen, made by hand. Lay a wool throw at its foot. It suits a bedroom.</p>"


def suggestion(target: str, anchor: str, kind: str = "product", score: float = 0.5) -> dict:
    return {"source_product_id": SOURCE, "source_handle": SOURCE, "target_kind": kind, "target_id": target,
            "target_handle": target, "anchor": anchor, "reason": "related", "score": score}


@pytest.fixture
def workspace(tmp_path):
    workspace = build_review_workspace(tmp_path / "ws")
    with StateStore(workspace.state_db) as state:
        draft = get_draft(state, SOURCE, "en")
        draft.body_html = BODY
        save_draft(state, draft)
    pd.DataFrame([suggestion("wool-throw", "wool throw", score=0.9),
                  suggestion("oak-side-table", "oak side table <script>alert(1)</script>", score=0.8),
                  suggestion("bedroom", "bedroom", "collection", 1.0)]).to_parquet(workspace.links, index=False)
    return workspace


@pytest.fixture
def client(workspace):
    server = start(workspace)
    yield Client(server)
    server.shutdown()
    server.server_close()


def decided(workspace) -> dict[str, tuple[str, str, str]]:
    with StateStore(workspace.state_db) as state:
        return {d.target_id: (d.decision, d.anchor, d.reviewer) for d in link_decisions(state)}


def form(token: str, target: str, action: str, kind: str = "product") -> dict[str, str]:
    return {"csrf": token, "id": SOURCE, "draft_locale": "en", "target_kind": kind, "target_id": target,
            "action": action}


def items(page: str) -> dict[str, str]:
    """target path -> the list item's markup, from the links panel."""
    panel = page[page.index('id="link-list"'):]
    return {m.group(1): m.group(2) for m in re.finditer(r'data-target="([^"]+)">(.*?)</li>', panel, re.DOTALL)}


def test_each_suggestion_says_where_it_would_go_and_only_those_that_fit_can_be_accepted(client) -> None:
    status, _, page = client.get(f"/draft/en/{SOURCE}")
    assert status == 200
    shown = items(page)
    assert set(shown) == {"/products/wool-throw", "/products/oak-side-table", "/collections/bedroom"}
    assert "In the text: “Lay a wool throw at its foot.”" in shown["/products/wool-throw"]
    assert "In the text: “It suits a bedroom.”" in shown["/collections/bedroom"]
    table = shown["/products/oak-side-table"]
    assert "Cannot be woven in: no sentence of the description mentions" in table
    assert 'value="accept"' not in table and 'value="reject"' in table
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in table
    assert "Accept the 2 undecided links that fit" in page


def test_a_link_decision_needs_this_apps_origin_and_the_sessions_token(workspace, client) -> None:
    assert client.post("/link", form("0" * 64, "wool-throw", "accept"))[0] == 403
    token = client.token(f"/draft/en/{SOURCE}")
    assert client.post("/link", form(token, "wool-throw", "accept"), origin="http://attacker.example")[0] == 403
    assert client.post("/link", form(token, "wool-throw", "accept"), origin=None)[0] == 403
    assert decided(workspace) == {}
    status, headers, _ = client.post("/link", form(token, "wool-throw", "accept"))
    assert status == 303 and headers["Location"] == f"/draft/en/{SOURCE}#links"
    assert decided(workspace) == {"wool-throw": ("accepted", "wool throw", "tester")}
    shown = items(client.get(f"/draft/en/{SOURCE}")[2])
    assert "Accepted" in shown["/products/wool-throw"] and 'value="accept"' not in shown["/products/wool-throw"]


def test_links_are_decided_apart_from_the_draft(workspace, client) -> None:
    token = client.token(f"/draft/en/{SOURCE}")
    client.post("/link", form(token, "bedroom", "reject", "collection"))
    assert client.post("/decide", {"csrf": token, "id": SOURCE, "draft_locale": "en", "action": "reject"})[0] == 303
    with StateStore(workspace.state_db) as state:
        assert get_decision(state, SOURCE, "en").decision == "rejected"
    assert decided(workspace) == {"bedroom": ("rejected", "bedroom", "tester")}  # nothing accepted by the draft's
    # a rejected link can be accepted again, where it fits
    assert client.post("/link", form(token, "bedroom", "accept", "collection"))[0] == 303
    assert decided(workspace)["bedroom"][0] == "accepted"


def test_a_link_that_cannot_be_woven_in_is_not_accepted(workspace, client) -> None:
    token = client.token(f"/draft/en/{SOURCE}")
    status, _, page = client.post("/link", form(token, "oak-side-table", "accept"))
    assert status == 400 and "cannot be woven into this description" in page and "never reach the store" in page
    status, _, page = client.post("/link", form(token, "no-such-product", "accept"))
    assert status == 400 and "no suggested link" in page
    assert client.post("/link", form(token, "wool-throw", "maybe"))[0] == 400
    assert decided(workspace) == {}


def test_accept_all_accepts_the_undecided_links_that_fit(workspace, client) -> None:
    token = client.token(f"/draft/en/{SOURCE}")
    assert client.post("/link", form(token, "", "accept_all"))[0] == 303
    assert decided(workspace) == {"wool-throw": ("accepted", "wool throw", "tester"),
                                  "bedroom": ("accepted", "bedroom", "tester")}


def test_other_languages_point_to_the_main_languages_draft(client) -> None:
    status, _, page = client.get(f"/draft/fr/{SOURCE}")
    assert status == 200
    assert f'href="/draft/en/{SOURCE}#links"' in page
    assert 'action="/link"' not in page
