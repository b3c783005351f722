"""Content gates: each defect class, good and bad, per locale, with the tricky goods that must pass."""

from __future__ import annotations

import json

import pytest

from pipeline.gates.content import FactSheet, ProductFactsInput, build_fact_sheet, check_content, information_count

SHIRT = ProductFactsInput(
    title="Harbour Linen Shirt", vendor="Tidewater Clothing", product_type="Shirts", tags=("linen", "summer"),
    body_html="<p>A relaxed button-down shirt cut from washed European linen.</p><ul><li>100% linen</li>"
              "<li>Buttons: corozo nut</li><li>Machine wash at 30°C, line dry</li></ul>",
    options=({"name": "Size", "values": ["S", "M", "L", "XL"]},
             {"name": "Color", "values": ["White", "Red", "Navy", "Grey", "Sage", "Black"]}),
    variants=tuple({"sku": f"TW-HLS-{s}-{c[:3].upper()}", "options": [s, c]}
                   for s in ("S", "M", "L", "XL") for c in ("White", "Red", "Navy", "Grey", "Sage", "Black")))
LAMP = ProductFactsInput(
    title="Juovik Floor Lamp", vendor="Oakridge Workshop", product_type="Indoor",
    body_html="<p>A slim floor lamp with a warm glow.</p><ul><li>Base: solid oak</li><li>Shade: linen</li>"
              "<li>Height 150 cm</li><li>8 ft cord with foot switch</li></ul>")
NECKLACE = ProductFactsInput(
    title="Luna Pendant Necklace", vendor="Marlo Jewellery", product_type="Necklaces",
    body_html="<p>A crescent pendant on a 45 cm brass chain. The clasp is sterling silver.</p>")
CABLE = ProductFactsInput(
    title="Lumo Braided USB-C Cable", vendor="Lumo", product_type="Cables",
    body_html="<p>USB-C to USB-C, up to 100 W. Braided nylon jacket.</p>")

GOOD_SHIRT = {
    "en": {"title": "Harbour Linen Shirt", "seo_title": "Harbour Linen Shirt | Tidewater Clothing",
           "body_html": "<p>A relaxed button-down shirt cut from washed European linen, available in 6 colours "
                        "and sizes S to XL.</p><ul><li>100% linen</li><li>Corozo nut buttons</li>"
                        "<li>Machine wash at 30°C, line dry</li></ul>"},
    "fr": {"title": "Chemise en lin Harbour", "seo_title": "Chemise en lin Harbour | Tidewater Clothing",
           "body_html": "<p>Une chemise boutonnée décontractée, taillée dans un lin européen lavé, disponible en "
                        "6 coloris.</p><ul><li>100 % lin</li><li>Boutons en corozo</li>"
                        "<li>Lavage en machine à 30 °C, séchage à l'air</li></ul>"},
    "de": {"title": "Harbour Leinenhemd", "seo_title": "Harbour Leinenhemd | Tidewater Clothing",
           "body_html": "<p>Ein lässiges Hemd aus gewaschenem europäischem Leinen, erhältlich in 6 Farben.</p>"
                        "<ul><li>100 % Leinen</li><li>Knöpfe aus Steinnuss</li>"
                        "<li>Maschinenwäsche bei 30 °C, lufttrocknen</li></ul>"},
    "es": {"title": "Camisa de lino Harbour", "seo_title": "Camisa de lino Harbour | Tidewater Clothing",
           "body_html": "<p>Una camisa relajada de lino europeo lavado, disponible en 6 colores.</p>"
                        "<ul><li>100 % lino</li><li>Botones de corozo</li>"
                        "<li>Lavar a máquina a 30 °C, secar al aire</li></ul>"},
}


@pytest.fixture(scope="module")
def shirt() -> FactSheet:
    return build_fact_sheet(SHIRT)


def codes(draft, sheet, locale, **kw) -> set[str]:
    return {f.code for f in check_content(draft, sheet, locale=locale, **kw)}


@pytest.mark.parametrize("locale", ["en", "fr", "de", "es"])
def test_good_rewrites_pass_in_every_locale(shirt, locale):
    assert check_content(GOOD_SHIRT[locale], shirt, locale=locale) == []


def test_fact_sheet_keeps_scope_variants_and_round_trips():
    sheet = build_fact_sheet(LAMP)
    assert sheet.head_noun == "floor lamp" and sheet.name == ("juovik",)
    assert sheet.materials["oak"] == ("base",) and sheet.materials["linen"] == ("shade",)
    shirt = build_fact_sheet(SHIRT)
    assert {o.name: o.level for o in shirt.options} == {"Size": "variant", "Color": "variant"}
    assert FactSheet.from_dict(json.loads(json.dumps(shirt.to_dict()))) == shirt


def test_non_noun_product_type_is_never_the_head_noun():
    sheet = build_fact_sheet(ProductFactsInput(title="HX-2291-B", product_type="Outdoor"))
    assert sheet.head_noun is None and sheet.head_word == ""


@pytest.mark.parametrize(("locale", "title"), [
    ("en", "Harbour Linen Linen Shirt"), ("fr", "Chemise en lin Harbour, chemise d'été"),
    ("de", "Harbour Leinenhemd aus Leinen"), ("es", "Camisa de lino Harbour camisa"),
])
def test_repeated_word(shirt, locale, title):
    assert "repeated_word" in codes({"title": title}, shirt, locale)


def test_brand_suffix_is_not_a_repeat():
    sheet = build_fact_sheet(ProductFactsInput(title="Lumo Slim Power Bank", vendor="Lumo"))
    assert codes({"seo_title": "Lumo Slim Power Bank | Lumo"}, sheet, "en") == set()


