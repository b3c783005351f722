"""Keyword targets for one locale: primaries without cannibalisation, secondaries, and derived fallbacks. Pure.

The objective for primaries: maximise the total value of the primary assignments, where each product has at most
one primary taken from the data (an export keyword, or a long-tail variant of one that adds the product's own
attribute) and each keyword is primary for at most one product (keywords are compared by their sorted word
stems, so "oak table" and "tables oak" are the same keyword):

    value(p, q)      = relevance(p, q) x demand(q) x position(q) x page(p, q) x landing(p)
    relevance        = match x BM25(p, q) / best BM25 of q over all products       (0..1; match: see relevance.py)
    demand           = 1 + ln(1 + impressions or search volume)                     (1 for a plain list)
    position         = 1.25 when the site's position is 4..20 (striking distance), else 1
    page             = 1.5 when the export says this product's page already ranks for q;
                       x (1 + 0.1 log10(1 + page impressions)) from a GSC Pages export
    landing          = 1 active, published and in stock; 0.85 out of stock; 0.6 draft, archived or unpublished
    long-tail value  = 0.5 x value(p, head keyword)

It is solved exactly as a maximum-weight bipartite matching on the sparse candidate graph (scipy's LAPJVsp), so a
contested keyword goes to the product where it is worth most, never to whichever came first. Secondaries are a
second matching over the keywords left, N slots per product, each keyword to at most one product; every
assignment there earns a bonus equal to the largest value, so the matching first covers as many keywords as it
can and then maximises value. Products still without a primary get one derived from their own title: the words
around its head noun ("full-zip fleece"), in another language the head noun's taxonomy or vocabulary word with the
title's colours and materials ("ceintures marron"), lengthened symmetrically for every product of a colliding group
by the attribute that tells it apart until each is unique. A product whose head noun has no word in a language
gets no keyword in that language (see product_terms.keyword_parts and docs/keywords.md).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from pipeline.core.text import fold
from pipeline.core.vocabulary import head_type, related_terms, term_kind, translate_term, types_compatible
from pipeline.stages.keywords.files import KeywordRecord, PageSignal
from pipeline.stages.keywords.product_terms import ProductProfile, attribute_word, head_word, line_names
from pipeline.stages.keywords.relevance import Matches, RelevanceIndex, tokenize

FIELD_WEIGHTS = {"title": 3.0, "product_type": 2.0, "tags": 1.5, "options": 1.0, "description": 0.5,
                 "collections": 0.5, "vendor": 1.0, "terms": 1.5}
LONG_TAIL_FACTOR = 0.5
STRIKING_DISTANCE = (3.0, 20.0)
SOURCE_LABEL = {"gsc": "GSC query", "gsc_pages": "GSC query (by page)", "ahrefs": "Ahrefs keyword",
                "semrush": "Semrush keyword", "list": "keyword list entry"}
_KIND_ORDER = {"material": 0, "colour": 1, "size": 2, "style": 3, "room": 4, "word": 5}
_EVIDENCE_ORDER = {"title": 0, "option": 1, "tag": 2}


@dataclass
class Keyword:
    text: str
    key: str
    source: str
    demand: float | None
    position: float | None
    pages: set[str] = field(default_factory=set)


@dataclass
class Target:
    product: int
    keyword: str
    role: str
    source: str
    score: float
    demand: float | None
    reason: str
    key: str = ""


@dataclass
class LocaleResult:
    locale: str
    targets: list[Target]
    stats: dict[str, float | int]


@lru_cache(maxsize=262144)
def keyword_key(text: str, locale: str) -> str:
    return " ".join(sorted(set(tokenize(text, locale))))


def merge_records(records: Sequence[KeywordRecord], locale: str) -> list[Keyword]:
    """One Keyword per key; the wording and source of the row with the most demand win, page evidence is pooled."""
    merged: dict[str, Keyword] = {}
    for record in records:
        key = keyword_key(record.keyword, locale)
        if not key:
            continue
        known = merged.get(key)
        pages = {record.page_handle} if record.page_handle else set()
        if known is None:
            merged[key] = Keyword(record.keyword, key, record.source, record.demand, record.position, pages)
            continue
        known.pages |= pages
        if (record.demand or 0) > (known.demand or 0):
            known.text, known.source, known.demand = record.keyword, record.source, record.demand
            known.position = record.position if record.position is not None else known.position
        elif known.position is None:
            known.position = record.position
    return list(merged.values())


def locale_fields(facts: Sequence[ProductProfile], locale: str) -> dict[str, list[str]]:
    """Index texts, plus a `terms` field with the words shoppers use for the product's vocabulary terms: other
    English wordings ("pillow cover" for a cushion cover), or the locale's own words outside English."""
    fields = {name: [f.texts.get(name, "") for f in facts] for name in FIELD_WEIGHTS if name != "terms"}
    english = locale.split("-")[0] == "en"
    terms = []
    for f in facts:
        found = dict.fromkeys((*f.terms, f.product_type))
        if english:
            terms.append(" ".join(word for term in found for word in related_terms(term)))
        else:
            terms.append(" ".join(translate_term(term, locale) for term in found))
    fields["terms"] = terms
    return fields


