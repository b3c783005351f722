"""make bench-shopify: the Shopify connector against the Admin API test double, measured.

Pull: a bulk-query JSONL of 100,000 products with 3 variants and 1 collection each (realistic text from
catalog_samples/generate_sample.py, lines shuffled as `groupObjects: false` allows) is served by the double,
and `python -m pipeline pull` runs as a child process with SHOPIFY_STORE/SHOPIFY_ACCESS_TOKEN/SHOPIFY_API_URL
pointed at it: the whole command is timed (start-up included) and its peak RSS read from the kernel.
Push: 1,200 single productUpdate calls against a double with a 1,000-point bucket restoring 50 points/s,
compared with the least time the bucket allows: (points spent - bucket size) / restore rate.

Writes workspace/bench/shopify.json. Targets: pull >= 20,000 products/s and <= 1,500 MB; push ratio <= 1.15
with no THROTTLED answer.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.shopify.auth import credentials_from_env  # noqa: E402
from pipeline.shopify.connector import build_connector  # noqa: E402
from pipeline.shopify.documents import bulk_products_query  # noqa: E402
from pipeline.shopify.mutations import ProductUpdate  # noqa: E402
from tests.fakes.shopify_server import FakeShopify, make_product  # noqa: E402


def _generator():
    spec = importlib.util.spec_from_file_location("generate_sample", ROOT / "catalog_samples" / "generate_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def api_product(n: int, p: dict, variants: int = 3) -> dict:
    """A generated sample product in the Admin API's shape, with exactly `variants` variants."""
    options = list(p["options"]) or ["Title"]
    rows = list(p["variants"])[:variants]
    while len(rows) < variants:
        extra = dict(rows[-1])
        extra["option1"] = f"{extra.get('option1') or 'Default'} {len(rows) + 1}"
        extra["sku"] = f"{extra.get('sku') or 'SKU'}-{len(rows) + 1}"
        rows.append(extra)
    return {
        "id": f"gid://shopify/Product/{7_000_000_000 + n}", "handle": p["handle"], "title": p["title"],
        "descriptionHtml": p["body_html"], "vendor": p["vendor"], "productType": p["product_type"],
        "category": {"fullName": p["product_category"]} if p.get("product_category") else None,
        "tags": list(p["tags"]), "status": p["status"].upper(),
        "publishedAt": "2026-01-05T10:00:00Z" if p.get("published") else None, "updatedAt": "2026-02-01T12:00:00Z",
        "seo": {"title": p["seo_title"] or None, "description": p["seo_description"] or None},
        "options": [{"name": o} for o in options], "featuredMedia": {"alt": p.get("image_alt") or None},
        "variants": [{"id": f"gid://shopify/ProductVariant/{8_000_000_000 + n * 10 + i}", "position": i + 1,
                      "sku": v.get("sku") or None, "price": v.get("price") or "0.00",
                      "compareAtPrice": v.get("compare_at_price") or None, "barcode": v.get("barcode") or None,
                      "inventoryQuantity": v.get("inventory_quantity"),
                      "selectedOptions": [{"name": o, "value": v.get(f"option{j + 1}") or ""}
                                          for j, o in enumerate(options[:3])]} for i, v in enumerate(rows)],
        "collections": [{"id": f"gid://shopify/Collection/{abs(sum(map(ord, p['collection'])))}",
                         "handle": p["collection"].lower(), "title": p["collection"]}],
    }


def prepare_jsonl(jsonl: Path, products: int) -> None:
    """Write the bulk-query JSONL of `products` generated products, and [objects, roots] beside it."""
    with FakeShopify(locales=("en",), lifetime_s=3600) as shop:
        generated = _generator().generate_products(products, 20261122)
        shop.add_products([api_product(n, p) for n, p in enumerate(generated)])
        objects, roots = shop.prepare_bulk_result(bulk_products_query(), jsonl)
    jsonl.with_suffix(".json").write_text(json.dumps([objects, roots]))


