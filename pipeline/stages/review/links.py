"""The links panel of the draft page: each suggested internal link with where push would weave it, and the
reviewer's accept / reject, one link at a time, apart from the draft's own decision.

Links go into the main-language description, so they are decided on the main-language draft's page. Where a link
would go is worked out on the description that page shows as "After" (the approved or drafted body, or the
current one when the draft leaves it alone), with html.place_links as push uses it: in the text where its anchor
occurs, or after a sentence that mentions the target. A link that no sentence mentions cannot be accepted (it
would never reach the store); the panel says why instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.errors import InputError
from pipeline.stages.links import LinkTargets, SuggestionView, suggestion_views
from pipeline.stages.review.stage import ReviewSource, draft_view
from pipeline.state.link_decisions import build_link_decision, link_decisions, record_link_decisions
from pipeline.state.store import StateStore

ACTIONS = ("accept", "reject", "accept_all")


@dataclass
class LinkPanel:
    links: list[SuggestionView]

    @property
    def acceptable(self) -> int:
        """Undecided links that can be placed: what "Accept all" accepts."""
        return sum(1 for link in self.links if link.decision == "undecided" and link.placeable)

    @property
    def accepted(self) -> int:
        return sum(1 for link in self.links if link.decision == "accepted")


def link_body(state: StateStore, source: ReviewSource, product_id: str) -> str:
    """The main-language description the links would be woven into: the draft page's "After"."""
    view = draft_view(state, source, product_id, source.primary_locale)
    if view is not None:
        return view.body.after
    return source.before(product_id, source.primary_locale).get("body_html") or ""


def link_panel(state: StateStore, source: ReviewSource, product_id: str) -> LinkPanel:
    if not source.workspace.catalog.exists():
        return LinkPanel([])
    targets = LinkTargets.load(source.workspace.catalog)
    views = suggestion_views(targets, link_body(state, source, product_id), source.links.get(product_id, []),
                             link_decisions(state, [product_id]), source.primary_locale)
    return LinkPanel(views)


def decide_links(state: StateStore, source: ReviewSource, product_id: str, action: str, *, reviewer: str,
                 target_kind: str = "", target_id: str = "") -> int:
    """Accept or reject one link of the product (or accept every undecided link that can be placed); returns how
    many links were decided. A link that cannot be placed is refused, with the reason."""
    if action not in ACTIONS:
        raise InputError(f"unknown action {action!r}; use {', '.join(ACTIONS)}", field="action")
    panel = link_panel(state, source, product_id)
    if action == "accept_all":
        chosen = [link for link in panel.links if link.decision == "undecided" and link.placeable]
    else:
        chosen = [link for link in panel.links if (link.target_kind, link.target_id) == (target_kind, target_id)]
        if not chosen:
            raise InputError(f"no suggested link from {product_id!r} to {target_kind} {target_id!r}",
                             field="target_id")
        if action == "accept" and chosen[0].decision != "accepted" and not chosen[0].placeable:
            raise InputError(f"the link “{chosen[0].anchor}” cannot be woven into this description "
                             f"({chosen[0].outcome.reason}), so it would never reach the store; it is not accepted",
                             field="target_id")
    decision = "rejected" if action == "reject" else "accepted"
    try:
        made = [build_link_decision(product_id, target_kind=link.target_kind, target_id=link.target_id,
                                    target_handle=link.target_handle, anchor=link.anchor, decision=decision,
                                    reviewer=reviewer) for link in chosen]
    except ValueError as exc:
        raise InputError(str(exc), field="action") from None
    return record_link_decisions(state, made)
