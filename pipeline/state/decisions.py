"""Review decisions: what a person decided about each draft, kept in state.db so nothing decided is lost.

One current decision per (product_id, locale) in `decisions`, and every decision ever made appended to
`decision_history`. A decision is 'approved' (the draft as generated), 'edited' (approved, with the reviewer's
text) or 'rejected'. The final field values are stored with the decision, sanitised, so push needs nothing else.

An edit saved over a blocking finding of the review app's checks (an invented fact, the wrong language...) records
the codes it overrode in `overrides`; the reviewer's reason is its `note`.

A decision applies to the draft content it was made on: its `draft_hash` (see `draft_fingerprint`) is stored
with it. When the draft is regenerated and its content changes, the old approval does not carry over to the
new text: `approved_changes` skips it and `stale_decisions` lists it, so the reviewer can decide again.

The push stage's contract is `approved_changes(state) -> list[ApprovedChange]`; keep it stable.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import nh3

from pipeline.core.text import stable_hash
from pipeline.state.drafts import DRAFT_FIELDS, Draft
from pipeline.state.store import StateStore, utc_now

DECISIONS = ("approved", "edited", "rejected")
APPROVING = ("approved", "edited")
PLAIN_TEXT_FIELDS = ("title", "seo_title", "seo_description", "handle")

# The same allow-list the generator's validator enforces; kept here too so decisions do not depend on the
# LLM package being importable.
_ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "h2", "h3", "h4", "a", "blockquote"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


@dataclass(frozen=True)
class Decision:
    product_id: str
    locale: str
    decision: str
    fields: dict[str, str]  # final values to write; a field absent here is left as it is on the store
    draft_hash: str
    reviewer: str
    decided_at: str
    note: str = ""
    overrides: tuple[str, ...] = ()  # blocking finding codes the reviewer approved over (with `note` as the reason)

    @property
    def approves(self) -> bool:
        return self.decision in APPROVING


@dataclass(frozen=True)
class ApprovedChange:
    """One product's approved copy in one locale: push writes `fields` (field name -> final value)."""

    product_id: str
    locale: str
    fields: dict[str, str]
    decision: str  # 'approved' or 'edited'
    reviewer: str
    decided_at: str


@dataclass(frozen=True)
class StaleDecision:
    """A decision whose draft has since changed (regenerated) or disappeared: it no longer applies."""

    decision: Decision
    reason: str  # 'draft changed' or 'draft gone'


@dataclass
class DecisionCounts:
    by_decision: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_decision.values())


def draft_fingerprint(draft: Draft) -> str:
    """Hash of the draft's text (the five rewritable fields): what a decision was made on."""
    values = {name: getattr(draft, name) for name in DRAFT_FIELDS}
    return stable_hash(json.dumps(values, sort_keys=True, ensure_ascii=False), 24)


def sanitise_body_html(markup: str) -> str:
    """Allow-listed HTML only: no script, no event-handler attributes, links only over http(s) or relative."""
    return nh3.clean(markup, tags=set(_ALLOWED_TAGS), attributes=_ALLOWED_ATTRIBUTES, link_rel=None,
                     url_schemes={"http", "https"}).strip()


def sanitise_plain_text(text: str) -> str:
    """Plain text with every tag removed; entities decoded until stable, so `&lt;script&gt;` cannot sneak back."""
    current = text
    for _ in range(5):
        cleaned = html.unescape(nh3.clean(current, tags=set()))
        if cleaned == current:
            break
        current = cleaned
    return " ".join(current.split())


def sanitise_field(name: str, value: str) -> str:
    return sanitise_body_html(value) if name == "body_html" else sanitise_plain_text(value)


