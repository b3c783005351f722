"""`make audit-eval`: score the audit against the sample's planted flaws (catalog_samples/labels.csv).

For every flaw type in the labels file: the products the audit flags with that code versus the products
labelled with it; precision, recall and the disagreeing handles are printed, and the figures are written to
workspace/bench/audit_eval.json (min_precision and min_recall across flaw types, plus one entry per type).
The catalogue is read straight from the CSV with the pull stage's reader, so no workspace is needed.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import pandas as pd

from pipeline.config import PROJECT_ROOT, load_settings
from pipeline.core.catalog import COLUMNS, finish_row
from pipeline.shopify.csv_format import read_products
from pipeline.stages.audit.stage import audit_catalog, audit_config
from pipeline.workspace import write_json_atomic


def load_catalogue(path: Path) -> pd.DataFrame:
    _, products = read_products(path)
    return pd.DataFrame([finish_row(p) for p in products], columns=list(COLUMNS))


def load_labels(path: Path) -> dict[str, set[str]]:
    labelled: dict[str, set[str]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            labelled.setdefault(row["flaw"], set()).add(row["handle"])
    return labelled


def score(findings: pd.DataFrame, labelled: dict[str, set[str]]) -> dict[str, dict]:
    flagged = findings.groupby("code")["handle"].agg(set).to_dict() if len(findings) else {}
    out = {}
    for flaw in sorted(labelled):
        truth, found = labelled[flaw], flagged.get(flaw, set())
        hits = len(truth & found)
        out[flaw] = {
            "labelled": len(truth), "flagged": len(found), "true_positives": hits,
            "precision": round(hits / len(found), 4) if found else (1.0 if not truth else 0.0),
            "recall": round(hits / len(truth), 4) if truth else 1.0,
            "false_positives": sorted(found - truth)[:20], "missed": sorted(truth - found)[:20],
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=PROJECT_ROOT / "catalog_samples" / "products.csv")
    parser.add_argument("--labels", type=Path, default=PROJECT_ROOT / "catalog_samples" / "labels.csv")
    parser.add_argument("--out", type=Path, default=None, help="default: <workspace>/bench/audit_eval.json")
    parser.add_argument("--config", type=Path, default=None, help="settings file (default: seo.toml)")
    parser.add_argument("--verbose", action="store_true", help="list disagreeing handles")
    args = parser.parse_args(argv)
    for path in (args.csv, args.labels):
        if not path.exists():
            print(f"error: {path}: not found (the sample generator writes it: "
                  "python catalog_samples/generate_sample.py)", file=sys.stderr)
            return 2

    settings = load_settings(args.config)
    config = audit_config(settings)
    catalogue = load_catalogue(args.csv)
    started = time.monotonic()
    outcome = audit_catalog(catalogue, config)
    seconds = time.monotonic() - started
    scores = score(outcome.findings, load_labels(args.labels))

    print(f"audit-eval: {len(catalogue):,} products from {args.csv.name}, audited in {seconds:.2f} s")
    print(f"  {'flaw':<26} {'labelled':>8} {'flagged':>8} {'precision':>9} {'recall':>7}")
    for flaw, s in scores.items():
        print(f"  {flaw:<26} {s['labelled']:>8} {s['flagged']:>8} {s['precision']:>9.3f} {s['recall']:>7.3f}")
        if args.verbose and (s["false_positives"] or s["missed"]):
            print(f"      false positives: {s['false_positives'][:8]}\n      missed: {s['missed'][:8]}")
    min_precision = min(s["precision"] for s in scores.values())
    min_recall = min(s["recall"] for s in scores.values())
    print(f"  min precision {min_precision:.3f}, min recall {min_recall:.3f} (target >= 0.95 each)")
    out = args.out or settings.workspace_base / "bench" / "audit_eval.json"
    write_json_atomic(out, {"products": len(catalogue), "audit_seconds": round(seconds, 3),
                            "min_precision": min_precision, "min_recall": min_recall, "flaws": scores,
                            "config": {k: v for k, v in vars(config).items() if not isinstance(v, tuple)}})
    print(f"  wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