def _timed_child(command: list[str], env: dict) -> tuple[int, str, str, float, resource.struct_rusage]:
    """Run `command`; its exit code, output, wall seconds and its own resource usage (wait4: this child alone)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return child.returncode, out.read().decode(), err.read().decode(), seconds, usage


def bench_pull(products: int, out_dir: Path, profile: Path | None = None) -> dict:
    jsonl = out_dir / f"shopify-bulk-{products}.jsonl"
    meta = jsonl.with_suffix(".json")
    if jsonl.exists() and meta.exists():
        print(f"bench-shopify: reusing {jsonl}", file=sys.stderr)
    else:
        # In a process of its own: a child started from a parent holding the generated catalogue would count the
        # parent's pages in its own peak RSS.
        print(f"bench-shopify: generating {products:,} products ...", file=sys.stderr)
        subprocess.run([sys.executable, __file__, "--prepare", str(jsonl), "--products", str(products)], check=True)
    objects, roots = json.loads(meta.read_text())
    with FakeShopify(locales=("en",), bulk_polls=2, lifetime_s=3600) as shop:
        shop.serve_bulk_result(jsonl, objects, roots)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPIFY_") and k != "STORE"}
        env.update(shop.env())
        with tempfile.TemporaryDirectory(prefix="bench-shopify-") as workspace:
            command = [sys.executable, "-m", "pipeline", "--workspace", workspace, "--store", "bench-pull", "pull"]
            if profile is not None:  # cProfile slows the pull down: its figures are for finding where time goes
                command[1:1] = ["-m", "cProfile", "-o", str(profile)]  # (the main thread's only: `perf record`
                # of the child shows the parsing, assembling, writing and recording threads too)
            returncode, stdout, stderr, seconds, usage = _timed_child(command, env)
            peak_kb, cpu_s = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
            load = os.getloadavg()[0]
        if returncode != 0:
            raise SystemExit(f"bench-shopify: pull failed ({returncode}): {stderr.strip()}")
        connector_only = _connector_only_rate(jsonl, objects, roots, env)
    summary = stdout.strip().splitlines()[0]
    if f"{roots:,} products" not in summary:
        raise SystemExit(f"bench-shopify: pull read the wrong number of products: {summary}")
    figures = {"pull_products": roots, "pull_jsonl_lines": objects,
               "pull_jsonl_mb": round(jsonl.stat().st_size / 2**20, 1),
               "pull_seconds": round(seconds, 2), "pull_products_per_s": round(roots / seconds),
               "pull_peak_rss_mb": round(peak_kb / 1024, 1), "pull_summary": summary,
               # This machine is shared: CPU seconds show the work done whatever else ran beside it.
               "pull_cpu_seconds": round(cpu_s, 2), "pull_products_per_cpu_s": round(roots / cpu_s),
               "load_average_1min_after_pull": round(load, 2),
               "pull_connector_only_products_per_s": connector_only}
    if profile is not None:
        figures["pull_profile"] = str(profile)
    return figures


CONNECTOR_ONLY = """
import json, os, time
from pipeline.shopify.connector import connector_from_env
connector = connector_from_env(os.environ)
started = time.perf_counter()
count = sum(batch.num_rows for batch in connector.pull_catalog())
print(json.dumps([count, time.perf_counter() - started]))
"""


def _connector_only_rate(jsonl: Path, objects: int, roots: int, env: dict) -> int:
    """JSONL -> catalogue batches alone (no Parquet writer, no state store), to show where pull time goes."""
    with FakeShopify(locales=("en",), bulk_polls=2, lifetime_s=600, validate_documents=False) as shop:
        shop.serve_bulk_result(jsonl, objects, roots)
        child = subprocess.run([sys.executable, "-c", CONNECTOR_ONLY], cwd=ROOT, env=env | shop.env(),
                               capture_output=True, text=True, check=True)
    count, seconds = json.loads(child.stdout)
    return round(count / seconds)


def _profile_text(profile: Path, destination: Path) -> None:
    import io
    import pstats

    text = io.StringIO()
    stats = pstats.Stats(str(profile), stream=text)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(25)
    destination.write_text(text.getvalue())
    print(f"bench-shopify: pull profile in {profile} (top functions: {destination})", file=sys.stderr)


def bench_push(updates: int, bucket: float, rate: float) -> dict:
    with FakeShopify(bucket_size=bucket, restore_rate=rate, lifetime_s=3600) as shop:
        shop.add_products([make_product(n, variants=1) for n in range(updates)])
        connector = build_connector(credentials_from_env(shop.env()))
        batch = [ProductUpdate(product_id=f"gid://shopify/Product/{1000 + n}", seo_title=f"Product {n} | Bench",
                               seo_description=f"Benchmark description {n}.") for n in range(updates)]
        started = time.perf_counter()
        results = connector.update_products(batch, mode="single")
        seconds = time.perf_counter() - started
        points = sum(entry["cost"] for entry in shop.log if not entry["throttled"])
        minimum = max(0.0, (points - bucket) / rate)
        failed = [r for r in results if not r.ok]
        if failed:
            raise SystemExit(f"bench-shopify: {len(failed)} updates failed, e.g. {failed[0].errors}")
        return {"push_updates": updates, "push_seconds": round(seconds, 2), "push_points": points,
                "push_bucket_points": bucket, "push_restore_rate": rate,
                "push_throttle_minimum_s": round(minimum, 2),
                "push_time_ratio_to_throttle_minimum": round(seconds / minimum, 4) if minimum else None,
                "push_throttled_errors_seen": shop.throttled_responses + connector.client.stats.throttled,
                "push_client_summary": connector.summary()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--updates", type=int, default=1_200)
    parser.add_argument("--out", type=Path, default=ROOT / "workspace" / "bench" / "shopify.json")
    parser.add_argument("--skip-push", action="store_true", help="pull only (the push part takes ~4 minutes)")
    parser.add_argument("--profile", action="store_true",
                        help="run the pull under cProfile (its main thread): <out>.pull.prof and the top functions "
                             "in <out>.pull.txt")
    parser.add_argument("--prepare", type=Path, metavar="JSONL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        prepare_jsonl(args.prepare, args.products)
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    figures: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"}
    profile = args.out.with_suffix(".pull.prof") if args.profile else None
    figures |= bench_pull(args.products, args.out.parent, profile)
    if profile is not None:
        _profile_text(profile, args.out.with_suffix(".pull.txt"))
    print(f"pull: {figures['pull_products']:,} products in {figures['pull_seconds']} s = "
          f"{figures['pull_products_per_s']:,} products/s ({figures['pull_products_per_cpu_s']:,} per CPU second, "
          f"load {figures['load_average_1min_after_pull']}), peak RSS {figures['pull_peak_rss_mb']} MB; "
          f"JSONL -> catalogue batches alone {figures['pull_connector_only_products_per_s']:,} products/s")
    if not args.skip_push:
        figures |= bench_push(args.updates, 1000.0, 50.0)
        print(f"push: {figures['push_updates']:,} updates in {figures['push_seconds']} s; throttle minimum "
              f"{figures['push_throttle_minimum_s']} s; ratio {figures['push_time_ratio_to_throttle_minimum']}; "
              f"THROTTLED seen {figures['push_throttled_errors_seen']}")
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
