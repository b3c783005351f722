"""Weave accepted internal links into a product's body_html, each at a sentence that mentions its target.

Push calls `place_links` (through weave.py) on the body it sends; the review app calls it to show where each
suggested link would go, or why it cannot. Where a link goes:

1. **In the text**: the first sentence whose own words are the anchor (whole words, any case; the text keeps its
   own casing) gets those words as the link;
2. **after a sentence that mentions the target**: otherwise, the first sentence of running text (a paragraph, not
   a list item, table cell or heading) that names the target (its anchor or one of its `mentions`: the target's
   title and product type, or the collection's name; plurals match singulars) is followed by a short reference in
   the body's language: `... a soft, even glow. See also: <a href="/products/x">rattan table lamp</a>.` A sentence
   with no link yet is preferred; links that meet at one sentence share its reference, two at most;
3. **skipped**, with the reason: a link no sentence mentions is not placed at all (never appended at the end), nor
   one whose target is not linkable (see below). A target the copy links already is left as it is ("in_copy":
   the link is there, so a body pushed with its links and pulled again gets none twice).

Guarantees:
- by default the result is sanitised with nh3 (the same allow-list before and after), so it is well-formed HTML
  with no script, no event handler and no foreign URL scheme, whatever the input was. With `keep_markup=True`
  (push: the body is the store's own, or an approved draft's) the body is kept byte for byte and the links are
  only inserted into it: a merchant's embedded video, tables or styles are not stripped on the way back;
- a link is never placed inside an existing <a> (nor in a heading, code or button); one page never links the
  same target twice, counting the links its copy already had, nor uses one anchor text for two targets;
- every href points to the target's *current* handle: `handle_map` maps handles renamed in the same run
  (old -> new, chains followed), and with `known_handles` / `known_collections` a link to a target that does
  not exist (or may not be linked) is skipped instead of being placed as a 404.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, NamedTuple
from urllib.parse import quote, unquote, urlsplit

import nh3

# Text inside these elements is not linked: a link in a link is invalid, and links in headings, code or
# controls read badly and dilute the heading.
NO_LINK_ELEMENTS = frozenset({"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd", "samp", "button",
                              "label", "select", "option", "textarea", "script", "style", "template", "noscript",
                              "iframe", "object", "svg", "math", "title"})
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                           "track", "wbr"})
# Elements that end a sentence's run of text (a <br> too): text on either side is never one sentence.
BLOCK_ELEMENTS = frozenset({"address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
                            "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
                            "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
                            "th", "thead", "tr", "ul", "script", "style", "template", "noscript", "iframe",
                            "object", "svg", "math", "title"})
# Running text, where a sentence may be followed by a "See also" reference (a list item or cell may not).
PROSE_ELEMENTS = frozenset({"p", "div", "blockquote", "section", "article", "main", "aside", "header", "footer"})
# Inline elements that only style text (pasted copy is full of them): a reference may go inside one.
STYLE_ONLY = frozenset({"span", "font"})
HREF_PREFIX = {"product": "/products/", "collection": "/collections/"}
IN_TEXT, AFTER_SENTENCE, IN_COPY, SKIPPED = "in_text", "after_sentence", "in_copy", "skipped"
REFERENCE_MAX = 2  # links in one reference after a sentence: more reads as a list, not a sentence
# The reference's words in the body's language (by language code; others read English).
SEE_ALSO = {"en": "See also:", "fr": "Voir aussi :", "de": "Siehe auch:", "es": "Ver también:", "it": "Vedi anche:",
            "nl": "Zie ook:", "pt": "Veja também:", "sv": "Se även:", "da": "Se også:", "nb": "Se også:",
            "no": "Se også:", "fi": "Katso myös:", "pl": "Zobacz też:"}
# Handles are URL path segments: anything that could end the segment or the attribute is refused outright.
_BAD_HANDLE = re.compile(r"[\s/?#\"'<>\\]")
_EXISTING_HREF = re.compile(r"^/(products|collections)/([^/?#]+)")
# A sentence ends at . ! ? or … (closing quotes and brackets kept with it) followed by a space or the end.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s|$)")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def see_also_for(locale: str) -> str:
    """The reference's lead-in for a body in `locale` ("fr-CA" reads as "fr"); English for other languages."""
    return SEE_ALSO.get(locale, SEE_ALSO.get(locale.split("-")[0].lower(), SEE_ALSO["en"]))


