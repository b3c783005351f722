"""Which other product's copy a new text is too close to: exact titles, near-duplicate descriptions.

Generation checks one draft at a time against everything written so far, so this index is incremental (add,
replace, query) where the audit's batch near-duplicate search is not. Descriptions are compared as sets of
word 3-shingles: MinHash signatures split into LSH bands propose candidates, and every candidate is confirmed
with the exact Jaccard similarity of the two shingle sets, so a reported near-duplicate is never an estimation
error. Titles are compared exactly after normalisation (case, accents, punctuation).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from pipeline.llm.lexicon import words
from pipeline.text import hash64, strip_html, word_shingles

SHINGLE_WORDS = 3
_BANDS, _ROWS = 16, 4  # 64 permutations; a pair at Jaccard 0.7 shares a band with probability ~0.98
_PRIME = np.uint64((1 << 61) - 1)
_RNG = np.random.default_rng(20240601)
_A = _RNG.integers(1, (1 << 61) - 1, size=_BANDS * _ROWS, dtype=np.uint64)
_B = _RNG.integers(0, (1 << 61) - 1, size=_BANDS * _ROWS, dtype=np.uint64)


def title_key(text: str) -> str:
    """'The  Linen-Shirt!' and 'the linen shirt' are the same title to a shopper scanning results."""
    return " ".join(words(text))


def shingle_hashes(text: str, *, is_html: bool = False) -> np.ndarray:
    tokens = words(strip_html(text) if is_html else text)
    return np.unique(np.array(hash64(word_shingles(tokens, SHINGLE_WORDS)), dtype=np.uint64))


def _signature(hashes: np.ndarray) -> np.ndarray:
    if len(hashes) == 0:
        return np.zeros(_BANDS * _ROWS, dtype=np.uint64)
    # Universal hashing a*h + b (wrapping at 2**64, then mod a Mersenne prime): one permutation per row.
    return ((_A[:, None] * hashes[None, :] + _B[:, None]) % _PRIME).min(axis=1)


def exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) == 0 and len(b) == 0:
        return 1.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


@dataclass(frozen=True)
class Conflict:
    other: str  # the other product's id
    origin: str  # "existing" copy on the store or a "draft"
    similarity: float


class CopyIndex:
    """One namespace per (locale, field): titles exactly, descriptions by shingle similarity."""

    def __init__(self, threshold: float):
        self.threshold = threshold
        self._titles: dict[tuple[str, str], dict[str, set[tuple[str, str]]]] = defaultdict(lambda: defaultdict(set))
        self._docs: dict[tuple[str, str, str, str], np.ndarray] = {}
        self._bands: dict[tuple[str, str], list[dict[bytes, set[tuple[str, str]]]]] = defaultdict(
            lambda: [defaultdict(set) for _ in range(_BANDS)])
        self._band_keys: dict[tuple[str, str, str, str], list[bytes]] = {}

    # -- titles -------------------------------------------------------------------------------------------
    def add_title(self, owner: str, origin: str, locale: str, field: str, text: str | None) -> None:
        if text and title_key(text):
            self._titles[(locale, field)][title_key(text)].add((owner, origin))

    def remove_title(self, owner: str, origin: str, locale: str, field: str, text: str | None) -> None:
        if text:
            self._titles[(locale, field)].get(title_key(text), set()).discard((owner, origin))

    def title_conflicts(self, owner: str, locale: str, field: str, text: str) -> list[Conflict]:
        holders = self._titles[(locale, field)].get(title_key(text), set())
        return sorted(Conflict(o, origin, 1.0) for o, origin in holders if o != owner)

    # -- descriptions ---------------------------------------------------------------------------------------
    def add_text(self, owner: str, origin: str, locale: str, field: str, text: str | None, *,
                 is_html: bool = False) -> None:
        key = (owner, origin, locale, field)
        self.remove_text(owner, origin, locale, field)
        hashes = shingle_hashes(text or "", is_html=is_html)
        if len(hashes) < 2:  # a text of one or two words has no meaningful near-duplicate
            return
        self._docs[key] = hashes
        band_keys = _band_keys(_signature(hashes))
        self._band_keys[key] = band_keys
        for band, band_key in zip(self._bands[(locale, field)], band_keys, strict=True):
            band[band_key].add((owner, origin))

    def remove_text(self, owner: str, origin: str, locale: str, field: str) -> None:
        key = (owner, origin, locale, field)
        if key not in self._docs:
            return
        del self._docs[key]
        for band, band_key in zip(self._bands[(locale, field)], self._band_keys.pop(key), strict=True):
            band[band_key].discard((owner, origin))

    def text_conflicts(self, owner: str, locale: str, field: str, text: str, *,
                       is_html: bool = False) -> list[Conflict]:
        hashes = shingle_hashes(text, is_html=is_html)
        if len(hashes) < 2:
            return []
        candidates: set[tuple[str, str]] = set()
        for band, band_key in zip(self._bands[(locale, field)], _band_keys(_signature(hashes)), strict=True):
            candidates |= band.get(band_key, set())
        found = []
        for other, origin in candidates:
            if other == owner:
                continue
            similarity = exact_jaccard(hashes, self._docs[(other, origin, locale, field)])
            if similarity >= self.threshold:
                found.append(Conflict(other, origin, round(similarity, 3)))
        return sorted(found, key=lambda c: (-c.similarity, c.other))


def _band_keys(signature: np.ndarray) -> list[bytes]:
    return [signature[i * _ROWS:(i + 1) * _ROWS].tobytes() for i in range(_BANDS)]