def assign_locale(facts: Sequence[ProductProfile], records: Sequence[KeywordRecord], pages: Sequence[PageSignal],
                  locale: str, *, secondary_count: int = 3, min_match: float = 0.75, top_k: int = 40,
                  had_file: bool = True, ranked: Sequence[Sequence[tuple[str, str]]] | None = None,
                  reserved: frozenset[str] = frozenset()) -> LocaleResult:
    """Targets for one locale. `ranked` (from ranked_attributes(facts)) may be passed in when several locales
    share one catalogue, since it does not depend on the locale. `reserved`: keyword keys of the queries given to
    collection pages (keywords/collections.py); no product gets one as a primary or a secondary, derived or from
    the data, but a long-tail variant of one that adds the product's own attribute
    ("large teak bath mat" of "teak bath mats") stays the product's."""
    ranked = ranked_attributes(facts) if ranked is None else ranked
    keywords = merge_records(records, locale)
    stats: dict[str, float | int] = {"products": len(facts), "keywords": len(keywords)}
    primaries: dict[int, Target] = {}
    secondaries: dict[int, list[Target]] = defaultdict(list)
    spare_variants: dict[int, list[Target]] = defaultdict(list)
    data_keys = {k.key for k in keywords}
    blocked = data_keys | reserved  # what a variant or a derived secondary may not be
    on_collection = np.array([k.key in reserved for k in keywords], dtype=bool)
    assigned_keywords: set[int] = set()
    edges = None
    if keywords:
        index = RelevanceIndex(locale_fields(facts, locale), FIELD_WEIGHTS, locale)
        matches = index.search([k.text for k in keywords], top_k=top_k, min_match=min_match)
        edges = _edge_values(matches, keywords, facts, pages, locale)
        variants = _long_tail_variants(edges, keywords, facts, locale, blocked)
        _assign_primaries(edges, variants, keywords, facts, primaries, spare_variants, assigned_keywords, stats,
                          on_collection)
        if secondary_count > 0:
            _assign_secondaries(edges, keywords, primaries, secondaries, assigned_keywords, secondary_count,
                                on_collection)
    taken = {t.key for t in primaries.values()} | set(reserved)
    missing = [p for p in range(len(facts)) if p not in primaries]
    why = "no keyword in this locale's files matched it" if had_file else f"no keyword file for {locale}"
    derived, skipped = _derive_primaries(facts, missing, locale, taken, ranked, why)
    gone_to_collections = _best_reserved_match(edges, keywords, on_collection) if edges is not None else {}
    for p, (text, reason) in derived.items():
        if p in gone_to_collections:
            reason = reason.replace(f"({why})", f"(its best match '{gone_to_collections[p]}' is a collection "
                                                f"page's keyword)")
        primaries[p] = Target(p, text, "primary", "derived", round(facts[p].landing, 4), None, reason,
                              keyword_key(text, locale))
    _fill_secondaries(facts, locale, primaries, secondaries, spare_variants, blocked, secondary_count, ranked)

    stats["primary_data"] = sum(1 for t in primaries.values() if t.source != "derived")
    stats["primary_long_tail"] = sum(1 for t in primaries.values() if t.reason.startswith("long-tail"))
    stats["primary_derived"] = sum(1 for t in primaries.values() if t.source == "derived") - stats[
        "primary_long_tail"]
    _abstained(stats, skipped)
    _coverage(stats, records, keywords, edges, assigned_keywords, locale, reserved)
    targets = [primaries[p] for p in sorted(primaries)]
    for p in sorted(secondaries):
        targets += secondaries[p]
    return LocaleResult(locale, targets, stats)


def _best_reserved_match(edges: _Edges, keywords: Sequence[Keyword], on_collection: np.ndarray) -> dict[int, str]:
    """Product -> its most valuable matching keyword, where that keyword belongs to a collection page."""
    best: dict[int, tuple[float, int]] = {}
    for q, p, value in zip(edges.query.tolist(), edges.product.tolist(), edges.value.tolist(), strict=True):
        if p not in best or value > best[p][0]:
            best[p] = (value, q)
    return {p: keywords[q].text for p, (_, q) in best.items() if on_collection[q]}


# -- values ---------------------------------------------------------------------------------------------------
@dataclass
class _Edges:
    query: np.ndarray
    product: np.ndarray
    relevance: np.ndarray
    value: np.ndarray
    ranks_own_page: np.ndarray


