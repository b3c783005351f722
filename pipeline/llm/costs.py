"""Token accounting and cost, from `[pricing.<model>]` in seo.toml (US dollars per million tokens)."""

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


def price_for(settings: Settings, model: str) -> Price | None:
    """The model's price, or None when seo.toml has no [pricing.<model>] table (cost is then reported unknown)."""
    table = settings.pricing.get(model)
    if table is None:
        return None
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
        return f"${self.cost:,.4f}" if self.cost_known else f"${self.cost:,.4f} + unpriced calls (add [pricing])"
