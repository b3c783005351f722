"""Category demand goes to category pages: a query that names a category, or a category and one attribute ("bath
mats", "teak bath mats"), gets a collection as its landing page, not one product.

Each query with demand (GSC impressions, a keyword tool's volume) is read with the home-goods vocabulary
(pipeline/core/vocabulary.py) and, failing that, the catalogue's own product types. It is category-level when it
names one product type the catalogue sells and at most one attribute (a material, colour, style, room or size),
every other word being one that says nothing about the page ("best", "cheap", "for": vocabulary.STOPWORDS).
Brand and product names, questions ("how to clean a bath mat") and queries with two attributes or more are
product-level and stay with the products (targets.parquet). A query naming only attributes ("japandi", "linen")
lands on a collection too when one fits, but is not counted as category-level.

The query's products are the active products of its type (vocabulary.types_compatible) that have its attribute
(ProductProfile.terms: title, type, tags, options). Its landing page is the collection whose active products match
them best (F1 of precision and recall). When none matches well (F1 < MATCH), the query has an attribute, demand
and at least `min_products` matching products that a rule can gather, a smart collection is proposed for review:
the best collection of its type, narrowed by the attribute (`product_type = Bath Mats AND tag = teak`, or
`title contains teak` when titles carry it), titled "Teak Bath Mats", with the query as its keyword; it is added
to collections.parquet with source "proposed_from_query" (pipeline/core/collections.py).

A collection's primary keyword is the query with the most demand among those that fit it well (F1 >= MATCH); the
other queries landing on it are secondary. A collection no query fits gets a derived keyword: its title in the
catalogue's language, and in another locale the vocabulary's words for its type and attribute when it has them.

The queries are landed before the products' keywords are assigned (plan_collection_keywords), and every query
given to a collection is then no product's keyword, primary or secondary (CollectionPlan.reserved, read by
assignment.assign_locale): the products step aside for their category pages. collection_targets.parquet
(COLLECTION_TARGETS_SCHEMA, written by write_collection_targets once the products' targets exist) holds one row
per collection keyword; `product_primary` names a product whose primary keyword has the same text, for a reviewer
(only a derived keyword can still coincide). `figures()` gives the measures of the sample:
category_queries_on_collections, products_without_collection and category_queries_also_product_primary.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core import collections as coll
from pipeline.core.text import fold, handleize, query_singular
from pipeline.core.vocabulary import (
    _SIZE_PATTERN,
    STOPWORDS,
    _phrase_forms,
    _phrase_starts,
    compose_keyword,
    find_terms,
    translate_term,
    types_compatible,
)
from pipeline.stages.keywords.assignment import keyword_key
from pipeline.stages.keywords.files import KeywordFile, KeywordRecord, read_keyword_file
from pipeline.stages.keywords.product_terms import ProductProfile, product_profile
from pipeline.workspace import Workspace, atomic_path

COLLECTION_TARGETS_SCHEMA = pa.schema([
    ("collection_handle", pa.string()),
    ("collection_title", pa.string()),
    ("collection_source", pa.string()),  # collections.parquet `source`
    ("locale", pa.string()),
    ("keyword", pa.string()),
    ("role", pa.string()),  # "primary" | "secondary"
    ("source", pa.string()),  # the keyword file's source ("gsc", "ahrefs", ...) or "derived"
    ("demand", pa.float64()),
    ("match", pa.float64()),  # F1 of the collection's active products against the query's
    ("scope", pa.string()),  # "category" | "category_attribute" | "attribute" | "derived"
    ("reason", pa.string()),
    ("product_primary", pa.string()),  # a product whose primary keyword in targets.parquet is the same query
])
MATCH = 0.8  # F1 from which a collection is the query's own page
ATTRIBUTE_MATCH = 0.5  # a query naming only an attribute lands on a collection only from this F1
ATTRIBUTE_KINDS = ("material", "colour", "style", "room", "size")
CATEGORY_SCOPES = ("category", "category_attribute")
_UNITS = frozenset({"cm", "mm", "m", "in", "inch", "inches", "ft", "x"})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# The catalogue columns a ProductProfile reads (as the keywords stage reads them).
PROFILE_COLUMNS = ["id", "handle", "title", "body_html", "vendor", "product_type", "tags", "status", "published",
                   "collections", "options", "variants", "total_inventory"]


def collection_targets_path(workspace: Workspace) -> Path:
    return workspace.root / "collection_targets.parquet"


# -- reading a query -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueryScope:
    scope: str  # "category" | "category_attribute" | "attribute"
    type_term: str | None  # the vocabulary's type ("bath mat")
    catalogue_type: str | None  # else the catalogue's product type it names, folded and singular ("bangle bracelet")
    attribute: tuple[str, str] | None  # (kind, English term)
    attribute_words: str  # the attribute as the query words it ("sage green")


def read_query(query: str, locale: str, catalogue_types: Mapping[tuple[str, ...], str]) -> QueryScope | None:
    """What a query asks for, or None when it is not about a category (a name, a question, two attributes)."""
    language = locale.split("-")[0].lower()
    tokens = _WORD.findall(fold(query.replace("&", " and ")).replace("-", " "))
    if not tokens:
        return None
    spans = _term_spans(tokens, language)
    covered = np.zeros(len(tokens), dtype=bool)
    for start, end, _, _ in spans:
        covered[start:end] = True
    sizes = [term for kind, term in find_terms(query, language) if kind == "size" and _SIZE_PATTERN.search(term)]
    if sizes:  # "96 inch", "160 x 230 cm": measured sizes, read apart from the vocabulary's words
        for i, token in enumerate(tokens):
            if token.isdigit() or token in _UNITS or re.fullmatch(r"\d+(?:cm|mm|m|in|ft)|\d+x\d+", token):
                covered[i] = True
        spans.append((-1, -1, "size", sizes[0]))
    types = [(s, e, term) for s, e, kind, term in spans if kind == "type"]
    attributes = [(s, e, kind, term) for s, e, kind, term in spans if kind in ATTRIBUTE_KINDS]
    catalogue_type = None
    if not types:
        found = _catalogue_type(tokens, covered, catalogue_types)
        if found is not None:
            start, end, catalogue_type = found
            covered[start:end] = True
    stop = STOPWORDS.get(language, frozenset())
    if any(not c and t not in stop for t, c in zip(tokens, covered, strict=True)):
        return None  # a word that is neither a product type, an attribute nor a word of no weight
    if len({term for _, _, term in types}) > 1 or len({(k, t) for _, _, k, t in attributes}) > 1:
        return None
    attribute = (attributes[0][2], attributes[0][3]) if attributes else None
    words = " ".join(tokens[attributes[0][0]:attributes[0][1]]) if attributes and attributes[0][0] >= 0 else \
        (attribute[1] if attribute else "")
    if types or catalogue_type:
        return QueryScope("category_attribute" if attribute else "category", types[0][2] if types else None,
                          catalogue_type, attribute, words)
    if attribute and attribute[0] != "size":
        return QueryScope("attribute", None, None, attribute, words)
    return None


def _term_spans(tokens: list[str], language: str) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, English term) of each vocabulary wording in the tokens, longest first, as find_terms reads."""
    if language not in ("en", "fr", "de", "es"):
        return []
    forms, _ = _phrase_forms(language)
    starts = _phrase_starts(language)
    spans = []
    i = 0
    while i < len(tokens):
        for n in range(min(starts.get(tokens[i], 0), len(tokens) - i), 0, -1):
            hit = forms.get(tuple(tokens[i:i + n]))
            if hit is not None:
                spans.append((i, i + n, hit[0], hit[1]))
                i += n
                break
        else:
            i += 1
    return spans


