"""Generation at scale: which path a wave of requests takes (live at the rate limit, or the Batch API), the budget
that stops a run before it is exceeded, and the wave driver. (The estimate command lives with the generate stage.)

The generate stage writes each draft as a conversation (ask, judge, maybe repair): a generator that yields
requests and receives answers. `drive_waves` runs many such conversations together: every conversation's next
request is gathered into one wave, the wave is answered at once, and each conversation moves on. So first drafts
go out together, then all the first repairs, then the second.

`[generation]` settings (seo.toml): `mode` ("auto" | "live" | "batch"), `batch_threshold` (auto sends a wave of at
least this many uncached requests as a batch), `budget` (US dollars; when 0, `max_cost_usd` applies; both 0: no
cap), `rpm`, `tpm` (0 = learn them from the provider's headers), `concurrency`, `batch_poll_s`,
`expected_repair_share`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass
from typing import TextIO, TypeVar

import openai

from pipeline.config import GenerationSettings, Settings
from pipeline.errors import ConfigError, ProviderError
from pipeline.llm.batch import MAX_REQUESTS_PER_BATCH, OpenAIBatch
from pipeline.llm.budget import Budget
from pipeline.llm.concurrent import ConcurrentOpenAI, Outcome
from pipeline.llm.costs import Price
from pipeline.llm.estimate import Estimate, estimate, repair_share_from_history
from pipeline.llm.models import Sampling
from pipeline.llm.openai_wire import batch_api_available
from pipeline.llm.provider import Request, Response
from pipeline.llm.tokens import TokenCounter
from pipeline.state.store import StateStore

MODES = ("auto", "live", "batch")
LIVE_WAVE = 1000
Key = TypeVar("Key")
Result = TypeVar("Result")
Conversation = Generator[Request, Response, Result]


@dataclass(frozen=True)
class ScaleOptions:
    """[generation]'s transport settings (their defaults are config.GenerationSettings)."""

    mode: str = GenerationSettings.mode
    batch_threshold: int = GenerationSettings.batch_threshold
    budget_usd: float = GenerationSettings.budget
    rpm: int = GenerationSettings.rpm
    tpm: int = GenerationSettings.tpm
    concurrency: int = GenerationSettings.concurrency
    batch_poll_s: float = GenerationSettings.batch_poll_s
    expected_repair_share: float = GenerationSettings.expected_repair_share
    timeout_s: float = GenerationSettings.timeout_s
    attempts: int = GenerationSettings.attempts
    max_tokens_param: str = GenerationSettings.max_tokens_param
    structured_output: bool = True  # the model's capabilities (pipeline/llm/models.py)
    batch_model: bool = True  # the model is served by the Batch API (the server is asked once, when it matters)
    sampling_note: str = ""  # what every request sends besides its messages, for the estimate's lines

    @classmethod
    def from_settings(cls, settings: Settings, mode: str | None = None) -> ScaleOptions:
        section = settings.generation
        chosen = mode or section.mode
        if chosen not in MODES:
            raise ConfigError(f"[generation] mode = {chosen!r}: use \"auto\", \"live\" or \"batch\"")
        # max_cost_usd is the older name for the same cap; when both are set, the lower one holds.
        caps = [section.budget, section.max_cost_usd]
        budget = min([c for c in caps if c] or [0.0]) if all(c >= 0 for c in caps) else min(caps)
        values = {
            "batch_threshold": section.batch_threshold, "rpm": section.rpm, "tpm": section.tpm,
            "concurrency": section.concurrency, "batch_poll_s": section.batch_poll_s,
            "expected_repair_share": section.expected_repair_share,
        }
        for name in ("batch_threshold", "rpm", "tpm", "concurrency", "batch_poll_s"):
            if values[name] < 0 or (name == "concurrency" and values[name] < 1):
                raise ConfigError(f"[generation] {name} = {values[name]}: must be "
                                  f"{'at least 1' if name == 'concurrency' else '0 or more'}")
        if float(budget) < 0:
            raise ConfigError(f"[generation] budget = {budget}: must be 0 (no budget) or more US dollars")
        if not 0 <= values["expected_repair_share"] <= 1:
            raise ConfigError("[generation] expected_repair_share must be between 0 and 1")
        sampling = Sampling.from_settings(section, settings.where())
        return cls(mode=chosen, batch_threshold=section.batch_threshold, budget_usd=float(budget), rpm=section.rpm,
                   tpm=section.tpm, concurrency=section.concurrency, batch_poll_s=section.batch_poll_s,
                   expected_repair_share=section.expected_repair_share, timeout_s=section.timeout_s,
                   attempts=section.attempts, max_tokens_param=section.max_tokens_param,
                   structured_output=sampling.capabilities.structured_output,
                   batch_model=sampling.capabilities.batch,
                   sampling_note=sampling.describe())


