"""`make bench-review`: how fast the review app answers over 10,000 drafts.

A 5,000-product catalogue from catalog_samples/generate_sample.py is pulled and audited (real stages, not
timed) into a temporary workspace, and 10,000 drafts (English and French) are written with `save_draft`, a
tenth of them flagged and a fifth already decided (so the stale-decision check runs on each list request).
The app is then started on 127.0.0.1 and each page is fetched over HTTP, as a browser would:
- list_page_10k_s: the unfiltered list, worst first, with every filter's counts (median of warm requests;
  target < 1 s); list_page_10k_cold_s is the first request after start;
- list_filtered_s, list_last_page_s, draft_page_s: a filtered list, the last page, one draft with its diffs, search
  result previews, reasons, product card and fact sheet;
- product_page_s: one product's page with its drafts in every locale side by side (target < 0.3 s);
  product_page_cold_s is its first request, which also reads the catalogue's rows and builds the fact sheet;
- check_edit_s: the live check of an edit (POST /check, what the page sends as the reviewer types);
- decide_then_list_s: one approval (POST, answered with the next draft's address) and the list after it;
- bulk_approve_s: approving every undecided passed French draft in one confirmed request.
Writes workspace/bench/review.json.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import platform
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from random import Random
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.cli import main as pipeline_main  # noqa: E402
from pipeline.config import load_settings  # noqa: E402
from pipeline.stages.review.app import ReviewServer, app_for_workspace  # noqa: E402
from pipeline.state.decisions import build_decision, record_decisions  # noqa: E402
from pipeline.state.drafts import Draft, list_drafts, save_draft  # noqa: E402
from pipeline.state.store import StateStore  # noqa: E402
from pipeline.workspace import Workspace, write_json_atomic  # noqa: E402

GENERATOR = ROOT / "catalog_samples" / "generate_sample.py"
REASONS = ("too_long", "keyword_missing", "ungrounded_number", "near_duplicate", "wrong_language")


def generator():
    spec = importlib.util.spec_from_file_location("generate_sample", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(base: Path, products: int, locales: tuple[str, ...]) -> Workspace:
    csv_path = base / "products.csv"
    gen = generator()
    gen.write_csv(gen.generate_products(products, 7), csv_path)
    args = ["--workspace", str(base), "--store", "bench"]
    for stage in (["pull", "--csv", str(csv_path)], ["audit"]):
        if pipeline_main([*args, *stage]) != 0:
            raise SystemExit(f"bench-review: {stage[0]} failed")
    workspace = Workspace.for_store(base, "bench")
    import pyarrow.parquet as pq

    catalog = pq.read_table(workspace.catalog, columns=["id", "title", "body_html"]).to_pylist()
    rng = Random(11)
    with StateStore(workspace.state_db) as state:
        for row in catalog:
            for locale in locales:
                flagged = rng.random() < 0.1
                save_draft(state, Draft(
                    product_id=row["id"], locale=locale, title=f"{row['title']} ({locale})",
                    body_html=f"<p>{row['title']} – rewritten for {locale}.</p>" + (row["body_html"] or "")[:1500],
                    seo_title=f"{row['title'][:45]} | Bench", seo_description=f"{row['title']}: bench copy " * 3,
                    prompt_hash="p", input_hash="i", provider="bench", model="bench",
                    status="flagged" if flagged else "passed",
                    validation=[{"field": "title", "code": rng.choice(REASONS), "message": "bench"}] if flagged
                    else []))
        drafts = list_drafts(state)
        record_decisions(state, [build_decision(d, rng.choice(["approved", "rejected"]), reviewer="bench")
                                 for d in drafts if rng.random() < 0.2])
    return workspace


def fetch(port: int, method: str, path: str, body: dict[str, str] | None = None,
          cookies: dict[str, str] | None = None) -> tuple[float, int, str, dict[str, str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Host": f"127.0.0.1:{port}", "Origin": f"http://127.0.0.1:{port}"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = None
    if body is not None:
        data = urlencode(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    connection.request(method, path, body=data, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8")
    elapsed = time.perf_counter() - started
    set_cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        set_cookies[name] = rest.split(";")[0]
    connection.close()
    if response.status >= 400:
        raise SystemExit(f"bench-review: {method} {path} answered {response.status}: {text[:200]}")
    return elapsed, response.status, text, set_cookies


def warm_median(port: int, path: str, repeats: int) -> float:
    return statistics.median(fetch(port, "GET", path)[0] for _ in range(repeats))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "workspace" / "bench" / "review.json")
    options = parser.parse_args()
    locales = ("en", "fr")
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        started = time.monotonic()
        workspace = build(Path(tmp), options.products, locales)
        drafts = options.products * len(locales)
        print(f"bench-review: {drafts:,} drafts built in {time.monotonic() - started:.1f} s", flush=True)
        settings = load_settings(None, store="bench", workspace=Path(tmp), env={})
        started = time.perf_counter()
        server = ReviewServer(app_for_workspace(workspace, settings, reviewer="bench"), 0)
        app_start_s = time.perf_counter() - started
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.port
        try:
            cold, _, page, cookies = fetch(port, "GET", "/")
            shown = int(re.search(r'id="total">([\d,]+)<', page).group(1).replace(",", ""))
            if shown != drafts:
                raise SystemExit(f"bench-review: the list shows {shown:,} drafts, expected {drafts:,}")
            warm = warm_median(port, "/", options.repeats)
            filtered = warm_median(port, "/?locale=fr&status=flagged", options.repeats)
            last_page = warm_median(port, f"/?page={drafts // 100}", options.repeats)
            first_draft = re.search(r'class="open" href="([^"]+)"', page).group(1).replace("&amp;", "&")
            draft_page = warm_median(port, first_draft, options.repeats)
            product_id, product_locale = re.search(r'data-product="([^"]+)" data-locale="([^"]+)"', page).groups()
            product_path = f"/product/{quote(product_id, safe='')}"
            product_cold, _, product_html, _ = fetch(port, "GET", product_path)
            shown_locales = product_html.count('class="card locale-card"')
            if shown_locales != len(locales):
                raise SystemExit(f"bench-review: the product page shows {shown_locales} locales, not {len(locales)}")
            product_page = warm_median(port, product_path, options.repeats)
            _, _, draft_html, _ = fetch(port, "GET", first_draft, cookies=cookies)
            check_form = {"csrf": re.search(r'name="csrf" value="([0-9a-f]+)"', draft_html).group(1),
                          "id": product_id, "draft_locale": product_locale, "title": "A rewritten title",
                          "seo_description": "A meta description the reviewer is typing, long enough to be measured."}
            check_edit = statistics.median(fetch(port, "POST", "/check", check_form, cookies=cookies)[0]
                                           for _ in range(options.repeats))
            after_decision = []
            for row in re.findall(r'data-product="([^"]+)" data-locale="([^"]+)"', page)[:options.repeats]:
                form = {"csrf": re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1), "id": row[0],
                        "draft_locale": row[1], "action": "approve",
                        "override": "1", "note": "bench"}  # (a draft with a blocking finding needs the override)
                decision_s = fetch(port, "POST", "/decide", form, cookies=cookies)[0]
                after_decision.append(decision_s + fetch(port, "GET", "/")[0])
            _, _, confirm, _ = fetch(port, "GET", "/bulk?locale=fr&status=passed", cookies=cookies)
            count = int(re.search(r'name="expected" value="(\d+)"', confirm).group(1))
            token = re.search(r'name="csrf" value="([0-9a-f]+)"', confirm).group(1)
            bulk, _, _, _ = fetch(port, "POST", "/bulk", {"csrf": token, "expected": str(count), "locale": "fr",
                                                           "status": "passed"}, cookies=cookies)
        finally:
            server.shutdown()
            server.server_close()
    result = {
        "drafts": drafts, "products": options.products, "locales": list(locales), "page_size": 100,
        "app_start_s": round(app_start_s, 3),
        "list_page_10k_s": round(warm, 4), "list_page_10k_cold_s": round(cold, 4),
        "list_filtered_s": round(filtered, 4), "list_last_page_s": round(last_page, 4),
        "draft_page_s": round(draft_page, 4), "product_page_s": round(product_page, 4),
        "product_page_cold_s": round(product_cold, 4),
        "check_edit_s": round(check_edit, 4),
        "decide_then_list_s": round(statistics.median(after_decision), 4),
        "bulk_approve_s": round(bulk, 3), "bulk_approved": count,
        "target_list_page_s": 1.0, "target_product_page_s": 0.3,
        "meets_target": warm < 1.0 and product_page < 0.3,
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "repeats": options.repeats,
    }
    write_json_atomic(options.out, result)
    print(f"bench-review: list page over {drafts:,} drafts {warm:.3f} s warm (cold {cold:.3f} s; target < 1 s), "
          f"filtered {filtered:.3f} s, last page {last_page:.3f} s, draft page {draft_page:.3f} s, "
          f"product page {product_page:.3f} s (cold {product_cold:.3f} s; target < 0.3 s), "
          f"live check {check_edit:.3f} s, "
          f"approve + list {statistics.median(after_decision):.3f} s, "
          f"bulk approve of {count:,} in {bulk:.2f} s")
    print(f"  wrote {options.out}")
    return 0 if warm < 1.0 and product_page < 0.3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
