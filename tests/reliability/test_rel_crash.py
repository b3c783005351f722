"""Crash safety: `generate` (live and batch, through the OpenAI test server) and `push` (to the Shopify double)
killed with SIGKILL at random points and run again end where an uninterrupted run ends: the same drafts, none lost
or duplicated, at most the in-flight requests paid twice per kill, and no product written twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fakes.openai_server import FakeConfig, FakeOpenAI

from pipeline.state.drafts import list_drafts
from pipeline.state.store import StateStore
from tests.push_fixtures import field_values
from tests.reliability.conftest import CleanStore
from tests.reliability.crash import crash_and_resume, run_stage, stage_env
from tests.reliability.harness import OPENAI_CONFIG, integrity, skip_unless_slow, slow
from tests.reliability.shop import approved_on_store, count_writes, ledger_counts, pushed_store, unledgered_changes

GROUP = "crash safety"
CONCURRENCY = 4  # OPENAI_CONFIG's [generation] concurrency: requests in flight at most


def drafts_state(root: Path) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Every draft's content and verdict, without what differs between runs (run ids, times)."""
    with StateStore(root / "state.db") as state:
        rows = state.db.execute("SELECT product_id, locale, COUNT(*) OVER (PARTITION BY product_id, locale) AS n "
                                "FROM drafts").fetchall()
        assert all(r["n"] == 1 for r in rows)
        return {(d.product_id, d.locale): (d.title, d.body_html, d.seo_title, d.seo_description, d.handle, d.status,
                                           tuple(sorted((f["field"], f["code"]) for f in d.validation)), d.rounds,
                                           d.input_hash)
                for d in list_drafts(state)}


def fresh(store: CleanStore, tmp_path: Path, name: str) -> CleanStore:
    copy = store.copy_to(tmp_path / name)
    with StateStore(copy.root / "state.db") as state:
        state.db.execute("DELETE FROM drafts")
        state.db.execute("DELETE FROM response_cache")
    return copy


def generate_crash_case(store: CleanStore, tmp_path: Path, *, kills: int, seed: int, mode: str = "live",
                        latency_s: float = 0.05) -> dict[str, Any]:
    """An uninterrupted run and a run killed `kills` times then resumed, each against its own server."""
    args = ["generate", "--all", "--mode", mode]
    config = FakeConfig(latency_s=latency_s, batch_seconds=1.0, seed=seed)
    reference = fresh(store, tmp_path, "reference")
    with FakeOpenAI(config) as server:
        done = run_stage([*reference.args(), *args], stage_env({"OPENAI_BASE_URL": server.base_url,
                                                                 "OPENAI_API_KEY": "sk-test-crash"}))
        assert done.returncode == 0, done.stderr
        reference_stats = server.stats
    crashed = fresh(store, tmp_path, "crashed")
    with FakeOpenAI(FakeConfig(latency_s=latency_s, batch_seconds=1.0, seed=seed)) as server:
        server.httpd.handle_error = lambda request, address: None  # a killed client's broken pipes are expected
        env = stage_env({"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-test-crash"})
        if mode == "batch":
            counter = lambda: server.stats.batches_created + server.stats.batch_requests  # noqa: E731
            total = reference_stats.batches_created + reference_stats.batch_requests
        else:
            counter = lambda: server.stats.chat_requests  # noqa: E731
            total = reference_stats.chat_requests
        log, final = crash_and_resume([*crashed.args(), *args], env, counter, kills=kills, total_requests=total,
                                      seed=seed)
        stats = server.stats
    assert final.returncode == 0, final.stderr
    with StateStore(crashed.root / "state.db") as state:
        runs = state.runs("generate")
    return {"reference": drafts_state(reference.root), "crashed": drafts_state(crashed.root), "log": log,
            "reference_stats": reference_stats, "stats": stats, "runs": runs, "root": crashed.root,
            "final": final}


