"""make reoptimise: only new or changed products get drafts and a review queue; run twice, the second does nothing;
a store is pulled `since` the last pull and our own pushes are not mistaken for changes; it never pushes."""

from __future__ import annotations

import csv
import fcntl
import shutil
import time

import pytest
import yaml

from pipeline.cli import main
from pipeline.state.decisions import record_decision
from pipeline.state.drafts import Draft, list_drafts, save_draft
from pipeline.state.store import StateStore
from tests.conftest import PROJECT_ROOT, SAMPLE_CSV
from tests.fakes.shopify_server import FakeShopify, make_product

CONFIG = '[pipeline]\nlocales = ["en", "fr"]\nprimary_locale = "en"\n[generation]\nprovider = "offline"\n' \
         '[shopify]\npoll_first_s = 0.01\npoll_max_s = 0.05\n'


def run(base, capsys, *args):
    code = main([*base, *args])
    out, err = capsys.readouterr()
    return code, out, err


def drafts_by_run(state_path) -> dict[str, set[int]]:
    with StateStore(state_path) as state:
        rows = state.db.execute("SELECT product_id, run_id FROM drafts").fetchall()
    out: dict[str, set[int]] = {}
    for product_id, run_id in rows:
        out.setdefault(product_id, set()).add(run_id)
    return out


