"""`make bench-audit`: the audit at 100,000 products, and LSH near-duplicate recall against all pairs.

1. Scale: a 100,000-product catalogue from catalog_samples/generate_sample.py is pulled (not timed) into
   workspace/bench/ and `python -m pipeline audit` runs on it as a child process: its wall time (start-up
   included) and its peak RSS, as the kernel reports it for that process. Targets: <= 60 s, <= 2,000 MB.
2. Recall: on the first 10,000 products, the near-duplicate pairs MinHash + LSH confirms are compared with an
   exact all-pairs Jaccard computation (sparse matrix products over every pair), for the descriptions and the
   titles exactly as the audit compares them, at the configured threshold and at lower ones (where there are
   far more pairs to find). Generated descriptions are either unique or identical, so a second description
   corpus replaces 10% of them with copies of others with 0-6 words changed, which puts pairs on both sides of
   90%. Both timings are reported side by side. Target: recall >= 0.95 (pooled over the corpora at the
   configured threshold).

Writes workspace/bench/audit.json (audit_100k_wall_s, audit_100k_peak_rss_mb, neardup_recall_vs_all_pairs).
The generated catalogue is kept in workspace/bench/ and reused while the generator file is unchanged.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import load_settings  # noqa: E402
from pipeline.core import neardup  # noqa: E402
from pipeline.core.catalog import read_catalog  # noqa: E402
from pipeline.core.text import normalise, strip_html, words  # noqa: E402
from pipeline.stages.audit.checks import AuditConfig, singular  # noqa: E402
from pipeline.stages.audit.duplicates import word_tokens  # noqa: E402
from pipeline.stages.audit.stage import audit_config, variant_values_of  # noqa: E402
from pipeline.workspace import write_json_atomic  # noqa: E402

GENERATOR = ROOT / "catalog_samples" / "generate_sample.py"
# The audit runs as `python -m pipeline audit` would, in a child process. Its own peak comes from VmHWM (the
# kernel's high-water mark for this process's memory; ru_maxrss would include the parent's memory at fork).
CHILD = """
import json, resource, sys, time
from pipeline.cli import main
started = time.monotonic()
code = main(sys.argv[1:])
status = open("/proc/self/status").read()
hwm = int(status.split("VmHWM:")[1].split()[0]) / 1024 if "VmHWM:" in status else float("nan")
usage = resource.getrusage(resource.RUSAGE_SELF)
workers = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": code, "inner_s": time.monotonic() - started, "self_peak_rss_mb": hwm,
                  "cpu_s": usage.ru_utime + usage.ru_stime, "workers_cpu_s": workers.ru_utime + workers.ru_stime}))