def catalogue_type_phrases(product_types: Iterable[str]) -> dict[tuple[str, ...], str]:
    """The catalogue's product types that name a product, as singular word tuples -> the folded singular phrase."""
    out = {}
    for value in set(product_types):
        if value and coll.names_a_product(value):
            words = tuple(query_singular(w) for w in _WORD.findall(fold(value).replace("-", " ")))
            if words:
                out[words] = " ".join(words)
    return out


def _catalogue_type(tokens: list[str], covered: np.ndarray,
                    phrases: Mapping[tuple[str, ...], str]) -> tuple[int, int, str] | None:
    singular = [query_singular(t) for t in tokens]
    best = None
    for words, phrase in phrases.items():
        n = len(words)
        for start in range(len(tokens) - n + 1):
            if tuple(singular[start:start + n]) == words and not covered[start:start + n].any() and (
                    best is None or n > best[1] - best[0]):
                best = (start, start + n, phrase)
    return best


# -- landing pages ---------------------------------------------------------------------------------------------------
@dataclass
class _Catalogue:
    """Profiles with what landing needs: active rows, each collection's active rows, product -> collections."""

    profiles: Sequence[ProductProfile]
    products: coll.Products
    active: np.ndarray
    type_phrases: dict[tuple[str, ...], str]
    by_type: dict[str, list[int]]  # the profiles' product type -> active rows
    by_catalogue_type: dict[str, list[int]]  # the merchant's type, folded and singular -> active rows
    at: dict[str, int]  # handle -> row
    in_products: list[int]  # each row's place in `products` (-1: none)
    terms: list[tuple[str, ...]]  # each row's vocabulary terms and attributes
    collections: list[dict[str, Any]]
    members: list[set[int]]  # active rows of each collection
    of_product: list[list[int]]  # the collections of each row

    @classmethod
    def build(cls, profiles: Sequence[ProductProfile], products: coll.Products,
              collections: Sequence[Mapping[str, Any]]) -> _Catalogue:
        catalogue_at = {h: i for i, h in enumerate(products.handles)}
        active = np.array([bool(products.active[catalogue_at[p.handle]]) if p.handle in catalogue_at
                           else p.landing >= 1.0 for p in profiles], dtype=bool)
        by_type: dict[str, list[int]] = defaultdict(list)
        by_catalogue_type: dict[str, list[int]] = defaultdict(list)
        for r, profile in enumerate(profiles):
            if not active[r]:
                continue
            by_type[profile.product_type].append(r)
            merchant = products.types[catalogue_at[profile.handle]] if profile.handle in catalogue_at else ""
            by_catalogue_type[" ".join(query_singular(w) for w in _WORD.findall(fold(merchant).replace("-", " ")))
                              ].append(r)
        self = cls(profiles, products, active, catalogue_type_phrases(products.types), dict(by_type),
                   dict(by_catalogue_type), {p.handle: i for i, p in enumerate(profiles)},
                   [catalogue_at.get(p.handle, -1) for p in profiles],
                   [tuple(p.terms) + tuple(t for _, t in p.attributes if t not in p.terms) for p in profiles], [], [],
                   [[] for _ in profiles])
        for row in collections:
            self.add(row)
        return self

    def add(self, row: Mapping[str, Any]) -> int:
        rows = {self.at[h] for h in row.get("product_handles") or [] if h in self.at}
        active_rows = {r for r in rows if self.active[r]}
        number = len(self.collections)
        self.collections.append(dict(row))
        self.members.append(active_rows)
        for r in active_rows:
            self.of_product[r].append(number)
        return number

    def query_rows(self, scope: QueryScope) -> tuple[set[int], set[int]]:
        """The active products of the query's type, and those of them with its attribute."""
        of_type: set[int] = set()
        if scope.type_term is not None:
            for product_type, rows in self.by_type.items():
                if product_type and types_compatible(scope.type_term, product_type):
                    of_type.update(rows)
        elif scope.catalogue_type is not None:
            of_type.update(self.by_catalogue_type.get(scope.catalogue_type, []))
        else:
            of_type.update(int(r) for r in np.flatnonzero(self.active))
        if scope.attribute is None:
            return of_type, of_type
        term = scope.attribute[1]
        return of_type, {r for r in of_type if term in self.terms[r]}

    def f1(self, collection: int, wanted: set[int]) -> float:
        members = self.members[collection]
        return 2 * len(members & wanted) / (len(members) + len(wanted)) if members or wanted else 0.0

    def landing(self, wanted: set[int]) -> tuple[int | None, float]:
        """The collection whose active products match `wanted` best (F1), smaller first on a tie."""
        if not wanted:
            return None, 0.0
        shared: dict[int, int] = defaultdict(int)
        for r in wanted:
            for c in self.of_product[r]:
                shared[c] += 1
        best: tuple[float, int, str, int] | None = None
        for c, hits in shared.items():
            f1 = 2 * hits / (len(self.members[c]) + len(wanted))
            key = (-f1, len(self.members[c]), str(self.collections[c]["handle"]), c)
            if best is None or key < best:
                best = key
        return (None, 0.0) if best is None else (best[3], -best[0])


