"""What the draft page and the product page show beyond the diffs (those are stage.py's `draft_view`): the search
result before and after, the reasons in words, the product's card and fact sheet, the facts a draft keeps, adds or
drops marked in its diff, and the product's drafts in every locale side by side.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.core.seo_limits import SeoLimits
from pipeline.core.text import strip_html
from pipeline.gates.content import FactSheet
from pipeline.stages.review.labels import describe, plain, reason
from pipeline.stages.review.product import (
    Catalogue,
    FactChanges,
    FactGroup,
    MarkedSegment,
    ProductCard,
    StoreLinks,
    fact_changes,
    fact_groups,
    marked_diff,
    product_card,
)
from pipeline.stages.review.serp import Preview, preview
from pipeline.stages.review.stage import DraftView, ReviewSource, draft_view
from pipeline.stages.review.word_diff import word_diff
from pipeline.state.drafts import list_drafts
from pipeline.state.store import StateStore


@dataclass
class Context:
    """What every page of one store needs besides the state: its artefacts, limits and where it lives."""

    source: ReviewSource
    limits: SeoLimits
    links: StoreLinks
    catalogue: Catalogue
    store: str = ""

    @classmethod
    def of(cls, source: ReviewSource, limits: SeoLimits, links: StoreLinks | None = None, store: str = "") -> Context:
        return cls(source, limits, links or StoreLinks(), Catalogue(source), store)

    @property
    def site(self) -> str:
        """What the result shows above the title: the store's domain, else its name here."""
        return self.links.site or self.store or "your store"


@dataclass
class Extras:
    """The draft page's additions to a DraftView."""

    card: ProductCard
    sheet: FactSheet
    facts: list[FactGroup]
    changes: FactChanges
    serp_before: Preview
    serp_after: Preview
    audit: list[dict[str, Any]]  # audit findings in words
    findings: list[dict[str, Any]]  # the draft's validation findings in words
    notes: list[dict[str, Any]]  # fields the writer left alone, and why
    marked: dict[str, list[MarkedSegment]]  # field -> its diff with the facts marked
    locales: list[tuple[str, str]] = field(default_factory=list)  # (locale, decision state) of the product's drafts

    @property
    def blocking(self) -> list[dict[str, Any]]:
        """The draft's blocking findings: approving it as it is needs an override with a note."""
        return [r for r in self.findings if r["blocking"]]


_BLOCK = re.compile(r"<\s*/?\s*(?:p|li|ul|ol|h[1-6]|div|blockquote|br|tr|table|section)\b[^>]*>", re.IGNORECASE)


def visible_text(markup: str | None) -> str:
    """What a description reads as: its visible text, one line per paragraph, heading or list item."""
    lines = (strip_html(part) for part in _BLOCK.split(markup or ""))
    return "\n".join(line for line in lines if line)


def audit_reasons(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        label = describe(str(row.get("code") or ""))
        out.append({"code": label.code, "label": label.label, "explain": label.explain,
                    "evidence": plain(str(row.get("evidence") or "")), "severity": row.get("severity") or ""})
    return out


def extras(state: StateStore, ctx: Context, view: DraftView) -> Extras:
    draft = view.draft
    product_id, locale = draft.product_id, draft.locale
    sheet = ctx.catalogue.sheet(product_id)
    row = ctx.catalogue.row(product_id)
    before = {f.name: f.before for f in view.fields}
    after = {f.name: f.after for f in view.fields}
    body = next(f for f in view.fields if f.name == "body_html")
    original = before.get("body_html") if locale != ctx.source.primary_locale else None
    changes = fact_changes(sheet, None if body.left_alone else body.after, locale, original)
    text_diff = word_diff(visible_text(body.before), visible_text(body.after))
    marked = {"body_text": marked_diff(text_diff, changes), "body_html": marked_diff(body.diff, changes)}
    reasons = sorted((reason(f) for f in draft.validation), key=lambda f: not f["blocking"])
    return Extras(
        card=product_card(row, product_id, sheet, ctx.links), sheet=sheet, facts=fact_groups(sheet), changes=changes,
        serp_before=preview(before, ctx.limits, site=ctx.site, handle=view.handle),
        serp_after=preview(after, ctx.limits, site=ctx.site, handle=view.handle),
        audit=audit_reasons(view.findings), findings=[r for r in reasons if not r["note"]],
        notes=[r for r in reasons if r["note"]], marked=marked, locales=locale_tabs(state, ctx.source, product_id))


def locale_tabs(state: StateStore, source: ReviewSource, product_id: str) -> list[tuple[str, str]]:
    """(locale, status) of every draft of the product to review, the primary locale first."""
    drafts = list_drafts(state, product_ids=[product_id])
    drafts.sort(key=lambda d: (d.locale != source.primary_locale, d.locale))
    return [(d.locale, d.status) for d in drafts]


# -- the product page: every locale side by side ----------------------------------------------------------------
@dataclass
class LocaleDraft:
    view: DraftView
    serp: Preview
    findings: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    rows: list[tuple[str, str, str, str, bool]]  # (field, primary original, this locale's store text, draft, alone)

    @property
    def blocking(self) -> list[dict[str, Any]]:
        return [r for r in self.findings if r["blocking"]]


@dataclass
class ProductPage:
    card: ProductCard
    facts: list[FactGroup]
    primary_locale: str
    original: dict[str, str]
    serp_original: Preview
    audit: list[dict[str, Any]]
    drafts: list[LocaleDraft]


def product_page(state: StateStore, ctx: Context, product_id: str) -> ProductPage | None:
    """The product's drafts in all locales (the primary first), each beside the primary-locale original."""
    source = ctx.source
    drafts = list_drafts(state, product_ids=[product_id])
    if not drafts and product_id not in source.row_of:
        return None
    drafts.sort(key=lambda d: (d.locale != source.primary_locale, d.locale))
    sheet = ctx.catalogue.sheet(product_id)
    row = ctx.catalogue.row(product_id)
    handle = source.handles.get(product_id) or product_id
    original = {k: v or "" for k, v in source.before(product_id, source.primary_locale).items()}
    shown = []
    for draft in drafts:
        view = draft_view(state, source, product_id, draft.locale)
        if view is None:
            continue
        reasons = [reason(f) for f in view.draft.validation]
        rows = [(f.name, original.get(f.name, ""), f.before if draft.locale != source.primary_locale else "",
                 f.after, f.left_alone) for f in view.fields]
        shown.append(LocaleDraft(view, preview({f.name: f.after for f in view.fields}, ctx.limits, site=ctx.site,
                                               handle=handle),
                                 [r for r in reasons if not r["note"]], [r for r in reasons if r["note"]], rows))
    return ProductPage(card=product_card(row, product_id, sheet, ctx.links), facts=fact_groups(sheet),
                       primary_locale=source.primary_locale, original=original,
                       serp_original=preview(original, ctx.limits, site=ctx.site, handle=handle),
                       audit=audit_reasons(source.findings.get(product_id, [])), drafts=shown)
