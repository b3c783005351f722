"""Messages name the next command the way their reader runs the tool: `make pull` from the Makefile (which
exports SEO_PIPELINE_VIA_MAKE=1), `seo-pipeline pull` from an installed command with no make (pipx, Windows)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.commands import command

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def test_a_command_is_named_in_the_form_its_reader_types(monkeypatch):
    assert command("pull") == "`seo-pipeline pull`"
    assert command("rollback --run 7", "rollback RUN=7") == "`seo-pipeline rollback --run 7`"
    monkeypatch.setenv("SEO_PIPELINE_VIA_MAKE", "1")
    assert command("pull") == "`make pull`"
    assert command("rollback --run 7", "rollback RUN=7") == "`make rollback RUN=7`"


@pytest.mark.parametrize("via_make, expected", [(False, "run `seo-pipeline pull` first"),
                                                (True, "run `make pull` first")])
def test_a_stage_run_before_pull_says_how_to_pull(tmp_path, capsys, monkeypatch, via_make, expected):
    if via_make:
        monkeypatch.setenv("SEO_PIPELINE_VIA_MAKE", "1")
    assert main(["--workspace", str(tmp_path), "--store", "shop", "audit"]) == 2
    err = capsys.readouterr().err
    assert expected in err and len(err.strip().splitlines()) == 1


@pytest.mark.skipif(shutil.which("make") is None or not (PROJECT_ROOT / ".venv" / "bin" / "python").exists(),
                    reason="make or the project's .venv is missing")
def test_a_make_target_names_the_make_target(tmp_path):
    result = subprocess.run(["make", "--no-print-directory", "-s", "-o", ".venv/.installed", "audit", "STORE=shop",
                             f"ARGS=--workspace {tmp_path}"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=120, env={k: v for k, v in os.environ.items() if k != "SEO_PIPELINE_VIA_MAKE"})
    assert result.returncode != 0
    assert "catalog.parquet: no catalogue yet; run `make pull` first" in result.stderr
