"""The concurrent runner against the local OpenAI-compatible server: limits, faults, retries, budget stops."""

from __future__ import annotations

import json
import time

import pytest
from fakes.openai_server import FakeConfig, FakeOpenAI

from pipeline.errors import ProviderError
from pipeline.llm.budget import Budget
from pipeline.llm.concurrent import ConcurrentOpenAI
from pipeline.llm.costs import Price
from pipeline.llm.provider import Message, Request

SCHEMA = {"type": "object", "properties": {"title": {"type": ["string", "null"]}, "seo_title": {"type": ["string",
          "null"]}}, "required": ["title", "seo_title"], "additionalProperties": False}


def requests(n: int, words: int = 20, max_tokens: int = 200) -> list[Request]:
    return [Request(messages=(Message("system", "You write product copy."),
                              Message("user", f"Product {i}: " + "linen duvet cover " * words)),
                    schema=SCHEMA, max_output_tokens=max_tokens) for i in range(n)]


def runner(server: FakeOpenAI, **kwargs: object) -> ConcurrentOpenAI:
    options: dict[str, object] = {"base_url": server.base_url, "api_key": "test", "timeout_s": 2.0,
                                  "concurrency": 16, "backoff_s": 0.02, "max_wait_s": 1.0}
    options.update(kwargs)
    return ConcurrentOpenAI("gpt-4o-mini", **options)  # type: ignore[arg-type]


def test_every_request_is_answered_in_order_with_its_usage() -> None:
    with FakeOpenAI(FakeConfig(latency_s=0.01)) as server:
        run = runner(server)
        outcomes = run.complete_many(requests(12))
    assert [o.error for o in outcomes] == [None] * 12
    for outcome in outcomes:
        assert set(json.loads(outcome.response.text)) == {"title", "seo_title"}
        assert outcome.response.usage.tokens_in > 60 and outcome.response.usage.tokens_out > 0
    assert server.stats.answered == 12


def test_the_run_stays_under_a_strict_rpm_limit_without_a_single_429() -> None:
    # The server enforces 3,000 RPM over one-second windows (no minute-long burst allowance).
    with FakeOpenAI(FakeConfig(latency_s=0.05, rpm=3000, burst_s=1.0)) as server:
        run = runner(server, rpm=3000)
        started = time.monotonic()
        outcomes = run.complete_many(requests(75))
        elapsed = time.monotonic() - started
    assert all(o.response is not None for o in outcomes)
    assert server.stats.rate_limited == 0
    assert 75 / elapsed * 60 <= 3000 * 1.02


def test_the_tokens_per_minute_limit_binds_when_prompts_are_large() -> None:
    with FakeOpenAI(FakeConfig(rpm=100_000, tpm=120_000, burst_s=1.0)) as server:  # 2,000 tokens a second
        run = runner(server, rpm=100_000, tpm=120_000)
        started = time.monotonic()
        run.complete_many(requests(12, words=30, max_tokens=300))  # ~420 tokens charged each
        elapsed = time.monotonic() - started
    assert server.stats.rate_limited == 0
    assert elapsed >= 11 * 420 / 2000 * 0.9


def test_the_runner_adopts_a_lower_limit_the_headers_announce() -> None:
    with FakeOpenAI(FakeConfig(latency_s=0.01, rpm=1200, burst_s=1.0)) as server:
        run = runner(server, rpm=60_000, concurrency=4)
        outcomes = run.complete_many(requests(40))
    assert all(o.response is not None for o in outcomes)
    assert run.limiter.rpm == pytest.approx(1200)
    assert server.stats.rate_limited <= 4  # only the very first requests, before any header was seen


def test_injected_429s_500s_and_timeouts_are_retried_until_every_request_is_answered() -> None:
    config = FakeConfig(latency_s=0.01, fail_429=0.1, fail_500=0.1, timeout=0.05, hang_s=0.6, seed=7)
    with FakeOpenAI(config) as server:
        run = runner(server, timeout_s=0.3, attempts=8)
        outcomes = run.complete_many(requests(60))
    assert all(o.response is not None for o in outcomes), [o.error for o in outcomes if o.error]
    injected = server.stats.injected
    assert injected.get("429", 0) > 0 and injected.get("500", 0) > 0 and injected.get("timeout", 0) > 0
    assert run.stats.rate_limited == injected["429"] and run.stats.server_errors == injected["500"]
    assert run.stats.timeouts >= injected["timeout"]
    assert run.stats.sent == 60 + injected["429"] + injected["500"] + run.stats.timeouts


def test_retry_after_is_honoured_and_a_request_is_given_up_after_its_attempts() -> None:
    with FakeOpenAI(FakeConfig(fail_429=1.0, injected_retry_after_s=0.25)) as server:
        run = runner(server, attempts=3)
        started = time.monotonic()
        outcomes = run.complete_many(requests(1))
        elapsed = time.monotonic() - started
        with pytest.raises(ProviderError, match="HTTP 429 rate limited"):
            run.complete(requests(1)[0])
    assert outcomes[0].response is None and outcomes[0].attempts == 3
    assert outcomes[0].error.startswith("HTTP 429 rate limited")
    assert elapsed >= 2 * 0.25


def test_refusals_and_malformed_answers_come_back_as_answers_for_the_stage_to_judge() -> None:
    with FakeOpenAI(FakeConfig(refusal=0.5, malformed=0.5, seed=3)) as server:
        outcomes = runner(server).complete_many(requests(20))
    refused = [o.response for o in outcomes if o.response.finish_reason == "refusal"]
    assert refused and all(r.refusal for r in refused)
    broken = [o.response for o in outcomes if o.response.finish_reason == "stop"]
    with pytest.raises(json.JSONDecodeError):
        for response in broken:
            json.loads(response.text)


def test_a_refused_api_key_stops_the_whole_run_with_one_clear_error() -> None:
    with FakeOpenAI(FakeConfig(api_key="right")) as server:
        with pytest.raises(ProviderError, match="API key was refused"):
            runner(server, api_key="wrong").complete_many(requests(5))
        assert server.stats.answered == 0


def test_a_budget_stops_the_run_before_it_is_exceeded_and_keeps_what_was_answered() -> None:
    price = Price(input=150.0, output=600.0, cached=75.0)  # dollars per million tokens, to make cents add up
    budget = Budget(limit_usd=1.0, price=price)
    saved: dict[int, str] = {}

    def admit(index: int, request: Request) -> bool:
        return budget.reserve(budget.worst_case(200, request.max_output_tokens))

    with FakeOpenAI(FakeConfig(latency_s=0.01)) as server:
        run = runner(server, concurrency=1)
        outcomes = run.complete_many(requests(20), admit=admit,
                                     on_response=lambda i, r: saved.__setitem__(i, r.text))
    answered = [i for i, o in enumerate(outcomes) if o.response is not None]
    assert answered and len(answered) < 20
    assert all(outcomes[i].skipped for i in range(len(answered), 20))
    assert sorted(saved) == answered
    spent = sum(price.cost(outcomes[i].response.usage) for i in answered)
    assert spent <= 1.0
    assert budget.stopped
