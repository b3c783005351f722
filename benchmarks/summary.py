"""`make bench`: run every benchmark (with --run), then print one table of each figure beside its target.

Each benchmark writes its own workspace/bench/<name>.json; this reads them back, so the table also works on
figures from separate `make bench-*` runs (without --run). It also writes docs/benchmarks.md, the generated page
of the same figures (one table per benchmark, with the machine and the date of each file): figures are never
typed into the docs by hand. Exit status 1 when a figure misses its target.
"""

from __future__ import annotations

import argparse
import json
import operator
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "workspace" / "bench"
PAGE = ROOT / "docs" / "benchmarks.md"

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
        ("primary_shared", "==", 0), ("coverage", ">=", 0.90), ("wands_assigned_share", None, None),
        ("keywords_100k_peak_rss_mb", "<=", 1_500)]),
    ("generate.json", "bench_generate.py", [
        ("pass_rate", ">=", 0.95), ("duplicate_titles", "==", 0), ("near_duplicate_description_pairs", "==", 0),
        ("rerun_provider_calls", "==", 0), ("rerun_time_ratio", "<", 0.10),
        ("planning_100k_x4_wall_s", "<=", 60), ("planning_100k_x4_peak_rss_mb", "<=", 1_500),
        ("planning_100k_x4_cpu_s", None, None)]),
    ("scale.json", "bench_scale.py", [
        # The binding limit is whichever of RPM and TPM binds; with caps sized to need, tokens bind (issue #18).
        ("throughput_ratio_to_ceiling", None, None), ("throughput_ratio_to_binding_limit", ">=", 0.90),
        ("tokens_charged_per_request", "<=", 1_800), ("requests_per_minute", ">=", 1_000),
        ("rate_limited_share", "<", 0.01), ("speedup_vs_sequential", None, None),
        ("batch_completed", "==", 2_400), ("estimate_error", "<=", 0.15)]),
    ("links.json", "bench_links.py", [
        ("orphans", "==", 0), ("unresolved_links", "==", 0), ("inbound_min", None, None),
        ("inbound_median", None, None), ("inbound_max", "<=", "inbound_cap"),
        ("accepted_links_pushed_share", "==", 1.0), ("broken_links", "==", 0),
        ("suggestions_acceptable_share", None, None), ("links_100k_wall_s", "<=", 120),
        ("category_queries_on_collections", ">=", 0.90), ("products_without_collection", "==", 0),
        ("collections_category_queries_also_product_primary", "==", 0)]),
    ("review.json", "bench_review.py", [("list_page_10k_s", "<", 1.0), ("product_page_s", "<", 0.3)]),
    ("quality.json", "bench_quality.py", [
        ("gate_recall", ">=", 0.97), ("gate_false_reject", "<=", 0.03), ("wall_s", "<", 60),
        ("offline_rejected_share_max", "<=", 0.03), ("missing_seo_filled_min", ">=", 0.95)]),
    ("reliability.json", "reliability.py", [("cases", ">=", 60), ("failed", "==", 0)]),
]
COMPARE = {">=": operator.ge, "<=": operator.le, "<": operator.lt, "==": operator.eq}
# The make target that runs each script alone.
MAKE_TARGET = {"bench_shopify.py": "make bench-shopify", "audit_eval.py": "make audit-eval",
               "bench_audit.py": "make bench-audit", "bench_keywords.py": "make bench-keywords",
               "bench_generate.py": "make bench-generate", "bench_scale.py": "make bench-scale",
               "bench_links.py": "make bench-links", "bench_review.py": "make bench-review",
               "bench_quality.py": "make bench-quality",
               "reliability.py": "make reliability"}


def run_all() -> dict[str, float]:
    seconds = {}
    for _, script, _ in BENCHMARKS:
        started = time.monotonic()
        print(f"== {script}", flush=True)
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / script)], cwd=ROOT, check=False)
        seconds[script] = time.monotonic() - started
    return seconds


