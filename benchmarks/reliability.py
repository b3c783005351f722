"""`make reliability`: every reliability case (tests/reliability/), the slow ones too, as a table of
(case, expected, observed) on stdout and workspace/bench/reliability.json.

    python benchmarks/reliability.py [--out PATH] [--fast] [pytest arguments, e.g. -k crash]

Each case records what it expected and what it observed through the suite's `case` fixture; this script runs
pytest with a small plugin that collects those records with each case's outcome. The exit status is pytest's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import textwrap
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WIDTHS = {"case": 38, "result": 6, "expected": 52, "observed": 72}


class CaseCollector:
    """A pytest plugin: each test's outcome over its phases, its duration, and its reliability record."""

    def __init__(self) -> None:
        self.tests: dict[str, dict[str, Any]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        test = self.tests.setdefault(report.nodeid, {"outcome": "passed", "seconds": 0.0, "record": None,
                                                     "why": ""})
        test["seconds"] += report.duration
        if report.failed:
            test["outcome"] = "failed"
            test["why"] = test["why"] or _short_failure(report)
        elif report.skipped and test["outcome"] != "failed":
            test["outcome"] = "skipped"
        for key, value in report.user_properties:
            if key == "reliability":
                test["record"] = value


def _short_failure(report: pytest.TestReport) -> str:
    text = str(report.longrepr or "")
    lines = [line for line in text.splitlines() if line.startswith("E ")]
    return (lines[0][1:].strip() if lines else text.strip().splitlines()[-1] if text.strip() else "failed")[:300]


def table_rows(collector: CaseCollector) -> list[dict[str, Any]]:
    rows = []
    for nodeid, test in collector.tests.items():
        record = test["record"]
        if record is None:
            continue
        observed = record["observed"]
        if test["outcome"] == "failed" and test["why"]:
            observed = f"{observed} | FAILED: {test['why']}"
        rows.append({**record, "observed": observed, "result": test["outcome"], "seconds": round(test["seconds"], 2),
                     "test": nodeid})
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    columns = list(WIDTHS)
    rule = "+".join("-" * (WIDTHS[c] + 2) for c in columns)
    print(rule)
    print("|".join(f" {c:<{WIDTHS[c]}} " for c in columns))
    print(rule)
    group = None
    for row in rows:
        if row["group"] != group:
            group = row["group"]
            print(f" [{group}]")
        cells = {c: textwrap.wrap(str(row[c]), WIDTHS[c]) or [""] for c in columns}
        for i in range(max(len(lines) for lines in cells.values())):
            print("|".join(f" {(cells[c][i] if i < len(cells[c]) else ''):<{WIDTHS[c]}} " for c in columns))
    print(rule)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "workspace" / "bench" / "reliability.json")
    parser.add_argument("--fast", action="store_true", help="only the cases `make test` runs (no slow ones)")
    args, pytest_args = parser.parse_known_args(argv)
    if not args.fast:
        os.environ["RELIABILITY_SLOW"] = "1"
    os.chdir(PROJECT_ROOT)  # the suite imports tests.* and runs `python -m pipeline` from the project root
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    collector = CaseCollector()
    started = time.monotonic()
    status = pytest.main(["tests/reliability", "-q", "-p", "no:cacheprovider", *pytest_args], plugins=[collector])
    seconds = time.monotonic() - started
    rows = table_rows(collector)
    order = {name: i for i, name in enumerate(dict.fromkeys(r["group"] for r in rows))}
    rows.sort(key=lambda r: order[r["group"]])
    print()
    print_table(rows)
    outcomes = Counter(r["result"] for r in rows)
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        groups[row["group"]][row["result"]] += 1
    other_failed = sum(1 for t in collector.tests.values() if t["record"] is None and t["outcome"] == "failed")
    report = {
        "cases": len(rows), "passed": outcomes["passed"], "failed": outcomes["failed"] + other_failed,
        "skipped": outcomes["skipped"], "slow_included": not args.fast, "seconds": round(seconds, 1),
        "groups": {g: {"cases": sum(c.values()), "failed": c["failed"], "skipped": c["skipped"]}
                   for g, c in groups.items()},
        "table": rows, "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(), "cpus": os.cpu_count(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(f".{args.out.name}.tmp")
    tmp.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    per_group = ", ".join(f"{g} {v['cases']}" for g, v in report["groups"].items())
    print(f"reliability: {report['cases']} cases, {report['passed']} passed, {report['failed']} failed, "
          f"{report['skipped']} skipped ({per_group}); {seconds:.0f} s; wrote {args.out}")
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
