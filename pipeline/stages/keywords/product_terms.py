"""What a product is, in vocabulary terms: its type, its own attributes (size, material, colour, room) and the
texts a relevance index reads. Pure: a catalogue row in, a ProductProfile out.

An attribute is the product's own only when every variant shares it: a rug sold in three sizes is not "large",
so multi-valued options feed relevance (a search for "large rug" finds it) but never a keyword that claims it.

A profile also carries `parts`: what a keyword derived for the product is made of (see `keyword_parts`). The head
noun is read off the product's own title ("Nova Full-Zip Fleece" is a fleece; "Hose Reel Cart" is a cart, not a
hose), with the title words in front of it, brand and line names left out ("full-zip fleece"), the attributes the
whole product has, and where the head noun's word in another language comes from: a category of Shopify's product
taxonomy (apparel, jewellery) or a home-goods vocabulary type, each matched as a whole known term, never word by
word. A merchant's product type that names no product ("Indoor", "Sale", "Gifts") is never the head noun.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Any

from pipeline.core import taxonomy
from pipeline.core.text import as_list, fold
from pipeline.core.vocabulary import (
    CATEGORY_TYPES,
    KINDS,
    SYNONYMS,
    canonical,
    find_terms,
    known_terms,
    term_kind,
    translate_term,
)
from pipeline.gates.content.identity import DESCRIPTORS, strip_suffix
from pipeline.gates.content.lexicon import COLOURS, MATERIALS, NOUNS, PARTS, compatible_nouns
from pipeline.gates.content.text import STOPWORDS as _GATE_STOPWORDS
from pipeline.gates.content.vocab_products import GENERIC_NOUNS, NON_NOUN_TYPES

ATTRIBUTE_KINDS = ("material", "colour", "size", "room", "style")
_OPTION_KINDS = {"size": "size", "dimensions": "size", "dimension": "size", "colour": "colour", "color": "colour",
                 "material": "material", "fabric": "material", "finish": "material", "wood": "material",
                 "room": "room", "metal": "material"}
_PLACEHOLDER_VALUES = {"", "default title", "default", "n/a", "-"}


@dataclass(frozen=True, slots=True)
class KeywordParts:
    """What a derived keyword is made of, all in the catalogue's English, lowercase.

    `phrase` is the keyword a shopper would type, cut from the title: up to three of the words in front of the head
    noun, the head noun, and a collective after it ("stacking ring set"); brand words, codes and sizes left out.
    `lead` is the phrase's first word when no vocabulary knows it: a line name ("Kestrel Running Tee") when several
    titles of the catalogue start with it, which only the whole catalogue can tell (see `line_names`).
    """

    head: str  # the head noun as the title writes it ("fleece", "seed tray", "sports bra")
    phrase: tuple[str, ...]  # "full-zip", "fleece"
    own: tuple[tuple[str, str], ...]  # (kind, English term) attributes the phrase itself states ("material", "linen")
    extra: tuple[tuple[str, str, str], ...]  # (kind, term, evidence) other attributes of the whole product
    names: tuple[str, ...]  # brand and model words of the title: a last resort to tell products apart
    lead: str  # the phrase's first word when it may be a line name, else ""
    concept: str | None  # the head's product-noun concept (pipeline.gates.content NOUNS), when known
    category: str | None  # the taxonomy category naming the head ("aa-6-3"), when one does
    vocab_type: str | None  # the home-goods vocabulary type naming the head ("coffee table"), when one does
    from_type: bool  # the title names no product, so the head is the merchant's product type

    @property
    def family(self) -> str | None:
        """Whose words translate it: "jewellery" or "apparel" (taxonomy), "home" (vocabulary), else None."""
        if self.category:
            return "jewellery" if self.category.startswith("aa-6") else "apparel"
        return "home" if self.vocab_type else None


@dataclass(frozen=True, slots=True)
class ProductProfile:
    product_id: str
    handle: str
    title: str
    product_type: str  # canonical English type term, or the best wording we could find
    attributes: tuple[tuple[str, str], ...]  # (kind, English term), strongest evidence first
    evidence: tuple[str, ...]  # where each attribute was read: "title", "option" (single-valued) or "tag"
    terms: tuple[str, ...]  # every vocabulary term its title, type, tags, collections and option values mention
    landing: float  # 1.0 for an active, published, in-stock page; less for pages a shopper cannot buy from
    status_note: str
    texts: Mapping[str, str] = field(default_factory=dict)
    parts: KeywordParts | None = None  # None when neither its title nor its type names a product


def product_profile(row: Mapping[str, Any]) -> ProductProfile:
    title = str(row.get("title") or "").strip()
    raw_type = str(row.get("product_type") or "").strip()
    tags = [str(t) for t in as_list(row.get("tags"))]
    collections = [str(c) for c in as_list(row.get("collections"))]
    option_names = [str(n) for n in as_list(row.get("options"))]
    variants = [v for v in as_list(row.get("variants")) if isinstance(v, Mapping)]
    option_values = _option_values(option_names, variants)

    attributes: list[tuple[str, str, str]] = []
    varying = {kind for kind, values in option_values if kind and len(values) > 1}
    for kind, term in find_terms(title):
        if kind in ATTRIBUTE_KINDS:
            attributes.append((kind, term, "title"))
    for option_kind, values in option_values:
        if option_kind and len(values) == 1:
            attributes.append((option_kind, _attribute_term(option_kind, values[0]), "option"))
    for text in [*tags, raw_type, *collections]:
        for kind, term in _tagged_terms(text):
            # A tag listing colours of a product sold in several colours describes the range, not the product.
            if kind in ATTRIBUTE_KINDS and kind not in varying:
                attributes.append((kind, term, "tag"))
    description = _visible_text(str(row.get("body_html") or "")[:4000])
    vendor = str(row.get("vendor") or "")
    parts = keyword_parts(title, raw_type, vendor=vendor, tags=tags, option_values=option_values,
                          description=description)
    product_type = _product_type(raw_type, title, tags, str(row.get("handle") or ""), parts)
    unique: list[tuple[str, str]] = []
    evidence: list[str] = []
    for kind, term, where in attributes:
        if term and (kind, term) not in unique and term not in product_type.split():
            unique.append((kind, term))
            evidence.append(where)

    mentioned = [title, raw_type, *tags, *collections, *(v for _, values in option_values for v in values)]
    terms = tuple(dict.fromkeys(term for text in mentioned for _, term in find_terms(text)))
    landing, note = _landing(row)
    texts = {
        "title": title,
        "product_type": _shared(raw_type),
        "tags": " ".join(tags),
        "options": " ".join(f"{name} {' '.join(values)}" for name, values in
                            zip(option_names, (v for _, v in option_values), strict=False)),
        "description": description,
        "collections": _shared(" ".join(collections)),
        "vendor": _shared(vendor),
    }
    return ProductProfile(product_id=str(row.get("id") or ""), handle=str(row.get("handle") or ""), title=title,
                          product_type=_shared(product_type), attributes=tuple(_shared(a) for a in unique),
                          evidence=_shared(tuple(evidence)), terms=terms, landing=landing, status_note=note,
                          texts=texts, parts=parts)


# One copy of each small value that many products share: (kind, term) pairs, product types, vendors, the words of
# keyword phrases. A profile is kept for every product of the catalogue (100,000 of them and more), and each would
# otherwise hold its own equal copies. The values come from vocabularies and the catalogue's own repeated words,
# so there are few of them.
_SHARED_VALUES: dict[Any, Any] = {}


def _shared(value: Any) -> Any:
    return _SHARED_VALUES.setdefault(value, value)


def release_caches() -> None:
    """Let go of the caches that grow with the catalogue (its texts and words), once its profiles are made and
    used: they only make the same answers faster. Nothing changes but memory."""
    for cached in (_key, _vocabulary_term, _category_id, attribute_term, known_word, _code, _attributes_of,
                   _tag_attributes, find_terms):
        cached.cache_clear()
    _SHARED_VALUES.clear()


def _visible_text(markup: str) -> str:
    """Words of an HTML description for indexing (tags dropped, entities decoded); fast rather than exact, since
    only the words matter here, never the markup."""
    return html.unescape(re.sub(r"<[^>]*>", " ", markup))


def _option_values(names: list[str], variants: list[Mapping[str, Any]]) -> list[tuple[str | None, list[str]]]:
    out = []
    for position, name in enumerate(names[:3], start=1):
        values: list[str] = []
        for variant in variants:
            value = str(variant.get(f"option{position}") or "").strip()
            if value.lower() not in _PLACEHOLDER_VALUES and value not in values:
                values.append(value)
        out.append((_OPTION_KINDS.get(name.strip().lower()), values))
    return out


def _attribute_term(kind: str, value: str) -> str:
    found = [term for k, term in find_terms(value) if k == kind]
    return found[0] if found else canonical(value)


def _tagged_terms(text: str) -> Iterable[tuple[str, str]]:
    """Vocabulary terms in a text; a `key:value` tag such as `material:oak` names its kind outright."""
    key, sep, value = text.partition(":")
    if sep and _OPTION_KINDS.get(key.strip().lower()):
        kind = _OPTION_KINDS[key.strip().lower()]
        yield kind, _attribute_term(kind, value)
        return
    yield from find_terms(text)


def _product_type(raw_type: str, title: str, tags: list[str], handle: str, parts: KeywordParts | None) -> str:
    """The product's type as a vocabulary term when one is recognisable, else the head noun its title names, else
    its own wording; never a merchant's label that names no product ("Indoor", "Sale")."""
    from_title = [term for kind, term in find_terms(_before_with(title)) if kind == "type"]
    types = [term for kind, term in find_terms(raw_type) if kind == "type"]
    if types:
        general = max(types, key=len)
        # "Clocks" says clock; a title saying "Wall Clock" says which clock, and "Cookware" says even less.
        specific = [t for t in from_title if general in CATEGORY_TYPES or (
            t.endswith(general.split()[-1]) and len(t.split()) > len(general.split()))]
        return specific[-1] if specific else general
    for text in (_before_with(title), title):
        types = [term for kind, term in find_terms(text) if kind == "type"]
        if types:
            return types[-1]
    for tag in tags:
        types = [term for kind, term in find_terms(tag) if kind == "type"]
        if types:
            return types[-1]
    if parts is not None:
        return parts.head
    if raw_type and not names_no_product(raw_type):
        return canonical(raw_type)
    words = re.findall(r"[^\W_]+", title.lower()) or re.findall(r"[a-z]+", handle.lower())
    return " ".join(w for w in words[-3:] if w not in NON_NOUN_TYPES)


