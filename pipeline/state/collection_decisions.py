"""Collection decisions and the collection ledger: what a person decided about each collection draft, and what push
wrote to the store's collections (so rollback can put it back).

One current decision per (collection handle, locale) in `collection_decisions`: 'approved' (the draft as written),
'edited' (approved with the reviewer's values) or 'rejected'. `change` is 'update' for a store collection and
'create' for a proposed one, whose approval in the primary locale approves its creation too (title, handle, rule).
A decision holds its final values (`fields`, sanitised) and the fingerprint of the draft it was made on
(`draft_fingerprint`): once the draft is written again with other copy, the approval no longer applies.

`collection_ledger` is the push ledger of collections (push_ledger is products'): one row per field written, as
'pending' before the write and its result after; field 'create' is a collection push created, with its id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime
from typing import Any

from pipeline.core.text import stable_hash
from pipeline.state.decisions import sanitise_body_html, sanitise_plain_text
from pipeline.state.store import StateStore, inserted_id, utc_now

DECISIONS = ("approved", "edited", "rejected")
APPROVING = ("approved", "edited")
CHANGES = ("update", "create")
COPY_FIELDS = ("description", "seo_title", "seo_description")  # what a draft writes, in every locale
CREATE_FIELDS = ("title", "handle", "rule")  # what a proposal's creation needs (primary locale)
HTML_FIELDS = frozenset({"description"})
DONE = ("ok", "exported")


@dataclass(frozen=True)
class CollectionDecision:
    collection_handle: str  # the handle the draft was written for (collections.parquet)
    locale: str
    collection_id: str  # the store's GID; "" for a proposal
    change: str  # 'update' | 'create'
    decision: str  # 'approved' | 'edited' | 'rejected'
    fields: dict[str, str]  # final values; a field absent is left as it is
    draft_hash: str
    reviewer: str
    decided_at: str

    @property
    def approves(self) -> bool:
        return self.decision in APPROVING

    @property
    def key(self) -> tuple[str, str]:
        return self.collection_handle, self.locale


def draft_fingerprint(draft: Mapping[str, Any], creation: Mapping[str, Any] | None = None) -> str:
    """A draft's copy (and a proposal's title, handle and rule), hashed: a decision applies to this content only."""
    values = {name: str(draft.get(name) or "") for name in COPY_FIELDS}
    if creation is not None:
        values |= {name: str(creation.get(name) or "") for name in CREATE_FIELDS}
    return stable_hash(json.dumps(values, sort_keys=True, ensure_ascii=False), 24)


def sanitise(name: str, value: str) -> str:
    return sanitise_body_html(value) if name in HTML_FIELDS else sanitise_plain_text(value)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def build_collection_decision(collection_handle: str, locale: str, *, collection_id: str, change: str, decision: str,
                              fields: Mapping[str, str], draft_hash: str, reviewer: str) -> CollectionDecision:
    """A checked decision (known change and decision, a reviewer, sanitised values); ValueError otherwise."""
    if decision not in DECISIONS:
        raise ValueError(f"a collection decision is one of {', '.join(DECISIONS)}, not {decision!r}")
    if change not in CHANGES:
        raise ValueError(f"a collection change is an update or a create, not {change!r}")
    reviewer = sanitise_plain_text(reviewer or "")
    if not reviewer:
        raise ValueError("a collection decision needs a reviewer")
    allowed = (*COPY_FIELDS, *CREATE_FIELDS, "handle")
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValueError(f"unknown collection field {unknown[0]!r} (known: {', '.join(dict.fromkeys(allowed))})")
    clean = {name: sanitise(name, str(value)) for name, value in fields.items()} if decision in APPROVING else {}
    return CollectionDecision(collection_handle, locale, collection_id, change, decision, clean, draft_hash,
                              reviewer, _now())


def record_collection_decisions(state: StateStore, decisions: Sequence[CollectionDecision]) -> int:
    """Store decisions (each replacing the one on the same collection and locale) in one transaction."""
    with state.transaction() as db:
        db.executemany(
            "INSERT OR REPLACE INTO collection_decisions (collection_handle, locale, collection_id, change, decision, "
            "fields, draft_hash, reviewer, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(d.collection_handle, d.locale, d.collection_id, d.change, d.decision,
              json.dumps(d.fields, ensure_ascii=False, sort_keys=True), d.draft_hash, d.reviewer, d.decided_at)
             for d in decisions])
    return len(decisions)


def collection_decisions(state: StateStore) -> dict[tuple[str, str], CollectionDecision]:
    """(collection handle, locale) -> its current decision."""
    out = {}
    for r in state.db.execute("SELECT * FROM collection_decisions ORDER BY collection_handle, locale"):
        made = CollectionDecision(r["collection_handle"], r["locale"], r["collection_id"], r["change"],
                                  r["decision"], json.loads(r["fields"]), r["draft_hash"], r["reviewer"],
                                  r["decided_at"])
        out[made.key] = made
    return out


def reopen_collection_decision(state: StateStore, collection_handle: str, locale: str) -> None:
    """Put a collection back in the review queue (its store copy changed under an approval)."""
    state.db.execute("DELETE FROM collection_decisions WHERE collection_handle = ? AND locale = ?",
                     (collection_handle, locale))


def count_collection_decisions(state: StateStore) -> dict[str, int]:
    return {r[0]: r[1] for r in state.db.execute(
        "SELECT decision, COUNT(*) FROM collection_decisions GROUP BY decision")}


# -- the collection ledger ------------------------------------------------------------------------------------------
@dataclass
class CollectionEntry:
    """One field of one collection in one locale, about to be written (or refused); field 'create' a creation."""

    collection_handle: str
    collection_id: str
    locale: str
    field: str
    before: str | None
    after: str | None
    decided_at: str = ""
    status: str = "pending"
    errors: list[str] = dataclass_field(default_factory=list)
    row_id: int | None = None
    undoes_row: int | None = None  # rollback: the push row this entry restores


@dataclass(frozen=True)
class CollectionRow:
    id: int
    run_id: int
    target: str
    collection_handle: str
    collection_id: str
    locale: str
    field: str
    before: str | None
    after: str | None
    decided_at: str
    status: str
    errors: tuple[str, ...]
    redirect_id: str | None
    rolled_back_by: int | None

    @property
    def key(self) -> tuple[str, str, str]:
        return self.collection_handle, self.locale, self.field


def _row(r: Any) -> CollectionRow:
    return CollectionRow(r["id"], r["run_id"], r["target"], r["collection_handle"], r["collection_id"], r["locale"],
                         r["field"], r["before"], r["after"], r["decided_at"], r["status"],
                         tuple(json.loads(r["errors"])), r["redirect_id"], r["rolled_back_by"])


def record_entries(state: StateStore, run_id: int, target: str, entries: Sequence[CollectionEntry]) -> None:
    """Insert `entries` in one committed transaction and set their row ids; call BEFORE writing 'pending' ones."""
    now = utc_now()
    with state.transaction() as db:
        for e in entries:
            cursor = db.execute(
                "INSERT INTO collection_ledger (run_id, target, collection_handle, collection_id, locale, field, "
                "before, after, decided_at, status, errors, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, target, e.collection_handle, e.collection_id, e.locale, e.field, e.before, e.after,
                 e.decided_at, e.status, json.dumps(e.errors), now))
            e.row_id = inserted_id(cursor)


def settle_entries(state: StateStore, entries: Iterable[CollectionEntry]) -> None:
    """Give recorded entries their status, errors and (for a creation) the collection's id."""
    with state.transaction() as db:
        db.executemany("UPDATE collection_ledger SET status = ?, errors = ?, collection_id = ? WHERE id = ?",
                       [(e.status, json.dumps(e.errors), e.collection_id, e.row_id) for e in entries])


