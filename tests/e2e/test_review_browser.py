"""End to end in a real headless Chromium: review drafts with the mouse and the keyboard, restart, find it all kept.

The server runs as `python -m pipeline review`, in its own process, exactly as `make review` starts it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.state.decisions import get_decision
from pipeline.state.store import StateStore
from tests.e2e.browser import chromium_path, launch
from tests.review_workspace import build_review_workspace

PROJECT_ROOT = Path(__file__).resolve().parents[2]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: make install")
if chromium_path() is None:
    pytest.skip("chromium is not installed and `make browser` could not install it (no apt-get?)",
                allow_module_level=True)


class ReviewProcess:
    """`python -m pipeline review` on a free port; knows its URL once the app says it is listening."""

    def __init__(self, workspace) -> None:
        command = [sys.executable, "-m", "pipeline", "--workspace", str(workspace.root.parent), "--store",
                   workspace.store_name, "review", "--no-browser", "--port", "0", "--reviewer", "e2e-reviewer"]
        self.process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout=60)
        if not line or "http://127.0.0.1:" not in line[0]:
            self.stop()
            raise AssertionError(f"the review app did not start: {line} {self.process.stderr.read()}")
        self.url = line[0].split()[1]

    def stop(self) -> str:
        self.process.terminate()
        out, _ = self.process.communicate(timeout=30)
        return out


@pytest.fixture
def workspace(tmp_path: Path):
    return build_review_workspace(tmp_path / "ws")


@pytest.fixture
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def test_review_in_the_browser_survives_a_restart(workspace, browser, tmp_path: Path) -> None:
    app = ReviewProcess(workspace)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        page.goto(app.url)
        assert page.locator("#total").inner_text() == "8"
        page.locator("a.open").first.click()
        page.wait_for_url("**/draft/en/linen-duvet-cover*")

        page.keyboard.press("a")  # approve, then the app moves to the next draft
        page.wait_for_url("**/draft/fr/linen-duvet-cover*")
        page.keyboard.press("r")  # reject
        page.wait_for_url("**/draft/en/brass-floor-lamp*")

        page.fill("#edit-title", "Brass Floor Lamp <script>alert(1)</script>")
        page.fill("#edit-body_html", '<p>Solid brass.<img src=x onerror="alert(2)"></p><script>alert(3)</script>')
        page.click("#save-edit")
        page.wait_for_url("**saved=edit*")
        assert page.locator("#decision-state").inner_text() == "edited"
        assert page.locator("#edit-notes").count() == 1
        page.keyboard.press("n")
        page.wait_for_url("**/draft/fr/brass-floor-lamp*")

        page.goto(app.url + "?locale=fr&status=passed")
        page.click("#bulk-approve")
        assert "Approve 2 drafts?" in page.locator("h1").inner_text()  # the rejected French draft stays
        page.click("#confirm-bulk")
        page.wait_for_url("**done=2*")
        page.screenshot(path=str(tmp_path / "review-after-decisions.png"), full_page=True)
    finally:
        log = app.stop()
    assert "decisions in this session" in log

    restarted = ReviewProcess(workspace)
    try:
        page.goto(restarted.url + "?decision=approved")
        approved = {(row.get_attribute("data-product"), row.get_attribute("data-locale"))
                    for row in page.locator("tbody tr[data-product]").all()}
        assert approved == {("linen-duvet-cover", "en"), ("oak-side-table", "fr"), ("wool-throw", "fr")}
        page.goto(restarted.url + "?decision=rejected")
        assert page.locator("tbody tr[data-product]").count() == 1
        page.goto(restarted.url + "draft/en/brass-floor-lamp")
        assert page.locator("#decision-state").inner_text() == "edited"
        page.screenshot(path=str(tmp_path / "review-after-restart.png"))
    finally:
        restarted.stop()

    assert (tmp_path / "review-after-decisions.png").stat().st_size > 10_000
    with StateStore(workspace.state_db) as state:
        edited = get_decision(state, "brass-floor-lamp", "en")
        assert edited.reviewer == "e2e-reviewer"
        assert edited.fields["title"] == "Brass Floor Lamp"
        assert edited.fields["body_html"] == "<p>Solid brass.</p>"
        assert get_decision(state, "linen-duvet-cover", "fr").decision == "rejected"


def _open_draft(app: ReviewProcess, page, locale: str, product: str) -> None:
    page.goto(f"{app.url}draft/{locale}/{product}")
    page.wait_for_selector("#serp-live")


def test_the_preview_counts_as_you_type_and_the_gates_hold_an_approval_until_overridden(workspace, browser) -> None:
    from pipeline.core.pixels import title_width_px

    app = ReviewProcess(workspace)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        _open_draft(app, page, "en", "wool-throw")
        counter = page.locator("#count-seo_title")
        assert counter.locator(".counter-chars").inner_text() == "21 / 60 characters"  # "Wool Throw | Nordhaus"
        seo_title = page.locator("#edit-seo_title")
        seo_title.fill("")
        seo_title.press_sequentially("Lambswool Throw")
        assert counter.locator(".counter-chars").inner_text() == "15 / 60 characters"
        assert counter.locator(".counter-px").inner_text() == f"{title_width_px('Lambswool Throw'):.0f} / 561 px"
        assert page.locator("#serp-live .serp-title").inner_text() == "Lambswool Throw"
        seo_title.press_sequentially(" in Oatmeal and Charcoal, Handwoven from Soft Lambswool Yarn")
        assert "over" in (counter.get_attribute("class") or "")
        assert page.locator("#serp-live .serp-title").inner_text().endswith(" ...")  # cut where Google cuts it
        seo_title.fill("Lambswool Throw | Nordhaus")

        page.fill("#edit-body_html", "<p>A lambswool throw, made of silk, 200 cm long.</p>")
        live = page.locator("#live-check")
        live.get_by_text("Material not in the product data").wait_for()
        assert page.locator("#override-box").is_visible()
        assert "blocking" in page.locator("#live-state").inner_text()

        page.click("#save-edit")
        page.locator("#flash").get_by_text("Not saved").wait_for()
        assert page.locator("#decision-state").get_attribute("data-state") == "undecided"
        assert page.locator("#edit-body_html").input_value().startswith("<p>A lambswool throw, made of silk")
        page.check("#edit-override")
        page.fill("#edit-note", "The supplier's sheet says silk; checked.")
        page.click("#save-edit")
        page.wait_for_url("**saved=edit*")
        assert page.locator("#decision-state").get_attribute("data-state") == "edited"
        assert "Material not in the product data" in page.locator("#history .override-record").inner_text()

        page.click("#product-link")
        page.wait_for_url("**/product/wool-throw*")
        assert page.locator("section.locale-card").count() == 2
        assert page.locator("#locale-fr").get_by_text("Original (en)").count() == 1
        assert "Wool Throw en laiton" in page.locator("#locale-fr").inner_text()
    finally:
        app.stop()
    with StateStore(workspace.state_db) as state:
        made = get_decision(state, "wool-throw", "en")
    assert made.decision == "edited" and "ungrounded_material" in made.overrides
    assert made.note == "The supplier's sheet says silk; checked."


def test_a_plain_approval_of_a_blocked_draft_is_refused_until_overridden_with_a_note(workspace, browser) -> None:
    app = ReviewProcess(workspace)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        _open_draft(app, page, "en", "brass-floor-lamp")  # its draft claims 'made by hand': a blocking finding
        assert page.locator("#approve-anyway").is_visible()
        page.keyboard.press("a")  # the shortcut sends the plain approval, as the button does
        page.locator("#flash").get_by_text("Not approved: 1 blocking finding stands").wait_for()
        assert page.locator("#decision-state").get_attribute("data-state") == "undecided"
        page.fill("#approve-note", "The maker's label says handmade; checked.")
        page.click("#approve-form button.approve")  # a note without ticking the box is not enough
        page.locator("#flash").get_by_text("Not approved").wait_for()
        assert page.locator("#approve-note").input_value() == "The maker's label says handmade; checked."
        page.check("#approve-override")
        page.click("#approve-form button.approve")
        page.wait_for_url("**/draft/fr/brass-floor-lamp*")  # approved: on to the next draft
        _open_draft(app, page, "en", "brass-floor-lamp")
        assert page.locator("#decision-state").get_attribute("data-state") == "approved"
        assert "Claim not in the product data" in page.locator("#history .override-record").inner_text()
    finally:
        app.stop()
    with StateStore(workspace.state_db) as state:
        made = get_decision(state, "brass-floor-lamp", "en")
    assert made.decision == "approved" and made.overrides == ("ungrounded_claim",)
    assert made.note == "The maker's label says handmade; checked."


def test_pages_pass_an_accessibility_check_at_desktop_and_tablet_widths(workspace, browser, tmp_path: Path) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright",
                                     reason="axe-playwright-python is not installed: make install")
    axe = axe_module.Axe()
    app = ReviewProcess(workspace)
    try:
        for width, height in ((1280, 800), (820, 1180)):  # a laptop, and a tablet held upright
            page = browser.new_page(viewport={"width": width, "height": height})
            for path in ("", "draft/en/linen-duvet-cover", "draft/en/brass-floor-lamp", "product/linen-duvet-cover",
                         "bulk", "import"):
                page.goto(app.url + path)
                results = axe.run(page)
                serious = [f"{v['id']} ({v['impact']}): {v['help']} at "
                           f"{[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]
                           if v["impact"] in ("serious", "critical")]
                assert serious == [], f"{width}px /{path}: {serious}"
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"{width}px /{path} scrolls sideways by {overflow}px"
            page.screenshot(path=str(tmp_path / f"product-{width}.png"), full_page=True)
            page.close()
    finally:
        app.stop()