def _compatible_types(matches: Matches, keywords: Sequence[Keyword], facts: Sequence[ProductProfile],
                      locale: str) -> Matches:
    """Drop matches whose words agree but whose product types do not ("curtains" is not a shower curtain). A
    query that names no product type must find every one of its words outside the description: "white abstract"
    finds an abstract print, "patio design" does not find a planter whose description mentions design."""
    query_types = [head_type(k.text, locale) for k in keywords]
    keep = np.fromiter(((matches.match[i] >= 0.999) if query_types[q] is None else
                        (term_kind(facts[p].product_type) != "type"
                         or types_compatible(query_types[q], facts[p].product_type))
                        for i, (q, p) in enumerate(zip(matches.query.tolist(), matches.product.tolist(),
                                                       strict=True))),
                       dtype=bool, count=len(matches))
    return Matches(matches.query[keep], matches.product[keep], matches.score[keep], matches.match[keep])


def _edge_values(matches: Matches, keywords: Sequence[Keyword], facts: Sequence[ProductProfile],
                 pages: Sequence[PageSignal], locale: str) -> _Edges:
    matches = _compatible_types(matches, keywords, facts, locale)
    q, p = matches.query, matches.product
    best = np.zeros(len(keywords))
    np.maximum.at(best, q, matches.score)
    relevance = matches.match * matches.score / np.maximum(best[q], 1e-12)
    demand = np.array([1.0 + math.log1p(k.demand or 0.0) for k in keywords])
    position = np.array([1.25 if k.position is not None and STRIKING_DISTANCE[0] < k.position <= STRIKING_DISTANCE[1]
                         else 1.0 for k in keywords])
    handle_index = {f.handle.lower(): i for i, f in enumerate(facts)}
    page_boost = np.ones(len(facts))
    for signal in pages:
        i = handle_index.get(signal.handle)
        if i is not None:
            page_boost[i] = max(page_boost[i], 1.0 + 0.1 * math.log10(1.0 + signal.impressions))
    ranking_pages = {(qi, handle_index[h]) for qi, k in enumerate(keywords) for h in k.pages if h in handle_index}
    own_page = np.fromiter(((int(a), int(b)) in ranking_pages for a, b in zip(q, p, strict=True)), dtype=bool,
                           count=len(q)) if ranking_pages else np.zeros(len(q), dtype=bool)
    landing = np.array([f.landing for f in facts])
    value = relevance * demand[q] * position[q] * np.where(own_page, 1.5, 1.0) * page_boost[p] * landing[p]
    return _Edges(q, p, relevance, np.maximum(value, 1e-6), own_page)


def _max_weight_matching(n_rows: int, n_cols: int, rows: np.ndarray, cols: np.ndarray,
                         values: np.ndarray) -> dict[int, int]:
    """Rows matched to columns maximising the summed value; a row may stay unmatched (a private dummy column)."""
    if n_rows == 0 or len(rows) == 0:
        return {}
    order = np.lexsort((-values, cols, rows))
    rows, cols, values = rows[order], cols[order], values[order]
    first = np.r_[True, (np.diff(rows) != 0) | (np.diff(cols) != 0)]  # keep the best of duplicate edges
    rows, cols, values = rows[first], cols[first], values[first]
    # Only rows and columns with an edge take part: a catalogue of 100,000 has many products no keyword touches.
    row_ids, rows = np.unique(rows, return_inverse=True)
    col_ids, cols = np.unique(cols, return_inverse=True)
    n_rows, n_cols = len(row_ids), len(col_ids)
    dummy_rows = np.arange(n_rows)
    all_rows = np.r_[rows, dummy_rows]
    all_cols = np.r_[cols, n_cols + dummy_rows]
    all_values = np.r_[values, np.full(n_rows, 1e-9)]
    graph = sp.csr_matrix((all_values, (all_rows, all_cols)), shape=(n_rows, n_cols + n_rows))
    matched_rows, matched_cols = min_weight_full_bipartite_matching(graph, maximize=True)
    return {int(row_ids[r]): int(col_ids[c]) for r, c in zip(matched_rows, matched_cols, strict=True)
            if c < n_cols}


# -- long-tail variants -------------------------------------------------------------------------------------
@dataclass
class _Variant:
    product: int
    text: str
    key: str
    head: int
    kind: str
    term: str
    value: float


