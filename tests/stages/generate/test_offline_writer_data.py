"""The offline writer on products with little or no description, and the spelling of the words it adds."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from pipeline.config import load_settings
from pipeline.core.seo_limits import SeoLimits
from pipeline.gates.content import check_content
from pipeline.gates.facts import product_facts
from pipeline.gates.schema import draft_json_schema
from pipeline.gates.sheet import fact_sheet
from pipeline.llm.provider import Request
from pipeline.stages.generate.offline_spelling import respell
from pipeline.stages.generate.offline_writer import write
from pipeline.wiring import select_provider
from tests.generate_fixtures import variant

SEO = ["seo_title", "seo_description"]


def product(title: str, **fields: Any) -> dict[str, Any]:
    row = {"id": "p1", "handle": "p1", "title": title, "vendor": "Halcyon Silver", "product_type": "",
           "product_category": "", "tags": [], "status": "active", "published": True, "body_html": "",
           "seo_title": "", "seo_description": "", "options": ["Title"], "variants": [variant("SKU-1", "20.00")]}
    row.update(fields)
    return row


def context(row: dict[str, Any], locale: str = "en", *, primary: str = "en", fields: list[str] = SEO
            ) -> dict[str, Any]:
    return {"locale": locale, "primary_locale": primary, "product": product_facts(row).prompt_view(),
            "keywords": {"primary": None, "secondary": []}, "findings": [], "similar_titles": [], "links": [],
            "fields_to_write": list(fields), "fields_left_alone": [], "limits": asdict(SeoLimits()),
            "allow_handle": False, "attempt": 0, "repair": [], "fact_sheet": fact_sheet(row, primary).to_dict()}


def blocking(row: dict[str, Any], draft: dict[str, str | None], locale: str = "en", primary: str = "en") -> list[str]:
    written = {k: v for k, v in draft.items() if v}
    return [f"{f.code}: {f.message}" for f in check_content(written, fact_sheet(row, primary), locale=locale)
            if f.blocking]


HOOPS = product("Sterling Silver Hoop Earrings", product_type="Earrings", options=["Size"],
                product_category="Apparel & Accessories > Jewelry > Earrings",
                variants=[variant(f"HS-HOOP-{s}", "45.00", s) for s in ("Small", "Medium", "Large")])
GIFT_NECKLACE = product("Gift for Her Necklace", vendor="Wren & Ivy", product_type="Gifts",
                        product_category="Apparel & Accessories > Jewelry > Necklaces",
                        tags=["gifts for her", "necklaces"])


def test_a_product_without_a_description_gets_a_meta_description_from_its_own_data_only() -> None:
    draft, abstained = write(context(HOOPS))
    assert draft["seo_description"] == "Sterling Silver Hoop Earrings by Halcyon Silver. Size: Small, Medium, Large."
    assert draft["seo_title"] == "Sterling Silver Hoop Earrings | Halcyon Silver"
    assert "seo_description" not in abstained and blocking(HOOPS, draft) == []


def test_where_the_catalogue_files_the_product_is_added_only_when_the_rest_is_too_short() -> None:
    draft, _ = write(context(GIFT_NECKLACE))
    assert draft["seo_description"] == "Gift for Her Necklace by Wren & Ivy. Listed under Gifts and Necklaces."
    assert blocking(GIFT_NECKLACE, draft) == []
    # A type that is a price band is no place a reader would name; the same name twice is said once.
    bands = product("Gift for Her Necklace", vendor="Wren & Ivy", product_type="Under £50",
                    product_category="Apparel & Accessories > Jewelry > Necklaces")
    _, abstained = write(context(bands))
    assert abstained["seo_description"].startswith("too little data:")
    mats = product("Olvaello Bath Mat", vendor="Ostara Bath", product_type="Bath Mats", options=["Color"],
                   product_category="Home & Garden > Bathroom Accessories > Bath Mats & Rugs",
                   variants=[variant("OB-1", "30.00", "Sage"), variant("OB-2", "30.00", "Navy")])
    assert write(context(mats))[0]["seo_description"] == ("Olvaello Bath Mat by Ostara Bath. Color: Sage, Navy. "
                                                          "Listed under Bath Mats & Rugs.")


def test_a_short_description_is_kept_word_for_word_and_led_by_who_makes_it() -> None:
    row = product("Garden Kneeler", vendor="Potting Shed Supply", product_type="Accessories",
                  product_category="Home & Garden > Lawn & Garden > Gardening",
                  body_html="<p>Kneeler pad. Very comfy!</p>")
    draft, _ = write(context(row))
    assert draft["seo_description"] == ("Garden Kneeler by Potting Shed Supply. Kneeler pad. Very comfy! "
                                        "Listed under Accessories and Gardening.")
    assert blocking(row, draft) == []


def test_too_little_data_is_left_alone_with_the_reason_not_padded() -> None:
    row = product("Ear Cuff", vendor="Morrow Studio", product_category="Apparel & Accessories > Jewelry > Earrings")
    draft, abstained = write(context(row))
    assert draft["seo_description"] is None
    assert abstained["seo_description"].startswith("too little data: no description")
    assert "49 characters, under the 70" in abstained["seo_description"]
    assert draft["seo_title"] == "Ear Cuff | Morrow Studio"  # the SEO title still comes from the title


def test_english_spelling_applies_to_the_taxonomy_words_the_writer_adds_not_to_the_merchants() -> None:
    row = product("Wren Charm Anklet", options=["Color"], body_html="",
                  product_category="Apparel & Accessories > Jewelry",
                  variants=[variant("WA-1", "30.00", "Gray"), variant("WA-2", "30.00", "Rose")])
    us = write(context(row), english_spelling="US")[0]["seo_description"]
    gb = write(context(row), english_spelling="GB")[0]["seo_description"]
    assert us == "Wren Charm Anklet by Halcyon Silver. Color: Gray, Rose. Listed under Jewelry."
    # The merchant's option name and value keep their spelling; the category the writer adds takes the store's.
    assert gb == "Wren Charm Anklet by Halcyon Silver. Color: Gray, Rose. Listed under Jewellery."


def test_english_spelling_applies_to_an_english_title_built_from_the_vocabulary() -> None:
    row = product("Pull en laine gris", vendor="Atelier Sel", body_html="<p>Un pull chaud en laine.</p>")
    titles = {}
    for spelling in ("US", "GB"):
        draft, _ = write(context(row, "en", primary="fr", fields=["title", "seo_title"]), english_spelling=spelling)
        titles[spelling] = draft["title"]
        assert blocking(row, draft, "en", "fr") == []
    assert titles == {"US": "Wool Sweater, Gray", "GB": "Wool Sweater, Grey"}


def test_respell_keeps_case_and_touches_only_listed_words() -> None:
    assert respell("Gray Jewelry COLOR", "GB") == "Grey Jewellery COLOUR"
    assert respell("Grey aluminium centre", "US") == "Gray aluminum center"
    assert respell("Graystone meter", "GB") == "Graystone meter"


def test_the_store_setting_reaches_the_offline_writer(tmp_path: Path) -> None:
    config = tmp_path / "seo.toml"
    config.write_text('[generation]\nenglish_spelling = "GB"\n', encoding="utf-8")
    provider = select_provider(load_settings(config, env={}), {})
    row = product("Wren Charm Anklet", product_category="Apparel & Accessories > Jewelry", options=["Color"],
                  variants=[variant("WA-1", "30.00", "Gray"), variant("WA-2", "30.00", "Rose")])
    request = Request(messages=(), schema=draft_json_schema(("seo_description",)), context=context(row))
    assert provider.complete(request).text.endswith('Listed under Jewellery."}')


def test_a_meta_description_leaves_out_the_merchants_shouting_and_emoji() -> None:
    """'The perfect gift!! 💜' is fine on the product page; in a search result it reads as spam."""
    bracelet = product("Amethyst Bead Bracelet", vendor="Wren & Ivy", product_type="Bracelets",
                       body_html="<p>Beautiful amethyst beads on stretch cord. The perfect gift!! 💜</p>")
    draft, _ = write(context(bracelet))
    meta = draft["seo_description"] or ""
    assert "amethyst beads on stretch cord" in meta
    assert "!!" not in meta and "💜" not in meta and "perfect gift" not in meta
    trademark = product("Aquaflow™ Hose Reel", vendor="Potting Shed Supply", product_type="Hose Reels",
                        body_html="<p>The Aquaflow™ reel holds 30 m of 12 mm hose on a powder-coated steel frame.</p>")
    assert "Aquaflow™ reel holds 30 m" in (write(context(trademark))[0]["seo_description"] or "")
