"""What the local OpenAI-compatible server answers: the draft a model would write for one of this pipeline's
prompts (the offline template writer, reading the prompt back), else a small valid object for the schema."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.fakes.model_writer import compose

_PRODUCT = re.compile(r"<product_data>\s*(.*?)\s*</product_data>", re.S)
_LOCALE = re.compile(r"write for locale ([\w-]+)")
_LIMIT_PATTERNS = {
    "title_max_chars": r"- title: at most (\d+) characters",
    "title_max_px": r"- title: at most \d+ characters and (\d+)",
    "seo_title_max_chars": r"- seo_title: at most (\d+)",
    "seo_title_max_px": r"- seo_title: at most \d+ characters and (\d+)",
    "seo_description_min_chars": r"- seo_description: (\d+) to",
    "seo_description_max_chars": r"- seo_description: \d+ to (\d+)",
    "seo_description_max_px": r"- seo_description: .*? at most (\d+) px",
    "body_min_words": r"- body_html: (\d+) to",
    "body_max_words": r"- body_html: \d+ to (\d+) words",
}
_DEFAULT_LIMITS = {"title_max_chars": 70, "title_max_px": 561, "seo_title_max_chars": 60, "seo_title_max_px": 561,
                   "seo_description_min_chars": 70, "seo_description_max_chars": 160, "seo_description_max_px": 985,
                   "body_min_words": 50, "body_max_words": 600, "title_suffix": ""}


def answer_for(messages: list[dict[str, Any]], schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON object a model would return: a pipeline draft when the prompt is one, else a filler per field."""
    names = list((schema.get("properties") or {}).keys()) or ["answer"]
    context = pipeline_context(messages, names)
    if context is not None:
        try:
            draft = compose(context)
            return {name: draft.get(name) for name in names}
        except Exception:  # noqa: BLE001 - a prompt this fake cannot follow still gets a well-formed answer
            pass
    return {name: f"Generated {name.replace('_', ' ')}." for name in names}


def pipeline_context(messages: list[dict[str, Any]], names: list[str]) -> dict[str, Any] | None:
    """The offline writer's context, read back from a prompt rendered from prompts/*.j2."""
    users = [str(m.get("content") or "") for m in messages if m.get("role") == "user"]
    system = "\n".join(str(m.get("content") or "") for m in messages if m.get("role") == "system")
    if not users:
        return None
    first = users[0]
    product_match, locale_match = _PRODUCT.search(first), _LOCALE.search(first)
    if not product_match or not locale_match:
        return None
    try:
        product = json.loads(product_match.group(1))
    except ValueError:
        return None

    def listed(label: str) -> list[str]:
        match = re.search(rf"^{re.escape(label)}: (.*)$", first, re.M)
        return [x.strip() for x in match.group(1).split(",") if x.strip()] if match else []

    def json_after(label: str) -> Any:
        match = re.search(rf"^{re.escape(label)}: (.*)$", first, re.M)
        try:
            return json.loads(match.group(1)) if match else None
        except ValueError:
            return None

    limits = dict(_DEFAULT_LIMITS)
    for key, pattern in _LIMIT_PATTERNS.items():
        match = re.search(pattern, system)
        if match:
            limits[key] = int(match.group(1))
    return {
        "locale": locale_match.group(1), "primary_locale": "en", "product": product,
        "keywords": {"primary": json_after("Primary keyword"), "secondary": json_after("Secondary keywords") or []},
        "findings": [{"code": code, "severity": severity} for severity, code in
                     re.findall(r"^- (high|medium|low) ([a-z_]+):", first, re.M)],
        "similar_titles": [],
        "links": [{"url": url, "anchor": anchor} for url, anchor in
                  re.findall(r'^- href "([^"]*)", anchor "([^"]*)"', first, re.M)],
        "fields_to_write": listed("Fields to write"), "fields_left_alone": listed("Leave alone (return null)"),
        "limits": limits, "allow_handle": "handle" in names,
        "attempt": sum(1 for m in messages if m.get("role") == "assistant"), "repair": [],
    }
