"""make push with no store configured: a Shopify product import CSV of the approved changes, in the store's dialect,
that our own CSV reader reads back as exactly the approved values; recorded in the ledger; undone by rollback."""

from __future__ import annotations

import csv
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.core.catalog import read_catalog
from pipeline.shopify import csv_format
from pipeline.state import ledger
from pipeline.state.decisions import get_decision, record_decision
from pipeline.state.drafts import Draft, save_draft
from pipeline.state.store import StateStore
from tests.conftest import LEGACY_HEADER, SAMPLE_CSV, shopify_csv
from tests.push_fixtures import StoreCase, decide_sample

FIELDS = ("title", "body_html", "seo_title", "seo_description")


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """The sample pulled from a copy of its CSV, with drafts and decisions; no store in the environment."""
    for name in ("SHOPIFY_STORE", "SHOPIFY_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    export = tmp_path / "products_export.csv"
    shutil.copy(SAMPLE_CSV, export)
    base = ["--workspace", str(tmp_path / "ws"), "--store", "s"]
    assert main([*base, "pull", "--csv", str(export)]) == 0
    case = StoreCase(shop=None, base=base, state_path=tmp_path / "ws" / "s" / "state.db")
    catalog = read_catalog(tmp_path / "ws" / "s" / "catalog.parquet")
    products = catalog[["id", "handle", "title"]].to_dict("records")
    with case.state() as state:
        decide_sample(state, products, case)
    pulled = {r["handle"]: {f: r[f] for f in FIELDS} for r in catalog.to_dict("records")}
    return case, export, pulled


def read_back(path: Path) -> tuple[list[str], dict[str, dict]]:
    source, products = csv_format.read_products(path)
    return source.header, {p["handle"]: p for p in products}


def test_the_import_file_reads_back_as_exactly_the_approved_values(offline, capsys):
    case, export, pulled = offline
    code, out, err = case.run(capsys, "push")
    assert code == 0, err
    with case.state() as state:
        run_id = ledger.latest_undoable_push(state)
        destination = Path(ledger.push_run(state, run_id)["export_path"])
        counts = ledger.status_counts(state, run_id)
    assert destination.name == f"shopify_import_{run_id}.csv" and f"wrote {destination}" in out
    header, products = read_back(destination)
    # the handle and Title always, then only the columns of fields that change, in the export's own order
    assert header == ["Title", "URL handle", "Description", "SEO title", "SEO description"]
    assert set(products) == set(case.approved_en)  # catalogue ids of a CSV store are its handles
    for handle, product in products.items():
        approved = case.approved_en[handle]
        expected = {f: approved.get(f, pulled[handle][f]) for f in FIELDS}  # unchanged columns keep their text
        assert {f: product[f] for f in FIELDS} == expected
        assert len(product["variants"]) == 1 and not product["variants"][0]["sku"]  # variants left alone
    exported = sum(len([f for f in v if f != "handle"]) for v in case.approved_en.values())
    handle_changes = sum("handle" in v for v in case.approved_en.values())
    assert counts == {"exported": exported, "failed": handle_changes}
    assert "a CSV import finds products by handle, so it cannot change one" in out
    assert "approved translations (fr " in out and "need a store connection" in out
    # nothing new to export the second time
    code, out, err = case.run(capsys, "push")
    assert code == 0 and "exported 0 products" in out  # the handle changes are reported again
    assert sorted(p.name for p in destination.parent.glob("shopify_import_*.csv")) == [destination.name]


def test_push_with_nothing_approved_says_to_review_first(tmp_path, small_catalog_rows, capsys, monkeypatch):
    monkeypatch.delenv("SHOPIFY_STORE", raising=False)
    export = tmp_path / "products.csv"
    export.write_text(shopify_csv(small_catalog_rows), encoding="utf-8")
    base = ["--workspace", str(tmp_path / "ws"), "--store", "s"]
    assert main([*base, "pull", "--csv", str(export)]) == 0
    capsys.readouterr()
    for dry_run in ([], ["--dry-run"]):
        code = main([*base, "push", *dry_run])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert len(out.splitlines()) == 1
        assert "to an import file: nothing approved to push; review the drafts first (`seo-pipeline review`, or " \
               "`seo-pipeline review --export FILE` and `seo-pipeline review --import FILE`), then push;" in out
        assert out.startswith("push (dry run): run " if dry_run else "push: run ")
    assert not (tmp_path / "ws" / "s" / "exports").exists() or not list((tmp_path / "ws" / "s" / "exports").glob(
        "shopify_import_*.csv"))


def test_a_second_push_of_the_same_decisions_points_to_the_first_import_file(offline, capsys):
    case, export, pulled = offline
    assert case.run(capsys, "push")[0] == 0
    with case.state() as state:
        first = ledger.latest_undoable_push(state)
        destination = Path(ledger.push_run(state, first)["export_path"])
    code, out, err = case.run(capsys, "push")
    assert code == 0, err
    exported = sum(len([f for f in v if f != "handle"]) for v in case.approved_en.values())
    assert (f"  {exported:,} approved fields are already in {destination}, written by push run {first}: import that "
            "file (Shopify admin > Products > Import, tick \"Overwrite products with matching handles\") if you have "
            "not") in out.splitlines()
    assert f"already pushed for the same decision {exported:,}" in out
    destination.unlink()  # moved away since: said so
    code, out, err = case.run(capsys, "push")
    assert f"already in {destination} (no longer there), written by push run {first}" in out


def test_a_product_edited_in_the_export_since_the_pull_is_left_out(offline, capsys):
    case, export, pulled = offline
    target = next(h for h, v in case.approved_en.items() if "title" in v)
    with open(export, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["URL handle"] == target and row["Title"]:
            row["Title"] = "Retitled in the admin"
    with open(export, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    code, out, err = case.run(capsys, "push")
    assert code == 0, err
    with case.state() as state:
        path = Path(ledger.push_run(state, ledger.latest_undoable_push(state))["export_path"])
        assert get_decision(state, target, "en") is None  # back in the review queue
    _, products = read_back(path)
    assert target not in products and len(products) == len(case.approved_en) - 1
    assert f"{target} [en]: title" in out and "conflicts 1" in out


def test_rollback_of_an_offline_push_writes_the_old_values(offline, capsys):
    case, export, pulled = offline
    assert case.run(capsys, "push")[0] == 0
    code, out, err = case.run(capsys, "rollback")
    assert code == 0, err
    with case.state() as state:
        run = max(r["run_id"] for r in ledger.push_runs(state, "rollback"))
        path = Path(ledger.push_run(state, run)["export_path"])
        assert ledger.latest_undoable_push(state) is None
    assert path.name == f"shopify_rollback_{run}.csv"
    _, products = read_back(path)
    assert set(products) == set(case.approved_en)
    for handle, product in products.items():
        assert {f: product[f] for f in FIELDS} == pulled[handle]


def test_the_import_file_follows_a_legacy_export(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SHOPIFY_STORE", raising=False)
    source = tmp_path / "legacy.csv"
    source.write_text(shopify_csv([
        {"Handle": "linen-duvet", "Title": "Linen Duvet", "Body (HTML)": "<p>Washed linen.</p>",
         "Option1 Name": "Size", "Option1 Value": "Queen", "Variant SKU": "D-Q", "Variant Price": "129.00",
         "SEO Title": "Linen duvet", "Status": "active"},
        {"Handle": "linen-duvet", "Option1 Value": "King", "Variant SKU": "D-K", "Variant Price": "149.00"},
        {"Handle": "oak-stool", "Title": "Oak Stool", "Body (HTML)": "<p>Oiled oak.</p>", "Variant SKU": "S",
         "SEO Title": "Oak stool", "Status": "active"},
    ], LEGACY_HEADER), encoding="utf-8")
    base = ["--workspace", str(tmp_path / "ws"), "--store", "legacy"]
    assert main([*base, "pull", "--csv", str(source)]) == 0
    with StateStore(tmp_path / "ws" / "legacy" / "state.db") as state:
        draft = Draft("linen-duvet", "en", title="Washed Linen Duvet Cover", seo_title="Washed linen duvet cover",
                      status="passed")
        save_draft(state, draft)
        record_decision(state, draft, "approved", reviewer="kim")
        other = Draft("oak-stool", "en", seo_description="An oiled oak stool, 45 cm tall.", status="passed")
        save_draft(state, other)
        record_decision(state, other, "approved", reviewer="kim")
    capsys.readouterr()
    assert main([*base, "push"]) == 0
    path = next((tmp_path / "ws" / "legacy" / "exports").glob("shopify_import_*.csv"))
    header, products = read_back(path)
    assert header == ["Handle", "Title", "SEO Title", "SEO Description"]
    assert {h: (p["title"], p["seo_title"], p["seo_description"]) for h, p in products.items()} == {
        "linen-duvet": ("Washed Linen Duvet Cover", "Washed linen duvet cover", ""),
        "oak-stool": ("Oak Stool", "Oak stool", "An oiled oak stool, 45 cm tall.")}


def _process_gone() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _open_run(case: StoreCase, stage: str, pid: int, host: str | None = None) -> int:
    """A run row as another process (`pid`) leaves it while it works, or when it is killed mid-run."""
    with case.state() as state:
        cur = state.db.execute("INSERT INTO runs (stage, started_at, pid, host) VALUES (?, '2026-11-22T10:00:00Z', "
                               "?, ?)", (stage, pid, host or socket.gethostname()))
        return int(cur.lastrowid)


def test_push_and_rollback_refuse_to_start_beside_a_live_push(offline, capsys):
    case, _, _ = offline
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as other:
        try:
            running = _open_run(case, "push", other.pid)
            for command in (["push"], ["rollback"]):
                code, out, err = case.run(capsys, *command)
                assert code == 7 and out == "" and len(err.strip().splitlines()) == 1, (command, err)
                assert f"push run {running} (process {other.pid}, started 2026-11-22T10:00:00Z) is still running" \
                    in err and f"before starting {command[0]}" in err
            code, out, err = case.run(capsys, "push", "--dry-run")  # writes nothing: allowed
            assert code == 0, err
            with case.state() as state:
                assert not ledger.push_runs(state)  # nothing was written beside the live push
        finally:
            other.kill()
    code, out, err = case.run(capsys, "push")  # its process is gone: the push goes ahead
    assert code == 0, err
    with case.state() as state:
        stale = next(r for r in state.runs("push") if r["id"] == running)
    assert stale["status"] == "interrupted" and f"process {other.pid} ended before the run finished" in stale["message"]


def test_a_run_killed_mid_way_is_closed_as_interrupted_by_the_next_run(offline, capsys):
    case, _, _ = offline
    killed = _open_run(case, "generate", _process_gone())
    elsewhere = _open_run(case, "push", _process_gone(), host="another-machine")
    code, _, err = case.run(capsys, "audit")
    assert code == 0, err
    with case.state() as state:
        runs = {r["id"]: r for r in state.runs()}
    assert runs[killed]["status"] == "interrupted" and runs[killed]["finished_at"]
    # a process on another machine cannot be checked from here: its push still blocks pushes, as a live one would
    assert runs[elsewhere]["status"] == "running"
    code, _, err = case.run(capsys, "push")
    assert code == 7 and "on another-machine" in err
