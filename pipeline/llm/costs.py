"""Token accounting and cost: `[pricing.<model>]` in seo.toml (US dollars per million tokens), else the table below.

A model in neither has no price: its cost is reported as "price unknown", never guessed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipeline.config import Settings
from pipeline.llm.provider import Pricing, Usage


@dataclass(frozen=True)
class Price:
    input: float
    output: float
    cached: float

    def cost(self, usage: Usage) -> float:
        fresh = max(usage.tokens_in - usage.cached_tokens, 0)
        return (fresh * self.input + usage.cached_tokens * self.cached + usage.tokens_out * self.output) / 1e6


FREE = Price(0.0, 0.0, 0.0)

# Standard (live) prices, US dollars per million tokens: input, cached input, output. The Batch API is charged
# half (estimate.batch_price) unless [pricing] says otherwise. Reasoning tokens are billed as output.
# Looked up on 2026-12-06; check https://developers.openai.com/api/docs/pricing before relying on them:
# - gpt-5.4-nano: OpenAI's model page, developers.openai.com/api/docs/models/gpt-5.4-nano ("$0.20 input, $0.02
#   cached input, $1.25 output"; the same page lists gpt-5.4-mini at $0.75 input).
# - gpt-5.4-mini: $0.75 input and $4.50 output as on OpenRouter (openrouter.ai/openai/gpt-5.4-mini) and Vercel's
#   AI Gateway model page, both quoting OpenAI's list price; $0.075 cached as in kissapi.ai's GPT-5.4 mini & nano
#   guide (2026-03) and adk-model's pricing.rs (docs.rs, "OpenAI models (March 2026)"). OpenAI's own page for the
#   model was not among the stored sources.
# - gpt-4o-mini, gpt-4.1-mini: OpenAI's list prices, as this project's seo.toml has carried them.
# A model listed with None was looked for and no price OpenAI publishes was found (gpt-5.6-*: only resellers'
# pages, which disagree after a reported price cut on 2026-07-30): its cost is "price unknown".
KNOWN_PRICES: dict[str, Price | None] = {
    "gpt-5.4-mini": Price(input=0.75, cached=0.075, output=4.50),
    "gpt-5.4-nano": Price(input=0.20, cached=0.02, output=1.25),
    "gpt-4o-mini": Price(input=0.15, cached=0.075, output=0.60),
    "gpt-4.1-mini": Price(input=0.40, cached=0.10, output=1.60),
    "gpt-5.6-sol": None,
    "gpt-5.6-terra": None,
    "gpt-5.6-luna": None,
}
PRICES_CHECKED = "2026-12-06"


def price_for(settings: Settings, model: str) -> Price | None:
    """The model's price: its [pricing.<model>] table, else KNOWN_PRICES; None when neither has one (the cost is
    then reported as "price unknown")."""
    table = settings.pricing.get(model)
    if table is None:
        return KNOWN_PRICES.get(model)
    # The table was checked when the settings were loaded (config._pricing): input and output are numbers.
    return Price(table["input"], table["output"], table.get("cached", table["input"]))


@dataclass
class Tally:
    """What a run spent: provider calls, cache hits and tokens, for the summary line and the runs table."""

    provider_calls: int = 0
    cache_hits: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cached_tokens: int = 0
    cost: float = 0.0
    cost_known: bool = True
    flagged_reasons: Counter[str] = field(default_factory=Counter)

    def add_call(self, usage: Usage, price: Pricing | None) -> float | None:
        self.provider_calls += 1
        self.tokens_in += usage.tokens_in
        self.tokens_out += usage.tokens_out
        self.cached_tokens += usage.cached_tokens
        if price is None:
            self.cost_known = False
            return None
        spent = price.cost(usage)
        self.cost += spent
        return spent

    def cost_text(self) -> str:
        if self.cost_known:
            return f"${self.cost:,.4f}"
        return "price unknown (add [pricing] for the model)" if not self.cost else \
            f"${self.cost:,.4f} + calls at an unknown price (add [pricing] for the model)"
