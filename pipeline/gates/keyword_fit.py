"""Whether a target keyword describes this product, so a title may carry it.

A keyword is a search phrase assigned by the keywords stage; it can be wrong for a product (an "accent chair"
keyword on a wingback armchair, "doppelbett" on a full-zip fleece). Putting it in a title then changes what
the product is. So a title is asked to carry the keyword only when the keyword names the product's own kind
(or a broader one) and every other word of it is one the product's data says: its material, its colour, a
word of its title, type or tags. The offline writer uses the same rule to decide whether to place a keyword.
"""

from __future__ import annotations

from functools import lru_cache

from pipeline.core.text import fold
from pipeline.gates.content import FactSheet
from pipeline.gates.content.lexicon import COLOURS, MATERIALS, NOUNS, compatible_nouns
from pipeline.gates.content.text import STOPWORDS, stem, words
from pipeline.gates.content.vocab_products import NON_NOUN_TYPES

_EN_PHRASE_LINKS = frozenset({"for", "with", "in", "of", "from"})


def keyword_fits(keyword: str, sheet: FactSheet, locale: str) -> bool:
    """True when `keyword` names this product's kind and states nothing its data does not."""
    whole = frozenset(concept for concept, scopes in sheet.materials.items() if "whole" in scopes)
    variant_values = frozenset(fold(v) for o in sheet.options if o.level == "variant" for v in o.values)
    return _fits(keyword, sheet.head_noun, whole, _colours(sheet), frozenset(sheet.product_words),
                 variant_values, sheet.primary_locale.split("-")[0], locale.split("-")[0])


def _colours(sheet: FactSheet) -> frozenset[str]:
    found = {m.concept for o in sheet.options if o.level == "product" for m in COLOURS.find(" ".join(o.values), "en")}
    found |= {m.concept for m in COLOURS.find(sheet.title, sheet.primary_locale)}
    return frozenset(found)


@lru_cache(maxsize=65536)
def _fits(keyword: str, head: str | None, materials: frozenset[str], colours: frozenset[str],
          product_words: frozenset[str], variant_values: frozenset[str], primary: str, lang: str) -> bool:
    toks = tuple(words(keyword))
    if not toks:
        return False
    if any(fold(t) in variant_values for t in toks):  # "gold cuff" for a cuff sold in gold and silver
        return False
    nouns = NOUNS.find_words(toks, lang)
    # One kind of product, the product's own: "hats beanie" or "bracelet necklace" is no shopper's phrase.
    if head is None or len(nouns) != 1 or not compatible_nouns(nouns[0].concept, head):
        return False
    # English puts the noun last ("anvil pruning secateurs"); "secateurs anvil" is a list of words, not a phrase.
    if lang == "en" and nouns[0].end != len(toks) and toks[nouns[0].end] not in _EN_PHRASE_LINKS:
        return False
    explained: set[int] = set()
    for match in nouns:
        explained.update(range(match.start, match.end))
    for lexicon, known in ((MATERIALS, materials), (COLOURS, colours)):
        for match in lexicon.find_words(toks, lang):
            if match.concept not in known:
                return False
            explained.update(range(match.start, match.end))
    stop = STOPWORDS.get(lang, frozenset())
    for i, token in enumerate(toks):
        if i in explained or token in stop or len(token) < 2:
            continue
        if token in NON_NOUN_TYPES:  # "new tee", "sale shorts": a merchant's shelf label, not a description
            return False
        # Other words must be the product's own, which can only be checked in the catalogue's language.
        if lang != primary or stem(token, lang) not in product_words:
            return False
    return True
