"""audit: catalog.parquet -> audit.parquet (+ audit.csv for spreadsheets, audit.html to read).

Finds what makes a catalogue weak for search: exact and near-duplicate titles and descriptions (grouped),
descriptions shared by many products (manufacturer copy), generic or stuffed titles, thin or empty
descriptions, missing or badly sized SEO fields, messy description HTML. Each product gets a priority score
(higher = worse) so that generation can start with the worst products.

audit.parquet has one row per product per finding: product_id, handle, code, severity, evidence, group_id
(the duplicate group, or null) and priority (the product's score, repeated on each of its rows). Products
without findings have no rows. The three artefacts are written atomically.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.commands import command
from pipeline.config import Settings
from pipeline.core.catalog import read_catalog
from pipeline.core.progress import Progress
from pipeline.core.seo_limits import SeoLimits
from pipeline.core.text import normalise, words
from pipeline.errors import ConfigError, InputError
from pipeline.stages.audit import report as audit_report
from pipeline.stages.audit.checks import FINDINGS, SEVERITIES, SEVERITY_WEIGHT, VISIBILITY_WEIGHT, AuditConfig
from pipeline.stages.audit.collections import CollectionAuditConfig, audit_collections
from pipeline.stages.audit.duplicates import (
    DuplicateGroup,
    as_family,
    distinct_products,
    exact_groups,
    near_groups,
)
from pipeline.stages.audit.products import PARALLEL_FROM, CatalogueFacts, check_products, worker_pool
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace, atomic_path

AUDIT_SCHEMA = pa.schema([
    ("product_id", pa.string()),
    ("handle", pa.string()),
    ("code", pa.string()),
    ("severity", pa.string()),
    ("evidence", pa.string()),
    ("group_id", pa.string()),
    ("priority", pa.float64()),
])
NEEDED_COLUMNS = ["id", "handle", "title", "body_html", "vendor", "product_type", "status", "seo_title",
                  "seo_description", "variants"]
EXACT_CODES = {"title": "exact_duplicate_title", "description": "exact_duplicate_description",
               "seo_title": "exact_duplicate_seo_title", "seo_description": "exact_duplicate_seo_description"}
NEAR_CODES = {"title": "near_duplicate_title", "description": "near_duplicate_description"}


@dataclass
class AuditOutcome:
    """What the audit found, before anything is written."""

    findings: pd.DataFrame
    groups: list[DuplicateGroup]
    products: int


@dataclass
class AuditResult:
    run_id: int
    products: int
    flagged: int
    findings: int
    by_severity: dict[str, int] = field(default_factory=dict)
    exact_groups: int = 0
    near_groups: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        severities = ", ".join(f"{s} {self.by_severity.get(s, 0):,}" for s in SEVERITIES)
        return (f"audit: {self.findings:,} findings on {self.flagged:,} of {self.products:,} products "
                f"({severities}); {self.exact_groups:,} exact and {self.near_groups:,} near-duplicate groups; "
                f"{self.seconds:.1f} s")


def audit(workspace: Workspace, state: StateStore, config: AuditConfig) -> AuditResult:
    """Reads catalog.parquet (and the collections). Writes audit.parquet, audit.csv and audit.html (one row per
    finding), collections_audit.parquet and .csv (pipeline/stages/audit/collections.py), and the run in state.db."""
    started = time.monotonic()
    run_id = state.start_run("audit")
    try:
        workers = min(2, os.cpu_count() or 1) if _row_count(workspace.catalog) >= PARALLEL_FROM else 1
        with worker_pool(workers) as pool:
            catalog, variant_values = load_catalog(workspace)
            outcome = audit_catalog(catalog, config, progress=Progress("audit", total=len(catalog)),
                                    variant_values=variant_values, pool=pool)
        write_findings(workspace, outcome.findings)
        audit_report.write_csv(workspace.audit_csv, outcome.findings, catalog)
        collections = audit_collections(workspace, config)  # collections_audit.parquet and .csv
        audit_report.write_html(workspace.audit_html, audit_report.render_html(
            store=workspace.store_name, findings=outcome.findings, catalog=catalog, groups=outcome.groups,
            collections=collections))
        findings = outcome.findings
        result = AuditResult(
            run_id=run_id, products=outcome.products, flagged=int(findings["product_id"].nunique()),
            findings=len(findings), by_severity={s: int((findings["severity"] == s).sum()) for s in SEVERITIES},
            exact_groups=sum(g.kind == "exact" for g in outcome.groups),
            near_groups=sum(g.kind == "near" for g in outcome.groups), seconds=time.monotonic() - started)
        counts: dict[str, Any] = {"products": result.products, "flagged": result.flagged,
                                  "collection_findings": len(collections.findings),
                                  "findings": result.findings, "exact_groups": result.exact_groups,
                                  "near_groups": result.near_groups, **result.by_severity,
                                  "by_code": findings["code"].value_counts().to_dict()}
        state.finish_run(run_id, "ok", counts)
        return result
    except BaseException as exc:
        state.finish_run(run_id, "failed", {}, str(exc)[:500])
        raise


def audit_config(settings: Settings, *, threshold: float | None = None) -> AuditConfig:
    """[audit] from seo.toml, with the command line's --threshold on top, and the SEO limits ([limits])."""
    where = settings.where()
    section = {key: list(value) if isinstance(value, tuple) else value
               for key, value in asdict(settings.audit).items() if value is not None}
    if threshold is not None:
        section["near_duplicate_threshold"] = threshold
    try:
        config = CollectionAuditConfig.from_section(section, where, limits=SeoLimits.from_settings(settings))
        return replace(config, locale=settings.primary_locale or config.locale)
    except ConfigError as exc:
        if threshold is not None and "near_duplicate_threshold" in str(exc):
            raise ConfigError(f"--threshold {threshold}: must be above 0 and at most 1") from None
        raise