"""


def generator():
    spec = importlib.util.spec_from_file_location("generate_sample", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants (its worker processes), from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    tree, frontier = {root}, [root]
    while frontier:
        current = frontier.pop()
        children = [pid for pid, parent in parents.items() if parent == current and pid not in tree]
        tree.update(children)
        frontier += children
    return sum(rss.get(pid, 0) for pid in tree) / 2**20


def run_child(args: list[str], env: dict[str, str], sample_memory: bool = False) -> tuple[dict, float, str]:
    """Run the CLI in a child; with sample_memory, also the peak of the child's whole process tree (sampled
    every 50 ms: the audit child plus the worker processes it starts)."""
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-c", CHILD, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    tree_peak = 0.0
    if sample_memory:
        while child.poll() is None:
            tree_peak = max(tree_peak, _tree_rss_mb(child.pid))
            time.sleep(0.05)
    stdout, stderr = child.communicate()
    wall = time.monotonic() - started
    if child.returncode != 0:
        sys.exit(f"bench-audit: `{' '.join(args)}` failed:\n{stderr}{stdout}")
    lines = stdout.strip().splitlines()
    result = json.loads(lines[-1])
    result["tree_peak_rss_mb"] = tree_peak
    return result, wall, "\n".join(lines[:-1])


def ensure_catalogue(bench: Path, products: int, seed: int, env: dict[str, str]) -> Path:
    """workspace/bench/audit<n>/catalog.parquet, generated and pulled once per generator version."""
    store = f"audit{products // 1000}k"
    root = bench / store
    stamp = root / "generated.json"
    digest = hashlib.sha256(GENERATOR.read_bytes()).hexdigest()[:16]
    wanted = {"products": products, "seed": seed, "generator": digest}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted and (root / "catalog.parquet").exists():
        return root
    root.mkdir(parents=True, exist_ok=True)
    csv_path = root / "products.csv"
    started = time.monotonic()
    module = generator()
    module.write_csv(module.generate_products(products, seed), csv_path)
    print(f"bench-audit: generated {products:,} products in {time.monotonic() - started:.0f} s", flush=True)
    result, wall, _ = run_child(["--workspace", str(bench), "--store", store, "pull", "--csv", str(csv_path)], env)
    print(f"bench-audit: pulled them in {wall:.0f} s", flush=True)
    csv_path.unlink()
    stamp.write_text(json.dumps(wanted))
    return root


def all_pairs(shingled: neardup.Shingled, threshold: float, block: int = 2000) -> set[tuple[int, int]]:
    """Every pair (i < j) with Jaccard >= threshold, by exact intersection counts over all pairs."""
    shingled = shingled.deduplicated()
    n = len(shingled)
    _, columns = np.unique(shingled.hashes, return_inverse=True)
    matrix = sp.csr_matrix((np.ones(len(columns), dtype=np.float32), columns.ravel(), shingled.offsets),
                           shape=(n, int(columns.max()) + 1 if len(columns) else 0))
    sizes = shingled.sizes().astype(np.float64)
    transposed = matrix.T.tocsc()
    found: set[tuple[int, int]] = set()
    for start in range(0, n, block):
        inter = (matrix[start:start + block] @ transposed).tocoo()
        rows, cols = inter.row + start, inter.col
        keep = rows < cols
        rows, cols, values = rows[keep], cols[keep], inter.data[keep]
        union = sizes[rows] + sizes[cols] - values
        ok = (values / np.maximum(union, 1)) >= threshold - 1e-9
        found.update(zip(rows[ok].tolist(), cols[ok].tolist(), strict=True))
    return found


def recall_on(keys: list[str], shingle_size: int, thresholds: list[float], num_perm: int) -> list[dict]:
    distinct = list(dict.fromkeys(k for k in keys if k))
    shingled = neardup.shingle(*word_tokens(distinct), shingle_size)
    out = []
    for threshold in thresholds:
        started = time.monotonic()
        lsh = neardup.near_duplicates(shingled, threshold, num_perm=num_perm)
        lsh_s = time.monotonic() - started
        started = time.monotonic()
        exact = all_pairs(shingled, threshold)
        exact_s = time.monotonic() - started
        found = {tuple(p) for p in lsh.pairs.tolist()}
        out.append({"threshold": threshold, "documents": len(distinct), "exact_pairs": len(exact),
                    "lsh_pairs": len(found), "lsh_pairs_confirmed_by_exact": len(found & exact),
                    "recall": round(len(found & exact) / len(exact), 4) if exact else None,
                    "lsh_candidates": lsh.candidates, "lsh_s": round(lsh_s, 3), "all_pairs_s": round(exact_s, 3)})
    return out


def with_edited_copies(descriptions: list[str], share: float = 0.1, seed: int = 5) -> list[str]:
    """The same descriptions, a `share` of them replaced by another one's text with 0-6 words changed.

    Generated catalogues have almost no description pairs near 90% similar (they are unique or identical),
    so this plants pairs on both sides of the threshold (one changed word in 100 keeps ~94% of the 3-word
    shingles, three keep ~83%), which the exact all-pairs count then decides.
    """
    rng = random.Random(seed)
    out = list(descriptions)
    vocabulary = sorted({w for text in descriptions[:500] for w in text.split()})
    for target in rng.sample(range(len(out)), int(share * len(out))):
        tokens = descriptions[rng.randrange(len(descriptions))].split()
        for _ in range(rng.randint(0, 6) if tokens else 0):
            tokens[rng.randrange(len(tokens))] = rng.choice(vocabulary)
        out[target] = " ".join(tokens)
    return out


def measure_recall(catalog_path: Path, products: int, config: AuditConfig) -> dict:
    catalog = read_catalog(catalog_path, columns=["title", "body_html", "variants"]).head(products)
    descriptions = [normalise(strip_html(b)) for b in catalog["body_html"].fillna("")]
    variant_words = set(config.variant_words) | variant_values_of(catalog["variants"].tolist()).option_words
    titles = [" ".join(singular(w) for w in words(normalise(t)) if w not in variant_words)
              for t in catalog["title"].fillna("")]
    thresholds = sorted({config.near_duplicate_threshold, 0.8, 0.7, 0.5}, reverse=True)
    perms = config.minhash_permutations
    return {"descriptions": recall_on(descriptions, config.description_shingle_words, thresholds, perms),
            "descriptions_with_edited_copies": recall_on(with_edited_copies(descriptions),
                                                         config.description_shingle_words, thresholds, perms),
            "titles": recall_on(titles, config.title_shingle_words, thresholds, perms)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--recall-products", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args(argv)

    settings = load_settings()
    config = audit_config(settings)
    bench = settings.workspace_base / "bench"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for secret in ("SHOPIFY_STORE", "SHOPIFY_ACCESS_TOKEN", "SHOPIFY_CLIENT_ID", "SHOPIFY_CLIENT_SECRET"):
        env.pop(secret, None)  # the bench pulls the generated CSV, never a live store

    store_root = ensure_catalogue(bench, args.products, args.seed, env)
    load_before = os.getloadavg()[0]
    result, wall, summary = run_child(["--workspace", str(bench), "--store", store_root.name, "audit"], env,
                                      sample_memory=True)
    peak = max(result["self_peak_rss_mb"], result["tree_peak_rss_mb"])
    cpu = result["cpu_s"] + result["workers_cpu_s"]
    print(summary)
    print(f"bench-audit: {args.products:,} products audited in {wall:.1f} s wall (limit 60), peak RSS {peak:.0f} MB "
          f"(all processes; limit 2,000); CPU {cpu:.1f} s ({result['cpu_s']:.1f} s main process); "
          f"load average before {load_before:.1f} on {os.cpu_count()} cores", flush=True)

    recall = measure_recall(store_root / "catalog.parquet", args.recall_products, config)
    at_threshold = [r for field in recall.values() for r in field
                    if r["threshold"] == config.near_duplicate_threshold and r["exact_pairs"]]
    found = sum(r["lsh_pairs_confirmed_by_exact"] for r in at_threshold)
    expected = sum(r["exact_pairs"] for r in at_threshold)
    recall_figure = round(found / expected, 4) if expected else None
    lowest = min((r["recall"] for field in recall.values() for r in field if r["recall"] is not None), default=None)
    print(f"bench-audit: near-duplicate recall vs all pairs on {args.recall_products:,} products "
          f"at {config.near_duplicate_threshold}: {recall_figure} ({found:,} of {expected:,} pairs); "
          f"lowest at any threshold {lowest}")
    print(f"  {'corpus':<31} {'threshold':>9} {'docs':>6} {'exact pairs':>11} {'LSH found':>9} {'recall':>7} "
          f"{'LSH s':>7} {'all-pairs s':>11}")
    for field, rows in recall.items():
        for r in rows:
            shown = "-" if r["recall"] is None else f"{r['recall']:.4f}"
            print(f"  {field:<31} {r['threshold']:>9} {r['documents']:>6} {r['exact_pairs']:>11,} "
                  f"{r['lsh_pairs_confirmed_by_exact']:>9,} {shown:>7} {r['lsh_s']:>7.2f} {r['all_pairs_s']:>11.2f}")

    out = bench / "audit.json"
    write_json_atomic(out, {
        "audit_100k_wall_s": round(wall, 2), "audit_100k_inner_s": round(result["inner_s"], 2),
        "audit_100k_peak_rss_mb": round(peak, 1), "audit_100k_main_process_peak_rss_mb": round(
            result["self_peak_rss_mb"], 1), "audit_100k_cpu_s": round(cpu, 2),
        "audit_100k_main_process_cpu_s": round(result["cpu_s"], 2), "load_average_before": round(load_before, 2),
        "products": args.products,
        "neardup_recall_vs_all_pairs": recall_figure, "neardup_recall_lowest_any_threshold": lowest,
        "neardup_recall_products": args.recall_products, "neardup_detail": recall,
        "summary": summary.splitlines()[0] if summary else "",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "targets": {"audit_100k_wall_s": 60, "audit_100k_peak_rss_mb": 2000, "neardup_recall_vs_all_pairs": 0.95},
    })
    print(f"bench-audit: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
