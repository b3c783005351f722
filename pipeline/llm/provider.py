"""The one seam between generation and whatever writes the copy: `complete(request) -> Response`.

A Request carries the rendered messages (what an LLM reads) and the structured context they were rendered from
(what the offline template provider composes from). The cache key covers the provider, the model, the messages
and the parameters, so the context must never hold anything the messages do not already say.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from pipeline.errors import ConfigError


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


def select_provider(settings: Any, env: Mapping[str, str], choice: str | None = None) -> Provider:
    """`choice` or `[generation] provider`: "auto" (OpenAI when OPENAI_API_KEY is set, else offline), "offline"
    or "openai"."""
    choice = choice or settings.option("generation", "provider", "auto")
    if choice not in ("auto", "offline", "openai"):
        raise ConfigError(f"[generation] provider = {choice!r}: use \"auto\", \"offline\" or \"openai\"")
    key = env.get("OPENAI_API_KEY", "")
    base_url = env.get("OPENAI_BASE_URL", "") or None
    if choice == "offline" or (choice == "auto" and not key):
        from pipeline.llm.offline import OfflineTemplateProvider

        return OfflineTemplateProvider()
    if not key and not base_url:
        raise ConfigError("[generation] provider = \"openai\" needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local "
                          "OpenAI-compatible server such as Ollama or vLLM) in the environment")
    from pipeline.llm.openai_provider import OpenAIProvider

    return OpenAIProvider(
        model=settings.option("generation", "model", "gpt-4o-mini"),
        api_key=key or "not-needed",  # local compatible servers accept any key
        base_url=base_url,
        timeout_s=float(settings.option("generation", "timeout_s", 60.0)),
        attempts=int(settings.option("generation", "attempts", 5)),
        base_wait_s=float(settings.option("generation", "retry_wait_s", 1.0)),
        max_tokens_param=settings.option("generation", "max_tokens_param", "max_completion_tokens"),
    )
