"""The search result a draft makes: title (with the theme's suffix), URL path and meta description, cut where
Google cuts them, and the counters against the limits in seo.toml.

Widths are those of pipeline/core/pixels.py (Arial metrics: titles at 20 px, snippets at 14 px), measured through
SeoLimits so the preview, the validator and the audit count alike. The page's script measures the same way while
the reviewer types: `measure_table` is the character-width table it receives as a JSON data block (not script,
so the Content-Security-Policy still forbids inline code), and the /check endpoint answers the server's own
figures after each pause in typing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.core import pixels
from pipeline.core.seo_limits import SeoLimits
from pipeline.core.text import strip_html

ELLIPSIS = " ..."


@dataclass(frozen=True)
class Counter:
    """One field's length against its limits: characters and pixels."""

    field: str
    chars: int
    max_chars: int
    px: float
    max_px: float
    min_chars: int = 0

    @property
    def over(self) -> bool:
        return self.chars > self.max_chars or self.px > self.max_px

    @property
    def under(self) -> bool:
        return 0 < self.chars < self.min_chars

    @property
    def state(self) -> str:
        return "empty" if self.chars == 0 else "over" if self.over else "under" if self.under else "ok"

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "chars": self.chars, "max_chars": self.max_chars, "px": round(self.px, 1),
                "max_px": self.max_px, "min_chars": self.min_chars, "state": self.state}


@dataclass(frozen=True)
class Preview:
    """A Google-style result: what shows, whether it was cut, and the counters behind it."""

    site: str  # the store's domain, or its name when no store is configured
    path: str  # /products/<handle>
    title: str  # as shown: cut with " ..." when too wide
    title_cut: bool
    description: str
    description_cut: bool
    description_from_page: bool  # no meta description: Google picks text from the page (here: the description's start)
    counters: tuple[Counter, ...]


def cut(text: str, max_px: float, font_px: int) -> tuple[str, bool]:
    """`text` as a result draws it in `max_px`: whole, or cut at a word with " ..." after it."""
    text = " ".join(text.split())
    if pixels.text_width_px(text, font_px) <= max_px:
        return text, False
    room = max_px - pixels.text_width_px(ELLIPSIS, font_px)
    width, end = 0.0, 0
    for index, ch in enumerate(text):
        width += pixels.char_width(ch) * font_px / 1000
        if width > room:
            break
        end = index + 1
    shown = text[:end]
    space = shown.rfind(" ")
    if space > len(shown) // 2:  # cut at a word, as Google does, unless that loses half the text
        shown = shown[:space]
    return shown.rstrip(" ,;:–-") + ELLIPSIS, True


def counters(values: Mapping[str, str | None], limits: SeoLimits) -> tuple[Counter, ...]:
    """Title, SEO title and meta description measured against seo.toml (the SEO title with the theme's suffix)."""
    title = values.get("title") or ""
    seo_title = values.get("seo_title") or ""
    description = values.get("seo_description") or ""
    return (
        Counter("title", len(title), limits.title_max_chars, limits.title_width(title), limits.title_max_px),
        Counter("seo_title", len(seo_title), limits.seo_title_max_chars,
                limits.seo_title_width(seo_title) if seo_title else 0.0, limits.seo_title_max_px),
        Counter("seo_description", len(description), limits.seo_description_max_chars,
                limits.seo_description_width(description), limits.seo_description_max_px,
                limits.seo_description_min_chars),
    )


def preview(values: Mapping[str, str | None], limits: SeoLimits, *, site: str, handle: str) -> Preview:
    """The result for these field values: the SEO title, else the product title (Shopify's fallback), with the
    theme's suffix; the meta description, else the description's first words (what Google then often shows)."""
    heading = (values.get("seo_title") or values.get("title") or "").strip() + limits.title_suffix
    title, title_cut = cut(heading, limits.seo_title_max_px, pixels.TITLE_FONT_PX)
    description = (values.get("seo_description") or "").strip()
    from_page = not description
    if from_page:
        description = " ".join(strip_html(values.get("body_html") or "").split())[:320]
    snippet, description_cut = cut(description, limits.seo_description_max_px, pixels.DESCRIPTION_FONT_PX)
    return Preview(site=site, path=f"/products/{values.get('handle') or handle}", title=title, title_cut=title_cut,
                   description=snippet, description_cut=description_cut, description_from_page=from_page,
                   counters=counters(values, limits))


def measure_table(limits: SeoLimits) -> dict[str, Any]:
    """What the page's script needs to measure as pixels.py does: the width table and the limits."""
    return {
        "ascii": pixels._ASCII_WIDTHS, "extra": pixels._EXTRA_WIDTHS, "unknown": pixels._UNKNOWN_LETTER,
        "wide": pixels._WIDE, "title_px": pixels.TITLE_FONT_PX, "description_px": pixels.DESCRIPTION_FONT_PX,
        "ellipsis": ELLIPSIS, "suffix": limits.title_suffix,
        "limits": {"title_max_chars": limits.title_max_chars, "title_max_px": limits.title_max_px,
                   "seo_title_max_chars": limits.seo_title_max_chars, "seo_title_max_px": limits.seo_title_max_px,
                   "seo_description_min_chars": limits.seo_description_min_chars,
                   "seo_description_max_chars": limits.seo_description_max_chars,
                   "seo_description_max_px": limits.seo_description_max_px},
    }
