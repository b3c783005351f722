"""`padding` ("never worse than what is there") and the information measure it shares with the audit's
thin-content rule: distinct facts plus product-specific sentences.

A draft pads when it adds two or more sentences that carry nothing of the product (praise, mood, the name or the
noun alone), when it says the keyword or one two-word phrase three times or more (stuffing), or when it carries
clearly less information than the current copy."""

from __future__ import annotations

from collections.abc import Mapping

from .checks_facts import facts_of, feature_present
from .extract import anchors, extract
from .facts import FactSheet
from .findings import GateFinding
from .identity import has_word
from .lexicon import NOUNS
from .text import content_words, fold, numbers, sentences, stem, strip_html, words
from .vocab_facts import RANGE_CUES

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
    data = " ".join([sheet.title, sheet.product_type, *(v for o in sheet.options for v in o.values),
                     strip_html(sheet.body_html)])
    keys = anchors(data, sheet.primary_locale)
    keys |= {f"m:{m}" for m in sheet.materials}
    return frozenset(k for k in keys if not k[0].isdigit())


def _build_cognates(sheet: FactSheet) -> frozenset[str]:
    """First letters of the longer words of the product's copy and data: a translation keeps some of them (zinc,
    Ethernet, polycarbonate, espresso); generic filler shares none."""
    text = " ".join([sheet.title, sheet.vendor, *(v for o in sheet.options for v in o.values), *sheet.features,
                     strip_html(sheet.body_html), sheet.seo_description])
    return frozenset(fold(w)[:5] for w in content_words(text, sheet.primary_locale) if len(w) >= 4)


# words that say a sentence is about the options on offer (not the connectors: "or", "also")
_RANGE = RANGE_CUES - frozenset("""or ou oder o u y also aussi auch también either come comes choice choix pick range
selection variety gibt existe option options""".split())


def _source_stems(sheet: FactSheet, source: str, locale: str) -> frozenset[str]:
    return frozenset(stem(w, locale) for w in content_words(source, locale))


def _anchored(sentence: str, sheet: FactSheet, locale: str, head: frozenset[str], source: frozenset[str] | None
              ) -> bool:
    """The sentence carries something of this product: a fact (material, number, care, certification), a concept
    other than the bare product noun (a part, a colour, another noun), an option value or the range of options, or
    at least two words of the current copy (the same word in its language, else a cognate). Praise, mood and the
    product's name or noun alone ("Arlo is more than a kettle") carry nothing. `source` None: language-neutral
    anchors only (what any translation of the sentence keeps)."""
    facts = extract("", locale, plain=sentence, head=head)
    if facts.keys() or numbers(sentence):
        return True
    keys = anchors(sentence, locale) - {f"n:{h}" for h in head}
    if any(not k.startswith("n:") or k in _product_anchors(sheet) for k in keys):
        return True  # a part, material, colour or care; another noun only when the product data names it
    toks = set(words(sentence))
    values = {fold(v) for o in sheet.options for v in o.values if len(v) > 2}
    if values & {fold(w) for w in toks} or any(o.level == "variant" for o in sheet.options) and toks & _RANGE:
        return True
    if source is None:
        return False
    own = [*sheet.name, *sheet.head_word.split()]  # the name and the noun alone say nothing new
    cw = [w for w in content_words(sentence, locale) if not any(has_word(w, n) for n in own)]
    if locale == sheet.primary_locale:
        shared = {stem(w, locale) for w in cw} & source
    else:
        shared = {fold(w)[:5] for w in cw if len(w) >= 4} & _product_cognates(sheet)
    generic = {stem(w, locale) for w in words(sheet.product_type)} | {fold(w)[:5] for w in words(sheet.product_type)}
    return len(shared - generic) >= 2


def _sentences(body_html: str) -> list[str]:
    return [s for s in sentences(strip_html(body_html)) if len(s.split()) >= 2]


def _kinds(body_html: str, sheet: FactSheet, locale: str, neutral: bool) -> list[str]:
    """Each sentence of a description: "anchored", "empty" (three words or more, nothing of the product) or
    "short" (an unanchored fragment such as "Sin perfume")."""
    head = frozenset(NOUNS.ancestors(sheet.head_noun)) if sheet.head_noun else frozenset()
    source: frozenset[str] | None = None
    if not neutral:
        source = _source_stems(sheet, strip_html(sheet.body_html), locale) if locale == sheet.primary_locale \
            else frozenset()
    return ["anchored" if _anchored(s, sheet, locale, head, source) else "empty" if len(s.split()) >= 3 else "short"
            for s in _sentences(body_html or "")]


