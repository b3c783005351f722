"""Every way of approving holds a draft with a blocking finding until the reviewer overrides it with a note (the
button and its `a` key, the languages page, bulk approve, the CSV import), and the product card shows the
product's first image, only from an http(s) address."""

from __future__ import annotations

import re

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.core.catalog import write_catalog
from pipeline.stages.review.product import image_address
from pipeline.stages.review.stage import ApprovalBlocked, Filters, ReviewSource, bulk_approve, decide, load_rows
from pipeline.state.decisions import decision_history, get_decision
from pipeline.state.drafts import get_draft, save_draft
from pipeline.state.store import StateStore
from tests.reliability.harness import live_markup

IMAGE = "https://cdn.shopify.com/s/files/1/0001/files/wool-throw.jpg?v=1"
BLOCKED = ("brass-floor-lamp", "en")  # its draft claims 'made by hand': ungrounded_claim, a blocking finding


def _with_images(workspace, images: dict[str, str | None], alts: dict[str, str] | None = None) -> None:
    rows = pq.read_table(workspace.catalog).to_pylist()
    for row in rows:
        row["image_url"] = images.get(row["id"])
        row["image_alt"] = (alts or {}).get(row["id"], "")
    write_catalog(workspace.catalog, rows)


def _decision(workspace, product_id: str, locale: str):
    with StateStore(workspace.state_db) as state:
        return get_decision(state, product_id, locale)


# -- the image --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [
    (IMAGE, IMAGE), ("  http://shop.example/a.png ", "http://shop.example/a.png"),
    ("HTTPS://CDN.SHOPIFY.COM/A.JPG", "HTTPS://CDN.SHOPIFY.COM/A.JPG"),
    ("javascript:alert(1)", None), ("JavaScript:alert(1)//https://x", None), ("data:image/png;base64,AAAA", None),
    ("/files/a.jpg", None), ("//evil.example/a.jpg", None), ("https:///a.jpg", None), ("https://a b/c.jpg", None),
    ("https://cdn.example/a.jpg\nonerror=x", None), ("", None), (None, None), (42, None),
])
def test_only_an_absolute_http_address_becomes_an_image(value, expected) -> None:
    assert image_address(value) == expected


def test_the_product_card_shows_the_first_image_with_its_alt_text_lazily(workspace, server, client) -> None:
    _with_images(workspace, {"wool-throw": IMAGE}, {"wool-throw": "Oatmeal wool throw on a sofa"})
    for path in ("/draft/en/wool-throw", "/product/wool-throw"):
        status, headers, page = client.get(path)
        assert status == 200
        image = re.search(r'<img class="product-image"[^>]*>', page).group(0)
        assert f'src="{IMAGE}"' in image and 'alt="Oatmeal wool throw on a sofa"' in image
        assert 'loading="lazy"' in image and 'referrerpolicy="no-referrer"' in image
        policy = headers["Content-Security-Policy"]
        assert "img-src 'self' data: https: http:" in policy and "script-src 'self';" in policy
    page = client.get("/draft/en/oak-side-table")[2]
    assert '<img class="product-image"' not in page  # no image: no picture, no broken box


def test_an_image_without_alt_text_is_named_by_the_product_title(workspace, server, client) -> None:
    _with_images(workspace, {"wool-throw": IMAGE})
    image = re.search(r'<img class="product-image"[^>]*>', client.get("/draft/en/wool-throw")[2]).group(0)
    assert 'alt="Wool Throw"' in image


def test_a_hostile_image_address_never_reaches_the_page(workspace, server, client) -> None:
    _with_images(workspace, {"wool-throw": "javascript:alert(1)",
                             "oak-side-table": 'https://cdn.example/a.jpg?"><script>alert(2)</script>'},
                 {"oak-side-table": '"><img src=x onerror=alert(3)>'})
    page = client.get("/draft/en/wool-throw")[2]
    assert "javascript:" not in page and '<img class="product-image"' not in page
    status, _, page = client.get("/draft/en/oak-side-table")
    assert status == 200 and live_markup(page) == []
    assert 'src="https://cdn.example/a.jpg?&#34;&gt;&lt;script&gt;' in page  # escaped inside the attribute


