"""The product beside its drafts: its catalogue row, a card a merchant recognises (price range, options, vendor, type,
links to the storefront and the admin), the fact sheet the drafts are checked against, and which of those facts
a draft keeps, adds or drops, marked in the diff.

The picture is the catalogue's `image_url` (the product's first image), shown only when it is an http(s) address:
anything else (javascript:, data:, a relative path) is dropped, and a catalogue pulled before the column has none.
The fact sheet is pipeline/gates/sheet.py's, the one generation and the content gates judge a draft by; which
facts a description keeps or drops is decided the way the facts_dropped gate decides it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote, urlsplit

import pyarrow.parquet as pq

from pipeline.core.text import as_list
from pipeline.gates.content import FactSheet
from pipeline.gates.content.checks_facts import _has_material, _mentioned, _run_kept, facts_of, feature_present
from pipeline.gates.content.extract import measurement_numbers
from pipeline.gates.content.lexicon import CARE, MATERIALS, NOUNS
from pipeline.gates.content.text import numbers, strip_html
from pipeline.gates.sheet import fact_sheet
from pipeline.stages.review.stage import ReviewSource
from pipeline.stages.review.word_diff import WordDiff

CARD_COLUMNS = ("id", "handle", "title", "body_html", "vendor", "product_type", "product_category", "tags", "options",
                "variants", "seo_title", "seo_description", "status", "image_alt", "image_url")


# -- the catalogue's rows -------------------------------------------------------------------------------------
class Catalogue:
    """Whole catalogue rows by product id, read once per version of catalog.parquet (the review source's stamp),
    with each product's fact sheet kept once built."""

    def __init__(self, source: ReviewSource):
        self.source = source
        self._lock = threading.Lock()
        self._stamp: tuple[float, ...] | None = None
        self._rows: Any = None
        self._index: dict[str, int] = {}
        self._sheets: dict[str, FactSheet] = {}

    def _load(self) -> None:
        if self._stamp == self.source.stamp and self._rows is not None:
            return
        path = self.source.workspace.catalog
        names = set(pq.read_schema(path).names)
        table = pq.read_table(path, columns=[c for c in CARD_COLUMNS if c in names])
        self._rows = table
        self._index = {pid: i for i, pid in enumerate(table.column("id").to_pylist())}
        self._sheets = {}
        self._stamp = self.source.stamp

    def row(self, product_id: str) -> dict[str, Any] | None:
        with self._lock:
            self._load()
            index = self._index.get(product_id)
            return self._rows.slice(index, 1).to_pylist()[0] if index is not None else None

    def sheet(self, product_id: str) -> FactSheet:
        """The product's fact sheet (an empty one for a product gone from the catalogue)."""
        with self._lock:
            self._load()
            cached = self._sheets.get(product_id)
        if cached is not None:
            return cached
        built = fact_sheet(self.row(product_id) or {"id": product_id}, self.source.primary_locale)
        with self._lock:
            if len(self._sheets) > 2048:
                self._sheets.clear()
            self._sheets[product_id] = built
        return built


# -- the card -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StoreLinks:
    """Where the product is on the store, when one is configured (SHOPIFY_STORE): my-store.myshopify.com."""

    shop: str | None = None

    @property
    def site(self) -> str | None:
        return self.shop

    def storefront(self, handle: str) -> str | None:
        return f"https://{self.shop}/products/{quote(handle, safe='')}" if self.shop and handle else None

    def admin(self, product_id: str, handle: str) -> str | None:
        if not self.shop:
            return None
        store = self.shop.split(".", 1)[0]
        number = product_id.rsplit("/", 1)[-1]
        if number.isdigit():
            return f"https://admin.shopify.com/store/{store}/products/{number}"
        return f"https://admin.shopify.com/store/{store}/products?query={quote(handle, safe='')}"


@dataclass(frozen=True)
class ProductCard:
    product_id: str
    handle: str
    title: str
    vendor: str
    product_type: str
    status: str
    price: str  # "49.00" or "29.00 – 59.00"; "" when no variant has a price
    options: tuple[tuple[str, tuple[str, ...], str], ...]  # (name, values, "product" | "variant" level)
    variants: int
    image: str | None  # the first image's http(s) address, else None (see image_address)
    storefront_url: str | None
    admin_url: str | None
    image_alt: str = ""


def image_address(value: Any) -> str | None:
    """An image URL fit for an <img src>: an absolute http(s) address with a host and no spaces or control
    characters; None for anything else (javascript:, data:, a relative or protocol-relative path, junk)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def price_range(variants: Sequence[Mapping[str, Any]]) -> str:
    prices = []
    for variant in variants:
        try:
            prices.append(Decimal(str(variant.get("price") or "").strip()))
        except InvalidOperation:
            continue
    if not prices:
        return ""
    low, high = min(prices), max(prices)
    return f"{low:.2f}" if low == high else f"{low:.2f} – {high:.2f}"


def product_card(row: Mapping[str, Any] | None, product_id: str, sheet: FactSheet, links: StoreLinks) -> ProductCard:
    row = row or {}
    handle = str(row.get("handle") or product_id)
    variants = [v for v in as_list(row.get("variants")) if isinstance(v, Mapping)]
    return ProductCard(
        product_id=product_id, handle=handle, title=str(row.get("title") or handle),
        vendor=str(row.get("vendor") or ""), product_type=str(row.get("product_type") or ""),
        status=str(row.get("status") or ""), price=price_range(variants),
        options=tuple((o.name, o.values, o.level) for o in sheet.options), variants=len(variants),
        image=image_address(row.get("image_url")), image_alt=str(row.get("image_alt") or ""),
        storefront_url=links.storefront(handle), admin_url=links.admin(product_id, handle))


# -- the fact sheet, in words ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class FactGroup:
    heading: str
    items: tuple[str, ...]


def _warranty_words(value: str) -> str:
    return "a warranty" if value == "yes" else f"{value[:-1]}-year warranty" if value.endswith("y") else value


def fact_groups(sheet: FactSheet) -> list[FactGroup]:
    """The sheet as a reviewer reads it; empty groups left out."""
    materials = tuple(f"{concept} ({', '.join('whole product' if s == 'whole' else s for s in scopes)})"
                      for concept, scopes in sheet.materials.items())
    options = tuple(f"{o.name}: {', '.join(o.values)} ({'the product' if o.level == 'product' else 'variants'})"
                    for o in sheet.options)
    groups = [
        FactGroup("Product", tuple(x for x in (sheet.head_word and f"a {sheet.head_word}",
                                                sheet.name and "name: " + " ".join(sheet.name)) if x)),
        FactGroup("Materials", materials), FactGroup("Percentages", sheet.percentages),
        FactGroup("Measurements", sheet.measurements), FactGroup("Care", sheet.care),
        FactGroup("Certifications", sheet.certifications),
        FactGroup("Warranty", tuple(_warranty_words(w) for w in sheet.warranty)),
        FactGroup("Features", sheet.features), FactGroup("Options", options),
    ]
    return [g for g in groups if g.items]


# -- what a draft does with the facts -------------------------------------------------------------------------
@dataclass(frozen=True)
class FactChange:
    kind: str  # "material", "percentage", "measurement", "care", "certification", "warranty", "feature"
    value: str
    change: str  # "kept", "dropped" or "added"
    grounded: bool = True  # for "added": the product data states it (else the gates call it invented)
    forms: tuple[str, ...] = ()  # regular expressions of how a text may write it, for marking it in the diff

    @property
    def css(self) -> str:
        return "fact-invented" if self.change == "added" and not self.grounded else f"fact-{self.change}"

    @property
    def words(self) -> str:
        shown = _warranty_words(self.value) if self.kind == "warranty" else self.value
        if self.change == "added":
            return f"adds the {self.kind} '{shown}'" + ("" if self.grounded else ", which the product data does "
                                                                                   "not state")
        return f"{self.change} the {self.kind} '{shown}'"


@dataclass
class FactChanges:
    changes: list[FactChange] = field(default_factory=list)
    compared: bool = True  # False when the draft leaves the description alone

    def of(self, change: str) -> list[FactChange]:
        return [c for c in self.changes if c.change == change]

    @property
    def kept(self) -> list[FactChange]:
        return self.of("kept")

    @property
    def dropped(self) -> list[FactChange]:
        return self.of("dropped")

    @property
    def added(self) -> list[FactChange]:
        return self.of("added")


def _head(sheet: FactSheet) -> frozenset[str]:
    return frozenset(NOUNS.ancestors(sheet.head_noun)) if sheet.head_noun else frozenset()


def _material_forms(concept: str, locales: Sequence[str]) -> tuple[str, ...]:
    forms: list[str] = [concept]
    for locale in dict.fromkeys(locales):
        forms += MATERIALS.surface.get(locale, {}).get(concept, [])
    return tuple(re.escape(f) for f in dict.fromkeys(forms) if f)


def _care_forms(concept: str, locales: Sequence[str]) -> tuple[str, ...]:
    forms: list[str] = []
    for locale in dict.fromkeys(locales):
        forms += CARE.surface.get(locale, {}).get(concept, [])
    return tuple(re.escape(f) for f in dict.fromkeys(forms or [concept]) if f)


def _measure_forms(key: str) -> tuple[str, ...]:
    values, _, unit = key.partition(" ")
    parts = values.split("x")
    return (r"(?<![\d.,])" + r"\s*(?:x|×|by|-|–)\s*".join(re.escape(p) for p in parts)
            + (r"\s*" + re.escape(unit) if unit else ""),)


def fact_changes(sheet: FactSheet, body_html: str | None, locale: str,
                 original_body: str | None = None) -> FactChanges:
    """Which facts of the current description the draft's description keeps or drops, and which it adds.

    Compared like the facts_dropped gate: against the current description in this locale when the store has one
    that differs from the primary copy, else against the primary description (facts compare across languages).
    """
    if body_html is None:
        return FactChanges(compared=False)
    src_html, src_locale = sheet.body_html, sheet.primary_locale
    if original_body and original_body != sheet.body_html:
        src_html, src_locale = original_body, locale
    head = _head(sheet)
    want = facts_of(src_html, src_locale, head)
    have = facts_of(body_html, locale, head)
    text = strip_html(body_html)
    nums = numbers(text)
    lang = (locale.split("-")[0].lower(), src_locale.split("-")[0].lower(), "en")
    out: list[FactChange] = []

    def add(kind: str, value: str, kept: bool, forms: tuple[str, ...]) -> None:
        out.append(FactChange(kind, value, "kept" if kept else "dropped", forms=forms))

    for m in want.materials:
        add("material", m, _has_material(m, have.materials) or _mentioned(MATERIALS, m, text, locale)
            or _run_kept(m, want.runs, have.materials), _material_forms(m, lang))
    for p in sorted(want.percentages):
        add("percentage", p, p in have.percentages, (re.escape(p.rstrip("%")) + r"\s*%",))
    for m in sorted(want.measurements):
        add("measurement", m, measurement_numbers(m) <= nums, _measure_forms(m))
    for c in sorted(want.care):
        add("care", c, c in have.care or _mentioned(CARE, c, text, locale), _care_forms(c, lang))
    for c in sorted(want.certifications):
        add("certification", c, c in have.certifications, (re.escape(c),))
    for w in sorted(want.warranty):
        add("warranty", w, bool(want.warranty & have.warranty), ())
    for feature in want.features:
        add("feature", feature, feature_present(feature, src_locale, text, locale), (re.escape(feature),))

    sheet_materials = set(sheet.materials)
    for m in have.materials:
        if not any(m in MATERIALS.ancestors(w) or w in MATERIALS.ancestors(m) for w in want.materials):
            grounded = any(m in MATERIALS.ancestors(s) for s in sheet_materials)
            out.append(FactChange("material", m, "added", grounded, _material_forms(m, lang)))
    for p in sorted(have.percentages - want.percentages):
        out.append(FactChange("percentage", p, "added", p in sheet.percentages, (re.escape(p.rstrip("%")) + r"\s*%",)))
    for m in sorted(have.measurements - want.measurements):
        out.append(FactChange("measurement", m, "added", measurement_numbers(m) <= set(sheet.numbers),
                              _measure_forms(m)))
    for c in sorted(have.care - want.care):
        out.append(FactChange("care", c, "added", c in sheet.care, _care_forms(c, lang)))
    for c in sorted(have.certifications - want.certifications):
        out.append(FactChange("certification", c, "added", c in sheet.certifications, (re.escape(c),)))
    for w in sorted(have.warranty - want.warranty):
        out.append(FactChange("warranty", w, "added", w in sheet.warranty, ()))
    return FactChanges(out)


# -- marking facts in a diff ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Piece:
    text: str
    css: str = ""  # "" or a FactChange's css class
    title: str = ""


@dataclass(frozen=True)
class MarkedSegment:
    op: str  # as word_diff's: 'equal', 'delete', 'insert'
    pieces: tuple[Piece, ...]


Mark = tuple[int, int, str, str]  # start, end, css, title


def _marks(text: str, changes: Sequence[FactChange]) -> list[Mark]:
    found: list[Mark] = []
    for change in changes:
        for pattern in change.forms:
            try:
                regex = re.compile(rf"(?<![^\W_]){pattern}(?![^\W_])", re.IGNORECASE)
            except re.error:
                continue
            found += [(m.start(), m.end(), change.css, change.words) for m in regex.finditer(text)
                      if m.end() > m.start()]
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    kept: list[Mark] = []
    for mark in found:
        if not kept or mark[0] >= kept[-1][1]:
            kept.append(mark)
    return kept


def _split(text: str, offset: int, marks: Sequence[Mark]) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    at = 0
    for start, end, css, title in marks:
        start, end = max(start - offset, 0), min(end - offset, len(text))
        if end <= 0 or start >= len(text) or start < at:
            continue
        if start > at:
            pieces.append(Piece(text[at:start]))
        pieces.append(Piece(text[start:end], css, title))
        at = end
    if at < len(text):
        pieces.append(Piece(text[at:]))
    return tuple(pieces)


def marked_diff(diff: WordDiff, changes: FactChanges) -> list[MarkedSegment]:
    """The diff's segments with the facts marked: kept and dropped facts where the current text states them
    (equal and deleted text), added ones where the draft does (inserted text)."""
    before_changes = [c for c in changes.changes if c.change in ("kept", "dropped")]
    after_changes = [c for c in changes.changes if c.change in ("kept", "added")]
    before = "".join(s.text for s in diff.segments if s.op in ("equal", "delete"))
    after = "".join(s.text for s in diff.segments if s.op in ("equal", "insert"))
    before_marks, after_marks = _marks(before, before_changes), _marks(after, after_changes)
    out: list[MarkedSegment] = []
    at_before = at_after = 0
    for segment in diff.segments:
        if segment.op == "insert":
            pieces = _split(segment.text, at_after, [m for m in after_marks if m[1] > at_after and
                                                     m[0] < at_after + len(segment.text)])
            at_after += len(segment.text)
        else:
            pieces = _split(segment.text, at_before, [m for m in before_marks if m[1] > at_before and
                                                      m[0] < at_before + len(segment.text)])
            at_before += len(segment.text)
            if segment.op == "equal":
                at_after += len(segment.text)
        out.append(MarkedSegment(segment.op, pieces))
    return out
