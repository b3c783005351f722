"""The drafts table: one generated draft per (product, locale), with how it was made and whether it passed.

This is the API the review and push stages read. A field that is NULL is one the draft leaves alone (its
`fields_left_alone` says which, and why is in the validation notes); the "before" values come from
catalog.parquet. `validation` holds the findings of the last round as [{field, code, message}].
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from pipeline.state.store import StateStore, utc_now

DRAFT_FIELDS = ("title", "body_html", "seo_title", "seo_description", "handle")


# Validation entries that are notes, not findings: a field the writer left alone, and why.
NOTE_CODES = frozenset({"left_alone"})


@dataclass
class Draft:
    product_id: str
    locale: str
    title: str | None = None
    body_html: str | None = None
    seo_title: str | None = None
    seo_description: str | None = None
    handle: str | None = None
    fields_left_alone: list[str] = field(default_factory=list)
    prompt_hash: str = ""
    input_hash: str = ""
    repair_hash: str = ""
    content_hash: str = ""
    provider: str = ""
    model: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    cached_tokens: int = 0
    cost: float | None = None
    rounds: int = 0
    status: str = "flagged"
    validation: list[dict[str, str]] = field(default_factory=list)
    run_id: int | None = None
    created_at: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def reasons(self) -> list[str]:
        """The distinct finding codes, in the order first seen: why a flagged draft was flagged."""
        return list(dict.fromkeys(f["code"] for f in self.validation if f["code"] not in NOTE_CODES))

    def written_fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in DRAFT_FIELDS if getattr(self, name) is not None}


_COLUMNS = tuple(Draft.__dataclass_fields__)


def save_draft(state: StateStore, draft: Draft) -> None:
    """Insert or replace the draft for (product_id, locale), in one transaction."""
    row = asdict(draft)
    row["created_at"] = row["created_at"] or utc_now()
    row["fields_left_alone"] = json.dumps(draft.fields_left_alone)
    row["validation"] = json.dumps(draft.validation, ensure_ascii=False)
    placeholders = ", ".join("?" for _ in _COLUMNS)
    with state.transaction() as db:
        db.execute(f"INSERT OR REPLACE INTO drafts ({', '.join(_COLUMNS)}) VALUES ({placeholders})",
                   [row[c] for c in _COLUMNS])


def _from_row(row: Any) -> Draft:
    data = dict(row)
    data["fields_left_alone"] = json.loads(data["fields_left_alone"])
    data["validation"] = json.loads(data["validation"])
    return Draft(**{c: data[c] for c in _COLUMNS})


def get_draft(state: StateStore, product_id: str, locale: str) -> Draft | None:
    row = state.db.execute("SELECT * FROM drafts WHERE product_id = ? AND locale = ?",
                           (product_id, locale)).fetchone()
    return _from_row(row) if row else None


def list_drafts(state: StateStore, *, status: str | None = None, locale: str | None = None,
                product_ids: Iterable[str] | None = None, reason: str | None = None,
                limit: int | None = None) -> list[Draft]:
    """Drafts filtered by status ('passed'|'flagged'|'abstained'), locale, products and finding code, oldest
    product first. Without a status, drafts that wrote nothing ('abstained') are left out: there is nothing in
    them to review or push."""
    clauses: list[str] = []
    params: list[Any] = []
    if status is not None:
        clauses.append("status = ?")
        params.append(status)
    else:
        clauses.append("status != 'abstained'")
    if locale is not None:
        clauses.append("locale = ?")
        params.append(locale)
    if product_ids is not None:
        ids = list(product_ids)
        clauses.append(f"product_id IN ({', '.join('?' for _ in ids)})" if ids else "0")
        params.extend(ids)
    if reason is not None:
        clauses.append("EXISTS (SELECT 1 FROM json_each(drafts.validation) WHERE json_extract(value, '$.code') = ?)")
        params.append(reason)
    sql = "SELECT * FROM drafts" + (f" WHERE {' AND '.join(clauses)}" if clauses else "")
    sql += " ORDER BY product_id, locale" + (" LIMIT ?" if limit is not None else "")
    if limit is not None:
        params.append(limit)
    return [_from_row(r) for r in state.db.execute(sql, params)]


def draft_fingerprints(state: StateStore) -> dict[tuple[str, str], tuple[str, str]]:
    """(product_id, locale) -> (input_hash, repair_hash): what decides whether a draft is still current."""
    return {(r[0], r[1]): (r[2], r[3]) for r in
            state.db.execute("SELECT product_id, locale, input_hash, repair_hash FROM drafts")}


def count_drafts(state: StateStore, locales: Sequence[str] | None = None) -> dict[str, int]:
    sql = "SELECT status, COUNT(*) FROM drafts"
    params: list[Any] = []
    if locales:
        sql += f" WHERE locale IN ({', '.join('?' for _ in locales)})"
        params.extend(locales)
    return {r[0]: r[1] for r in state.db.execute(sql + " GROUP BY status", params)}


def total_drafts(state: StateStore) -> int:
    """How many drafts there are to review, of every locale (drafts that wrote nothing left out)."""
    return int(state.db.execute("SELECT COUNT(*) FROM drafts WHERE status != 'abstained'").fetchone()[0])


def repair_counts(state: StateStore, provider: str, model: str) -> tuple[int, int]:
    """(drafts, drafts that needed at least one repair round) made by this provider and model."""
    row = state.db.execute("SELECT COUNT(*), SUM(rounds > 0) FROM drafts WHERE provider = ? AND model = ?",
                           (provider, model)).fetchone()
    return int(row[0] or 0), int(row[1] or 0)


def draft_list_rows(state: StateStore) -> Iterator[tuple[str, str, str, str, str | None]]:
    """(product_id, locale, status, validation JSON, title) of every draft to review, in no particular order: the
    few short columns a list of every draft shows, read without the drafts' text."""
    return iter(state.db.execute("SELECT product_id, locale, status, validation, title FROM drafts "
                                 "WHERE status != 'abstained'"))


def other_draft_with(state: StateStore, locale: str, product_id: str, field_name: str, value: str) -> str | None:
    """The id of a draft in `locale`, of a product other than `product_id`, whose `field_name` is `value` once
    trimmed and lower-cased (`value` is given so), or None. `field_name` is one of DRAFT_FIELDS."""
    if field_name not in DRAFT_FIELDS:
        raise ValueError(f"unknown draft field {field_name!r}; fields: {', '.join(DRAFT_FIELDS)}")
    row = state.db.execute(
        f"SELECT product_id FROM drafts WHERE locale = ? AND product_id != ? AND lower(trim({field_name})) = ? LIMIT 1",
        (locale, product_id, value)).fetchone()
    return str(row[0]) if row else None
