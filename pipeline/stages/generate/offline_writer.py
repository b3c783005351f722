"""The offline writer: copy built from the product's own words, no language model, and no guessing.

Without `OPENAI_API_KEY` the pipeline still runs end to end, and what it writes must be publishable on any
catalogue, not only on the sample it was built beside. So it writes only what it can write well and leaves the
rest as it is, saying why (each abstention reaches the run summary and the review page):

- In the catalogue's language it repairs titles (HTML entities, doubled spaces, capitals), tells a title apart
  from its look-alikes with a value the whole product shares (never one variant's), fills an empty or broken
  SEO title from the title, and an empty meta description from the description's own leading sentences, topped
  up, when they are too short, with the product's data (title, vendor, options, type and category; never padded).
  A human description is never replaced: its facts are the merchant's and only a language model can rewrite it.
- In another language it writes a title and SEO title only when every word of the title is a name, a product
  noun, a colour or a material its vocabulary has in that language, in a construction that needs no agreement
  ("Veste Nova en coton, coloris noir"), or a German compound its vocabulary lists ("Silberohrringe"). It never
  translates running text. English words it adds follow `english_spelling` (offline_spelling.py).
- A target keyword goes into a title only where it names this product's kind and every word of it is the
  product's own (the same rule the validator applies before it asks for the keyword).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.core.seo_limits import SeoLimits
from pipeline.core.text import fold, is_all_caps
from pipeline.gates.content import FactSheet, GateFinding, check_content
from pipeline.gates.content.identity import distinctive_name, has_word, strip_suffix
from pipeline.gates.content.lexicon import COLOURS, MATERIALS, NOUNS
from pipeline.gates.content.text import STOPWORDS, stem, words
from pipeline.gates.keyword_fit import keyword_fits
from pipeline.gates.validate import contains_keyword, materials_in
from pipeline.llm.provider import Request, Response, Usage
from pipeline.stages.generate.offline_spelling import respell
from pipeline.stages.generate.offline_vocabulary import PAIR_GARMENTS, PLURALS, german_compound, modifier_at

# Bump when what the writer writes changes: the model name is part of every cached answer's key.
WRITER_VERSION = "7"
_TITLE_FINDINGS = {"duplicate_title", "near_duplicate_title", "generic_title", "variant_family_title"}
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# A title that already ends in a detail: "Hoodie - Sage", "Candle, Small", "Wall Clock (Oat)".
_SEGMENT = re.compile(r"\s[-–—|]\s|,\s|\(")
_COPY_OF = re.compile(r"^(?:copy of\s+)+", re.IGNORECASE)
_EN_SMALL = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}
# A sentence ends at . ! ? before a capital, a digit or a quote, but not after an abbreviation ("Thornbury Garden
# Co. products ...", "approx. 5 cm", "e.g. Oak"): a cut there would drop a sentence's subject.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ0-9\"“‘(¿¡])")
_ABBREVIATIONS = frozenset("co ltd inc corp st no nr approx ca e.g i.e vs dr mr mrs ms".split())
# How a locale names a material and a colour without agreeing with the noun's gender.
_MATERIAL_WORD = {"fr": "en", "de": "aus", "es": "de", "en": ""}
_COLOUR_WORD = {"fr": "coloris", "de": "", "es": "color", "en": ""}
_AND = {"fr": "et", "de": "und", "es": "y", "en": "and"}
_BY = {"en": "by", "fr": "par", "de": "von", "es": "de"}
_BY_VENDOR_ALONE = {"en": "By {vendor}", "fr": "Par {vendor}", "de": "Von {vendor}"}
# Where the catalogue files the product (its type, its category): a label, so that no claim is added.
_FILED_UNDER = {"en": "Listed under {names}.", "fr": "Rayon : {names}.", "de": "Kategorie: {names}.",
                "es": "Categoría: {names}."}


@dataclass(frozen=True)
class Written:
    """One field's outcome: the text, or None with the reason it was left as it is."""

    text: str | None
    reason: str = ""


class OfflineTemplateProvider:
    """The embedded writer (no network, no model), behind the same `complete(request)` as the OpenAI provider."""

    name = "offline"
    template_based = True

    def __init__(self, english_spelling: str = "US") -> None:
        self.model = f"offline-writer-{WRITER_VERSION}"
        self.english_spelling = english_spelling  # [generation] english_spelling: for the words it adds

    def complete(self, request: Request) -> Response:
        draft, abstained = write(request.context, english_spelling=self.english_spelling)
        return Response(text=json.dumps(draft, ensure_ascii=False), finish_reason="stop", usage=Usage(),
                        model=self.model, abstained=tuple(abstained.items()))


