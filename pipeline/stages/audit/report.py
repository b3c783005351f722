"""audit.html and audit.csv from the audit's findings: what a freelancer opens first.

The HTML is rendered by Jinja2 with autoescaping on and StrictUndefined, so product text (which can hold any
markup a merchant typed) is always shown as text, and a misspelt template variable fails loudly. Long lists
are capped so a 100,000-product report stays a few megabytes; audit.csv always has every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import jinja2
import pandas as pd

from pipeline.core.spreadsheet import write_frame_csv_atomic
from pipeline.core.text import strip_html
from pipeline.stages.audit.checks import FINDINGS, SEVERITIES
from pipeline.stages.audit.collections import CollectionAudit, render_section
from pipeline.stages.audit.duplicates import DuplicateGroup
from pipeline.workspace import write_text_atomic

TEMPLATES = Path(__file__).parent / "templates"
SEVERITY_COLOUR = {"high": "#d63638", "medium": "#dba617", "low": "#72aee6"}
FIELD_LABEL = {"title": "title", "description": "description", "seo_title": "SEO title",
               "seo_description": "meta description"}
CSV_COLUMNS = ("priority", "product_id", "handle", "title", "status", "code", "severity", "evidence", "group_id")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _excerpt(text: str, limit: int = 320) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _field_text(catalog: pd.DataFrame, field: str, row: int) -> str:
    """What a shopper sees of one field of one product (descriptions without their HTML)."""
    # the catalogue's text columns hold str or None (pandas-stubs types a cell as any scalar)
    if field == "description":
        return strip_html(cast("str | None", catalog["body_html"].iat[row]) or "")
    return cast("str | None", catalog[field].iat[row]) or ""


def write_csv(destination: Path, findings: pd.DataFrame, catalog: pd.DataFrame) -> int:
    """One row per finding, worst product first; every cell safe to open in a spreadsheet."""
    info = catalog.set_index("id")[["title", "status"]]
    rows = findings.join(info, on="product_id")
    return write_frame_csv_atomic(destination, rows[list(CSV_COLUMNS)])


def render_html(*, store: str, findings: pd.DataFrame, catalog: pd.DataFrame, groups: Sequence[DuplicateGroup],
                max_groups: int = 150, max_members: int = 6, max_products: int = 2000,
                collections: CollectionAudit | None = None) -> str:
    """The report page: counts with a chart, the largest duplicate groups side by side, the worst products, and
    the collections' findings (collections_audit.parquet) when given."""
    titles = catalog["title"].tolist()
    handles = catalog["handle"].tolist()
    by_code = findings.groupby("code")["product_id"].nunique() if len(findings) else pd.Series(dtype=int)
    counts: list[dict[str, Any]] = [
        {"code": code, "meaning": meaning, "severity": severity, "count": int(by_code.get(code, 0))}
        for code, (severity, meaning) in FINDINGS.items()]
    counts.sort(key=lambda r: (-r["count"], SEVERITIES.index(r["severity"]), r["code"]))
    severity_counts = [(s, int((findings["severity"] == s).sum())) for s in SEVERITIES]

    shown_counts = [r for r in counts if r["count"]]
    widest = max([r["count"] for r in shown_counts], default=1)
    bars = [{"code": r["code"], "count": r["count"], "y": 4 + 24 * i, "width": max(1, round(560 * r["count"] / widest)),
             "colour": SEVERITY_COLOUR[r["severity"]]} for i, r in enumerate(shown_counts)]
    chart = {"width": 900, "height": 8 + 24 * max(len(bars), 1), "label_width": 240, "bars": bars}

    ordered = sorted(groups, key=lambda g: (-len(g.members), g.kind, g.field, g.group_id))
    code_of_group = (findings.dropna(subset=["group_id"]).drop_duplicates("group_id").set_index("group_id")["code"]
                     .to_dict() if len(findings) else {})
    ids = catalog["id"].tolist()
    group_views = []
    for group in ordered[:max_groups]:
        first_row: dict[str, int] = {}
        for r in group.members:
            first_row.setdefault(ids[r], r)  # each product once, even if the catalogue lists it twice
        rows = list(first_row.values())
        members = [{"handle": handles[r], "title": titles[r], "text": _excerpt(_field_text(catalog, group.field, r))}
                   for r in rows[:max_members]]
        group_views.append({"group_id": group.group_id, "code": code_of_group.get(group.group_id, group.kind),
                            "kind": group.kind, "field_label": FIELD_LABEL[group.field],
                            "family_words": list(group.family_words), "size": len(rows),
                            "similarity": group.similarity, "members": members,
                            "more": max(0, len(rows) - max_members)})

    ranked = []
    if len(findings):
        info = catalog.set_index("id")[["title", "handle", "status"]]
        top = (findings.drop_duplicates("product_id")[["product_id", "priority"]]
               .sort_values(["priority", "product_id"], ascending=[False, True]).head(max_products))
        details: dict[str, list[dict]] = {}
        shown = findings[findings["product_id"].isin(set(top["product_id"]))]
        for record in shown[["product_id", "code", "severity", "evidence"]].to_dict("records"):
            details.setdefault(record.pop("product_id"), []).append(record)
        ranked = [{"priority": priority, "title": info.at[pid, "title"], "handle": info.at[pid, "handle"],
                   "status": info.at[pid, "status"], "findings": details[pid]}
                  for pid, priority in zip(top["product_id"], top["priority"], strict=True)]
    flagged = int(findings["product_id"].nunique()) if len(findings) else 0
    page = _environment().get_template("audit.html.j2").render(
        store=store, generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), products=len(catalog),
        findings=len(findings), flagged=flagged, exact_groups=sum(g.kind == "exact" for g in groups),
        near_groups=sum(g.kind == "near" for g in groups), chart=chart, counts=counts,
        severity_counts=severity_counts, groups=group_views, groups_hidden=max(0, len(ordered) - max_groups),
        ranked=ranked, products_hidden=flagged > len(ranked))
    if collections is None:
        return page
    head, body_end, tail = page.rpartition("</body>")
    return head + render_section(collections) + body_end + tail if body_end else page + render_section(collections)


def write_html(destination: Path, html: str) -> None:
    write_text_atomic(destination, html)
