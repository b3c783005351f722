"""Collection copy: the intro at the top of a collection page, and its SEO title and meta description, per locale.

For each collection whose intro is missing or thin (collections_audit.parquet's findings where the audit saw the
collection, else the same test on the row: fewer words than [limits] body_min_words), in each of [pipeline]
locales, `write_collection_drafts` writes:

- an intro of one to three short paragraphs that says what the collection holds only by facts every active
  product of it shares (a material all of them are made of, one vendor) or by counts and ranges over them
  ("22 products in 4 sizes, from 19.00 to 89.00 EUR"), never by a fact only some have; it links to up to three of
  its best products (most link score received in links.parquet, else the first active ones) and up to two
  sibling collections (those sharing the most active products, else the same kind of product);
- an SEO title (the collection's title, with the brand after it where it fits [limits]) and a meta description.

Who writes: the offline template writer (no model) when the provider is template-based or None: in the primary
locale always, in fr/de/es only where the content gates' noun vocabulary (lexicon NOUNS) has the collection's noun
and every other word of its title is a material it can name; otherwise it abstains, with the reason. With a
language model: prompts/collection.j2 is rendered and sent through the provider's `complete(Request)`; answers
are cached in state.db's response cache when a state store is given.

Every draft then passes the collection gates (`check_collection_copy`): each material, colour, measurement and
number the intro states (link anchors aside: they name one product) must be true of every active member (their
fact sheets, pipeline/gates/sheet.py) or be one of the counts given; links only to member products and known
collections; the language of the locale; no repeated word in the SEO title; no search-talk or stock filler; the
SEO lengths. A model's draft that fails is kept, flagged with the findings, for review; an offline draft that
fails is withheld (abstained), as the product writer does.

The drafts go to workspace/<store>/collection_drafts.parquet (COLLECTION_DRAFTS_SCHEMA, one row per collection and
locale; a run replaces the rows of what it wrote and keeps the others): a file beside collections.parquet and
collection_targets.parquet, which review and push read with the rest of the collection artefacts, and no change
to state.db's schema.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core import collections as coll
from pipeline.core.seo_limits import SeoLimits
from pipeline.gates.content import FactSheet, ProductFactsInput, build_fact_sheet
from pipeline.gates.content.checks_text import check_search_talk
from pipeline.gates.content.extract import extract
from pipeline.gates.content.identity import repeated_word
from pipeline.gates.content.language import wrong_language
from pipeline.gates.content.lexicon import COLOURS, MATERIALS, NOUNS
from pipeline.gates.content.text import STOPWORDS, fold, numbers, strip_html, words
from pipeline.gates.sheet import fact_sheet
from pipeline.llm.provider import Message, Provider, Request, Response
from pipeline.stages.generate.offline_writer import _is_canonical, _localised, _surface
from pipeline.stages.generate.prompts import Prompts
from pipeline.workspace import Workspace, atomic_path

COLLECTION = "collection.j2"
WRITER = "offline-collection-writer-1"
MAX_PRODUCT_LINKS = 3
MAX_COLLECTION_LINKS = 2
INTRO_TAGS = frozenset({"p", "a", "strong", "em", "br"})
NEEDS_COPY = frozenset({"collection_missing_description", "collection_thin_description"})
_DEFAULT_FORMALITY = {"en": "informal", "fr": "formal", "de": "formal", "es": "informal"}  # as stage.py's
_OFFLINE_LANGS = ("fr", "de", "es")
_HREF = re.compile(r"""<a\b[^>]*?href\s*=\s*["']([^"']*)["'][^>]*>(.*?)</a\s*>""", re.I | re.S)
_TAG = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9]*)")
LINK_TYPE = pa.struct([("kind", pa.string()), ("handle", pa.string()), ("anchor", pa.string())])
COLLECTION_DRAFTS_SCHEMA = pa.schema([
    ("collection_handle", pa.string()),
    ("collection_id", pa.string()),  # the store's GID; "" for a proposal
    ("collection_source", pa.string()),  # collections.parquet `source`
    ("locale", pa.string()),
    ("keyword", pa.string()),  # the primary keyword (collection_targets.parquet), "" when none
    ("description", pa.string()),  # the intro (HTML); "" when abstained
    ("seo_title", pa.string()),
    ("seo_description", pa.string()),
    ("links", pa.list_(LINK_TYPE)),  # what the intro links to: kind "product" | "collection"
    ("status", pa.string()),  # "ok" | "flagged" (gate findings, for review) | "abstained" (nothing written)
    ("findings", pa.list_(pa.string())),  # "code: message", or the reason for abstaining
    ("provider", pa.string()),
    ("model", pa.string()),
    ("created_at", pa.string()),
])


def collection_drafts_path(workspace: Workspace) -> Path:
    return workspace.root / "collection_drafts.parquet"


# -- what is true of a collection --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Link:
    kind: str  # "product" | "collection"
    handle: str
    anchor: str

    @property
    def url(self) -> str:
        return f"/{'products' if self.kind == 'product' else 'collections'}/{self.handle}"

    def html(self) -> str:
        return f'<a href="{self.url}">{html.escape(self.anchor, quote=False)}</a>'


@dataclass
class CollectionFacts:
    """A collection and what every one of its active products has (or what they range over)."""

    handle: str
    title: str
    id: str
    source: str
    active_products: int
    members: frozenset[str]  # handles of every member, any status
    member_titles: list[str]
    materials: list[str]  # material concepts every active member is made of (whole)
    colours: list[str]  # colour concepts every active member has
    vendor: str  # the one vendor of every active member, else ""
    product_types: list[str]  # distinct product types, most common first
    sizes: int  # distinct size values over the members' variants
    colour_count: int  # distinct colour values over the members' variants
    price_range: tuple[str, str] | None  # lowest and highest variant price
    shared_numbers: frozenset[str]  # numbers every active member's data states
    shared_measurements: frozenset[str]
    shared_words: frozenset[str] = frozenset()  # folded words every active member's title, tags or copy has
    half_from: str | None = None  # the price from which at least half the active members start (lower median)
    products: list[Link] = field(default_factory=list)
    collections: list[Link] = field(default_factory=list)
    keywords: dict[str, str] = field(default_factory=dict)  # locale -> primary keyword
    product_prices: dict[str, str] = field(default_factory=dict)  # linked product handle -> its lowest price
    collection_sizes: dict[str, int] = field(default_factory=dict)  # linked collection handle -> active products

    def counts(self) -> set[str]:
        """The numbers the copy may state: its counts and price bounds, the median starting price, the linked
        products' lowest prices and the linked collections' product counts."""
        out = {str(self.active_products), str(self.sizes), str(self.colour_count), str(len(self.product_types))}
        if self.price_range:
            out |= numbers(" ".join(self.price_range))
        if self.half_from:
            out |= numbers(self.half_from)
        out |= numbers(" ".join(self.product_prices.values()))
        out |= {str(n) for n in self.collection_sizes.values()}
        return out | set(self.shared_numbers)

    def shared(self) -> dict[str, Any]:
        """The facts as the prompt states them."""
        out: dict[str, Any] = {"active_products": self.active_products}
        if self.materials:
            out["material_of_every_product"] = self.materials
        if self.colours:
            out["colour_of_every_product"] = self.colours
        if self.vendor:
            out["vendor_of_every_product"] = self.vendor
        if self.product_types:
            out["product_types"] = self.product_types
        if self.sizes > 1:
            out["distinct_sizes"] = self.sizes
        if self.colour_count > 1:
            out["distinct_colours"] = self.colour_count
        if self.price_range:
            out["price_range"] = list(self.price_range)
        if self.half_from:
            out["half_of_the_products_start_at_or_under"] = self.half_from
        if self.product_prices:
            out["linked_products_lowest_price"] = dict(self.product_prices)
        if self.collection_sizes:
            out["linked_collections_active_products"] = dict(self.collection_sizes)
        return out


def _concepts_in_tags(tags: Sequence[str], lexicon: Any) -> set[str]:
    return {m.concept for t in tags for m in lexicon.find(str(t), "en")}


def _option_values(row: Mapping[str, Any], kind: str) -> set[str]:
    names = [str(n) for n in (row.get("options") or [])]
    out: set[str] = set()
    for position, name in enumerate(names[:3], start=1):
        lowered = name.lower()
        wanted = ("size", "taille", "größe", "talla", "dimension") if kind == "size" else (
            "colour", "color", "couleur", "farbe")
        if any(w in lowered for w in wanted):
            out |= {str(v.get(f"option{position}") or "").strip().lower() for v in row.get("variants") or []
                    if isinstance(v, Mapping)} - {""}
    return out


def _prices(row: Mapping[str, Any]) -> list[Decimal]:
    out = []
    for v in row.get("variants") or []:
        try:
            out.append(Decimal(str((v or {}).get("price") or "")))
        except InvalidOperation:
            continue
    return out


def collection_facts(row: Mapping[str, Any], catalog: Mapping[str, Mapping[str, Any]],
                     sheets: dict[str, FactSheet], primary_locale: str = "en") -> CollectionFacts:
    """The collection's facts from its active members' catalogue rows (`catalog`: handle -> row); `sheets`
    caches fact sheets across collections."""
    members = [str(h) for h in row.get("product_handles") or []]
    active = [catalog[h] for h in members if h in catalog and str(catalog[h].get("status") or "").lower() == "active"]
    for product in active:
        if product["handle"] not in sheets:
            sheets[product["handle"]] = fact_sheet(product, primary_locale)
    own = [sheets[p["handle"]] for p in active]
    materials: set[str] | None = None
    colours: set[str] | None = None
    nums: set[str] | None = None
    measures: set[str] | None = None
    common: set[str] | None = None
    for product, sheet in zip(active, own, strict=True):
        tags = [str(t) for t in product.get("tags") or []]
        mats = {c for c, scopes in sheet.materials.items() if "whole" in scopes} | _concepts_in_tags(tags, MATERIALS)
        product_colours = {m.concept for m in COLOURS.find(str(product.get("title") or ""), "en")}
        product_colours |= {m.concept for o in sheet.options if o.kind == "colour" and o.level == "product"
                            for v in o.values for m in COLOURS.find(v, "en")}
        materials = mats if materials is None else materials & mats
        colours = product_colours if colours is None else colours & product_colours
        nums = set(sheet.numbers) if nums is None else nums & set(sheet.numbers)
        measures = set(sheet.measurements) if measures is None else measures & set(sheet.measurements)
        own_words = {fold(w) for w in words(" ".join([str(product.get("title") or ""), " ".join(tags),
                                                       strip_html(str(product.get("body_html") or ""))]))}
        common = own_words if common is None else common & own_words
    vendors = {str(p.get("vendor") or "").strip() for p in active}
    types = Counter(str(p.get("product_type") or "").strip() for p in active if p.get("product_type"))
    sizes: set[str] = set()
    colour_values: set[str] = set()
    prices: list[Decimal] = []
    starting: list[Decimal] = []  # each active member's lowest price
    for product in active:
        sizes |= _option_values(product, "size")
        colour_values |= _option_values(product, "colour")
        own_prices = [p for p in _prices(product) if p > 0]
        prices += own_prices
        if own_prices:
            starting.append(min(own_prices))
    prices = [p for p in prices if p > 0]
    starting.sort()
    # true of at least half: that many members start at this price or less (and, with 4 or more, some above it)
    half_from = f"{starting[(len(starting) - 1) // 2]:.2f}" if len(starting) >= 4 and starting[0] < starting[-1] \
        else None
    # a material is the collection's only where every member names it by the same word (the vocabulary files
    # beeswax and soy wax under one concept: "made of soy wax" would be untrue of a beeswax candle)
    materials = {c for c in materials or () if _named_by_all(c, common or set())}
    return CollectionFacts(
        handle=str(row["handle"]), title=str(row.get("title") or ""), id=str(row.get("id") or ""),
        source=str(row.get("source") or ""), active_products=len(active), members=frozenset(members),
        member_titles=[str(p.get("title") or "") for p in active[:12]],
        materials=sorted(materials or ()), colours=sorted(colours or ()),
        vendor=next(iter(vendors)) if len(vendors) == 1 else "", product_types=[t for t, _ in types.most_common()],
        sizes=len(sizes), colour_count=len(colour_values),
        price_range=(f"{min(prices):.2f}", f"{max(prices):.2f}") if prices else None,
        shared_numbers=frozenset(nums or ()), shared_measurements=frozenset(measures or ()),
        shared_words=frozenset(common or ()), half_from=half_from)


def _named_by_all(concept: str, common: set[str]) -> bool:
    forms = MATERIALS.surface["en"].get(concept) or []
    return bool(forms) and all(fold(w) in common for w in words(str(forms[0])))


def _best_products(facts: CollectionFacts, catalog: Mapping[str, Mapping[str, Any]], handles: Sequence[str],
                   inbound: Mapping[str, float]) -> list[Link]:
    """Up to MAX_PRODUCT_LINKS active members: most link score received (links.parquet), then catalogue order.
    Their lowest prices go into facts.product_prices."""
    active = [h for h in handles if h in catalog and str(catalog[h].get("status") or "").lower() == "active"]
    ranked = sorted(enumerate(active), key=lambda p: (-inbound.get(p[1], 0.0), p[0]))
    chosen: list[Link] = []
    named: set[str] = set()
    for _, handle in ranked:
        title = " ".join(str(catalog[handle].get("title") or "").split())
        # a title that names nothing ("986-6735-P") or that another chosen product has reads badly as a pick
        if not _names_a_product_title(title) or fold(title) in named:
            continue
        chosen.append(Link("product", handle, title))
        named.add(fold(title))
        if len(chosen) == MAX_PRODUCT_LINKS:
            break
    for link in chosen:
        prices = [p for p in _prices(catalog[link.handle]) if p > 0]
        if prices:
            facts.product_prices[link.handle] = f"{min(prices):.2f}"
    return chosen


def _names_a_product_title(title: str) -> bool:
    """A title with a word of three letters or more: not a bare SKU or code."""
    return any(len(w) >= 3 and not any(ch.isdigit() for ch in w) for w in words(title))


def _siblings(index: int, rows: Sequence[Mapping[str, Any]], active_sets: Sequence[set[str]],
              nouns: Sequence[str | None]) -> list[Link]:
    """Up to MAX_COLLECTION_LINKS other collections: sharing the most active products without being the same
    page, else naming the same family of product."""
    row, mine = rows[index], active_sets[index]
    # a store collection links to the store's own collections only (a proposal may never be created)
    usable = [j for j, other in enumerate(rows) if j != index and active_sets[j] and other["handle"] != row["handle"]
              and (row.get("source") != "store" or other.get("source") == "store")]
    scored = []
    for j in usable:
        overlap = len(mine & active_sets[j])
        if overlap and overlap < max(len(mine), len(active_sets[j])):
            scored.append((-overlap, len(active_sets[j]), j))
    family = NOUNS.family.get(nouns[index] or "", "") if nouns[index] else ""
    if len(scored) < MAX_COLLECTION_LINKS and family:
        taken = {j for _, _, j in scored}
        scored += [(0, -len(active_sets[j]), j) for j in usable
                   if j not in taken and nouns[j] and nouns[j] != nouns[index]
                   and NOUNS.family.get(nouns[j] or "", "") == family]
    scored.sort()
    return [Link("collection", str(rows[j]["handle"]), str(rows[j].get("title") or rows[j]["handle"]))
            for _, _, j in scored[:MAX_COLLECTION_LINKS]]


def title_noun(title: str) -> str | None:
    """The noun concept a collection's title names ("Oak Table Lamps": table lamp), the last one."""
    found = NOUNS.find(title, "en")
    return found[-1].concept if found else None


