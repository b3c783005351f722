"""`padding` ("never worse than what is there") and the information measure it shares with the audit's
thin-content rule: distinct facts plus product-specific sentences."""

from __future__ import annotations

from collections.abc import Mapping

from .checks_facts import facts_of, feature_present
from .extract import anchors, extract
from .facts import FactSheet
from .findings import GateFinding
from .identity import has_word
from .lexicon import NOUNS
from .text import content_words, fold, sentences, stem, strip_html

_CACHE: dict[tuple[int, str], tuple[FactSheet, frozenset[str]]] = {}


def _cached(sheet: FactSheet, name: str, build) -> frozenset[str]:
    hit = _CACHE.get((id(sheet), name))
    if hit is None or hit[0] is not sheet:
        if len(_CACHE) > 4096:
            _CACHE.clear()
        hit = _CACHE[(id(sheet), name)] = (sheet, build(sheet))
    return hit[1]


def _product_anchors(sheet: FactSheet) -> frozenset[str]:
    return _cached(sheet, "anchors", _build_anchors)


def _product_cognates(sheet: FactSheet) -> frozenset[str]:
    return _cached(sheet, "cognates", _build_cognates)


def _build_anchors(sheet: FactSheet) -> frozenset[str]:
    data = " ".join([sheet.title, sheet.product_type, *(v for o in sheet.options for v in o.values)])
    keys = anchors(data, sheet.primary_locale)
    keys |= {f"m:{m}" for m in sheet.materials}
    return frozenset(k for k in keys if not k[0].isdigit())


def _build_cognates(sheet: FactSheet) -> frozenset[str]:
    text = " ".join([sheet.title, sheet.product_type, sheet.vendor, *(v for o in sheet.options for v in o.values),
                     *sheet.features])
    return frozenset(fold(w)[:5] for w in content_words(text, sheet.primary_locale) if len(w) >= 5)


def _specific(sentence: str, sheet: FactSheet, locale: str, head: frozenset[str], seen: set[str]) -> bool:
    """The sentence says something about this product that the sentences before it did not."""
    facts = extract("", locale, plain=sentence, head=head)
    keys = anchors(sentence, locale)
    stems = {stem(w, locale) for w in content_words(sentence, locale)}
    new = (facts.keys() | keys | stems) - seen
    seen |= facts.keys() | keys | stems
    if not new:
        return False
    if facts.keys() - (seen - new):
        return True
    own = keys & _product_anchors(sheet)
    names = any(has_word(sentence, w) for w in sheet.name)
    noun = bool({f"n:{h}" for h in head} & keys)
    if any(k[0].isdigit() for k in keys) or own - {f"n:{h}" for h in head}:
        return True
    cw = content_words(sentence, locale)
    if locale == sheet.primary_locale:
        data = set(sheet.product_words) - {stem(w, locale) for w in sheet.name}
        data -= {stem(w, locale) for h in head for w in h.split()}
        hits = {stem(w, locale) for w in cw} & data
    else:
        hits = {fold(w)[:5] for w in cw if len(w) >= 5} & _product_cognates(sheet)
    return bool(hits) or ((names or noun) and len(cw) >= 6 and bool(keys - {f"n:{h}" for h in head}))


def _sentences(body_html: str) -> list[str]:
    return [s for s in sentences(strip_html(body_html)) if len(s.split()) >= 2]


def information_parts(body_html: str, sheet: FactSheet, locale: str) -> tuple[int, int, int]:
    """(distinct facts, product-specific sentences, other sentences) of a description."""
    head = frozenset(NOUNS.ancestors(sheet.head_noun)) if sheet.head_noun else frozenset()
    facts = facts_of(body_html or "", locale, head)
    text = strip_html(body_html or "")
    features = sum(1 for f in sheet.features if feature_present(f, sheet.primary_locale, text, locale))
    specific = other = 0
    seen: set[str] = set()
    for s in _sentences(body_html or ""):
        if _specific(s, sheet, locale, head, seen):
            specific += 1
        else:
            other += 1
    return len(facts.keys()) + features, specific, other


def information_count(body_html: str, sheet: FactSheet, locale: str) -> int:
    """Distinct facts + product-specific sentences of a description (the audit's thin-content measure too)."""
    facts, specific, _ = information_parts(body_html, sheet, locale)
    return facts + specific


def check_padding(draft: Mapping[str, str], sheet: FactSheet, locale: str,
                  original: Mapping[str, str] | None) -> list[GateFinding]:
    body = draft.get("body_html")
    if body is None:
        return []
    src_html, src_locale = sheet.body_html, sheet.primary_locale
    if original and original.get("body_html") is not None:
        src_html = original["body_html"]
        src_locale = sheet.primary_locale if src_html == sheet.body_html else locale
    f0, s0, o0 = information_parts(src_html, sheet, src_locale)
    f1, s1, o1 = information_parts(body, sheet, locale)
    out = []
    if o1 - o0 >= 2:
        out.append(GateFinding("padding", "body_html", f"The draft adds {o1 - o0} sentences that say nothing about "
                               f"this product"))
    elif f1 + s1 < f0 + s0 - max(2, (f0 + s0) // 4):
        out.append(GateFinding("padding", "body_html", f"The draft carries less information than the current "
                               f"description ({f1} facts and {s1} product sentences, against {f0} and {s0})"))
    return out
