"""The content gates reach every draft when `[generation] content_gates` is on: generate stores their findings
with the draft (and the summary counts them per gate); a reviewer's edit is judged by the same gates."""

from __future__ import annotations

import json
import sqlite3

from pipeline.cli import main
from pipeline.gates.schema import DraftCopy
from pipeline.gates.sheet import current_copy, fact_sheet
from pipeline.gates.similarity import CopyIndex
from pipeline.gates.validate import DraftCheck, Grounding, Limits, Validator
from tests.generate_fixtures import CONFIG, store_args, workspace_of, write_store

ROW = {"id": "p1", "title": "Nova Zip Fleece", "vendor": "Acme", "product_type": "Indoor",
       "body_html": "<ul><li>100% recycled polyester</li><li>Machine wash at 30°C</li></ul>",
       "options": ["Size", "Colour"],
       "variants": [{"sku": f"NV-{s}-{c}", "option1": s, "option2": c, "price": "59.00"}
                    for s in ("S", "M", "L") for c in ("Black", "Navy")]}


def _check(draft: dict[str, str], *, gates: bool = True) -> list[str]:
    validator = Validator(Limits(), CopyIndex(1.0))
    check = DraftCheck(product_id="p1", locale="en", fields_to_write=tuple(draft), keyword=None,
                       grounding=Grounding.from_text("Nova Zip Fleece 100% recycled polyester 30°C"),
                       facts=fact_sheet(ROW) if gates else None, original=current_copy(ROW))
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


def test_generate_with_content_gates_on_flags_drafts_and_counts_each_gate(tmp_path, capsys) -> None:
    write_store(workspace_of(tmp_path))
    config = CONFIG + "\n[generation]\ncontent_gates = true\n"
    assert main([*store_args(tmp_path, config), "generate"]) == 0
    out = capsys.readouterr().out
    db = sqlite3.connect(workspace_of(tmp_path).state_db)
    codes = {f["code"] for (v,) in db.execute("SELECT validation FROM drafts") for f in json.loads(v or "[]")}
    gate_codes = codes & {"facts_dropped", "variant_as_product", "search_talk", "identity_changed", "padding",
                          "repeated_word", "facts_invented", "wrong_language"}
    assert gate_codes, codes
    assert any(f"{code} " in out for code in gate_codes)  # the summary names each gate with its count