# -- the offline writer ----------------------------------------------------------------------------------------
_PHRASES: dict[str, dict[str, str]] = {
    "en": {"holds": "The {label} collection holds {n} products", "by": " by {vendor}", "sizes": " in {k} sizes",
           "colours": "{sep}{c} colours", "made": "Every one of them is made of {mats}.",
           "types": "It brings together {types}.", "prices": "Prices run from {lo} to {hi} {cur}.",
           "start": "A good place to start: {links}.", "see": "See also {links}.", "and": "and",
           "half": "Half of them start at {p} {cur} or less.", "from": "from {p} {cur}", "count": "{n} products"},
    "fr": {"holds": "La collection « {label} » réunit {n} produits", "by": " de {vendor}",
           "sizes": " en {k} tailles", "colours": "{sep}{c} coloris", "made": "Matière commune à tous : {mats}.",
           "types": "", "prices": "Prix : de {lo} à {hi} {cur}.", "start": "Pour commencer : {links}.",
           "see": "Voir aussi : {links}.", "and": "et",
           "half": "Pour la moitié d'entre eux, les prix commencent à {p} {cur} ou moins.", "from": "dès {p} {cur}",
           "count": "{n} produits"},
    "de": {"holds": "Die Kollektion „{label}“ umfasst {n} Produkte", "by": " von {vendor}",
           "sizes": " in {k} Größen", "colours": "{sep}{c} Farben", "made": "Material aller Produkte: {mats}.",
           "types": "", "prices": "Preise: von {lo} bis {hi} {cur}.", "start": "Zum Einstieg: {links}.",
           "see": "Siehe auch: {links}.", "and": "und",
           "half": "Bei der Hälfte davon beginnen die Preise bei {p} {cur} oder darunter.", "from": "ab {p} {cur}",
           "count": "{n} Produkte"},
    "es": {"holds": "La colección «{label}» reúne {n} productos", "by": " de {vendor}", "sizes": " en {k} tallas",
           "colours": "{sep}{c} colores", "made": "Material común a todos: {mats}.", "types": "",
           "prices": "Precios: de {lo} a {hi} {cur}.", "start": "Para empezar: {links}.",
           "see": "Ver también: {links}.", "and": "y",
           "half": "La mitad tiene precios desde {p} {cur} o menos.", "from": "desde {p} {cur}",
           "count": "{n} productos"},
}


