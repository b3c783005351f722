"""`make bench`: run every benchmark (with --run), then print one table of each figure beside its target.

Each benchmark writes its own workspace/bench/<name>.json; this reads them back, so the table also works on
figures from separate `make bench-*` runs (without --run). Exit status 1 when a figure misses its target.
"""

from __future__ import annotations

import argparse
import json
import operator
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "workspace" / "bench"

# (json file, script, [(key, comparison, target)]); a None comparison is a figure reported without a target.
BENCHMARKS = [
    ("shopify.json", "bench_shopify.py", [
        ("pull_products_per_s", ">=", 20_000), ("pull_peak_rss_mb", "<=", 1_500),
        ("push_time_ratio_to_throttle_minimum", "<=", 1.15), ("push_throttled_errors_seen", "==", 0)]),
    ("audit_eval.json", "audit_eval.py", [("min_precision", ">=", 0.95), ("min_recall", ">=", 0.95)]),
    ("audit.json", "bench_audit.py", [
        ("audit_100k_wall_s", "<=", 60), ("audit_100k_peak_rss_mb", "<=", 2_000),
        ("neardup_recall_vs_all_pairs", ">=", 0.95)]),
    ("keywords.json", "bench_keywords.py", [
        ("primary_shared", "==", 0), ("coverage", ">=", 0.90), ("wands_assigned_share", None, None)]),
    ("generate.json", "bench_generate.py", [
        ("pass_rate", ">=", 0.95), ("duplicate_titles", "==", 0), ("near_duplicate_description_pairs", "==", 0),
        ("rerun_provider_calls", "==", 0), ("rerun_time_ratio", "<", 0.10)]),
    ("scale.json", "bench_scale.py", [
        ("throughput_ratio_to_ceiling", ">=", 0.90), ("throughput_ratio_to_binding_limit", None, None),
        ("rate_limited_share", "<", 0.01), ("speedup_vs_sequential", None, None),
        ("batch_completed", "==", 2_400), ("estimate_error", "<=", 0.15)]),
    ("links.json", "bench_links.py", [
        ("orphans", "==", 0), ("unresolved_links", "==", 0), ("inbound_min", None, None),
        ("inbound_median", None, None), ("inbound_max", "<=", "inbound_cap"), ("links_100k_wall_s", "<=", 120)]),
    ("review.json", "bench_review.py", [("list_page_10k_s", "<", 1.0)]),
    ("reliability.json", "reliability.py", [("cases", ">=", 60), ("failed", "==", 0)]),
]
COMPARE = {">=": operator.ge, "<=": operator.le, "<": operator.lt, "==": operator.eq}


def run_all() -> dict[str, float]:
    seconds = {}
    for _, script, _ in BENCHMARKS:
        started = time.monotonic()
        print(f"== {script}", flush=True)
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / script)], cwd=ROOT, check=False)
        seconds[script] = time.monotonic() - started
    return seconds


def table() -> tuple[list[tuple[str, ...]], int]:
    rows, misses = [], 0
    for name, _, figures in BENCHMARKS:
        path = BENCH / name
        data = json.loads(path.read_text()) if path.exists() else {}
        for key, comparison, target in figures:
            value = data.get(key)
            if isinstance(target, str):
                target = data.get(target)
            if value is None:
                verdict = "not measured"
                misses += comparison is not None
            elif comparison is None:
                verdict = "reported"
            else:
                ok = COMPARE[comparison](value, target)
                verdict = "ok" if ok else "MISSED"
                misses += not ok
            goal = "" if comparison is None else f"{comparison} {target}"
            rows.append((name.removesuffix(".json"), key, "-" if value is None else f"{value:g}", goal, verdict))
    return rows, misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", action="store_true", help="run every benchmark first")
    args = parser.parse_args()
    if args.run:
        run_all()
    rows, misses = table()
    widths = [max(len(r[i]) for r in rows + [("bench", "figure", "value", "target", "verdict")]) for i in range(5)]
    for row in [("bench", "figure", "value", "target", "verdict"), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print(f"{len(rows)} figures, {misses} missed or not measured")
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