def _before_with(title: str) -> str:
    """The head of a title: "Oak Coffee Table with Storage Basket" is a coffee table, not a basket; a spaced
    dash or a comma starts the rest ("Oak Bowl - Best Oak Bowl"), a hyphen inside a word ("Hand-Carved") does not."""
    return re.split(r"\s+(?:with|for|and|in)\s+|\s+[-–|&]\s+|[,|]", title, maxsplit=1, flags=re.IGNORECASE)[0]


def _landing(row: Mapping[str, Any]) -> tuple[float, str]:
    status = str(row.get("status") or "active").lower()
    published = row.get("published")
    if status != "active" or published is False:
        return 0.6, status if status != "active" else "unpublished"
    inventory = row.get("total_inventory")
    if inventory is not None and inventory == inventory and int(inventory) <= 0:
        return 0.85, "out of stock"
    return 1.0, ""


# -- keyword parts ----------------------------------------------------------------------------------------------
_TITLE_TOKEN = re.compile(r"[^\W_]+(?:[-'’./][^\W_]+)*[™®]?|&|\+")
# Where a title's noun phrase ends: "Tray Propagator with Vented Lid", "Ring, 9ct White Gold", "Gloves (3 Pairs)".
_CUT = re.compile(r"\s(?:with|for|featuring|in|by|from|w/)\s|\s[-–—|/·]\s|[,(:;|\[]", re.IGNORECASE)
_COPY = re.compile(r"^\s*copy\s+of\s+", re.IGNORECASE)
_COLLECTIVES = frozenset({"set", "kit", "bundle", "pack", "duo", "trio"})
# Words a shopper's phrase does not run across ("tee bundle", not "shorts & tee"; "necklace", not "her necklace").
_BREAKS = frozenset({"&", "+", "and", "or", "of", "for", "with", "her", "him", "his", "hers", "their", "your", "my",
                     "our", "the", "a", "an"})