def _join(items: Sequence[str], and_word: str) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {and_word} " + items[-1]


def local_label(facts: CollectionFacts, lang: str) -> tuple[str | None, str]:
    """The collection's name in `lang`: its title in English; elsewhere its noun (and materials) in the gates'
    vocabulary, or (None, why) when the vocabulary cannot say every word of the title."""
    if lang == "en":
        return facts.title, ""
    if lang not in _OFFLINE_LANGS:
        return None, f"no {lang} phrases in the offline collection writer"
    toks = tuple(words(facts.title))
    nouns = NOUNS.find_words(toks, "en")
    if not nouns:
        return None, f"no {lang} vocabulary: the noun of '{facts.title}' is not in the vocabulary"
    said = " ".join(toks[nouns[-1].start:nouns[-1].end])
    # The vocabulary groups narrower words under one concept for the identity gate ("side tables" under table,
    # "napkins" under tablecloth, "armchairs" under chair): only the concept's main word may be translated.
    if not _is_canonical(NOUNS, nouns[-1].concept, said, "en"):
        return None, f"no {lang} vocabulary: no {lang} word for '{said}' (only for '{nouns[-1].concept}')"
    noun = _surface(NOUNS, nouns[-1].concept, lang)
    main_word = (NOUNS.surface.get(lang, {}).get(nouns[-1].concept) or [""])[0]
    if not noun or fold(noun) != fold(str(main_word)):
        # the locale's main word reads as something else too, and a narrower one would misname the page
        # ("Laken", a sheet, for bedding)
        return None, f"no {lang} vocabulary: no {lang} word for '{said}' that names only it"
    mats = MATERIALS.find_words(toks, "en")
    covered = {i for m in [*nouns[-1:], *mats] for i in range(m.start, m.end)}
    rest = [w for i, w in enumerate(toks) if i not in covered and w.lower() not in STOPWORDS.get("en", set())]
    if rest or len(nouns) > 1:
        return None, f"no {lang} vocabulary: no {lang} phrase for the words of '{facts.title}'"
    materials = [_surface(MATERIALS, m.concept, lang, source=" ".join(toks[m.start:m.end])) for m in mats]
    if not all(materials):
        return None, f"no {lang} vocabulary: a material of '{facts.title}' has no {lang} form"
    return _localised(lang, noun, "", materials, []), ""


