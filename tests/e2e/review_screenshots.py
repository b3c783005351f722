"""`make review-screenshots`: the README's screenshots of the review app on the sample store, at 1,280 px.

Copies workspace/<store>/ to a temporary folder (so no decision lands in the real state.db), starts the app
there, makes a few decisions in headless Chromium so the list shows every state, and writes
docs/screenshots/review-list.png (the list), review-product.png (one draft: the search result before and after,
the reasons in words, the product and its facts beside the diff) and review-locales.png (a product's drafts in
every language beside the original).
Needs the sample's drafts: run `make demo` (or pull, audit, keywords, generate, links) first.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pyarrow.parquet as pq  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from pipeline.config import load_settings  # noqa: E402
from pipeline.stages.review.app import ReviewServer, app_for_workspace  # noqa: E402
from pipeline.state.store import StateStore  # noqa: E402
from pipeline.workspace import Workspace  # noqa: E402
from tests.e2e.browser import launch  # noqa: E402

SHOTS = ("review-list.png", "review-product.png", "review-locales.png")
PLACEHOLDER_IMAGE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400" viewBox="0 0 600 400">'
    '<rect width="600" height="400" fill="#e3e5e7"/><text x="300" y="190" font-family="sans-serif" font-size="26" '
    'text-anchor="middle" fill="#616a75">Product image</text><text x="300" y="230" font-family="sans-serif" '
    'font-size="18" text-anchor="middle" fill="#616a75">(the store\'s first image; offline placeholder)</text></svg>')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="sample")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    options = parser.parse_args()
    settings = load_settings(None, store=options.store)
    original = Workspace.for_store(settings.workspace_base, options.store)
    if not original.state_db.exists():
        print(f"review-screenshots: no {original.state_db}; run `make demo` first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="review-shots-") as tmp:
        copy = Path(tmp) / options.store
        shutil.copytree(original.root, copy, ignore=shutil.ignore_patterns("*.html", "*.csv", "exports"))
        with StateStore(copy / "state.db") as state:  # a clean slate of decisions, in the copy only
            state.db.execute("DELETE FROM decisions")
            state.db.execute("DELETE FROM decision_history")
            # drafts left from an earlier catalogue (a fresh `make demo` has none) would only add a warning banner
            ids = pq.read_table(copy / "catalog.parquet", columns=["id"]).column("id").to_pylist()
            state.db.execute("CREATE TEMP TABLE current_ids (id TEXT PRIMARY KEY)")
            state.db.executemany("INSERT INTO current_ids VALUES (?)", [(i,) for i in ids])
            state.db.execute("DELETE FROM drafts WHERE product_id NOT IN (SELECT id FROM current_ids)")
        workspace = Workspace(copy)
        server = ReviewServer(app_for_workspace(workspace, settings, reviewer="ana"), 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        options.out.mkdir(parents=True, exist_ok=True)
        try:
            with sync_playwright() as playwright:
                browser = launch(playwright)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.on("dialog", lambda dialog: dialog.accept())
                # No machine here reaches the sample's CDN addresses: the picture is drawn as a labelled placeholder
                # (a real store's page shows the product's own first image there).
                page.route("https://cdn.shopify.com/**", lambda route: route.fulfill(
                    status=200, content_type="image/svg+xml", body=PLACEHOLDER_IMAGE))
                page.goto(server.url)
                page.locator("a.open").first.click()
                page.wait_for_url("**/draft/**")
                for key in ("a", "a", "r", "a", "a"):  # the keyboard flow: each decision opens the next draft
                    before = page.url
                    page.keyboard.press(key)
                    page.wait_for_url(lambda url, before=before: url != before)
                title = page.locator("#edit-title")
                title.fill(title.input_value().split(" – ")[0].split(" | ")[0] + " (reviewed)")
                page.click("#save-edit")
                page.wait_for_load_state()
                if "saved=edit" not in page.url:  # the edit tripped a blocking check: approve it anyway, with a note
                    page.check("#edit-override")
                    page.fill("#edit-note", "Checked against the supplier's sheet.")
                    page.click("#save-edit")
                page.wait_for_url("**saved=edit*")
                page.goto(server.url)
                page.screenshot(path=str(options.out / "review-list.png"))
                page.goto(server.url + "?locale=en&status=flagged")  # one with validation notes, if any
                if page.locator("a.open").count() == 0:
                    page.goto(server.url + "?locale=en")
                page.locator("a.open").first.click()
                page.wait_for_url("**/draft/**")
                page.set_viewport_size({"width": 1280, "height": 1500})
                page.screenshot(path=str(options.out / "review-product.png"))
                page.goto(server.url + "?locale=fr")  # a product with a French draft: the languages side by side
                side_by_side = page.locator("a.all-locales")
                if side_by_side.count() == 0:
                    page.goto(server.url)
                side_by_side.first.click()
                page.wait_for_url("**/product/**")
                page.screenshot(path=str(options.out / "review-locales.png"))
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    print(f"review-screenshots: wrote {', '.join(str(options.out / name) for name in SHOTS)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