def test_a_catalogue_pulled_before_the_image_column_still_shows_the_product(workspace, server, client) -> None:
    table = pq.read_table(workspace.catalog)
    pq.write_table(table.drop(["image_url"]), workspace.catalog)
    for path in ("/draft/en/wool-throw", "/product/wool-throw"):
        status, _, page = client.get(path)
        assert status == 200 and 'id="price">49.00<' in page and '<img class="product-image"' not in page


# -- plain approval ---------------------------------------------------------------------------------------------
def test_decide_refuses_to_approve_over_a_blocking_finding_without_a_note(workspace) -> None:
    with StateStore(workspace.state_db) as state:
        with pytest.raises(ApprovalBlocked, match=r"1 blocking finding stands \(Claim not in the product data\)"):
            decide(state, *BLOCKED, "approve", reviewer="ana")
        with pytest.raises(ApprovalBlocked):
            decide(state, *BLOCKED, "approve", reviewer="ana", note="looks fine")  # a note, but no override
        with pytest.raises(ApprovalBlocked):
            decide(state, *BLOCKED, "approve", reviewer="ana", override=True, note="   ")
        assert get_decision(state, *BLOCKED) is None
        assert decide(state, *BLOCKED, "reject", reviewer="ana").decision == "rejected"  # rejecting needs nothing
        made = decide(state, *BLOCKED, "approve", reviewer="ana", override=True, note="The label says handmade.")
        assert (made.decision, made.overrides, made.note) == ("approved", ("ungrounded_claim",),
                                                               "The label says handmade.")
        assert decision_history(state, *BLOCKED)[-1].overrides == ("ungrounded_claim",)
        plain = decide(state, "oak-side-table", "en", "approve", reviewer="ana", override=True, note="n/a")
        assert plain.overrides == ()  # nothing blocking: nothing overridden


def test_the_approve_button_and_its_key_are_refused_then_overridden_with_a_note(workspace, client) -> None:
    page = client.get("/draft/en/brass-floor-lamp")[2]
    assert 'id="approve-anyway"' in page and 'form="approve-form"' in page  # the override belongs to the form
    assert 'id="approve-anyway"' not in client.get("/draft/en/oak-side-table")[2]
    token = client.token("/draft/en/brass-floor-lamp")
    form = {"csrf": token, "id": "brass-floor-lamp", "draft_locale": "en", "action": "approve"}
    status, _, page = client.post("/decide", form)  # what the button and the `a` key send
    assert status == 409 and "Not approved: 1 blocking finding stands" in page
    assert 'id="approve-anyway"' in page and "Claim not in the product data" in page
    status, _, page = client.post("/decide", form | {"note": "Checked with the maker."})
    assert status == 409 and "Checked with the maker.</textarea>" in page  # the typed note is kept
    assert client.post("/decide", form | {"override": "1", "note": ""})[0] == 409
    assert _decision(workspace, *BLOCKED) is None
    status, headers, _ = client.post("/decide", form | {"override": "1", "note": "Checked with the maker."})
    assert status == 303 and "/draft/fr/brass-floor-lamp" in headers["Location"]
    made = _decision(workspace, *BLOCKED)
    assert made.overrides == ("ungrounded_claim",) and made.note == "Checked with the maker."
    assert "approved over: Claim not in the product data" in client.get("/draft/en/brass-floor-lamp")[2]


def test_the_languages_page_holds_a_blocked_draft_too(workspace, client) -> None:
    page = client.get("/product/brass-floor-lamp")[2]
    assert 'id="approve-anyway-en"' in page and 'form="approve-form-en"' in page
    token = client.token("/product/brass-floor-lamp")
    form = {"csrf": token, "id": "brass-floor-lamp", "draft_locale": "en", "action": "approve", "back": "product"}
    assert client.post("/decide", form)[0] == 409
    status, headers, _ = client.post("/decide", form | {"override": "1", "note": "Fine."})
    assert status == 303 and headers["Location"] == "/product/brass-floor-lamp#locale-en"
    assert _decision(workspace, *BLOCKED).overrides == ("ungrounded_claim",)


