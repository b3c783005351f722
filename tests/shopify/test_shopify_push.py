"""Push primitives against the double: per-product results, userErrors surfaced, bulk results by __lineNumber."""

from __future__ import annotations

import pytest

from pipeline.errors import StoreError
from pipeline.shopify.auth import credentials_from_env
from pipeline.shopify.connector import build_connector
from pipeline.shopify.mutations import ProductUpdate, TranslationWrite, product_path
from pipeline.shopify.push_support import Redirect, delete_redirect, find_redirect
from tests.fakes.shopify_server import FakeShopify, digest, make_product

P1, P2, P3 = (f"gid://shopify/Product/{1000 + n}" for n in (1, 2, 3))


@pytest.fixture
def shop():
    with FakeShopify(locales=("en", "fr"), bulk_polls=2) as double:
        double.add_products([make_product(n) for n in (1, 2, 3)])
        yield double


@pytest.fixture
def connector(shop):
    return build_connector(credentials_from_env(shop.env()), {"poll_first_s": 0.01, "bulk_threshold": 3})


def test_single_updates_write_only_the_given_fields_and_return_the_new_values(shop, connector):
    before = shop.products[P1]["updatedAt"]
    [result] = connector.update_products([ProductUpdate(P1, seo_title="Soft cotton tee | Acme",
                                                        seo_description="Breathable.")])
    assert result.ok and result.errors == []
    assert (result.snapshot.seo_title, result.snapshot.seo_description) == ("Soft cotton tee | Acme", "Breathable.")
    assert result.snapshot.title == "Product 1"                      # untouched
    assert result.snapshot.updated_at > before                        # every write moves updatedAt
    assert shop.products[P1]["descriptionHtml"] == "<p>Description of product 1.</p>"
    assert [e["operation"] for e in shop.log] == ["ProductUpdate"]


def test_user_errors_surface_per_product_and_do_not_stop_the_others(connector):
    results = connector.update_products([
        ProductUpdate(P1, handle="product-2"),               # taken by another product
        ProductUpdate("gid://shopify/Product/999", title="Ghost"),
        ProductUpdate(P3, title="Product 3, better"),
    ], mode="single")
    assert [r.ok for r in results] == [False, False, True]
    assert results[0].errors == ["handle: Handle 'product-2' already in use. Please provide a new handle."]
    assert results[1].errors == ["id: Product does not exist"]
    assert results[2].snapshot.title == "Product 3, better"


def test_bulk_updates_match_results_to_inputs_by_line_number(shop, connector):
    updates = [ProductUpdate(P3, title="Three"), ProductUpdate(P1, title=""), ProductUpdate(P2, title="Two")]
    results = connector.update_products(updates)  # 3 >= bulk_threshold: one bulk mutation
    operations = [e["operation"] for e in shop.log]
    assert "StagedUploadsCreate" in operations and "BulkRunMutation" in operations
    assert "ProductUpdate" not in operations
    assert [r.product_id for r in results] == [P3, P1, P2]
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].errors == ["title: Title can't be blank"]
    assert (results[0].snapshot.title, results[2].snapshot.title) == ("Three", "Two")
    assert shop.products[P1]["title"] == "Product 1"


def test_a_bulk_mutation_that_fails_raises_with_its_error_code(shop, connector):
    shop.fail_next_bulk("INTERNAL_SERVER_ERROR")
    with pytest.raises(StoreError, match="ended FAILED, errorCode INTERNAL_SERVER_ERROR"):
        connector.update_products([ProductUpdate(P1, title="x")], mode="bulk")


def test_translations_register_with_current_digests_and_stale_ones_are_refused(shop, connector):
    digests = connector.current_digests([P1], "en")
    assert digests[(P1, "title")] == digest("Product 1")
    ok = connector.register_translations(P1, [TranslationWrite("fr", "title", "T-shirt 1", digests[(P1, "title")])])
    assert ok.ok and shop.translations[(P1, "fr", "title")]["value"] == "T-shirt 1"
    connector.update_products([ProductUpdate(P1, title="Product 1, renamed")])
    stale = connector.register_translations(P1, [TranslationWrite("fr", "title", "T-shirt", digests[(P1, "title")])])
    assert not stale.ok
    assert stale.errors == ["translations.0.translatableContentDigest: Translatable content hash is invalid "
                            "[INVALID_TRANSLATABLE_CONTENT]"]
    wrong_locale = connector.register_translations(P2, [TranslationWrite("ja", "title", "x", digest("Product 2"))])
    assert wrong_locale.errors[0].endswith("[INVALID_LOCALE_FOR_SHOP]")


def test_translations_for_many_products_go_in_one_bulk_mutation(shop, connector):
    writes = {p: [TranslationWrite("fr", "title", f"FR {p[-1]}", digest(shop.products[p]["title"]))]
              for p in (P1, P2, P3)}
    results = connector.register_translations_many(writes)
    assert all(r.ok for r in results) and "BulkRunMutation" in [e["operation"] for e in shop.log]
    assert shop.translations[(P2, "fr", "title")]["value"] == "FR 2"


def test_redirects_are_created_and_a_taken_path_is_reported(shop, connector):
    made = connector.create_redirect(product_path("product-1"), product_path("soft-cotton-tee"))
    assert made.ok and made.redirect_id == "gid://shopify/UrlRedirect/1"
    assert shop.redirects["/products/product-1"]["target"] == "/products/soft-cotton-tee"
    again = connector.create_redirect(product_path("product-1"), product_path("other"))
    assert not again.ok and again.errors == ["urlRedirect.path: Path has already been taken [CREATE_FAILED]"]
    assert again.path_taken and not made.path_taken


def test_a_redirect_is_found_by_exactly_its_path(shop, connector):
    made = connector.create_redirect(product_path("tee"), product_path("cotton-tee"))
    connector.create_redirect(product_path("tee-2"), product_path("cotton-tee"))
    odd = '/products/say "hi" \\ (tee):2'  # quotes, a backslash and search syntax's special characters
    strange = connector.create_redirect(odd, product_path("cotton-tee"))
    assert find_redirect(connector.client, product_path("tee")) == Redirect(made.redirect_id, "/products/tee",
                                                                            "/products/cotton-tee")
    assert find_redirect(connector.client, odd).id == strange.redirect_id
    assert find_redirect(connector.client, product_path("te")) is None
    query = shop.log[-1]
    assert query["operation"] == "UrlRedirectsByPath" and not query["throttled"]
    assert delete_redirect(connector.client, made.redirect_id).ok
    assert find_redirect(connector.client, product_path("tee")) is None
    # a redirect made after a delete gets a new id, never the deleted one's
    assert connector.create_redirect(product_path("tee"), product_path("x")).redirect_id not in (
        made.redirect_id, strange.redirect_id)


def test_read_products_gives_current_values_and_leaves_out_deleted_ones(shop, connector):
    shop.products[P2]["seo"] = {"title": "Edited by the merchant", "description": None}
    current = connector.read_products([P1, P2, "gid://shopify/Product/404"])
    assert set(current) == {P1, P2}
    assert current[P2].seo_title == "Edited by the merchant" and current[P2].seo_description == ""
    assert current[P1].handle == "product-1" and current[P1].updated_at == "2026-02-01T12:00:00Z"
