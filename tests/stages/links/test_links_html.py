"""links.html: weaving accepted links into body_html safely, each in or after a sentence that mentions its target,
with handles renamed in the same run; with kept markup, the body changes by the links alone."""

from __future__ import annotations

from html.parser import HTMLParser

import nh3
import pytest

from pipeline.stages.links.html import (
    AFTER_SENTENCE,
    IN_COPY,
    IN_TEXT,
    SKIPPED,
    LinkToPlace,
    insert_links,
    place_links,
    resolve_handle,
    see_also_for,
)

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


def test_a_link_whose_anchor_does_not_occur_follows_a_sentence_that_mentions_its_target():
    body = "<p>Soft and warm. Our linen duvet covers are stone washed. Made in Portugal.</p>"
    placement = place_links(body, [LinkToPlace("white linen duvet", "linen-duvet", mentions=("Duvet Covers",)),
                                   LinkToPlace("bedding", "bedding", "collection", ("Bedding",))])
    assert placement.html == ('<p>Soft and warm. Our linen duvet covers are stone washed. See also: '
                              '<a href="/products/linen-duvet">white linen duvet</a>. Made in Portugal.</p>')
    assert [(o.how, o.sentence) for o in placement.outcomes] == [
        (AFTER_SENTENCE, "Our linen duvet covers are stone washed."), (SKIPPED, "")]
    assert placement.skipped[0][1] == "no sentence of the description mentions 'bedding' or 'Bedding'"


def test_a_link_no_sentence_mentions_is_skipped_never_appended():
    placement = place_links("<p>Soft and warm.</p>", [LinkToPlace("wool throw", "wool-throw")])
    assert placement.html == "<p>Soft and warm.</p>" and placement.placed == []
    assert placement.skipped == [(LinkToPlace("wool throw", "wool-throw"),
                                  "no sentence of the description mentions 'wool throw'")]


def test_plurals_and_singulars_mention_each_other_and_list_items_get_no_reference():
    body = ("<ul><li>Pairs with any candle holder.</li></ul>"
            "<p>Light it in a glass candle holder. Boxes ship flat. It is lovely.</p>")
    placement = place_links(body, [LinkToPlace("moss holders", "moss", mentions=("Candle Holders",)),
                                   LinkToPlace("gift wrap", "wrap", mentions=("Box",))])
    assert [(o.how, o.sentence) for o in placement.outcomes] == [
        (AFTER_SENTENCE, "Light it in a glass candle holder."), (AFTER_SENTENCE, "Boxes ship flat.")]
    structure(placement.html)
    assert placement.html.startswith("<ul><li>Pairs with any candle holder.</li></ul>")


def test_a_sentence_without_links_is_preferred_and_one_reference_holds_two_links_at_most():
    body = "<p>A classic table lamp. The table lamp glows.</p>"
    links = [LinkToPlace(f"lamp {n}", f"lamp-{n}", mentions=("Table Lamps",)) for n in range(5)]
    placement = place_links(body, links)
    sentences = [o.sentence for o in placement.outcomes]
    assert sentences[:4] == ["A classic table lamp.", "The table lamp glows.", "A classic table lamp.",
                             "The table lamp glows."]
    assert placement.outcomes[4].how == SKIPPED and "already has 2 links after it" in placement.outcomes[4].reason
    assert placement.html == ('<p>A classic table lamp. See also: <a href="/products/lamp-0">lamp 0</a>, '
                              '<a href="/products/lamp-2">lamp 2</a>. The table lamp glows. See also: '
                              '<a href="/products/lamp-1">lamp 1</a>, <a href="/products/lamp-3">lamp 3</a>.</p>')


def test_one_anchor_text_is_not_used_for_two_targets():
    placement = place_links("<p>Oak stools and oak stools.</p>", [LinkToPlace("oak stools", "a"),
                                                                  LinkToPlace("Oak Stools", "b")])
    assert [o.how for o in placement.outcomes] == [IN_TEXT, SKIPPED]
    assert placement.skipped[0][1] == "anchor text already used on this page for another link"


