"""collections.parquet and collections.csv: rules as text, proposals from the catalogue, the merchant's edits."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.core import collections as coll
from pipeline.core.catalog import finish_row, write_catalog
from pipeline.errors import InputError
from pipeline.workspace import Workspace


def product(handle: str, product_type: str, *, tags: tuple[str, ...] = (), status: str = "active",
            category: str = "", title: str | None = None, vendor: str = "Acme",
            collections: tuple[str, ...] = ()) -> dict:
    return finish_row({"id": f"gid://shopify/Product/{abs(hash(handle)) % 10**9}", "handle": handle,
                       "title": title or handle.replace("-", " ").title(), "product_type": product_type,
                       "product_category": category, "tags": list(tags), "status": status, "vendor": vendor,
                       "collections": list(collections), "variants": [{"sku": handle.upper()}]})


LAMPS = "Home & Garden > Lighting > Lamps"
CATALOG = [
    *(product(f"oak-floor-lamp-{i}", "Floor Lamps", tags=("oak", "living room"), category=f"{LAMPS} > Floor Lamps")
      for i in range(3)),
    product("brass-floor-lamp", "Floor Lamps", tags=("brass", "living room"), category=f"{LAMPS} > Floor Lamps"),
    *(product(f"brass-table-lamp-{i}", "Table Lamps", tags=("brass", "bedroom"), category=f"{LAMPS} > Table Lamps")
      for i in range(3)),
    product("draft-table-lamp", "Table Lamps", status="draft", category=f"{LAMPS} > Table Lamps"),
    *(product(f"linen-napkin-{i}", "Napkins", tags=("linen", "dining room"),
              category="Home & Garden > Linens & Bedding > Table Linens > Cloth Napkins") for i in range(6)),
    *(product(f"sale-item-{i}", "Sale", tags=("sale",)) for i in range(4)),
]


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    ws = Workspace(tmp_path / "t").ensure()
    write_catalog(ws.catalog, CATALOG)
    return ws


# -- rules ------------------------------------------------------------------------------------------------------------
def test_rules_read_and_write_as_text_and_as_shopifys_rule_set():
    rule = coll.parse_rule("product_type = Bath Mats AND tag = teak")
    assert rule.conditions == (coll.Condition("product_type", "=", "Bath Mats"), coll.Condition("tag", "=", "teak"))
    assert rule.text() == "product_type = Bath Mats AND tag = teak" and not rule.disjunctive and rule.evaluable
    assert coll.rule_input(rule) == {"appliedDisjunctively": False, "rules": [
        {"column": "TYPE", "relation": "EQUALS", "condition": "Bath Mats"},
        {"column": "TAG", "relation": "EQUALS", "condition": "teak"}]}
    either = coll.parse_rule("title contains linen OR vendor != Acme")
    assert either.disjunctive and either.conditions[1] == coll.Condition("vendor", "!=", "Acme")
    assert coll.parse_rule("type=Rugs").conditions == (coll.Condition("product_type", "=", "Rugs"),)
    assert coll.parse_rule("title not contains sale").conditions[0].relation == "not contains"
    assert not coll.parse_rule("variant_price > 50").evaluable
    assert not coll.parse_rule("product_category = gid://shopify/TaxonomyCategory/hg-13").evaluable
    for bad, message in (("", "empty"), ("colour = red", "unknown column"), ("tag teak", "no relation"),
                         ("tag = a AND tag = b OR tag = c", "not both"), ("tag =", "no value")):
        with pytest.raises(coll.RuleError, match=message):
            coll.parse_rule(bad)


def test_a_stores_rule_set_becomes_rule_text():
    rule_set = {"appliedDisjunctively": True, "rules": [
        {"column": "TYPE", "relation": "EQUALS", "condition": "Bath Mats"},
        {"column": "VARIANT_PRICE", "relation": "GREATER_THAN", "condition": "50"},
        {"column": "PRODUCT_CATEGORY_ID_WITH_DESCENDANTS", "relation": "EQUALS", "condition": "hg-13"}]}
    text = coll.store_rule_text(rule_set)
    assert text == ("product_type = Bath Mats OR variant_price > 50 OR "
                    "product_category_with_descendants = hg-13")
    assert coll.parse_rule(text).text() == text and coll.store_rule_text(None) == ""


def test_rules_pick_products_as_shopify_does_ignoring_case(workspace):
    products = coll.Products.read(workspace.catalog)

    def picked(text: str) -> set[str]:
        return {products.handles[i] for i, hit in enumerate(products.mask(coll.parse_rule(text))) if hit}

    assert picked("product_type = floor lamps AND tag = BRASS") == {"brass-floor-lamp"}
    assert picked("tag = brass OR tag = oak") == {"brass-floor-lamp", "oak-floor-lamp-0", "oak-floor-lamp-1",
                                                  "oak-floor-lamp-2", "brass-table-lamp-0", "brass-table-lamp-1",
                                                  "brass-table-lamp-2"}
    assert picked("title contains napkin") == {f"linen-napkin-{i}" for i in range(6)}
    assert len(picked(f"product_category_with_descendants = {LAMPS}")) == 8
    assert picked("product_category = Table Lamps") == {"brass-table-lamp-0", "brass-table-lamp-1",
                                                        "brass-table-lamp-2", "draft-table-lamp"}
    assert "sale-item-0" in picked("tag != brass") and "brass-floor-lamp" not in picked("tag != brass")


# -- proposals --------------------------------------------------------------------------------------------------------
def test_proposals_come_from_product_types_taxonomy_nodes_and_attribute_tags(workspace):
    products = coll.Products.read(workspace.catalog)
    proposed = {r["handle"]: r for r in coll.propose(products, min_products=3)}
    assert proposed["floor-lamps"]["rule"] == "product_type = Floor Lamps"
    assert proposed["floor-lamps"]["active_products"] == 4 and proposed["floor-lamps"]["kind"] == "smart"
    assert proposed["table-lamps"]["product_handles"][-1] == "draft-table-lamp"  # every status is a member
    assert proposed["table-lamps"]["active_products"] == 3
    assert proposed["lamps"]["rule"] == f"product_category_with_descendants = {LAMPS}"  # two types under one node
    assert proposed["brass"]["rule"] == "tag = brass"  # a material on products of two types
    assert "sale" not in proposed and "sale-item" not in proposed  # a shelf label is no product type
    assert "oak" not in proposed  # one type only: the floor lamps collection says it already
    assert "napkins" in proposed and "cloth-napkins" not in proposed and "table-linens" not in proposed
    assert all(r["source"] == "proposed" and r["reason"] for r in proposed.values())
    assert "table-lamps" not in {r["handle"] for r in coll.propose(products, min_products=4)}


def test_a_proposal_the_store_already_has_is_not_made_again(workspace):
    products = coll.Products.read(workspace.catalog)
    store = coll.with_members(coll.empty_row(handle="all-floor-lamps", title="Floor lamps", source="store"), products,
                              [i for i, t in enumerate(products.types) if t == "Floor Lamps"])
    handles = {r["handle"] for r in coll.propose(products, existing=[store])}
    assert "floor-lamps" not in handles and "table-lamps" in handles


def test_the_product_type_must_name_a_product():
    assert coll.names_a_product("Floor Lamps") and coll.names_a_product("Bath Mats")
    for label in ("Sale", "New Arrivals", "Gifts", "Best Sellers", "Indoor", "", "Misc"):
        assert not coll.names_a_product(label), label


# -- the two files ----------------------------------------------------------------------------------------------------
def test_refresh_writes_parquet_and_an_editable_csv(workspace):
    written = coll.refresh(workspace, None)
    assert written.by_source["proposed"] == written.rows > 0 and not written.csv_kept
    table = pq.read_table(coll.collections_path(workspace))
    assert table.schema.remove_metadata() == coll.SCHEMA
    with open(coll.collections_csv_path(workspace), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == coll.CSV_COLUMNS and len(rows) == written.rows
    floor = next(r for r in rows if r["handle"] == "floor-lamps")
    assert floor["kind"] == "smart" and floor["rule"] == "product_type = Floor Lamps"
    assert floor["product_handles"].split() == ["oak-floor-lamp-0", "oak-floor-lamp-1", "oak-floor-lamp-2",
                                                "brass-floor-lamp"]
    assert coll.read_collections(workspace) == coll.stored_rows(workspace)  # not edited: the parquet rows


def test_the_merchants_edits_are_read_back_and_kept(workspace):
    coll.refresh(workspace, None)
    path = coll.collections_csv_path(workspace)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_handle = {r["handle"]: r for r in rows}
    by_handle["floor-lamps"].update(title="Floor lamps", seo_title="=Floor lamps that glow",
                                    description="<p>Our floor lamps.</p>")
    by_handle["table-lamps"]["rule"] = "product_type = Table Lamps AND tag = brass"  # narrowed
    del by_handle["napkins"]  # a proposal turned down
    by_handle["oak-lamps"] = {**{c: "" for c in coll.CSV_COLUMNS}, "handle": "oak-lamps", "title": "Oak lamps",
                              "kind": "custom", "product_handles": "oak-floor-lamp-0 oak-floor-lamp-1 no-such-product"}
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=coll.CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(by_handle.values())
    edited = path.read_bytes()

    def check() -> None:
        seen = {r["handle"]: r for r in coll.read_collections(workspace)}
        assert seen["floor-lamps"]["title"] == "Floor lamps"
        assert seen["floor-lamps"]["seo_title"] == "=Floor lamps that glow"  # (no ' left from the spreadsheet)
        assert seen["floor-lamps"]["description"] == "<p>Our floor lamps.</p>"
        assert seen["table-lamps"]["product_handles"] == ["brass-table-lamp-0", "brass-table-lamp-1",
                                                          "brass-table-lamp-2"]  # the new rule's products
        assert "napkins" not in seen
        assert seen["oak-lamps"]["source"] == "merchant" and seen["oak-lamps"]["active_products"] == 2
        assert seen["oak-lamps"]["product_handles"] == ["oak-floor-lamp-0", "oak-floor-lamp-1"]

    check()
    again = coll.refresh(workspace, None)  # a later pull keeps the merchant's file, and its edits
    assert again.csv_kept and path.read_bytes() == edited and "your edits" in again.summary()
    check()
    path.unlink()  # to start again from the proposals
    assert not coll.refresh(workspace, None).csv_kept
    assert "napkins" in {r["handle"] for r in coll.read_collections(workspace)}


def test_a_proposal_made_after_the_merchants_edit_still_shows(workspace):
    coll.refresh(workspace, None)
    path = coll.collections_csv_path(workspace)
    path.write_text(path.read_text(encoding="utf-8-sig").replace("Floor Lamps,smart", "Standing Lamps,smart", 1),
                    encoding="utf-8")
    stored = coll.stored_rows(workspace)
    later = coll.empty_row(handle="teak-lamps", title="Teak Lamps", kind="smart", rule="tag = teak",
                           source="proposed_from_query", keyword="teak lamps")
    coll.write_collections(workspace, [*stored, later])
    seen = {r["handle"]: r for r in coll.read_collections(workspace)}
    assert seen["floor-lamps"]["title"] == "Standing Lamps" and "teak-lamps" in seen


@pytest.mark.parametrize(("text", "message", "field"), [
    ("handle,title\nFloor Lamps,x\n", "not a Shopify handle", "handle"),
    ("handle,title\na,x\na,y\n", "also on row 2", "handle"),
    ("handle,kind,rule\na,smart,colour = red\n", "unknown column", "rule"),
    ("handle,kind\na,manual\n", "neither smart nor custom", "kind"),
    ("title\nx\n", "no 'handle' column", None),
])
def test_a_bad_collections_csv_is_one_line_naming_row_and_column(workspace, text, message, field):
    coll.refresh(workspace, None)
    coll.collections_csv_path(workspace).write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        coll.read_collections(workspace)
    assert (caught.value.field == field) and "collections.csv" in str(caught.value)


def test_without_a_store_membership_is_proposed_and_every_active_product_is_covered(workspace):
    coll.refresh(workspace, None)
    products = coll.Products.read(workspace.catalog)
    left = {products.handles[r] for r in coll.products_without_collection(coll.read_collections(workspace), products)}
    assert left == {"sale-item-0", "sale-item-1", "sale-item-2", "sale-item-3"}  # "Sale" names no product


def test_store_rows_take_membership_from_the_catalogue(tmp_path):
    ws = Workspace(tmp_path / "s").ensure()
    write_catalog(ws.catalog, [product("a", "Rugs", collections=("rugs", "sale")),
                               product("b", "Rugs", collections=("rugs",), status="archived")])
    products = coll.Products.read(ws.catalog)
    pulled = [{"id": "gid://shopify/Collection/1", "handle": "rugs", "title": "Rugs", "rule": "product_type = Rugs",
               "seo_title": "Rugs", "translations": [{"locale": "fr", "key": "title", "value": "Tapis",
                                                      "outdated": False}]}]
    rows = {r["handle"]: r for r in coll.store_rows(pulled, products)}
    assert set(rows) == {"rugs"} and rows["rugs"]["kind"] == "smart" and rows["rugs"]["source"] == "store"
    assert rows["rugs"]["product_handles"] == ["a", "b"] and rows["rugs"]["active_products"] == 1
    known = {r["handle"]: r for r in coll.store_rows(None, products)}  # collections not read: known by name
    assert set(known) == {"rugs", "sale"} and known["sale"]["product_handles"] == ["a"]
    coll.write_collections(ws, list(rows.values()))
    assert coll.stored_rows(ws)[0]["translations"] == pulled[0]["translations"]
