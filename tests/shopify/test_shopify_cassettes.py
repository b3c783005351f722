"""Replayed HTTP (tests/cassettes/shopify/): the connector against https://<store>.myshopify.com, offline.

The cassettes were recorded from the Admin API double (see tests/cassettes/shopify/README.md); here the
connector runs with no SHOPIFY_API_URL, so it builds the real store and storage URLs and vcrpy answers them.
Also checked: every recorded GraphQL answer fits the 2026-01 schema for the document that was sent, and no
cassette holds a token or a secret.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from graphql import parse

from pipeline.shopify.auth import credentials_from_env
from pipeline.shopify.connector import build_connector
from tests.cassettes.shopify import record as cassettes

CASSETTES = sorted(cassettes.HERE.glob("*.yaml"))


def replay(name: str, scenario, tmp_path: Path, *, client_credentials: bool = False, **options):
    env = {"SHOPIFY_STORE": cassettes.SHOP}
    env |= {"SHOPIFY_CLIENT_ID": "recording-client-id", "SHOPIFY_CLIENT_SECRET": "x"} if client_credentials \
        else {"SHOPIFY_ACCESS_TOKEN": "shpat_replay"}
    slept: list[float] = []
    connector = build_connector(credentials_from_env(env), {"poll_first_s": 0.01, **options}, sleep=slept.append)
    with cassettes.shopify_vcr().use_cassette(f"{name}.yaml", allow_playback_repeats=False) as cassette:
        result = scenario(connector, tmp_path)
    assert cassette.all_played, f"{name}: not every recorded request was made"
    return result, slept


def test_pull_replays_bulk_query_polling_download_and_translations(tmp_path):
    result, slept = replay("pull", cassettes.pull_scenario, tmp_path)
    rows = {r["handle"]: r for r in result["rows"]}
    assert sorted(rows) == ["product-1", "product-2", "product-3"]
    assert rows["product-1"]["seo_title"] == "Cotton tee" and rows["product-3"]["status"] == "draft"
    assert rows["product-2"]["collections"] == ["sale", "summer"] and len(rows["product-2"]["variants"]) == 1
    assert slept and all(s > 0 for s in slept)  # polled with a growing interval until COMPLETED
    frame = pd.read_parquet(result["translations"]).set_index(["product_id", "locale", "key"])
    assert frame.loc[("gid://shopify/Product/1001", "fr", "title"), "value"] == "T-shirt en coton"


def test_a_failed_bulk_query_replays_as_an_error_with_its_code(tmp_path):
    result, _ = replay("pull_failed", cassettes.pull_failed_scenario, tmp_path)
    assert "ended FAILED, errorCode ACCESS_DENIED" in result["error"]


def test_push_replays_updates_translations_and_redirects(tmp_path):
    result, _ = replay("push", cassettes.push_scenario, tmp_path)
    assert set(result["before"]) == {f"gid://shopify/Product/{n}" for n in (1001, 1002, 1003)}
    ok, refused = result["single"]
    assert ok.ok and ok.snapshot.seo_title == "Organic cotton tee | Acme"
    assert refused.errors == ["handle: Handle 'product-3' already in use. Please provide a new handle."]
    assert [r.ok for r in result["bulk"]] == [True, False, True]
    assert result["bulk"][0].snapshot.title == "Product 3, improved"
    assert result["bulk"][1].errors == ["title: Title can't be blank"]
    assert result["translated"].ok
    assert result["stale"].errors[0].endswith("[INVALID_TRANSLATABLE_CONTENT]")
    assert result["redirect"].ok and result["taken"].errors[0].startswith("urlRedirect.path: Path has already")


def test_redirect_lookup_by_path_replays_found_missing_and_gone(tmp_path):
    result, _ = replay("redirects", cassettes.redirects_scenario, tmp_path)
    assert result["made"].ok and result["again"].path_taken and not result["again"].ok
    assert result["found"] is not None and result["found"].id == result["made"].redirect_id
    assert (result["found"].path, result["found"].target) == ("/products/product-1", "/products/organic-cotton-tee")
    assert result["missing"] is None
    assert result["deleted"].ok and result["gone"] is None


def test_throttled_429_and_5xx_replay_with_waits_and_a_bounded_give_up(tmp_path):
    result, slept = replay("throttled", cassettes.throttled_scenario, tmp_path, max_attempts=3)
    assert result["first"] and [x.locale for x in result["second"]] == ["en", "fr"]
    assert result["stats"].throttled == 1
    assert any(1.0 <= s <= 1.3 for s in slept)  # Retry-After: 1.0 honoured
    assert "HTTP 503" in result["error"] and "gave up after 3 attempts" in result["error"]


def test_client_credentials_replay(tmp_path):
    result, _ = replay("client_credentials", cassettes.client_credentials_scenario, tmp_path, client_credentials=True)
    assert result["grants"] == 1 and [x.name for x in result["locales"]] == ["English", "French"]


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: p.name)
def test_cassettes_hold_no_token_or_secret(path):
    text = path.read_text()
    assert not cassettes.TOKEN_LIKE.search(text)
    cassette = yaml.safe_load(text)
    for interaction in cassette["interactions"]:
        headers = {k.lower() for k in interaction["request"]["headers"]}
        assert "x-shopify-access-token" not in headers and "authorization" not in headers
        body = interaction["request"]["body"] or ""
        assert "client_secret=FILTERED" in body or "client_secret" not in body
        assert '"access_token": "FILTERED"' in interaction["response"]["body"]["string"] or \
            "access_token" not in interaction["response"]["body"]["string"]


def test_the_scrubber_removes_what_would_leak():
    leaked = b'client_id=a&client_secret=shpss_123&x=1 {"access_token": "shpat_abc", "t": "shpca_zz9"}'
    cleaned = cassettes.scrub(leaked)
    assert b"shpss_123" not in cleaned and b"shpat_abc" not in cleaned and b"shpca_zz9" not in cleaned
    assert b"client_secret=FILTERED" in cleaned and b'"access_token": "FILTERED"' in cleaned


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: p.name)
def test_recorded_graphql_answers_fit_the_schema(path):
    from tests.shopify.test_shopify_contract import _shape_errors

    for interaction in yaml.safe_load(path.read_text())["interactions"]:
        if not interaction["request"]["uri"].endswith("/admin/api/2026-01/graphql.json"):
            continue
        request = json.loads(interaction["request"]["body"])
        if interaction["response"]["status"]["code"] != 200:
            assert isinstance(json.loads(interaction["response"]["body"]["string"])["errors"], str)
            continue
        answer = json.loads(interaction["response"]["body"]["string"])
        cost = answer["extensions"]["cost"]
        assert set(cost["throttleStatus"]) == {"maximumAvailable", "currentlyAvailable", "restoreRate"}
        if "errors" in answer:
            assert answer["errors"][0]["extensions"]["code"] == "THROTTLED" and cost["actualQueryCost"] is None
            continue
        parse(request["query"])
        assert _shape_errors(request["query"], request["variables"] or {}, answer["data"]) == []
