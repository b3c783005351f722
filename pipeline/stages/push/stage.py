"""push: approved review decisions (state.db) -> the store, or offline a Shopify import CSV; every write in the ledger.

Nothing is sent without an approval (`decisions.approved_changes`: approved or edited, on the current draft).
For each chunk of products (`[push] chunk_size`):
1. the fields about to be written are read from the store again and compared with what we expect there: the
   pulled value (catalog.parquet, translations.parquet) or the value we last wrote since the pull. A product
   edited meanwhile is skipped, recorded as a conflict, and its decision is reopened (back in the review queue);
   `updatedAt` is not used, since inventory changes move it too;
2. the ledger records each field's before and after as 'pending' (committed), then productUpdate writes them
   (one bulk mutation from `[shopify] bulk_threshold` products on), then the ledger records the result;
3. the products are read back, and a field that does not hold the approved value is reported as a mismatch;
4. each changed handle gets a URL redirect from the old path (urlRedirectCreate), recorded in the ledger as
   intended before it is created and its id kept after (rollback deletes it).
Translations (approvals in other locales) go after the product writes, through translationsRegister with the
digests read after them. A change already written for the same decision is not sent again. Accepted link
suggestions (review: one decision per link) are woven into the body_html each product sends, at a sentence that
mentions the target (pipeline/stages/links/weave.py): into the approved draft's body, or the pulled one when the
draft leaves it alone or is not approved; the body is then written, recorded and rolled back like any other field.
Before anything else,
the rows that killed runs left 'pending' are settled by reading the store (`reconcile_interrupted`): applied
where it holds exactly the value the row meant to write, not applied otherwise; so a push killed midway and run
again writes no product twice, and rollback undoes what the killed run did. A redirect a killed run may have
created without recording its id is looked up by its path and adopted rather than created twice. Without a
store (no SHOPIFY_STORE), the approved changes go into exports/shopify_import_<run>.csv (import_file.py),
recorded in the ledger as 'exported', and the approved translations into Shopify's translation import file,
exports/shopify_translations_<run>.csv (translation_file.py): only the rows we change, each the row of the
translation export that pull read, with the new translated content. A translation whose text in that export (read
again at push time, or a newer export given with --translations) is not what was pulled was edited in the store
since: it is reported as a conflict and its decision reopened, never overwritten.
"""

from __future__ import annotations

import csv
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.commands import command
from pipeline.config import Settings
from pipeline.core.catalog import PRODUCT_FIELDS, pulled_products
from pipeline.core.progress import Progress
from pipeline.core.spreadsheet import FORMULA_START, safe_cell
from pipeline.errors import ConfigError, InputError
from pipeline.shopify import translations_csv as tcsv
from pipeline.shopify.protocol import Connector
from pipeline.stages.links import WovenLinks, decided_at, weave_accepted_links
from pipeline.stages.push import translation_file
from pipeline.stages.push.import_file import FILE_FIELDS, current_file_values, store_dialect, write_import_file
from pipeline.stages.push.plan import (
    Listing,
    by_product,
    catalogue_sources,
    chunks,
    pulled_translations,
    short,
    snapshot_values,
)
from pipeline.state import ledger
from pipeline.state.decisions import ApprovedChange, approved_changes, reopen_decision
from pipeline.state.ledger import CSV_TARGET, WRITERS, Entry, History, Outcome, Row
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace, atomic_path

DRY_RUN_SHOWN = 200  # changes printed by --dry-run; all of them are in exports/push_dry_run.csv
# the pull that reads a store's translation export beside its product CSV, as seo-pipeline and make arguments
PULL_WITH_TRANSLATIONS = ("pull --csv products_export.csv --translations translations_export.csv",
                          "pull CSV=products_export.csv TRANSLATIONS=translations_export.csv")


@dataclass(frozen=True)
class PushOptions:
    primary_locale: str
    dry_run: bool = False
    chunk_size: int = 1000  # products re-read, written and read back together
    mode: str = "auto"      # the connector's write path: "auto" (bulk from its threshold), "single" or "bulk"
    locales: tuple[str, ...] = ()  # the shop's locales ([pipeline] locales)
    translations_path: Path | None = None  # offline: a newer translation export to check for edits made since

    @classmethod
    def from_settings(cls, settings: Settings, *, dry_run: bool = False,
                      translations_path: Path | None = None) -> PushOptions:
        size = settings.push.chunk_size
        if size < 1:
            raise ConfigError(f"{settings.config_path}: [push] chunk_size must be at least 1")
        return cls(primary_locale=settings.primary_locale, dry_run=dry_run, chunk_size=size,
                   locales=tuple(settings.locales), translations_path=translations_path)


