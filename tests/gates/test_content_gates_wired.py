"""The content gates reach every draft: generate stores their findings
with the draft (and the summary counts them per gate); a reviewer's edit is judged by the same gates."""

from __future__ import annotations

import json
import sqlite3

from pipeline.config import load_settings
from pipeline.gates.schema import DraftCopy
from pipeline.gates.sheet import current_copy, fact_sheet
from pipeline.gates.similarity import CopyIndex
from pipeline.gates.validate import DraftCheck, Grounding, Limits, Validator
from pipeline.stages.generate.stage import GenerateOptions, generate
from pipeline.state.store import StateStore
from tests.fakes.model_writer import ModelDouble
from tests.generate_fixtures import CONFIG, workspace_of, write_store

ROW = {"id": "p1", "title": "Nova Zip Fleece", "vendor": "Acme", "product_type": "Indoor",
       "body_html": "<ul><li>100% recycled polyester</li><li>Machine wash at 30°C</li></ul>",
       "options": ["Size", "Colour"],
       "variants": [{"sku": f"NV-{s}-{c}", "option1": s, "option2": c, "price": "59.00"}
                    for s in ("S", "M", "L") for c in ("Black", "Navy")]}


def _check(draft: dict[str, str], *, gates: bool = True, allow_dropped: frozenset[str] = frozenset()) -> list[str]:
    validator = Validator(Limits(), CopyIndex(1.0))
    check = DraftCheck(product_id="p1", locale="en", fields_to_write=tuple(draft), keyword=None,
                       grounding=Grounding.from_text("Nova Zip Fleece 100% recycled polyester 30°C"),
                       facts=fact_sheet(ROW) if gates else None, original=current_copy(ROW),
                       allow_dropped=allow_dropped)
    return sorted({f.code for f in validator.check(DraftCopy(**draft), check)[1]})


def test_a_draft_that_states_one_variants_sku_and_drops_the_care_is_rejected() -> None:
    body = "<p>The Nova Zip Fleece is made of 100% recycled polyester. Reference: NV-S-Black.</p>"
    codes = _check({"body_html": body})
    assert "variant_as_product" in codes and "facts_dropped" in codes


def test_a_repeated_title_word_is_rejected_and_the_same_draft_passes_without_the_gates() -> None:
    draft = {"title": "Nova Nova Zip Fleece"}
    assert "repeated_word" in _check(draft)
    assert "repeated_word" not in _check(draft, gates=False)


def test_a_faithful_rewrite_passes_the_content_gates() -> None:
    body = ("<p>The Nova Zip Fleece by Acme keeps its warmth wash after wash.</p>"
            "<ul><li>100% recycled polyester</li><li>Machine wash at 30°C</li></ul>")
    content = {"repeated_word", "identity_changed", "wrong_language", "variant_as_product", "facts_dropped",
               "facts_invented", "search_talk", "padding"}
    assert not content & set(_check({"title": "Nova Zip Fleece", "body_html": body}))


def test_generate_flags_a_models_drafts_and_counts_each_gate(tmp_path) -> None:
    # The model double writes every field as a language model would (filler, search-talk, dropped facts).
    workspace = workspace_of(tmp_path)
    write_store(workspace)
    (tmp_path / "seo.toml").write_text(CONFIG, encoding="utf-8")
    settings = load_settings(tmp_path / "seo.toml", store="t", workspace=tmp_path / "ws")
    with StateStore(workspace.state_db) as state:
        result = generate(workspace, state, ModelDouble(), GenerateOptions.from_settings(settings))
    db = sqlite3.connect(workspace.state_db)
    codes = {f["code"] for (v,) in db.execute("SELECT validation FROM drafts") for f in json.loads(v or "[]")}
    gate_codes = codes & {"facts_dropped", "variant_as_product", "search_talk", "identity_changed", "padding",
                          "repeated_word", "facts_invented", "wrong_language"}
    assert gate_codes, codes
    summary = "\n".join(result.summary())
    assert all(f"{code} " in summary for code in gate_codes)  # the summary names each gate with its count


def test_a_fact_class_named_in_allow_dropped_may_be_left_out() -> None:
    body = "<p>The Nova Zip Fleece by Acme is made of 100% recycled polyester, warm wash after wash.</p>"
    assert "facts_dropped" in _check({"body_html": body})  # the care line is gone
    assert "facts_dropped" not in _check({"body_html": body}, allow_dropped=frozenset({"care", "measurement"}))