def write(context: Mapping[str, Any], *, english_spelling: str = "US"
          ) -> tuple[dict[str, str | None], dict[str, str]]:
    """(draft: field -> text or None, abstained: field -> why it was left alone) for one product in one locale.
    `english_spelling` ("US" or "GB"; a context's own "english_spelling" wins) spells the English words the writer
    adds; the merchant's words keep theirs."""
    writer = _Writer(context, str(context.get("english_spelling") or english_spelling))
    wanted = list(context.get("fields_to_write", ()))
    draft: dict[str, str | None] = dict.fromkeys(("title", "body_html", "seo_title", "seo_description"))
    if context.get("allow_handle"):
        draft["handle"] = None
    abstained: dict[str, str] = {}
    for name in ("title", "seo_title", "seo_description", "body_html", "handle"):
        if name not in wanted:
            continue
        outcome = writer.field(name)
        if outcome.text:
            draft[name] = outcome.text
        else:
            abstained[name] = outcome.reason
    # The writer reads its own draft with the content gates before answering: a field they would reject is
    # one it could not write well, so it is left alone (the human text stays) and the finding is the reason.
    for finding in writer.self_check(draft):
        if draft.get(finding.field) is not None:
            draft[finding.field] = None
            abstained[finding.field] = f"self-check: {finding.code}: {finding.message}"
    return draft, abstained


def compose(context: Mapping[str, Any]) -> dict[str, str | None]:
    """The draft alone (fields left alone are None)."""
    return write(context)[0]