class ScaleProvider:
    """OpenAI for large runs: live requests through ConcurrentOpenAI, big waves through OpenAIBatch, one budget.

    Stands where a provider does (`name`, `model`, `complete`); the generate stage drives it in waves through
    `answer(requests, on_response)`."""

    name = "openai"
    template_based = False

    def __init__(self, model: str, state: StateStore, options: ScaleOptions, *, api_key: str, base_url: str | None,
                 live_price: Price | None, batch_price: Price | None, run_id: int | None = None,
                 stream: TextIO | None = None, live: ConcurrentOpenAI | None = None,
                 batch: OpenAIBatch | None = None):
        self.model, self.state, self.options = model, state, options
        self.counter = TokenCounter(model)
        self.live = live or ConcurrentOpenAI(
            model, api_key=api_key, base_url=base_url, timeout_s=options.timeout_s,
            concurrency=options.concurrency, rpm=options.rpm or None, tpm=options.tpm or None,
            attempts=options.attempts, max_tokens_param=options.max_tokens_param,
            structured_output=options.structured_output)
        self.batch = batch or OpenAIBatch(model, state, api_key=api_key, base_url=base_url,
                                          poll_s=options.batch_poll_s, max_tokens_param=options.max_tokens_param,
                                          structured_output=options.structured_output, run_id=run_id,
                                          progress_stream=stream)
        self.prices = {"live": live_price, "batch": batch_price}
        self.budget = Budget(options.budget_usd or None, live_price)
        self.stream = stream or sys.stderr
        self.estimate: Estimate | None = None
        self.sent = {"live": 0, "batch": 0}
        self.failed = 0
        self._last_error = "no answer"
        self._answered_by: dict[int, str] = {}
        # Whether the Batch API can be used: asked of the server once, the first time a wave would go there.
        self._batch_check: tuple[bool, str] | None = None if options.batch_model else (
            False, f"{model} is not served by it ([generation.capabilities] batch = false)")
        self._said_live = False

    # -- choosing and paying --------------------------------------------------------------------------------
    @property
    def wave_size(self) -> int:
        """Drafts driven together: big enough for a wave to reach the batch threshold, and no bigger than one
        batch file holds; live runs keep waves small so drafts are saved as they go."""
        if self.options.mode == "live":
            return LIVE_WAVE
        if self.options.mode == "batch":
            return MAX_REQUESTS_PER_BATCH
        return min(max(self.options.batch_threshold, LIVE_WAVE), MAX_REQUESTS_PER_BATCH)

    @property
    def where(self) -> str:
        return self.live.where

    @property
    def last_error(self) -> str:
        return self._last_error

    def mode_for(self, uncached: int) -> str:
        """"live" or "batch" for a wave of `uncached` requests. The Batch API is used only where the server has
        it: auto mode says once, in one line, that it sends live instead; `--mode batch` stops with a ConfigError."""
        mode = self.options.mode
        if mode == "live" or (mode == "auto" and not (self.options.batch_threshold
                                                        and uncached >= self.options.batch_threshold)):
            return "live"
        available, why = self.batch_available()
        if available:
            return "batch"
        if mode == "batch":
            raise ConfigError(f"--mode batch: {self.where} has no Batch API for {self.model} ({why}); use --mode "
                              "live or [generation] mode = \"auto\"")
        if not self._said_live:
            self._said_live = True
            self.stream.write(f"batch: {self.where} has no Batch API for {self.model} ({why}); auto mode sends "
                              f"these {uncached:,} requests live instead\n")
            self.stream.flush()
        return "live"

    def batch_available(self) -> tuple[bool, str]:
        if self._batch_check is None:
            try:
                self._batch_check = batch_api_available(self.batch.client)
            except openai.AuthenticationError:
                raise ProviderError(f"{self.where}: the API key was refused; check OPENAI_API_KEY") from None
        return self._batch_check

    def price_of(self, response: Response) -> Price | None:
        return self.prices[self._answered_by.pop(id(response), "live")]

    def _admit(self, mode: str) -> tuple[Callable[[int, Request], bool], dict[int, float]]:
        """The budget check run before each request is sent, and the reservations it holds (by index)."""
        price = self.prices[mode]
        held: dict[int, float] = {}

        def admit(index: int, request: Request) -> bool:
            if not self.budget.capped or price is None:
                return True
            prompt = self.counter.count_messages([(m.role, m.content) for m in request.messages], request.schema)
            worst = Budget(None, price).worst_case(prompt, request.max_output_tokens)
            if not self.budget.reserve(worst):
                return False
            held[index] = worst
            return True

        return admit, held

    # -- the Provider interface and the wave interface ----------------------------------------------------------
    def complete(self, request: Request) -> Response:
        answer = self.answer([request])[0]
        if answer is None:
            if self.budget.stopped:
                raise ProviderError(f"stopped before ${self.options.budget_usd:,.2f} [generation] budget would be "
                                    "exceeded; finished drafts are kept")
            raise ProviderError(f"{self.live.where} ({self.model}): {self._last_error}")
        return answer

    def answer(self, requests: Sequence[Request],
               on_response: Callable[[int, Response], None] | None = None) -> list[Response | None]:
        """Answers for uncached `requests` (None: not answered, because the budget stopped the run or the
        request failed after its retries); `on_response` sees each answer as it arrives."""
        if not requests or self.budget.stopped:
            return [None] * len(requests)
        mode = self.mode_for(len(requests))
        admit, held = self._admit(mode)

        def arrived(index: int, response: Response) -> None:
            self._answered_by[id(response)] = mode
            price = self.prices[mode]
            self.budget.settle(held.pop(index, 0.0), price.cost(response.usage) if price else 0.0)
            if on_response is not None:
                on_response(index, response)

        runner = self.batch if mode == "batch" else self.live
        outcomes: list[Outcome] = runner.complete_many(requests, on_response=arrived, admit=admit)
        for index in list(held):  # admitted but never answered: nothing was spent
            self.budget.release(held.pop(index))
        self.sent[mode] += sum(1 for o in outcomes if not o.skipped)
        errors = [o.error for o in outcomes if o.error]
        self.failed += len(errors)
        self._last_error = errors[-1] if errors else "no answer"
        return [o.response for o in outcomes]

    # -- reporting ------------------------------------------------------------------------------------------
    def announce(self, requests: Sequence[Request], stream: TextIO | None = None) -> Estimate:
        """The estimate for what this run will send, shown before anything is sent."""
        share, source = repair_share_from_history(self.state, self.name, self.model,
                                                  self.options.expected_repair_share)
        self.estimate = estimate(requests, model=self.model, counter=self.counter, price=self.prices["live"],
                                 batch=self.prices["batch"], repair_share=share, repair_share_source=source,
                                 rpm=self.options.rpm or None, tpm=self.options.tpm or None)
        # On stdout, terminal or not, like the run's summary: a scheduled run's log shows what it expected to spend
        # before it spent it, and stderr keeps to progress and the one-line error.
        out = stream or sys.stdout
        for line in self.estimate_lines():
            out.write(line + "\n")
        out.flush()
        return self.estimate

    def estimate_lines(self) -> list[str]:
        if self.estimate is None or not self.estimate.requests:
            return []
        lines = self.estimate.lines(self.options.budget_usd or None, self.mode_label(self.estimate.requests))
        if self.options.sampling_note:
            charge = self.estimate.rate_limit_tokens / self.estimate.requests
            lines.append(f"  requests: {self.options.sampling_note}; {charge:,.0f} tokens charged each against a "
                         "TPM limit (prompt + output cap sized to the fields and length limits)")
        return lines

    def mode_label(self, uncached: int) -> str:
        return "batch" if self.mode_for(uncached) == "batch" else "realtime"

    def summary(self, unfinished: int = 0) -> list[str]:
        """Lines for the end of the run: the estimate made at its start, what went where, and any stop."""
        live, batch = self.live.stats, self.batch.stats
        lines = [f"  scale: live {self.sent['live']:,} requests ({live.requests_per_minute():,.0f}/min; 429s "
                 f"{live.rate_limited:,}, 5xx {live.server_errors:,}, timeouts {live.timeouts:,}); batch "
                 f"{self.sent['batch']:,} requests in {batch.batches_created:,} new + {batch.batches_resumed:,} "
                 f"resumed batches; failed after retries {self.failed:,}"]
        if self.estimate is not None and self.estimate.requests:
            mode_cost = self.estimate.cost.get("batch" if self.sent["batch"] > self.sent["live"] else "realtime")
            if mode_cost is not None:
                lines.append(f"  estimated ${mode_cost:,.4f}, spent ${self.budget.spent_usd:,.4f}")
        if self.budget.stopped:
            lines.append(f"  stopped for budget: ${self.budget.spent_usd:,.4f} spent of "
                         f"${self.options.budget_usd:,.2f}; {unfinished:,} drafts not written. Finished drafts and "
                         "paid answers are kept: raise [generation] budget and re-run to continue")
        elif unfinished:
            lines.append(f"  {unfinished:,} drafts not written (requests failed after retries); re-run to retry them")
        return lines


