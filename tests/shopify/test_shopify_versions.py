"""[shopify] api_version: the version in every URL, its form checked once, and a one-line warning at connect time
when the store no longer supports it (one small query, never fatal)."""

from __future__ import annotations

import pytest

from pipeline.cli import main
from pipeline.config import ShopifySettings, load_settings
from pipeline.errors import ConfigError
from pipeline.shopify.auth import credentials_from_env
from pipeline.shopify.connector import build_connector, connector_from_env
from pipeline.shopify.versions import version_warning
from tests.fakes.shopify_server import FakeShopify, make_product

# Early 2027: 2026-01 has dropped out of support (its 12 months are over), 2027-04 is the release candidate.
LATER = (("2026-04", True), ("2026-07", True), ("2026-10", True), ("2027-01", True), ("2027-04", False),
         ("unstable", False))
UNSUPPORTED_LINE = ('warning: Shopify no longer supports API version 2026-01 (it answers such requests as 2026-04, '
                    'its oldest supported version); set api_version = "2027-01" (the newest supported) under '
                    '[shopify] in seo.toml')


def _connect(shop: FakeShopify, settings=None) -> tuple[object, list[str]]:
    lines: list[str] = []
    connector = connector_from_env(shop.env(), settings, warn=lines.append)
    return connector, lines


def test_a_supported_version_says_nothing_and_costs_one_query():
    with FakeShopify() as shop:
        connector, lines = _connect(shop)
        assert lines == []
        assert [e["operation"] for e in shop.log] == ["PublicApiVersions"]
        assert shop.versions_requested == ["2026-01"]
        assert connector is not None and connector.client.run("shop_locales")["shopLocales"]


def test_an_unsupported_version_is_one_line_naming_it_the_newest_and_the_setting(capsys):
    with FakeShopify(api_versions=LATER) as shop:
        _, lines = _connect(shop)
        assert lines == [UNSUPPORTED_LINE]
        connector_from_env(shop.env())  # by default the line goes to stderr
    out, err = capsys.readouterr()
    assert out == "" and err == UNSUPPORTED_LINE + "\n"


def test_the_warning_does_not_stop_a_pull(monkeypatch, tmp_path, capsys):
    with FakeShopify(api_versions=LATER) as shop:
        shop.add_products([make_product(1), make_product(2)])
        for name, value in shop.env().items():
            monkeypatch.setenv(name, value)
        code = main(["--workspace", str(tmp_path), "--store", "t", "pull"])
    out, err = capsys.readouterr()
    assert code == 0 and "2 products" in out
    assert err.splitlines() == [UNSUPPORTED_LINE]


def test_an_error_answer_is_one_line_and_the_run_goes_on():
    with FakeShopify() as shop:
        shop.error_next("ACCESS_DENIED", "Access denied for publicApiVersions field.")
        connector, lines = _connect(shop)
        assert len(lines) == 1 and "\n" not in lines[0]
        assert lines[0].startswith("warning: could not check whether Shopify still supports API version 2026-01 "
                                   "(Shopify PublicApiVersions: access denied (Access denied for publicApiVersions")
        assert lines[0].endswith("); continuing")
        assert connector is not None and connector.client.run("shop_locales")["shopLocales"]


def test_an_answer_without_versions_is_one_line_and_the_run_goes_on():
    with FakeShopify(api_versions=()) as shop:
        connector, lines = _connect(shop)
        assert lines == ["warning: Shopify lists no supported API version, so api_version 2026-01 could not be "
                         "checked; continuing"]
        assert connector is not None


@pytest.mark.parametrize("fault", ["http_503", "http_429", "throttled", "internal_error", "dropped"])
def test_a_passing_fault_is_not_retried_says_nothing_and_the_run_goes_on(fault):
    """What the run's own requests retry (and report if it lasts) costs the check one try and no line."""
    with FakeShopify() as shop:
        {"http_503": lambda: shop.fail_next(503), "http_429": lambda: shop.fail_next(429, retry_after="1.0"),
         "throttled": lambda: shop.throttle_next(), "dropped": lambda: shop.drop_next(),
         "internal_error": lambda: shop.error_next("INTERNAL_SERVER_ERROR", "Internal error.")}[fault]()
        connector, lines = _connect(shop)
        assert lines == []
        assert connector is not None and connector.client.run("shop_locales")["shopLocales"]
        assert connector.client.stats.retries == 0


def test_a_store_that_stays_down_still_ends_with_one_error_line(monkeypatch, tmp_path, capsys):
    with FakeShopify() as shop:
        shop.add_products([make_product(1)])
        shop.fail_next(503, times=100)
        for name, value in shop.env().items():
            monkeypatch.setenv(name, value)
        config = tmp_path / "seo.toml"
        config.write_text("[shopify]\nmax_attempts = 2\npoll_first_s = 0.01\n", encoding="utf-8")
        code = main(["--config", str(config), "--workspace", str(tmp_path), "--store", "t", "pull"])
    out, err = capsys.readouterr()
    assert code == 4 and len(err.splitlines()) == 1 and err.startswith("error: Shopify ") and "503" in err


def test_refused_credentials_are_left_to_the_run_to_report():
    with FakeShopify() as shop:
        env = shop.env() | {"SHOPIFY_ACCESS_TOKEN": "shpat_wrong"}
        lines: list[str] = []
        assert connector_from_env(env, warn=lines.append) is not None
        assert lines == []


def test_check_version_false_sends_nothing():
    with FakeShopify() as shop:
        connector_from_env(shop.env(), check_version=False)
        assert shop.log == []


def test_the_setting_is_the_version_in_every_request(tmp_path):
    config = tmp_path / "seo.toml"
    config.write_text('[shopify]\napi_version = "2026-10"\n', encoding="utf-8")
    settings = load_settings(config)
    assert settings.shopify.api_version == "2026-10"
    with FakeShopify() as shop:
        connector, lines = _connect(shop, settings)
        assert lines == []
        connector.client.run("shop_locales")
        assert shop.versions_requested == ["2026-10", "2026-10"]
        assert connector.client.transport.endpoint.endswith("/admin/api/2026-10/graphql.json")


@pytest.mark.parametrize("value", ["2026-1", "2026-02", "26-01", "unstable", "latest", "2026-01-01", "２０２６-01"])
def test_a_malformed_version_is_one_line_naming_the_setting(tmp_path, value):
    config = tmp_path / "seo.toml"
    config.write_text(f'[shopify]\napi_version = "{value}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(config)
    message = str(error.value)
    assert "\n" not in message and f"[shopify] api_version = {value!r} is not a Shopify API version" in message
    assert message.startswith(str(config))
    with pytest.raises(ConfigError, match="api_version"):
        build_connector(credentials_from_env({"SHOPIFY_STORE": "s", "SHOPIFY_ACCESS_TOKEN": "t"}),
                        {"api_version": value})


def test_the_default_is_the_schema_version():
    assert ShopifySettings().api_version == "2026-01"
    assert load_settings().shopify.api_version == "2026-01"


def test_the_lines_for_other_answers():
    assert version_warning("2026-01", ["2026-01", "2026-04"]) is None
    assert version_warning("2027-04", ["2026-04", "2027-01"]) == (
        'warning: Shopify API version 2027-04 is not a supported version yet (the newest is 2027-01); set '
        'api_version = "2027-01" under [shopify] in seo.toml')
    assert version_warning("2026-01", []).endswith("could not be checked; continuing")