class _Writer:
    def __init__(self, context: Mapping[str, Any], spelling: str = "US"):
        self.context = context
        self.spelling = spelling
        self.locale = str(context["locale"])
        self.lang = self.locale.split("-")[0].lower()
        self.primary = str(context.get("primary_locale") or "en").split("-")[0].lower()
        self.product: Mapping[str, Any] = context["product"]
        self.limits = SeoLimits(**context["limits"])
        self.sheet = FactSheet.from_dict(context["fact_sheet"]) if context.get("fact_sheet") else None
        self.findings = {str(f.get("code")) for f in context.get("findings") or []}
        self.repair = {(str(f.get("field")), str(f.get("code"))) for f in context.get("repair") or []}
        self.vendor = _clean(str(self.product.get("vendor") or ""))
        self.original_title = str(self.product.get("title") or "")
        self.title_text = _clean_title(self.original_title, self.primary)
        self.similar = {fold(_clean(t)) for t in context.get("similar_titles") or []}
        keywords = context.get("keywords") or {}
        self.keyword = str(keywords.get("primary") or "").strip()

    def self_check(self, draft: Mapping[str, str | None]) -> list[GateFinding]:
        written = {name: text for name, text in draft.items() if text and name != "handle"}
        if self.sheet is None or not written:
            return []
        keyword = self.keyword if self.keyword and keyword_fits(self.keyword, self.sheet, self.locale) else None
        original = None
        if self.lang == self.primary:
            original = {"title": self.original_title, "body_html": self.sheet.body_html,
                        "seo_title": self.sheet.seo_title, "seo_description": self.sheet.seo_description}
            original = {k: v for k, v in original.items() if v}
        allowed = frozenset(self.context.get("allow_dropped") or ())
        findings = [f for f in check_content(written, self.sheet, locale=self.locale, keyword=keyword,
                                             original=original, allow_dropped=allowed) if f.blocking]
        # A material word the product's own text lacks ("Jute" for seagrass): the validator's grounding rule.
        own = set(materials_in(self._own_text()))
        for name, text in written.items():
            extra = set(materials_in(text)) - own
            if extra:
                findings.append(GateFinding(code="ungrounded_material", field=name,
                                            message=f"names {', '.join(sorted(extra))}, which the product's own "
                                            "text does not"))
        return findings

    def _own_text(self) -> str:
        product = self.product
        options = product.get("options") or {}
        return " ".join([str(product.get("title") or ""), str(product.get("vendor") or ""),
                         str(product.get("product_type") or ""),
                         str(product.get("description") or ""), *(str(d) for d in product.get("details") or []),
                         *(str(t) for t in product.get("tags") or []),
                         *(f"{k} {' '.join(str(v) for v in vs)}" for k, vs in options.items())])

    def field(self, name: str) -> Written:
        if name == "handle":
            return Written(None, "kept: the offline writer never changes a URL")
        if self.lang != self.primary:
            return self._other_language(name)
        return {"title": self.title, "seo_title": self.seo_title, "seo_description": self.seo_description,
                "body_html": self.body_html}[name]()

    # -- the catalogue's own language ---------------------------------------------------------------------------
    def title(self) -> Written:
        text = self._primary_title()
        if text.text is None:
            return text
        if not self.limits.title_fits(text.text):
            return Written(None, "too long: shortening a title needs a language model")
        if text.text == self.original_title:
            return Written(None, "kept: nothing in the title the offline writer can improve")
        return text

    def _primary_title(self) -> Written:
        """The title as it should read: cleaned, carrying the keyword where it fits, told apart from look-alikes."""
        base = self._keyworded(self.title_text)
        if base is None:
            return Written(None, f"keyword not placed: '{self.keyword}' names this product, but the offline writer "
                                 "cannot work it into the title naturally")
        if not self._needs_distinguishing():
            return Written(base)
        repaired = any(field in ("title", "seo_title") for field, _ in self.repair)
        if not repaired and self._keyword_distinguishes(base):
            return Written(base)  # "Nova Full-Zip Heather Oat Fleece" is told apart already: no "– Polyester"
        if _SEGMENT.search(base):
            # "Oversized Hoodie - Sage" names its detail already; "… - Sage – Polyester" would read as a list, so
            # the title stays as it is (and the SEO title is still made from it).
            return Written(base)
        detail = self._distinguishing_value(base, skip=int(self._keyword_distinguishes(base)))
        if not detail:
            return Written(None, "no detail: nothing the whole product shares tells this title apart from "
                                 "similar titles (a variant's colour or size is not the product's)")
        return Written(f"{base} – {detail}")

    def _keyword_distinguishes(self, base: str) -> bool:
        """The keyword's words, put into the title, already tell it apart from the similar titles."""
        return base != self.title_text and fold(base) not in self.similar

    def _needs_distinguishing(self) -> bool:
        asked = bool(self.findings & _TITLE_FINDINGS) or any(code in _TITLE_FINDINGS for _, code in self.repair)
        return asked or fold(self.title_text) in self.similar

    def _distinguishing_value(self, title: str, skip: int = 0) -> str:
        """A value the whole product has and its title lacks: a one-value option, a material of the whole, the
        vendor; a repair round (the first choice was taken by another product) takes the next one, counting from
        the round that first appended one (`skip`: rounds that did not)."""
        if self.sheet is None:
            return ""
        values = [o.values[0] for o in self.sheet.options if o.level == "product"]
        own = materials_in(self._own_text())
        values += [_capital(word) for concept, scopes in self.sheet.materials.items() if "whole" in scopes
                   for word in [_surface(MATERIALS, concept, self.lang)] if word and word in own.values()]
        values += [self.vendor] if self.vendor else []
        values = [v for v in dict.fromkeys(values) if v and not has_word(title, v)]
        attempt = max(0, int(self.context.get("attempt") or 0) - skip)
        return values[attempt] if attempt < len(values) else ""

    def seo_title(self) -> Written:
        title = self._primary_title()
        if title.text is None:
            return Written(None, title.reason)
        candidates = self._with_keyword(title.text) + self._branded(title.text)
        candidates += self._branded(self._first_segment(title.text))
        current = _clean(str(self.product.get("current_seo_title") or ""))
        for candidate in candidates:
            if self.limits.seo_title_fits(candidate):
                if candidate == current:
                    return Written(None, "kept: the SEO title already reads this way")
                return Written(candidate)
        return Written(None, "too long: the title does not fit an SEO title, and shortening it needs a "
                             "language model")

    def _first_segment(self, title: str) -> str:
        """'Expandable Garden Hose - BEST HOSE EVER - …' -> 'Expandable Garden Hose': the part before the first
        dash, bar or comma, when it still names the product's kind (else the title itself)."""
        head = self.sheet.head_word if self.sheet else ""
        first = re.split(r"\s[-–—|]\s|,\s", title, maxsplit=1)[0].strip()
        return first if first != title and head and has_word(first, head) else title

    def _keyword_fits(self) -> bool:
        return bool(self.keyword) and self.sheet is not None and keyword_fits(self.keyword, self.sheet, self.locale)

    def _keyworded(self, title: str) -> str | None:
        """The title with the keyword's describing words put before its noun ("Bosted Desk Lamp" + "brass desk
        lamp" -> "Bosted Brass Desk Lamp"); the title itself when no keyword is asked of it; None when the
        keyword names the product but cannot be placed that way."""
        if not self._keyword_fits() or contains_keyword(title, self.keyword, self.locale):
            return title
        keyword_words = _WORD.findall(self.keyword)
        nouns = NOUNS.find(self.keyword, self.lang)
        if not nouns:
            return None
        head = " ".join(keyword_words[nouns[-1].start:nouns[-1].end])
        tail = keyword_words[nouns[-1].end:]
        match = re.search(rf"(?<![\w-]){re.escape(head)}", title, re.IGNORECASE) if not tail else None
        if match is None:
            head_word = self.sheet.head_word if self.sheet else ""
            match = re.search(rf"(?<![\w-]){re.escape(head_word)}", title, re.IGNORECASE) if head_word else None
        if match is None or tail:
            return None
        stop = STOPWORDS.get(self.lang, frozenset())
        modifiers = [w for w in keyword_words[:nouns[-1].start] if not has_word(title, w) and w.lower() not in stop]
        if not modifiers:
            return None
        words_in = " ".join(_title_case(w, self.lang) if self.lang == "en" else w for w in modifiers)
        placed = f"{title[:match.start()]}{words_in} {title[match.start():]}".strip()
        return placed if contains_keyword(placed, self.keyword, self.locale) else None

    def _with_keyword(self, title: str) -> list[str]:
        """'<Keyword> – <name>' when the keyword names this product and the title does not already say it."""
        if not self._keyword_fits() or self.sheet is None:
            return []
        if contains_keyword(title, self.keyword, self.locale):
            return []
        keyword = _title_case(self.keyword, self.lang)
        name = " ".join(self.sheet.name) if self.lang == self.primary else ""
        named = [f"{keyword} – {name}"] if name and not has_word(keyword, name) else []
        return [*named, *self._branded(keyword)]

    def _branded(self, text: str) -> list[str]:
        """The text with ' | Vendor' when the vendor adds a name the text and the theme suffix lack."""
        vendor = self.vendor
        if vendor and not has_word(text, vendor) and not has_word(self.limits.title_suffix, vendor):
            return [f"{text} | {vendor}", text]
        return [text]

    def seo_description(self) -> Written:
        low, high = self.limits.seo_description_min_chars, self.limits.seo_description_max_chars
        sentences = self._own_sentences()
        shared = ("seo_description", "near_duplicate") in self.repair
        if shared:
            # Boilerplate shared with other products: sentences about this product, then the others past the
            # ones already tried, led by the product's own title (which no other product has).
            attempt = int(self.context.get("attempt") or 1)
            specific = [x for x in sentences if self._is_specific(x)]
            sentences = specific + [x for x in sentences if x not in specific][attempt:]
        picked: list[str] = []
        for sentence in sentences:
            candidate = " ".join([*picked, sentence])
            if not self.limits.seo_description_fits(candidate):
                break
            picked.append(sentence)
            if len(candidate) >= low:
                break
        text = " ".join(picked)
        if not text and sentences:  # one long first sentence: cut at a word, as a search result would
            text = _cut(sentences[0], high, self.limits.seo_description_fits)
        if shared and text and not has_word(text, self.title_text):
            led = f"{self.title_text}: {text}"
            text = led if self.limits.seo_description_fits(led) else _cut(led, high, self.limits.seo_description_fits)
        own = text
        if len(text) < low:
            lead = f"{self.title_text}: {text}" if text else ""
            if lead and self.limits.seo_description_fits(lead) and not has_word(text, self.title_text):
                text = lead
        if len(text) < low:  # little or no description: what the product's data says, in its own words
            data, longest = self._from_data(text, own)
            if not data and not self._own_sentences():
                return Written(None, f"too little data: no description, and the title, vendor, options and "
                                     f"category make {longest} characters, under the {low} a meta description "
                                     "needs (the offline writer does not pad)")
            text = data or text
        if len(text) < low or len(text) > high:
            return Written(None, "no source text: the description's own sentences do not make a meta description "
                                 f"of {low}-{high} characters")
        current = _clean(str(self.product.get("current_seo_description") or ""))
        if text == current:
            return Written(None, "kept: the meta description already reads this way")
        return Written(text)

    def _from_data(self, lead: str, own: str) -> tuple[str, int]:
        """A meta description from the product's data when its description alone is too short: the lead (the
        description's sentences, or 'Seed Tray by GreenThumb.'), every option with all its values (a range, never
        one variant's value as the product's), then, only when still short, who makes it and where the catalogue
        files it ('Listed under Gifts and Necklaces.'). Every word is the merchant's or a label. `lead` may be led
        by the title ('Seed Tray: ...'), `own` is the description's sentences alone. Returns (the text or "" when
        even that stays under the minimum, the longest length reached)."""
        low = self.limits.seo_description_min_chars
        identity = self._identity()
        options = self._option_sentences()
        tries = [[lead or identity, *options]]
        if own and self.vendor and not has_word(own, self.vendor):
            # Who makes it, in the merchant's words: before sentences that do not open with the title, after
            # ones that do (the title is not said twice).
            by_vendor = _BY_VENDOR_ALONE.get(self.lang, "")
            if not fold(own).startswith(fold(self.title_text)):
                tries.append([identity, own, *options])
            elif by_vendor:
                tries.append([own, _full_stop(by_vendor.format(vendor=self.vendor)), *options])
        filed = self._filed_under(" ".join(tries[-1]))
        if filed:
            tries.append([*tries[-1], filed])
        longest = 0
        for parts in tries:
            text = " ".join(p for p in parts if p)
            if len(text) >= low and self.limits.seo_description_fits(text):
                return text, len(text)
            longest = max(longest, len(text))
        return "", longest

    def _identity(self) -> str:
        """'Seed Tray by GreenThumb.': the title and, when the title does not name it, the vendor."""
        by = _BY.get(self.lang, "")
        if self.vendor and by and not has_word(self.title_text, self.vendor):
            return _full_stop(f"{self.title_text} {by} {self.vendor}")
        return _full_stop(self.title_text)

    def _option_sentences(self) -> list[str]:
        """'Size: 24-cell, 40-cell.': each option with all its values, in the merchant's words."""
        parts = []
        for option in self.sheet.options if self.sheet else ():
            if len(option.values) <= 6:
                parts.append(f"{option.name}: {', '.join(option.values)}.")
            elif option.kind == "size":  # a long size run reads as its ends
                parts.append(f"{option.name}: {option.values[0]}–{option.values[-1]}.")
        return parts

    def _filed_under(self, text: str) -> str:
        """'Listed under Gifts and Necklaces.': the merchant's product type and (in English, the language of the
        standard taxonomy's names in an export) the category, each only when the text does not already say it.
        A type that is a price band or a code ('Under £50') is not a place in a catalogue a reader would name."""
        label = _FILED_UNDER.get(self.lang)
        if not label:
            return ""
        names = [_clean(str(self.product.get("product_type") or ""))]
        if self.lang == "en":
            names.append(respell(_clean(str(self.product.get("category") or "")), self.spelling))
        names = [n for n in names if n and not re.search(r"[\d£$€¥%]", n)]
        # The shorter of two names one of which holds the other ("Bath Mats", "Bath Mats & Rugs") says nothing more.
        names = [n for n in names if not any(o != n and has_word(o, n) for o in names)]
        shown = [n for n in dict.fromkeys(names) if not has_word(text, n)]
        if not shown:
            return ""
        return label.format(names=_join(shown, _AND[self.lang]))

    def _is_proper_name(self, word: str) -> bool:
        """A word the merchant writes as a name: a model code, or capitalised inside a sentence of the
        description ("our Nova fleece"). "Packable" or "Dome" is an English word that would stay English."""
        if any(c.isdigit() for c in word):
            return True
        description = str(self.product.get("description") or "")
        return re.search(rf"(?<=[a-z,;]) {re.escape(word)}\b", description) is not None

    def _is_specific(self, sentence: str) -> bool:
        """A sentence that names this product (its name or its noun), not one any product could carry."""
        if self.sheet is None:
            return False
        marks = [*self.sheet.name, self.sheet.head_word]
        return any(mark and has_word(sentence, mark) for mark in marks)

    def _own_sentences(self) -> list[str]:
        """The description's sentences, then its list items as sentences, as the merchant wrote them."""
        description = _clean(str(self.product.get("description") or ""))
        out = [s for s in _sentences(description) if s and not s.endswith("...")]
        for item in self.product.get("details") or []:
            item = _clean(str(item))
            if item and item not in description:
                out.append(item if item[-1] in ".!?" else item + ".")
        out = [s for s in out if not _shouts(s)]
        # Sentences about this product first: a brand line any product could carry makes a poor snippet.
        return [s for s in out if self._is_specific(s)] + [s for s in out if not self._is_specific(s)]

    def body_html(self) -> Written:
        if strip_text(str(self.product.get("description") or "")) or self.product.get("details"):
            return Written(None, "kept: the merchant's description stays; rewriting it needs a language model "
                                 "(set OPENAI_API_KEY)")
        return Written(None, "no source text: the description is empty, and the offline writer does not "
                             "invent one")

    # -- another language -------------------------------------------------------------------------------------
    def _other_language(self, name: str) -> Written:
        if name in ("body_html", "seo_description"):
            return Written(None, f"no {self.lang} writer: the offline writer does not translate running text")
        if self._needs_distinguishing():
            return Written(None, "no detail: the title is shared with similar products, and the offline writer "
                                 "does not translate what would tell it apart")
        title = self._localised_title()
        if title.text is None:
            return title
        if self.keyword and self.sheet and keyword_fits(self.keyword, self.sheet, self.locale) \
                and not contains_keyword(title.text, self.keyword, self.locale):
            return Written(None, f"keyword not placed: '{self.keyword}' names this product, but the offline writer "
                                 "cannot work it into the title naturally")
        if name == "title":
            return title if self.limits.title_fits(title.text) else Written(None, "too long in " + self.lang)
        for candidate in self._branded(title.text):
            if self.limits.seo_title_fits(candidate):
                return Written(candidate)
        return Written(None, f"too long in {self.lang}")

    def _localised_title(self) -> Written:
        """The title rebuilt in the locale from words the vocabulary has, or why it cannot be."""
        if self.sheet is None or self.sheet.head_noun is None:
            return Written(None, f"no {self.lang} vocabulary: the product's kind is not a noun the offline writer "
                                 "knows")
        main = strip_suffix(self.title_text)
        tokens = tuple(_WORD.findall(main))
        folded = tuple(fold(t) for t in tokens)
        names = {fold(w) for w in distinctive_name(main, self.vendor, [], self.primary)}
        covered: dict[int, tuple[str, str]] = {}
        said: dict[str, str] = {}  # concept -> the words the title names it with
        for kind, lexicon in (("noun", NOUNS), ("material", MATERIALS), ("colour", COLOURS)):
            for match in lexicon.find_words(folded, self.primary):
                said.setdefault(match.concept, " ".join(folded[match.start:match.end]))
                for i in range(match.start, match.end):
                    covered.setdefault(i, (kind, match.concept))
        stop = STOPWORDS.get(self.primary, frozenset())
        parts: dict[str, list[str]] = {"noun": [], "material": [], "colour": []}
        name_words: list[str] = []
        modifiers: list[str] = []  # phrases in the locale, in title order
        i = 0
        while i < len(tokens):
            token, key = tokens[i], folded[i]
            modifier = modifier_at(folded, i) if i not in covered else None
            if i in covered:
                kind, concept = covered[i]
                if concept not in parts[kind]:
                    parts[kind].append(concept)
            elif modifier is not None and self.lang in modifier[1]:
                modifiers.append(modifier[1][self.lang])
                i += modifier[0]
                continue
            elif key in fold(self.vendor).split() or (key in names and self._is_proper_name(token)):
                name_words.append(token)
            elif key in stop or token in "&+":
                pass
            else:
                return Written(None, f"no {self.lang} vocabulary: no word for '{token}' in '{main}'")
            i += 1
        if len(parts["noun"]) != 1 or parts["noun"][0] != self.sheet.head_noun:
            return Written(None, f"no {self.lang} vocabulary: '{main}' names its kind in words the offline writer "
                                 "cannot rebuild")
        plural = _plural(tokens, covered, self.primary)
        concept = parts["noun"][0]
        if plural and concept not in PLURALS and concept not in PAIR_GARMENTS:
            return Written(None, f"no {self.lang} plural: '{main}' names several items")
        def local(lexicon: Any, concept: str) -> str:
            source = said.get(concept, "")
            if _is_canonical(lexicon, concept, source, self.primary):
                return _surface(lexicon, concept, self.lang)
            return "" if lexicon is NOUNS else _surface(lexicon, concept, self.lang, source=source,
                                                        source_lang=self.primary)

        noun = local(NOUNS, concept)
        if noun and plural and concept in PLURALS:
            noun = PLURALS[concept].get(self.lang, "")
        materials = [local(MATERIALS, c) for c in parts["material"]]
        colours = [local(COLOURS, c) for c in parts["colour"]]
        if not noun or not all(materials) or not all(colours) or len(colours) > 1:
            return Written(None, f"no {self.lang} vocabulary: a word of '{main}' has no {self.lang} form that "
                                 "reads back as the same thing")
        if any(c not in self.sheet.materials or "whole" not in self.sheet.materials[c] for c in parts["material"]):
            return Written(None, f"scoped material: '{main}' names a material the product has only in a part")
        if modifiers and self.lang not in ("fr", "de", "es"):
            return Written(None, f"no {self.lang} vocabulary: no {self.lang} phrase for the words of '{main}'")
        compound = None
        if self.lang == "de" and len(parts["material"]) == 1:  # "Silberkette", not "Kette aus Silber"
            compound = _german_compound(concept, parts["material"][0], plural=plural and concept in PLURALS)
        if self.lang == "en":  # the vocabulary's words, not the merchant's: spelt as [generation] asks
            noun, materials, colours = (respell(noun, self.spelling), [respell(m, self.spelling) for m in materials],
                                        [respell(c, self.spelling) for c in colours])
        text = _localised(self.lang, noun, " ".join(name_words), materials, colours, modifiers)
        if compound:
            joined = _localised(self.lang, compound, " ".join(name_words), [], colours, modifiers)
            # The phrase stays where the keyword asked of the title reads only in it ("Gürtel" in "gürtel braun").
            if not self._keyword_fits() or contains_keyword(joined, self.keyword, self.locale):
                text = joined
        missing = [w for w in self.sheet.name if not has_word(text, w)]
        if missing:
            return Written(None, f"name lost: the {self.lang} title would not keep '{' '.join(missing)}'")
        return Written(text)


