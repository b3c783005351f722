"""One set of SEO limits ([limits] in seo.toml): the audit and the draft validator judge the same text alike."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.config import Settings, load_settings
from pipeline.core.catalog import COLUMNS, finish_row
from pipeline.core.seo_limits import SeoLimits
from pipeline.errors import ConfigError
from pipeline.gates.schema import DraftCopy
from pipeline.gates.similarity import CopyIndex
from pipeline.gates.validate import ALLOWED_TAGS, DraftCheck, Grounding, Validator
from pipeline.stages.audit.stage import audit_catalog, audit_config
from pipeline.stages.generate.prompts import SYSTEM, Prompts
from pipeline.stages.generate.stage import Brand, GenerateOptions

WRITTEN = ("title", "body_html", "seo_title", "seo_description")
SEO_TITLE_55 = "Vellmar Linen Reading Lamp with a Brass Stem and Switch"
PROSE = ("The Vellmar reading lamp has a washed linen shade on a slim brass stem and gives a soft warm light for "
         "the evening hours in a quiet corner of the living room or by the bed where you read before you sleep "
         "and the switch sits on the cord within easy reach of your hand").split()


def body(word_count: int, extra: str = "") -> str:
    chosen = (PROSE * 3)[:word_count - len(extra.split())]
    return f"<p>{' '.join(chosen)} {extra}</p>".replace(" </p>", "</p>")


def fields(**overrides: str) -> dict[str, str]:
    base = {"title": "Vellmar Linen Reading Lamp", "body_html": body(80), "seo_title": "Vellmar Linen Reading Lamp",
            "seo_description": "The Vellmar reading lamp: a washed linen shade on a slim brass stem, for a soft "
                               "and warm light in the evening."}
    base.update(overrides)
    return base


def settings_from(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "seo.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path)


def audit_codes(settings: Settings, copy: dict[str, str]) -> set[str]:
    row = finish_row({"id": "gid://shopify/Product/1", "handle": "vellmar-lamp", "vendor": "Nordhaus Living",
                      "product_type": "Reading Lamp", "status": "active",
                      "variants": [{"sku": "NH-1", "option1": "Default Title"}], **copy})
    findings = audit_catalog(pd.DataFrame([row], columns=list(COLUMNS)), audit_config(settings)).findings
    return set(findings["code"])


def validator_codes(settings: Settings, copy: dict[str, str]) -> set[tuple[str, str]]:
    limits = GenerateOptions.from_settings(settings).limits
    check = DraftCheck("p-1", "en", WRITTEN, None, Grounding.from_text(" ".join(copy.values())))
    found = Validator(limits, CopyIndex(0.9)).check(DraftCopy(**copy), check)[1]
    return {(f.field, f.code) for f in found}


@pytest.mark.parametrize("limit_setting", ["[limits]\nseo_title_max_chars = 50\n",
                                           "[audit]\nseo_title_max_chars = 50\n",
                                           "[generation.limits]\nseo_title_max_chars = 50\n"])
def test_one_seo_title_limit_changes_the_audit_and_the_validator_together(tmp_path, limit_setting):
    copy = fields(seo_title=SEO_TITLE_55)
    assert len(SEO_TITLE_55) == 55 and SeoLimits().seo_title_fits(SEO_TITLE_55)  # within 60 chars and 561 px
    default = settings_from(tmp_path, "[limits]\n")
    assert "long_seo_title" not in audit_codes(default, copy)
    assert validator_codes(default, copy) == set()

    tighter = settings_from(tmp_path, limit_setting)  # older files set it under [audit] or [generation.limits]
    assert "long_seo_title" in audit_codes(tighter, copy)
    assert validator_codes(tighter, copy) == {("seo_title", "too_long")}


def test_one_minimum_description_length_makes_a_text_thin_for_the_audit_and_too_short_for_the_validator(tmp_path):
    copy = fields(body_html=body(55))
    default = settings_from(tmp_path, "")
    assert "thin_description" not in audit_codes(default, copy)
    assert validator_codes(default, copy) == set()
    for text in ("[limits]\nbody_min_words = 60\n", "[audit]\nthin_description_words = 60\n"):
        stricter = settings_from(tmp_path, text)
        assert "thin_description" in audit_codes(stricter, copy)
        assert validator_codes(stricter, copy) == {("body_html", "too_short")}


def test_the_audit_and_the_validator_count_words_the_same_way(tmp_path):
    # "it’s" with a typographic apostrophe is one word for both; counted as two, 49 words would pass as 52.
    settings = settings_from(tmp_path, "")
    apostrophes = "it’s the shop’s lamp you’ll keep"
    short, enough = fields(body_html=body(49, apostrophes)), fields(body_html=body(50, apostrophes))
    assert SeoLimits.description_words(apostrophes) == 6
    assert "thin_description" in audit_codes(settings, short)
    assert ("body_html", "too_short") in validator_codes(settings, short)
    assert "thin_description" not in audit_codes(settings, enough)
    assert validator_codes(settings, enough) == set()


def test_the_prompt_states_the_limits_the_validator_applies(tmp_path):
    settings = settings_from(tmp_path, "[limits]\nseo_title_max_chars = 50\nbody_min_words = 80\n"
                                       "title_suffix = \" – Hollis & Fern\"\n")
    limits = GenerateOptions.from_settings(settings).limits
    system = Prompts().render(SYSTEM, brand=asdict(Brand()), limits=asdict(limits), allowed_tags=sorted(ALLOWED_TAGS),
                              allow_handle=False, fields=list(WRITTEN))
    assert "- seo_title: at most 50 characters" in system
    assert "- body_html: 80 to 600 words." in system
    assert "including the \" – Hollis & Fern\" the shop adds after it" in system


def test_settings_that_agree_in_the_old_and_new_sections_are_accepted(tmp_path):
    settings = settings_from(tmp_path, "[limits]\nbody_min_words = 40\n[audit]\nthin_description_words = 40\n"
                                       "[generation.limits]\nbody_min_words = 40\ntitle_suffix = \" | Shop\"\n")
    limits = SeoLimits.from_settings(settings)
    assert (limits.body_min_words, limits.title_suffix) == (40, " | Shop")
    assert audit_config(settings).limits == limits == GenerateOptions.from_settings(settings).limits


@pytest.mark.parametrize(("text", "message"), [
    ("[limits]\nseo_title_max_chars = 50\n[audit]\nseo_title_max_chars = 60\n",
     "[limits] seo_title_max_chars = 50 and [audit] seo_title_max_chars = 60 disagree; "
     "set it once, as [limits] seo_title_max_chars"),
    ("[audit]\nthin_description_words = 40\n[generation.limits]\nbody_min_words = 50\n",
     "[audit] thin_description_words = 40 and [generation.limits] body_min_words = 50 disagree; "
     "set it once, as [limits] body_min_words"),
    ("[limits]\ntitle_suffix = \" | A\"\n[generation.limits]\ntitle_suffix = \" | B\"\n",
     "[limits] title_suffix = ' | A' and [generation.limits] title_suffix = ' | B' disagree; "
     "set it once, as [limits] title_suffix"),
])
def test_old_and_new_keys_that_disagree_stop_with_one_line_naming_the_file_and_both_keys(tmp_path, capsys, text,
                                                                                         message):
    expected = f"{tmp_path / 'seo.toml'}: {message}"
    with pytest.raises(ConfigError) as error:  # checked once, when the settings are loaded
        settings_from(tmp_path, text)
    assert str(error.value) == expected
    for stage in ("audit", "generate"):
        code = main(["--workspace", str(tmp_path / "ws"), "--store", "t", "--config", str(tmp_path / "seo.toml"),
                     stage])
        out, err = capsys.readouterr()
        assert (code, out, err) == (2, "", f"error: {expected}\n")
    assert not (tmp_path / "ws" / "t" / "audit.parquet").exists()


@pytest.mark.parametrize(("text", "message"), [
    ("[limits]\nseo_title_max_characters = 50\n", "[limits] unknown setting 'seo_title_max_characters' (known: "
     "title_max_chars, title_max_px, seo_title_max_chars, seo_title_max_px, seo_description_min_chars, "
     "seo_description_max_chars, seo_description_max_px, body_min_words, body_max_words, title_suffix)"),
    ("[limits]\nseo_title_max_chars = 50.5\n", "[limits] seo_title_max_chars = 50.5 must be an integer"),
    ("[limits]\nbody_min_words = true\n", "[limits] body_min_words = True must be an integer"),
    ("[limits]\ntitle_max_px = \"wide\"\n", "[limits] title_max_px = 'wide' must be a number"),
    ("[limits]\ntitle_suffix = 3\n", "[limits] title_suffix = 3 must be a string"),
    ("[limits]\nseo_description_max_chars = 0\n", "[limits] seo_description_max_chars must be at least 1, not 0"),
    ("[limits]\nseo_description_max_chars = 60\n",
     "[limits] seo_description_min_chars = 70 is above seo_description_max_chars (60)"),
    ("[generation.limits]\nseo_description_min_chars = 170\n",
     "[generation.limits] seo_description_min_chars = 170 is above seo_description_max_chars (160)"),
    ("limits = 3\n", "[limits] must be a table"),
])
def test_bad_limits_are_one_line_errors(tmp_path, text, message):
    with pytest.raises(ConfigError) as error:
        SeoLimits.from_settings(settings_from(tmp_path, text))
    assert str(error.value) == f"{tmp_path / 'seo.toml'}: {message}"


def test_pixel_widths_are_limits_too_and_take_the_themes_suffix():
    limits = SeoLimits(seo_title_max_px=300, title_suffix=" – Hollis & Fern")
    assert SeoLimits().seo_title_fits(SEO_TITLE_55)
    assert not limits.seo_title_fits(SEO_TITLE_55)
    assert limits.seo_title_width(SEO_TITLE_55) > SeoLimits().seo_title_width(SEO_TITLE_55)
    assert SeoLimits().title_fits("Linen Lamp") and not SeoLimits(title_max_px=50).title_fits("Linen Lamp")
