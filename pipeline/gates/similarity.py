"""Which other product's copy a new text is too close to: exact titles, near-duplicate descriptions.

Generation checks one draft at a time against everything written so far, so this index is incremental (add,
replace, query) where the audit's batch near-duplicate search is not. Descriptions are compared as sets of
word 3-shingles and titles as sets of character 4-shingles (the audit's units): MinHash signatures split into
LSH bands propose candidates, and every candidate is confirmed with the exact Jaccard similarity of the two
shingle sets, so a reported near-duplicate is never an estimation error. Titles and handles are also compared
exactly after normalisation (case, accents, punctuation).
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from pipeline.core.lexicon import words
from pipeline.core.text import word_shingles

SHINGLE_WORDS = 3
# 32 hash functions in 8 bands of 4: a pair at Jaccard 0.9 shares a band with probability 0.9998, at 0.8 with
# 0.985, so pairs at the threshold are found; candidates are then confirmed exactly.
_BANDS, _ROWS = 8, 4
_RNG = np.random.default_rng(20240601)
_A = _RNG.integers(1, 1 << 63, size=_BANDS * _ROWS, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 1 << 63, size=_BANDS * _ROWS, dtype=np.uint64)


def title_key(text: str) -> str:
    """'The  Linen-Shirt!' and 'the linen shirt' are the same title to a shopper scanning results."""
    return " ".join(words(text))


def _signature(hashes: np.ndarray) -> np.ndarray:
    if len(hashes) == 0:
        return np.zeros(_BANDS * _ROWS, dtype=np.uint64)
    # Multiply-add hashing wrapping at 2**64 (odd multipliers), high bits kept: one permutation per row.
    return ((_A[:, None] * hashes[None, :] + _B[:, None]) >> np.uint64(32)).min(axis=1)


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


# How each field is compared: exact (normalised) match, near match on word or character shingles, or both.
FIELD_RULES = {
    "title": (True, "chars"),
    "seo_title": (True, "chars"),
    "handle": (True, None),
    "body_html": (False, "words"),
    "seo_description": (False, "words"),
}
TITLE_SHINGLE_CHARS = 4


def text_shingles(field: str, text: str) -> np.ndarray:
    unit = FIELD_RULES[field][1]
    if unit == "chars":
        folded = title_key(text)
        grams = {folded[i:i + TITLE_SHINGLE_CHARS] for i in range(max(len(folded) - TITLE_SHINGLE_CHARS + 1, 1))}
        return _hashes(grams)
    tokens = words(text)
    return _hashes(word_shingles(tokens, SHINGLE_WORDS))


def _hashes(shingles: set[str]) -> np.ndarray:
    # CRC-32 is stable across runs and machines and fast in C; a collision inside one text's few hundred
    # shingles is negligible for similarity at the 0.9 level.
    return np.unique(np.fromiter((zlib.crc32(s.encode("utf-8")) for s in shingles), dtype=np.uint64,
                                 count=len(shingles)))


class CopyIndex:
    """Every product's copy per (locale, field), to find what a new text is too close to.

    Texts are plain: callers pass a description's visible text (`strip_html`), not its markup.
    """

    def __init__(self, threshold: float):
        self.threshold = threshold
        self._exact: dict[tuple[str, str], dict[str, set[tuple[str, str]]]] = defaultdict(lambda: defaultdict(set))
        self._exact_key: dict[tuple[str, str, str, str], str] = {}
        self._docs: dict[tuple[str, str, str, str], np.ndarray] = {}
        self._bands: dict[tuple[str, str], list[dict[bytes, set[tuple[str, str]]]]] = defaultdict(
            lambda: [defaultdict(set) for _ in range(_BANDS)])
        self._band_keys: dict[tuple[str, str, str, str], list[bytes]] = {}

    def __len__(self) -> int:
        return len(set(self._exact_key) | set(self._docs))

    def add(self, owner: str, origin: str, locale: str, field: str, text: str | None) -> None:
        """Index `text` as `owner`'s copy of `field` (replacing what `owner` had there from the same origin)."""
        self.remove(owner, origin, locale, field)
        if not text or field not in FIELD_RULES:
            return
        key = (owner, origin, locale, field)
        exact, unit = FIELD_RULES[field]
        if exact and title_key(text):
            self._exact_key[key] = title_key(text)
            self._exact[(locale, field)][title_key(text)].add((owner, origin))
        if unit:
            hashes = text_shingles(field, text)
            if len(hashes) < 2:  # one or two words have no meaningful near-duplicate
                return
            self._docs[key] = hashes
            band_keys = _band_keys(_signature(hashes))
            self._band_keys[key] = band_keys
            for band, band_key in zip(self._bands[(locale, field)], band_keys, strict=True):
                band[band_key].add((owner, origin))

    def remove(self, owner: str, origin: str, locale: str, field: str) -> None:
        key = (owner, origin, locale, field)
        if key in self._exact_key:
            self._exact[(locale, field)][self._exact_key.pop(key)].discard((owner, origin))
        if key in self._docs:
            del self._docs[key]
            for band, band_key in zip(self._bands[(locale, field)], self._band_keys.pop(key), strict=True):
                band[band_key].discard((owner, origin))

    def conflicts(self, owner: str, locale: str, field: str, text: str) -> list[Conflict]:
        """Other products' copy of `field` in `locale` that equals `text` or is at least `threshold` similar."""
        if not text or field not in FIELD_RULES:
            return []
        exact, unit = FIELD_RULES[field]
        found: dict[tuple[str, str], float] = {}
        if exact:
            for other, origin in self._exact[(locale, field)].get(title_key(text), set()):
                if other != owner:
                    found[(other, origin)] = 1.0
        if unit:
            hashes = text_shingles(field, text)
            if len(hashes) >= 2:
                candidates: set[tuple[str, str]] = set()
                for band, band_key in zip(self._bands[(locale, field)], _band_keys(_signature(hashes)), strict=True):
                    candidates |= band.get(band_key, set())
                for other, origin in candidates:
                    if other == owner or (other, origin) in found:
                        continue
                    similarity = exact_jaccard(hashes, self._docs[(other, origin, locale, field)])
                    if similarity >= self.threshold:
                        found[(other, origin)] = round(similarity, 3)
        return sorted((Conflict(o, origin, sim) for (o, origin), sim in found.items()),
                      key=lambda c: (-c.similarity, c.origin, c.other))


def _band_keys(signature: np.ndarray) -> list[bytes]:
    return [signature[i * _ROWS:(i + 1) * _ROWS].tobytes() for i in range(_BANDS)]
