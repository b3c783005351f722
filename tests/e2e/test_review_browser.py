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
