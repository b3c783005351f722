"""The review stage without a browser: the list a reviewer works through, one draft's diffs, decisions, report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.stages.review.stage import (
    Filters,
    ReviewSource,
    RowCache,
    bulk_approve,
    decide,
    draft_view,
    list_page,
    load_rows,
    neighbours,
)
from pipeline.stages.review.word_diff import rebuild, word_diff
from pipeline.state.decisions import approved_changes, get_decision, record_decision
from pipeline.state.drafts import get_draft, save_draft
from pipeline.state.store import StateStore
from tests.review_workspace import build_review_workspace


@pytest.fixture
def workspace(tmp_path: Path):
    return build_review_workspace(tmp_path / "ws")


@pytest.fixture
def state(workspace):
    with StateStore(workspace.state_db) as store:
        yield store


@pytest.fixture
def source(workspace):
    return ReviewSource(workspace, "en")


def test_list_is_worst_first_with_counts_for_each_filter(state, source) -> None:
    page = list_page(load_rows(state, source), Filters(), source)
    assert [(r.product_id, r.locale) for r in page.rows][:3] == [
        ("linen-duvet-cover", "en"), ("linen-duvet-cover", "fr"), ("brass-floor-lamp", "en")]
    assert page.total == 8 and page.undecided == 8
    counts = {facet: dict(values) for facet, values in page.counts.items()}
    assert counts["status"] == {"passed": 6, "flagged": 2}
    assert counts["collection"] == {"bedroom": 4, "living": 4, "lighting": 2}
    assert counts["finding"]["short_seo_description"] == 4


def test_filters_combine_and_counts_show_what_each_other_choice_would_give(state, source) -> None:
    rows = load_rows(state, source)
    page = list_page(rows, Filters(locale="fr", collection="living"), source)
    assert {(r.product_id, r.locale) for r in page.rows} == {("oak-side-table", "fr"), ("wool-throw", "fr")}
    counts = {facet: dict(values) for facet, values in page.counts.items()}
    assert counts["locale"] == {"en": 2, "fr": 2}  # switching locale would show 2 English drafts
    assert counts["collection"] == {"bedroom": 2, "living": 2, "lighting": 1}
    flagged = list_page(rows, Filters(status="flagged", reason="ungrounded_claim"), source)
    assert [r.product_id for r in flagged.rows] == ["brass-floor-lamp", "brass-floor-lamp"]
    assert list_page(rows, Filters(q="WOOL"), source).total == 2


def test_list_pages_and_neighbours_follow_the_filtered_order(state, source) -> None:
    rows = load_rows(state, source)
    second = list_page(rows, Filters(page=2), source, page_size=3)
    assert second.pages == 3 and [r.product_id for r in second.rows] == ["brass-floor-lamp", "oak-side-table",
                                                                          "oak-side-table"]
    assert list_page(rows, Filters(page=99), source, page_size=3).page == 3
    previous, following, position, total = neighbours(rows, Filters(locale="en"), "brass-floor-lamp", "en")
    assert (previous.product_id, following.product_id, position, total) == (
        "linen-duvet-cover", "oak-side-table", 2, 4)


def test_decisions_show_in_the_list_and_a_regenerated_draft_is_stale(state, source) -> None:
    decide(state, "oak-side-table", "en", "approve", reviewer="ana")
    decide(state, "wool-throw", "en", "reject", reviewer="ana")
    draft = get_draft(state, "wool-throw", "fr")
    record_decision(state, draft, "approved", reviewer="ana")
    draft.title = "Regenerated Wool Throw"
    save_draft(state, draft)
    by_key = {(r.product_id, r.locale): r.decision for r in load_rows(state, source)}
    assert by_key[("oak-side-table", "en")] == "approved"
    assert by_key[("wool-throw", "en")] == "rejected"
    assert by_key[("wool-throw", "fr")] == "stale"
    page = list_page(load_rows(state, source), Filters(decision="stale"), source)
    assert [(r.product_id, r.locale) for r in page.rows] == [("wool-throw", "fr")]


def test_the_row_cache_follows_decisions_and_regenerated_drafts(state, source) -> None:
    cache = RowCache(source)
    first = cache.rows(state)
    assert cache.rows(state) is first  # nothing changed: no reload
    decide(state, "oak-side-table", "en", "approve", reviewer="ana")
    patched = {(r.product_id, r.locale): r for r in cache.rows(state)}
    assert patched[("oak-side-table", "en")].decision == "approved"
    assert patched[("oak-side-table", "en")].reviewer == "ana"
    assert [r.product_id for r in cache.rows(state)] == [r.product_id for r in first]  # same order
    draft = get_draft(state, "oak-side-table", "en")
    draft.seo_title = "Regenerated"
    save_draft(state, draft)
    reloaded = {(r.product_id, r.locale): r.decision for r in cache.rows(state)}
    assert reloaded[("oak-side-table", "en")] == "stale"


def test_drafts_of_products_gone_from_the_catalogue_are_left_out(workspace, state, source, capsys) -> None:
    from tests.review_workspace import draft_for

    save_draft(state, draft_for("deleted-on-the-store", "Old Lamp", "en"))
    cache = RowCache(source)
    rows = cache.rows(state)
    assert "deleted-on-the-store" not in {r.product_id for r in rows} and cache.hidden == 1
    assert list_page(rows, Filters(), source, hidden=cache.hidden).hidden == 1
    assert main(cli(workspace, "review-report")) == 0
    assert "8 drafts (no decisions yet); 1 drafts of products no longer in the catalogue left out" in (
        capsys.readouterr().out)


def test_draft_view_diffs_each_field_against_the_store_and_sanitises_the_preview(state, source) -> None:
    view = draft_view(state, source, "brass-floor-lamp", "en")
    fields = {f.name: f for f in view.fields}
    assert fields["title"].before == "Brass Floor Lamp" and fields["title"].after == "Brass Floor Lamp by Nordhaus"
    assert fields["title"].diff.words_added == 2 and fields["title"].diff.words_removed == 0
    assert fields["handle"].left_alone and not fields["handle"].diff.changed
    assert "<script" not in view.rendered_body("before") and "Solid brass." in view.rendered_body("before")
    assert [f["code"] for f in view.findings] == ["thin_description", "missing_seo_description"]
    assert view.validation[0]["code"] == "ungrounded_claim"
    assert view.targets[0]["keyword"] == "brass floor lamp en"
    assert draft_view(state, source, "no-such-product", "en") is None


def test_other_locales_compare_with_the_store_translation_when_there_is_one(workspace, state) -> None:
    pd.DataFrame([{"product_id": "wool-throw", "locale": "fr", "key": "title", "value": "Plaid en laine",
                   "digest": "d", "primary": False, "outdated": False, "updated_at": None}]).to_parquet(
        workspace.locales, index=False)
    view = draft_view(state, ReviewSource(workspace, "en"), "wool-throw", "fr")
    title = next(f for f in view.fields if f.name == "title")
    assert title.before == "Plaid en laine"
    assert next(f for f in view.fields if f.name == "seo_title").before == ""


def test_an_edit_is_what_the_view_shows_and_what_push_gets(state, source) -> None:
    decide(state, "oak-side-table", "en", "edit", reviewer="ana",
           edits={"title": "Oiled Oak Side Table", "body_html": '<p onclick="x()">Oiled oak.</p><script>x()</script>'})
    view = draft_view(state, source, "oak-side-table", "en")
    fields = {f.name: f for f in view.fields}
    assert fields["title"].after == "Oiled Oak Side Table"
    assert fields["body_html"].after == "<p>Oiled oak.</p>"
    assert view.decision_state == "edited"
    change = approved_changes(state)[0]
    assert change.fields["title"] == "Oiled Oak Side Table" and change.fields["body_html"] == "<p>Oiled oak.</p>"


def test_decide_refuses_unknown_actions_and_drafts(state) -> None:
    with pytest.raises(InputError, match="unknown action"):
        decide(state, "oak-side-table", "en", "maybe", reviewer="ana")
    with pytest.raises(InputError, match="no draft for product 'nope'"):
        decide(state, "nope", "en", "approve", reviewer="ana")


def test_bulk_approve_takes_the_undecided_of_the_filtered_set_and_checks_the_count(state, source) -> None:
    decide(state, "oak-side-table", "fr", "reject", reviewer="ana")
    rows = load_rows(state, source)
    filters = Filters(locale="fr", status="passed")
    with pytest.raises(InputError, match="now has 2 undecided drafts, not 3"):
        bulk_approve(state, rows, filters, reviewer="ben", expected=3)
    assert get_decision(state, "wool-throw", "fr") is None
    assert bulk_approve(state, rows, filters, reviewer="ben", expected=2).approved == 2
    assert get_decision(state, "oak-side-table", "fr").decision == "rejected"  # a person's decision stays
    assert get_decision(state, "wool-throw", "fr").reviewer == "ben"
    assert get_decision(state, "brass-floor-lamp", "fr") is None  # flagged: outside the filter


@pytest.mark.parametrize("before, after", [
    ("Soft washed linen duvet cover, queen size.", "Soft stonewashed linen duvet cover in queen size!"),
    ("", "A new description."), ("Old text only.", ""), ("Café crème — 2×3 m", "Café au lait — 2×3 m"),
])
def test_word_diff_rebuilds_both_sides(before: str, after: str) -> None:
    diff = word_diff(before, after)
    assert rebuild(diff, "before") == before and rebuild(diff, "after") == after


def test_word_diff_counts_words_and_keeps_html_tags_whole() -> None:
    diff = word_diff("Soft washed linen, queen.", "Soft stonewashed linen in queen.")
    assert (diff.words_removed, diff.words_added) == (1, 2)
    html = word_diff("<p>Washed linen.</p>", "<p>Washed <strong>linen</strong> cover.</p>", html=True)
    assert [s.text for s in html.segments if s.op == "insert"] == ["<strong>", "</strong> cover"]
    assert not word_diff("same", "same").changed


# -- the command line --------------------------------------------------------------------------------------
def cli(workspace, *args: str) -> list[str]:
    return ["--workspace", str(workspace.root.parent), "--store", workspace.store_name, *args]


def test_review_report_writes_one_html_file_of_every_diff(workspace, state, capsys) -> None:
    decide(state, "oak-side-table", "en", "approve", reviewer="ana")
    assert main(cli(workspace, "review-report")) == 0
    out = capsys.readouterr().out
    assert "review-report: 8 drafts (approved 1)" in out
    html = (workspace.root / "review_report.html").read_text()
    assert html.count('class="report-item"') == 8
    assert "Oak Side Table<ins> by Nordhaus</ins>" in html
    assert "alert('store')" not in html  # the store's own <script> is neither rendered nor run
    assert not list(workspace.root.glob(".review_report.html.*"))


def test_export_then_import_records_the_spreadsheet_decisions(workspace, state, tmp_path, capsys) -> None:
    exported = tmp_path / "decisions.csv"
    assert main(cli(workspace, "review", "--export", str(exported))) == 0
    frame = pd.read_csv(exported, dtype=str, keep_default_na=False)
    assert len(frame) == 8 and set(frame["decision"]) == {""}
    assert (frame.loc[0, "product_id"], frame.loc[0, "validation"]) == ("brass-floor-lamp", "ungrounded_claim")
    frame.loc[0, "decision"] = "approved"
    frame.loc[0, "note"] = "Made by hand: the maker's label says so."  # approving over its blocking finding
    frame.loc[1, "decision"] = "reject"
    frame.loc[2, "decision"] = "approved"
    frame.loc[2, "title"] = "=HYPERLINK(\"http://evil\") Brass Lamp <script>x</script>"
    frame.to_csv(exported, index=False)
    assert main(cli(workspace, "review", "--import", str(exported), "--reviewer", "sheet")) == 0
    assert "recorded 3 decisions (approved 1, edited 1, rejected 1)" in capsys.readouterr().out
    edited = get_decision(state, frame.loc[2, "product_id"], frame.loc[2, "locale"])
    assert edited.decision == "edited" and "<script" not in edited.fields["title"]
    assert edited.reviewer == "sheet"
    overridden = get_decision(state, "brass-floor-lamp", "en")
    assert overridden.decision == "approved" and overridden.overrides == ("ungrounded_claim",)

    assert main(cli(workspace, "review", "--export", str(exported))) == 0
    again = pd.read_csv(exported, dtype=str, keep_default_na=False)
    assert again.loc[2, "title"].startswith("'=HYPERLINK")  # a spreadsheet shows it as text, not a formula
    assert main(cli(workspace, "review", "--import", str(exported))) == 0
    assert "recorded 0 decisions (none); 3 unchanged" in capsys.readouterr().out


@pytest.mark.parametrize("edit, message", [
    (lambda f: f.assign(decision=["maybe"] + [""] * 7),
     "decisions.csv: row 2: column 'decision': decision 'maybe' is not one of approved, edited, rejected"),
    (lambda f: f.drop(columns=["locale"]), "decisions.csv: column 'locale': missing column"),
    (lambda f: f.rename(columns={"title": "titel"}), "decisions.csv: column 'titel': unknown column"),
    (lambda f: f.assign(product_id=["gone"] * 8, decision=["approved"] * 8),
     "decisions.csv: row 2: column 'product_id': no draft for product 'gone' in locale 'en'"),
])
def test_a_bad_import_names_file_row_and_column_and_records_nothing(workspace, state, tmp_path, capsys, edit,
                                                                    message) -> None:
    exported = tmp_path / "decisions.csv"
    main(cli(workspace, "review", "--export", str(exported)))
    edit(pd.read_csv(exported, dtype=str, keep_default_na=False)).to_csv(exported, index=False)
    capsys.readouterr()
    assert main(cli(workspace, "review", "--import", str(exported))) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {tmp_path}/") and message in err and "\n" not in err
    assert state.db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0


def test_import_skips_rows_whose_draft_was_regenerated_after_the_export(workspace, state, tmp_path,
                                                                        capsys) -> None:
    exported = tmp_path / "decisions.csv"
    main(cli(workspace, "review", "--export", str(exported)))
    frame = pd.read_csv(exported, dtype=str, keep_default_na=False)
    frame["decision"] = "approved"
    frame.to_csv(exported, index=False)
    draft = get_draft(state, frame.loc[0, "product_id"], frame.loc[0, "locale"])
    draft.body_html = "<p>Regenerated.</p>"
    save_draft(state, draft)
    capsys.readouterr()
    assert main(cli(workspace, "review", "--import", str(exported))) == 0
    out = capsys.readouterr().out
    assert "recorded 6 decisions" in out and "skipped 1 rows whose draft was regenerated" in out
    assert ("skipped 1 rows that approve a draft with a blocking finding but give no note (write why in the note "
            "column to approve it anyway): brass-floor-lamp/fr") in out
    assert get_decision(state, draft.product_id, draft.locale) is None
    assert get_decision(state, "brass-floor-lamp", "fr") is None


def test_review_without_a_catalogue_is_a_one_line_error(tmp_path, capsys) -> None:
    code = main(["--workspace", str(tmp_path), "--store", "empty", "review", "--no-browser", "--port", "0"])
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        f"error: {tmp_path / 'empty' / 'catalog.parquet'}: no catalogue yet; run `seo-pipeline pull` first")


def test_review_on_a_port_in_use_is_a_one_line_error(workspace, capsys) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(cli(workspace, "review", "--no-browser", "--port", str(port)))
    assert code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
