"""The push ledger in state.db: what each push and rollback run wrote, field by field, and how it went.

Every write is recorded as 'pending' (with the value it replaces and the value it writes) in a committed
transaction BEFORE it is sent, and given its result after: 'ok', 'failed' (Shopify's userErrors kept),
'conflict' (the store no longer held the value we expected, so nothing was written), 'mismatch' (written, but
the store read back something else: `read_back`) or 'exported' (offline: written to an import file).
So a run killed at any point leaves rows that say what may have happened, and the next push or rollback settles
them by reading the store instead of writing twice (`reconciled`): 'ok' where the store holds exactly the value
the row meant to write (so a rollback undoes it), 'failed' (not applied) otherwise. Rollback reads a push's rows
and marks them `rolled_back_by`.

A handle change's redirect is recorded as intended (`redirect_path` -> `redirect_target`) before it is created
and its id saved after; a row with the intent and no id belongs to a run that may have died in between, so the
next push or rollback looks the redirect up by its path.

A row's `target` is the store it went to ("store:<shop>") or "csv" for offline import files.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from pipeline.core.text import stable_hash
from pipeline.state.store import StateStore, inserted_id, utc_now

CSV_TARGET = "csv"
WRITERS = ("push", "rollback")  # stages that write to a store: never two at once (StateStore.start_run)
NOT_APPLIED = "interrupted before the write was confirmed; not applied: the store holds another value"
GONE = "interrupted before the write was confirmed; not applied: the product no longer exists on the store"
WRITTEN = ("ok", "mismatch")           # the store holds our value (or what it made of it)
DONE = ("ok", "mismatch", "exported")  # a change with these rows is not sent again for the same decision


def store_target(shop: str) -> str:
    return f"store:{shop}"


def value_hash(value: str | None) -> str:
    return "-" if value is None else stable_hash(value, 24)


@dataclass
class Entry:
    """One field of one product in one locale, about to be written (or refused)."""

    product_id: str
    handle: str
    locale: str
    field: str
    before: str | None
    after: str | None
    decided_at: str = ""
    status: str = "pending"
    errors: list[str] = dataclass_field(default_factory=list)  # (`field` is a column name in this class)
    read_back: str | None = None
    row_id: int | None = None  # set once recorded
    undoes_row: int | None = None  # rollback: the push row this entry restores (kept in memory only)

    @property
    def recorded_id(self) -> int:
        """`row_id`, for an entry already recorded in the ledger (`record`)."""
        assert self.row_id is not None, f"{self.product_id} {self.field}: not recorded in the ledger yet"
        return self.row_id


@dataclass(frozen=True)
class Row:
    id: int
    run_id: int
    target: str
    product_id: str
    handle: str
    locale: str
    field: str
    before: str | None
    after: str | None
    after_hash: str
    decided_at: str
    status: str
    errors: tuple[str, ...]
    read_back: str | None
    redirect_id: str | None
    rolled_back_by: int | None
    redirect_path: str | None = None    # the redirect intended for a handle change, recorded before its creation
    redirect_target: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return self.product_id, self.locale, self.field

    @property
    def holds(self) -> str | None:
        """The value the store held after this row's write: ours, or what it read back instead."""
        return self.read_back if self.status == "mismatch" else self.after


def _row(r: Any) -> Row:
    return Row(id=r["id"], run_id=r["run_id"], target=r["target"], product_id=r["product_id"], handle=r["handle"],
               locale=r["locale"], field=r["field"], before=r["before"], after=r["after"], after_hash=r["after_hash"],
               decided_at=r["decided_at"], status=r["status"], errors=tuple(json.loads(r["errors"])),
               read_back=r["read_back"], redirect_id=r["redirect_id"], rolled_back_by=r["rolled_back_by"],
               redirect_path=r["redirect_path"], redirect_target=r["redirect_target"])


# -- runs ---------------------------------------------------------------------------------------------------
def open_run(state: StateStore, run_id: int, kind: str, target: str, *, undoes: int | None = None) -> None:
    state.db.execute("INSERT INTO push_runs (run_id, kind, target, undoes) VALUES (?, ?, ?, ?)",
                     (run_id, kind, target, undoes))


def set_export_path(state: StateStore, run_id: int, path: str) -> None:
    state.db.execute("UPDATE push_runs SET export_path = ? WHERE run_id = ?", (path, run_id))


def push_run(state: StateStore, run_id: int) -> dict[str, Any] | None:
    row = state.db.execute("SELECT p.*, r.started_at, r.status AS run_status FROM push_runs p "
                           "JOIN runs r ON r.id = p.run_id WHERE p.run_id = ?", (run_id,)).fetchone()
    return dict(row) if row else None


