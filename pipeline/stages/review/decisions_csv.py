"""Decisions to and from CSV, for reviewers who work in spreadsheets.

Export writes one row per draft: its current decision (blank when undecided) and the values an approval would
write, with the store's current text beside them (`before_*`) for reference. `product_handle` is the product's
current handle, for finding it; `handle` is the new handle the draft proposes, if any. Import reads the same
columns back: a row with a decision records it (cells that differ from the draft make it an edit); a row with a
blank decision is skipped.

Spreadsheets run cells that start with = + - @ as formulas, so export prefixes those with an apostrophe and
import removes it again. Import checks every row before recording any: one bad cell stops it with a one-line
error naming the file, row and column, and nothing is written.

A row that approves (or edits) a draft whose checks found a blocking finding (labels.py BLOCKING; the export's
`validation` column lists the codes) is an override, as in the app: it is recorded only with a `note` saying
why, and the decision keeps the codes it overrode. Without a note the row is skipped, counted and named in the
summary, and the other rows are recorded: a spreadsheet of many approvals should not fail on the few that need a
second look. A finding on a field the row rewrites no longer describes the text and does not count.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from pipeline.errors import InputError
from pipeline.stages.review.labels import blocking_codes, blocking_reasons
from pipeline.state.decisions import (
    Decision,
    build_decision,
    draft_fingerprint,
    final_fields,
    get_decision,
    list_decisions,
    record_decisions,
    sanitise_plain_text,
)
from pipeline.state.drafts import DRAFT_FIELDS, Draft, list_drafts
from pipeline.state.store import StateStore

KEY_COLUMNS = ("product_id", "locale", "decision")
EXPORT_COLUMNS = ("product_id", "locale", "product_handle", "decision", "reviewer", "decided_at", "note", "validation",
                  *DRAFT_FIELDS, *(f"before_{name}" for name in DRAFT_FIELDS), "draft_hash")
DECISION_WORDS = {"approved": "approved", "approve": "approved", "edited": "edited", "edit": "edited",
                  "rejected": "rejected", "reject": "rejected"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def unescape_cell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def export_decisions(state: StateStore, source: Any, out: TextIO, product_ids: Iterable[str] | None = None) -> int:
    """Every draft (or only those of `product_ids`) with its decision and final values as CSV on `out`; returns
    the number of rows."""
    decisions = {(d.product_id, d.locale): d for d in list_decisions(state)}
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    wanted = None if product_ids is None else set(product_ids)
    for draft in list_drafts(state):
        if wanted is not None and draft.product_id not in wanted:
            continue
        if draft.product_id not in source.handles:
            continue  # the product is no longer in the catalogue: nothing to decide
        row = decisions.get((draft.product_id, draft.locale))
        current = row if row is not None and row.draft_hash == draft_fingerprint(draft) else None  # on this draft
        decision = current.decision if current is not None else ""
        values = ({n: current.fields.get(n) for n in DRAFT_FIELDS} if current is not None and decision != "rejected"
                  else {n: getattr(draft, n) for n in DRAFT_FIELDS})
        before = source.before(draft.product_id, draft.locale)
        cells = [draft.product_id, draft.locale, source.handles.get(draft.product_id, ""), decision,
                 *((current.reviewer, current.decided_at, current.note) if current is not None
                   else ("", "", "")), " ".join(draft.reasons()),
                 *(values[n] for n in DRAFT_FIELDS), *(before.get(n) for n in DRAFT_FIELDS),
                 draft_fingerprint(draft)]
        writer.writerow([escape_cell(c) for c in cells])
        count += 1
    return count


@dataclass
class ImportResult:
    recorded: Counter[str] = field(default_factory=Counter)
    unchanged: int = 0
    blank: int = 0
    stale: list[str] = field(default_factory=list)  # "product_id/locale" whose draft changed since the export
    blocked: list[str] = field(default_factory=list)  # "product_id/locale" approved over a blocking finding, no note

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(self.recorded.items())) or "none"
        out = [f"recorded {sum(self.recorded.values()):,} decisions ({kinds}); {self.unchanged:,} unchanged, "
               f"{self.blank:,} rows without a decision skipped"]
        if self.stale:
            shown = ", ".join(self.stale[:5]) + (f" and {len(self.stale) - 5:,} more" if len(self.stale) > 5 else "")
            out.append(f"skipped {len(self.stale):,} rows whose draft was regenerated after the export "
                       f"(decide them again): {shown}")
        if self.blocked:
            shown = ", ".join(self.blocked[:5]) + (f" and {len(self.blocked) - 5:,} more"
                                                   if len(self.blocked) > 5 else "")
            out.append(f"skipped {len(self.blocked):,} rows that approve a draft with a blocking finding but give no "
                       f"note (write why in the note column to approve it anyway): {shown}")
        return out


def import_decisions(state: StateStore, handle: TextIO, *, name: str, reviewer: str) -> ImportResult:
    """Check every row of a decisions CSV, then record all its decisions in one transaction."""
    reader = csv.DictReader(handle)
    header = reader.fieldnames or []
    for column in KEY_COLUMNS:
        if column not in header:
            raise InputError(f"missing column (expected at least {', '.join(KEY_COLUMNS)})", file=name,
                             field=column)
    unknown = [c for c in header if c not in EXPORT_COLUMNS]
    if unknown:
        raise InputError(f"unknown column (known: {', '.join(EXPORT_COLUMNS)})", file=name, field=unknown[0])
    result = ImportResult()
    planned: list[Decision] = []
    seen: set[tuple[str, str]] = set()
    drafts = {(d.product_id, d.locale): d for d in list_drafts(state)}
    for row_number, raw in enumerate(reader, start=2):
        if None in raw:
            raise InputError("more cells than columns", file=name, row=row_number, field=header[-1])
        row = {k: unescape_cell((v or "").replace("\r\n", "\n")) for k, v in raw.items()}
        made = _planned_decision(state, drafts, row, row_number, name=name, reviewer=reviewer, result=result)
        if made is None:
            continue
        key = (made.product_id, made.locale)
        if key in seen:
            raise InputError(f"a second row for product {key[0]!r} in locale {key[1]!r}", file=name,
                             row=row_number, field="product_id")
        seen.add(key)
        planned.append(made)
    record_decisions(state, planned)
    result.recorded.update(d.decision for d in planned)
    return result


def _planned_decision(state: StateStore, drafts: dict[tuple[str, str], Draft], row: dict[str, str],
                      row_number: int, *, name: str, reviewer: str, result: ImportResult) -> Decision | None:
    word = row["decision"].strip().lower()
    if not word:
        result.blank += 1
        return None
    if word not in DECISION_WORDS:
        raise InputError(f"decision {row['decision']!r} is not one of approved, edited, rejected (or blank)",
                         file=name, row=row_number, field="decision")
    product_id, locale = row["product_id"].strip(), row["locale"].strip()
    if not product_id or not locale:
        raise InputError("empty", file=name, row=row_number, field="product_id" if not product_id else "locale")
    draft = drafts.get((product_id, locale))
    if draft is None:
        raise InputError(f"no draft for product {product_id!r} in locale {locale!r}", file=name, row=row_number,
                         field="product_id")
    exported_hash = row.get("draft_hash", "").strip()
    if exported_hash and exported_hash != draft_fingerprint(draft):
        result.stale.append(f"{product_id}/{locale}")
        return None
    kind = DECISION_WORDS[word]
    edits = {n: row[n] for n in DRAFT_FIELDS if n in row}
    rewritten: set[str] = set()
    if kind != "rejected" and edits:
        edited, own = final_fields(draft, edits), final_fields(draft)
        rewritten = {n for n in DRAFT_FIELDS if edited.get(n) != own.get(n)}
        if rewritten:
            kind = "edited"
    overrides: tuple[str, ...] = ()
    if kind != "rejected":
        blocking = blocking_reasons(draft.validation, fields=rewritten)
        if blocking and not sanitise_plain_text(row.get("note", "")):
            result.blocked.append(f"{product_id}/{locale}")
            return None
        overrides = blocking_codes(blocking)
    try:
        made = build_decision(draft, kind, reviewer=row.get("reviewer", "").strip() or reviewer,
                              edits=edits if kind == "edited" else None, note=row.get("note", ""),
                              overrides=overrides)
    except ValueError as exc:
        raise InputError(str(exc), file=name, row=row_number, field="decision") from None
    current = get_decision(state, product_id, locale)
    if current is not None and (current.decision, current.fields, current.draft_hash, current.note,
                                current.overrides) == (made.decision, made.fields, made.draft_hash, made.note,
                                                       made.overrides):
        result.unchanged += 1
        return None
    return made