def _long_tail_variants(edges: _Edges, keywords: Sequence[Keyword], facts: Sequence[ProductProfile], locale: str,
                        data_keys: set[str], per_product: int = 3, per_head: int = 3) -> list[_Variant]:
    """For each product's best keywords, distinct phrasings that add one of the product's own attributes."""
    order = np.lexsort((-edges.value, edges.product))
    product_sorted = edges.product[order]
    starts = np.r_[0, np.flatnonzero(np.diff(product_sorted)) + 1] if len(order) else np.zeros(0, dtype=int)
    candidates_of: dict[int, list[int]] = defaultdict(list)
    for qi, pi in zip(edges.query, edges.product, strict=True):
        candidates_of[int(qi)].append(int(pi))
    attribute_counts: dict[int, Counter[tuple[str, str]]] = {}
    head_words: dict[int, set[str]] = {}
    word_tokens: dict[str, set[str]] = {}
    out: list[_Variant] = []
    for start in starts:
        picked = order[start:start + per_product]
        p = int(edges.product[picked[0]])
        for e in picked:
            if edges.product[e] != p:
                break
            qi = int(edges.query[e])
            if qi not in attribute_counts:
                attribute_counts[qi] = Counter(a for c in candidates_of[qi] for a in facts[c].attributes)
            counts = attribute_counts[qi]
            if qi not in head_words:
                head_words[qi] = set(tokenize(keywords[qi].text, locale))
            f = facts[p]
            ranked = [a for _, a in sorted(zip(f.evidence, f.attributes, strict=True), key=lambda ea: (
                _EVIDENCE_ORDER.get(ea[0], 9), _KIND_ORDER.get(ea[1][0], 9), counts[ea[1]]))]
            made = 0
            for kind, term in ranked:
                word = translate_term(term, locale)
                if word not in word_tokens:
                    word_tokens[word] = set(tokenize(word, locale))
                if word_tokens[word] <= head_words[qi]:
                    continue
                text = _with_modifier(keywords[qi].text, word, locale)
                key = keyword_key(text, locale)
                if key in data_keys:
                    continue
                out.append(_Variant(p, text, key, qi, kind, term, float(edges.value[e]) * LONG_TAIL_FACTOR))
                made += 1
                if made >= per_head:
                    break
    return out


def _with_modifier(head: str, word: str, locale: str) -> str:
    if locale.split("-")[0] == "en" and not any(ch.isdigit() for ch in word):
        return f"{word} {head}"
    return f"{head} {word}"


# -- primaries and secondaries from the data -------------------------------------------------------------------
def _assign_primaries(edges: _Edges, variants: list[_Variant], keywords: Sequence[Keyword],
                      facts: Sequence[ProductProfile], primaries: dict[int, Target],
                      spare_variants: dict[int, list[Target]], assigned_keywords: set[int],
                      stats: dict[str, float | int], on_collection: np.ndarray) -> None:
    """The primary matching. A keyword on a collection page (`on_collection`) takes no part in it, but its long-tail
    variants do, and a product whose best match it was is told so in its reason."""
    n_keywords = len(keywords)
    variant_cols: dict[str, int] = {}
    for v in variants:
        variant_cols.setdefault(v.key, n_keywords + len(variant_cols))
    open_edge = ~on_collection[edges.query] if len(edges.query) else np.zeros(0, dtype=bool)
    rows = np.r_[edges.product[open_edge], np.array([v.product for v in variants], dtype=np.int64)]
    cols = np.r_[edges.query[open_edge], np.array([variant_cols[v.key] for v in variants], dtype=np.int64)]
    values = np.r_[edges.value[open_edge], np.array([v.value for v in variants])]
    matching = _max_weight_matching(len(facts), n_keywords + len(variant_cols), rows, cols, values)

    owner = {col: p for p, col in matching.items()}
    candidates_of: dict[int, list[int]] = defaultdict(list)
    best_of: dict[int, tuple[float, int]] = {}
    for e in range(len(edges.query)):
        qi, p, value = int(edges.query[e]), int(edges.product[e]), float(edges.value[e])
        candidates_of[qi].append(p)
        if p not in best_of or value > best_of[p][0]:
            best_of[p] = (value, qi)
    wanted_by: Counter[int] = Counter(qi for _, qi in best_of.values())
    edge_of = {(int(q), int(p)): e for e, (q, p) in enumerate(zip(edges.query, edges.product, strict=True))}
    variant_of = {(v.product, variant_cols[v.key]): v for v in variants}

    collisions = 0
    for p, col in matching.items():
        head_q = -1
        if col < n_keywords:
            e = edge_of[(col, p)]
            keyword = keywords[col]
            reason = _data_reason(keyword, float(edges.relevance[e]), bool(edges.ranks_own_page[e]),
                                  len(candidates_of[col]), wanted_by[col])
            primaries[p] = Target(p, keyword.text, "primary", keyword.source, round(float(edges.value[e]), 4),
                                  keyword.demand, reason, keyword.key)
            assigned_keywords.add(col)
        else:
            v = variant_of[(p, col)]
            head_q = v.head
            head = keywords[v.head]
            holder = owner.get(v.head)
            taken_by = "a collection page's keyword" if on_collection[v.head] else \
                f"primary of '{facts[holder].handle}'" if holder is not None else "left to the others"
            reason = (f"long-tail of {SOURCE_LABEL[head.source]} '{head.text}'{_demand_note(head)}, {taken_by}; "
                      f"adds its {v.kind} '{v.term}'")
            primaries[p] = Target(p, v.text, "primary", "derived", round(v.value, 4), None, reason, v.key)
        best_value, best_q = best_of.get(p, (0.0, -1))
        holder = owner.get(best_q)
        if best_q >= 0 and on_collection[best_q] and best_q != head_q:
            primaries[p].reason += f"; its best match '{keywords[best_q].text}' is a collection page's keyword"
        elif best_q >= 0 and holder is not None and holder != p:
            collisions += 1
            primaries[p].reason += f"; collision resolved: its best match '{keywords[best_q].text}' went to " \
                                   f"'{facts[holder].handle}'"
    for v in variants:
        col = variant_cols[v.key]
        if owner.get(col) is None and matching.get(v.product) != col:
            head = keywords[v.head]
            spare_variants[v.product].append(Target(
                v.product, v.text, "secondary", "derived", round(v.value, 4), None,
                f"long-tail of {SOURCE_LABEL[head.source]} '{head.text}', adds its {v.kind} '{v.term}'", v.key))
    stats["collisions_resolved"] = collisions
    stats["contested_keywords"] = sum(1 for q, count in wanted_by.items() if count > 1 and not on_collection[q])
    # products whose best query is a collection page's (they took another keyword instead)
    stats["stepped_aside"] = sum(count for q, count in wanted_by.items() if on_collection[q])


