"""Weave accepted internal links into a product's body_html.

The generation stage calls `insert_links(body_html, links, handle_map)`; review can call `place_links` to
show what would be placed and what was skipped, and why. Guarantees:

- the result is sanitised with nh3 (the same allow-list before and after), so it is well-formed HTML with
  no script, no event handler and no foreign URL scheme, whatever the input was;
- a link is never placed inside an existing <a> (nor in a heading, code or button), and one page never links
  the same target twice, counting the links its copy already had;
- every href points to the target's *current* handle: `handle_map` maps handles renamed in the same run
  (old -> new, chains followed), and with `known_handles` a link to a handle that does not exist is skipped
  instead of being placed as a 404.

An anchor is placed on its first whole-word, case-insensitive occurrence in the text (keeping the text's own
casing); anchors that do not occur are appended as one short "See also" paragraph.
"""

from __future__ import annotations

import html
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
                              "label", "select", "option", "textarea"})
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                           "track", "wbr"})
HREF_PREFIX = {"product": "/products/", "collection": "/collections/"}
# Handles are URL path segments: anything that could end the segment or the attribute is refused outright.
_BAD_HANDLE = re.compile(r"[\s/?#\"'<>\\]")
_EXISTING_HREF = re.compile(r"^/(products|collections)/([^/?#]+)")


@dataclass(frozen=True)
class LinkToPlace:
    anchor: str
    target_handle: str
    target_kind: str = "product"

    @property
    def href(self) -> str:
        return HREF_PREFIX[self.target_kind] + quote(self.target_handle, safe="-_.~")


@dataclass
class Placement:
    html: str
    placed: list[LinkToPlace] = field(default_factory=list)
    # The placed links whose anchor was not in the copy, so they went to the closing "See also" paragraph.
    appended: list[LinkToPlace] = field(default_factory=list)
    skipped: list[tuple[LinkToPlace, str]] = field(default_factory=list)


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
                 known_collections: Collection[str] | None = None, see_also: str = "See also:") -> str:
    """body_html with `links` woven in; see the module docstring for the guarantees."""
    return place_links(body_html, links, handle_map, known_handles=known_handles,
                       known_collections=known_collections, see_also=see_also).html


def place_links(body_html: str, links: Iterable[LinkToPlace | Mapping[str, Any]],
                handle_map: Mapping[str, str] | None = None, *, known_handles: Collection[str] | None = None,
                known_collections: Collection[str] | None = None, see_also: str = "See also:") -> Placement:
    """Like insert_links, and also says which links were placed and which were skipped, with the reason."""
    cleaned = sanitise(body_html)
    tokens = _tokenise(cleaned)
    linked_already = set(_existing_targets(tokens))
    placement = Placement(html="")
    pending: list[LinkToPlace] = []
    for raw in links:
        link = _coerce(raw)
        resolved = LinkToPlace(anchor=" ".join(link.anchor.split()), target_kind=link.target_kind,
                               target_handle=resolve_handle(link.target_handle, handle_map))
        reason = _refusal(resolved, known_handles, known_collections, linked_already)
        if reason:
            placement.skipped.append((resolved, reason))
            continue
        linked_already.add((resolved.target_kind, resolved.target_handle))
        pending.append(resolved)

    out: list[str] = []
    blocked_depth = 0
    for token in tokens:
        if token.kind == "data":
            linkable = pending and not blocked_depth
            out.append(_link_text(token.value, pending, placement.placed) if linkable
                       else html.escape(token.value, quote=False))
            continue
        out.append(token.raw)
        if token.value in NO_LINK_ELEMENTS:
            blocked_depth += {"start": 1, "end": -1}.get(token.kind, 0)
            blocked_depth = max(blocked_depth, 0)
    if pending:
        items = ", ".join(_anchor_tag(link, link.anchor) for link in pending)
        out.append(f"<p>{html.escape(see_also, quote=False)} {items}</p>")
        placement.placed.extend(pending)
        placement.appended.extend(pending)
    placement.html = sanitise("".join(out))
    return placement


def _coerce(raw: LinkToPlace | Mapping[str, Any]) -> LinkToPlace:
    if isinstance(raw, LinkToPlace):
        return raw
    return LinkToPlace(anchor=str(raw.get("anchor") or ""), target_handle=str(raw.get("target_handle") or ""),
                       target_kind=str(raw.get("target_kind") or "product"))


def _refusal(link: LinkToPlace, known_handles: Collection[str] | None, known_collections: Collection[str] | None,
             linked_already: set[tuple[str, str]]) -> str | None:
    if link.target_kind not in HREF_PREFIX:
        return f"unknown target kind {link.target_kind!r}"
    if not link.anchor:
        return "empty anchor"
    if not link.target_handle or _BAD_HANDLE.search(link.target_handle):
        return f"invalid handle {link.target_handle!r}"
    known = known_handles if link.target_kind == "product" else known_collections
    if known is not None and link.target_handle not in known:
        return f"no {link.target_kind} with handle {link.target_handle!r}"
    if (link.target_kind, link.target_handle) in linked_already:
        return "target already linked from this page"
    return None


def _anchor_tag(link: LinkToPlace, text: str) -> str:
    return f'<a href="{html.escape(link.href)}">{html.escape(text, quote=False)}</a>'


def _anchor_pattern(anchor: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in anchor.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _link_text(text: str, pending: list[LinkToPlace], placed: list[LinkToPlace]) -> str:
    """Escape `text`, wrapping the earliest occurrence of each pending anchor; placed links leave `pending`."""
    pieces: list[str] = []
    position = 0
    while pending:
        best: tuple[int, int, LinkToPlace] | None = None
        for link in pending:
            match = _anchor_pattern(link.anchor).search(text, position)
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), match.end(), link)
        if best is None:
            break
        start, end, link = best
        pieces.append(html.escape(text[position:start], quote=False))
        pieces.append(_anchor_tag(link, text[start:end]))
        pending.remove(link)
        placed.append(link)
        position = end
    pieces.append(html.escape(text[position:], quote=False))
    return "".join(pieces)


class _Token(NamedTuple):
    kind: str  # "start", "end", "void" or "data"
    value: str  # the tag name, or the (unescaped) text
    raw: str = ""  # the tag as written
    href: str = ""


class _Tokeniser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[_Token] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = "void" if tag in VOID_ELEMENTS else "start"
        self.tokens.append(_Token(kind, tag, self.get_starttag_text() or f"<{tag}>", dict(attrs).get("href") or ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(_Token("void", tag, self.get_starttag_text() or f"<{tag}>"))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_ELEMENTS:
            self.tokens.append(_Token("end", tag, f"</{tag}>"))

    def handle_data(self, data: str) -> None:
        self.tokens.append(_Token("data", data))


def _tokenise(cleaned_html: str) -> list[_Token]:
    parser = _Tokeniser()
    parser.feed(cleaned_html)
    parser.close()
    return parser.tokens


def _existing_targets(tokens: list[_Token]) -> Iterable[tuple[str, str]]:
    """(kind, handle) of the store links the copy already has, absolute or relative."""
    for token in tokens:
        if token.kind == "start" and token.value == "a" and token.href:
            match = _EXISTING_HREF.match(urlsplit(token.href).path)
            if match:
                yield match.group(1)[:-1], unquote(match.group(2))
