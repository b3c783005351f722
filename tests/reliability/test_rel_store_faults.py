"""Store faults during `push` against the Shopify double: THROTTLED, 5xx, dropped connections, userErrors, a
product deleted or edited meanwhile, and a bulk mutation that fails midway. Each ends with a clear report (a
summary that names what failed, or one error line and exit 4), and nothing on the store changed without its
ledger entry; a failed push run again finishes the job without writing any product twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.push_fixtures import SampleStore, field_values
from tests.reliability.harness import CliResult, run_cli
from tests.reliability.shop import approved_on_store, count_writes, ledger_counts, pushed_store, unledgered_changes

GROUP = "store faults"


def _take_a_new_handle(sample: SampleStore) -> str:
    """Another product takes the handle a draft wants, so productUpdate answers with userErrors."""
    with_handle = next(pid for pid, v in sample.case.approved_en.items() if "handle" in v)
    other = next(p for p in sample.products if p["id"] not in sample.case.approved_en)
    sample.case.shop.products[other["id"]]["handle"] = sample.case.approved_en[with_handle]["handle"]
    return with_handle


def _delete_one(sample: SampleStore) -> str:
    gone = next(iter(sample.case.approved_en))
    del sample.case.shop.products[gone]
    return gone


def _edit_one(sample: SampleStore) -> str:
    edited = next(pid for pid, v in sample.case.approved_en.items() if "seo_title" in v)
    sample.case.shop.products[edited]["seo"] = {**sample.case.shop.products[edited]["seo"],
                                                "title": "Edited on the store by the merchant"}
    return edited


def _fail_bulk_midway(sample: SampleStore) -> str:
    """The bulk mutation applies the first half of its lines, then the operation ends FAILED."""
    shop = sample.case.shop
    run_bulk = shop._run_bulk_mutation

    def half_then_fail(mutation: str, staged_path: str) -> dict[str, Any]:
        if staged_path in shop.uploads:
            lines = shop.uploads[staged_path].decode("utf-8").splitlines()
            shop.uploads[staged_path] = "\n".join(lines[: len(lines) // 2]).encode("utf-8")
            shop.fail_next_bulk("INTERNAL_SERVER_ERROR", "FAILED")
            shop._run_bulk_mutation = run_bulk  # once
        return run_bulk(mutation, staged_path)

    shop._run_bulk_mutation = half_then_fail
    return "half of one bulk mutation"


@dataclass(frozen=True)
class StoreFault:
    name: str
    expected: str
    inject: Callable[[SampleStore], Any]
    code: int
    pattern: str  # in the summary (exit 0) or the error line
    settings: str = ""
    products: int = 40
    all_written: bool = True  # every approved change ends on the store (after a re-run when the first failed)


FAULTS = [
    StoreFault("shopify_throttled", "exit 0: THROTTLED answers are waited out; every approved change written once",
               lambda s: s.case.shop.throttle_next(4), 0, r"push: run \d+ to .*: wrote \d+ products"),
    StoreFault("shopify_5xx_then_ok", "exit 0: 502/503 answers retried; every approved change written once",
               lambda s: (s.case.shop.fail_next(502, times=2), s.case.shop.fail_next(503, times=2)), 0,
               r"push: run \d+ to .*: wrote \d+ products"),
    StoreFault("shopify_connection_dropped", "exit 0: dropped connections retried; nothing lost or doubled",
               lambda s: s.case.shop.drop_next(3), 0, r"push: run \d+ to .*: wrote \d+ products"),
    StoreFault("shopify_5xx_persistent", "exit 4: one line naming the HTTP error; nothing written without its "
               "ledger entry; a re-run writes the rest", lambda s: s.case.shop.fail_next(503, times=10_000), 4,
               r"503", settings="max_attempts = 2"),
    StoreFault("shopify_user_errors", "exit 0: Shopify's userErrors listed under 'failed' with its message; that "
               "product untouched", _take_a_new_handle, 0, r"already in use", all_written=False, products=120),
    StoreFault("shopify_product_deleted_meanwhile", "exit 0: 'no longer exists on the store' listed; the rest "
               "written", _delete_one, 0, r"no longer exists on the store", all_written=False),
    StoreFault("shopify_product_edited_meanwhile", "exit 0: conflict listed, the merchant's edit kept, the decision "
               "back in the review queue", _edit_one, 0, r"conflicts 1 \(back in the review queue\)",
               all_written=False),
    StoreFault("shopify_bulk_mutation_fails_midway", "exit 4: one line naming the failed bulk operation; the half it "
               "applied is in the ledger; a re-run settles it and writes the rest, no product twice",
               _fail_bulk_midway, 4, r"bulk", settings="bulk_threshold = 10", products=60),
]


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_store_fault_during_push(fault: StoreFault, tmp_path: Path, capsys, case) -> None:
    case.expect(fault.expected)
    with pushed_store(tmp_path, products=fault.products, settings=fault.settings) as sample:
        shop, state_path = sample.case.shop, sample.case.state_path
        writes = count_writes(shop)
        target = fault.inject(sample)
        before = field_values(shop)  # what the store holds when push starts: the injected changes are not push's
        first = run_cli(capsys, [*sample.case.base, "push"])
        unledgered = unledgered_changes(shop, before, state_path)
        observed = f"{_said(first)}; applied without a ledger entry: {len(unledgered)}; ledger " \
                   f"{dict(ledger_counts(state_path))}"
        case.observe(observed)
        assert "Traceback" not in first.err + first.out
        assert first.code == fault.code, first
        assert not unledgered, unledgered[:5]
        if fault.code:
            assert len(first.err.strip().splitlines()) == 1 and first.err.startswith("error: ")
            assert fault.pattern.lower() in first.err.lower() or re.search(fault.pattern, first.err)
            shop._faults.clear()
            again = run_cli(capsys, [*sample.case.base, "push"])
            assert again.code == 0, again
            observed += f" | re-run: {_said(again)}"
        else:
            assert re.search(fault.pattern, first.out), first.out
        held, approved = approved_on_store(sample)
        twice = sorted(k for k, n in writes.items() if n > 1)
        pending = ledger_counts(state_path)["pending"]
        case.observe(f"{observed}; approved changes on the store {held}/{approved}; products written twice "
                     f"{len(twice)}; ledger rows still pending {pending}")
        assert not twice and pending == 0
        assert not unledgered_changes(shop, before, state_path)
        if fault.all_written:
            assert held == approved
        else:
            assert held == approved - 1 and target in sample.case.approved_en
            assert not any(k.startswith(f"product {target}") for k in writes)


def _said(result: CliResult) -> str:
    text = (result.out if result.code == 0 else result.err).strip().splitlines()
    return f"exit {result.code}: {text[0][:150] if text else ''}"
