"""Shopify's Standard Product Taxonomy as a vocabulary: category and attribute-value names in en, fr, de and es.

The data (pipeline/data/taxonomy/taxonomy.json, built by scripts/build_taxonomy.py from Shopify/product-taxonomy,
MIT; see SOURCE.md there) names each category and each attribute value in the four locales, so a word is translated
in its context: "Heels" as a shoe category, "Black" as a colour, "Cotton" as a fabric. The API:

- `category_for(title, product_type=..., category=...)`: the taxonomy category of a product: by its Shopify
  category (gid, id or English full path) when given, else by the head noun of its product type, then of its title
  ("Sterling Silver Charm Bracelet" -> Apparel & Accessories > Jewelry > Bracelets). None when nothing matches.
- `Category.name(locale)`, `Category.full_path(locale)`, `translate_category_noun(category, locale)` (None for a
  category that names a group, "Coats & Jackets": that is no word for one product).
- `translate_value(attribute, value, locale)`: an attribute value's name in a locale ("color", "Black", "fr" ->
  "Noir"; "fabric", "Cotton", "de" -> "Baumwolle"). The attribute is its handle ("sleeve_length_type") or English
  name ("Sleeve length type"); the value its English name or handle.
- `translate_unambiguous(value, locale)`: the same for a bare English value, only when every attribute that has it
  agrees on the word.

Everything returns None, never a guess, when the vocabulary lacks the term (or the source's translation was rejected
on review). The file is read once, on first use; lookups are dict reads.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import snowballstemmer

from pipeline.core.text import fold

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "taxonomy" / "taxonomy.json"
GID_PREFIX = "gid://shopify/TaxonomyCategory/"
LOCALES = ("en", "fr", "de", "es")

_TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
# Where a title's noun phrase ends: "Bracelet with Heart Charm", "Dress for Summer", "Tee - Blue", "Ring (Size 7)".
_PHRASE_BREAK = re.compile(
    r"\s(?:with|for|in|from|by|featuring|including|w/)\s|[-–—|/+]\s|\s[-–—|/+]|[(),:;|]", re.IGNORECASE
)
_MAX_PHRASE = 4
_STEMMER = snowballstemmer.stemmer("english")
# English spellings of attribute names the data writes the American way.
_ATTRIBUTE_ALIASES = {"colour": "color", "colours": "color", "colors": "color", "material": "fabric"}


# Plurals the stemmer does not bring back to the singular's stem ("scarves" -> "scarv", "scarf" -> "scarf").
_IRREGULAR_PLURALS = {"scarves": "scarf", "shelves": "shelf", "knives": "knife", "leaves": "leaf", "wolves": "wolf"}


@functools.lru_cache(maxsize=16384)
def _stem(token: str) -> str:
    return str(_STEMMER.stemWord(_IRREGULAR_PLURALS.get(token, token)))


def _key(text: str) -> tuple[str, ...]:
    """Stemmed folded words: "T-Shirts" -> ("t-shirt",), "Tank Tops" -> ("tank", "top")."""
    return tuple(_stem(t) for t in _TOKEN.findall(fold(text)))


def _plain(text: str) -> str:
    return " ".join(_TOKEN.findall(fold(text.replace("_", " "))))


@dataclass(frozen=True, eq=False)
class Category:
    """One taxonomy category: its id ("aa-6-3"), names per locale and the ids of its ancestors, root first."""

    id: str
    names: Mapping[str, str]
    ancestor_ids: tuple[str, ...] = ()
    _taxonomy: Taxonomy | None = field(default=None, repr=False, compare=False)

    @property
    def gid(self) -> str:
        return GID_PREFIX + self.id

    @property
    def depth(self) -> int:
        return len(self.ancestor_ids) + 1

    def name(self, locale: str = "en") -> str | None:
        return self.names.get(locale)

    def path(self, locale: str = "en") -> list[str] | None:
        """Names from the root down to this category; None when a level lacks a name in `locale`."""
        if self._taxonomy is None:
            return None
        names = []
        for category_id in (*self.ancestor_ids, self.id):
            category = self._taxonomy.categories.get(category_id)
            name = category.name(locale) if category else None
            if name is None:
                return None
            names.append(name)
        return names

    def full_path(self, locale: str = "en") -> str | None:
        """ "Apparel & Accessories > Jewelry > Bracelets"; None when a level lacks a name in `locale`."""
        names = self.path(locale)
        return " > ".join(names) if names else None

    @property
    def is_group(self) -> bool:
        """Whether the English name lists several things ("Coats & Jackets", "Handbags, Wallets & Cases")."""
        english = self.names.get("en", "")
        return " & " in english or ", " in english

    @property
    def parent(self) -> Category | None:
        if not self.ancestor_ids or self._taxonomy is None:
            return None
        return self._taxonomy.categories.get(self.ancestor_ids[-1])


@dataclass(frozen=True)
class Attribute:
    """An attribute ("color") with its names per locale and its values: value handle -> names per locale."""

    handle: str
    names: Mapping[str, str]
    values: Mapping[str, Mapping[str, str]]

    def name(self, locale: str = "en") -> str | None:
        return self.names.get(locale)


class Taxonomy:
    """The loaded vocabulary with its lookup tables, built once."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.source: Mapping[str, Any] = data.get("source", {})
        self.locales: tuple[str, ...] = tuple(data.get("locales", LOCALES))
        self.categories: dict[str, Category] = {}
        for category_id, names in data.get("categories", {}).items():
            parts = category_id.split("-")
            ancestors = tuple("-".join(parts[:i]) for i in range(1, len(parts)))
            self.categories[category_id] = Category(category_id, dict(names), ancestors, self)
        self._by_path: dict[str, Category] = {}
        for category in self.categories.values():
            full = category.full_path("en")
            if full:
                self._by_path[fold(full)] = category
        self._by_noun = self._noun_index()

        self.attributes: dict[str, Attribute] = {}
        self._attribute_by_name: dict[str, str] = {}
        self._value_by_name: dict[tuple[str, str], str] = {}
        self._values_by_english: dict[str, list[tuple[str, str]]] = {}
        for handle, record in data.get("attributes", {}).items():
            values = {value: dict(names) for value, names in record.get("values", {}).items()}
            attribute = Attribute(handle, dict(record.get("name", {})), values)
            self.attributes[handle] = attribute
            self._attribute_by_name[_plain(handle)] = handle
            if attribute.name("en"):
                self._attribute_by_name[_plain(attribute.names["en"])] = handle
            for value, names in values.items():
                self._value_by_name[(handle, _plain(value))] = value
                english = names.get("en")
                if english:
                    self._value_by_name[(handle, _plain(english))] = value
                    self._values_by_english.setdefault(_plain(english), []).append((handle, value))

    def _noun_index(self) -> dict[tuple[str, ...], Category]:
        """Stemmed English name -> the category so named; ties go to the shallowest, then the shortest name.

        A name listing single words ("Coats & Jackets", "Handbags, Wallets & Cases") is also indexed by each word,
        below every exact name; one whose parts share a modifier ("Baby & Toddler Boots", "Muff Clutches & Bags")
        is not, as its parts alone ("Baby", "Bags") would name other things. Top-level categories ("Apparel &
        Accessories") name a vertical, not a product, and are left out."""
        candidates: dict[tuple[str, ...], list[tuple[int, int, int, str]]] = {}

        def add(key: tuple[str, ...], exact: bool, category: Category, size: int) -> None:
            if key:
                candidates.setdefault(key, []).append((0 if exact else 1, category.depth, size, category.id))

        for category in self.categories.values():
            name = category.name("en")
            if not name or category.depth < 2:
                continue
            key = _key(name)
            add(key, True, category, len(key))
            parts = [_key(p) for p in re.split(r"\s*(?:&|,|\band\b)\s*", name) if p.strip()]
            if len(parts) > 1 and all(len(part) == 1 for part in parts):
                for part in parts:
                    add(part, False, category, len(key))
        return {key: self.categories[min(found)[3]] for key, found in candidates.items()}

    # -- categories ----------------------------------------------------------------------------------------
    def category(self, reference: str | None) -> Category | None:
        """A category by gid, id or English full path ("Apparel & Accessories > Jewelry > Bracelets")."""
        if not reference or not reference.strip():
            return None
        text = reference.strip()
        if text.startswith(GID_PREFIX):
            text = text[len(GID_PREFIX):]
        found = self.categories.get(text.lower())
        if found is not None:
            return found
        return self._by_path.get(fold(" > ".join(p.strip() for p in text.split(">"))))

    def category_by_noun(self, text: str | None) -> Category | None:
        """The category named by the head noun of a product type or title; None when no name matches.

        The text is cut where a noun phrase ends ("... with Heart Charm", "... - Blue"); in the first piece that
        names a category, the rightmost and then longest run of words wins ("Gold Hoop Earrings" -> Earrings)."""
        if not text or not text.strip():
            return None
        for phrase in _PHRASE_BREAK.split(" " + text + " "):
            tokens = [_stem(t) for t in _TOKEN.findall(fold(phrase))]
            for end in range(len(tokens), 0, -1):
                for start in range(max(0, end - _MAX_PHRASE), end):
                    found = self._by_noun.get(tuple(tokens[start:end]))
                    if found is not None:
                        return found
        return None

    # -- attribute values ----------------------------------------------------------------------------------
    def attribute(self, name: str | None) -> Attribute | None:
        if not name:
            return None
        plain = _plain(name)
        handle = self._attribute_by_name.get(plain) or self._attribute_by_name.get(
            _plain(_ATTRIBUTE_ALIASES.get(plain, ""))
        )
        return self.attributes.get(handle) if handle else None

    def translate_value(self, attribute: str, value: str, locale: str) -> str | None:
        found = self.attribute(attribute)
        if found is None or not value:
            return None
        handle = self._value_by_name.get((found.handle, _plain(value)))
        return found.values[handle].get(locale) if handle else None

    def translate_unambiguous(self, value: str, locale: str, attributes: Iterable[str] | None = None) -> str | None:
        wanted = {a.handle for a in (self.attribute(n) for n in attributes) if a} if attributes is not None else None
        words: set[str | None] = set()
        for handle, value_handle in self._values_by_english.get(_plain(value), []):
            if wanted is not None and handle not in wanted:
                continue
            words.add(self.attributes[handle].values[value_handle].get(locale))
        if len(words) != 1:
            return None
        return words.pop()


