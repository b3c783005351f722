"""Accepted links reach the store: push weaves each product's accepted links into the body it sends (the approved
draft's, or the pulled one), at a sentence that mentions the target; rejected or dead links never go out; a body
already sent for the same links is not sent again, a new decision sends it again; rollback restores the earlier
body; a handle changed in the same run is followed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.core.catalog import read_catalog
from pipeline.shopify import csv_format
from pipeline.shopify.mutations import product_path
from pipeline.stages.links.html import LinkToPlace
from pipeline.stages.links.weave import LinkTargets
from pipeline.state import ledger
from pipeline.state.decisions import approved_changes
from pipeline.state.link_decisions import LinkDecision, build_link_decision, record_link_decisions
from tests.conftest import SAMPLE_CSV
from tests.push_fixtures import StoreCase, decide_sample, field_values, sample_store

HREF = re.compile(r'<a href="(/(?:products|collections)/[^"]+)">')
# What push adds to a body: a reference after a sentence, or an anchor around words of the text.
REFERENCE = re.compile(r' (?:See also:) (?:<a href="[^"]+">[^<]*</a>(?:, )?)+\.')
WRAPPED = re.compile(r'<a href="/(?:products|collections)/[^"]+">([^<]*)</a>')


def without_links(body: str, original: str) -> str:
    """`body` with the links push added taken out again (the original's own links kept)."""
    own = set(HREF.findall(original))
    body = REFERENCE.sub("", body)
    return WRAPPED.sub(lambda m: m.group(0) if HREF.match(m.group(0)).group(1) in own else m.group(1), body)


def base_bodies(case: StoreCase, catalog: Path) -> dict[str, str]:
    """product -> the body links go into: the approved draft's, else the pulled one."""
    pulled = LinkTargets.load(catalog).bodies
    with case.state() as state:
        approved = {c.product_id: c.fields["body_html"] for c in approved_changes(state)
                    if c.locale == "en" and "body_html" in c.fields}
    return {pid: approved.get(pid, body) for pid, body in pulled.items()}


def choose_links(case: StoreCase, catalog: Path, sources: int, per_source: int = 2,
                 skip: set[str] = frozenset()) -> list[LinkDecision]:
    """Accepted links that can be placed: same-type live products and the type's collection, for `sources`
    active products (the way a reviewer accepts what the review app offers)."""
    targets = LinkTargets.load(catalog)
    frame = read_catalog(catalog, columns=["id", "handle", "title", "product_type", "status"])
    bases = base_bodies(case, catalog)
    live = [pid for pid, t in targets.products.items() if t.linkable]
    by_type: dict[str, list[str]] = {}
    for pid, kind in zip(frame["id"], frame["product_type"].fillna(""), strict=True):
        if pid in live:
            by_type.setdefault(kind, []).append(pid)
    chosen: list[LinkDecision] = []
    used = 0
    for pid, kind, status in zip(frame["id"], frame["product_type"].fillna(""), frame["status"], strict=True):
        if used == sources:
            break
        if status != "active" or pid in skip or not kind:
            continue
        candidates = [("product", t, targets.products[t].handle, targets.products[t].mentions[0].lower())
                      for t in by_type.get(kind, []) if t != pid][:6]
        links = [LinkToPlace(anchor, handle, k, targets.link(k, t, anchor).mentions)
                 for k, t, handle, anchor in candidates]
        placement = targets.place(bases[pid], links, "en")
        picked = [(c, o) for c, o in zip(candidates, placement.outcomes, strict=True) if o.how != "skipped"]
        if len(picked) < per_source:
            continue
        used += 1
        chosen += [build_link_decision(pid, target_kind=k, target_id=t, target_handle=handle, anchor=anchor,
                                       decision="accepted", reviewer="ana")
                   for (k, t, handle, anchor), _ in picked[:per_source]]
    assert used == sources, f"only {used} sample products mention a related product"
    return chosen


@pytest.fixture
def offline(tmp_path, monkeypatch):
    for name in ("SHOPIFY_STORE", "SHOPIFY_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    export = tmp_path / "products_export.csv"
    shutil.copy(SAMPLE_CSV, export)
    base = ["--workspace", str(tmp_path / "ws"), "--store", "s"]
    assert main([*base, "pull", "--csv", str(export)]) == 0
    case = StoreCase(shop=None, base=base, state_path=tmp_path / "ws" / "s" / "state.db")
    catalog = tmp_path / "ws" / "s" / "catalog.parquet"
    products = read_catalog(catalog)[["id", "handle", "title"]].to_dict("records")
    with case.state() as state:
        decide_sample(state, products, case)
    return case, catalog


def exported(case: StoreCase) -> tuple[int, dict[str, dict]]:
    with case.state() as state:
        run_id = ledger.latest_undoable_push(state)
        path = Path(ledger.push_run(state, run_id)["export_path"])
    return run_id, {p["handle"]: p for p in csv_format.read_products(path)[1]}


def test_accepted_links_are_woven_into_the_exported_bodies_and_nothing_else_changes(offline, capsys):
    case, catalog = offline
    accepted = choose_links(case, catalog, sources=12)
    targets = LinkTargets.load(catalog)
    dead = next(pid for pid, t in targets.products.items() if not t.linkable)
    source = accepted[0].source_product_id
    extra = [build_link_decision(source, target_kind="product", target_id=dead, target_handle=dead,
                                 anchor="a product no longer sold", decision="accepted", reviewer="ana"),
             build_link_decision(accepted[2].source_product_id, target_kind="collection", target_id="rugs",
                                 target_handle="rugs", anchor="rugs", decision="rejected", reviewer="ana")]
    with case.state() as state:
        record_link_decisions(state, accepted + extra)
    code, out, err = case.run(capsys, "push")
    assert code == 0, err
    _, products = exported(case)
    bases = base_bodies(case, catalog)
    sources = {d.source_product_id for d in accepted}
    for pid in sources:
        body = products[pid]["body_html"]  # (the sample's handles are its ids)
        hrefs = HREF.findall(body)
        for made in (d for d in accepted if d.source_product_id == pid):
            assert hrefs.count(f"/products/{made.target_handle}") == 1
        assert f"/products/{dead}" not in hrefs and "/collections/rugs" not in hrefs
        assert without_links(body, bases[pid]) == bases[pid]  # the rest of the body as it was
    # products with only a rejected link, or only links that cannot go out, keep their body
    assert "links: 25 accepted, woven into the bodies above: " in out and "1 not woven" in out
    assert f"“a product no longer sold” -> /products/{dead}: no linkable product" in out
    # the approvals still go out as before, beside the link-only bodies
    assert set(case.approved_en) <= set(products) | {pid for pid, v in case.approved_en.items() if set(v) == {"handle"}}
    assert "exported" in out and "conflicts 0" in out

    code, out, _ = case.run(capsys, "push")
    assert code == 0 and "exported 0 products" in out  # the same links are not sent twice


def test_a_new_link_decision_sends_the_body_again_and_rollback_restores_it(offline, capsys):
    case, catalog = offline
    accepted = choose_links(case, catalog, sources=3, per_source=2)
    first, later = [d for d in accepted if d != accepted[1]], accepted[1]
    with case.state() as state:
        record_link_decisions(state, first)
    assert case.run(capsys, "push")[0] == 0
    _, products = exported(case)
    source = later.source_product_id
    assert f"/products/{later.target_handle}" not in HREF.findall(products[source]["body_html"])
    with case.state() as state:
        record_link_decisions(state, [build_link_decision(source, target_kind=later.target_kind,
                                                          target_id=later.target_id,
                                                          target_handle=later.target_handle, anchor=later.anchor,
                                                          decision="accepted", reviewer="ana")])
    code, out, err = case.run(capsys, "push")
    assert code == 0, err
    run_id, products = exported(case)
    assert set(products) == {source}  # only the body whose links changed
    hrefs = HREF.findall(products[source]["body_html"])
    assert {f"/products/{d.target_handle}" for d in accepted if d.source_product_id == source} <= set(hrefs)
    with case.state() as state:
        body_rows = [r for r in ledger.run_rows(state, run_id) if r.field == "body_html"]
    assert len(body_rows) == 1 and "links" in body_rows[0].decided_at

    code, out, err = case.run(capsys, "rollback")
    assert code == 0, err
    with case.state() as state:
        run = max(r["run_id"] for r in ledger.push_runs(state, "rollback"))
        path = Path(ledger.push_run(state, run)["export_path"])
    restored = {p["handle"]: p for p in csv_format.read_products(path)[1]}
    # offline, push compares with the export it was pulled from, so the value it replaced is the pulled body
    assert restored[source]["body_html"] == base_bodies(case, catalog)[source]


@pytest.fixture
def store(request, tmp_path, monkeypatch):
    yield from sample_store(tmp_path, monkeypatch, limit=240)


def test_on_a_store_links_follow_a_handle_changed_in_the_same_run_and_rollback_is_byte_identical(store, capsys):
    case, shop = store.case, store.case.shop
    catalog = Path(case.state_path).parent / "catalog.parquet"
    renamed = {pid: v["handle"] for pid, v in case.approved_en.items() if "handle" in v}
    accepted = choose_links(case, catalog, sources=10)
    more = accepted.pop(1)  # accepted after the first push
    targets = LinkTargets.load(catalog)
    to_renamed = []
    for target, new in renamed.items():  # a link to a product whose handle this very push changes
        mention = targets.products[target].mentions[-1]
        source = next((pid for pid, t in targets.products.items() if t.linkable and pid != target and pid not in
                       renamed and re.search(rf"\b{re.escape(mention.lower().rstrip('s'))}",
                                             store.pulled["products"][pid]["descriptionHtml"].lower())), None)
        if source is not None:
            to_renamed.append(build_link_decision(source, target_kind="product", target_id=target,
                                                  target_handle=targets.products[target].handle,
                                                  anchor=f"the {mention.lower()} {new}", decision="accepted",
                                                  reviewer="ana"))
    assert to_renamed
    with case.state() as state:
        record_link_decisions(state, accepted + to_renamed)
    code, out, err = case.run(capsys, "push")
    assert code == 0, err
    for made in accepted:
        body = shop.products[made.source_product_id]["descriptionHtml"]
        assert f'href="/products/{made.target_handle}"' in body
    placed = 0
    for made in to_renamed:
        body = shop.products[made.source_product_id]["descriptionHtml"]
        assert f'href="{product_path(targets.products[made.target_id].handle)}"' not in body
        placed += f'href="{product_path(renamed[made.target_id])}"' in body
    assert placed >= 1
    assert "links to a handle that was not written" not in out
    assert case.run(capsys, "push")[1].count("nothing to push") == 1
    after_first = field_values(shop)

    # one more link accepted: the next push sends that body again; rolling it back restores the first push's body
    source = more.source_product_id
    assert f'href="/products/{more.target_handle}"' not in shop.products[source]["descriptionHtml"]
    with case.state() as state:
        record_link_decisions(state, [more])
    code, out, err = case.run(capsys, "push")
    assert code == 0, err
    with_more = shop.products[source]["descriptionHtml"]
    assert f'href="/products/{more.target_handle}"' in with_more
    assert "wrote 1 products (1 fields" in out
    # rejected after it went out: the next push sends the body without it
    with case.state() as state:
        record_link_decisions(state, [build_link_decision(source, target_kind=more.target_kind,
                                                          target_id=more.target_id, target_handle=more.target_handle,
                                                          anchor=more.anchor, decision="rejected", reviewer="ana")])
    assert case.run(capsys, "push")[0] == 0
    assert shop.products[source]["descriptionHtml"] == after_first["products"][source]["descriptionHtml"]
    assert case.run(capsys, "rollback")[0] == 0
    assert shop.products[source]["descriptionHtml"] == with_more
    assert case.run(capsys, "rollback")[0] == 0
    assert field_values(shop) == after_first
    code, out, err = case.run(capsys, "rollback")
    assert code == 0, err
    assert field_values(shop) == store.pulled
