"""state.db: one SQLite database per store (WAL mode) for everything a crash must not lose.

Schema changes are append-only, named migrations: each entry of MIGRATIONS runs once, in order, and the
`schema_version` table records how far a database has come (a row per migration applied: its version, which is
its position in MIGRATIONS counting from 1, and its name). Later stages add their tables by appending a
`Migration("NNNN_what_it_adds", sql)` whose number is its position; never reorder, rename or edit one that has
shipped. Databases from before migrations had names recorded only versions: opening one names its applied rows
from MIGRATIONS (by version) and runs only the migrations it lacks.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Migration:
    """One schema change: `name` is "NNNN_what", NNNN its version (position in MIGRATIONS, from 1); `sql` is one or
    more statements separated by semicolons."""

    name: str
    sql: str

    @property
    def version(self) -> int:
        return int(self.name.split("_", 1)[0])


MIGRATIONS: tuple[Migration, ...] = (
    # 1: runs and product versions
    Migration("0001_runs_and_product_versions", """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        stage TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        counts TEXT NOT NULL DEFAULT '{}',
        message TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE product_versions (
        product_id TEXT PRIMARY KEY,
        handle TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT '',
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        first_seen_run INTEGER NOT NULL,
        last_seen_run INTEGER NOT NULL,
        gone_run INTEGER
    );
    CREATE TABLE pull_changes (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        product_id TEXT NOT NULL,
        change TEXT NOT NULL CHECK (change IN ('new', 'changed', 'gone')),
        PRIMARY KEY (run_id, product_id)
    );
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """),
    # 2: generation: drafts per product and locale, and the provider response cache (queries:
    # pipeline/state/drafts.py, pipeline/state/response_cache.py)
    Migration("0002_drafts_and_response_cache", """
    CREATE TABLE drafts (
        product_id TEXT NOT NULL,
        locale TEXT NOT NULL,
        title TEXT,
        body_html TEXT,
        seo_title TEXT,
        seo_description TEXT,
        handle TEXT,
        fields_left_alone TEXT NOT NULL DEFAULT '[]',
        prompt_hash TEXT NOT NULL,
        input_hash TEXT NOT NULL,
        repair_hash TEXT NOT NULL DEFAULT '',
        content_hash TEXT NOT NULL DEFAULT '',
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        tokens_in INTEGER NOT NULL DEFAULT 0,
        tokens_out INTEGER NOT NULL DEFAULT 0,
        cached_tokens INTEGER NOT NULL DEFAULT 0,
        cost REAL,
        rounds INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('passed', 'flagged')),
        validation TEXT NOT NULL DEFAULT '[]',
        run_id INTEGER,
        created_at TEXT NOT NULL,
        PRIMARY KEY (product_id, locale)
    );
    CREATE INDEX drafts_status ON drafts (status, locale);
    CREATE TABLE response_cache (
        key TEXT PRIMARY KEY,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        response TEXT NOT NULL,
        tokens_in INTEGER NOT NULL DEFAULT 0,
        tokens_out INTEGER NOT NULL DEFAULT 0,
        cached_tokens INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    """),
    # 3: review decisions: the current one per (product, locale) and every one ever made (queries:
    # pipeline/state/decisions.py). Field columns hold the final sanitised values; NULL leaves the field alone.
    Migration("0003_decisions", """
    CREATE TABLE decisions (
        product_id TEXT NOT NULL,
        locale TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('approved', 'edited', 'rejected')),
        title TEXT,
        body_html TEXT,
        seo_title TEXT,
        seo_description TEXT,
        handle TEXT,
        draft_hash TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (product_id, locale)
    );
    CREATE INDEX decisions_kind ON decisions (decision, locale);
    CREATE TABLE decision_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        product_id TEXT NOT NULL,
        locale TEXT NOT NULL,
        decision TEXT NOT NULL,
        title TEXT,
        body_html TEXT,
        seo_title TEXT,
        seo_description TEXT,
        handle TEXT,
        draft_hash TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX decision_history_product ON decision_history (product_id, locale);
    """),
    # 4: OpenAI Batch API jobs, so a batch in flight survives a restart and is collected, never sent twice
    # (queries: pipeline/state/batch_jobs.py). batch_id is NULL between the upload and the batch's creation.
    Migration("0004_llm_batches", """
    CREATE TABLE llm_batches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        batch_id TEXT UNIQUE,
        input_file_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        status TEXT NOT NULL,
        requests INTEGER NOT NULL,
        output_file_id TEXT,
        error_file_id TEXT,
        run_id INTEGER,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        collected_at TEXT
    );
    CREATE TABLE llm_batch_requests (
        job INTEGER NOT NULL REFERENCES llm_batches(id),
        custom_id TEXT NOT NULL,
        PRIMARY KEY (job, custom_id)
    );
    CREATE INDEX llm_batch_requests_custom ON llm_batch_requests (custom_id);
    """),
    # 5: the push ledger (queries: pipeline/state/ledger.py): one row per product, locale and field written by a push or
    # a rollback run, recorded as 'pending' before the write and given its result after it.
    Migration("0005_push_ledger", """
    CREATE TABLE push_runs (
        run_id INTEGER PRIMARY KEY REFERENCES runs(id),
        kind TEXT NOT NULL CHECK (kind IN ('push', 'rollback')),
        target TEXT NOT NULL,
        undoes INTEGER,
        export_path TEXT
    );
    CREATE TABLE push_ledger (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER NOT NULL REFERENCES push_runs(run_id),
        target TEXT NOT NULL,
        product_id TEXT NOT NULL,
        handle TEXT NOT NULL,
        locale TEXT NOT NULL,
        field TEXT NOT NULL,
        before TEXT,
        after TEXT,
        after_hash TEXT NOT NULL,
        decided_at TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('pending', 'ok', 'failed', 'conflict', 'mismatch', 'exported')),
        errors TEXT NOT NULL DEFAULT '[]',
        read_back TEXT,
        redirect_id TEXT,
        rolled_back_by INTEGER,
        recorded_at TEXT NOT NULL,
        finished_at TEXT
    );
    CREATE INDEX push_ledger_product ON push_ledger (target, product_id, locale, field);
    CREATE INDEX push_ledger_run ON push_ledger (run_id, status)
    """),
    # 6: a handle change's redirect as intended (old path -> new path), recorded before urlRedirectCreate, so a run
    # that died before saving the redirect's id lets the next push or rollback find it by its path; and the rows
    # killed runs left pending, which every push and rollback looks for first
    Migration("0006_push_ledger_redirects_and_pending", """
    ALTER TABLE push_ledger ADD COLUMN redirect_path TEXT;
    ALTER TABLE push_ledger ADD COLUMN redirect_target TEXT;
    CREATE INDEX push_ledger_pending ON push_ledger (target) WHERE status = 'pending'
    """),
    # 7: which process a run is, so a run whose process died is closed as 'interrupted' instead of staying
    # 'running' forever, and push/rollback can refuse to start beside a live one
    Migration("0007_runs_process", """
    ALTER TABLE runs ADD COLUMN pid INTEGER;
    ALTER TABLE runs ADD COLUMN host TEXT
    """),
    # 8: a draft the writer left wholly alone ('abstained': it could not write any field well) is kept, with
    # its reasons, so a re-run knows it is current; SQLite changes a CHECK only by rebuilding the table
    Migration("0008_drafts_abstained_status", """
    CREATE TABLE drafts_next (
        product_id TEXT NOT NULL,
        locale TEXT NOT NULL,
        title TEXT,
        body_html TEXT,
        seo_title TEXT,
        seo_description TEXT,
        handle TEXT,
        fields_left_alone TEXT NOT NULL DEFAULT '[]',
        prompt_hash TEXT NOT NULL,
        input_hash TEXT NOT NULL,
        repair_hash TEXT NOT NULL DEFAULT '',
        content_hash TEXT NOT NULL DEFAULT '',
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        tokens_in INTEGER NOT NULL DEFAULT 0,
        tokens_out INTEGER NOT NULL DEFAULT 0,
        cached_tokens INTEGER NOT NULL DEFAULT 0,
        cost REAL,
        rounds INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('passed', 'flagged', 'abstained')),
        validation TEXT NOT NULL DEFAULT '[]',
        run_id INTEGER,
        created_at TEXT NOT NULL,
        PRIMARY KEY (product_id, locale)
    );
    INSERT INTO drafts_next SELECT * FROM drafts;
    DROP TABLE drafts;
    ALTER TABLE drafts_next RENAME TO drafts;
    CREATE INDEX drafts_status ON drafts (status, locale)
    """),
    # 9: the blocking findings a reviewer approved an edit over, with a note (queries: pipeline/state/decisions.py);
    # a JSON list of finding codes, '[]' for a decision that overrode nothing
    Migration("0009_decision_overrides", """
    ALTER TABLE decisions ADD COLUMN overrides TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE decision_history ADD COLUMN overrides TEXT NOT NULL DEFAULT '[]'
    """),
    # 10: a reviewer's decision on each suggested internal link, apart from the draft's (queries:
    # pipeline/state/link_decisions.py); the anchor and handle are those the reviewer accepted. No row: undecided
    Migration("0010_link_decisions", """
    CREATE TABLE link_decisions (
        source_product_id TEXT NOT NULL,
        target_kind TEXT NOT NULL CHECK (target_kind IN ('product', 'collection')),
        target_id TEXT NOT NULL,
        target_handle TEXT NOT NULL,
        anchor TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
        reviewer TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        PRIMARY KEY (source_product_id, target_kind, target_id)
    );
    CREATE INDEX link_decisions_decision ON link_decisions (decision, source_product_id)
    """),
    # 11: a reviewer's decision on each collection draft (collection_drafts.parquet) per locale, and for a proposed
    # collection on its creation (queries: pipeline/state/collection_decisions.py); `fields` holds the approved values
    Migration("0011_collection_decisions", """
    CREATE TABLE collection_decisions (
        collection_handle TEXT NOT NULL,
        locale TEXT NOT NULL,
        collection_id TEXT NOT NULL DEFAULT '',
        change TEXT NOT NULL CHECK (change IN ('update', 'create')),
        decision TEXT NOT NULL CHECK (decision IN ('approved', 'edited', 'rejected')),
        fields TEXT NOT NULL DEFAULT '{}',
        draft_hash TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        PRIMARY KEY (collection_handle, locale)
    )
    """),
    # 12: what push wrote to collections and how it went, field by field, for rollback (as push_ledger for products;
    # field 'create' is a collection push created, `collection_id` its id once Shopify gave one)
    Migration("0012_collection_ledger", """
    CREATE TABLE collection_ledger (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER NOT NULL,
        target TEXT NOT NULL,
        collection_handle TEXT NOT NULL,
        collection_id TEXT NOT NULL DEFAULT '',
        locale TEXT NOT NULL,
        field TEXT NOT NULL,
        before TEXT,
        after TEXT,
        decided_at TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('pending', 'ok', 'failed', 'conflict', 'exported')),
        errors TEXT NOT NULL DEFAULT '[]',
        redirect_id TEXT,
        rolled_back_by INTEGER,
        recorded_at TEXT NOT NULL
    );
    CREATE INDEX collection_ledger_key ON collection_ledger (target, collection_handle, locale, field);
    CREATE INDEX collection_ledger_run ON collection_ledger (run_id, status)
    """),
)


def _unusable(path: Path, exc: sqlite3.DatabaseError) -> Exception:
    from pipeline.errors import InputError

    if isinstance(exc, sqlite3.OperationalError):  # locked past the timeout, read-only, disk full
        return InputError(f"cannot use the state database ({exc})", file=str(path))
    return InputError(f"not a readable SQLite database ({exc}); it holds the drafts, decisions and push ledger: "
                      "restore it from a backup, or move it aside to start afresh", file=str(path))


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive, whatever it is
        return True
    return True


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid of the row the INSERT run on `cursor` made (sqlite3 types lastrowid `int | None`: None only
    before any INSERT)."""
    assert cursor.lastrowid is not None, "no row was inserted"
    return cursor.lastrowid


