"""The offline writer: it writes only what it can write well, keeps the merchant's facts and says what it left."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import pytest

from pipeline.core.seo_limits import SeoLimits
from pipeline.gates.content import check_content
from pipeline.gates.facts import product_facts
from pipeline.gates.schema import draft_json_schema
from pipeline.gates.sheet import fact_sheet
from pipeline.llm.provider import Request
from pipeline.stages.generate.offline_writer import OfflineTemplateProvider, write
from tests.generate_fixtures import variant

ALL = ["title", "body_html", "seo_title", "seo_description"]
DEFAULT_LIMITS = SeoLimits()


def product(title: str, **fields: Any) -> dict[str, Any]:
    row = {"id": "p1", "handle": "p1", "title": title, "vendor": "Marlow & Finch", "product_type": "",
           "tags": [], "status": "active", "published": True, "body_html": "", "seo_title": "",
           "seo_description": "", "options": ["Title"], "variants": [variant("SKU-1", "20.00")]}
    row.update(fields)
    return row


def context(row: dict[str, Any], locale: str = "en", *, fields: list[str] = ALL, keyword: str | None = None,
            findings: tuple[str, ...] = (), attempt: int = 0, limits: SeoLimits = DEFAULT_LIMITS) -> dict[str, Any]:
    return {"locale": locale, "primary_locale": "en", "product": product_facts(row).prompt_view(),
            "keywords": {"primary": keyword, "secondary": []},
            "findings": [{"code": code, "severity": "high", "evidence": ""} for code in findings],
            "similar_titles": [], "links": [], "fields_to_write": list(fields), "fields_left_alone": [],
            "limits": asdict(limits), "allow_handle": False, "attempt": attempt, "repair": [],
            "fact_sheet": fact_sheet(row, "en").to_dict()}


BELT = product("Brown Suede Belt", body_html="<p>A classic belt in soft brown suede with a solid brass buckle. "
               "The Marlow belt is cut from one piece of suede.</p><ul><li>Width: 3 cm</li></ul>",
               product_type="Belts")
FLEECE_VARIANTS = [variant(f"NV-{size}-{colour[:3]}", "79.00", size, colour)
                   for size in ("XS", "S", "M", "L", "XL") for colour in ("Black", "Navy", "Sage")]
FLEECE = product("Nova Full-Zip Fleece", options=["Size", "Colour"], variants=FLEECE_VARIANTS,
                 body_html="<ul><li>100% recycled polyester fleece</li><li>Full-length YKK zip</li>"
                           "<li>Two zipped hand pockets</li><li>Machine wash cold</li></ul>",
                 product_type="Indoor")


def gates_pass(row: dict[str, Any], locale: str, draft: dict[str, str | None]) -> list[str]:
    written = {k: v for k, v in draft.items() if v}
    original = {k: str(row[k]) for k in ALL if row.get(k)} if locale == "en" else None
    return [f"{f.code}: {f.message}" for f in check_content(written, fact_sheet(row, "en"), locale=locale,
                                                            original=original) if f.blocking]


def test_a_human_description_is_never_replaced_and_the_reason_is_given() -> None:
    draft, abstained = write(context(BELT))
    assert draft["body_html"] is None
    assert abstained["body_html"].startswith("kept:")


def test_empty_seo_fields_are_filled_from_the_products_own_title_and_sentences() -> None:
    draft, _ = write(context(BELT, fields=["seo_title", "seo_description"]))
    assert draft["seo_title"] == "Brown Suede Belt | Marlow & Finch"
    assert draft["seo_description"] and "brown suede with a solid brass buckle" in draft["seo_description"]
    assert 70 <= len(draft["seo_description"]) <= 160
    assert gates_pass(BELT, "en", draft) == []


def test_a_title_with_entities_doubled_spaces_or_capitals_is_cleaned_and_nothing_else() -> None:
    assert write(context(product("Acme&trade;  Copper   Kettle")))[0]["title"] == "Acme™ Copper Kettle"
    assert write(context(product("Copy of Copper Kettle")))[0]["title"] == "Copper Kettle"
    assert write(context(product("SHERPA FLEECE JACKET X200")))[0]["title"] == "Sherpa Fleece Jacket X200"
    draft, abstained = write(context(product("Copper Kettle"), fields=["title"]))
    assert draft["title"] is None and abstained["title"].startswith("kept:")


def test_a_duplicate_title_is_told_apart_by_a_value_of_the_whole_product_never_a_variants() -> None:
    one_colour = product("Nova Jacket", options=["Colour"], variants=[variant("NJ-1", "90.00", "Olive")])
    assert write(context(one_colour, findings=("duplicate_title",)))[0]["title"] == "Nova Jacket – Olive"
    draft, abstained = write(context(FLEECE, findings=("duplicate_title",), fields=["title"]))
    title = draft["title"] or ""
    assert not any(colour in title for colour in ("Black", "Navy", "Sage", "XS", "XL"))


def test_another_language_gets_a_title_only_from_words_its_vocabulary_has() -> None:
    titles = {loc: write(context(BELT, loc))[0]["title"] for loc in ("fr", "de", "es")}
    assert titles["fr"] == "Ceinture en daim, coloris marron"
    assert titles["de"] == "Wildledergürtel, Braun"  # the vocabulary's compound, not "Gürtel aus Wildleder"
    assert titles["es"] and titles["es"].startswith("Cinturón")
    draft, abstained = write(context(FLEECE, "fr"))
    assert draft == {"title": None, "body_html": None, "seo_title": None, "seo_description": None}
    assert "no fr" in abstained["title"] and "running text" in abstained["body_html"]


def test_an_english_word_is_not_passed_off_as_a_name_in_another_language() -> None:
    packable = product("Packable Down Jacket", body_html="<p>Light enough to live in your pack.</p>")
    named = product("Nova Down Jacket", body_html="<p>Our Nova jacket packs into its own pocket.</p>")
    assert write(context(packable, "fr"))[0]["title"] is None
    assert write(context(named, "fr"))[0]["title"] == "Doudoune Nova"


def test_a_keyword_goes_into_a_title_only_when_it_names_this_product() -> None:
    lamp = product("Bosted Desk Lamp", tags=["brass", "mid-century"],
                   body_html="<p>The Bosted lamp is made of solid brass in a mid-century shape.</p>")
    placed = write(context(lamp, keyword="mid-century brass desk lamp", fields=["title", "seo_title"]))[0]
    assert placed["title"] == "Bosted Mid-Century Brass Desk Lamp"
    shade_only = product("Bosted Desk Lamp", tags=["brass"], body_html="<p>A desk lamp with a brass shade.</p>")
    assert write(context(shade_only, keyword="brass desk lamp", fields=["seo_title"]))[0]["seo_title"] == \
        "Bosted Desk Lamp | Marlow & Finch"  # brass is the shade's, not the lamp's: the keyword would widen it
    tee = product("Kestrel Running Tee", product_type="New")
    for keyword in ("new tee", "hats beanie", "accent chair"):
        draft = write(context(tee, keyword=keyword, fields=["seo_title"]))[0]
        assert draft["seo_title"] == "Kestrel Running Tee | Marlow & Finch", keyword


def test_a_material_of_one_part_never_becomes_the_products() -> None:
    bracelet = product("Pearl Bracelet", body_html="<p>Freshwater pearls on silk, with a sterling silver "
                       "clasp.</p>", tags=["sterling silver"])
    for locale in ("fr", "de", "es"):
        draft, abstained = write(context(bracelet, locale))
        assert draft["title"] is None or "argent" not in draft["title"] and "Silber" not in draft["title"]


def test_the_provider_answers_schema_shaped_json_with_its_abstentions_at_no_cost() -> None:
    request = Request(messages=(), schema=draft_json_schema(False), context=context(BELT, "de"))
    response = OfflineTemplateProvider().complete(request)
    assert set(json.loads(response.text)) == {"title", "body_html", "seo_title", "seo_description"}
    assert dict(response.abstained)["body_html"].startswith("no de writer")
    assert response.usage.tokens_in == 0 and response.finish_reason == "stop"
    assert OfflineTemplateProvider().complete(request) == response


def test_tighter_limits_are_kept_or_the_field_is_left_alone() -> None:
    tight = SeoLimits(seo_title_max_chars=20, seo_description_max_chars=90)
    draft, abstained = write(context(BELT, fields=["seo_title", "seo_description"], limits=tight))
    assert draft["seo_title"] == "Brown Suede Belt"  # the vendor no longer fits, the title still does
    assert draft["seo_description"] is None or len(draft["seo_description"]) <= 90


@pytest.mark.parametrize("locale", ["en", "fr", "de", "es"])
def test_what_the_writer_writes_passes_the_content_gates(locale: str) -> None:
    for row in (BELT, FLEECE, product("Tove Stoneware Mug", body_html="<p>The Tove mug is thrown in stoneware "
                                      "and glazed by hand. It holds 350 ml.</p>")):
        draft, _ = write(context(row, locale))
        assert gates_pass(row, locale, draft) == [], (row["title"], draft)


def test_a_meta_description_never_starts_mid_sentence_after_an_abbreviation() -> None:
    connector = product("Outdoor Tap Connector", vendor="Thornbury Garden Co.",
                        body_html="<p>Thornbury Garden Co. products are designed in the UK and built to last. "
                                  "Compatible with all standard click-fit hose systems.</p>")
    text = write(context(connector, fields=["seo_description"]))[0]["seo_description"] or ""
    assert text.startswith("Thornbury Garden Co. products are designed") or text.startswith("Outdoor Tap")
    assert not text.startswith("products") and ": products" not in text


def test_a_purpose_word_becomes_a_phrase_that_needs_no_agreement_and_pairs_stay_plural() -> None:
    socks = product("Merino Hiking Socks", body_html="<p>Hiking socks in merino wool.</p><ul><li>80% merino</li></ul>",
                    tags=["merino"])
    titles = {loc: write(context(socks, loc))[0]["title"] for loc in ("fr", "de", "es")}
    assert titles == {"fr": "Chaussettes de randonnée en mérinos", "de": "Merinosocken zum Wandern",
                      "es": "Calcetines de senderismo de merino"}
    unknown = product("Merino Trail Socks", body_html="<p>Merino socks for trail running.</p>")
    draft, abstained = write(context(unknown, "fr"))
    assert draft["title"] is None and "'Trail'" in abstained["title"]  # a word it has no phrase for
