"""Collections in push and rollback: the approved collection decisions (state.db) -> the store, or a file to enter
them by hand; every write in the collection ledger, so rollback can put back what it replaced.

Push takes the collection decisions that approve (approved or edited) the draft still in collection_drafts.parquet
(a decision on copy written again since is stale, and left out). With a store:
1. approved proposals are created first: collectionCreate with the title, handle, smart rule (ruleSet) and copy,
   UNPUBLISHED (nothing publishes it to a sales channel: the merchant does, in Shopify admin);
2. store collections: the fields about to be written are read again and compared with the pulled value (or the
   one we last wrote since the pull); a collection edited meanwhile is not written, its decision goes back to
   review. Then collectionUpdate writes the intro (descriptionHtml), SEO title and description and handle; a
   changed handle gets a redirect from /collections/<old> (urlRedirectCreate), its id kept for rollback;
3. translations (decisions in the other locales) go through translationsRegister with the digests read after the
   primary writes; a created collection's translations follow its creation.
Each field is recorded 'pending' before its write and given its result after. A change already sent for the same
decision is not sent again. Without a store, Shopify's product CSV cannot carry collections: the approved changes go
into exports/collections_changes_<run>.csv (what to enter where in Shopify admin), recorded as 'exported'.

Rollback restores what a push wrote where the store still holds it: fields and handle back (the redirect deleted),
translations re-registered or removed (one that did not exist before), created collections deleted
(collectionDelete, which takes their translations with them). Offline, it lists the old values to enter again.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.core import collections as coll
from pipeline.core.spreadsheet import safe_cell
from pipeline.shopify.protocol import Connector
from pipeline.stages.push.plan import Listing, short
from pipeline.state import collection_decisions as cd
from pipeline.state.collection_decisions import CollectionDecision, CollectionEntry, CollectionRow
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace, atomic_path

TRANSLATION_KEYS = {"description": "body_html", "seo_title": "meta_title", "seo_description": "meta_description"}
UPDATE_FIELDS = ("description", "seo_title", "seo_description", "handle")
FILE_COLUMNS = ("collection_handle", "change", "locale", "field", "before", "after", "admin_path")
FILE_HEAD = (
    "# Collection changes approved in review, to enter by hand in Shopify admin.",
    "# Shopify's product CSV import cannot carry collections (it has no collection columns), so this file is not",
    "# imported: open each collection at its admin path (Products > Collections) and enter the `after` value.",
    "# change 'create': a new smart collection (Products > Collections > Create collection, conditions = rule);",
    "# leave it unpublished until its page is ready. Field 'handle': the URL handle under 'Search engine listing'",
    "# (tick 'Create a URL redirect'). Another locale: Settings > Languages > Translate, or Translate & Adapt.",
)
CHANGE_FIELDS = ("title", "handle", "rule", "description", "seo_title", "seo_description")


def changes_path(workspace: Workspace, run_id: int, *, rollback: bool = False) -> Path:
    return workspace.exports / f"collections_{'rollback' if rollback else 'changes'}_{run_id}.csv"


def admin_path(collection_id: str) -> str:
    return f"/admin/collections/{collection_id.rsplit('/', 1)[-1]}" if collection_id else "/admin/collections/new"


@dataclass
class CollectionReport:
    """What push or rollback did to collections, for its summary."""

    verb: str  # 'push' or 'rollback'
    dry_run: bool = False
    counts: Counter[str] = field(default_factory=Counter)
    collections: set[str] = field(default_factory=set)
    export_path: Path | None = None
    earlier_export: Path | None = None
    listings: dict[str, Listing] = field(default_factory=dict)
    planned: list[str] = field(default_factory=list)

    def listing(self, name: str, title: str) -> Listing:
        return self.listings.setdefault(name, Listing(title, more="see collection_ledger in state.db"))

    @property
    def anything(self) -> bool:
        return bool(self.counts or self.planned or self.listings)

    def lines(self) -> list[str]:
        if not self.anything:
            return []
        c = self.counts
        if self.verb == "push":
            verb = "would write" if self.dry_run else "exported" if self.export_path or c["exported"] else "wrote"
            head = (f"  collections{' (dry run)' if self.dry_run else ''}: approved {c['approved']:,}; {verb} "
                    f"{len(self.collections):,} "
                    f"collections ({c['fields']:,} fields, {c['translations']:,} translations), created "
                    f"{c['created']:,} (unpublished), redirects {c['redirects']:,}; failed {c['failed']:,}, conflicts "
                    f"{c['conflict']:,} (back in review), already pushed {c['already']:,}, already on the store "
                    f"{c['holds']:,}, stale decisions {c['stale']:,} (copy written again since: review again)")
        else:
            head = (f"  collections{' (dry run)' if self.dry_run else ''}: "
                    f"{'would restore (below)' if self.dry_run else 'restored'} "
                    f"{len(self.collections):,} collections ({c['fields']:,} fields, {c['translations']:,} "
                    f"translations), deleted {c['deleted']:,} created collections and {c['redirects_deleted']:,} "
                    f"redirects; left alone {c['left_alone']:,} (changed since the push), already restored "
                    f"{c['already']:,}, failed {c['failed']:,}")
        if c["recovered"] or c["not_applied"]:
            head += (f"; writes of interrupted runs settled: {c['recovered']:,} applied, {c['not_applied']:,} not "
                     "applied")
        lines = [head, *self.planned[:200]]
        if self.export_path:
            lines.append(f"  wrote {self.export_path} (collections: enter these by hand in Shopify admin; the "
                         "product CSV cannot carry them)")
        if self.earlier_export:
            lines.append(f"  the approved collection changes are already in {self.earlier_export}")
        for listing in self.listings.values():
            lines += listing.render()
        return lines


# -- what is approved ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Approved:
    decision: CollectionDecision
    pulled: dict[str, str | None]  # the store's values as pulled (None: no translation); {} for a new collection

    @property
    def handle(self) -> str:
        return self.decision.collection_handle


def approved_collection_changes(workspace: Workspace, state: StateStore, primary_locale: str,
                                report: CollectionReport) -> list[Approved]:
    """The approving decisions on the drafts still current, creations first; counts the stale ones."""
    decisions = [d for d in cd.collection_decisions(state).values() if d.approves]
    path = workspace.root / "collection_drafts.parquet"
    if not decisions:
        return []
    drafts = {(r["collection_handle"], r["locale"]): r for r in pq.read_table(path).to_pylist()} \
        if path.exists() else {}
    current = {r["handle"]: r for r in coll.read_collections(workspace)}
    pulled = {r["handle"]: r for r in coll.stored_rows(workspace) if r.get("id")}
    out = []
    for made in decisions:
        draft = drafts.get(made.key)
        if draft is None or cd.fingerprint_for(draft, current.get(made.collection_handle),
                                               primary_locale) != made.draft_hash:
            report.counts["stale"] += 1
            report.listing("stale", "collection decisions on copy written again since (review them again)").add(
                f"{made.collection_handle} [{made.locale}]")
            continue
        store = pulled.get(made.collection_handle)
        values: dict[str, str | None] = {}
        if store is not None and made.locale == primary_locale:
            values = {name: str(store.get(name) or "") for name in UPDATE_FIELDS}
        elif store is not None:
            found = {t["key"]: t.get("value") for t in store.get("translations") or [] if t["locale"] == made.locale}
            values = {name: found.get(key) for name, key in TRANSLATION_KEYS.items()}
        out.append(Approved(made, values))
    report.counts["approved"] = len(out)
    return sorted(out, key=lambda a: (a.decision.change != "create", a.decision.locale != primary_locale,
                                      a.handle, a.decision.locale))


class _History:
    """The collection ledger rows at one target, by (collection handle, locale, field), oldest first."""

    def __init__(self, rows: Sequence[CollectionRow]):
        self.rows: dict[tuple[str, str, str], list[CollectionRow]] = defaultdict(list)
        for row in rows:
            self.rows[row.key].append(row)

    def done(self, key: tuple[str, str, str], after: str | None, decided_at: str) -> bool:
        return any(r.status in cd.DONE and r.after == after and r.decided_at == decided_at for r in self.rows[key])

    def expected(self, key: tuple[str, str, str], pulled: str | None, last_pull_run: int) -> str | None:
        written = [r for r in self.rows[key] if r.status == "ok" and r.run_id > last_pull_run]
        return written[-1].after if written else pulled

    def created_id(self, handle: str, locale: str) -> str:
        """The id of the collection a push created for this proposal (and no rollback deleted), else ""."""
        made = [r for r in self.rows[(handle, locale, "create")] if r.status == "ok" and r.collection_id]
        return made[-1].collection_id if made and made[-1].rolled_back_by is None and made[-1].after else ""


# -- writes a killed run left pending -----------------------------------------------------------------------------
NOT_APPLIED = "interrupted before the write was confirmed; not applied: the store holds another value"


def settle_interrupted(state: StateStore, connector: Connector, target: str, run_id: int, primary_locale: str,
                       report: CollectionReport) -> None:
    """Settle the rows killed runs left pending by what the store holds: 'ok' where it holds the row's value (so
    rollback undoes it and push does not send it again), 'failed' otherwise. A creation cannot be looked up by what
    it meant to write, so it is reported: Shopify admin may show that collection (unpublished)."""
    from pipeline.shopify.collection_mutations import read_collections
    from pipeline.shopify.push_support import translation_states

    rows = cd.interrupted_rows(state, target, other_than=run_id)
    if not rows:
        return
    snapshots = read_collections(connector.client, [r.collection_id for r in rows])
    translated: dict[str, dict[str, Any]] = {}
    for locale in {r.locale for r in rows if r.locale != primary_locale}:
        translated[locale] = translation_states(connector.client, list({r.collection_id for r in rows
                                                                        if r.locale == locale}), locale)
    settled = []
    for row in rows:
        entry = CollectionEntry(row.collection_handle, row.collection_id, row.locale, row.field, row.before,
                                row.after, row.decided_at, row_id=row.id)
        if row.field == "create":
            gone = row.after is None and row.collection_id not in snapshots  # a rollback's delete that went through
            entry.status, entry.errors = ("ok", []) if gone else ("failed", [
                f"interrupted before Shopify confirmed it; if Shopify admin shows /collections/{row.collection_handle}"
                " (unpublished), a killed push made it: delete it there, or keep it"])
        else:
            snapshot = snapshots.get(row.collection_id)
            if row.locale == primary_locale:
                current = snapshot.value_of(row.field) if snapshot is not None else None
            else:
                found = translated.get(row.locale, {}).get(row.collection_id)
                current = found.values.get(TRANSLATION_KEYS[row.field]) if found is not None else None
            applied = snapshot is not None and current == row.after
            entry.status, entry.errors = ("ok", []) if applied else ("failed", [NOT_APPLIED])
        report.counts["recovered" if entry.status == "ok" else "not_applied"] += 1
        settled.append(entry)
    cd.settle_entries(state, settled)


# -- push -----------------------------------------------------------------------------------------------------------
def push_collections(workspace: Workspace, state: StateStore, *, run_id: int, target: str, primary_locale: str,
                     last_pull_run: int, connector: Connector | None, dry_run: bool) -> CollectionReport:
    """Send the approved collection changes to the store (or, with no connector, to the changes file)."""
    report = CollectionReport("push", dry_run=dry_run)
    changes = approved_collection_changes(workspace, state, primary_locale, report)
    if not changes:
        return report
    if connector is not None and not dry_run:
        settle_interrupted(state, connector, target, run_id, primary_locale, report)
    history = _History(cd.rows_at(state, target))
    if connector is None:
        _to_file(workspace, state, changes, history, run_id, target, primary_locale, report)
    else:
        _CollectionPush(state, connector, run_id, target, primary_locale, last_pull_run, history, report).run(changes)
    return report


def _fields(change: Approved, primary_locale: str) -> dict[str, str]:
    """The fields an approval writes: a creation's everything, an update's copy (and a changed handle)."""
    made = change.decision
    if made.locale != primary_locale:
        return {n: v for n, v in made.fields.items() if n in TRANSLATION_KEYS}
    if made.change == "create":
        return dict(made.fields)
    return {n: v for n, v in made.fields.items() if n in UPDATE_FIELDS}


class _CollectionPush:
    def __init__(self, state: StateStore, connector: Connector, run_id: int, target: str, primary_locale: str,
                 last_pull_run: int, history: _History, report: CollectionReport):
        self.state, self.connector, self.run_id, self.target = state, connector, run_id, target
        self.primary, self.last_pull_run, self.history, self.report = primary_locale, last_pull_run, history, report

    def run(self, changes: Sequence[Approved]) -> None:
        for change in changes:
            if change.decision.locale == self.primary and change.decision.change == "create":
                self._create(change)
        updates = [c for c in changes if c.decision.locale == self.primary and c.decision.change == "update"]
        if updates:
            self._updates(updates)
        by_locale: dict[str, list[Approved]] = defaultdict(list)
        for change in changes:
            if change.decision.locale != self.primary:
                by_locale[change.decision.locale].append(change)
        for locale, items in by_locale.items():
            self._translations(locale, items)

    def _record(self, entries: Sequence[CollectionEntry]) -> None:
        if not self.report.dry_run:
            cd.record_entries(self.state, self.run_id, self.target, entries)

    def _settle(self, entries: Sequence[CollectionEntry]) -> None:
        if not self.report.dry_run:
            cd.settle_entries(self.state, entries)

    def _refuse(self, entries: Sequence[CollectionEntry], status: str, reason: str) -> None:
        for entry in entries:
            entry.status, entry.errors = status, [reason]
            self.report.counts[status] += 1
        self._record(entries)
        if entries:
            e = entries[0]
            name = "conflict" if status == "conflict" else "failed"
            self.report.listing(name, "collection conflicts (back in review)" if status == "conflict" else
                                "collection changes failed").add(f"{e.collection_handle} [{e.locale}]: {reason}")
            if status == "conflict" and not self.report.dry_run:
                cd.reopen_collection_decision(self.state, e.collection_handle, e.locale)

    def _plan(self, entries: Sequence[CollectionEntry]) -> None:
        for e in entries:
            self.report.planned.append(f"  {e.collection_handle} [{e.locale}] {e.field}: {short(e.before)} -> "
                                       f"{short(e.after)}")

    def _create(self, change: Approved) -> None:
        made = change.decision
        key = (made.collection_handle, made.locale, "create")
        after = json.dumps(made.fields, ensure_ascii=False, sort_keys=True)
        if self.history.done(key, after, made.decided_at):
            self.report.counts["already"] += 1
            return
        entry = CollectionEntry(made.collection_handle, "", made.locale, "create", None, after, made.decided_at)
        if self.report.dry_run:
            self._plan([entry])
            self.report.counts["created"] += 1
            return
        self._record([entry])
        copy = {n: v for n, v in made.fields.items() if n in TRANSLATION_KEYS}
        from pipeline.shopify.collection_mutations import create_collection

        written = create_collection(self.connector.client, made.fields.get("title", ""),
                                    made.fields.get("handle", made.collection_handle), made.fields.get("rule", ""),
                                    copy)
        entry.status, entry.errors, entry.collection_id = ("ok" if written.ok else "failed"), written.errors, \
            written.collection_id
        self._settle([entry])
        if not written.ok:
            self.report.counts["failed"] += 1
            self.report.listing("failed", "collection changes failed").add(
                f"{made.collection_handle}: not created: {'; '.join(written.errors)}")
            return
        self.history.rows[key].append(CollectionRow(entry.row_id or 0, self.run_id, self.target,
                                                    made.collection_handle, written.collection_id, made.locale,
                                                    "create", None, after, made.decided_at, "ok", (), None, None))
        self.report.counts["created"] += 1
        self.report.collections.add(made.collection_handle)
        wanted = made.fields.get("handle", made.collection_handle)
        if written.handle and written.handle != wanted:
            self.report.listing("renamed", "collections Shopify gave another handle").add(
                f"{wanted} -> {written.handle} (a collection with that handle exists)")

    def _updates(self, changes: Sequence[Approved]) -> None:
        from pipeline.shopify.collection_mutations import read_collections, update_collection

        now = read_collections(self.connector.client, [c.decision.collection_id for c in changes])
        for change in changes:
            made = change.decision
            snapshot = now.get(made.collection_id)
            entries = [CollectionEntry(made.collection_handle, made.collection_id, made.locale, name,
                                       change.pulled.get(name), value, made.decided_at)
                       for name, value in _fields(change, self.primary).items()
                       if not self.history.done((made.collection_handle, made.locale, name), value, made.decided_at)]
            self.report.counts["already"] += len(_fields(change, self.primary)) - len(entries)
            if not entries:
                continue
            if snapshot is None:
                self._refuse(entries, "failed", "the collection no longer exists on the store")
                continue
            writes, conflicts = [], []
            for entry in entries:
                current = snapshot.value_of(entry.field)
                expected = self.history.expected((made.collection_handle, made.locale, entry.field),
                                                 change.pulled.get(entry.field), self.last_pull_run)
                if current == entry.after:
                    self.report.counts["holds"] += 1
                elif current != expected:
                    conflicts.append(f"{entry.field}: expected {short(expected, 40)}, found {short(current, 40)}")
                else:
                    entry.before = current
                    writes.append(entry)
            if conflicts:  # the approval is one unit: nothing of it goes out when the store copy moved
                self._refuse(entries, "conflict", "edited on the store since the pull: "
                             + "; ".join(conflicts))
                continue
            if not writes:
                continue
            if self.report.dry_run:
                self._plan(writes)
                self._count(writes)
                continue
            self._record(writes)
            written = update_collection(self.connector.client, made.collection_id,
                                        {e.field: e.after or "" for e in writes})
            for entry in writes:
                entry.status, entry.errors = ("ok" if written.ok else "failed"), written.errors
            self._settle(writes)
            if not written.ok:
                self.report.counts["failed"] += len(writes)
                self.report.listing("failed", "collection changes failed").add(
                    f"{made.collection_handle}: {'; '.join(written.errors)}")
                continue
            self._count(writes)
            for entry in writes:
                if entry.field == "handle" and entry.before and entry.after and entry.before != entry.after:
                    self._redirect(entry)

    def _redirect(self, entry: CollectionEntry) -> None:
        from pipeline.shopify.collection_mutations import collection_path

        old, new = collection_path(entry.before or ""), collection_path(entry.after or "")
        made = self.connector.create_redirect(old, new)
        if made.ok and made.redirect_id:
            cd.set_redirect(self.state, entry.row_id or 0, made.redirect_id)
            self.report.counts["redirects"] += 1
        else:
            self.report.listing("redirect", "collection redirects not created").add(
                f"{entry.collection_handle}: {old} -> {new}: {'; '.join(made.errors)}")

    def _count(self, entries: Sequence[CollectionEntry]) -> None:
        for entry in entries:
            self.report.collections.add(entry.collection_handle)
            self.report.counts["fields" if entry.locale == self.primary else "translations"] += 1

    def _translations(self, locale: str, changes: Sequence[Approved]) -> None:
        from pipeline.shopify.mutations import TranslationWrite
        from pipeline.shopify.push_support import translation_states

        ids: dict[str, str] = {}
        for change in changes:
            made = change.decision
            ids[made.collection_handle] = made.collection_id or self.history.created_id(made.collection_handle,
                                                                                         self.primary)
        states = translation_states(self.connector.client, [i for i in ids.values() if i], locale)
        requests: dict[str, list[TranslationWrite]] = {}
        pending: dict[str, list[CollectionEntry]] = {}
        for change in changes:
            made = change.decision
            collection_id = ids[made.collection_handle]
            fields = _fields(change, self.primary)
            entries = [CollectionEntry(made.collection_handle, collection_id, locale, name, change.pulled.get(name),
                                       value, made.decided_at) for name, value in fields.items()
                       if not self.history.done((made.collection_handle, locale, name), value, made.decided_at)]
            self.report.counts["already"] += len(fields) - len(entries)
            if not entries:
                continue
            if not collection_id or collection_id not in states:
                reason = ("the collection is not created yet: approve and push its creation first" if not
                          made.collection_id else "the collection no longer exists on the store")
                if not collection_id:  # nothing to record against: it waits for its creation
                    self.report.listing("waiting", "collection translations waiting for their collection").add(
                        f"{made.collection_handle} [{locale}]: {reason}")
                    continue
                self._refuse(entries, "failed", reason)
                continue
            state = states[collection_id]
            writes, conflicts, missing = [], [], []
            for entry in entries:
                key = TRANSLATION_KEYS[entry.field]
                current = state.values.get(key)
                expected = self.history.expected((made.collection_handle, locale, entry.field),
                                                 change.pulled.get(entry.field), self.last_pull_run)
                if current == entry.after:
                    self.report.counts["holds"] += 1
                elif current != expected:
                    conflicts.append(f"{entry.field}: expected {short(expected, 40)}, found {short(current, 40)}")
                elif not state.digests.get(key) and not self.report.dry_run:  # (a dry run writes no primary text)
                    missing.append(entry)
                else:
                    entry.before = current
                    writes.append(entry)
            if conflicts:
                self._refuse(entries, "conflict", "translation edited on the store since the pull: "
                             + "; ".join(conflicts))
                continue
            if missing:
                self._refuse(missing, "failed", "the collection has no text in the primary language to translate")
            if not writes:
                continue
            if self.report.dry_run:
                self._plan(writes)
                self._count(writes)
                continue
            self._record(writes)
            requests[collection_id] = [TranslationWrite(locale, TRANSLATION_KEYS[e.field], e.after or "",
                                                        state.digests[TRANSLATION_KEYS[e.field]]) for e in writes]
            pending[collection_id] = writes
        if not requests:
            return
        results = self.connector.register_translations_many(requests, mode="single")
        for collection_id, result in zip(requests, results, strict=True):
            writes = pending[collection_id]
            for entry in writes:
                entry.status, entry.errors = ("ok" if result.ok else "failed"), result.errors
            self._settle(writes)
            if result.ok:
                self._count(writes)
            else:
                self.report.counts["failed"] += len(writes)
                self.report.listing("failed", "collection changes failed").add(
                    f"{writes[0].collection_handle} [{locale}]: {'; '.join(result.errors)}")


# -- offline: the changes file ------------------------------------------------------------------------------------
def _to_file(workspace: Workspace, state: StateStore, changes: Sequence[Approved], history: _History, run_id: int,
             target: str, primary_locale: str, report: CollectionReport) -> None:
    entries: list[CollectionEntry] = []
    already = 0
    for change in changes:
        made = change.decision
        fields = _fields(change, primary_locale)
        if made.change == "create" and made.locale == primary_locale:
            after = json.dumps(made.fields, ensure_ascii=False, sort_keys=True)
            if history.done((made.collection_handle, made.locale, "create"), after, made.decided_at):
                already += 1
                continue
            entries.append(CollectionEntry(made.collection_handle, "", made.locale, "create", None, after,
                                           made.decided_at))
            continue
        for name, value in fields.items():
            if history.done((made.collection_handle, made.locale, name), value, made.decided_at):
                already += 1
            elif change.pulled.get(name) != value or made.change == "create":
                entries.append(CollectionEntry(made.collection_handle, made.collection_id, made.locale, name,
                                               change.pulled.get(name), value, made.decided_at))
            else:
                report.counts["holds"] += 1
    report.counts["already"] += already
    if already and not entries:
        earlier = [cd.export_path_of(state, r.run_id) for rows in history.rows.values() for r in rows
                   if r.status == "exported"]
        found = [p for p in earlier if p]
        report.earlier_export = Path(found[-1]) if found else None
    if not entries:
        return
    lines = [line for e in entries for line in _file_lines(e, primary_locale)]
    if report.dry_run:
        report.planned += [f"  {r[0]} [{r[2]}] {r[3]}: {short(r[4])} -> {short(r[5])}" for r in lines]
        report.counts["fields"] += len(entries)
        return
    for entry in entries:
        entry.status = "exported"
    cd.record_entries(state, run_id, target, entries)
    destination = changes_path(workspace, run_id)
    _write_changes(destination, lines)
    cd.set_export_path(state, run_id, str(destination))
    report.export_path = destination
    report.counts["exported"] += len(entries)
    for entry in entries:
        report.collections.add(entry.collection_handle)
        report.counts["created" if entry.field == "create" else
                      "fields" if entry.locale == primary_locale else "translations"] += 1


def _file_lines(entry: CollectionEntry, primary_locale: str, *, undo: bool = False) -> list[tuple[str, ...]]:
    """One line per field; a creation as its fields ('create'), undone as 'delete'; a new collection's
    translations ('translate') to enter once it exists."""
    if entry.field == "create":
        values = json.loads((entry.before if undo else entry.after) or "{}")
        change = "delete" if undo else "create"
        return [(entry.collection_handle, change, entry.locale, name, "" if not undo else values.get(name, ""),
                 "" if undo else values.get(name, ""), admin_path(entry.collection_id))
                for name in CHANGE_FIELDS if name in values]
    change = "update" if entry.collection_id or entry.locale == primary_locale else "translate"
    where = admin_path(entry.collection_id) if entry.collection_id else "(the collection created above)"
    return [(entry.collection_handle, change, entry.locale, entry.field, entry.before or "", entry.after or "",
             where)]


def _write_changes(destination: Path, lines: Sequence[Sequence[str]]) -> None:
    with atomic_path(destination) as tmp, open(tmp, "w", encoding="utf-8", newline="") as handle:
        handle.write("\n".join(FILE_HEAD) + "\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(FILE_COLUMNS)
        writer.writerows([[safe_cell(v) for v in line] for line in lines])


def read_changes(path: Path) -> list[dict[str, str]]:
    """The rows of a changes file (its comment lines skipped), for checks and tests."""
    with open(path, encoding="utf-8", newline="") as handle:
        body = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(body))


# -- rollback -------------------------------------------------------------------------------------------------------
def undoable_run(state: StateStore) -> int | None:
    return cd.latest_undoable_run(state)


def rollback_collections(workspace: Workspace, state: StateStore, *, undoes: int, run_id: int, target: str,
                         primary_locale: str, connector: Connector | None, dry_run: bool) -> CollectionReport:
    """Undo push run `undoes`'s collection writes (see the module docstring)."""
    report = CollectionReport("rollback", dry_run=dry_run)
    if connector is not None and not dry_run:
        settle_interrupted(state, connector, target, run_id, primary_locale, report)
    rows = cd.undoable_rows(state, undoes)
    if not rows:
        return report
    if connector is None:
        _undo_file(workspace, state, rows, run_id, target, primary_locale, report)
    else:
        _Undo(state, connector, run_id, target, primary_locale, report).run(rows)
    return report


