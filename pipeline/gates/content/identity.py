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
    """(noun concept or None, surface word) of what the product is: the vocabulary's noun in the title, else the
    title's head word by its position (see `title_head`), else the merchant's product type when it is a noun."""
    main = strip_suffix(title)
    segment = _BEFORE_PREP.split(" " + main + " ", maxsplit=1)[0]
    # a noun of another family than the one the product type names is a homonym ("Rings" of type Toys are
    # not jewellery): the vocabulary does not know this product's noun
    type_families = {NOUNS.family.get(NOUNS.ancestors(m.concept)[-1]) for m in NOUNS.find(product_type or "", locale)}
    for text in (segment, main):
        found = [m for m in NOUNS.find(text, locale) if m.concept not in GENERIC_NOUNS]
        if found:
            m = found[0] if locale in ("fr", "es") else found[-1]
            family = NOUNS.family.get(NOUNS.ancestors(m.concept)[-1])
            if type_families and family not in type_families:
                break
            return m.concept, " ".join(words(text)[m.start:m.end])
    word = title_head(title, locale)
    if word:
        return None, word
    ptype = (product_type or "").strip()
    if ptype and fold(ptype) not in NON_NOUN_TYPES and not set(words(ptype)) <= NON_NOUN_TYPES:
        found = NOUNS.find(ptype, locale)
        if found:
            return found[-1].concept, " ".join(words(ptype)[found[-1].start:found[-1].end])
    if ptype and fold(ptype) not in NON_NOUN_TYPES and len(ptype.split()) <= 2 and ptype.replace(" ", "").isalpha():
        return None, ptype.lower()
    return None, ""


# words for how a product is sold, never what it is ("Kit de ...", "Set de ...", "Lot de 3")
_CONTAINERS = frozenset("set sets kit kits pack packs lot lots coffret bundle bundles juego paquete pareja paar"
                        .split())
_TITLE_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")


def title_head(title: str, locale: str, names: Iterable[str] = ()) -> str | None:
    """The word of a title that says what the product is, found by position when no vocabulary knows it: English
    and German put the head noun last (before a preposition: "Balloon Whisk", "Schneebesen mit Holzgriff"), French
    and Spanish first ("Fouet Arlo", "Batidor de varillas"). Names, codes (SPF, 7-in-1, 9 L), numbers,
    stopwords, descriptors and words the vocabularies explain as materials or colours are never the head."""
    main = strip_suffix(title)
    segment = main if locale in ("fr", "es") else _BEFORE_PREP.split(" " + main + " ", maxsplit=1)[0]
    skip = {fold(n) for n in names}
    toks = [re.sub(r"^[^\W\d_]{1,2}['’]", "", t) for t in _TITLE_WORD.findall(segment)]  # d'éclairage: éclairage
    lows = tuple(t.lower() for t in toks)
    covered = {i for lex in (MATERIALS, COLOURS) for m in lex.find_words(lows, locale) for i in range(m.start, m.end)}
    cands = [t.lower() for i, t in enumerate(toks)
             if i not in covered and len(t) >= 3 and not any(c.isdigit() for c in t) and not t.isupper()
             and fold(t) not in skip and t.lower() not in ALL_STOPWORDS and fold(t) not in DESCRIPTORS
             and fold(t) not in SIZE_CODES and fold(t) not in _CONTAINERS]
    if not cands:
        return None
    word = cands[0] if locale in ("fr", "es") else cands[-1]
    parts = [p for p in word.split("-") if len(p) >= 3 and not any(c.isdigit() for c in p)]
    return (parts[0] if locale in ("fr", "es") else parts[-1]) if parts else word


def attested(word: str, texts: Iterable[str], locale: str) -> bool:
    """The word (or, in German, a compound sharing its last word: Lederhausschuhe, Hausschuhe) occurs in the texts."""
    target = stem(word, locale)
    for w in {w for t in texts for w in words(t)}:
        for piece in {w, *w.split("-")}:
            s = stem(piece, locale)
            if s == target:
                return True
            if locale == "de" and min(len(s), len(target)) >= 4 and (target.endswith(s) or s.endswith(target)):
                return True
    return False


def cognate(word: str, texts: Iterable[str]) -> bool:
    """The word shares its first five letters with a word of the texts (Sneaker, Hoodie, Espresso: loanwords and
    cognates of the product data)."""
    key = fold(word)[:5]
    return len(key) >= 4 and any(fold(w).startswith(key) for t in texts for w in words(t))