def test_kept_markup_changes_only_by_the_links_inserted():
    body = ('<div class="rte"><p style="color:red">Our oak table &amp; chairs&nbsp;are oiled.\n<!-- stock note -->'
            ' A classic table lamp.</p><iframe src="https://www.youtube.com/embed/x"></iframe>'
            '<script>var s = "oak table. table lamp.";</script></div>')
    placement = place_links(body, [LinkToPlace("oak table", "oak-table"),
                                   LinkToPlace("rattan lamp", "rattan", mentions=("Table Lamps",))],
                            keep_markup=True)
    assert [o.how for o in placement.outcomes] == [IN_TEXT, AFTER_SENTENCE]
    assert placement.html == body.replace("Our oak table", 'Our <a href="/products/oak-table">oak table</a>').replace(
        "table lamp.</p>", 'table lamp. See also: <a href="/products/rattan">rattan lamp</a>.</p>')


def test_kept_markup_never_cuts_a_character_reference():
    body = "<p>Caf&eacute; table&#8203;s. Caf&eacute; tables.</p>"
    placement = place_links(body, [LinkToPlace("café tables", "cafe")], keep_markup=True)
    assert placement.html == '<p>Caf&eacute; table&#8203;s. <a href="/products/cafe">Caf&eacute; tables</a>.</p>'


def test_the_reference_reads_in_the_bodys_language():
    assert see_also_for("fr") == "Voir aussi :" and see_also_for("de-CH") == "Siehe auch:"
    assert see_also_for("xx") == "See also:"
    out = insert_links("<p>Une lampe de table.</p>", [LinkToPlace("lampe en rotin", "rotin",
                                                                  mentions=("lampe de table",))],
                       see_also=see_also_for("fr"))
    assert out == '<p>Une lampe de table. Voir aussi : <a href="/products/rotin">lampe en rotin</a>.</p>'


def test_dangerous_input_is_sanitised_and_anchor_text_escaped():
    body = '<p onclick="steal()">Hi<script>alert(1)</script> <a href="javascript:alert(2)">x</a></p><iframe></iframe>'
    out = insert_links(body, [LinkToPlace('R&D "pro" <kit>', "rd-kit", mentions=("hi",))])
    parsed = structure(out)
    assert "script" not in out and "onclick" not in out and "javascript:" not in out and "iframe" not in out
    assert ("/products/rd-kit", 'R&D "pro" <kit>') not in parsed.links  # "Hi" ends no sentence: nowhere to go
    out = insert_links("<p>Hi there.</p>", [LinkToPlace('R&D "pro" <kit>', "rd-kit", mentions=("hi",))])
    assert ("/products/rd-kit", 'R&D "pro" <kit>') in structure(out).links
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
        ("gone", "no linkable product with handle 'gone'")]
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
    assert [o.how for o in placement.outcomes] == [IN_COPY, IN_TEXT, SKIPPED]  # the copy's own link is kept
    assert [reason for _, reason in placement.skipped] == ["target already linked from this page"]


def test_an_empty_body_gets_no_link():
    placement = place_links("", [LinkToPlace("oak stool", "oak-stool")])
    assert placement.html == "" and placement.placed == [] and len(placement.skipped) == 1
    assert insert_links("<p>x</p>", []) == "<p>x</p>"
    assert place_links("<p>x</p>", [], keep_markup=True).html == "<p>x</p>"


def test_a_body_pushed_with_its_links_and_pulled_again_gets_none_twice():
    links = [LinkToPlace("oak table", "oak-table"), LinkToPlace("rattan lamp", "rattan", mentions=("Table Lamps",))]
    first = place_links("<p>Our oak table is oiled. A classic table lamp.</p>", links, keep_markup=True)
    again = place_links(first.html, links, keep_markup=True)
    assert again.html == first.html and [o.how for o in again.outcomes] == [IN_COPY, IN_COPY]


def test_pasted_copy_in_style_only_spans_takes_a_reference_but_bold_text_does_not():
    body = '<p><span style="font-weight: 400;">A classic table lamp.</span> <strong>A bold table lamp.</strong></p>'
    links = [LinkToPlace(f"lamp {n}", f"lamp-{n}", mentions=("Table Lamps",)) for n in range(3)]
    placement = place_links(body, links, keep_markup=True)
    assert [o.how for o in placement.outcomes] == [AFTER_SENTENCE, AFTER_SENTENCE, SKIPPED]
    assert placement.html == body.replace("table lamp.</span>", 'table lamp. See also: <a href="/products/lamp-0">'
                                          'lamp 0</a>, <a href="/products/lamp-1">lamp 1</a>.</span>')
