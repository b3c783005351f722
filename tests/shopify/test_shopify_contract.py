"""Every GraphQL document we send is valid for Admin API 2026-01, and the double answers in the schema's shape.

The schema is Shopify's own SDL for 2026-01, kept in ../shared/shopify-schema/ (see its README.txt for the
source and checksum). graphql-core 3.3 refuses to build it strictly because of deprecation mismatches in
Shopify's SDL, so it is built with assume_valid=True; documents are still fully validated against it.
"""

from __future__ import annotations

import pytest
from graphql import execute, parse, validate

from pipeline.shopify import documents
from pipeline.shopify.session import API_VERSION
from tests.fakes.shopify_server import SCHEMA_PATH, FakeShopify, admin_schema, make_product

pytestmark = pytest.mark.skipif(not SCHEMA_PATH.exists(),
                                reason=f"Shopify's {API_VERSION} schema is not at {SCHEMA_PATH} (../shared/)")


def test_the_schema_on_disk_is_the_pinned_version():
    assert API_VERSION == "2026-01"
    assert SCHEMA_PATH.name == "admin_schema_2026-01_public.graphql"


@pytest.mark.parametrize("name", documents.names())
def test_every_document_validates_against_the_pinned_schema(name):
    text = documents.bulk_products_query() if name == "bulk_products" else documents.document(name)
    assert validate(admin_schema(), parse(text)) == []


def test_the_incremental_bulk_query_validates_and_filters_on_updated_at():
    query = documents.bulk_products_query("2026-11-01T00:00:00Z")
    assert validate(admin_schema(), parse(query)) == []
    assert "updated_at:>'2026-11-01T00:00:00Z'" in query and "status:active,draft,archived" in query


def test_the_bulk_query_stays_inside_shopifys_bulk_limits():
    """At most five connections, nested at most two deep, and `id` first (the JSONL router relies on it)."""
    query = documents.bulk_products_query()
    assert query.count("edges") <= 5
    node = query.split("node {", 1)[1].split()
    assert node[0] == "id"


def test_a_document_with_a_wrong_field_is_caught():
    broken = documents.document("product_update").replace("descriptionHtml", "body_html")
    errors = validate(admin_schema(), parse(broken))
    assert errors and "body_html" in errors[0].message


def _shape_errors(query: str, variables: dict, data: dict) -> list[str]:
    """Run `query` over the schema with `data` as the root value: each field read back must fit its type."""
    result = execute(admin_schema(), parse(query), root_value=data, variable_values=variables)
    problems = [e.message for e in result.errors or []]
    if result.data != data:
        problems.append(f"fields outside the selection or missing: {result.data} != {data}")
    return problems


@pytest.fixture(scope="module")
def shop():
    with FakeShopify(locales=("en", "fr")) as double:
        double.add_products([make_product(1, seo={"title": "One", "description": "First"}), make_product(2)])
        yield double


def _post(shop, name: str, variables: dict) -> dict:
    answer = shop.graphql({"query": documents.document(name), "variables": variables}, None)
    assert "errors" not in answer, answer
    cost = answer["extensions"]["cost"]
    assert set(cost) == {"requestedQueryCost", "actualQueryCost", "throttleStatus"}
    assert set(cost["throttleStatus"]) == {"maximumAvailable", "currentlyAvailable", "restoreRate"}
    return answer["data"]


@pytest.mark.parametrize("name, variables", [
    ("products_read", {"ids": ["gid://shopify/Product/1001", "gid://shopify/Product/404"]}),
    ("shop_locales", {}),
    ("translatable_products", {"first": 1, "after": None, "locale": "fr"}),
    ("translatable_products_by_ids", {"ids": ["gid://shopify/Product/1002"], "first": 5, "after": None,
                                      "locale": "fr"}),
    ("product_update", {"product": {"id": "gid://shopify/Product/1001", "seo": {"title": "New"}}}),
    ("product_update", {"product": {"id": "gid://shopify/Product/1001", "handle": "product-2"}}),
    ("url_redirect_create", {"urlRedirect": {"path": "/products/a", "target": "/products/b"}}),
    ("url_redirects_by_path", {"query": documents.redirect_path_filter("/products/a"), "first": 10, "after": None}),
    ("staged_uploads_create", {"input": [{"resource": "BULK_MUTATION_VARIABLES", "filename": "v.jsonl",
                                          "mimeType": "text/jsonl", "httpMethod": "POST"}]}),
    ("bulk_run_query", {"query": documents.bulk_products_query()}),
])
def test_the_doubles_answers_fit_the_schema(shop, name, variables):
    data = _post(shop, name, variables)
    assert _shape_errors(documents.document(name), variables, data) == []


def test_the_doubles_bulk_operation_answer_fits_the_schema(shop):
    started = _post(shop, "bulk_run_query", {"query": documents.bulk_products_query()})
    operation_id = started["bulkOperationRunQuery"]["bulkOperation"]["id"]
    for _ in range(3):
        data = _post(shop, "bulk_operation", {"id": operation_id})
        assert _shape_errors(documents.document("bulk_operation"), {"id": operation_id}, data) == []
    assert data["bulkOperation"]["status"] == "COMPLETED" and data["bulkOperation"]["url"]
