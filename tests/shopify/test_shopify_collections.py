"""The bulk collection query: valid for Admin API 2026-01 with any number of locales, and its JSONL read back."""

from __future__ import annotations

import json

import pytest
from graphql import parse, validate

from pipeline.shopify import documents
from pipeline.shopify.bulk_collections import collection_rows
from pipeline.shopify.connector import connector_from_env
from tests.fakes.shopify_server import FakeShopify, admin_schema, digest, make_collection, make_product


@pytest.mark.parametrize("locales", [(), ("fr",), ("fr", "de", "pt-BR")])
def test_the_collection_query_validates_with_one_translations_field_per_locale(locales):
    query = documents.bulk_collections_query(locales)
    assert validate(admin_schema(), parse(query)) == []
    assert query.count("translations(") == len(locales) and '"LOCALE"' not in query
    for n, locale in enumerate(locales):
        assert f'translations_{n}: translations(locale: "{locale}")' in query
    assert "edges" in query and query.count("edges") == 1  # no connection inside: one line per collection
    assert query.split("node {", 1)[1].split()[0] == "id"


def test_a_result_line_becomes_a_collection_row_with_its_rule_seo_and_translations():
    lines = [
        {"id": "gid://shopify/Collection/1", "handle": "teak-bath-mats", "title": "Teak Bath Mats",
         "descriptionHtml": "<p>Teak.</p>", "updatedAt": "2026-02-01T12:00:00Z",
         "seo": {"title": "Teak bath mats", "description": None},
         "ruleSet": {"appliedDisjunctively": False, "rules": [
             {"column": "TYPE", "relation": "EQUALS", "condition": "Bath Mats"},
             {"column": "TAG", "relation": "EQUALS", "condition": "teak"}]},
         "translations_0": [{"locale": "fr", "key": "title", "value": "Tapis de bain en teck", "outdated": True}],
         "translations_1": []},
        {"id": "gid://shopify/Collection/2", "handle": "gifts", "title": "Gifts", "descriptionHtml": "",
         "seo": {"title": None, "description": None}, "ruleSet": None},
    ]
    data = b"".join(json.dumps(line).encode() + b"\n" for line in lines)
    rows = list(collection_rows([data]))
    smart, custom = rows
    assert smart["kind"] == "smart" and smart["rule"] == "product_type = Bath Mats AND tag = teak"
    assert (smart["seo_title"], smart["seo_description"], smart["description"]) == ("Teak bath mats", "",
                                                                                   "<p>Teak.</p>")
    assert smart["translations"] == [{"locale": "fr", "key": "title", "value": "Tapis de bain en teck",
                                      "outdated": True}]
    assert custom["kind"] == "custom" and custom["rule"] == "" and custom["translations"] == []


def test_the_connector_reads_every_collection_of_the_double_in_one_bulk_query():
    with FakeShopify(locales=("en", "fr"), bulk_polls=2) as shop:
        shop.add_products([make_product(1, collections=("summer",)), make_product(2)])
        shop.add_collections([make_collection("linen", title="Linen", rules=[("TAG", "EQUALS", "linen")],
                                              description="<p>All linen.</p>", seo_title="Linen",
                                              seo_description="Linen for the home.")])
        shop.translations[(make_collection("linen")["id"], "fr", "title")] = {
            "value": "Lin", "digest": digest("Linen"), "updatedAt": "2026-02-02T00:00:00Z"}
        connector = connector_from_env(shop.env(), check_version=False, sleep=lambda s: None)
        assert connector is not None
        rows = {r["handle"]: r for r in connector.pull_collections()}
        operations = [o for o in shop.operations.values() if "collections {" in o["query"]]
    assert set(rows) == {"linen", "summer", "all-products"}  # the added one, and those the products name
    assert rows["linen"]["rule"] == "tag = linen" and rows["linen"]["seo_description"] == "Linen for the home."
    assert rows["linen"]["translations"] == [{"locale": "fr", "key": "title", "value": "Lin", "outdated": False}]
    assert rows["summer"]["kind"] == "custom" and rows["summer"]["id"].startswith("gid://shopify/Collection/")
    assert len(operations) == 1 and 'translations(locale: "fr")' in operations[0]["query"]
