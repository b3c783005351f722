"""Category demand goes to category pages: collection_targets.parquet, and collections proposed for queries."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.config import SAMPLE_KEYWORDS
from pipeline.core import collections as coll
from pipeline.stages.keywords.collections import COLLECTION_TARGETS_SCHEMA, figures, read_query
from pipeline.workspace import Workspace
from tests.conftest import SAMPLE_CSV, shopify_csv


@pytest.mark.parametrize(("query", "scope", "type_term", "attribute"), [
    ("bath mats", "category", "bath mat", None),
    ("teak bath mats", "category_attribute", "bath mat", ("material", "teak")),
    ("best cheap teak bath mat", "category_attribute", "bath mat", ("material", "teak")),
    ("rug 9x12", "category_attribute", "rug", ("size", "9x12")),
    ("japandi", "attribute", None, ("style", "japandi")),
    ("white teak bath mat", None, None, None),  # two attributes: a product's long tail
    ("juovik floor lamp", None, None, None),  # a product's name
    ("kiln street ceramics bathrobe", None, None, None),  # a brand
    ("how to clean bath mat", None, None, None),  # a question
    ("hollis and fern", None, None, None),
])
def test_a_query_is_category_level_when_it_names_a_type_and_at_most_one_attribute(query, scope, type_term,
                                                                                   attribute):
    read = read_query(query, "en", {})
    if scope is None:
        assert read is None
        return
    assert read is not None and (read.scope, read.type_term, read.attribute) == (scope, type_term, attribute)


def test_the_catalogues_own_types_name_categories_the_vocabulary_lacks():
    phrases = {("bangle", "bracelet"): "bangle bracelet"}
    read = read_query("gold bangle bracelets", "en", phrases)
    assert read is not None and read.catalogue_type == "bangle bracelet" and read.attribute == ("colour", "gold")
    assert read_query("gold bangle bracelets", "en", {}) is None


def row(title: str, handle: str, product_type: str, tags: str) -> dict[str, str]:
    return {"Title": title, "URL handle": handle, "Description": f"<p>The {title.lower()}.</p>", "Vendor": "Acme",
            "Type": product_type, "Tags": tags, "Status": "Active", "Published on online store": "TRUE",
            "Option1 name": "Title", "Option1 value": "Default Title", "SKU": handle.upper(), "Price": "100",
            "Inventory quantity": "3"}


CATALOG = [
    *(row(f"{name} Walnut Coffee Table", f"{name.lower()}-walnut-coffee-table", "Coffee Tables", "walnut")
      for name in ("Alva", "Bryn", "Cato")),
    *(row(f"{name} Oak Coffee Table", f"{name.lower()}-oak-coffee-table", "Coffee Tables", "oak")
      for name in ("Dale", "Edda")),
    *(row(f"{name} Teak Bath Mat", f"{name.lower()}-teak-bath-mat", "Bath Mats", "teak") for name in ("Fen", "Gry")),
    *(row(f"{name} Cotton Bath Mat", f"{name.lower()}-cotton-bath-mat", "Bath Mats", "cotton")
      for name in ("Hale", "Ivo", "Juno")),
]
QUERIES = ("Top queries,Clicks,Impressions,CTR,Position\n"
           "coffee tables,50,4000,1.25%,9.1\n"
           "walnut coffee tables,20,1500,1.33%,7.0\n"
           "teak bath mat,5,600,0.83%,12.0\n"
           "bath mats,30,2500,1.20%,10.0\n"
           "white walnut coffee table,1,90,1.11%,14.0\n"
           "acme,3,80,3.75%,1.2\n")


@pytest.fixture
def store(tmp_path, workspace_args, capsys) -> Path:
    catalog, queries = tmp_path / "products.csv", tmp_path / "Queries.csv"
    catalog.write_text(shopify_csv(CATALOG), encoding="utf-8")
    queries.write_text(QUERIES, encoding="utf-8")
    assert main([*workspace_args, "pull", "--csv", str(catalog)]) == 0
    assert main([*workspace_args, "keywords", "--keywords", str(queries)]) == 0
    capsys.readouterr()
    return tmp_path / "ws" / "t"


def test_category_queries_land_on_collections_and_a_missing_one_is_proposed(store):
    targets = pd.read_parquet(store / "collection_targets.parquet")
    assert list(targets.columns) == COLLECTION_TARGETS_SCHEMA.names
    en = targets[(targets.locale == "en") & (targets.source != "derived")].set_index("keyword")
    assert en.loc["coffee tables", "collection_handle"] == "coffee-tables" and en.loc["coffee tables", "role"] == \
        "primary"
    assert en.loc["bath mats", "collection_handle"] == "bath-mats"
    assert en.loc["walnut coffee tables", "collection_handle"] == "walnut-coffee-tables"
    assert en.loc["walnut coffee tables", "role"] == "primary" and en.loc["walnut coffee tables", "match"] == 1.0
    # two teak bath mats are fewer than [audit] min_collection_products: the query lands on the bath mats page
    assert en.loc["teak bath mat", "collection_handle"] == "bath-mats" and en.loc["teak bath mat", "role"] == \
        "secondary"
    assert "white walnut coffee table" not in en.index and "acme" not in en.index  # a product's, a brand's
    proposed = {r["handle"]: r for r in coll.read_collections(Workspace(store))}["walnut-coffee-tables"]
    assert proposed["source"] == "proposed_from_query" and proposed["keyword"] == "walnut coffee tables"
    assert proposed["rule"] == "product_type = Coffee Tables AND tag = walnut"
    assert proposed["title"] == "Walnut Coffee Tables" and proposed["active_products"] == 3
    assert "1,500" in proposed["reason"]
    fr = targets[targets.locale == "fr"].set_index("collection_handle")  # no French queries: the vocabulary's words
    assert fr.loc["walnut-coffee-tables", "keyword"] == "table basse noyer" and set(fr["source"]) == {"derived"}
    assert (targets.groupby(["locale", "collection_handle"])["role"].apply(lambda r: (r == "primary").sum())
            <= 1).all()


def test_running_keywords_again_replaces_its_proposals(store, workspace_args, tmp_path, capsys):
    before = coll.stored_rows(Workspace(store))
    assert main([*workspace_args, "keywords", "--keywords", str(tmp_path / "Queries.csv")]) == 0
    after = coll.stored_rows(Workspace(store))
    assert [r["handle"] for r in after] == [r["handle"] for r in before]
    assert main([*workspace_args, "pull", "--csv", str(tmp_path / "products.csv")]) == 0  # kept by the next pull
    assert "walnut-coffee-tables" in {r["handle"] for r in coll.stored_rows(Workspace(store))}
    capsys.readouterr()


def test_the_sample_figures_for_bench_links(tmp_path, workspace_args, capsys):
    assert main([*workspace_args, "pull", "--csv", str(SAMPLE_CSV)]) == 0
    assert main([*workspace_args, "keywords", "--keywords", f"{SAMPLE_KEYWORDS}:en"]) == 0
    capsys.readouterr()
    found = figures(Workspace(tmp_path / "ws" / "t"), SAMPLE_KEYWORDS)
    assert found["category_queries"] > 400
    assert found["category_queries_on_collections"] >= 0.90
    assert found["products_without_collection"] == 0


def test_a_query_given_to_a_collection_is_no_products_keyword(store):
    """The products step aside: a category query on a collection page is neither a product's primary nor its
    secondary, and the product whose best match it was gets a keyword of its own, saying why."""
    targets = pd.read_parquet(store / "targets.parquet")
    en = targets[targets.locale == "en"]
    on_collections = {"coffee tables", "walnut coffee tables", "bath mats", "teak bath mat"}
    assert not on_collections & {" ".join(k.lower().split()) for k in en.keyword}
    primary = en[en.role == "primary"].set_index("handle")
    assert len(primary) == len(CATALOG) and not primary.keyword.duplicated().any()
    walnut = primary.loc["alva-walnut-coffee-table"]
    assert "walnut coffee table" in walnut.keyword and walnut.keyword != "walnut coffee table"
    assert "is a collection page's keyword" in walnut.reason
    collection_rows = pd.read_parquet(store / "collection_targets.parquet")
    assert collection_rows[collection_rows.source != "derived"].product_primary.isna().all()
    # the product-level query stays with a product
    assert "white walnut coffee table" not in set(collection_rows.keyword)
