"""The offline template provider: per-locale copy from the product's own data, passing the same validators."""

from __future__ import annotations

import json
import re
from dataclasses import asdict

import pytest

from pipeline.core.lexicon import ANY_META_TEXT
from pipeline.core.seo_limits import SeoLimits
from pipeline.core.text import strip_html
from pipeline.gates.facts import product_facts
from pipeline.gates.schema import DraftCopy, draft_json_schema
from pipeline.gates.similarity import CopyIndex
from pipeline.gates.validate import DraftCheck, Grounding, Limits, Validator, claims_in, detect_language, materials_in
from pipeline.llm.provider import Request
from pipeline.stages.generate.offline_phrases import PHRASES
from pipeline.stages.generate.offline_writer import OfflineTemplateProvider, compose
from tests.generate_fixtures import KEYWORDS, PRODUCTS

ALL = ["title", "body_html", "seo_title", "seo_description"]
BOARD = next(p for p in PRODUCTS if p["id"] == "p-board")
KEYWORDS_DE = {"p-board": ["servierbrett eiche", "käsebrett eiche"]}


def context(product, locale, *, fields=ALL, attempt=0, repair=(), similar=()):
    keywords = KEYWORDS.get((product["id"], locale)) or KEYWORDS_DE.get(product["id"]) if locale == "de" else \
        KEYWORDS.get((product["id"], locale))
    return {"locale": locale, "primary_locale": "en", "product": product_facts(product).prompt_view(),
            "keywords": {"primary": keywords[0], "secondary": keywords[1:]}, "findings": [],
            "similar_titles": list(similar), "links": [], "fields_to_write": list(fields), "fields_left_alone": [],
            "limits": Limits().__dict__, "allow_handle": False, "attempt": attempt, "repair": list(repair)}


def validate(product, locale, draft: dict):
    ctx = context(product, locale)
    facts = product_facts(product)
    check = DraftCheck(product["id"], locale, tuple(ALL), ctx["keywords"]["primary"],
                       Grounding.from_text(facts.grounding_text(), " ".join([ctx["keywords"]["primary"],
                                                                              *ctx["keywords"]["secondary"]])))
    return Validator(Limits(), CopyIndex(0.9)).check(DraftCopy(**draft), check)[1]


@pytest.mark.parametrize("locale", ["en", "fr", "de", "es"])
def test_offline_copy_passes_the_validators_in_each_locale(locale):
    keywords = {"en": "oak serving board", "fr": "planche de service chêne", "de": "servierbrett eiche",
                "es": "tabla de servir de roble"}
    ctx = context(BOARD, "en")
    ctx["locale"], ctx["keywords"] = locale, {"primary": keywords[locale], "secondary": []}
    draft = compose(ctx)
    facts = product_facts(BOARD)
    check = DraftCheck(BOARD["id"], locale, tuple(ALL), keywords[locale],
                       Grounding.from_text(facts.grounding_text(), keywords[locale]))
    found = Validator(Limits(), CopyIndex(0.9)).check(DraftCopy(**draft), check)[1]
    assert found == [], found
    assert keywords[locale].lower() in draft["title"].lower()
    if locale != "en":  # adaptation: the English description is not reused in another language
        assert "juice groove" not in draft["body_html"]
        assert detect_language(draft["body_html"]) == locale


def test_every_fixture_product_passes_in_english_and_french():
    for product in PRODUCTS:
        for locale in ("en", "fr"):
            draft = compose(context(product, locale))
            assert validate(product, locale, draft) == [], (product["id"], locale, draft)


def test_the_provider_answers_with_schema_shaped_json_and_no_token_cost():
    ctx = context(BOARD, "fr")
    response = OfflineTemplateProvider().complete(Request(messages=(), schema=draft_json_schema(False),
                                                          context=ctx))
    assert set(json.loads(response.text)) == {"title", "body_html", "seo_title", "seo_description"}
    assert response.usage.tokens_in == 0 and response.finish_reason == "stop"
    assert OfflineTemplateProvider().complete(Request(messages=(), schema={}, context=ctx)).text == response.text


def test_fields_left_alone_come_back_null():
    draft = compose(context(BOARD, "en", fields=["seo_description"]))
    assert draft["title"] is None and draft["body_html"] is None and draft["seo_description"]


def test_a_duplicate_title_finding_gets_a_distinguishing_detail_on_repair():
    first = compose(context(BOARD, "en"))
    repair = [{"field": "title", "code": "duplicate_title", "message": "title is the same as product 'x''s"}]
    second = compose(context(BOARD, "en", attempt=1, repair=repair))
    assert second["title"] != first["title"] and "oak serving board" in second["title"].lower()


def test_a_title_taken_by_a_similar_product_is_not_reused():
    first = compose(context(BOARD, "en"))
    again = compose(context(BOARD, "en", similar=[first["title"]]))
    assert again["title"] != first["title"]


def test_phrase_banks_make_no_claims_name_no_material_and_hold_no_numbers():
    for lang, bank in PHRASES.items():
        for slot, phrases in bank.items():
            for phrase in phrases:
                assert not claims_in(phrase), (lang, slot, phrase)
                assert not materials_in(phrase), (lang, slot, phrase)
                assert not ANY_META_TEXT.search(phrase.replace("{", "").replace("}", "")), (lang, slot, phrase)
                assert not any(ch.isdigit() for ch in re.sub(r"\{\w+\}", "", phrase)), (lang, slot, phrase)


def test_tighter_limits_from_settings_are_what_the_offline_writer_keeps_to():
    tight = SeoLimits(title_max_chars=32, seo_title_max_chars=36, seo_title_max_px=400, title_suffix=" | Hollis",
                      seo_description_max_chars=120, body_min_words=90)
    ctx = context(BOARD, "en")
    ctx["limits"] = asdict(tight)
    draft = compose(ctx)
    assert len(draft["title"]) <= 32 and len(draft["seo_title"]) <= 36
    assert tight.seo_title_width(draft["seo_title"]) <= 400
    assert 70 <= len(draft["seo_description"]) <= 120
    assert SeoLimits.description_words(strip_html(draft["body_html"])) >= 90
    facts = product_facts(BOARD)
    check = DraftCheck(BOARD["id"], "en", tuple(ALL), ctx["keywords"]["primary"],
                       Grounding.from_text(facts.grounding_text(), " ".join([ctx["keywords"]["primary"],
                                                                              *ctx["keywords"]["secondary"]])))
    found = Validator(tight, CopyIndex(0.9)).check(DraftCopy(**draft), check)[1]
    assert found == [], found