def _proposal(scope: QueryScope, record: KeywordRecord, base: Mapping[str, Any] | None, wanted: set[int],
              catalogue: _Catalogue, min_products: int) -> dict[str, Any] | None:
    """A smart collection for a category-and-attribute query: its type's collection narrowed by the attribute."""
    products = catalogue.products
    rows = sorted(catalogue.in_products[r] for r in wanted if catalogue.in_products[r] >= 0)
    if scope.attribute is None or len(rows) < min_products:
        return None
    base_conditions: tuple[coll.Condition, ...] = ()
    if base is not None and base.get("kind") == "smart" and base.get("rule"):
        try:
            rule = coll.parse_rule(str(base["rule"]))
        except coll.RuleError:
            rule = coll.Rule(())
        if rule.evaluable and not rule.disjunctive and all(c.column != "tag" for c in rule.conditions):
            base_conditions = rule.conditions
    if not base_conditions:  # the product type most of the matching products have
        counts: dict[str, int] = defaultdict(int)
        for r in rows:
            counts[products.types[r]] += 1
        product_type = max(sorted(counts), key=lambda t: counts[t])
        if not product_type:
            return None
        base_conditions = (coll.Condition("product_type", "=", product_type),)
    best: tuple[int, coll.Rule] | None = None
    for condition in _attribute_conditions(scope, rows, products):
        rule = coll.Rule((*base_conditions, condition))
        members = np.flatnonzero(products.mask(rule) & products.active)
        hits = len(set(members.tolist()) & set(rows))
        if hits >= min_products and (best is None or hits > best[0]):
            best = (hits, rule)
    if best is None:
        return None
    base_title = str(base["title"]) if base is not None else base_conditions[0].value
    title = f"{_title_case(scope.attribute_words)} {base_title}".strip()
    row = coll.empty_row(handle=handleize(title), title=title, kind="smart", rule=best[1].text(),
                         source="proposed_from_query", keyword=record.keyword,
                         reason=f"query {record.keyword!r} ({_demand(record.demand)}) has {len(rows):,} matching "
                                f"active products and no collection of its own")
    return coll.evaluated(row, products)


