"""Multilingual term matching: a table of concepts and their forms per locale, matched on Snowball stems.

German compounds: a word whose stem ends in a noun form counts as that noun (Stehlampe: lampe); for materials a
word starting or ending with the material counts (Holzsockel, Eichenholz), as long as the rest is a word of its own
(at least three letters: weich is not Eiche). Hyphenated compounds that match as a whole do (T-Shirt, gold-plated);
the others are read by their parts: the last one names a noun or part (USB-C-Hub, EVA-Zwischensohle), the first one
a material (leather-wrapped, TPU-Zehenkappe).

A single-word form only matches its own spelling or an inflection of it (plata is not plato, felt is not felted);
a multi-word form, whose words anchor each other, matches on stems alone, so inflection and agreement pass (secar
tendida for secar tendido, lavado a máquina for lavar a máquina).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .text import LOCALES, fold, stem, words
from .vocab_facts import CARE_TABLE, COLOUR_TABLE, FLAVOUR_TABLE, MATERIAL_TABLE, PART_TABLE
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
        self.forms: dict[str, dict[str, list[tuple[tuple[str, ...], str, str]]]] = {loc: {} for loc in LOCALES}
        self.single_surface: dict[tuple[str, str], set[str]] = {}  # (locale, stem) -> spellings of one-word forms
        self.surface: dict[str, dict[str, list[str]]] = {loc: {} for loc in LOCALES}
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
                    self.forms[locale].setdefault(key[0], []).append((key, name, ws[0]))
                    if len(ws) == 1:
                        self.single_surface.setdefault((locale, key[0]), set()).add(fold(ws[0]))
                    self.surface[locale].setdefault(name, []).append(form)
        for table_ in self.forms.values():
            for entries in table_.values():
                entries.sort(key=lambda e: -len(e[0]))
        # short German words with an umlaut end compounds safely (Hagebuttenkernöl)
        self.short_de = [(f, c) for c, fs in self.surface["de"].items() for f in fs
                         if len(f) < 4 and " " not in f and not f.isascii()]
        self.singles = {loc: {k[0]: c for ks in t.values() for k, c, _ in ks if len(k) == 1}
                        for loc, t in self.forms.items()}
        # the part of a hyphenated compound that names the concept: the head for nouns and parts, else the first
        self.hyphen_part = -1 if compound == "suffix" else 0

    def _hyphen_part(self, token: str, locale: str) -> str | None:
        """The concept one part of a hyphenated compound names (USB-C-Hub: hub; leather-wrapped: leather)."""
        parts = [t for t in token.split("-") if t]
        if len(parts) < 2:
            return None
        part = parts[self.hyphen_part]
        if len(part) < 2 or any(c.isdigit() for c in part):
            return None
        found = self.find_words((part,), locale, loanwords=False, parts=False)
        return found[0].concept if found else None

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

    def find_words(self, toks: tuple[str, ...], locale: str, *, loanwords: bool = True,
                   parts: bool = True) -> list[Match]:
        """`loanwords`: English forms count in every locale (nouns); `parts`: a hyphenated compound is also read by
        its parts (off where only whole words are evidence, as for which language a text is in)."""
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
                for key, concept, first in self.forms[loc].get(s, ()):
                    if tuple(sts[i:i + len(key)]) == key and (len(key) > 1 or _surface_ok_one(toks[i], first)):
                        hit = Match(concept, i, i + len(key))
                        break
                if hit is None and loc == "de" and self.compound:
                    compound = _compound(self, s, fold(toks[i]), loc) or next(
                        (c for f, c in self.short_de if toks[i].endswith(f) and len(toks[i]) > len(f) + 3), None)
                    if compound:
                        hit = Match(compound, i, i + 1)
                if hit is None and parts and "-" in toks[i]:
                    concept_ = self._hyphen_part(toks[i], loc)
                    if concept_:
                        hit = Match(concept_, i, i + 1)
                if hit and not taken.intersection(range(hit.start, hit.end)):
                    found.append(hit)
                    taken.update(range(hit.start, hit.end))
        return sorted(found, key=lambda m: m.start)


@lru_cache(maxsize=200_000)
def _surface_ok_one(token: str, form_word: str) -> bool:
    """The token spells the one-word form, maybe inflected. Short words keep their accents (te is not té)."""
    if len(token) <= 3 and token != form_word:
        return False
    t, form = fold(token), fold(form_word)
    if t.startswith(form) and len(t) - len(form) <= 3:
        return True
    return form.startswith(t) and form[len(t):] == "s"  # a form written in the plural (pearls, earrings)


@lru_cache(maxsize=100_000)
def _compound_cached(lexicon_id: int, word_stem: str, word: str, locale: str) -> str | None:
    """The concept a German compound ends (or, for materials, starts) with. The rest is a word of its own (weich is
    not Eiche) and the compound spells the form out in full (Hundeleine shares the stem of Leinen but not its
    spelling; Leinenhemd, Eichenholz, Gummistiefeln do)."""
    lex = _BY_ID[lexicon_id]
    best = None
    for form, concept in lex.singles[locale].items():
        if len(form) < 4 or len(word_stem) < len(form) + 3:
            continue
        spellings = lex.single_surface.get((locale, form), ())
        if word_stem.endswith(form):
            if not any(sf in word for sf in spellings):
                continue
        elif lex.compound == "both" and word_stem.startswith(form):
            # a material first, maybe joined without its last letter (Baumwolljersey, Bio-Baumwolljersey)
            if not any(word.startswith(sf) or sf[-1] in "en" and word.startswith(sf[:-1]) for sf in spellings):
                continue
        else:
            continue
        if best is None or len(form) > len(best[0]):
            best = (form, concept)
    return best[1] if best else None


def _compound(lex: Lexicon, word_stem: str, word: str, locale: str) -> str | None:
    return _compound_cached(id(lex), word_stem, word, locale)


NOUNS = Lexicon(NOUN_TABLE, compound="suffix", english_everywhere=True)
MATERIALS = Lexicon(MATERIAL_TABLE, compound="both")
PARTS = Lexicon(PART_TABLE, compound="suffix")
CARE = Lexicon(CARE_TABLE, compound="suffix")
COLOURS = Lexicon(COLOUR_TABLE, compound="")
FLAVOURS = Lexicon(FLAVOUR_TABLE, compound="")
_BY_ID = {id(x): x for x in (NOUNS, MATERIALS, PARTS, CARE, COLOURS, FLAVOURS)}


def compatible_nouns(a: str, b: str) -> bool:
    """Two noun concepts name the same kind of product (one is the other's parent, or they share one)."""
    la, lb = NOUNS.ancestors(a), NOUNS.ancestors(b)
    return bool(set(la) & set(lb))


def mentions(text: str, locale: str, lexicon: Lexicon) -> set[str]:
    """Concepts named in text, with their ancestors (oak names wood too)."""
    return {anc for m in lexicon.find(text, locale) for anc in lexicon.ancestors(m.concept)}


def folded_words(text: str) -> list[str]:
    return [fold(w) for w in words(text)]
