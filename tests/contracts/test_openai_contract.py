"""Every request body we send to OpenAI, and every answer the test server and the cassettes give back, has the shape
OpenAI's published OpenAPI spec gives it (tests/contracts/openai/: the part of the spec we use, with its source and
licence). The bodies are the ones the pipeline really builds: planned by the generate stage for a reasoning model
and for a model that takes a temperature, sent live and as Batch API lines, and caught by the test server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from fakes.openai_server import FakeConfig, FakeOpenAI

from pipeline.cli import main
from pipeline.config import GenerationSettings
from pipeline.llm.models import Sampling, capabilities
from pipeline.llm.openai_wire import chat_body
from pipeline.llm.provider import Message, Request
from tests.contracts.schema_check import Contract, SchemaError
from tests.generate_fixtures import CONFIG, store_args, workspace_of, write_store

HERE = Path(__file__).resolve().parent
CONTRACT = Contract.load(HERE / "openai" / "openapi-subset.json")
CASSETTES = HERE.parent / "cassettes" / "openai"
SCHEMA = {"type": "object", "properties": {"title": {"type": ["string", "null"]}}, "required": ["title"],
          "additionalProperties": False}
REQUEST = Request(messages=(Message("system", "You write product copy. Answer in JSON."),
                            Message("user", "Product: linen duvet cover")), schema=SCHEMA)


def request_errors(body: dict[str, Any]) -> list[str]:
    return CONTRACT.errors("CreateChatCompletionRequest", body)


def body_for(model: str, **settings: Any) -> dict[str, Any]:
    sampling = Sampling.from_settings(GenerationSettings(model=model, **settings))
    sampling.check()
    shape = sampling.shape(["title", "body_html", "seo_title", "seo_description"], {}, "en", 4)
    request = Request(messages=REQUEST.messages, schema=SCHEMA, temperature=shape.temperature,
                      reasoning_effort=shape.reasoning_effort, max_output_tokens=shape.max_output_tokens)
    return chat_body(model, request, structured_output=sampling.capabilities.structured_output)


# -- the bodies we build, one per row of the model table ---------------------------------------------------------
@pytest.mark.parametrize("model, settings, sent", [
    ("gpt-5.4-mini", {}, {"reasoning_effort": "none"}),  # the default model: a reasoning model, effort none
    ("gpt-5.4-mini", {"reasoning_effort": "low"}, {"reasoning_effort": "low"}),
    ("gpt-5.4-nano", {"temperature": 0.3, "reasoning_effort": "none"}, {"temperature": 0.3}),
    ("gpt-5-mini", {}, {"reasoning_effort": "minimal"}),
    ("o4-mini", {"reasoning_effort": "high"}, {"reasoning_effort": "high"}),
    ("gpt-4o-mini", {"temperature": 0.4}, {"temperature": 0.4}),  # no reasoning: a temperature, no effort
    ("gpt-4.1-mini", {}, {}),
    ("gpt-3.5-turbo", {"temperature": 0.2}, {"response_format": {"type": "json_object"}}),  # JSON mode
    ("llama3.1:8b", {"temperature": 0.7}, {"temperature": 0.7}),  # not in the table: a plain chat model
])
def test_the_chat_body_for_each_kind_of_model_is_a_valid_request(model, settings, sent):
    body = body_for(model, **settings)
    assert request_errors(body) == []
    for key, value in sent.items():
        assert body[key] == value
    caps = capabilities(model)
    assert ("reasoning_effort" in body) == caps.reasoning
    assert ("temperature" in body) == ("temperature" in settings)
    assert body["max_completion_tokens"] > 0


def test_the_validator_catches_what_openai_would_refuse():
    good = body_for("gpt-5.4-mini")
    assert request_errors({**good, "reasoning_effort": "extreme"})
    assert request_errors({**good, "temperature": "warm"})
    assert request_errors({**good, "messages": []})
    assert request_errors({key: value for key, value in good.items() if key != "messages"})
    assert request_errors({**good, "response_format": {"type": "json_schema"}})  # no json_schema object
    assert request_errors({**good, "max_completion_tokens": 12.5})
    assert CONTRACT.errors("CreateChatCompletionResponse", {"id": "x", "object": "chat.completion"})
    with pytest.raises(SchemaError):
        Contract({"X": {"type": "string", "patternProperties": {}}}).errors("X", "a")


# -- the cassettes -----------------------------------------------------------------------------------------------
def cassette_answers() -> list[tuple[str, int, Any]]:
    found = []
    for path in sorted(CASSETTES.glob("*.yaml")):
        for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
            response = interaction["response"]
            found.append((path.name, response["status"]["code"], json.loads(response["body"]["string"])))
    return found


@pytest.mark.parametrize("name, status, answer", cassette_answers(),
                         ids=lambda value: value if isinstance(value, str) else None)
def test_every_cassette_answer_has_openais_shape(name, status, answer):
    schema = "CreateChatCompletionResponse" if status == 200 else "ErrorResponse"
    assert CONTRACT.errors(schema, answer) == [], name


# -- the test server, driven by the pipeline -------------------------------------------------------------------
RESPONSE_SCHEMAS = {  # (method, path pattern) -> schema of a 200 answer
    ("POST", "/v1/chat/completions"): "CreateChatCompletionResponse",
    ("BATCH", "/v1/chat/completions"): "CreateChatCompletionResponse",
    ("POST", "/v1/files"): "OpenAIFile",
    ("GET", "/v1/files/"): "OpenAIFile",
    ("POST", "/v1/batches"): "Batch",
    ("GET", "/v1/batches/"): "Batch",
    ("GET", "/v1/batches"): "ListBatchesResponse",
}
OPENAI_CONFIG = CONFIG + """
[generation]
provider = "openai"
model = "{model}"
max_repair_rounds = 1
batch_poll_s = 0.02
{extra}
"""


def check_exchanges(server: FakeOpenAI) -> dict[str, int]:
    """Validate every request body the server received and every JSON answer it gave; count them by schema."""
    seen: dict[str, int] = {}
    for method, path, status, received, answer in server.exchanges:
        if path.endswith("/content"):  # a JSONL file: batch output lines carry chat completions or errors
            for line in (answer.decode() if isinstance(answer, bytes) else "").splitlines():
                record = json.loads(line)
                if "response" in record and "custom_id" in record and "body" in record["response"]:
                    schema = "CreateChatCompletionResponse" if record["response"]["status_code"] == 200 \
                        else "ErrorResponse"
                    assert CONTRACT.errors(schema, record["response"]["body"]) == [], line[:200]
                    seen[schema] = seen.get(schema, 0) + 1
            continue
        if received is not None and path == "/v1/chat/completions":
            assert request_errors(received) == [], json.dumps(received)[:300]
            seen["CreateChatCompletionRequest"] = seen.get("CreateChatCompletionRequest", 0) + 1
        if received is not None and path == "/v1/batches" and method == "POST":
            assert CONTRACT.errors("CreateBatchRequest", received) == []
        if status != 200:
            schema = "ErrorResponse"
        else:
            key = next((k for k in RESPONSE_SCHEMAS if k[0] == method and (path == k[1] or (
                k[1].endswith("/") and path.startswith(k[1])))), None)
            assert key is not None, (method, path)
            schema = RESPONSE_SCHEMAS[key]
        assert CONTRACT.errors(schema, answer) == [], f"{method} {path}: {json.dumps(answer)[:300]}"
        seen[schema] = seen.get(schema, 0) + 1
    return seen


@pytest.mark.parametrize("model, extra, mode", [
    ("gpt-5.4-mini", "", "live"),  # reasoning model: reasoning_effort, no temperature
    ("gpt-4o-mini", "temperature = 0.4", "batch"),  # takes a temperature; through the Batch API
])
def test_what_the_pipeline_sends_and_the_server_answers_match_the_spec(tmp_path, capsys, monkeypatch, model, extra,
                                                                      mode):
    config = FakeConfig(latency_s=0.0, batch_seconds=0.02, record=True, fail_429=0.1, fail_500=0.05,
                        injected_retry_after_s=0.01, refusal=0.1, seed=3)
    with FakeOpenAI(config) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        write_store(workspace_of(tmp_path))
        code = main([*store_args(tmp_path, OPENAI_CONFIG.format(model=model, extra=extra)), "generate", "--all",
                     "--mode", mode, "--locales", "en,fr"])
        assert code == 0, capsys.readouterr().err
        bodies = [received for _, path, _, received, _ in server.exchanges
                  if path == "/v1/chat/completions" and received is not None]
        seen = check_exchanges(server)
    assert bodies and all(b["model"] == model for b in bodies)
    if model == "gpt-5.4-mini":
        assert all(b["reasoning_effort"] == "none" and "temperature" not in b for b in bodies)
        assert seen.get("ErrorResponse", 0) > 0  # the injected 429s and 500s were checked too
    else:
        assert all(b["temperature"] == 0.4 and "reasoning_effort" not in b for b in bodies)
        assert seen.get("Batch", 0) and seen.get("OpenAIFile", 0) and seen.get("ListBatchesResponse", 0) >= 0
    assert all(0 < b["max_completion_tokens"] < 1500 for b in bodies)  # sized to the fields, not a fixed 1,500
    assert seen["CreateChatCompletionResponse"] >= len({json.dumps(b["messages"]) for b in bodies}) - 1


def test_the_servers_refusals_and_missing_batch_api_are_in_openais_error_shape(tmp_path, capsys, monkeypatch):
    with FakeOpenAI(FakeConfig(record=True, reject=("temperature",), batch_api=False)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        write_store(workspace_of(tmp_path))
        code = main([*store_args(tmp_path, OPENAI_CONFIG.format(model="gpt-4o-mini", extra="temperature = 0.4")),
                     "generate", "--all", "--mode", "batch"])
        assert code == 2  # no Batch API at this server: said before anything is sent
        code = main([*store_args(tmp_path, OPENAI_CONFIG.format(model="gpt-4o-mini", extra="temperature = 0.4")),
                     "generate", "--all", "--mode", "live"])
        assert code == 3
        seen = check_exchanges(server)
    assert seen["ErrorResponse"] >= 2 and seen["CreateChatCompletionRequest"] >= 1
