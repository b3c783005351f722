"""What a generation run will cost before it spends anything: requests, tokens and dollars for each mode.

Input tokens are counted exactly (tiktoken, pipeline/llm/tokens.py) on the very prompts the run would send, as the
API counts them: each message plus framing, plus the response schema. Output tokens cannot be counted before they
are written, so they are predicted per request from the fields it asks for and the length limits the prompt sets
(see `predict_output_tokens`). Repair rounds are added at the share of drafts that needed one in this store's
earlier runs, or `[generation] expected_repair_share` before there are any.

Costs come from `[pricing.<model>]` in seo.toml: `input`, `cached`, `output` for live requests, and `batch_input`
/ `batch_output` for the Batch API (half the live price when not given, as OpenAI charges).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.config import Settings
from pipeline.llm.costs import Price
from pipeline.llm.openai_wire import rate_limit_charge
from pipeline.llm.provider import Request, Usage
from pipeline.llm.tokens import TokenCounter
from pipeline.state.drafts import repair_counts
from pipeline.state.store import StateStore

BATCH_DISCOUNT = 0.5
PROMPT_CACHE_MIN_TOKENS, PROMPT_CACHE_STEP = 1024, 128
# Characters per o200k token in product copy, by language (priors for text not yet written).
CHARS_PER_TOKEN = {"en": 4.4, "fr": 3.9, "es": 4.0, "it": 3.9, "pt": 3.9, "de": 3.8, "nl": 3.8, "sv": 3.6,
                   "da": 3.6, "pl": 3.2, "ja": 1.3}
WORD_CHARS = {"de": 7.0, "nl": 6.6, "sv": 6.4, "da": 6.4, "pl": 7.0, "fr": 6.0, "es": 5.9, "it": 6.0, "pt": 5.9}
# How much of each length limit a model's copy fills, and a typical description length within its limits.
FILL = {"title": 0.8, "seo_title": 0.9, "seo_description": 0.85}
BODY_WORDS = 150
HTML_OVERHEAD = 1.08  # <p>, <ul><li> tags around the words
JSON_OVERHEAD_TOKENS = 6  # braces, and per field its key and quotes (added per field below)
REPAIR_MESSAGE_TOKENS = 90


def batch_price(settings: Settings, model: str, live: Price | None) -> Price | None:
    if live is None:
        return None
    table = settings.pricing.get(model) or {}
    return Price(input=float(table.get("batch_input", live.input * BATCH_DISCOUNT)),
                 output=float(table.get("batch_output", live.output * BATCH_DISCOUNT)),
                 cached=float(table.get("batch_cached", live.cached * BATCH_DISCOUNT)))


def predict_output_tokens(request: Request) -> int:
    """Tokens of the JSON answer to a draft request, from its context: the fields to write, their limits, and
    the locale's characters per token. A request without that context is predicted at a quarter of its cap."""
    context: Mapping[str, Any] = request.context or {}
    fields = list(context.get("fields_to_write") or [])
    if not fields:
        return max(1, request.max_output_tokens // 4)
    limits: Mapping[str, Any] = context.get("limits") or {}
    lang = str(context.get("locale") or "en").split("-")[0]
    chars_per_token = CHARS_PER_TOKEN.get(lang, 3.8)
    schema_fields = len((request.schema or {}).get("properties") or {}) or len(fields)
    tokens = JSON_OVERHEAD_TOKENS + 4 * schema_fields  # every key is answered, fields left alone as null
    for name in fields:
        if name == "body_html":
            words = min(max(BODY_WORDS, int(limits.get("body_min_words", 50))), int(limits.get("body_max_words", 600)))
            chars = words * WORD_CHARS.get(lang, 6.0) * HTML_OVERHEAD
        elif name == "seo_description":
            chars = FILL[name] * float(limits.get("seo_description_max_chars", 160))
        elif name in FILL:
            chars = FILL[name] * float(limits.get(f"{name}_max_chars", 60))
        else:  # handle
            chars = 40
        tokens += round(chars / chars_per_token)
    return min(tokens, request.max_output_tokens)


@dataclass
class Estimate:
    model: str
    tokenizer: str
    exact_input: bool
    products: int = 0
    requests: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cached_in: int = 0
    rate_limit_tokens: int = 0  # what the requests count against a TPM limit when sent
    repair_share: float = 0.0
    repair_share_source: str = "prior"
    repair_requests: int = 0
    repair_tokens_in: int = 0
    repair_tokens_out: int = 0
    cost: dict[str, float | None] = field(default_factory=dict)
    minutes: dict[str, float | None] = field(default_factory=dict)
    binding_limit: str | None = None

    @property
    def total_requests(self) -> int:
        return self.requests + self.repair_requests

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}

    def lines(self, budget_usd: float | None = None, chosen_mode: str | None = None) -> list[str]:
        how = self.tokenizer if self.exact_input else f"{self.tokenizer}; figures are approximate"
        lines = [
            f"estimate: {self.products:,} products, {self.requests:,} requests to send for {self.model} "
            f"(+{self.repair_requests:,} repair rounds at {self.repair_share:.0%}, {self.repair_share_source}); "
            f"tokens counted with {how}",
            f"  tokens: input {self.tokens_in + self.repair_tokens_in:,} (cacheable prefix {self.cached_in:,}), "
            f"output ~{self.tokens_out + self.repair_tokens_out:,} (predicted from the fields and length limits)",
        ]
        for mode in ("realtime", "batch"):
            cost = self.cost.get(mode)
            money = f"${cost:,.2f}" if cost is not None else "price unknown (add [pricing] for the model)"
            when = ""
            if mode == "batch":
                when = " (within 24 h)"
            elif self.minutes.get(mode) is not None:
                limit = f", {self.binding_limit}-bound" if self.binding_limit else ""
                when = f" (~{self.minutes[mode]:,.1f} min at the rate limit{limit})"
            marker = "  <- this run" if mode == chosen_mode else ""
            lines.append(f"  {mode:<8} {money}{when}{marker}")
        if budget_usd:
            chosen = self.cost.get(chosen_mode or "realtime")
            fits = "fits" if chosen is not None and chosen <= budget_usd else \
                "the run will stop when the next request could exceed it"
            lines.append(f"  budget ${budget_usd:,.2f}: {fits}")
        return lines


