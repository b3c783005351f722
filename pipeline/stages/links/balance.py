"""Choose which candidate links to keep so the link graph is balanced.

Rules, in order of strength:
1. no source links more products than its `max_out`, and no product receives more than `cap` links;
2. every product that is related to anything receives at least one link (no orphans);
3. every source gets at least its `min_out` links where its candidates allow it.

The choice is greedy in rounds: every source's best candidate comes before anyone's second best (the `tier`),
so the well-connected products cannot take all the capacity. Orphans are then repaired: a related source with
a free slot links the orphan, or gives up its weakest link whose target keeps another inbound link.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class Balanced:
    """The chosen edges (rows of the candidate table, with the reversed edges repair needed) and what repair did."""

    edges: pd.DataFrame
    orphans_repaired: int
    orphans_left: int
    under_min: int


def balance_links(candidates: pd.DataFrame, *, n: int, max_out: np.ndarray, min_out: np.ndarray, cap: int,
                  linkable: np.ndarray | None = None) -> Balanced:
    """`candidates` has one row per (source, target) with columns source, target, score, tier (smaller first).

    `n` is the number of catalogue rows; sources and targets are row positions below it. `linkable` marks the
    rows that may receive links (default: every target in the table); a linkable source is related to its own
    candidates too, so it counts as an orphan if nothing links to it.
    """
    table = candidates.reset_index(drop=True)
    source = table["source"].to_numpy().tolist()
    target = table["target"].to_numpy().tolist()
    order = np.lexsort((-table["score"].to_numpy(), table["tier"].to_numpy())).tolist()
    max_out_list = max_out.tolist()
    out_degree = [0] * n
    in_degree = [0] * n
    chosen = np.zeros(len(table), dtype=bool)
    for i in order:
        s, t = source[i], target[i]
        if out_degree[s] < max_out_list[s] and in_degree[t] < cap:
            chosen[i] = True
            out_degree[s] += 1
            in_degree[t] += 1

    related = set(target)
    if linkable is not None:
        related |= {s for s in set(source) if linkable[s]}
    table, chosen, repaired, left = _repair_orphans(table, chosen, related, out_degree, in_degree, max_out_list)
    under_min = _fill_minimum(table, chosen, out_degree, in_degree, min_out.tolist(), max_out_list, cap)
    return Balanced(edges=table[chosen].reset_index(drop=True), orphans_repaired=repaired, orphans_left=left,
                    under_min=under_min)


def _repair_orphans(table: pd.DataFrame, chosen: np.ndarray, related: set[int], out_degree: list[int],
                    in_degree: list[int], max_out: list[int]) -> tuple[pd.DataFrame, np.ndarray, int, int]:
    """Give each related product with no inbound link one, reusing similarity in both directions.

    The cap cannot be broken here: an orphan's own in-degree is 0, and a swap only lowers another's.
    """
    orphans = [t for t in related if in_degree[t] == 0]
    if not orphans:
        return table, chosen, 0, 0
    # Similarity is symmetric: an orphan's own candidates may link back to it (if they are sources).
    reverse = table[table["source"].isin(orphans)].rename(columns={"source": "target", "target": "source"})
    reverse = reverse[np.asarray(max_out)[reverse["source"].to_numpy()] > 0]
    existing = pd.MultiIndex.from_frame(table[["source", "target"]])
    reverse = reverse[~pd.MultiIndex.from_frame(reverse[["source", "target"]]).isin(existing)]
    table = pd.concat([table, reverse[table.columns]], ignore_index=True)
    chosen = np.concatenate([chosen, np.zeros(len(reverse), dtype=bool)])

    source = table["source"].to_numpy()
    target = table["target"].to_numpy()
    score = table["score"].to_numpy()
    options: dict[int, list[int]] = defaultdict(list)
    orphan_set = set(orphans)
    for i in np.flatnonzero(np.isin(target, orphans)).tolist():
        options[int(target[i])].append(i)
    chosen_by_source: dict[int, list[int]] = defaultdict(list)
    for i in np.flatnonzero(chosen).tolist():
        chosen_by_source[int(source[i])].append(i)

    repaired = 0
    for orphan in sorted(orphan_set, key=lambda t: (len(options[t]), t)):
        ranked = sorted(options[orphan], key=lambda i: -score[i])
        edge = next((i for i in ranked if out_degree[source[i]] < max_out[source[i]]), None)
        if edge is None:
            edge = _swap_out_weakest(ranked, source, target, score, chosen, chosen_by_source, in_degree,
                                     out_degree)
        if edge is None:
            continue
        s = int(source[edge])
        chosen[edge] = True
        chosen_by_source[s].append(edge)
        out_degree[s] += 1
        in_degree[orphan] += 1
        repaired += 1
    left = sum(1 for t in orphan_set if in_degree[t] == 0)
    return table, chosen, repaired, left


def _swap_out_weakest(ranked: list[int], source: np.ndarray, target: np.ndarray, score: np.ndarray,
                      chosen: np.ndarray, chosen_by_source: dict[int, list[int]], in_degree: list[int],
                      out_degree: list[int]) -> int | None:
    """Free a slot on the best related source by dropping its weakest link to a target linked elsewhere too."""
    for i in ranked:
        s = int(source[i])
        droppable = [j for j in chosen_by_source[s] if in_degree[target[j]] >= 2]
        if droppable:
            weakest = min(droppable, key=lambda j: score[j])
            chosen[weakest] = False
            chosen_by_source[s].remove(weakest)
            in_degree[target[weakest]] -= 1
            out_degree[s] -= 1
            return i
    return None


def _fill_minimum(table: pd.DataFrame, chosen: np.ndarray, out_degree: list[int], in_degree: list[int],
                  min_out: list[int], max_out: list[int], cap: int) -> int:
    """Top up sources below their minimum from their remaining candidates, best first, under the cap."""
    source = table["source"].to_numpy()
    short = {s for s in set(source.tolist()) if out_degree[s] < min(min_out[s], max_out[s])}
    if not short:
        return 0
    target = table["target"].to_numpy()
    order = np.lexsort((-table["score"].to_numpy(), table["tier"].to_numpy()))
    for i in order[np.isin(source[order], list(short))].tolist():
        s, t = int(source[i]), int(target[i])
        if not chosen[i] and out_degree[s] < min(min_out[s], max_out[s]) and in_degree[t] < cap:
            chosen[i] = True
            out_degree[s] += 1
            in_degree[t] += 1
    return sum(1 for s in short if out_degree[s] < min(min_out[s], max_out[s]))
