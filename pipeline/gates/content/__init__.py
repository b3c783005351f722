"""Content gates: what a draft says, checked against one fact sheet per product.

Format gates (lengths, pixels, HTML) live beside this package; these find what passes them and is still wrong:
repeated words, a changed identity, the wrong language, variant data stated as the product's, facts dropped or
invented (or stated at a wider scope), search-talk and filler, and padding. Standard library, nh3,
snowballstemmer and lingua only; nothing from the rest of `pipeline`.
"""

from .facts import FactSheet, OptionFact, ProductFactsInput, build_fact_sheet
from .findings import CODES, FACT_CLASSES, GateFinding
from .gate import check_content
from .information import information_count

__all__ = ["CODES", "FACT_CLASSES", "FactSheet", "GateFinding", "OptionFact", "ProductFactsInput",
           "build_fact_sheet", "check_content", "information_count"]
