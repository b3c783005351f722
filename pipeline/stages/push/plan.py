"""Shared by push and rollback: the pulled values they compare the store with, and how results are told.

The catalogue (catalog.parquet) keeps the values of every field we may write as they were at the pull, and
translations.parquet the translations; a write goes ahead only where the store still holds what we expect
there (pipeline.ledger.History.expected), so nothing someone edited after the pull is overwritten.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pyarrow.parquet as pq

from pipeline.core.catalog import PRODUCT_FIELDS
from pipeline.shopify.push_support import FIELD_KEYS
from pipeline.state.ledger import Entry

KEY_FIELDS = {key: name for name, key in FIELD_KEYS.items()}  # translation key -> our field name
T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), max(1, size)):
        yield items[start:start + size]


def catalogue_sources(catalog: Path) -> set[str]:
    return set(pq.read_table(catalog, columns=["source"]).column("source").unique().to_pylist())


def pulled_translations(path: Path, product_ids: Sequence[str],
                        locales: Sequence[str]) -> dict[tuple[str, str, str], str | None]:
    """(product_id, locale, field) -> the translation pulled into translations.parquet (None: there was none)."""
    ids = list(dict.fromkeys(product_ids))
    if not ids or not locales or not path.exists():
        return {}
    table = pq.read_table(path, columns=["product_id", "locale", "key", "value", "primary"],
                          filters=[("product_id", "in", ids), ("locale", "in", list(locales))])
    return {(r["product_id"], r["locale"], KEY_FIELDS[r["key"]]): r["value"] for r in table.to_pylist()
            if not r["primary"] and r["key"] in KEY_FIELDS}


def short(value: str | None, width: int = 70) -> str:
    """A value on one line for the terminal: whitespace collapsed, long text cut with an ellipsis."""
    if value is None:
        return "(none)"
    text = " ".join(value.split())
    return repr(text if len(text) <= width else text[:width - 1] + "…")


@dataclass
class Listing:
    """Lines of one kind (conflicts, failures, ...) for the run's report: all counted, the first few shown."""

    title: str
    lines: list[str] = field(default_factory=list)
    more: str = "see the push ledger in state.db"  # where the lines not shown are

    def add(self, line: str) -> None:
        self.lines.append(line)

    def render(self, shown: int = 10) -> list[str]:
        if not self.lines:
            return []
        out = [f"  {self.title} ({len(self.lines):,}):"] + [f"    {line}" for line in self.lines[:shown]]
        if len(self.lines) > shown:
            out.append(f"    ... and {len(self.lines) - shown:,} more ({self.more})")
        return out


def by_product(entries: Sequence[Entry]) -> list[list[Entry]]:
    """Entries grouped by product, in first-seen order: one write per product."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.product_id, []).append(entry)
    return list(groups.values())


def snapshot_values(snapshots: Mapping[str, Any]) -> dict[str, dict[str, str | None]]:
    """product id -> field -> value, from the connector's ProductSnapshots."""
    return {pid: {name: getattr(s, name) for name in PRODUCT_FIELDS} for pid, s in snapshots.items()}
