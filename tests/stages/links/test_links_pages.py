"""Collection links go to collections the product belongs to: the store's when it has them, else the proposals of
collections.csv (a CSV catalogue), and the type guess only when there is no collections file."""

from __future__ import annotations

from pathlib import Path

from pipeline.cli import main
from pipeline.core import collections as coll
from pipeline.stages.links.weave import LinkTargets
from pipeline.workspace import Workspace
from tests.conftest import shopify_csv
from tests.stages.links.test_links import bedroom_catalog, read_links, run_links, setup_store


def row(title: str, handle: str, product_type: str, tags: str) -> dict[str, str]:
    return {"Title": title, "URL handle": handle, "Description": f"<p>A {title.lower()} for the living room.</p>",
            "Vendor": "Acme", "Type": product_type, "Tags": tags, "Status": "Active",
            "Published on online store": "TRUE", "Option1 name": "Title", "Option1 value": "Default Title",
            "SKU": handle.upper(), "Price": "100", "Inventory quantity": "3"}


CATALOG = [
    *(row(f"{name} Walnut Coffee Table", f"{name.lower()}-walnut-coffee-table", "Coffee Tables", "walnut")
      for name in ("Alva", "Bryn", "Cato")),
    *(row(f"{name} Oak Coffee Table", f"{name.lower()}-oak-coffee-table", "Coffee Tables", "oak")
      for name in ("Dale", "Edda")),
    *(row(f"{name} Cotton Bath Mat", f"{name.lower()}-cotton-bath-mat", "Bath Mats", "cotton")
      for name in ("Hale", "Ivo", "Juno")),
]
QUERIES = ("Top queries,Clicks,Impressions,CTR,Position\n"
           "coffee tables,50,4000,1.25%,9.1\n"
           "walnut coffee tables,20,1500,1.33%,7.0\n"
           "walnut coffee table,4,300,1.33%,9.0\n"
           "bath mats,30,2500,1.20%,10.0\n")


def pulled_from_csv(tmp_path: Path, capsys) -> tuple[list[str], Path]:
    catalog, queries = tmp_path / "products.csv", tmp_path / "Queries.csv"
    catalog.write_text(shopify_csv(CATALOG), encoding="utf-8")
    queries.write_text(QUERIES, encoding="utf-8")
    config = tmp_path / "seo.toml"
    config.write_text('[pipeline]\nlocales = ["en"]\n')
    args = ["--workspace", str(tmp_path / "ws"), "--config", str(config), "--store", "t"]
    assert main([*args, "pull", "--csv", str(catalog)]) == 0
    assert main([*args, "keywords", "--keywords", str(queries)]) == 0
    capsys.readouterr()
    return args, tmp_path / "ws" / "t"


def test_a_csv_catalogue_links_each_product_to_the_most_specific_proposed_collection_it_is_in(tmp_path, capsys):
    args, root = pulled_from_csv(tmp_path, capsys)
    code, _, err = run_links(args, capsys)
    assert code == 0, err
    collections = read_links(tmp_path).query("target_kind == 'collection'").set_index("source_handle")
    pages = {r["handle"]: r for r in coll.read_collections(Workspace(root))}
    assert pages["walnut-coffee-tables"]["source"] == "proposed_from_query"
    # the walnut tables are in "Coffee Tables" and in the page proposed for the query "walnut coffee tables"
    assert {collections.at[f"{n}-walnut-coffee-table", "target_handle"] for n in ("alva", "bryn", "cato")} == \
        {"walnut-coffee-tables"}
    assert collections.at["dale-oak-coffee-table", "target_handle"] == "coffee-tables"
    assert collections.at["hale-cotton-bath-mat", "target_handle"] == "bath-mats"
    assert len(collections) == len(CATALOG)  # every product links to a page
    for source, target in collections["target_handle"].items():  # only to a page the product is in
        assert source in pages[target]["product_handles"]
    # the anchor is one of the page's keywords, rather the one the product's description says ("A bryn walnut
    # coffee table for ...") so push can link those very words; but anchors still vary from page to page
    assert [collections.at[f"{n}-walnut-coffee-table", "anchor"] for n in ("alva", "bryn", "cato")] == \
        ["walnut coffee table", "walnut coffee table", "walnut coffee tables"]
    assert set(collections.loc[["hale-cotton-bath-mat", "ivo-cotton-bath-mat", "juno-cotton-bath-mat"],
                               "anchor"]) == {"bath mats", "all bath mats", "more bath mats"}
    # push knows the same pages, and a sentence naming the product type mentions the narrower one
    known = LinkTargets.load(root / "catalog.parquet")
    assert known.known(None)[1] >= set(collections["target_handle"])
    assert known.link("collection", "walnut-coffee-tables", "walnut coffee tables").mentions == \
        ("Walnut Coffee Tables", "Coffee Tables")


def test_with_store_collections_only_those_are_linked(tmp_path, capsys):
    products = bedroom_catalog()
    args = setup_store(tmp_path, products)
    root = tmp_path / "ws" / "t"
    linen = [p["handle"] for p in products if "linen" in p["tags"]]
    duvets = [p["handle"] for p in products if p["product_type"] == "Duvet Cover"]
    coll.write_collections(Workspace(root), [
        coll.empty_row(id="gid://shopify/Collection/1", handle="linen-bedding", title="Linen Bedding",
                       source="store", product_handles=linen),
        # proposed, so not on the store: never linked while the store has collections of its own
        coll.empty_row(handle="duvet-covers", title="Duvet Covers", kind="smart",
                       rule="product_type = Duvet Cover", source="proposed", product_handles=duvets)])
    code, _, err = run_links(args, capsys)
    assert code == 0, err
    collections = read_links(tmp_path).query("target_kind == 'collection'").set_index("source_handle")
    assert set(collections["target_handle"]) == {"linen-bedding"}
    assert "cotton-duvet-cover" not in collections.index  # in no store collection: no collection link
    assert LinkTargets.load(root / "catalog.parquet").known(None)[1] == {"linen-bedding"}


def test_without_a_collections_file_pages_are_guessed_from_product_types(tmp_path, capsys):
    args = setup_store(tmp_path, bedroom_catalog())
    assert not (tmp_path / "ws" / "t" / "collections.parquet").exists()
    code, _, err = run_links(args, capsys)
    assert code == 0, err
    collections = read_links(tmp_path).query("target_kind == 'collection'")
    assert set(collections["target_handle"]) == {"duvet-cover", "pillowcase", "sheet"}
