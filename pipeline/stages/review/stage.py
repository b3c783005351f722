"""review: drafts (state.db) + catalog, audit, targets, links -> what a reviewer sees, and the decisions made.

The whole story of the stage, without HTTP (the browser app is pipeline/review_app.py and only calls this):
- `ReviewSource` reads the artefacts around the drafts once (and again when a file changes);
- `list_page` is the filterable list, worst first, with counts per filter value, one page at a time;
- `draft_view` is one draft: each field's before and after as a word-level diff, findings, validation notes,
  target keywords, link suggestions, the current decision and its history;
- `decide` and `bulk_approve` record decisions (edits are sanitised and validated again); neither approves a draft
  with a blocking finding (labels.py BLOCKING) without an override note: `decide` refuses (ApprovalBlocked),
  `bulk_approve` skips it and counts it;
- `write_report` writes one static HTML file of every diff, for people who only read.
"Before" is the store's current text: catalog.parquet for the primary locale, translations.parquet for others.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.commands import command
from pipeline.errors import InputError
from pipeline.stages.review.labels import blocking_codes, blocking_reasons, is_blocking
from pipeline.stages.review.word_diff import WordDiff, word_diff
from pipeline.state.decisions import (
    Decision,
    build_decision,
    decided_drafts,
    decided_since,
    decision_history,
    draft_fingerprint,
    get_decision,
    record_decision,
    record_decisions,
    review_counters,
    sanitise_body_html,
    sanitise_plain_text,
)
from pipeline.state.drafts import (
    DRAFT_FIELDS,
    NOTE_CODES,
    Draft,
    draft_list_rows,
    get_draft,
    list_drafts,
    total_drafts,
)
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace

PAGE_SIZE = 100
FACETS = ("finding", "status", "reason", "locale", "collection", "decision")
DECISION_STATES = ("undecided", "approved", "edited", "rejected", "stale")
SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1}
NO_COLLECTION = "(none)"
TRANSLATION_KEYS = {"title": "title", "body_html": "body_html", "meta_title": "seo_title",
                    "meta_description": "seo_description"}


# -- the artefacts around the drafts ----------------------------------------------------------------------
def _read_artefact(path: Path, columns: Sequence[str], stage: str) -> pa.Table | None:
    """An optional artefact, checked against its contract; None when the stage has not run yet."""
    if not path.exists():
        return None
    try:
        table = pq.read_table(path)
    except Exception as exc:  # noqa: BLE001 - any unreadable artefact is the same problem for the user
        raise InputError(f"not a readable Parquet file ({type(exc).__name__}); re-run {command(stage)}",
                         file=str(path)) from None
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise InputError(f"missing column; re-run {command(stage)}", file=str(path), field=missing[0])
    return table.select(list(columns))


class ReviewSource:
    """Products' current copy, audit findings, keyword targets, link suggestions and existing translations."""

    def __init__(self, workspace: Workspace, primary_locale: str):
        self.workspace, self.primary_locale = workspace, primary_locale
        self.stamp: tuple[float, ...] | None = None
        self.refresh()

    def _mtimes(self) -> tuple[float, ...]:
        paths = (self.workspace.catalog, self.workspace.audit, self.workspace.targets, self.workspace.links,
                 self.workspace.locales)
        return tuple(p.stat().st_mtime if p.exists() else 0.0 for p in paths)

    def refresh(self) -> bool:
        """Reload when an artefact changed since the last load; True if it did."""
        stamp = self._mtimes()
        if stamp == self.stamp:
            return False
        ws = self.workspace
        catalog = _read_artefact(ws.catalog, ("id", "handle", "collections", "product_type", *DRAFT_FIELDS[:-1]),
                                 "pull")
        if catalog is None:
            raise InputError(f"no catalogue yet; run {command('pull')} first", file=str(ws.catalog))
        ids = catalog.column("id").to_pylist()
        self.row_of = {pid: i for i, pid in enumerate(ids)}
        self.handles = dict(zip(ids, catalog.column("handle").to_pylist(), strict=True))
        self.collections = {pid: tuple(c or ()) or (NO_COLLECTION,) for pid, c in
                            zip(ids, catalog.column("collections").to_pylist(), strict=True)}
        self.copy = catalog.select(["handle", *DRAFT_FIELDS[:-1]])  # kept columnar: before values on demand
        self.findings, self.priority = self._findings(_read_artefact(
            ws.audit, ("product_id", "code", "severity", "evidence", "group_id", "priority"), "audit"))
        self.targets = self._group(_read_artefact(
            ws.targets, ("product_id", "locale", "keyword", "role", "source", "score", "demand", "reason"),
            "keywords"), ("product_id", "locale"))
        self.links = self._group(_read_artefact(
            ws.links, ("source_product_id", "target_kind", "target_id", "target_handle", "anchor", "reason",
                       "score"), "links"), ("source_product_id",))
        self.translations: dict[tuple[str, str], dict[str, str | None]] = defaultdict(dict)
        translations = _read_artefact(ws.locales, ("product_id", "locale", "key", "value", "primary"), "pull")
        for row in translations.to_pylist() if translations is not None else []:
            if not row["primary"] and row["key"] in TRANSLATION_KEYS:
                self.translations[(row["product_id"], row["locale"])][TRANSLATION_KEYS[row["key"]]] = row["value"]
        self.stamp = stamp
        return True

    @staticmethod
    def _findings(table: pa.Table | None) -> tuple[dict[str, list[dict[str, Any]]], dict[str, float]]:
        findings: dict[str, list[dict[str, Any]]] = defaultdict(list)
        priority: dict[str, float] = {}
        for row in table.to_pylist() if table is not None else []:
            findings[row["product_id"]].append(row)
            value = row["priority"]
            priority[row["product_id"]] = float(value) if value == value and value is not None else 0.0
        for rows in findings.values():
            rows.sort(key=lambda r: -SEVERITY_RANK.get(r["severity"], 0))
        return dict(findings), priority

    @staticmethod
    def _group(table: pa.Table | None, keys: tuple[str, ...]) -> dict[Any, list[dict[str, Any]]]:
        grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for row in table.to_pylist() if table is not None else []:
            grouped[row[keys[0]] if len(keys) == 1 else tuple(row[k] for k in keys)].append(row)
        for rows in grouped.values():
            rows.sort(key=lambda r: (r.get("role") != "primary", -(r.get("score") or 0.0)))
        return dict(grouped)

    def before(self, product_id: str, locale: str) -> dict[str, str | None]:
        """The store's current text of each rewritable field for this product in this locale."""
        index = self.row_of.get(product_id)
        current = self.copy.slice(index, 1).to_pylist()[0] if index is not None else {}
        if locale == self.primary_locale:
            return {name: current.get(name) for name in DRAFT_FIELDS}
        translated = self.translations.get((product_id, locale), {})
        return {**{name: translated.get(name) for name in DRAFT_FIELDS}, "handle": current.get("handle")}

    def primary_keyword(self, product_id: str, locale: str) -> str | None:
        return next((t["keyword"] for t in self.targets.get((product_id, locale), []) if t["role"] == "primary"),
                    None)