@dataclass(frozen=True)
class LinkToPlace:
    anchor: str
    target_handle: str
    target_kind: str = "product"
    # Other names of the target a sentence may use: a product's title and type, a collection's name.
    mentions: tuple[str, ...] = ()

    @property
    def href(self) -> str:
        return HREF_PREFIX[self.target_kind] + quote(self.target_handle, safe="-_.~")


@dataclass(frozen=True)
class LinkOutcome:
    link: LinkToPlace  # as placed: its handle resolved, its anchor's whitespace collapsed
    how: str  # IN_TEXT, AFTER_SENTENCE, IN_COPY (the copy links it already) or SKIPPED
    sentence: str = ""  # the sentence it is in or after (visible text)
    reason: str = ""  # why it was skipped


@dataclass
class Placement:
    html: str
    outcomes: list[LinkOutcome] = field(default_factory=list)  # one per link given, in the order given

    @property
    def placed(self) -> list[LinkToPlace]:
        """The links placed by this call (not those the copy had)."""
        return [o.link for o in self.outcomes if o.how in (IN_TEXT, AFTER_SENTENCE)]

    @property
    def in_text(self) -> list[LinkToPlace]:
        return [o.link for o in self.outcomes if o.how == IN_TEXT]

    @property
    def after_sentence(self) -> list[LinkToPlace]:
        return [o.link for o in self.outcomes if o.how == AFTER_SENTENCE]

    @property
    def skipped(self) -> list[tuple[LinkToPlace, str]]:
        return [(o.link, o.reason) for o in self.outcomes if o.how == SKIPPED]


def sanitise(body_html: str) -> str:
    """The allow-list every body goes through; link_rel=None keeps internal links free of rel noise."""
    return nh3.clean(body_html or "", link_rel=None)


def resolve_handle(handle: str, handle_map: Mapping[str, str] | None) -> str:
    """The current handle of `handle`, following renames (a -> b -> c) and stopping on a cycle."""
    if not handle_map:
        return handle
    seen = {handle}
    while handle in handle_map and handle_map[handle] not in seen:
        handle = handle_map[handle]
        seen.add(handle)
    return handle


def insert_links(body_html: str, links: Iterable[LinkToPlace | Mapping[str, Any]],
                 handle_map: Mapping[str, str] | None = None, *, known_handles: Collection[str] | None = None,
                 known_collections: Collection[str] | None = None, see_also: str = SEE_ALSO["en"],
                 keep_markup: bool = False) -> str:
    """body_html with `links` woven in; see the module docstring for where they go and the guarantees."""
    return place_links(body_html, links, handle_map, known_handles=known_handles,
                       known_collections=known_collections, see_also=see_also, keep_markup=keep_markup).html


