"""Facts stated in one text: materials with the part they apply to, percentages, measurements, care,
certifications, warranty, list-item features. Works in en/fr/de/es; every fact is language-neutral."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import CARE, COLOURS, MATERIALS, NOUNS, PARTS, Lexicon
from .text import bullets, fold, join_thousands, norm_number, numbers, sentences, stem, strip_html, words
from .vocab_facts import CERTIFICATIONS, WARRANTY_WORDS

WHOLE = "whole"
_UNITS = {
    "mm": "mm", "cm": "cm", "m": "m", "metre": "m", "meter": "m", "metres": "m", "meters": "m", "mètre": "m",
    "mètres": "m", "metro": "m", "metros": "m", "in": "in", "inch": "in", "inches": "in", '"': "in", "″": "in",
    "pouce": "in", "pouces": "in", "zoll": "in", "pulgada": "in", "pulgadas": "in", "ft": "ft", "feet": "ft",
    "foot": "ft", "pieds": "ft", "fuß": "ft", "pies": "ft", "kg": "kg", "g": "g", "gr": "g", "lb": "lb", "lbs": "lb",
    "oz": "oz", "ml": "ml", "cl": "cl", "l": "l", "litre": "l", "liter": "l", "litres": "l", "liters": "l",
    "litro": "l", "litros": "l", "w": "w", "watt": "w", "watts": "w", "v": "v", "volt": "v", "mah": "mah",
    "wh": "wh", "°c": "°c", "°f": "°f", "ºc": "°c", "gsm": "gsm", "g/m²": "gsm", "g/m2": "gsm", "h": "h",
    "hours": "h", "hour": "h", "hrs": "h", "heures": "h", "heure": "h", "stunden": "h", "std": "h", "horas": "h",
    "lm": "lm", "lumens": "lm", "k": "k", "tc": "tc", "thread count": "tc", "ct": "ct", "carat": "ct", "carats": "ct",
    "karat": "ct", "kilates": "ct", "mbps": "mbps", "gb": "gb", "tb": "tb", "hz": "hz", "db": "db",
    "mbit/s": "mbps", "micron": "µm", "microns": "µm", "µm": "µm", "mikron": "µm", "micras": "µm", "bar": "bar",
    "min": "min", "minute": "min", "minutes": "min", "minuten": "min", "minuto": "min", "minutos": "min",
    "month": "month", "months": "month", "mois": "month", "monate": "month", "monaten": "month", "meses": "month",
    "days": "day", "jours": "day", "tage": "day", "tagen": "day", "días": "day", "g/qm": "gsm",
}
_UNIT_RE = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_NUM = r"\d+(?:[.,]\d+)?"
_MEASURE = re.compile(rf"(?<![\w.,])((?:{_NUM}\s*(?:x|×|by|–|-|to|à|bis|a)\s*)*{_NUM})\s*({_UNIT_RE})(?![\w²/])", re.I)
_PERCENT = re.compile(rf"({_NUM})\s*(?:%|per ?cent|pour ?cent|prozent|por ciento)", re.I)
_WHOLE_LABELS = {"material", "materials", "materiau", "matiere", "matieres", "composition", "fabric", "made",
                 "material/en", "materiales", "tejido", "stoff", "tissu", "body", "construction"}


@dataclass
class TextFacts:
    materials: dict[str, set[str]] = field(default_factory=dict)  # concept -> scopes ("whole" or a part)
    percentages: set[str] = field(default_factory=set)
    measurements: set[str] = field(default_factory=set)  # "50x70 cm"
    care: set[str] = field(default_factory=set)
    certifications: set[str] = field(default_factory=set)
    warranty: set[str] = field(default_factory=set)  # "2y" or "yes"
    features: list[str] = field(default_factory=list)

    def keys(self) -> set[str]:
        """Every fact as one language-neutral key (used to count and compare information)."""
        out = {f"material:{m}" for m in self.materials}
        out |= {f"percentage:{p}" for p in self.percentages} | {f"measurement:{m}" for m in self.measurements}
        out |= {f"care:{c}" for c in self.care} | {f"certification:{c}" for c in self.certifications}
        return out | {f"warranty:{w}" for w in self.warranty}


def measurement_key(values: str, unit: str) -> str:
    nums = [norm_number(n) for n in re.findall(_NUM, values)]
    return f"{'x'.join(nums)} {_UNITS.get(unit.lower(), unit.lower())}"


def measurement_numbers(key: str) -> set[str]:
    return set(key.split(" ")[0].split("x"))


def _clauses(text: str) -> list[str]:
    return [c for s in sentences(text) for c in re.split(r"[,;:()]\s+|\s+[–—-]\s+", s) if c.strip()]


def _labelled(line: str) -> tuple[str, str]:
    label, sep, value = line.partition(":")
    if sep and 0 < len(label.split()) <= 3:
        return fold(label.strip()), value
    return "", line


def material_scopes(text: str, locale: str, head: frozenset[str] = frozenset()) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for line in sentences(text):
        label, value = _labelled(line)
        label_parts = PARTS.find(label, locale) if label else []
        if len(label_parts) > 1:  # "Pendant and chain: brass" names the whole
            label_parts = []
        clauses = _clauses(value) + ([label] if label and MATERIALS.find(label, locale) else [])
        for clause in clauses:
            toks = tuple(words(clause))
            care = {i for m in CARE.find_words(toks, locale) for i in range(m.start, m.end)}
            mats = [m for m in MATERIALS.find_words(toks, locale) if not care.intersection(range(m.start, m.end))
                    and not _negated(toks, m)]
            if not mats:
                continue
            nouns = {i for m in NOUNS.find_words(toks, locale) if not head or set(NOUNS.ancestors(m.concept)) & head
                     for i in range(m.start, m.end)}
            parts = [p for p in PARTS.find_words(toks, locale) if p.start not in nouns]
            for m in mats:
                scope = _nearest_part(m, parts, mats, toks, locale)
                if scope is None and label_parts and label.split()[0] not in _WHOLE_LABELS:
                    scope = label_parts[0].concept
                out.setdefault(m.concept, set()).add(scope or WHOLE)
    return out


_NEGATIONS = {"no", "not", "without", "free", "sans", "aucun", "ohne", "kein", "keine", "sin", "libre", "non"}
_MADE = {"made", "crafted", "built", "constructed", "cut", "woven", "knitted", "fabriqué", "fabriquée", "fait", "faite",
         "réalisé", "réalisée", "confectionné", "confectionnée", "composé", "composée", "tissé", "besteht", "bestehen",
         "gefertigt", "hergestellt", "gearbeitet", "gewebt", "hecho", "hecha", "fabricado", "fabricada",
         "confeccionado", "confeccionada", "elaborado", "elaborada", "tejido", "tejida", "entirely", "entièrement",
         "komplett", "ganz", "todo", "toda", "all", "tout", "toute", "pure", "pur", "rein", "puro", "pura"}


def _negated(toks: tuple[str, ...], m) -> bool:
    last = toks[m.end - 1]
    if re.search(r"(?:-free|frei(?:e|er|en|es|em)?)$", last):
        return True
    before = toks[max(0, m.start - 2):m.start]
    after = toks[m.end:m.end + 1]
    return bool(_NEGATIONS.intersection(before)) or after == ("free",) or after == ("frei",)


def whole_claims(text: str, locale: str, head: frozenset[str]) -> set[str]:
    """Materials a text states for the whole product: "made of X", "X <noun>", "<noun> aus X", "100% X"."""
    out: set[str] = set()
    for line in sentences(text):
        label, value = _labelled(line)
        for clause in _clauses(value):
            toks = tuple(words(clause))
            mats = [m for m in MATERIALS.find_words(toks, locale) if not _negated(toks, m)]
            if not mats:
                continue
            nouns = [m for m in NOUNS.find_words(toks, locale) if set(NOUNS.ancestors(m.concept)) & head]
            parts = [p for p in PARTS.find_words(toks, locale)
                     if not any(n.start <= p.start < n.end for n in nouns)]
            for m in mats:
                if _nearest_part(m, parts, mats, toks, locale):
                    continue
                near_noun = any(abs(n.start - m.end) <= 2 or abs(m.start - n.end) <= 3 for n in nouns)
                made = bool(_MADE.intersection(toks[max(0, m.start - 4):m.start]))
                labelled = label and label.split()[0] in _WHOLE_LABELS
                if near_noun or made or labelled:
                    out.add(m.concept)
    return out


def _same_run(a, b, toks) -> bool:
    """Two materials named together ("cotton canvas", "lona 100 % algodón"): one material phrase."""
    lo, hi = (a.end, b.start) if a.end <= b.start else (b.end, a.start)
    return all(t.isdigit() or t in ("de", "en", "of", "aus", "in") for t in toks[lo:hi])


def _nearest_part(m, parts, mats, toks, locale) -> str | None:
    # German compound: Holzsockel is wood + base
    if locale == "de" and m.end - m.start == 1:
        st = stem(toks[m.start], locale)
        for key in PARTS.singles["de"]:
            if len(key) >= 4 and st.endswith(key) and len(st) > len(key):
                return PARTS.singles["de"][key]
    best, best_gap = None, 5
    for p in parts:
        if p.end <= m.start:
            gap, lo, hi = m.start - p.end, p.end, m.start
        elif p.start >= m.end:
            gap, lo, hi = p.start - m.end, m.end, p.start
        else:
            continue
        if any(lo <= o.start < hi for o in mats if o is not m and not _same_run(m, o, toks)):
            continue
        if gap < best_gap or (gap == best_gap and p.start >= m.end):
            best, best_gap = p.concept, gap
    return best


def _concepts(text: str, locale: str, lex: Lexicon) -> set[str]:
    return {m.concept for m in lex.find(text, locale)}


def certifications(text: str) -> set[str]:
    low = fold(text)
    found = set()
    for name, forms in CERTIFICATIONS.items():
        for f in forms:
            hay, needle = (text, f) if f.isupper() else (low, fold(f))
            if re.search(rf"(?<![\w-]){re.escape(needle)}(?![a-z0-9])", hay):
                found.add(name)
    return found


def warranty(text: str) -> set[str]:
    low = fold(text)
    out = set()
    for w in WARRANTY_WORDS:
        for hit in re.finditer(rf"\b{fold(w)}\w*", low):
            window = low[max(0, hit.start() - 40): hit.end() + 40]
            years = re.search(r"(\d+)[\s-]*(?:year|yr|an|ans|jahr|jahre|jahren|ano|anos)\b", window)
            out.add(f"{years.group(1)}y" if years else "yes")
    if any(v != "yes" for v in out):
        out.discard("yes")
    return out


def extract(body_html: str, locale: str, *, plain: str | None = None, head: frozenset[str] = frozenset()) -> TextFacts:
    """Facts of an HTML fragment (or of plain text when `plain` is given)."""
    text = join_thousands(plain if plain is not None else strip_html(body_html))
    facts = TextFacts()
    facts.materials = material_scopes(text, locale, head)
    facts.percentages = {norm_number(p) + "%" for p in _PERCENT.findall(text)}
    for values, unit in _MEASURE.findall(text):
        inch = rf"{re.escape(values)}\s*in(?:\s*(?:\.|,|$|x|tall|wide|long|high|deep))"
        if unit.lower() == "in" and not re.search(inch, text, re.I):
            continue
        facts.measurements.add(measurement_key(values, unit))
    facts.care = _concepts(text, locale, CARE)
    facts.certifications = certifications(text)
    facts.warranty = warranty(text)
    facts.features = bullets(body_html) if plain is None else []
    return facts


def anchors(text: str, locale: str, *, strict: bool = False) -> set[str]:
    """Language-neutral keys of a short text: concepts (materials, parts, care, nouns, colours) and numbers.
    `strict` keeps only what translates reliably: numbers, materials, care, colours."""
    out = set(numbers(text))
    lexicons = ((MATERIALS, "m"), (CARE, "c"), (COLOURS, "k")) if strict else (
        (MATERIALS, "m"), (PARTS, "p"), (CARE, "c"), (NOUNS, "n"), (COLOURS, "k"))
    for lex, tag in lexicons:
        out |= {f"{tag}:{anc}" for m in lex.find(text, locale) for anc in lex.ancestors(m.concept)}
    return out