# -- the list -----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReviewRow:
    product_id: str
    locale: str
    handle: str
    title: str
    status: str  # the draft's validation status: 'passed' or 'flagged'
    reasons: tuple[str, ...]  # validation finding codes
    findings: tuple[str, ...]  # audit finding codes
    severity: str | None  # the worst audit severity
    priority: float
    collections: tuple[str, ...]
    decision: str  # one of DECISION_STATES
    reviewer: str = ""

    def sort_key(self) -> tuple[Any, ...]:
        """Worst first: audit priority, then flagged before passed, then more validation notes."""
        return (-self.priority, self.status != "flagged", -len(self.reasons), self.product_id, self.locale)

    def facet_values(self, facet: str) -> tuple[str, ...]:
        if facet in _SINGLE_VALUED:
            return (getattr(self, _SINGLE_VALUED[facet]),)
        return getattr(self, _MULTI_VALUED[facet])


_SINGLE_VALUED = {"status": "status", "locale": "locale", "decision": "decision"}
_MULTI_VALUED = {"finding": "findings", "reason": "reasons", "collection": "collections"}


@dataclass(frozen=True)
class Filters:
    finding: str = ""
    status: str = ""
    reason: str = ""
    locale: str = ""
    collection: str = ""
    decision: str = ""
    q: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Filters:
        values = {name: str(query.get(name, "") or "").strip()[:200] for name in (*FACETS, "q")}
        try:
            page = max(1, int(query.get("page", 1) or 1))
        except ValueError:
            page = 1
        return cls(**values, page=page)

    def query(self, **changes: Any) -> dict[str, str]:
        """The filters as URL query parameters (empty ones left out), with `changes` applied."""
        values = {name: getattr(self, name) for name in (*FACETS, "q", "page")} | changes
        return {k: str(v) for k, v in values.items() if v not in ("", None) and not (k == "page" and v == 1)}

    def fails(self, row: ReviewRow) -> list[str]:
        """The filters `row` does not pass ('q' for the search text)."""
        failed = [facet for facet, wanted in self._chosen() if wanted not in row.facet_values(facet)]
        if self.q and self.q.casefold() not in f"{row.handle} {row.title} {row.product_id}".casefold():
            failed.append("q")
        return failed

    def _chosen(self) -> list[tuple[str, str]]:
        return [(facet, getattr(self, facet)) for facet in FACETS if getattr(self, facet)]

    @property
    def active(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in (*FACETS, "q") if getattr(self, name)}