@dataclass
class PushResult:
    run_id: int
    target: str
    dry_run: bool
    counts: Counter[str] = field(default_factory=Counter)
    products: set[str] = field(default_factory=set)  # products with at least one field written (or exported)
    export_path: Path | None = None
    translation_path: Path | None = None  # offline: Shopify's translation import file
    translation_rows: int = 0
    plan_path: Path | None = None
    listings: dict[str, Listing] = field(default_factory=dict)
    planned: list[str] = field(default_factory=list)  # dry run: one line per change
    seconds: float = 0.0
    approved: int = 0  # approved changes (product and locale) found, whether sent now or earlier
    already_by: Counter[int] = field(default_factory=Counter)  # earlier push run -> fields it already sent
    earlier_exports: list[tuple[int, Path]] = field(default_factory=list)  # import files holding those fields
    translations_already_by: Counter[int] = field(default_factory=Counter)  # the same, for translations
    earlier_translation_exports: list[tuple[int, Path]] = field(default_factory=list)
    links: Counter[str] = field(default_factory=Counter)  # accepted links: woven in the text, after a sentence, not
    collection_lines: list[str] = field(default_factory=list)  # what push did to collections (push/collections.py)
    collections_approved: int = 0
    collections_written: int = 0

    def listing(self, name: str, title: str, more: str = "") -> Listing:
        return self.listings.setdefault(name, Listing(title, more=more) if more else Listing(title))

    def summary(self) -> list[str]:
        c = self.counts
        where = "an import file" if self.target == CSV_TARGET else self.target.removeprefix("store:")
        skipped = (f"already pushed for the same decision {c['already']:,}, already on the store {c['holds']:,}"
                   + (f", recovered from an interrupted run {c['recovered']:,}" if c["recovered"] else "")
                   + (f", not applied by an interrupted run {c['not_applied']:,}" if c["not_applied"] else ""))
        if not self.approved and not self.collections_approved:
            return [f"push{' (dry run)' if self.dry_run else ''}: run {self.run_id} to {where}: nothing approved to "
                    f"push; review the drafts first ({command('review')}, or "
                    f"{command('review --export FILE', 'review-export')} and "
                    f"{command('review --import FILE', 'review-import')}), then push; {self.seconds:.1f} s"]
        if self.dry_run:
            lines = [f"push (dry run): would write {len(self.products):,} products ({c['fields']:,} fields, "
                     f"{c['translations']:,} translations) to {where}; conflicts {c['conflict']:,}, failures "
                     f"{c['failed']:,}; {skipped}; {self.seconds:.1f} s", *self.planned[:DRY_RUN_SHOWN]]
            if len(self.planned) > DRY_RUN_SHOWN:
                lines.append(f"  ... and {len(self.planned) - DRY_RUN_SHOWN:,} more")
            if self.plan_path:
                lines.append(f"  every change: {self.plan_path}")
        elif not (self.products or c["failed"] or c["conflict"] or c["redirects"]):
            nothing = f"nothing to push; {skipped}" if self.approved else "no product changes approved"
            lines = [f"push: run {self.run_id} to {where}: {nothing}; {self.seconds:.1f} s"]
        else:
            verb = "exported" if self.target == CSV_TARGET else "wrote"
            adopted = f" ({c['redirects_adopted']:,} made by an interrupted run)" if c["redirects_adopted"] else ""
            lines = [f"push: run {self.run_id} to {where}: {verb} {len(self.products):,} products ({c['fields']:,} "
                     f"fields, {c['translations']:,} translations), {c['redirects']:,} redirects{adopted}; failed "
                     f"fields {c['failed']:,}, conflicts {c['conflict']:,} (back in the review queue), mismatches "
                     f"{c['mismatch']:,}; {skipped}; {self.seconds:.1f} s"]
            if self.export_path:
                lines.append(f"  wrote {self.export_path} (Shopify admin > Products > Import, tick \"Overwrite "
                             "products with matching handles\")")
            if self.translation_path:
                lines.append(f"  wrote {self.translation_path} ({self.translation_rows:,} translation rows; "
                             f"{translation_file.IMPORT_HINT})")
        for run, path in self.earlier_translation_exports:
            there = "" if path.exists() else " (no longer there)"
            lines.append(f"  {self.translations_already_by[run]:,} approved translations are already in {path}{there}, "
                         f"written by push run {run}: import that file ({translation_file.IMPORT_HINT}) if you have "
                         "not")
        for run, path in self.earlier_exports:
            there = "" if path.exists() else " (no longer there)"
            lines.append(f"  {self.already_by[run]:,} approved fields are already in {path}{there}, written by push "
                         f"run {run}: import that file (Shopify admin > Products > Import, tick \"Overwrite "
                         "products with matching handles\") if you have not")
        if self.links["links_accepted"]:
            lines.append(f"  links: {self.links['links_accepted']:,} accepted, woven into the bodies above: "
                         f"{self.links['links_in_text']:,} in the text, {self.links['links_after_sentence']:,} after a "
                         f"sentence that mentions the target"
                         + (f", {self.links['links_in_copy']:,} there already" if self.links["links_in_copy"] else "")
                         + f"; {self.links['links_skipped']:,} not woven")
        for listing in self.listings.values():
            lines += listing.render()
        lines[1:1] = self.collection_lines
        if not self.dry_run and (self.products or self.collections_written):
            lines.append(f"  undo with: {command(f'rollback --run {self.run_id}', f'rollback RUN={self.run_id}')}")
        return lines