def _named(handle: str, title: str) -> CollectionFacts:
    """A collection known only by its handle and title: all `local_label` reads."""
    return CollectionFacts(handle, title, "", "", 1, frozenset(), [], [], [], "", [], 0, 0, None, frozenset(),
                           frozenset())


def label_clashes(rows: Sequence[Mapping[str, Any]], locales: Sequence[str]) -> dict[tuple[str, str], str]:
    """(collection handle, locale) -> the title of another collection whose name the vocabulary renders the same
    in that locale. "Travertine Side Tables" and "Travertine Coffee Tables" are both "Table en pierre naturelle"
    in French: a page titled so would say less than its English one and compete with its neighbour, so the
    offline writer names neither."""
    clashes: dict[tuple[str, str], str] = {}
    for locale in locales:
        lang = locale.split("-")[0].lower()
        if lang == "en":
            continue
        seen: dict[str, tuple[str, str]] = {}  # folded label -> (handle, title) of the first with it
        for row in rows:
            handle, title = str(row.get("handle") or ""), str(row.get("title") or "")
            label, _ = local_label(_named(handle, title), lang)
            if not label:
                continue
            first = seen.setdefault(fold(label), (handle, title))
            if first[0] != handle and fold(first[1]) != fold(title):
                clashes[(handle, locale)] = first[1]
                clashes.setdefault((first[0], locale), title)
    return clashes


