"""Gates on wording: repeated_word, identity_changed, wrong_language, search_talk."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .facts import FactSheet
from .findings import FIELD_NAMES, GateFinding
from .identity import foreign_nouns, has_name, noun_present, repeated_word
from .language import language_name, wrong_language
from .text import fold, strip_html, words
from .vocab_products import HOME_FAMILIES, HOME_PHRASES
from .vocab_talk import FILLER_RE, SEARCH_RE

TITLES = ("title", "seo_title")


def check_repeated(draft: Mapping[str, str], sheet: FactSheet, locale: str) -> list[GateFinding]:
    out = []
    for f in TITLES:
        if draft.get(f) and (word := repeated_word(draft[f], locale, sheet.vendor, frozenset(sheet.name))):
            out.append(GateFinding("repeated_word", f, f"The {FIELD_NAMES[f]} repeats '{_surface(draft[f], word)}'"))
    return out


def _surface(text: str, word: str) -> str:
    hit = re.search(re.escape(word), text, re.I)
    return text[hit.start():hit.end()] if hit else word


def _name_surface(sheet: FactSheet, word: str) -> str:
    return _surface(sheet.title, word)


def check_identity(draft: Mapping[str, str], sheet: FactSheet, locale: str, keyword: str | None) -> list[GateFinding]:
    out = []
    can_check_noun = sheet.head_noun is not None or (sheet.head_word and locale == sheet.primary_locale)
    for f in TITLES:
        text = draft.get(f)
        if not text:
            continue
        where = FIELD_NAMES[f]
        if can_check_noun and not noun_present(text, sheet.head_noun, sheet.head_word, locale):
            others = foreign_nouns(text, sheet.head_noun, locale)
            if others:
                out.append(GateFinding("identity_changed", f, f"The {where} calls the product a '{others[0]}' "
                                       f"but it is a '{sheet.head_word}'"))
            else:
                out.append(GateFinding("identity_changed", f, f"The {where} no longer says what the product is "
                                       f"('{sheet.head_word}')"))
        elif keyword and sheet.head_noun:
            from_keyword = set(foreign_nouns(keyword, sheet.head_noun, locale)) | set(
                foreign_nouns(keyword, sheet.head_noun, "en"))
            own = noun_present(keyword, sheet.head_noun, sheet.head_word, locale) or noun_present(
                keyword, sheet.head_noun, sheet.head_word, "en")
            shown = [] if own else [n for n in foreign_nouns(text, sheet.head_noun, locale) if n in from_keyword]
            if shown:
                out.append(GateFinding("identity_changed", f, f"The {where} calls the product a '{shown[0]}' "
                                       f"(from the keyword '{keyword}') but it is a '{sheet.head_word}'"))
        missing = [w for w in sheet.name if not has_name(text, w)]
        if missing:
            name = " ".join(_name_surface(sheet, w) for w in missing)
            out.append(GateFinding("identity_changed", f, f"The {where} drops the product's name '{name}'"))
    return out


def _ignored_words(sheet: FactSheet) -> frozenset[str]:
    texts = [sheet.vendor, *sheet.name, *sheet.skus, *(v for o in sheet.options for v in o.values)]
    return frozenset(fold(w) for t in texts for w in words(t))


def check_language(draft: Mapping[str, str], sheet: FactSheet, locale: str) -> list[GateFinding]:
    out = []
    ignore = _ignored_words(sheet)
    for f in ("title", "seo_title", "seo_description", "body_html"):
        text = draft.get(f)
        if not text:
            continue
        found = wrong_language(text, locale, short=f in TITLES, ignore=ignore)
        if found:
            out.append(GateFinding("wrong_language", f, f"The {FIELD_NAMES[f]} is written in {language_name(found)}, "
                                   f"not {language_name(locale)}: '{_snippet(text)}'"))
    return out


def _snippet(text: str, n: int = 60) -> str:
    plain = " ".join(strip_html(text).split())
    return plain if len(plain) <= n else plain[:n].rsplit(" ", 1)[0] + "…"


def check_search_talk(draft: Mapping[str, str], sheet: FactSheet, locale: str) -> list[GateFinding]:
    out = []
    original = fold(" ".join([strip_html(sheet.body_html), sheet.title, sheet.seo_title, sheet.seo_description]))
    for f in ("title", "seo_title", "seo_description", "body_html"):
        text = draft.get(f)
        if not text:
            continue
        plain = " ".join(strip_html(text).split())
        where = FIELD_NAMES[f]
        for regexes, kind in ((SEARCH_RE, "talks about searching"), (FILLER_RE, "uses a stock phrase")):
            for loc in dict.fromkeys((locale, "en")):
                hit = regexes[loc].search(plain) if loc in regexes else None
                if hit:
                    out.append(GateFinding("search_talk", f, f"The {where} {kind}: '{_around(plain, hit)}'"))
                    break
            else:
                continue
            break
        else:
            if sheet.family and sheet.family not in HOME_FAMILIES:
                low = plain.lower()
                for phrase in HOME_PHRASES.get(locale, ()) + HOME_PHRASES["en"]:
                    if phrase in low and fold(phrase) not in original:
                        out.append(GateFinding("search_talk", f, f"The {where} talks about the home ('{phrase}') "
                                               f"for a product that is not home goods"))
                        break
    return out


def _around(text: str, hit: re.Match[str], width: int = 30) -> str:
    start = max(0, hit.start() - 5)
    return text[start:hit.end() + width].strip()
