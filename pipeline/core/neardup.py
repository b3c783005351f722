"""Near-duplicate groups: MinHash signatures, LSH banding for candidates, exact Jaccard to confirm.

The same method as datasketch's MinHash + MinHashLSH (and the SEO crawlers' near-duplicate report), done on
whole arrays with numpy instead of one Python object per document: datasketch hashes every shingle with SHA-1
in Python, which alone takes longer than our 60 s budget for 100,000 descriptions and titles.

Documents arrive as integer token ids (word ids or character code points) in one flat array with offsets;
shingles are hashed from those ids, so no shingle string is ever built. LSH only proposes candidate pairs;
every candidate is confirmed with the exact Jaccard similarity of the two shingle sets, so a reported pair is
never a MinHash estimation error. What LSH can miss is measured by `make bench-audit` against all pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_MASK32 = np.uint64(0xFFFFFFFF)
# Above this many documents in one LSH bucket, pair each only with its neighbours in the bucket, so that a
# few thousand identical boilerplate texts cannot produce millions of candidate pairs.
MAX_BUCKET_PAIRS = 64


@dataclass(frozen=True)
class Shingled:
    """64-bit shingle hashes of each document: doc i owns hashes[offsets[i]:offsets[i+1]].

    A document's hashes may repeat (a phrase used twice); MinHash does not care, and `set_of` removes them
    for exact comparisons, so the whole corpus is never sorted.
    """

    hashes: np.ndarray
    offsets: np.ndarray

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def sizes(self) -> np.ndarray:
        """Shingles per document, repeats included (0 for an empty document)."""
        return np.diff(self.offsets)

    def set_of(self, doc: int) -> np.ndarray:
        """The document's distinct shingle hashes, sorted."""
        return np.unique(self.hashes[self.offsets[doc]:self.offsets[doc + 1]])

    def deduplicated(self, block_hashes: int = 1 << 21) -> Shingled:
        """The same documents with each one's hashes sorted and distinct (sizes are then set sizes).

        Sorts one combined key (document number in the high bits, the hash's top bits below), which is far
        faster than a two-key sort; the hashes keep 40 or more bits, so two different shingles of two
        documents being compared still collide only about once in 10^12 comparisons. Works through the
        corpus `block_hashes` at a time, so temporaries stay small.
        """
        n_docs = len(self)
        doc_bits = max(1, int(n_docs).bit_length())  # the same for every block, so hashes compare across blocks
        parts: list[np.ndarray] = []
        counts = np.zeros(n_docs, dtype=np.int64)
        first_doc = 0
        while first_doc < n_docs:
            last = int(np.searchsorted(self.offsets, self.offsets[first_doc] + block_hashes, side="right")) - 1
            last = min(max(last, first_doc + 1), n_docs)
            block = Shingled(self.hashes[self.offsets[first_doc]:self.offsets[last]],
                             self.offsets[first_doc:last + 1] - self.offsets[first_doc])
            hashes, doc_of = block._sorted_distinct(doc_bits)
            parts.append(hashes)
            counts[first_doc:last] = np.bincount(doc_of, minlength=last - first_doc)
            first_doc = last
        offsets = np.zeros(n_docs + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        return Shingled(hashes=np.concatenate(parts) if parts else np.zeros(0, np.uint64), offsets=offsets)

    def _sorted_distinct(self, doc_bits: int) -> tuple[np.ndarray, np.ndarray]:
        n_docs = len(self)
        if doc_bits > 24:  # more documents than the combined key has room for: the slower exact sort
            doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), self.sizes())
            order = np.lexsort((self.hashes, doc_of))
            hashes, doc_of = self.hashes[order], doc_of[order]
        else:
            key = np.repeat(np.arange(n_docs, dtype=np.uint64), self.sizes()) << np.uint64(64 - doc_bits)
            key |= self.hashes >> np.uint64(doc_bits)
            key.sort()
            doc_of = (key >> np.uint64(64 - doc_bits)).astype(np.int64)
            hashes = key & np.uint64((1 << (64 - doc_bits)) - 1)
        first = np.ones(len(hashes), dtype=bool)
        first[1:] = (hashes[1:] != hashes[:-1]) | (doc_of[1:] != doc_of[:-1])
        return hashes[first], doc_of[first]


