"""The finding every content gate returns."""

from __future__ import annotations

from dataclasses import dataclass

FIELDS = ("title", "seo_title", "seo_description", "body_html")
FIELD_NAMES = {"title": "title", "seo_title": "SEO title", "seo_description": "SEO description",
               "body_html": "description"}
CODES = ("repeated_word", "identity_changed", "wrong_language", "variant_as_product", "facts_dropped",
         "facts_invented", "search_talk", "padding")
FACT_CLASSES = ("material", "percentage", "measurement", "care", "certification", "warranty", "feature")


@dataclass(frozen=True)
class GateFinding:
    code: str  # one of CODES
    field: str  # "title" | "seo_title" | "seo_description" | "body_html"
    message: str  # plain English with evidence, for a merchant
    blocking: bool = True

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "field": self.field, "message": self.message, "blocking": self.blocking}
