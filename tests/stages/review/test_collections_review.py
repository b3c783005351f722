"""The collection review CSV round trip: what a reviewer sees, what an import records, and what it refuses."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.state.collection_decisions import collection_decisions
from pipeline.state.store import StateStore
from tests.collection_push_fixtures import OLD_INTRO, CollectionStore, collection_store


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CollectionStore]:
    yield from collection_store(tmp_path, monkeypatch, connected=False)


def decisions(store: CollectionStore) -> dict[tuple[str, str], Any]:
    with StateStore(store.root / "state.db") as state:
        return collection_decisions(state)


def test_export_shows_each_draft_with_the_store_values_and_a_creation_with_its_rule(store: CollectionStore,
                                                                                    capsys: Any,
                                                                                    tmp_path: Path) -> None:
    rows = store.export(capsys, tmp_path / "c.csv")
    by = {(r["collection_handle"], r["locale"]): r for r in rows}
    assert set(by) == {("bath-mats", "en"), ("bath-mats", "fr"), ("floor-lamps", "en"), ("floor-lamps", "fr")}
    mats = by[("bath-mats", "en")]
    assert (mats["change"], mats["decision"]) == ("update", "")
    assert mats["before_description"] == OLD_INTRO
    assert mats["description"] == "<p>Six cotton bath mats in three sizes.</p>"
    assert mats["before_seo_title"] == "Old mats title"
    lamps = by[("floor-lamps", "en")]
    assert (lamps["change"], lamps["title"], lamps["handle"], lamps["rule"]) == (
        "create", "Floor Lamps", "floor-lamps", "product_type = Floor Lamps")
    assert by[("bath-mats", "fr")]["before_description"] == "<p>Nos tapis de bain.</p>"


def test_import_records_approvals_edits_and_rejections_and_export_shows_them(store: CollectionStore, capsys: Any,
                                                                             tmp_path: Path) -> None:
    code, err = store.decide(capsys, tmp_path / "c.csv", {
        ("bath-mats", "en"): {"decision": "approve", "seo_title": "Cotton Bath Mats"},
        ("bath-mats", "fr"): {"decision": "reject"},
        ("floor-lamps", "en"): {"decision": "approve", "rule": "product_type = Floor Lamps AND tag = brass"}})
    assert code == 0, err
    made = decisions(store)
    assert made[("bath-mats", "en")].decision == "edited"
    assert made[("bath-mats", "en")].fields["seo_title"] == "Cotton Bath Mats"
    assert "handle" not in made[("bath-mats", "en")].fields  # unchanged: not written
    assert made[("bath-mats", "fr")].decision == "rejected"
    assert made[("floor-lamps", "en")].fields["rule"] == "product_type = Floor Lamps AND tag = brass"
    assert ("floor-lamps", "fr") not in made  # left blank: undecided
    again = {(r["collection_handle"], r["locale"]): r for r in store.export(capsys, tmp_path / "again.csv")}
    assert again[("bath-mats", "en")]["decision"] == "approve"
    assert again[("bath-mats", "en")]["seo_title"] == "Cotton Bath Mats"
    assert again[("bath-mats", "en")]["reviewer"] == "sam"
    assert again[("bath-mats", "fr")]["decision"] == "reject"


@pytest.mark.parametrize(("cells", "message"), [
    ({"decision": "maybe"}, "column 'decision': decision 'maybe' is not approve or reject"),
    ({"decision": "approve", "handle": "Bath Mats!"}, "column 'handle': handle 'Bath Mats!' is not one Shopify"),
    ({"decision": "approve", "title": "Mats"}, "column 'title': title cannot be changed here"),
    ({"decision": "approve", "draft_hash": "0" * 24}, "column 'draft_hash': the draft was written again"),
])
def test_a_bad_row_stops_the_import_with_one_line_and_records_nothing(store: CollectionStore, capsys: Any,
                                                                      tmp_path: Path, cells: dict[str, str],
                                                                      message: str) -> None:
    code, err = store.decide(capsys, tmp_path / "c.csv", {("floor-lamps", "fr"): {"decision": "approve"},
                                                          ("bath-mats", "en"): cells})
    assert code == 2
    assert message in err and "row 2" in err and "Traceback" not in err
    assert decisions(store) == {}


def test_a_bad_rule_for_a_new_collection_is_refused(store: CollectionStore, capsys: Any, tmp_path: Path) -> None:
    code, err = store.decide(capsys, tmp_path / "c.csv", {("floor-lamps", "en"): {"decision": "approve",
                                                                                  "rule": "colour is blue"}})
    assert code == 2 and "column 'rule': rule: unknown column 'colour'" in err
    assert decisions(store) == {}


def test_a_formula_like_cell_round_trips_as_text(store: CollectionStore, capsys: Any, tmp_path: Path) -> None:
    code, err = store.decide(capsys, tmp_path / "c.csv", {("bath-mats", "en"): {
        "decision": "approve", "seo_description": "'=50% off bath mats"}})
    assert code == 0, err
    assert decisions(store)[("bath-mats", "en")].fields["seo_description"] == "=50% off bath mats"
    rows = {(r["collection_handle"], r["locale"]): r for r in store.export(capsys, tmp_path / "again.csv")}
    assert rows[("bath-mats", "en")]["seo_description"] == "'=50% off bath mats"  # escaped again in the file


def test_the_review_app_page_approves_a_creation_and_refuses_a_stale_or_forged_post(store: CollectionStore,
                                                                                      capsys: Any) -> None:
    from pipeline.config import load_settings
    from pipeline.stages.review.app import ReviewServer, app_for_workspace
    from pipeline.workspace import Workspace
    from tests.stages.review.app_client import Client

    settings = load_settings(Path(store.base[1]), store="s", workspace=store.root.parent, env={})
    server = ReviewServer(app_for_workspace(Workspace(store.root), settings, reviewer="tess"), 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        client = Client(server)
        status, _, page = client.get("/collections")
        assert status == 200
        assert "floor-lamps" in page and "product_type = Floor Lamps" in page
        assert "&lt;p&gt;Our bath mats.&lt;/p&gt;" in page  # the store's copy, escaped
        token = client.token("/collections")
        lamps = re.search(r'name="handle" value="floor-lamps">\s*<input type="hidden" name="draft_locale" '
                          r'value="en">\s*<input type="hidden" name="draft_hash" value="(\w+)"', page)
        assert lamps
        form = {"csrf": token, "handle": "floor-lamps", "draft_locale": "en", "draft_hash": lamps.group(1),
                "action": "approve"}
        assert client.post("/collections/decide", {**form, "csrf": "0" * 64})[0] == 403
        assert client.post("/collections/decide", {**form, "draft_hash": "0" * 24})[0] == 400
        assert decisions(store) == {}
        status, headers, _ = client.post("/collections/decide", form)
        assert status == 303 and headers["Location"].startswith("/collections?saved=")
        made = decisions(store)[("floor-lamps", "en")]
        assert (made.decision, made.change, made.reviewer) == ("approved", "create", "tess")
        assert made.fields["rule"] == "product_type = Floor Lamps" and made.fields["handle"] == "floor-lamps"
        assert "approved by tess" in client.get("/collections")[2]
    finally:
        server.shutdown()
        server.server_close()