def load_catalog(workspace: Workspace) -> tuple[pd.DataFrame, VariantValues]:
    """The catalogue's columns the audit reads, checked (ids present and unique), and its variant values.

    Variants stay in Arrow: the audit only needs the catalogue's distinct option values and SKUs.
    """
    path = workspace.catalog
    if not path.exists():
        read_catalog(path)  # raises the "run make pull first" error
    missing = [c for c in NEEDED_COLUMNS if c not in _parquet_columns(path)]
    if missing:
        raise InputError(f"missing column; re-run {command('pull')}", file=str(path), field=missing[0])
    try:
        table = pq.read_table(path, columns=NEEDED_COLUMNS)
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise InputError(f"unreadable catalogue ({exc}); re-run {command('pull')}", file=str(path)) from None
    values = variant_values_arrow(table.column("variants"))
    catalog = table.drop_columns(["variants"]).to_pandas()
    ids = catalog["id"]
    for row, value in enumerate(ids.tolist(), start=1):
        if not isinstance(value, str) or not value:
            raise InputError("product without an id", file=str(path), row=row, field="id")
    duplicated = ids.duplicated()
    if duplicated.any():
        row = int(duplicated.to_numpy().nonzero()[0][0]) + 1
        raise InputError(f"product id {ids.iloc[row - 1]!r} appears twice", file=str(path), row=row, field="id")
    return catalog.reset_index(drop=True), values


def _row_count(path: Any) -> int:
    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (OSError, pa.ArrowInvalid):
        return 0


def _parquet_columns(path: Any) -> list[str]:
    try:
        return list(pq.read_schema(path).names)
    except (OSError, pa.ArrowInvalid):
        return []


