"""The SEO length limits, defined once: the audit flags what breaks them and the generator must not write it.

`[limits]` in seo.toml sets them. Older settings files set them twice, under `[audit]` and `[generation.limits]`;
those keys are still read, but a value given in two places must be the same value, or loading stops with one
line naming both keys: two different limits would let the audit flag what the generator was allowed to write.

Lengths are measured here too, so every reader counts the same way: characters as Python counts them, words as
the audit counts them (`pipeline.text.words`: any script, each CJK character a word), widths as a result page
draws them (`pipeline.core.pixels`, the SEO title with the theme's suffix).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from pipeline.core.pixels import description_width_px, title_width_px
from pipeline.core.text import words
from pipeline.errors import ConfigError

SECTION = "limits"
# Older keys that set the same limits: section -> {old key: limit}.
LEGACY_KEYS: dict[str, dict[str, str]] = {
    "audit": {"thin_description_words": "body_min_words", "title_max_chars": "title_max_chars",
              "seo_title_max_chars": "seo_title_max_chars", "seo_description_min_chars": "seo_description_min_chars",
              "seo_description_max_chars": "seo_description_max_chars"},
    "generation.limits": {name: name for name in (
        "title_max_chars", "title_max_px", "seo_title_max_chars", "seo_title_max_px", "seo_description_min_chars",
        "seo_description_max_chars", "seo_description_max_px", "body_min_words", "body_max_words", "title_suffix")},
}


class WithLimits(Protocol):
    """What `SeoLimits.from_settings` reads: config.Settings (which this module cannot import: config imports it)."""

    @property
    def limits(self) -> SeoLimits: ...


@dataclass(frozen=True)
class SeoLimits:
    """What search results show without cutting, and how long a product description should be.

    The defaults are the usual SEO-crawler settings: 561 px is a result title's width in Arial 20 px, 985 px a
    snippet's in Arial 14 px.
    """

    title_max_chars: int = 70
    title_max_px: float = 561
    seo_title_max_chars: int = 60
    seo_title_max_px: float = 561
    seo_description_min_chars: int = 70
    seo_description_max_chars: int = 160
    seo_description_max_px: float = 985
    body_min_words: int = 50      # fewer words is a thin description
    body_max_words: int = 600
    title_suffix: str = ""        # what the theme appends to <title>, e.g. " – Nordhaus"; it shares the 561 px

    @classmethod
    def from_settings(cls, settings: WithLimits) -> SeoLimits:
        """[limits], plus the older [audit] and [generation.limits] keys where an older settings file has them."""
        return settings.limits  # parsed once, with the older keys, when the settings were loaded

    @classmethod
    def from_tables(cls, tables: Mapping[str, Mapping[str, Any]], where: str = "seo.toml") -> SeoLimits:
        """Limits from settings tables keyed by section name ("limits", "audit", "generation.limits").

        Other keys of [audit] and [generation.limits] are those sections' own business and are not looked at.
        """
        defaults = asdict(cls())
        chosen: dict[str, tuple[str, Any]] = {}  # limit -> ("[section] key", value)
        for section in (SECTION, *LEGACY_KEYS):
            table = tables.get(section) or {}
            if not isinstance(table, Mapping):
                raise ConfigError(f"{where}: [{section}] must be a table")
            if section == SECTION:
                unknown = sorted(set(table) - set(defaults))
                if unknown:
                    raise ConfigError(f"{where}: [{SECTION}] unknown setting {unknown[0]!r} "
                                      f"(known: {', '.join(defaults)})")
                keys = {name: name for name in defaults}
            else:
                keys = LEGACY_KEYS[section]
            for key, name in keys.items():
                if key not in table:
                    continue
                value = _checked(table[key], name, defaults[name], f"{where}: [{section}] {key}")
                if name in chosen and chosen[name][1] != value:
                    first, first_value = chosen[name]
                    raise ConfigError(f"{where}: {first} = {first_value!r} and [{section}] {key} = {value!r} "
                                      f"disagree; set it once, as [{SECTION}] {name}")
                chosen.setdefault(name, (f"[{section}] {key}", value))
        limits = cls(**{name: value for name, (_, value) in chosen.items()})
        # A meta description cannot be both; (a body minimum above its maximum only fails every draft, as
        # older settings files were allowed to.)
        if limits.seo_description_min_chars > limits.seo_description_max_chars:
            low = chosen.get("seo_description_min_chars", (f"[{SECTION}] seo_description_min_chars",))[0]
            raise ConfigError(f"{where}: {low} = {limits.seo_description_min_chars} is above "
                              f"seo_description_max_chars ({limits.seo_description_max_chars})")
        return limits

    # -- measures: the audit, the validator and the offline writer all count with these -----------------------
    @staticmethod
    def description_words(text: str) -> int:
        """Words in a description's visible text (HTML already stripped)."""
        return len(words(text))

    @staticmethod
    def title_width(text: str) -> float:
        return title_width_px(text)

    def seo_title_width(self, text: str) -> float:
        """The SEO title's width as a result page draws it: with what the theme appends."""
        return title_width_px(text + self.title_suffix)

    @staticmethod
    def seo_description_width(text: str) -> float:
        return description_width_px(text)

    def title_fits(self, text: str) -> bool:
        return len(text) <= self.title_max_chars and self.title_width(text) <= self.title_max_px

    def seo_title_fits(self, text: str) -> bool:
        return len(text) <= self.seo_title_max_chars and self.seo_title_width(text) <= self.seo_title_max_px

    def seo_description_fits(self, text: str) -> bool:
        """Not longer or wider than a snippet shows (the minimum length is checked apart)."""
        return (len(text) <= self.seo_description_max_chars
                and self.seo_description_width(text) <= self.seo_description_max_px)


def _checked(value: Any, name: str, default: Any, label: str) -> Any:
    """`value` if it has the limit's type: text for the suffix, a whole number of characters or words, a
    number of pixels; counts and widths must be positive."""
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"{label} = {value!r} must be a string")
        return value
    whole = not name.endswith("_px")
    if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
        raise ConfigError(f"{label} = {value!r} must be {'an integer' if whole else 'a number'}")
    if value < 1:
        raise ConfigError(f"{label} must be at least 1, not {value}")
    return value