def _attribute_conditions(scope: QueryScope, rows: Sequence[int], products: coll.Products) -> list[coll.Condition]:
    """Ways a rule can say the attribute: a tag that is the term, the title containing the query's or the term's
    words."""
    assert scope.attribute is not None
    kind, term = scope.attribute
    tags: dict[str, int] = defaultdict(int)
    for r in rows:
        for tag in products.tags[r]:
            if (kind, term) in find_terms(tag) and len(find_terms(tag)) == 1:
                tags[tag] += 1
    out = [coll.Condition("tag", "=", tag) for tag in sorted(tags, key=lambda t: (-tags[t], t))[:1]]
    for words in dict.fromkeys([scope.attribute_words, term]):
        if words:
            out.append(coll.Condition("title", "contains", words))
    return out


def _title_case(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split())


def _demand(demand: float | None) -> str:
    return "no demand figure" if demand is None else f"demand {demand:,.0f}"


# -- the stage's step -------------------------------------------------------------------------------------------------
@dataclass
class CollectionTargets:
    rows: int
    proposed: int  # collections proposed for queries
    category_queries: dict[str, int]  # locale -> category-level queries with demand
    landed: dict[str, int]  # locale -> of them, those with a collection to land on

    def summary(self) -> str:
        parts = [f"{loc}: {self.landed[loc]:,} of {n:,} category queries on a collection"
                 for loc, n in self.category_queries.items() if n]
        return (f"collections: {self.rows:,} collection keywords, {self.proposed:,} collections proposed for "
                f"queries" + (f" ({'; '.join(parts)})" if parts else ""))


@dataclass
class CollectionPlan:
    """Where the queries land, made before the products' keywords are assigned so that they can step aside: the
    collection_targets rows (without `product_primary`, which needs the products' targets), this run's proposals,
    and per locale the keyword keys (assignment.keyword_key) of every query given to a collection."""

    rows: list[dict[str, Any]]
    proposals: list[dict[str, Any]]
    category_queries: dict[str, int]  # locale -> category-level queries with demand
    landed: dict[str, int]  # locale -> of them, those with a collection to land on
    reserved: dict[str, frozenset[str]]  # locale -> keys of the queries on collections (not a product's keywords)


