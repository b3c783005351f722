"""Checking a reviewer's edit with the generator's own validators, so an edit is held to the same rules.

The checks are those of generation (lengths and pixel widths, keyword placement, HTML allow-list, grounding in
the product's data, language, banned words, handle shape), with the settings of seo.toml. Near-duplicates are
checked as exact matches of title, SEO title and handle against the other products' drafts and current copy
in the same locale: rebuilding generation's whole similarity index for one edit would cost seconds.

The app calls it twice for an edit: while the reviewer types (the /check endpoint, `live`), and when the edit is
saved, where a blocking finding (labels.py BLOCKING) stops an approval the reviewer did not override with a note.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow.parquet as pq

from pipeline.config import Settings
from pipeline.core.text import normalise
from pipeline.gates.facts import product_facts
from pipeline.gates.keyword_fit import keyword_fits
from pipeline.gates.schema import DraftCopy
from pipeline.gates.sheet import current_copy, fact_sheet
from pipeline.gates.similarity import CopyIndex
from pipeline.gates.validate import DraftCheck, Grounding, Limits, Validator
from pipeline.stages.review.labels import reason
from pipeline.stages.review.product import Catalogue
from pipeline.stages.review.serp import counters
from pipeline.stages.review.stage import ReviewSource
from pipeline.state.drafts import Draft, other_draft_with
from pipeline.state.store import StateStore

EXACT_FIELDS = {"title": "duplicate_title", "seo_title": "duplicate_title", "handle": "duplicate_handle"}


class EditChecker:
    """Callable (draft, final fields) -> findings [{field, code, message}] for one store's settings."""

    def __init__(self, settings: Settings, source: ReviewSource, state_factory: Any,
                 catalogue: Catalogue | None = None):
        self.limits = Limits.from_settings(settings)
        self.validator = Validator(self.limits, CopyIndex(1.0), settings.brand.banned_words)
        self.source = source
        self.allow_dropped = settings.generation.allow_dropped
        self.open_state = state_factory
        self.catalogue = catalogue

    def live(self, draft: Draft, fields: Mapping[str, str]) -> dict[str, Any]:
        """What the page shows while the reviewer types: each finding in words (blocking or not) and the counters
        of title, SEO title and meta description. `fields` are the final values (sanitised, empty ones left out)."""
        found = sorted((reason(f) for f in self(draft, fields)), key=lambda f: not f["blocking"])
        return {"findings": found, "blocking": sum(1 for f in found if f["blocking"]),
                "counters": {c.field: c.as_dict() for c in counters(fields, self.limits)}}

    def __call__(self, draft: Draft, fields: Mapping[str, str]) -> list[dict[str, str]]:
        product = self._product_row(draft.product_id)
        targets = self.source.targets.get((draft.product_id, draft.locale), [])
        keyword = next((t["keyword"] for t in targets if t["role"] == "primary"), None)
        sheet = self.catalogue.sheet(draft.product_id) if self.catalogue is not None else \
            fact_sheet(product, self.source.primary_locale)
        if keyword and not keyword_fits(keyword, sheet, draft.locale):
            keyword = None  # a keyword that does not name this product is not asked of a title
        grounding = Grounding.from_text(product_facts(product).grounding_text(),
                                        " ".join(str(t["keyword"]) for t in targets))
        links = self.source.links.get(draft.product_id, [])
        paths = frozenset(("/collections/" if link["target_kind"] == "collection" else "/products/")
                          + str(link["target_handle"]) for link in links)
        check = DraftCheck(product_id=draft.product_id, locale=draft.locale, fields_to_write=tuple(fields),
                           keyword=keyword, grounding=grounding, link_paths=paths, handles=self.source.handles,
                           facts=sheet, allow_dropped=frozenset(self.allow_dropped),
                           original=current_copy(product) if draft.locale == self.source.primary_locale else None)
        _, findings = self.validator.check(DraftCopy(**fields), check)
        return [f.as_dict() for f in findings] + self._exact_duplicates(draft, fields)

    def _product_row(self, product_id: str) -> dict[str, Any]:
        if self.catalogue is not None:
            return self.catalogue.row(product_id) or {"id": product_id}
        table = pq.read_table(self.source.workspace.catalog, filters=[("id", "=", product_id)])
        rows = table.to_pylist()
        return rows[0] if rows else {"id": product_id}

    def _exact_duplicates(self, draft: Draft, fields: Mapping[str, str]) -> list[dict[str, str]]:
        findings = []
        with self.open_state() as state:
            for name, code in EXACT_FIELDS.items():
                value = fields.get(name)
                if not value:
                    continue
                other = _other_with(state, self.source, draft, name, value)
                if other:
                    findings.append({"field": name, "code": code,
                                     "message": f"{name} is the same as product '{other}''s; make it distinct"})
        return findings


def _other_with(state: StateStore, source: ReviewSource, draft: Draft, name: str, value: str) -> str | None:
    wanted = normalise(value)
    other = other_draft_with(state, draft.locale, draft.product_id, name, wanted)
    if other is not None:
        return source.handles.get(other, other)
    if draft.locale == source.primary_locale:
        column = source.copy.column(name).to_pylist()
        for product_id, index in source.row_of.items():
            if product_id != draft.product_id and normalise(column[index]) == wanted:
                return source.handles.get(product_id, product_id)
    return None