@functools.lru_cache(maxsize=1)
def load(path: Path = DATA_FILE) -> Taxonomy:
    """The vocabulary, read on first use and kept."""
    with path.open(encoding="utf-8") as handle:
        return Taxonomy(json.load(handle))


def category_for(
    title: str | Iterable[str] | None = None,
    *,
    product_type: str | None = None,
    category: str | None = None,
) -> Category | None:
    """The taxonomy category of a product.

    `category` is Shopify's "Product Category" (gid, taxonomy id or English full path) and wins when it is known.
    Else the head noun of `product_type`, then of `title` (a string or its words), is matched against the English
    category names, singular or plural. None when nothing matches: the vocabulary never guesses."""
    taxonomy = load()
    if category:
        found = taxonomy.category(category)
        if found is not None:
            return found
    for text in (product_type, title if isinstance(title, str) or title is None else " ".join(title)):
        found = taxonomy.category_by_noun(text)
        if found is not None:
            return found
    return None


def translate_category_noun(category: Category | str | None, locale: str) -> str | None:
    """The category's name in `locale` as a product noun ("Bracelets" -> "Armbänder"); the category may be given
    by gid, id or English path. None for a category that names a group ("Coats & Jackets" is no word for a coat)."""
    found = load().category(category) if isinstance(category, str) else category
    if found is None or found.is_group:
        return None
    return found.name(locale)


def translate_value(attribute: str, value: str, locale: str) -> str | None:
    """An attribute value's name in `locale`: ("color", "Black", "fr") -> "Noir"; None when unknown."""
    return load().translate_value(attribute, value, locale)


def translate_unambiguous(value: str, locale: str, attributes: Iterable[str] | None = None) -> str | None:
    """A bare English value's name in `locale`, when every attribute (of `attributes`, if given) agrees on it."""
    return load().translate_unambiguous(value, locale, attributes)