def _localised(lang: str, noun: str, name: str, materials: Sequence[str], colours: Sequence[str],
               modifiers: Sequence[str] = ()) -> str:
    """'Chaussettes de randonnée Fell en laine mérinos', 'Jacke Nova mit Kapuze aus Baumwolle, Schwarz',
    'Nova Cotton Jacket, Black': the noun first, then (fr, es) what it is for and the name, or (de) the name
    and what it is for, then the material and the colour, each in a form that needs no agreement."""
    german = lang == "de"
    # German capitalises every noun, each part of a hyphenated one too ("Bio-Baumwolle").
    noun = " ".join(_capital_parts(w) for w in noun.split()) if german else _capital(noun)
    mats = [_capital_parts(m) if german else m for m in materials]
    if lang == "en" or lang not in _MATERIAL_WORD:
        text = " ".join(w for w in [name, " ".join(_capital(m) for m in mats), noun] if w)
    else:
        order = [noun, name, *modifiers] if german else [noun, *modifiers, name]
        text = " ".join(w for w in order if w)
        if mats:
            text += f" {_MATERIAL_WORD[lang]} {_join(mats, _AND[lang])}"
    if colours:
        colour = _capital(colours[0]) if german or lang == "en" else colours[0]
        text += ", " + " ".join(w for w in [_COLOUR_WORD.get(lang, ""), colour] if w)
    return text


