"""What generation reads from the other stages' artefacts: findings per field, keywords, similar titles, links.

Each loader checks the artefact's columns against the shared contract and fails with one line naming the file
and the missing column, so a stale or hand-edited artefact never becomes a traceback halfway through a run.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict, namedtuple
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.commands import command
from pipeline.core.lexicon import words
from pipeline.errors import InputError

AUDIT_COLUMNS = ("product_id", "handle", "code", "severity", "evidence", "group_id", "priority")
TARGET_COLUMNS = ("product_id", "handle", "locale", "keyword", "role", "source", "score")
LINK_COLUMNS = ("source_product_id", "target_kind", "target_handle", "anchor", "score")

# The audit's finding codes, by the field a rewrite fixes. Codes not listed fall back to their name
# (`_field_of_code`), and `[generation.finding_fields]` in seo.toml can map any code explicitly.
FINDING_FIELDS = {
    "exact_duplicate_title": "title", "near_duplicate_title": "title", "generic_title": "title",
    "all_caps_title": "title", "keyword_stuffed_title": "title", "long_title": "title",
    "exact_duplicate_description": "body_html", "shared_description": "body_html",
    "near_duplicate_description": "body_html", "empty_description": "body_html", "thin_description": "body_html",
    "messy_html": "body_html",
    "exact_duplicate_seo_title": "seo_title", "missing_seo_title": "seo_title", "long_seo_title": "seo_title",
    "exact_duplicate_seo_description": "seo_description", "missing_seo_description": "seo_description",
    "short_seo_description": "seo_description", "long_seo_description": "seo_description",
}


def field_of_code(code: str, overrides: Mapping[str, str] | None = None) -> str | None:
    if overrides and code in overrides:
        return overrides[code] or None
    if code in FINDING_FIELDS:
        return FINDING_FIELDS[code]
    if "seo_title" in code or "meta_title" in code:
        return "seo_title"
    if "seo_description" in code or "meta_description" in code:
        return "seo_description"
    if "handle" in code or "url" in code:
        return "handle"
    if "description" in code or "html" in code or "body" in code:
        return "body_html"
    if "title" in code:
        return "title"
    return None


class _Rows:
    """An artefact's rows as plain Python values (pyarrow columns to lists: far faster than pandas rows)."""

    def __init__(self, columns: dict[str, list[Any]]):
        self.columns = columns

    def itertuples(self, index: bool = False) -> Iterable[Any]:
        names = list(self.columns)
        # mypy needs the field names as a literal; here they are the file's columns, known only when read
        record = namedtuple("Row", names, rename=True)  # type: ignore[misc]
        return (record(*values) for values in zip(*self.columns.values(), strict=True))


def _read(path: Path, columns: Sequence[str], stage: str) -> _Rows:
    if not path.exists():
        raise InputError(f"not found; run {command(stage)} first", file=str(path))
    try:
        table = pq.read_table(path)
    except Exception as exc:  # noqa: BLE001 - any unreadable artefact is the same problem for the user
        raise InputError(f"not a readable Parquet file ({type(exc).__name__}); re-run {command(stage)}",
                         file=str(path)) from None
    for column in columns:
        if column not in table.column_names:
            raise InputError(f"missing column; re-run {command(stage)}", file=str(path), field=column)
    return _Rows({name: table.column(name).to_pylist() for name in columns})


@dataclass(frozen=True)
class AuditView:
    """Findings per product, priorities and duplicate groups from audit.parquet."""

    findings: Mapping[str, list[dict[str, str]]]
    priority: Mapping[str, float]
    groups: Mapping[str, list[str]]  # group_id -> product ids
    group_of: Mapping[str, list[str]]  # product id -> its group ids

    @classmethod
    def load(cls, path: Path) -> AuditView:
        frame = _read(path, AUDIT_COLUMNS, "audit")
        findings: dict[str, list[dict[str, str]]] = defaultdict(list)
        priority: dict[str, float] = {}
        groups: dict[str, list[str]] = defaultdict(list)
        group_of: dict[str, list[str]] = defaultdict(list)
        for row_number, row in enumerate(frame.itertuples(index=False), start=1):
            product_id = str(row.product_id)
            if not product_id or not isinstance(row.code, str) or not row.code:
                raise InputError("a finding needs a product_id and a code", file=str(path), row=row_number,
                                 field="product_id" if not product_id else "code")
            findings[product_id].append({"code": row.code, "severity": str(row.severity),
                                         "evidence": str(row.evidence or "")})
            try:
                priority[product_id] = float(row.priority)
            except (TypeError, ValueError):
                raise InputError(f"priority {row.priority!r} is not a number", file=str(path), row=row_number,
                                 field="priority") from None
            if isinstance(row.group_id, str) and row.group_id:
                if product_id not in groups[row.group_id]:
                    groups[row.group_id].append(product_id)
                if row.group_id not in group_of[product_id]:
                    group_of[product_id].append(row.group_id)
        return cls(dict(findings), priority, dict(groups), dict(group_of))