def audit_catalog(catalog: pd.DataFrame, config: AuditConfig, progress: Progress | None = None,
                  variant_values: VariantValues | None = None, workers: int = 1,
                  pool: Executor | None = None) -> AuditOutcome:
    """All findings for a catalogue frame (columns as in catalog.parquet); pure, so tests and the eval use it.

    `variant_values` (option words and SKUs) are read from the frame's `variants` column when not given;
    The per-product checks of a large catalogue run in `pool`, or in `workers` processes started here.
    """
    progress = progress or Progress("audit", total=len(catalog))
    n = len(catalog)
    ids = catalog["id"].tolist()
    handles = catalog["handle"].fillna("").tolist()
    type_sizes = Counter(normalise(t) for t in catalog["product_type"].fillna("").tolist())
    if variant_values is None:
        variant_values = variant_values_of(catalog["variants"].tolist() if "variants" in catalog else [])
    title_keys = {normalise(t) for t in catalog["title"].fillna("").tolist()}
    facts = CatalogueFacts(
        config=config, sku_keys=variant_values.sku_keys & title_keys,
        vendor_names=frozenset(normalise(v) for v in catalog["vendor"].fillna("").unique().tolist() if v),
        shared_types=frozenset(t for t, count in type_sizes.items() if t and count > 1),
        variant_words=frozenset(config.variant_words) | variant_values.option_words)

    def column(name: str, start: int, stop: int) -> list[str]:
        return catalog[name].iloc[start:stop].fillna("").tolist()

    checked = check_products(column, n, facts, pool=pool, workers=workers, on_slice=progress.advance)
    rows: list[tuple[int, str, str, str | None]] = [(*finding, None) for finding in checked.findings]
    keys: dict[str, Sequence[str | bytes]] = {
        "title": checked.title_keys, "description": checked.description_digests,
        "seo_title": checked.seo_title_keys, "seo_description": checked.seo_description_keys}
    groups: list[DuplicateGroup] = []
    for field_name, field_keys in keys.items():
        groups += exact_groups(field_keys, field_name, ids)
    title_groups = near_groups(checked.title_bases, "title", ids, threshold=config.near_duplicate_threshold,
                               shingle_size=config.title_shingle_words, unit="words",
                               num_perm=config.minhash_permutations, originals=checked.title_keys)
    groups += [as_family(group, checked.title_keys, facts.variant_words) for group in title_groups]
    groups += near_groups(checked.description_digests, "description", ids,
                          threshold=config.near_duplicate_threshold, shingle_size=config.description_shingle_words,
                          unit="words", num_perm=config.minhash_permutations,
                          token_ids=(checked.word_ids, checked.word_offsets))
    groups = distinct_products(groups, ids)
    for group in groups:
        rows.extend(_group_rows(group, handles, checked.description_words, config, checked.title_keys))
    progress.close()
    return AuditOutcome(findings=_findings_frame(rows, catalog), groups=groups, products=n)


@dataclass(frozen=True)
class VariantValues:
    """What the audit needs from variants: words of every option value, and every SKU, in `normalise` form."""

    option_words: frozenset[str]
    sku_keys: frozenset[str]

    @classmethod
    def from_values(cls, option_values: set[str], sku_keys: set[str]) -> VariantValues:
        """`sku_keys` already in `normalise` form (or lower-cased and trimmed, which is the same for SKUs)."""
        option_values.discard("Default Title")  # Shopify's value for a product without options
        sku_keys.discard("")
        return cls(frozenset(w for value in option_values for w in words(normalise(value))), frozenset(sku_keys))


def variant_values_of(variants: list[Any]) -> VariantValues:
    """From variant dicts per product (the catalogue frame's `variants` column)."""
    option_values: set[str] = set()
    skus: set[str] = set()
    for product_variants in variants:
        for variant in product_variants if product_variants is not None else []:
            skus.add(normalise(variant.get("sku") or ""))
            option_values.update(variant.get(name) or "" for name in ("option1", "option2", "option3"))
    option_values.discard("")
    return VariantValues.from_values(option_values, skus)


def variant_values_arrow(variants: pa.ChunkedArray) -> VariantValues:
    """From the Arrow `variants` column (list of structs), without building a Python dict per variant."""
    flat = pc.list_flatten(variants)
    if not len(flat):
        return VariantValues(frozenset(), frozenset())
    skus = set(pc.utf8_trim_whitespace(pc.utf8_lower(pc.unique(pc.struct_field(flat, "sku")).drop_null()))
               .to_pylist())
    option_values: set[str] = set()
    for name in ("option1", "option2", "option3"):
        option_values.update(pc.unique(pc.struct_field(flat, name)).drop_null().to_pylist())
    option_values.discard("")
    return VariantValues.from_values(option_values, skus)