def _assign_secondaries(edges: _Edges, keywords: Sequence[Keyword], primaries: dict[int, Target],
                        secondaries: dict[int, list[Target]], assigned_keywords: set[int], slots: int,
                        on_collection: np.ndarray, per_keyword: int = 10) -> None:
    free = np.array([int(q) not in assigned_keywords and not on_collection[q] for q in edges.query], dtype=bool)
    if not free.any():
        return
    q, p, value, relevance = edges.query[free], edges.product[free], edges.value[free], edges.relevance[free]
    order = np.lexsort((-value, q))
    q, p, value, relevance = q[order], p[order], value[order], relevance[order]
    starts = np.r_[0, np.flatnonzero(np.diff(q)) + 1]
    rank = np.arange(len(q)) - np.repeat(starts, np.diff(np.r_[starts, len(q)]))
    keep = rank < per_keyword
    q, p, value, relevance = q[keep], p[keep], value[keep], relevance[keep]
    rows_of = {int(k): i for i, k in enumerate(np.unique(q))}
    row_ids = np.array([rows_of[int(k)] for k in q], dtype=np.int64)
    bonus = float(value.max())
    rows = np.repeat(row_ids, slots)
    cols = (np.repeat(p, slots) * slots + np.tile(np.arange(slots), len(p))).astype(np.int64)
    values = np.repeat(value + bonus, slots)
    n_products = int(p.max()) + 1
    matching = _max_weight_matching(len(rows_of), n_products * slots, rows, cols, values)
    keyword_of_row = {i: k for k, i in rows_of.items()}
    edge_at = {(int(a), int(b)): i for i, (a, b) in enumerate(zip(q, p, strict=True))}
    for row, col in matching.items():
        qi, product = keyword_of_row[row], col // slots
        e = edge_at[(qi, product)]
        keyword = keywords[qi]
        reason = f"{SOURCE_LABEL[keyword.source]}{_demand_note(keyword)}; relevance {relevance[e]:.2f}"
        secondaries[product].append(Target(product, keyword.text, "secondary", keyword.source,
                                           round(float(value[e]), 4), keyword.demand, reason, keyword.key))
        assigned_keywords.add(qi)
    for product in secondaries:
        secondaries[product].sort(key=lambda t: -t.score)


def _demand_note(keyword: Keyword) -> str:
    parts = []
    if keyword.demand is not None:
        unit = "impressions" if keyword.source.startswith("gsc") else "monthly searches"
        parts.append(f"{keyword.demand:,.0f} {unit}")
    if keyword.position is not None:
        parts.append(f"position {keyword.position:.1f}")
    return f" ({', '.join(parts)})" if parts else ""


def _data_reason(keyword: Keyword, relevance: float, own_page: bool, candidates: int, wanted_by: int) -> str:
    reason = f"{SOURCE_LABEL[keyword.source]}{_demand_note(keyword)}; relevance {relevance:.2f}"
    if own_page:
        reason += "; its page already ranks for it"
    if candidates > 1:
        reason += f"; best value of {candidates} matching products"
    if wanted_by > 1:
        reason += f" ({wanted_by} wanted it most)"
    return reason


# -- derived keywords -----------------------------------------------------------------------------------------
# What a derived keyword may add to its phrase, by the family whose vocabulary words it: any product's colour or
# material; a home-goods product's size, style or room too (a style tag says little about a T-shirt).
_ADDABLE = {"home": frozenset({"material", "colour", "size", "style", "room"}),
            None: frozenset({"material", "colour", "style", "room"})}
