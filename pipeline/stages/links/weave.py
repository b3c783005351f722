"""Accepted link suggestions -> the body push sends: each product's description with its accepted links woven in.

A reviewer accepts or rejects each suggested link on its own (state: link_decisions); approving or rejecting the
draft decides nothing about its links. For every product with a link decision, push asks `weave_accepted_links`
for the body to send:

- the base is the approved draft's body_html when the approval rewrites it, else the body as pulled (the offline
  writer leaves human descriptions alone, so most links go into the merchant's own text);
- the accepted links are placed by html.place_links with `keep_markup=True` (the base is kept byte for byte, the
  links only inserted), each in or after a sentence that mentions its target, or skipped with the reason; a
  link the body has already (pushed before and pulled again, say) is left as it is;
- a target is linked by its current handle: renamed by an earlier push (the ledger) or, pushing to a store, by an
  approved handle change in this very run; a product target must be active, published and in stock, and a
  collection must have such a product (the catalogue), or the link is skipped, never written as a 404;
- the body goes out as the approval's body_html (a `LinkedChange`), or as a change of its own for a product
  whose draft is not approved. Its `body_decided_at` names the draft decision and the latest link decision, so
  a body already sent for these very links is not sent again and any new decision (accept or reject) sends it
  anew, through the same conflict check, ledger and rollback as every other field.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipeline.core.catalog import read_catalog
from pipeline.stages.links.html import (
    AFTER_SENTENCE,
    IN_COPY,
    IN_TEXT,
    SKIPPED,
    LinkOutcome,
    LinkToPlace,
    Placement,
    place_links,
    resolve_handle,
    see_also_for,
)
from pipeline.state import ledger
from pipeline.state.decisions import ApprovedChange
from pipeline.state.link_decisions import LinkDecision, link_decisions, links_stamp
from pipeline.state.store import StateStore

TARGET_COLUMNS = ["id", "handle", "title", "body_html", "product_type", "status", "published", "collections",
                  "total_inventory"]


@dataclass(frozen=True)
class LinkedChange(ApprovedChange):
    """An approved change whose body_html carries the product's accepted links; `body_decided_at` stands for the
    decisions that body was made from (the draft's and the links')."""

    body_decided_at: str = ""


def decided_at(change: ApprovedChange, name: str) -> str:
    """The decision time push records for one field of a change: the body's own for a body with links."""
    if name == "body_html" and isinstance(change, LinkedChange) and change.body_decided_at:
        return change.body_decided_at
    return change.decided_at


@dataclass(frozen=True)
class Target:
    handle: str
    mentions: tuple[str, ...]  # the words a sentence may name it by: a product's title and type, a collection's name
    linkable: bool


