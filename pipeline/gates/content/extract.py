"""Facts stated in one text: materials with the part they apply to, percentages, measurements, care,
certifications, warranty, list-item features. Works in en/fr/de/es; every fact is language-neutral."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import CARE, COLOURS, MATERIALS, NOUNS, PARTS, Lexicon
from .text import STOPWORDS, bullets, fold, join_thousands, norm_number, numbers, sentences, stem, strip_html, words
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
# "125-g-Beutel", "1,2-Liter-Röhre": German joins a number and its unit to the noun with hyphens
_MEASURE = re.compile(rf"(?<![\w.,])((?:{_NUM}\s*(?:x|×|by|–|-|to|à|bis|a)\s*)*{_NUM})(?:\s*-)?\s*({_UNIT_RE})"
                      rf"(?![\w²/])", re.I)
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
    runs: list[tuple[str, ...]] = field(default_factory=list)  # materials named together ("cotton jersey")

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


# Words that open a line about the colours on offer ("Coloris : sable ou mousse"): what follows names colours.
_COLOUR_LABELS = {"colour", "colours", "color", "colors", "colourway", "colourways", "coloris",
                  "couleur", "couleurs", "teinte", "teintes", "farbe", "farben", "farbton", "colores", "tono", "tonos"}
# English words after which "felt", "iron" or "cork" is a verb, not a material ("it has never felt so soft").
_EN_VERB_CUES = {"i", "you", "we", "they", "he", "she", "it", "has", "have", "had", "never", "ever", "always", "just",
                 "will", "would", "can", "could", "to"}


@lru_cache(maxsize=256)
def _basic_colours(concept: str, locale: str) -> frozenset[str]:
    """The basic term for a colour and its inflections (grey, gris/grise, grau), not its shades (rose, sage, slate)."""
    forms = [fold(f) for f in COLOURS.surface.get(locale, {}).get(concept, ())]
    return frozenset(f for f in forms if forms and f[:4] == forms[0][:4])


def _materials(toks: tuple[str, ...], locale: str):
    """Material matches that state a material: not negated ("nickel-free"), not a colour name ("steel blue", "vert
    mousse": in English and German the colour follows the material word, in French and Spanish it precedes it), not
    a French participle of the word ("pas feutrés": muffled, not felt) and not an English verb ("never felt")."""
    colours = [c for c in COLOURS.find_words(toks, locale) if fold(toks[c.start]) in _basic_colours(c.concept, locale)]
    starts = {c.start for c in colours}
    ends = {c.end for c in colours}
    out = []
    for m in MATERIALS.find_words(toks, locale):
        if _negated(toks, m):
            continue
        if locale in ("en", "de") and m.end in starts or locale in ("fr", "es") and m.start in ends:
            continue
        word = toks[m.start]
        if m.end - m.start == 1 and locale == "fr" and re.search(r"é(?:e|s|es)?$", word) and not any(
                f.endswith("é") for f in MATERIALS.surface["fr"].get(m.concept, ())):
            continue
        if locale == "en" and m.start and toks[m.start - 1] in _EN_VERB_CUES:
            continue
        out.append(m)
    return out


def material_scopes(text: str, locale: str, head: frozenset[str] = frozenset(),
                    runs: list[tuple[str, ...]] | None = None) -> dict[str, set[str]]:
    """Materials with the parts they apply to ("whole" when none); `runs` collects materials named together."""
    out: dict[str, set[str]] = {}
    for line in sentences(text):
        label, value = _labelled(line)
        if (label or fold(line)).split(" ")[0].strip(".,:") in _COLOUR_LABELS:
            continue
        label_parts = PARTS.find(label, locale) if label else []
        if len({p.concept for p in label_parts}) > 1:  # "Pendant and chain: brass" names the whole
            label_parts = []
        clauses = _clauses(value) + ([label] if label and MATERIALS.find(label, locale) else [])
        for clause in clauses:
            toks = tuple(words(clause))
            care = {i for m in CARE.find_words(toks, locale) for i in range(m.start, m.end)}
            mats = [m for m in _materials(toks, locale) if not care.intersection(range(m.start, m.end))]
            if not mats:
                continue
            if runs is not None:
                run = [mats[0].concept]
                for a, b in zip(mats, mats[1:], strict=False):
                    if _same_run(a, b, toks):
                        run.append(b.concept)
                    else:
                        if len(run) > 1:
                            runs.append(tuple(run))
                        run = [b.concept]
                if len(run) > 1:
                    runs.append(tuple(run))
            nouns = {i for m in NOUNS.find_words(toks, locale) if not head or set(NOUNS.ancestors(m.concept)) & head
                     for i in range(m.start, m.end)}
            parts = [p for p in PARTS.find_words(toks, locale) if p.start not in nouns]
            for m in mats:
                scope = _nearest_part(m, parts, mats, toks, locale)
                if scope is None and label_parts and label.split()[0] not in _WHOLE_LABELS:
                    scope = label_parts[0].concept
                if scope is None and not label_parts and (noun := _noun_after(m, mats, toks, locale, nouns)):
                    scope = "?" + noun
                out.setdefault(m.concept, set()).add(scope or WHOLE)
    # A noun the vocabulary does not know as a part ("steel hooks") makes the material a part's only when the copy
    # gives that material to a known part too ("steel frame"); else it is most likely what the product is made of
    # ("aluminium body", "cotton twill").
    for concept, scopes in out.items():
        known = {s for s in scopes if s != WHOLE and not s.startswith("?")}
        out[concept] = {(s[1:] if known else WHOLE) if s.startswith("?") else s for s in scopes}
    return out


# words after a material that name what it is, not a part of the product ("wool blend", "steel construction")
_NOT_PARTS = {"blend", "mix", "yarn", "fibre", "fiber", "fibres", "fibers", "thread", "finish", "look", "effect",
              "colour", "color", "tone", "grain", "content"}


def _noun_after(m, mats, toks: tuple[str, ...], locale: str, head_idx: set[int]) -> str | None:
    """In English a material word modifies the noun after it: "steel hooks", "acrylic tube", "brass snap
    hook". That noun, when it is not the product's own noun, is the part the material is for, even when
    the vocabulary has no entry for it."""
    if locale != "en":
        return None
    i = m.end
    while any(o.start == i for o in mats):
        i = next(o.end for o in mats if o.start == i)
    if i >= len(toks) or i in head_idx or i + 1 in head_idx:
        return None  # "cork bath mat": the product itself
    word = toks[i]
    if (len(word) < 3 or not word.isalpha() or word in STOPWORDS["en"] or word in _NOT_PARTS
            or word in _WHOLE_LABELS or COLOURS.find_words((word,), locale)):
        return None
    return word


_NEGATIONS = {"no", "not", "without", "free", "sans", "aucun", "ohne", "kein", "keine", "sin", "libre", "non"}
_MADE = {"made", "crafted", "built", "constructed", "cut", "woven", "knitted", "fabriqué", "fabriquée", "fait", "faite",
         "réalisé", "réalisée", "confectionné", "confectionnée", "composé", "composée", "tissé", "besteht", "bestehen",
         "gefertigt", "hergestellt", "gearbeitet", "gewebt", "hecho", "hecha", "fabricado", "fabricada",
         "confeccionado", "confeccionada", "elaborado", "elaborada", "tejido", "tejida", "entirely", "entièrement",
         "komplett", "ganz", "todo", "toda", "all", "tout", "toute", "pure", "pur", "rein", "puro", "pura",
         "wholly", "fully", "totalement", "intégralement", "vollständig", "gänzlich", "íntegramente",
         "totalmente", "completamente", "enteramente", "solid", "massif", "massive", "massiv", "macizo", "maciza"}


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
        if (label or fold(line)).split(" ")[0].strip(".,:") in _COLOUR_LABELS:
            continue
        if label and label.split()[0] not in _WHOLE_LABELS and len({p.concept for p in PARTS.find(label, locale)}) == 1:
            continue  # "Legs: solid oak" is about the legs
        for clause in _clauses(value):
            toks = tuple(words(clause))
            mats = _materials(toks, locale)
            if not mats:
                continue
            nouns = [m for m in NOUNS.find_words(toks, locale) if set(NOUNS.ancestors(m.concept)) & head]
            parts = [p for p in PARTS.find_words(toks, locale)
                     if not any(n.start <= p.start < n.end for n in nouns)]
            head_idx = {i for n in nouns for i in range(n.start, n.end)}
            for m in mats:
                if _nearest_part(m, parts, mats, toks, locale) or _noun_after(m, mats, toks, locale, head_idx):
                    continue  # "solid brass snap hook": the hook's material
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


_INFLECTION = r"(?:e|s|es|er|en|ee|ees|a|as|o|os)?"


@lru_cache(maxsize=512)
def _cert_pattern(form: str) -> re.Pattern[str]:
    """A certification phrase, each word maybe inflected (testée sous contrôle dermatologique, veganer), and maybe
    joined to other words by hyphens (JAS-Bio-zertifiziert)."""
    if form.isupper():
        return re.compile(rf"(?<![\w-]){re.escape(form)}(?![A-Za-z0-9])")
    parts = [re.escape(w) + (_INFLECTION if len(w) >= 4 else "") for w in fold(form).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?![a-z0-9])")


_IP_CODE = re.compile(r"(?<![\w-])IP([X\d])(\d)(?!\w)", re.I)


def certifications(text: str) -> set[str]:
    """Certifications and claims (OEKO-TEX, organic, vegan, gluten-free...) and IP ratings ("ipx4")."""
    low = fold(text)
    found = {f"ip{a}{b}".lower() for a, b in _IP_CODE.findall(text)}
    for name, forms in CERTIFICATIONS.items():
        for f in forms:
            if _cert_pattern(f).search(text if f.isupper() else low):
                found.add(name)
    return found


def warranty(text: str) -> set[str]:
    low = fold(text)
    out = set()
    for w in WARRANTY_WORDS:
        # long words also end compounds (Herstellergarantie)
        for hit in re.finditer(rf"{'' if len(w) >= 7 else chr(92) + 'b'}{fold(w)}\w*", low):
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
    facts.materials = material_scopes(text, locale, head, facts.runs)
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
    toks = tuple(words(text))
    for lex, tag in lexicons:
        found = _materials(toks, locale) if lex is MATERIALS else lex.find_words(toks, locale)
        out |= {f"{tag}:{anc}" for m in found for anc in lex.ancestors(m.concept)}
    return out
