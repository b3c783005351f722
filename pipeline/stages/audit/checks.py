"""The audit's per-product checks: titles, descriptions, SEO fields, HTML hygiene.

Each check is a pure function of one product's fields (plus, for titles, what its product-type siblings look
like) and returns findings as (code, evidence). Codes, severities and weights are listed once, here, so the
report, the priority score and the tests agree. Duplicate checks, which need the whole catalogue, live in
`duplicates.py`.
"""

from __future__ import annotations

import functools
import html
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields

from pipeline.config import AuditSettings
from pipeline.core.seo_limits import LEGACY_KEYS, SeoLimits
from pipeline.core.seo_limits import SECTION as LIMITS_SECTION
from pipeline.core.text import is_all_caps, normalise, strip_html, words
from pipeline.gates.content.lexicon import COLOURS

# code -> (severity, what it means to a merchant)
FINDINGS: dict[str, tuple[str, str]] = {
    "exact_duplicate_title": ("high", "title identical to another product's"),
    "near_duplicate_title": ("medium", "title the same as other products' but for colour, size or option words"),
    "exact_duplicate_description": ("high", "description identical to another product's"),
    "shared_description": ("high", "description shared by several products (manufacturer copy)"),
    "near_duplicate_description": ("medium", "description nearly identical to another product's"),
    "exact_duplicate_seo_title": ("medium", "SEO title identical to another product's"),
    "exact_duplicate_seo_description": ("medium", "meta description identical to another product's"),
    "generic_title": ("high", "title does not say what the product is"),
    "html_entity_in_title": ("medium", "title shows HTML entity text such as &amp; or &trade; to shoppers"),
    "extra_spaces_in_title": ("low", "title has doubled, leading or trailing spaces"),
    "extra_spaces_in_seo_title": ("low", "SEO title has doubled, leading or trailing spaces"),
    "all_caps_title": ("low", "title in capitals"),
    "keyword_stuffed_title": ("medium", "title repeats a word"),
    "long_title": ("low", "title longer than the limit"),
    "empty_description": ("high", "no description"),
    "thin_description": ("medium", "description too short, or long but saying almost nothing"),
    "missing_seo_title": ("medium", "no SEO title"),
    "long_seo_title": ("low", "SEO title longer than the limit"),
    "missing_seo_description": ("medium", "no meta description"),
    "short_seo_description": ("low", "meta description shorter than the limit"),
    "long_seo_description": ("low", "meta description longer than the limit"),
    "messy_html": ("low", "description HTML full of inline styles or editor debris"),
}
SEVERITY_WEIGHT = {"high": 5.0, "medium": 3.0, "low": 1.0}
SEVERITIES = ("high", "medium", "low")
# Live products matter most: an archived product's copy is not seen by shoppers or search engines.
VISIBILITY_WEIGHT = {"active": 1.0, "draft": 0.5, "archived": 0.2}

# A title made only of these (and numbers) is a placeholder: "New product", "Untitled item", "Product 12".
PLACEHOLDER_WORDS = ("new", "product", "products", "item", "items", "copy", "untitled", "test", "sample", "placeholder",
                     "default", "title", "name", "draft", "listing", "tbd", "todo", "dummy", "unnamed", "lorem",
                     "ipsum")
# Words that name a variant rather than a product: sizes and colours in English, French, German and Spanish
# (colours from the content gates' lexicon). Titles that differ only by these compete for the same searches, so
# near-duplicate titles are compared without them (plus every option value in the catalogue), and a group of
# titles that differ only by them is reported as one family.
SIZE_WORDS = """
xxs xs s m l xl xxl xxxl 2xl 3xl 4xl 5xl x-small xx-small x-large xx-large xxx-large small medium large extra
mini petite tall oversized regular standard twin full queen king california single double
petit petite moyen moyenne grand grande klein mittel groß pequeño pequeña mediano mediana
""".split()
# Colours the lexicon does not list as colours (it knows them as materials).
METAL_COLOURS = ("gold", "silver")


def _variant_words() -> tuple[str, ...]:
    """Size words, and every one-word colour of the content gates' lexicon in each of its languages, in the
    form titles are compared in (`normalise`: "Weiß" is "weiss")."""
    colours = [form for table in COLOURS.surface.values() for forms in table.values() for form in forms]
    found = [words(normalise(word)) for word in (*SIZE_WORDS, *METAL_COLOURS, *colours)]
    return tuple(dict.fromkeys(w[0] for w in found if len(w) == 1))


