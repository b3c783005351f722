"""Gates on facts: facts_dropped, facts_invented (including a part's material stated as the whole's) and
variant_as_product."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from .extract import WHOLE, TextFacts, anchors, extract, measurement_numbers, whole_claims
from .facts import FactSheet
from .findings import FIELD_NAMES, GateFinding
from .lexicon import CARE, COLOURS, FLAVOURS, MATERIALS, NOUNS, PARTS
from .text import content_words, fold, numbers, sentences, stem, strip_html, words
from .vocab_facts import RANGE_CUES, SIZE_CODES, SIZE_WORDS, SKU_LABELS

MAJOR_PARTS = frozenset({"upper", "cover", "top", "seat"})
_TO_BASE = {"mm": ("len", 0.1), "cm": ("len", 1.0), "m": ("len", 100.0), "in": ("len", 2.54), "ft": ("len", 30.48),
            "g": ("mass", 1.0), "kg": ("mass", 1000.0), "lb": ("mass", 453.6), "oz": ("mass", 28.35),
            "ml": ("vol", 1.0), "cl": ("vol", 10.0), "l": ("vol", 1000.0)}


@lru_cache(maxsize=4096)
def facts_of(body_html: str, locale: str, head: frozenset[str] = frozenset()) -> TextFacts:
    return extract(body_html, locale, head=head)


def _head(sheet: FactSheet) -> frozenset[str]:
    return frozenset(NOUNS.ancestors(sheet.head_noun)) if sheet.head_noun else frozenset()


def _has_material(concept: str, found: Mapping[str, set[str]]) -> bool:
    """The draft keeps the material: names it, a narrower one, or a broader one that no other material of the
    draft explains ("bois de hêtre" is beech wood: its "wood" does not keep the oak)."""
    for m in found:
        if concept in MATERIALS.ancestors(m):
            return True
        if m in MATERIALS.ancestors(concept) and not any(
                o != m and m in MATERIALS.ancestors(o) and concept not in MATERIALS.ancestors(o)
                and o not in MATERIALS.ancestors(concept) for o in found):
            return True
    return False


def _run_kept(concept: str, runs: list[tuple[str, ...]], found: Mapping[str, set[str]]) -> bool:
    """A material phrase is kept when the draft keeps a material before its last word: "cotton jersey" rendered
    "punto de algodón" keeps the cotton; the fabric word may have no entry in the vocabulary."""
    return any(run[-1] == concept and any(m in MATERIALS.ancestors(f) for m in run[:-1] for f in found)
               for run in runs)


def _coating(concept: str) -> bool:
    """A material that is a surface on another (gold-plated, gold-filled): stating its parent ("18k gold") claims
    the solid material."""
    return any(re.search(r"plat|fill|vermeil", f) for f in MATERIALS.surface["en"].get(concept, ()))


def _mentioned(lex, concept: str, text: str, locale: str) -> bool:
    """A lenient presence test (substring of any form of the concept or a narrower one): Baumwolljersey has jersey."""
    low = fold(text)
    concepts = [c for c in lex.surface["en"] if concept in lex.ancestors(c)] or [concept]
    for c in concepts:
        for loc in dict.fromkeys((locale, "en")):
            for form in lex.surface[loc].get(c, ()):
                f = fold(form)
                if len(f) >= 4 and f in low:
                    return True
    return False


def feature_present(feature: str, src_locale: str, body_text: str, locale: str) -> bool:
    """A list-item feature survives when its anchors (materials, parts, care, numbers) or its words do."""
    want = anchors(feature, src_locale, strict=True)
    if want:
        have = anchors(body_text, locale, strict=True)
        return len(want & have) * 2 >= len(want) or all(
            _mentioned(MATERIALS, k[2:], body_text, locale) for k in want if k.startswith("m:"))
    if src_locale == locale:
        ws = {stem(w, locale) for w in content_words(feature, locale)}
        got = {stem(w, locale) for w in content_words(body_text, locale)}
        return not ws or len(ws & got) * 2 >= len(ws)
    return True  # no anchor to compare across languages: cannot tell, so never blame the draft


def check_dropped(draft: Mapping[str, str], sheet: FactSheet, locale: str, original: Mapping[str, str] | None,
                  allow: frozenset[str]) -> list[GateFinding]:
    body = draft.get("body_html")
    if body is None:
        return []
    src_html, src_locale = sheet.body_html, sheet.primary_locale
    if original and original.get("body_html") and original["body_html"] != sheet.body_html:
        src_html, src_locale = original["body_html"], locale
    want = facts_of(src_html, src_locale, _head(sheet))
    have = facts_of(body, locale, _head(sheet))
    text = strip_html(body)
    nums = numbers(text)
    # sets are walked sorted: the findings' order reaches the repair prompt, whose text is the response-cache key,
    # and a set's order changes from one process to the next (string hashing is salted per process)
    lost: list[tuple[str, str]] = []
    lost += [("material", m) for m in want.materials if not _has_material(m, have.materials)
             and not _mentioned(MATERIALS, m, text, locale) and not _run_kept(m, want.runs, have.materials)]
    lost += [("percentage", p) for p in sorted(want.percentages) if p not in have.percentages]
    lost += [("measurement", m) for m in sorted(want.measurements) if not measurement_numbers(m) <= nums]
    lost += [("care", c) for c in sorted(want.care) if c not in have.care and not _mentioned(CARE, c, text, locale)]
    lost += [("certification", c) for c in sorted(want.certifications) if c not in have.certifications]
    if want.warranty and not (want.warranty & have.warranty):
        lost.append(("warranty", sorted(want.warranty)[0]))
    reported = {v for _, v in lost}
    for feat in want.features:
        if not feature_present(feat, src_locale, text, locale):
            lost.append(("feature", feat))
    out = []
    for cls, value in lost:
        if cls in allow or (cls == "feature" and any(r in feat_words(value) for r in reported)):
            continue
        out.append(GateFinding("facts_dropped", "body_html", f"The draft drops the {cls} '{value}' from the "
                               f"description"))
    return out


def feat_words(feature: str) -> set[str]:
    return {fold(w) for w in words(feature)}


def _converted(key: str, sheet: FactSheet) -> bool:
    value, _, unit = key.partition(" ")
    if unit not in _TO_BASE or "x" in value:
        return False
    dim, factor = _TO_BASE[unit]
    target = float(value) * factor
    for m in sheet.measurements:
        v, _, u = m.partition(" ")
        for part in v.split("x"):
            if u in _TO_BASE and _TO_BASE[u][0] == dim and abs(float(part) * _TO_BASE[u][1] - target) <= 0.05 * target:
                return True
    return False


def _without_vendor(text: str, vendor: str) -> str:
    """The text without the vendor's name: "| Alder & Pine" or "Saltmarsh Linen Co." names a brand, not a
    material the product is made of."""
    vendor = vendor.strip()
    if len(vendor) < 3:
        return text
    return re.sub(rf"(?<!\w){re.escape(vendor)}(?!\w)", " ", text, flags=re.IGNORECASE)


def check_invented(draft: Mapping[str, str], sheet: FactSheet, locale: str) -> list[GateFinding]:
    out = []
    sheet_nums = set(sheet.numbers)
    variant_text = " ".join(v for o in sheet.options for v in o.values)
    # a part the title names (the cord of a cord bracelet) or a main part is most of the product
    major = {m.concept for m in PARTS.find(sheet.title, sheet.primary_locale)} | MAJOR_PARTS
    variant_mats = {m.concept for m in MATERIALS.find(variant_text, sheet.primary_locale)}
    for f in ("body_html", "seo_description", "title", "seo_title"):
        text = draft.get(f)
        if not text:
            continue
        plain = _without_vendor(strip_html(text), sheet.vendor)
        facts = extract("", locale, plain=plain, head=_head(sheet))
        whole = whole_claims(plain, locale, _head(sheet))
        where = FIELD_NAMES[f]
        for m, scopes in facts.materials.items():
            if scopes == {"packaging"}:
                continue  # what the box is made of is not the product
            support = [s for s in sheet.materials if m in MATERIALS.ancestors(s)]
            if not support:
                if not any(m in MATERIALS.ancestors(v) for v in variant_mats):
                    out.append(GateFinding("facts_invented", f, f"The {where} says '{m}', which the product data "
                                           f"does not state"))
            elif f in ("title", "seo_title") and any(m in MATERIALS.ancestors(x.concept)
                                                     for x in MATERIALS.find(sheet.title, sheet.primary_locale)):
                continue  # the current title makes the same claim ("Jute Espadrilles")
            elif m not in sheet.materials and all(_coating(s) for s in support):
                out.append(GateFinding("facts_invented", f, f"The {where} says '{m}', but the product is only "
                                       f"{' and '.join(sorted(support))}"))
            elif m in whole and not any(WHOLE in sheet.materials[s] or set(sheet.materials[s]) & major
                                        for s in support):
                parts = sorted({p for s in support for p in sheet.materials[s]})
                out.append(GateFinding("facts_invented", f, f"The {where} says the product is made of '{m}', but "
                                       f"only its {', '.join(parts)} is"))
        for place in _origins(plain):
            # a country name is translated (Spain, España): across languages only an origin where the
            # product data states none is an invention
            if not _known_place(place, sheet) and (locale == sheet.primary_locale or not _origins(
                    " ".join([strip_html(sheet.body_html), *sheet.features, sheet.seo_description]))):
                out.append(GateFinding("facts_invented", f, f"The {where} says the product is made in '{place}', "
                                       f"which the product data does not state"))
        for p in sorted(facts.percentages - set(sheet.percentages)):
            out.append(GateFinding("facts_invented", f, f"The {where} states '{p}', which the product data does "
                                   f"not state"))
        for key in sorted(facts.measurements):
            if not measurement_numbers(key) <= sheet_nums and not _converted(key, sheet):
                out.append(GateFinding("facts_invented", f, f"The {where} states the measurement '{key}', which "
                                       f"the product data does not state"))
        for c in sorted(facts.certifications - set(sheet.certifications) - {"organic", "vegan"}):
            out.append(GateFinding("facts_invented", f, f"The {where} claims '{c}', which the product data does "
                                   f"not state"))
        for mark in _trademarks(plain):
            if not _known_mark(mark, sheet):
                out.append(GateFinding("facts_invented", f, f"The {where} names '{mark}', which the product data "
                                       f"does not"))
        for w in sorted(facts.warranty - set(sheet.warranty)):
            if not sheet.warranty or w != "yes":
                label = "a warranty" if w == "yes" else f"a {w[:-1]}-year warranty"
                out.append(GateFinding("facts_invented", f, f"The {where} promises {label}, which the product "
                                       f"data does not state"))
    return out


_MARK = re.compile(r"([^\W\d_][\w-]*)\s?[®™]")


def _trademarks(plain: str) -> list[str]:
    """Registered or trade-marked names (Vibram®, OrthoLite®, YKK®): a draft names a component brand."""
    return list(dict.fromkeys(m.group(1) for m in _MARK.finditer(plain)))


def _known_mark(mark: str, sheet: FactSheet) -> bool:
    text = " ".join([sheet.title, strip_html(sheet.body_html), sheet.seo_title, sheet.seo_description, sheet.vendor,
                     " ".join(sheet.features), " ".join(v for o in sheet.options for v in o.values)])
    data = fold(re.sub(r"[®™©]", " ", text))  # folding would spell ™ out as "tm"
    return re.search(rf"(?<!\w){re.escape(fold(mark))}(?!\w)", data) is not None


_ORIGIN = re.compile(r"(?i:made|produced|manufactured|crafted|handmade|hand-made|fabriqu[ée]e?s?|confectionn[ée]e?s?|"
                     r"produit|hergestellt|gefertigt|produziert|fabricad[oa]s?|hech[oa]s?|elaborad[oa]s?)\s+"
                     r"(?i:in|en|au|aux|à|a|im|dans le|dans la)\s+((?:[A-ZÀ-Ý][\w’'-]+)(?:\s+[A-ZÀ-Ý][\w’'-]+)?)")


def _origins(plain: str) -> list[str]:
    return [m.group(1) for m in _ORIGIN.finditer(plain)]


def _known_place(place: str, sheet: FactSheet) -> bool:
    data = fold(" ".join([sheet.title, strip_html(sheet.body_html), sheet.seo_description, sheet.vendor,
                          " ".join(sheet.features)]))
    key = fold(place)[:5]
    return any(w.startswith(key) for w in words(data))


def _value_pattern(value: str) -> re.Pattern[str]:
    flags = 0 if len(value) <= 2 else re.I
    return re.compile(rf"(?<![\w'’-]){re.escape(value)}(?![\w'’-])", flags)


def _values_in(sentence: str, values: tuple[str, ...], locale: str, src_locale: str) -> set[str]:
    found = {v for v in values if _value_pattern(v).search(sentence)}
    nums = numbers(sentence)
    found |= {v for v in values if numbers(v) and numbers(v) <= nums}
    # a translated colour, material or flavour ("rouge" for Red, "menthe poivrée" for Peppermint), when only one
    # value means it
    for lex in (COLOURS, MATERIALS, FLAVOURS):
        by_concept: dict[str, set[str]] = {}
        for v in values:
            for m in lex.find(v, src_locale):
                by_concept.setdefault(m.concept, set()).add(v)
        if by_concept:
            for m in lex.find(sentence, locale):
                vs = by_concept.get(m.concept, set())
                if len(vs) == 1:
                    found |= vs
    return found


def check_variants(draft: Mapping[str, str], sheet: FactSheet, locale: str) -> list[GateFinding]:
    out = []
    original_sentences = sentences(strip_html(sheet.body_html)) + [sheet.title]
    for f in ("title", "seo_title", "seo_description", "body_html"):
        text = draft.get(f)
        if not text:
            continue
        plain = " ".join(strip_html(text).split()) if f != "body_html" else strip_html(text)
        where = FIELD_NAMES[f]
        if sheet.variant_count > 1:
            sku = next((s for s in sheet.skus if len(s) >= 4 and _value_pattern(s).search(plain)), None)
            label = _sku_label(plain)
            if sku or label:
                out.append(GateFinding("variant_as_product", f, f"The {where} states the variant code "
                                       f"'{sku or label}' as the product's"))
                continue
        hit = _single_value(plain, sheet, locale, original_sentences, title=f in ("title", "seo_title"))
        if hit:
            out.append(GateFinding("variant_as_product", f, f"The {where} states the {hit[0]} '{hit[1]}' as the "
                                   f"product's, but it comes in {len(sheet.variant_values[hit[0]])}"))
            continue
        sized = any(o.level == "variant" and o.kind == "size" and all(fold(v) in SIZE_CODES for v in o.values)
                    for o in sheet.options)
        if sized:
            low = plain.lower()
            phrase = next((p for p in SIZE_WORDS.get(locale, ()) if p in low), None)
            if phrase:
                out.append(GateFinding("variant_as_product", f, f"The {where} writes a size code out as "
                                       f"'{phrase}'"))
    return out


def _sku_label(plain: str) -> str | None:
    for label in SKU_LABELS:
        m = re.search(rf"(?<!\w){re.escape(label)}\.?\s*[:#°n]*\.?\s*([A-Z0-9][A-Z0-9-]{{3,}})", plain, re.I)
        if m and re.search(r"\d", m.group(1)) and not re.fullmatch(r"USB-C|\d+", m.group(1), re.I):
            return m.group(0).strip()
    return None


def _single_value(plain: str, sheet: FactSheet, locale: str, original: list[str], *, title: bool):
    for o in sheet.options:
        if o.level != "variant" or o.kind == "other" and not any(len(v) > 2 for v in o.values):
            continue
        # values the current copy itself states alone stay allowed (a title that names its colour); a title may
        # only repeat what the current title says ("240 g in EU 42" in the copy does not make EU 42 the title's)
        source = [sheet.title] if title else original
        allowed = {v for s in source if len(vs := _values_in(s, o.values, sheet.primary_locale,
                                                               sheet.primary_locale)) == 1 for v in vs}
        for s in ([plain] if title else sentences(plain)):
            found = _values_in(s, o.values, locale, sheet.primary_locale) - allowed
            if len(found) == 1 and (title or not (set(words(s)) & RANGE_CUES)):
                if len(_values_in(s, o.values, locale, sheet.primary_locale)) == 1:
                    return o.name, next(iter(found))
    return None
