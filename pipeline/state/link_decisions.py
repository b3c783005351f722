"""Link decisions: what a reviewer decided about each suggested internal link, apart from the draft's decision.

One row per (source product, target kind, target id) in `link_decisions`: 'accepted' or 'rejected', with the
anchor and target handle the reviewer saw, who decided and when. No row means undecided: a link is woven into a
description only once it is accepted, and approving or rejecting a draft decides nothing about its links (a
reviewer can reject the copy and keep the links, or the reverse). A decision can be changed (accepted <-> rejected)
but not withdrawn, so the time of a product's latest link decision (`links_stamp`) changes whenever the set of its
accepted links does: push uses it to tell a body already sent for these very links from one to send again.

For a collection, `target_id` is its handle (as in links.parquet).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pipeline.state.decisions import sanitise_plain_text
from pipeline.state.store import StateStore

LINK_DECISIONS = ("accepted", "rejected")
TARGET_KINDS = ("product", "collection")


@dataclass(frozen=True)
class LinkDecision:
    source_product_id: str
    target_kind: str  # 'product' or 'collection'
    target_id: str  # a product id, or a collection's handle
    target_handle: str  # the target's handle when decided (push follows renames from there)
    anchor: str
    decision: str  # 'accepted' or 'rejected'
    reviewer: str
    decided_at: str

    @property
    def key(self) -> tuple[str, str, str]:
        return self.source_product_id, self.target_kind, self.target_id

    @property
    def accepted(self) -> bool:
        return self.decision == "accepted"


def _now() -> str:
    """UTC to the microsecond: two decisions on one product in the same second still get two stamps."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def build_link_decision(source_product_id: str, *, target_kind: str, target_id: str, target_handle: str, anchor: str,
                        decision: str, reviewer: str, decided_at: str | None = None) -> LinkDecision:
    """A checked decision: known kind and decision, plain-text anchor and names; ValueError otherwise."""
    if decision not in LINK_DECISIONS:
        raise ValueError(f"a link decision is one of {', '.join(LINK_DECISIONS)}, not {decision!r}")
    if target_kind not in TARGET_KINDS:
        raise ValueError(f"a link target is a product or a collection, not {target_kind!r}")
    values = {name: sanitise_plain_text(str(value or "")) for name, value in (
        ("source product", source_product_id), ("target id", target_id), ("target handle", target_handle),
        ("anchor", anchor), ("reviewer", reviewer))}
    for name, value in values.items():
        if not value:
            raise ValueError(f"a link decision needs a {name}")
    return LinkDecision(values["source product"], target_kind, values["target id"], values["target handle"],
                        values["anchor"], decision, values["reviewer"], decided_at or _now())


def record_link_decisions(state: StateStore, decisions: Sequence[LinkDecision]) -> int:
    """Store decisions (each replacing the one on the same link) in one transaction; all or nothing."""
    with state.transaction() as db:
        db.executemany(
            "INSERT OR REPLACE INTO link_decisions (source_product_id, target_kind, target_id, target_handle, anchor, "
            "decision, reviewer, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(d.source_product_id, d.target_kind, d.target_id, d.target_handle, d.anchor, d.decision, d.reviewer,
              d.decided_at) for d in decisions])
    return len(decisions)


def decide_link(state: StateStore, source_product_id: str, *, target_kind: str, target_id: str, target_handle: str,
                anchor: str, decision: str, reviewer: str) -> LinkDecision:
    """Accept or reject one suggested link at once; returns the decision stored."""
    made = build_link_decision(source_product_id, target_kind=target_kind, target_id=target_id,
                               target_handle=target_handle, anchor=anchor, decision=decision, reviewer=reviewer)
    record_link_decisions(state, [made])
    return made


def _from_row(row: Any) -> LinkDecision:
    return LinkDecision(row["source_product_id"], row["target_kind"], row["target_id"], row["target_handle"],
                        row["anchor"], row["decision"], row["reviewer"], row["decided_at"])


def link_decisions(state: StateStore, product_ids: Iterable[str] | None = None,
                   decision: str | None = None) -> list[LinkDecision]:
    """Current link decisions (of some source products, of one kind), by product then in the order decided."""
    clauses, params = [], []
    if decision is not None:
        clauses.append("decision = ?")
        params.append(decision)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    order = " ORDER BY source_product_id, decided_at, target_kind, target_id"
    if product_ids is None:
        return [_from_row(r) for r in state.db.execute("SELECT * FROM link_decisions" + where + order, params)]
    ids = list(dict.fromkeys(product_ids))
    out: list[LinkDecision] = []
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        marks = ", ".join("?" for _ in batch)
        sql = ("SELECT * FROM link_decisions WHERE source_product_id IN (" + marks + ")"
               + (" AND decision = ?" if decision is not None else "") + order)
        out += [_from_row(r) for r in state.db.execute(sql, [*batch, *params])]
    return sorted(out, key=lambda d: (d.source_product_id, d.decided_at, d.target_kind, d.target_id))


def accepted_links(state: StateStore, product_ids: Iterable[str] | None = None) -> dict[str, list[LinkDecision]]:
    """source product -> its accepted links, in the order they were accepted."""
    out: dict[str, list[LinkDecision]] = {}
    for made in link_decisions(state, product_ids, "accepted"):
        out.setdefault(made.source_product_id, []).append(made)
    return out


def links_stamp(state: StateStore, product_ids: Iterable[str] | None = None) -> dict[str, str]:
    """source product -> the time of its latest link decision (accepted or rejected)."""
    stamps: dict[str, str] = {}
    for made in link_decisions(state, product_ids):
        stamps[made.source_product_id] = max(stamps.get(made.source_product_id, ""), made.decided_at)
    return stamps


def count_link_decisions(state: StateStore) -> dict[str, int]:
    return {r[0]: r[1] for r in state.db.execute("SELECT decision, COUNT(*) FROM link_decisions GROUP BY decision")}