VARIANT_WORDS = _variant_words()
# Words that never make a title specific on their own (several languages, since catalogues are multilingual).
FILLER_WORDS = frozenset("""
a an the and or of for with in on to by from at & - + x
le la les un une des de du et pour avec en au aux
der die das ein eine und mit für von zu im
el los las un una y con para del en
il lo gli i e per con di da
""".split())


@dataclass(frozen=True)
class AuditConfig:
    """The [audit] section of seo.toml, and the SEO limits it checks against ([limits], shared with generation);
    each default is the usual SEO-crawler setting."""

    near_duplicate_threshold: float = AuditSettings.near_duplicate_threshold
    description_shingle_words: int = AuditSettings.description_shingle_words
    title_shingle_words: int = AuditSettings.title_shingle_words
    minhash_permutations: int = AuditSettings.minhash_permutations
    title_min_words: int = AuditSettings.title_min_words
    stuffing_repeats: int = AuditSettings.stuffing_repeats
    shared_description_min_products: int = AuditSettings.shared_description_min_products
    placeholder_words: tuple[str, ...] = field(default=PLACEHOLDER_WORDS)
    variant_words: tuple[str, ...] = field(default=VARIANT_WORDS)
    # The thin-content rule (docs/audit.md): under thin_floor_words words a description is thin whatever it
    # says; under [limits] body_min_words it needs thin_min_information facts and product-specific sentences;
    # from there on, fewer than padding_min_information is padding. Not yet keys of [audit] in seo.toml.
    thin_floor_words: int = 20
    thin_min_information: int = 4
    padding_min_information: int = 2
    limits: SeoLimits = SeoLimits()
    locale: str = "en"  # the catalogue's language ([pipeline] primary_locale), for the information measure

    @classmethod
    def from_section(cls, section: Mapping, where: str = "seo.toml", limits: SeoLimits | None = None) -> AuditConfig:
        """`limits` as read by `SeoLimits.from_settings`, which also took the older limit keys of [audit] into
        account; without it, those older keys in `section` are the limits."""
        from pipeline.errors import ConfigError

        known = {f.name: f for f in fields(cls) if f.name not in ("limits", "locale")}
        legacy = LEGACY_KEYS["audit"]
        values: dict = {}
        for key, value in section.items():
            if key in legacy:
                continue
            if key not in known:
                raise ConfigError(f"{where}: [audit] unknown setting {key!r} (known: {', '.join(known)}; "
                                  f"length limits go in [{LIMITS_SECTION}])")
            default = known[key].default
            if isinstance(default, tuple) and not isinstance(default, str):
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ConfigError(f"{where}: [audit] {key} must be a list of words")
                values[key] = tuple(v.casefold() for v in value)
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                    isinstance(default, int) and not isinstance(value, int)):
                kind = "an integer" if isinstance(default, int) else "a number"
                raise ConfigError(f"{where}: [audit] {key} = {value!r} must be {kind}")
            values[key] = value
        if limits is None:
            limits = SeoLimits.from_tables({"audit": section}, where)
        config = cls(**values, limits=limits)
        if not 0.0 < config.near_duplicate_threshold <= 1.0:
            raise ConfigError(f"{where}: [audit] near_duplicate_threshold must be in (0, 1], "
                              f"not {config.near_duplicate_threshold}")
        for name in known:
            value = getattr(config, name)
            if isinstance(value, int) and value < 1:
                raise ConfigError(f"{where}: [audit] {name} must be at least 1, not {value}")
        return config


Finding = tuple[str, str]  # (code, evidence)

_SKU_TOKEN = re.compile(r"^(?=.*\d)[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)+$|^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9]{5,}$")


