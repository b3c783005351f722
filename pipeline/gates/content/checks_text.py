"""Gates on wording: repeated_word, identity_changed, wrong_language, search_talk."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .facts import FactSheet
from .findings import FIELD_NAMES, GateFinding
from .identity import (
    attested,
    cognate,
    foreign_nouns,
    has_name,
    has_word,
    noun_present,
    repeated_word,
    strip_suffix,
    title_head,
)
from .language import language_name, wrong_language
from .lexicon import CARE, COLOURS, MATERIALS, NOUNS, PARTS
from .text import ALL_STOPWORDS, fold, strip_html, words
from .vocab_products import HOME_FAMILIES, HOME_PHRASES, NON_NOUN_TYPES
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
    for f in TITLES:
        text = draft.get(f)
        if not text:
            continue
        where = FIELD_NAMES[f]
        lost = _noun_lost(text, draft, sheet, locale)
        placeholder = _placeholder_type(text, sheet)
        if placeholder:
            out.append(GateFinding("identity_changed", f, f"The {where} uses the store's product type "
                                   f"'{placeholder}' as if it said what the product is"))
        elif lost is not None:
            if lost:
                out.append(GateFinding("identity_changed", f, f"The {where} calls the product a '{lost}' "
                                       f"but it is a '{sheet.head_word}'"))
            else:
                out.append(GateFinding("identity_changed", f, f"The {where} no longer says what the product is "
                                       f"('{sheet.head_word}')"))
        elif keyword and sheet.head_noun:
            from_keyword = set(foreign_nouns(keyword, sheet.head_noun, locale)) | set(
                foreign_nouns(keyword, sheet.head_noun, "en"))
            own = noun_present(keyword, sheet.head_noun, sheet.head_word, locale, positional=False) or noun_present(
                keyword, sheet.head_noun, sheet.head_word, "en", positional=False)
            shown = [] if own else [n for n in foreign_nouns(text, sheet.head_noun, locale) if n in from_keyword]
            if shown:
                out.append(GateFinding("identity_changed", f, f"The {where} calls the product a '{shown[0]}' "
                                       f"(from the keyword '{keyword}') but it is a '{sheet.head_word}'"))
        missing = [w for w in sheet.name if not has_name(text, w)]
        if missing:
            name = " ".join(_name_surface(sheet, w) for w in missing)
            out.append(GateFinding("identity_changed", f, f"The {where} drops the product's name '{name}'"))
    return out


def _placeholder_type(text: str, sheet: FactSheet) -> str | None:
    """The merchant's product type when it is a placeholder (Default, Indoor, Sale) that the title now carries and
    the current title does not."""
    ptype = sheet.product_type.strip()
    if not ptype or fold(ptype) not in NON_NOUN_TYPES or has_word(sheet.title, ptype):
        return None
    return ptype if has_word(strip_suffix(text), ptype) else None


def _noun_lost(text: str, draft: Mapping[str, str], sheet: FactSheet, locale: str) -> str | None:
    """None when the title still says what the product is; else the other noun it uses, or "" for none.

    A noun the vocabulary knows decides: the product's noun or a broader one keeps the identity, another one
    changes it. In the copy's own language a title without the product's noun has lost it. In another language
    the vocabulary may simply not know the translation, so the title's head word (by position) must be attested:
    used by the draft's own description or SEO description, or a cognate of the product data (Sneaker, Hoodie).
    A word nothing supports is a new identity."""
    if sheet.head_noun is None and not sheet.head_word:
        return None
    if sheet.head_noun is not None:
        if noun_present(text, sheet.head_noun, sheet.head_word, locale):
            return None
        others = foreign_nouns(text, sheet.head_noun, locale)
        if others:
            return others[0]
        if locale == sheet.primary_locale:
            return ""
    elif locale == sheet.primary_locale:
        return None if noun_present(text, None, sheet.head_word, locale) else ""
    head = title_head(text, locale, sheet.name + tuple(words(sheet.vendor)))
    if head is None:
        return ""
    own = [strip_html(draft.get("body_html") or ""), draft.get("seo_description") or ""]
    data = [sheet.title, sheet.product_type, strip_html(sheet.body_html)]
    if attested(head, own, locale) or cognate(head, data):
        return None
    return head


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
        if (not found and f in TITLES and locale != sheet.primary_locale
                and _untranslated(text, draft, sheet, locale, ignore)):
            found = sheet.primary_locale
        if found:
            out.append(GateFinding("wrong_language", f, f"The {FIELD_NAMES[f]} is written in {language_name(found)}, "
                                   f"not {language_name(locale)}: '{_snippet(text)}'"))
    return out


def _untranslated(text: str, draft: Mapping[str, str], sheet: FactSheet, locale: str, ignore: frozenset[str]
                  ) -> bool:
    """A title left in the copy's language: two or more of its words, and at least half of them, are the current
    title's own words (spelled alike, accents included: Câble is French), words the draft's language does not
    have in the vocabularies, and the draft's description and SEO description use none of them. Loanwords the
    translation keeps (Sneaker, Hoodie) appear in its description too; codes (USB-C, SPF) are no language."""
    own = set(words(" ".join([strip_html(draft.get("body_html") or ""), draft.get("seo_description") or ""])))
    source = set(words(sheet.title))
    main = strip_suffix(text)
    codes = {w.lower() for w in re.findall(r"\S+", main) if sum(c.isupper() for c in w) >= 2}  # USB-C, GaN, SPF
    toks = tuple(words(main))
    known = {i for lex in (NOUNS, MATERIALS, COLOURS, PARTS, CARE)
             for m in lex.find_words(toks, locale, loanwords=False, parts=False) for i in range(m.start, m.end)}
    content = [w for i, w in enumerate(toks) if fold(w) not in ignore and len(w) > 2 and w not in codes
               and not any(c.isdigit() for c in w) and w not in ALL_STOPWORDS and i not in known]
    copied = [w for w in content if w in source and w not in own]
    return len(copied) >= 2 and len(copied) * 2 >= len(content)


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