def offline_copy(facts: CollectionFacts, locale: str, limits: SeoLimits, brand: str,
                 currency: str = "") -> tuple[dict[str, str | None] | None, str]:
    """(draft, "") or (None, why it abstained) for one collection in one locale, built only from `facts`."""
    lang = locale.split("-")[0].lower()
    label, why = local_label(facts, lang)
    if label is None:
        return None, why
    if facts.active_products == 0:
        return None, "no active products: nothing true of the collection to say"
    siblings = facts.collections
    if lang != "en":  # a sibling is named in the locale only where the vocabulary names it
        siblings = []
        for link in facts.collections:
            name, _ = local_label(_named(link.handle, link.anchor), lang)
            if name:
                siblings.append(Link("collection", link.handle, name))
    # The core facts first; then, only while the intro is under [limits] body_min_words (what the audit calls
    # thin), more facts true of the collection: the median starting price, the linked products' lowest prices,
    # the linked collections' sizes. Never filler: with no more facts, the intro stays short.
    for more in range(4):
        description, sentences, start = _intro(facts, lang, label, currency, siblings, more)
        if coll.intro_words({"description": description}) >= limits.body_min_words:
            break
    seo_title = _seo_title(label, brand, limits)
    if seo_title is None:
        return None, f"the collection's name '{label}' does not fit the SEO title's limits"
    seo_description = _meta_description(sentences, (start, _intro(facts, lang, label, currency, [], 0)[2]), limits)
    if seo_description is None:
        return None, "too few facts for a meta description within the limits"
    return {"description_html": description, "seo_title": seo_title, "seo_description": seo_description}, ""


def _intro(facts: CollectionFacts, lang: str, label: str, currency: str, siblings: Sequence[Link],
           more: int) -> tuple[str, list[str], str]:
    """(intro HTML, the first paragraph's sentences, the paragraph of product links) with `more` of the extra
    facts (0 to 3: the median starting price, the linked products' prices, the linked collections' sizes)."""
    words_ = _PHRASES[lang]

    def money(value: str) -> str:
        return value if lang == "en" else value.replace(".", ",")

    first = words_["holds"].format(label=label, n=facts.active_products)
    if facts.vendor:
        first += words_["by"].format(vendor=facts.vendor)
    if facts.sizes > 1:
        first += words_["sizes"].format(k=facts.sizes)
    if facts.colour_count > 1:
        first += words_["colours"].format(c=facts.colour_count, sep=f" {words_['and']} " if facts.sizes > 1 else " in "
                                          if lang == "en" else ", ")
    first += "."
    sentences = [first]
    mats = [_surface(MATERIALS, m, lang, source=str((MATERIALS.surface["en"].get(m) or [""])[0]))
            for m in facts.materials]
    if mats and all(mats):
        sentences.append(words_["made"].format(mats=_join(mats, words_["and"])))
    if lang == "en" and len(facts.product_types) > 1:
        types = facts.product_types
        sentences.append(words_["types"].format(types=_join(types, "and")) if len(types) <= 4 else
                         f"It spans {len(types)} kinds of product, among them {_join(types[:3], 'and')}.")
    if facts.price_range and currency and facts.price_range[0] != facts.price_range[1]:
        lo, hi = facts.price_range
        sentences.append(words_["prices"].format(lo=money(lo), hi=money(hi), cur=currency))
        if more >= 1 and facts.half_from:
            sentences.append(words_["half"].format(p=money(facts.half_from), cur=currency))
    paragraphs = [" ".join(sentences)]
    start = ""
    if facts.products:
        named = []
        for p in facts.products:
            price = facts.product_prices.get(p.handle)
            named.append(p.html() + (f" ({words_['from'].format(p=money(price), cur=currency)})"
                                     if more >= 2 and price and currency else ""))
        start = words_["start"].format(links=_join(named, words_["and"]))
        paragraphs.append(start)
    if siblings:
        named = [s.html() + (f" ({words_['count'].format(n=facts.collection_sizes[s.handle])})"
                             if more >= 3 and facts.collection_sizes.get(s.handle) else "") for s in siblings]
        paragraphs.append(words_["see"].format(links=_join(named, words_["and"])))
    return "".join(f"<p>{p}</p>" for p in paragraphs), sentences, start


def _meta_description(sentences: Sequence[str], starts: Sequence[str], limits: SeoLimits) -> str | None:
    """The intro's facts, then the first of `starts` (the products to start with: with their prices, without)
    that fits the limits after them."""
    plain = [strip_html(s) for s in sentences]
    for start in dict.fromkeys(strip_html(s) for s in starts if s):
        found = _fit_description([*plain, start], limits)
        if found is not None and found.endswith(start):
            return found
    return _fit_description(plain, limits)


def _seo_title(label: str, brand: str, limits: SeoLimits) -> str | None:
    candidates = [label] if limits.title_suffix or not brand else [f"{label} – {brand}", label]
    return next((c for c in candidates if limits.seo_title_fits(c)), None)


def _fit_description(sentences: Sequence[str], limits: SeoLimits) -> str | None:
    text = ""
    for sentence in sentences:
        longer = f"{text} {sentence}".strip()
        if not limits.seo_description_fits(longer) and len(longer) > limits.seo_description_max_chars:
            break
        if len(longer) <= limits.seo_description_max_chars and \
                limits.seo_description_width(longer) <= limits.seo_description_max_px:
            text = longer
    return text if limits.seo_description_fits(text) and len(text) >= limits.seo_description_min_chars else None


# -- the gates ---------------------------------------------------------------------------------------------------
def _without_anchors(markup: str, names: Sequence[str] = ()) -> str:
    """The intro's text less its link anchors and the linked products' names: they name one product, not the
    collection."""
    text = " ".join(strip_html(_HREF.sub(" ", markup or "")).split())
    for name in sorted(names, key=len, reverse=True):
        if name.strip():
            text = re.sub(re.escape(name.strip()), " ", text, flags=re.I)
    return text