_BEFORE_HEAD = ("room", "size", "style", "colour", "material")  # English: "sage linen quilt"
_AFTER_HEAD = ("material", "colour", "style", "size", "room")  # fr, de, es: "housse de couette lin sauge"


def ranked_attributes(facts: Sequence[ProductProfile]) -> list[list[tuple[str, str]]]:
    """Each product's whole-product attributes besides those its title phrase says, in the order a derived
    keyword adds them: the rest of its title first, then single-valued options, then tags; by kind (material,
    colour, size, style, room); the rarer among products of the same head noun first."""
    counts = Counter((f.parts.head, (k, t)) for f in facts if f.parts is not None for k, t, _ in f.parts.extra)
    out: list[list[tuple[str, str]]] = []
    for f in facts:
        if f.parts is None:
            out.append([])
            continue
        head = f.parts.head
        ordered = sorted(f.parts.extra, key=lambda e: (_EVIDENCE_ORDER.get(e[2], 9), _KIND_ORDER.get(e[0], 9),
                                                       counts[(head, (e[0], e[1]))]))
        out.append([(k, t) for k, t, _ in ordered])
    return out


@dataclass
class _Derivable:
    """One product's derived keyword in one locale: `head` always, `base` always, `pool` added one by one to tell
    colliding products apart (attributes of the whole product, then brand and line names)."""

    head: str  # en: the title phrase ("full-zip fleece"); else the head noun's word ("sweats à capuche")
    base: tuple[tuple[str, str], ...]  # (kind, word): the phrase's own attributes, in this locale
    pool: list[tuple[str, str]]
    english: str  # the English phrase: products with the same one are duplicates, not only untranslatable
    source: str  # where the words come from, for the reason


def _derivable(f: ProductProfile, locale: str, lines: frozenset[str],
               attributes: Sequence[tuple[str, str]]) -> _Derivable | str:
    """What a product's derived keyword in `locale` is made of, or why it has none."""
    parts = f.parts
    if parts is None:
        return "its title names no product and its type names none either"
    language = locale.split("-")[0].lower()
    phrase = parts.phrase[1:] if parts.lead and parts.lead in lines else parts.phrase
    names = [*parts.names, *((parts.lead,) if parts.lead and parts.lead in lines else ())]
    english = " ".join(phrase)
    family = parts.family
    addable = _ADDABLE["home"] if family == "home" else _ADDABLE[None]
    if language == "en":
        said = set(english.split())
        pool = [(k, t) for k, t in attributes if k in addable and not set(t.split()) <= said]
        source = "its title" if not parts.from_type else "its product type (its title names no product)"
        return _Derivable(english, (), pool + [("name", n) for n in names], english, source)
    found = head_word(parts.category, parts.vocab_type, language)
    if found is None:
        return f"no {language} word for '{parts.head}' in the product taxonomy or the vocabulary"
    word, source = found
    base = tuple((k, w) for k, t in parts.own if k in addable and (w := attribute_word(k, t, family, language)))
    pool = [(k, w) for k, t in attributes if k in addable and (w := attribute_word(k, t, family, language))
            and (k, w) not in base]
    return _Derivable(word, base, pool + [("name", n) for n in names], english, source)


def _compose(d: _Derivable, chosen: Sequence[tuple[str, str]], locale: str) -> str:
    said = set(d.head.lower().split())
    names = [w for k, w in chosen if k == "name"]
    if locale.split("-")[0].lower() == "en":
        words = [w for kind in _BEFORE_HEAD for k, w in chosen if k == kind]
        parts = [*words, *names, d.head]
    else:
        modifiers = [*d.base, *chosen]
        words = [w for kind in _AFTER_HEAD for k, w in modifiers if k == kind]
        parts = [d.head, *words, *names]
    # A word the head noun already says is not said twice ("cocotte en fonte", not "cocotte en fonte fonte").
    kept = [p for p in dict.fromkeys(p for p in parts if p) if p == d.head or not set(p.lower().split()) <= said]
    return re.sub(r"\s+", " ", " ".join(kept)).strip().lower()