def final_fields(draft: Draft, edits: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The values an approval writes: the draft's fields with the reviewer's edits over them, sanitised.

    An edit to an empty string removes that field from the change (it is left as it is on the store).
    """
    values: dict[str, str | None] = {name: getattr(draft, name) for name in DRAFT_FIELDS}
    for name, value in (edits or {}).items():
        if name not in DRAFT_FIELDS:
            raise ValueError(f"unknown field {name!r}; editable fields: {', '.join(DRAFT_FIELDS)}")
        values[name] = value
    out: dict[str, str] = {}
    for name, value in values.items():
        if value is not None and value.strip():
            cleaned = sanitise_field(name, value)
            if cleaned:
                out[name] = cleaned
    return out


def record_decision(state: StateStore, draft: Draft, decision: str, *, reviewer: str,
                    edits: Mapping[str, str | None] | None = None, note: str = "",
                    decided_at: str | None = None, overrides: tuple[str, ...] = ()) -> Decision:
    """Store a decision on `draft` at once (current row replaced, history appended) and return it.

    'edited' needs `edits` (field -> new text); the stored values are sanitised. If the edited values equal the
    draft's own, the decision is stored as 'approved'. `overrides`: the blocking findings approved over; they need
    a note saying why.
    """
    made = build_decision(draft, decision, reviewer=reviewer, edits=edits, note=note, decided_at=decided_at,
                          overrides=overrides)
    with state.transaction():
        _write(state, made)
    return made


def record_decisions(state: StateStore, decisions: list[Decision]) -> int:
    """Store many decisions (bulk approve, CSV import) in one transaction; all or nothing."""
    with state.transaction():
        for made in decisions:
            _write(state, made)
    return len(decisions)


def build_decision(draft: Draft, decision: str, *, reviewer: str, edits: Mapping[str, str | None] | None = None,
                   note: str = "", decided_at: str | None = None, overrides: tuple[str, ...] = ()) -> Decision:
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    reviewer = sanitise_plain_text(reviewer or "")
    if not reviewer:
        raise ValueError("a decision needs a reviewer name")
    if decision == "edited" and not edits:
        raise ValueError("an 'edited' decision needs the edited field values")
    overrides = tuple(dict.fromkeys(sanitise_plain_text(code) for code in overrides if code))
    if overrides and (decision == "rejected" or not sanitise_plain_text(note or "")):
        raise ValueError("approving over a blocking finding needs a note saying why")
    if decision == "rejected":
        fields: dict[str, str] = {}
    else:
        fields = final_fields(draft, edits if decision == "edited" else None)
        if decision == "edited" and fields == final_fields(draft):
            decision = "approved"
    return Decision(product_id=draft.product_id, locale=draft.locale, decision=decision, fields=fields,
                    draft_hash=draft_fingerprint(draft), reviewer=reviewer, decided_at=decided_at or utc_now(),
                    note=sanitise_plain_text(note or ""), overrides=overrides)


_COLUMNS = ("product_id", "locale", "decision", *DRAFT_FIELDS, "draft_hash", "reviewer", "decided_at", "note",
            "overrides")


def _write(state: StateStore, made: Decision) -> None:
    row = [made.product_id, made.locale, made.decision, *(made.fields.get(n) for n in DRAFT_FIELDS),
           made.draft_hash, made.reviewer, made.decided_at, made.note, json.dumps(list(made.overrides))]
    marks = ", ".join("?" for _ in _COLUMNS)
    state.db.execute(f"INSERT OR REPLACE INTO decisions ({', '.join(_COLUMNS)}) VALUES ({marks})", row)
    state.db.execute(f"INSERT INTO decision_history ({', '.join(_COLUMNS)}) VALUES ({marks})", row)


def _from_row(row: Any) -> Decision:
    return Decision(product_id=row["product_id"], locale=row["locale"], decision=row["decision"],
                    fields={n: row[n] for n in DRAFT_FIELDS if row[n] is not None}, draft_hash=row["draft_hash"],
                    reviewer=row["reviewer"], decided_at=row["decided_at"], note=row["note"],
                    overrides=tuple(json.loads(row["overrides"] or "[]")))


def get_decision(state: StateStore, product_id: str, locale: str) -> Decision | None:
    row = state.db.execute("SELECT * FROM decisions WHERE product_id = ? AND locale = ?",
                           (product_id, locale)).fetchone()
    return _from_row(row) if row else None


def list_decisions(state: StateStore, decision: str | None = None, locale: str | None = None) -> list[Decision]:
    """Current decisions, optionally one kind and one locale, by product then locale."""
    clauses, params = [], []
    if decision is not None:
        clauses.append("decision = ?")
        params.append(decision)
    if locale is not None:
        clauses.append("locale = ?")
        params.append(locale)
    sql = "SELECT * FROM decisions" + (f" WHERE {' AND '.join(clauses)}" if clauses else "")
    return [_from_row(r) for r in state.db.execute(sql + " ORDER BY product_id, locale", params)]


def decision_history(state: StateStore, product_id: str, locale: str | None = None) -> list[Decision]:
    """Every decision ever recorded for a product (one locale or all), oldest first."""
    sql = "SELECT * FROM decision_history WHERE product_id = ?" + (" AND locale = ?" if locale else "")
    params = (product_id, locale) if locale else (product_id,)
    return [_from_row(r) for r in state.db.execute(sql + " ORDER BY id", params)]


def count_decisions(state: StateStore) -> DecisionCounts:
    rows = state.db.execute("SELECT decision, COUNT(*) FROM decisions GROUP BY decision")
    return DecisionCounts({r[0]: r[1] for r in rows})


def count_history(state: StateStore) -> int:
    """How many decisions have ever been recorded (reopenings included): the length of decision_history."""
    return int(state.db.execute("SELECT COUNT(*) FROM decision_history").fetchone()[0])


def decided_since(state: StateStore, history_id: int) -> list[tuple[str, str]]:
    """(product_id, locale) of every draft with a decision (or reopening) recorded after history row `history_id`,
    each once."""
    return [(r[0], r[1]) for r in state.db.execute(
        "SELECT DISTINCT product_id, locale FROM decision_history WHERE id > ?", (history_id,))]


class ReviewCounters(NamedTuple):
    """Numbers that change whenever drafts or decisions do (both are written as new rows, INSERT OR REPLACE): a
    cache of what is derived from them compares these instead of reading them again."""

    drafts: int  # drafts to review: those that wrote nothing ('abstained') are not counted
    last_draft_rowid: int | None  # None while there are no drafts
    decisions: int
    last_history_id: int  # 0 while nothing was ever decided


def review_counters(state: StateStore) -> ReviewCounters:
    row = state.db.execute(
        "SELECT (SELECT COUNT(*) FROM drafts WHERE status != 'abstained'), (SELECT MAX(rowid) FROM drafts), "
        "(SELECT COUNT(*) FROM decisions), (SELECT COALESCE(MAX(id), 0) FROM decision_history)").fetchone()
    return ReviewCounters(*row)


def decided_drafts(state: StateStore) -> Iterator[tuple[str, str, str, Draft]]:
    """(decision, draft_hash, reviewer, draft) of every current decision whose draft exists, in no particular
    order; the draft holds only its key and the five rewritable fields (what `draft_fingerprint` reads), so
    comparing with `draft_hash` tells whether the decision still applies to its text."""
    columns = ", ".join(f"d.{n}" for n in DRAFT_FIELDS)
    for r in state.db.execute(f"SELECT c.product_id, c.locale, c.decision, c.draft_hash, c.reviewer, {columns} "
                              "FROM decisions c JOIN drafts d USING (product_id, locale)"):
        yield r[2], r[3], r[4], Draft(product_id=r[0], locale=r[1], **{n: r[n] for n in DRAFT_FIELDS})


def _current_draft_hashes(state: StateStore) -> dict[tuple[str, str], str]:
    columns = ", ".join(DRAFT_FIELDS)
    hashes = {}
    for row in state.db.execute(f"SELECT product_id, locale, {columns} FROM drafts"):
        draft = Draft(product_id=row[0], locale=row[1], **{n: row[n] for n in DRAFT_FIELDS})
        hashes[(row[0], row[1])] = draft_fingerprint(draft)
    return hashes


def _split_current(state: StateStore, decisions: list[Decision]) -> tuple[list[Decision], list[StaleDecision]]:
    hashes = _current_draft_hashes(state)
    current, stale = [], []
    for made in decisions:
        now = hashes.get((made.product_id, made.locale))
        if now is None:
            stale.append(StaleDecision(made, "draft gone"))
        elif now != made.draft_hash:
            stale.append(StaleDecision(made, "draft changed"))
        else:
            current.append(made)
    return current, stale


def approved_changes(state: StateStore, locale: str | None = None) -> list[ApprovedChange]:
    """What push should write: every approved or edited decision whose draft is unchanged since the decision.

    Each ApprovedChange holds the final, sanitised value of each field to write (fields the draft leaves alone
    are absent). Decisions on drafts that were regenerated since are skipped: see `stale_decisions`.
    Rejected drafts and approvals with nothing left to write are not included.
    """
    approving = [d for d in list_decisions(state, locale=locale) if d.approves and d.fields]
    current, _ = _split_current(state, approving)
    return [ApprovedChange(product_id=d.product_id, locale=d.locale, fields=dict(d.fields), decision=d.decision,
                           reviewer=d.reviewer, decided_at=d.decided_at) for d in current]


def stale_decisions(state: StateStore, locale: str | None = None) -> list[StaleDecision]:
    """Decisions (of any kind) made on draft text that has since changed or gone: they need a new review."""
    _, stale = _split_current(state, list_decisions(state, locale=locale))
    return stale


def is_current(made: Decision, draft: Draft | None) -> bool:
    return draft is not None and draft_fingerprint(draft) == made.draft_hash


def reopen_decision(state: StateStore, product_id: str, locale: str, *, reason: str, by: str = "push") -> bool:
    """Put a decided draft back in the review queue: its current decision is removed and the reopening is kept in
    the history (decision 'reopened', with the reason). Push does this when the product was edited on the store
    after the pull, so the approval was made against text that is no longer there. False if nothing was decided."""
    with state.transaction() as db:
        row = db.execute("SELECT draft_hash FROM decisions WHERE product_id = ? AND locale = ?",
                         (product_id, locale)).fetchone()
        if row is None:
            return False
        db.execute("DELETE FROM decisions WHERE product_id = ? AND locale = ?", (product_id, locale))
        db.execute("INSERT INTO decision_history (product_id, locale, decision, draft_hash, reviewer, decided_at, "
                   "note) VALUES (?, ?, 'reopened', ?, ?, ?, ?)",
                   (product_id, locale, row[0], by, utc_now(), sanitise_plain_text(reason)))
    return True
