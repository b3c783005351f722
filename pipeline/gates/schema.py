"""The draft a provider returns: a Pydantic model plus the JSON schema sent for structured output.

One fixed schema for every product (fields not to write come back as null) keeps the request prefix identical
across products, which is what providers' prompt caching keys on.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

COPY_FIELDS = ("title", "body_html", "seo_title", "seo_description")
ALL_FIELDS = COPY_FIELDS + ("handle",)


class DraftCopy(BaseModel):
    """Copy for one product in one locale; None means 'leave this field as it is'."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = None
    body_html: str | None = None
    seo_title: str | None = None
    seo_description: str | None = None
    handle: str | None = None

    def fields(self) -> dict[str, str | None]:
        return {name: getattr(self, name) for name in ALL_FIELDS}


class DraftParseError(ValueError):
    """The provider's text is not a draft: not JSON, cut off, or not the schema's shape."""


def draft_json_schema(include_handle: bool) -> dict[str, Any]:
    """Strict JSON schema (every property required, nullable, no extras) as OpenAI structured output wants."""
    names = ALL_FIELDS if include_handle else COPY_FIELDS
    descriptions = {
        "title": "Product title shown on the product page (H1), or null to leave it unchanged.",
        "body_html": "Product description as HTML using only the allowed tags, or null to leave it unchanged.",
        "seo_title": "Title for search results (<title>), or null to leave it unchanged.",
        "seo_description": "Meta description for search results, or null to leave it unchanged.",
        "handle": "URL handle: lower-case words joined by hyphens, or null to keep the current handle.",
    }
    return {
        "type": "object",
        "properties": {name: {"type": ["string", "null"], "description": descriptions[name]} for name in names},
        "required": list(names),
        "additionalProperties": False,
    }


def parse_draft(text: str) -> DraftCopy:
    """Parse a provider's JSON answer; raise DraftParseError with a reason a repair prompt can quote."""
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DraftParseError(f"the answer is not valid JSON ({exc.msg} at character {exc.pos})") from None
    if not isinstance(payload, dict):
        raise DraftParseError("the answer must be a JSON object with the draft's fields")
    try:
        return DraftCopy.model_validate(payload)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: {e['msg']}" for e in exc.errors())
        raise DraftParseError(f"the answer does not match the draft schema: {problems}") from None
