"""keywords: one primary and a few secondary target keywords per product and locale, none shared."""

from pipeline.stages.keywords.stage import KeywordsResult, keyword_options
from pipeline.stages.keywords.stage import keywords as run

__all__ = ["KeywordsResult", "keyword_options", "run"]
