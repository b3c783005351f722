"""The OpenAI path, replayed from cassettes in OpenAI's documented response format (tests/cassettes/openai/)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import vcr

from pipeline.cli import main
from pipeline.errors import ProviderError
from pipeline.gates.schema import draft_json_schema, parse_draft
from pipeline.llm.openai_provider import OpenAIProvider
from pipeline.llm.provider import Message, Request
from pipeline.state.drafts import get_draft
from pipeline.state.store import StateStore
from tests.generate_fixtures import CONFIG, store_args, workspace_of, write_store

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes" / "openai"
SECRET_HEADERS = ["authorization", "openai-organization", "openai-project", "cookie", "set-cookie"]
OPENAI_CONFIG = CONFIG + """
[generation]
provider = "openai"
model = "gpt-4o-mini"
attempts = 3
retry_wait_s = 0
max_repair_rounds = 0

[pricing.gpt-4o-mini]
input = 0.15
cached = 0.075
output = 0.60
"""


def cassette(name: str, sent: list[dict] | None = None):
    recorder = vcr.VCR(cassette_library_dir=str(CASSETTES), filter_headers=SECRET_HEADERS,
                       record_mode="once" if os.environ.get("RECORD_CASSETTES") else "none",
                       match_on=("method", "scheme", "host", "port", "path", "sent_body"))

    def sent_body(request, recorded) -> bool:  # noqa: ARG001 - vcr's matcher signature
        if sent is not None:
            sent.append(json.loads(request.body))
        return True

    recorder.register_matcher("sent_body", sent_body)
    return recorder.use_cassette(name)


def provider() -> OpenAIProvider:
    return OpenAIProvider("gpt-4o-mini", api_key="sk-test-not-a-real-key", attempts=3, sleep=lambda _: None)


REQUEST = Request(messages=(Message("system", "You write product copy."), Message("user", "Product: ...")),
                  schema=draft_json_schema(False), temperature=0.4, max_output_tokens=1500)


@pytest.fixture
def openai_env(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


def test_structured_output_request_and_usage(tmp_path):
    sent: list[dict] = []
    with cassette("structured_output.yaml", sent):
        response = provider().complete(REQUEST)
    body = sent[0]
    assert body["model"] == "gpt-4o-mini" and body["max_completion_tokens"] == 1500
    assert body["messages"] == [{"role": "system", "content": "You write product copy."},
                                {"role": "user", "content": "Product: ..."}]
    assert body["response_format"] == {"type": "json_schema", "json_schema": {
        "name": "product_draft", "strict": True, "schema": draft_json_schema(False)}}
    assert response.finish_reason == "stop" and response.refusal is None
    assert (response.usage.tokens_in, response.usage.tokens_out, response.usage.cached_tokens) == (1312, 188, 1024)
    assert parse_draft(response.text).title == "Nordhaus Washed Linen Duvet Cover"


def test_a_structured_draft_goes_through_the_stage_and_passes(tmp_path, capsys, openai_env):
    write_store(workspace_of(tmp_path), findings=None)
    with cassette("structured_output.yaml"):
        code = main([*store_args(tmp_path, OPENAI_CONFIG), "generate", "--all", "--only", "p-duvet",
                     "--locales", "en"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "by openai model gpt-4o-mini; passed 1 (100.0%)" in out
    assert "tokens in 1,312 / out 188, cached 1,024" in out
    cost = (288 * 0.15 + 1024 * 0.075 + 188 * 0.60) / 1e6
    assert f"cost ${cost:,.4f}" in out
    with StateStore(workspace_of(tmp_path).state_db) as state:
        draft = get_draft(state, "p-duvet", "en")
    assert draft.provider == "openai" and draft.model == "gpt-4o-mini" and draft.cost == pytest.approx(cost)
    assert draft.title == "Nordhaus Washed Linen Duvet Cover" and draft.status == "passed"


def test_a_refusal_is_recorded_as_a_flagged_draft(tmp_path, capsys, openai_env):
    with cassette("refusal.yaml"):
        response = provider().complete(REQUEST)
    assert response.finish_reason == "refusal" and "can't help" in response.refusal
    write_store(workspace_of(tmp_path), findings=None)
    with cassette("refusal.yaml"):
        code = main([*store_args(tmp_path, OPENAI_CONFIG), "generate", "--all", "--only", "p-duvet",
                     "--locales", "en"])
    out, _ = capsys.readouterr()
    assert code == 0 and "flagged 1 (refusal 1)" in out
    with StateStore(workspace_of(tmp_path).state_db) as state:
        assert get_draft(state, "p-duvet", "en").reasons() == ["refusal"]


def test_a_length_cut_off_is_reported_not_crashed(tmp_path, capsys, openai_env):
    with cassette("length_cutoff.yaml"):
        response = provider().complete(REQUEST)
    assert response.finish_reason == "length"
    write_store(workspace_of(tmp_path), findings=None)
    with cassette("length_cutoff.yaml"):
        code = main([*store_args(tmp_path, OPENAI_CONFIG), "generate", "--all", "--only", "p-duvet",
                     "--locales", "en"])
    out, _ = capsys.readouterr()
    assert code == 0 and "flagged 1 (truncated 1)" in out


def test_rate_limit_is_waited_out_and_retried():
    waits: list[float] = []
    client = OpenAIProvider("gpt-4o-mini", api_key="sk-test-not-a-real-key", attempts=3, sleep=waits.append)
    with cassette("rate_limited_then_ok.yaml"):
        response = client.complete(REQUEST)
    assert response.finish_reason == "stop" and len(waits) == 1 and waits[0] >= 1
    assert parse_draft(response.text).seo_title == "Washed Linen Duvet Cover | Nordhaus"


def test_server_errors_after_all_attempts_are_one_line_exit_3(tmp_path, capsys, openai_env):
    with cassette("server_error.yaml"), pytest.raises(ProviderError, match="HTTP 500 server error"):
        provider().complete(REQUEST)
    write_store(workspace_of(tmp_path), findings=None)
    with cassette("server_error.yaml"):
        code = main([*store_args(tmp_path, OPENAI_CONFIG), "generate", "--all", "--only", "p-duvet",
                     "--locales", "en"])
    out, err = capsys.readouterr()
    assert code == 3 and out.startswith("estimate: ")  # shown before anything was sent
    assert err.strip().splitlines() == [err.strip()] and "Traceback" not in err
    assert "HTTP 500 server error" in err and "after 3 attempts" in err and "re-run" in err
    with StateStore(workspace_of(tmp_path).state_db) as state:
        assert state.last_run("generate", status="failed") is not None


def test_openai_without_a_key_is_a_config_error(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    write_store(workspace_of(tmp_path))
    code = main([*store_args(tmp_path, OPENAI_CONFIG), "generate"])
    assert code == 2 and "OPENAI_API_KEY" in capsys.readouterr().err


def test_auto_uses_the_offline_provider_without_a_key(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    write_store(workspace_of(tmp_path))
    assert main([*store_args(tmp_path), "generate", "--only", "p-duvet", "--locales", "en"]) == 0
    assert "by the offline writer (no language model" in capsys.readouterr().out


def test_cassettes_hold_no_credentials():
    files = sorted(CASSETTES.glob("*.yaml"))
    assert len(files) == 10  # build_cassettes.py writes each; a stray recording would change the count
    for path in files:
        text = path.read_text(encoding="utf-8").lower()
        assert "authorization" not in text and "bearer" not in text and "sk-" not in text, path.name
