"""The CLI's promises (help, one-line errors) and the state store's schema handling."""

from __future__ import annotations

import sqlite3

import pytest

from pipeline.cli import COMMANDS, main
from pipeline.state.store import MIGRATIONS, StateStore


def test_help_lists_every_stage(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert name in out


@pytest.mark.parametrize("stage", sorted(COMMANDS))
def test_every_stage_has_help(stage, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([stage, "--help"])
    assert exit_info.value.code == 0
    assert "--store" in capsys.readouterr().out


def test_bad_config_is_one_line(tmp_path, capsys):
    config = tmp_path / "seo.toml"
    config.write_text("[pipeline]\nlocales = [\"en\"\n")
    code = main(["--config", str(config), "--workspace", str(tmp_path), "pull"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"error: {config}: invalid TOML") and err.count("\n") == 1


def test_unknown_locale_in_config_is_rejected(tmp_path, capsys):
    config = tmp_path / "seo.toml"
    config.write_text("[pipeline]\nlocales = [\"en\", \"xx\"]\n")
    assert main(["--config", str(config), "--workspace", str(tmp_path), "pull"]) == 2
    assert "unsupported xx" in capsys.readouterr().err


def test_bad_store_name_is_rejected(tmp_path, capsys):
    assert main(["--workspace", str(tmp_path), "--store", "../etc", "pull"]) == 2
    assert "store name '../etc'" in capsys.readouterr().err


def test_state_store_is_wal_and_versioned(tmp_path):
    with StateStore(tmp_path / "state.db") as state:
        assert state.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert state.schema_version() == len(MIGRATIONS)
    with StateStore(tmp_path / "state.db") as state:  # reopening migrates nothing twice
        assert state.schema_version() == len(MIGRATIONS)
        versions = [r[0] for r in state.db.execute("SELECT version FROM schema_version ORDER BY version")]
        assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_old_database_is_migrated_forward(tmp_path):
    path = tmp_path / "state.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    db.executescript(MIGRATIONS[0].sql)
    db.execute("INSERT INTO schema_version VALUES (1)")
    db.execute("INSERT INTO runs (stage, started_at) VALUES ('pull', '2026-01-01T00:00:00Z')")
    db.commit()
    db.close()
    with StateStore(path) as state:
        assert state.schema_version() == len(MIGRATIONS)
        assert [r["stage"] for r in state.runs()] == ["pull"]


def test_runs_record_counts(tmp_path):
    with StateStore(tmp_path / "state.db") as state:
        run_id = state.start_run("audit")
        state.finish_run(run_id, "ok", {"findings": 3})
        assert state.last_run("audit")["counts"] == {"findings": 3}
