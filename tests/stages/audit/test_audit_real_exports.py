"""What real exports showed the audit missing (issue #16, item 6): entity text and stray spaces in titles,
colour/size families reported as one family, each product once per group card, and a thin rule that counts
information rather than words."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pipeline.config import load_settings
from pipeline.core.catalog import COLUMNS, finish_row
from pipeline.stages.audit import products as audit_products
from pipeline.stages.audit import report
from pipeline.stages.audit.checks import (
    FINDINGS,
    VARIANT_WORDS,
    AuditConfig,
    decoded,
    distinct_sentences,
    entity_texts,
    spacing_problems,
)
from pipeline.stages.audit.duplicates import DuplicateGroup
from pipeline.stages.audit.stage import audit_catalog, audit_config

CONFIG = AuditConfig()
VOCABULARY = "oak linen wool brass walnut ceramic bench lamp shade stool vase bowl soft warm woven carved".split()


def product(n: int, **fields) -> dict:
    """A product with no findings at all (as in test_audit.py), unless `fields` plant one."""
    rng = random.Random(n)
    base = {
        "id": f"gid://shopify/Product/{n}", "handle": f"product-{n}", "title": f"Vellmar{n} Linen Reading Lamp",
        "body_html": "<p>" + " ".join(rng.choice(VOCABULARY) + str(rng.randrange(1000)) for _ in range(80)) + "</p>",
        "vendor": "Nordhaus Living", "product_type": f"Type {n}", "status": "active",
        "seo_title": f"Vellmar{n} linen reading lamp | Hollis & Fern",
        "seo_description": f"The Vellmar{n} reading lamp in washed linen and brass, made by hand in Portugal for "
                           "calm evenings.",
        "variants": [{"sku": f"NH-LMP-{n:03d}", "option1": "Default Title"}],
    }
    base.update(fields)
    return base


def catalog(*products: dict) -> pd.DataFrame:
    return pd.DataFrame([finish_row(p) for p in products], columns=list(COLUMNS))


def findings_of(frame: pd.DataFrame, config: AuditConfig = CONFIG) -> pd.DataFrame:
    return audit_catalog(frame, config).findings


def codes(findings: pd.DataFrame, handle: str) -> set[str]:
    return set(findings.loc[findings["handle"] == handle, "code"])

# -- a) HTML entities in titles -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("title", "entities", "clean"), [
    ("Nova&trade; Jacket", "&trade;", "Nova™ Jacket"),
    ("Salt &amp; Pepper Mill", "&amp;", "Salt & Pepper Mill"),
    ("Halden Throw &#8482;", "&#8482;", "Halden Throw ™"),
    ("Halden Throw &#x2122; &ndash; Sage", "&#x2122;, &ndash;", "Halden Throw ™ – Sage"),
    ("Salt &amp;amp; Pepper Mill", "&amp;", "Salt & Pepper Mill"),  # encoded twice
    ("Caf&eacute; Mug&nbsp;Set", "&eacute;, &nbsp;", "Café Mug Set"),
])
def test_entity_text_in_a_title_is_reported_with_the_decoded_title(title, entities, clean):
    found = findings_of(catalog(product(1, title=title), product(2)))
    entity = found[found["code"] == "html_entity_in_title"]
    assert list(entity["handle"]) == ["product-1"] and entity["severity"].iloc[0] == "medium"
    evidence = entity["evidence"].iloc[0]
    assert f"shows {entities} as typed" in evidence and evidence.endswith(f"decoded: {clean!r}")
    assert codes(found, "product-2") == set()


@pytest.mark.parametrize("title", ["AT&T Phone Stand", "R&D Lab Stool", "Salt & Pepper Mill", "Tom &Jerry Mug",
                                   "Fish & Chips Plate &foo; Edition", "Salt &amp Pepper", "Nova™ Jacket"])
def test_decoded_text_and_ampersands_that_are_no_entity_are_fine(title):
    assert entity_texts(title) == []
    assert "html_entity_in_title" not in codes(findings_of(catalog(product(1, title=title))), "product-1")


def test_decoding_collapses_spaces_and_stops_at_plain_text():
    assert decoded("Nova&nbsp;&nbsp;Jacket") == "Nova Jacket"
    assert decoded("AT&amp;amp;amp;T") == "AT&T"
    assert decoded("AT&T") == "AT&T"


# -- b) extra spaces in titles and SEO titles -----------------------------------------------------------------------


@pytest.mark.parametrize(("title", "problem"), [
    ("Nova  Jacket", "doubled spaces"),
    (" Nova Jacket", "a leading space"),
    ("Nova Jacket ", "a trailing space"),
    ("Nova\tJacket", "a tab or line break"),
    ("Nova Jacket\n", "a trailing space"),
    ("  Nova   Jacket  ", "doubled spaces, a leading space, a trailing space"),
])
def test_doubled_leading_and_trailing_spaces_in_titles(title, problem):
    found = findings_of(catalog(product(1, title=title), product(2)))
    spaces = found[found["code"] == "extra_spaces_in_title"]
    assert list(spaces["handle"]) == ["product-1"] and spaces["severity"].iloc[0] == "low"
    assert f"has {problem};" in spaces["evidence"].iloc[0]
    assert spaces["evidence"].iloc[0].endswith("cleaned: 'Nova Jacket'")


def test_extra_spaces_in_an_seo_title_are_its_own_finding():
    found = findings_of(catalog(product(1, seo_title="Nova Jacket  | Hollis & Fern "), product(2)))
    assert codes(found, "product-1") == {"extra_spaces_in_seo_title"}
    evidence = found.loc[found["code"] == "extra_spaces_in_seo_title", "evidence"].iloc[0]
    assert "doubled spaces, a trailing space" in evidence and "'Nova Jacket | Hollis & Fern'" in evidence


@pytest.mark.parametrize("text", ["Nova Jacket", "Vase 10\u00a0cm", "", "   ", "手織り ウール"])
def test_single_spaces_and_empty_fields_have_no_spacing_problem(text):
    assert spacing_problems(text) == ""
    found = findings_of(catalog(product(1, title=text or "Nova Jacket", seo_title=text)))
    assert not {"extra_spaces_in_title", "extra_spaces_in_seo_title"} & codes(found, "product-1")


def test_new_title_codes_name_the_field_they_concern():
    # Generation maps a code to the field it rewrites by name when it does not know the code.
    for code in ("html_entity_in_title", "extra_spaces_in_title"):
        assert code in FINDINGS and code.endswith("_title") and "seo_title" not in code
    assert "seo_title" in "extra_spaces_in_seo_title"


# -- c) titles that differ only by a colour or size word are one family ---------------------------------------------


def family_rows(found):
    return found[found["code"] == "near_duplicate_title"]


def test_titles_differing_only_by_colour_or_size_are_one_family_not_a_100_percent_near_duplicate():
    found = findings_of(catalog(product(1, title="Nova Jacket Black"), product(2, title="Nova Jacket Navy"),
                                product(3, title="Nova Jacket XL"), product(4)))
    family = family_rows(found)
    assert set(family["handle"]) == {"product-1", "product-2", "product-3"} and family["group_id"].nunique() == 1
    for evidence in family["evidence"]:
        assert "≥100%" not in evidence and "similar" not in evidence
        assert "one family with 2 other products" in evidence and "(black, navy, xl)" in evidence
        assert "'nova jacket'" in evidence
    assert "generic_title" not in set(found["code"]) and codes(found, "product-4") == set()


@pytest.mark.parametrize("titles", [
    ("Veste Nova Noir", "Veste Nova Marine", "Veste Nova Grande"),
    ("Nova Jacke Schwarz", "Nova Jacke Grün", "Nova Jacke Weiß"),
    ("Chaqueta Nova Negra", "Chaqueta Nova Roja", "Chaqueta Nova Pequeña"),
    ("Nova Jacket Charcoal", "Nova Jacket Olive", "Nova Jacket Mustard"),  # colours the old list did not have
])
def test_colour_and_size_words_in_french_german_and_spanish(titles):
    found = findings_of(catalog(*(product(n, title=title) for n, title in enumerate(titles, start=1))))
    family = family_rows(found)
    assert len(family) == 3 and family["group_id"].nunique() == 1
    assert all("one family" in evidence for evidence in family["evidence"])


def test_the_variant_words_come_from_the_lexicon_in_four_languages():
    for word in ("black", "noir", "schwarz", "negro", "charcoal", "anthrazit", "weiss", "xl", "queen", "klein",
                 "pequeño", "gold"):
        assert word in VARIANT_WORDS, word


def test_a_bare_name_and_its_coloured_sibling_are_one_family_and_neither_is_generic():
    found = findings_of(catalog(product(1, title="Nova Jacket"), product(2, title="Nova Jacket Black"), product(3)))
    family = family_rows(found)
    assert set(family["handle"]) == {"product-1", "product-2"}
    assert "(black)" in family["evidence"].iloc[0] and "≥100%" not in family["evidence"].iloc[0]
    assert "generic_title" not in set(found["code"])


@pytest.mark.parametrize("other", ["Nova Parka Black", "Nova Jacket Hooded", "Vega Jacket Black"])
def test_a_title_that_differs_by_more_than_a_variant_word_is_no_family(other):
    found = findings_of(catalog(product(1, title="Nova Jacket Black"), product(2, title=other)))
    assert "near_duplicate_title" not in set(found["code"])


def test_look_alike_titles_that_are_no_family_say_what_is_the_same_without_a_100_percent():
    found = findings_of(catalog(product(1, title="Halden Linen Napkin"), product(2, title="Halden Linen Napkins")))
    near = family_rows(found)
    assert set(near["handle"]) == {"product-1", "product-2"}
    assert all("≥100%" not in e and "family" not in e and "plurals" in e for e in near["evidence"])


def test_the_report_card_calls_a_family_a_family():
    frame = catalog(product(1, title="Nova Jacket Black"), product(2, title="Nova Jacket Navy"), product(3))
    outcome = audit_catalog(frame, CONFIG)
    page = report.render_html(store="t", findings=outcome.findings, catalog=frame, groups=outcome.groups)
    assert "one family: the titles differ only by black, navy" in page and "similarity ≥ 1.00" not in page


# -- d) each product once per group card ----------------------------------------------------------------------------


def group_cards(page: str) -> list[str]:
    section = page.split("<h2>Duplicate groups</h2>", 1)[1].split("<h2>Products in priority order</h2>", 1)[0]
    return section.split('<div class="group">')[1:]


def test_a_product_listed_twice_is_one_member_of_its_group_and_shown_once():
    twice = product(1, title="Halden Linen Throw")
    frame = catalog(twice, dict(twice), product(2, title="Halden Linen Throw"), product(3))
    outcome = audit_catalog(frame, CONFIG)
    (group,) = [g for g in outcome.groups if g.field == "title"]
    assert group.members == [0, 2]
    exact = outcome.findings[outcome.findings["code"] == "exact_duplicate_title"]
    assert all("1 other product: " in e for e in exact["evidence"])
    assert "product-1" not in exact.loc[exact["handle"] == "product-1", "evidence"].iloc[0]
    (card,) = group_cards(report.render_html(store="t", findings=outcome.findings, catalog=frame,
                                             groups=outcome.groups))
    assert card.count("<strong>product-1</strong>") == 1 and card.count("<strong>product-2</strong>") == 1
    assert "exact_duplicate_title · 2 products" in card


def test_the_card_shows_each_product_once_whatever_group_it_is_given():
    frame = catalog(product(1, title="Halden Linen Throw"), product(2, title="Halden Linen Throw"),
                    product(1, title="Halden Linen Throw"))
    group = DuplicateGroup("title-exact-x", "title", "exact", [0, 1, 2], 1.0)
    findings = audit_catalog(frame, CONFIG).findings
    (card,) = group_cards(report.render_html(store="t", findings=findings, catalog=frame, groups=[group]))
    assert card.count("<strong>product-1</strong>") == 1 and "· 2 products" in card


def test_a_title_card_shows_each_title_once():
    frame = catalog(product(1, title="Halden Linen Throw"), product(2, title="Halden Linen Throw"))
    outcome = audit_catalog(frame, CONFIG)
    (card,) = group_cards(report.render_html(store="t", findings=outcome.findings, catalog=frame,
                                             groups=outcome.groups))
    assert card.count("Halden Linen Throw") == 2  # one per product


# -- e) thin content counts information, not words ------------------------------------------------------------------

BULLETS_40 = ("<p>A washed linen duvet cover.</p><ul><li>100% European flax linen, 160 gsm</li>"
              "<li>Size: 200 x 200 cm, fits double duvets</li><li>Hidden button closure and corner ties</li>"
              "<li>Machine wash at 40°C, tumble dry low</li><li>OEKO-TEX Standard 100 certified</li>"
              "<li>Made in Portugal</li></ul>")
PADDED_80 = ("<p>This is a wonderful product that you will love. It is perfect for anyone and makes a great "
             "addition to any home. Our customers always tell us how much they love it, and we are sure you will "
             "too. It is the ideal choice for everyday life and special occasions alike. Do not miss out on this "
             "amazing item, order yours today and see the difference. Quality "
             "you can trust, style you will adore, and value that speaks for itself.</p>")
FILLER_40 = ("<p>This is a wonderful product that you will love. It is perfect for anyone and makes a great "
             "addition to any home. Our customers tell us how much they love it, and we are sure you will "
             "too. Order today.</p>")
SHORT_FACTS = "<ul><li>100% linen, 50 x 70 cm</li><li>Machine wash 40°C</li><li>Made in Portugal</li></ul>"
GERMAN_65 = ("<p>Diese handgewebte Decke aus reiner Schurwolle hält im Winter warm und bleibt im Sommer luftig. "
             "Gefertigt in einer kleinen Weberei im Allgäu, gefärbt mit Pflanzenfarben, waschbar im Wollprogramm. "
             "Die Fransen sind von Hand geknotet und jede Decke trägt die Unterschrift der Weberin, die sie gewebt "
             "hat. Bitte nicht in den Trockner geben, sondern liegend an der Luft trocknen lassen und danach sanft "
             "ausschütteln.</p>")


def thin_evidence(body: str, config=CONFIG, **fields) -> str | None:
    found = findings_of(catalog(product(1, body_html=body, title="Nova Linen Duvet Cover", **fields)), config)
    rows = found.loc[found["code"] == "thin_description", "evidence"]
    return rows.iloc[0] if len(rows) else None


def test_a_40_word_bullet_description_with_facts_is_not_thin():
    assert thin_evidence(BULLETS_40) is None


def test_a_padded_80_word_filler_text_is_thin():
    evidence = thin_evidence(PADDED_80)
    assert evidence is not None and evidence.startswith("80 words but 0 facts or product-specific sentences: padding")


def test_a_40_word_text_without_facts_is_thin():
    evidence = thin_evidence(FILLER_40)
    assert evidence is not None and evidence.startswith("40 words with 0 facts or product-specific sentences")
    assert "under 50 words a description needs 4" in evidence


def test_very_short_text_is_thin_however_dense():
    assert thin_evidence(SHORT_FACTS) == "13 words: too short to describe a product (floor 20)"


def test_a_description_in_another_language_is_read_in_that_language():
    assert thin_evidence(GERMAN_65) is None


def test_a_catalogue_language_the_measure_cannot_read_keeps_the_word_minimum():
    italian = replace(CONFIG, locale="it")
    assert thin_evidence(BULLETS_40, italian) == "40 words (minimum 50)"
    assert thin_evidence(PADDED_80, italian) is None


def test_the_thresholds_are_settings():
    assert thin_evidence(BULLETS_40, replace(CONFIG, thin_min_information=30)) is not None
    assert thin_evidence(SHORT_FACTS, replace(CONFIG, thin_floor_words=10)) is None
    assert thin_evidence(PADDED_80, replace(CONFIG, padding_min_information=0)) is None


def test_the_catalogue_language_comes_from_the_primary_locale(tmp_path: Path):
    path = tmp_path / "seo.toml"
    path.write_text('[pipeline]\nlocales = ["fr", "en"]\n', encoding="utf-8")
    assert audit_config(load_settings(path)).locale == "fr"
    path.write_text('[pipeline]\nlocales = ["en", "fr"]\n', encoding="utf-8")
    assert audit_config(load_settings(path)).locale == "en"


def test_information_is_measured_only_where_the_verdict_depends_on_it(monkeypatch):
    calls = []

    def counting(body_html, sheet, locale):
        calls.append(body_html)
        return 10

    monkeypatch.setattr(audit_products, "information_count", counting)
    # Clean products: long descriptions full of numbers; a list; under the floor; empty.
    findings_of(catalog(*(product(n) for n in range(5)), product(6, body_html=BULLETS_40 * 2),
                        product(7, body_html=SHORT_FACTS), product(8, body_html="")))
    assert calls == []
    findings_of(catalog(product(1, body_html=BULLETS_40), product(2, body_html=PADDED_80)))
    assert calls == [BULLETS_40, PADDED_80]


def test_a_sentence_said_three_times_is_information_once():
    once = "<p>Soft linen throw, washed for a lived-in feel.</p>"
    assert distinct_sentences(BULLETS_40) == BULLETS_40  # nothing repeats: measured as it is
    assert distinct_sentences(once * 3) == once
    assert distinct_sentences("<ul><li>Oak top.</li><li>oak top.</li><li>Steel legs</li></ul><script>x.</script>"
                              ) == "<p>Oak top.</p><p>Steel legs</p>"
    evidence = thin_evidence(once * 4)  # four times the sentence would be four product-specific sentences
    assert evidence is not None and evidence.startswith("32 words with 2 facts or product-specific sentences")