def _quote(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


def title_findings(title: str, *, vendor: str, product_type: str, sku_keys: frozenset[str] | set[str],
                   has_type_siblings: bool, vendor_names: frozenset[str], config: AuditConfig,
                   key: str | None = None, tokens: list[str] | None = None) -> list[Finding]:
    """Findings about one title. `sku_keys` and `vendor_names` are the catalogue's SKUs and vendors in
    `normalise` form: a title that is any SKU or any vendor says nothing about the product. `key` (the
    title's `normalise` form) and `tokens` (its `words`) save recomputing them when the caller has them."""
    found: list[Finding] = []
    text = normalise(title) if key is None else key
    tokens = words(text) if tokens is None else tokens
    generic = generic_title_reason(text, tokens, vendor=vendor, product_type=product_type, sku_keys=sku_keys,
                                   has_type_siblings=has_type_siblings, vendor_names=vendor_names, config=config)
    if generic:
        found.append(("generic_title", f"{_quote(title)}: {generic}"))
    if is_all_caps(title, min_letters=4):
        found.append(("all_caps_title", f"{_quote(title)} is all capitals"))
    repeated = stuffed_word(tokens, config.stuffing_repeats)
    if repeated:
        found.append(("keyword_stuffed_title", f"{_quote(title)} repeats {repeated[0]!r} {repeated[1]} times"))
    if len(title) > config.limits.title_max_chars:
        found.append(("long_title", f"{len(title)} characters (limit {config.limits.title_max_chars})"))
    if "&" in title:
        entities = entity_texts(title)
        if entities:
            found.append(("html_entity_in_title", f"{_quote(title)} shows {', '.join(entities)} as typed, not as "
                                                  f"the character it stands for; decoded: {_quote(decoded(title))}"))
    spacing = spacing_problems(title)
    if spacing:
        found.append(("extra_spaces_in_title", f"{_quote(title)} has {spacing}; cleaned: "
                                               f"{_quote(' '.join(title.split()))}"))
    return found


# An HTML character reference as Shopify stores it when a title was pasted from HTML or encoded twice: named
# (&amp; &trade;), decimal (&#8482;) or hexadecimal (&#x2122;). The semicolon is required, so "AT&T" and
# "R&D" are plain text; a name HTML does not define ("&foo;") is left alone as well.
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def entity_texts(text: str) -> list[str]:
    """The HTML character references in `text` that stand for a character, each once, in order."""
    return list(dict.fromkeys(m for m in _ENTITY.findall(text) if html.unescape(m) != m))


def decoded(text: str) -> str:
    """`text` with its character references decoded (twice-encoded ones too: "&amp;amp;" is "&"), whitespace
    (non-breaking spaces included) collapsed."""
    for _ in range(3):
        plain = html.unescape(text)
        if plain == text:
            break
        text = plain
    return " ".join(text.split())


def spacing_problems(text: str) -> str:
    """What is wrong with the spacing of a one-line field, in words ("doubled spaces, a trailing space"), or ""."""
    if not text.strip():
        return ""
    problems = []
    inner = text.strip()
    if re.search(r"\s{2,}", inner):
        problems.append("doubled spaces")
    if re.search(r"[\t\n\r\f\v]", inner):
        problems.append("a tab or line break")
    if text[0].isspace():
        problems.append("a leading space")
    if text[-1].isspace():
        problems.append("a trailing space")
    return ", ".join(problems)


@functools.lru_cache(maxsize=4096)
def _word_set(text: str) -> frozenset[str]:
    """Singular, case-folded words of a vendor or product type (few distinct values, so cached)."""
    return frozenset(singular(w) for w in words(normalise(text)))


def generic_title_reason(text: str, tokens: list[str], *, vendor: str, product_type: str,
                         sku_keys: frozenset[str] | set[str] = frozenset(), has_type_siblings: bool = False,
                         vendor_names: frozenset[str] = frozenset(), config: AuditConfig) -> str | None:
    """Why a title fails to say what the product is, or None when it is specific enough.

    `text` is the title in `normalise` form and `tokens` its `words`.
    """
    if not text:
        return "empty title"
    if text in sku_keys or all(_SKU_TOKEN.match(t) for t in text.split()):
        return "a SKU-like code, not a name"
    if text in vendor_names or text == normalise(vendor):
        return "only a vendor name"
    if text.startswith("copy of "):
        return "a 'Copy of' duplicate's placeholder title"
    meaningful = [t for t in tokens if t not in FILLER_WORDS and not t.isdigit()]
    if not meaningful:
        return "no words, only numbers or symbols"
    if all(t in config.placeholder_words for t in meaningful):
        return "placeholder words only"
    type_words = _word_set(product_type)
    meaningful = [singular(t) for t in meaningful]
    siblings = ", like other products of this type" if has_type_siblings else ""
    if all(t in type_words for t in meaningful):
        return "only the product type" + siblings
    if len(tokens) < config.title_min_words:
        return f"a single word (minimum {config.title_min_words} words)"
    vendor_words = _word_set(vendor)
    if all(t in vendor_words or t in type_words for t in meaningful):
        return "only vendor and product type" + siblings
    return None


@functools.lru_cache(maxsize=1 << 16)
def singular(word: str) -> str:
    """A rough English singular ("tables" -> "table", "holders" -> "holder", "dishes" -> "dish"), only for
    comparing a title with its product type; other languages pass through mostly unchanged."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def stuffed_word(tokens: list[str], repeats: int) -> tuple[str, int] | None:
    """The most repeated content word among a title's case-folded `tokens`, when it occurs `repeats`+ times."""
    if len(tokens) < repeats:
        return None
    counts = Counter(w for w in tokens if len(w) > 2 and w not in FILLER_WORDS and not w.isdigit())
    if not counts:
        return None
    word, count = counts.most_common(1)[0]
    return (word, count) if count >= repeats else None


# Languages the information measure (pipeline.gates.content) reads; other catalogues keep the word minimum.
INFORMATION_LOCALES = ("en", "fr", "de", "es")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


# Function words that only one of those languages uses much, to read a description in its own language: a
# German text in an English catalogue measured as English would look as if it said nothing.
_LANGUAGE_MARKERS = {
    "en": frozenset("the and with for of is are this that your you it its to from".split()),
    "fr": frozenset("le les et avec pour des du est une dans sur ce cette vous votre au aux".split()),
    "de": frozenset("der die das und mit für ist ein eine den dem im zu von sich nicht auch".split()),
    "es": frozenset("el los las y con para del es una por que su sus muy más está".split()),
}


def information_locale(locale: str) -> str | None:
    """The language the information measure reads a catalogue in, or None when it cannot read it."""
    language = locale.split("-")[0].split("_")[0].lower()
    return language if language in INFORMATION_LOCALES else None


def text_language(tokens: list[str], default: str) -> str:
    """The language of a description's (case-folded) words among INFORMATION_LOCALES: the one whose function
    words it uses most, or `default` unless another has more."""
    counts = {language: sum(1 for t in tokens if t in markers) for language, markers in _LANGUAGE_MARKERS.items()}
    best = max(counts, key=lambda language: counts[language])
    return best if counts[best] > counts.get(default, 0) else default


_HIDDEN_ELEMENT = re.compile(r"<(script|style|template|noscript)\b.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_BLOCK_BREAK = re.compile(r"<\s*/?\s*(?:p|div|li|ul|ol|h[1-6]|tr|td|th|table|section|article|blockquote|br)\b[^>]*>",
                          re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def distinct_sentences(body_html: str) -> str:
    """The description with each sentence (or list item) once: a sentence said three times is information
    once. Unchanged when nothing repeats; otherwise its distinct sentences, one paragraph each."""
    seen: dict[str, str] = {}
    repeated = False
    for block in _BLOCK_BREAK.split(_HIDDEN_ELEMENT.sub(" ", body_html)):
        for sentence in _SENTENCE_END.split(strip_html(block)):
            key = sentence.casefold()
            if key in seen:
                repeated = True
            elif sentence:
                seen[key] = sentence
    if not repeated:
        return body_html
    return "".join(f"<p>{html.escape(sentence, quote=False)}</p>" for sentence in seen.values())


def may_be_padding(text: str, body_html: str, word_total: int, config: AuditConfig) -> bool:
    """Whether a description of at least `body_min_words` words is worth measuring for padding.

    Measuring costs milliseconds, so it is spent where padding is plausible: under twice the minimum (the
    length copy gets padded to), without a list, and with at most one number. Lists are where features get
    stated and a sentence with a number counts as product-specific, so other texts always carry information.
    """
    if word_total >= 2 * config.limits.body_min_words or "<li" in body_html.lower():
        return False
    return len(set(_NUMBER.findall(text))) <= 1


def description_findings(text: str, word_total: int, config: AuditConfig,
                         information: Callable[[], int] | None = None, body_html: str | None = None) -> list[Finding]:
    """`text` is the description's visible text (HTML stripped), `word_total` its words.

    `information()` counts the description's distinct facts and product-specific sentences (the content
    gates' `information_count`); it is called only where the verdict depends on it. Without it, a description
    under `body_min_words` words is thin, as before information was counted.
    """
    if not text.strip():
        return [("empty_description", "no visible text in the description")]
    minimum = config.limits.body_min_words
    floor = min(config.thin_floor_words, minimum)
    if word_total < floor:
        return [("thin_description", f"{word_total} words: too short to describe a product (floor {floor})")]
    if information is None:
        if word_total < minimum:
            return [("thin_description", f"{word_total} words (minimum {minimum})")]
        return []
    if word_total < minimum:
        count = information()
        if count < config.thin_min_information:
            return [("thin_description", f"{word_total} words with {_facts(count)} (under {minimum} words a "
                                         f"description needs {config.thin_min_information})")]
        return []
    if may_be_padding(text, text if body_html is None else body_html, word_total, config):
        count = information()
        if count < config.padding_min_information:
            return [("thin_description", f"{word_total} words but {_facts(count)}: padding (at least "
                                         f"{config.padding_min_information} needed)")]
    return []


def _facts(count: int) -> str:
    return f"{count} fact{'' if count == 1 else 's'} or product-specific sentence{'' if count == 1 else 's'}"


def seo_findings(seo_title: str, seo_description: str, config: AuditConfig) -> list[Finding]:
    limits = config.limits
    found: list[Finding] = []
    spacing = spacing_problems(seo_title)
    if spacing:
        found.append(("extra_spaces_in_seo_title", f"{_quote(seo_title)} has {spacing}; cleaned: "
                                                   f"{_quote(' '.join(seo_title.split()))}"))
    seo_title = seo_title.strip()
    seo_description = " ".join(seo_description.split())
    if not seo_title:
        found.append(("missing_seo_title", "SEO title empty: search engines get the product title"))
    elif len(seo_title) > limits.seo_title_max_chars:
        found.append(("long_seo_title", f"{len(seo_title)} characters (limit {limits.seo_title_max_chars}): "
                                        f"{_quote(seo_title)}"))
    if not seo_description:
        found.append(("missing_seo_description", "meta description empty: search engines pick a snippet"))
    elif len(seo_description) < limits.seo_description_min_chars:
        found.append(("short_seo_description", f"{len(seo_description)} characters "
                                               f"(minimum {limits.seo_description_min_chars})"))
    elif len(seo_description) > limits.seo_description_max_chars:
        found.append(("long_seo_description", f"{len(seo_description)} characters "
                                              f"(limit {limits.seo_description_max_chars})"))
    return found


# (substrings that must occur for the pattern to match, pattern, label); each runs on the lower-cased HTML,
# and the cheap substring test spares most clean descriptions the regex.
_MESSY_PATTERNS = [
    (("style",), re.compile(r"\sstyle\s*="), "inline styles"),
    (("<font",), re.compile(r"<font\b"), "<font> tags"),
    (("mso", "o:p"), re.compile(r"mso-|class\s*=\s*[\"']?mso|<o:p\b"), "MS Word markup"),
    (("</",), re.compile(r"<(?:p|div|span|strong|b|em|i|li|h[1-6])\b[^>]*>(?:\s|&nbsp;|&#160;|<br\s*/?>)*"
                         r"</(?:p|div|span|strong|b|em|i|li|h[1-6])\s*>"), "empty elements"),
    (("&nbsp;", "&#160;", "\u00a0"), re.compile(r"(?:&nbsp;|&#160;|\u00a0)(?:\s*(?:&nbsp;|&#160;|\u00a0))+"),
     "runs of &nbsp;"),
    (("<br",), re.compile(r"<br\s*/?>\s*(?:<br\b|</?(?:p|div|ul|ol|li|h[1-6])\b)|</(?:p|div|ul|ol|h[1-6])>\s*<br\b"),
     "<br> soup around blocks"),
    (("<",), re.compile(r"<(?:b|i|em|strong|span|font|a)\b[^>]*>\s*<(?:p|div|ul|ol|h[1-6]|table)\b"),
     "block elements inside inline tags"),
    (("<",), re.compile(r"<(?:script|iframe|object|embed|center|marquee|blink)\b"), "obsolete or unsafe tags"),
]
# Tags that must be closed in clean description HTML (p and li may legally be left open, but editors that
# do so are the ones that also leave the rest of the mess).
_PAIRED_TAGS = ("p", "li", "ul", "ol", "div", "span", "strong", "b", "em", "i", "font", "h1", "h2", "h3", "h4",
                "table", "a")
_PAIRED_TAG = re.compile(r"<(/?(?:" + "|".join(_PAIRED_TAGS) + r"))(?=[\s>])")


def unbalanced_tags(lowered_html: str) -> list[str]:
    """Tag names whose opening and closing counts differ (unclosed or stray tags); input lower-cased."""
    tags = _PAIRED_TAG.findall(lowered_html)
    opened = sorted(t for t in tags if t[0] != "/")
    closed = sorted(t[1:] for t in tags if t[0] == "/")
    if opened == closed:
        return []
    counts = Counter(tags)
    return sorted({t.lstrip("/") for t in tags if counts[t.lstrip("/")] != counts["/" + t.lstrip("/")]})


def html_findings(body_html: str) -> list[Finding]:
    if "<" not in body_html and "&" not in body_html and "\u00a0" not in body_html:
        return []
    lowered = body_html.lower()
    problems = [label for triggers, pattern, label in _MESSY_PATTERNS
                if any(t in lowered for t in triggers) and pattern.search(lowered)]
    unbalanced = unbalanced_tags(lowered)
    if unbalanced:
        problems.append("unclosed or stray " + ", ".join(f"<{name}>" for name in unbalanced))
    return [("messy_html", "; ".join(problems))] if problems else []
