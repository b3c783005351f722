"""links: internal link suggestions between related products and to collection pages, and the accepted ones woven
into the bodies push sends (weave.py)."""

from pipeline.stages.links.stage import LinkOptions, LinksResult
from pipeline.stages.links.stage import suggest_links as run
from pipeline.stages.links.weave import (
    LinkedChange,
    LinkTargets,
    SuggestionView,
    WovenLinks,
    decided_at,
    suggestion_views,
    weave_accepted_links,
)

__all__ = ["LinkOptions", "LinkTargets", "LinkedChange", "LinksResult", "SuggestionView", "WovenLinks", "decided_at",
           "run", "suggestion_views", "weave_accepted_links"]