def _undo_file(workspace: Workspace, state: StateStore, rows: Sequence[CollectionRow], run_id: int, target: str,
               primary_locale: str, report: CollectionReport) -> None:
    created = {r.collection_handle for r in rows if r.field == "create"}  # deleting one undoes its translations
    entries = [CollectionEntry(r.collection_handle, r.collection_id, r.locale, r.field, r.after, r.before,
                               r.decided_at, status="exported", undoes_row=r.id) for r in rows
               if r.field == "create" or r.collection_handle not in created]
    lines = [line for e in entries for line in _file_lines(e, primary_locale, undo=e.field == "create")]
    if report.dry_run:
        report.planned += [f"  {r[0]} [{r[2]}] {r[3]}: {short(r[4])} -> {short(r[5])}" for r in lines]
        return
    cd.record_entries(state, run_id, target, entries)
    destination = changes_path(workspace, run_id, rollback=True)
    _write_changes(destination, lines)
    cd.set_export_path(state, run_id, str(destination))
    cd.mark_rolled_back(state, [r.id for r in rows], run_id)
    report.export_path = destination
    for entry in entries:
        report.collections.add(entry.collection_handle)
        report.counts["deleted" if entry.field == "create" else
                      "fields" if entry.locale == primary_locale else "translations"] += 1