def set_redirect(state: StateStore, row_id: int, redirect_id: str) -> None:
    state.db.execute("UPDATE collection_ledger SET redirect_id = ? WHERE id = ?", (redirect_id, row_id))


def mark_rolled_back(state: StateStore, row_ids: Iterable[int], by_run: int) -> None:
    with state.transaction() as db:
        db.executemany("UPDATE collection_ledger SET rolled_back_by = ? WHERE id = ?", [(by_run, i) for i in row_ids])


def rows_at(state: StateStore, target: str) -> list[CollectionRow]:
    """Every ledger row at `target`, oldest first (there are hundreds of collections, not hundreds of thousands)."""
    return [_row(r) for r in state.db.execute("SELECT * FROM collection_ledger WHERE target = ? ORDER BY id",
                                              (target,))]


def undoable_rows(state: StateStore, run_id: int) -> list[CollectionRow]:
    """The rows of push run `run_id` that wrote (or exported) something and were not rolled back yet."""
    return [_row(r) for r in state.db.execute(
        "SELECT * FROM collection_ledger WHERE run_id = ? AND status IN ('ok', 'exported') AND rolled_back_by IS NULL "
        "ORDER BY id", (run_id,))]


def latest_undoable_run(state: StateStore) -> int | None:
    """The newest push run with collection writes not rolled back."""
    row = state.db.execute(
        "SELECT MAX(l.run_id) FROM collection_ledger l JOIN push_runs p ON p.run_id = l.run_id WHERE p.kind = 'push' "
        "AND l.status IN ('ok', 'exported') AND l.rolled_back_by IS NULL").fetchone()
    return row[0]


def export_path_of(state: StateStore, run_id: int) -> str | None:
    """The offline file (meta key) a push run wrote its collection changes to."""
    return state.get_meta(f"collections_export_{run_id}")


def set_export_path(state: StateStore, run_id: int, path: str) -> None:
    state.set_meta(f"collections_export_{run_id}", path)


def fingerprint_for(draft: Mapping[str, Any], collection: Mapping[str, Any] | None, primary_locale: str) -> str:
    """The fingerprint of one draft row (collection_drafts.parquet) as review and push both compute it: a
    proposal's primary-locale draft includes its creation (title, handle, rule as collections.csv has them)."""
    creates = collection is not None and not collection.get("id") and draft.get("locale") == primary_locale
    return draft_fingerprint(draft, collection if creates else None)


def interrupted_rows(state: StateStore, target: str, *, other_than: int) -> list[CollectionRow]:
    """Rows that runs at `target` (other than `other_than`) left 'pending': each such run died mid-write."""
    return [_row(r) for r in state.db.execute(
        "SELECT * FROM collection_ledger WHERE target = ? AND status = 'pending' AND run_id != ? ORDER BY id",
        (target, other_than))]
