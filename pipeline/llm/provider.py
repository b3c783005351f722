"""The one seam between generation and whatever writes the copy: `complete(request) -> Response`.

A Request carries the rendered messages (what an LLM reads) and the structured context they were rendered from
(what the offline template provider composes from). The cache key covers the provider, the model, the messages
and the parameters, so the context must never hold anything the messages do not already say.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Message:
    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Request:
    messages: tuple[Message, ...]
    schema: Mapping[str, Any]
    temperature: float = 0.4
    max_output_tokens: int = 1200
    context: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def params(self) -> dict[str, Any]:
        """Everything besides the messages that changes the answer (part of the cache key)."""
        return {"schema": self.schema, "temperature": self.temperature, "max_output_tokens": self.max_output_tokens}


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


class Provider(Protocol):
    name: str
    model: str
    template_based: bool  # True: composes copy from templates, no language model involved

    def complete(self, request: Request) -> Response: ...