@dataclass(frozen=True)
class Keywords:
    primary: str | None
    secondary: tuple[str, ...] = ()
    source: str = ""


@dataclass
class KeywordBook:
    """Target keywords per (product id, locale) from targets.parquet."""

    by_product: dict[tuple[str, str], Keywords] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path, max_secondary: int = 3) -> KeywordBook:
        frame = _read(path, TARGET_COLUMNS, "keywords")
        grouped: dict[tuple[str, str], list[tuple[float, str, str, str]]] = defaultdict(list)
        for row_number, row in enumerate(frame.itertuples(index=False), start=1):
            if row.role not in ("primary", "secondary"):
                raise InputError(f"role {row.role!r} is not primary or secondary", file=str(path), row=row_number,
                                 field="role")
            keyword = " ".join(str(row.keyword or "").split())
            if not keyword:
                continue
            score = float(row.score) if row.score is not None and row.score == row.score else 0.0
            grouped[(str(row.product_id), str(row.locale))].append((score, row.role, keyword, str(row.source)))
        book = cls()
        for key, rows in grouped.items():
            rows.sort(key=lambda r: -r[0])
            primary = next((r for r in rows if r[1] == "primary"), None)
            secondary = tuple(dict.fromkeys(r[2] for r in rows if r[1] == "secondary"
                                            and (primary is None or r[2] != primary[2])))[:max_secondary]
            book.by_product[key] = Keywords(primary[2] if primary else None, secondary, primary[3] if primary else "")
        return book

    def for_product(self, product_id: str, locale: str) -> Keywords:
        return self.by_product.get((product_id, locale)) or Keywords(None)


def load_links(path: Path, per_product: int = 3) -> dict[str, list[dict[str, str]]]:
    """Link candidates per source product (links.parquet is optional: {} when it does not exist yet)."""
    if not path.exists():
        return {}
    frame = _read(path, LINK_COLUMNS, "links")
    out: dict[str, list[tuple[float, dict[str, str]]]] = defaultdict(list)
    for row in frame.itertuples(index=False):
        prefix = "/collections/" if row.target_kind == "collection" else "/products/"
        score = float(row.score) if isinstance(row.score, int | float) and row.score == row.score else 0.0
        out[str(row.source_product_id)].append((score, {"url": prefix + str(row.target_handle),
                                                        "anchor": str(row.anchor or "")}))
    return {k: [link for _, link in sorted(v, key=lambda x: -x[0])[:per_product]] for k, v in out.items()}


