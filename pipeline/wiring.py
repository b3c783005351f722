"""The composition root: which provider writes the copy and which store is talked to, built from the settings
and the environment. Stages receive what is built here; nothing under llm/ or stages/ picks its own edges.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TextIO

from pipeline.errors import ConfigError
from pipeline.llm.costs import price_for
from pipeline.llm.estimate import batch_price
from pipeline.llm.openai_provider import OpenAIProvider
from pipeline.llm.provider import Provider
from pipeline.llm.waves import ScaleOptions, ScaleProvider
from pipeline.stages.generate.offline_writer import OfflineTemplateProvider


def select_provider(settings: Any, env: Mapping[str, str], choice: str | None = None) -> Provider:
    """`choice` or `[generation] provider`: "auto" (OpenAI when OPENAI_API_KEY is set, else offline), "offline"
    or "openai"."""
    choice = choice or settings.option("generation", "provider", "auto")
    if choice not in ("auto", "offline", "openai"):
        raise ConfigError(f"[generation] provider = {choice!r}: use \"auto\", \"offline\" or \"openai\"")
    key = env.get("OPENAI_API_KEY", "")
    base_url = env.get("OPENAI_BASE_URL", "") or None
    if choice == "offline" or (choice == "auto" and not key):
        return OfflineTemplateProvider()
    if not key and not base_url:
        raise ConfigError("[generation] provider = \"openai\" needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local "
                          "OpenAI-compatible server such as Ollama or vLLM) in the environment")
    return OpenAIProvider(
        model=settings.option("generation", "model", "gpt-4o-mini"),
        api_key=key or "not-needed",  # local compatible servers accept any key
        base_url=base_url,
        timeout_s=float(settings.option("generation", "timeout_s", 60.0)),
        attempts=int(settings.option("generation", "attempts", 5)),
        base_wait_s=float(settings.option("generation", "retry_wait_s", 1.0)),
        max_tokens_param=settings.option("generation", "max_tokens_param", "max_completion_tokens"),
    )


def scale_provider(settings: Any, env: Mapping[str, str], state: Any, *, mode: str | None = None,
                   run_id: int | None = None, stream: TextIO | None = None) -> ScaleProvider:
    """The OpenAI provider for large runs, from [generation] and the environment."""
    options = ScaleOptions.from_settings(settings, mode)
    key = env.get("OPENAI_API_KEY", "")
    base_url = env.get("OPENAI_BASE_URL", "") or None
    if not key and not base_url:
        raise ConfigError("generating with OpenAI needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local "
                          "OpenAI-compatible server) in the environment")
    model = settings.option("generation", "model", "gpt-4o-mini")
    live = price_for(settings, model)
    if options.budget_usd and live is None:
        raise ConfigError(f"[generation] budget = {options.budget_usd} needs the model's prices: add "
                          f"[pricing.\"{model}\"] with input and output (US dollars per million tokens)")
    return ScaleProvider(model, state, options, api_key=key or "not-needed", base_url=base_url, live_price=live,
                         batch_price=batch_price(settings, model, live), run_id=run_id, stream=stream)