def _german_compound(noun_concept: str, material_concept: str, *, plural: bool) -> str | None:
    """The vocabulary's compound for this noun and material, when the content gates read it back as both (else
    the title keeps the phrase "aus ...")."""
    compound = german_compound(noun_concept, material_concept, plural=plural)
    if compound is None:
        return None
    nouns, materials = NOUNS.find(compound, "de"), MATERIALS.find(compound, "de")
    if [m.concept for m in nouns] == [noun_concept] and [m.concept for m in materials] == [material_concept]:
        return compound
    return None


def _is_canonical(lexicon: Any, concept: str, source: str, lang: str) -> bool:
    """The title names the concept by its main word, not by one of the narrower words grouped under it (the
    vocabulary files "bookcase" under "shelf": its German word would say "Wandregal", not "Bücherregal")."""
    forms = lexicon.surface.get(lang, {}).get(concept) or []
    return bool(forms) and [stem(w, lang) for w in words(source)] == [stem(w, lang) for w in words(str(forms[0]))]


def _plural(tokens: Sequence[str], covered: Mapping[int, tuple[str, str]], lang: str) -> bool:
    """The noun is written in the plural ('Socks', 'Earrings'): its singular surface would name one item."""
    nouns = [tokens[i] for i, (kind, _) in covered.items() if kind == "noun"]
    return lang == "en" and any(n.lower().endswith("s") and not n.lower().endswith("ss") for n in nouns[-1:])