@dataclass
class ListPage:
    filters: Filters
    rows: list[ReviewRow]
    total: int  # rows matching the filters
    all_drafts: int
    counts: dict[str, list[tuple[str, int]]]  # facet -> (value, rows matching the other filters), most first
    page: int
    pages: int
    undecided: int  # rows in the filtered set without a current decision (what bulk approve would approve)
    hidden: int = 0  # drafts of products no longer in the catalogue: not shown, never bulk-approved


def load_rows(state: StateStore, source: ReviewSource) -> list[ReviewRow]:
    """Every draft as a list row, worst first, with its current decision ('stale' when the draft changed since).

    Drafts of products that are no longer in the catalogue (deleted on the store since generation) are left out:
    there is nothing to compare them with and nothing to push them to.

    Only decided drafts have their text read (to compare with the text the decision was made on), so a list
    over 100,000 undecided drafts reads a few short columns.
    """
    decided: dict[tuple[str, str], tuple[str, str]] = {}
    for decision, draft_hash, reviewer, draft in decided_drafts(state):
        decided[(draft.product_id, draft.locale)] = (decision if draft_fingerprint(draft) == draft_hash else "stale",
                                                     reviewer)
    audit = {pid: (tuple(dict.fromkeys(f["code"] for f in found)), found[0]["severity"])
             for pid, found in source.findings.items()}
    handles, priority, collections = source.handles, source.priority, source.collections
    rows = []
    for product_id, locale, status, validation, title in draft_list_rows(state):
        if product_id not in handles:
            continue
        decision, reviewer = decided.get((product_id, locale), ("undecided", ""))
        reasons = tuple(dict.fromkeys(f["code"] for f in json.loads(validation) if f["code"] not in NOTE_CODES)) \
            if validation not in ("[]", "", None) else ()
        codes, severity = audit.get(product_id, ((), None))
        rows.append(ReviewRow(product_id, locale, handles[product_id] or product_id, title or "", status,
                              reasons, codes, severity, priority.get(product_id, 0.0),
                              collections.get(product_id, (NO_COLLECTION,)), decision, reviewer))
    rows.sort(key=ReviewRow.sort_key)
    return rows


def _decision_state(state: StateStore, product_id: str, locale: str) -> tuple[str, str]:
    """(decision state, reviewer) of one draft now: 'undecided', a decision, or 'stale'."""
    made = get_decision(state, product_id, locale)
    if made is None:
        return "undecided", ""
    draft = get_draft(state, product_id, locale)
    return (made.decision if draft is not None and draft_fingerprint(draft) == made.draft_hash else "stale",
            made.reviewer)


