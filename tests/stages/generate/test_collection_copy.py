"""Collection copy (pipeline/stages/generate/collections.py): intros true of every product, links to members and
sibling collections, SEO fields within limits, abstentions, and the language-model path through collection.j2."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.core import collections as coll
from pipeline.core.seo_limits import SeoLimits
from pipeline.llm.provider import Request, Response
from pipeline.stages.generate.collections import (
    check_collection_copy,
    collection_drafts_path,
    read_collection_drafts,
    write_collection_drafts,
)
from pipeline.stages.generate.prompts import Prompts
from pipeline.workspace import Workspace

LIMITS = SeoLimits()
BRAND = {"name": "Hollis", "voice": "Plain.", "tone": "Calm.", "banned_words": ()}


def _product(handle: str, title: str, body: str, *, ptype: str = "Tablecloths", tags: tuple[str, ...] = (),
             sizes: tuple[str, ...] = ("140x200 cm",), status: str = "active", price: str = "40.00") -> dict[str, Any]:
    return {"id": handle, "handle": handle, "title": title, "body_html": f"<p>{body}</p>", "vendor": "Hollis",
            "product_type": ptype, "product_category": "", "tags": list(tags), "status": status,
            "collections": [], "options": ["Size"],
            "variants": [{"sku": f"{handle}-{i}", "price": price, "option1": s} for i, s in enumerate(sizes)],
            "seo_title": "", "seo_description": ""}


PRODUCTS = [
    _product("alba-linen-tablecloth", "Alba Linen Tablecloth", "A tablecloth made of washed linen.",
             sizes=("140x200 cm", "140x250 cm")),
    _product("brisa-linen-tablecloth", "Brisa Linen Tablecloth", "Made of linen, with a hemmed edge.",
             sizes=("140x250 cm", "160x300 cm"), price="60.00"),
    _product("corra-cotton-tablecloth", "Corra Cotton Tablecloth", "A tablecloth made of cotton.",
             sizes=("140x200 cm", "180x180 cm")),
    _product("dune-cotton-tablecloth", "Dune Cotton Tablecloth", "A tablecloth of cotton twill.", status="draft"),
    _product("elm-linen-napkin-set", "Elm Linen Napkin Set", "Four napkins made of linen.", ptype="Napkins"),
    _product("fen-cotton-napkin-set", "Fen Cotton Napkin Set", "Four napkins made of cotton.", ptype="Napkins"),
]
COLLECTIONS = [
    coll.empty_row(handle="tablecloths", title="Tablecloths", kind="smart", rule="product_type = Tablecloths",
                   product_handles=["alba-linen-tablecloth", "brisa-linen-tablecloth", "corra-cotton-tablecloth",
                                    "dune-cotton-tablecloth"], active_products=3, source="proposed"),
    coll.empty_row(handle="linen", title="Linen", kind="smart", rule="title contains linen",
                   product_handles=["alba-linen-tablecloth", "brisa-linen-tablecloth", "elm-linen-napkin-set"],
                   active_products=3, source="proposed"),
    coll.empty_row(handle="napkins", title="Napkins", kind="smart", rule="product_type = Napkins",
                   product_handles=["elm-linen-napkin-set", "fen-cotton-napkin-set"], active_products=2,
                   source="proposed"),
]


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    ws = Workspace(tmp_path / "shop")
    ws.root.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(PRODUCTS), ws.catalog)
    coll.write_collections(ws, COLLECTIONS)
    return ws


def _drafts(ws: Workspace, **kwargs: Any) -> dict[tuple[str, str], dict[str, Any]]:
    kwargs.setdefault("locales", ("en",))
    result = write_collection_drafts(ws, None, None, kwargs.pop("provider", None), limits=LIMITS, brand=BRAND,
                                     currency="EUR", **kwargs)
    return {(r["collection_handle"], r["locale"]): r for r in result.rows}


def test_intro_never_states_a_material_only_some_members_have(workspace: Workspace) -> None:
    drafts = _drafts(workspace)
    tablecloths = drafts[("tablecloths", "en")]
    assert tablecloths["status"] == "ok", tablecloths["findings"]
    prose = re.sub(r"<a\b.*?</a>", " ", tablecloths["description"])
    assert "linen" not in prose.lower() and "cotton" not in prose.lower()  # two linen, one cotton: neither is said
    assert "3 products" in prose and "4 sizes" in prose  # counts over the active members (the draft one is out)
    linen = drafts[("linen", "en")]
    assert linen["status"] == "ok", linen["findings"]
    assert "made of linen" in linen["description"]  # every member is linen: the collection may say so
    # a draft that states a material of some members only is caught by the gate
    facts_draft = {"description_html": "<p>Our tablecloths are made of cotton, in 3 products.</p>",
                   "seo_title": "Tablecloths – Hollis",
                   "seo_description": "Tablecloths by Hollis: 3 products made of cotton in 4 sizes, from 40.00 to "
                                      "60.00 EUR."}
    from pipeline.stages.generate.collections import collection_facts

    catalog = {p["handle"]: p for p in PRODUCTS}
    facts = collection_facts(COLLECTIONS[0], catalog, {})
    findings = check_collection_copy(facts_draft, facts, "en", LIMITS, frozenset({"linen", "napkins"}))
    assert any(f.startswith("claim_not_shared") and "cotton" in f for f in findings)


def test_links_point_to_member_products_and_existing_sibling_collections(workspace: Workspace) -> None:
    drafts = _drafts(workspace)
    known = {c["handle"] for c in COLLECTIONS}
    for (handle, _), draft in drafts.items():
        members = next(c["product_handles"] for c in COLLECTIONS if c["handle"] == handle)
        hrefs = re.findall(r'href="([^"]+)"', draft["description"])
        products = [h.removeprefix("/products/") for h in hrefs if h.startswith("/products/")]
        collections = [h.removeprefix("/collections/") for h in hrefs if h.startswith("/collections/")]
        assert products and len(products) <= 3 and set(products) <= set(members)
        assert "dune-cotton-tablecloth" not in products  # a draft product is never linked
        assert len(collections) <= 2 and set(collections) <= known - {handle}
        assert [link["handle"] for link in draft["links"]] == products + collections
    assert re.search(r'href="/collections/linen"', drafts[("tablecloths", "en")]["description"])


def test_seo_fields_within_limits_and_stored(workspace: Workspace) -> None:
    drafts = _drafts(workspace)
    for draft in drafts.values():
        assert LIMITS.seo_title_fits(draft["seo_title"]), draft["seo_title"]
        assert LIMITS.seo_description_fits(draft["seo_description"]), draft["seo_description"]
    assert collection_drafts_path(workspace).exists()
    assert len(read_collection_drafts(workspace)) == len(drafts)
    # a draft over the limits is flagged
    from pipeline.stages.generate.collections import collection_facts

    facts = collection_facts(COLLECTIONS[0], {p["handle"]: p for p in PRODUCTS}, {})
    long = {"description_html": "<p>Three tablecloths.</p>", "seo_title": "Tablecloths " * 8,
            "seo_description": "Short."}
    codes = {f.split(":")[0] for f in check_collection_copy(long, facts, "en", LIMITS, frozenset())}
    assert {"seo_title_length", "seo_description_length"} <= codes


def test_abstains_in_a_locale_without_vocabulary(workspace: Workspace) -> None:
    rows = [*COLLECTIONS, coll.empty_row(handle="zorbleware", title="Zorbleware", kind="custom",
                                         product_handles=["alba-linen-tablecloth", "corra-cotton-tablecloth"],
                                         active_products=2, source="merchant")]
    coll.write_collections(workspace, rows)
    drafts = _drafts(workspace, locales=("en", "fr", "de"))
    assert drafts[("zorbleware", "fr")]["status"] == "abstained"
    assert "no fr vocabulary" in drafts[("zorbleware", "fr")]["findings"][0]
    assert drafts[("zorbleware", "fr")]["description"] == ""
    french = drafts[("tablecloths", "fr")]
    assert french["status"] == "ok", french["findings"]
    assert "nappe" in french["description"].lower()


class FakeProvider:
    name = "openai"
    model = "fake-model"
    template_based = False

    def __init__(self, answer: dict[str, str]):
        self.answer = answer
        self.requests: list[Request] = []

    def complete(self, request: Request) -> Response:
        self.requests.append(request)
        return Response(text=json.dumps(self.answer), finish_reason="stop")


def test_openai_path_renders_collection_template_and_flags_a_bad_answer(workspace: Workspace) -> None:
    good = FakeProvider({
        "description_html": '<p>Tablecloths from Hollis: 3 products in 4 sizes.</p><p>Start with '
                            '<a href="/products/alba-linen-tablecloth">Alba Linen Tablecloth</a>.</p>',
        "seo_title": "Tablecloths – Hollis",
        "seo_description": "Tablecloths from Hollis: 3 products in 4 sizes, priced from 40.00 to 60.00 EUR, "
                           "each with its own page."})
    drafts = _drafts(workspace, provider=good, prompts=Prompts(), only=["tablecloths"])
    user = good.requests[0].messages[-1].content
    assert user.startswith("Collection page (write for locale en")  # prompts/collection.j2
    assert "Alba Linen Tablecloth" in user and '"/collections/linen"' in user and "<collection_data>" in user
    assert drafts[("tablecloths", "en")]["status"] == "ok", drafts[("tablecloths", "en")]["findings"]
    assert drafts[("tablecloths", "en")]["provider"] == "openai"

    bad = FakeProvider({
        "description_html": '<p>Our linen tablecloths, 150x250 cm.</p><p><a href="/products/elsewhere">More</a>'
                            '</p>',
        "seo_title": "Tablecloths Tablecloths – Hollis",
        "seo_description": "Looking for linen tablecloths? Search no more: every one is pure linen."})
    drafts = _drafts(workspace, provider=bad, prompts=Prompts(), only=["tablecloths"])
    flagged = drafts[("tablecloths", "en")]
    assert flagged["status"] == "flagged"
    codes = {f.split(":")[0] for f in flagged["findings"]}
    assert {"claim_not_shared", "bad_link", "repeated_word", "search_talk"} <= codes

    broken = FakeProvider({"description_html": "not json"})
    broken.complete = lambda request: Response(text="{not json", finish_reason="stop")  # type: ignore[method-assign]
    drafts = _drafts(workspace, provider=broken, prompts=Prompts(), only=["tablecloths"])
    assert drafts[("tablecloths", "en")]["status"] == "flagged"
    assert drafts[("tablecloths", "en")]["findings"][0].startswith("bad_answer")


def test_a_short_offline_intro_grows_only_by_true_facts_until_the_thin_threshold(workspace: Workspace) -> None:
    from dataclasses import replace

    from pipeline.core.text import strip_html

    tablecloths = _drafts(workspace)[("tablecloths", "en")]
    assert tablecloths["status"] == "ok", tablecloths["findings"]
    text = strip_html(tablecloths["description"])
    # what it adds is true: each linked product's own lowest price, the linked collection's active products
    assert "Alba Linen Tablecloth (from 40.00 EUR)" in text and "Brisa Linen Tablecloth (from 60.00 EUR)" in text
    assert "Linen (3 products)" in text
    # three products and one sibling give no more facts than that: the intro stays short, not padded
    assert len(text.split()) < LIMITS.body_min_words
    # five products with spread prices and two siblings give enough to pass the audit's thin threshold
    more = [_product(f"cloth-{i}", f"Cloth {i} Tablecloth", "A tablecloth.", price=p)
            for i, p in enumerate(("30.00", "50.00", "20.00", "90.00", "70.00"))]
    pq.write_table(pa.Table.from_pylist([*PRODUCTS, *more]), workspace.catalog)
    cloths = coll.empty_row(handle="all-tablecloths", title="Tablecloths", source="proposed",
                            product_handles=[p["handle"] for p in more] + ["alba-linen-tablecloth"])
    coll.write_collections(workspace, [*COLLECTIONS, cloths])
    rich = _drafts(workspace, only=["all-tablecloths"])[("all-tablecloths", "en")]
    assert rich["status"] == "ok", rich["findings"]
    assert len(strip_html(rich["description"]).split()) >= LIMITS.body_min_words  # not thin for the audit
    assert "Half of them start at 40.00 EUR or less." in rich["description"]  # 20, 30 and 40 of six
    # under a lower threshold the same collection says only its core facts: nothing is added to fill space
    low = write_collection_drafts(workspace, None, None, None, limits=replace(LIMITS, body_min_words=20),
                                  brand=BRAND, currency="EUR", locales=("en",), only=["tablecloths"])
    short = low.rows[0]
    assert short["status"] == "ok" and "(from " not in short["description"]
    assert "products)" not in short["description"]
    # a price that is no linked product's lowest price, nor a bound, is a claim the gate stops
    from pipeline.stages.generate.collections import collection_facts

    facts = collection_facts(COLLECTIONS[0], {p["handle"]: p for p in PRODUCTS}, {})
    facts.product_prices = {"alba-linen-tablecloth": "40.00"}
    wrong = {"description_html": "<p>The Tablecloths collection holds 3 products. <a href=\"/products/alba-linen-"
                                 "tablecloth\">Alba Linen Tablecloth</a> (from 45.00 EUR).</p>",
             "seo_title": "Tablecloths – Hollis", "seo_description": "The Tablecloths collection holds 3 products "
                                                                     "by Hollis in 4 sizes, from 40.00 to 60.00 EUR."}
    findings = check_collection_copy(wrong, facts, "en", LIMITS, frozenset())
    assert any(f.startswith("claim_not_shared") and "45" in f for f in findings)
    right = {**wrong, "description_html": wrong["description_html"].replace("45.00", "40.00")}
    assert not [f for f in check_collection_copy(right, facts, "en", LIMITS, frozenset()) if "claim" in f]


def test_half_the_products_start_at_the_lower_median_price() -> None:
    from pipeline.stages.generate.collections import collection_facts

    prices = ("30.00", "50.00", "20.00", "90.00", "70.00")
    products = [_product(f"cloth-{i}", f"Cloth {i} Tablecloth", "A tablecloth.", price=p)
                for i, p in enumerate(prices)]
    row = coll.empty_row(handle="cloths", title="Tablecloths", product_handles=[p["handle"] for p in products])
    facts = collection_facts(row, {p["handle"]: p for p in products}, {})
    assert facts.half_from == "50.00"  # 20, 30 and 50 of the five start there or under
    three = coll.empty_row(handle="few", title="Tablecloths", product_handles=[p["handle"] for p in products[:3]])
    assert collection_facts(three, {p["handle"]: p for p in products}, {}).half_from is None  # too few to say



def _single_kind_shop(tmp_path: Path, collections: list[tuple[str, str, str]]) -> Workspace:
    """A shop with three active products per (handle, title, product type) collection."""
    products = [_product(f"{handle}-{i}", f"Roca {title} {i}", "Made of cotton.", ptype=ptype)
                for handle, title, ptype in collections for i in range(3)]
    ws = Workspace(tmp_path / "shop")
    ws.root.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(products), ws.catalog)
    coll.write_collections(ws, [
        coll.empty_row(handle=handle, title=title, kind="smart", rule=f"product_type = {ptype}",
                       product_handles=[f"{handle}-{i}" for i in range(3)], active_products=3, source="proposed")
        for handle, title, ptype in collections])
    return ws


def test_a_collection_named_by_a_narrower_word_than_the_vocabulary_has_gets_no_offline_name(tmp_path: Path) -> None:
    """The vocabulary files "napkins" under tablecloth and "armchairs" under chair (for the identity gate): a
    French page titled "Nappe" or "Chaise" would name another kind of product, so none is written."""
    ws = _single_kind_shop(tmp_path, [("napkins", "Napkins", "Napkins"), ("armchairs", "Armchairs", "Armchairs"),
                                      ("tablecloths", "Tablecloths", "Tablecloths")])
    drafts = _drafts(ws, locales=("en", "fr"))
    for handle, said in (("napkins", "napkins"), ("armchairs", "armchairs")):
        assert drafts[(handle, "fr")]["status"] == "abstained"
        assert f"no fr word for '{said}'" in drafts[(handle, "fr")]["findings"][0]
    assert drafts[("tablecloths", "fr")]["status"] != "abstained"
    assert "Nappe" in drafts[("tablecloths", "fr")]["seo_title"]


def test_two_collections_the_vocabulary_names_alike_get_no_offline_copy_in_that_locale(tmp_path: Path) -> None:
    """"Rug" and "Rugs" are both "Tapis" in French: two pages with one name would compete, so neither is written
    there; English still is."""
    ws = _single_kind_shop(tmp_path, [("rug", "Rug", "Rugs"), ("rugs", "Rugs", "Rugs")])
    drafts = _drafts(ws, locales=("en", "fr"))
    for handle, other in (("rug", "Rugs"), ("rugs", "Rug")):
        assert drafts[(handle, "en")]["status"] != "abstained", drafts[(handle, "en")]["findings"]
        french = drafts[(handle, "fr")]
        assert french["status"] == "abstained" and not french["description"]
        assert f"the same as '{other}'" in french["findings"][0]


def test_a_collection_is_named_abroad_only_by_the_locales_main_word_for_it() -> None:
    """German's main word for bedding, "Bettwäsche", also reads as other things in the vocabulary; the next one,
    "Laken", is a sheet: a page of duvets and pillowcases titled "Laken" would misname itself, so none is given."""
    from pipeline.stages.generate.collections import _named, local_label

    assert local_label(_named("bedding", "Bedding"), "de")[0] is None
    assert local_label(_named("bedding", "Bedding"), "fr")[0] == "Linge de lit"
    assert local_label(_named("floor-lamps", "Floor Lamps"), "de")[0] == "Stehlampe"


def test_an_intro_picks_products_by_name_never_a_bare_code_or_the_same_title_twice(tmp_path: Path) -> None:
    products = [_product("986-6735-p", "986-6735-P", "A lamp.", ptype="Table Lamps"),
                _product("986-6735-p-2", "986-6735-P", "A lamp.", ptype="Table Lamps"),
                _product("morriby-lamp", "Morriby Brass Table Lamp", "A lamp.", ptype="Table Lamps"),
                _product("morriby-lamp-2", "Morriby Brass Table Lamp", "A lamp.", ptype="Table Lamps"),
                _product("oda-lamp", "Oda Linen Table Lamp", "A lamp.", ptype="Table Lamps")]
    ws = Workspace(tmp_path / "shop")
    ws.root.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(products), ws.catalog)
    coll.write_collections(ws, [coll.empty_row(
        handle="table-lamps", title="Table Lamps", kind="smart", rule="product_type = Table Lamps",
        product_handles=[p["handle"] for p in products], active_products=5, source="proposed")])
    draft = _drafts(ws)[("table-lamps", "en")]
    linked = [link["handle"] for link in draft["links"] if link["kind"] == "product"]
    assert linked == ["morriby-lamp", "oda-lamp"]
    assert "986-6735-P" not in draft["description"]