def push(workspace: Workspace, state: StateStore, options: PushOptions, *,
         connector: Connector | None = None) -> PushResult:
    """Reads approved decisions and the ledger from state.db, and catalog.parquet. Writes every approved change to
    `connector`'s store, or with none an import CSV under exports/, recording before/after in the ledger first;
    see the module docstring."""
    started = time.monotonic()
    if not workspace.catalog.exists():
        raise InputError(f"no catalogue yet; run {command('pull')} first", file=str(workspace.catalog))
    last_pull = state.last_run("pull")
    if connector is not None and "csv" in catalogue_sources(workspace.catalog):
        raise InputError("the catalogue was pulled from a CSV file, so it has no store product ids; pull from the "
                         f"store first ({command('pull')} with SHOPIFY_STORE set), or unset SHOPIFY_STORE to write an "
                         "import file instead", file=str(workspace.catalog))
    target = ledger.store_target(connector.shop) if connector is not None else CSV_TARGET
    woven = weave_accepted_links(workspace.catalog, state, approved_changes(state), options.primary_locale,
                                 target=target, last_pull_run=last_pull["id"] if last_pull else 0,
                                 follow_run_handles=connector is not None)
    changes = woven.changes
    run_id = state.start_run("push", exclusive_of=() if options.dry_run else WRITERS)
    result = PushResult(run_id=run_id, target=target, dry_run=options.dry_run, approved=len(changes),
                        links=woven.counts())
    try:
        if not options.dry_run:
            ledger.open_run(state, run_id, "push", target)
        run = _Push(workspace, state, options, result, connector, last_pull["id"] if last_pull else 0)
        if connector is not None:
            if not options.dry_run:
                run.reconcile()
            run.to_store(changes)
        else:
            run.to_file(changes)
            result.earlier_exports = _earlier_exports(state, result.already_by)
            result.earlier_translation_exports = [
                (r, translation_file.export_path(workspace, r)) for r in sorted(result.translations_already_by,
                                                                                reverse=True)]
        _report_links(state, woven, result, options, last_pull["id"] if last_pull else 0, workspace)
        _push_collections(workspace, state, options, result, connector, last_pull["id"] if last_pull else 0)
        if options.dry_run:
            result.plan_path = run.write_plan()
        result.seconds = time.monotonic() - started
        state.finish_run(run_id, "ok", {**result.counts, **result.links, "products": len(result.products),
                                        "dry_run": options.dry_run, "target": target})
        return result
    except BaseException as exc:
        state.finish_run(run_id, "failed", {**result.counts, "products": len(result.products)}, str(exc)[:500])
        raise


def _push_collections(workspace: Workspace, state: StateStore, options: PushOptions, result: PushResult,
                      connector: Connector | None, last_pull_run: int) -> None:
    """The approved collection changes, after the products' (pipeline/stages/push/collections.py)."""
    from pipeline.stages.push.collections import push_collections

    report = push_collections(workspace, state, run_id=result.run_id, target=result.target,
                              primary_locale=options.primary_locale, last_pull_run=last_pull_run,
                              connector=connector, dry_run=options.dry_run)
    result.collection_lines = report.lines()
    result.collections_approved = report.counts["approved"]
    result.collections_written = len(report.collections)
    result.counts.update({f"collections_{name}": n for name, n in report.counts.items()})


def _report_links(state: StateStore, woven: WovenLinks, result: PushResult, options: PushOptions, last_pull_run: int,
                  workspace: Workspace) -> None:
    """List the accepted links that were not woven, and (pushing to a store) the bodies that link to a handle
    approved in this run that was not written after all: the next push links them to the handle the store has."""
    if not woven.placed and not woven.gone:
        return
    handles = {pid: row["handle"] for pid, row in pulled_products(workspace.catalog, list(woven.placed)).items()}
    for line in woven.skipped_lines(handles):
        result.listing("links", "accepted links not woven (the rest of each body went out)",
                       "each product's page in the review app says why").add(line)
    if options.dry_run or not woven.links_to:
        return
    now = ledger.written_since(state, last_pull_run, options.primary_locale)
    for target_id, new in woven.followed.items():
        if target_id in woven.links_to and now.get(target_id, {}).get("handle") != new:
            sources = ", ".join(sorted(handles.get(pid, pid) for pid in woven.links_to[target_id]))
            result.listing("links_handle", "links to a handle that was not written").add(
                f"{sources} -> /products/{new}: that handle change did not go out in this run; push again once it "
                "is settled (written, or back in review), and the bodies link to the handle the store has")


