"""Review of collection drafts: approve, edit or reject each collection's copy per locale, and a proposal's creation.

The items are collection_drafts.parquet's rows that hold copy (an abstained draft has nothing to review), each with
the store's current values beside it (collections.parquet as pulled, its translations for another locale). A
proposed collection (no store id) is a creation: its primary-locale item carries the title, handle and rule it
would be created with (collections.csv's, when the merchant edited them), and approving it approves the creation.

    seo-pipeline review --collections-export collections_review.csv   # one row per collection and locale
    seo-pipeline review --collections-import collections_review.csv   # record the decisions filled in

The CSV has the values push would write (`title, handle, rule, description, seo_title, seo_description`, editable)
and the store's (`before_*`), a `decision` column (approve / reject, or blank to leave undecided) and the draft's
fingerprint: a row whose draft was written again since the export is refused (export again). Import checks every
row before recording any; one bad cell stops it with a line naming the file, row and column.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

import pyarrow.parquet as pq

from pipeline.core import collections as coll
from pipeline.errors import InputError
from pipeline.stages.review.decisions_csv import escape_cell, unescape_cell
from pipeline.state.collection_decisions import (
    COPY_FIELDS,
    CollectionDecision,
    build_collection_decision,
    collection_decisions,
    fingerprint_for,
    record_collection_decisions,
)
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace

VALUE_FIELDS = ("title", "handle", "rule", *COPY_FIELDS)
EXPORT_COLUMNS = ("collection_handle", "locale", "change", "decision", "reviewer", "decided_at", "draft_status",
                  "findings", "keyword", *VALUE_FIELDS, *(f"before_{n}" for n in VALUE_FIELDS), "collection_id",
                  "draft_hash")
DECISION_WORDS = {"approve": "approved", "approved": "approved", "edit": "approved", "edited": "approved",
                  "reject": "rejected", "rejected": "rejected"}
TRANSLATION_KEYS = {"description": "body_html", "seo_title": "meta_title", "seo_description": "meta_description"}


def drafts_path(workspace: Workspace) -> Any:
    return workspace.root / "collection_drafts.parquet"


@dataclass(frozen=True)
class CollectionItem:
    """One collection draft in one locale, as a reviewer decides on it."""

    handle: str  # the handle the draft was written for
    locale: str
    collection_id: str  # "" for a proposal
    change: str  # 'update' | 'create'
    status: str  # the draft's: ok | flagged
    findings: tuple[str, ...]
    keyword: str
    draft: dict[str, str]  # what approving writes (copy; and title, handle, rule for a creation; handle in primary)
    before: dict[str, str]  # the store's values ("" for none, or for a collection that does not exist yet)
    draft_hash: str
    editable: tuple[str, ...] = field(default=())

    @property
    def key(self) -> tuple[str, str]:
        return self.handle, self.locale


def collection_items(workspace: Workspace, primary_locale: str) -> list[CollectionItem]:
    """Every collection draft with copy to review, by handle then locale (primary first)."""
    path = drafts_path(workspace)
    if not path.exists():
        return []
    drafts = pq.read_table(path).to_pylist()
    current = {r["handle"]: r for r in coll.read_collections(workspace)}
    pulled = {r["handle"]: r for r in coll.stored_rows(workspace) if r.get("id")}
    items = []
    for draft in drafts:
        if draft["status"] == "abstained" or not (draft.get("description") or "").strip():
            continue
        handle, locale = draft["collection_handle"], draft["locale"]
        collection = current.get(handle)
        if collection is None:
            continue  # a proposal turned down in collections.csv since the draft was written
        store = pulled.get(handle)
        copy = {name: str(draft.get(name) or "") for name in COPY_FIELDS}
        primary = locale == primary_locale
        if store is None:
            change = "create"
            values = {**({name: str(collection.get(name) or "") for name in ("title", "handle", "rule")}
                         if primary else {}), **copy}
            before = {name: "" for name in values}
            editable: tuple[str, ...] = tuple(values)
        else:
            change = "update"
            values = {**({"handle": store["handle"]} if primary else {}), **copy}
            before = _store_values(store, locale, primary)
            editable = tuple(values)
        items.append(CollectionItem(handle, locale, store["id"] if store else "", change, draft["status"],
                                    tuple(draft.get("findings") or ()), str(draft.get("keyword") or ""), values,
                                    before, fingerprint_for(draft, collection, primary_locale), editable))
    return sorted(items, key=lambda i: (i.handle, i.locale != primary_locale, i.locale))


def _store_values(store: dict[str, Any], locale: str, primary: bool) -> dict[str, str]:
    if primary:
        return {name: str(store.get(name) or "") for name in ("handle", "title", "rule", *COPY_FIELDS)}
    found = {t["key"]: t.get("value") or "" for t in store.get("translations") or [] if t["locale"] == locale}
    return {name: str(found.get(key) or "") for name, key in TRANSLATION_KEYS.items()}


def current_decision(item: CollectionItem, decisions: dict[tuple[str, str], CollectionDecision]
                     ) -> CollectionDecision | None:
    """The item's decision while its draft is the one decided on (None: undecided, or decided on older copy)."""
    made = decisions.get(item.key)
    return made if made is not None and made.draft_hash == item.draft_hash else None


