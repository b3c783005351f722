"""Current models: what each model takes (llm/models.py), output caps sized to need (llm/tokens.py), prices, the
one-line error for a parameter a model refuses, OpenAI-compatible servers with and without the Batch API."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fakes.openai_server import FakeConfig, FakeOpenAI

from pipeline.cli import main
from pipeline.config import DEFAULT_MODEL, GenerationSettings, Settings, load_settings
from pipeline.errors import ConfigError, ProviderError
from pipeline.gates.schema import draft_json_schema
from pipeline.llm.costs import KNOWN_PRICES, Price, Tally, price_for
from pipeline.llm.models import REASONING_BUDGET, Sampling, capabilities, rejected_parameter
from pipeline.llm.openai_provider import OpenAIProvider
from pipeline.llm.provider import Message, Request, Response, Usage
from pipeline.llm.tokens import answer_tokens, body_words_budget
from pipeline.llm.waves import ScaleOptions, ScaleProvider
from pipeline.state.store import StateStore
from pipeline.wiring import select_provider
from tests.generate_fixtures import CONFIG, store_args, workspace_of, write_store
from tests.llm.test_openai import cassette

LIMITS = {"title_max_chars": 70, "seo_title_max_chars": 60, "seo_description_max_chars": 160, "body_min_words": 50,
          "body_max_words": 600}
ALL = ["title", "body_html", "seo_title", "seo_description"]


def sampling(model: str = DEFAULT_MODEL, **settings: object) -> Sampling:
    return Sampling.from_settings(GenerationSettings(model=model, **settings))  # type: ignore[arg-type]


# -- the model table -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("model, efforts, temperature_alone, structured", [
    ("gpt-5.4-mini", ("none", "low", "medium", "high", "xhigh"), False, True),
    ("gpt-5.4-nano-2026-03-17", ("none", "low", "medium", "high", "xhigh"), False, True),
    ("gpt-5.1", ("none", "low", "medium", "high"), False, True),
    ("gpt-5.6-luna", ("none", "low", "medium", "high", "xhigh", "max"), False, True),
    ("gpt-5-mini", ("minimal", "low", "medium", "high"), False, True),
    ("o4-mini", ("low", "medium", "high"), False, True),
    ("gpt-4o-mini", (), True, True),
    ("gpt-4.1", (), True, True),
    ("gpt-3.5-turbo", (), True, False),
    ("llama3.1:8b", (), True, True),
    ("openai/gpt-5.4-mini", ("none", "low", "medium", "high", "xhigh"), False, True),
])
def test_capabilities_come_from_the_model_name(model, efforts, temperature_alone, structured):
    caps = capabilities(model)
    assert caps.reasoning_efforts == efforts and caps.structured_output is structured and caps.batch
    assert caps.takes_temperature(efforts[0] if efforts else None) is (temperature_alone or efforts[:1] == ("none",))
    if efforts:
        assert not caps.takes_temperature("low")  # reasoning models: a temperature only with effort "none"


def test_settings_override_the_table_and_bad_overrides_are_one_line_errors():
    caps = capabilities("my-local-reasoner", {"reasoning_efforts": ["low", "high"], "temperature": False,
                                              "batch": False, "structured_output": False})
    assert caps.reasoning_efforts == ("low", "high") and not caps.temperature and not caps.batch
    assert "with [generation.capabilities]" in caps.family
    with pytest.raises(ConfigError, match="unknown key 'temprature' \\(did you mean 'temperature'\\?\\)"):
        capabilities("gpt-4o-mini", {"temprature": False})
    with pytest.raises(ConfigError, match="reasoning_efforts = \\['fast'\\]"):
        capabilities("gpt-4o-mini", {"reasoning_efforts": ["fast"]})
    with pytest.raises(ConfigError, match="batch = 'no' is not true or false"):
        capabilities("gpt-4o-mini", {"batch": "no"})


def test_the_default_model_is_a_current_small_reasoning_model_run_at_its_lowest_effort():
    default = Sampling()
    assert DEFAULT_MODEL == "gpt-5.4-mini" == default.model
    assert sampling().reasoning_effort == "none" and sampling().temperature is None
    assert sampling().reasoning_budget == 0 and sampling().problems == ()
    assert sampling("gpt-5-mini").reasoning_effort == "minimal"
    assert sampling("gpt-5-mini").reasoning_budget == REASONING_BUDGET["minimal"]
    assert sampling("o3", reasoning_budget=3000).reasoning_budget == 3000
    assert sampling("gpt-4o-mini", temperature=0.4).temperature == 0.4
    assert sampling("gpt-4o-mini").reasoning_effort is None and sampling("gpt-4o-mini").reasoning_budget == 0


@pytest.mark.parametrize("model, settings, message", [
    ("gpt-5.4-mini", {"temperature": 0.7, "reasoning_effort": "low"},
     "[generation] temperature = 0.7: gpt-5.4-mini (gpt-5.2 to gpt-5.5) takes a custom temperature only with "
     "reasoning_effort = \"none\" (here 'low'); remove temperature from [generation], or set reasoning_effort = "
     "\"none\""),
    ("gpt-5-mini", {"temperature": 0.4},
     "[generation] temperature = 0.4: gpt-5-mini (gpt-5) takes no custom temperature (a reasoning model: only its "
     "default); remove temperature from [generation]"),
    ("gpt-4o-mini", {"reasoning_effort": "low"},
     "[generation] reasoning_effort = 'low': gpt-4o-mini (gpt-4.1 / gpt-4o) is not a reasoning model"),
    ("gpt-5-mini", {"reasoning_effort": "none"}, "takes reasoning_effort minimal | low | medium | high"),
])
def test_a_setting_the_model_does_not_take_is_never_sent_and_stops_an_openai_run(model, settings, message):
    chosen = sampling(model, **settings)
    assert chosen.problems and message in chosen.problems[0] and "\n" not in chosen.problems[0]
    with pytest.raises(ConfigError) as caught:
        chosen.check()
    assert message in str(caught.value)
    shape = chosen.shape(ALL, LIMITS, "en", 4)
    if "temperature" in settings:
        assert shape.temperature is None
    assert shape.reasoning_effort in capabilities(model).reasoning_efforts + (None,)


def test_an_effort_outside_the_api_enum_is_a_config_error_even_offline():
    with pytest.raises(ConfigError, match="reasoning_effort = 'extreme': use one of none, minimal, low"):
        sampling(reasoning_effort="extreme")


# -- output caps sized to need ----------------------------------------------------------------------------------
def test_caps_follow_the_fields_asked_for_and_the_length_limits():
    everything = answer_tokens(ALL, LIMITS, "en", 4)
    assert 550 < everything < 750  # 300 words of body at 1.7 tokens each, short fields at their limits, the JSON
    assert answer_tokens(ALL, LIMITS, "fr", 4) > everything  # French takes more tokens per word
    short = answer_tokens(["seo_title", "seo_description"], LIMITS, "en", 4)
    assert 100 < short < 150  # a request for the two SEO fields asks for a tenth of the old fixed 1,500
    assert answer_tokens(ALL, {**LIMITS, "body_min_words": 400}, "en", 4) > everything  # longer copy asked for
    assert body_words_budget({**LIMITS, "body_max_words": 200}) == 200  # never past body_max_words
    assert body_words_budget(LIMITS) == 300


def test_the_reasoning_budget_is_added_and_max_output_tokens_bounds_the_answer():
    answer = answer_tokens(ALL, LIMITS, "en", 4)
    assert sampling("gpt-4o-mini").shape(ALL, LIMITS, "en", 4).max_output_tokens == answer
    assert sampling("gpt-5-mini").shape(ALL, LIMITS, "en", 4).max_output_tokens == answer + 512
    assert sampling("gpt-5.4-mini", reasoning_effort="low").shape(ALL, LIMITS, "en", 4).max_output_tokens == \
        answer + 2048
    assert sampling("gpt-4o-mini", max_output_tokens=400).shape(ALL, LIMITS, "en", 4).max_output_tokens == 400


def test_an_answer_cut_off_at_its_cap_is_repaired_with_twice_the_cap():
    chosen = sampling()
    assert chosen.next_cap(Response(text="{", finish_reason="length"), 700) == 1400
    assert chosen.next_cap(Response(text="{}", finish_reason="stop"), 700) == 700


def test_a_reasoning_model_cut_off_by_its_reasoning_gets_a_repair_round_that_fits(tmp_path, capsys, monkeypatch):
    """gpt-5-mini at effort minimal keeps 512 tokens for reasoning; a model that reasons for 1,400 is cut off with
    nothing written, and the repair asks with twice the cap, which holds the reasoning and the answer."""
    with FakeOpenAI(FakeConfig(reasoning_tokens=1400, record=True)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        write_store(workspace_of(tmp_path))
        config = CONFIG + '[generation]\nprovider = "openai"\nmodel = "gpt-5-mini"\nmax_repair_rounds = 1\n'
        assert main([*store_args(tmp_path, config), "generate", "--all", "--only", "p-lamp", "--locales", "en"]) == 0
        caps = [body["max_completion_tokens"] for _, path, _, body, _ in server.exchanges
                if path == "/v1/chat/completions"]
        assert server.stats.truncated == 1 and server.stats.chat_requests == 2
    assert caps[0] < 1400 < caps[1] == 2 * caps[0]
    out = capsys.readouterr().out
    assert "repaired 1" in out and "truncated" not in out


# -- prices --------------------------------------------------------------------------------------------------------
def test_the_default_model_has_a_price_and_an_unknown_price_is_said_so():
    settings = load_settings(None, env={})
    bare = Settings(store="s", workspace_base=Path("."), locales=("en",), primary_locale="en", config_path=None)
    assert price_for(bare, DEFAULT_MODEL) == Price(input=0.75, cached=0.075, output=4.50)
    assert KNOWN_PRICES["gpt-5.4-nano"] == Price(input=0.20, cached=0.02, output=1.25)
    assert price_for(bare, "gpt-5.6-luna") is None and price_for(bare, "some-local-model") is None
    assert price_for(settings, "gpt-4o-mini") is not None  # seo.toml's [pricing] first
    tally = Tally()
    tally.add_call(Usage(100, 50), None)
    assert tally.cost_text() == "price unknown (add [pricing] for the model)"


# -- a parameter the model refuses: one line naming it and the setting ---------------------------------------
def test_openais_400_for_a_refused_temperature_is_one_line_naming_the_setting():
    error = {"message": "Unsupported value: 'temperature' does not support 0.4 with this model. Only the default "
                        "(1) value is supported.", "type": "invalid_request_error", "param": "temperature",
             "code": "unsupported_value"}
    line = rejected_parameter(400, error)
    assert line is not None and line.startswith("the model does not take `temperature` (HTTP 400 unsupported_value")
    assert "remove temperature from [generation]" in line
    unnamed = rejected_parameter(400, {"message": "Unsupported parameter: 'max_tokens' is not supported with this "
                                                  "model. Use 'max_completion_tokens' instead.", "param": None})
    assert unnamed is not None and "`max_tokens`" in unnamed and "max_tokens_param" in unnamed
    assert rejected_parameter(400, {"message": "bad messages", "param": "messages"}) is None
    assert rejected_parameter(500, error) is None


def test_the_cassetted_400_becomes_a_provider_error_naming_the_parameter():
    provider = OpenAIProvider("gpt-5-mini", api_key="sk-test-not-a-real-key", attempts=3, sleep=lambda _: None)
    request = Request(messages=(Message("system", "You write product copy."), Message("user", "Product: ...")),
                      schema=draft_json_schema(False), temperature=0.4, max_output_tokens=700)
    with cassette("unsupported_temperature.yaml"), pytest.raises(ProviderError) as caught:
        provider.complete(request)
    message = str(caught.value)
    assert message.startswith("api.openai.com (gpt-5-mini): the model does not take `temperature`")
    assert "remove temperature from [generation]" in message and "\n" not in message


def test_a_live_run_stops_at_the_first_refused_parameter_with_one_line(tmp_path, capsys, monkeypatch):
    with FakeOpenAI(FakeConfig(reject=("temperature",))) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        write_store(workspace_of(tmp_path))
        config = CONFIG + ('[generation]\nprovider = "openai"\nmodel = "gpt-4o-mini"\ntemperature = 0.4\n'
                           "concurrency = 1\n")
        code = main([*store_args(tmp_path, config), "generate", "--all", "--mode", "live"])
        sent = server.stats.chat_requests
    err = capsys.readouterr().err
    assert code == 3 and sent == 1  # stopped at the first: every other request would be refused too
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "the model does not take `temperature`" in err and "remove temperature from [generation]" in err
    print(err.strip())


# -- OpenAI-compatible servers ----------------------------------------------------------------------------------
def test_a_base_url_without_a_key_selects_the_openai_compatible_provider():
    settings = load_settings(None, env={})
    provider = select_provider(settings, {"OPENAI_BASE_URL": "http://127.0.0.1:11434/v1"})
    assert isinstance(provider, OpenAIProvider) and provider.where == "http://127.0.0.1:11434/v1"
    assert select_provider(settings, {}).template_based  # neither: the offline writer
    assert select_provider(settings, {"OPENAI_BASE_URL": "http://x/v1"}, choice="offline").template_based


def test_generate_with_only_a_base_url_writes_with_the_local_server(tmp_path, capsys, monkeypatch):
    with FakeOpenAI(FakeConfig(batch_api=False)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        write_store(workspace_of(tmp_path))
        config = CONFIG + '[generation]\nmodel = "llama3.1:8b"\n'  # provider = "auto", no OPENAI_API_KEY
        assert main([*store_args(tmp_path, config), "generate", "--only", "p-duvet", "--locales", "en"]) == 0
        assert server.stats.answered >= 1
    out = capsys.readouterr().out
    assert "by openai model llama3.1:8b" in out and "price unknown" in out


def test_auto_mode_runs_live_where_the_server_has_no_batch_api_and_says_so_once(tmp_path, capsys, monkeypatch):
    with FakeOpenAI(FakeConfig(batch_api=False, record=True)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        write_store(workspace_of(tmp_path))
        config = CONFIG + '[generation]\nprovider = "openai"\nmodel = "llama3.1:8b"\nbatch_threshold = 2\n'
        assert main([*store_args(tmp_path, config), "generate", "--all"]) == 0
        probes = [e for e in server.exchanges if e[1] == "/v1/batches"]
        assert server.stats.batches_created == 0 and server.stats.answered > 2
        err = capsys.readouterr().err
        assert len(probes) == 1  # asked once
        said = [line for line in err.splitlines() if "has no Batch API" in line]
        assert len(said) == 1 and "GET /batches answered HTTP 404" in said[0]
        assert "auto mode sends these" in said[0] and "requests live instead" in said[0]
        fresh = tmp_path / "again"
        fresh.mkdir()
        write_store(workspace_of(fresh))
        assert main([*store_args(fresh, config), "generate", "--all", "--mode", "batch"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: --mode batch:") and "use --mode live" in err and server.stats.answered == \
            len([e for e in server.exchanges if e[1] == "/v1/chat/completions"])


def test_a_model_marked_without_batch_is_never_sent_there(tmp_path):
    settings = load_settings(None, env={})
    settings = Settings(**{**settings.__dict__, "generation": GenerationSettings(
        model="gpt-4o-mini", capabilities={"batch": False}, batch_threshold=1)})
    with StateStore(tmp_path / "state.db") as state:
        stream = io.StringIO()
        provider = ScaleProvider("gpt-4o-mini", state, ScaleOptions.from_settings(settings), api_key="x",
                                 base_url="http://127.0.0.1:9/v1", live_price=None, batch_price=None, stream=stream)
        assert provider.mode_for(10) == "live" and provider.mode_for(10) == "live"
    assert stream.getvalue().count("\n") == 1 and "[generation.capabilities] batch = false" in stream.getvalue()
