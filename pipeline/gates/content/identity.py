"""What the product is (head noun) and what it is called (distinctive name), and the gates that keep both:
`repeated_word` and `identity_changed` on the title and the SEO title."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .lexicon import CARE, COLOURS, MATERIALS, NOUNS, PARTS
from .text import ALL_STOPWORDS, STOPWORDS, fold, stem, words
from .vocab_facts import SIZE_CODES
from .vocab_products import GENERIC_NOUNS, NON_NOUN_TYPES

_SUFFIX = re.compile(r"\s+(?:\||–|—|-|·|:)\s+(?!.*\s(?:\||–|—|-|·)\s)(.+)$")
_BEFORE_PREP = re.compile(r"\s(?:with|for|in|by|from|featuring|mit|für|aus|von|avec|pour|en|de|du|con|para|de)\s", re.I)
# Words common in titles that describe rather than name a product: never part of its distinctive name.
DESCRIPTORS = frozenset("""classic essential essentials premium soft modern vintage retro large small mini medium big
tall short long wide narrow round square rectangular oval oversized slim regular relaxed fitted loose straight
wireless portable rechargeable organic recycled handmade handcrafted hand-woven woven knitted knit ribbed quilted
striped checked check plaid plain basic deluxe luxury everyday heavy heavyweight lightweight light crew neck
v-neck sleeve sleeved sleeveless set pack piece pair extra fast magnetic adjustable foldable folding stackable
reversible waterproof water-resistant insulated thermal warm cool cozy cosy chunky fine thin thick double single
queen king twin full standard super ultra pro plus max new original signature mens men's womens women's unisex
kids baby adult travel outdoor indoor home kitchen bath bathroom bedroom living dining garden office wall floor
table desk bedside ceiling pendant hanging solid pure natural genuine real faux vegan eco washed stonewashed
brushed polished matte matt glossy textured hammered carved glazed painted printed embroidered pleated
dimmable smart compact mini led usb usb-c type-c charging hooded zip zip-up button-down crewneck cropped
high low mid rise waist fit cut wash dry scented unscented hand made large-format two three four piece-set
freshwater saltwater striped rustic industrial scandinavian nordic minimalist boho bohemian coastal
farmhouse mid-century""".split())


SCENTS = frozenset("""mint peppermint lavender vanilla rose citrus lemon lime orange fig cedar sandalwood jasmine
amber musk coconut almond honey oat cocoa coffee cinnamon ginger eucalyptus tea bergamot neroli""".split())


def strip_suffix(title: str) -> str:
    """A title without a trailing " | Brand" or " – Brand" part (once)."""
    return _SUFFIX.sub("", title).strip()


def head_noun(title: str, product_type: str, locale: str = "en") -> tuple[str | None, str]:
    """(noun concept or None, surface word) of what the product is."""
    main = strip_suffix(title)
    segment = _BEFORE_PREP.split(" " + main + " ", maxsplit=1)[0]
    for text in (segment, main):
        found = [m for m in NOUNS.find(text, locale) if m.concept not in GENERIC_NOUNS]
        if found:
            m = found[0] if locale in ("fr", "es") else found[-1]
            return m.concept, " ".join(words(text)[m.start:m.end])
    ptype = (product_type or "").strip()
    if ptype and fold(ptype) not in NON_NOUN_TYPES and not set(words(ptype)) <= NON_NOUN_TYPES:
        found = NOUNS.find(ptype, locale)
        if found:
            return found[-1].concept, " ".join(words(ptype)[found[-1].start:found[-1].end])
    if ptype and fold(ptype) not in NON_NOUN_TYPES and len(ptype.split()) <= 2 and ptype.replace(" ", "").isalpha():
        return None, ptype.lower()
    return None, ""


def distinctive_name(title: str, vendor: str, others: Iterable[str], locale: str = "en") -> tuple[str, ...]:
    """Model, line or brand words of a title (kept in every rewrite): words no vocabulary explains."""
    main = strip_suffix(title)
    toks = words(main)
    covered: set[int] = set()
    for lex in (NOUNS, MATERIALS, COLOURS, PARTS, CARE):
        for m in lex.find_words(tuple(toks), locale):
            covered.update(range(m.start, m.end))
    known = {fold(w) for text in others for w in words(text)}
    vendor_words = {fold(w) for w in words(vendor)} if vendor.strip() and has_word(main, vendor) else set()
    name = []
    leading = True  # a line or model name leads the title: the first word no vocabulary explains
    for i, w in enumerate(toks):
        f = fold(w)
        if f in vendor_words and f not in STOPWORDS["en"] and len(f) > 2:
            name.append(w)
            continue
        if _model_code(w):
            name.append(w)
            continue
        descriptive = (i in covered or w in ALL_STOPWORDS or f in DESCRIPTORS or f in SCENTS or w in SIZE_CODES
                       or len(w) < 3 or f in known or "-" in w or any(c.isdigit() for c in w)
                       or (f.endswith("ed") and len(f) > 4))
        if leading and not descriptive:
            name.append(w)
        leading = False
    return tuple(dict.fromkeys(name))


def _model_code(word: str) -> bool:
    """X200, WH-1000XM5: letters and digits together, not a measurement (65w, 2.5l) or a count (24-cell)."""
    if not (re.search(r"\d", word) and re.search(r"[a-z]", word)):
        return False
    if re.fullmatch(r"[\d.,]+[a-zµ°]{1,4}", word) or re.search(r"-[a-z]{3,}$", word):
        return False
    return True


def has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(fold(word))}", fold(text)) is not None


def has_name(text: str, word: str) -> bool:
    """The name word, or its local spelling (Madagaskar, Lisboa): the same first letters."""
    if has_word(text, word):
        return True
    w = fold(word)
    if len(w) < 6 or not w.isalpha():
        return False
    n = max(4, len(w) - 3)
    return any(fold(t)[:n] == w[:n] for t in words(text))


def noun_present(text: str, concept: str | None, surface: str, locale: str) -> bool:
    if concept is None:
        return not surface or has_word(text, surface) or has_word(text, surface.rstrip("s"))
    return any(NOUNS.ancestors(m.concept) and _compatible(m.concept, concept) for m in NOUNS.find(text, locale))


def _compatible(a: str, b: str) -> bool:
    """One noun is the other or a broader one (a floor lamp is a lamp; a sandal is not an espadrille)."""
    return a in NOUNS.ancestors(b) or b in NOUNS.ancestors(a)


def foreign_nouns(text: str, concept: str | None, locale: str) -> list[str]:
    """Product nouns in text that name another kind of product."""
    if concept is None:
        return []
    return [m.concept for m in NOUNS.find(text, locale)
            if m.concept not in GENERIC_NOUNS and not _compatible(m.concept, concept)]


def repeated_word(text: str, locale: str, vendor: str = "", names: frozenset[str] = frozenset()) -> str | None:
    """The first content word a title repeats (folded, stemmed), or None. A trailing " | Brand" is left out
    once (when it names the vendor, or when no vendor is known)."""
    main = strip_suffix(text)
    suffix = text[len(main):]
    vendor_words = {fold(w) for w in words(vendor)} - ALL_STOPWORDS
    if vendor_words and not vendor_words & {fold(w) for w in words(suffix)}:
        main = text
    if vendor.strip():
        main = re.sub(re.escape(vendor.strip()), " ", main, count=1, flags=re.I)
    stop = STOPWORDS.get(locale, STOPWORDS["en"]) | STOPWORDS["en"]
    seen: dict[str, str] = {}
    pieces: list[str] = []
    for w in re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", main):
        w = w if w.lower() in names or w[0].isupper() and fold(w) in names else w.lower()
        pieces.extend(p for p in w.split("-") if p) if "-" in w and not re.search(r"\d", w) else pieces.append(w)
    for w in pieces:
        if w.lower() in stop or len(w) < 3 or any(c.isdigit() for c in w):
            continue
        s = stem(w.lower(), locale)
        if s in seen:
            if names and fold(w) in names and (w == w.lower() or seen[s] == seen[s].lower()):
                continue  # "Luna ... media luna": the name and a common word
            return w
        seen[s] = w
    if locale == "de":
        keys = [s for s in seen if len(s) >= 4]
        for a in keys:
            for b in keys:
                if a != b and (b.startswith(a) or b.endswith(a)) and len(b) > len(a) + 2:
                    return seen[a]
    return None
