"""audit findings on small hand-made catalogues: each finding fires where it should and nowhere else."""

from __future__ import annotations

import random
from dataclasses import replace

import pandas as pd
import pytest

from pipeline.core.catalog import COLUMNS, finish_row
from pipeline.core.seo_limits import SeoLimits
from pipeline.errors import ConfigError
from pipeline.stages.audit.checks import AuditConfig
from pipeline.stages.audit.stage import audit_catalog

VOCABULARY = """oak linen wool brass walnut ceramic stoneware glaze weave cotton jute rattan marble cedar maple
bench lamp shade stool vase bowl plate mug throw cushion blanket quilt rug curtain towel robe basket tray
soft warm bright heavy light woven knitted carved turned polished brushed honed hammered fluted ribbed
morning evening kitchen bedroom hallway garden porch window table shelf corner reading cooking sleeping
family guest winter summer autumn spring coast forest valley river harbour meadow village workshop studio
""".split()
CONFIG = AuditConfig()


def unique_body(seed: int, words: int = 80) -> str:
    """A description of random words: no two seeds come anywhere near the near-duplicate threshold."""
    rng = random.Random(seed)
    return "<p>" + " ".join(rng.choice(VOCABULARY) + str(rng.randrange(1000)) for _ in range(words)) + "</p>"


