"""Requests-per-minute and tokens-per-minute budgets that keep a run just under the provider's rate limits.

Two token buckets refill continuously at a little under the limit (`headroom`), so a steady run never meets a 429
by design. Each bucket holds only `burst_s` seconds of refill (half a second): the provider may enforce its
per-minute limit over much shorter windows, and a burst of a full minute's quota at start-up is exactly what gets
throttled. A small bucket also leaves room for requests that are sent evenly but arrive bunched (a busy machine, a
congested network): with half a second of burst, arrivals can drift by about that much before a one-second window
on the provider's side overflows.

Each answer's `x-ratelimit-*` headers are what the provider itself believes: its limits (a configured budget above
them is lowered to them; an unset one adopts them) and what remains. What remains was counted when the provider
received that request, so the requests sent after it are subtracted before the local buckets are trimmed to it;
the buckets are never raised by a header, so another client sharing the key only ever slows this one down.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s|d)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(text: str | None) -> float | None:
    """Seconds in a reset header: "6m0s", "1s", "120ms", "1h2m3.5s", "0.5s" or a bare number of seconds."""
    if text is None:
        return None
    value = str(text).strip().lower()
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    parts = _DURATION_PART.findall(value)
    if not parts or "".join(n + u for n, u in parts) != value:
        return None
    return sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts)


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


@dataclass(frozen=True)
class LimitHeaders:
    """The provider's view of the limits, as the `x-ratelimit-*` headers of one answer report it."""

    limit_requests: int | None = None
    remaining_requests: int | None = None
    reset_requests_s: float | None = None
    limit_tokens: int | None = None
    remaining_tokens: int | None = None
    reset_tokens_s: float | None = None

    @classmethod
    def parse(cls, headers: Mapping[str, str]) -> LimitHeaders:
        lower = {str(k).lower(): str(v) for k, v in headers.items()}
        return cls(limit_requests=_int_header(lower, "x-ratelimit-limit-requests"),
                   remaining_requests=_int_header(lower, "x-ratelimit-remaining-requests"),
                   reset_requests_s=parse_duration(lower.get("x-ratelimit-reset-requests")),
                   limit_tokens=_int_header(lower, "x-ratelimit-limit-tokens"),
                   remaining_tokens=_int_header(lower, "x-ratelimit-remaining-tokens"),
                   reset_tokens_s=parse_duration(lower.get("x-ratelimit-reset-tokens")))


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The wait a 429 or 503 asks for: `retry-after-ms` (OpenAI's), else `retry-after` in seconds."""
    lower = {str(k).lower(): str(v) for k, v in headers.items()}
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        try:
            value = float(lower[name]) * scale
        except (KeyError, ValueError):
            continue
        if math.isfinite(value) and value >= 0:
            return value
    return None


class TokenBucket:
    """`per_minute` units a minute, refilled continuously; holds at most `burst_s` seconds' worth."""

    def __init__(self, per_minute: float, *, burst_s: float, now: float):
        self.burst_s = burst_s
        self.per_minute = per_minute
        # Empty at the start: a full bucket would let a burst through in the first second, and a provider that
        # enforces its per-minute limit over short windows would answer that burst with 429s.
        self.level = 0.0
        self.updated = now

    @property
    def rate(self) -> float:
        return self.per_minute / 60.0

    @property
    def capacity(self) -> float:
        return max(self.rate * self.burst_s, 1.0)

    def refill(self, now: float) -> None:
        self.level = min(self.capacity, self.level + (now - self.updated) * self.rate)
        self.updated = now

    def wait_for(self, amount: float, now: float) -> float:
        """Seconds until `amount` can be taken (0 when it can be taken now). A request bigger than the bucket
        waits for a full bucket and overdraws it, so a single large prompt is slowed, never refused."""
        self.refill(now)
        needed = min(amount, self.capacity)
        return 0.0 if self.level >= needed else (needed - self.level) / self.rate

    def take(self, amount: float) -> None:
        self.level -= amount

    def trim(self, available: float) -> None:
        self.level = min(self.level, available)


@dataclass(frozen=True)
class Ticket:
    """What one admitted request was charged, and how many requests had been sent before it."""

    sequence: int
    tokens: int


class RateLimiter:
    """Admit requests at a pace the provider accepts: `await limiter.admit(tokens)` before each request,
    `limiter.observe(headers, ticket)` after each answer, `limiter.pause(seconds)` after a 429."""

    def __init__(self, rpm: float | None, tpm: float | None, *, headroom: float = 0.97, burst_s: float = 0.5,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep):
        self.headroom, self.burst_s = headroom, burst_s
        self.clock, self.sleep = clock, sleep
        self.configured_rpm, self.configured_tpm = rpm or None, tpm or None
        now = clock()
        self.requests = TokenBucket(self._pace(rpm), burst_s=burst_s, now=now) if rpm else None
        self.tokens = TokenBucket(self._pace(tpm), burst_s=burst_s, now=now) if tpm else None
        self.sent = 0
        self.sent_tokens = 0
        self.paused_until = 0.0
        self.waited_s = 0.0
        self.provider_limits: LimitHeaders = LimitHeaders()
        self._lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    def _pace(self, per_minute: float) -> float:
        return per_minute * self.headroom

    @property
    def rpm(self) -> float | None:
        return self.requests.per_minute / self.headroom if self.requests else None

    @property
    def tpm(self) -> float | None:
        return self.tokens.per_minute / self.headroom if self.tokens else None

    async def admit(self, tokens: int) -> Ticket:
        """Wait until both budgets allow one request of `tokens` tokens, then charge it. Requests are admitted
        in the order they ask (the lock is fair), so a large prompt is not starved by small ones."""
        async with self._loop_lock():
            while True:
                now = self.clock()
                wait = max(self.paused_until - now, 0.0)
                if self.requests:
                    wait = max(wait, self.requests.wait_for(1, now))
                if self.tokens:
                    wait = max(wait, self.tokens.wait_for(tokens, now))
                if wait <= 1e-6:  # float rounding must not spin the loop on a microscopic shortfall
                    break
                self.waited_s += wait
                await self.sleep(wait)
            if self.requests:
                self.requests.take(1)
            if self.tokens:
                self.tokens.take(tokens)
            ticket = Ticket(self.sent, tokens)
            self.sent += 1
            self.sent_tokens += tokens
            return ticket

    def _loop_lock(self) -> asyncio.Lock:
        # A limiter outlives the asyncio.run() of one wave of requests, and a lock belongs to one event loop.
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock[0] is not loop:
            self._lock = (loop, asyncio.Lock())
        return self._lock[1]

    def observe(self, headers: Mapping[str, str], ticket: Ticket | None = None) -> LimitHeaders:
        """Adapt to the provider's view in one answer's headers (see the module docstring)."""
        seen = LimitHeaders.parse(headers)
        self.provider_limits = seen
        now = self.clock()
        self.requests = self._adapt(self.requests, self.configured_rpm, seen.limit_requests, now)
        self.tokens = self._adapt(self.tokens, self.configured_tpm, seen.limit_tokens, now)
        if ticket is not None:
            later_requests = self.sent - ticket.sequence - 1
            if self.requests and seen.remaining_requests is not None:
                self.requests.refill(now)
                self.requests.trim(seen.remaining_requests - later_requests)
            if self.tokens and seen.remaining_tokens is not None:
                self.tokens.refill(now)
                # Tokens charged since: approximated by the average charge, as single tickets are not kept.
                average = self.sent_tokens / max(self.sent, 1)
                self.tokens.trim(seen.remaining_tokens - later_requests * average)
        return seen

    def _adapt(self, bucket: TokenBucket | None, configured: float | None, provider_limit: int | None,
               now: float) -> TokenBucket | None:
        if provider_limit is None or provider_limit <= 0:
            return bucket
        wanted = provider_limit if configured is None else min(configured, provider_limit)
        if bucket is None:
            return TokenBucket(self._pace(wanted), burst_s=self.burst_s, now=now)
        if abs(bucket.per_minute - self._pace(wanted)) > 1e-9:
            bucket.refill(now)
            bucket.per_minute = self._pace(wanted)
            bucket.level = min(bucket.level, bucket.capacity)
        return bucket

    def pause(self, seconds: float) -> None:
        """Nobody sends until `seconds` from now (a 429's Retry-After applies to the key, not to one request)."""
        self.paused_until = max(self.paused_until, self.clock() + max(seconds, 0.0))
