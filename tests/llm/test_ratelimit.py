"""The rate limiter: reset-header durations, pacing under RPM and TPM, adapting to the provider's headers."""

from __future__ import annotations

import asyncio

import pytest

from pipeline.llm.ratelimit import LimitHeaders, RateLimiter, parse_duration, retry_after_seconds


class VirtualTime:
    """A clock that only moves when the limiter sleeps, so pacing is measured exactly and instantly."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def limiter(rpm: float | None, tpm: float | None, time: VirtualTime, **kwargs: float) -> RateLimiter:
    return RateLimiter(rpm, tpm, clock=time.clock, sleep=time.sleep, **kwargs)


def admit_all(limit: RateLimiter, charges: list[int]) -> list[float]:
    """Admit each charge in turn; the virtual time at which each was admitted."""
    async def run() -> list[float]:
        times = []
        for charge in charges:
            await limit.admit(charge)
            times.append(limit.clock())
        return times
    return asyncio.run(run())


@pytest.mark.parametrize("text, seconds", [
    ("6m0s", 360.0), ("1s", 1.0), ("120ms", 0.12), ("1h2m3.5s", 3723.5), ("0.5s", 0.5), ("2", 2.0),
    ("17ms", 0.017), ("1m30s", 90.0),
])
def test_reset_durations_in_openai_format_are_read_as_seconds(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "soon", "5 minutes", "1x", None])
def test_unreadable_reset_durations_are_none_not_errors(text: str | None) -> None:
    assert parse_duration(text) is None


def test_headers_are_read_whatever_their_case() -> None:
    seen = LimitHeaders.parse({"X-RateLimit-Limit-Requests": "3000", "x-ratelimit-remaining-requests": "2999",
                               "x-ratelimit-reset-requests": "20ms", "x-ratelimit-limit-tokens": "2000000",
                               "x-ratelimit-remaining-tokens": "1997000", "x-ratelimit-reset-tokens": "90ms"})
    assert (seen.limit_requests, seen.remaining_requests, seen.limit_tokens, seen.remaining_tokens) == \
        (3000, 2999, 2_000_000, 1_997_000)
    assert seen.reset_requests_s == pytest.approx(0.02) and seen.reset_tokens_s == pytest.approx(0.09)


def test_retry_after_prefers_milliseconds_and_ignores_garbage() -> None:
    assert retry_after_seconds({"retry-after-ms": "250", "retry-after": "1"}) == pytest.approx(0.25)
    assert retry_after_seconds({"Retry-After": "3"}) == 3.0
    assert retry_after_seconds({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) is None
    assert retry_after_seconds({}) is None


def test_requests_are_paced_just_under_the_rpm_limit_with_no_burst() -> None:
    time = VirtualTime()
    times = admit_all(limiter(600, None, time), [1] * 200)  # 10 a second allowed
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert 9.5 <= rate <= 10.0
    # No one-second window ever holds more than the limit allows.
    assert max(sum(1 for t in times if start <= t < start + 1) for start in times) <= 10


def test_tokens_per_minute_bind_when_requests_are_large() -> None:
    time = VirtualTime()
    times = admit_all(limiter(6000, 60_000, time), [2000] * 60)  # 1,000 tokens/s: one request per 2 s
    assert (times[-1] - times[0]) / (len(times) - 1) == pytest.approx(2 / 0.97, rel=0.01)


def test_a_request_larger_than_the_bucket_goes_when_the_bucket_is_full_and_the_next_one_repays_it() -> None:
    time = VirtualTime()
    times = admit_all(limiter(None, 600, time, burst_s=1.0), [5000, 5000])  # the bucket holds 1 s = ~10 tokens
    assert times[0] == pytest.approx(1.0, abs=0.01)
    assert times[1] - times[0] == pytest.approx(5000 / (600 * 0.97 / 60), rel=0.01)


def test_lower_provider_limit_from_headers_slows_the_run_down() -> None:
    time = VirtualTime()
    limit = limiter(6000, None, time)
    limit.observe({"x-ratelimit-limit-requests": "600", "x-ratelimit-remaining-requests": "600"})
    assert limit.rpm == pytest.approx(600)
    times = admit_all(limit, [1] * 50)
    assert (len(times) - 1) / (times[-1] - times[0]) <= 10.0


def test_unset_budgets_adopt_the_provider_limits() -> None:
    time = VirtualTime()
    limit = limiter(None, None, time)
    assert limit.rpm is None and limit.tpm is None
    limit.observe({"x-ratelimit-limit-requests": "1200", "x-ratelimit-limit-tokens": "90000"})
    assert limit.rpm == pytest.approx(1200) and limit.tpm == pytest.approx(90000)


def test_a_configured_budget_below_the_provider_limit_is_kept() -> None:
    limit = limiter(100, None, VirtualTime())
    limit.observe({"x-ratelimit-limit-requests": "5000"})
    assert limit.rpm == pytest.approx(100)


def test_remaining_quota_from_another_client_on_the_key_makes_the_next_request_wait() -> None:
    time = VirtualTime()
    limit = limiter(600, None, time, burst_s=5)

    async def run() -> float:
        time.now = 10.0  # the bucket has had time to fill
        ticket = await limit.admit(1)
        limit.observe({"x-ratelimit-limit-requests": "600", "x-ratelimit-remaining-requests": "0"}, ticket)
        before = time.now
        await limit.admit(1)
        return time.now - before

    assert asyncio.run(run()) == pytest.approx(1 / (10 * 0.97), rel=0.01)


def test_pause_holds_every_request_until_the_retry_after_has_passed() -> None:
    time = VirtualTime()
    limit = limiter(None, None, time)
    limit.pause(2.5)
    assert admit_all(limit, [1])[0] == pytest.approx(2.5)


def test_the_limiter_works_across_separate_event_loops() -> None:
    time = VirtualTime()
    limit = limiter(600, None, time)
    admit_all(limit, [1] * 3)
    assert len(admit_all(limit, [1] * 3)) == 3