def read_figures(path: Path) -> dict[str, Any]:
    """A benchmark's JSON, or {} when it is missing or unreadable (its figures then count as not measured)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def judge(data: dict[str, Any], key: str, comparison: str | None, target: Any) -> tuple[Any, Any, str]:
    """(value, target, verdict) for one figure: ok, MISSED, reported (no target) or not measured."""
    value = data.get(key)
    if isinstance(target, str):  # a target the benchmark records beside the figure (links: inbound_cap)
        target = data.get(target)
    if value is None:
        return value, target, "not measured"
    if comparison is None:
        return value, target, "reported"
    try:
        ok = COMPARE[comparison](value, target)
    except TypeError:  # a target the file does not record, or a value that is not a number
        ok = False
    return value, target, "ok" if ok else "MISSED"


def table() -> tuple[list[tuple[str, ...]], int]:
    rows, misses = [], 0
    for name, _, figures in BENCHMARKS:
        data = read_figures(BENCH / name)
        for key, comparison, target in figures:
            value, target, verdict = judge(data, key, comparison, target)
            misses += verdict == "MISSED" or (verdict == "not measured" and comparison is not None)
            goal = "" if comparison is None else f"{comparison} {target}"
            rows.append((name.removesuffix(".json"), key, "-" if value is None else f"{value:g}", goal, verdict))
    return rows, misses


# -- docs/benchmarks.md ------------------------------------------------------------------------------------
def number(value: Any) -> str:
    """A figure for the page: up to 6 significant digits, thousands separated once it is that large."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{value:,.6g}"
    return f"{value:,.0f}" if "e" in text and abs(value) >= 1 else text


def machine(data: dict[str, Any]) -> str:
    """Cores and Python version, from whichever shape the benchmark recorded them in."""
    recorded = data.get("machine")
    cpus = data.get("cpus")
    python = data.get("python")
    if isinstance(recorded, dict):
        cpus = recorded.get("cpus", cpus)
        python = recorded.get("python", python)
    elif isinstance(recorded, str):
        cores = re.search(r"(\d+) cores?", recorded)
        version = re.search(r"Python (\d+\.\d+(?:\.\d+)?)", recorded)
        cpus = int(cores.group(1)) if cores else cpus
        python = version.group(1) if version else python
    parts = [f"{cpus} cores" if cpus else "cores not recorded",
             f"Python {python}" if python else "Python version not recorded"]
    load = next((data[k] for k in ("load_average_before", "load_average_1m") if isinstance(data.get(k), int | float)),
                None)
    if load is not None:
        parts.append(f"load average {load:g} when it ran")
    return ", ".join(parts)


def measured_on(path: Path, data: dict[str, Any]) -> str:
    """When the figures were taken: the time the file records, else the file's modification time (UTC)."""
    stamp = data.get("generated_at")
    if isinstance(stamp, str) and stamp:
        try:
            return datetime.fromisoformat(stamp).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        except ValueError:
            return stamp
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")


def page() -> str:
    verdicts = {"ok": "ok", "MISSED": "miss", "reported": "no target", "not measured": "not measured"}
    lines = ["<!-- Generated by `make bench` / `python benchmarks/summary.py` from workspace/bench/*.json. "
             "Do not edit: re-run it. -->",
             "# Benchmarks",
             "",
             "Generated by `make bench` (or `python benchmarks/summary.py`, which re-reads the figures already in",
             "`workspace/bench/*.json`). Do not edit this page by hand. What each benchmark measures:",
             "[scale.md](scale.md#benchmarks).",
             ""]
    for name, script, figures in BENCHMARKS:
        path = BENCH / name
        data = read_figures(path)
        lines += [f"## {name.removesuffix('.json')}", "",
                  f"`{MAKE_TARGET.get(script, 'python benchmarks/' + script)}` writes `workspace/bench/{name}`."]
        if not path.exists():
            lines += ["Not measured yet: the file does not exist.", ""]
        elif not data:
            lines += ["The file could not be read as a JSON object.", ""]
        else:
            lines += [f"Measured {measured_on(path, data)}; {machine(data)}.", ""]
        lines += ["| figure | value | target | verdict |", "|---|---|---|---|"]
        for key, comparison, target in figures:
            value, resolved, verdict = judge(data, key, comparison, target)
            goal = "" if comparison is None else f"{comparison} {target if resolved is None else number(resolved)}"
            if isinstance(target, str) and resolved is not None:
                goal += f" ({target})"
            lines.append(f"| `{key}` | {'-' if value is None else number(value)} | {goal} | {verdicts[verdict]} |")
        lines.append("")
    known = {name for name, _, _ in BENCHMARKS}
    for path in sorted(p for p in BENCH.glob("*.json") if p.name not in known):
        data = read_figures(path)
        figures = {k: v for k, v in data.items() if isinstance(v, int | float) and not isinstance(v, bool)}
        lines += [f"## {path.stem}", "",
                  f"`workspace/bench/{path.name}` has no targets in `benchmarks/summary.py`, so only its top-level "
                  "figures are shown.",
                  f"Measured {measured_on(path, data)}; {machine(data)}." if data else "The file could not be read.",
                  "", "| figure | value |", "|---|---|"]
        lines += [f"| `{key}` | {number(value)} |" for key, value in figures.items()]
        lines.append("")
    return "\n".join(lines)


def write_page(text: str, destination: Path = PAGE) -> None:
    """Written to a temporary file and renamed into place, so a reader never sees half a page."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(destination)


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
    write_page(page())
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