@dataclass
class LinkTargets:
    """What the catalogue says about every possible link target, and each product's pulled body."""

    products: dict[str, Target]  # product id ->
    collections: dict[str, Target]  # collection handle ->
    bodies: dict[str, str]  # product id -> body_html as pulled
    _known: tuple[set[str], set[str]] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, catalog: Path) -> LinkTargets:
        """From catalog.parquet and the collections file beside it (links/pages.py), read again only when one of
        them changed."""
        stamps = tuple((p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else None
                       for p in (catalog, catalog.parent / "collections.parquet", catalog.parent / "collections.csv"))
        return _load_targets(str(catalog), stamps)

    def link(self, kind: str, target_id: str, anchor: str, handle: str = "") -> LinkToPlace:
        """The link to place: the target's handle as pulled (for a product; `handle` if it is not in the
        catalogue) and the words that mention it."""
        found = (self.products if kind == "product" else self.collections).get(target_id)
        if found is None:
            return LinkToPlace(anchor, handle or target_id, kind)
        return LinkToPlace(anchor, found.handle, kind, found.mentions)

    def known(self, handle_map: Mapping[str, str] | None) -> tuple[set[str], set[str]]:
        """(product handles, collection handles) a link may point to now, renames followed."""
        if not handle_map and self._known is not None:
            return self._known
        products = {resolve_handle(t.handle, handle_map) for t in self.products.values() if t.linkable}
        found = products, {h for h, t in self.collections.items() if t.linkable}
        if not handle_map:
            self._known = found
        return found

    def place(self, body: str, links: Sequence[LinkToPlace], locale: str,
              handle_map: Mapping[str, str] | None = None,
              known: tuple[set[str], set[str]] | None = None) -> Placement:
        """`links` placed in `body` as push places them; `known`: this map's `known()`, when placing many."""
        known_handles, known_collections = known if known is not None else self.known(handle_map)
        return place_links(body, links, handle_map, known_handles=known_handles, known_collections=known_collections,
                           see_also=see_also_for(locale), keep_markup=True)


@functools.lru_cache(maxsize=4)
def _load_targets(path: str, stamps: tuple[tuple[int, int] | None, ...]) -> LinkTargets:
    from pipeline.stages.links.pages import read_pages
    from pipeline.stages.links.stage import eligibility

    catalog = read_catalog(Path(path), columns=TARGET_COLUMNS).reset_index(drop=True)
    _, linkable = eligibility(catalog)
    ids, handles = catalog["id"].astype(str).tolist(), catalog["handle"].fillna("").astype(str).tolist()
    titles = catalog["title"].fillna("").astype(str).tolist()
    types = catalog["product_type"].fillna("").astype(str).tolist()
    products = {pid: Target(handle, tuple(m for m in (title, kind) if m.strip()), bool(ok))
                for pid, handle, title, kind, ok in zip(ids, handles, titles, types, linkable.tolist(), strict=True)}
    pages = read_pages(catalog, Path(path).parent)
    live = pages.live(np.asarray(linkable))
    # a sentence names a page by its name, or by the one product type of all its products ("Teak Bath Mats":
    # "this bath mat")
    kinds: dict[str, set[str]] = defaultdict(set)
    for page_handles, kind in zip(pages.members, types, strict=True):
        for handle in page_handles:
            kinds[handle].add(kind.strip())
    collections = {}
    for handle, name in pages.names.items():
        kind = next(iter(kinds[handle])) if len(kinds[handle]) == 1 else ""
        mentions = (name, kind) if kind and kind.lower() != name.lower() else (name,)
        collections[handle] = Target(handle, mentions, live[handle])
    bodies = dict(zip(ids, catalog["body_html"].fillna("").astype(str).tolist(), strict=True))
    return LinkTargets(products, collections, bodies)


@dataclass
class WovenLinks:
    """What weaving did: the changes for push, and each product's links with where they went."""

    changes: list[ApprovedChange]
    placed: dict[str, list[tuple[LinkDecision, LinkOutcome]]] = field(default_factory=dict)  # product -> links
    followed: dict[str, str] = field(default_factory=dict)  # target product -> handle approved in this run
    links_to: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # target -> sources linking it
    gone: list[str] = field(default_factory=list)  # products with accepted links that are not in the catalogue

    def counts(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for outcomes in self.placed.values():
            for _, outcome in outcomes:
                counts["links_accepted"] += 1
                counts[{IN_TEXT: "links_in_text", AFTER_SENTENCE: "links_after_sentence", IN_COPY: "links_in_copy",
                        SKIPPED: "links_skipped"}[outcome.how]] += 1
        return counts

    def skipped_lines(self, handles: Mapping[str, str]) -> list[str]:
        lines = [f"{pid}: accepted links not woven: the product is not in the catalogue; re-pull"
                 for pid in self.gone]
        for pid, outcomes in self.placed.items():
            for made, outcome in outcomes:
                if outcome.how == SKIPPED:
                    where = "/collections/" if made.target_kind == "collection" else "/products/"
                    lines.append(f"{handles.get(pid, pid)}: “{made.anchor}” -> {where}{outcome.link.target_handle}: "
                                 f"{outcome.reason}")
        return lines


def handle_renames(state: StateStore, targets: LinkTargets, primary_locale: str, last_pull_run: int,
                   changes: Iterable[ApprovedChange] = ()) -> tuple[dict[str, str], dict[str, str]]:
    """(pulled handle -> current handle, product -> handle approved in `changes`): the handles earlier pushes
    changed since the pull (the ledger), then those `changes` change (pass them only when they are about to be
    written to a store: an import file cannot change a handle)."""
    handle_map: dict[str, str] = {}
    for pid, values in ledger.written_since(state, last_pull_run, primary_locale).items():
        found = targets.products.get(pid)
        if found is not None and values.get("handle") and values["handle"] != found.handle:
            handle_map[found.handle] = str(values["handle"])
    followed: dict[str, str] = {}
    for change in changes:
        found = targets.products.get(change.product_id)
        if change.locale == primary_locale and found is not None and change.fields.get("handle"):
            handle_map[found.handle] = change.fields["handle"]
            followed[change.product_id] = change.fields["handle"]
    return handle_map, followed


def weave_accepted_links(catalog: Path, state: StateStore, changes: Sequence[ApprovedChange], primary_locale: str, *,
                         target: str, last_pull_run: int, follow_run_handles: bool) -> WovenLinks:
    """`changes` with the accepted links of every product with a link decision woven into the body each sends to
    `target` (a ledger target); see the module docstring. `follow_run_handles`: the changes' own handle changes
    are written in this run. A product gets a body for its links only when there are links to insert, or when a
    body with links went to `target` before (so a link rejected since is taken out again)."""
    decided = link_decisions(state)
    if not decided:
        return WovenLinks(list(changes))
    targets = LinkTargets.load(catalog)
    by_product: dict[str, list[LinkDecision]] = defaultdict(list)
    for made in decided:
        by_product[made.source_product_id].append(made)
    stamps = links_stamp(state)
    handle_map, followed = handle_renames(state, targets, primary_locale, last_pull_run,
                                          changes if follow_run_handles else ())
    result = WovenLinks([], followed=followed)
    known = targets.known(handle_map)
    primary = {c.product_id: c for c in changes if c.locale == primary_locale}
    history = ledger.history(state, target, list(by_product))
    woven: dict[str, ApprovedChange] = {}
    for pid, decisions in by_product.items():
        accepted = [d for d in decisions if d.accepted]
        if pid not in targets.bodies:
            if accepted:
                result.gone.append(pid)
            continue
        change = primary.get(pid)
        base = change.fields["body_html"] if change is not None and "body_html" in change.fields \
            else targets.bodies[pid]
        links = [targets.link(d.target_kind, d.target_id, d.anchor, d.target_handle) for d in accepted]
        placement = targets.place(base, links, primary_locale, handle_map, known)
        result.placed[pid] = list(zip(accepted, placement.outcomes, strict=True))
        for made_link, outcome in result.placed[pid]:
            if made_link.target_kind == "product" and outcome.how != SKIPPED and made_link.target_id in followed:
                result.links_to[made_link.target_id].add(pid)
        linked_before = any(r.status in ledger.DONE and r.rolled_back_by is None and " links " in f" {r.decided_at}"
                            for r in history.rows.get((pid, primary_locale, "body_html"), []))
        if not placement.placed and not linked_before:
            continue  # nothing to insert, nothing to take out: the change goes as approved
        body = placement.html if placement.placed else base
        stamp = f"links {stamps.get(pid, '')}"
        if change is not None:
            woven[pid] = LinkedChange(change.product_id, change.locale, {**change.fields, "body_html": body},
                                      change.decision, change.reviewer, change.decided_at,
                                      body_decided_at=f"{change.decided_at} {stamp}")
        else:  # the draft is not approved (or there is none): the body alone, for its links
            latest = max(decisions, key=lambda d: d.decided_at)
            woven[pid] = LinkedChange(pid, primary_locale, {"body_html": body}, "links", latest.reviewer, stamp,
                                      body_decided_at=stamp)
    seen = set()
    for change in changes:
        if change.locale == primary_locale and change.product_id in woven:
            result.changes.append(woven[change.product_id])
            seen.add(change.product_id)
        else:
            result.changes.append(change)
    result.changes += [c for pid, c in woven.items() if pid not in seen]
    return result



@dataclass(frozen=True)
class SuggestionView:
    """One suggested (or decided) link of a product, as the review app shows it."""

    target_kind: str
    target_id: str
    target_handle: str  # as it will be linked (renames followed)
    anchor: str  # the decided anchor once decided, else the suggestion's
    reason: str
    decision: str  # 'accepted', 'rejected' or 'undecided'
    outcome: LinkOutcome  # where it goes beside the accepted and undecided links (rejected: if it were accepted)

    @property
    def placeable(self) -> bool:
        return self.outcome.how != SKIPPED

    @property
    def path(self) -> str:
        return ("/collections/" if self.target_kind == "collection" else "/products/") + self.target_handle


def suggestion_views(targets: LinkTargets, body: str, suggestions: Sequence[Mapping[str, object]],
                     decisions: Sequence[LinkDecision], locale: str,
                     handle_map: Mapping[str, str] | None = None) -> list[SuggestionView]:
    """Each suggestion of one product (links.parquet rows) and each link decided on it that is no longer
    suggested, with where it would go in `body`: the accepted links are placed first, in the order accepted (as
    push places them), then the undecided ones, best first; a rejected one is shown where it would go if it were
    accepted now (after the accepted ones). So a link shown as placeable stays placed once accepted, whatever is
    accepted after it."""
    decided = {(d.target_kind, d.target_id): d for d in decisions}
    rows: list[tuple[str, str, str, str, str]] = []  # (kind, id, handle, anchor, reason)
    for s in suggestions:
        key = (str(s.get("target_kind") or "product"), str(s.get("target_id") or ""))
        rows.append((*key, str(s.get("target_handle") or ""), str(s.get("anchor") or ""), str(s.get("reason") or "")))
    suggested = {(kind, target_id) for kind, target_id, *_ in rows}
    rows += [(d.target_kind, d.target_id, d.target_handle, d.anchor, "") for d in decisions
             if (d.target_kind, d.target_id) not in suggested]
    state = {(kind, target_id): decided[(kind, target_id)].decision if (kind, target_id) in decided else "undecided"
             for kind, target_id, *_ in rows}
    anchors = {(kind, target_id): decided[(kind, target_id)].anchor if (kind, target_id) in decided else anchor
               for kind, target_id, _, anchor, _ in rows}
    order = [d.key[1:] for d in decisions if d.accepted] + [(k, t) for k, t, *_ in rows if state[(k, t)] == "undecided"]
    links = {(k, t): targets.link(k, t, anchors[(k, t)], handle) for k, t, handle, _, _ in rows}
    known = targets.known(handle_map)
    placement = targets.place(body, [links[key] for key in order], locale, handle_map, known)
    outcomes = dict(zip(order, placement.outcomes, strict=True))
    accepted = [links[d.key[1:]] for d in decisions if d.accepted]
    for key, decision in state.items():
        if decision == "rejected":
            outcomes[key] = targets.place(body, [*accepted, links[key]], locale, handle_map, known).outcomes[-1]
    return [SuggestionView(kind, target_id, outcomes[(kind, target_id)].link.target_handle, anchors[(kind, target_id)],
                           reason, state[(kind, target_id)], outcomes[(kind, target_id)])
            for kind, target_id, _, _, reason in rows]