class SimilarTitles:
    """For each product, the titles of the products a shopper (or a search engine) could confuse it with.

    Duplicate-group mates from the audit come first, then products sharing the most distinctive title words
    (an inverted index over words, so nothing compares all pairs). A word is distinctive when at most 5% of the
    catalogue's titles have it, and never more than MAX_SHARED_BY of them: in a catalogue of 100,000 products a word
    a thousand titles share tells none of them apart, and counting overlaps through it made planning quadratic.
    Below 5,000 products the ceiling changes nothing.
    """

    MAX_SHARED_BY = 250

    def __init__(self, titles: Mapping[str, str], groups: Mapping[str, list[str]] | None = None,
                 group_of: Mapping[str, list[str]] | None = None, common_share: float = 0.05):
        self.titles = titles
        self.groups = groups or {}
        self.group_of = group_of or {}
        self.tokens = {pid: set(_title_words(t)) for pid, t in titles.items()}
        df = Counter(w for ws in self.tokens.values() for w in ws)
        cap = max(20, min(int(len(titles) * common_share), self.MAX_SHARED_BY))
        self.postings: dict[str, list[str]] = defaultdict(list)
        for pid, ws in self.tokens.items():
            for w in ws:
                if df[w] <= cap:
                    self.postings[w].append(pid)
        self.df = df
        self._memo: dict[str, list[str]] = {}

    def for_product(self, product_id: str, limit: int = 5) -> list[str]:
        if product_id not in self._memo:
            self._memo = {product_id: self._find(product_id, limit)}  # asked once per locale, in a row
        return self._memo[product_id]

    def _find(self, product_id: str, limit: int) -> list[str]:
        # dict keys: the order chosen, with membership in constant time (a group can hold thousands)
        chosen: dict[str, None] = {}
        for group in self.group_of.get(product_id, []):
            chosen.update((p, None) for p in self.groups.get(group, []) if p != product_id)
        overlap: Counter[str] = Counter()
        for w in self.tokens.get(product_id, ()):
            overlap.update(self.postings.get(w, ()))
        overlap.pop(product_id, None)
        close = sorted((-shared, p) for p, shared in overlap.items() if shared >= 2)  # most words shared first
        chosen.update((p, None) for _, p in close)
        # Another product with this product's very title is listed too: that title is taken.
        titles: dict[str, None] = {}
        for p in chosen:
            title = self.titles.get(p)
            if title:
                titles[title] = None
                if len(titles) == limit:
                    break
        return list(titles)


def _title_words(title: str) -> Iterable[str]:
    return (w for w in words(title) if len(w) > 2 and not re.fullmatch(r"[\d-]+", w))


def select_products(catalog_ids: Sequence[str], handles: Mapping[str, str], audit: AuditView | None, *,
                    select_all: bool, only: Sequence[str] | None, limit: int | None) -> list[str]:
    """Product ids to generate for, worst first: --only, else every product with findings (or all with --all)."""
    known = set(catalog_ids)
    by_handle = {h: pid for pid, h in handles.items()}
    if only:
        chosen = []
        for token in only:
            pid = token if token in known else by_handle.get(token)
            if pid is None:
                raise InputError(f"--only: no product with id or handle {token!r} in the catalogue")
            if pid not in chosen:
                chosen.append(pid)
        order = chosen
    elif select_all:
        order = list(catalog_ids)
    else:
        assert audit is not None
        order = [pid for pid in catalog_ids if pid in audit.findings]
    if audit is not None and not only:
        position = {pid: i for i, pid in enumerate(catalog_ids)}
        order.sort(key=lambda pid: (-audit.priority.get(pid, float("-inf")), position[pid]))
    return order[:limit] if limit is not None else order


def fields_to_rewrite(current: Mapping[str, Any], findings: Sequence[Mapping[str, str]], *, is_primary: bool,
                      policy: Mapping[str, str], allow_handle: bool, overrides: Mapping[str, str] | None = None,
                      audited: bool = True) -> tuple[list[str], list[str]]:
    """(fields to write, fields left alone) for one product in one locale, by the per-field rewrite policy.

    In the catalogue's own language a field is rewritten when its policy says so: `always`; `empty` when it has no
    text; `flagged` (the default) when it has no text or an audit finding. Another locale has no human text of its
    own in the catalogue, so every copy field is written there. Without an audit (`--all`), `flagged` cannot be
    judged and counts every field as flagged.
    """
    flagged = {f for f in (field_of_code(x["code"], overrides) for x in findings) if f}
    names = ["title", "body_html", "seo_title", "seo_description"] + (["handle"] if allow_handle else [])
    write: list[str] = []
    leave: list[str] = []
    for name in names:
        rule = policy.get(name, "flagged")
        empty = not str(current.get(name) or "").strip()
        if name == "handle":
            wanted = is_primary and (rule == "always" or (rule == "flagged" and name in flagged))
        elif not is_primary:
            wanted = True
        else:
            wanted = rule == "always" or (rule == "empty" and empty) or (
                rule == "flagged" and (empty or name in flagged or not audited))
        (write if wanted else leave).append(name)
    return write, leave
