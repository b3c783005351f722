"""What a product is, in vocabulary terms: its type, its own attributes (size, material, colour, room) and the
texts a relevance index reads. Pure: a catalogue row in, a ProductProfile out.

An attribute is the product's own only when every variant shares it: a rug sold in three sizes is not "large",
so multi-valued options feed relevance (a search for "large rug" finds it) but never a keyword that claims it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.core.text import as_list
from pipeline.core.vocabulary import CATEGORY_TYPES, canonical, find_terms, term_kind

ATTRIBUTE_KINDS = ("material", "colour", "size", "room", "style")
_OPTION_KINDS = {"size": "size", "dimensions": "size", "dimension": "size", "colour": "colour", "color": "colour",
                 "material": "material", "fabric": "material", "finish": "material", "wood": "material",
                 "room": "room"}
_PLACEHOLDER_VALUES = {"", "default title", "default", "n/a", "-"}


@dataclass(frozen=True)
class ProductProfile:
    product_id: str
    handle: str
    title: str
    product_type: str  # canonical English type term, or the best wording we could find
    attributes: tuple[tuple[str, str], ...]  # (kind, English term), strongest evidence first
    evidence: tuple[str, ...]  # where each attribute was read: "title", "option" (single-valued) or "tag"
    terms: tuple[str, ...]  # every vocabulary term its title, type, tags, collections and option values mention
    landing: float  # 1.0 for an active, published, in-stock page; less for pages a shopper cannot buy from
    status_note: str
    texts: Mapping[str, str] = field(default_factory=dict)


def product_profile(row: Mapping[str, Any]) -> ProductProfile:
    title = str(row.get("title") or "").strip()
    raw_type = str(row.get("product_type") or "").strip()
    tags = [str(t) for t in as_list(row.get("tags"))]
    collections = [str(c) for c in as_list(row.get("collections"))]
    option_names = [str(n) for n in as_list(row.get("options"))]
    variants = [v for v in as_list(row.get("variants")) if isinstance(v, Mapping)]
    option_values = _option_values(option_names, variants)

    attributes: list[tuple[str, str, str]] = []
    varying = {kind for kind, values in option_values if kind and len(values) > 1}
    for kind, term in find_terms(title):
        if kind in ATTRIBUTE_KINDS:
            attributes.append((kind, term, "title"))
    for option_kind, values in option_values:
        if option_kind and len(values) == 1:
            attributes.append((option_kind, _attribute_term(option_kind, values[0]), "option"))
    for text in [*tags, raw_type, *collections]:
        for kind, term in _tagged_terms(text):
            # A tag listing colours of a product sold in several colours describes the range, not the product.
            if kind in ATTRIBUTE_KINDS and kind not in varying:
                attributes.append((kind, term, "tag"))
    product_type = _product_type(raw_type, title, tags, str(row.get("handle") or ""))
    unique: list[tuple[str, str]] = []
    evidence: list[str] = []
    for kind, term, where in attributes:
        if term and (kind, term) not in unique and term not in product_type.split():
            unique.append((kind, term))
            evidence.append(where)

    mentioned = [title, raw_type, *tags, *collections, *(v for _, values in option_values for v in values)]
    terms = tuple(dict.fromkeys(term for text in mentioned for _, term in find_terms(text)))
    landing, note = _landing(row)
    texts = {
        "title": title,
        "product_type": raw_type,
        "tags": " ".join(tags),
        "options": " ".join(f"{name} {' '.join(values)}" for name, values in
                            zip(option_names, (v for _, v in option_values), strict=False)),
        "description": _visible_text(str(row.get("body_html") or "")[:4000]),
        "collections": " ".join(collections),
        "vendor": str(row.get("vendor") or ""),
    }
    return ProductProfile(product_id=str(row.get("id") or ""), handle=str(row.get("handle") or ""), title=title,
                        product_type=product_type, attributes=tuple(unique), evidence=tuple(evidence), terms=terms,
                        landing=landing, status_note=note,
                        texts=texts)


def _visible_text(markup: str) -> str:
    """Words of an HTML description for indexing (tags dropped, entities decoded); fast rather than exact, since
    only the words matter here, never the markup."""
    return html.unescape(re.sub(r"<[^>]*>", " ", markup))



def _option_values(names: list[str], variants: list[Mapping[str, Any]]) -> list[tuple[str | None, list[str]]]:
    out = []
    for position, name in enumerate(names[:3], start=1):
        values: list[str] = []
        for variant in variants:
            value = str(variant.get(f"option{position}") or "").strip()
            if value.lower() not in _PLACEHOLDER_VALUES and value not in values:
                values.append(value)
        out.append((_OPTION_KINDS.get(name.strip().lower()), values))
    return out


def _attribute_term(kind: str, value: str) -> str:
    found = [term for k, term in find_terms(value) if k == kind]
    return found[0] if found else canonical(value)


def _tagged_terms(text: str) -> Iterable[tuple[str, str]]:
    """Vocabulary terms in a text; a `key:value` tag such as `material:oak` names its kind outright."""
    key, sep, value = text.partition(":")
    if sep and _OPTION_KINDS.get(key.strip().lower()):
        kind = _OPTION_KINDS[key.strip().lower()]
        yield kind, _attribute_term(kind, value)
        return
    yield from find_terms(text)


def _product_type(raw_type: str, title: str, tags: list[str], handle: str) -> str:
    """The product's type as a vocabulary term when one is recognisable, else its own wording."""
    from_title = [term for kind, term in find_terms(_before_with(title)) if kind == "type"]
    types = [term for kind, term in find_terms(raw_type) if kind == "type"]
    if types:
        general = max(types, key=len)
        # "Clocks" says clock; a title saying "Wall Clock" says which clock, and "Cookware" says even less.
        specific = [t for t in from_title if general in CATEGORY_TYPES or (
            t.endswith(general.split()[-1]) and len(t.split()) > len(general.split()))]
        return specific[-1] if specific else general
    for text in (_before_with(title), title):
        types = [term for kind, term in find_terms(text) if kind == "type"]
        if types:
            return types[-1]
    for tag in tags:
        types = [term for kind, term in find_terms(tag) if kind == "type"]
        if types:
            return types[-1]
    if raw_type:
        return canonical(raw_type)
    words = re.findall(r"[^\W_]+", title.lower()) or re.findall(r"[a-z]+", handle.lower())
    return " ".join(words[-3:])


def _before_with(title: str) -> str:
    """The head of a title: "Oak Coffee Table with Storage Basket" is a coffee table, not a basket; a spaced
    dash or a comma starts the rest ("Oak Bowl - Best Oak Bowl"), a hyphen inside a word ("Hand-Carved") does not."""
    return re.split(r"\s+(?:with|for|and|in)\s+|\s+[-–|&]\s+|[,|]", title, maxsplit=1, flags=re.IGNORECASE)[0]


def _landing(row: Mapping[str, Any]) -> tuple[float, str]:
    status = str(row.get("status") or "active").lower()
    published = row.get("published")
    if status != "active" or published is False:
        return 0.6, status if status != "active" else "unpublished"
    inventory = row.get("total_inventory")
    if inventory is not None and inventory == inventory and int(inventory) <= 0:
        return 0.85, "out of stock"
    return 1.0, ""


__all__ = ["ProductProfile", "product_profile", "ATTRIBUTE_KINDS", "term_kind"]