def push_runs(state: StateStore, kind: str = "push") -> list[dict[str, Any]]:
    rows = state.db.execute("SELECT p.*, r.started_at FROM push_runs p JOIN runs r ON r.id = p.run_id "
                            "WHERE p.kind = ? ORDER BY p.run_id", (kind,))
    return [dict(r) for r in rows]


def latest_undoable_push(state: StateStore) -> int | None:
    """The newest push run with writes that have not been rolled back."""
    row = state.db.execute(
        "SELECT MAX(l.run_id) FROM push_ledger l JOIN push_runs p ON p.run_id = l.run_id WHERE p.kind = 'push' "
        "AND l.status IN ('ok', 'mismatch', 'exported') AND l.rolled_back_by IS NULL").fetchone()
    return row[0]


# -- rows -----------------------------------------------------------------------------------------------------
_INSERT = ("INSERT INTO push_ledger (run_id, target, product_id, handle, locale, field, before, after, after_hash, "
           "decided_at, status, errors, read_back, recorded_at, finished_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def record(state: StateStore, run_id: int, target: str, entries: Sequence[Entry]) -> None:
    """Insert `entries` in one committed transaction and set their row ids; call BEFORE writing 'pending' ones."""
    now = utc_now()
    with state.transaction() as db:
        for e in entries:
            cursor = db.execute(_INSERT, (run_id, target, e.product_id, e.handle, e.locale, e.field, e.before, e.after,
                                          value_hash(e.after), e.decided_at, e.status, json.dumps(e.errors),
                                          e.read_back, now, None if e.status == "pending" else now))
            e.row_id = inserted_id(cursor)


@dataclass(frozen=True)
class Outcome:
    row_id: int
    status: str
    errors: Sequence[str] = ()
    read_back: str | None = None


def settle(state: StateStore, outcomes: Iterable[Outcome]) -> None:
    """Give recorded rows their result, in one transaction."""
    now = utc_now()
    with state.transaction() as db:
        for o in outcomes:
            db.execute("UPDATE push_ledger SET status = ?, errors = ?, read_back = ?, finished_at = ? WHERE id = ?",
                       (o.status, json.dumps(list(o.errors)), o.read_back, now, o.row_id))


def intend_redirect(state: StateStore, row_id: int, path: str, target: str) -> None:
    """Record (committed) the redirect about to be created for a handle change; call BEFORE urlRedirectCreate."""
    state.db.execute("UPDATE push_ledger SET redirect_path = ?, redirect_target = ? WHERE id = ?",
                     (path, target, row_id))


def set_redirect(state: StateStore, row_id: int, redirect_id: str | None, errors: Sequence[str] = ()) -> None:
    """The redirect created (or, on a rollback row, deleted) for a handle change; its errors join the row's."""
    with state.transaction() as db:
        current = json.loads(db.execute("SELECT errors FROM push_ledger WHERE id = ?", (row_id,)).fetchone()[0])
        db.execute("UPDATE push_ledger SET redirect_id = COALESCE(?, redirect_id), errors = ? WHERE id = ?",
                   (redirect_id, json.dumps(current + [f"redirect: {e}" for e in errors]), row_id))


def interrupted_rows(state: StateStore, target: str, *, other_than: int | None = None) -> list[Row]:
    """Rows that runs at `target` (other than run `other_than`) recorded as pending and never settled: each such
    run died between recording a write and learning its result."""
    rows = state.db.execute("SELECT * FROM push_ledger WHERE target = ? AND status = 'pending' ORDER BY id", (target,))
    return [row for row in map(_row, rows) if row.run_id != other_than]


def reconciled(rows: Sequence[Row], now: Mapping[tuple[str, str], Mapping[str, str | None]]) -> list[Outcome]:
    """Interrupted rows settled by what the store holds now (`now[(product_id, locale)][field]`; a product
    absent from `now` no longer exists): 'ok' (applied, so a rollback undoes it) for a row whose value the store
    holds exactly, 'failed' (not applied) for the others. Of several rows of one field, only the newest holding
    the store's value counts as applied: an older one would have made the newer one's write unnecessary."""
    by_key: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for row in rows:
        by_key[row.key].append(row)
    outcomes = []
    for (product_id, locale, name), group in by_key.items():
        values = now.get((product_id, locale))
        if values is None:
            outcomes += [Outcome(r.id, "failed", [GONE]) for r in group]
            continue
        current = values.get(name)
        applied = max((r for r in group if r.after == current), key=lambda r: r.id, default=None)
        outcomes += [Outcome(r.id, "ok", read_back=current) if r is applied else
                     Outcome(r.id, "failed", [NOT_APPLIED], read_back=current) for r in group]
    return outcomes


def mark_rolled_back(state: StateStore, row_ids: Iterable[int], by_run: int) -> None:
    with state.transaction() as db:
        db.executemany("UPDATE push_ledger SET rolled_back_by = ? WHERE id = ?", [(by_run, i) for i in row_ids])


def run_rows(state: StateStore, run_id: int, statuses: Sequence[str] | None = None) -> list[Row]:
    sql = "SELECT * FROM push_ledger WHERE run_id = ?"
    params: list[Any] = [run_id]
    if statuses:
        sql += f" AND status IN ({', '.join('?' for _ in statuses)})"
        params += list(statuses)
    return [_row(r) for r in state.db.execute(sql + " ORDER BY id", params)]


def status_counts(state: StateStore, run_id: int) -> Counter[str]:
    return Counter({r[0]: r[1] for r in state.db.execute(
        "SELECT status, COUNT(*) FROM push_ledger WHERE run_id = ? GROUP BY status", (run_id,))})


# -- what earlier runs did, for the products of one chunk ---------------------------------------------------------
@dataclass
class History:
    """The ledger rows of some products at one target, oldest first, by (product_id, locale, field)."""

    rows: dict[tuple[str, str, str], list[Row]]

    def done(self, key: tuple[str, str, str], after: str | None, decided_at: str) -> Row | None:
        """The row that already wrote this very value for this very decision, if any."""
        wanted = value_hash(after)
        return next((r for r in reversed(self.rows.get(key, [])) if r.status in DONE and r.after_hash == wanted
                     and r.decided_at == decided_at), None)

    def interrupted(self, key: tuple[str, str, str], current_run: int) -> list[Row]:
        """Rows an earlier run recorded as pending and never settled (it was killed mid-write)."""
        return [r for r in self.rows.get(key, []) if r.status == "pending" and r.run_id != current_run]

    def expected(self, key: tuple[str, str, str], pulled: str | None, last_pull_run: int) -> str | None:
        """What the store should hold now: the last value we wrote since the pull, else the pulled value."""
        written = [r for r in self.rows.get(key, []) if r.status in WRITTEN and r.run_id > last_pull_run]
        return written[-1].holds if written else pulled


def history(state: StateStore, target: str, product_ids: Sequence[str]) -> History:
    rows: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    ids = list(dict.fromkeys(product_ids))
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        for r in state.db.execute(f"SELECT * FROM push_ledger WHERE target = ? AND product_id IN "
                                  f"({', '.join('?' for _ in batch)}) ORDER BY id", [target, *batch]):
            row = _row(r)
            rows[row.key].append(row)
    return History(dict(rows))


def written_since(state: StateStore, run_id: int, locale: str) -> dict[str, dict[str, str | None]]:
    """product_id -> {field: value the store holds} for the `locale` values written after run `run_id` (by push or
    rollback, to any target), the latest winning: what a re-pull will find that is our own doing."""
    out: dict[str, dict[str, str | None]] = defaultdict(dict)
    for r in state.db.execute("SELECT * FROM push_ledger WHERE run_id > ? AND locale = ? AND status IN "
                              "('ok', 'mismatch', 'exported') ORDER BY id", (run_id, locale)):
        row = _row(r)
        out[row.product_id][row.field] = row.holds
    return dict(out)


def owed_redirects(state: StateStore, target: str, product_ids: Sequence[str]) -> list[Row]:
    """Handle changes pushed (not rolled back) that have no redirect yet and no refusal of one: those of this very
    run, and those of a run that died between the write and the redirect."""
    out: list[Row] = []
    ids = list(dict.fromkeys(product_ids))
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        out += [_row(r) for r in state.db.execute(
            "SELECT l.* FROM push_ledger l JOIN push_runs p ON p.run_id = l.run_id WHERE p.kind = 'push' AND "
            "l.target = ? AND l.field = 'handle' AND l.status IN ('ok', 'mismatch') AND l.redirect_id IS NULL AND "
            "l.rolled_back_by IS NULL AND l.errors NOT LIKE '%\"redirect: %' AND l.product_id IN "
            f"({', '.join('?' for _ in batch)}) ORDER BY l.id", [target, *batch])]
    return [r for r in out if r.before and r.holds and r.before != r.holds]