_UNITS = frozenset({"cm", "mm", "m", "km", "l", "ml", "cl", "g", "kg", "oz", "lb", "lbs", "in", "inch", "inches",
                    "ft", "x", "pcs", "pc", "ct", "w", "v", "mah", "gsm"})
_EN_STOPWORDS = _GATE_STOPWORDS["en"]
_KEY_WORD = re.compile(r"[a-z0-9]+")
# Taxonomy attributes whose values name a colour or a material of the whole product.
TAXONOMY_ATTRIBUTES = {"colour": ("color",), "material": ("fabric", "clothing_accessory_material", "jewelry_material")}


@lru_cache(maxsize=262144)
def _key(text: str) -> tuple[str, ...]:
    """Folded singular words, for comparing a title's words with a vocabulary's: "T-Shirts" -> ("t", "shirt").
    Only plurals are undone: "clothing" is not "cloth", "gardening" not "garden"."""
    return tuple(_singular(w) for w in _KEY_WORD.findall(fold(text)))


def _singular(word: str) -> str:
    """A comparison form shared by a word's singular and plural: "hoodies", "hoodie" -> "hoodie"; "bodies",
    "body" -> "bodie"; "dresses" -> "dress"; "shelves" -> "shelf". Never shown."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith(("lves", "rves")):
        word = word[:-3] + "f"
    elif word.endswith(("sses", "xes", "ches", "shes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word[:-1] + "ie" if word.endswith("y") and len(word) > 3 else word


@lru_cache(maxsize=1)
def _vocabulary_index() -> dict[tuple[str, ...], tuple[str, str]]:
    """Every wording of every home-goods vocabulary term (its synonyms too) -> (kind, term)."""
    index: dict[tuple[str, ...], tuple[str, str]] = {}
    for kind in KINDS:
        for term in known_terms(kind):
            index.setdefault(_key(term), (kind, term))
    for spelling, term in SYNONYMS.items():
        term_of = term_kind(term)
        if term_of:
            index.setdefault(_key(spelling), (term_of, canonical(term)))
    return index


@lru_cache(maxsize=1)
def _category_index() -> dict[tuple[str, ...], list[taxonomy.Category]]:
    """Taxonomy categories that name one kind of product, by their English name, shallowest first. A name that
    lists several ("Coats & Jackets") names no one product and is left out."""
    index: dict[tuple[str, ...], list[taxonomy.Category]] = {}
    for category in taxonomy.load().categories.values():
        name = category.name("en")
        if name and category.depth >= 2 and not category.is_group:
            index.setdefault(_key(name), []).append(category)
    for found in index.values():
        found.sort(key=lambda c: (c.depth, c.id))
    return index


def category_word(category_id: str, locale: str) -> str | None:
    """The taxonomy's name for a category in `locale`, lowercase; a category of the same English name stands in
    when this one lacks the locale ("Leggings" under Pants and under Loungewear). None when none has it."""
    category = taxonomy.load().categories.get(category_id)
    if category is None:
        return None
    for candidate in [category, *_category_index().get(_key(category.name("en") or ""), [])]:
        word = candidate.name(locale)
        if word:
            return word.lower()
    return None


@lru_cache(maxsize=65536)
def _vocabulary_term(text: str) -> tuple[str, str] | None:
    """(kind, term) when the whole text is one vocabulary term ("coffee tables", "bedside table"), else None."""
    return _vocabulary_index().get(_key(text))


@lru_cache(maxsize=65536)
def _category_id(text: str) -> str | None:
    found = _category_index().get(_key(text))
    return found[0].id if found else None


@lru_cache(maxsize=4)
def _lexicon_index(name: str) -> dict[tuple[str, ...], str]:
    """Every English wording of a content-gate lexicon ("NOUNS", "MATERIALS", "COLOURS") by its comparison key
    -> its concept; where two concepts share a wording, the first in the table, as the lexicon reads it."""
    lexicon = {"NOUNS": NOUNS, "MATERIALS": MATERIALS, "COLOURS": COLOURS}[name]
    index: dict[tuple[str, ...], str] = {}
    for concept, forms in lexicon.surface["en"].items():
        if name == "NOUNS" and concept in GENERIC_NOUNS:
            continue
        for form in forms:
            if form.strip():
                index.setdefault(_key(form), concept)
    return index


def _noun_concept(text: str) -> str | None:
    """The product-noun concept the whole text names ("seed tray", "watering can"), else None."""
    return _lexicon_index("NOUNS").get(_key(text))


def _lexicon_term(text: str) -> bool:
    """Whether the whole text is a material or a colour the content gates know ("sterling silver", "pearl")."""
    key = _key(text)
    return key in _lexicon_index("MATERIALS") or key in _lexicon_index("COLOURS")


@lru_cache(maxsize=1)
def _taxonomy_values() -> frozenset[tuple[str, ...]]:
    """Comparison keys of every colour and material value the taxonomy names in English, by name or handle."""
    keys = set()
    for attributes in TAXONOMY_ATTRIBUTES.values():
        for attribute in attributes:
            found = taxonomy.load().attribute(attribute)
            for handle, names in (found.values.items() if found else ()):
                keys.update({_key(handle.replace("_", " ")), _key(names.get("en", ""))})
    return frozenset(keys)


@lru_cache(maxsize=65536)
def attribute_term(text: str) -> tuple[str, str] | None:
    """(kind, English term) when the whole text is one attribute value: a taxonomy colour or material ("suede",
    "rose gold") or a vocabulary colour, material, size, style or room ("organic cotton", "sage")."""
    vocabulary = _vocabulary_term(text)
    if vocabulary is not None and vocabulary[0] != "type":
        return vocabulary
    if _key(text) not in _taxonomy_values():
        return None
    for kind, attributes in TAXONOMY_ATTRIBUTES.items():
        for attribute in attributes:
            english = taxonomy.translate_value(attribute, text, "en")
            if english:
                return kind, english.lower()
    return None


@lru_cache(maxsize=65536)
def known_word(word: str) -> bool:
    """Whether any vocabulary knows the word: a product noun, an attribute, a describing word, a stopword."""
    w = word.lower().rstrip("™®")
    return bool(w in DESCRIPTORS or w in NON_NOUN_TYPES or w in GENERIC_NOUNS or w in _EN_STOPWORDS
                or w in _COLLECTIVES or _vocabulary_term(w) or _category_id(w) or _noun_concept(w)
                or _lexicon_term(w) or attribute_term(w))


def _known_start(phrase: tuple[str, ...]) -> bool:
    """Whether a vocabulary knows the phrase's first word, alone or as the start of a term ("sterling silver")."""
    return known_word(phrase[0]) or any(
        _lexicon_term(span) or _noun_concept(span) or attribute_term(span)
        for span in (" ".join(phrase[:n]) for n in (2, 3) if len(phrase) >= n))


