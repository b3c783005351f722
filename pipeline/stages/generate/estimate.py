"""`seo-pipeline estimate`: the next generate run's requests, tokens and cost for each mode, before anything is
sent. It plans the same requests generate would send, so the figures are the run's own."""

from __future__ import annotations

import os
from collections.abc import Mapping

from pipeline.commands import command
from pipeline.config import Settings
from pipeline.llm.costs import price_for
from pipeline.llm.estimate import batch_price, estimate, repair_share_from_history
from pipeline.llm.waves import ModelIdentity, ScaleOptions
from pipeline.stages.generate.stage import GenerateOptions, iter_planned_requests
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace


def estimate_lines(workspace: Workspace, state: StateStore, settings: Settings, options: GenerateOptions,
                   env: Mapping[str, str] | None = None) -> list[str]:
    """`make estimate`: the next generate run's requests, tokens and cost for each mode, with nothing sent."""
    env = os.environ if env is None else env
    scale = ScaleOptions.from_settings(settings)
    model = settings.generation.model
    # Counted as they are planned, never held all at once (100,000 products x 4 locales of requests).
    requests = iter_planned_requests(workspace, state, ModelIdentity("openai", model), options)
    share, source = repair_share_from_history(state, "openai", model, scale.expected_repair_share)
    live = price_for(settings, model)
    result = estimate(requests, model=model, price=live, batch=batch_price(settings, model, live),
                      repair_share=share, repair_share_source=source, rpm=scale.rpm or None, tpm=scale.tpm or None)
    mode = "batch" if scale.mode == "batch" or (scale.mode == "auto" and scale.batch_threshold
                                                 and result.requests >= scale.batch_threshold) else "realtime"
    lines = result.lines(scale.budget_usd or None, mode)
    if not env.get("OPENAI_API_KEY") and not env.get("OPENAI_BASE_URL"):
        lines.append(f"  (no OPENAI_API_KEY: {command('generate')} would use the offline writer, at no cost)")
    return lines