def flatten(token_lists: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Token id lists -> (flat uint64 array, offsets of length n+1)."""
    lengths = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=len(token_lists))
    offsets = np.zeros(len(token_lists) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat = np.fromiter((tok for tokens in token_lists for tok in tokens), dtype=np.uint64, count=int(offsets[-1]))
    return flat, offsets


def shingle(tokens: np.ndarray, offsets: np.ndarray, size: int, seed: int = 1,
            block_tokens: int = 1 << 21) -> Shingled:
    """Hash every run of `size` consecutive tokens of each document; a shorter document is one shingle.

    Works through the corpus `block_tokens` tokens at a time, so temporaries stay small at any corpus size.
    """
    if size < 1:
        raise ValueError("shingle size must be at least 1")
    multipliers = np.random.default_rng(seed).integers(1, 2**63, size=size, dtype=np.uint64) | np.uint64(1)
    n_docs = len(offsets) - 1
    lengths = np.diff(offsets)
    # Shingles start at offsets[d] .. offsets[d+1]-size, or once at offsets[d] for a document shorter than size.
    counts = np.where(lengths >= size, lengths - size + 1, np.minimum(lengths, 1))
    new_offsets = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(counts, out=new_offsets[1:])
    hashes = np.empty(int(new_offsets[-1]), dtype=np.uint64)
    first = 0
    while first < n_docs:
        last = max(first + 1, int(np.searchsorted(offsets, offsets[first] + block_tokens, side="right")) - 1)
        last = min(last, n_docs)
        lo, hi = int(offsets[first]), int(offsets[last])
        out = hashes[new_offsets[first]:new_offsets[last]]
        _hash_block(tokens[lo:hi], offsets[first:last + 1] - lo, counts[first:last], multipliers, out)
        first = last
    return Shingled(hashes=hashes, offsets=new_offsets)


def _hash_block(tokens: np.ndarray, offsets: np.ndarray, counts: np.ndarray, multipliers: np.ndarray,
                out: np.ndarray) -> None:
    n_docs = len(counts)
    total = len(out)
    if not total:
        return
    shingle_offsets = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(counts, out=shingle_offsets[1:])
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), counts)
    starts = np.arange(total, dtype=np.int64) - shingle_offsets[:-1][doc_of] + offsets[:-1][doc_of]
    ends = offsets[1:][doc_of]
    mixed = tokens.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(0x632BE59BD9B4E019)
    out[:] = 0
    for j, multiplier in enumerate(multipliers):
        index = starts + j
        inside = index < ends
        if inside.all():
            out += mixed[index] * multiplier
        else:
            out += np.where(inside, mixed[np.minimum(index, len(tokens) - 1)] * multiplier, np.uint64(0))
    out ^= out >> np.uint64(29)


def signatures(shingled: Shingled, num_perm: int = 64, seed: int = 7) -> np.ndarray:
    """MinHash signatures (n_docs x num_perm, uint32) with multiply-shift hash functions.

    Documents without shingles get all-max signatures; callers leave them out of comparisons.
    """
    n_docs = len(shingled)
    out = np.full((n_docs, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    nonempty = np.flatnonzero(shingled.sizes() > 0)
    if not len(nonempty):
        return out
    starts = shingled.offsets[:-1][nonempty]
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    values = np.empty(len(shingled.hashes), dtype=np.uint64)
    for p in range(num_perm):
        np.multiply(shingled.hashes, a[p], out=values)
        values += b[p]
        values >>= np.uint64(32)
        out[nonempty, p] = np.minimum.reduceat(values, starts).astype(np.uint32)
    return out


def lsh_parameters(threshold: float, num_perm: int, recall_at_threshold: float = 0.99) -> tuple[int, int]:
    """(bands, rows), bands*rows <= num_perm: the most rows per band (fewest chance candidates) that still
    makes a pair exactly at `threshold` a candidate with probability >= `recall_at_threshold`.

    More similar pairs are candidates with even higher probability; candidates are verified exactly anyway.
    """
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if 1.0 - (1.0 - threshold ** rows) ** bands >= recall_at_threshold:
            best = (bands, rows)
    return best


def candidate_pairs(sigs: np.ndarray, bands: int, rows: int, eligible: np.ndarray | None = None) -> np.ndarray:
    """Pairs (i < j) of documents that share all `rows` values of at least one band; shape (m, 2)."""
    n_docs = sigs.shape[0]
    docs = np.arange(n_docs, dtype=np.int64) if eligible is None else np.flatnonzero(eligible)
    if len(docs) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    rng = np.random.default_rng(11)
    mix = rng.integers(1, 2**63, size=rows, dtype=np.uint64) | np.uint64(1)
    found: list[np.ndarray] = []
    for band in range(bands):
        block = sigs[docs, band * rows:(band + 1) * rows].astype(np.uint64)
        keys = (block * mix).sum(axis=1) + np.uint64(band)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        starts = np.concatenate(([0], np.flatnonzero(np.diff(sorted_keys)) + 1))
        sizes = np.diff(np.concatenate((starts, [len(keys)])))
        # Buckets of one size at a time, all pairs in one go: most buckets hold two or three documents.
        for size in np.unique(sizes[sizes > 1]).tolist():
            bucket_starts = starts[sizes == size]
            if size <= MAX_BUCKET_PAIRS:
                i, j = np.triu_indices(size, k=1)
            else:  # a huge bucket: each member with its next few, which still connects the bucket
                i = np.concatenate([np.arange(size - k) for k in range(1, 9)])
                j = i + np.repeat(np.arange(1, 9), [size - k for k in range(1, 9)])
            left = docs[order[(bucket_starts[:, None] + i[None, :]).ravel()]]
            right = docs[order[(bucket_starts[:, None] + j[None, :]).ravel()]]
            found.append(np.stack((left, right), axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.sort(np.concatenate(found), axis=1)
    return np.unique(pairs, axis=0)


def exact_jaccard(shingled: Shingled, pairs: np.ndarray) -> np.ndarray:
    """Exact Jaccard similarity of each pair's shingle sets."""
    if not len(pairs):
        return np.empty(0, dtype=np.float64)
    involved = np.unique(pairs)
    sets = _subset(shingled, involved).deduplicated()
    position = np.searchsorted(involved, pairs)
    return _set_jaccard(sets, position)


def _subset(shingled: Shingled, docs: np.ndarray) -> Shingled:
    sizes = shingled.sizes()[docs]
    offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    within = np.arange(int(offsets[-1]), dtype=np.int64) - np.repeat(offsets[:-1], sizes)
    return Shingled(shingled.hashes[np.repeat(shingled.offsets[:-1][docs], sizes) + within], offsets)


def _set_jaccard(sets: Shingled, pairs: np.ndarray) -> np.ndarray:
    """Jaccard of deduplicated documents, pair by pair (pairs are few: LSH candidates that passed the screen)."""
    out = np.empty(len(pairs), dtype=np.float64)
    bounds = sets.offsets.tolist()
    for k, (a, b) in enumerate(pairs.tolist()):
        first, second = sets.hashes[bounds[a]:bounds[a + 1]], sets.hashes[bounds[b]:bounds[b + 1]]
        inter = len(np.intersect1d(first, second, assume_unique=True))
        union = len(first) + len(second) - inter
        out[k] = inter / union if union else 1.0
    return out


def groups_from_pairs(n_docs: int, pairs: np.ndarray) -> list[list[int]]:
    """Connected components (size >= 2) of the pair graph, each sorted, largest group first."""
    parent = list(range(n_docs))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs.tolist():
        ri, rj = root(i), root(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    components: dict[int, list[int]] = {}
    for doc in {x for pair in pairs.tolist() for x in pair}:
        components.setdefault(root(doc), []).append(doc)
    groups = [sorted(members) for members in components.values() if len(members) > 1]
    return sorted(groups, key=lambda g: (-len(g), g[0]))


@dataclass(frozen=True)
class NearDuplicates:
    groups: list[list[int]]
    pairs: np.ndarray
    similarities: np.ndarray
    candidates: int


def near_duplicates(shingled: Shingled, threshold: float, *, num_perm: int = 64) -> NearDuplicates:
    """Groups of documents whose shingle sets have Jaccard similarity >= `threshold` (connected via pairs).

    Documents without shingles (empty text) are never grouped. A set of s shingles is at most s/(s+1) similar
    to any different set, so documents with fewer shingles than threshold/(1-threshold) (9 at 0.9: most
    titles) can only match an identical set: those are grouped by their set, exactly, without MinHash.
    """
    sets = shingled.deduplicated()
    sizes = sets.sizes()
    small = sizes < threshold / (1 - threshold) - 1e-9 if threshold < 1 else np.ones(len(sizes), dtype=bool)
    identical = _identical_set_pairs(sets, np.flatnonzero((sizes > 0) & small))
    rest = (sizes > 0) & ~small
    candidates = np.zeros((0, 2), dtype=np.int64)
    if rest.sum() >= 2:
        sigs = signatures(sets, num_perm=num_perm)
        candidates = candidate_pairs(sigs, *lsh_parameters(threshold, num_perm), eligible=rest)
    screened = candidates
    if len(candidates):
        # Cheap screen on the MinHash estimate first, with a margin of at least 5 standard errors.
        margin = max(0.2, 5 * (threshold * (1 - threshold) / num_perm) ** 0.5)
        estimate = np.empty(len(candidates))
        for start in range(0, len(candidates), 50_000):
            chunk = candidates[start:start + 50_000]
            estimate[start:start + 50_000] = (sigs[chunk[:, 0]] == sigs[chunk[:, 1]]).mean(axis=1)
        screened = candidates[estimate >= threshold - margin]
    similarity = _set_jaccard(sets, screened)
    reached = similarity >= threshold - 1e-12  # 9 shared of 10 is 0.9, whatever the rounding
    confirmed = np.concatenate([identical, screened[reached]])
    similarities = np.concatenate([np.ones(len(identical)), similarity[reached]])
    return NearDuplicates(groups=groups_from_pairs(len(shingled), confirmed), pairs=confirmed,
                          similarities=similarities, candidates=len(candidates) + len(identical))


def _identical_set_pairs(sets: Shingled, docs: np.ndarray) -> np.ndarray:
    """Pairs of `docs` (deduplicated) with the same shingle set: each linked to the first with its set."""
    if len(docs) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    subset = _subset(sets, docs)
    # A set's fingerprint: the sum of its mixed distinct hashes (order-free), plus its size.
    mixed = subset.hashes * np.uint64(0xD6E8FEB86659FD93)
    mixed ^= mixed >> np.uint64(32)
    fingerprint = np.add.reduceat(mixed, subset.offsets[:-1]) if len(mixed) else np.zeros(len(docs), np.uint64)
    fingerprint = fingerprint + subset.sizes().astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    order = np.argsort(fingerprint, kind="stable")
    ordered = fingerprint[order]
    repeats = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
    if not len(repeats):
        return np.zeros((0, 2), dtype=np.int64)
    run_first = np.maximum.accumulate(np.where(np.r_[True, ordered[1:] != ordered[:-1]], np.arange(len(docs)), 0))
    left, right = docs[order[run_first[repeats]]], docs[order[repeats]]
    return np.sort(np.stack((left, right), axis=1), axis=1)
