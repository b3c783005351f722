"""Pure text helpers shared by the stages: HTML to text, normalisation, words, shingles, stable hashes.

Nothing here touches disk, network or settings, so every function is safe to call from any stage and cheap to
test. Text is compared after `normalise()` (Unicode NFKC, case-folded, whitespace collapsed), which is what
"the same text" means across the pipeline: `<p>Soft  WOOL</p>` and `soft wool` are the same description.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

# Inline tags sit inside words ("<b>Wo</b>rd") and vanish; every other tag ends a word ("<li>a</li><li>b</li>").
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|dfn|em|font|i|kbd|mark|q|s|samp|small|span|strong|"
                         r"sub|sup|time|u|var|wbr)(?:\s[^<>]*)?/?>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[A-Za-z][^<>]*(?:>|$)|<!--.*?(?:-->|$)|<![^<>]*>", re.DOTALL)
_HIDDEN = re.compile(r"<(script|style|template|noscript)\b.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
# A word is a run of letters/digits (any script), with inner apostrophes or hyphens kept: "don't", "t-shirt".
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
# Scripts written without spaces between words: each character counts as one word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def strip_html(markup: str | None) -> str:
    """Visible text of an HTML fragment: tags removed, script/style content dropped, entities decoded.

    Block-level tags become spaces so words on either side of them do not run together, inline tags join
    (`<b>Wo</b>rd` is one word); whitespace, non-breaking spaces included, is collapsed and the result
    stripped. A `<` that starts no tag ("size < 5") is kept as text. For sanitising HTML, use nh3 instead.
    """
    if not markup:
        return ""
    if "<" in markup:
        lowered = markup.lower()
        if "<script" in lowered or "<style" in lowered or "<template" in lowered or "<noscript" in lowered:
            markup = _HIDDEN.sub(" ", markup)
        markup = _ANY_TAG.sub(" ", _INLINE_TAG.sub("", markup))
    if "&" in markup:
        markup = html.unescape(markup)
    return " ".join(markup.split())


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without accents, for matching words: "Leinen-Bettwäsche" -> "leinen-bettwasche".

    "ß" becomes "ss" (as German writes it without the letter) and the typographic apostrophe "’" becomes "'",
    so "d’Ostara" and "d'Ostara" are one word. Only for comparing: never show folded text to a shopper.
    """
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    lowered = lowered.replace("\u00df", "ss").replace("\u2019", "'")
    return _COMBINING.sub("", unicodedata.normalize("NFKD", lowered))


_HANDLE_JUNK = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=65536)
def handleize(name: str) -> str:
    """The URL handle Shopify makes of a title: "Chêne & Lin Plaid" -> "chene-lin-plaid".

    Accents are dropped ("ß" as "ss"), every run of anything but ASCII letters and digits becomes one "-".
    Cached: links and collections handleize the same few names for every product.
    """
    plain = unicodedata.normalize("NFKD", str(name).lower().replace("\u00df", "ss"))
    return _HANDLE_JUNK.sub("-", plain.encode("ascii", "ignore").decode()).strip("-")


def normalise(text: str | None) -> str:
    """Canonical form for comparing copy: NFKC, case-folded, whitespace collapsed (no HTML handling)."""
    if not text:
        return ""
    if text.isascii():
        return " ".join(text.lower().split())
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def normalise_html(markup: str | None) -> str:
    """`normalise(strip_html(markup))`: the text a shopper reads, in canonical form."""
    return normalise(strip_html(markup))


# Punctuation and symbols that separate words, for the fast path of `words()`; "'" and "-" join words.
_ODD_JOINS = ("--", "''", "'-", "-'")
_EDGE_MARK = re.compile(r"(?:^|\s)['-]|['-](?:\s|$)")
_SEPARATORS = str.maketrans({c: " " for c in "!\"#$%&()*+,./:;<=>?@[\\]^_`{|}~–—×·•…“”„‘«»©®™°±§¶"})


def words(text: str | None) -> list[str]:
    """Words of `text` in order, any script; in Chinese/Japanese/Korean runs each character is a word.

    A word is a run of letters or digits; an apostrophe or hyphen inside one keeps it whole ("don't",
    "t-shirt"). Text that is ASCII once common punctuation is removed takes a fast path (no regex).
    """
    if not text:
        return []
    separated = text.translate(_SEPARATORS)
    if separated.isascii() and not any(pair in separated for pair in _ODD_JOINS):
        if not _EDGE_MARK.search(separated):  # no "'" or "-" at the edge of a word: nothing to trim
            return separated.split()
        return [w for w in (piece.strip("'-") for piece in separated.split()) if w]
    found = _WORD.findall(text)
    if not _UNSPACED.search(text):
        return found
    out: list[str] = []
    for word in found:
        if _UNSPACED.search(word):
            out.extend(piece for piece in re.split(f"({_UNSPACED.pattern})", word) if piece)
        else:
            out.append(word)
    return out


def query_singular(word: str) -> str:
    """A folded English word's rough singular, for telling two queries or titles apart ("mats" -> "mat",
    "candies" -> "candy", "dishes" -> "dish"): the collections audit and the keywords stage compare by it."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def word_count(text: str | None) -> int:
    """Number of `words()` in `text` (plain text; call `strip_html` first for HTML)."""
    return len(words(text))


def word_shingles(tokens: Sequence[str], size: int) -> set[str]:
    """Contiguous runs of `size` tokens, joined by spaces; a text shorter than `size` is one shingle."""
    if size < 1:
        raise ValueError("shingle size must be at least 1")
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def char_shingles(text: str, size: int) -> set[str]:
    """Overlapping `size`-character substrings; a text shorter than `size` is one shingle."""
    if size < 1:
        raise ValueError("shingle size must be at least 1")
    if len(text) <= size:
        return {text} if text else set()
    return {text[i:i + size] for i in range(len(text) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    """|a ∩ b| / |a ∪ b|; two empty sets are identical (1.0)."""
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def stable_hash(text: str, length: int = 16) -> str:
    """Hex digest (blake2b) of `text`, `length` characters long: the same on every machine and run."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=max(1, (length + 1) // 2)).hexdigest()[:length]


def hash64(items: Iterable[str]) -> list[int]:
    """Unsigned 64-bit integers for strings (blake2b), for MinHash and other sketches."""
    return [int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little") for s in items]


def is_all_caps(text: str, min_letters: int = 4) -> bool:
    """True when `text` has at least `min_letters` cased letters and none of them is lower case."""
    if text.upper() != text or text.lower() == text:  # a lower-case letter, or no cased letter at all
        return False
    return sum(1 for c in text if c.isalpha() and c.isupper()) >= min_letters


def as_list(value: Any) -> list[Any]:
    """A catalogue cell as a list: None and "" are empty, a lone string is one item, anything else is listed."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    try:
        return list(value)
    except TypeError:
        return []