def decide_item(item: CollectionItem, decision: str, *, reviewer: str,
                edits: dict[str, str] | None = None) -> CollectionDecision:
    """A decision on `item` ('approved' or 'rejected'); approved with values other than the draft's is 'edited'.
    ValueError names what is wrong (a value that cannot be written)."""
    values = dict(item.draft)
    for name, value in (edits or {}).items():
        if name not in item.editable:
            if value != item.draft.get(name, item.before.get(name, "")):
                raise ValueError(f"{name} cannot be changed here ({_why_not(item, name)})")
            continue
        values[name] = value
    if decision == "approved":
        _check_values(item, values)
        if values != item.draft:
            decision = "edited"
    kept = {name: value for name, value in values.items() if item.change == "create" or name in COPY_FIELDS
            or value != item.before.get(name)}
    return build_collection_decision(item.handle, item.locale, collection_id=item.collection_id, change=item.change,
                                     decision=decision, fields=kept, draft_hash=item.draft_hash, reviewer=reviewer)


def _why_not(item: CollectionItem, name: str) -> str:
    if name == "handle":
        return "a translation has no handle of its own"
    return "push changes a store collection's copy and handle, not its title or rule; edit those in Shopify admin"


def _check_values(item: CollectionItem, values: dict[str, str]) -> None:
    if "handle" in values and not coll.HANDLE.match(values["handle"]):
        raise ValueError(f"handle {values['handle']!r} is not one Shopify accepts (lower-case letters, digits, -)")
    if item.change == "create" and "rule" in values:
        try:
            coll.parse_rule(values["rule"])
        except coll.RuleError as exc:
            raise ValueError(f"rule: {exc}") from None
    if item.change == "create" and "title" in values and not values["title"].strip():
        raise ValueError("a new collection needs a title")


# -- CSV round trip ---------------------------------------------------------------------------------------------
def export_collection_decisions(state: StateStore, items: Sequence[CollectionItem], out: TextIO) -> int:
    """Every item with its current decision (blank when undecided) as CSV on `out`; returns the rows written."""
    decisions = collection_decisions(state)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for item in items:
        made = current_decision(item, decisions)
        values = {**item.draft, **(made.fields if made is not None and made.approves else {})}
        word = {"approved": "approve", "edited": "approve", "rejected": "reject"}.get(made.decision, "") if made \
            else ""
        after = [values.get(n, item.before.get(n, "") if n in ("title", "rule") and item.change == "update" else "")
                 for n in VALUE_FIELDS]
        writer.writerow([escape_cell(v) for v in (
            item.handle, item.locale, item.change, word, made.reviewer if made else "", made.decided_at if made else "",
            item.status, "; ".join(item.findings), item.keyword, *after,
            *(item.before.get(n, "") for n in VALUE_FIELDS), item.collection_id, item.draft_hash)])
    return len(items)


@dataclass
class ImportResult:
    counts: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        c = self.counts
        return [f"recorded {c['approved'] + c['edited'] + c['rejected']:,} collection decisions (approved "
                f"{c['approved']:,}, edited {c['edited']:,}, rejected {c['rejected']:,}); left undecided "
                f"{c['blank']:,}"]


