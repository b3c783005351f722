"""A spending cap that a run never crosses: each request reserves its worst case before it is sent.

The worst case is its counted prompt at the input price plus its max output tokens at the output price, so the
requests in flight can never together overshoot. When an answer arrives its reservation is replaced by what it
really cost. A request that would not fit is not sent, and the run stops there, keeping everything finished.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.llm.costs import Price
from pipeline.llm.provider import Usage


@dataclass
class Budget:
    limit_usd: float | None  # None or 0: no cap
    price: Price | None
    spent_usd: float = 0.0
    reserved_usd: float = 0.0
    refused: int = 0

    @property
    def capped(self) -> bool:
        return bool(self.limit_usd) and self.price is not None

    def worst_case(self, prompt_tokens: int, max_output_tokens: int, *, discount: float = 1.0) -> float:
        if self.price is None:
            return 0.0
        return self.price.cost(Usage(tokens_in=prompt_tokens, tokens_out=max_output_tokens)) * discount

    def reserve(self, amount_usd: float) -> bool:
        """True (and the amount held) when it fits under the cap; False means: do not send."""
        if self.capped and self.spent_usd + self.reserved_usd + amount_usd > float(self.limit_usd or 0) + 1e-12:
            self.refused += 1
            return False
        self.reserved_usd += amount_usd
        return True

    def settle(self, reserved_usd: float, spent_usd: float) -> None:
        self.reserved_usd = max(self.reserved_usd - reserved_usd, 0.0)
        self.spent_usd += spent_usd

    def release(self, reserved_usd: float) -> None:
        self.reserved_usd = max(self.reserved_usd - reserved_usd, 0.0)

    @property
    def stopped(self) -> bool:
        return self.refused > 0

    def describe(self) -> str:
        if not self.capped:
            return "no budget set"
        return f"budget ${self.limit_usd:,.2f}: spent ${self.spent_usd:,.4f}"
