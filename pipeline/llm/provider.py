"""The one seam between generation and whatever writes the copy: `complete(request) -> Response`.

A Request carries the rendered messages (what an LLM reads) and the structured context they were rendered from
(what the offline writer builds from). The cache key covers the provider, the model, the messages
and the parameters, so the context must never hold anything the messages do not already say.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO, runtime_checkable


@dataclass(frozen=True)
class Message:
    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Request:
    messages: tuple[Message, ...]
    schema: Mapping[str, Any]
    temperature: float | None = None  # None: not sent (the model's default; reasoning models take no other)
    max_output_tokens: int = 1200  # max_completion_tokens: the answer and, for a reasoning model, its reasoning
    context: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    reasoning_effort: str | None = None  # None: not sent (not a reasoning model)

    def params(self) -> dict[str, Any]:
        """Everything besides the messages that changes the answer (part of the cache key)."""
        params: dict[str, Any] = {"schema": self.schema, "temperature": self.temperature,
                                  "max_output_tokens": self.max_output_tokens}
        if self.reasoning_effort is not None:
            params["reasoning_effort"] = self.reasoning_effort
        return params


@dataclass(frozen=True)
class Usage:
    tokens_in: int = 0
    tokens_out: int = 0
    cached_tokens: int = 0  # prompt tokens the provider served from its own prompt cache


@dataclass(frozen=True)
class Response:
    text: str
    finish_reason: str  # "stop" | "length" | "refusal" | "content_filter"
    usage: Usage = Usage()
    refusal: str | None = None
    model: str = ""
    # Fields a writer chose not to write, each with why ("body_html", "kept the merchant's description"): the
    # offline writer leaves human text alone where it cannot do better, and says so.
    abstained: tuple[tuple[str, str], ...] = ()


class ProviderIdentity(Protocol):
    """Who answers: what cache keys, prices and labels need, with nothing sent (read-only, so a frozen
    dataclass such as waves.ModelIdentity stands for a provider in an estimate)."""

    @property
    def name(self) -> str: ...

    @property
    def model(self) -> str: ...

    @property
    def template_based(self) -> bool: ...  # True: composes copy from templates, no language model involved


class Provider(ProviderIdentity, Protocol):
    def complete(self, request: Request) -> Response: ...


class Pricing(Protocol):
    """What a price is to the generate stage's tally (costs.Price is one)."""

    def cost(self, usage: Usage) -> float: ...


class BudgetState(Protocol):
    @property
    def stopped(self) -> bool: ...  # the budget refused a request: the run stops, finished drafts are kept


@runtime_checkable
class WaveProvider(Provider, Protocol):
    """A provider for large runs (waves.ScaleProvider): the generate stage drives its drafts in waves through
    `answer` instead of one `complete` at a time. Runtime-checkable: the stage picks the wave path by
    `isinstance(provider, WaveProvider)`."""

    @property
    def wave_size(self) -> int: ...  # drafts driven together

    @property
    def where(self) -> str: ...  # the endpoint, for error messages

    @property
    def last_error(self) -> str: ...

    @property
    def budget(self) -> BudgetState: ...

    def announce(self, requests: Sequence[Request], stream: TextIO | None = None) -> object:
        """Show the estimate for `requests` before anything is sent (returns it; the stage does not use it)."""
        ...

    def answer(self, requests: Sequence[Request],
               on_response: Callable[[int, Response], None] | None = None) -> list[Response | None]:
        """Answers for `requests` (None: not answered); `on_response(i, response)` sees each as it arrives."""
        ...

    def price_of(self, response: Response) -> Pricing | None: ...

    def summary(self, unfinished: int = 0) -> list[str]: ...


@dataclass(frozen=True)
class PlanningProvider:
    """A provider's identity standing where a Provider is expected, to plan requests (their cache keys, the
    estimate) with nothing sent: `complete` refuses."""

    identity: ProviderIdentity

    @property
    def name(self) -> str:
        return self.identity.name

    @property
    def model(self) -> str:
        return self.identity.model

    @property
    def template_based(self) -> bool:
        return self.identity.template_based

    def complete(self, request: Request) -> Response:
        raise RuntimeError(f"{self.name} ({self.model}) stands in for planning only: nothing is sent")