def names_no_product(text: str) -> bool:
    """A merchant's label that says nothing about what the product is ("Indoor", "New In", "Under £50")."""
    toks = [t for t in _KEY_WORD.findall(fold(text)) if t not in _EN_STOPWORDS]
    return not toks or fold(text).strip() in NON_NOUN_TYPES or all(
        t in NON_NOUN_TYPES or t.isdigit() or t in ("arrivals", "under", "over", "sellers") for t in toks)


@lru_cache(maxsize=65536)
def _code(word: str) -> bool:
    """Not a word of a shopper's phrase: numbers and codes (5", 7/8, 3-pack, 9ct), units, single letters."""
    return any(c.isdigit() for c in word) or word in _UNITS or len(word.rstrip("™®")) < 2 or word in ("&", "+")


def _noun_span(tokens: list[str], end: int) -> tuple[int, str | None, str | None, str | None] | None:
    """The longest known product noun ending at tokens[end]: (start, taxonomy category, vocabulary type, noun
    concept), each source matched on a whole span of words ("sports bra", "coffee table", "seed tray")."""
    category = vocab = concept = None
    lengths = [0, 0, 0]
    for start in range(max(0, end - 3), end + 1):
        span = tokens[start:end + 1]
        if any(_code(t) or t in _BREAKS for t in span[:-1]) or _code(span[-1]):
            continue
        text = " ".join(t.rstrip("™®") for t in span)
        n = end - start + 1
        if not lengths[0] and (found := _category_id(text)):
            category, lengths[0] = found, n
        if not lengths[1] and (term := _vocabulary_term(text)) and term[0] == "type":
            vocab, lengths[1] = term[1], n
        if not lengths[2] and (noun := _noun_concept(text)):
            concept, lengths[2] = noun, n
    longest = max(lengths)
    if not longest:
        return None
    return end - longest + 1, category, vocab, concept


