"""links.weave and the link decisions in state.db: which accepted links go into which body, by which handle, and
what the review app shows of each suggestion."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.core.catalog import write_catalog
from pipeline.stages.links.html import AFTER_SENTENCE, SKIPPED
from pipeline.stages.links.weave import (
    LinkedChange,
    LinkTargets,
    decided_at,
    suggestion_views,
    weave_accepted_links,
)
from pipeline.state.decisions import ApprovedChange
from pipeline.state.link_decisions import (
    accepted_links,
    build_link_decision,
    count_link_decisions,
    decide_link,
    link_decisions,
    links_stamp,
    record_link_decisions,
)
from pipeline.state.store import StateStore

# id, title, body, product type, status, published, inventory, collections
PRODUCTS = [
    ("rug-1", "Jute Area Rug", "<p>A hand-woven area rug in natural jute. It anchors a sofa.</p>", "Area Rugs",
     "active", True, 4, ["Area Rugs"]),
    ("rug-2", "Wool Area Rug", "<p>Thick wool pile.</p>", "Area Rugs", "active", True, 3, ["Area Rugs"]),
    ("rug-3", "Sisal Area Rug", "<p>Sisal.</p>", "Area Rugs", "active", True, None, ["Area Rugs"]),
    ("rug-old", "Old Area Rug", "<p>Old.</p>", "Area Rugs", "archived", True, 5, ["Area Rugs"]),
    ("rug-hidden", "Hidden Area Rug", "<p>Hidden.</p>", "Area Rugs", "active", False, 5, ["Area Rugs"]),
    ("rug-sold", "Sold Area Rug", "<p>Sold out.</p>", "Area Rugs", "active", True, 0, ["Area Rugs"]),
    ("sofa-1", "Linen Sofa", "<p>A deep linen sofa. Pair it with an area rug.</p>", "Sofas", "active", True, 2,
     ["Sofas"]),
    ("lamp-1", "Brass Lamp", "<p>Brass.</p>", "Lamps", "draft", True, 2, ["Lamps"]),
]


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.parquet"
    write_catalog(path, [{"id": pid, "handle": pid, "title": title, "body_html": body, "product_type": kind,
                          "status": status, "published": published, "collections": collections, "vendor": "V",
                          "options": ["Title"], "variants": [{"sku": pid, "price": "10.00", "option1": "Default Title",
                                                              "inventory_quantity": inventory}]}
                         for pid, title, body, kind, status, published, inventory, collections in PRODUCTS])
    return path


@pytest.fixture
def state(tmp_path: Path):
    with StateStore(tmp_path / "state.db") as store:
        yield store


def accept(state, source: str, kind: str, target: str, anchor: str, decision: str = "accepted"):
    return decide_link(state, source, target_kind=kind, target_id=target, target_handle=target, anchor=anchor,
                       decision=decision, reviewer="ana")


def test_link_decisions_are_kept_one_per_link_and_each_changes_the_products_stamp(state) -> None:
    assert link_decisions(state) == [] and links_stamp(state) == {}
    first = accept(state, "sofa-1", "product", "rug-1", "jute rug")
    accept(state, "sofa-1", "collection", "area-rugs", "area rugs")
    accept(state, "rug-1", "product", "rug-2", "wool rug", "rejected")
    stamp = links_stamp(state)["sofa-1"]
    assert [d.anchor for d in accepted_links(state)["sofa-1"]] == ["jute rug", "area rugs"]  # in the order accepted
    assert "rug-1" not in accepted_links(state)
    time.sleep(0.001)
    again = accept(state, "sofa-1", "product", "rug-1", "jute rug", "rejected")  # changed, not added
    assert again.key == first.key and len(link_decisions(state, ["sofa-1"])) == 2
    assert links_stamp(state)["sofa-1"] > stamp
    assert count_link_decisions(state) == {"accepted": 1, "rejected": 2}
    assert [d.target_id for d in link_decisions(state, ["rug-1"], "rejected")] == ["rug-2"]


@pytest.mark.parametrize("change, message", [
    ({"decision": "maybe"}, "accepted, rejected"), ({"target_kind": "page"}, "product or a collection"),
    ({"anchor": "<b></b>"}, "needs a anchor"), ({"reviewer": " "}, "needs a reviewer"),
])
def test_a_link_decision_is_checked_and_its_text_kept_plain(change, message) -> None:
    values = {"target_kind": "product", "target_id": "rug-1", "target_handle": "rug-1", "anchor": "jute rug",
              "decision": "accepted", "reviewer": "ana"} | change
    with pytest.raises(ValueError, match=message):
        build_link_decision("sofa-1", **values)
    made = build_link_decision("sofa-1", **(values | {"anchor": "<i>jute</i> rug", "decision": "accepted",
                                                       "target_kind": "product", "reviewer": "ana"}))
    assert made.anchor == "jute rug"


def test_only_live_products_and_collections_with_one_are_link_targets(catalog) -> None:
    targets = LinkTargets.load(catalog)
    products, collections = targets.known(None)
    assert products == {"rug-1", "rug-2", "rug-3", "sofa-1"}  # not archived, unpublished, sold out or draft
    assert collections == {"area-rugs", "sofas"}  # "Lamps" has no live product
    assert targets.link("product", "rug-2", "wool rug").mentions == ("Wool Area Rug", "Area Rugs")
    assert targets.link("collection", "area-rugs", "rugs").mentions == ("Area Rugs",)
    assert LinkTargets.load(catalog) is targets  # read again only when the file changes


def _change(pid: str, fields: dict[str, str]) -> ApprovedChange:
    return ApprovedChange(pid, "en", fields, "approved", "sam", "2026-01-01T00:00:00Z")


def test_accepted_links_go_into_the_approved_body_or_the_pulled_one(catalog, state) -> None:
    accept(state, "sofa-1", "product", "rug-1", "jute area rug")
    accept(state, "sofa-1", "product", "rug-old", "old rug")  # archived since: never woven
    accept(state, "rug-1", "product", "rug-2", "wool rug")
    accept(state, "rug-1", "collection", "area-rugs", "all area rugs", "rejected")
    accept(state, "rug-2", "product", "rug-3", "sisal rug", "rejected")  # nothing accepted, nothing sent before
    title_only = _change("sofa-1", {"title": "Linen Sofa by V"})
    new_body = _change("rug-1", {"body_html": "<p>Jute, woven by hand. The area rug is reversible.</p>"})
    woven = weave_accepted_links(catalog, state, [title_only, new_body], "en", target="csv", last_pull_run=0,
                                 follow_run_handles=False)
    by_id = {c.product_id: c for c in woven.changes}
    sofa, rug = by_id["sofa-1"], by_id["rug-1"]
    assert isinstance(sofa, LinkedChange) and sofa.fields["title"] == "Linen Sofa by V"
    assert sofa.fields["body_html"] == ('<p>A deep linen sofa. Pair it with an area rug. See also: '
                                        '<a href="/products/rug-1">jute area rug</a>.</p>')
    assert rug.fields["body_html"] == ('<p>Jute, woven by hand. The area rug is reversible. See also: '
                                       '<a href="/products/rug-2">wool rug</a>.</p>')
    assert "rug-2" not in by_id  # no link to insert, none to take out: no body to send
    # the body's decision time names the links, the other fields keep the draft's
    assert decided_at(sofa, "title") == "2026-01-01T00:00:00Z"
    assert decided_at(sofa, "body_html") == f"2026-01-01T00:00:00Z links {links_stamp(state)['sofa-1']}"
    assert woven.counts() == {"links_accepted": 3, "links_after_sentence": 2, "links_skipped": 1}
    assert woven.skipped_lines({}) == ["sofa-1: “old rug” -> /products/rug-old: no linkable product with handle "
                                       "'rug-old'"]


def test_a_handle_changed_in_the_same_run_is_followed_only_when_it_is_written_in_that_run(catalog, state) -> None:
    accept(state, "sofa-1", "product", "rug-1", "jute area rug")
    renamed = _change("rug-1", {"handle": "jute-rug"})
    to_store = weave_accepted_links(catalog, state, [renamed], "en", target="store:x", last_pull_run=0,
                                    follow_run_handles=True)
    body = next(c for c in to_store.changes if c.product_id == "sofa-1").fields["body_html"]
    assert 'href="/products/jute-rug"' in body and to_store.followed == {"rug-1": "jute-rug"}
    assert to_store.links_to == {"rug-1": {"sofa-1"}}
    to_file = weave_accepted_links(catalog, state, [renamed], "en", target="csv", last_pull_run=0,
                                   follow_run_handles=False)
    body = next(c for c in to_file.changes if c.product_id == "sofa-1").fields["body_html"]
    assert 'href="/products/rug-1"' in body  # an import file cannot change a handle


def test_no_link_decision_leaves_the_changes_as_they_are(catalog, state) -> None:
    changes = [_change("sofa-1", {"title": "x"})]
    woven = weave_accepted_links(catalog, state, changes, "en", target="csv", last_pull_run=0, follow_run_handles=True)
    assert woven.changes == changes


def test_suggestions_show_where_each_link_would_go_accepted_first(catalog, state) -> None:
    targets = LinkTargets.load(catalog)
    suggestions = [{"target_kind": "product", "target_id": "rug-2", "target_handle": "rug-2", "anchor": "wool rug",
                    "reason": "same type"},
                   {"target_kind": "product", "target_id": "rug-3", "target_handle": "rug-3", "anchor": "sisal rug",
                    "reason": "same type"},
                   {"target_kind": "collection", "target_id": "sofas", "target_handle": "sofas", "anchor": "sofas",
                    "reason": "complementary"}]
    record_link_decisions(state, [build_link_decision("rug-1", target_kind="product", target_id="rug-3",
                                                      target_handle="rug-3", anchor="sisal area rug",
                                                      decision="accepted", reviewer="ana"),
                                  build_link_decision("rug-1", target_kind="collection", target_id="area-rugs",
                                                      target_handle="area-rugs", anchor="area rugs",
                                                      decision="rejected", reviewer="ana")])
    body = "<p>A hand-woven area rug in natural jute. It anchors a sofa.</p>"
    views = suggestion_views(targets, body, suggestions, link_decisions(state, ["rug-1"]), "en")
    shown = [(v.target_id, v.decision, v.anchor, v.outcome.how, v.outcome.sentence) for v in views]
    assert shown == [
        ("rug-2", "undecided", "wool rug", AFTER_SENTENCE, "A hand-woven area rug in natural jute."),
        ("rug-3", "accepted", "sisal area rug", AFTER_SENTENCE, "A hand-woven area rug in natural jute."),
        ("sofas", "undecided", "sofas", AFTER_SENTENCE, "It anchors a sofa."),
        ("area-rugs", "rejected", "area rugs", AFTER_SENTENCE, "A hand-woven area rug in natural jute."),
    ]
    assert [v.placeable for v in views] == [True, True, True, True]
    assert views[1].path == "/products/rug-3" and views[3].path == "/collections/area-rugs"
    # a body that mentions none of them: nothing can be placed, and the panel says why
    views = suggestion_views(targets, "<p>Thick wool pile.</p>", suggestions[:1], [], "en")
    assert views[0].outcome.how == SKIPPED and "no sentence" in views[0].outcome.reason
