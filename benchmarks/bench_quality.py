"""`python benchmarks/bench_quality.py`: how well the content gates separate good drafts from bad ones.

Reads the labelled evaluation set in tests/quality/eval_set/ (products.json: one product per family member with
its current English copy; eval_set.jsonl: one draft a line, {"id", "family", "locale", "product_id", "keyword",
"draft": {title, body_html, seo_title, seo_description}, "labels": [...], ...}, labels [] = a good draft).
Builds each product's fact sheet, runs `check_content` on every draft (its `original` is the product's current
English copy) and writes workspace/bench/quality.json:
- gate_recall: share of labelled-bad drafts with at least one finding (target >= 0.97);
- recall per class C: share of drafts labelled C that get a finding of code C (target >= 0.90 each);
- gate_false_reject: share of good drafts with any blocking finding (target <= 0.03);
- the same per locale and per family, counts, and wall time (target < 60 s on 2 cores).
`--verbose` lists every miss and false reject with its findings.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.gates.content import CODES, ProductFactsInput, build_fact_sheet, check_content  # noqa: E402

EVAL_DIR = ROOT / "tests" / "quality" / "eval_set"
OUT = ROOT / "workspace" / "bench" / "quality.json"
FIELDS = ("title", "body_html", "seo_title", "seo_description")


def load(eval_dir: Path) -> tuple[dict[str, dict], list[dict]]:
    products = {p["id"]: p for p in json.loads((eval_dir / "products.json").read_text(encoding="utf-8"))}
    path = eval_dir / "eval_set.jsonl"
    if path.exists():
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:  # the set is still being written: its good drafts alone
        records = [{**r, "id": f"good-{i}", "labels": [], "family": products[r["product_id"]]["family"]}
                   for i, r in enumerate(json.loads((eval_dir / "good_drafts.json").read_text(encoding="utf-8")))]
        print(f"bench-quality: {path.name} not found; good drafts only", file=sys.stderr)
    return products, records


def product_input(p: dict) -> ProductFactsInput:
    return ProductFactsInput(
        title=p.get("title") or "", body_html=p.get("body_html") or "", vendor=p.get("vendor") or "",
        product_type=p.get("product_type") or "", tags=tuple(p.get("tags") or ()), options=p.get("options") or (),
        variants=p.get("variants") or (), seo_title=p.get("seo_title") or "",
        seo_description=p.get("seo_description") or "", primary_locale=p.get("primary_locale") or "en")


def ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def evaluate(products: dict[str, dict], records: list[dict]) -> tuple[dict, list[dict]]:
    sheets = {pid: build_fact_sheet(product_input(p)) for pid, p in products.items()}
    rows = []
    for r in records:
        p = products[r["product_id"]]
        original = {f: p.get(f) or "" for f in FIELDS}
        findings = check_content(r["draft"], sheets[r["product_id"]], locale=r["locale"], keyword=r.get("keyword"),
                                 original=original)
        rows.append({"id": r["id"], "family": r.get("family") or p.get("family"), "locale": r["locale"],
                     "labels": sorted(set(r.get("labels") or [])), "codes": sorted({f.code for f in findings}),
                     "blocking": any(f.blocking for f in findings), "note": r.get("note", ""),
                     "findings": [f"{f.code}/{f.field}: {f.message}" for f in findings]})
    return summarise(rows), rows


def summarise(rows: list[dict]) -> dict:
    bad = [r for r in rows if r["labels"]]
    good = [r for r in rows if not r["labels"]]
    per_class = {}
    for code in CODES:
        labelled = [r for r in bad if code in r["labels"]]
        per_class[code] = {"n": len(labelled), "recall": ratio(sum(code in r["codes"] for r in labelled),
                                                             len(labelled)),
                           "flagged_good": sum(code in r["codes"] for r in good)}
    out = {"drafts": len(rows), "bad": len(bad), "good": len(good),
           "gate_recall": ratio(sum(bool(r["codes"]) for r in bad), len(bad)),
           "gate_false_reject": ratio(sum(r["blocking"] for r in good), len(good)),
           "per_class": per_class}
    for key in ("locale", "family"):
        groups = defaultdict(list)
        for r in rows:
            groups[r[key]].append(r)
        out[f"per_{key}"] = {
            k: {"n": len(v), "recall": ratio(sum(bool(r["codes"]) for r in v if r["labels"]),
                                             sum(bool(r["labels"]) for r in v)),
                "false_reject": ratio(sum(r["blocking"] for r in v if not r["labels"]),
                                      sum(not r["labels"] for r in v))}
            for k, v in sorted(groups.items())}
    out["label_counts"] = dict(Counter(c for r in bad for c in r["labels"]).most_common())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--verbose", action="store_true", help="list misses and false rejects with their findings")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    products, records = load(args.eval_dir)
    summary, rows = evaluate(products, records)
    summary["wall_s"] = round(time.perf_counter() - start, 2)
    summary["machine"] = {"python": platform.python_version(), "cpu": platform.processor() or platform.machine()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(args.out)

    print(f"content gates: {summary['drafts']} drafts ({summary['bad']} bad, {summary['good']} good), "
          f"{summary['wall_s']} s")
    print(f"  gate_recall {summary['gate_recall']}  (target >= 0.97)   "
          f"gate_false_reject {summary['gate_false_reject']}  (target <= 0.03)")
    print(f"  {'class':<20} {'n':>4} {'recall':>7} {'on good':>8}")
    for code, c in summary["per_class"].items():
        print(f"  {code:<20} {c['n']:>4} {c['recall'] if c['recall'] is not None else '-':>7} {c['flagged_good']:>8}")
    for key in ("per_locale", "per_family"):
        print("  " + "  ".join(f"{k}: {v['recall']}/{v['false_reject']}" for k, v in summary[key].items())
              + f"   ({key[4:]}: recall/false reject)")
    if args.verbose:
        for r in rows:
            missed = [c for c in r["labels"] if c not in r["codes"]]
            if missed or (not r["labels"] and r["blocking"]):
                kind = f"MISS {','.join(missed)}" if missed else "FALSE REJECT"
                print(f"\n{kind}: {r['id']} [{r['locale']}/{r['family']}] labels={r['labels']} {r['note']}")
                for f in r["findings"]:
                    print(f"    {f}")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