def _surface(lexicon: Any, concept: str, lang: str, *, source: str = "", source_lang: str = "en") -> str:
    """The locale's word for a concept that reads back as the same concept (German "Uhr" reads as a watch, so
    a wall clock is a "Wanduhr"); "" when no form does. A concept that groups several words (jute, seagrass,
    sisal) is named by the word in the same place as the source's ("seagrass" -> "Seegras") where the rows
    list their words one for one, and not at all where they do not."""
    forms = list(lexicon.surface.get(lang, {}).get(concept) or [])
    source_forms = [fold(f) for f in lexicon.surface.get(source_lang, {}).get(concept) or []]
    if source:  # only where the two rows list the same number of words, one for one
        place = source_forms.index(fold(source)) if fold(source) in source_forms else -1
        forms = forms[place:place + 1] if place >= 0 and len(forms) == len(source_forms) else []
    for form in forms:
        found = lexicon.find(str(form), lang)
        if len(found) == 1 and found[0].concept == concept:
            return str(form)
    return ""


# Emoji and pictographs; not ™ ® ©, which are the merchant's marks.
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\uFE0F]")


def _shouts(sentence: str) -> bool:
    """'The perfect gift!! 💜': fine on a product page, not in a search result under the shop's name."""
    return "!!" in sentence or _EMOJI.search(sentence) is not None


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        piece = text[start:match.start()]
        last_word = piece.rsplit(None, 1)[-1].rstrip(".!?").lower() if piece.strip() else ""
        if last_word in _ABBREVIATIONS:  # "Co. Products" would be one sentence cut in two
            continue
        out.append(text[start:match.start()].strip())
        start = match.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def _cut(sentence: str, high: int, fits: Any) -> str:
    """The sentence cut at the last whole word that fits, with an ellipsis ("" when not even a few words do)."""
    words_ = sentence.split()
    for n in range(len(words_) - 1, 3, -1):
        text = " ".join(words_[:n]).rstrip(",;:–-") + "…"
        if len(text) <= high and fits(text):
            return text
    return ""


