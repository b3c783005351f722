"""Decisions in state.db: kept across restarts, sanitised, and never approving regenerated text silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.state.decisions import (
    approved_changes,
    count_decisions,
    decision_history,
    get_decision,
    list_decisions,
    record_decision,
    stale_decisions,
)
from pipeline.state.drafts import Draft, save_draft
from pipeline.state.store import StateStore


def make_draft(product_id: str, locale: str = "en", **overrides: str | None) -> Draft:
    values: dict = {"title": f"Linen Duvet Cover {product_id}", "body_html": f"<p>Washed linen {product_id}.</p>",
                    "seo_title": f"Linen duvet cover {product_id}", "seo_description": "A washed linen duvet cover.",
                    "handle": None, "prompt_hash": "p", "input_hash": "i", "provider": "offline", "model": "t",
                    "status": "passed"}
    values.update(overrides)
    return Draft(product_id=product_id, locale=locale, **values)


@pytest.fixture
def state(tmp_path: Path):
    with StateStore(tmp_path / "state.db") as store:
        yield store


def test_decisions_survive_reopening_the_store_and_history_keeps_every_one(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with StateStore(path) as state:
        draft = make_draft("1")
        save_draft(state, draft)
        record_decision(state, draft, "rejected", reviewer="ana")
        record_decision(state, draft, "approved", reviewer="ben", note="ok after all")
    with StateStore(path) as state:
        current = get_decision(state, "1", "en")
        assert current is not None and current.decision == "approved" and current.reviewer == "ben"
        assert current.note == "ok after all"
        assert [d.decision for d in decision_history(state, "1")] == ["rejected", "approved"]
        assert count_decisions(state).by_decision == {"approved": 1}


def test_approved_changes_hold_final_values_and_skip_rejected_and_untouched(state: StateStore) -> None:
    approved, edited, rejected, undecided = (make_draft(str(i)) for i in range(1, 5))
    for draft in (approved, edited, rejected, undecided):
        save_draft(state, draft)
    record_decision(state, approved, "approved", reviewer="ana")
    record_decision(state, edited, "edited", reviewer="ana", edits={"title": "Stonewashed Linen Duvet Cover"})
    record_decision(state, rejected, "rejected", reviewer="ana")

    changes = {c.product_id: c for c in approved_changes(state)}
    assert set(changes) == {"1", "2"}
    assert changes["1"].fields == {"title": approved.title, "body_html": approved.body_html,
                                   "seo_title": approved.seo_title, "seo_description": approved.seo_description}
    assert changes["2"].fields["title"] == "Stonewashed Linen Duvet Cover"
    assert changes["2"].fields["seo_title"] == edited.seo_title
    assert changes["2"].decision == "edited"


def test_edited_html_is_stored_without_script_or_event_handlers(state: StateStore) -> None:
    draft = make_draft("1")
    save_draft(state, draft)
    record_decision(state, draft, "edited", reviewer="ana", edits={
        "body_html": '<p>Soft<script>alert(1)</script> linen <img src=x onerror="alert(2)"></p>'
                     '<a href="javascript:alert(3)">x</a>',
        "title": "<b>Linen</b> &lt;script&gt;alert(4)&lt;/script&gt; cover"})
    stored = get_decision(state, "1", "en")
    assert stored is not None
    body, title = stored.fields["body_html"], stored.fields["title"]
    for text in (body, title):
        assert "<script" not in text.lower() and "onerror" not in text.lower() and "javascript:" not in text
    assert "<p>Soft linen </p>" in body
    assert title == "Linen cover"


def test_a_regenerated_draft_is_not_approved_by_the_old_decision(state: StateStore) -> None:
    draft = make_draft("1")
    save_draft(state, draft)
    record_decision(state, draft, "approved", reviewer="ana")
    assert [c.product_id for c in approved_changes(state)] == ["1"]

    save_draft(state, make_draft("1", title="Regenerated Title"))
    assert approved_changes(state) == []
    stale = stale_decisions(state)
    assert [(s.decision.product_id, s.reason) for s in stale] == [("1", "draft changed")]


def test_an_edit_identical_to_the_draft_counts_as_a_plain_approval(state: StateStore) -> None:
    draft = make_draft("1")
    save_draft(state, draft)
    made = record_decision(state, draft, "edited", reviewer="ana", edits={"title": draft.title})
    assert made.decision == "approved"
    assert [d.product_id for d in list_decisions(state, decision="approved", locale="en")] == ["1"]


def test_a_decision_needs_a_reviewer_and_a_known_kind(state: StateStore) -> None:
    draft = make_draft("1")
    with pytest.raises(ValueError, match="reviewer"):
        record_decision(state, draft, "approved", reviewer="  ")
    with pytest.raises(ValueError, match="decision must be one of"):
        record_decision(state, draft, "maybe", reviewer="ana")
    assert list_decisions(state) == []
