"""One fact sheet per product: what its current copy and product data state, serialisable for reviewers."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .extract import extract, measurement_numbers
from .identity import distinctive_name, head_noun
from .lexicon import COLOURS, MATERIALS, NOUNS
from .text import content_words, fold, numbers, stem, strip_html
from .vocab_facts import SIZE_CODES

_PLACEHOLDERS = {"", "default title", "default", "n/a", "-", "title"}


@dataclass(frozen=True)
class ProductFactsInput:
    title: str
    body_html: str = ""
    vendor: str = ""
    product_type: str = ""
    tags: Sequence[str] = ()
    options: Sequence[Mapping[str, Any]] = ()  # [{"name": "Colour", "values": ["Red", "Navy"]}]
    variants: Sequence[Mapping[str, Any]] = ()  # [{"sku": "...", "options": ["Red", "M"], "price": "20.00"}]
    seo_title: str = ""
    seo_description: str = ""
    primary_locale: str = "en"


@dataclass(frozen=True)
class OptionFact:
    name: str
    values: tuple[str, ...]
    level: str  # "product" (one value: the product's own) or "variant" (several: one is never the product's)
    kind: str  # "colour", "size", "material" or "other"


@dataclass(frozen=True)
class FactSheet:
    title: str
    vendor: str
    product_type: str
    primary_locale: str
    head_noun: str | None  # noun concept ("floor lamp") when the vocabulary knows it
    head_word: str  # the noun as the title writes it
    family: str | None  # "apparel", "lighting", ...
    name: tuple[str, ...]  # distinctive name words (model, line, brand)
    materials: dict[str, tuple[str, ...]]  # concept -> scopes: "whole" or the part it applies to
    percentages: tuple[str, ...]
    measurements: tuple[str, ...]
    care: tuple[str, ...]
    certifications: tuple[str, ...]
    warranty: tuple[str, ...]
    features: tuple[str, ...]  # list items of the current copy
    options: tuple[OptionFact, ...]
    skus: tuple[str, ...]
    variant_count: int
    numbers: tuple[str, ...]  # every number the product data and copy state
    product_words: tuple[str, ...]  # stems of the product data's content words
    body_keys: tuple[str, ...]  # facts of the current body, as language-neutral keys
    body_html: str = ""
    seo_title: str = ""
    seo_description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def variant_values(self) -> dict[str, tuple[str, ...]]:
        return {o.name: o.values for o in self.options if o.level == "variant"}

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["options"] = [asdict(o) for o in self.options]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FactSheet:
        d = dict(data)
        d["options"] = tuple(OptionFact(o["name"], tuple(o["values"]), o["level"], o["kind"]) for o in d["options"])
        d["materials"] = {k: tuple(v) for k, v in d["materials"].items()}
        for key in ("name", "percentages", "measurements", "care", "certifications", "warranty", "features",
                    "skus", "numbers", "product_words", "body_keys"):
            d[key] = tuple(d[key])
        return cls(**d)


def _option_kind(name: str, values: Sequence[str]) -> str:
    n = fold(name)
    if any(k in n for k in ("colo", "couleur", "farbe", "color", "shade", "finish")):
        return "colour"
    if any(k in n for k in ("size", "taille", "grosse", "größe", "talla", "dimension", "length", "width")):
        return "size"
    if any(k in n for k in ("material", "matiere", "fabric", "metal", "wood")):
        return "material"
    if values and all(fold(v) in SIZE_CODES for v in values):
        return "size"
    if values and all(COLOURS.find(v, "en") for v in values):
        return "colour"
    return "other"


def _options(product: ProductFactsInput) -> tuple[OptionFact, ...]:
    out = []
    for i, opt in enumerate(product.options):
        name = str(opt.get("name") or f"Option {i + 1}")
        values = [str(v) for v in opt.get("values") or []]
        if not values:
            values = [str(v["options"][i]) for v in product.variants if len(v.get("options") or []) > i]
        values = list(dict.fromkeys(v for v in values if fold(v.strip()) not in _PLACEHOLDERS))
        if not values:
            continue
        level = "product" if len(values) == 1 else "variant"
        out.append(OptionFact(name, tuple(values), level, _option_kind(name, values)))
    return tuple(out)


def build_fact_sheet(product: ProductFactsInput) -> FactSheet:
    product = replace(product, title=html.unescape(product.title or ""), vendor=html.unescape(product.vendor or ""),
                      product_type=html.unescape(product.product_type or ""),
                      seo_title=html.unescape(product.seo_title or ""),
                      seo_description=html.unescape(product.seo_description or ""))
    loc = product.primary_locale or "en"
    concept, surface = head_noun(product.title, product.product_type, loc)
    head = frozenset(NOUNS.ancestors(concept)) if concept else frozenset()
    options = _options(product)
    body = extract(product.body_html or "", loc, head=head)
    title_text = " ".join([product.title, product.seo_title, product.seo_description])
    others = extract("", loc, plain=title_text, head=head)
    data_text = " ".join([product.product_type, *product.tags,
                          *(v for o in options if o.level == "product" for v in o.values)])
    data = extract("", loc, plain=data_text, head=head)
    materials: dict[str, set[str]] = {}
    for src in (body, others, data):
        for m, scopes in src.materials.items():
            if src is not body and m in body.materials and "whole" not in body.materials[m]:
                continue  # "Jute Espadrilles" in a title does not widen "a jute sole" in the copy
            if src is not body and any(b != m and m in MATERIALS.ancestors(b) for b in body.materials):
                continue  # a "gold" tag is the copy's "gold-plated", not a second, solid material
            materials.setdefault(m, set()).update(scopes)
    # A material named as a product-level option value (Material: Oak) is the whole product's.
    for o in options:
        if o.level == "product" and o.kind == "material":
            for found in MATERIALS.find(" ".join(o.values), loc):
                materials.setdefault(found.concept, set()).add("whole")
    every_text = " ".join([product.title, strip_html(product.body_html or ""), product.seo_title,
                           product.seo_description, data_text, *(v for o in options for v in o.values)])
    nums = numbers(every_text) | {n for m in body.measurements | others.measurements for n in measurement_numbers(m)}
    data_words = " ".join([product.title, product.product_type, product.vendor, *product.tags,
                           *(f"{o.name} {' '.join(o.values)}" for o in options)])
    skus = tuple(dict.fromkeys(str(v.get("sku") or "").strip() for v in product.variants if v.get("sku")))
    return FactSheet(
        title=product.title, vendor=product.vendor, product_type=product.product_type, primary_locale=loc,
        head_noun=concept, head_word=surface,
        family=NOUNS.family.get(NOUNS.ancestors(concept)[-1]) if concept else None,
        name=distinctive_name(product.title, product.vendor, [product.product_type, *product.tags,
                              *(v for o in options for v in o.values)], loc),
        materials={k: tuple(sorted(v)) for k, v in sorted(materials.items())},
        percentages=tuple(sorted(body.percentages | others.percentages | data.percentages)),
        measurements=tuple(sorted(body.measurements | others.measurements | data.measurements)),
        care=tuple(sorted(body.care | others.care)),
        certifications=tuple(sorted(body.certifications | others.certifications | data.certifications)),
        warranty=tuple(sorted(body.warranty | others.warranty)),
        features=tuple(body.features), options=options, skus=skus, variant_count=len(product.variants),
        numbers=tuple(sorted(nums)),
        product_words=tuple(sorted({stem(w, loc) for w in content_words(data_words, loc)})),
        body_keys=tuple(sorted(body.keys())),
        body_html=product.body_html or "", seo_title=product.seo_title, seo_description=product.seo_description,
    )
