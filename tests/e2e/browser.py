"""Launching Debian's chromium through Playwright, the way every browser test and screenshot script here does.

Playwright's own browser download does not work on our machines, so it drives the system `chromium`
(`make browser` installs it with apt-get where missing).
"""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    for candidate in ("chromium", "chromium-browser"):
        found = shutil.which(candidate)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def launch(playwright):  # -> playwright Browser
    executable = chromium_path()
    if executable is None:
        raise RuntimeError("chromium not found; run `make browser`")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
