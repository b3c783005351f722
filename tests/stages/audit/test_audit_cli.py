"""`python -m pipeline audit`: artefacts a freelancer opens, the run log, and one-line failures."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.state.store import StateStore
from tests.conftest import SAMPLE_CSV, shopify_csv

HOSTILE_TITLE = '=HYPERLINK("http://evil.example","click")'
SCRIPT_TITLE = "<script>alert('x')</script> Lamp"


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def pulled(tmp_path: Path, workspace_args: list[str], capsys, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "products.csv"
    path.write_text(shopify_csv(rows), encoding="utf-8")
    code, _, err = run_cli([*workspace_args, "pull", "--csv", str(path)], capsys)
    assert code == 0, err
    return tmp_path / "ws" / "t"


def rows_with_flaws() -> list[dict[str, str]]:
    body = "<p>" + " ".join(f"word{i}" for i in range(60)) + "</p>"
    return [
        {"Title": HOSTILE_TITLE, "URL handle": "hostile", "Description": body, "Vendor": "Acme", "Type": "Lamp",
         "Status": "Active", "SKU": "A-1", "SEO title": "", "SEO description": "x" * 100},
        {"Title": SCRIPT_TITLE, "URL handle": "scripted", "Description": "<p>Short.</p>", "Vendor": "Acme",
         "Type": "Lamp", "Status": "Active", "SKU": "A-2", "SEO title": "Lamp", "SEO description": "x" * 100},
        {"Title": "Halden Linen Throw", "URL handle": "throw-a", "Description": body.replace("word1 ", "x "),
         "Vendor": "Acme", "Type": "Throw", "Status": "Active", "SKU": "A-3", "SEO title": "Throw",
         "SEO description": "y" * 100},
        {"Title": "halden linen throw", "URL handle": "throw-b", "Description": "", "Vendor": "Acme",
         "Type": "Throw", "Status": "Draft", "SKU": "A-4", "SEO title": "Throw", "SEO description": "z" * 100},
    ]


def test_audit_writes_parquet_csv_and_html_and_logs_the_run(tmp_path, workspace_args, capsys):
    store = pulled(tmp_path, workspace_args, capsys, rows_with_flaws())
    code, out, err = run_cli([*workspace_args, "audit"], capsys)
    assert code == 0, err
    assert re.match(r"audit: \d+ findings on 4 of 4 products \(high \d+, medium \d+, low \d+\); "
                    r"3 exact and 1 near-duplicate groups; \d+\.\d s", out), out

    table = pq.read_table(store / "audit.parquet")
    assert table.schema.names == ["product_id", "handle", "code", "severity", "evidence", "group_id", "priority"]
    assert table.schema.field("priority").type == pa.float64()
    findings = table.to_pandas()
    assert set(findings["severity"]) <= {"high", "medium", "low"}
    assert set(findings.loc[findings["code"] == "exact_duplicate_title", "handle"]) == {"throw-a", "throw-b"}
    assert findings.loc[findings["code"] == "missing_seo_title", "group_id"].isna().all()

    with open(store / "audit.csv", encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle))
    assert len(records) == len(findings)
    hostile = [r for r in records if r["handle"] == "hostile"]
    assert hostile and all(r["title"] == "'" + HOSTILE_TITLE for r in hostile)
    assert not any(value.startswith(("=", "+", "-", "@")) for r in records for value in r.values())

    page = (store / "audit.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page
    assert "exact_duplicate_title · 2 products" in page and "throw-a" in page and "<svg" in page

    with StateStore(store / "state.db") as state:
        run = state.last_run("audit")
    assert run["counts"]["products"] == 4 and run["counts"]["findings"] == len(findings)


def test_audit_before_pull_says_what_to_do(workspace_args, capsys):
    code, out, err = run_cli([*workspace_args, "audit"], capsys)
    assert code == 2 and out == ""
    assert err.strip().endswith("catalog.parquet: no catalogue yet; run `seo-pipeline pull` first")
    assert len(err.strip().splitlines()) == 1


def test_bad_threshold_and_bad_settings_are_one_line_errors(tmp_path, workspace_args, capsys):
    pulled(tmp_path, workspace_args, capsys, rows_with_flaws())
    code, _, err = run_cli([*workspace_args, "audit", "--threshold", "1.5"], capsys)
    assert code == 2 and err.strip() == "error: --threshold 1.5: must be above 0 and at most 1"
    config = tmp_path / "seo.toml"
    config.write_text('[audit]\nthin_description_words = "fifty"\n', encoding="utf-8")
    code, _, err = run_cli([*workspace_args, "--config", str(config), "audit"], capsys)
    assert code == 2 and "[audit] thin_description_words = 'fifty' must be an integer" in err
    assert not (tmp_path / "ws" / "t" / "audit.parquet").exists()


def test_a_bad_catalogue_fails_cleanly_and_keeps_the_previous_audit(tmp_path, workspace_args, capsys):
    store = pulled(tmp_path, workspace_args, capsys, rows_with_flaws())
    assert run_cli([*workspace_args, "audit"], capsys)[0] == 0
    before = {name: (store / name).read_bytes() for name in ("audit.parquet", "audit.csv", "audit.html")}

    catalog = pq.read_table(store / "catalog.parquet")
    ids = catalog.column("id").to_pylist()
    pq.write_table(catalog.set_column(0, "id", pa.array([ids[0], ids[1], ids[1], ids[3]])), store / "catalog.parquet")
    code, _, err = run_cli([*workspace_args, "audit"], capsys)
    assert code == 2 and re.search(r"catalog\.parquet: row 3: column 'id': product id .* appears twice", err)

    pq.write_table(catalog.drop_columns(["seo_title"]), store / "catalog.parquet")
    code, _, err = run_cli([*workspace_args, "audit"], capsys)
    assert code == 2 and "catalog.parquet: column 'seo_title': missing column; re-run `seo-pipeline pull`" in err

    assert {name: (store / name).read_bytes() for name in before} == before
    assert not [p for p in store.iterdir() if p.name.endswith(".tmp")]
    with StateStore(store / "state.db") as state:
        assert [r["status"] for r in state.runs("audit")] == ["ok", "failed", "failed"]


@pytest.mark.skipif(not SAMPLE_CSV.exists(), reason="sample catalogue not generated")
def test_the_sample_audit_finds_every_planted_flaw(tmp_path):
    import benchmarks.audit_eval as audit_eval

    out = tmp_path / "eval.json"
    assert audit_eval.main(["--out", str(out)]) == 0
    import json

    result = json.loads(out.read_text())
    assert result["min_precision"] >= 0.95 and result["min_recall"] >= 0.95
    assert len(result["flaws"]) >= 14
