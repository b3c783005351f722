"""Many chat requests at once, at the provider's rate limit and never over it.

`ConcurrentOpenAI.complete_many(requests)` runs them on `openai.AsyncOpenAI` with at most `concurrency` in flight,
each admitted by the RateLimiter (requests and tokens per minute, adapting to the `x-ratelimit-*` headers of every
answer). The headers come from the raw HTTP response, as `with_raw_response` would give them: the ready-made wire
body is posted with `cast_to` the HTTP response class, which also skips the SDK's per-request typing pass. A 429, a
5xx, a timeout or a dropped connection is retried by tenacity with jittered exponential backoff; a 429's
Retry-After (or retry-after-ms) is honoured and pauses every request, since the limit belongs to the key, not to
one request. The client's own retries are off so that one policy decides.

Answers are handed to `on_response` the moment they arrive (the caller caches them, so an interrupted run keeps
every answer it paid for), and `admit` is asked before each request is sent, which is where a budget stops a run.
It also implements the one-request `Provider.complete`, so it can stand wherever a provider does.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import openai
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from pipeline.errors import ProviderError
from pipeline.llm.openai_wire import (
    chat_body,
    describe_error,
    is_rejected_parameter,
    rate_limit_charge,
    response_from_completion,
)
from pipeline.llm.provider import Request, Response
from pipeline.llm.ratelimit import RateLimiter, Ticket, retry_after_seconds

try:  # the HTTP library under the openai SDK: httpx2 in its newer releases, httpx before
    import httpx2 as _http
except ImportError:  # pragma: no cover - depends on the installed SDK
    import httpx as _http  # type: ignore[no-redef]

_RETRYABLE_STATUS = {408, 409, 429}


def is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in _RETRYABLE_STATUS or exc.status_code >= 500
    return isinstance(exc, openai.APITimeoutError | openai.APIConnectionError)


@dataclass
class Outcome:
    """What became of one request: its answer, or why there is none."""

    response: Response | None = None
    error: str | None = None
    skipped: bool = False  # not sent: `admit` said no (a budget) or the run was stopped
    attempts: int = 0


@dataclass
class RunStats:
    sent: int = 0  # HTTP requests, retries included
    answered: int = 0
    rate_limited: int = 0  # answers that were 429
    server_errors: int = 0
    timeouts: int = 0
    failed: int = 0  # requests given up after their attempts
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def requests_per_minute(self) -> float:
        return self.answered / self.seconds * 60 if self.seconds else 0.0


class ConcurrentOpenAI:
    """OpenAI (or a compatible server) at scale. `name` matches the one-at-a-time provider's, so both share the
    response cache: a prompt answered either way is never paid for twice."""

    name = "openai"
    template_based = False

    def __init__(self, model: str, *, api_key: str = "not-needed", base_url: str | None = None,
                 timeout_s: float = 60.0, concurrency: int = 64, rpm: float | None = None, tpm: float | None = None,
                 attempts: int = 6, backoff_s: float = 0.5, max_wait_s: float = 60.0,
                 max_tokens_param: str = "max_completion_tokens", structured_output: bool = True,
                 limiter: RateLimiter | None = None, client_factory: Callable[[], Any] | None = None):
        self.model = model
        self.concurrency = max(1, concurrency)
        self.attempts = max(1, attempts)
        self.backoff_s, self.max_wait_s = backoff_s, max_wait_s
        self.max_tokens_param = max_tokens_param
        self.structured_output = structured_output
        self.limiter = limiter or RateLimiter(rpm, tpm)
        self.where = base_url or "api.openai.com"
        self._client_factory = client_factory or (lambda: openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=0))
        self.stats = RunStats()

    # -- the Provider interface ------------------------------------------------------------------------------
    def complete(self, request: Request) -> Response:
        outcome = self.complete_many([request])[0]
        if outcome.response is None:
            raise ProviderError(f"{self.where} ({self.model}): {outcome.error}; finished drafts are kept, re-run "
                                "later to continue")
        return outcome.response

    # -- many at once ----------------------------------------------------------------------------------------
    def complete_many(self, requests: Sequence[Request], *,
                      on_response: Callable[[int, Response], None] | None = None,
                      admit: Callable[[int, Request], bool] | None = None) -> list[Outcome]:
        """Send every request (at most `concurrency` at a time); outcomes in the order of `requests`.

        `admit(i, request)` runs just before request i is first sent; False stops the run there: that request
        and every later one are returned `skipped`, while those in flight finish. An authentication error stops
        the run at once with ProviderError."""
        return asyncio.run(self._run(list(requests), on_response, admit))

    async def _run(self, requests: list[Request], on_response: Callable[[int, Response], None] | None,
                   admit: Callable[[int, Request], bool] | None) -> list[Outcome]:
        outcomes = [Outcome() for _ in requests]
        started = time.monotonic()
        client = self._client_factory()
        queue: asyncio.Queue[int] = asyncio.Queue()
        for index in range(len(requests)):
            queue.put_nowait(index)
        stopped = asyncio.Event()
        fatal: list[BaseException] = []

        async def worker() -> None:
            while not stopped.is_set():
                try:
                    index = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                request = requests[index]
                if admit is not None and not admit(index, request):
                    stopped.set()
                    return
                try:
                    outcomes[index] = await self._send(client, request)
                except openai.AuthenticationError:
                    fatal.append(ProviderError(f"{self.where}: the API key was refused; check OPENAI_API_KEY"))
                    stopped.set()
                    return
                except openai.BadRequestError as exc:  # a parameter the model does not take: so would every request
                    fatal.append(ProviderError(f"{self.where} ({self.model}): {describe_error(exc)}"))
                    stopped.set()
                    return
                answered = outcomes[index].response
                if answered is not None and on_response is not None:
                    on_response(index, answered)

        try:
            await asyncio.gather(*(worker() for _ in range(min(self.concurrency, max(len(requests), 1)))))
        finally:
            self.stats.seconds += time.monotonic() - started
            close = getattr(client, "close", None)
            if close is not None:
                await close()
        if fatal:
            raise fatal[0]
        for outcome in outcomes:
            if outcome.response is None and outcome.error is None:
                outcome.skipped = True
        return outcomes

    async def _send(self, client: Any, request: Request) -> Outcome:
        body = chat_body(self.model, request, self.max_tokens_param, self.structured_output)
        charge = rate_limit_charge(request)
        outcome = Outcome()
        retrying = AsyncRetrying(stop=stop_after_attempt(self.attempts), retry=retry_if_exception(is_retryable),
                                 wait=self._wait, reraise=True)
        try:
            async for attempt in retrying:
                with attempt:
                    outcome.attempts += 1
                    outcome.response = await self._attempt(client, body, charge)
        except openai.AuthenticationError:
            raise
        except (openai.APIError, ValueError) as exc:
            if is_rejected_parameter(exc):  # stops the run (worker): every other request would be refused too
                raise
            outcome.error = describe_error(exc) if isinstance(exc, openai.APIError) else f"unreadable answer: {exc}"
            if is_retryable(exc):
                outcome.error += f" after {outcome.attempts} attempts"
            self.stats.failed += 1
            if len(self.stats.errors) < 20:
                self.stats.errors.append(outcome.error)
        return outcome

    async def _attempt(self, client: Any, body: dict[str, Any], charge: int) -> Response:
        ticket: Ticket = await self.limiter.admit(charge)
        self.stats.sent += 1
        try:
            # The body is already in wire form (openai_wire.chat_body): posting it as it is skips the SDK's
            # per-request typing pass and model building, which cost more CPU than the rest of a request.
            raw = await client.post("/chat/completions", cast_to=_http.Response, body=body)
        except openai.APIStatusError as exc:
            headers = dict(exc.response.headers) if exc.response is not None else {}
            self.limiter.observe(headers, ticket)
            if exc.status_code == 429:
                self.stats.rate_limited += 1
                self.limiter.pause(retry_after_seconds(headers) or 0.0)
            elif exc.status_code >= 500:
                self.stats.server_errors += 1
            raise
        except openai.APITimeoutError:
            self.stats.timeouts += 1
            raise
        self.limiter.observe(dict(raw.headers), ticket)
        self.stats.answered += 1
        try:
            data = raw.json()
        except ValueError:
            raise ValueError("the answer is not JSON") from None
        return response_from_completion(data, self.model)

    def _wait(self, state: RetryCallState) -> float:
        """Retry-After when the provider gave one (plus a little jitter so the waiting requests do not all return
        in the same millisecond), else full-jitter exponential backoff."""
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, openai.APIStatusError) and exc.response is not None:
            asked = retry_after_seconds(dict(exc.response.headers))
            if asked is not None:
                return min(asked, self.max_wait_s) + random.uniform(0, min(0.1 + asked * 0.1, 1.0))
        ceiling = min(self.max_wait_s, self.backoff_s * 2 ** (state.attempt_number - 1))
        return random.uniform(0, ceiling)