def import_collection_decisions(state: StateStore, items: Sequence[CollectionItem], handle: TextIO, *, name: str,
                                reviewer: str) -> ImportResult:
    """Record the decisions of a CSV from export_collection_decisions; all rows are checked before any is
    recorded (InputError naming file, row and column)."""
    by_key = {item.key: item for item in items}
    reader = csv.DictReader(handle)
    missing = [c for c in ("collection_handle", "locale", "decision", "draft_hash") if c not in (reader.fieldnames
                                                                                               or [])]
    if missing:
        raise InputError(f"no {missing[0]!r} column; export one with `seo-pipeline review --collections-export`",
                         file=name)
    result, made = ImportResult(), []
    for number, raw in enumerate(reader, start=2):
        row = {k: unescape_cell(v or "") for k, v in raw.items() if k is not None}
        word = row["decision"].strip().lower()
        if not word:
            result.counts["blank"] += 1
            continue
        if word not in DECISION_WORDS:
            raise InputError(f"decision {row['decision']!r} is not approve or reject", file=name, row=number,
                             field="decision")
        item = by_key.get((row["collection_handle"], row["locale"]))
        if item is None:
            raise InputError(f"no collection draft for {row['collection_handle']} [{row['locale']}] any more; export "
                             "again", file=name, row=number, field="collection_handle")
        if row["draft_hash"] != item.draft_hash:
            raise InputError("the draft was written again since the export; export again and decide on the new "
                             "copy", file=name, row=number, field="draft_hash")
        edits = {n: row[n] for n in VALUE_FIELDS if n in row and (n in item.draft or row[n])}
        try:
            made.append(decide_item(item, DECISION_WORDS[word], reviewer=row.get("reviewer") or reviewer,
                                    edits=edits))
        except ValueError as exc:
            column = str(exc).split(" ", 1)[0].rstrip(":")
            raise InputError(str(exc), file=name, row=number,
                             field=column if column in VALUE_FIELDS else "decision") from None
        result.counts[made[-1].decision] += 1
    record_collection_decisions(state, made)
    return result


def run_collections_csv(workspace: Workspace, primary_locale: str, *, reviewer: str | None, export_path: Any = None,
                        import_path: Any = None) -> list[str]:
    """`review --collections-import` (first) and `--collections-export`: the CSV round trip; the command's lines.
    A row's `reviewer` cell names who decided; blank, `reviewer` (default: the login name)."""
    from pathlib import Path

    from pipeline.workspace import atomic_path

    reviewer = reviewer or _login_name()

    items = collection_items(workspace, primary_locale)
    lines = []
    with StateStore(workspace.state_db) as state:
        if import_path is not None:
            try:
                with open(Path(import_path), encoding="utf-8-sig", newline="") as handle:
                    result = import_collection_decisions(state, items, handle, name=str(import_path),
                                                         reviewer=reviewer)
            except FileNotFoundError:
                raise InputError("file not found", file=str(import_path)) from None
            except UnicodeDecodeError:
                raise InputError("not UTF-8 text", file=str(import_path)) from None
            lines += [f"review: collections import: {line}" for line in result.lines()]
        if export_path is not None:
            with atomic_path(Path(export_path)) as tmp, open(tmp, "w", encoding="utf-8", newline="") as out:
                rows = export_collection_decisions(state, items, out)
            hint = "" if rows else " (no collection drafts with copy yet: run generate first)"
            lines += [f"review: exported {rows:,} collection drafts with their decisions{hint}",
                      f"  wrote {export_path}"]
    return lines


def _login_name() -> str:
    """$USER, else the login name, else 'reviewer' (as the review app's default reviewer)."""
    import getpass
    import os

    try:
        return os.environ.get("USER") or getpass.getuser() or "reviewer"
    except Exception:  # noqa: BLE001 - no user database entry (some containers)
        return "reviewer"


# -- the review app's collections page (app.py routes GET /collections and POST /collections/decide here) ---------
def collections_page(handler: Any) -> None:
    """Every collection draft with its store values, its decision and approve / reject buttons."""
    source = handler.app.source
    items = collection_items(source.workspace, source.primary_locale)
    with handler.app.open_state() as state:
        decisions = collection_decisions(state)
    rows = [{"item": item, "decision": current_decision(item, decisions),
             "fields": [(name, item.before.get(name, ""), item.draft[name]) for name in VALUE_FIELDS
                        if name in item.draft]} for item in items]
    query = handler._query()
    handler._page("collections.html.j2", rows=rows, flash=query.get("saved", "")[:200], flash_kind="")


def collections_decide(handler: Any) -> None:
    """POST: approve or reject one collection draft (the one shown: its fingerprint must still be current)."""
    form = handler._form()
    handler._check_post(form)
    source = handler.app.source
    key = (form.get("handle", ""), form.get("draft_locale", ""))
    item = next((i for i in collection_items(source.workspace, source.primary_locale) if i.key == key), None)
    if item is None or item.draft_hash != form.get("draft_hash"):
        raise InputError(f"the collection draft {key[0]} [{key[1]}] is gone or was written again; reload the page")
    action = {"approve": "approved", "reject": "rejected"}.get(form.get("action", ""))
    if action is None:
        raise InputError("choose approve or reject")
    try:
        made = decide_item(item, action, reviewer=handler._reviewer())
    except ValueError as exc:
        raise InputError(str(exc)) from None
    with handler.app.open_state() as state:
        record_collection_decisions(state, [made])
    from urllib.parse import urlencode

    handler._redirect("/collections?" + urlencode({"saved": f"{item.handle} [{item.locale}]: {made.decision}"}))
