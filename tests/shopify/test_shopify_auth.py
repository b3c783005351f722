"""Credentials from the environment; client-credentials tokens obtained and renewed; secrets kept out of sight."""

from __future__ import annotations

import pytest

from pipeline.cli import main
from pipeline.errors import ConfigError
from pipeline.shopify.auth import ClientCredentialsToken, credentials_from_env, shop_domain
from pipeline.shopify.connector import build_connector
from pipeline.shopify.session import AdminGraphQL
from tests.fakes.shopify_server import FakeShopify, make_product

SECRET = "shpss_never_print_me_0123456789"


@pytest.mark.parametrize("given", ["my-store", "my-store.myshopify.com", "https://My-Store.myshopify.com/admin"])
def test_store_addresses_are_normalised(given):
    assert shop_domain(given) == "my-store.myshopify.com"


@pytest.mark.parametrize("env, message", [
    ({"SHOPIFY_STORE": "x"}, "SHOPIFY_ACCESS_TOKEN (or SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET) is not"),
    ({"SHOPIFY_STORE": "x", "SHOPIFY_CLIENT_SECRET": "s"}, "SHOPIFY_CLIENT_ID is not"),
    ({"SHOPIFY_STORE": "not a store!", "SHOPIFY_ACCESS_TOKEN": "t"}, "is not a store address"),
    ({"SHOPIFY_STORE": "x", "SHOPIFY_ACCESS_TOKEN": "t", "SHOPIFY_API_URL": "ftp://x/y"}, "must be a scheme"),
])
def test_incomplete_or_malformed_settings_are_config_errors(env, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        credentials_from_env(env)


def test_no_store_means_no_connector():
    assert credentials_from_env({"SHOPIFY_ACCESS_TOKEN": "t"}) is None


def test_secrets_stay_out_of_reprs():
    credentials = credentials_from_env({"SHOPIFY_STORE": "x", "SHOPIFY_CLIENT_ID": "id",
                                        "SHOPIFY_CLIENT_SECRET": SECRET, "SHOPIFY_ACCESS_TOKEN": "shpat_secret_token"})
    assert SECRET not in repr(credentials) and "shpat_secret_token" not in repr(credentials)


def test_client_credentials_token_is_obtained_used_and_renewed_before_expiry():
    with FakeShopify(access_token=None, client_id="app-id", client_secret=SECRET, token_lifetime_s=86399) as shop:
        credentials = credentials_from_env(shop.env(client_credentials=True))
        now = [1_000_000.0]
        token = ClientCredentialsToken(credentials, clock=lambda: now[0])
        first = token()
        assert first.startswith("shpat_minted_") and token() == first and token.grants == 1
        now[0] += 86399 * 0.85          # still valid, not yet in the renewal margin
        assert token() == first
        now[0] += 86399 * 0.06          # under 10% of its life left: renewed before it expires
        assert token() != first and token.grants == 2


def test_a_refused_token_is_renewed_once_then_the_call_succeeds():
    with FakeShopify(access_token=None, client_id="app-id", client_secret=SECRET) as shop:
        shop.add_products([make_product(1)])
        connector = build_connector(credentials_from_env(shop.env(client_credentials=True)))
        assert connector.read_products(["gid://shopify/Product/1001"])
        shop.expire_tokens()            # e.g. revoked, or the machine slept past the expiry
        assert connector.read_products(["gid://shopify/Product/1001"])
    assert connector.client.token.grants == 2


def test_an_empty_static_token_leaves_the_client_credentials_in_charge(monkeypatch, tmp_path, capsys):
    """The GitHub Actions template passes every credential secret; one that is not set arrives empty."""
    with FakeShopify(access_token=None, client_id="app-id", client_secret=SECRET) as shop:
        shop.add_products([make_product(1)])
        for name, value in (shop.env(client_credentials=True) | {"SHOPIFY_ACCESS_TOKEN": ""}).items():
            monkeypatch.setenv(name, value)
        code = main(["--workspace", str(tmp_path), "--store", "t", "pull"])
        minted = len(shop.minted)
    out, err = capsys.readouterr()
    assert code == 0 and err == "" and "1 products" in out
    assert minted == 1  # one grant served the version check and the pull


def test_wrong_client_secret_is_one_line_without_the_secret(monkeypatch, tmp_path, capsys):
    with FakeShopify(access_token=None, client_id="app-id", client_secret="the-right-one") as shop:
        for name, value in shop.env(client_credentials=True).items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("SHOPIFY_CLIENT_SECRET", SECRET)
        monkeypatch.delenv("SHOPIFY_ACCESS_TOKEN", raising=False)
        code = main(["--workspace", str(tmp_path), "--store", "t", "pull"])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("error: Shopify refused the client-credentials grant for double-store.myshopify.com "
                          "(HTTP 400: invalid_client")
    assert SECRET not in out + err and len(err.strip().splitlines()) == 1


def test_a_wrong_access_token_is_one_line_and_prints_nothing_else(monkeypatch, tmp_path, capsys):
    with FakeShopify() as shop:
        for name, value in shop.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("SHOPIFY_ACCESS_TOKEN", "shpat_wrong")
        code = main(["--workspace", str(tmp_path), "--store", "t", "pull"])
    out, err = capsys.readouterr()
    assert code == 4 and out == ""
    assert err == ("error: Shopify BulkRunQuery: HTTP 401: the access token was refused; check "
                   "SHOPIFY_ACCESS_TOKEN, or SHOPIFY_CLIENT_ID and SHOPIFY_CLIENT_SECRET\n")


def test_the_api_version_is_pinned_in_the_endpoint():
    transport = AdminGraphQL("my-store.myshopify.com", lambda: "t")
    assert transport.endpoint == "https://my-store.myshopify.com/admin/api/2026-01/graphql.json"
    local = AdminGraphQL("my-store.myshopify.com", lambda: "t", api_url="http://127.0.0.1:8123")
    assert local.endpoint == "http://127.0.0.1:8123/admin/api/2026-01/graphql.json"
