"""Exact and near-duplicate groups over one text field of the catalogue.

Texts are compared in `pipeline.text.normalise` form (case, whitespace and HTML removed), so exact groups are
built with a dictionary; near groups run MinHash/LSH (pipeline/neardup.py) over the distinct texts only, so a
description copied onto 5,000 products costs one document, not 5,000. A near group is reported only when it
holds at least two different texts; products with identical text are already an exact group.
"""

from __future__ import annotations

from array import array
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import cast

import numpy as np
import pandas as pd

from pipeline.core import neardup
from pipeline.core.text import stable_hash, words


@dataclass(frozen=True)
class DuplicateGroup:
    group_id: str
    field: str          # title | description | seo_title | seo_description
    kind: str           # exact | near
    members: list[int]  # row positions in the catalogue, ascending
    similarity: float   # 1.0 for exact groups; the lowest confirmed pair similarity for near groups
    # For a near title group whose titles differ only by variant words (colours, sizes, option values): those
    # words, in the order they appear. The group is then one product family, not a pair of look-alikes.
    family_words: tuple[str, ...] = ()


def group_id(field: str, kind: str, member_ids: Sequence[str]) -> str:
    """Stable across runs as long as the same products are in the group."""
    return f"{field}-{kind}-{stable_hash(chr(31).join(sorted(member_ids)), 10)}"


def exact_groups(keys: Sequence[str | bytes], field: str, product_ids: Sequence[str]) -> list[DuplicateGroup]:
    """Products whose normalised text (or its digest) is identical and not empty, largest group first."""
    codes, _ = pd.factorize(pd.Series(keys, dtype=object))
    codes[np.fromiter((not key for key in keys), dtype=bool, count=len(keys))] = -1
    sizes = np.bincount(codes[codes >= 0]) if (codes >= 0).any() else np.zeros(0, dtype=np.int64)
    repeated = np.flatnonzero(sizes > 1)
    if not len(repeated):
        return []
    rows = np.flatnonzero(np.isin(codes, repeated))
    rows = rows[np.argsort(codes[rows], kind="stable")]
    bounds = np.cumsum(sizes[np.sort(repeated)])[:-1]
    groups = [DuplicateGroup(group_id(field, "exact", [product_ids[r] for r in members]), field, "exact",
                             members, 1.0) for members in (part.tolist() for part in np.split(rows, bounds))]
    return sorted(groups, key=lambda g: (-len(g.members), g.members[0]))


class Vocabulary(dict):
    """Word -> integer id, so shingles are hashed from small integers instead of strings."""

    def __missing__(self, word: str) -> int:
        self[word] = len(self)
        return self[word]

    def encode(self, tokens: Sequence[str]) -> array:
        return array("i", map(self.__getitem__, tokens))


