"""Secrets: with fake tokens set, a whole run (pull from the Shopify double, audit, keywords, links, generate through
the OpenAI double, review export and import, push, review report, rollback) and its failures (refused keys, with
and without --debug) leave the tokens in no log line, artefact, state-store row, HTML report or cassette.

Parquet is compressed, so its values are scanned decoded; state.db is scanned as SQL (every row) and as raw bytes
(with its WAL), so a secret in a freed page is found too.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fakes.openai_server import FakeConfig, FakeOpenAI

from pipeline.cli import main
from pipeline.state.store import StateStore
from tests.fakes.shopify_server import FakeShopify, make_product
from tests.reliability.harness import OPENAI_CONFIG, PROJECT_ROOT, CliResult

GROUP = "secrets"
OPENAI_KEY = "sk-test-Rel1ab1lityFakeOpenAIKey-7f3a9c2e5b1d4a60"
SHOPIFY_TOKEN = "shpat_5ec7e70ken0f00dfacecafe4242aa"
CLIENT_SECRET = "shpss_c1ient5ecretf00dfacecafe4242"
CLIENT_ID = "reliability-client-id"  # an identifier, not a secret


def needles(secret: str) -> list[str]:
    """The secret, and its distinctive middle (a secret cut, prefixed or quoted differently is still found)."""
    return [secret, secret[6:-4]]


def find_secrets(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if any(n in text for n in needles(s))]


@dataclass
class SecretRun:
    workspace_roots: list[Path]
    outputs: list[tuple[str, CliResult]] = field(default_factory=list)
    minted: list[str] = field(default_factory=list)  # tokens the double gave out for client credentials

    @property
    def secrets(self) -> list[str]:
        return [OPENAI_KEY, SHOPIFY_TOKEN, CLIENT_SECRET, *self.minted]


def _approve_all(result_dir: Path, export: Path) -> Path:
    with open(export, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = result_dir / "decisions_filled.csv"
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            # (a note: drafts with a blocking finding are approved only over it, with a reason)
            writer.writerow(row | {"decision": "approved", "note": "approved for the secrets run"})
    return out


@pytest.fixture(scope="module")
def secret_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretRun]:
    monkeypatch = pytest.MonkeyPatch()
    base = tmp_path_factory.mktemp("secrets")
    config = base / "seo.toml"
    config.write_text(OPENAI_CONFIG + "\n[shopify]\npoll_first_s = 0.01\npoll_max_s = 0.05\n", encoding="utf-8")
    run = SecretRun([base / "ws" / "token", base / "ws" / "client", base / "ws" / "refused"])
    products = [make_product(n, variants=2, title=f"Linen Duvet Cover {n}", seo={"title": None, "description": None},
                             descriptionHtml=f"<p>Washed linen duvet cover number {n}.</p>") for n in range(1, 7)]
    try:
        with FakeOpenAI(FakeConfig(api_key=OPENAI_KEY, seed=4)) as openai_double, \
                FakeShopify(access_token=SHOPIFY_TOKEN, locales=("en", "fr"), bulk_polls=1) as shop:
            shop.add_products([dict(p) for p in products])
            env = shop.env() | {"SHOPIFY_CLIENT_SECRET": CLIENT_SECRET, "OPENAI_API_KEY": OPENAI_KEY,
                                "OPENAI_BASE_URL": openai_double.base_url}
            for name, value in env.items():
                monkeypatch.setenv(name, value)
            monkeypatch.delenv("SHOPIFY_CLIENT_ID", raising=False)
            args = ["--workspace", str(base / "ws"), "--store", "token", "--config", str(config)]
            export = base / "decisions.csv"
            steps = [["pull"], ["audit"], ["keywords"], ["links"], ["generate", "--all"],
                     ["review", "--export", str(export)]]
            for step in steps:
                run.outputs.append((step[0], _ok([*args, *step])))
            filled = _approve_all(base, export)
            for step in (["review", "--import", str(filled)], ["push", "--dry-run"], ["push"], ["review-report"],
                         ["rollback"]):
                run.outputs.append((step[0], _ok([*args, *step])))
            # refused credentials: the error lines must not echo what was sent
            # a copy without drafts or cached answers, so generate has to ask again
            shutil.copytree(run.workspace_roots[0], run.workspace_roots[2])
            with StateStore(run.workspace_roots[2] / "state.db") as state:
                state.db.execute("DELETE FROM response_cache")
                state.db.execute("DELETE FROM drafts")
            monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY[::-1])
            run.outputs.append(("generate (key refused)", _run([*args[:3], "refused", *args[4:], "generate",
                                                                 "--all"])))
            monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
            monkeypatch.setenv("SHOPIFY_ACCESS_TOKEN", SHOPIFY_TOKEN[:-2] + "00")
            run.outputs.append(("pull (token refused)", _run([*args, "pull"])))
            run.outputs.append(("pull --debug (token refused)", _run([*args, "--debug", "pull"])))
        with FakeShopify(access_token=None, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, bulk_polls=1) as shop:
            shop.add_products([dict(p) for p in products])
            for name, value in shop.env(client_credentials=True).items():
                monkeypatch.setenv(name, value)
            monkeypatch.delenv("SHOPIFY_ACCESS_TOKEN", raising=False)
            args = ["--workspace", str(base / "ws"), "--store", "client", "--config", str(config)]
            run.outputs.append(("pull (client credentials)", _ok([*args, "pull"])))
            run.minted = list(shop.minted)
        yield run
    finally:
        monkeypatch.undo()


def _run(args: list[str]) -> CliResult:
    """`python -m pipeline ARGS` in this process, its output captured (a module-scoped fixture has no capsys)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(args)
        except SystemExit as exc:
            code = int(exc.code or 0)
    return CliResult(code, out.getvalue(), err.getvalue())


