"""The composition root: which provider writes the copy and which store is talked to, built from the settings
and the environment. Stages receive what is built here; nothing under llm/ or stages/ picks its own edges.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

from pipeline.config import Settings
from pipeline.errors import ConfigError
from pipeline.llm.costs import price_for
from pipeline.llm.estimate import batch_price
from pipeline.llm.models import Sampling
from pipeline.llm.openai_provider import OpenAIProvider
from pipeline.llm.provider import Provider
from pipeline.llm.waves import ScaleOptions, ScaleProvider
from pipeline.stages.generate import OfflineTemplateProvider
from pipeline.state.store import StateStore


def select_provider(settings: Settings, env: Mapping[str, str], choice: str | None = None) -> Provider:
    """`choice` or `[generation] provider`: "auto" (OpenAI, or the OpenAI-compatible server at OPENAI_BASE_URL, when
    OPENAI_API_KEY or OPENAI_BASE_URL is set; else offline), "offline" or "openai"."""
    generation = settings.generation
    choice = choice or generation.provider
    if choice not in ("auto", "offline", "openai"):
        raise ConfigError(f"[generation] provider = {choice!r}: use \"auto\", \"offline\" or \"openai\"")
    key = env.get("OPENAI_API_KEY", "")
    base_url = env.get("OPENAI_BASE_URL", "") or None
    if choice == "offline" or (choice == "auto" and not key and not base_url):
        return OfflineTemplateProvider(english_spelling=generation.english_spelling)
    if not key and not base_url:
        raise ConfigError("[generation] provider = \"openai\" needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local "
                          "OpenAI-compatible server such as Ollama or vLLM) in the environment")
    sampling = model_sampling(settings)
    return OpenAIProvider(
        model=generation.model,
        api_key=key or "not-needed",  # local compatible servers accept any key
        base_url=base_url,
        timeout_s=generation.timeout_s,
        attempts=generation.attempts,
        base_wait_s=generation.retry_wait_s,
        max_tokens_param=generation.max_tokens_param,
        structured_output=sampling.capabilities.structured_output,
    )


def model_sampling(settings: Settings) -> Sampling:
    """The configured model's capabilities and request settings; a setting it will not take (a temperature on a
    reasoning model, an effort it does not offer) stops the run here, in one line, before anything is sent."""
    sampling = Sampling.from_settings(settings.generation, settings.where())
    sampling.check()
    return sampling


def scale_provider(settings: Settings, env: Mapping[str, str], state: StateStore, *, mode: str | None = None,
                   run_id: int | None = None, stream: TextIO | None = None) -> ScaleProvider:
    """The OpenAI provider for large runs, from [generation] and the environment."""
    options = ScaleOptions.from_settings(settings, mode)
    key = env.get("OPENAI_API_KEY", "")
    base_url = env.get("OPENAI_BASE_URL", "") or None
    if not key and not base_url:
        raise ConfigError("generating with OpenAI needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local "
                          "OpenAI-compatible server) in the environment")
    model_sampling(settings)
    model = settings.generation.model
    live = price_for(settings, model)
    if options.budget_usd and live is None:
        raise ConfigError(f"[generation] budget = {options.budget_usd} needs the model's prices: add "
                          f"[pricing.\"{model}\"] with input and output (US dollars per million tokens)")
    return ScaleProvider(model, state, options, api_key=key or "not-needed", base_url=base_url, live_price=live,
                         batch_price=batch_price(settings, model, live), run_id=run_id, stream=stream)