def _derive_primaries(facts: Sequence[ProductProfile], products: list[int], locale: str, taken: set[str],
                      ranked_all: Sequence[Sequence[tuple[str, str]]], why: str
                      ) -> tuple[dict[int, tuple[str, str]], dict[int, str]]:
    """A unique derived keyword for each product in `products`, never one of the `taken` keys; and, for the
    products that get none, why.

    Each starts as the product's own title phrase around its head noun ("full-zip fleece"; in French the head
    noun's taxonomy word and the phrase's colours and materials that have a French word). Products whose keywords
    collide (with each other or with a taken keyword) each add the attribute that the fewest others in their group
    share, so "linen quilt" splits into "ivory linen quilt" and "sage linen quilt" rather than growing every
    attribute in turn; brand and line names come last ("nova full-zip fleece").
    """
    result: dict[int, tuple[str, str]] = {}
    skipped: dict[int, str] = {}
    if not products:
        return result, skipped
    lines = line_names(facts)
    derivable: dict[int, _Derivable] = {}
    for p in products:
        found = _derivable(facts[p], locale, lines, ranked_all[p])
        if isinstance(found, str):
            skipped[p] = found
        else:
            derivable[p] = found
    chosen: dict[int, list[tuple[str, str]]] = {p: [] for p in derivable}
    owners: dict[str, int] = {}  # derived keyword key -> its product
    pending = set(derivable)
    for _ in range(16):
        if not pending:
            break
        texts = {p: _compose(derivable[p], chosen[p], locale) for p in pending}
        groups: dict[str, list[int]] = defaultdict(list)
        for p, text in texts.items():
            groups[keyword_key(text, locale)].append(p)
        pending = set()
        for key, members in groups.items():
            if len(members) == 1 and key not in taken:
                p = members[0]
                result[p] = (texts[p], _derived_reason(derivable[p], why))
                taken.add(key)
                owners[key] = p
                continue
            shared = Counter(a for p in members for a in derivable[p].pool if a not in chosen[p])
            grew = False
            for p in members:
                # An attribute every member shares ("bedroom" on every sheet set) cannot split the group.
                unused = [a for a in derivable[p].pool if a not in chosen[p] and (len(members) == 1 or
                                                                                  shared[a] < len(members))]
                if unused:
                    chosen[p].append(min(unused, key=lambda a: (shared[a], derivable[p].pool.index(a))))
                    grew = True
            if grew:
                pending.update(members)
            else:
                _settle_indistinguishable(facts, members, texts, derivable, locale, taken, owners, result, skipped,
                                          why)
    for p in pending:  # still colliding after every round: settle them the same way
        _settle_indistinguishable(facts, [p], {p: _compose(derivable[p], chosen[p], locale)}, derivable, locale,
                                  taken, owners, result, skipped, why)
    return result, skipped


def _derived_reason(d: _Derivable, why: str, note: str = "") -> str:
    if d.head == d.english:
        return f"derived from {d.source} ({why}){note}"
    return f"derived from its title '{d.english}', its head noun worded by {d.source} ({why}){note}"


def _settle_indistinguishable(facts: Sequence[ProductProfile], members: list[int], texts: dict[int, str],
                              derivable: dict[int, _Derivable], locale: str, taken: set[str], owners: dict[str, int],
                              result: dict[int, tuple[str, str]], skipped: dict[int, str], why: str) -> None:
    """Products that nothing in their data tells apart. The best landing page keeps the plain keyword and the
    others, in English, get words from their handle, else a number, and the reason says they look like
    duplicates. In another language a number is given only to a duplicate (the same English phrase or title as
    the keyword's owner); a product that differs only by words without a word in that language ("pullover",
    "zip") gets no keyword there, rather than a numbered one."""
    members = sorted(members, key=lambda p: (-facts[p].landing, facts[p].handle))
    english = locale.split("-")[0].lower() == "en"
    for rank, p in enumerate(members):
        base = texts[p]
        key = keyword_key(base, locale)
        owner = owners.get(key)
        duplicate = owner is not None and (derivable[owner].english == derivable[p].english or
                                           fold(facts[owner].title) == fold(facts[p].title))
        if not english and key in taken and not duplicate:
            skipped[p] = f"no {locale} word tells it apart from " + (
                f"'{facts[owner].handle}'" if owner is not None else "a product that already has its keyword")
            continue
        other = owner if owner is not None else (members[1] if len(members) > 1 and not rank else None)
        note = ""
        if other is not None and other != p:
            note = f"; indistinguishable from '{facts[other].handle}' (same type, attributes and title): likely a " \
                   f"duplicate to merge or differentiate"
        extra = [w for w in facts[p].handle.replace("-", " ").split() if w not in base.split()] if english else []
        options = [base, *(f"{base} {' '.join(extra[:n])}" for n in range(1, len(extra) + 1))]
        for text in options:
            if keyword_key(text, locale) not in taken:
                break
        else:
            number = 2
            while keyword_key(f"{base} {number}", locale) in taken:
                number += 1
            text = f"{base} {number}"
        taken.add(keyword_key(text, locale))
        owners.setdefault(key, p)
        result[p] = (text, _derived_reason(derivable[p], why, note))