@pytest.mark.parametrize(("locale", "title"), [
    ("en", "Harbour Linen Blouse"), ("en", "Linen Shirt"), ("fr", "Robe en lin Harbour"),
    ("de", "Harbour Leinenkleid"), ("es", "Vestido de lino Harbour"),
])
def test_identity_changed(shirt, locale, title):
    assert "identity_changed" in codes({"title": title}, shirt, locale)


def test_german_compound_and_loanwords_keep_identity():
    lamp = build_fact_sheet(LAMP)
    assert codes({"title": "Juovik Stehlampe mit Eichenfuß"}, lamp, "de") == set()
    tee = build_fact_sheet(ProductFactsInput(title="Fernhill Organic Cotton T-Shirt", product_type="Default"))
    for title, loc in (("Fernhill Bio-Baumwoll-T-Shirt", "de"), ("T-shirt Fernhill en coton bio", "fr")):
        assert codes({"title": title}, tee, loc) == set()
    hoodie = build_fact_sheet(ProductFactsInput(title="Nova Hoodie", product_type="Sale"))
    assert codes({"title": "Nova Hoodie mit Kapuze"}, hoodie, "de") == set()


def test_keyword_may_not_retitle_the_product():
    lamp = build_fact_sheet(LAMP)
    assert "identity_changed" in codes({"title": "Juovik Floor Lamp Rug"}, lamp, "en", keyword="jute rug")


@pytest.mark.parametrize(("locale", "field", "text"), [
    ("fr", "title", "Harbour Linen Shirt for Summer"),
    ("de", "body_html", "<p>A relaxed shirt cut from washed European linen. It has corozo buttons and it is "
                        "machine washable at 30°C, then line dry. 100% linen.</p>"),
    ("es", "seo_description", "Relaxed button-down shirt in 100% washed European linen with corozo buttons."),
])
def test_wrong_language(shirt, locale, field, text):
    assert "wrong_language" in codes({field: text}, shirt, locale)


def test_model_codes_and_names_are_no_language():
    cable = build_fact_sheet(CABLE)
    assert "wrong_language" not in codes({"title": "Câble USB-C tressé Lumo"}, cable, "fr")
    assert "wrong_language" not in codes({"title": "Lumo USB-C Kabel"}, cable, "de")


@pytest.mark.parametrize(("locale", "body"), [
    ("en", "<p>This red shirt is cut from linen.</p>"),
    ("fr", "<p>Cette chemise rouge est taillée dans le lin.</p>"),
    ("de", "<p>Artikelnummer: TW-HLS-M-RED. Leinenhemd.</p>"),
    ("es", "<p>Referencia TW-HLS-S-WHI, camisa de lino.</p>"),
])
def test_variant_as_product(shirt, locale, body):
    assert "variant_as_product" in codes({"body_html": body}, shirt, locale, allow_dropped=frozenset(
        {"material", "percentage", "measurement", "care", "feature"}))


def test_translated_size_code_is_variant_as_product(shirt):
    assert "variant_as_product" in codes({"body_html": "<p>Une chemise en lin, taille très grand.</p>"}, shirt, "fr")


def test_listing_variants_is_fine(shirt):
    body = "<p>Available in red, navy and grey, sizes S, M, L and XL.</p>"
    assert "variant_as_product" not in codes({"body_html": body}, shirt, "en")


@pytest.mark.parametrize("locale", ["en", "fr", "de", "es"])
def test_facts_dropped(shirt, locale):
    body = GOOD_SHIRT[locale]["body_html"].replace("30", "40")
    found = check_content({"body_html": body}, shirt, locale=locale)
    assert any(f.code == "facts_dropped" and "30" in f.message for f in found)
    assert "facts_dropped" not in codes({"body_html": body}, shirt, locale, allow_dropped=frozenset(
        {"measurement", "care", "feature"}))


@pytest.mark.parametrize(("locale", "body"), [
    ("en", "<p>A floor lamp made of wood, 150 cm tall.</p>"),
    ("de", "<p>Die Stehlampe besteht aus Holz, 150 cm hoch.</p>"),
    ("fr", "<p>Un lampadaire en laiton de 150 cm.</p>"),
    ("es", "<p>Lámpara de pie de 150 cm con garantía de 5 años.</p>"),
])
def test_facts_invented_or_widened(locale, body):
    assert "facts_invented" in codes({"body_html": body}, build_fact_sheet(LAMP), locale)


def test_part_material_at_its_scope_is_fine():
    necklace = build_fact_sheet(NECKLACE)
    assert "facts_invented" not in codes({"body_html": "<p>Die Kette ist aus Messing, der Verschluss aus "
                                                       "Sterlingsilber, 45 cm.</p>"}, necklace, "de")
    assert "facts_invented" in codes({"body_html": "<p>Die Halskette besteht aus Silber.</p>"}, necklace, "de")


@pytest.mark.parametrize(("locale", "text"), [
    ("en", "Looking for a linen shirt? This one is worth a look."), ("fr", "Vous cherchez une chemise en lin ?"),
    ("de", "Suchen Sie ein Leinenhemd?"), ("es", "¿Buscas una camisa de lino?"),
    ("en", "A linen shirt that completes your home."),
])
def test_search_talk(shirt, locale, text):
    assert "search_talk" in codes({"seo_description": text}, shirt, locale)


def test_padding_and_information_count(shirt):
    filler = GOOD_SHIRT["en"]["body_html"] + "<p>Quality you can see and feel. A reliable companion for every day."
    filler += " It is simply a great everyday choice.</p>"
    assert "padding" in codes({"body_html": filler}, shirt, "en")
    assert information_count(GOOD_SHIRT["en"]["body_html"], shirt, "en") >= information_count(
        "<p>A shirt.</p>", shirt, "en") + 3