def reconcile_interrupted(state: StateStore, connector: Connector, target: str, primary_locale: str, *,
                          other_than: int | None = None) -> tuple[list[Row], list[Row]]:
    """Settle the rows that killed runs left pending at `target` by what the store holds now (product fields read
    as for the conflict check, translations as for a translation push); return (applied, not applied)."""
    from pipeline.shopify.push_support import FIELD_KEYS, translation_states

    rows = ledger.interrupted_rows(state, target, other_than=other_than)
    if not rows:
        return [], []
    by_locale: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_locale[row.locale].append(row.product_id)
    now: dict[tuple[str, str], dict[str, str | None]] = {}
    for locale, ids in by_locale.items():
        ids = list(dict.fromkeys(ids))
        if locale == primary_locale:
            values = snapshot_values(connector.read_products(ids))
        else:
            values = {pid: {f: s.value_of(f) for f in FIELD_KEYS}
                      for pid, s in translation_states(connector.client, ids, locale).items()}
        now |= {(pid, locale): fields for pid, fields in values.items()}
    outcomes = ledger.reconciled(rows, now)
    ledger.settle(state, outcomes)
    applied = {o.row_id for o in outcomes if o.status == "ok"}
    return [r for r in rows if r.id in applied], [r for r in rows if r.id not in applied]


@dataclass
class _Classified:
    writes: list[Entry] = field(default_factory=list)
    refused: list[Entry] = field(default_factory=list)   # conflicts and failures, recorded without a write
    settled: list[Outcome] = field(default_factory=list)  # rows an interrupted run left pending


