"""links.html: weaving accepted links into body_html safely, with handles renamed in the same run."""

from __future__ import annotations

from html.parser import HTMLParser

import nh3
import pytest

from pipeline.stages.links.html import LinkToPlace, insert_links, place_links, resolve_handle

VOID = {"br", "hr", "img", "wbr", "area", "col", "source", "track", "input", "embed", "meta", "link", "base"}


class _Structure(HTMLParser):
    """Checks nesting and collects every <a>'s href and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        if tag == "a":
            if "a" in self.stack:
                self.errors.append("nested <a>")
            self.links.append((dict(attrs).get("href") or "", ""))
            self._text = []
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}>")
            return
        self.stack.pop()
        if tag == "a" and self._text is not None:
            self.links[-1] = (self.links[-1][0], "".join(self._text))
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def structure(markup: str) -> _Structure:
    parser = _Structure()
    parser.feed(markup)
    parser.close()
    assert parser.errors == [] and parser.stack == [], (parser.errors, parser.stack)
    assert nh3.clean(markup, link_rel=None) == markup, "output is not already sanitised"
    return parser


def test_anchor_is_linked_where_it_occurs_keeping_the_texts_casing():
    body = "<p>Pair it with our Linen Pillowcase for a matching set.</p>"
    out = insert_links(body, [LinkToPlace("linen pillowcase", "linen-pillowcase-pair")])
    assert out == ('<p>Pair it with our <a href="/products/linen-pillowcase-pair">Linen Pillowcase</a>'
                   " for a matching set.</p>")


def test_never_links_inside_an_existing_link_or_heading():
    body = ('<h2>Linen pillowcase care</h2><p>See <a href="https://example.com/care">linen pillowcase care</a>.'
            "</p><p>Our linen pillowcase is stone washed.</p>")
    out = insert_links(body, [LinkToPlace("linen pillowcase", "linen-pillowcase-pair")])
    links = structure(out).links
    assert links == [("https://example.com/care", "linen pillowcase care"),
                     ("/products/linen-pillowcase-pair", "linen pillowcase")]
    assert "<h2>Linen pillowcase care</h2>" in out


def test_anchor_inside_inline_markup_is_linked_without_breaking_nesting():
    body = "<p>Made of <strong>washed linen sheets</strong> and <em>oak</em>.</p>"
    out = insert_links(body, [LinkToPlace("linen sheets", "linen-flat-sheet")])
    assert structure(out).links == [("/products/linen-flat-sheet", "linen sheets")]
    assert '<strong>washed <a href="/products/linen-flat-sheet">linen sheets</a></strong>' in out


def test_anchor_that_does_not_occur_goes_to_a_see_also_paragraph():
    out = insert_links("<p>Soft and warm.</p>", [LinkToPlace("wool throw", "wool-throw"),
                                                 LinkToPlace("bedding", "bedding", "collection")])
    assert out == ('<p>Soft and warm.</p><p>See also: <a href="/products/wool-throw">wool throw</a>, '
                   '<a href="/collections/bedding">bedding</a></p>')


def test_dangerous_input_is_sanitised_and_anchor_text_escaped():
    body = '<p onclick="steal()">Hi<script>alert(1)</script> <a href="javascript:alert(2)">x</a></p><iframe></iframe>'
    out = insert_links(body, [LinkToPlace('R&D "pro" <kit>', "rd-kit")])
    parsed = structure(out)
    assert "script" not in out and "onclick" not in out and "javascript:" not in out and "iframe" not in out
    assert ("/products/rd-kit", 'R&D "pro" <kit>') in parsed.links
    assert "R&amp;D" in out and "&lt;kit&gt;" in out


def test_handles_renamed_in_the_same_run_are_followed():
    renames = {"linen-duvet-old": "linen-duvet-cover", "linen-duvet-cover": "linen-duvet-cover-white"}
    assert resolve_handle("linen-duvet-old", renames) == "linen-duvet-cover-white"
    assert resolve_handle("a", {"a": "b", "b": "a"}) in {"a", "b"}
    out = insert_links("<p>A linen duvet.</p>", [{"anchor": "linen duvet", "target_handle": "linen-duvet-old",
                                                 "target_kind": "product"}], renames,
                       known_handles={"linen-duvet-cover-white"})
    assert structure(out).links == [("/products/linen-duvet-cover-white", "linen duvet")]


def test_links_to_handles_that_do_not_exist_are_skipped_not_placed():
    placement = place_links("<p>Linen sheets and wool throws.</p>",
                            [LinkToPlace("linen sheets", "linen-flat-sheet"), LinkToPlace("wool throws", "gone")],
                            known_handles={"linen-flat-sheet"})
    assert [link.target_handle for link in placement.placed] == ["linen-flat-sheet"]
    assert [(link.target_handle, reason) for link, reason in placement.skipped] == [
        ("gone", "no product with handle 'gone'")]
    assert "gone" not in placement.html


@pytest.mark.parametrize("handle", ["", "a b", "x/../admin", 'x" onmouseover="y', "a?b=1"])
def test_invalid_handles_are_refused(handle):
    placement = place_links("<p>text</p>", [LinkToPlace("text", handle)])
    assert placement.placed == [] and placement.html == "<p>text</p>"
    assert placement.skipped and placement.skipped[0][1].startswith("invalid handle")


def test_one_target_is_linked_once_even_if_the_body_links_it_already():
    body = '<p>Our <a href="/products/linen-flat-sheet">flat sheet</a> and fitted sheet.</p>'
    placement = place_links(body, [LinkToPlace("fitted sheet", "linen-flat-sheet"),
                                   LinkToPlace("fitted sheet", "linen-fitted-sheet"),
                                   LinkToPlace("sheet", "linen-fitted-sheet")])
    hrefs = [href for href, _ in structure(placement.html).links]
    assert sorted(hrefs) == ["/products/linen-fitted-sheet", "/products/linen-flat-sheet"]
    assert [reason for _, reason in placement.skipped] == ["target already linked from this page"] * 2


def test_empty_body_gets_only_the_see_also_paragraph():
    out = insert_links("", [LinkToPlace("oak stool", "oak-stool")])
    assert out == '<p>See also: <a href="/products/oak-stool">oak stool</a></p>'
    assert insert_links("<p>x</p>", []) == "<p>x</p>"