def _ok(args: list[str]) -> CliResult:
    result = _run(args)
    assert result.code == 0, (args, result)
    return result


def file_texts(path: Path) -> Iterator[tuple[str, str]]:
    """(what, text) views of a file that a secret could hide in."""
    data = path.read_bytes()
    yield "bytes", data.decode("latin-1")
    if path.suffix == ".parquet":
        yield "values", repr(pq.read_table(path).to_pylist())
    if path.name == "state.db":
        with sqlite3.connect(path) as db:
            yield "rows", "\n".join(db.iterdump())


def scan_files(paths: list[Path], secrets: list[str]) -> tuple[int, list[str]]:
    leaks = []
    for path in paths:
        for what, text in file_texts(path):
            leaks += [f"{path.name} ({what}): {s[:8]}..." for s in find_secrets(text, secrets)]
    return len(paths), leaks


def workspace_files(run: SecretRun, pattern: str = "*") -> list[Path]:
    return sorted(p for root in run.workspace_roots for p in root.rglob(pattern) if p.is_file())


def test_no_secret_in_artefacts(secret_run: SecretRun, case) -> None:
    case.expect("0 secrets in catalog/audit/targets/links/translations Parquet (decoded), CSV exports, JSON")
    files = [p for p in workspace_files(secret_run) if not p.name.startswith("state.db") and p.suffix != ".html"]
    scanned, leaks = scan_files(files, secret_run.secrets)
    case.observe(f"{scanned} files scanned ({', '.join(sorted({p.suffix for p in files}))}); leaks {leaks or 0}")
    assert scanned >= 8 and not leaks


def test_no_secret_in_state_db(secret_run: SecretRun, case) -> None:
    case.expect("0 secrets in state.db rows (runs, drafts, response cache, batches, decisions, ledger) or its pages")
    files = workspace_files(secret_run, "state.db*")
    scanned, leaks = scan_files(files, secret_run.secrets)
    with sqlite3.connect(secret_run.workspace_roots[0] / "state.db") as db:
        tables = {name: db.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
                  for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    case.observe(f"{scanned} files (db, wal, shm); rows: runs {tables['runs']}, drafts {tables['drafts']}, "
                 f"response_cache {tables['response_cache']}, push_ledger {tables.get('push_ledger', 0)}; "
                 f"leaks {leaks or 0}")
    assert tables["drafts"] and tables["response_cache"] and tables.get("push_ledger") and not leaks


def test_no_secret_in_html_reports(secret_run: SecretRun, case) -> None:
    case.expect("0 secrets in audit.html and review_report.html")
    files = workspace_files(secret_run, "*.html")
    scanned, leaks = scan_files(files, secret_run.secrets)
    case.observe(f"{', '.join(p.name for p in files)}; leaks {leaks or 0}")
    assert {p.name for p in files} >= {"audit.html", "review_report.html"} and not leaks


def test_no_secret_in_logs(secret_run: SecretRun, case) -> None:
    case.expect("0 secrets on stdout/stderr of every run, the refused-key runs and a --debug traceback included")
    leaks = [f"{step}: {s[:8]}..." for step, result in secret_run.outputs
             for s in find_secrets(result.out + result.err, secret_run.secrets)]
    lines = sum(len((r.out + r.err).splitlines()) for _, r in secret_run.outputs)
    case.observe(f"{len(secret_run.outputs)} runs, {lines} lines scanned; leaks {leaks or 0}")
    assert not leaks


def test_refused_credentials_are_one_line_errors(secret_run: SecretRun, case) -> None:
    case.expect("a refused OpenAI key: exit 3; a refused Shopify token: exit 4; one line each, naming the variable, "
                "not its value")
    refused = {step: result for step, result in secret_run.outputs if "refused" in step}
    key, token = refused["generate (key refused)"], refused["pull (token refused)"]
    case.observe(f"generate {key.summary()} | pull {token.summary()}")
    assert key.code == 3 and "OPENAI_API_KEY" in key.err and len(key.err.strip().splitlines()) == 1
    assert token.code == 4 and len(token.err.strip().splitlines()) == 1
    assert "SHOPIFY_ACCESS_TOKEN" in token.err or "access token" in token.err.lower()


def test_client_credentials_token_is_never_stored(secret_run: SecretRun, case) -> None:
    case.expect("the token minted by the client-credentials grant is used in memory only: 0 copies on disk")
    files = workspace_files(secret_run)
    _, leaks = scan_files(files, secret_run.minted + [CLIENT_SECRET])
    case.observe(f"{len(secret_run.minted)} token(s) minted; {len(files)} files scanned; leaks {leaks or 0}")
    assert secret_run.minted and not leaks


TOKEN_SHAPES = re.compile(r"shp(?:at|ss|ca|pa|ua)_[0-9a-fA-F]{32}|sk-(?:proj-)?[A-Za-z0-9_-]{20,}|"
                          r"(?i:authorization|x-shopify-access-token)['\"]?\s*:\s*['\"]?\[?['\"]?\w")


def test_no_secret_in_cassettes(secret_run: SecretRun, case) -> None:
    case.expect("0 of this run's secrets and 0 token-shaped strings or auth headers in tests/cassettes")
    files = sorted(p for p in (PROJECT_ROOT / "tests" / "cassettes").rglob("*") if p.is_file())
    _, leaks = scan_files(files, secret_run.secrets)
    shaped = [f"{p.name}: {m.group(0)[:20]}" for p in files for m in TOKEN_SHAPES.finditer(
        p.read_text(encoding="utf-8", errors="replace")) if "FILTERED" not in m.group(0)]
    case.observe(f"{len(files)} cassette files; our secrets {leaks or 0}; token-shaped strings {shaped or 0}")
    assert files and not leaks and not shaped