def _fill_secondaries(facts: Sequence[ProductProfile], locale: str, primaries: dict[int, Target],
                      secondaries: dict[int, list[Target]], spare_variants: dict[int, list[Target]],
                      data_keys: set[str], slots: int, ranked_all: Sequence[Sequence[tuple[str, str]]]) -> None:
    """Top up each product's secondaries with its unused long-tail variants, then its derived phrase with one of
    its attributes. A product without a keyword in this locale gets no secondaries either."""
    if slots <= 0:
        return
    primary_keys = {t.key for t in primaries.values()}
    lines = line_names(facts)
    for p, f in enumerate(facts):
        chosen = secondaries[p]
        if p not in primaries:
            secondaries.pop(p, None)
            continue
        own = {primaries[p].key, *(t.key for t in chosen)}
        for option in _secondary_options(p, f, locale, spare_variants.get(p, []), ranked_all[p], lines):
            if len(chosen) >= slots:
                break
            if not option.key or option.key in own or option.key in primary_keys or option.key in data_keys:
                continue
            chosen.append(option)
            own.add(option.key)
        if not chosen:
            secondaries.pop(p, None)


def _secondary_options(p: int, f: ProductProfile, locale: str, spare: Sequence[Target],
                       attributes: Sequence[tuple[str, str]], lines: frozenset[str]) -> Iterator[Target]:
    """Candidates in order, made only as far as they are needed: spare long-tails, the derived phrase with one
    attribute of the whole product, the phrase with one of its own attributes dropped, the head noun alone when it
    is a phrase of its own ("seed tray")."""
    yield from spare
    d = _derivable(f, locale, lines, attributes)
    if isinstance(d, str):
        return
    options: list[tuple[str, str]] = []
    for a in d.pool:
        if a[0] != "name":
            options.append((_compose(d, [a], locale), f"derived: its title phrase + its {a[0]} '{a[1]}'"))
    for a in d.base:
        if len(d.base) > 1:  # a head noun alone ("ceintures") is no product's keyword
            rest = _Derivable(d.head, tuple(b for b in d.base if b != a), [], d.english, d.source)
            options.append((_compose(rest, [], locale), "derived: its head noun and its title's attributes"))
    parts = f.parts
    if parts is not None and locale.split("-")[0].lower() == "en":
        own = {w for _, t in parts.own for w in t.split()}
        core = [w for w in d.head.split() if w in own or w in parts.head.split()]
        if any(w in own for w in core):  # "brown leather bracelet" of "brown leather wrap bracelet"
            options.append((" ".join(dict.fromkeys(core)), "derived: its head noun and its title's attributes"))
        if len(parts.head.split()) > 1:
            options.append((parts.head, "derived: its head noun"))
    for text, reason in options:
        if text:
            yield Target(p, text, "secondary", "derived", round(f.landing, 4), None, reason, keyword_key(text, locale))


def _abstained(stats: dict[str, float | int], skipped: dict[int, str]) -> None:
    """Products left without a keyword in this locale, by why: their head noun has no word in its language (the
    writer then leaves their titles alone), nothing in their data names a product, or only words without a word
    in this language tell them apart from a product that has the keyword."""
    stats["derived_none"] = len(skipped)
    stats["derived_none_no_word"] = sum(1 for why in skipped.values() if why.startswith("no ") and " word for " in why)
    stats["derived_none_no_noun"] = sum(1 for why in skipped.values() if why.startswith("its title names no"))
    stats["derived_none_indistinct"] = sum(1 for why in skipped.values() if "tells it apart" in why)


def _coverage(stats: dict[str, float | int], records: Sequence[KeywordRecord], keywords: Sequence[Keyword],
              edges: _Edges | None, assigned: set[int], locale: str, reserved: frozenset[str] = frozenset()) -> None:
    """Coverage counts the export's rows (queries), not merged keywords: "best quilt" is covered when the
    keyword it merged into, "quilt", is assigned. A query is covered when a page targets it: a product (primary
    or secondary) or, for a `reserved` one, a collection page; `coverage_products` counts products only."""
    relevant_keys = {keywords[int(q)].key for q in edges.query} if edges is not None else set()
    assigned_keys = {keywords[i].key for i in assigned}
    rows = [keyword_key(r.keyword, locale) for r in records if (r.demand or 0) > 0]
    relevant = [key for key in rows if key in relevant_keys]
    stats["keywords_with_demand"] = len(rows)
    stats["keywords_with_demand_relevant"] = len(relevant)
    stats["keywords_with_demand_assigned"] = sum(1 for key in rows if key in assigned_keys or key in reserved)
    stats["keywords_with_demand_on_collections"] = sum(1 for key in rows if key in reserved)
    stats["keywords_assigned"] = len(assigned)
    covered = sum(1 for key in relevant if key in assigned_keys or key in reserved)
    stats["coverage"] = round(covered / len(relevant), 4) if relevant else 1.0
    on_products = sum(1 for key in relevant if key in assigned_keys)
    stats["coverage_products"] = round(on_products / len(relevant), 4) if relevant else 1.0