def plan_collection_keywords(workspace: Workspace, profiles: Sequence[ProductProfile],
                             files: Sequence[KeywordFile], locales: Sequence[str], *,
                             min_products: int = coll.DEFAULT_MIN_PRODUCTS) -> CollectionPlan:
    """Reads collections (pull's proposals are made here when pull wrote none) and the catalogue; lands each
    query with demand on its collection, proposing the missing ones. Writes nothing (write_collection_targets
    does, once the products' targets exist); keeps only the rows, not the catalogue it built."""
    if not coll.collections_path(workspace).exists() and not coll.collections_csv_path(workspace).exists():
        coll.refresh(workspace, None, min_products=min_products)
    products = coll.Products.read(workspace.catalog)
    current = [r for r in coll.read_collections(workspace, products) if r["source"] != "proposed_from_query"]
    catalogue = _Catalogue.build(profiles, products, current)
    rows: list[dict[str, Any]] = []
    proposals: list[dict[str, Any]] = []
    category_queries: dict[str, int] = {}
    landed: dict[str, int] = {}
    reserved: dict[str, frozenset[str]] = {}
    for locale in locales:
        language = locale.split("-")[0].lower()
        records = _best_records(r for f in files for r in f.records if r.locale == language)
        chosen, counted, hits = _land(records, locale, catalogue, proposals, min_products)
        category_queries[locale], landed[locale] = counted, hits
        mine = _keyword_rows(chosen, catalogue, locale)
        rows += mine
        # the queries (not a derived title: a product's own derived keyword may still be the plain noun)
        reserved[locale] = frozenset(key for r in mine if r["source"] != "derived"
                                     and (key := keyword_key(r["keyword"], locale)))
    return CollectionPlan(rows, proposals, category_queries, landed, reserved)


def write_collection_targets(workspace: Workspace, plan: CollectionPlan,
                             targets: pa.Table | None = None) -> CollectionTargets:
    """Writes collection_targets.parquet (naming, for a reviewer, any product whose primary keyword in `targets` is
    still a collection's query), and collections.parquet with this run's proposals for queries in place of the
    last run's."""
    if plan.proposals or any(r["source"] == "proposed_from_query" for r in coll.stored_rows(workspace)):
        stored = [r for r in coll.stored_rows(workspace) if r["source"] != "proposed_from_query"]
        coll.write_collections(workspace, [*stored, *plan.proposals])
    product_primary = _product_primaries(targets)
    rows = [{**row, "product_primary": product_primary.get(
        (row["locale"], " ".join(str(row["keyword"]).lower().split())))} for row in plan.rows]
    table = pa.Table.from_pylist(rows, schema=COLLECTION_TARGETS_SCHEMA)
    with atomic_path(collection_targets_path(workspace)) as tmp:
        pq.write_table(table, tmp, compression="zstd")
    return CollectionTargets(len(rows), len(plan.proposals), plan.category_queries, plan.landed)


def _best_records(records: Iterable[KeywordRecord]) -> list[KeywordRecord]:
    """One record per query (the one with the most demand), most demand first."""
    best: dict[str, KeywordRecord] = {}
    for record in records:
        key = " ".join(record.keyword.lower().split())
        if key and (key not in best or (record.demand or 0) > (best[key].demand or 0)):
            best[key] = record
    return sorted(best.values(), key=lambda r: (-(r.demand or 0), r.keyword))


@dataclass
class _Landing:
    record: KeywordRecord
    scope: QueryScope
    collection: int
    match: float


