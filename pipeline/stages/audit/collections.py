"""Collections in the audit: the category pages, checked as the product pages are, and the catalogue's cover by them.

Reads the collections as the stages see them (pipeline/core/collections.py `read_collections`: collections.parquet
with the merchant's edits to collections.csv; when pull has written neither, the proposals are made here, in memory)
and the catalogue. Writes collections_audit.parquet and collections_audit.csv beside audit.parquet, and a section
of audit.html.

They are a file of their own, not rows of audit.parquet: audit.parquet is one row per product finding, keyed by
product id, with the product's priority, and it is what generation orders its work by and audit-eval scores against
the sample's labels; a collection has no product id or priority, and a product's place in no collection is a
finding about the catalogue's structure, not its copy. COLLECTIONS_AUDIT_SCHEMA says what each row is about
(`resource` "collection" or "product") and carries the collection's `source`, so a proposal's findings read as
work to do before it is created.

Findings (COLLECTION_FINDINGS): missing or thin intro copy; the same intro as another collection; missing,
duplicate or over-long SEO title and description; fewer than [audit] min_collection_products active products;
active products in no collection (in the store's collections when the store has any, else in the file's); and
collections competing for the same query: the same keyword (the title, when a collection has none) once case,
word order and plurals are set aside, or the same active products. A proposal's missing copy and SEO fields are
low severity: no collection has them before they are written.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import AuditSettings
from pipeline.core import collections as coll
from pipeline.core.spreadsheet import write_frame_csv_atomic
from pipeline.core.text import fold, normalise, query_singular, strip_html
from pipeline.core.vocabulary import STOPWORDS
from pipeline.stages.audit.checks import SEVERITIES, AuditConfig
from pipeline.workspace import Workspace, atomic_path

COLLECTIONS_AUDIT_SCHEMA = pa.schema([
    ("resource", pa.string()),  # "collection" | "product"
    ("resource_id", pa.string()),  # the store's GID ("" for a proposal), or the product's id
    ("handle", pa.string()),
    ("title", pa.string()),
    ("source", pa.string()),  # the collection's source (collections.parquet); "" for a product
    ("code", pa.string()),
    ("severity", pa.string()),
    ("evidence", pa.string()),
    ("group_id", pa.string()),  # competing collections share one
])
COLLECTION_FINDINGS: dict[str, tuple[str, str]] = {
    "collection_missing_description": ("high", "no intro copy at the top of the collection page"),
    "collection_thin_description": ("medium", "intro copy under [limits] body_min_words words"),
    "collection_duplicate_description": ("medium", "the same intro copy as another collection"),
    "collection_missing_seo_title": ("medium", "no SEO title"),
    "collection_missing_seo_description": ("medium", "no meta description"),
    "collection_duplicate_seo_title": ("medium", "the same SEO title as another collection"),
    "collection_duplicate_seo_description": ("medium", "the same meta description as another collection"),
    "collection_long_seo_title": ("low", "SEO title over [limits] seo_title_max_chars"),
    "collection_long_seo_description": ("low", "meta description over [limits] seo_description_max_chars"),
    "collection_few_products": ("medium", "fewer active products than [audit] min_collection_products"),
    "collections_competing": ("medium", "collections competing for the same query"),
    "product_without_collection": ("medium", "an active product in no collection"),
}
# Copy that is missing from a proposal is the next step's work, not a fault of the store.
_PROPOSAL_SEVERITY = {"collection_missing_description": "low", "collection_missing_seo_title": "low",
                      "collection_missing_seo_description": "low"}
SAME_PRODUCTS = 0.9  # Jaccard of active products from which two collections are the same page
CSV_COLUMNS = ("severity", "code", "resource", "handle", "title", "source", "evidence", "group_id", "resource_id")


@dataclass(frozen=True)
class CollectionAuditConfig(AuditConfig):
    """AuditConfig with [audit] min_collection_products (pipeline/config.py AuditSettings)."""

    min_collection_products: int = AuditSettings.min_collection_products


def audit_collections_path(workspace: Workspace) -> Path:
    return workspace.root / "collections_audit.parquet"


def audit_collections_csv_path(workspace: Workspace) -> Path:
    return workspace.root / "collections_audit.csv"


@dataclass
class CollectionAudit:
    findings: pd.DataFrame  # COLLECTIONS_AUDIT_SCHEMA
    collections: list[dict[str, Any]]
    active_products: int
    judged_by: str  # which collections "product_without_collection" counted: "store" or "file"

    def summary(self) -> str:
        return (f"{len(self.findings):,} collection findings on {len(self.collections):,} collections "
                f"({self.findings['code'].eq('product_without_collection').sum():,} active products in no "
                f"collection)")


def audit_collections(workspace: Workspace, config: AuditConfig) -> CollectionAudit:
    """Reads collections (with the merchant's edits) and catalog.parquet. Writes collections_audit.parquet and
    collections_audit.csv."""
    products = coll.Products.read(workspace.catalog)
    ids = _product_ids(workspace.catalog)
    rows = coll.read_collections(workspace, products)
    if not rows and not coll.collections_path(workspace).exists():
        rows = coll.store_rows(None, products) if any(products.memberships) else []
        rows += coll.propose(products, min_products=_min_products(config), existing=rows)
    result = check_collections(rows, products, config, product_ids=ids)
    table = pa.Table.from_pandas(result.findings, schema=COLLECTIONS_AUDIT_SCHEMA, preserve_index=False)
    with atomic_path(audit_collections_path(workspace)) as tmp:
        pq.write_table(table, tmp, compression="zstd")
    write_frame_csv_atomic(audit_collections_csv_path(workspace), result.findings[list(CSV_COLUMNS)])
    return result


def _min_products(config: AuditConfig) -> int:
    return int(getattr(config, "min_collection_products", AuditSettings.min_collection_products))


def _product_ids(catalog: Path) -> list[str]:
    return [str(x or "") for x in pq.read_table(catalog, columns=["id"]).column("id").to_pylist()]


def check_collections(rows: Sequence[Mapping[str, Any]], products: coll.Products, config: AuditConfig, *,
                      product_ids: Sequence[str] | None = None) -> CollectionAudit:
    """Every collection finding for these collections over this catalogue; pure, for tests."""
    limits = config.limits
    minimum = _min_products(config)
    findings: list[dict[str, Any]] = []
    members = coll.membership(rows, products)
    active = [{r for r in m if products.active[r]} for m in members]

    def add(row: Mapping[str, Any], code: str, evidence: str, group: str | None = None) -> None:
        severity = COLLECTION_FINDINGS[code][0]
        if row.get("source") in coll.PROPOSED_SOURCES:
            severity = _PROPOSAL_SEVERITY.get(code, severity)
        findings.append({"resource": "collection", "resource_id": str(row.get("id") or ""),
                         "handle": str(row["handle"]), "title": str(row.get("title") or ""),
                         "source": str(row.get("source") or ""), "code": code, "severity": severity,
                         "evidence": evidence, "group_id": group})

    for i, row in enumerate(rows):
        words = coll.intro_words(row)
        if not strip_html(str(row.get("description") or "")).strip():
            add(row, "collection_missing_description", "no intro copy" + _proposal_note(row))
        elif words < limits.body_min_words:
            add(row, "collection_thin_description", f"{words} words of intro copy (under {limits.body_min_words})")
        seo_title, seo_description = str(row.get("seo_title") or "").strip(), str(row.get("seo_description") or "")
        if not seo_title:
            add(row, "collection_missing_seo_title", "no SEO title" + _proposal_note(row))
        elif len(seo_title) > limits.seo_title_max_chars:
            add(row, "collection_long_seo_title", f"{len(seo_title)} characters (over {limits.seo_title_max_chars})")
        if not seo_description.strip():
            add(row, "collection_missing_seo_description", "no meta description" + _proposal_note(row))
        elif len(seo_description.strip()) > limits.seo_description_max_chars:
            add(row, "collection_long_seo_description",
                f"{len(seo_description.strip())} characters (over {limits.seo_description_max_chars})")
        if len(active[i]) < minimum:
            add(row, "collection_few_products", f"{len(active[i])} active product{'s' if len(active[i]) != 1 else ''}"
                f" of {len(members[i])} (under {minimum})")
    for field, code, show in (("description", "collection_duplicate_description", lambda v: _excerpt(strip_html(v))),
                              ("seo_title", "collection_duplicate_seo_title", str),
                              ("seo_description", "collection_duplicate_seo_description", _excerpt)):
        groups: dict[str, list[int]] = defaultdict(list)
        for i, row in enumerate(rows):
            key = normalise(strip_html(str(row.get(field) or "")) if field == "description" else row.get(field))
            if key:
                groups[key].append(i)
        for key, same in groups.items():
            if len(same) > 1:
                group_id = _group_id(code, key)
                for i in same:
                    others = [str(rows[j]["handle"]) for j in same if j != i]
                    add(rows[i], code, f"same {field.replace('_', ' ')} as {_listed(others)}: {show(key)!r}",
                        group_id)
    for group in _competing(rows, active):
        for i in group.members:
            others = [str(rows[j]["handle"]) for j in group.members if j != i]
            add(rows[i], "collections_competing", f"{group.why} as {_listed(others)}", group.group_id)
    judged_by = "store" if any(r.get("source") == "store" for r in rows) else "file"
    live = [r for r in rows if r.get("source") == "store"] if judged_by == "store" else list(rows)
    covering = {int(r) for m in members for r in m}
    ids = list(product_ids) if product_ids is not None else [""] * len(products)
    for r in coll.products_without_collection(live, products):
        where = "of the store's collections" if judged_by == "store" else "collection in collections.csv"
        note = "; a proposed collection would hold it" if judged_by == "store" and r in covering else ""
        findings.append({"resource": "product", "resource_id": ids[r], "handle": products.handles[r],
                         "title": products.titles[r], "source": "", "code": "product_without_collection",
                         "severity": COLLECTION_FINDINGS["product_without_collection"][0],
                         "evidence": f"active, in no {where}" + (f" (type {products.types[r]!r})"
                                                                  if products.types[r] else "") + note,
                         "group_id": None})
    frame = pd.DataFrame(findings, columns=COLLECTIONS_AUDIT_SCHEMA.names)
    if len(frame):
        frame["_rank"] = frame["severity"].map(SEVERITIES.index)
        frame = frame.sort_values(["_rank", "resource", "code", "handle"], kind="stable").drop(columns="_rank")
    return CollectionAudit(frame.reset_index(drop=True), [dict(r) for r in rows], int(products.active.sum()),
                           judged_by)


def _proposal_note(row: Mapping[str, Any]) -> str:
    return " (a proposal: write it before creating the collection)" if row.get("source") in coll.PROPOSED_SOURCES \
        else ""


def _excerpt(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _listed(handles: Sequence[str], shown: int = 3) -> str:
    more = len(handles) - shown
    return ", ".join(handles[:shown]) + (f" and {more:,} more" if more > 0 else "")


def _group_id(code: str, key: str) -> str:
    return f"{code.split('_')[0][:4]}-" + hashlib.sha256(f"{code}\0{key}".encode()).hexdigest()[:10]


@dataclass(frozen=True)
class _Group:
    members: tuple[int, ...]
    why: str
    group_id: str


_TOKEN = re.compile(r"[a-z0-9]+")


def query_key(text: str) -> str:
    """A keyword or title as a query: folded, stopwords dropped, plurals set aside, words sorted."""
    stop = STOPWORDS["en"]
    words = [query_singular(w) for w in _TOKEN.findall(fold(text.replace("&", " and "))) if w not in stop]
    return " ".join(sorted(words))


def _competing(rows: Sequence[Mapping[str, Any]], active: Sequence[set[int]]) -> list[_Group]:
    """Groups of collections a search engine cannot tell apart: one query key, or the same active products."""
    groups: list[_Group] = []
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        key = query_key(str(row.get("keyword") or row.get("title") or ""))
        if key:
            by_key[key].append(i)
    key_group: dict[int, str] = {}
    for key, same in sorted(by_key.items()):
        if len(same) > 1:
            key_group.update((i, key) for i in same)
            groups.append(_Group(tuple(same), f"targets the same query ({key!r})", _group_id("competing", key)))
    pairs: set[tuple[int, int]] = set()
    by_size = sorted((len(products), i) for i, products in enumerate(active) if products)
    for n, (size, i) in enumerate(by_size):
        for other_size, j in by_size[n + 1:]:
            if size < SAME_PRODUCTS * other_size:
                break  # (sorted by size: Jaccard is at most size / other_size from here on)
            shared = len(active[i] & active[j])
            if shared / (size + other_size - shared) >= SAME_PRODUCTS and (
                    i not in key_group or key_group[i] != key_group.get(j)):
                pairs.add((min(i, j), max(i, j)))
    for i, j in sorted(pairs):
        overlap = len(active[i] & active[j]) / len(active[i] | active[j])
        groups.append(_Group((i, j), f"{overlap:.0%} the same active products",
                             _group_id("competing", f"{rows[i]['handle']}\0{rows[j]['handle']}")))
    return groups


# -- audit.html ---------------------------------------------------------------------------------------------------
_SECTION = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True).from_string("""
<h2 id="collections">Collections</h2>
<p class="muted">{{ "{:,}".format(collections) }} collections ({{ by_source }}) ·
  {{ "{:,}".format(findings) }} findings · {{ "{:,}".format(without) }} of {{ "{:,}".format(active) }} active
  products in no {{ judged }} · every row is in collections_audit.csv; edit collections.csv to change what is
  proposed</p>
<table>
  <tr><th>finding</th><th>what it means</th><th class="num">collections or products</th></tr>
  {% for row in counts %}
  <tr><td>{{ row.code }}</td><td>{{ row.meaning }}</td><td class="num">{{ "{:,}".format(row.count) }}</td></tr>
  {% endfor %}
</table>
<table>
  <tr><th>collection</th><th>source</th><th class="num">active products</th><th>rule</th><th>findings</th></tr>
  {% for c in shown %}
  <tr><td><strong>{{ c.title }}</strong><br><span class="muted">{{ c.handle }}</span></td><td>{{ c.source }}</td>
      <td class="num">{{ "{:,}".format(c.active) }}</td><td>{{ c.rule }}</td>
      <td>{% for f in c.findings %}<span class="badge {{ f.severity }}" title="{{ f.evidence }}">{{ f.code }}</span>
      {% endfor %}</td></tr>
  {% endfor %}
</table>
{% if hidden %}
<p class="muted">{{ "{:,}".format(hidden) }} more collections are in collections_audit.csv.</p>
{% endif %}
{% if orphans %}
<p>Active products in no collection: {% for o in orphans %}<span class="badge medium">{{ o }}</span>{% endfor %}
  {% if orphans_hidden %}<span class="muted">and {{ "{:,}".format(orphans_hidden) }} more</span>{% endif %}</p>
{% endif %}
""")


def render_section(result: CollectionAudit, *, max_collections: int = 300, max_products: int = 60) -> str:
    """The Collections section of audit.html (HTML, every value escaped)."""
    findings = result.findings
    per_code = findings.groupby("code").size().to_dict() if len(findings) else {}
    counts = [{"code": code, "meaning": meaning, "count": int(per_code.get(code, 0))}
              for code, (_, meaning) in COLLECTION_FINDINGS.items() if per_code.get(code)]
    by_handle: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in findings[findings["resource"] == "collection"].to_dict("records"):
        by_handle[str(record["handle"])].append({str(k): v for k, v in record.items()})
    ordered = sorted(result.collections, key=lambda c: (c.get("source") != "store", -len(by_handle[c["handle"]]),
                                                         str(c["handle"])))
    shown = [{"title": c.get("title") or c["handle"], "handle": c["handle"], "source": c.get("source") or "",
              "active": int(c.get("active_products") or 0), "rule": c.get("rule") or "(custom: products listed)",
              "findings": by_handle[c["handle"]]} for c in ordered[:max_collections]]
    orphans = findings[findings["code"] == "product_without_collection"]["handle"].tolist()
    sources: dict[str, int] = defaultdict(int)
    for c in result.collections:
        sources[str(c.get("source") or "")] += 1
    return _SECTION.render(
        collections=len(result.collections), findings=len(findings), without=len(orphans),
        active=result.active_products, judged="store collection" if result.judged_by == "store" else "collection",
        by_source=", ".join(f"{n:,} {s.replace('_', ' ')}" for s, n in sources.items()) or "none", counts=counts,
        shown=shown, hidden=max(0, len(ordered) - max_collections), orphans=orphans[:max_products],
        orphans_hidden=max(0, len(orphans) - max_products))


__all__ = ["COLLECTIONS_AUDIT_SCHEMA", "COLLECTION_FINDINGS", "CollectionAudit", "CollectionAuditConfig",
           "audit_collections", "audit_collections_path", "check_collections", "query_key", "render_section"]