@dataclass(frozen=True)
class PullChanges:
    new: list[str]
    changed: list[str]
    gone: list[str]
    unchanged: int


class StateStore:
    """A thin, explicit wrapper: methods are the pipeline's vocabulary, SQL stays in this module."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.migrate()
        except sqlite3.DatabaseError as exc:  # an overwritten or damaged file: one line, not a traceback
            self.db.close()
            raise _unusable(self.path, exc) from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # -- schema -------------------------------------------------------------------------------------------
    def schema_version(self) -> int:
        """The version of the last migration applied (0 for a new database)."""
        self.db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, name TEXT)")
        row = self.db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return row[0] or 0

    def applied_migrations(self) -> list[tuple[int, str | None]]:
        """(version, name) of every migration this database has applied, oldest first."""
        return [(r[0], r[1]) for r in self.db.execute("SELECT version, name FROM schema_version ORDER BY version")]

    def migrate(self) -> None:
        """Apply the migrations this database lacks, in order, each in its own transaction with its row in
        schema_version (so a database is always at one version, and a crash mid-migration leaves the previous)."""
        current = self.schema_version()
        self._name_applied_versions()
        for version, migration in enumerate(MIGRATIONS, start=1):
            if version <= current:
                continue
            with self.transaction() as db:
                if (db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0) >= version:
                    continue  # another process opening the same database applied it first
                for statement in migration.sql.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", (version, migration.name))

    def _name_applied_versions(self) -> None:
        """A database from before migrations had names records versions only: give its schema_version a name
        column and its rows their migrations' names. Versions keep their meaning (a migration's position in
        MIGRATIONS), so nothing is applied twice. Once done, this costs one PRAGMA and one SELECT per open."""
        def has_names(db: sqlite3.Connection) -> bool:
            return any(r[1] == "name" for r in db.execute("PRAGMA table_info(schema_version)"))

        def unnamed(db: sqlite3.Connection) -> bool:
            return db.execute("SELECT 1 FROM schema_version WHERE name IS NULL AND version <= ? LIMIT 1",
                              (len(MIGRATIONS),)).fetchone() is not None

        if has_names(self.db) and not unnamed(self.db):
            return
        with self.transaction() as db:
            if not has_names(db):
                db.execute("ALTER TABLE schema_version ADD COLUMN name TEXT")
            db.executemany("UPDATE schema_version SET name = ? WHERE version = ? AND name IS NULL",
                           [(migration.name, version) for version, migration in enumerate(MIGRATIONS, start=1)])

    # -- meta -----------------------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # -- runs -----------------------------------------------------------------------------------------------
    def start_run(self, stage: str, *, exclusive_of: tuple[str, ...] = ()) -> int:
        """Record a run of `stage` by this process. With `exclusive_of`, refuses (RunInProgress) while another live
        process has a run of one of those stages open: two pushes at once could both write a product and each
        record the other's value as the one to restore."""
        with self.transaction() as db:
            self._check_open_runs(db, stage, exclusive_of)
            cur = db.execute("INSERT INTO runs (stage, started_at, pid, host) VALUES (?, ?, ?, ?)",
                             (stage, utc_now(), os.getpid(), socket.gethostname()))
        return inserted_id(cur)

    def ensure_not_running(self, stage: str, exclusive_of: tuple[str, ...]) -> None:
        """start_run's check alone, for work a stage does before its run begins (rollback settles killed pushes)."""
        with self.transaction() as db:
            self._check_open_runs(db, stage, exclusive_of)

    def _check_open_runs(self, db: sqlite3.Connection, stage: str, exclusive_of: tuple[str, ...]) -> None:
        """Close as 'interrupted' the runs left 'running' by processes of this host that no longer exist (killed,
        crashed), and raise RunInProgress if a live process has a run of an `exclusive_of` stage open."""
        host, pid = socket.gethostname(), os.getpid()
        open_runs = db.execute("SELECT id, stage, started_at, pid, host FROM runs WHERE status = 'running' "
                               "AND pid IS NOT NULL AND pid != ?", (pid,)).fetchall()
        for run in open_runs:
            if run["host"] == host and not _process_alive(run["pid"]):
                db.execute("UPDATE runs SET status = 'interrupted', finished_at = ?, message = ? WHERE id = ?",
                           (utc_now(), f"process {run['pid']} ended before the run finished (killed or crashed)",
                            run["id"]))
            elif run["stage"] in exclusive_of:
                from pipeline.errors import RunInProgress

                where = "" if run["host"] == host else f" on {run['host']}"
                raise RunInProgress(f"{run['stage']} run {run['id']} (process {run['pid']}{where}, started "
                                    f"{run['started_at']}) is still running; wait for it to finish before starting "
                                    f"{stage}")

    def finish_run(self, run_id: int, status: str, counts: dict[str, Any], message: str = "") -> None:
        self.db.execute(
            "UPDATE runs SET finished_at = ?, status = ?, counts = ?, message = ? WHERE id = ?",
            (utc_now(), status, json.dumps(counts, sort_keys=True, default=str), message, run_id),
        )

    def runs(self, stage: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM runs" + (" WHERE stage = ?" if stage else "") + " ORDER BY id"
        rows = self.db.execute(sql, (stage,) if stage else ()).fetchall()
        return [dict(r) | {"counts": json.loads(r["counts"])} for r in rows]

    def last_run(self, stage: str, status: str = "ok") -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM runs WHERE stage = ? AND status = ? ORDER BY id DESC LIMIT 1",
                              (stage, status)).fetchone()
        return dict(row) | {"counts": json.loads(row["counts"])} if row else None

    # -- product versions -------------------------------------------------------------------------------
    def record_pull(self, run_id: int, seen: Iterable[tuple[str, str, str, str]], *, full: bool = True,
                    before_commit: Callable[[], None] | None = None) -> PullChanges:
        """Compare (product_id, handle, content_hash, updated_at) tuples with the previous pull.

        `full=False` (an incremental `--since` pull) cannot see deletions, so nothing is marked gone. `seen` may be
        a pull still under way (pipeline.stages.pull feeds it batch by batch): the write transaction begins when its
        first tuple comes, with the versions recorded so far read once, and each few thousand tuples are classed
        new (never seen, or gone before and back now) or changed (another content hash) against them and written
        (versions upserted, changes inserted) as they come; gone are the versions this run did not touch. A
        product seen twice counts once, with what it was seen with last. `before_commit`, if given, is called
        last in the transaction: if it raises, nothing is recorded (pull waits there for its catalogue to be in
        place). New and changed come in the order seen, gone by id.
        """
        now = utc_now()
        rows = iter(seen)
        first = next(rows, None)  # (nothing is locked before there is something to record)
        rows = itertools.chain(() if first is None else (first,), rows)
        kinds: dict[str, str | None] = {}  # every product seen, in the order last seen, and its change
        self.db.execute("DROP TABLE IF EXISTS temp.pull_seen")
        self.db.execute("CREATE TEMP TABLE pull_seen (seq INTEGER PRIMARY KEY, product_id TEXT NOT NULL, "
                        "handle TEXT NOT NULL, content_hash TEXT NOT NULL, updated_at TEXT NOT NULL, change TEXT)")
        with self._roomy_cache(), self.transaction() as db:
            reader = db.cursor()
            reader.row_factory = None  # plain tuples: a sqlite3.Row each costs more than what is done with it
            previous = {product_id: content_hash if gone_run is None else None for product_id, content_hash, gone_run
                        in reader.execute("SELECT product_id, content_hash, gone_run FROM product_versions")}
            while chunk := list(itertools.islice(rows, 8192)):
                classed, retracted = [], []
                for product_id, handle, content_hash, updated_at in chunk:
                    before = previous.get(product_id)
                    kind = "new" if before is None else "changed" if before != content_hash else None
                    if kinds.pop(product_id, None) is not None and kind is None:  # seen before in this pull
                        retracted.append((run_id, product_id))
                    kinds[product_id] = kind
                    classed.append((product_id, handle, content_hash, updated_at, kind))
                # Through a temporary table, so that the versions and changes go in by SQL (in id order: the indexes
                # grow in order rather than page by random page), not a row at a time from Python.
                db.executemany("INSERT INTO temp.pull_seen (product_id, handle, content_hash, updated_at, change) "
                               "VALUES (?, ?, ?, IFNULL(?, ''), ?)", classed)
                db.execute(
                    "INSERT INTO product_versions (product_id, handle, content_hash, updated_at, first_seen, last_seen,"
                    " first_seen_run, last_seen_run) SELECT product_id, handle, content_hash, updated_at, ?1, ?1, ?2,"
                    " ?2 FROM temp.pull_seen WHERE true ORDER BY product_id, seq ON CONFLICT (product_id) DO UPDATE SET"
                    " handle = excluded.handle, content_hash = excluded.content_hash, updated_at = excluded.updated_at,"
                    " last_seen = excluded.last_seen, last_seen_run = excluded.last_seen_run, gone_run = NULL",
                    (now, run_id))
                db.execute("INSERT OR REPLACE INTO pull_changes (run_id, product_id, change) SELECT ?, product_id, "
                           "change FROM temp.pull_seen WHERE change IS NOT NULL ORDER BY product_id, seq", (run_id,))
                db.executemany("DELETE FROM pull_changes WHERE run_id = ? AND product_id = ?", retracted)
                db.execute("DELETE FROM temp.pull_seen")
            gone: list[str] = []
            if full:
                unseen = " FROM product_versions WHERE gone_run IS NULL AND last_seen_run != ?1"
                gone = [r[0] for r in reader.execute("SELECT product_id" + unseen + " ORDER BY product_id", (run_id,))]
                db.execute("INSERT INTO pull_changes (run_id, product_id, change) SELECT ?1, product_id, 'gone'"
                           + unseen + " ORDER BY product_id", (run_id,))
                db.execute("UPDATE product_versions SET gone_run = ?1 WHERE gone_run IS NULL AND last_seen_run != ?1",
                           (run_id,))
            db.execute("DROP TABLE temp.pull_seen")
            if before_commit is not None:
                before_commit()
        new = [product_id for product_id, kind in kinds.items() if kind == "new"]
        changed = [product_id for product_id, kind in kinds.items() if kind == "changed"]
        return PullChanges(new=new, changed=changed, gone=gone, unchanged=len(kinds) - len(new) - len(changed))

    @contextmanager
    def _roomy_cache(self, kib: int = 256 * 1024) -> Iterator[None]:
        """A page cache that holds a 100,000-product comparison (SQLite's default is 2 MiB), for one call."""
        main, temp = (self.db.execute(f"PRAGMA {schema}.cache_size").fetchone()[0] for schema in ("main", "temp"))
        self.db.execute(f"PRAGMA main.cache_size = {-kib}")
        self.db.execute(f"PRAGMA temp.cache_size = {-kib}")
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA main.cache_size = {int(main)}")
            self.db.execute(f"PRAGMA temp.cache_size = {int(temp)}")

    def pull_changes(self, run_id: int) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {"new": [], "changed": [], "gone": []}
        for r in self.db.execute("SELECT product_id, change FROM pull_changes WHERE run_id = ? ORDER BY product_id",
                                 (run_id,)):
            out[r[1]].append(r[0])
        return out

    def product_version(self, product_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM product_versions WHERE product_id = ?", (product_id,)).fetchone()
        return dict(row) if row else None
