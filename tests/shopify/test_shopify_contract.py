"""Every GraphQL document we send is valid for Admin API 2026-01, and the double answers in the schema's shape.

The schema is the part of Shopify's own 2026-01 SDL that our documents use, kept in the repository:
tests/contracts/shopify/ (SOURCE.md there names the source, its checksum and licence; extract.py re-extracts
it). A field outside that subset fails here as unknown: re-run the script after checking Shopify has it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from graphql import build_schema, execute, parse, validate

from pipeline.config import ShopifySettings
from pipeline.shopify import documents
from pipeline.shopify.session import API_VERSION
from tests.fakes.shopify_server import SCHEMA_PATH, FakeShopify, admin_schema, make_product


def _extractor():
    spec = importlib.util.spec_from_file_location("shopify_schema_extract", SCHEMA_PATH.parent / "extract.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_schema_in_the_repository_is_the_default_version():
    assert ShopifySettings().api_version == API_VERSION == "2026-01"
    assert SCHEMA_PATH.name == "admin_schema_2026-01_subset.graphql"
    assert SCHEMA_PATH.is_relative_to(Path(__file__).resolve().parents[2])  # in the repository, not ../shared/
    assert admin_schema() is not None  # never skipped: the contract tests run on any clone


def test_the_subset_is_a_valid_schema_on_its_own():
    text = SCHEMA_PATH.read_text(encoding="utf-8")
    build_schema(text)  # no assume_valid
    assert len(text) < 50_000
    assert (SCHEMA_PATH.parent / "SOURCE.md").exists() and (SCHEMA_PATH.parent / "LICENSE").exists()


@pytest.mark.skipif(not _extractor().SOURCE.exists(), reason="Shopify's full 2026-01 SDL is not in ../shared/")
def test_the_subset_is_what_the_full_schema_gives_for_our_documents():
    """Where the full schema is at hand, the committed subset is exactly what extract.py makes of it."""
    extract = _extractor()
    assert extract.build(extract.SOURCE) == SCHEMA_PATH.read_text(encoding="utf-8"), \
        "tests/contracts/shopify/ is out of date: run .venv/bin/python tests/contracts/shopify/extract.py"


@pytest.mark.parametrize("name", documents.names())
def test_every_document_validates_against_the_pinned_schema(name):
    assert validate(admin_schema(), parse(documents.sent(name))) == []


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
    ("public_api_versions", {}),
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