class _Push:
    def __init__(self, workspace: Workspace, state: StateStore, options: PushOptions, result: PushResult,
                 connector: Connector | None, last_pull_run: int):
        self.workspace, self.state, self.options, self.result = workspace, state, options, result
        self.connector, self.last_pull_run = connector, last_pull_run
        self.plan: list[Entry] = []
        self.recovered: set[int] = set()  # rows of killed runs found applied by this run (counted as recovered)

    @property
    def store(self) -> Connector:
        """The connector, for the steps that only a push to a store takes."""
        assert self.connector is not None, "a store push needs a connector"
        return self.connector

    def reconcile(self) -> None:
        """Settle what killed runs left pending, and make the redirects of the handle changes found applied."""
        applied, missed = reconcile_interrupted(self.state, self.store, self.result.target,
                                                self.options.primary_locale, other_than=self.result.run_id)
        self.recovered = {r.id for r in applied}
        self.result.counts["recovered"] += len(applied)
        self.result.counts["not_applied"] += len(missed)
        handles = [r.product_id for r in applied if r.field == "handle"]
        if handles:
            self._redirects(ledger.owed_redirects(self.state, self.result.target, handles))

    # -- deciding, field by field -------------------------------------------------------------------------------
    def classify(self, change: ApprovedChange, handle: str, now: Mapping[str, str | None] | None,
                 pulled: Mapping[str, str | None], history: History, fields: Sequence[str]) -> _Classified:
        """What to do with each field of one approved change, given the store's values `now` (None: no product)."""
        out = _Classified()
        run_id, counts = self.result.run_id, self.result.counts
        for name in fields:
            after = change.fields[name]
            entry = Entry(change.product_id, handle, change.locale, name, before=None, after=after,
                          decided_at=decided_at(change, name))
            key = (change.product_id, change.locale, name)
            if now is None:
                out.refused.append(_refused(entry, "failed", "the product no longer exists on the store"))
                continue
            current = now.get(name)
            # a store push settles these first (reconcile); here: an import file, or a dry run
            settled = ledger.reconciled(history.interrupted(key, run_id), {(change.product_id, change.locale):
                                                                           {name: current}})
            out.settled += settled
            applied = any(o.status == "ok" for o in settled)
            if current == after:
                counts["recovered" if applied else "holds"] += 1
                continue
            # a value an interrupted run did write is ours, not an edit made on the store
            expected = current if applied else history.expected(key, pulled.get(name), self.last_pull_run)
            entry.before = current
            if current != expected:
                entry.before, entry.read_back = expected, current
                out.refused.append(_refused(entry, "conflict", f"edited on the store since the pull: expected "
                                                               f"{short(expected, 40)}, found {short(current, 40)}"))
            else:
                out.writes.append(entry)
        conflicts = [e for e in out.refused if e.status == "conflict"]
        if conflicts:  # the approval is one unit: none of its fields goes out when one was edited meanwhile
            out.refused += [_refused(e, "conflict", "not written: another field of this product was edited on the "
                                                    "store since the pull") for e in out.writes]
            out.writes = []
            self._conflict(change, handle, [e.field for e in conflicts])
        return out

    def not_done(self, chunk: Sequence[ApprovedChange], history: History,
                 wanted: Callable[[str], bool]) -> list[tuple[ApprovedChange, list[str]]]:
        """Each change with its fields (those `wanted`) not yet written for the same decision; the rest counted."""
        out = []
        for change in chunk:
            fields = []
            for name in (f for f in change.fields if wanted(f)):
                done = history.done((change.product_id, change.locale, name), change.fields[name],
                                    decided_at(change, name))
                if done is not None:
                    if done.id not in self.recovered:  # those were counted as recovered
                        self.result.counts["already"] += 1
                        if done.rolled_back_by is None:
                            primary = change.locale == self.options.primary_locale
                            (self.result.already_by if primary or done.target != CSV_TARGET
                             else self.result.translations_already_by)[done.run_id] += 1
                else:
                    fields.append(name)
            if fields:
                out.append((change, fields))
        return out

    def _conflict(self, change: ApprovedChange, handle: str, fields: list[str]) -> None:
        self.result.counts["conflict"] += 1
        self.result.listing("conflict", "conflicts: edited on the store after the pull, not written, back in the "
                                        f"review queue (re-pull with {command('reoptimise')} to see the new text)").add(
            f"{handle} [{change.locale}]: {', '.join(fields)}")
        if not self.options.dry_run:
            reopen_decision(self.state, change.product_id, change.locale,
                            reason=f"not pushed: {', '.join(fields)} edited on the store after the pull")

    def commit(self, classified: list[_Classified]) -> list[Entry]:
        """Record refusals and settle interrupted rows now; record the writes as pending (committed); return them."""
        writes = [e for c in classified for e in c.writes]
        refused = [e for c in classified for e in c.refused]
        for entry in refused:
            if entry.status == "failed":
                self.result.counts["failed"] += 1
                self.result.listing("failed", "failed").add(f"{entry.handle} [{entry.locale}] {entry.field}: "
                                                            f"{'; '.join(entry.errors)}")
        if self.options.dry_run:
            self.plan += writes + refused
            self.result.planned += [f"  {e.handle} [{e.locale}] {e.field}: {short(e.before)} -> {short(e.after)}"
                                    for e in writes]
            self._count_written(writes)
            return []
        settled = [o for c in classified for o in c.settled]
        if settled:
            ledger.settle(self.state, settled)
        if refused:
            ledger.record(self.state, self.result.run_id, self.result.target, refused)
        if writes:
            ledger.record(self.state, self.result.run_id, self.result.target, writes)
        return writes

    def _count_written(self, entries: Sequence[Entry]) -> None:
        for entry in entries:
            self.result.products.add(entry.product_id)
            self.result.counts["fields" if entry.locale == self.options.primary_locale else "translations"] += 1

    def settle_writes(self, groups: Sequence[tuple[list[Entry], Any]]) -> list[list[Entry]]:
        """Record each product's write result (a connector WriteResult); return the groups that were written."""
        outcomes, written = [], []
        for entries, outcome in groups:
            if outcome.ok:
                written.append(entries)
                outcomes += [Outcome(e.recorded_id, "ok", read_back=e.after) for e in entries]
            else:
                self.result.counts["failed"] += len(entries)
                outcomes += [Outcome(e.recorded_id, "failed", outcome.errors) for e in entries]
                self.result.listing("failed", "failed").add(
                    f"{entries[0].handle} [{entries[0].locale}] {', '.join(e.field for e in entries)}: "
                    f"{'; '.join(outcome.errors)}")
        ledger.settle(self.state, outcomes)
        return written

    def read_back(self, written: Sequence[list[Entry]],
                  values: Callable[[list[str]], Mapping[str, Mapping[str, str | None]]]) -> None:
        """Compare what the store holds now with what we wrote; a difference is a mismatch, kept in the ledger."""
        current = values([entries[0].product_id for entries in written])
        outcomes = []
        for entries in written:
            now = current.get(entries[0].product_id) or {}
            for e in entries:
                value = now.get(e.field)
                if value == e.after:
                    outcomes.append(Outcome(e.recorded_id, "ok", read_back=value))
                    continue
                self.result.counts["mismatch"] += 1
                outcomes.append(Outcome(e.recorded_id, "mismatch", [f"read back {short(value, 60)}"], read_back=value))
                self.result.listing("mismatch", "mismatches: written, but the store holds something else").add(
                    f"{e.handle} [{e.locale}] {e.field}: approved {short(e.after, 40)}, store has {short(value, 40)}")
            self._count_written(entries)
        ledger.settle(self.state, outcomes)

    # -- the store ----------------------------------------------------------------------------------------------
    def to_store(self, changes: Sequence[ApprovedChange]) -> None:
        primary = [c for c in changes if c.locale == self.options.primary_locale]
        others: dict[str, list[ApprovedChange]] = defaultdict(list)
        for change in changes:
            if change.locale != self.options.primary_locale:
                others[change.locale].append(change)
        progress = Progress("push", total=len(changes))
        for chunk in chunks(primary, self.options.chunk_size):
            self._product_chunk(chunk)
            progress.advance(len(chunk))
        for locale, items in others.items():
            for chunk in chunks(items, self.options.chunk_size):
                self._translation_chunk(locale, chunk)
                progress.advance(len(chunk))
        progress.close()

    def _product_chunk(self, chunk: Sequence[ApprovedChange]) -> None:
        self._write_products(chunk)
        if not self.options.dry_run:  # every handle written, now or by a run that died before its redirect
            self._redirects(ledger.owed_redirects(self.state, self.result.target, [c.product_id for c in chunk]))

    def _write_products(self, chunk: Sequence[ApprovedChange]) -> None:
        from pipeline.shopify.mutations import ProductUpdate

        history = ledger.history(self.state, self.result.target, [c.product_id for c in chunk])
        todo = self.not_done(chunk, history, lambda name: name in PRODUCT_FIELDS)
        if not todo:
            return
        ids = [change.product_id for change, _ in todo]
        pulled = pulled_products(self.workspace.catalog, ids)
        current = snapshot_values(self.store.read_products(ids))
        classified = []
        for change, fields in todo:
            row = pulled.get(change.product_id)
            if row is None:
                self.result.counts["failed"] += len(fields)
                self.result.listing("failed", "failed").add(f"{change.product_id}: not in the catalogue; re-pull")
                continue
            classified.append(self.classify(change, row["handle"], current.get(change.product_id), row, history,
                                            fields))
        writes = self.commit(classified)
        if not writes:
            return
        groups = by_product(writes)
        results = self.store.update_products(
            [ProductUpdate(g[0].product_id, **{e.field: e.after for e in g}) for g in groups], mode=self.options.mode)
        written = self.settle_writes(list(zip(groups, results, strict=True)))
        if written:
            self.read_back(written, lambda ids: snapshot_values(self.store.read_products(ids)))

    def _redirects(self, handle_changes: Sequence[Row]) -> None:
        """A redirect from each changed handle's old path to the handle the store now has: recorded as intended,
        created, and its id put in the ledger (rollback deletes it), or Shopify's refusal (not tried again).

        A row that already has the intent is from a run that died after recording it, perhaps after Shopify made
        the redirect: the redirect is looked up by its path and adopted if it goes where we meant, before a create
        (and after one that Shopify refuses because the path is taken: search may lag behind a fresh redirect)."""
        from pipeline.shopify.mutations import product_path

        for row in handle_changes:
            old = row.redirect_path or product_path(row.before or "")
            new = row.redirect_target or product_path(row.holds or "")
            resumed = row.redirect_path is not None
            if resumed and self._adopt(row, old, new):
                continue
            if not resumed:
                ledger.intend_redirect(self.state, row.id, old, new)
            made = self.store.create_redirect(old, new)
            if made.ok:
                ledger.set_redirect(self.state, row.id, made.redirect_id)
                self.result.counts["redirects"] += 1
                continue
            if resumed and made.path_taken:
                found = self._adopt(row, old, new)
                if found is True:
                    continue
                if found is None:  # taken, but not found yet: left owed, so the next push looks again
                    self.result.listing("redirect_later", "redirects to record on the next push").add(
                        f"{row.handle}: {old} -> {new}: Shopify has a redirect from this path, but its search does "
                        "not show it yet; run push again to record it (rollback deletes it)")
                    continue
            ledger.set_redirect(self.state, row.id, None, made.errors)
            self.result.listing("redirect", "redirects not created").add(
                f"{row.handle}: {old} -> {new}: {'; '.join(made.errors)}")

    def _adopt(self, row: Row, old: str, new: str) -> bool | None:
        """Record the store's redirect from `old` as this row's if it goes to `new` (True); False: one goes
        elsewhere (not ours); None: there is none."""
        from pipeline.shopify.push_support import find_redirect

        found = find_redirect(self.store.client, old)
        if found is None:
            return None
        if found.target != new:
            return False
        ledger.set_redirect(self.state, row.id, found.id)
        self.result.counts["redirects"] += 1
        self.result.counts["redirects_adopted"] += 1
        return True

    def _translation_chunk(self, locale: str, chunk: Sequence[ApprovedChange]) -> None:
        from pipeline.shopify.mutations import TranslationWrite
        from pipeline.shopify.push_support import FIELD_KEYS, translation_states

        history = ledger.history(self.state, self.result.target, [c.product_id for c in chunk])
        self.result.counts["translated_handles_left"] += sum("handle" in c.fields for c in chunk)
        todo = self.not_done(chunk, history, lambda name: name in FIELD_KEYS)
        if not todo:
            return
        ids = [change.product_id for change, _ in todo]
        handles = {pid: row["handle"] for pid, row in pulled_products(self.workspace.catalog, ids).items()}
        pulled = pulled_translations(self.workspace.locales, ids, [locale])
        states = translation_states(self.store.client, ids, locale)
        classified = []
        for change, fields in todo:
            now_state = states.get(change.product_id)
            now = {f: now_state.value_of(f) for f in fields} if now_state else None
            before = {f: pulled.get((change.product_id, locale, f)) for f in fields}
            found = self.classify(change, handles.get(change.product_id, change.product_id), now, before, history,
                                  fields)
            for entry in list(found.writes):
                if now_state is not None and now_state.digest_of(entry.field) is None:
                    found.writes.remove(entry)
                    found.refused.append(_refused(entry, "failed", f"the product has no {FIELD_KEYS[entry.field]} "
                                                                   "in the primary language to translate"))
            classified.append(found)
        writes = self.commit(classified)
        if not writes:
            return
        groups = by_product(writes)
        requests = {g[0].product_id: [TranslationWrite(locale, FIELD_KEYS[e.field], e.after or "",
                                                       states[e.product_id].digest_of(e.field) or "") for e in g]
                    for g in groups}
        results = self.store.register_translations_many(requests, mode=self.options.mode)
        written = self.settle_writes(list(zip(groups, results, strict=True)))
        if written:
            self.read_back(written, lambda ids: {pid: {f: s.value_of(f) for f in FIELD_KEYS}
                                                 for pid, s in translation_states(self.store.client, ids,
                                                                                  locale).items()})

    # -- offline: an import file ------------------------------------------------------------------------------------
    def to_file(self, changes: Sequence[ApprovedChange]) -> None:
        """Offline: the approved primary-locale changes into a product import file, the approved translations into
        a translation import file."""
        self._products_to_file([c for c in changes if c.locale == self.options.primary_locale])
        others = [c for c in changes if c.locale != self.options.primary_locale]
        if others:
            self._translations_to_file(others)

    def _products_to_file(self, primary: Sequence[ApprovedChange]) -> None:
        history = ledger.history(self.state, CSV_TARGET, [c.product_id for c in primary])
        todo = self.not_done(primary, history, lambda name: name in PRODUCT_FIELDS)
        pulled = pulled_products(self.workspace.catalog, [change.product_id for change, _ in todo])
        source = self._source_file()
        in_file = current_file_values(source, {r["handle"] for r in pulled.values()}) if source else {}
        classified, handles = [], {}
        for change, fields in todo:
            row = pulled.get(change.product_id)
            if row is None:
                self.result.counts["failed"] += len(fields)
                self.result.listing("failed", "failed").add(f"{change.product_id}: not in the catalogue; re-pull")
                continue
            handles[change.product_id] = row["handle"]
            now = in_file.get(row["handle"]) if source else row
            found = self.classify(change, row["handle"], now, row, history, [f for f in fields if f in FILE_FIELDS])
            _keep_formulas_out(found)
            if "handle" in fields:
                entry = Entry(change.product_id, row["handle"], change.locale, "handle", row["handle"],
                              change.fields["handle"], change.decided_at)
                found.refused.append(_refused(entry, "failed", "a CSV import finds products by handle, so it cannot "
                                                               "change one; push to the store for that"))
            classified.append(found)
        writes = self.commit(classified)
        if not writes:
            return
        destination = self.workspace.exports / f"shopify_import_{self.result.run_id}.csv"
        dialect, header = store_dialect(self.state)
        groups = by_product(writes)
        columns = {e.field for e in writes}
        rows = []
        for group in groups:
            pid = group[0].product_id
            now = in_file.get(handles[pid], pulled[pid]) if source else pulled[pid]
            values = {name: now.get(name) or "" for name in {"title", *columns}} | {e.field: e.after or ""
                                                                                     for e in group}
            rows.append({"handle": handles[pid], **values})
        write_import_file(destination, dialect, header, rows)
        ledger.settle(self.state, [Outcome(e.recorded_id, "exported", read_back=e.after) for e in writes])
        ledger.set_export_path(self.state, self.result.run_id, str(destination))
        self.result.export_path = destination
        self.result.counts["exported"] += len(writes)
        self._count_written(writes)

    def _translations_to_file(self, changes: Sequence[ApprovedChange]) -> None:
        """The approved translations into Shopify's translation import file: only the rows we change, each the
        pulled export's row with the new translated content. A translation edited in the store since (the export
        read again now, or a newer one given, holds other text than the one pulled) is a conflict, not written."""
        keys = translation_file.FIELD_KEYS
        found_ids = translation_file.resources(self.workspace, [c.product_id for c in changes])
        unnamed = Counter(c.locale for c in changes if c.product_id not in found_ids)
        if unnamed:
            self.result.listing("offline", "not in the import files").add(
                f"approved translations ({', '.join(f'{k} {v:,}' for k, v in sorted(unnamed.items()))}) need a store "
                "connection (SHOPIFY_STORE), or the store's translation export pulled with the products ("
                f"{command(*PULL_WITH_TRANSLATIONS)}"
                "; Shopify admin > Settings > Languages > "
                "Export): a product CSV has no product ids, and Shopify's translation file names products by id")
        changes = [c for c in changes if c.product_id in found_ids]
        history = ledger.history(self.state, CSV_TARGET, [c.product_id for c in changes])
        todo = self.not_done(changes, history, lambda name: name in keys or name == "handle")
        if not todo:
            return
        ids = [change.product_id for change, _ in todo]
        locales = sorted({change.locale for change, _ in todo})
        catalogue = pulled_products(self.workspace.catalog, ids)
        pulled = pulled_translations(self.workspace.locales, ids, locales)
        source = translation_file.source_file(self.state, self.options.translations_path)
        in_file = translation_file.current_values(source, found_ids, locales) if source else None
        classified = []
        for change, fields in todo:
            row = catalogue.get(change.product_id)
            if row is None:
                self.result.counts["failed"] += len(fields)
                self.result.listing("failed", "failed").add(f"{change.product_id}: not in the catalogue; re-pull")
                continue
            resource = found_ids[change.product_id]
            names = [f for f in fields if f in keys]
            before = {f: pulled.get((change.product_id, change.locale, f)) for f in names}
            now = ({f: in_file.get((change.product_id, change.locale, f), before[f]) for f in names}
                   if in_file is not None else before)
            found = self.classify(change, row["handle"], now, before, history, names)
            _keep_formulas_out(found)
            for entry in list(found.writes):
                if not (resource.has_default(change.locale, entry.field) or str(row.get(entry.field) or "").strip()):
                    found.writes.remove(entry)
                    found.refused.append(_refused(entry, "failed", f"the product has no {keys[entry.field]} in the "
                                                                   "primary language to translate yet (once it has "
                                                                   "one on the store, pull a new translation export "
                                                                   "and push again)"))
            if "handle" in fields:
                entry = Entry(change.product_id, row["handle"], change.locale, "handle", None,
                              change.fields["handle"], change.decided_at)
                found.refused.append(_refused(entry, "failed", "a translated handle changes the product's URL in that "
                                                               "language without a redirect; it is not written to "
                                                               "the translation file"))
            classified.append(found)
        writes = self.commit(classified)
        if not writes:
            return
        rows = []
        for entry in writes:
            resource = found_ids[entry.product_id]
            base = resource.row(entry.locale, entry.field, str(catalogue[entry.product_id].get(entry.field) or ""))
            rows.append(replace(base, translated_content=entry.after or ""))
        destination = translation_file.export_path(self.workspace, self.result.run_id)
        self.result.translation_rows = tcsv.write_translation_file(destination, rows,
                                                                   translation_file.header(self.state))
        ledger.settle(self.state, [Outcome(e.recorded_id, "exported", read_back=e.after) for e in writes])
        self.result.translation_path = destination
        self.result.counts["exported"] += len(writes)
        self._count_written(writes)

    def _source_file(self) -> Path | None:
        """The CSV the catalogue was pulled from, re-read for the conflict check while it is still there."""
        path = self.state.get_meta("csv_path")
        if self.state.get_meta("last_pull_source") != "csv" or not path or not Path(path).is_file():
            return None
        return Path(path)

    def write_plan(self) -> Path:
        """--dry-run: every change it would make, and every refusal, as one CSV."""
        destination = self.workspace.exports / "push_dry_run.csv"
        with atomic_path(destination) as tmp, open(tmp, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["product_id", "handle", "locale", "field", "status", "before", "after", "note"])
            for e in self.plan:
                status = "would write" if e.status == "pending" else e.status
                writer.writerow([safe_cell(value) for value in (e.product_id, e.handle, e.locale, e.field, status,
                                                                e.before, e.after, "; ".join(e.errors))])
        return destination


def _earlier_exports(state: StateStore, already_by: Mapping[int, int]) -> list[tuple[int, Path]]:
    """The import files of the earlier push runs that already exported some of these approved fields, newest
    first (a second push of the same decisions writes no file of its own, so it points to those)."""
    found = []
    for run in sorted(already_by, reverse=True):
        record = ledger.push_run(state, run)
        if record and record.get("export_path"):
            found.append((run, Path(record["export_path"])))
    return found


def _keep_formulas_out(found: _Classified) -> None:
    """Refuse the writes whose value starts like a spreadsheet formula: escaping it would change the text on
    import, leaving it would run it in a spreadsheet."""
    for entry in [e for e in found.writes if str(e.after or "").startswith(FORMULA_START)]:
        found.writes.remove(entry)
        found.refused.append(_refused(entry, "failed", "starts like a spreadsheet formula (=, +, -, @), so it is not "
                                                       "put in an import file; edit it in review, or push to the "
                                                       "store"))


def _refused(entry: Entry, status: str, reason: str) -> Entry:
    entry.status, entry.errors = status, [*entry.errors, reason]
    return entry