def place_links(body_html: str, links: Iterable[LinkToPlace | Mapping[str, Any]],
                handle_map: Mapping[str, str] | None = None, *, known_handles: Collection[str] | None = None,
                known_collections: Collection[str] | None = None, see_also: str = SEE_ALSO["en"],
                keep_markup: bool = False) -> Placement:
    """Like insert_links, and also says where each link went (the sentence) or why it was skipped."""
    source = (body_html or "") if keep_markup else sanitise(body_html)
    tokens = _tokenise(source)
    text = _Text(tokens, source if keep_markup else None)
    in_copy = set(_existing_targets(tokens))  # the copy's own links: a link there already is not added again
    linked: set[tuple[str, str]] = set()  # targets of the links given so far
    anchors_used: set[str] = set()
    outcomes: list[LinkOutcome] = []
    for raw in links:
        link = _coerce(raw)
        resolved = LinkToPlace(anchor=" ".join(link.anchor.split()), target_kind=link.target_kind,
                               target_handle=resolve_handle(link.target_handle, handle_map),
                               mentions=tuple(" ".join(m.split()) for m in link.mentions if m and m.strip()))
        key = (resolved.target_kind, resolved.target_handle)
        reason = _refusal(resolved, known_handles, known_collections)
        if reason is None and key in linked:
            reason = "target already linked from this page"
        if reason is None and key in in_copy:
            outcome = LinkOutcome(resolved, IN_COPY)
        elif reason is None and resolved.anchor.casefold() in anchors_used:
            outcome = LinkOutcome(resolved, SKIPPED, reason="anchor text already used on this page for another link")
        else:
            outcome = LinkOutcome(resolved, SKIPPED, reason=reason) if reason else text.place(resolved)
        if outcome.how != SKIPPED:
            linked.add(key)
        if outcome.how in (IN_TEXT, AFTER_SENTENCE):
            anchors_used.add(resolved.anchor.casefold())
        outcomes.append(outcome)
    if keep_markup:
        return Placement(html=text.insert(see_also), outcomes=outcomes)
    return Placement(html=sanitise(text.render(see_also)), outcomes=outcomes)


def _coerce(raw: LinkToPlace | Mapping[str, Any]) -> LinkToPlace:
    if isinstance(raw, LinkToPlace):
        return raw
    mentions = raw.get("mentions")
    return LinkToPlace(anchor=str(raw.get("anchor") or ""), target_handle=str(raw.get("target_handle") or ""),
                       target_kind=str(raw.get("target_kind") or "product"),
                       mentions=tuple(str(m) for m in mentions) if mentions is not None else ())


def _refusal(link: LinkToPlace, known_handles: Collection[str] | None,
             known_collections: Collection[str] | None) -> str | None:
    if link.target_kind not in HREF_PREFIX:
        return f"unknown target kind {link.target_kind!r}"
    if not link.anchor:
        return "empty anchor"
    if not link.target_handle or _BAD_HANDLE.search(link.target_handle):
        return f"invalid handle {link.target_handle!r}"
    known = known_handles if link.target_kind == "product" else known_collections
    if known is not None and link.target_handle not in known:
        return f"no linkable {link.target_kind} with handle {link.target_handle!r}"
    return None


def _anchor_tag(link: LinkToPlace, text: str) -> str:
    return f'<a href="{html.escape(link.href)}">{html.escape(text, quote=False)}</a>'


