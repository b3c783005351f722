"""A product's own data, as generation may use it: cleaned, sentence-split, instructions removed.

Everything a draft is allowed to state comes from here: the prompt shows these facts and grounding checks a
draft against them. Product text is data, never instructions: a sentence that reads as an instruction to a
model ("ignore the rules and ...") is dropped from the facts, so copy that follows it fails grounding.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.core.lexicon import ANY_INJECTION
from pipeline.core.text import as_list, strip_html

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^\s])")
_LIST_ITEM = re.compile(r"<li\b[^>]*>(.*?)</li\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_BREAK = re.compile(r"</?(?:p|div|ul|ol|br|h[1-6]|table|tr|td|th|blockquote|section)\b[^>]*>", re.IGNORECASE)
_PLACEHOLDER_OPTION_VALUES = {"default title", "default", ""}
MAX_DESCRIPTION_CHARS = 1500


@dataclass(frozen=True)
class ProductFacts:
    product_id: str
    handle: str
    title: str
    vendor: str
    product_type: str
    category: str
    tags: tuple[str, ...]
    options: dict[str, list[str]]
    skus: tuple[str, ...]
    prices: tuple[str, ...]
    sentences: tuple[str, ...]
    bullets: tuple[str, ...]
    current: dict[str, str]
    removed_instructions: tuple[str, ...] = field(default=())

    @property
    def description(self) -> str:
        return " ".join(self.sentences)

    def grounding_text(self) -> str:
        """All the product's own words and numbers, as one text (what a draft may state)."""
        parts = [self.title, self.vendor, self.product_type, self.category, *self.tags, *self.skus, *self.prices,
                 self.description, *self.bullets, self.current.get("seo_title", ""),
                 self.current.get("seo_description", "")]
        for name, values in self.options.items():
            parts.append(name)
            parts.extend(values)
        return "\n".join(p for p in parts if p)

    def prompt_view(self) -> dict[str, Any]:
        """What the product prompt shows: the facts, then the current copy for reference."""
        description = self.description
        if len(description) > MAX_DESCRIPTION_CHARS:
            description = description[:MAX_DESCRIPTION_CHARS].rsplit(" ", 1)[0] + " ..."
        return {
            "id": self.product_id, "handle": self.handle, "title": self.title, "vendor": self.vendor,
            "product_type": self.product_type, "category": self.category, "tags": list(self.tags),
            "options": self.options, "skus": list(self.skus[:10]), "prices": list(self.prices),
            "description": description, "details": list(self.bullets),
            "current_seo_title": self.current.get("seo_title", ""),
            "current_seo_description": self.current.get("seo_description", ""),
        }


# Every injection pattern needs one of these words; most product sentences have none and skip the regex.
_TRIGGERS = ("ignor", "disregard", "forget", "override", "system", "instruction", "prompt", "you", "act",
             "assistant", "user", "respond", "reply", "answer", "output", "print")


_TRIGGER = re.compile("|".join(_TRIGGERS))  # one scan instead of one per word: this runs on every line of every product


def is_instruction(text: str) -> bool:
    return _TRIGGER.search(text.lower()) is not None and ANY_INJECTION.search(text) is not None


def _clean_line(text: str | None, removed: list[str]) -> str:
    value = " ".join((text or "").split())
    if value and is_instruction(value):
        removed.append(value)
        return ""
    return value


def product_facts(row: Mapping[str, Any]) -> ProductFacts:
    """Facts from one catalogue row (the shape of catalog.parquet)."""
    removed: list[str] = []
    sentences, bullets = split_description(row.get("body_html") or "", removed)
    options: dict[str, list[str]] = {}
    names = [n for n in as_list(row.get("options")) if n]
    variants = [v for v in as_list(row.get("variants")) if isinstance(v, Mapping)]
    for position, name in enumerate(names[:3], start=1):
        values: list[str] = []
        for variant in variants:
            value = " ".join(str(variant.get(f"option{position}") or "").split())
            if value.lower() not in _PLACEHOLDER_OPTION_VALUES and value not in values:
                values.append(value)
        if values and name.lower() != "title":
            options[name] = values
    prices = []
    for variant in variants:
        price = str(variant.get("price") or "").strip()
        if price and price not in prices:
            prices.append(price)
    category = str(row.get("product_category") or "")
    current = {name: str(row.get(name) or "") for name in ("title", "body_html", "seo_title", "seo_description",
                                                          "handle")}
    return ProductFacts(
        product_id=str(row.get("id") or ""), handle=str(row.get("handle") or ""),
        title=_clean_line(row.get("title"), removed), vendor=_clean_line(row.get("vendor"), removed),
        product_type=_clean_line(row.get("product_type"), removed),
        category=category.split(">")[-1].strip(),
        tags=tuple(t for t in (_clean_line(str(t), removed) for t in as_list(row.get("tags"))) if t),
        options=options,
        skus=tuple(str(v.get("sku")) for v in variants if v.get("sku")),
        prices=tuple(prices), sentences=tuple(sentences), bullets=tuple(bullets),
        current={**current, "seo_title": _clean_line(current["seo_title"], removed),
                 "seo_description": _clean_line(current["seo_description"], removed)},
        removed_instructions=tuple(removed),
    )


def split_description(body_html: str, removed: list[str]) -> tuple[list[str], list[str]]:
    """(sentences of the running text, list items) of a description; instructions go to `removed` instead."""
    bullets = []
    for item in _LIST_ITEM.findall(body_html):
        text = strip_html(item)
        if text and is_instruction(text):
            removed.append(text)
        elif text:
            bullets.append(text)
    sentences = []
    for block in _BLOCK_BREAK.split(_LIST_ITEM.sub(" ", body_html)):
        for sentence in _SENTENCE_END.split(strip_html(block)):
            sentence = sentence.strip()
            if sentence and is_instruction(sentence):
                removed.append(sentence)
            elif sentence:
                sentences.append(sentence)
    return sentences, bullets