def test_a_refused_approval_still_needs_the_token(workspace, server, client) -> None:
    form = {"id": "brass-floor-lamp", "draft_locale": "en", "action": "approve", "override": "1", "note": "x"}
    assert client.post("/decide", form | {"csrf": "0" * 64})[0] == 403
    assert client.post("/decide", form | {"csrf": client.token()}, origin="http://attacker.example")[0] == 403
    assert _decision(workspace, *BLOCKED) is None


# -- bulk approval ----------------------------------------------------------------------------------------------
def test_bulk_approve_skips_blocked_drafts_and_says_how_many_and_why(workspace, client) -> None:
    status, _, page = client.get("/bulk?locale=en")
    assert status == 200 and "Approve 3 drafts?" in page  # 4 undecided, 1 of them blocked
    assert "1 of them has a blocking finding" in page
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    status, headers, _ = client.post("/bulk", {"csrf": token, "expected": "4", "locale": "en"})
    assert status == 303 and "done=3" in headers["Location"] and "skipped=1" in headers["Location"]
    flash = re.search(r'class="flash[^"]*"[^>]*>([^<]*)<', client.get(headers["Location"])[2]).group(1)
    assert flash.startswith("Approved 3 drafts. Skipped 1 with a blocking finding")
    assert "\n" not in flash
    assert _decision(workspace, *BLOCKED) is None
    assert _decision(workspace, "wool-throw", "en").decision == "approved"


def test_bulk_approve_rechecks_a_draft_that_became_blocked_after_the_list_was_read(workspace) -> None:
    with StateStore(workspace.state_db) as state:
        source = ReviewSource(workspace, "en")
        rows = load_rows(state, source)
        draft = get_draft(state, "wool-throw", "fr")
        draft.validation = [{"field": "body_html", "code": "wrong_language", "message": "reads as English"}]
        save_draft(state, draft)
        done = bulk_approve(state, rows, Filters(locale="fr", status="passed"), reviewer="ben", expected=3)
        assert (done.approved, done.blocked) == (2, 1)
        assert get_decision(state, "wool-throw", "fr") is None


# -- the spreadsheet ----------------------------------------------------------------------------------------------
def _cli(workspace, *args: str) -> list[str]:
    return ["--workspace", str(workspace.root.parent), "--store", workspace.store_name, *args]


def test_an_imported_edit_that_rewrites_the_blocked_field_needs_no_note(workspace, tmp_path, capsys) -> None:
    exported = tmp_path / "decisions.csv"
    assert main(_cli(workspace, "review", "--export", str(exported))) == 0
    frame = pd.read_csv(exported, dtype=str, keep_default_na=False).set_index(["product_id", "locale"])
    frame.loc[BLOCKED, ["decision", "body_html"]] = ["edited", "<p>Solid brass.</p>"]  # the claim is gone
    frame.loc[("brass-floor-lamp", "fr"), ["decision", "title"]] = ["edited", "Lampe en laiton"]  # claim stays
    frame.reset_index().to_csv(exported, index=False)
    capsys.readouterr()
    assert main(_cli(workspace, "review", "--import", str(exported))) == 0
    out = capsys.readouterr().out
    assert "recorded 1 decisions (edited 1)" in out and "skipped 1 rows that approve a draft" in out
    assert out.rstrip().endswith(": brass-floor-lamp/fr")
    edited = _decision(workspace, *BLOCKED)
    assert edited.decision == "edited" and edited.overrides == ()
    assert edited.fields["body_html"] == "<p>Solid brass.</p>"
    assert _decision(workspace, "brass-floor-lamp", "fr") is None
