"""Every draft passes through these checks; their findings drive the repair prompt and the review flags.

Checks: presence of each field to write; length in characters and in search-result pixels; the primary keyword
in the title, SEO title and the first 100 words; HTML against an allow-list (nh3); grounding (no number, unit,
material or claim absent from the product's own data); the language of the text; banned words; text about being
a model or echoing instructions; the handle's shape; distance from every other product's copy.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

import nh3

from pipeline.core.lexicon import (
    ANY_META_TEXT,
    CLAIM_FIRST_WORDS,
    CLAIM_PHRASES,
    CLAIM_SYMBOLS,
    MATERIAL_WORDS,
    NUMBER_WITH_UNIT,
    STOPWORDS,
    UNIT_ALIASES,
    WORD,
    fold,
    words,
)
from pipeline.core.seo_limits import SeoLimits
from pipeline.core.text import is_all_caps, strip_html
from pipeline.gates.content import FactSheet, check_content
from pipeline.gates.content.text import stem
from pipeline.gates.schema import DraftCopy
from pipeline.gates.sheet import COPY_FIELDS
from pipeline.gates.similarity import CopyIndex

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "h2", "h3", "h4", "a",
                          "blockquote"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
KEYWORD_WINDOW_WORDS = 100
_DIMENSION_JOIN = re.compile(r"\s*[x\u00d7]\s*", re.IGNORECASE)
HANDLE_SHAPE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Finding:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


# The limits live in pipeline/seo_limits.py, shared with the audit; `Limits` is their name here.
Limits = SeoLimits


# -- grounding -------------------------------------------------------------------------------------------
def number_readings(raw: str) -> set[str]:
    """The values a written number can mean: '1,500' is 1500 in English and 1.5 in French; both are kept."""
    digits = re.sub(r"[\s\u00a0\u202f]", "", raw)
    readings = set()
    for decimal_mark, group_mark in ((".", ","), (",", ".")):
        shape = rf"\d{{1,3}}(?:{re.escape(group_mark)}\d{{3}})+(?:{re.escape(decimal_mark)}\d+)?" \
                rf"|\d+(?:{re.escape(decimal_mark)}\d+)?"
        if re.fullmatch(shape, digits):
            value = Decimal(digits.replace(group_mark, "").replace(decimal_mark, "."))
            readings.add(format(value.normalize(), "f"))
    return readings


def numbers_in(text: str) -> list[tuple[str, set[str], str | None]]:
    """(as written, readings, normalised unit or None) for every number in `text`."""
    matches = list(NUMBER_WITH_UNIT.finditer(text))
    units: list[str | None] = [UNIT_ALIASES.get(m.group(2).lower()) if m.group(2) else None for m in matches]
    # In "45 x 25 cm" the unit belongs to every number of the dimension, not only the last one.
    for i in range(len(matches) - 2, -1, -1):
        if units[i] is None and _DIMENSION_JOIN.fullmatch(text[matches[i].end():matches[i + 1].start()]):
            units[i] = units[i + 1]
    return [(m.group(0).strip(), number_readings(m.group(1)), unit) for m, unit in zip(matches, units, strict=True)]


def materials_in(text: str) -> dict[str, str]:
    """Canonical material -> the word that named it."""
    return {MATERIAL_WORDS[w]: w for w in words(text) if w in MATERIAL_WORDS}


def claims_in(text: str) -> dict[str, str]:
    """Canonical claim -> the phrase that made it, found by looking up every run of up to a few words."""
    folded = fold(text)
    tokens = WORD.findall(folded)
    found: dict[str, str] = {}
    for i, token in enumerate(tokens):
        for phrase in CLAIM_FIRST_WORDS.get(token, ()):
            if tuple(tokens[i:i + len(phrase)]) == phrase:
                canonical = CLAIM_PHRASES[phrase]
                found.setdefault(canonical, " ".join(phrase))
                break
    for canonical, pattern in CLAIM_SYMBOLS:
        match = pattern.search(folded)
        if match and canonical not in found:
            found[canonical] = match.group(0)
    return found


@dataclass(frozen=True)
class Grounding:
    """What the product's own data states: numbers (with units seen), materials and claims."""

    numbers: Mapping[str, frozenset[str | None]]
    materials: frozenset[str]
    claims: frozenset[str]

    @classmethod
    def from_text(cls, facts_text: str, keyword_text: str = "") -> Grounding:
        numbers: dict[str, set[str | None]] = {}
        # Numbers in a target keyword ("rug 160x230") are the shopper's words, so they may appear in copy.
        for _, readings, unit in numbers_in(facts_text + "\n" + keyword_text):
            for reading in readings:
                numbers.setdefault(reading, set()).add(unit)
        return cls({k: frozenset(v) for k, v in numbers.items()}, frozenset(materials_in(facts_text)),
                   frozenset(claims_in(facts_text)))

    def merged(self, other: Grounding) -> Grounding:
        numbers = {k: self.numbers.get(k, frozenset()) | other.numbers.get(k, frozenset())
                   for k in {*self.numbers, *other.numbers}}
        return Grounding(numbers, self.materials | other.materials, self.claims | other.claims)


