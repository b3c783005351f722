"""Saving a reviewer's edit with the gates: the edit is sanitised, checked like a draft, and approved only when no
blocking finding stands or the reviewer overrides the blocking ones with a note (the override is recorded with the
decision: pipeline/state/decisions.py `overrides`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import InputError
from pipeline.stages.review.labels import is_blocking, reason
from pipeline.state.decisions import Decision, final_fields, record_decision, sanitise_plain_text
from pipeline.state.drafts import DRAFT_FIELDS, Draft, get_draft
from pipeline.state.store import StateStore

EditCheck = Callable[[Draft, Mapping[str, str]], list[dict[str, str]]]


@dataclass
class EditOutcome:
    decision: Decision | None  # None: not saved, a blocking finding stands without an override
    blocking: list[dict[str, Any]] = field(default_factory=list)  # the blocking findings, in words
    check_error: str = ""  # the check itself failed (the edit is saved: a broken check must not stop review)

    @property
    def saved(self) -> bool:
        return self.decision is not None


def edited_fields(draft: Draft, edits: Mapping[str, str]) -> dict[str, str]:
    """What saving `edits` would store: sanitised, emptied fields left out (left as they are on the store)."""
    try:
        return final_fields(draft, {k: v for k, v in edits.items() if k in DRAFT_FIELDS})
    except ValueError as exc:
        raise InputError(str(exc), field="action") from None


def save_edit(state: StateStore, checker: EditCheck | None, product_id: str, locale: str,
              edits: Mapping[str, str], *, reviewer: str, note: str = "", override: bool = False) -> EditOutcome:
    draft = get_draft(state, product_id, locale)
    if draft is None or draft.status == "abstained":
        raise InputError(f"no draft for product {product_id!r} in locale {locale!r}", field="product_id")
    fields = edited_fields(draft, edits)
    found: list[dict[str, str]] = []
    error = ""
    if checker is not None and fields:
        try:
            found = checker(draft, fields)
        except Exception as exc:  # noqa: BLE001 - the edit is still saved; the page says the check failed
            error = f"{type(exc).__name__}: {exc}"
    blocking = [reason(f) for f in found if is_blocking(str(f.get("code")))]
    overriding = bool(blocking) and override and bool(sanitise_plain_text(note))
    if blocking and not overriding:
        return EditOutcome(None, blocking, error)
    codes = tuple(dict.fromkeys(str(f["code"]) for f in blocking)) if overriding else ()
    try:
        made = record_decision(state, draft, "edited", reviewer=reviewer, edits=dict(edits), note=note,
                               overrides=codes)
    except ValueError as exc:
        raise InputError(str(exc), field="action") from None
    return EditOutcome(made, blocking if overriding else [], error)