Answer = Callable[[list[Request], Callable[[int, Response], None]], list[Response | None]]


def drive_waves(conversations: Iterable[tuple[Key, Conversation[Result]]], answer: Answer,
                finish: Callable[[Key, Result], None], *, wave_size: int = 1000) -> int:
    """Run conversations `wave_size` at a time, answering each round's requests together.

    `answer(requests, on_answer)` must call `on_answer(i, response)` for each request it answers, as it answers
    it: the conversation is moved on right there (its answer judged, its repair prepared) while the rest of the
    wave is still in flight, so judging overlaps with waiting. A conversation that ends is finished at once
    (`finish(key, result)`: the draft is saved and joins the copy every later draft is compared with), so drafts
    are judged against each other in the order they complete, as a one-at-a-time run judges them in its order.
    Returns how many conversations were left unfinished because a request in them got no answer (a budget stop,
    or a request that failed after its retries)."""
    unfinished = 0
    chunk: list[tuple[Key, Conversation[Result]]] = []
    for item in conversations:
        chunk.append(item)
        if len(chunk) >= wave_size:
            unfinished += _drive(chunk, answer, finish)
            chunk = []
    if chunk:
        unfinished += _drive(chunk, answer, finish)
    return unfinished


def _drive(items: list[tuple[Key, Conversation[Result]]], answer: Answer,
           finish: Callable[[Key, Result], None]) -> int:
    waiting: dict[int, Request] = {position: next(conversation) for position, (_, conversation) in enumerate(items)}
    abandoned = 0
    while waiting:
        order = list(waiting)
        following: dict[int, Request] = {}
        moved: set[int] = set()

        def on_answer(index: int, response: Response, order: list[int] = order, moved: set[int] = moved,
                      following: dict[int, Request] = following) -> None:
            position = order[index]
            moved.add(position)
            try:
                following[position] = items[position][1].send(response)
            except StopIteration as done:
                finish(items[position][0], done.value)

        answer([waiting[p] for p in order], on_answer)
        for position in order:
            if position not in moved:
                items[position][1].close()
                abandoned += 1
        waiting = following
    return abandoned





@dataclass(frozen=True)
class ModelIdentity:
    """Who would answer: enough to compute the requests' cache keys and the prices, for an estimate."""

    name: str
    model: str
    template_based: bool = False