# -- language --------------------------------------------------------------------------------------------
_STOPWORD_LANGS: dict[str, list[str]] = {}
for _lang, _words in STOPWORDS.items():
    for _word in _words:
        _STOPWORD_LANGS.setdefault(_word, []).append(_lang)


def language_scores(text: str) -> dict[str, float]:
    scores = dict.fromkeys(STOPWORDS, 0.0)
    for word in words(text):
        langs = _STOPWORD_LANGS.get(word)
        if langs:
            for lang in langs:
                scores[lang] += 1 / len(langs)
    return scores


def detect_language(text: str, min_evidence: float = 3.0) -> str | None:
    """The language whose function words dominate `text`, or None when there are too few to tell."""
    scores = language_scores(text)
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] >= min_evidence else None


# -- keywords --------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=65536)
def contains_keyword(text: str, keyword: str, locale: str = "en") -> bool:
    """The keyword's words in `text`, in order and adjacent, or all of them within a short window.

    Words are compared by their Snowball stems in the draft's language ('duvet covers' matches 'duvet cover',
    'napkins' matches 'napkin'), ignoring case, accents and punctuation.
    """
    language = locale.split("-")[0].lower()
    wanted = [stem(w, language) for w in words(keyword)]
    have = [stem(w, language) for w in words(text)]
    if not wanted:
        return True
    n = len(wanted)
    for i in range(len(have) - n + 1):
        if have[i:i + n] == wanted:
            return True
    window = n + 3
    wanted_set = set(wanted)
    return any(wanted_set <= set(have[i:i + window]) for i in range(max(len(have) - window + 1, 1)))


# -- HTML --------------------------------------------------------------------------------------------------
_TAG = re.compile(r"<\s*([a-zA-Z][\w-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTRIBUTE = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")


