"""Multilingual term matching: a table of concepts and their forms per locale, matched on Snowball stems.

German compounds: a word whose stem ends in a noun form counts as that noun (Stehlampe: lampe); for materials a
word starting or ending with the material counts (Holzsockel, Eichenholz).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .text import LOCALES, fold, stem, words
from .vocab_facts import CARE_TABLE, COLOUR_TABLE, MATERIAL_TABLE, PART_TABLE
from .vocab_products import NOUN_TABLE


@dataclass(frozen=True)
class Match:
    concept: str
    start: int  # word index in the text
    end: int


class Lexicon:
    def __init__(self, table: str, *, compound: str = "", english_everywhere: bool = False) -> None:
        self.parent: dict[str, str] = {}
        self.family: dict[str, str] = {}
        self.compound = compound  # "", "suffix" or "both"
        self.english_everywhere = english_everywhere
        self.forms: dict[str, dict[str, list[tuple[tuple[str, ...], str]]]] = {loc: {} for loc in LOCALES}
        self.surface: dict[str, dict[str, list[str]]] = {loc: {} for loc in LOCALES}
        self.surface_of: dict[tuple[str, str], set[str]] = {}
        for line in table.strip().splitlines():
            head, _, body = line.partition(":")
            name, *rest = head.split("|")
            name = name.strip()
            if len(rest) == 2:
                self.family[name] = rest[0].strip()
                if rest[1].strip():
                    self.parent[name] = rest[1].strip()
            elif len(rest) == 1 and rest[0].strip():
                self.parent[name] = rest[0].strip()
            for locale, cell in zip(LOCALES, body.split(";"), strict=True):
                for form in (f.strip() for f in cell.split(",")):
                    if not form:
                        continue
                    ws = words(form)
                    key = tuple(stem(w, locale) for w in ws)
                    self.forms[locale].setdefault(key[0], []).append((key, name))
                    for w, k in zip(ws, key, strict=True):
                        self.surface_of.setdefault((locale, k), set()).add(fold(w))
                    self.surface[locale].setdefault(name, []).append(form)
        for table_ in self.forms.values():
            for entries in table_.values():
                entries.sort(key=lambda e: -len(e[0]))
        # short German words with an umlaut end compounds safely (Hagebuttenkernöl)
        self.short_de = [(f, c) for c, fs in self.surface["de"].items() for f in fs
                         if len(f) < 4 and " " not in f and not f.isascii()]
        self.singles = {loc: {k[0]: c for ks in t.values() for k, c in ks if len(k) == 1}
                        for loc, t in self.forms.items()}

    def concepts(self) -> list[str]:
        return list(self.surface["en"])

    def ancestors(self, concept: str) -> list[str]:
        out = [concept]
        while out[-1] in self.parent and len(out) < 5:
            out.append(self.parent[out[-1]])
        return out

    def find(self, text: str, locale: str) -> list[Match]:
        """Concepts named in text, longest match first, left to right, without overlaps."""
        return self.find_words(tuple(words(text)), locale)

    def find_words(self, toks: tuple[str, ...], locale: str, *, loanwords: bool = True) -> list[Match]:
        extra = self.english_everywhere and loanwords and locale != "en"
        locales = [locale] + (["en"] if extra else [])
        found: list[Match] = []
        taken: set[int] = set()
        for loc in locales:
            if loc not in self.forms:
                continue
            sts = [stem(w, loc) for w in toks]
            for i, s in enumerate(sts):
                if i in taken:
                    continue
                hit = None
                for key, concept in self.forms[loc].get(s, ()):
                    if tuple(sts[i:i + len(key)]) == key and all(
                            _surface_ok(toks[i + j], self.surface_of[(loc, k)]) for j, k in enumerate(key)):
                        hit = Match(concept, i, i + len(key))
                        break
                if hit is None and loc == "de" and self.compound:
                    compound = _compound(self, s, loc) or next(
                        (c for f, c in self.short_de if toks[i].endswith(f) and len(toks[i]) > len(f) + 3), None)
                    if compound:
                        hit = Match(compound, i, i + 1)
                if hit and not taken.intersection(range(hit.start, hit.end)):
                    found.append(hit)
                    taken.update(range(hit.start, hit.end))
        return sorted(found, key=lambda m: m.start)


@lru_cache(maxsize=200_000)
def _surface_ok_one(token: str, form: str) -> bool:
    t = fold(token)
    if t.startswith(form) and len(t) - len(form) <= 3:
        return True
    return form.startswith(t) and len(form) - len(t) <= 1


def _surface_ok(token: str, forms: set[str]) -> bool:
    """The word is the form or a plural of it, not another word with the same stem (plata is not plato)."""
    return any(_surface_ok_one(token, f) for f in forms)


@lru_cache(maxsize=100_000)
def _compound_cached(lexicon_id: int, word_stem: str, locale: str) -> str | None:
    lex = _BY_ID[lexicon_id]
    best = None
    for form, concept in lex.singles[locale].items():
        if len(form) < 4 or len(word_stem) <= len(form):
            continue
        if word_stem.endswith(form) or (lex.compound == "both" and word_stem.startswith(form)):
            if best is None or len(form) > len(best[0]):
                best = (form, concept)
    return best[1] if best else None


def _compound(lex: Lexicon, word_stem: str, locale: str) -> str | None:
    return _compound_cached(id(lex), word_stem, locale)


NOUNS = Lexicon(NOUN_TABLE, compound="suffix", english_everywhere=True)
MATERIALS = Lexicon(MATERIAL_TABLE, compound="both")
PARTS = Lexicon(PART_TABLE, compound="suffix")
CARE = Lexicon(CARE_TABLE, compound="suffix")
COLOURS = Lexicon(COLOUR_TABLE, compound="")
_BY_ID = {id(x): x for x in (NOUNS, MATERIALS, PARTS, CARE, COLOURS)}


def compatible_nouns(a: str, b: str) -> bool:
    """Two noun concepts name the same kind of product (one is the other's parent, or they share one)."""
    la, lb = NOUNS.ancestors(a), NOUNS.ancestors(b)
    return bool(set(la) & set(lb))


def mentions(text: str, locale: str, lexicon: Lexicon) -> set[str]:
    """Concepts named in text, with their ancestors (oak names wood too)."""
    return {anc for m in lexicon.find(text, locale) for anc in lexicon.ancestors(m.concept)}


def folded_words(text: str) -> list[str]:
    return [fold(w) for w in words(text)]