def _find_head(tokens: list[str], names: Collection[str] = ()
               ) -> tuple[int, int, int | None, str | None, str | None, str | None] | None:
    """(head start, head end, collective, category, vocabulary type, concept): the rightmost product noun of a
    title's noun phrase, else its last word that no vocabulary explains as an attribute, a describing word, a code
    or a label ("Hose Reel Cart" is a cart). Sizes, colours and codes after it are skipped ("Bath Towel Indigo")."""
    collective = None
    for i in range(len(tokens) - 1, -1, -1):
        word = tokens[i]
        if _code(word) or word in _BREAKS or word in names or word in _PLACEHOLDERS:
            continue
        found = _noun_span(tokens, i)
        if found is not None:
            start, category, vocab, concept = found
            return start, i, collective, category, vocab, concept
        if word in _COLLECTIVES:
            collective = i if collective is None else collective
            continue
        if word in GENERIC_NOUNS or word in NON_NOUN_TYPES or word in DESCRIPTORS or word in _EN_STOPWORDS or \
                _is_attribute(word):
            continue
        return i, i, collective, None, None, None
    return None


# A noun phrase longer than this is a title stuffed with keywords ("Storage Jar Ceramic Storage Jar Modern Ceramic
# Food Storage Kitchen Decor"): its head noun is the first one it names, not its last word.
_STUFFED = 7


def _first_noun_phrase(tokens: list[str], names: Collection[str]) -> list[str]:
    """The words of a stuffed title up to the end of the first product noun it names ("storage jar")."""
    for end in range(len(tokens)):
        if tokens[end] in names or _is_attribute(tokens[end]) or _noun_span(tokens, end) is None:
            continue  # "Glass Pendant Light": glass is what it is made of here
        longer = _noun_span(tokens, end + 1) if end + 1 < len(tokens) else None
        if longer is None or longer[0] > end:  # "pendant light" goes on past "pendant"; "light glass" does not
            return tokens[:end + 1]
    return tokens


def _is_attribute(word: str) -> bool:
    return bool(attribute_term(word) or _lexicon_term(word))


def _names(tokens: list[str], vendor: str, description: str) -> set[str]:
    """Brand and model words: the vendor's, a trademarked name ("Trail Tech™"), and a first word the description
    uses as a name ("The Nova is ...", "Our Ganewick Porcelain Mug") that no vocabulary knows."""
    names: set[str] = set()
    vendor_words = set(_KEY_WORD.findall(fold(vendor)))
    for i, token in enumerate(tokens):
        bare = token.rstrip("™®")
        if bare in vendor_words and not known_word(bare):
            names.add(token)
        if token.endswith(("™", "®")):
            names.add(token)
            j = i - 1
            while j >= 0 and not known_word(tokens[j]) and not _code(tokens[j]):
                names.add(tokens[j])
                j -= 1
    if tokens and not known_word(tokens[0]) and not _code(tokens[0]):
        first = tokens[0].rstrip("™®")
        for match in _NAMED.finditer(description):
            if match.group(1).lower() == first:
                names.add(tokens[0])
                break
    return names


# A name the copy gives the product: "the Nova", "Our Ganewick Porcelain Mug", "Meet the Riound Cutting Board".
_NAMED = re.compile(r"\b(?:[Tt]he|[Oo]ur|[Tt]his|[Mm]eet)\s+([A-Z][^\W_]*(?:[-'’][^\W_]+)*)")
_DESCRIBED = re.compile(r"\b(?:[Tt]he|[Oo]ur|[Tt]his|[Mm]eet)\s+((?:[A-Z][^\W_]*(?:[-'’][^\W_]+)*\s+){0,5}"
                        r"[A-Z][^\W_]*(?:[-'’][^\W_]+)*)")
# Words of a title that is no product name: "Product name", "Untitled".
_PLACEHOLDERS = frozenset({"name", "title", "untitled", "placeholder", "test", "copy", "product", "item", "tbd"})


