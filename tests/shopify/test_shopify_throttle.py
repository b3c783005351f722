"""Pacing inside the cost bucket, and bounded retries of THROTTLED, 429, 5xx and dropped connections."""

from __future__ import annotations

import time

import pytest

from pipeline.errors import StoreError
from pipeline.shopify.auth import credentials_from_env
from pipeline.shopify.connector import build_connector
from pipeline.shopify.mutations import ProductUpdate
from pipeline.shopify.throttle import CostBucket
from tests.fakes.shopify_server import FakeShopify, make_product


class FakeClock:
    def __init__(self) -> None:
        self.now, self.slept = 0.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def cost(requested: float, available: float, maximum: float = 1000.0, rate: float = 50.0) -> dict:
    return {"requestedQueryCost": requested, "actualQueryCost": requested,
            "throttleStatus": {"maximumAvailable": maximum, "currentlyAvailable": available, "restoreRate": rate}}


def test_the_bucket_waits_exactly_until_the_next_request_fits():
    clock = FakeClock()
    bucket = CostBucket(clock=clock, sleep=clock.sleep, margin_points=0.0)
    assert bucket.wait_before("ProductUpdate", 10) == 0            # nothing known yet: go
    bucket.observe("ProductUpdate", cost(10, 4))                    # 4 points left, 50/s
    assert bucket.wait_before("ProductUpdate") == pytest.approx(6 / 50)
    clock.now += 1.0
    bucket.observe("ProductUpdate", cost(10, 990))
    assert bucket.wait_before("ProductUpdate") == 0


def test_waiting_requests_spend_points_from_the_estimate_before_the_answer_comes():
    clock = FakeClock()
    bucket = CostBucket(clock=clock, sleep=lambda s: None, margin_points=0.0)
    bucket.observe("Q", cost(100, 250, rate=100))
    assert [bucket.wait_before("Q") for _ in range(3)] == [0, 0, pytest.approx(0.5)]


def test_throttled_is_retried_after_the_refill_time_it_reports():
    clock = FakeClock()
    with FakeShopify() as shop:
        shop.add_products([make_product(1)])
        connector = build_connector(credentials_from_env(shop.env()), sleep=clock.sleep)
        shop.throttle_next(2)
        [result] = connector.update_products([ProductUpdate("gid://shopify/Product/1001", title="New")])
    assert result.ok
    assert connector.client.stats.throttled == 2 and connector.client.stats.retries == 2
    assert [e["throttled"] for e in shop.log] == [True, True, False]
    assert clock.slept and all(s >= 0 for s in clock.slept)


def test_429_honours_retry_after_and_5xx_backs_off():
    clock = FakeClock()
    with FakeShopify() as shop:
        shop.add_products([make_product(1)])
        connector = build_connector(credentials_from_env(shop.env()), sleep=clock.sleep)
        shop.fail_next(429, retry_after="2.0")
        shop.fail_next(503)
        assert connector.read_products(["gid://shopify/Product/1001"])
    assert len(clock.slept) == 2
    assert 2.0 <= clock.slept[0] <= 2.0 + 0.05 + 0.2          # at least what Shopify asked, a little jitter
    assert 0 <= clock.slept[1] <= 30


def test_retries_are_bounded_then_fail_with_a_clear_message(capsys):
    clock = FakeClock()
    with FakeShopify() as shop:
        connector = build_connector(credentials_from_env(shop.env()), {"max_attempts": 3}, sleep=clock.sleep)
        shop.fail_next(502, times=5)
        with pytest.raises(StoreError) as caught:
            connector.shop_locales()
    assert str(caught.value).startswith("Shopify ShopLocales: HTTP 502")
    assert "gave up after 3 attempts" in str(caught.value)
    assert capsys.readouterr() == ("", "")  # ShopifyAPI prints error bodies; our wrapper must not


def test_a_dropped_connection_is_retried():
    clock = FakeClock()
    with FakeShopify() as shop:
        connector = build_connector(credentials_from_env(shop.env()), sleep=clock.sleep)
        shop.drop_next()
        assert [x.locale for x in connector.shop_locales()] == ["en", "fr"]
    assert connector.client.stats.retries == 1


def test_graphql_errors_other_than_throttled_are_not_retried():
    with FakeShopify() as shop:
        connector = build_connector(credentials_from_env(shop.env()), sleep=lambda s: None)
        shop.error_next("ACCESS_DENIED", "Access denied for shopLocales field.")
        with pytest.raises(StoreError, match="access denied .*read_translations"):
            connector.shop_locales()
    assert len(shop.log) == 1


def test_a_run_of_mutations_stays_inside_a_small_bucket_without_being_throttled():
    """60 updates x 10 points with a 100-point bucket refilling 400/s: paced, never THROTTLED, near the minimum."""
    with FakeShopify(bucket_size=100, restore_rate=400) as shop:
        shop.add_products([make_product(n) for n in range(60)])
        connector = build_connector(credentials_from_env(shop.env()))
        started = time.perf_counter()
        results = connector.update_products([ProductUpdate(f"gid://shopify/Product/{1000 + n}", title=f"T{n}")
                                             for n in range(60)], mode="single")
        seconds = time.perf_counter() - started
    assert all(r.ok for r in results)
    assert shop.throttled_responses == 0
    assert seconds >= (600 - 100) / 400 * 0.95


def test_a_hung_request_times_out_and_is_retried():
    with FakeShopify() as shop:
        connector = build_connector(credentials_from_env(shop.env()), {"timeout_s": 0.3}, sleep=lambda s: None)
        shop.stall_next(1.5)
        started = time.perf_counter()
        assert [x.locale for x in connector.shop_locales()] == ["en", "fr"]
    assert time.perf_counter() - started < 1.4 and connector.client.stats.retries == 1


def test_requests_from_worker_threads_carry_the_token():
    """ShopifyAPI keeps its session per thread; a worker thread must still send the access token."""
    import threading

    with FakeShopify() as shop:
        shop.add_products([make_product(1)])
        connector = build_connector(credentials_from_env(shop.env()))
        connector.shop_locales()                      # activates the session on this thread
        seen: list[object] = []
        worker = threading.Thread(target=lambda: seen.append(connector.read_products(["gid://shopify/Product/1001"])))
        worker.start()
        worker.join()
    assert seen and "gid://shopify/Product/1001" in seen[0]
