"""A model-shaped writer for the test doubles: what the OpenAI-compatible test server answers.

It was the pipeline's first offline writer: it fills every template slot for every product (keyword-led titles,
phrase-bank bodies), which is what a language model's answers look like in shape and in their failure modes
(search-talk, filler, dropped facts). The gates must catch its bad drafts; the pipeline's own offline writer is
pipeline/stages/generate/offline_writer.py, which writes only what it can write well.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pipeline.core.seo_limits import SeoLimits
from pipeline.core.text import handleize
from pipeline.core.vocabulary import find_terms as _find_terms
from pipeline.core.vocabulary import translate_term
from pipeline.gates.validate import claims_in, materials_in
from pipeline.llm.provider import Request, Response, Usage
from tests.fakes.model_phrases import LABELS, PHRASES

# Changing a phrase bank changes this version, so cached offline answers are not reused after an edit.
PHRASES_VERSION = hashlib.sha256(json.dumps([PHRASES, LABELS], sort_keys=True).encode()).hexdigest()[:10]
# Audit findings that mean the product's own description cannot be reused as it stands.
_OWN_TEXT_UNUSABLE = {"shared_description", "exact_duplicate_description", "near_duplicate_description",
                      "empty_description"}
# Repair findings that reused sentences of the product's own description could have caused.
_OWN_TEXT_TROUBLE = {"near_duplicate", "wrong_language", "banned_word", "model_text", "ungrounded_number",
                     "ungrounded_material", "ungrounded_claim", "too_long"}
_EN_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}
_DE_LOWER = {"und", "mit", "für", "aus", "in", "im", "von", "zu", "zum", "zur", "der", "die", "das", "ein", "eine",
             "x", "oder"}


@functools.lru_cache(maxsize=4096)
def find_terms(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(_find_terms(text))


class ModelDouble:
    """A provider that writes every asked field, as a model does: for tests of the generate stage's mechanics
    (caching, re-runs, repairs, handles) that need drafts in every field. No cost, no network."""

    name = "model-double"
    template_based = True

    def __init__(self) -> None:
        self.model = f"model-double-{PHRASES_VERSION}"

    def complete(self, request: Request) -> Response:
        draft = compose(request.context)
        return Response(text=json.dumps(draft, ensure_ascii=False), finish_reason="stop", usage=Usage(),
                        model=self.model)


def compose(context: Mapping[str, Any]) -> dict[str, str | None]:
    """A draft (field -> text, None for fields left alone) for one product in one locale."""
    writer = _Writer(context)
    wanted = set(context.get("fields_to_write", ()))
    draft: dict[str, str | None] = dict.fromkeys(("title", "body_html", "seo_title", "seo_description"))
    if context.get("allow_handle"):
        draft["handle"] = None
    if "title" in wanted:
        draft["title"] = writer.title()
    if "seo_title" in wanted:
        draft["seo_title"] = writer.seo_title()
    if "seo_description" in wanted:
        draft["seo_description"] = writer.meta_description()
    if "body_html" in wanted:
        draft["body_html"] = writer.body_html()
    if "handle" in wanted and context.get("allow_handle"):
        draft["handle"] = writer.handle()
    return draft


class _Writer:
    def __init__(self, context: Mapping[str, Any]):
        self.context = context
        self.locale = str(context["locale"])
        self.lang = self.locale.split("-")[0].lower()
        self.bank = PHRASES.get(self.lang, PHRASES["en"])
        self.labels = LABELS.get(self.lang, LABELS["en"])
        self.product: Mapping[str, Any] = context["product"]
        self.limits = SeoLimits(**context["limits"])
        self.attempt = int(context.get("attempt", 0))
        repair = context.get("repair") or []
        self.repair_codes = {(f["field"], f["code"]) for f in repair}
        keywords = context.get("keywords") or {}
        self.vendor = str(self.product.get("vendor") or "").strip()
        terms = find_terms(" ".join([str(self.product.get("product_type") or ""), str(self.product.get("title"))]))
        type_terms = [t for kind, t in terms if kind == "type"]
        self.type_en = type_terms[0] if type_terms else str(self.product.get("product_type") or "").lower()
        self.type = translate_term(self.type_en, self.lang) if self.type_en else ""
        self.keyword = str(keywords.get("primary") or "").strip() or self.type or str(self.product.get("title"))
        own_text = json.dumps(self.product, ensure_ascii=False)
        self.secondary = [str(k) for k in keywords.get("secondary") or [] if str(k).strip()
                          and _states_nothing_new(str(k), own_text)]
        findings = {f.get("code") for f in context.get("findings") or []}
        title = str(self.product.get("title") or "")
        self.model = "" if "generic_title" in findings else _model_name(title, terms)
        self.model = self.model or _name_from_description(str(self.product.get("description") or ""))
        self.name = self.model or self.type or self.keyword
        same_language = self.lang == str(context.get("primary_locale", "en")).split("-")[0]
        text_trouble = any(code in _OWN_TEXT_TROUBLE for _, code in self.repair_codes)
        self.own_text_usable = same_language and not (findings & _OWN_TEXT_UNUSABLE) and not text_trouble
        self.avoid_titles = {_fold(t) for t in context.get("similar_titles") or []}
        self.seed = f"{self.product.get('id')}|{self.locale}|{self.attempt}"

    # -- picking ----------------------------------------------------------------------------------------------
    def _rotation(self, options: Sequence[str], slot: str) -> list[str]:
        start = int(hashlib.sha256(f"{self.seed}|{slot}".encode()).hexdigest(), 16) % max(len(options), 1)
        return list(options[start:]) + list(options[:start])

    def _fill(self, phrase: str, **extra: str) -> str:
        keyword2 = self.secondary[0] if self.secondary else self.keyword
        keyword = self._title_case(self.keyword) if self.lang == "de" else self.keyword
        values = {"name": self.name, "Name": _capital(self.model), "vendor": self.vendor, "kw": keyword,
                  "Kw": self._title_case(self.keyword), "a_kw": _with_article(self.keyword), "kw2": keyword2,
                  "a_kw2": _with_article(keyword2), "type": self._noun(self.type), **extra}
        text = phrase.format(**values)
        return re.sub(r"\s+", " ", re.sub(r"\s+([,.])", r"\1", text)).strip(" –|:")

    def _noun(self, text: str) -> str:
        """German capitalises nouns; the vocabulary's types, materials and rooms are nouns."""
        return self._title_case(text) if self.lang == "de" else text

    def _label(self, label: str, value: str) -> str:
        return f"{label} : {value}" if self.lang == "fr" else f"{label}: {value}"

    def _title_case(self, text: str) -> str:
        if self.lang == "en":
            return " ".join(w if i and w in _EN_SMALL_WORDS else _capital(w) for i, w in enumerate(text.split()))
        if self.lang == "de":
            return " ".join(w if i and w in _DE_LOWER else _capital(w) for i, w in enumerate(text.split()))
        return _capital(text)

    def _distinguishers(self) -> list[str]:
        options = self.product.get("options") or {}
        found = [values[0] for values in options.values() if values]
        skus = self.product.get("skus") or []
        return found + ([skus[0]] if skus else []) + ([self.vendor] if self.vendor else [])

    def _first_fitting(self, candidates: Sequence[str], fits: Callable[[str], bool], field: str) -> str:
        duplicate = (field, "duplicate_title") in self.repair_codes or self.attempt and field == "title"
        ordered = [c for c in dict.fromkeys(candidates) if c]
        if duplicate or any(_fold(c) in self.avoid_titles for c in ordered[:1]):
            extras = self._distinguishers()[self.attempt - 1 if self.attempt else 0:]
            ordered = [f"{c} – {d}" for d in extras for c in ordered if d.lower() not in c.lower()] + ordered
        for candidate in ordered:
            if fits(candidate) and _fold(candidate) not in self.avoid_titles:
                return candidate
        return min(ordered, key=len)

    # -- fields -----------------------------------------------------------------------------------------------
    def title(self) -> str:
        candidates = [self._fill(p) for p in self.bank["title"]]
        return self._first_fitting(candidates, self.limits.title_fits, "title")

    def seo_title(self) -> str:
        candidates = [self._fill(p) for p in self.bank["seo_title"]]
        return self._first_fitting(candidates, self.limits.seo_title_fits, "seo_title")

    def meta_description(self) -> str:
        low, high = self.limits.seo_description_min_chars, self.limits.seo_description_max_chars
        details = []
        materials = self._materials()
        if materials:
            details += [self._fill(p, materials=materials) for p in self.bank["meta_material"]]
        for values in self._option_phrases()[:2]:
            details.append(self._fill(self._rotation(self.bank["meta_options"], f"mo{values}")[0], values=values))
        leads = [self._fill(p) for p in self._rotation(self.bank["meta_lead"], "ml")]
        ctas = self._rotation(self.bank["meta_cta"], "mc")
        best = ""
        for lead in leads:
            for take in range(len(details), -1, -1):
                for cta in ctas:
                    text = " ".join([lead, *details[:take], cta])
                    if self.limits.seo_description_fits(text):
                        if len(text) >= low:
                            return text
                        best = best or text
        return best or leads[0][:high]

    def body_html(self) -> str:
        paragraphs: list[list[str]] = []
        lead = [self._fill(self._rotation(self.bank["lead"], "lead")[0])]
        if self.own_text_usable:
            lead += self._own_sentences(limit_words=110)
        else:
            lead.append(self._fill(self._rotation(self.bank["describe"], "describe")[0]))
        paragraphs.append(lead)
        middle = []
        materials = self._materials()
        if materials and not self.own_text_usable:
            middle.append(self._fill(self._rotation(self.bank["material"], "material")[0], materials=materials))
        option_phrases = self._option_phrases()
        if option_phrases:
            middle.append(self._fill(self._rotation(self.bank["options"], "options")[0],
                                     values=option_phrases[0]))
        rooms = self._rooms()
        if rooms and not self.own_text_usable:
            middle.append(self._fill(self._rotation(self.bank["room"], "room")[0], room=rooms))
        if middle:
            paragraphs.append(middle)
        closing = []
        if self.secondary:
            closing.append(self._fill(self._rotation(self.bank["secondary"], "secondary")[0]))
        closing.append(self._fill(self._rotation(self.bank["closing"], "closing")[0]))
        facts = self._facts_list()
        count = self.limits.description_words
        words = sum(count(s) for p in paragraphs + [closing] for s in p) + sum(count(f) for f in facts)
        for extra in self._rotation(self.bank["extra"], "extra"):
            if words >= self.limits.body_min_words + 8:
                break
            closing.insert(0, self._fill(extra))
            words += count(closing[0])
        html = [f"<p>{_escape(' '.join(p))}</p>" for p in paragraphs]
        if facts:
            html.append("<ul>" + "".join(f"<li>{_escape(item)}</li>" for item in facts) + "</ul>")
        html.append(f"<p>{_escape(' '.join(closing))}</p>")
        return "".join(html)

    def handle(self) -> str:
        base = handleize(f"{self.keyword} {self.name}" if _fold(self.name) not in _fold(self.keyword) else self.keyword)
        if self.attempt:
            extras = [handleize(d) for d in self._distinguishers()]
            base = f"{base}-{extras[(self.attempt - 1) % len(extras)]}" if extras else f"{base}-{self.attempt + 1}"
        return base[:200].strip("-")

    # -- facts in the locale's words --------------------------------------------------------------------------
    def _materials(self) -> str:
        # The validators' own material list decides what counts as a material, so what is named here is what
        # grounding will find in the product's data.
        text = " ".join([str(self.product.get("title") or ""), *(self.product.get("details") or []),
                         *(self.product.get("tags") or [])])
        found = list(dict.fromkeys(self._noun(translate_term(m, self.lang)) for m in materials_in(text)))
        return _join(found[:3], self.labels["and"])

    def _rooms(self) -> str:
        text = " ".join([*(self.product.get("tags") or []), str(self.product.get("title") or "")])
        found = list(dict.fromkeys(self._noun(translate_term(t, self.lang)) for kind, t in find_terms(text)
                                   if kind == "room"))
        return _join(found[:2], self.labels["and"])

    def _option_values(self) -> list[tuple[str, list[str]]]:
        out = []
        for name, values in (self.product.get("options") or {}).items():
            label = self.labels.get(str(name).lower(), str(name))
            out.append((label, [_translated_value(v, self.lang) for v in values]))
        return out

    def _option_phrases(self) -> list[str]:
        return [f"{_join(values[:6], self.labels['and'])} ({label.lower()})" if self.lang != "de" else
                f"{_join(values[:6], self.labels['and'])} ({label})" for label, values in self._option_values()]

    def _facts_list(self) -> list[str]:
        items = []
        if self.own_text_usable:
            items += [b for b in self.product.get("details") or [] if len(b) < 160][:6]
        else:
            materials = self._materials()
            if materials:
                items.append(self._label(self.labels["material"], materials))
            for label, values in self._option_values():
                items.append(self._label(label, ", ".join(values[:8])))
            rooms = self._rooms()
            if rooms:
                items.append(self._label(self.labels["room"], rooms))
        if self.type:
            items.append(self._label(self.labels["type"], self._noun(self.type)))
        if self.vendor:
            items.append(self._label(self.labels["brand"], self.vendor))
        skus = self.product.get("skus") or []
        if skus and (not self.own_text_usable or self.attempt):
            items.append(self._label(self.labels["sku"], skus[0]))
        return items

    def _own_sentences(self, limit_words: int) -> list[str]:
        picked, count = [], 0
        for sentence in re.split(r"(?<=[.!?])\s+", str(self.product.get("description") or "")):
            words = len(sentence.split())
            if not words or sentence.endswith("..."):
                continue
            if count + words > limit_words:
                break
            picked.append(sentence)
            count += words
        return picked


