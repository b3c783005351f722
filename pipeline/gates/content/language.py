"""`wrong_language`: is a field written in the draft's locale? Lingua (restricted to en/fr/de/es, built once,
lazily) reads bodies and longer fields; short titles are judged by function words and product vocabulary, and
names, loanwords, numbers and model codes count for no language."""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import CARE, COLOURS, MATERIALS, NOUNS, PARTS
from .text import LOCALES, STOPWORDS, fold, sentences, strip_html, words

_LANG_NAMES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish"}
# Short words that mark a language in a title (function words and very common title words).
_MARKERS = {
    "en": frozenset("the and with for of in by from your our this set pack".split()),
    "fr": frozenset("le la les et avec pour de des du en au aux un une sur à".split()),
    "de": frozenset("der die das und mit für aus von im zum zur ein eine den dem".split()),
    "es": frozenset("el la los las y con para de del en un una al por".split()),
}
_SHARED = frozenset({"de", "en", "la", "un", "set", "pack"})


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    langs = [Language.ENGLISH, Language.FRENCH, Language.GERMAN, Language.SPANISH]
    return LanguageDetectorBuilder.from_languages(*langs).build()


def language_scores(text: str) -> dict[str, float]:
    """Lingua's confidence per locale."""
    values = _detector().compute_language_confidence_values(text)
    return {v.language.iso_code_639_1.name.lower(): v.value for v in values}


def vocabulary_votes(text: str, ignore: frozenset[str] = frozenset()) -> dict[str, float]:
    """Evidence per locale from words only one language uses: function words and product vocabulary."""
    toks = tuple(w for w in words(text) if fold(w) not in ignore and not any(c.isdigit() for c in w))
    votes = dict.fromkeys(LOCALES, 0.0)
    per_word: dict[int, set[str]] = {}
    for loc in LOCALES:
        for i, w in enumerate(toks):
            if w in _MARKERS[loc] and w not in _SHARED:
                per_word.setdefault(i, set()).add(loc)
        for lex in (NOUNS, MATERIALS, COLOURS, PARTS, CARE):
            for m in lex.find_words(toks, loc, loanwords=False, parts=False):
                for i in range(m.start, m.end):
                    per_word.setdefault(i, set()).add(loc)
    for locs in per_word.values():
        if len(locs) < len(LOCALES):
            for loc in locs:
                votes[loc] += 1.0 / len(locs)
    return votes


def wrong_language(text: str, locale: str, *, short: bool, ignore: frozenset[str] = frozenset()) -> str | None:
    """The language a field is written in when it is not `locale`, else None."""
    if locale not in LOCALES:
        return None
    plain = " ".join(strip_html(text).split())
    if not plain:
        return None
    votes = vocabulary_votes(plain, ignore)
    other = max((v, loc) for loc, v in votes.items() if loc != locale)
    n_words = len([w for w in words(plain) if fold(w) not in ignore])
    if short or n_words < 8:
        if votes[locale] == 0 and other[0] >= 1.5:
            return other[1]
        if votes[locale] == 0 and other[0] >= 1 and n_words >= 3:
            scores = language_scores(" ".join(w for w in plain.split() if fold(w.strip(".,|–-")) not in ignore))
            best = max(scores, key=lambda code: scores[code])
            if best == other[1] and scores[best] > 0.6:
                return best
        return None
    scores = language_scores(_prose(plain, ignore))
    best = max(scores, key=lambda code: scores[code])
    if best != locale and scores[best] > 0.5 and votes[best] > votes[locale]:
        return best
    # A body can be half translated: judge its sentences and list items one by one, by their words.
    return _half_translated(text, locale, ignore)


def _half_translated(text: str, locale: str, ignore: frozenset[str]) -> str | None:
    """The other language of a body when two or more of its clauses or list items (three words or more) are
    clearly in it and they hold at least a third of the body's words."""
    total = 0
    foreign: dict[str, list[int]] = {}
    pieces = [c for s in sentences(strip_html(text)) for c in re.split(r"[,;:]\s+", s)]
    for piece in pieces:
        prose = _prose(piece, ignore)
        n = len(prose.split())
        if n < 3:
            continue
        total += n
        lang = _sentence_language(piece, ignore, 0.55)
        if lang is None or lang == locale:
            continue
        votes = vocabulary_votes(piece, ignore)
        if votes[locale] > votes[lang]:
            continue  # the vocabulary says the sentence is ours (a loanword-heavy line)
        foreign.setdefault(lang, []).append(n)
    for lang, sizes in foreign.items():
        if len(sizes) >= 2 and sum(sizes) * 3 >= total:
            return lang
    return None


def _prose(text: str, ignore: frozenset[str] = frozenset()) -> str:
    """Text without codes, acronyms, numbers and names, which no language owns (USB-C, IPX4, 65 W)."""
    kept = [w for w in text.split() if not any(c.isdigit() for c in w) and not (len(w) > 1 and w.isupper())
            and fold(w.strip(".,;:!?()")) not in ignore]
    return " ".join(kept)


def _sentence_language(sentence: str, ignore: frozenset[str] = frozenset(), threshold: float = 0.8) -> str | None:
    scores = language_scores(_prose(sentence, ignore))
    best = max(scores, key=lambda code: scores[code])
    return best if scores[best] > threshold else None


def language_name(locale: str) -> str:
    return _LANG_NAMES.get(locale, locale)


def stopword_share(text: str, locale: str) -> float:
    toks = words(text)
    return sum(w in STOPWORDS[locale] for w in toks) / max(1, len(toks))
