"""What every reliability case shares: running the real CLI, recording (case, expected, observed), and checking
that a workspace came through intact.

A case records what it expects before it runs and what it observed after, through the `case` fixture
(tests/reliability/conftest.py); `make reliability` (benchmarks/reliability.py) prints them as a table and
writes workspace/bench/reliability.json. Slow cases carry `slow` and run only there (RELIABILITY_SLOW=1).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SLOW_ENABLED = os.environ.get("RELIABILITY_SLOW") == "1"
slow = pytest.mark.slow
skip_unless_slow = pytest.mark.skipif(not SLOW_ENABLED, reason="slow reliability case: make reliability runs it")

# Two locales keep the offline runs short; the hostile cases are about input, not about locale coverage.
TEST_CONFIG = """
[pipeline]
locales = ["en", "fr"]
primary_locale = "en"

[brand]
name = "Test Shop"
"""

# Generation through the local OpenAI-compatible double (tests/fakes/openai_server.py): live requests, a few in
# flight, short timeouts so an injected hang costs seconds, enough attempts to outlast the injected faults.
OPENAI_CONFIG = TEST_CONFIG + """
[generation]
provider = "openai"
model = "gpt-4o-mini"
mode = "live"
concurrency = 4
timeout_s = 2
attempts = 8
batch_poll_s = 0.05

[pricing.gpt-4o-mini]
input = 0.15
cached = 0.075
output = 0.60
"""


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def first_line(self) -> str:
        text = (self.err or self.out).strip()
        return text.splitlines()[0] if text else ""

    def summary(self, strip: Path | None = None) -> str:
        """'exit N: first line', with `strip` (a test's temporary folder) left out of paths."""
        line = self.first_line.replace(f"{strip}/", "") if strip else self.first_line
        return f"exit {self.code}: {line[:160]}"


def run_cli(capsys: pytest.CaptureFixture[str], args: Sequence[str]) -> CliResult:
    """`python -m pipeline ARGS` in this process: exit code, stdout and stderr."""
    capsys.readouterr()
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return CliResult(code, out, err)


def run_subprocess(args: Sequence[str], *, env: dict[str, str] | None = None, timeout: float = 120) -> CliResult:
    """`python -m pipeline ARGS` as its own process, as a user runs it."""
    done = subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    return CliResult(done.returncode, done.stdout, done.stderr)


def assert_one_line_error(result: CliResult, code: int, pattern: str | None = None) -> None:
    """A user error: the expected exit code, exactly one line on stderr, no traceback, nothing on stdout."""
    import re

    assert result.code == code, result
    assert "Traceback" not in result.err and "Traceback" not in result.out, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("error: "), lines[0]
    assert not lines[0].startswith("error: internal"), lines[0]
    if pattern:
        assert re.search(pattern, lines[0]), (pattern, lines[0])


# -- workspaces --------------------------------------------------------------------------------------------------
def file_hashes(root: Path) -> dict[str, str]:
    """sha256 of every artefact under a workspace; state.db and its WAL files change on every run (the run log)."""
    hashes = {}
    for path in sorted(Path(root).rglob("*")):
        if path.is_file() and not path.name.startswith("state.db"):
            hashes[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def integrity(db_path: Path) -> str:
    with sqlite3.connect(db_path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def assert_workspace_intact(root: Path, before: dict[str, str] | None = None, *, check_db: bool = True) -> list[str]:
    """No half-written file, every Parquet artefact readable, state.db consistent; with `before`, every artefact
    byte-identical to it (a failed run leaves the previous version). Returns what was checked, for the table."""
    root = Path(root)
    leftovers = [p.name for p in root.rglob("*.tmp")]
    assert not leftovers, f"temporary files left behind: {leftovers}"
    for path in root.rglob("*.parquet"):
        if before is None or str(path.relative_to(root)) not in before:  # a case may have damaged one on purpose
            pq.read_metadata(path)
    checked = ["no temp files", "parquet readable"]
    if check_db and (root / "state.db").exists():
        assert integrity(root / "state.db") == "ok"
        checked.append("state.db ok")
    if before is not None:
        after = file_hashes(root)
        changed = sorted(name for name in before if after.get(name) != before[name])
        assert not changed, f"artefacts changed by a failed run: {changed}"
        checked.append("artefacts unchanged")
    return checked


class _Markup(HTMLParser):
    """Collects what a browser would run: script elements, on* handler attributes, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._in_script = True
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.live.append(f"<{tag} {name}=...>")
            if name.lower() in ("href", "src", "action", "formaction") and \
                    (value or "").strip().lower().startswith("javascript:"):
                self.live.append(f"<{tag} {name}=javascript:...>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.live.append(f"<script>{data[:40]}")


def live_markup(html: str) -> list[str]:
    """Markup in a page that would run in a browser; a page that escapes user text has none."""
    parser = _Markup()
    parser.feed(html)
    return parser.live


def copy_workspace(source: Path, destination: Path) -> Path:
    shutil.copytree(source, destination)
    return destination


def store_args(base: Path, store: str, config: Path) -> list[str]:
    return ["--workspace", str(base), "--store", store, "--config", str(config)]
