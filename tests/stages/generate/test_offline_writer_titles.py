"""The offline writer's titles: German compounds from its vocabulary, and no detail stacked on a title that has one."""

from __future__ import annotations

from typing import Any

from pipeline.stages.generate.offline_writer import write
from tests.generate_fixtures import variant
from tests.stages.generate.test_offline_writer_data import blocking, context, product

TITLES = ["title", "seo_title"]


def german_title(title: str, body: str, keyword: str | None = None) -> str | None:
    row = product(title, body_html=f"<p>{body}</p>")
    ctx = context(row, "de", fields=TITLES)
    ctx["keywords"]["primary"] = keyword
    draft, _ = write(ctx)
    assert blocking(row, draft, "de") == []
    return draft["title"]


def test_german_titles_use_the_vocabularys_compound_and_capitalise_every_noun() -> None:
    assert german_title("Silver Earrings", "Small earrings in solid silver.") == "Silberohrringe"
    assert german_title("Merino Hiking Socks", "Socks knitted from merino wool for long walks.") \
        == "Merinosocken zum Wandern"
    # No compound in the vocabulary: the phrase stays, never a compound built by rule.
    assert german_title("Oak Cutting Board", "A cutting board of solid oak.") == "Schneidebrett aus Eiche"
    # Each part of a hyphenated noun is capitalised.
    assert german_title("Organic Cotton Duvet Cover", "A duvet cover of organic cotton.") \
        == "Bettbezug aus Bio-Baumwolle"


def test_a_keyword_the_compound_would_hide_keeps_the_phrase() -> None:
    # "Silberohrringe" does not say "ohrringe silber" as the keyword's words; "Ohrringe aus Silber" does.
    assert german_title("Silver Earrings", "Small earrings in solid silver.", keyword="ohrringe silber") \
        == "Ohrringe aus Silber"


def jacket_context(keyword: str | None, **extra: Any) -> dict[str, Any]:
    row = product("Copy of Nova Jacket", vendor="Fellside", options=["Size"], tags=["hooded"],
                  variants=[variant(f"NV-{s}", "79.00", s) for s in ("S", "M", "L")],
                  body_html="<p>The Nova is a hooded jacket in recycled polyester.</p>")
    ctx = context(row, fields=TITLES)
    ctx.update(similar_titles=["Nova Jacket"], findings=[{"code": "generic_title", "severity": "high",
                                                          "evidence": ""}], **extra)
    ctx["keywords"]["primary"] = keyword
    return ctx


def test_a_title_the_keyword_already_tells_apart_gets_no_detail_stacked_on_it() -> None:
    draft, _ = write(jacket_context("hooded jacket"))
    assert draft["title"] == "Nova Hooded Jacket"
    assert draft["seo_title"] == "Nova Hooded Jacket | Fellside"
    # Without the keyword the look-alike is told apart by a material of the whole product.
    assert write(jacket_context(None))[0]["title"] == "Nova Jacket – Polyester"
    # When the validator still finds it too close, the repair round adds the first detail, not the second.
    repaired, _ = write(jacket_context("hooded jacket", attempt=1, repair=[{"field": "title",
                                                                            "code": "near_duplicate"}]))
    assert repaired["title"] == "Nova Hooded Jacket – Polyester"


def test_a_title_that_already_ends_in_a_detail_is_not_turned_into_a_list() -> None:
    row = product("Oversized Hoodie - Sage", vendor="Tidewater Basics", options=["Size"],
                  variants=[variant(f"OH-{s}", "49.00", s) for s in ("S", "M", "L")],
                  body_html="<p>An oversized hoodie in 100% polyester fleece.</p>")
    ctx = context(row, fields=TITLES)
    ctx.update(similar_titles=["Oversized Hoodie - Sand"],
               findings=[{"code": "near_duplicate_title", "severity": "high", "evidence": ""}])
    draft, abstained = write(ctx)
    assert draft["title"] is None and abstained["title"].startswith("kept:")
    assert draft["seo_title"] == "Oversized Hoodie - Sage | Tidewater Basics"  # not "… - Sage – Polyester"