def _anchor_pattern(anchor: str) -> re.Pattern[str]:
    """The anchor's own words, whole, in any case, across any whitespace."""
    words = [re.escape(word) for word in anchor.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _stem(word: str) -> str:
    """A plural's singular, roughly (holders -> holder, boxes -> box, glass -> glass): enough to match both."""
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _mention_pattern(phrase: str) -> re.Pattern[str] | None:
    """The phrase's words in order, whole, any case, each singular or plural, across spaces or hyphens."""
    found = _WORD.findall(phrase.casefold())
    if not found:
        return None
    return re.compile(r"(?<!\w)" + r"[\s\-]+".join(re.escape(_stem(w)) + r"(?:e?s)?" for w in found) + r"(?!\w)",
                      re.IGNORECASE)


class _Token(NamedTuple):
    kind: str  # "start", "end", "void", "data", or "other" (a comment or declaration)
    value: str  # the tag name, or the (unescaped) text
    raw: str = ""  # the tag as written
    href: str = ""
    start: int = 0  # where it begins in the source


@dataclass
class _Sentence:
    block: int
    start: int  # offsets in its block's text
    end: int
    text: str
    prose: bool  # in running text: may be followed by a reference
    ended: bool  # ends with . ! ? or …
    links: int = 0  # links in it: the copy's own, wrapped here, or in its reference
    reference: list[LinkToPlace] = field(default_factory=list)


class _Text:
    """The body's text as blocks of sentences over its data tokens, and the edits placing links make to them."""

    def __init__(self, tokens: list[_Token], source: str | None = None):
        self.tokens = tokens
        self.source = source  # kept markup: edits are insertions into it, at source offsets
        self._maps: dict[int, list[tuple[int, int, int, int]] | None] = {}
        self.blocks: list[str] = []  # each block's visible text
        # per block: its data tokens as (token index, offset in the block's text, linkable, at the block's top level)
        self.block_tokens: list[list[tuple[int, int, bool, bool]]] = []
        self.sentences: list[_Sentence] = []
        self.wraps: dict[int, list[tuple[int, int, LinkToPlace]]] = {}  # token -> (start, end, link) in its text
        self.references: dict[int, list[tuple[int, _Sentence]]] = {}  # token -> (offset, the sentence it follows)
        self._segment()

    def _segment(self) -> None:
        stack: list[str] = []
        pieces: list[str] = []
        spans: list[tuple[int, int, bool, bool]] = []
        own_links: list[int] = []  # offsets of the copy's own links in the current block
        block_links: list[list[int]] = []
        block_prose: list[bool] = []

        def close_block() -> None:
            self.blocks.append("".join(pieces))
            self.block_tokens.append(list(spans))
            block_links.append(list(own_links))
            pieces.clear()
            spans.clear()
            own_links.clear()

        for index, token in enumerate(self.tokens):
            length = sum(len(p) for p in pieces)
            if token.kind == "data":
                if not pieces:
                    block_prose.append(_in_prose(stack))
                blocked = any(name in NO_LINK_ELEMENTS for name in stack)
                spans.append((index, length, not blocked, _plain_run(stack)))
                pieces.append(token.value)
                continue
            if token.value in BLOCK_ELEMENTS and pieces:
                close_block()
            elif token.kind == "start" and token.value == "a" and token.href:
                own_links.append(length)
            if token.kind == "start":
                stack.append(token.value)
            elif token.kind == "end" and token.value in stack:
                while stack and stack.pop() != token.value:
                    pass
        if pieces:
            close_block()
        for block, text in enumerate(self.blocks):
            ends = [m.end() for m in _SENTENCE_END.finditer(text)]
            bounds = ends + ([len(text)] if not ends or ends[-1] < len(text.rstrip()) else [])
            start = 0
            for end in bounds:
                body = text[start:end]
                if body.strip():
                    lead = len(body) - len(body.lstrip())
                    sentence = _Sentence(block, start + lead, end, " ".join(body.split()), block_prose[block],
                                         end in ends)
                    sentence.links = sum(1 for at in block_links[block] if start <= at < end)
                    self.sentences.append(sentence)
                start = end

    def _token_at(self, block: int, position: int) -> tuple[int, int, bool, bool] | None:
        """(data token, offset in it, linkable, top level) of the character at `position` of the block's text."""
        for index, offset, linkable, top in self.block_tokens[block]:
            if offset <= position < offset + len(self.tokens[index].value):
                return index, position - offset, linkable, top
        return None

    def place(self, link: LinkToPlace) -> LinkOutcome:
        pattern = _anchor_pattern(link.anchor)
        for sentence in self.sentences:
            for match in pattern.finditer(self.blocks[sentence.block], sentence.start, sentence.end):
                if self._wrap(sentence.block, match.start(), match.end(), link):
                    sentence.links += 1
                    return LinkOutcome(link, IN_TEXT, sentence.text)
        mentions = [p for p in (_mention_pattern(m) for m in (link.anchor, *link.mentions)) if p is not None]
        mentioning = [s for s in self.sentences if s.prose and s.ended and self._reference_point(s) is not None
                      and any(p.search(self.blocks[s.block], s.start, s.end) for p in mentions)]
        candidates = [s for s in mentioning if len(s.reference) < REFERENCE_MAX]
        if not candidates:
            named = " or ".join(repr(m) for m in dict.fromkeys((link.anchor, *link.mentions)))
            return LinkOutcome(link, SKIPPED, reason=(
                f"every sentence that mentions {named} already has {REFERENCE_MAX} links after it" if mentioning
                else f"no sentence of the description mentions {named}"))
        chosen = min(candidates, key=lambda s: (bool(s.reference), s.links > 0))  # the first, of the least linked
        if not chosen.reference:
            index, offset = self._reference_point(chosen) or (0, 0)
            self.references.setdefault(index, []).append((offset, chosen))
        chosen.reference.append(link)
        chosen.links += 1
        return LinkOutcome(link, AFTER_SENTENCE, chosen.text)

    def _wrap(self, block: int, start: int, end: int, link: LinkToPlace) -> bool:
        found = self._token_at(block, start)
        if found is None:
            return False
        index, offset, linkable, _ = found
        stop = offset + (end - start)
        if not linkable or stop > len(self.tokens[index].value):
            return False  # in a link or heading, or across markup
        if self._raw_offset(index, offset) is None or self._raw_offset(index, stop) is None:
            return False  # would cut a character reference in two
        taken = self.wraps.setdefault(index, [])
        if any(offset < other_end and other_start < stop for other_start, other_end, _ in taken):
            return False
        taken.append((offset, stop, link))
        return True

    def _reference_point(self, sentence: _Sentence) -> tuple[int, int] | None:
        """(data token, offset) just after the sentence's last character, if that is in running text outside
        any inline markup; None if a reference cannot follow it there."""
        found = self._token_at(sentence.block, sentence.end - 1)
        if found is None:
            return None
        index, offset, linkable, top = found
        if not (linkable and top) or self._raw_offset(index, offset + 1) is None:
            return None
        return index, offset + 1

    def _raw_offset(self, index: int, offset: int) -> int | None:
        """Where `offset` of data token `index`'s text is in its source text (None: inside a character reference);
        without kept markup, the text is written out again, so it is the offset itself."""
        if self.source is None:
            return offset
        if index not in self._maps:
            self._maps[index] = _offset_map(self.tokens[index].value, self._raw_text(index))
        segments = self._maps[index]
        if segments is None:
            return None
        for decoded_start, decoded_end, raw_start, raw_end in segments:
            if offset == decoded_start:
                return raw_start
            if decoded_start < offset < decoded_end:
                return raw_start + offset - decoded_start if raw_end - raw_start == decoded_end - decoded_start \
                    else None
        return segments[-1][3] if segments and offset == segments[-1][1] else (0 if offset == 0 else None)

    def _raw_text(self, index: int) -> str:
        assert self.source is not None
        end = self.tokens[index + 1].start if index + 1 < len(self.tokens) else len(self.source)
        return self.source[self.tokens[index].start:end]

    def insert(self, see_also: str) -> str:
        """The kept source with the links inserted: nothing else in it changes."""
        assert self.source is not None
        lead = html.escape(see_also, quote=False)
        inserts: list[tuple[int, int, str]] = []  # (source offset, order, markup)
        for index, taken in self.wraps.items():
            base = self.tokens[index].start
            for start, end, link in taken:
                inserts.append((base + (self._raw_offset(index, start) or 0), 2,
                                f'<a href="{html.escape(link.href)}">'))
                inserts.append((base + (self._raw_offset(index, end) or 0), 0, "</a>"))
        for index, points in self.references.items():
            base = self.tokens[index].start
            for offset, sentence in points:
                items = ", ".join(_anchor_tag(link, link.anchor) for link in sentence.reference)
                inserts.append((base + (self._raw_offset(index, offset) or 0), 1, f" {lead} {items}."))
        out, position = [], 0
        for at, _, markup in sorted(inserts, key=lambda i: i[:2]):
            out += [self.source[position:at], markup]
            position = at
        out.append(self.source[position:])
        return "".join(out)

    def render(self, see_also: str) -> str:
        out: list[str] = []
        lead = html.escape(see_also, quote=False)
        for index, token in enumerate(self.tokens):
            if token.kind != "data":
                out.append(token.raw)  # (a comment's is empty: sanitised copy has none anyway)
                continue
            edits: list[tuple[int, int, int, str]] = []  # (position, order, end, markup)
            for start, end, link in self.wraps.get(index, []):
                edits.append((start, 1, end, _anchor_tag(link, token.value[start:end])))
            for offset, sentence in self.references.get(index, []):
                items = ", ".join(_anchor_tag(link, link.anchor) for link in sentence.reference)
                edits.append((offset, 0, offset, f" {lead} {items}."))
            position = 0
            for start, _, end, markup in sorted(edits, key=lambda e: e[:3]):
                out.append(html.escape(token.value[position:start], quote=False))
                out.append(markup)
                position = end
            out.append(html.escape(token.value[position:], quote=False))
        return "".join(out)


def _plain_run(stack: list[str]) -> bool:
    """Whether text under these open elements is plain running text of its block (no inline markup but the
    style-only <span> and <font> of pasted copy): a reference after a sentence may go there."""
    inline = list(itertools.takewhile(lambda name: name not in BLOCK_ELEMENTS, reversed(stack)))
    return all(name in STYLE_ONLY for name in inline)


def _in_prose(stack: list[str]) -> bool:
    """Whether text under these open elements is running text: in a paragraph or no block, not in a list or table."""
    blocks = [name for name in stack if name in BLOCK_ELEMENTS]
    return not blocks or (blocks[-1] in PROSE_ELEMENTS and not any(b in ("li", "td", "th", "dd") for b in blocks))


class _Tokeniser(HTMLParser):
    """Tags and text, each with where it begins in the source (so kept markup can be edited in place)."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[_Token] = []
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]

    def _at(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = "void" if tag in VOID_ELEMENTS else "start"
        self.tokens.append(_Token(kind, tag, self.get_starttag_text() or f"<{tag}>", dict(attrs).get("href") or "",
                                  self._at()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(_Token("void", tag, self.get_starttag_text() or f"<{tag}>", start=self._at()))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(_Token("end" if tag not in VOID_ELEMENTS else "other", tag,
                                  f"</{tag}>" if tag not in VOID_ELEMENTS else "", start=self._at()))

    def handle_data(self, data: str) -> None:
        self.tokens.append(_Token("data", data, start=self._at()))

    def _other(self) -> None:
        self.tokens.append(_Token("other", "", start=self._at()))

    def handle_comment(self, data: str) -> None:
        self._other()

    def handle_decl(self, decl: str) -> None:
        self._other()

    def handle_pi(self, data: str) -> None:
        self._other()

    def unknown_decl(self, data: str) -> None:
        self._other()


def _tokenise(markup: str) -> list[_Token]:
    parser = _Tokeniser(markup)
    parser.feed(markup)
    parser.close()
    return parser.tokens


# html.unescape's own pattern for a character reference: decoding each match alone gives what it gives in context.
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")


def _offset_map(decoded: str, raw: str) -> list[tuple[int, int, int, int]] | None:
    """(decoded start, decoded end, raw start, raw end) of each run of plain text and each character reference
    in `raw`, the source of text `decoded`; None if they do not agree (the text is then left alone)."""
    segments: list[tuple[int, int, int, int]] = []
    decoded_at = raw_at = 0
    for match in _CHARREF.finditer(raw):
        if match.start() > raw_at:
            length = match.start() - raw_at
            segments.append((decoded_at, decoded_at + length, raw_at, match.start()))
            decoded_at += length
        value = html.unescape(match.group())
        segments.append((decoded_at, decoded_at + len(value), match.start(), match.end()))
        decoded_at, raw_at = decoded_at + len(value), match.end()
    if raw_at < len(raw):
        segments.append((decoded_at, decoded_at + len(raw) - raw_at, raw_at, len(raw)))
        decoded_at += len(raw) - raw_at
    rebuilt = "".join(html.unescape(raw[r0:r1]) for _, _, r0, r1 in segments)
    return segments if rebuilt == decoded and decoded_at == len(decoded) else None


def _existing_targets(tokens: list[_Token]) -> Iterable[tuple[str, str]]:
    """(kind, handle) of the store links the copy already has, absolute or relative."""
    for token in tokens:
        if token.kind == "start" and token.value == "a" and token.href:
            match = _EXISTING_HREF.match(urlsplit(token.href).path)
            if match:
                yield match.group(1)[:-1], unquote(match.group(2))