def _collection_sheet(facts: CollectionFacts, locale: str) -> FactSheet:
    return build_fact_sheet(ProductFactsInput(title=facts.title, vendor=facts.vendor,
                                              product_type=facts.product_types[0] if facts.product_types else "",
                                              primary_locale=locale.split("-")[0]))


def check_collection_copy(draft: Mapping[str, str | None], facts: CollectionFacts, locale: str, limits: SeoLimits,
                          known_collections: frozenset[str], primary_locale: str = "en") -> list[str]:
    """Findings ("code: message") on one collection draft; [] when it passes."""
    lang = locale.split("-")[0].lower()
    primary = primary_locale.split("-")[0].lower()
    out: list[str] = []
    body = str(draft.get("description_html") or "")
    seo_title = str(draft.get("seo_title") or "")
    seo_description = str(draft.get("seo_description") or "")
    if not body.strip() or not seo_title.strip() or not seo_description.strip():
        missing = [k for k in ("description_html", "seo_title", "seo_description") if not str(draft.get(k) or "")]
        out.append(f"bad_answer: missing {', '.join(missing)}")
    bad_tags = sorted({t.lower() for t in _TAG.findall(body)} - INTRO_TAGS)
    if bad_tags:
        out.append(f"html: tags not allowed in an intro: {', '.join(bad_tags)}")
    product_links = collection_links = 0
    for href, _ in _HREF.findall(body):
        match = re.fullmatch(r"/(products|collections)/([a-z0-9][a-z0-9-]*)/?", href.strip())
        if match is None:
            out.append(f"bad_link: {href!r} is not a page of this shop")
        elif match.group(1) == "products":
            product_links += 1
            if match.group(2) not in facts.members:
                out.append(f"bad_link: {href!r} is not a product of this collection")
        else:
            collection_links += 1
            if match.group(2) not in known_collections or match.group(2) == facts.handle:
                out.append(f"bad_link: {href!r} is not another collection of this shop")
    if product_links > MAX_PRODUCT_LINKS or collection_links > MAX_COLLECTION_LINKS:
        out.append(f"too_many_links: {product_links} product and {collection_links} collection links "
                   f"(at most {MAX_PRODUCT_LINKS} and {MAX_COLLECTION_LINKS})")
    # claims: what the intro and meta description state must be true of every active member
    title_materials = {m.concept for m in MATERIALS.find(facts.title, "en")}
    title_colours = {m.concept for m in COLOURS.find(facts.title, "en")}
    # a material's word in the locale may also read as a colour ("travertin"): the title's, not a claim
    title_colours |= {m.concept for c in title_materials for f in MATERIALS.surface.get(lang, {}).get(c, [])
                      for m in COLOURS.find(str(f), lang)}
    allowed_numbers = facts.counts() | numbers(facts.title)
    names = [link.anchor for link in facts.products]
    for name, text in (("description_html", _without_anchors(body, names)),
                       ("seo_description", _without_anchors(seo_description, names)), ("seo_title", seo_title)):
        toks = tuple(words(text))
        for hit in MATERIALS.find_words(toks, lang):
            said = " ".join(toks[hit.start:hit.end])
            if hit.concept in title_materials:
                continue
            if hit.concept not in facts.materials or (lang == primary and not all(
                    fold(w) in facts.shared_words for w in words(said))):
                out.append(f"claim_not_shared: the {name} says '{said}', which not every product is made of")
        for concept in sorted({m.concept for m in COLOURS.find(text, lang)} - set(facts.colours) - title_colours):
            out.append(f"claim_not_shared: the {name} says '{concept}', a colour not every product has")
        for measure in sorted(extract(f"<p>{html.escape(text)}</p>", lang).measurements
                              - set(facts.shared_measurements)):
            out.append(f"claim_not_shared: the {name} states the measurement {measure}, not every product's")
        extra = sorted(numbers(text) - allowed_numbers - numbers(facts.vendor))
        if extra:
            out.append(f"claim_not_shared: the {name} states {', '.join(extra)}, not a count or a fact of every "
                       f"product")
    sheet = _collection_sheet(facts, locale)
    prose = _without_anchors(body, names)
    if len(words(prose)) >= 6:
        found = wrong_language(prose, lang, short=False)
        if found:
            out.append(f"wrong_language: the intro reads as {found}, not {lang}")
    found = wrong_language(seo_description, lang, short=False) if len(words(seo_description)) >= 6 else None
    if found:
        out.append(f"wrong_language: the meta description reads as {found}, not {lang}")
    repeated = repeated_word(seo_title, lang, facts.vendor)
    if repeated:
        out.append(f"repeated_word: the SEO title repeats '{repeated}'")
    for finding in check_search_talk({"body_html": body, "seo_description": seo_description,
                                      "seo_title": seo_title}, sheet, lang):
        out.append(f"{finding.code}: {finding.message}")
    if seo_title and not limits.seo_title_fits(seo_title):
        out.append(f"seo_title_length: {len(seo_title)} characters (at most {limits.seo_title_max_chars}, "
                   f"{limits.seo_title_max_px:.0f} px)")
    if seo_description and (not limits.seo_description_fits(seo_description)
                            or len(seo_description) < limits.seo_description_min_chars):
        out.append(f"seo_description_length: {len(seo_description)} characters ({limits.seo_description_min_chars}"
                   f" to {limits.seo_description_max_chars})")
    if len(words(strip_html(body))) > limits.body_max_words:
        out.append(f"intro_length: over {limits.body_max_words} words")
    return out