class RowCache:
    """The list rows, kept between requests: rebuilt when drafts or artefacts change, patched when decisions do.

    Drafts and decisions are written as new rows (INSERT OR REPLACE), so row counts, the largest rowid and the
    decision history's last id tell in a millisecond whether anything changed; a decision changes only its own
    row's state, never the order, so a reviewer's click costs one row, not a reload of 100,000.
    """

    def __init__(self, source: ReviewSource):
        self.source = source
        self._drafts_key: tuple[Any, ...] | None = None
        self._decisions_key: tuple[int, int] | None = None
        self._rows: list[ReviewRow] = []
        self._index: dict[tuple[str, str], int] = {}
        self.hidden = 0  # drafts left out because their product is no longer in the catalogue

    def rows(self, state: StateStore) -> list[ReviewRow]:
        drafts, rowid, decisions, history = review_counters(state)
        drafts_key = (drafts, rowid, self.source.stamp)
        if drafts_key != self._drafts_key or self._decisions_key is None or decisions < self._decisions_key[0]:
            self._rows = load_rows(state, self.source)
            self._index = {(r.product_id, r.locale): i for i, r in enumerate(self._rows)}
            self.hidden = drafts - len(self._rows)
        elif history != self._decisions_key[1]:
            changed = decided_since(state, self._decisions_key[1])
            rows = list(self._rows)  # a new list: a request still reading the old one keeps a consistent view
            for product_id, locale in changed:
                index = self._index.get((product_id, locale))
                if index is not None:
                    decision, reviewer = _decision_state(state, product_id, locale)
                    rows[index] = replace(rows[index], decision=decision, reviewer=reviewer)
            self._rows = rows
        self._drafts_key, self._decisions_key = drafts_key, (decisions, history)
        return self._rows


def _needs_before_title(rows: list[ReviewRow], source: ReviewSource) -> list[ReviewRow]:
    """Rows whose draft leaves the title alone show the current title instead."""
    out = []
    for row in rows:
        if not row.title:
            index = source.row_of.get(row.product_id)
            title = source.copy.column("title")[index].as_py() if index is not None else ""
            row = replace(row, title=title or row.handle)
        out.append(row)
    return out


def filter_rows(rows: Iterable[ReviewRow], filters: Filters) -> Iterator[ReviewRow]:
    return (row for row in rows if not filters.fails(row))