def _group_rows(group: DuplicateGroup, handles: list[str], word_counts: list[int], config: AuditConfig,
                title_keys: Sequence[str] = ()) -> list[tuple[int, str, str, str | None]]:
    size = len(group.members)
    plural = "s" if size > 2 else ""
    if group.family_words:
        # Titles that differ only by a colour or size word are one product family: the name they share is
        # generic among them, whatever each adds. Not "≥100% similar": they are not copies of each other.
        first_title = words(title_keys[group.members[0]]) if title_keys else []
        shared = [w for w in first_title if w not in group.family_words]
        name = f" {' '.join(shared)!r}" if shared else ""
        code = NEAR_CODES["title"]
        what = (f"one family with {size - 1:,} other product{plural}, titles differing only by colour, size or "
                f"option words ({', '.join(group.family_words[:8])}): the name{name} they share does not tell "
                f"them apart; also")
    elif group.kind == "exact":
        code = EXACT_CODES[group.field]
        # Manufacturer copy is a real description pasted onto many products; the same two-line stub on several
        # products is thin copy that happens to repeat, reported as thin and as an exact duplicate.
        if (group.field == "description" and size >= config.shared_description_min_products
                and word_counts[group.members[0]] >= config.limits.body_min_words):
            code = "shared_description"
        what = f"same {group.field.replace('_', ' ')} as"
    elif group.similarity >= 1.0:  # the same words (titles) or phrases (descriptions), not a copy
        code = NEAR_CODES[group.field]
        what = ("title the same once variant words, plurals and word order are set aside as"
                if group.field == "title" else f"{group.field.replace('_', ' ')} made of the same phrases as")
    else:
        code = NEAR_CODES[group.field]
        what = f"{group.field.replace('_', ' ')} ≥{group.similarity:.0%} similar to"
    out: list[tuple[int, str, str, str | None]] = []
    first = group.members[:4]
    for row in group.members:
        others = [handles[r] for r in first if r != row][:3]
        listed = ", ".join(others) + (f" and {size - 1 - len(others):,} more" if size - 1 > len(others) else "")
        counted = "" if group.family_words else f" {size - 1:,} other product{plural}"
        out.append((row, code, f"{what}{counted}: {listed}", group.group_id))
    return out


def _findings_frame(rows: list[tuple[int, str, str, str | None]], catalog: pd.DataFrame) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame({name: pd.Series(dtype="float64" if name == "priority" else "object")
                             for name in AUDIT_SCHEMA.names})
    frame = pd.DataFrame(rows, columns=["row", "code", "evidence", "group_id"])
    frame = frame.drop_duplicates(["row", "code", "group_id"])
    frame["severity"] = frame["code"].map(lambda code: FINDINGS[code][0])
    weights = frame.drop_duplicates(["row", "code"])
    score = weights["severity"].map(SEVERITY_WEIGHT).groupby(weights["row"]).sum()
    status = catalog["status"].fillna("").str.lower()
    visibility = status.map(VISIBILITY_WEIGHT).fillna(1.0)
    frame["priority"] = (frame["row"].map(score) * frame["row"].map(visibility)).round(2)
    frame["product_id"] = catalog["id"].to_numpy()[frame["row"].to_numpy()]
    frame["handle"] = catalog["handle"].fillna("").to_numpy()[frame["row"].to_numpy()]
    frame["severity_rank"] = frame["severity"].map(SEVERITIES.index)
    frame = frame.sort_values(["priority", "row", "severity_rank", "code"], ascending=[False, True, True, True])
    return frame[AUDIT_SCHEMA.names].reset_index(drop=True)


def write_findings(workspace: Workspace, findings: pd.DataFrame) -> None:
    table = pa.Table.from_pandas(findings, schema=AUDIT_SCHEMA, preserve_index=False)
    with atomic_path(workspace.audit) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def read_findings(workspace: Workspace) -> pd.DataFrame:
    """audit.parquet for later stages; an InputError when the audit has not run yet."""
    if not workspace.audit.exists():
        raise InputError(f"no audit yet; run {command('audit')} first", file=str(workspace.audit))
    return pq.read_table(workspace.audit).to_pandas()