# -- the language-model path -------------------------------------------------------------------------------------
def collection_schema() -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False,
            "required": ["description_html", "seo_title", "seo_description"],
            "properties": {"description_html": {"type": "string"}, "seo_title": {"type": "string"},
                           "seo_description": {"type": "string"}}}


def collection_request(facts: CollectionFacts, locale: str, prompts: Prompts, *, primary_locale: str,
                       limits: SeoLimits, brand: Mapping[str, Any], guidance: Mapping[str, Any]) -> Request:
    """prompts/collection.j2 (after the locale's guidance) as one Request."""
    links = [{"kind": link.kind, "url": link.url, "anchor": link.anchor} for link in [*facts.products,
                                                                                     *facts.collections]]
    collection = {"handle": facts.handle, "title": facts.title, "product_types": facts.product_types,
                  "active_products": facts.active_products}
    context = {"locale": locale, "primary_locale": primary_locale, "brand": dict(brand), "limits": asdict(limits),
               "collection": collection, "shared": facts.shared(), "member_titles": facts.member_titles,
               "keyword": facts.keywords.get(locale, ""), "links": links,
               "intro_min_words": min(40, limits.body_min_words), "intro_max_words": 150}
    system = prompts.render(prompts.locale_template(locale), locale=locale, guidance=dict(guidance))
    user = prompts.render(COLLECTION, **context)
    return Request(messages=(Message("system", system), Message("user", user)), schema=collection_schema(),
                   max_output_tokens=1200, context=context)


def parse_answer(response: Response) -> dict[str, str | None]:
    if response.finish_reason != "stop":
        return {}
    try:
        data = json.loads(response.text)
    except (ValueError, TypeError):
        return {}
    if not isinstance(data, Mapping):
        return {}
    return {k: (str(data[k]) if data.get(k) is not None else None)
            for k in ("description_html", "seo_title", "seo_description")}


# -- the step ------------------------------------------------------------------------------------------------------
@dataclass
class CollectionDrafts:
    rows: list[dict[str, Any]]
    collections: int  # collections that needed copy

    def counts(self) -> dict[str, int]:
        return dict(Counter(str(r["status"]) for r in self.rows))

    def summary(self) -> str:
        counts = self.counts()
        return (f"collection copy: {self.collections:,} collections needed an intro; {len(self.rows):,} drafts "
                f"(ok {counts.get('ok', 0):,}, flagged {counts.get('flagged', 0):,}, abstained "
                f"{counts.get('abstained', 0):,})")


def _needing_copy(workspace: Workspace, rows: Sequence[Mapping[str, Any]], min_words: int) -> list[int]:
    path = workspace.root / "collections_audit.parquet"
    audited: set[str] = set()
    flagged: set[str] = set()
    if path.exists():
        table = pq.read_table(path, columns=["resource", "handle", "code"]).to_pylist()
        audited = {str(r["handle"]) for r in table if r["resource"] == "collection"}
        flagged = {str(r["handle"]) for r in table if r["resource"] == "collection" and r["code"] in NEEDS_COPY}
    return [i for i, row in enumerate(rows)
            if (row["handle"] in flagged) or (row["handle"] not in audited and coll.intro_words(row) < min_words)]


def _inbound_scores(workspace: Workspace) -> dict[str, float]:
    path = workspace.links
    if not path.exists():
        return {}
    try:
        table = pq.read_table(path, columns=["target_kind", "target_handle", "score"]).to_pylist()
    except (OSError, pa.ArrowException, KeyError):
        return {}
    out: dict[str, float] = {}
    for r in table:
        if r["target_kind"] == "product":
            out[str(r["target_handle"])] = out.get(str(r["target_handle"]), 0.0) + float(r["score"] or 0.0)
    return out


def _keywords(workspace: Workspace) -> dict[tuple[str, str], str]:
    path = workspace.root / "collection_targets.parquet"  # the keywords stage's (keywords/collections.py)
    if not path.exists():
        return {}
    out: dict[tuple[str, str], str] = {}
    for r in pq.read_table(path, columns=["collection_handle", "locale", "keyword", "role"]).to_pylist():
        if r["role"] == "primary":
            out.setdefault((str(r["collection_handle"]), str(r["locale"])), str(r["keyword"]))
    return out


def _catalog(workspace: Workspace) -> dict[str, dict[str, Any]]:
    columns = ["handle", "title", "body_html", "vendor", "product_type", "tags", "status", "options", "variants",
               "seo_title", "seo_description"]
    names = set(pq.ParquetFile(workspace.catalog).schema_arrow.names)
    table = pq.read_table(workspace.catalog, columns=[c for c in columns if c in names]).to_pylist()
    return {str(r["handle"]): r for r in table}