def information_parts(body_html: str, sheet: FactSheet, locale: str, *, neutral: bool = False
                      ) -> tuple[int, int, int]:
    """(distinct facts, product-specific sentences, other sentences) of a description. Other sentences are those
    of three words or more that carry nothing of the product (see `_anchored`); `neutral` counts only what every
    translation keeps (facts, numbers, concepts, options), to compare a copy with a draft in another language."""
    head = frozenset(NOUNS.ancestors(sheet.head_noun)) if sheet.head_noun else frozenset()
    facts = facts_of(body_html or "", locale, head)
    text = strip_html(body_html or "")
    features = sum(1 for f in sheet.features if feature_present(f, sheet.primary_locale, text, locale))
    kinds = _kinds(body_html, sheet, locale, neutral)
    return len(facts.keys()) + features, kinds.count("anchored"), kinds.count("empty")


def _edge_run(kinds: list[str]) -> int:
    """How many sentences that carry nothing of the product open or close the description together (where
    generated filler goes)."""
    runs = []
    for seq in (kinds, kinds[::-1]):
        n = 0
        while n < len(seq) and seq[n] == "empty":
            n += 1
        runs.append(n)
    return max(runs, default=0)


def stuffed(body_html: str, keyword: str | None, locale: str) -> str | None:
    """The keyword (or a phrase of two content words) said three times or more: keyword stuffing."""
    toks = [stem(w, locale) for w in content_words(strip_html(body_html or ""), locale)]
    phrases = [tuple(toks[i:i + 2]) for i in range(len(toks) - 1)]
    if keyword:
        kw = tuple(stem(w, locale) for w in content_words(keyword, locale))
        if len(kw) >= 2:
            n = sum(1 for i in range(len(toks) - len(kw) + 1) if tuple(toks[i:i + len(kw)]) == kw)
            if n >= 3:
                return keyword
    counts: dict[tuple[str, ...], int] = {}
    for ph in phrases:
        counts[ph] = counts.get(ph, 0) + 1
    top = max(counts.items(), key=lambda kv: kv[1], default=None)
    return " ".join(top[0]) if top and top[1] >= 3 and len(set(top[0])) == 2 else None


def information_count(body_html: str, sheet: FactSheet, locale: str) -> int:
    """Distinct facts + product-specific sentences of a description (the audit's thin-content measure too)."""
    facts, specific, _ = information_parts(body_html, sheet, locale)
    return facts + specific


def check_padding(draft: Mapping[str, str], sheet: FactSheet, locale: str,
                  original: Mapping[str, str] | None, keyword: str | None = None) -> list[GateFinding]:
    """Padding against the current copy: two or more sentences more than it that carry nothing of the product, or
    one more when such sentences open or close the description together. Across languages a faithful sentence
    may carry nothing the vocabularies know ("No added salt"), so the copy is then counted by what every
    translation keeps."""
    body = draft.get("body_html")
    if body is None:
        return []
    src_html, src_locale = sheet.body_html, sheet.primary_locale
    if original and original.get("body_html") is not None:
        src_html = original["body_html"]
        src_locale = sheet.primary_locale if src_html == sheet.body_html else locale
    f0, _, o0 = information_parts(src_html, sheet, src_locale, neutral=src_locale != locale)
    f1, _, o1 = information_parts(body, sheet, locale)
    n0, n1 = len(_sentences(src_html)), len(_sentences(body))
    out = []
    phrase = stuffed(body, keyword, locale)
    if phrase and not stuffed(src_html, keyword, src_locale):
        out.append(GateFinding("padding", "body_html", f"The draft repeats '{phrase}' three times or more"))
    elif o1 - o0 >= 2 or o1 - o0 >= 1 and _edge_run(_kinds(body, sheet, locale, False)) >= 2:
        out.append(GateFinding("padding", "body_html", f"The draft adds {o1 - o0} sentences that say nothing about "
                               f"this product"))
    elif f1 < f0 and f1 + n1 < f0 + n0 - max(2, (f0 + n0) // 4):
        out.append(GateFinding("padding", "body_html", f"The draft carries less information than the current "
                               f"description ({f1} facts in {n1} sentences, against {f0} in {n0})"))
    return out