def _clean(text: str) -> str:
    return " ".join(html.unescape(text).split())


def _clean_title(title: str, lang: str) -> str:
    """HTML entities decoded, whitespace single, capitals turned to title case (a model code stays as it is)."""
    text = _COPY_OF.sub("", _clean(title))  # Shopify names a duplicated product "Copy of ..."
    if is_all_caps(text):
        text = _title_case(text.lower(), lang, keep_codes_from=text)
    return text


def _title_case(text: str, lang: str, keep_codes_from: str = "") -> str:
    codes = {w.lower(): w for w in keep_codes_from.split() if any(c.isdigit() for c in w)}
    out = []
    for i, word in enumerate(text.split()):
        if word.lower() in codes:
            out.append(codes[word.lower()])
        elif lang == "en" and i and word.lower() in _EN_SMALL:
            out.append(word.lower())
        elif lang in ("fr", "es") and i:
            out.append(word)
        elif lang == "en":  # "Mid-Century", "Full-Zip": each part of a hyphenated word, as English titles do
            out.append("-".join(_capital(part) for part in word.split("-")))
        else:
            out.append(_capital(word))
    return " ".join(out)


def strip_text(text: str) -> str:
    return " ".join(text.split())


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _capital_parts(word: str) -> str:
    return "-".join(_capital(part) for part in word.split("-"))


def _full_stop(text: str) -> str:
    """The sentence with one full stop ("Saltmarsh Linen Co." keeps its own)."""
    return text if text[-1:] in ".!?" else text + "."


def _join(items: Sequence[str], and_word: str) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {and_word} {items[-1]}"
