"""`python benchmarks/bench_quality.py`: how well the content gates separate good drafts from bad ones.

Reads the labelled evaluation set in tests/quality/eval_set/ (products.json and heldout_products.json: the products
with their current English copy; eval_set.jsonl: one draft a line, {"id", "split", "family", "locale", "product_id",
"keyword", "draft": {title, body_html, seo_title, seo_description}, "labels": [...], ...}, labels [] = a good draft).
Builds each product's fact sheet, runs `check_content` on every draft (its `original` is the product's current
English copy) and writes workspace/bench/quality.json:
- gate_recall: share of labelled-bad drafts with at least one finding (target >= 0.97);
- recall per class C: share of drafts labelled C that get a finding of code C (target >= 0.90 each);
- gate_false_reject: share of good drafts with any blocking finding (target <= 0.03);
- the same per locale and per family, counts, and wall time (target < 60 s on 2 cores).
The headline figures are over the whole set; `splits` repeats them for "all", "tuning" (the drafts the gates were
tuned on) and "heldout" (other products, written before the gates were changed against them).
`--verbose` lists every miss and false reject with its findings; `--split` limits that list to one split.

Then the offline writer on catalogues the sample generator did not make (benchmarks/offline_writer_figures.py):
offline_rejected_share (drafts the gates reject, per catalogue and locale; target <= 0.03 everywhere),
missing_seo_filled (products with an empty SEO title or description that get a valid one in the primary locale;
target >= 0.95 on every catalogue) and abstained_share (fields it left alone), per catalogue and locale.
`--no-offline` skips that part (the eval set alone takes seconds).
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
SPLITS = ("tuning", "heldout")


def load(eval_dir: Path) -> tuple[dict[str, dict], list[dict]]:
    products = {p["id"]: p for name in ("products.json", "heldout_products.json") if (eval_dir / name).exists()
                for p in json.loads((eval_dir / name).read_text(encoding="utf-8"))}
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
        rows.append({"id": r["id"], "split": r.get("split") or "tuning",
                     "family": r.get("family") or p.get("family"), "locale": r["locale"],
                     "labels": sorted(set(r.get("labels") or [])), "codes": sorted({f.code for f in findings}),
                     "blocking": any(f.blocking for f in findings), "note": r.get("note", ""),
                     "findings": [f"{f.code}/{f.field}: {f.message}" for f in findings]})
    summary = summarise(rows)
    summary["splits"] = {"all": summarise(rows, families=False)}
    for split in SPLITS:
        subset = [r for r in rows if r["split"] == split]
        if subset:
            summary["splits"][split] = summarise(subset, families=False)
    return summary, rows


def summarise(rows: list[dict], *, families: bool = True) -> dict:
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
    for key in ("locale", "family") if families else ("locale",):
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


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_table(splits: dict[str, dict]) -> None:
    """Recall per class (n, share caught, good drafts flagged) and per locale, one column group per split."""
    names = list(splits)
    print("  " + " " * 20 + "".join(f" | {n:^20}" for n in names))
    print(f"  {'':<20}" + " | {:>4} {:>7} {:>7}".format("n", "recall", "on good") * len(names))
    rows = [("gate (any finding)", {n: (s["bad"], s["gate_recall"], None) for n, s in splits.items()})]
    rows += [(code, {n: (s["per_class"][code]["n"], s["per_class"][code]["recall"],
                         s["per_class"][code]["flagged_good"]) for n, s in splits.items()})
             for code in CODES]
    for label, cells in rows:
        print(f"  {label:<20}" + "".join(
            f" | {cells[n][0]:>4} {_fmt(cells[n][1]):>7} {'' if cells[n][2] is None else cells[n][2]:>7}"
            for n in names))
    print(f"  {'false reject':<20}" + "".join(
        f" | {splits[n]['good']:>4} {_fmt(splits[n]['gate_false_reject']):>7} {'':>7}" for n in names))
    print(f"  {'locale (recall/FR)':<20}" + "".join(f" | {'':^20}" for _ in names))
    for loc in sorted({k for s in splits.values() for k in s["per_locale"]}):
        cells = [splits[n]["per_locale"].get(loc) for n in names]
        print(f"  {'  ' + loc:<20}" + "".join(
            f" | {'':>4} {_fmt(c['recall']) if c else '-':>7} {_fmt(c['false_reject']) if c else '-':>7}"
            for c in cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--verbose", action="store_true", help="list misses and false rejects with their findings")
    parser.add_argument("--split", choices=SPLITS, help="with --verbose: list only this split's misses")
    parser.add_argument("--no-offline", action="store_true", help="skip the offline writer's catalogues")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    products, records = load(args.eval_dir)
    summary, rows = evaluate(products, records)
    summary["wall_s"] = round(time.perf_counter() - start, 2)
    if not args.no_offline:
        from offline_writer_figures import offline_writer_figures

        summary.update(offline_writer_figures())
    summary["machine"] = {"python": platform.python_version(), "cpu": platform.processor() or platform.machine()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(args.out)

    print(f"content gates: {summary['drafts']} drafts ({summary['bad']} bad, {summary['good']} good), "
          f"{summary['wall_s']} s")
    print(f"  gate_recall {summary['gate_recall']}  (target >= 0.97)   "
          f"gate_false_reject {summary['gate_false_reject']}  (target <= 0.03)")
    print_table(summary["splits"])
    if "offline_writer" in summary:
        print(f"  offline writer: offline_rejected_share_max {summary['offline_rejected_share_max']} (target <= 0.03)"
              f"   missing_seo_filled_min {summary['missing_seo_filled_min']} (target >= 0.95)   "
              f"{summary['offline_writer_wall_s']} s")
        for name, locales in summary["offline_writer"].items():
            cells = "  ".join(f"{loc} rej {f['offline_rejected_share']:.3f} abst {f['abstained_share']:.3f}"
                              + (f" filled {f['missing_seo_filled']:.3f}" if "missing_seo_filled" in f else "")
                              for loc, f in locales.items())
            print(f"    {name:32} {cells}")
    print("  " + "  ".join(f"{k}: {v['recall']}/{v['false_reject']}" for k, v in summary["per_family"].items())
          + "   (family: recall/false reject, all)")
    if args.verbose:
        for r in rows:
            if args.split and r["split"] != args.split:
                continue
            missed = [c for c in r["labels"] if c not in r["codes"]]
            if missed or (not r["labels"] and r["blocking"]):
                kind = f"MISS {','.join(missed)}" if missed else "FALSE REJECT"
                print(f"\n{kind}: {r['id']} [{r['split']} {r['locale']}/{r['family']}] labels={r['labels']} "
                      f"{r['note']}")
                for f in r["findings"]:
                    print(f"    {f}")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
