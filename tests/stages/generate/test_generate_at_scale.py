"""`generate` and `estimate` at scale, end to end through the CLI against the local OpenAI-compatible server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fakes.openai_server import FakeConfig, FakeOpenAI

from pipeline.cli import main
from pipeline.llm.batch import BatchJobs
from pipeline.state.drafts import list_drafts
from pipeline.state.store import StateStore
from tests.generate_fixtures import CONFIG, store_args, workspace_of, write_store

PRICED = CONFIG + """
[generation]
provider = "openai"
model = "gpt-4o-mini"
max_repair_rounds = 0
batch_poll_s = 0.02
{extra}

[pricing.gpt-4o-mini]
input = 0.15
cached = 0.075
output = 0.60
"""
DRAFTS = 17  # six products in three locales, less one English copy that passed the audit and is left alone


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    with FakeOpenAI(FakeConfig(latency_s=0.01, rpm=6000, tpm=2_000_000, batch_seconds=0.05)) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        yield fake


def run(tmp_path: Path, *args: str, extra: str = "") -> int:
    return main([*store_args(tmp_path, PRICED.format(extra=extra)), *args])


def test_live_mode_writes_every_draft_concurrently_and_a_rerun_sends_nothing(tmp_path, capsys, server):
    write_store(workspace_of(tmp_path))
    assert run(tmp_path, "generate", "--all", "--mode", "live") == 0
    out = capsys.readouterr().out
    assert f"generate: {DRAFTS} drafts" in out
    assert f"scale: live {DRAFTS} requests" in out and "batch 0 requests" in out
    assert re.search(r"estimated \$\d+\.\d{4}, spent \$\d+\.\d{4}", out)
    assert server.stats.answered == DRAFTS and server.stats.rate_limited == 0
    with StateStore(workspace_of(tmp_path).state_db) as state:
        drafts = list_drafts(state)
        assert len(drafts) == DRAFTS and all(d.tokens_in > 0 and d.cost for d in drafts)
    assert run(tmp_path, "generate", "--all", "--mode", "live") == 0
    assert server.stats.answered == DRAFTS  # unchanged drafts: no request at all


def test_batch_mode_sends_one_batch_and_stores_the_job(tmp_path, capsys, server):
    write_store(workspace_of(tmp_path))
    assert run(tmp_path, "generate", "--all", "--mode", "batch") == 0
    out = capsys.readouterr().out
    assert f"generate: {DRAFTS} drafts" in out and f"batch {DRAFTS} requests in 1 new" in out
    assert server.stats.chat_requests == 0 and server.stats.batch_requests == DRAFTS
    with StateStore(workspace_of(tmp_path).state_db) as state:
        jobs = BatchJobs(state).all_jobs()
        assert [(j["status"], j["requests"]) for j in jobs] == [("completed", DRAFTS)]
        assert len(list_drafts(state)) == DRAFTS


def test_auto_mode_uses_the_batch_api_from_the_threshold(tmp_path, capsys, server):
    write_store(workspace_of(tmp_path))
    assert run(tmp_path, "generate", "--all", "--only", "p-duvet", extra="batch_threshold = 4") == 0
    assert server.stats.batches_created == 0  # 3 requests: under the threshold, sent live
    assert run(tmp_path, "generate", "--all", extra="batch_threshold = 4") == 0
    assert server.stats.batches_created == 1 and server.stats.batch_requests == DRAFTS - 3


def test_a_budget_stops_the_run_before_it_is_exceeded_and_keeps_the_drafts(tmp_path, capsys, server):
    write_store(workspace_of(tmp_path))
    assert run(tmp_path, "generate", "--all", "--mode", "live", extra="budget = 0.004\nconcurrency = 2") == 0
    out = capsys.readouterr().out
    spent = float(re.search(r"stopped for budget: \$([\d.]+) spent of \$0\.00", out).group(1))
    assert 0 < spent <= 0.004
    with StateStore(workspace_of(tmp_path).state_db) as state:
        kept = len(list_drafts(state))
    assert 0 < kept < DRAFTS and f"{DRAFTS - kept:,} drafts not written" in out
    answered = server.stats.answered
    assert run(tmp_path, "generate", "--all", "--mode", "live") == 0  # no budget: the rest, nothing twice
    assert server.stats.answered == answered + DRAFTS - kept
    with StateStore(workspace_of(tmp_path).state_db) as state:
        assert len(list_drafts(state)) == DRAFTS


def test_estimate_counts_exactly_the_requests_and_input_tokens_generate_then_sends(tmp_path, capsys, server):
    write_store(workspace_of(tmp_path))
    assert run(tmp_path, "estimate", "--all", extra="budget = 5") == 0
    out = capsys.readouterr().out
    assert server.stats.chat_requests == 0  # an estimate sends nothing
    head = re.search(r"estimate: (\d+) products, (\d+) requests to send", out)
    assert head.groups() == ("6", str(DRAFTS))
    tokens_in = int(re.search(r"input ([\d,]+)", out).group(1).replace(",", ""))
    assert re.search(r"realtime +\$\d+\.\d\d", out) and re.search(r"batch +\$\d+\.\d\d \(within 24 h\)", out)
    assert "budget $5.00: fits" in out
    assert run(tmp_path, "estimate", "--all", extra="expected_repair_share = 0") == 0
    tokens_in = int(re.search(r"input ([\d,]+)", capsys.readouterr().out).group(1).replace(",", ""))
    assert run(tmp_path, "generate", "--all", "--mode", "live") == 0
    assert server.stats.prompt_tokens == tokens_in
    assert run(tmp_path, "estimate", "--all") == 0
    assert "0 requests to send" in capsys.readouterr().out  # everything is drafted and cached now


@pytest.mark.parametrize("extra, message", [
    ("mode = \"fast\"", "[generation] mode = 'fast'"),
    ("budget = -1", "[generation] budget = -1"),
    ("concurrency = 0", "[generation] concurrency = 0: must be at least 1"),
])
def test_bad_scale_settings_are_one_line_config_errors(tmp_path, capsys, server, extra, message):
    write_store(workspace_of(tmp_path))
    assert run(tmp_path, "generate", "--all", extra=extra) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert server.stats.chat_requests == 0


def test_a_provider_that_keeps_failing_is_one_line_exit_3(tmp_path, capsys, server):
    write_store(workspace_of(tmp_path))
    server.config.fail_500 = 1.0
    assert run(tmp_path, "generate", "--all", "--mode", "live", extra="attempts = 2") == 3
    out, err = capsys.readouterr()
    # The estimate is on stdout before anything is sent, even without a terminal; stderr is one error line.
    assert out.startswith("estimate: ") and "requests to send" in out.splitlines()[0]
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
    assert "HTTP 500 server error" in err and "after 2 attempts" in err and "re-run" in err


def test_a_budget_without_the_models_prices_is_a_config_error(tmp_path, capsys, server):
    write_store(workspace_of(tmp_path))
    config = CONFIG + '\n[generation]\nprovider = "openai"\nmodel = "gpt-unpriced"\nbudget = 5\n'
    assert main([*store_args(tmp_path, config), "generate", "--all"]) == 2
    err = capsys.readouterr().err
    assert "[generation] budget = 5" in err and '[pricing."gpt-unpriced"]' in err
    assert server.stats.chat_requests == 0