def write_collection_drafts(workspace: Workspace, state: Any = None, settings: Any = None,
                            provider: Provider | None = None, *, prompts: Prompts | None = None,
                            locales: Sequence[str] | None = None, primary_locale: str | None = None,
                            limits: SeoLimits | None = None, brand: Mapping[str, Any] | None = None,
                            currency: str | None = None, only: Sequence[str] | None = None,
                            write: bool = True) -> CollectionDrafts:
    """Drafts an intro, SEO title and meta description for every collection without good intro copy, in every
    locale (module docstring). `settings` (config.Settings) gives locales, limits, brand and currency unless the
    keyword arguments do; `provider` None or template-based: the offline writer; `state` (StateStore): the response
    cache for a model's answers. `only`: these collection handles (whatever their copy). Writes
    collection_drafts.parquet unless `write` is False."""
    locales = tuple(locales or (settings.locales if settings is not None else ("en",)))
    primary = primary_locale or (settings.primary_locale if settings is not None else locales[0])
    limits = limits or (settings.limits if settings is not None else SeoLimits())
    brand_table = dict(brand) if brand is not None else (asdict(settings.brand) if settings is not None else
                                                        {"name": "", "voice": "", "tone": "", "banned_words": ()})
    currency = currency if currency is not None else (settings.generation.currency if settings is not None else "")
    offline = provider is None or provider.template_based
    cache = None
    if state is not None and not offline:
        from pipeline.state.response_cache import ResponseCache, request_key

        cache = ResponseCache(state)
    prompts = prompts or (None if offline else Prompts())
    rows = coll.read_collections(workspace)
    catalog = _catalog(workspace)
    wanted = [i for i, r in enumerate(rows) if r["handle"] in set(only)] if only else \
        _needing_copy(workspace, rows, limits.body_min_words)
    active_sets = [{h for h in r.get("product_handles") or []
                    if str((catalog.get(h) or {}).get("status") or "").lower() == "active"} for r in rows]
    nouns = [title_noun(str(r.get("title") or "")) for r in rows]
    known = frozenset(str(r["handle"]) for r in rows)
    inbound = _inbound_scores(workspace)
    keywords = _keywords(workspace)
    at = {str(r["handle"]): j for j, r in enumerate(rows)}
    clashes = label_clashes(rows, locales) if offline else {}
    sheets: dict[str, FactSheet] = {}
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    out: list[dict[str, Any]] = []
    for i in wanted:
        row = rows[i]
        facts = collection_facts(row, catalog, sheets, primary)
        facts.products = _best_products(facts, catalog, [str(h) for h in row.get("product_handles") or []], inbound)
        facts.collections = _siblings(i, rows, active_sets, nouns)
        facts.collection_sizes = {c.handle: len(active_sets[at[c.handle]]) for c in facts.collections}
        facts.keywords = {loc: keywords.get((facts.handle, loc), "") for loc in locales}
        for locale in locales:
            draft: dict[str, str | None] | None
            why, name, model = "", "offline", WRITER
            if offline and (facts.handle, locale) in clashes:
                draft, why = None, (f"no {locale.split('-')[0]} vocabulary: its name there would be the same as "
                                    f"'{clashes[(facts.handle, locale)]}''s")
            elif offline:
                draft, why = offline_copy(facts, locale, limits, str(brand_table.get("name") or ""), currency)
            else:
                assert provider is not None and prompts is not None
                name, model = provider.name, provider.model
                lang = locale.split("-")[0]
                guidance = {"formality": _DEFAULT_FORMALITY.get(lang, "formal"), "currency": currency or "EUR",
                            "spelling": settings.generation.english_spelling if settings is not None else "US"}
                request = collection_request(facts, locale, prompts, primary_locale=primary, limits=limits,
                                             brand=brand_table, guidance=guidance)
                response = None
                if cache is not None:
                    key = request_key(provider.name, provider.model, request)
                    response = cache.get(key)
                if response is None:
                    response = provider.complete(request)
                    if cache is not None and response.finish_reason == "stop":
                        cache.put(key, provider.name, provider.model, response)
                draft = parse_answer(response)
                if not draft:
                    draft = {}
                    why = "bad_answer: " + (response.refusal or f"not a JSON object ({response.finish_reason})")
            findings = [] if draft is None or why else check_collection_copy(draft, facts, locale, limits, known,
                                                                             primary)
            if draft is not None and findings and offline:  # the offline writer withholds what fails its gates
                why, draft = "self-check: " + "; ".join(findings), None
            status = "abstained" if draft is None else ("flagged" if findings or why else "ok")
            body = str((draft or {}).get("description_html") or "")
            links = [{"kind": ("product" if kind == "products" else "collection"), "handle": handle,
                      "anchor": strip_html(anchor)}
                     for kind, handle, anchor in ((m.group(1), m.group(2), m.group(3)) for m in re.finditer(
                         r"""<a\b[^>]*?href\s*=\s*["']/(products|collections)/([^"'/]*)/?["'][^>]*>(.*?)</a\s*>""",
                         body, re.I | re.S))]
            out.append({"collection_handle": facts.handle, "collection_id": facts.id,
                        "collection_source": facts.source, "locale": locale, "keyword": facts.keywords.get(locale, ""),
                        "description": body, "seo_title": str((draft or {}).get("seo_title") or ""),
                        "seo_description": str((draft or {}).get("seo_description") or ""), "links": links,
                        "status": status, "findings": [why] if why and not findings else findings,
                        "provider": name, "model": model, "created_at": now})
    if write:
        _store(workspace, out)
    return CollectionDrafts(out, len(wanted))


def _store(workspace: Workspace, rows: Sequence[Mapping[str, Any]]) -> None:
    path = collection_drafts_path(workspace)
    written = {(r["collection_handle"], r["locale"]) for r in rows}
    kept = []
    if path.exists():
        kept = [r for r in pq.read_table(path).to_pylist() if (r["collection_handle"], r["locale"]) not in written]
    table = pa.Table.from_pylist([*kept, *rows], schema=COLLECTION_DRAFTS_SCHEMA)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def read_collection_drafts(workspace: Workspace) -> list[dict[str, Any]]:
    path = collection_drafts_path(workspace)
    return pq.read_table(path).to_pylist() if path.exists() else []


__all__ = ["COLLECTION_DRAFTS_SCHEMA", "CollectionDrafts", "CollectionFacts", "Link", "check_collection_copy",
           "collection_drafts_path", "collection_facts", "collection_request", "offline_copy", "parse_answer",
           "read_collection_drafts", "write_collection_drafts"]
