"""rollback: a push run's ledger rows -> the values they replaced, back on the store (or in an import CSV).

Only the fields that push changed, and only where the store still holds what push wrote there: a field someone
edited since is left alone and reported. Each restore is recorded in the ledger like a push ('pending' before the
write, the result after, then a read-back), the push's rows are marked `rolled_back_by`, and the redirects the
push created for changed handles are deleted once the old handle is back. A translation that did not exist
before the push is removed rather than emptied. Running it again after an interruption finishes the job: a field
already holding its old value counts as restored. Before choosing what to undo, the rows that killed runs left
pending at the store are settled by reading it (pipeline.stages.push.reconcile_interrupted), so a write a killed
push made is undone like any other; a redirect whose id a killed push did not record is found by its path. A
push that went to an import file (offline) is undone by a second import file with the old values:
exports/shopify_rollback_<run>.csv, and its translations by a translation import file with the old translations:
exports/shopify_translations_rollback_<run>.csv. A translation file cannot remove a translation (an empty
translated content is not imported), so a translation that did not exist before the push is reported, to be
deleted in Shopify admin, and its push row stays to undo.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.core.catalog import pulled_products
from pipeline.core.progress import Progress
from pipeline.errors import ConfigError, InputError
from pipeline.shopify import translations_csv as tcsv
from pipeline.shopify.protocol import Connector
from pipeline.stages.push import translation_file
from pipeline.stages.push.import_file import current_file_values, store_dialect, write_import_file
from pipeline.stages.push.plan import Listing, by_product, chunks, short, snapshot_values
from pipeline.state import ledger
from pipeline.state.ledger import CSV_TARGET, WRITERS, Entry, Outcome, Row
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace


@dataclass
class RollbackResult:
    run_id: int
    undoes: int
    target: str
    dry_run: bool
    counts: Counter[str] = field(default_factory=Counter)
    products: set[str] = field(default_factory=set)
    export_path: Path | None = None
    translation_path: Path | None = None
    translation_rows: int = 0
    listings: dict[str, Listing] = field(default_factory=dict)
    planned: list[str] = field(default_factory=list)
    seconds: float = 0.0
    collection_lines: list[str] = field(default_factory=list)  # what it did to collections (push/collections.py)

    def listing(self, name: str, title: str) -> Listing:
        return self.listings.setdefault(name, Listing(title))

    def summary(self) -> list[str]:
        c = self.counts
        where = "an import file" if self.target == CSV_TARGET else self.target.removeprefix("store:")
        if not self.undoes:
            return ["rollback: nothing to roll back (no push run has writes that are not rolled back yet)"]
        head = (f"rollback (dry run) of push run {self.undoes}: would restore" if self.dry_run else
                f"rollback: run {self.run_id} undid push run {self.undoes} on {where}: restored")
        recovered = (f"; writes of interrupted runs settled: {c['recovered']:,} applied, {c['not_applied']:,} not "
                     "applied" if c["recovered"] or c["not_applied"] else "")
        lines = [f"{head} {len(self.products):,} products ({c['fields']:,} fields, {c['translations']:,} "
                 f"translations), deleted {c['redirects_deleted']:,} redirects; left alone {c['left_alone']:,} "
                 f"(changed since the push); already restored {c['already']:,}; failed {c['failed']:,}, mismatches "
                 f"{c['mismatch']:,}{recovered}; {self.seconds:.1f} s", *self.collection_lines, *self.planned[:200]]
        if self.export_path:
            lines.append(f"  wrote {self.export_path} (Shopify admin > Products > Import, tick \"Overwrite products "
                         "with matching handles\")")
        if self.translation_path:
            lines.append(f"  wrote {self.translation_path} ({self.translation_rows:,} translation rows; "
                         f"{translation_file.IMPORT_HINT})")
        for listing in self.listings.values():
            lines += listing.render()
        return lines


def rollback(workspace: Workspace, state: StateStore, *, primary_locale: str, run: int | None = None,
             connector: Connector | None = None, dry_run: bool = False, chunk_size: int = 1000) -> RollbackResult:
    """Undo push run `run` (default: the latest one with writes not rolled back); see the module docstring."""
    started = time.monotonic()
    settled: Counter[str] = Counter()
    if not dry_run:  # a live push's pending rows are not a killed run's: settle nothing beside one
        state.ensure_not_running("rollback", WRITERS)
    if connector is not None and not dry_run:  # before choosing: a killed push's writes may be all it has
        from pipeline.stages.push.stage import reconcile_interrupted

        applied, missed = reconcile_interrupted(state, connector, ledger.store_target(connector.shop), primary_locale)
        settled.update(recovered=len(applied), not_applied=len(missed))
    from pipeline.stages.push.collections import rollback_collections, undoable_run

    undoes = run or max((r for r in (ledger.latest_undoable_push(state), undoable_run(state)) if r is not None),
                        default=None)
    if undoes is None:
        return RollbackResult(run_id=0, undoes=0, target="", dry_run=dry_run, counts=settled)
    info = ledger.push_run(state, undoes)
    if info is None or info["kind"] != "push":
        runs = ", ".join(str(r["run_id"]) for r in ledger.push_runs(state)) or "none yet"
        raise InputError(f"run {undoes} is not a push run (push runs: {runs}); choose one with RUN=ID")
    target = info["target"]
    if target != CSV_TARGET:
        if connector is None:
            raise ConfigError(f"push run {undoes} went to {target.removeprefix('store:')}; set SHOPIFY_STORE and its "
                              "credentials to roll it back")
        if ledger.store_target(connector.shop) != target:
            raise ConfigError(f"push run {undoes} went to {target.removeprefix('store:')}, but SHOPIFY_STORE is "
                              f"{connector.shop}")
    rows = [r for r in ledger.run_rows(state, undoes, ("ok", "mismatch", "exported")) if r.rolled_back_by is None]
    run_id = state.start_run("rollback", exclusive_of=() if dry_run else WRITERS)
    result = RollbackResult(run_id=run_id, undoes=undoes, target=target, dry_run=dry_run, counts=settled)
    try:
        if not dry_run:
            ledger.open_run(state, run_id, "rollback", target, undoes=undoes)
        undo = _Undo(workspace, state, result, connector, primary_locale)
        if target == CSV_TARGET:
            undo.to_file(rows)
        else:
            undo.to_store(rows, chunk_size)
        result.collection_lines = rollback_collections(
            workspace, state, undoes=undoes, run_id=run_id, target=target, primary_locale=primary_locale,
            connector=connector, dry_run=dry_run).lines()
        result.seconds = time.monotonic() - started
        state.finish_run(run_id, "ok", {**result.counts, "undoes": undoes, "dry_run": dry_run})
        return result
    except BaseException as exc:
        state.finish_run(run_id, "failed", {**result.counts, "undoes": undoes}, str(exc)[:500])
        raise


class _Undo:
    def __init__(self, workspace: Workspace, state: StateStore, result: RollbackResult, connector: Connector | None,
                 primary_locale: str):
        self.workspace, self.state, self.result, self.connector = workspace, state, result, connector
        self.primary_locale = primary_locale

    @property
    def store(self) -> Connector:
        """The connector, for the steps that only a rollback of a store push takes."""
        assert self.connector is not None, "undoing a store push needs a connector"
        return self.connector

    def decide(self, rows: Sequence[Row], now: Mapping[str, Mapping[str, str | None]] | None,
               history: ledger.History | None = None, *, offline: bool = False) -> tuple[list[Entry], list[Row]]:
        """(restores to write, rows already holding their old value); rows whose field changed since are reported.

        Offline, the export file stands in for the store, and it may not show an import that did happen: a field
        it shows with its old value is restored all the same (importing an old value again changes nothing)."""
        restores, already = [], []
        for row in rows:
            current = (now or {}).get(row.product_id, {}).get(row.field) if now is not None else row.holds
            for stale in history.interrupted(row.key, self.result.run_id) if history else []:
                if not self.result.dry_run:
                    ledger.settle(self.state, [Outcome(stale.id, "ok" if current == stale.after else "failed",
                                                       [] if current == stale.after else ["interrupted"],
                                                       read_back=current)])
            if current == row.holds or (offline and current == row.before):
                restores.append(Entry(row.product_id, row.handle, row.locale, row.field, before=row.holds,
                                      after=row.before, undoes_row=row.id))
            elif current == row.before:
                already.append(row)
                self.result.counts["already"] += 1
            else:
                self.result.counts["left_alone"] += 1
                self.result.listing("left", "left alone: changed on the store since the push").add(
                    f"{row.handle} [{row.locale}] {row.field}: pushed {short(row.holds, 40)}, now {short(current, 40)}")
                if not self.result.dry_run:
                    ledger.record(self.state, self.result.run_id, self.result.target, [Entry(
                        row.product_id, row.handle, row.locale, row.field, row.holds, row.before,
                        status="conflict", errors=["changed on the store since the push; left alone"],
                        read_back=current)])
        if self.result.dry_run:
            self.result.planned += [f"  {e.handle} [{e.locale}] {e.field}: {short(e.before)} -> {short(e.after)}"
                                    for e in restores]
            self._count(restores)
        return restores, already

    def _count(self, entries: Sequence[Entry]) -> None:
        for entry in entries:
            self.result.products.add(entry.product_id)
            self.result.counts["fields" if entry.locale == self.primary_locale else "translations"] += 1

    def finish(self, originals: Mapping[int, Row], done: Sequence[Entry], already: Sequence[Row]) -> None:
        """Mark the push rows undone; delete the redirects of handles that are back."""
        ids = [e.undoes_row for e in done if e.undoes_row is not None] + [r.id for r in already]
        for row_id in ids:
            row = originals[row_id]
            if row.field == "handle" and self.connector is not None:
                redirect_id = row.redirect_id or self._unrecorded_redirect(row)
                if redirect_id:
                    self._delete_redirect(row, redirect_id)
        ledger.mark_rolled_back(self.state, ids, self.result.run_id)

    def _unrecorded_redirect(self, row: Row) -> str | None:
        """The id of the redirect a push meant to create for this handle change and died before recording (found
        by its path, and ours only if it goes where we meant); None when there is none."""
        from pipeline.shopify.push_support import find_redirect

        if row.redirect_path is None or any(e.startswith("redirect: ") for e in row.errors):
            return None  # never attempted, or refused by Shopify: nothing of ours to find
        found = find_redirect(self.store.client, row.redirect_path)
        if found is None or found.target != row.redirect_target:
            return None
        ledger.set_redirect(self.state, row.id, found.id)
        return found.id

    def _delete_redirect(self, row: Row, redirect_id: str) -> None:
        from pipeline.shopify.push_support import delete_redirect

        deleted = delete_redirect(self.store.client, redirect_id)
        if deleted.ok:
            self.result.counts["redirects_deleted"] += 1
        else:
            self.result.listing("redirect", "redirects not deleted").add(
                f"{row.handle}: {redirect_id}: {'; '.join(deleted.errors)}")

    def settle(self, entries: Sequence[Entry], results: Mapping[str, Any]) -> list[Entry]:
        """Record each product's write result; return the entries written."""
        outcomes, written = [], []
        for entry in entries:
            outcome = results.get(entry.product_id)
            if outcome is not None and outcome.ok:
                written.append(entry)
                outcomes.append(Outcome(entry.row_id or 0, "ok", read_back=entry.after))
            else:
                errors = outcome.errors if outcome is not None else ["no result"]
                self.result.counts["failed"] += 1
                outcomes.append(Outcome(entry.row_id or 0, "failed", errors))
                self.result.listing("failed", "failed").add(f"{entry.handle} [{entry.locale}] {entry.field}: "
                                                            f"{'; '.join(errors)}")
        ledger.settle(self.state, outcomes)
        return written

    def read_back(self, written: Sequence[Entry], now: Mapping[str, Mapping[str, str | None]]) -> list[Entry]:
        """Check the store holds the old values again; return the entries that hold."""
        outcomes, holding = [], []
        for entry in written:
            value = now.get(entry.product_id, {}).get(entry.field)
            if value == entry.after:
                holding.append(entry)
                outcomes.append(Outcome(entry.row_id or 0, "ok", read_back=value))
            else:
                self.result.counts["mismatch"] += 1
                outcomes.append(Outcome(entry.row_id or 0, "mismatch", [f"read back {short(value, 60)}"],
                                        read_back=value))
                self.result.listing("mismatch", "not restored: the store holds something else").add(
                    f"{entry.handle} [{entry.locale}] {entry.field}: {short(value, 40)}")
        ledger.settle(self.state, outcomes)
        return holding

    # -- the store ----------------------------------------------------------------------------------------------
    def to_store(self, rows: Sequence[Row], chunk_size: int) -> None:
        originals = {r.id: r for r in rows}
        primary = [r for r in rows if r.locale == self.primary_locale]
        others: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            if row.locale != self.primary_locale:
                others[row.locale].append(row)
        progress = Progress("rollback", total=len(rows))
        for chunk in _product_chunks(primary, chunk_size):
            self._products(chunk, originals)
            progress.advance(len(chunk))
        for locale, items in others.items():
            for chunk in _product_chunks(items, chunk_size):
                self._translations(locale, chunk, originals)
                progress.advance(len(chunk))
        progress.close()

    def _products(self, rows: Sequence[Row], originals: Mapping[int, Row]) -> None:
        from pipeline.shopify.mutations import ProductUpdate

        ids = list(dict.fromkeys(r.product_id for r in rows))
        history = ledger.history(self.state, self.result.target, ids)
        restores, already = self.decide(rows, snapshot_values(self.store.read_products(ids)), history)
        if self.result.dry_run:
            return
        if restores:
            ledger.record(self.state, self.result.run_id, self.result.target, restores)
            groups = by_product(restores)
            results = self.store.update_products(
                [ProductUpdate(g[0].product_id, **{e.field: e.after for e in g}) for g in groups])
            written = self.settle(restores, {g[0].product_id: r for g, r in zip(groups, results, strict=True)})
            now = snapshot_values(self.store.read_products(list(dict.fromkeys(e.product_id for e in written))))
            restores = self.read_back(written, now)
            self._count(restores)
        self.finish(originals, restores, already)

    def _translations(self, locale: str, rows: Sequence[Row], originals: Mapping[int, Row]) -> None:
        from pipeline.shopify.mutations import TranslationWrite
        from pipeline.shopify.push_support import FIELD_KEYS, remove_translations, translation_states

        ids = list(dict.fromkeys(r.product_id for r in rows))

        def values() -> dict[str, dict[str, str | None]]:
            states = translation_states(self.store.client, ids, locale)
            return {pid: {f: s.value_of(f) for f in FIELD_KEYS} for pid, s in states.items()}

        history = ledger.history(self.state, self.result.target, ids)
        restores, already = self.decide(rows, values(), history)
        if self.result.dry_run:
            return
        if restores:
            ledger.record(self.state, self.result.run_id, self.result.target, restores)
            states = translation_states(self.store.client, ids, locale)
            results: dict[str, Any] = {}
            registers = defaultdict(list)
            for group in by_product(restores):
                pid = group[0].product_id
                removed = [e.field for e in group if e.after is None]
                if removed:
                    results[pid] = remove_translations(self.store.client, pid, locale, removed)
                kept = [TranslationWrite(locale, FIELD_KEYS[e.field], e.after, states[pid].digest_of(e.field) or "")
                        for e in group if e.after is not None]
                if kept:
                    registers[pid] = kept
            for outcome in self.store.register_translations_many(dict(registers)) if registers else []:
                earlier = results.get(outcome.product_id)
                results[outcome.product_id] = outcome if earlier is None or not earlier.ok else earlier
            written = self.settle(restores, results)
            restores = self.read_back(written, values())
            self._count(restores)
        self.finish(originals, restores, already)

    # -- offline: an import file with the old values ---------------------------------------------------------------
    def to_file(self, rows: Sequence[Row]) -> None:
        primary = [r for r in rows if r.locale == self.primary_locale]
        others = [r for r in rows if r.locale != self.primary_locale]
        if primary:
            self._products_to_file(primary)
        if others:
            self._translations_to_file(others)

    def _products_to_file(self, rows: Sequence[Row]) -> None:
        originals = {r.id: r for r in rows}
        source = self.state.get_meta("csv_path")
        from_file = self.state.get_meta("last_pull_source") == "csv" and source and Path(source).is_file()
        now = current_file_values(Path(source), {r.handle for r in rows}) if from_file and source else None
        pushed: dict[str, dict[str, str | None]] = defaultdict(dict)
        for row in rows:
            pushed[row.product_id][row.field] = row.holds
        restores, already = self.decide(
            rows, {r.product_id: now.get(r.handle, {}) for r in rows} if now is not None else None, offline=True)
        if self.result.dry_run or not restores:
            if not self.result.dry_run:
                self.finish(originals, [], already)
            return
        pulled = pulled_products(self.workspace.catalog, [e.product_id for e in restores])
        columns = {e.field for e in restores}
        products = []
        for group in by_product(restores):
            pid, handle = group[0].product_id, group[0].handle
            # what the store holds now in the columns this product does not restore: the file says so when we could
            # re-read it; otherwise our pushed values, and the pulled ones where the push did not write
            current = now.get(handle, {}) if now is not None else {**(pulled.get(pid) or {}), **pushed[pid]}
            values = {name: current.get(name) or "" for name in {"title", *columns}}
            products.append({"handle": handle, **values, **{e.field: e.after or "" for e in group}})
        ledger.record(self.state, self.result.run_id, CSV_TARGET, restores)
        destination = self.workspace.exports / f"shopify_rollback_{self.result.run_id}.csv"
        dialect, header = store_dialect(self.state)
        write_import_file(destination, dialect, header, products)
        ledger.settle(self.state, [Outcome(e.row_id or 0, "exported", read_back=e.after) for e in restores])
        ledger.set_export_path(self.state, self.result.run_id, str(destination))
        self.result.export_path = destination
        self._count(restores)
        self.finish(originals, restores, already)


    def _translations_to_file(self, rows: Sequence[Row]) -> None:
        """The old translations into a translation import file, where the export (read again while it is there)
        still holds what push wrote or the old value; one that did not exist before is reported, not written."""
        originals = {r.id: r for r in rows}
        found = translation_file.resources(self.workspace, [r.product_id for r in rows])
        source = translation_file.source_file(self.state)
        locales = sorted({r.locale for r in rows})
        now = translation_file.current_values(source, found, locales) if source else None
        restores: list[Entry] = []
        already: list[Row] = []
        for locale in locales:
            group = [r for r in rows if r.locale == locale]
            values = ({r.product_id: {f: now.get((r.product_id, locale, f), r.holds) for f in tcsv.FIELD_KEYS}
                       for r in group} if now is not None else None)
            done, kept = self.decide(group, values, offline=True)
            restores += done
            already += kept
        missing = [e for e in restores if e.after is None or e.product_id not in found]
        for entry in missing:
            restores.remove(entry)
            reason = ("it did not exist before the push, and a translation file cannot remove one: delete it in "
                      "Shopify admin (Translate & Adapt)" if entry.product_id in found else
                      "the product's Shopify id is not known (pull with the translation export)")
            entry.status, entry.errors = "failed", [reason]
            self.result.counts["failed"] += 1
            self.result.listing("translation_left", "translations not restored by the file").add(
                f"{entry.handle} [{entry.locale}] {entry.field}: {reason}")
        if self.result.dry_run:
            return
        if missing:
            ledger.record(self.state, self.result.run_id, CSV_TARGET, missing)
        if not restores:
            self.finish(originals, [], already)
            return
        pulled = pulled_products(self.workspace.catalog, [e.product_id for e in restores])
        ledger.record(self.state, self.result.run_id, CSV_TARGET, restores)
        out = [replace(found[e.product_id].row(e.locale, e.field, str((pulled.get(e.product_id) or {}).get(e.field)
                                                                      or "")), translated_content=e.after or "")
               for e in restores]
        destination = translation_file.export_path(self.workspace, self.result.run_id, rollback=True)
        self.result.translation_rows = tcsv.write_translation_file(destination, out,
                                                                   translation_file.header(self.state))
        ledger.settle(self.state, [Outcome(e.row_id or 0, "exported", read_back=e.after) for e in restores])
        self.result.translation_path = destination
        self._count(restores)
        self.finish(originals, restores, already)

def _product_chunks(rows: Sequence[Row], size: int) -> list[list[Row]]:
    """Rows in chunks of about `size` products, a product's rows never split."""
    by_id: dict[str, list[Row]] = {}
    for row in rows:
        by_id.setdefault(row.product_id, []).append(row)
    return [[r for group in part for r in group] for part in chunks(list(by_id.values()), size)]
