"""links: internal link suggestions between related products and to collection pages."""

from pipeline.stages.links.stage import LinkOptions, LinksResult
from pipeline.stages.links.stage import suggest_links as run

__all__ = ["LinkOptions", "LinksResult", "run"]
