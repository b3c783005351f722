"""BM25 relevance of search queries to products, over weighted product fields (BM25F-style), with scipy.sparse.

Each field's term counts are multiplied by the field's weight and summed into one weighted term frequency per
product, which BM25 saturates and normalises by the product's weighted length. Besides the score, every match
carries `match`: the share of the query's IDF mass found in the product (1.0 = every query word appears). A
query word the catalogue never uses counts against the match, so "salon chair" does not match a dining chair.
Queries are scored in chunks sized by how many products their words touch, so 100,000 products never need a
dense queries x products matrix.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from pipeline.core.vocabulary import STOPWORDS, fold

_TOKEN = re.compile(r"[^\W_]+")
_FOLDED_STOPWORDS = {loc: frozenset(fold(w) for w in words) for loc, words in STOPWORDS.items()}
_TOKEN_SYNONYMS = {"gray": "grey", "couch": "sofa", "aluminum": "aluminium", "color": "colour", "colors": "colour",
                   "inch": "in", "inches": "in", "quart": "qt", "quarts": "qt", "ounce": "oz", "ounces": "oz",
                   "feet": "ft", "foot": "ft", "boho": "bohemian", "big": "large", "huge": "large"}
# "8 x 10 ft", "8' x 10'" and "8x10" are one size: a single token, plus each number on its own.
_HAS_DIGIT = re.compile(r"\d")
_DIMENSIONS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:'|\"|in\b|ft\b|cm\b)?\s*[x×]\s*(\d+(?:\.\d+)?)", re.IGNORECASE)


def _stem(token: str, language: str) -> str:
    """Light plural stripping, enough for "tables" to find "table" and "sillas" to find "silla"."""
    if len(token) <= 3 or token.isdigit():
        return token
    if language == "en":
        if token.endswith("ies") and len(token) > 4:
            return token[:-3] + "y"
        if token.endswith("lves"):
            return token[:-3] + "f"
        if token.endswith(("sses", "xes", "ches", "shes", "zes")):
            return token[:-2]
        if token.endswith("s") and not token.endswith(("ss", "us", "is")):
            return token[:-1]
        return token
    if language == "es":
        if token.endswith("es") and len(token) > 4 and token[-3] not in "aeiou":
            return token[:-2]
        return token[:-1] if token.endswith("s") else token
    if language == "fr":
        return token[:-1] if token.endswith(("s", "x")) and not token.endswith(("ss", "us")) else token
    return token


def tokenize(text: str, locale: str) -> list[str]:
    """Words of `text` as the index compares them: lowercase, accents folded, stopwords dropped, plurals stripped."""
    language = locale.split("-")[0].lower()
    if _HAS_DIGIT.search(text):
        text = _DIMENSIONS.sub(lambda m: f" {m.group(1)}x{m.group(2)} {m.group(1)} {m.group(2)} ", text)
    cache = _WORD_FORMS.setdefault(language, {})
    out = []
    for token in _TOKEN.findall(fold(text)):
        form = cache.get(token)
        if form is None:
            form = _word_form(token, language)
            if len(cache) < 500_000:
                cache[token] = form
        if form:
            out.append(form)
    return out


_WORD_FORMS: dict[str, dict[str, str]] = {}


def _word_form(token: str, language: str) -> str:
    """The indexed form of one folded word: its synonym, stemmed; "" for a stopword."""
    token = _TOKEN_SYNONYMS.get(token, token)
    if token in _FOLDED_STOPWORDS.get(language, frozenset()):
        return ""
    return _stem(token, language)


@dataclass(frozen=True)
class Matches:
    """Sparse (query, product) matches: parallel arrays, sorted by query then by descending score."""

    query: np.ndarray
    product: np.ndarray
    score: np.ndarray  # BM25
    match: np.ndarray  # share of the query's IDF mass present in the product, 0..1

    def __len__(self) -> int:
        return len(self.query)


class RelevanceIndex:
    """A BM25 index over products; `fields` maps a field name to one text per product."""

    def __init__(self, fields: Mapping[str, Sequence[str]], weights: Mapping[str, float], locale: str,
                 k1: float = 1.2, b: float = 0.75, repeat_fields: tuple[str, ...] = ("description",),
                 evidence: Mapping[str, float] | None = None):
        """`evidence`: how much a word found only in that field counts towards `match` (default 1). Running text
        mentions other things ("store pasta in it") and a vendor's name is not a product ("Brightfield Lighting"
        makes no candle a lighting product), so those count less."""
        self.locale = locale
        self.repeat_fields = repeat_fields
        evidence = {"description": 0.5, "vendor": 0.75} if evidence is None else evidence
        self.vocabulary: dict[str, int] = {}
        n_docs = len(next(iter(fields.values()))) if fields else 0
        # Each field's (product, word) entries as compact arrays: an index pointer (entries per product) and the
        # word ids, 4 bytes an entry, never Python lists of ints (100,000 descriptions are millions of entries).
        per_field: list[tuple[str, np.ndarray, array[int]]] = []
        vocabulary = self.vocabulary
        for name, texts in fields.items():
            cols: array[int] = array("i")
            indptr = np.zeros(n_docs + 1, dtype=np.int64)
            repeat = name in self.repeat_fields
            for doc, text in enumerate(texts):
                tokens = tokenize(text or "", locale)
                # Outside running text a word counts once per field, so a title that repeats its keyword three
                # times ("Oak Bowl - Oak Bowl - Best Oak Bowl") earns nothing for the stuffing.
                cols.extend([vocabulary.setdefault(t, len(vocabulary))
                             for t in (tokens if repeat else dict.fromkeys(tokens))])
                indptr[doc + 1] = len(cols)
            per_field.append((name, indptr, cols))
        shape = (n_docs, max(len(self.vocabulary), 1))
        tf = sp.csr_matrix(shape)
        present = sp.csr_matrix(shape)
        for name, indptr, field_cols in per_field:
            counts = sp.csr_matrix((np.ones(len(field_cols)), np.frombuffer(field_cols, dtype=np.intc), indptr),
                                   shape=shape)
            counts.sum_duplicates()
            tf = tf + counts * weights.get(name, 1.0)
            counts.data = np.full(len(counts.data), evidence.get(name, 1.0))
            present = present.maximum(counts)
            del counts
        del per_field
        self.n_docs = n_docs
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        average = lengths.mean() if n_docs and lengths.mean() > 0 else 1.0
        df = np.bincount(tf.indices, minlength=shape[1])
        self.idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        self.unknown_idf = float(np.log1p((n_docs + 0.5) / 0.5))
        norm = k1 * (1 - b + b * lengths / average)
        row_of_entry = np.repeat(np.arange(n_docs), np.diff(tf.indptr))
        tf.data = tf.data * (k1 + 1) / (tf.data + norm[row_of_entry])  # saturated in place: tf is not needed after
        del row_of_entry
        self._weights_t = tf.T.tocsr()  # terms x products
        del tf
        self._present_t = present.tocsr().T.tocsr()
        self._df = df

    def search(self, queries: Sequence[str], *, top_k: int = 40, min_match: float = 0.75,
               budget: int = 4_000_000) -> Matches:
        """Each query's best `top_k` products among those that contain at least `min_match` of its IDF mass."""
        term_rows: list[int] = []
        term_cols: list[int] = []
        term_vals: list[float] = []
        totals = np.zeros(len(queries))
        touched = np.zeros(len(queries))
        for q, text in enumerate(queries):
            for token in set(tokenize(text, self.locale)):
                term = self.vocabulary.get(token)
                if term is None:
                    totals[q] += self.unknown_idf
                    continue
                totals[q] += self.idf[term]
                touched[q] += self._df[term]
                term_rows.append(q)
                term_cols.append(term)
                term_vals.append(self.idf[term])
        query_terms = sp.csr_matrix((term_vals, (term_rows, term_cols)),
                                    shape=(len(queries), self._weights_t.shape[0]))
        parts: list[tuple[np.ndarray, ...]] = []
        start = 0
        while start < len(queries):
            end, load = start, 0.0
            while end < len(queries) and (end == start or load + touched[end] <= budget):
                load += touched[end]
                end += 1
            parts.append(self._search_chunk(query_terms[start:end], totals[start:end], start, top_k, min_match))
            start = end
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return Matches(empty, empty, np.zeros(0), np.zeros(0))
        query, product, score, match = (np.concatenate(arrays) for arrays in zip(*parts, strict=True))
        return Matches(query, product, score, match)

    def _search_chunk(self, chunk: sp.csr_matrix, totals: np.ndarray, offset: int, top_k: int,
                      min_match: float) -> tuple[np.ndarray, ...]:
        scores = (chunk @ self._weights_t).tocoo()
        matched = (chunk @ self._present_t).tocoo()
        # Both products have the same sparsity pattern (same nonzero terms), so entries line up after sorting.
        order_s = np.lexsort((scores.col, scores.row))
        order_m = np.lexsort((matched.col, matched.row))
        row, col = scores.row[order_s], scores.col[order_s]
        score = scores.data[order_s]
        share = matched.data[order_m] / np.maximum(totals[row], 1e-12)
        keep = share >= min_match - 1e-9
        row, col, score, share = row[keep], col[keep], score[keep], share[keep]
        order = np.lexsort((-score, row))
        row, col, score, share = row[order], col[order], score[order], share[order]
        if len(row):
            starts = np.r_[0, np.flatnonzero(np.diff(row)) + 1]
            rank = np.arange(len(row)) - np.repeat(starts, np.diff(np.r_[starts, len(row)]))
            top = rank < top_k
            row, col, score, share = row[top], col[top], score[top], share[top]
        return row.astype(np.int64) + offset, col.astype(np.int64), score, np.minimum(share, 1.0)
