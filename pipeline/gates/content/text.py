"""Text helpers shared by the content gates: HTML to text, words, folding, stemming, stopwords."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
import snowballstemmer

from pipeline.core.text import fold

LOCALES = ("en", "fr", "de", "es")
_STEMMER_NAMES = {"en": "english", "fr": "french", "de": "german", "es": "spanish"}

STOPWORDS = {
    "en": frozenset("""a an the and or but of for to in on at by with from into over under as is are was were be been
        it its this that these those your you our we they their his her my me us i so if than then too very can
        will would should could may might must do does did done has have had not no nor only just also more most
        less all any each every some such both either neither own same other which who whom whose what when where
        why how there here out up down off about against between through during before after above below again
        further once per via yet while because until""".split()),
    "fr": frozenset("""le la les l un une des du de d et ou mais donc or ni car à au aux en dans sur sous par pour
        avec sans chez vers entre ce cet cette ces son sa ses leur leurs votre vos notre nos mon ma mes ton ta tes
        il elle ils elles on nous vous je tu qui que quoi dont où est sont être été a ont avoir fait plus moins très
        aussi ne pas se s qu c n y tout tous toute toutes même comme si bien lui""".split()),
    "de": frozenset("""der die das den dem des ein eine einen einem einer eines und oder aber denn sondern zu zum
        zur in im ins an am auf aus bei mit nach von vom für über unter vor hinter neben zwischen durch gegen ohne
        um ist sind war waren sein hat haben wird werden kann können es er sie wir ihr ich du man sich dieser diese
        dieses jeder jede jedes ihr ihre ihren ihrem unser unsere nicht kein keine auch nur noch schon sehr mehr
        so wie als wenn dass ob bis da hier dort alle allem allen""".split()),
    "es": frozenset("""el la los las lo un una unos unas y e o u pero ni que de del a al en con sin por para
        sobre bajo entre hacia hasta desde su sus tu tus mi mis nuestro nuestra nuestros nuestras este esta estos
        estas ese esa esos esas es son está están ser fue ha han hay se le les me te nos os muy más menos también
        no sí como cuando donde quien cual todo toda todos todas cada mismo""".split()),
}
ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())

_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
_BLOCK = r"p|div|li|ul|ol|h[1-6]|tr|td|th|table|section|article|blockquote"
_BLOCK_TAGS = re.compile(rf"<\s*(?:/?(?:{_BLOCK})|br\s*/?)\b[^>]*>", re.I)
# a sentence ends at . ! ? … before a space, unless a lower-case word follows (an abbreviation: "an. x prof.")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?![a-zà-ÿ])|\n+")


def strip_html(body_html: str) -> str:
    """Visible text of an HTML fragment; block elements become line breaks."""
    text = _BLOCK_TAGS.sub("\n", body_html or "")
    text = nh3.clean(text, tags=set())
    return html.unescape(text).replace("\xa0", " ")


def bullets(body_html: str) -> list[str]:
    """The text of each list item of an HTML fragment."""
    items = re.findall(r"<li\b[^>]*>(.*?)</li\s*>", body_html or "", re.I | re.S)
    return [t for t in (" ".join(strip_html(item).split()) for item in items) if t]


def sentences(text: str) -> list[str]:
    """Sentences (and list items or lines) of plain text."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and len(s.strip()) > 1]


def words(text: str) -> list[str]:
    """Lower-case words, keeping inner hyphens and apostrophes (t-shirt, usb-c, d'oreille)."""
    out = []
    for w in _WORD.findall(text.lower().replace("’", "'")):
        w = w.strip(".")
        if "'" in w and len(w.split("'")[0]) <= 2:  # l'acier, d'oreille -> acier, oreille
            w = w.split("'", 1)[1]
        if w:
            out.append(w)
    return out


@lru_cache(maxsize=8)
def _stemmer(locale: str):
    return snowballstemmer.stemmer(_STEMMER_NAMES.get(locale, "english"))


@lru_cache(maxsize=200_000)
def stem(word: str, locale: str) -> str:
    """Folded Snowball stem of a lower-case word."""
    if any(c.isdigit() for c in word):
        return fold(word)
    return fold(_stemmer(locale).stemWord(word))


def stems(text: str, locale: str) -> list[str]:
    return [stem(w, locale) for w in words(text)]


def content_words(text: str, locale: str) -> list[str]:
    """Words that carry meaning: not stopwords, not one letter, not bare numbers."""
    stop = STOPWORDS.get(locale, STOPWORDS["en"])
    return [w for w in words(text) if w not in stop and len(w) > 1 and not w.isdigit()]


_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})(?:[ \u00a0\u202f.,’'](\d{3}))+(?![\d]|[.,]\d)")


def join_thousands(text: str) -> str:
    """10,000 / 10.000 / 10 000 -> 10000 (a group of exactly three digits after a separator)."""
    return _THOUSANDS.sub(lambda m: re.sub(r"[^\d]", "", m.group(0)), text)


def numbers(text: str) -> set[str]:
    """Numbers in text, normalised: thousands joined, decimal comma to point, no trailing zeros."""
    out = set()
    for raw in re.findall(r"\d+(?:[.,]\d+)?", join_thousands(text)):
        out.add(norm_number(raw))
    return out


def norm_number(raw: str) -> str:
    value = float(raw.replace(",", "."))
    return f"{value:f}".rstrip("0").rstrip(".")