def estimate(requests: Iterable[Request], *, model: str, counter: TokenCounter | None = None,
             price: Price | None = None, batch: Price | None = None, repair_share: float = 0.15,
             repair_share_source: str = "prior", rpm: float | None = None, tpm: float | None = None) -> Estimate:
    """The estimate of sending `requests`: any iterable, read once, so a run's planned requests can be counted as
    they are made (pipeline/stages/generate/stage.py iter_planned_requests) rather than all held in a list. The
    tokenizer is loaded once the first request has been made, not beside the reading of what the requests are
    made from (at 100,000 products that reading is where planning peaks in memory)."""
    requests = iter(requests)
    first = list(itertools.islice(requests, 1))
    counter = counter or TokenCounter(model)
    result = Estimate(model=model, tokenizer=counter.describe(), exact_input=counter.exact,
                      repair_share=repair_share, repair_share_source=repair_share_source)
    products: set[object] = set()
    prefixes_seen: set[str] = set()
    count = 0
    for request in itertools.chain(first, requests):
        count += 1
        product = (request.context or {}).get("product") or {}
        # A request that names no product counts as one of its own.
        products.add(str(product["id"]) if "id" in product else ("request", count))
        tokens_in = counter.count_messages([(m.role, m.content) for m in request.messages], request.schema)
        result.tokens_in += tokens_in
        result.tokens_out += predict_output_tokens(request)
        result.rate_limit_tokens += rate_limit_charge(request)
        static = request.messages[0].content if request.messages else ""
        prefix = counter.count(static)
        if prefix >= PROMPT_CACHE_MIN_TOKENS:
            if static in prefixes_seen:
                result.cached_in += prefix // PROMPT_CACHE_STEP * PROMPT_CACHE_STEP
            prefixes_seen.add(static)
    result.products, result.requests = len(products), count
    if count:
        result.repair_requests = round(count * repair_share)
        mean_in = result.tokens_in / count
        mean_out = result.tokens_out / count
        # A repair resends the conversation: the prompt, the answer, the findings; and is answered again.
        result.repair_tokens_in = round(result.repair_requests * (mean_in + mean_out + REPAIR_MESSAGE_TOKENS))
        result.repair_tokens_out = round(result.repair_requests * mean_out)
    total = Usage(tokens_in=result.tokens_in + result.repair_tokens_in, tokens_out=result.tokens_out
                  + result.repair_tokens_out, cached_tokens=result.cached_in)
    result.cost = {"realtime": price.cost(total) if price else None, "batch": batch.cost(total) if batch else None}
    result.minutes["realtime"], result.binding_limit = _minutes(result, rpm, tpm)
    return result


def _minutes(result: Estimate, rpm: float | None, tpm: float | None) -> tuple[float | None, str | None]:
    if not rpm and not tpm:
        return None, None
    charge_per_request = result.rate_limit_tokens / max(result.requests, 1)
    by_requests = result.total_requests / rpm if rpm else 0.0
    by_tokens = result.total_requests * charge_per_request / tpm if tpm else 0.0
    return max(by_requests, by_tokens), ("requests" if by_requests >= by_tokens else "tokens")


def repair_share_from_history(state: StateStore, provider: str, model: str, default: float) -> tuple[float, str]:
    """The share of this provider and model's drafts that needed a repair round, when there are enough."""
    drafts, repaired = repair_counts(state, provider, model)
    if drafts >= 50:
        return repaired / drafts, f"measured on {drafts:,} earlier drafts"
    return default, "prior: [generation] expected_repair_share"