def edit_export(path, *, add: int, edit: int) -> tuple[list[str], list[str]]:
    """Add `add` products (copies of the first ones under new handles) and edit `edit` descriptions."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    handles = list(dict.fromkeys(r["URL handle"] for r in rows))
    added, edited = [f"{h}-second-edition" for h in handles[:add]], handles[100:100 + edit]
    copies = []
    for row in rows:
        if row["URL handle"] in handles[:add]:
            copy = dict(row, **{"URL handle": f"{row['URL handle']}-second-edition"})
            copy["SKU"] = copy["SKU"] and copy["SKU"] + "-2"
            copy["Title"] = copy["Title"] and copy["Title"] + " II"
            copies.append(copy)
        if row["URL handle"] in edited and row["Title"]:
            row["Description"] += "<p>Now with a ten-year warranty.</p>"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows + copies)
    return added, edited


def test_reoptimise_drafts_exactly_the_new_and_changed_products_then_does_nothing(tmp_path, capsys):
    (tmp_path / "seo.toml").write_text(CONFIG, encoding="utf-8")
    export = tmp_path / "products_export.csv"
    shutil.copy(SAMPLE_CSV, export)
    base = ["--config", str(tmp_path / "seo.toml"), "--workspace", str(tmp_path / "ws"), "--store", "s"]
    state_path = tmp_path / "ws" / "s" / "state.db"
    assert run(base, capsys, "pull", "--csv", str(export))[0] == 0
    with open(export, newline="", encoding="utf-8") as handle:
        existing = list(dict.fromkeys(r["URL handle"] for r in csv.DictReader(handle)))[500:502]
    for stage in (["audit"], ["keywords"], ["generate", "--only", ",".join(existing)]):  # an earlier run's drafts
        assert run(base, capsys, *stage)[0] == 0
    before = drafts_by_run(state_path)
    added, edited = edit_export(export, add=50, edit=10)

    code, out, err = run(base, capsys, "reoptimise")
    assert code == 0, err
    assert "50 new and 10 changed products since the last pull" in out
    after = drafts_by_run(state_path)
    with StateStore(state_path) as state:
        generate_run = state.last_run("generate")["id"]
    with open(tmp_path / "ws" / "s" / "review_queue.csv", newline="", encoding="utf-8") as handle:
        queue = list(csv.DictReader(handle))
    made = {pid for pid, runs in after.items() if generate_run in runs}
    assert made == set(added) | set(edited)  # exactly those 60, in every locale they needed
    assert {pid: after[pid] for pid in before} == before  # the earlier drafts were not touched
    with StateStore(state_path) as state:  # drafts that wrote nothing are kept, but not queued for review
        written = {d.product_id for d in list_drafts(state) if d.run_id == generate_run}
    assert {r["product_id"] for r in queue} == written and {r["decision"] for r in queue} == {""}
    assert "review queue:" in out and "nothing was pushed" in out

    with StateStore(state_path) as state:
        runs_before = len(state.runs())
    code, out, err = run(base, capsys, "reoptimise")
    assert code == 0, err
    assert out.startswith("reoptimise: nothing new or changed since the last pull")
    assert drafts_by_run(state_path) == after
    with StateStore(state_path) as state:
        assert [r["stage"] for r in state.runs()[runs_before:]] == ["reoptimise", "pull"]


@pytest.fixture
def shop(monkeypatch):
    with FakeShopify(locales=("en", "fr"), bulk_polls=1, bucket_size=100_000, restore_rate=100_000) as double:
        for name, value in double.env().items():
            monkeypatch.setenv(name, value)
        for name in ("SHOPIFY_CLIENT_ID", "SHOPIFY_CLIENT_SECRET"):
            monkeypatch.delenv(name, raising=False)
        yield double


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def test_a_store_is_pulled_since_the_last_pull_and_our_own_push_is_not_a_change(shop, tmp_path, capsys):
    (tmp_path / "seo.toml").write_text(CONFIG, encoding="utf-8")
    base = ["--config", str(tmp_path / "seo.toml"), "--workspace", str(tmp_path / "ws"), "--store", "s"]
    shop.add_products([make_product(n) for n in range(1, 31)])
    assert run(base, capsys, "pull")[0] == 0
    # from here on the double's clock is the real one, so writes land after the last pull, as on a real store
    shop._clock_ms = int(time.time() * 1000) + 1000
    pushed = "gid://shopify/Product/1005"
    with StateStore(tmp_path / "ws" / "s" / "state.db") as state:
        draft = Draft(pushed, "en", title="Product 5, rewritten", status="passed")
        save_draft(state, draft)
        record_decision(state, draft, "approved", reviewer="kim")
    assert run(base, capsys, "push")[0] == 0
    assert shop.products[pushed]["updatedAt"] > now_iso()[:10]
    shop.add_products([make_product(n, updatedAt=now_iso()) for n in (31, 32)])
    shop.products["gid://shopify/Product/1007"].update(title="Product 7 renamed by the merchant",
                                                       updatedAt=now_iso())

    writes = sum(e["operation"] in ("ProductUpdate", "BulkRunMutation", "TranslationsRegister") for e in shop.log)
    code, out, err = run(base, capsys, "reoptimise")
    assert code == 0, err
    assert sum(e["operation"] in ("ProductUpdate", "BulkRunMutation", "TranslationsRegister")
               for e in shop.log) == writes  # it never writes to the store
    assert "2 new and 1 changed products since the last pull" in out
    assert "1 changed only by our own push, left out" in out
    assert "from Shopify Admin API (updated since" in out and "pull: 32 products" in out
    with StateStore(tmp_path / "ws" / "s" / "state.db") as state:
        generate_run = state.last_run("generate")["id"]
    made = {pid for pid, runs in drafts_by_run(tmp_path / "ws" / "s" / "state.db").items() if generate_run in runs}
    assert made == {"gid://shopify/Product/1031", "gid://shopify/Product/1032", "gid://shopify/Product/1007"}
    assert shop.products["gid://shopify/Product/1007"]["title"] == "Product 7 renamed by the merchant"  # no push

    code, out, err = run(base, capsys, "reoptimise")
    assert code == 0 and out.startswith("reoptimise: nothing new or changed since the last pull")


def test_a_second_run_at_the_same_time_is_refused(workspace_args, tmp_path, capsys):
    root = tmp_path / "ws" / "t"
    root.mkdir(parents=True)
    with open(root / ".reoptimise.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        code = main([*workspace_args, "reoptimise"])
    _, err = capsys.readouterr()
    assert code == 1 and err.startswith("error: another reoptimise is running for this store")


def test_a_store_catalogue_needs_the_store_or_a_csv(shop, tmp_path, capsys, monkeypatch):
    base = ["--workspace", str(tmp_path / "ws"), "--store", "s"]
    shop.add_products([make_product(1)])
    assert run(base, capsys, "pull")[0] == 0
    monkeypatch.delenv("SHOPIFY_STORE", raising=False)
    code, out, err = run(base, capsys, "reoptimise")
    assert code == 2 and "the catalogue was pulled from the store; set SHOPIFY_STORE" in err


def test_the_nightly_workflow_template_reoptimises_and_never_pushes():
    workflow = yaml.safe_load((PROJECT_ROOT / "docs" / "reoptimise.github-workflow.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true; GitHub reads it as `on`
    assert [len(s["cron"].split()) for s in triggers["schedule"]] == [5]
    steps = workflow["jobs"]["reoptimise"]["steps"]
    assert [s["run"] for s in steps if "run" in s] == ['make reoptimise STORE="$STORE"']
    assert "SHOPIFY_READ_TOKEN" in workflow["jobs"]["reoptimise"]["env"]["SHOPIFY_ACCESS_TOKEN"]
    assert not any("push" in str(s.get("run", "")) or "rollback" in str(s.get("run", "")) for s in steps)
