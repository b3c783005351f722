"""How wide a search result draws a title or description, in CSS pixels.

Google sets result titles in Arial at 20 px and snippets in Arial at 14 px. Liberation Sans is metric-compatible
with Arial, and Arial's advance widths equal Helvetica's, so the widths below are the advance widths of Adobe's
Core 14 "Helvetica.afm" (units of 1/1000 em; the same table Liberation Sans and Arial reproduce at 2048 units per
em, e.g. 'a' = 1139/2048 = 0.556 em). Accented letters take their base letter's width, as they do in those fonts.
A built-in table keeps the pipeline free of a font file and a font library; a character the table lacks is
measured as a wide letter (or a full em for CJK), so an unknown glyph never makes text look shorter than it is.
"""

from __future__ import annotations

import functools
import unicodedata

TITLE_FONT_PX = 20
DESCRIPTION_FONT_PX = 14

_ASCII_WIDTHS = {
    " ": 278, "!": 278, '"': 355, "#": 556, "$": 556, "%": 889, "&": 667, "'": 191, "(": 333, ")": 333,
    "*": 389, "+": 584, ",": 278, "-": 333, ".": 278, "/": 278, ":": 278, ";": 278, "<": 584, "=": 584,
    ">": 584, "?": 556, "@": 1015, "[": 278, "\\": 278, "]": 278, "^": 469, "_": 556, "`": 333, "{": 334,
    "|": 260, "}": 334, "~": 584,
    "A": 667, "B": 667, "C": 722, "D": 722, "E": 667, "F": 611, "G": 778, "H": 722, "I": 278, "J": 500,
    "K": 667, "L": 556, "M": 833, "N": 722, "O": 778, "P": 667, "Q": 778, "R": 722, "S": 667, "T": 611,
    "U": 722, "V": 667, "W": 944, "X": 667, "Y": 667, "Z": 611,
    "a": 556, "b": 556, "c": 500, "d": 556, "e": 556, "f": 278, "g": 556, "h": 556, "i": 222, "j": 222,
    "k": 500, "l": 222, "m": 833, "n": 556, "o": 556, "p": 556, "q": 556, "r": 333, "s": 500, "t": 278,
    "u": 556, "v": 500, "w": 722, "x": 500, "y": 500, "z": 500,
}
_ASCII_WIDTHS.update({str(d): 556 for d in range(10)})

# Punctuation and letters outside ASCII that catalogue copy uses (Helvetica AFM names in comments' stead).
_EXTRA_WIDTHS = {
    "\u00a0": 278, "\u2013": 556, "\u2014": 1000, "\u2018": 222, "\u2019": 222, "\u201a": 222, "\u201c": 333,
    "\u201d": 333, "\u201e": 333, "\u2022": 350, "\u2026": 1000, "\u20ac": 556, "\u00a3": 556, "\u00a5": 556,
    "\u00a2": 556, "\u00d7": 584, "\u00b0": 400, "\u00ae": 737, "\u00a9": 737, "\u2122": 1000, "\u00ab": 556,
    "\u00bb": 556, "\u2039": 333, "\u203a": 333, "\u00b7": 278, "\u00a1": 333, "\u00bf": 611, "\u00a7": 556,
    "\u00b6": 537, "\u00b1": 584, "\u00bd": 834, "\u00bc": 834, "\u00be": 834, "\u00b2": 333, "\u00b3": 333,
    "\u00b9": 333, "\u00df": 611, "\u00e6": 889, "\u00c6": 1000, "\u0153": 944, "\u0152": 1000, "\u00f8": 611,
    "\u00d8": 778, "\u0131": 278, "\u00f7": 584, "\u2032": 191, "\u2033": 355,
}

_UNKNOWN_LETTER = 556
_WIDE = 1000


@functools.lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    """Advance width of one character in 1/1000 em."""
    width = _ASCII_WIDTHS.get(ch) or _EXTRA_WIDTHS.get(ch)
    if width:
        return width
    base = unicodedata.normalize("NFD", ch)[:1]
    if base != ch and base in _ASCII_WIDTHS:
        return _ASCII_WIDTHS[base]
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return _WIDE
    if unicodedata.combining(ch):
        return 0
    return _UNKNOWN_LETTER


def text_width_px(text: str, font_px: int) -> float:
    """Width of `text` set in Arial-metric type at `font_px` pixels."""
    return sum(map(char_width, text)) * font_px / 1000


def title_width_px(text: str) -> float:
    return text_width_px(text, TITLE_FONT_PX)


def description_width_px(text: str) -> float:
    return text_width_px(text, DESCRIPTION_FONT_PX)
