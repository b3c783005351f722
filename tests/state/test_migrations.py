"""Named migrations, and databases made before migrations had names (schema_version held version numbers only)."""

from __future__ import annotations

import re
import sqlite3

from pipeline.state.store import MIGRATIONS, StateStore


def _old_style_database(path, applied: int) -> None:
    """A state.db as an earlier release left it: the first `applied` migrations run, versions recorded unnamed."""
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    for version, migration in enumerate(MIGRATIONS[:applied], start=1):
        db.executescript(migration.sql)
        db.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
    db.execute("INSERT INTO runs (stage, started_at) VALUES ('pull', '2026-01-01T00:00:00Z')")
    db.commit()
    db.close()


def test_migrations_are_named_by_position() -> None:
    names = [m.name for m in MIGRATIONS]
    assert len(set(names)) == len(names)
    for position, migration in enumerate(MIGRATIONS, start=1):
        assert re.fullmatch(r"\d{4}_[a-z0-9_]+", migration.name), migration.name
        assert migration.version == position, f"{migration.name} is migration {position}"


def test_new_database_records_each_migration_by_name(tmp_path) -> None:
    with StateStore(tmp_path / "state.db") as state:
        assert state.applied_migrations() == [(m.version, m.name) for m in MIGRATIONS]
    with StateStore(tmp_path / "state.db") as state:  # reopening applies and records nothing again
        assert state.applied_migrations() == [(m.version, m.name) for m in MIGRATIONS]


def test_fully_migrated_old_database_opens_without_running_anything_again(tmp_path) -> None:
    path = tmp_path / "state.db"
    _old_style_database(path, len(MIGRATIONS))  # running any migration twice would fail: its tables exist
    with StateStore(path) as state:
        assert state.schema_version() == len(MIGRATIONS)
        assert state.applied_migrations() == [(m.version, m.name) for m in MIGRATIONS]
        assert [r["stage"] for r in state.runs()] == ["pull"]
    with StateStore(path) as state:
        assert state.applied_migrations() == [(m.version, m.name) for m in MIGRATIONS]


def test_partly_migrated_old_database_gets_the_rest(tmp_path) -> None:
    path = tmp_path / "state.db"
    _old_style_database(path, 4)
    with StateStore(path) as state:
        assert state.applied_migrations() == [(m.version, m.name) for m in MIGRATIONS]
        columns = {r[1] for r in state.db.execute("PRAGMA table_info(runs)")}
        assert {"pid", "host"} <= columns  # from the last migration
        tables = {r[0] for r in state.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"push_runs", "push_ledger", "llm_batches"} <= tables
        assert [r["stage"] for r in state.runs()] == ["pull"]


def test_an_earlier_release_can_still_record_versions(tmp_path) -> None:
    """Its INSERT names no name: the column stays optional, so opening with old code after new is harmless."""
    path = tmp_path / "state.db"
    StateStore(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO schema_version (version) VALUES (?)", (len(MIGRATIONS) + 1,))
    db.commit()
    db.close()
    with StateStore(path) as state:
        assert state.schema_version() == len(MIGRATIONS) + 1
        assert state.applied_migrations()[-1] == (len(MIGRATIONS) + 1, None)