def word_tokens(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Word ids of each text (one shared vocabulary), flattened with offsets, for word shingles."""
    vocabulary = Vocabulary()
    return _flatten_arrays([vocabulary.encode(words(t)) for t in texts])


def _flatten_arrays(encoded: Sequence[array]) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter((len(a) for a in encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    flat = array("i")
    for ids in encoded:
        flat.extend(ids)
    return np.frombuffer(flat, dtype=np.int32).astype(np.uint64), offsets


def _gather_rows(flat: np.ndarray, offsets: np.ndarray, rows: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The slices of `flat` that belong to `rows`, one after the other, with their own offsets."""
    rows_array = np.asarray(rows, dtype=np.int64)
    lengths = offsets[rows_array + 1] - offsets[rows_array]
    new_offsets = np.zeros(len(rows_array) + 1, dtype=np.int64)
    np.cumsum(lengths, out=new_offsets[1:])
    within = np.arange(int(new_offsets[-1]), dtype=np.int64) - np.repeat(new_offsets[:-1], lengths)
    return flat[np.repeat(offsets[rows_array], lengths) + within], new_offsets


def char_tokens(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Unicode code points of each text, flattened with offsets, for character shingles."""
    encoded = "".join(texts).encode("utf-32-le")
    flat = np.frombuffer(encoded, dtype=np.uint32).astype(np.uint64)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts)), out=offsets[1:])
    return flat, offsets


def near_groups(keys: Sequence[str | bytes], field: str, product_ids: Sequence[str], *, threshold: float,
                shingle_size: int, unit: str, num_perm: int = 64,
                originals: Sequence[str | bytes] | None = None,
                token_ids: tuple[np.ndarray, np.ndarray] | None = None) -> list[DuplicateGroup]:
    """Groups of products whose compared texts' shingle sets reach `threshold` Jaccard similarity.

    `unit` is "words" (word shingles: descriptions) or "chars" (character shingles: short texts like titles).
    `keys` are the texts compared; `originals` (default: the keys) are the texts shown to the merchant. A group
    needs at least two different originals: products whose originals are identical are an exact group, not a
    near one. Keys may be reduced forms (titles without variant words), so different originals can share a key.
    `token_ids` (word ids of every row's key, flat, and row offsets), when the caller has them, save
    re-tokenising; with them, keys may be digests of the texts rather than the texts.
    """
    originals = keys if originals is None else originals
    distinct: dict[str | bytes, int] = {}
    rows_of: list[list[int]] = []
    for row, key in enumerate(keys):
        if not key:
            continue
        index = distinct.setdefault(key, len(distinct))
        if index == len(rows_of):
            rows_of.append([])
        rows_of[index].append(row)
    texts = list(distinct)
    doc_groups: list[list[int]] = []
    lowest: list[float] = []
    if len(texts) >= 2:
        if unit == "chars":
            tokens, offsets = char_tokens(cast("list[str]", texts))  # keys are texts here: digests come with token_ids
        elif token_ids is not None:
            tokens, offsets = _gather_rows(*token_ids, [rows[0] for rows in rows_of])
        else:
            tokens, offsets = word_tokens(cast("list[str]", texts))
        shingled = neardup.shingle(tokens, offsets, shingle_size)
        found = neardup.near_duplicates(shingled, threshold, num_perm=num_perm)
        group_of = {doc: g for g, docs in enumerate(found.groups) for doc in docs}
        doc_groups = found.groups
        lowest = [1.0] * len(doc_groups)
        for (i, _), similarity in zip(found.pairs.tolist(), found.similarities.tolist(), strict=True):
            lowest[group_of[i]] = min(lowest[group_of[i]], similarity)
    grouped = {doc for docs in doc_groups for doc in docs}
    # A key shared by different originals is a group of its own (similarity 1 on the compared form).
    doc_groups = doc_groups + [[doc] for doc in range(len(texts)) if doc not in grouped and len(rows_of[doc]) > 1]
    lowest = lowest + [1.0] * (len(doc_groups) - len(lowest))
    groups = []
    for docs, similarity in zip(doc_groups, lowest, strict=True):
        rows = sorted(row for doc in docs for row in rows_of[doc])
        if len({originals[r] for r in rows}) < 2:
            continue
        groups.append(DuplicateGroup(group_id(field, "near", [product_ids[r] for r in rows]), field, "near", rows,
                                     round(similarity, 3)))
    return sorted(groups, key=lambda g: (-len(g.members), g.members[0]))


def distinct_products(groups: Sequence[DuplicateGroup], product_ids: Sequence[str]) -> list[DuplicateGroup]:
    """Each group with each product once: a catalogue row that repeats a product id already in its group is left
    out (a frame that lists a product twice would otherwise show it twice in one group, as its own duplicate),
    and a group left with fewer than two products is dropped."""
    out = []
    for group in groups:
        seen: dict[str, int] = {}
        for row in group.members:
            seen.setdefault(product_ids[row], row)
        if len(seen) == len(group.members):
            out.append(group)
        elif len(seen) > 1:
            members = sorted(seen.values())
            out.append(replace(group, members=members, group_id=group_id(group.field, group.kind, list(seen))))
    return out


def as_family(group: DuplicateGroup, title_keys: Sequence[str], variant_words: Collection[str]) -> DuplicateGroup:
    """A near title group marked as a family when its titles differ only by variant words (`title_keys` in
    `normalise` form, as `variant_words` are); any other group as it is."""
    titles = [words(title_keys[row]) for row in group.members]
    shared = set.intersection(*(set(t) for t in titles))
    differing = list(dict.fromkeys(w for t in titles for w in t if w not in shared))
    if not differing or not all(w in variant_words for w in differing):
        return group
    return replace(group, family_words=tuple(differing))