def list_page(rows: list[ReviewRow], filters: Filters, source: ReviewSource,
              page_size: int = PAGE_SIZE, hidden: int = 0) -> ListPage:
    """One page of the filtered rows, with each filter's value counts among rows matching the other filters."""
    matching: list[ReviewRow] = []
    near: dict[str, list[ReviewRow]] = {facet: [] for facet in FACETS}  # rows failing only that filter
    if not filters.active:
        matching = rows
    else:
        for row in rows:
            failed = filters.fails(row)
            if not failed:
                matching.append(row)
            elif len(failed) == 1 and failed[0] in near:
                near[failed[0]].append(row)
    counts = {}
    for facet in FACETS:
        pool = matching + near[facet] if near[facet] else matching
        if facet in _SINGLE_VALUED:
            counter = Counter(map(attrgetter(_SINGLE_VALUED[facet]), pool))
        else:
            counter = Counter(chain.from_iterable(map(attrgetter(_MULTI_VALUED[facet]), pool)))
        counts[facet] = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    pages = max(1, -(-len(matching) // page_size))
    page = min(filters.page, pages)
    shown = _needs_before_title(matching[(page - 1) * page_size: page * page_size], source)
    undecided = sum(1 for row in matching if row.decision in ("undecided", "stale"))
    return ListPage(filters=replace(filters, page=page), rows=shown, total=len(matching), all_drafts=len(rows),
                    counts=counts, page=page, pages=pages, undecided=undecided, hidden=hidden)


def neighbours(rows: list[ReviewRow], filters: Filters, product_id: str, locale: str
               ) -> tuple[ReviewRow | None, ReviewRow | None, int, int]:
    """(previous, next, position, total) of a draft within the filtered list; it need not be in it any more."""
    matching = list(filter_rows(rows, filters))
    current = next((r for r in rows if r.product_id == product_id and r.locale == locale), None)
    if current is None:
        return None, (matching[0] if matching else None), 0, len(matching)
    key = current.sort_key()
    after = next((i for i, r in enumerate(matching) if r.sort_key() > key), len(matching))
    here = after - 1 if after > 0 and matching[after - 1].sort_key() == key else None
    before_index = (here if here is not None else after) - 1
    previous = matching[before_index] if before_index >= 0 else None
    following = matching[after] if after < len(matching) else None
    return previous, following, (here + 1 if here is not None else 0), len(matching)


# -- one draft ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldView:
    name: str
    before: str
    after: str  # what an approval writes: the decision's edited value, else the draft's
    draft_value: str
    diff: WordDiff
    left_alone: bool  # the draft does not rewrite this field


@dataclass
class DraftView:
    draft: Draft
    handle: str
    fields: list[FieldView]
    findings: list[dict[str, Any]]
    priority: float
    targets: list[dict[str, Any]]
    links: list[dict[str, Any]]
    decision: Decision | None
    decision_state: str
    history: list[Decision] = field(default_factory=list)

    @property
    def validation(self) -> list[dict[str, str]]:
        return self.draft.validation

    @property
    def body(self) -> FieldView:
        return next(f for f in self.fields if f.name == "body_html")

    def rendered_body(self, side: str) -> str:
        """The description before or after, sanitised with the allow-list: safe to render in a page."""
        return sanitise_body_html(self.body.before if side == "before" else self.body.after)


def draft_view(state: StateStore, source: ReviewSource, product_id: str, locale: str) -> DraftView | None:
    draft = get_draft(state, product_id, locale)
    if draft is None:
        return None
    before = source.before(product_id, locale)
    decision = get_decision(state, product_id, locale)
    current = decision is not None and decision.draft_hash == draft_fingerprint(draft)
    final = decision.fields if decision is not None and current and decision.approves else {}
    fields = []
    for name in DRAFT_FIELDS:
        draft_value = getattr(draft, name)
        left_alone = draft_value is None
        after = final.get(name, draft_value if draft_value is not None else before.get(name)) or ""
        old = before.get(name) or ""
        fields.append(FieldView(name, old, after, draft_value or "", word_diff(old, after, html=name == "body_html"),
                                left_alone and name not in final))
    state_name = "undecided" if decision is None else (decision.decision if current else "stale")
    return DraftView(
        draft=draft, handle=source.handles.get(product_id) or product_id, fields=fields,
        findings=source.findings.get(product_id, []), priority=source.priority.get(product_id, 0.0),
        targets=source.targets.get((product_id, locale), []), links=source.links.get(product_id, []),
        decision=decision, decision_state=state_name, history=decision_history(state, product_id, locale))


# -- decisions ------------------------------------------------------------------------------------------------
class ApprovalBlocked(InputError):
    """An approval refused: the draft has blocking findings and the reviewer gave no override with a note."""

    def __init__(self, blocking: list[dict[str, Any]]):
        self.blocking = blocking
        count = "1 blocking finding stands" if len(blocking) == 1 else f"{len(blocking)} blocking findings stand"
        labels = ", ".join(dict.fromkeys(str(r["label"]) for r in blocking))
        super().__init__(f"not approved: {count} ({labels}); tick “Approve anyway” and say why in the note",
                         field="note")


def decide(state: StateStore, product_id: str, locale: str, action: str, *, reviewer: str,
           edits: Mapping[str, str] | None = None, note: str = "", override: bool = False) -> Decision:
    """Record approve / reject / edit on one draft at once. Edited text is sanitised before it is stored; the
    app then shows the edit's validation (pipeline.review_checks) beside it.

    Approving a draft whose own checks found a blocking finding raises ApprovalBlocked unless `override` is set
    and `note` says why; the decision then records the codes it overrode."""
    kinds = {"approve": "approved", "reject": "rejected", "edit": "edited"}
    if action not in kinds:
        raise InputError(f"unknown action {action!r}; use approve, reject or edit", field="action")
    draft = get_draft(state, product_id, locale)
    if draft is None:
        raise InputError(f"no draft for product {product_id!r} in locale {locale!r}", field="product_id")
    overrides: tuple[str, ...] = ()
    if action == "approve":
        blocking = blocking_reasons(draft.validation)
        if blocking and not (override and sanitise_plain_text(note)):
            raise ApprovalBlocked(blocking)
        overrides = blocking_codes(blocking)
    try:
        return record_decision(state, draft, kinds[action], reviewer=reviewer, note=note, overrides=overrides,
                               edits={k: v for k, v in (edits or {}).items() if k in DRAFT_FIELDS} or None)
    except ValueError as exc:
        raise InputError(str(exc), field="action") from None


@dataclass(frozen=True)
class BulkOutcome:
    approved: int
    blocked: int  # drafts of the set left undecided: a blocking finding stands (each needs an override note)

    def summary(self) -> str:
        """One line for the list page."""
        done = f"Approved {self.approved:,} draft{'' if self.approved == 1 else 's'}."
        if not self.blocked:
            return done
        return (f"{done} Skipped {self.blocked:,} with a blocking finding (a fact the product data does not state, "
                "the wrong language...): open each to approve it anyway with a note.")


def blocked_rows(rows: Iterable[ReviewRow]) -> list[ReviewRow]:
    """The rows whose draft has a blocking finding of its own checks (what bulk approve skips)."""
    return [r for r in rows if any(is_blocking(code) for code in r.reasons)]


def bulk_approve(state: StateStore, rows: list[ReviewRow], filters: Filters, *, reviewer: str,
                 expected: int) -> BulkOutcome:
    """Approve every undecided (or stale) draft in the filtered set, if it still has `expected` drafts, except
    those with a blocking finding: they are skipped and counted (one at a time, with a note, is how they are
    approved).

    Decisions already made by a person are kept. The count check makes the confirmation honest: if the set
    changed between the confirmation and the click, nothing is approved.
    """
    targets = [r for r in filter_rows(rows, replace(filters, page=1)) if r.decision in ("undecided", "stale")]
    if len(targets) != expected:
        raise InputError(f"the filtered set now has {len(targets):,} undecided drafts, not {expected:,}; "
                         "review the count and confirm again", field="expected")
    blocked = {(r.product_id, r.locale) for r in blocked_rows(targets)}
    targets = [r for r in targets if (r.product_id, r.locale) not in blocked]
    decisions = []
    for chunk_start in range(0, len(targets), 500):
        chunk = targets[chunk_start:chunk_start + 500]
        by_key = {(d.product_id, d.locale): d for d in list_drafts(state, product_ids={r.product_id for r in chunk})}
        for row in chunk:
            draft = by_key.get((row.product_id, row.locale))
            if draft is None:
                continue
            if blocking_reasons(draft.validation):  # (the row was read before the draft changed)
                blocked.add((row.product_id, row.locale))
                continue
            decisions.append(build_decision(draft, "approved", reviewer=reviewer, note="bulk approve"))
    return BulkOutcome(record_decisions(state, decisions), len(blocked))


# -- the static report ----------------------------------------------------------------------------------------
@dataclass
class ReportResult:
    path: Path
    drafts: int
    decided: Counter[str]
    seconds: float
    hidden: int = 0  # drafts of products no longer in the catalogue

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(self.decided.items())) or "no decisions yet"
        gone = f"; {self.hidden:,} drafts of products no longer in the catalogue left out" if self.hidden else ""
        return f"review-report: {self.drafts:,} drafts ({kinds}){gone}; {self.seconds:.1f} s"


def report_views(state: StateStore, source: ReviewSource, rows: list[ReviewRow]) -> Iterator[DraftView]:
    for row in rows:
        view = draft_view(state, source, row.product_id, row.locale)
        if view is not None:
            yield view


def write_report(workspace: Workspace, state: StateStore, primary_locale: str, *, store: str) -> ReportResult:
    """Every draft's diffs, worst first, in one self-contained HTML file (workspace/<store>/review_report.html)."""
    from pipeline.core.progress import Progress
    from pipeline.stages.review.pages import render_report
    from pipeline.state.store import utc_now
    from pipeline.workspace import atomic_path

    started = time.monotonic()
    run_id = state.start_run("review-report")
    try:
        source = ReviewSource(workspace, primary_locale)
        rows = load_rows(state, source)
        progress = Progress("review-report", len(rows))
        destination = workspace.root / "review_report.html"

        def counted(views: Iterable[DraftView]) -> Iterator[DraftView]:
            for view in views:
                progress.advance()
                yield view

        with atomic_path(destination) as tmp, open(tmp, "w", encoding="utf-8") as out:
            for chunk in render_report(store=store, generated_at=utc_now(), rows=rows,
                                       views=counted(report_views(state, source, rows))):
                out.write(chunk)
        progress.close()
        decided = Counter(r.decision for r in rows if r.decision != "undecided")
        hidden = total_drafts(state) - len(rows)
        result = ReportResult(destination, len(rows), decided, time.monotonic() - started, hidden)
        state.finish_run(run_id, "ok", {"drafts": len(rows), "hidden": hidden, **decided})
        return result
    except BaseException as exc:
        state.finish_run(run_id, "failed", {}, str(exc)[:500])
        raise
