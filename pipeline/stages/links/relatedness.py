"""Which products are related, from the catalogue alone: TF-IDF over titles, types, tags, options, vendor and
collections, compared only within blocks so 100,000 products never need a dense n x n matrix.

A product's block is its product type (else its first collection, else its vendor). Candidates come from
- its own block: the k most similar products of the same type ("same collection");
- the few blocks most similar to its own as a whole ("complementary types": a type whose products share
  materials, styles, vendors and words with this type's), where it takes the k' most similar products of a
  random sample (of up to COMPLEMENT_SAMPLE products) of that block.
Cost is the sum of block-pair sizes, which stays near-linear while types stay small next to the catalogue.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from pipeline.core.catalog_variants import variant_table
from pipeline.core.progress import Progress
from pipeline.core.text import handleize

# Field weights: the type says most about what a product is; tags and collections say what it is made of or
# sold with; option values (colour, material) a little; title words fill in the rest.
WEIGHTS = {"type": 2.0, "tag": 1.5, "col": 1.5, "word": 1.0, "vendor": 0.5, "value": 0.5, "option": 0.3}
_WORD = re.compile(r"[^\W\d_]{2,}")
STOPWORDS = frozenset("""a an and are as at be by for from in into is it of on or our the this to with your you
 de la le les des du et en pour avec und der die das mit für y el los las con para""".split())
# Dense blocks of similarities are computed a slice of rows at a time, at most this many cells per slice.
MAX_CELLS = 4_000_000
# Complementary blocks larger than this are searched in random samples of this many products.
COMPLEMENT_SAMPLE = 600


@dataclass(frozen=True)
class Candidates:
    """Candidate links as parallel arrays of catalogue row positions, one entry per (source, target)."""

    source: np.ndarray
    target: np.ndarray
    similarity: np.ndarray
    same_block: np.ndarray  # bool: same type/collection block, else a complementary block

    @classmethod
    def empty(cls) -> Candidates:
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0, bool))

    def __len__(self) -> int:
        return len(self.source)


def product_features(catalog: pd.DataFrame, variants: pd.DataFrame) -> pd.DataFrame:
    """One row per (product row, feature) with its weight; features are prefixed by field.

    `variants` is the flat variant table of pipeline.core.catalog_variants (row, sku, option1..3).
    """
    text = (catalog["title"].fillna("") + " " + catalog["product_type"].fillna("")).str.lower()
    words = _explode(text.str.findall(_WORD.pattern))
    words = words[~words.isin(STOPWORDS)]
    options = variants.melt(id_vars="row", value_vars=["option1", "option2", "option3"])
    values = pd.Series(options["value"].to_numpy(), index=options["row"].to_numpy(), dtype=object)
    values = values[values.notna() & (values != "") & (values != "Default Title")]
    parts = [
        ("w:", words, WEIGHTS["word"]),
        ("type:", catalog["product_type"], WEIGHTS["type"]),
        ("tag:", _explode(catalog["tags"]), WEIGHTS["tag"]),
        ("col:", _explode(catalog["collections"]).map(handleize), WEIGHTS["col"]),
        ("vendor:", catalog["vendor"], WEIGHTS["vendor"]),
        ("opt:", _explode(catalog["options"]), WEIGHTS["option"]),
        ("val:", values, WEIGHTS["value"]),
    ]
    frames = []
    for prefix, series, weight in parts:
        cleaned = series.dropna().astype(str).str.strip().str.lower()
        cleaned = cleaned[cleaned != ""]
        frames.append(pd.DataFrame({"row": cleaned.index.to_numpy(np.int64), "feature": prefix + cleaned.to_numpy(),
                                    "weight": np.float32(weight)}))
    return pd.concat(frames, ignore_index=True).drop_duplicates(["row", "feature"])


def _explode(series: pd.Series) -> pd.Series:
    """A column of lists as one entry per item, indexed by the item's row position."""
    series = series.reset_index(drop=True)
    return series.map(lambda v: [] if v is None or isinstance(v, float) else v).explode().dropna()


def tfidf_matrix(catalog: pd.DataFrame, variants: pd.DataFrame | None = None) -> sparse.csr_matrix:
    """Rows are products, L2-normalised, so a dot product is a cosine similarity."""
    n = len(catalog)
    if variants is None:
        variants = variant_table(catalog["variants"]) if "variants" in catalog else variant_table(pd.Series([]))
    features = product_features(catalog.reset_index(drop=True), variants)
    if features.empty:
        return sparse.csr_matrix((n, 1), dtype=np.float32)
    codes, vocabulary = pd.factorize(features["feature"])
    counts = sparse.coo_matrix((features["weight"].to_numpy(np.float32), (features["row"].to_numpy(), codes)),
                               shape=(n, len(vocabulary))).tocsr()
    document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = (np.log((1 + n) / (1 + document_frequency)) + 1).astype(np.float32)
    matrix = counts @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ matrix, dtype=np.float32)


def block_keys(catalog: pd.DataFrame) -> np.ndarray:
    """The block of each product: its type, else its first collection, else its vendor, else one shared block."""
    keys = []
    fields = zip(catalog["product_type"], catalog["collections"], catalog["vendor"], strict=True)
    for product_type, collections, vendor in fields:
        collections = _list(collections)
        if product_type and product_type.strip():
            keys.append("type:" + product_type.strip().lower())
        elif collections:
            keys.append("col:" + handleize(collections[0]))
        elif vendor and vendor.strip():
            keys.append("vendor:" + vendor.strip().lower())
        else:
            keys.append("")
    return np.asarray(keys, dtype=object)