@lru_cache(maxsize=1)
def _part_words() -> frozenset[str]:
    """The last word of every English name of a product part ("clasp", "handle", "lid", "sole")."""
    return frozenset(_singular(form.split()[-1]) for forms in PARTS.surface["en"].values() for form in forms
                     if form.strip())


def _of_a_part(term: str, folded_description: str) -> bool:
    """The description gives the material to a part ("a sterling silver clasp"), not to the whole product: a part
    word is among the three words after it."""
    folded = fold(term)
    start = folded_description.find(folded)
    parts = _part_words()
    while start >= 0:
        after = _KEY_WORD.findall(folded_description[start + len(folded):start + len(folded) + 40])[:3]
        if any(_singular(w) in parts for w in after):
            return True
        start = folded_description.find(folded, start + 1)
    return False


def _attributes_in(tokens: Iterable[str]) -> list[tuple[str, str]]:
    """Attribute values named by runs of words, longest first ("organic cotton" before "cotton")."""
    return list(_attributes_of(tuple(tokens)))


@lru_cache(maxsize=65536)
def _attributes_of(tokens: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    toks = [t.rstrip("™®") for t in tokens if not _code(t) and t not in _BREAKS]
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(toks):
        for n in range(min(3, len(toks) - i), 0, -1):
            found = attribute_term(" ".join(toks[i:i + n]))
            if found is not None:
                metal = i + n < len(toks) and _metal(toks[i + n])
                if found[0] == "colour" and metal:  # "White Gold", "Yellow Gold": one metal, not a colour and a metal
                    out.append(("material", f"{' '.join(toks[i:i + n])} {toks[i + n]}"))
                    i += n + 1
                else:
                    out.append(("material", found[1]) if _metal(found[1]) else found)
                    i += n
                break
        else:
            i += 1
    return tuple(out)


@lru_cache(maxsize=4096)
def _metal(word: str) -> bool:
    """A precious metal as the taxonomy's jewellery materials name it ("gold", "silver", "rose gold")."""
    return bool(taxonomy.translate_value("jewelry_material", word, "en"))


def keyword_parts(title: str, product_type: str = "", *, vendor: str = "", tags: Iterable[str] = (),
                  option_values: Iterable[tuple[str | None, list[str]]] = (), description: str = ""
                  ) -> KeywordParts | None:
    """What a derived keyword for this product is made of; None when neither title nor type names a product.

    The head noun is looked for in the title's noun phrase, then the whole title ("Gift for Her Necklace"); a title
    that names no product (a SKU, the vendor's name, "Product name") gives way to the name the description gives
    the product ("Our Ganewick Porcelain Mug"), then to the merchant's product type when it names a product."""
    title = _COPY.sub("", html.unescape(title or "")).strip()
    if fold(title) == fold(vendor).strip():
        title = ""
    main = strip_suffix(title)
    segment, *after = _CUT.split(" " + main + " ", maxsplit=1)
    candidates = chain([(segment, [title[len(main):], *after], False), (main, [title[len(main):]], False)],
                       ((m.group(1), [], True) for m in _DESCRIBED.finditer(description[:1500])))
    found = None
    tokens: list[str] = []
    names: set[str] = set()
    rest: list[str] = []
    for text, text_rest, described in candidates:
        rest = text_rest
        tokens = [t.lower() for t in _TITLE_TOKEN.findall(text)]
        names = _names(tokens, vendor, description)
        if described and tokens and not known_word(tokens[0]):
            names.add(tokens[0])  # "Our Ganewick Porcelain Mug": a name, as the copy writes it
        if len(tokens) > _STUFFED:
            tokens = _first_noun_phrase(tokens, names)
        found = _find_head(tokens, names)
        if found is not None and (not described or any(found[3:])):
            break
        found = None
    if found is None:
        tokens, rest = [t.lower() for t in _TITLE_TOKEN.findall(main)], []
    raw_type = html.unescape(product_type or "").strip()
    type_usable = bool(raw_type) and not names_no_product(raw_type)

    if found is not None:
        start, end, collective, category, vocab, concept = found
        head_tokens = tokens[start:end + 1]
        head = " ".join(t.rstrip("™®") for t in head_tokens)
        modifiers: list[str] = []
        for j in range(start - 1, -1, -1):
            word = tokens[j]
            joins = collective is not None and word in ("&", "+", "and")  # "shorts & tee bundle"
            if word in _BREAKS and not joins:
                break
            if (_code(word) and not joins) or word in names:
                continue
            modifiers.insert(0, word)
            if len(modifiers) == 3:
                break
        tail = [t for t in tokens[end + 1:(collective + 1 if collective is not None else end + 1)]
                if not _code(t) and t not in names]
        phrase = tuple(t.rstrip("™®") for t in (*modifiers, *head_tokens, *tail))
        own = _attributes_in(modifiers)
        trailing = tokens[(collective if collective is not None else end) + 1:]
        from_type = False
    elif type_usable:
        # The merchant's type names the product ("Pendant Lights"; in English even "Drinkware", a category word
        # no vocabulary has: then no other language gets a keyword).
        category = _category_id(raw_type)
        term = _vocabulary_term(raw_type)
        vocab = term[1] if term and term[0] == "type" else None
        concept = _noun_concept(raw_type)
        head = vocab or " ".join(_KEY_WORD.findall(fold(raw_type)))
        phrase, own, trailing, from_type = tuple(head.split()), [], tokens, True
    else:
        return None

    if vocab and not _same_kind(vocab, concept, head, _noun_concept(raw_type) if type_usable else None):
        vocab = None  # "Seed Tray" is no decorative tray: a vocabulary type of another kind does not name it
    if not from_type and type_usable:
        title_vocab = vocab
        category, vocab = _with_type(raw_type, tokens, head, concept, category, vocab,
                                     long_category=found is not None and category is not None and
                                     len(_key(taxonomy.load().categories[category].name("en") or "")) > 1)
        if vocab and vocab != title_vocab and phrase == tuple(head.split()) and set(head.split()) < set(vocab.split()):
            head, phrase = vocab, tuple(vocab.split())  # a bare "Duvet" of type "Duvet Cover" is a duvet cover
    extra = _whole_attributes(own, trailing, rest, tags, option_values, description)
    lead = phrase[0] if tokens and phrase[0] == tokens[0] and len(phrase) > len(head.split()) and \
        not _known_start(phrase) else ""
    return KeywordParts(head=_shared(head), phrase=tuple(_shared(w) for w in phrase),
                        own=tuple(_shared(a) for a in dict.fromkeys(own)), extra=tuple(_shared(a) for a in extra),
                        names=tuple(sorted(_shared(n.rstrip("™®")) for n in names)), lead=_shared(lead),
                        concept=concept, category=category, vocab_type=vocab, from_type=from_type)


def _same_kind(vocab: str, concept: str | None, head: str, type_concept: str | None) -> bool:
    """Whether a home-goods vocabulary type names the product: the title's noun and the merchant's type, where a
    product-noun vocabulary knows them, are the same kind of product ("40 Cell Module Tray" of type "Seed Trays"
    is no serving tray)."""
    vocab_concept = _noun_concept(vocab)
    if vocab_concept is None:
        return True
    if concept is not None and not compatible_nouns(vocab_concept, concept) and \
            head not in NOUNS.surface["en"].get(vocab_concept, []):  # "pot" is a pan and a planter
        return False
    return type_concept is None or compatible_nouns(vocab_concept, type_concept)


def _with_type(raw_type: str, tokens: list[str], head: str, concept: str | None, category: str | None,
               vocab: str | None, *, long_category: bool) -> tuple[str | None, str | None]:
    """The category and vocabulary type that name the product, given its title's and its merchant's type's.

    The type names the category better when the title says its words besides the head noun ("Polos" for "Organic
    Cotton Polo Shirt"), or when the title's noun has no category of its own and the type names the same kind of
    product ("T-Shirts" for "Classic Crew Tee", "Planters" for "Terracotta Pot", "Earrings" for "Ear Climbers")."""
    if long_category or vocab is not None:
        return category, vocab
    type_category = _category_id(raw_type)
    term = _vocabulary_term(raw_type)  # the whole type: "Seed Trays" is no "tray"
    type_vocab = term[1] if term and term[0] == "type" else None
    title_keys = {k for t in tokens for k in _key(t)}

    head_key = _key(head)

    def same_kind(words: str) -> bool:
        """The type names the same kind of product: it says the title's noun ("Candle Holders" for "Holder",
        "Duvet Cover" for "Duvet", "Glassware" for "Glass"), or the product-noun vocabulary puts them together."""
        type_key = _key(words)
        if head_key and type_key and (set(head_key) <= set(type_key) or type_key[-1].startswith(head_key[-1])):
            return True
        matches = NOUNS.find(words, "en")
        noun = matches[-1].concept if matches else None
        if noun is None:
            return False
        return concept is None or compatible_nouns(noun, concept) or head in NOUNS.surface["en"].get(noun, [])

    if type_category is not None:
        name = taxonomy.load().categories[type_category].name("en") or ""
        said = set(_key(name)) <= title_keys and _key(name) != _key(head)
        if said or (category is None and (same_kind(raw_type) or same_kind(name))):
            return type_category, None
    if category is None and type_vocab is not None and (same_kind(raw_type) or same_kind(type_vocab)):
        return None, type_vocab
    return category, vocab


def _whole_attributes(own: list[tuple[str, str]], trailing: list[str], rest: list[str], tags: Iterable[str],
                      option_values: Iterable[tuple[str | None, list[str]]], description: str
                      ) -> list[tuple[str, str, str]]:
    """Attributes of the whole product besides those its phrase states, strongest evidence first: the rest of
    the title ("Oversized Hoodie - Sage"), a single-valued option, a `material:oak` tag, then plain tags. A tag is
    the product's own only when it can be: one colour among its tags, a material the description does not give
    to a part ("sterling silver" on a pearl bracelet with a silver clasp), never a precious metal (a "gold" tag is
    as often gold-plated brass), a style or room (home goods)."""
    out: list[tuple[str, str, str]] = []
    seen = set(own)

    def add(kind: str, term: str, where: str) -> None:
        # A shelf label as a tag ("outdoor", "summer") says where it is sold, not what the product is.
        label = where != "title" and all(w in NON_NOUN_TYPES for w in term.split())
        if kind in ATTRIBUTE_KINDS and (kind, term) not in seen and not label:
            seen.add((kind, term))
            out.append((kind, term, where))

    for kind, term in _attributes_in([*trailing, *(t.lower() for text in rest for t in _TITLE_TOKEN.findall(text))]):
        add(kind, term, "title")
    varying = set()
    for option_kind, values in option_values:
        if option_kind in ("colour", "material") and len(values) == 1:
            found = attribute_term(values[0].strip()) or (option_kind, fold(values[0]).strip())
            add(option_kind if found[0] not in ("colour", "material") else found[0], found[1], "option")
        elif option_kind and len(values) > 1:
            varying.add(option_kind)
    plain: list[tuple[str, str]] = []
    for tag in tags:
        key, sep, value = tag.partition(":")
        if sep and _OPTION_KINDS.get(key.strip().lower()) in ("colour", "material"):
            named = attribute_term(value.strip())
            add(_OPTION_KINDS[key.strip().lower()], named[1] if named else fold(value).strip(), "tag")
        elif not sep:
            plain += _tag_attributes(tag)
    colours = {term for kind, term in plain if kind == "colour"}
    folded = fold(description) if plain else ""
    for kind, term in plain:
        if kind == "colour" and (len(colours) > 1 or "colour" in varying or _of_a_part(term, folded) or _metal(term)):
            continue
        if kind == "material" and (_of_a_part(term, folded) or _metal(term)):
            continue  # a "gold" tag on gold-plated brass, "sterling silver" on a silver clasp: no metal from a tag
        if kind != "size":
            add(kind, term, "tag")
    return out


@lru_cache(maxsize=65536)
def head_word(category: str | None, vocab_type: str | None, locale: str) -> tuple[str, str] | None:
    """(the locale's word for a product's head noun, where it comes from), through the taxonomy category or the
    vocabulary type that names it as a whole; None when neither has the word: a head noun is never translated
    word by word or out of its category ("full" is no bed size on a fleece)."""
    language = locale.split("-")[0].lower()
    if category is not None:
        word = category_word(category, language)
        if word:
            english = taxonomy.load().categories[category].name("en")
            return word, f"the Shopify product taxonomy's {language} name for the category '{english}'"
    if vocab_type is not None:
        word = translate_term(vocab_type, language)
        if word != vocab_type or language == "en" or term_kind(vocab_type) == "type":
            return word, f"the home-goods vocabulary's {language} word for '{vocab_type}'"
    return None


@lru_cache(maxsize=65536)
def attribute_word(kind: str, term: str, family: str | None, locale: str) -> str | None:
    """An attribute's word in `locale`, looked up by its kind (colour, material) and the product's family; None
    when no vocabulary has it. Precious metals come only from the taxonomy's jewellery materials ("silver" is not
    "plateado", silvery, on a sterling silver ring); sizes, styles and rooms only for home goods."""
    language = locale.split("-")[0].lower()
    if language == "en":
        return term
    if kind not in ("colour", "material") and family != "home":
        return None
    if family in ("apparel", "jewellery") and kind in TAXONOMY_ATTRIBUTES:
        if _metal(term):  # silver cufflinks are made of silver ("plata"), not silvery ("plateado")
            word = taxonomy.translate_value("jewelry_material", term, language)
            return word.lower() if word else None
        for attribute in TAXONOMY_ATTRIBUTES[kind]:
            if attribute != "jewelry_material" and taxonomy.translate_value(attribute, term, "en"):
                word = taxonomy.translate_value(attribute, term, language)
                if word:
                    return word.lower()
                break
    if term_kind(term) == kind:
        return translate_term(term, language)
    return None


@lru_cache(maxsize=65536)
def _tag_attributes(tag: str) -> tuple[tuple[str, str], ...]:
    return _attributes_of(tuple(t.lower() for t in _TITLE_TOKEN.findall(tag)))


def line_names(facts: Iterable[ProductProfile]) -> frozenset[str]:
    """Line names of a catalogue: a first title word no vocabulary knows that several titles start with
    ("Kestrel Running Tee", "Kestrel Sports Bra")."""
    counts: dict[str, int] = {}
    for f in facts:
        if f.parts is not None and f.parts.lead:
            counts[f.parts.lead] = counts.get(f.parts.lead, 0) + 1
    return frozenset(word for word, count in counts.items() if count > 1)


__all__ = ["KeywordParts", "ProductProfile", "product_profile", "keyword_parts", "line_names", "category_word",
           "head_word", "attribute_word", "attribute_term", "names_no_product", "ATTRIBUTE_KINDS", "term_kind"]
