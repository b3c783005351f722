"""Provider faults through the OpenAI-compatible test server: 10% 429, 5% 500, 2% timeouts, 3% malformed JSON and
1% refusals. Every product ends as a valid draft or a flagged draft with its reason, none is missing, and the
run's summary line says exactly what the state store holds.

The server's fault draws are seeded, so the number of each fault over a run's first requests is fixed; which
request gets which fault depends on thread timing, which is the point.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from fakes.openai_server import FakeConfig, FakeOpenAI

from pipeline.state.drafts import list_drafts
from pipeline.state.store import StateStore
from tests.reliability.conftest import CleanStore, build_generated_store
from tests.reliability.harness import OPENAI_CONFIG, run_cli, skip_unless_slow, slow

GROUP = "provider faults"
FAULTS = {"fail_429": 0.10, "fail_500": 0.05, "timeout": 0.02, "malformed": 0.03, "refusal": 0.01}
SUMMARY = re.compile(r"generate: ([\d,]+) drafts for ([\d,]+) products .*?; passed ([\d,]+)(?: \([\d.]+%\))?, "
                     r"flagged ([\d,]+)")


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def generate_through_faults(store: CleanStore, capsys, monkeypatch, *, seed: int, args: list[str]) -> dict:
    with FakeOpenAI(FakeConfig(latency_s=0.01, hang_s=2.5, seed=seed, api_key="sk-test-faults",
                               **FAULTS)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-faults")
        result = run_cli(capsys, [*store.args(), "generate", *args])
        stats = server.stats
    assert result.code == 0, result
    match = SUMMARY.search(result.out)
    assert match, result.out
    drafts_said, products, passed_said, flagged_said = (_int(g) for g in match.groups())
    with StateStore(store.root / "state.db") as state:
        run = state.runs("generate")[-1]
        drafts = [d for d in list_drafts(state) if d.run_id == run["id"]]
    return {"result": result, "stats": stats, "run": run, "drafts": drafts, "said": (drafts_said, passed_said,
                                                                                   flagged_said), "products": products}


def check_every_draft_accounted_for(outcome: dict, expected_pairs: set[tuple[str, str]]) -> str:
    drafts, run = outcome["drafts"], outcome["run"]
    pairs = {(d.product_id, d.locale) for d in drafts}
    assert pairs == expected_pairs, (sorted(expected_pairs - pairs)[:5], sorted(pairs - expected_pairs)[:5])
    reasons: Counter[str] = Counter()
    for draft in drafts:
        assert draft.status in ("passed", "flagged")
        if draft.status == "flagged":
            assert draft.validation and all(f.get("code") and f.get("message") for f in draft.validation), draft
            reasons.update(f["code"] for f in draft.validation)
        else:
            assert not draft.validation and draft.written_fields()
    passed = sum(d.status == "passed" for d in drafts)
    flagged = len(drafts) - passed
    drafts_said, passed_said, flagged_said = outcome["said"]
    assert (drafts_said, passed_said, flagged_said) == (len(drafts), passed, flagged)
    counts = run["counts"]
    assert (counts["drafts"], counts["passed"], counts["flagged"]) == (len(drafts), passed, flagged)
    assert run["status"] == "ok"
    injected = outcome["stats"].injected
    return (f"{len(drafts)} drafts for {outcome['products']} products: passed {passed}, flagged {flagged} "
            f"({', '.join(f'{k} {v}' for k, v in reasons.most_common(4)) or 'none'}); missing 0; summary = state "
            f"store = run log; server injected {dict(sorted(injected.items()))} over "
            f"{outcome['stats'].chat_requests} requests")


def test_faults_on_a_small_store_every_draft_accounted_for(clean_store: CleanStore, tmp_path: Path, capsys,
                                                           monkeypatch, case) -> None:
    case.expect("exit 0; every draft an offline run writes (8 products x 2 locales) present, passed or flagged "
                "with a reason; summary counts = drafts table = run log")
    store = clean_store
    store.config.write_text(OPENAI_CONFIG, encoding="utf-8")
    with StateStore(store.root / "state.db") as state:
        state.db.execute("DELETE FROM drafts")  # the clean store's offline drafts: start from none
    expected = expected_pairs(store, tmp_path)
    outcome = generate_through_faults(store, capsys, monkeypatch, seed=3, args=["--all"])
    observed = check_every_draft_accounted_for(outcome, expected)
    case.observe(f"exit 0; {observed}")


def expected_pairs(store: CleanStore, tmp_path: Path) -> set[tuple[str, str]]:
    """The (product, locale) drafts a run must end with: what the offline provider writes for the same selection
    on a copy (selection and 'nothing to rewrite' do not depend on the provider)."""
    import contextlib
    import io

    from pipeline.cli import main

    reference = store.copy_to(tmp_path / "reference")
    with StateStore(reference.root / "state.db") as state:
        state.db.execute("DELETE FROM drafts")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main([*reference.args(), "generate", "--all", "--provider", "offline"]) == 0
    with StateStore(reference.root / "state.db") as state:
        # Drafts the offline writer wrote nothing in count too: they were asked for, as the fault run's are.
        return {(d.product_id, d.locale) for d in list_drafts(state) + list_drafts(state, status="abstained")}


@slow
@skip_unless_slow
def test_faults_at_the_stated_rates_over_300_products(tmp_path: Path, capsys, monkeypatch, case) -> None:
    case.expect("exit 0 with every fault kind injected (429, 500, timeout, malformed, refusal); every draft "
                "present, passed or flagged with a reason (refusals flagged 'refusal'); summary = state store")
    store = build_generated_store(tmp_path / "store", 300, seed=5,
                                  config=OPENAI_CONFIG.replace("concurrency = 4", "concurrency = 16"))
    expected = expected_pairs(store, tmp_path)
    outcome = generate_through_faults(store, capsys, monkeypatch, seed=1, args=["--all"])
    observed = check_every_draft_accounted_for(outcome, expected)
    case.observe(f"exit 0; {observed}")
    injected = outcome["stats"].injected
    assert all(injected.get(kind, 0) > 0 for kind in ("429", "500", "timeout", "malformed", "refusal")), injected
    refused = [d for d in outcome["drafts"] if any(f["code"] == "refusal" for f in d.validation)]
    assert refused and all(d.status == "flagged" for d in refused)


def test_a_provider_that_refuses_everything_leaves_flagged_drafts_not_gaps(clean_store: CleanStore, capsys,
                                                                            monkeypatch, case) -> None:
    case.expect("exit 0; every draft flagged 'refusal' with the model's words; none passed, none missing")
    store = clean_store
    store.config.write_text(OPENAI_CONFIG, encoding="utf-8")
    with StateStore(store.root / "state.db") as state:
        state.db.execute("DELETE FROM drafts")
    with FakeOpenAI(FakeConfig(refusal=1.0, seed=2)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-refusals")
        result = run_cli(capsys, [*store.args(), "generate", "--all"])
    with StateStore(store.root / "state.db") as state:
        drafts = list_drafts(state)
    codes = Counter(f["code"] for d in drafts for f in d.validation)
    case.observe(f"{result.summary()}; {len(drafts)} drafts, statuses {dict(Counter(d.status for d in drafts))}, "
                 f"reasons {dict(codes)}")
    assert result.code == 0 and len(drafts) == 16
    assert all(d.status == "flagged" and d.validation[0]["code"] == "refusal" for d in drafts)


def test_a_provider_down_for_good_is_one_line_and_keeps_finished_drafts(clean_store: CleanStore, capsys,
                                                                       monkeypatch, case) -> None:
    case.expect("exit 3, one line naming the failure and the attempts; no traceback; state.db consistent")
    store = clean_store
    store.config.write_text(OPENAI_CONFIG.replace("attempts = 8", "attempts = 2"), encoding="utf-8")
    with StateStore(store.root / "state.db") as state:
        state.db.execute("DELETE FROM drafts")
    with FakeOpenAI(FakeConfig(fail_500=1.0, seed=2)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-down")
        result = run_cli(capsys, [*store.args(), "generate", "--all"])
    with StateStore(store.root / "state.db") as state:
        run = state.runs("generate")[-1]
        integrity = state.db.execute("PRAGMA integrity_check").fetchone()[0]
    case.observe(f"{result.summary()}; run logged '{run['status']}'; integrity {integrity}")
    assert result.code == 3 and len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    assert "HTTP 500" in result.err and run["status"] == "failed" and integrity == "ok"


def test_a_model_that_obeys_injected_instructions_is_caught_by_the_validators(clean_store: CleanStore, capsys,
                                                                              monkeypatch, case) -> None:
    """Product data that slips an instruction past the prompt's filters, and a model that follows it: the claims it
    invents (a discount, a guarantee) are not in the product's data, so the draft is flagged, never passed."""
    case.expect("every draft carrying the injected claims is flagged (ungrounded), none passes")
    store = clean_store
    store.config.write_text(OPENAI_CONFIG, encoding="utf-8")
    with StateStore(store.root / "state.db") as state:
        state.db.execute("DELETE FROM drafts")
    claims = "Now 50% off, with a lifetime guarantee, and 100% waterproof."

    class ObedientModel(FakeOpenAI):
        def chat(self, body, *, limited=True):
            completion, headers = super().chat(body, limited=limited)
            content = completion["choices"][0]["message"].get("content")
            if content and "Tove" in str(body.get("messages")):
                import json

                answer = json.loads(content)
                for name in ("body_html", "seo_description"):
                    if answer.get(name):
                        answer[name] = answer[name].replace("</p>", f" {claims}</p>", 1) if name == "body_html" \
                            else f"{claims} {answer[name]}"[:155]
                completion["choices"][0]["message"]["content"] = json.dumps(answer)
            return completion, headers

    with ObedientModel(FakeConfig(seed=7)) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-obedient")
        result = run_cli(capsys, [*store.args(), "generate", "--all"])
    with StateStore(store.root / "state.db") as state:
        drafts = [d for d in list_drafts(state) if d.product_id == "stoneware-mug"]
    carrying = [d for d in drafts if "50% off" in " ".join(d.written_fields().values())]
    codes = Counter(f["code"] for d in carrying for f in d.validation)
    case.observe(f"{result.summary()}; {len(carrying)} of {len(drafts)} mug drafts carry the claims, statuses "
                 f"{dict(Counter(d.status for d in carrying))}, reasons {dict(codes)}")
    assert result.code == 0 and drafts
    assert all(d.status == "flagged" for d in carrying)
    assert not any(d.status == "passed" and "waterproof" in " ".join(d.written_fields().values()).lower()
                   for d in drafts)