def top_k(left: sparse.csr_matrix, right: sparse.csr_matrix, left_ids: np.ndarray, right_ids: np.ndarray,
          k: int, min_similarity: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each row of `left`, the k rows of `right` most similar to it (never the same id), as id arrays."""
    sources, targets, sims = [], [], []
    m = right.shape[0]
    k = min(k, m)
    if k == 0 or left.shape[0] == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    right_t = sparse.csr_matrix(right.T)
    position_of = pd.Series(np.arange(m), index=right_ids)
    chunk = max(1, MAX_CELLS // m)
    for start in range(0, left.shape[0], chunk):
        ids = left_ids[start:start + chunk]
        dense = (left[start:start + chunk] @ right_t).toarray()
        own = position_of.reindex(ids).to_numpy()
        mine = ~np.isnan(own)
        dense[np.flatnonzero(mine), own[mine].astype(np.int64)] = -1.0
        if k < m:
            best = np.argpartition(-dense, k - 1, axis=1)[:, :k]
        else:
            best = np.broadcast_to(np.arange(m), dense.shape)
        best_sims = np.take_along_axis(dense, best, axis=1)
        keep = best_sims >= min_similarity
        row_index = np.broadcast_to(np.arange(len(ids))[:, None], best.shape)
        sources.append(ids[row_index[keep]])
        targets.append(right_ids[best[keep]])
        sims.append(best_sims[keep].astype(np.float32))
    return np.concatenate(sources), np.concatenate(targets), np.concatenate(sims)


def complementary_blocks(matrix: sparse.csr_matrix, keys: np.ndarray, eligible: np.ndarray, per_block: int,
                         min_similarity: float) -> dict[str, list[str]]:
    """For each block, the `per_block` other blocks whose eligible products look most like its own."""
    rows = np.flatnonzero(eligible)
    if per_block <= 0 or len(rows) == 0:
        return {}
    codes, names = pd.factorize(pd.Series(keys[rows], dtype=object))
    membership = sparse.csr_matrix((np.ones(len(rows), np.float32), (codes, rows)),
                                   shape=(len(names), matrix.shape[0]))
    centroids = membership @ matrix
    norms = np.sqrt(np.asarray(centroids.multiply(centroids).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    centroids = sparse.csr_matrix(sparse.diags(1 / norms) @ centroids)
    ids = np.arange(len(names))
    block, other, _ = top_k(centroids, centroids, ids, ids, per_block, min_similarity)
    pairs: dict[str, list[str]] = {}
    for a, b in zip(block, other, strict=True):
        pairs.setdefault(names[a], []).append(names[b])
    return pairs


def related_candidates(matrix: sparse.csr_matrix, keys: np.ndarray, is_source: np.ndarray, is_target: np.ndarray,
                       *, same_block_k: int, complementary_k: int, complementary_blocks_per_block: int,
                       min_similarity: float, progress: Progress | None = None) -> Candidates:
    """Candidate (source, target) pairs with their cosine similarity; see the module docstring."""
    codes, names = pd.factorize(pd.Series(keys, dtype=object))
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1))
    members = {names[b]: order[bounds[b]:bounds[b + 1]] for b in range(len(names))}
    complements = complementary_blocks(matrix, keys, is_target, complementary_blocks_per_block, min_similarity)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, bool]] = []
    rng = np.random.default_rng(20240611)
    for name, rows in members.items():
        sources = rows[is_source[rows]]
        if len(sources):
            targets = rows[is_target[rows]]
            parts.append((*top_k(matrix[sources], matrix[targets], sources, targets, same_block_k, min_similarity),
                          True))
            for other in complements.get(name, []):
                targets = members[other][is_target[members[other]]]
                for group, sample in _complement_slices(sources, targets, rng):
                    parts.append((*top_k(matrix[group], matrix[sample], group, sample, complementary_k,
                                         min_similarity), False))
        if progress is not None:
            progress.advance(len(rows))
    if not parts:
        return Candidates.empty()
    return Candidates(source=np.concatenate([p[0] for p in parts]),
                      target=np.concatenate([p[1] for p in parts]),
                      similarity=np.concatenate([p[2] for p in parts]),
                      same_block=np.concatenate([np.full(len(p[0]), p[3]) for p in parts]))


def _complement_slices(sources: np.ndarray, targets: np.ndarray,
                       rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    """Slices of sources, each paired with its own random sample of a large complementary block's targets.

    A complementary link only needs a good match from the other type, not the best of thousands; sampling
    keeps its cost near that of the own-type search, and different samples per slice spread the inbound links.
    """
    if len(targets) <= COMPLEMENT_SAMPLE:
        return [(sources, targets)]
    slices = np.array_split(sources, max(1, len(sources) // COMPLEMENT_SAMPLE))
    return [(part, np.sort(rng.choice(targets, COMPLEMENT_SAMPLE, replace=False))) for part in slices]


def _list(value: object) -> Sequence:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    return list(value)  # type: ignore[call-overload]
