"""What a merchant reads in the review app: the search result preview and its counters, every finding in words,
the product and its fact sheet, the facts a draft keeps, adds or drops, the locales side by side, and edits held
by the gates (a blocking finding stops an approval unless the reviewer overrides it with a note, recorded)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.core.catalog import write_catalog
from pipeline.core.pixels import description_width_px, title_width_px
from pipeline.core.seo_limits import SeoLimits
from pipeline.gates.content import CODES as GATE_CODES
from pipeline.gates.sheet import fact_sheet
from pipeline.stages.audit.checks import FINDINGS as AUDIT_FINDINGS
from pipeline.stages.review import labels
from pipeline.stages.review.labels import BLOCKING, LABELS, describe, plain
from pipeline.stages.review.product import StoreLinks, fact_changes, marked_diff, price_range
from pipeline.stages.review.serp import ELLIPSIS, counters, cut, measure_table, preview
from pipeline.stages.review.word_diff import word_diff
from pipeline.state.decisions import build_decision, decision_history, get_decision, list_decisions
from pipeline.state.drafts import NOTE_CODES, Draft, get_draft, save_draft
from pipeline.state.store import StateStore
from tests.reliability.harness import live_markup
from tests.review_workspace import build_review_workspace
from tests.stages.review.app_client import Client

ROOT = Path(__file__).resolve().parents[3]


# -- the reasons in words -------------------------------------------------------------------------------------
def _validator_codes() -> set[str]:
    """Every code the validator and the generation stage can write, read from their source."""
    found: set[str] = set()
    for path in ("pipeline/gates/validate.py", "pipeline/stages/generate/stage.py"):
        text = (ROOT / path).read_text(encoding="utf-8")
        found |= set(re.findall(r'Finding\(\s*(?:[\w.\[\]"*]+|f?"[^"]*")\s*,\s*"([a-z_]+)"', text))
    return found


def test_every_finding_code_has_plain_words() -> None:
    validator = _validator_codes()
    assert {"too_wide", "ungrounded_material", "duplicate_handle", "refusal", "invalid_json"} <= validator
    wanted = set(AUDIT_FINDINGS) | set(GATE_CODES) | validator | set(NOTE_CODES)
    missing = sorted(wanted - set(LABELS))
    assert missing == []
    for code in wanted:
        label = LABELS[code]
        assert label.label and label.label[0].isupper() and "_" not in label.label, code
    assert describe("left_alone").label == "Left as it is"
    assert describe("some_new_code").label == "Some new code"  # a newer stage's code is still readable


def test_blocking_findings_are_the_ones_that_publish_something_untrue() -> None:
    assert {"facts_invented", "ungrounded_material", "ungrounded_claim", "wrong_language", "variant_as_product",
            "duplicate_handle"} <= BLOCKING
    assert not {"too_long", "too_wide", "keyword_missing", "facts_dropped", "identity_changed", "repeated_word",
                "left_alone"} & BLOCKING
    assert all(code in LABELS for code in BLOCKING) and labels.is_blocking("facts_invented")


def test_validator_messages_name_fields_in_words() -> None:
    assert plain("seo_title has 72 characters (limit 60)") == "SEO title has 72 characters (limit 60)"
    assert plain("the first 100 words of body_html do not contain") == "The first 100 words of description do not " \
                                                                      "contain"


# -- the search result ------------------------------------------------------------------------------------------
def test_a_title_is_cut_where_google_cuts_it_at_a_word() -> None:
    long = "Handwoven Merino Wool Throw Blanket in Oatmeal with Fringed Edges for Sofa and Bed"
    shown, was_cut = cut(long, 561, 20)
    assert was_cut and shown.endswith(ELLIPSIS) and title_width_px(shown) <= 561
    assert long.startswith(shown[:-len(ELLIPSIS)]) and not shown[:-len(ELLIPSIS)].endswith(" ")
    assert long[len(shown) - len(ELLIPSIS)] == " "  # cut between words
    assert cut("Oak Side Table", 561, 20) == ("Oak Side Table", False)
    snippet, cut_snippet = cut("word " * 60, 985, 14)
    assert cut_snippet and description_width_px(snippet) <= 985


def test_the_preview_uses_the_suffix_and_falls_back_like_shopify() -> None:
    limits = SeoLimits(title_suffix=" – Nordhaus")
    result = preview({"title": "Oak Side Table", "seo_title": "", "seo_description": "",
                      "body_html": "<p>Oiled <b>oak</b>, 45 cm tall.</p>", "handle": None}, limits,
                     site="nordhaus.myshopify.com", handle="oak-side-table")
    assert result.title == "Oak Side Table – Nordhaus" and result.path == "/products/oak-side-table"
    assert result.description == "Oiled oak, 45 cm tall." and result.description_from_page
    seo_title = next(c for c in result.counters if c.field == "seo_title")
    assert seo_title.chars == 0 and seo_title.px == 0
    counted = {c.field: c for c in counters({"seo_title": "x" * 61, "seo_description": "Short."}, limits)}
    assert counted["seo_title"].state == "over" and counted["seo_description"].state == "under"
    assert counted["seo_title"].px == pytest.approx(title_width_px("x" * 61 + " – Nordhaus"))


def test_the_page_measures_with_the_same_table() -> None:
    table = measure_table(SeoLimits(title_suffix=" | Shop"))
    assert table["ascii"]["W"] == 944 and table["extra"]["\u2014"] == 1000 and table["suffix"] == " | Shop"
    assert table["limits"]["seo_title_max_px"] == 561 and table["title_px"] == 20
    json.dumps(table)  # it goes to the page as JSON


# -- the product and its facts ------------------------------------------------------------------------------------
def test_price_range_and_store_links() -> None:
    assert price_range([{"price": "29.00"}, {"price": "59.5"}, {"price": ""}]) == "29.00 – 59.50"
    assert price_range([{"price": "49"}]) == "49.00" and price_range([]) == ""
    links = StoreLinks("nordhaus.myshopify.com")
    assert links.storefront("oak-side-table") == "https://nordhaus.myshopify.com/products/oak-side-table"
    assert links.admin("gid://shopify/Product/123", "x") == "https://admin.shopify.com/store/nordhaus/products/123"
    assert links.admin("oak-side-table", "oak side").endswith("/products?query=oak%20side")
    assert StoreLinks().storefront("x") is None and StoreLinks().admin("1", "x") is None


ROW = {"id": "p1", "handle": "linen-shirt", "title": "Linen Shirt", "vendor": "Nordhaus", "product_type": "Shirt",
       "body_html": "<p>A relaxed shirt in 100% linen.</p><ul><li>Machine wash at 30 °C</li>"
                    "<li>Mother-of-pearl buttons</li></ul>",
       "options": ["Colour", "Size"],
       "variants": [{"sku": "LS-1", "price": "59.00", "option1": "Sand", "option2": "M"},
                    {"sku": "LS-2", "price": "59.00", "option1": "Navy", "option2": "L"}]}


def test_fact_changes_tell_kept_dropped_and_added_and_mark_them_in_the_diff() -> None:
    sheet = fact_sheet(ROW, "en")
    after = "<p>A relaxed shirt in pure linen with silk cuffs.</p>"
    changes = fact_changes(sheet, after, "en")
    kinds = {(c.kind, c.value, c.change) for c in changes.changes}
    assert ("material", "linen", "kept") in kinds and ("percentage", "100%", "dropped") in kinds
    assert any(c.change == "added" and c.value == "silk" and not c.grounded for c in changes.changes)
    assert any(c.kind == "feature" and c.change == "dropped" for c in changes.changes)
    segments = marked_diff(word_diff(ROW["body_html"], after, html=True), changes)
    marks = {(s.op, p.text, p.css) for s in segments for p in s.pieces if p.css}
    assert ("insert", "silk", "fact-invented") in marks
    assert any(op == "delete" and css == "fact-dropped" and "100" in text for op, text, css in marks)
    assert "".join(p.text for s in segments if s.op != "insert" for p in s.pieces) == ROW["body_html"]
    assert not fact_changes(sheet, None, "en").compared  # a draft that leaves the description alone


# -- the app ----------------------------------------------------------------------------------------------------
@pytest.fixture
def workspace(tmp_path: Path):
    workspace = build_review_workspace(tmp_path / "ws")
    import pyarrow.parquet as pq

    rows = pq.read_table(workspace.catalog).to_pylist()
    for row in rows:
        if row["id"] == "wool-throw":
            row.update(options=["Colour"], variants=[
                {"sku": "WT-1", "price": "89.00", "option1": "Oatmeal"}, {"sku": "WT-2", "price": "99.00",
                                                                          "option1": "Charcoal"}])
    write_catalog(workspace.catalog, rows)
    return workspace


INVENTED = {"title": "Wool Throw", "body_html": "<p>A wool throw, made of silk, 200 cm long.</p>",
            "seo_title": "Wool Throw | Nordhaus", "seo_description": "", "handle": ""}


def _form(client: Client, action: str = "edit", **extra: str) -> dict[str, str]:
    token = client.token("/draft/en/wool-throw")
    return {"csrf": token, "id": "wool-throw", "draft_locale": "en", "action": action, **INVENTED, **extra}


def test_the_draft_page_shows_the_result_the_reasons_the_product_and_its_facts(workspace, client) -> None:
    with StateStore(workspace.state_db) as state:
        draft = get_draft(state, "wool-throw", "en")
        draft.seo_title = None
        draft.validation = [{"field": "seo_title", "code": "left_alone", "message": "the current SEO title is good"},
                            {"field": "title", "code": "too_wide", "message": "title is 600 px wide"}]
        save_draft(state, draft)
    status, _, page = client.get("/draft/en/wool-throw")
    assert status == 200
    assert 'id="serp-before"' in page and 'id="serp-after"' in page and "/products/wool-throw" in page
    assert "Meta description too short" in page  # the audit's short_seo_description, in words
    assert "Too wide for Google" in page and "Title is 600 px wide" in page
    assert "Left as it is" in page and "The current SEO title is good" in page
    assert 'id="price">89.00 – 99.00<' in page and "Oatmeal, Charcoal" in page and "Nordhaus" in page
    assert 'id="fact-sheet"' in page and 'id="fact-changes"' in page
    assert 'id="storefront-link"' not in page  # no store configured
    measure = re.search(r'<script type="application/json" id="seo-measure">(.*?)</script>', page).group(1)
    assert json.loads(measure)["limits"]["seo_description_max_chars"] == 160


def test_store_links_when_a_store_is_configured(workspace) -> None:
    from pipeline.config import load_settings
    from pipeline.stages.review.app import ReviewServer, app_for_workspace

    settings = load_settings(None, store=workspace.store_name, workspace=workspace.root.parent, env={})
    server = ReviewServer(app_for_workspace(workspace, settings, reviewer="t",
                                            env={"SHOPIFY_STORE": "nordhaus"}), 0)
    import threading

    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        page = Client(server).get("/draft/en/wool-throw")[2]
    finally:
        server.shutdown()
        server.server_close()
    assert 'href="https://nordhaus.myshopify.com/products/wool-throw"' in page
    assert "https://admin.shopify.com/store/nordhaus/products?query=wool-throw" in page
    assert 'rel="noopener noreferrer"' in page


def test_the_live_check_answers_findings_in_words_and_needs_the_token(workspace, server, client) -> None:
    form = _form(client)
    status, headers, body = client.post("/check", form)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    answer = json.loads(body)
    codes = {f["code"] for f in answer["findings"]}
    assert {"ungrounded_material", "facts_invented"} <= codes and answer["blocking"] >= 2
    assert answer["findings"][0]["blocking"]  # blocking findings first
    silk = next(f for f in answer["findings"] if f["code"] == "ungrounded_material")
    assert silk["label"] == "Material not in the product data" and "'silk'" in silk["evidence"]
    assert answer["counters"]["seo_title"]["chars"] == len("Wool Throw | Nordhaus")
    assert client.post("/check", form | {"csrf": "0" * 64})[0] == 403
    assert client.post("/check", form, origin="http://attacker.example")[0] == 403
    assert Client(server).post("/check", form)[0] == 403  # another browser: no session, no token
    with StateStore(workspace.state_db) as state:
        assert list_decisions(state) == []  # checking records nothing


def test_a_blocking_finding_stops_the_approval_until_overridden_with_a_note(workspace, client) -> None:
    status, _, page = client.post("/decide", _form(client))
    assert status == 409 and "Not saved" in page and "Material not in the product data" in page
    assert "made of silk, 200 cm long" in page  # the typed text is kept in the form
    status, _, _ = client.post("/decide", _form(client, override="1", note="  "))
    assert status == 409  # approving anyway needs a reason
    with StateStore(workspace.state_db) as state:
        assert get_decision(state, "wool-throw", "en") is None
    status, headers, _ = client.post("/decide", _form(client, override="1", note="The supplier confirms silk."))
    assert status == 303 and "saved=edit" in headers["Location"]
    with StateStore(workspace.state_db) as state:
        made = get_decision(state, "wool-throw", "en")
        history = decision_history(state, "wool-throw", "en")
    assert made.decision == "edited" and made.note == "The supplier confirms silk."
    assert {"ungrounded_material", "facts_invented"} <= set(made.overrides)
    assert history[-1].overrides == made.overrides
    page = client.get(headers["Location"])[2]
    assert "approved over blocking findings" in page and "approved over: " in page


def test_an_edit_without_blocking_findings_is_saved_at_once(workspace, client) -> None:
    form = _form(client) | {"body_html": "<p>A soft lambswool throw.</p>", "seo_title": "WOOL THROW"}
    status, headers, _ = client.post("/decide", form)
    assert status == 303
    with StateStore(workspace.state_db) as state:
        made = get_decision(state, "wool-throw", "en")
    assert made.decision == "edited" and made.overrides == ()


def test_the_product_page_shows_every_locale_beside_the_original(workspace, client) -> None:
    with StateStore(workspace.state_db) as state:
        save_draft(state, Draft(product_id="wool-throw", locale="de", status="abstained", prompt_hash="p",
                                input_hash="i", provider="offline", model="m",
                                validation=[{"field": "title", "code": "left_alone", "message": "no"}]))
    status, _, page = client.get("/product/wool-throw")
    assert status == 200
    locales = re.findall(r'class="card locale-card" id="locale-([a-z]+)"', page)
    assert locales == ["en", "fr"]  # the primary first; the abstained German draft wrote nothing
    assert page.count("Original (en)") == 2 and "Wool Throw en laiton" in page and "Lambswool throw." in page
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    status, headers, _ = client.post("/decide", {"csrf": token, "id": "wool-throw", "draft_locale": "fr",
                                                 "action": "approve", "back": "product"})
    assert status == 303 and headers["Location"] == "/product/wool-throw#locale-fr"
    assert client.get("/product/no-such-product")[0] == 404
    assert client.get("/draft/de/wool-throw")[0] == 404  # abstained: nothing to review


def test_new_pages_escape_store_and_model_text(workspace, client) -> None:
    with StateStore(workspace.state_db) as state:
        draft = get_draft(state, "wool-throw", "fr")
        draft.title = '<img src=x onerror="alert(1)">Plaid'
        draft.seo_description = "<script>alert(2)</script>"
        draft.validation = [{"field": "title", "code": "<script>alert(3)</script>", "message": "<b onclick=x()>"}]
        save_draft(state, draft)
    for path in ("/product/wool-throw", "/draft/fr/wool-throw", "/?reason=%3Cscript%3Ealert(4)%3C/script%3E"):
        status, _, page = client.get(path)
        assert status == 200 and live_markup(page) == [], path
    form = {"csrf": client.token(), "id": "wool-throw", "draft_locale": "fr",
            "title": "<script>alert(5)</script>Plaid", "body_html": "<p onclick='x()'>Laine.</p>"}
    answer = client.post("/check", form)[2]
    assert "<script>" not in answer and "onclick" not in answer


def test_an_override_needs_a_note_and_is_kept_in_the_history(workspace) -> None:
    with StateStore(workspace.state_db) as state:
        draft = get_draft(state, "oak-side-table", "en")
        with pytest.raises(ValueError, match="needs a note"):
            build_decision(draft, "edited", reviewer="a", edits={"title": "x"}, overrides=("facts_invented",))
        made = build_decision(draft, "edited", reviewer="a", edits={"title": "x"}, note="ok",
                              overrides=("facts_invented", "facts_invented"))
        assert made.overrides == ("facts_invented",)