class _Undo:
    def __init__(self, state: StateStore, connector: Connector, run_id: int, target: str, primary_locale: str,
                 report: CollectionReport):
        self.state, self.connector, self.run_id, self.target = state, connector, run_id, target
        self.primary, self.report = primary_locale, report

    def run(self, rows: Sequence[CollectionRow]) -> None:
        created = {r.collection_id for r in rows if r.field == "create"}
        # a created collection's translations go with it: deleting it undoes them
        translations = [r for r in rows if r.locale != self.primary and r.field != "create"
                        and r.collection_id not in created]
        updates = [r for r in rows if r.locale == self.primary and r.field != "create"]
        by_locale: dict[str, list[CollectionRow]] = defaultdict(list)
        for row in translations:
            by_locale[row.locale].append(row)
        if updates:  # first: a translation is registered against the digest of the primary text it translates
            self._updates(updates)
        for locale, items in by_locale.items():
            self._translations(locale, items)
        for row in rows:
            if row.field == "create":
                self._delete(row, [r for r in rows if r.collection_id == row.collection_id and r.field != "create"])

    def _decide(self, rows: Sequence[CollectionRow], now: Mapping[tuple[str, str], str | None]
                ) -> tuple[list[CollectionEntry], list[CollectionRow]]:
        """(restores, rows already holding their old value); rows changed since are left alone and listed."""
        restores, already = [], []
        for row in rows:
            current = now.get((row.collection_id, row.field))
            if current == row.after:
                restores.append(CollectionEntry(row.collection_handle, row.collection_id, row.locale, row.field,
                                                row.after, row.before, row.decided_at, undoes_row=row.id))
            elif current == row.before:
                already.append(row)
                self.report.counts["already"] += 1
            else:
                self.report.counts["left_alone"] += 1
                self.report.listing("left", "left alone: changed on the store since the push").add(
                    f"{row.collection_handle} [{row.locale}] {row.field}: pushed {short(row.after, 40)}, now "
                    f"{short(current, 40)}")
        if self.report.dry_run:
            self.report.planned += [f"  {e.collection_handle} [{e.locale}] {e.field}: {short(e.before)} -> "
                                    f"{short(e.after)}" for e in restores]
        return restores, already

    def _finish(self, done: Sequence[CollectionEntry], already: Sequence[CollectionRow]) -> None:
        if self.report.dry_run:
            return
        cd.mark_rolled_back(self.state, [e.undoes_row for e in done if e.undoes_row is not None and e.status == "ok"]
                            + [r.id for r in already], self.run_id)

    def _written(self, entries: Sequence[CollectionEntry], ok: bool, errors: Sequence[str]) -> None:
        for entry in entries:
            entry.status, entry.errors = ("ok" if ok else "failed"), list(errors)
            if ok:
                self.report.collections.add(entry.collection_handle)
                self.report.counts["fields" if entry.locale == self.primary else "translations"] += 1
        cd.settle_entries(self.state, entries)
        if not ok:
            self.report.counts["failed"] += len(entries)
            self.report.listing("failed", "collection restores failed").add(
                f"{entries[0].collection_handle} [{entries[0].locale}]: {'; '.join(errors)}")

    def _updates(self, rows: Sequence[CollectionRow]) -> None:
        from pipeline.shopify.collection_mutations import read_collections, update_collection
        from pipeline.shopify.push_support import delete_redirect

        snapshots = read_collections(self.connector.client, [r.collection_id for r in rows])
        now = {(cid, name): s.value_of(name) for cid, s in snapshots.items() for name in UPDATE_FIELDS}
        restores, already = self._decide(rows, now)
        if self.report.dry_run:
            return
        originals = {r.id: r for r in rows}
        groups: dict[str, list[CollectionEntry]] = defaultdict(list)
        for entry in restores:
            groups[entry.collection_id].append(entry)
        for collection_id, group in groups.items():
            cd.record_entries(self.state, self.run_id, self.target, group)
            written = update_collection(self.connector.client, collection_id, {e.field: e.after or "" for e in group})
            self._written(group, written.ok, written.errors)
        for row in [originals[e.undoes_row] for e in restores if e.status == "ok" and e.undoes_row] + list(already):
            if row.field == "handle" and row.redirect_id:
                deleted = delete_redirect(self.connector.client, row.redirect_id)
                if deleted.ok:
                    self.report.counts["redirects_deleted"] += 1
                else:
                    self.report.listing("redirect", "collection redirects not deleted").add(
                        f"{row.collection_handle}: {row.redirect_id}: {'; '.join(deleted.errors)}")
        self._finish(restores, already)

    def _translations(self, locale: str, rows: Sequence[CollectionRow]) -> None:
        from pipeline.shopify.mutations import TranslationWrite
        from pipeline.shopify.push_support import translation_states

        def values() -> dict[str, Any]:
            return translation_states(self.connector.client, list({r.collection_id for r in rows}), locale)

        states = values()
        now = {(cid, name): s.values.get(key) for cid, s in states.items() for name, key in TRANSLATION_KEYS.items()}
        restores, already = self._decide(rows, now)
        if self.report.dry_run or not restores:
            self._finish([], already)
            return
        cd.record_entries(self.state, self.run_id, self.target, restores)
        groups: dict[str, list[CollectionEntry]] = defaultdict(list)
        for entry in restores:
            groups[entry.collection_id].append(entry)
        for collection_id, group in groups.items():
            removed = [e for e in group if e.after is None]
            kept = [e for e in group if e.after is not None]
            if removed:
                data = self.connector.client.run("translations_remove", {
                    "resourceId": collection_id, "locales": [locale],
                    "translationKeys": [TRANSLATION_KEYS[e.field] for e in removed]})
                from pipeline.shopify.mutations import user_error_lines

                errors = user_error_lines((data.get("translationsRemove") or {}).get("userErrors"))
                self._written(removed, not errors, errors)
            if kept:
                digests = states[collection_id].digests
                result = self.connector.register_translations_many({collection_id: [
                    TranslationWrite(locale, TRANSLATION_KEYS[e.field], e.after or "",
                                     digests.get(TRANSLATION_KEYS[e.field], "")) for e in kept]}, mode="single")[0]
                self._written(kept, result.ok, result.errors)
        self._finish(restores, already)

    def _delete(self, row: CollectionRow, children: Sequence[CollectionRow]) -> None:
        from pipeline.shopify.collection_mutations import delete_collection, read_collections

        exists = bool(read_collections(self.connector.client, [row.collection_id]))
        if self.report.dry_run:
            if exists:
                self.report.planned.append(f"  {row.collection_handle}: delete the collection push created")
            return
        if not exists:
            self.report.counts["already"] += 1
            cd.mark_rolled_back(self.state, [row.id, *(r.id for r in children)], self.run_id)
            return
        entry = CollectionEntry(row.collection_handle, row.collection_id, row.locale, "create", row.after, None,
                                row.decided_at, undoes_row=row.id)
        cd.record_entries(self.state, self.run_id, self.target, [entry])
        deleted = delete_collection(self.connector.client, row.collection_id)
        entry.status, entry.errors = ("ok" if deleted.ok else "failed"), deleted.errors
        cd.settle_entries(self.state, [entry])
        if deleted.ok:
            self.report.counts["deleted"] += 1
            self.report.collections.add(row.collection_handle)
            cd.mark_rolled_back(self.state, [row.id, *(r.id for r in children)], self.run_id)
        else:
            self.report.counts["failed"] += 1
            self.report.listing("failed", "collection restores failed").add(
                f"{row.collection_handle}: not deleted: {'; '.join(deleted.errors)}")