def _start_tags(markup: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(tag, [(attribute, value)]) for every opening tag; what the allow-list check needs to name."""
    found = []
    for match in _TAG.finditer(markup):
        attrs = [(m.group(1).lower(), html.unescape(m.group(2) or m.group(3) or m.group(4) or ""))
                 for m in _ATTRIBUTE.finditer(match.group(2).rstrip("/"))]
        found.append((match.group(1).lower(), attrs))
    return found


def sanitise_html(markup: str) -> str:
    return nh3.clean(markup, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES, link_rel=None,
                     url_schemes={"http", "https"})


# -- the checks --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DraftCheck:
    """What one product's draft in one locale is checked against."""

    product_id: str
    locale: str
    fields_to_write: tuple[str, ...]
    keyword: str | None
    grounding: Grounding
    link_paths: frozenset[str] = frozenset()
    handles: Mapping[str, str] = field(default_factory=dict)  # product id -> handle, to name other products
    # The content gates' inputs: the product's fact sheet, and the copy the draft replaces in this locale.
    facts: FactSheet | None = None
    original: Mapping[str, str] | None = None
    allow_dropped: frozenset[str] = frozenset()  # [generation] allow_dropped: fact classes a draft may drop


class Validator:
    def __init__(self, limits: Limits, index: CopyIndex, banned_words: Sequence[str] = ()):
        self.limits = limits
        self.index = index
        self.banned = [(w, re.compile(r"(?<![\w-])" + re.escape(fold(w)) + r"(?![\w-])")) for w in banned_words
                       if w.strip()]

    def check(self, draft: DraftCopy, check: DraftCheck) -> tuple[DraftCopy, list[Finding]]:
        """The draft as it would be stored (unasked fields dropped, HTML sanitised) and what is wrong with it."""
        values = {name: (getattr(draft, name) if name in check.fields_to_write else None)
                  for name in draft.fields()}
        findings: list[Finding] = []
        for name in check.fields_to_write:
            if not values.get(name):
                findings.append(Finding(name, "missing", f"{name} is empty; write it"))
        body = values.get("body_html")
        if body:
            values["body_html"], html_findings = self._html(body, check)
            findings += html_findings
        # Checks read the visible text; the HTML itself was checked above.
        plain = {k: strip_html(v) if k == "body_html" else v for k, v in values.items() if v}
        findings += self._lengths(plain)
        findings += self._keyword(plain, check)
        findings += self._grounding(plain, check)
        findings += self._language(plain, check)
        findings += self._wording(plain)
        findings += self._duplicates(plain, check)
        findings += self._content(values, check)
        return DraftCopy(**values), findings

    def _content(self, values: Mapping[str, str | None], check: DraftCheck) -> list[Finding]:
        """What the draft says, against the product's facts (pipeline/gates/content): blocking findings only."""
        if check.facts is None:
            return []
        written = {name: value for name, value in values.items() if value and name in COPY_FIELDS}
        if not written:
            return []
        return [Finding(found.field, found.code, found.message) for found in check_content(
            written, check.facts, locale=check.locale, keyword=check.keyword, original=check.original,
            allow_dropped=check.allow_dropped)
            if found.blocking]

    def _html(self, body: str, check: DraftCheck) -> tuple[str, list[Finding]]:
        seen = _start_tags(body)
        findings = []
        bad_tags = sorted({tag for tag, _ in seen if tag not in ALLOWED_TAGS})
        if bad_tags:
            findings.append(Finding("body_html", "html_disallowed",
                                    f"body_html uses tags outside the allow-list: {', '.join(bad_tags)} "
                                    f"(allowed: {', '.join(sorted(ALLOWED_TAGS))})"))
        bad_attrs = sorted({f"{tag} {name}" for tag, attrs in seen if tag in ALLOWED_TAGS
                            for name, _ in attrs if name not in ALLOWED_ATTRIBUTES.get(tag, set())})
        if bad_attrs:
            findings.append(Finding("body_html", "html_disallowed",
                                    f"body_html uses attributes outside the allow-list: {', '.join(bad_attrs)}"))
        for tag, attrs in seen:
            href = dict(attrs).get("href") if tag == "a" else None
            if href is None:
                continue
            if not href.startswith("/") or href.startswith("//"):
                findings.append(Finding("body_html", "external_link",
                                        f"link to {href!r}: only links to this store's own pages are allowed"))
            elif check.link_paths and href.split("?")[0] not in check.link_paths:
                findings.append(Finding("body_html", "unknown_link",
                                        f"link to {href!r} is not one of the suggested links"))
        return sanitise_html(body), findings

    def _lengths(self, values: Mapping[str, str]) -> list[Finding]:
        lim = self.limits
        findings = []
        rules = (("title", lim.title_max_chars, lim.title_max_px, lim.title_width, ""),
                 ("seo_title", lim.seo_title_max_chars, lim.seo_title_max_px, lim.seo_title_width, lim.title_suffix),
                 ("seo_description", lim.seo_description_max_chars, lim.seo_description_max_px,
                  lim.seo_description_width, ""))
        for name, max_chars, max_px, measure, suffix in rules:
            text = values.get(name)
            if not text:
                continue
            if len(text) > max_chars:
                findings.append(Finding(name, "too_long", f"{name} has {len(text)} characters (limit {max_chars})"))
            width = measure(text)
            if width > max_px:
                shown = f" with the theme's suffix {suffix!r}" if suffix else ""
                findings.append(Finding(name, "too_wide", f"{name} is {width:.0f} px wide in search results{shown}"
                                                          f" (limit {max_px:.0f} px); shorten it"))
        description = values.get("seo_description")
        if description and len(description) < lim.seo_description_min_chars:
            findings.append(Finding("seo_description", "too_short", f"seo_description has {len(description)} "
                                    f"characters; write at least {lim.seo_description_min_chars}"))
        body = values.get("body_html")
        if body:
            count = lim.description_words(body)
            if count < lim.body_min_words:
                findings.append(Finding("body_html", "too_short",
                                        f"body_html has {count} words; write at least {lim.body_min_words}"))
            elif count > lim.body_max_words:
                findings.append(Finding("body_html", "too_long",
                                        f"body_html has {count} words (limit {lim.body_max_words})"))
        for name in ("title", "seo_title"):
            if values.get(name) and is_all_caps(values[name]):
                findings.append(Finding(name, "all_caps", f"{name} is written in capitals; use normal case"))
        return findings

    def _keyword(self, values: Mapping[str, str], check: DraftCheck) -> list[Finding]:
        if not check.keyword:
            return []
        findings = []
        for name in ("title", "seo_title"):
            if values.get(name) and not contains_keyword(values[name], check.keyword, check.locale):
                findings.append(Finding(name, "keyword_missing",
                                        f"{name} does not contain the primary keyword {check.keyword!r}"))
        body = values.get("body_html")
        if body:
            opening = " ".join(words(body)[:KEYWORD_WINDOW_WORDS])
            if not contains_keyword(opening, check.keyword, check.locale):
                findings.append(Finding("body_html", "keyword_missing", f"the first {KEYWORD_WINDOW_WORDS} words of"
                                        f" body_html do not contain the primary keyword {check.keyword!r}"))
        return findings

    def _grounding(self, values: Mapping[str, str], check: DraftCheck) -> list[Finding]:
        facts = check.grounding
        findings = []
        for name, value in values.items():
            if name == "handle":
                continue
            text = value
            for written, readings, unit in numbers_in(text):
                units = set().union(*(facts.numbers.get(r, frozenset()) for r in readings))
                known = bool(readings & facts.numbers.keys())
                if not known or (unit is not None and unit not in units and None not in units):
                    findings.append(Finding(name, "ungrounded_number", f"{name} states {written!r}, which is not in"
                                            " the product's data; remove it or use the data's value"))
            for material, word in materials_in(text).items():
                if material not in facts.materials:
                    findings.append(Finding(name, "ungrounded_material", f"{name} names the material {word!r}, which"
                                            " the product's data does not mention; remove it"))
            for claim, phrase in claims_in(text).items():
                if claim not in facts.claims:
                    findings.append(Finding(name, "ungrounded_claim", f"{name} claims {phrase!r}, which the "
                                            "product's data does not support; remove it"))
        return findings

    def _language(self, values: Mapping[str, str], check: DraftCheck) -> list[Finding]:
        expected = check.locale.split("-")[0].lower()
        if expected not in STOPWORDS:
            return []
        text = " ".join([values.get("body_html", ""), values.get("seo_description", "")])
        found = detect_language(text)
        if found is None or found == expected:
            return []
        scores = language_scores(text)
        if scores[expected] >= 0.6 * scores[found]:
            return []
        field_name = "body_html" if values.get("body_html") else "seo_description"
        return [Finding(field_name, "wrong_language",
                        f"the text reads as {found!r}, not {expected!r}; write it in the locale's language")]

    def _wording(self, values: Mapping[str, str]) -> list[Finding]:
        findings = []
        for name, text in values.items():
            folded = fold(text)
            for word, pattern in self.banned:
                if pattern.search(folded):
                    findings.append(Finding(name, "banned_word", f"{name} uses the banned word {word!r}"))
            if name != "handle" and ANY_META_TEXT.search(text):
                findings.append(Finding(name, "model_text", f"{name} contains instructions, template syntax or "
                                        "talk about being a model; write only product copy"))
        handle = values.get("handle")
        if handle and (not HANDLE_SHAPE.match(handle) or len(handle) > 255):
            findings.append(Finding("handle", "invalid_handle",
                                    f"handle {handle!r} must be lower-case letters and digits joined by hyphens"))
        return findings

    def _duplicates(self, values: Mapping[str, str], check: DraftCheck) -> list[Finding]:
        findings = []
        for name in ("title", "seo_title", "handle", "body_html", "seo_description"):
            if not values.get(name):
                continue
            for conflict in self.index.conflicts(check.product_id, check.locale, name, values[name])[:1]:
                if name == "handle":
                    findings.append(Finding(name, "duplicate_handle",
                                            f"handle is already used by {self._who(conflict, check)}"))
                elif conflict.similarity >= 1.0 and name in ("title", "seo_title"):
                    findings.append(Finding(name, "duplicate_title",
                                            f"{name} is the same as {self._who(conflict, check)}'s; make it "
                                            "distinct (name what sets this product apart: model, colour, size)"))
                else:
                    findings.append(Finding(name, "near_duplicate", f"{name} is {conflict.similarity:.0%} similar to"
                                            f" {self._who(conflict, check)}'s; rewrite it around what is specific "
                                            "to this product"))
        return findings

    @staticmethod
    def _who(conflict: Any, check: DraftCheck) -> str:
        handle = check.handles.get(conflict.other, conflict.other)
        return f"product '{handle}' ({'current copy' if conflict.origin == 'existing' else 'generated draft'})"