def _land(records: Sequence[KeywordRecord], locale: str, catalogue: _Catalogue, proposals: list[dict[str, Any]],
          min_products: int) -> tuple[list[_Landing], int, int]:
    chosen: list[_Landing] = []
    counted = hits = 0
    for record in records:
        scope = read_query(record.keyword, locale, catalogue.type_phrases)
        if scope is None:
            continue
        of_type, wanted = catalogue.query_rows(scope)
        if not of_type:
            continue  # a category this shop does not sell
        demand = (record.demand or 0) > 0
        if scope.scope in CATEGORY_SCOPES and demand:
            counted += 1
        target = of_type if scope.attribute is None else wanted  # (empty: no product has the attribute)
        collection, match = catalogue.landing(target)
        if match < MATCH and scope.scope == "category_attribute" and demand and len(wanted) >= min_products:
            base, _ = catalogue.landing(of_type)
            proposal = _proposal(scope, record, catalogue.collections[base] if base is not None else None, wanted,
                                 catalogue, min_products)
            taken = {str(c["handle"]) for c in catalogue.collections}
            if proposal is not None and proposal["handle"] not in taken:
                proposals.append(proposal)
                catalogue.add(proposal)
                collection, match = catalogue.landing(wanted)
        if match < MATCH and scope.scope != "attribute":
            # no page of its own: the category's page, which holds what it asks for among the rest
            category, _ = catalogue.landing(of_type)
            if category is not None:
                collection, match = category, catalogue.f1(category, target)
        elif match < ATTRIBUTE_MATCH and scope.scope == "attribute":
            continue  # an attribute alone, with no page that is mostly about it
        if collection is None:
            continue
        if scope.scope in CATEGORY_SCOPES and demand:
            hits += 1
        chosen.append(_Landing(record, scope, collection, match))
    return chosen, counted, hits


def _keyword_rows(chosen: Sequence[_Landing], catalogue: _Catalogue, locale: str) -> list[dict[str, Any]]:
    by_collection: dict[int, list[_Landing]] = defaultdict(list)
    for landing in chosen:
        by_collection[landing.collection].append(landing)
    rows = []
    for number, row in enumerate(catalogue.collections):
        landings = sorted(by_collection.get(number, []), key=lambda x: (-(x.record.demand or 0), x.record.keyword))
        primary = next((x for x in landings if x.match >= MATCH), None)
        if primary is None:
            derived = _derived_keyword(row, locale)
            if derived:
                rows.append(_row(row, locale, derived, "primary", "derived", None, 1.0, "derived",
                                 "no query fits it well: its title as the keyword" if locale.startswith("en")
                                 else "no query in this locale: its type and attribute in the vocabulary's words"))
        for landing in landings:
            role = "primary" if landing is primary else "secondary"
            why = (f"{landing.scope.scope.replace('_', ' and ')} query; {landing.match:.0%} of the products match"
                   + ("" if landing.match >= MATCH else ": the nearest collection"))
            rows.append(_row(row, locale, landing.record.keyword, role, landing.record.source, landing.record.demand,
                             landing.match, landing.scope.scope, why))
    return rows


def _row(collection: Mapping[str, Any], locale: str, keyword: str, role: str, source: str, demand: float | None,
         match: float, scope: str, reason: str) -> dict[str, Any]:
    return {"collection_handle": collection["handle"], "collection_title": collection["title"],
            "collection_source": collection["source"], "locale": locale, "keyword": keyword, "role": role,
            "source": source, "demand": None if demand is None else float(demand), "match": round(float(match), 4),
            "scope": scope, "reason": reason, "product_primary": None}


def _derived_keyword(row: Mapping[str, Any], locale: str) -> str:
    """The collection's title as a keyword; in another language, its rule's type and attribute when the
    vocabulary words them."""
    language = locale.split("-")[0].lower()
    if language == "en":
        return " ".join(str(row.get("keyword") or row.get("title") or "").lower().split())
    terms = find_terms(str(row.get("title") or ""))
    types = [t for k, t in terms if k == "type"]
    modifiers = [(k, t) for k, t in terms if k in ATTRIBUTE_KINDS]
    if len(types) != 1 or any(translate_term(t, language) == t for _, t in modifiers) or \
            translate_term(types[0], language) == types[0]:
        return ""
    return compose_keyword(types[0], modifiers, locale)


def _product_primaries(targets: pa.Table | None) -> dict[tuple[str, str], str]:
    if targets is None or not targets.num_rows:
        return {}
    out: dict[tuple[str, str], str] = {}
    for locale, keyword, role, handle in zip(*(targets.column(n).to_pylist()
                                               for n in ("locale", "keyword", "role", "handle")), strict=True):
        if role == "primary":
            out.setdefault((locale, " ".join(str(keyword).lower().split())), handle)
    return out