def _model_name(title: str, terms: Sequence[tuple[str, str]]) -> str:
    """The part of a title that names the model: 'Noette Linen Sheet Set' -> 'Noette'; a code is no name."""
    if title.isupper():
        title = title.title()
    drop = {w for _, term in terms for w in term.split()}
    kept = []
    for word in title.split():
        bare = re.sub(r"[^\w'-]", "", word).lower()
        if bare.rstrip("s") in drop or bare in drop:
            break
        if any(ch.isdigit() for ch in word):
            return ""
        kept.append(word)
    return " ".join(kept[:3]).strip(" -–|,")


_NAMED_IN_TEXT = re.compile(r"\b(?:[Tt]he|[Oo]ur) ((?:[A-Z][\w'-]+ ){1,4}[A-Z][\w'-]+)")


def _name_from_description(description: str) -> str:
    """'... the Vivik Fringed Area Rug brings ...' -> 'Vivik Fringed': a generic title's real name."""
    for match in _NAMED_IN_TEXT.finditer(description):
        name = _model_name(match.group(1), find_terms(match.group(1)))
        if name and name != match.group(1):
            return name
    return ""


def _translated_value(value: str, lang: str) -> str:
    """An option value in the locale's words, unless translating would add a number the data does not have."""
    if lang == "en":  # the vocabulary's source language: the data's own spelling and case stay
        return value
    translated = translate_term(value, lang)
    if set(re.findall(r"\d+", translated)) - set(re.findall(r"\d+", value)):
        return value
    return translated


def _states_nothing_new(keyword: str, own_text: str) -> bool:
    """A search phrase can claim what the product is not ('handmade mug'); use it only when the data backs it."""
    claims, materials = _stated(own_text)
    return set(claims_in(keyword)) <= claims and set(materials_in(keyword)) <= materials


@functools.lru_cache(maxsize=8)
def _stated(own_text: str) -> tuple[frozenset[str], frozenset[str]]:
    # One product's locales come one after another: its data is read once, not once per locale and keyword.
    return frozenset(claims_in(own_text)), frozenset(materials_in(own_text))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _with_article(phrase: str) -> str:
    last = phrase.split()[-1].lower() if phrase.split() else ""
    if last.endswith("s") and not last.endswith("ss"):  # plural: 'linen sheets', no article
        return phrase
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def _join(items: Sequence[str], and_word: str) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {and_word} {items[-1]}"


def _fold(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
