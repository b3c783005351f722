"""A model's defective answers, replayed from cassettes in OpenAI's format, are rejected by the content gates
through the whole generate stage: the OpenAI path is judged exactly as the offline writer's drafts are."""

from __future__ import annotations

import json

import pytest

from pipeline.cli import main
from pipeline.state.drafts import get_draft
from pipeline.state.store import StateStore
from tests.generate_fixtures import store_args, workspace_of, write_store
from tests.llm.test_openai import OPENAI_CONFIG, cassette


@pytest.fixture
def openai_env(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


@pytest.mark.parametrize(("cassette_name", "product", "locale", "gate", "evidence"), [
    ("gate_search_talk.yaml", "p-duvet", "en", "search_talk", "Looking for"),
    ("gate_variant_colour.yaml", "p-throw", "en", "variant_as_product", "Grey"),
    ("gate_wrong_language.yaml", "p-lamp", "fr", "wrong_language", ""),
    ("gate_invented_material.yaml", "p-board", "en", "facts_invented", "walnut"),
])
def test_a_models_defective_answer_is_flagged_by_its_gate(tmp_path, capsys, openai_env, cassette_name, product,
                                                           locale, gate, evidence):
    write_store(workspace_of(tmp_path), findings=None)
    with cassette(cassette_name):
        code = main([*store_args(tmp_path, OPENAI_CONFIG), "generate", "--all", "--only", product,
                     "--locales", locale])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "flagged 1" in out and f"{gate} " in out
    with StateStore(workspace_of(tmp_path).state_db) as state:
        draft = get_draft(state, product, locale)
    assert draft.status == "flagged" and draft.provider == "openai"
    found = [f for f in draft.validation if f["code"] == gate]
    assert found and evidence.lower() in json.dumps(found).lower(), draft.validation