def distinctive_name(title: str, vendor: str, others: Iterable[str], locale: str = "en") -> tuple[str, ...]:
    """Model, line or brand words of a title (kept in every rewrite): words no vocabulary explains. Shopify's
    "Copy of " on a duplicated product is no name."""
    main = re.sub(r"^(?:copy of\s+)+", "", strip_suffix(title), flags=re.IGNORECASE)
    toks = words(main)
    covered: set[int] = set()
    for lex in (MATERIALS, COLOURS, PARTS, CARE):
        for m in lex.find_words(tuple(toks), locale):
            covered.update(range(m.start, m.end))
    # A product noun before the head noun that names another kind of product is a name ("Tote Desk Lamp"):
    # English and German put the head last.
    nouns = NOUNS.find_words(tuple(toks), locale)
    head = _positional_head(main, locale)
    for m in nouns:
        other = (head is not None and locale in ("en", "de") and m.start == 0 and m.concept != head
                 and head not in NOUNS.ancestors(m.concept) and m.concept not in NOUNS.ancestors(head))
        if not other:
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
    """X200, WH-1000XM5: letters and digits together, not a measurement (65w, 2.5l), a count (24-cell) or a
    "7-in-1" (digits joined by a stopword, which every language writes its own way)."""
    if not (re.search(r"\d", word) and re.search(r"[a-z]", word)):
        return False
    if re.fullmatch(r"[\d.,]+[a-zµ°]{1,4}", word) or re.search(r"-[a-z]{3,}$", word):
        return False
    letters = [p for p in word.split("-") if p and not any(c.isdigit() for c in p)]
    if "-" in word and letters and all(p in ALL_STOPWORDS for p in letters):
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


def _positional_head(text: str, locale: str, concept: str | None = None) -> str | None:
    """The product noun in the head position of a title: the first in French and Spanish ("Jarra de té" is a
    jug), the last before a preposition in English and German ("Tote Desk Lamp with USB" is a lamp). A noun next to
    one that names `concept` is in apposition with it ("Lámpara flexo": a desk lamp)."""
    main = strip_suffix(text)
    segment = main if locale in ("fr", "es") else _BEFORE_PREP.split(" " + main + " ", maxsplit=1)[0]
    found = [m for m in NOUNS.find(segment, locale) if m.concept not in GENERIC_NOUNS] or [
        m for m in NOUNS.find(main, locale) if m.concept not in GENERIC_NOUNS]
    if not found:
        return None
    head = found[0] if locale in ("fr", "es") else found[-1]
    if concept is not None and any(_compatible(m.concept, concept) and (m.start == head.end or m.end == head.start)
                                   for m in found):
        return concept
    return head.concept


def noun_present(text: str, concept: str | None, surface: str, locale: str, *, positional: bool = True) -> bool:
    """The text names the product: its noun or a broader one, in the head position when the text (a title) has
    another."""
    if concept is None:
        return not surface or has_word(text, surface) or has_word(text, surface.rstrip("s"))
    head = _positional_head(text, locale, concept) if positional else None
    if head is not None and not _compatible(head, concept):
        return False
    return any(NOUNS.ancestors(m.concept) and _compatible(m.concept, concept) for m in NOUNS.find(text, locale))


def _compatible(a: str, b: str) -> bool:
    """Noun `a` (in a draft) names product `b`: it is `b` or a broader noun (a floor lamp is a lamp; a sandal is not
    an espadrille; a pair of shoes is not, as such, a pair of boots)."""
    return a in NOUNS.ancestors(b)


def foreign_nouns(text: str, concept: str | None, locale: str) -> list[str]:
    """Product nouns in text that name another kind of product."""
    if concept is None:
        return []
    return [m.concept for m in NOUNS.find(text, locale)
            if m.concept not in GENERIC_NOUNS and not _compatible(m.concept, concept)]


def repeated_word(text: str, locale: str, vendor: str = "", names: frozenset[str] = frozenset()) -> str | None:
    """The first content word a title repeats (folded, stemmed), or None. A trailing " | Brand" is left out
    once (when it names the vendor, or when no vendor is known)."""
    doubled = re.search(r"(?<![\w-])([^\W\d_]{3,})\s+\1(?![\w-])", text, re.I)
    if doubled:
        return doubled.group(1)  # "Arlo Arlo": a word said twice in a row is a repeat, brand or not
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