# -- the figures of bench-links --------------------------------------------------------------------------------------
def figures(workspace: Workspace, keyword_file: Path, *, locale: str = "en") -> dict[str, Any]:
    """On a workspace where pull and keywords ran with `keyword_file` (the sample's GSC export):

    - category_queries_on_collections (target >= 0.90): of the file's category-level queries with impressions
      (read_query; of a type the catalogue sells), the share whose landing page in collection_targets.parquet is a
      collection; `..._as_primary` the share that are a collection's primary keyword;
    - products_without_collection (target 0): active products in none of the collections (read_collections);
    - category_queries_also_product_primary: those queries that targets.parquet also gives a product as primary
      (target 0: the products' assignment steps aside for them);
    - `..._as_primary_or_same_keyword`: a collection's primary, or a secondary that says the same as its primary
      once words of no weight are dropped ("cheap vases" beside "vase"); `..._on_own_page`: on a collection whose
      products match it (F1 >= MATCH), as its primary or a secondary; `..._on_category_page`: the rest, on their
      category's page because no collection (nor enough products for a proposal) has what they ask for.
    """
    products = coll.Products.read(workspace.catalog)
    collections = coll.read_collections(workspace, products)
    catalogue = _Catalogue.build(_profiles(workspace.catalog), products, collections)
    records = _best_records(read_keyword_file(keyword_file, locale=locale, default_locale=locale,
                                              allowed_locales=[locale]).records)
    category = []
    for record in records:
        scope = read_query(record.keyword, locale, catalogue.type_phrases)
        if scope is not None and scope.scope in CATEGORY_SCOPES and (record.demand or 0) > 0 \
                and catalogue.query_rows(scope)[0]:
            category.append(" ".join(record.keyword.lower().split()))
    path = collection_targets_path(workspace)
    landed: dict[str, str] = {}
    matched: dict[str, float] = {}
    same_as_primary: set[str] = set()
    if path.exists():
        table = [r for r in pq.read_table(path).to_pylist() if r["locale"] == locale]
        primary_of = {r["collection_handle"]: _plain_key(r["keyword"], locale) for r in table if r["role"] == "primary"}
        for row in table:
            if row["source"] != "derived":
                query = " ".join(row["keyword"].lower().split())
                landed[query], matched[query] = row["role"], float(row["match"] or 0.0)
                if primary_of.get(row["collection_handle"]) == _plain_key(row["keyword"], locale):
                    same_as_primary.add(query)
    targets = pq.read_table(workspace.targets).to_pylist() if workspace.targets.exists() else []
    product_primaries = {" ".join(str(r["keyword"]).lower().split()) for r in targets
                         if r["locale"] == locale and r["role"] == "primary"}
    without = coll.products_without_collection(collections, products)
    total = len(category)
    return {
        "category_queries": total,
        "category_queries_on_collections": round(sum(q in landed for q in category) / total, 4) if total else None,
        "category_queries_on_collections_as_primary": round(
            sum(landed.get(q) == "primary" for q in category) / total, 4) if total else None,
        "category_queries_on_collections_as_primary_or_same_keyword": round(
            sum(landed.get(q) == "primary" or q in same_as_primary for q in category) / total, 4) if total else None,
        "category_queries_on_own_page": sum(matched.get(q, 0.0) >= MATCH for q in category),
        "category_queries_on_category_page": sum(q in landed and matched[q] < MATCH for q in category),
        "category_queries_also_product_primary": sum(q in product_primaries for q in category),
        "products_without_collection": len(without),
        "active_products": int(products.active.sum()),
        "collections": len(collections),
        "collections_by_source": {s: sum(r["source"] == s for r in collections) for s in coll.SOURCES},
    }


def _plain_key(query: str, locale: str) -> str:
    """A query's keyword key without its words of no weight ("cheap vases" and "vase" alike)."""
    stop = STOPWORDS.get(locale.split("-")[0].lower(), frozenset())
    return keyword_key(" ".join(w for w in _WORD.findall(fold(query)) if w not in stop), locale)


def _profiles(catalog: Path) -> list[ProductProfile]:
    """ProductProfile of every product, as the keywords stage makes them (a batch of the catalogue at a time)."""
    parquet = pq.ParquetFile(catalog)
    columns = [c for c in PROFILE_COLUMNS if c in parquet.schema_arrow.names]
    return [product_profile(row) for batch in parquet.iter_batches(batch_size=5000, columns=columns)
            for row in batch.to_pylist()]


__all__ = ["COLLECTION_TARGETS_SCHEMA", "CollectionPlan", "CollectionTargets", "QueryScope", "collection_targets_path",
           "figures", "plan_collection_keywords", "read_query", "write_collection_targets"]