def product(n: int, **fields) -> dict:
    """A product with no findings at all, unless `fields` plant one."""
    base = {
        "id": f"gid://shopify/Product/{n}", "handle": f"product-{n}", "title": f"Vellmar{n} Linen Reading Lamp",
        "body_html": unique_body(n), "vendor": "Nordhaus Living", "product_type": f"Type {n}", "status": "active",
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


def test_a_clean_catalogue_has_no_findings():
    assert findings_of(catalog(*(product(n) for n in range(6)))).empty


def test_exact_duplicate_titles_are_grouped_after_normalising_case_and_whitespace():
    found = findings_of(catalog(product(1, title="Halden  Linen Duvet Cover"),
                                product(2, title="halden linen duvet COVER"),
                                product(3, title="Halden Linen Duvet Cover "), product(4)))
    rows = found[found["code"] == "exact_duplicate_title"]
    assert set(rows["handle"]) == {"product-1", "product-2", "product-3"}
    assert rows["group_id"].nunique() == 1 and rows["severity"].eq("high").all()
    assert "product-2" in rows.loc[rows["handle"] == "product-1", "evidence"].iloc[0]
    assert codes(found, "product-4") == set()


def test_description_duplicates_ignore_html_and_three_copies_are_manufacturer_copy():
    text = unique_body(99)[3:-4]
    pair = [product(1, body_html=f"<p>{text}</p>"),
            product(2, body_html=f"<div><span style=''>{text.upper()}</span></div>")]
    trio = [product(n, body_html=f"<p>{unique_body(7)[3:-4]}</p>") for n in (3, 4, 5)]
    found = findings_of(catalog(*pair, *trio, product(6)))
    assert set(found.loc[found["code"] == "exact_duplicate_description", "handle"]) == {"product-1", "product-2"}
    assert set(found.loc[found["code"] == "shared_description", "handle"]) == {"product-3", "product-4", "product-5"}
    assert codes(found, "product-6") == set()


def test_a_short_stub_on_many_products_is_thin_and_duplicate_not_manufacturer_copy():
    stub = "<ul><li>Mouth-blown soda-lime glass</li><li>Hand wash with warm, soapy water</li></ul>"
    found = findings_of(catalog(*(product(n, body_html=stub) for n in range(4))))
    assert set(found["code"]) == {"thin_description", "exact_duplicate_description"}
    assert found.loc[found["code"] == "exact_duplicate_description", "group_id"].nunique() == 1


def test_duplicate_seo_fields_are_found():
    same_title, same_description = "Linen lamp | Hollis & Fern", "A" * 100
    found = findings_of(catalog(product(1, seo_title=same_title, seo_description=same_description),
                                product(2, seo_title=same_title.lower(), seo_description=same_description), product(3)))
    assert codes(found, "product-1") == {"exact_duplicate_seo_title", "exact_duplicate_seo_description"}
    assert codes(found, "product-3") == set()


def test_near_duplicate_descriptions_form_one_group_and_respect_the_threshold():
    words = unique_body(42, 120)[3:-4].split()
    edited = list(words)
    edited[60] = "different"  # one word of 120: about 95% of the 3-word shingles survive
    far = list(words)
    for i in range(0, 120, 12):
        far[i] = f"changed{i}"  # ten words: about 78% similar
    frame = catalog(product(1, body_html=f"<p>{' '.join(words)}</p>"),
                    product(2, body_html=f"<ul><li>{' '.join(edited)}</li></ul>"),
                    product(3, body_html=f"<p>{' '.join(far)}</p>"), product(4))
    found = findings_of(frame)
    near = found[found["code"] == "near_duplicate_description"]
    assert set(near["handle"]) == {"product-1", "product-2"} and near["group_id"].nunique() == 1
    looser = findings_of(frame, replace(CONFIG, near_duplicate_threshold=0.6))
    assert set(looser.loc[looser["code"] == "near_duplicate_description", "handle"]) == {
        "product-1", "product-2", "product-3"}


def test_non_english_near_duplicates_and_word_counts():
    german = ("Diese handgewebte Decke aus reiner Schurwolle hält im Winter warm und bleibt im Sommer luftig. "
              "Gefertigt in einer kleinen Weberei im Allgäu, gefärbt mit Pflanzenfarben, waschbar bei dreißig Grad "
              "im Wollprogramm. Die Fransen sind von Hand geknotet und jede Decke trägt die Unterschrift der Weberin, "
              "die sie gewebt hat. Maße einhundertdreißig mal einhundertachtzig Zentimeter, Gewicht etwa ein Kilo. "
              "Bitte nicht in den Trockner geben, sondern liegend an der Luft trocknen lassen und danach sanft "
              "ausschütteln.")
    japanese = "<p>手織りのウールブランケットです。冬は暖かく、夏は涼しく使えます。</p>"
    found = findings_of(catalog(product(1, body_html=f"<p>{german}</p>"),
                                product(2, body_html=f"<p>{german.replace('Allgäu', 'Schwarzwald')}</p>"),
                                product(3, body_html=japanese)))
    assert codes(found, "product-1") == {"near_duplicate_description"}
    assert codes(found, "product-2") == {"near_duplicate_description"}
    thin = found[(found["handle"] == "product-3") & (found["code"] == "thin_description")]
    assert len(thin) == 1 and thin["evidence"].iloc[0].startswith("29 words")  # one word per kana/kanji


@pytest.mark.parametrize(("title", "size_word"), [
    ("Halden Linen Duvet Cover - Sage", "Sage"), ("Halden Linen Duvet Cover (Queen)", "Queen"),
    ("Halden Linen Duvet Cover, Large", "Large")])
def test_titles_differing_only_by_a_variant_word_are_near_duplicates(title, size_word):
    found = findings_of(catalog(
        product(1, title="Halden Linen Duvet Cover"), product(2, title=title),
        product(3, title="Solvik Linen Duvet Cover"),
        product(4, variants=[{"sku": "X-1", "option1": size_word}, {"sku": "X-2", "option1": "Clay"}])))
    near = found[found["code"] == "near_duplicate_title"]
    assert set(near["handle"]) == {"product-1", "product-2"}
    assert "product-3" not in set(found["handle"])


def test_a_variant_word_known_only_from_option_values_counts():
    titles = ["Marenby Stoneware Mug Ochre", "Marenby Stoneware Mug Petrol"]
    without = findings_of(catalog(product(1, title=titles[0]), product(2, title=titles[1])))
    assert "near_duplicate_title" not in set(without["code"])
    with_options = findings_of(catalog(
        product(1, title=titles[0], variants=[{"sku": "M-1", "option1": "Ochre"}, {"sku": "M-2", "option1": "Petrol"}]),
        product(2, title=titles[1])))
    assert set(with_options.loc[with_options["code"] == "near_duplicate_title", "handle"]) == {"product-1", "product-2"}


@pytest.mark.parametrize(("title", "fields", "reason"), [
    ("Cushion", {"product_type": "Cushion Covers"}, "only the product type"),
    ("Side table", {"product_type": "Side Tables"}, "only the product type"),
    ("New product", {}, "placeholder"),
    ("Untitled item 3", {}, "placeholder"),
    ("Copy of Halden Throw", {}, "Copy of"),
    ("Nordhaus Living", {}, "vendor"),
    ("Saltmarsh Linen Co.", {}, "vendor"),  # another vendor of the catalogue
    ("HX-2291-B", {}, "SKU-like"),
    ("NH-LMP-001", {}, "SKU-like"),
    ("Lampe", {}, "single word"),
    ("Nordhaus Table Lamp", {"product_type": "Table Lamps"}, "only vendor and product type"),
])
def test_generic_titles(title, fields, reason):
    frame = catalog(product(1, title=title, **fields), product(2, title="Halden Linen Throw", **fields),
                    product(3, vendor="Saltmarsh Linen Co."))
    found = findings_of(frame)
    generic = found[(found["handle"] == "product-1") & (found["code"] == "generic_title")]
    assert len(generic) == 1 and reason in generic["evidence"].iloc[0]
    assert "generic_title" not in codes(found, "product-2")


@pytest.mark.parametrize("title", ["Solvik Mug", "New Balance Linen Trainers", "Lampe de chevet en lin lavé",
                                   "Set of 4 Halden Dinner Plates", "手織りウールブランケット 大"])
def test_specific_titles_are_not_generic(title):
    assert "generic_title" not in set(findings_of(catalog(product(1, title=title)))["code"])


def test_caps_stuffing_and_length_of_titles():
    found = findings_of(catalog(
        product(1, title="HALDEN LINEN DUVET COVER"),
        product(2, title="Linen Duvet Cover | Best Linen Bedding | Linen Gift"),
        product(3, title="Halden Washed Linen Duvet Cover With Hidden Ties, Corner Loops and Envelope Closure"),
        product(4, title="Écharpe en laine mérinos ÉTÉ"), product(5, title="ÉCHARPE EN LAINE MÉRINOS")))
    assert codes(found, "product-1") == {"all_caps_title"}
    stuffed = found[found["code"] == "keyword_stuffed_title"]
    assert list(stuffed["handle"]) == ["product-2"] and "'linen' 3 times" in stuffed["evidence"].iloc[0]
    assert codes(found, "product-3") == {"long_title"}
    assert codes(found, "product-4") == set() and codes(found, "product-5") == {"all_caps_title"}


def test_thin_and_empty_descriptions_count_visible_words_only():
    heavy = ("<div class='rte'><p style='font-family: Arial; font-size: 14px; color: #333333'><span "
             "style='font-weight: 700'>Soft</span> linen&nbsp;throw, <a href='https://example.com/a/very/long/url'>"
             "washed</a> for a lived-in feel.</p><script>var tracking = 'words words words words words';</script>"
             "</div>") * 3
    found = findings_of(catalog(product(1, body_html=heavy), product(2, body_html=""),
                                product(3, body_html="<p>&nbsp;</p><p></p>"), product(4, body_html=unique_body(4, 49)),
                                product(5, body_html=unique_body(5, 50))))
    thin = found[found["code"] == "thin_description"].set_index("handle")["evidence"]
    assert thin["product-1"].startswith("24 words")  # 8 visible words x 3; script text is not visible
    assert thin["product-4"].startswith("49 words")
    assert codes(found, "product-2") == {"empty_description"}
    assert "empty_description" in codes(found, "product-3")
    assert codes(found, "product-5") == set()
    looser = findings_of(catalog(product(4, body_html=unique_body(4, 49))),
                         replace(CONFIG, limits=SeoLimits(body_min_words=40)))
    assert looser.empty


@pytest.mark.parametrize(("seo_title", "seo_description", "expected"), [
    ("", "d" * 100, {"missing_seo_title"}),
    ("t" * 60, "d" * 100, set()),
    ("t" * 61, "d" * 100, {"long_seo_title"}),
    ("Linen lamp", "", {"missing_seo_description"}),
    ("Linen lamp", "d" * 69, {"short_seo_description"}),
    ("Linen lamp", "d" * 70, set()),
    ("Linen lamp", "d" * 160, set()),
    ("Linen lamp", "d" * 161, {"long_seo_description"}),
    ("   ", "  ", {"missing_seo_title", "missing_seo_description"}),
])
def test_seo_field_limits(seo_title, seo_description, expected):
    assert codes(findings_of(catalog(product(1, seo_title=seo_title, seo_description=seo_description))),
                 "product-1") == expected


@pytest.mark.parametrize(("body", "problem"), [
    ('<p style="font-family: Arial">{}</p>', "inline styles"),
    ('<p class="MsoNormal">{}<o:p></o:p></p>', "MS Word markup"),
    ("<p>{}</p><p>&nbsp;</p>", "empty elements"),
    ("<p>{}</p><ul><li>Linen<li>Brass</ul>", "unclosed or stray <li>"),
    ("<div><p>{}</p><br><br></div>", "<br> soup"),
    ('<font face="Verdana">{}</font>', "<font> tags"),
])
def test_messy_html(body, problem):
    found = findings_of(catalog(product(1, body_html=body.format(unique_body(1)[3:-4])), product(2)))
    messy = found[found["code"] == "messy_html"]
    assert list(messy["handle"]) == ["product-1"] and problem in messy["evidence"].iloc[0]


def test_clean_rich_html_is_not_messy():
    body = (f"<h2>Linen</h2><p>{unique_body(3)[3:-4]}</p><ul><li><strong>Care:</strong> wash cold</li>"
            "<li>Made in Portugal</li></ul><p>Designed in <em>Lisbon</em>.<br>Ships in 3 days.</p>")
    assert findings_of(catalog(product(1, body_html=body))).empty


def test_priority_ranks_worse_and_live_products_first():
    found = findings_of(catalog(
        product(1, title="Product", body_html="", seo_title="", seo_description=""),
        product(2, seo_title=""),
        product(3, title="Product", body_html="", seo_title="", seo_description="", status="archived"),
        product(4)))
    priority = found.groupby("handle")["priority"].agg(["min", "max"])
    assert (priority["min"] == priority["max"]).all()  # one score per product, on each of its rows
    assert priority.loc["product-1", "max"] > priority.loc["product-3", "max"] > 0
    assert priority.loc["product-1", "max"] > priority.loc["product-2", "max"]
    assert found["priority"].is_monotonic_decreasing and "product-4" not in set(found["handle"])


def test_settings_are_validated():
    assert AuditConfig.from_section({"near_duplicate_threshold": 0.8}).near_duplicate_threshold == 0.8
    for section, message in [({"near_duplicate_threshold": 1.5}, "near_duplicate_threshold"),
                             ({"thin_description_words": "fifty"}, "must be an integer"),
                             ({"thin_description_words": 0}, "at least 1"),
                             ({"seo_description_min_chars": 200}, "above seo_description_max_chars"),
                             ({"thin_words": 50}, "unknown setting 'thin_words'")]:
        with pytest.raises(ConfigError, match=message):
            AuditConfig.from_section(section)


def test_titles_that_differ_by_a_name_are_not_near_duplicates_but_plurals_are():
    found = findings_of(catalog(product(1, title="Dasoley Beeswax Scented Candle"),
                                product(2, title="Fasoley Beeswax Scented Candle"),
                                product(3, title="Halden Linen Napkin"), product(4, title="Halden Linen Napkins")))
    near = found[found["code"] == "near_duplicate_title"]
    assert set(near["handle"]) == {"product-3", "product-4"}


def test_worker_processes_give_the_same_findings(monkeypatch):
    import pipeline.stages.audit.products as audit_products

    shared = unique_body(500)
    products = [product(n, body_html=shared if n % 7 == 0 else unique_body(n), title="Product" if n % 11 == 0
                        else f"Vellmar{n} Linen Reading Lamp", seo_title="" if n % 3 else f"Lamp {n}")
                for n in range(60)]
    frame = catalog(*products)
    alone = audit_catalog(frame, CONFIG).findings
    monkeypatch.setattr(audit_products, "PARALLEL_FROM", 0)
    monkeypatch.setattr(audit_products, "SLICE", 16)
    in_workers = audit_catalog(frame, CONFIG, workers=2).findings
    assert len(alone) > 60
    pd.testing.assert_frame_equal(alone, in_workers)