def check_generate(outcome: dict[str, Any], kills: int, case: Any) -> None:
    reference, crashed, log = outcome["reference"], outcome["crashed"], outcome["log"]
    lost = sorted(set(reference) - set(crashed))
    extra = sorted(set(crashed) - set(reference))
    differing = sorted(k for k in set(reference) & set(crashed) if reference[k] != crashed[k])
    calls = outcome["stats"].chat_requests - outcome["reference_stats"].chat_requests
    landed = len(log.landed)
    observed = (f"{log.describe()}; drafts {len(crashed)} vs uninterrupted {len(reference)}: lost {len(lost)}, "
                f"extra {len(extra)}, different {len(differing)}; extra provider requests {calls} "
                f"(<= {landed} kills x {CONCURRENCY} in flight = {landed * CONCURRENCY}); integrity "
                f"{integrity(outcome['root'] / 'state.db')}; runs left 'running' by kills "
                f"{sum(r['status'] == 'running' for r in outcome['runs'])}")
    case.observe(observed)
    assert landed >= max(1, kills // 2), log.describe()
    assert not lost and not extra and not differing, (lost[:3], extra[:3], differing[:3],
                                                      [(reference[k], crashed[k]) for k in differing[:1]])
    assert calls <= landed * CONCURRENCY
    assert integrity(outcome["root"] / "state.db") == "ok"


def test_generate_killed_twice_resumes_to_the_uninterrupted_result(clean_store_template: CleanStore,
                                                                  tmp_path: Path, case) -> None:
    case.expect("2 SIGKILLs mid-run, then a re-run: drafts identical to an uninterrupted run; none lost or "
                "duplicated; extra provider requests <= kills x 4 in flight")
    store = clean_store_template.copy_to(tmp_path / "base")
    store.config.write_text(OPENAI_CONFIG, encoding="utf-8")
    outcome = generate_crash_case(store, tmp_path, kills=2, seed=21, latency_s=0.1)
    check_generate(outcome, 2, case)


@slow
@skip_unless_slow
@pytest.mark.parametrize("seed", [101], ids=["generate_live_killed_10_times"])
def test_generate_killed_at_10_random_points(generated_store_template: CleanStore, tmp_path: Path, seed: int,
                                             case) -> None:
    case.expect("10 SIGKILLs at seeded random requests of a 120-draft live run, then a re-run: drafts identical "
                "to an uninterrupted run; none lost or duplicated; extra requests <= kills x 4 in flight")
    outcome = generate_crash_case(generated_store_template, tmp_path, kills=10, seed=seed)
    check_generate(outcome, 10, case)


@slow
@skip_unless_slow
def test_generate_batch_killed_while_in_flight_is_collected_not_resent(generated_store_template: CleanStore,
                                                                      tmp_path: Path, case) -> None:
    case.expect("batch mode killed at 3 points (upload, batch in flight): the re-run collects the batch; no "
                "request is sent twice; drafts identical to an uninterrupted batch run")
    outcome = generate_crash_case(generated_store_template, tmp_path, kills=3, seed=7, mode="batch")
    reference, crashed, log = outcome["reference"], outcome["crashed"], outcome["log"]
    resent = outcome["stats"].batch_requests - outcome["reference_stats"].batch_requests
    created = (outcome["stats"].batches_created, outcome["reference_stats"].batches_created)
    case.observe(f"{log.describe()}; batches created {created[0]} vs uninterrupted {created[1]}; batch requests "
                 f"sent again {resent}; drafts {len(crashed)} vs {len(reference)}, identical {crashed == reference}")
    assert crashed == reference
    assert resent == 0 and created[0] == created[1]


# -- push ---------------------------------------------------------------------------------------------------------
def final_store(shop: Any) -> dict[str, Any]:
    """What a push leaves on the store: products' writable fields, translations' values, redirects by path."""
    values = field_values(shop)
    return {"products": values["products"], "translations": {k: v[0] for k, v in values["translations"].items()},
            "redirects": {path: r["target"] for path, r in values["redirects"].items()}}


def push_crash_case(tmp_path: Path, *, products: int, kills: int, seed: int, settings: str) -> dict[str, Any]:
    with pushed_store(tmp_path / "reference", products=products, settings=settings) as sample:
        done = run_stage([*sample.case.base, "push"], stage_env(sample.case.shop.env()))
        assert done.returncode == 0, done.stderr
        reference, reference_ops = final_store(sample.case.shop), len(sample.case.shop.log)
    with pushed_store(tmp_path / "crashed", products=products, settings=settings) as sample:
        shop, state_path = sample.case.shop, sample.case.state_path
        writes = count_writes(shop)
        pulled_ops = len(shop.log)
        log, final = crash_and_resume([*sample.case.base, "push"], stage_env(shop.env()), lambda: len(shop.log),
                                      kills=kills, total_requests=reference_ops, seed=seed)
        # targets count the double's operations since it started: the pull's come first
        assert final.returncode == 0, final.stderr
        with StateStore(state_path) as state:
            runs = state.runs("push")
        return {"reference": reference, "crashed": final_store(shop), "writes": writes, "log": log,
                "unledgered": unledgered_changes(shop, sample.pulled, state_path),
                "ledger": ledger_counts(state_path), "runs": runs, "held": approved_on_store(sample),
                "integrity": integrity(state_path), "pulled_ops": pulled_ops, "final": final}


def check_push(outcome: dict[str, Any], kills: int, case: Any) -> None:
    writes, log = outcome["writes"], outcome["log"]
    twice = sorted(k for k, n in writes.items() if n > 1)
    same = outcome["crashed"] == outcome["reference"]
    held, approved = outcome["held"]
    case.observe(f"{log.describe()}; products written twice {len(twice)} (of {len(writes)} written); store equals "
                 f"an uninterrupted push: {same}; approved on the store {held}/{approved}; applied without a ledger "
                 f"entry {len(outcome['unledgered'])}; ledger {dict(outcome['ledger'])}; integrity "
                 f"{outcome['integrity']}; runs killed {sum(r['status'] == 'running' for r in outcome['runs'])}")
    assert len(log.landed) >= max(1, kills // 2), log.describe()
    assert not twice, twice[:5]
    assert same and held == approved
    assert not outcome["unledgered"] and outcome["ledger"]["pending"] == 0 and outcome["integrity"] == "ok"


def test_push_killed_twice_writes_no_product_twice(tmp_path: Path, case) -> None:
    case.expect("2 SIGKILLs mid-push, then a re-run: no product written twice; the store ends as after an "
                "uninterrupted push; every change in the ledger, none left pending")
    outcome = push_crash_case(tmp_path, products=40, kills=2, seed=5, settings="\n[push]\nchunk_size = 5")
    check_push(outcome, 2, case)


@slow
@skip_unless_slow
@pytest.mark.parametrize("settings", ["\n[push]\nchunk_size = 20", "bulk_threshold = 10\n[push]\nchunk_size = 40"],
                         ids=["push_single_writes_killed_10_times", "push_bulk_writes_killed_10_times"])
def test_push_killed_at_10_random_points(tmp_path: Path, settings: str, case) -> None:
    case.expect("10 SIGKILLs at seeded random points of a 200-product push, then a re-run: no product written "
                "twice; store equal to an uninterrupted push; ledger complete, none pending")
    outcome = push_crash_case(tmp_path, products=200, kills=10, seed=13, settings=settings)
    check_push(outcome, 10, case)
