#!/usr/bin/env python3
"""Deterministic, seeded generator of a realistic home-goods Shopify catalogue with planted SEO flaws.

Standard library only (Python 3.11+), one self-contained file: tests and benchmarks load it by path with
importlib. All randomness comes from one ``random.Random(seed)`` (no global random, no clock, no ``hash()``
of strings), so the same arguments always give byte-identical files.

Outputs (defaults regenerate the committed files beside this script, N=1200, seed 20261122):

* ``products.csv``    Shopify product CSV (``current`` dialect by default, ``--dialect legacy`` for the old
                      ``Handle,Title,Body (HTML),...`` export); one row per variant, product-level cells only
                      on a handle's first row.
* ``labels.csv``      ``handle,flaw``: one row per planted flaw per product (ground truth).
* ``gsc_queries.csv`` a Google Search Console "Queries" export (``Top queries,Clicks,Impressions,CTR,
                      Position``) that fits the catalogue, sorted by clicks descending.

Store: six categories (textiles, lighting, kitchen, furniture, decor, bath), 53 product types, 15 invented
vendors, USD prices. Products are planned in blocks of 200 so that paired flaws (duplicates, near
duplicates, shared manufacturer copy) are decided before any member of a group is yielded; only sets of
used titles, (collection, noun) keys and handles persist, so 100,000 products peak at ~90 MB RSS.

Planted flaws and their target rates (fraction of products; per block the count is
``floor(block_size * rate + U[0,1))``, so rates hold closely at any size). The label is written only when the
final product really has the flaw under the rule given here. A product may carry several flaws.

=========================  ======  ==========================================================================
flaw code                  rate    rule that defines it (what the label means)
=========================  ======  ==========================================================================
exact_duplicate_title      4 %     title identical to another product's title (groups of 2-3; every member
                                   labelled). 20 % of the groups share a generic title (those products are
                                   also labelled generic_title). No two other titles are equal, even after
                                   case-folding and whitespace collapsing.
near_duplicate_title       6 %     groups of 2-3 products whose titles differ only by one size word (Small,
                                   Medium, Large, Twin, Full, Queen, King; see SIZE_WORDS) or one colour word
                                   (Sage, Clay, Natural, ...; see COLOR_WORDS), added as a suffix such as
                                   " - Sage", " Queen", " (Large)", ", Clay"; a group may keep one bare base
                                   title. Every member is labelled.
                                   Unflawed titles never contain a size or colour word and every
                                   (collection, noun) pair is unique, so no other pair meets the rule.
generic_title              5 %     "Cushion"-like one-word type names, placeholders ("New product",
                                   "Untitled item", ...), the vendor name alone, or SKU-like codes such as
                                   "HX-2291-B" (codes have at most 3 letters). Includes the generic exact
                                   duplicates above.
thin_description           8 %     non-empty description with fewer than 30 words.
empty_description          2 %     description is the empty string (never also thin).
shared_description         5 %     one of 3 manufacturer texts pasted verbatim (textile mill for textiles/bath,
                                   ceramics studio for kitchen/decor, hard-goods factory for lighting/
                                   furniture); only labelled when at least two products carry the text.
missing_seo_title          15 %    SEO title empty.
long_seo_title             6 %     SEO title longer than 60 characters.
missing_seo_description    20 %    SEO description empty.
long_seo_description       5 %     SEO description longer than 160 characters.
short_seo_description      3 %     SEO description non-empty and shorter than 70 characters.
all_caps_title             2 %     title has at least 4 letters and every letter is upper-case.
keyword_stuffed_title      2 %     one word (case-folded, 3+ letters) occurs 3 or more times in the title.
messy_html                 5 %     description (normal or thin) polluted with 2-4 of: inline styles,
                                   <font>, <span style>, &nbsp; runs, empty <p></p>, MS-Word
                                   class="MsoNormal"/<o:p> junk, unclosed tags, <div>/<br> soup.
=========================  ======  ==========================================================================

Words are counted as ``html.unescape(re.sub("<[^>]*>", " ", body)).split()``. Unflawed descriptions are
clean HTML (<p>, <ul><li>, <strong>) of 60-150 words, built from the product's own attributes (material
facts, dimensions, care, origin, room, style, type-specific specs); unflawed SEO titles are 1-60 characters
and unflawed SEO descriptions 70-160 characters. Title roles (exact, near, generic, all-caps, stuffed) are
mutually exclusive except generic+exact; description roles (empty, thin, shared, normal) are exclusive,
messy_html overlays normal or thin descriptions; SEO title and SEO description roles are each exclusive.
Measured on the committed sample, the largest word-3-shingle Jaccard similarity between two unflawed
descriptions is 0.38 (5-shingles: 0.32); on 30,000 unflawed descriptions of a 100,000-product run it is 0.56
(5-shingles: 0.54). Not labelled (no code in the list): ~3 % of products have no image and ~12 % of the rest
no image alt text.

Other realism: status Active ~90 %, Draft ~5 %, Archived ~5 % (``Published on online store`` is TRUE only
for Active); ~10-12 % of variants and ~3 % of whole products have 0 inventory; ~18 % of products are on sale
(compare-at price); SKUs are unique (``VENDOR-MAT-TYPE-STYLE-OPTIONS``, e.g. ``NH-LIN-DUV-014-Q-SAGE``);
barcodes are unique 13-digit EANs with a valid check digit.

CLI::

    python catalog_samples/generate_sample.py                      # regenerate the committed files
    python catalog_samples/generate_sample.py --products 100000 --out /tmp/big.csv
    python catalog_samples/generate_sample.py --dialect legacy --out /tmp/legacy.csv

With ``--out`` and no ``--labels``, labels go beside the CSV as ``<stem>.labels.csv``; queries are written
only to ``--queries`` (or to the default path when ``--out`` is not given).
"""

from __future__ import annotations

import argparse
import csv
import html
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from random import Random
from typing import Any

Product = dict[str, Any]

DEFAULT_SEED = 20261122
DEFAULT_PRODUCTS = 1200
DEFAULT_QUERIES = 600
HERE = Path(__file__).resolve().parent
BLOCK = 200
STORE = "Hollis & Fern"
CDN = "https://cdn.shopify.com/s/files/1/0683/2719/4562/files"

FLAW_CODES = (
    "exact_duplicate_title", "near_duplicate_title", "generic_title", "thin_description",
    "empty_description", "shared_description", "missing_seo_title", "long_seo_title",
    "missing_seo_description", "long_seo_description", "short_seo_description", "all_caps_title",
    "keyword_stuffed_title", "messy_html",
)
RATES = {
    "exact_duplicate_title": 0.04, "near_duplicate_title": 0.06, "generic_title": 0.05,
    "thin_description": 0.08, "empty_description": 0.02, "shared_description": 0.05,
    "missing_seo_title": 0.15, "long_seo_title": 0.06, "missing_seo_description": 0.20,
    "long_seo_description": 0.05, "short_seo_description": 0.03, "all_caps_title": 0.02,
    "keyword_stuffed_title": 0.02, "messy_html": 0.05,
}
GENERIC_EXACT_SHARE = 0.20  # share of exact-duplicate groups whose shared title is a generic one
STATUS_RATES = {"draft": 0.05, "archived": 0.05}
ALL_ZERO_STOCK_RATE = 0.03
ZERO_VARIANT_RATE = 0.10
SALE_RATE = 0.18
NO_ALT_RATE = 0.12
NO_IMAGE_RATE = 0.03

CURRENT_HEADER = (
    "Title,URL handle,Description,Vendor,Product category,Type,Tags,Published on online store,Status,SKU,"
    "Barcode,Option1 name,Option1 value,Option1 Linked To,Option2 name,Option2 value,Option2 Linked To,"
    "Option3 name,Option3 value,Option3 Linked To,Price,Compare-at price,Cost per item,Charge tax,Tax code,"
    "Unit price total measure,Unit price total measure unit,Unit price base measure,"
    "Unit price base measure unit,Inventory tracker,Inventory quantity,Continue selling when out of stock,"
    "Weight value (grams),Weight unit for display,Requires shipping,Fulfillment service,Product image URL,"
    "Image position,Image alt text,Variant image URL,Gift card,SEO title,SEO description,"
    "Color (product.metafields.shopify.color-pattern),Google Shopping / Google product category,"
    "Google Shopping / Gender,Google Shopping / Age group,Google Shopping / Manufacturer part number (MPN),"
    "Google Shopping / Ad group name,Google Shopping / Ads labels,Google Shopping / Condition,"
    "Google Shopping / Custom product,Google Shopping / Custom label 0,Google Shopping / Custom label 1,"
    "Google Shopping / Custom label 2,Google Shopping / Custom label 3,Google Shopping / Custom label 4"
).split(",")
LEGACY_HEADER = (
    "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,"
    "Option1 Linked To,Option2 Name,Option2 Value,Option2 Linked To,Option3 Name,Option3 Value,"
    "Option3 Linked To,Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,"
    "Variant Inventory Policy,Variant Fulfillment Service,Variant Price,Variant Compare At Price,"
    "Variant Requires Shipping,Variant Taxable,Unit Price Total Measure,Unit Price Total Measure Unit,"
    "Unit Price Base Measure,Unit Price Base Measure Unit,Variant Barcode,Image Src,Image Position,"
    "Image Alt Text,Gift Card,SEO Title,SEO Description,Color (product.metafields.shopify.color-pattern),"
    "Variant Image,Variant Weight Unit,Variant Tax Code,Cost per item,Status"
).split(",")
QUERIES_HEADER = ["Top queries", "Clicks", "Impressions", "CTR", "Position"]

# --------------------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------------------

CATEGORY_SHARE = {"textiles": 0.22, "lighting": 0.14, "kitchen": 0.20, "furniture": 0.12, "decor": 0.18,
                  "bath": 0.14}

# name, SKU code, categories it sells, city of its studio
VENDORS = [
    ("Nordhaus Living", "NH", ("textiles", "furniture", "decor"), "Copenhagen"),
    ("Maison Verlaine", "MV", ("textiles", "decor", "bath"), "Lyon"),
    ("Alder & Pine", "AP", ("furniture", "kitchen", "decor"), "Portland"),
    ("Kiln Street Ceramics", "KS", ("kitchen", "decor", "bath"), "Asheville"),
    ("Tidewater Home", "TW", ("textiles", "bath", "decor"), "Charleston"),
    ("Lumen Atelier", "LA", ("lighting",), "Brooklyn"),
    ("Hearthwell", "HW", ("kitchen", "textiles"), "Minneapolis"),
    ("Oakridge Workshop", "OW", ("furniture", "kitchen", "lighting"), "Grand Rapids"),
    ("Saltmarsh Linen Co.", "SL", ("textiles", "bath", "kitchen"), "Providence"),
    ("Fjell Studio", "FS", ("lighting", "furniture", "decor"), "Oslo"),
    ("Casa Moreno", "CM", ("kitchen", "decor", "furniture"), "Valencia"),
    ("Brightfield Lighting", "BF", ("lighting",), "Chicago"),
    ("Juniper Row", "JR", ("decor", "textiles", "bath"), "Austin"),
    ("Wren & Weave", "WW", ("textiles", "decor"), "Santa Fe"),
    ("Ostara Bath", "OB", ("bath", "textiles"), "Seattle"),
]

# Colour words: used in option values, tags, the colour metafield and near-duplicate suffixes, never in an
# unflawed title.
PALETTES = {
    "fabric": ["Sage", "Clay", "Ivory", "Charcoal", "Ochre", "Rust", "Navy", "Oat", "Sand", "Blush", "Slate",
               "Moss", "Chalk", "Indigo", "Mustard", "Stone", "White"],
    "ceramic": ["Chalk", "Sage", "Charcoal", "Sand", "Stone", "Ivory", "Black", "White", "Clay", "Moss",
                "Slate", "Blush"],
    "light": ["Natural", "Black", "White", "Ivory", "Stone", "Charcoal"],
    "wood": ["Natural", "Black", "Charcoal", "Ivory", "Oat", "Sand", "Moss", "Rust"],
    "glass": ["Clear", "Smoke", "Amber", "Sage"],
}
COLOR_WORDS = frozenset(c.lower() for pal in PALETTES.values() for c in pal)
SIZE_WORDS = frozenset({"small", "medium", "large", "twin", "full", "queen", "king", "mini", "xl",
                        "single", "double", "oversized", "petite"})

FINISHES = [("Brass", "BRS", 1.0), ("Matte Black", "MBLK", 0.95), ("Brushed Nickel", "BNK", 1.0),
            ("Antique Bronze", "ABZ", 1.05), ("Chrome", "CHR", 0.95)]
WOOD_FINISHES = [("Natural Oak", "NOAK", 1.0), ("Smoked Oak", "SOAK", 1.08), ("Walnut", "WAL", 1.15),
                 ("Black Oak", "BOAK", 1.05), ("White Oak", "WOAK", 1.05)]
SCENTS = [("Fig & Cedar", "FIG"), ("Sea Salt & Sage", "SEA"), ("Amber & Smoke", "AMB"),
          ("Tomato Leaf", "TOM"), ("Vetiver", "VET"), ("Black Tea", "TEA"), ("Neroli", "NER"),
          ("Cedar & Moss", "CED")]

# (value, code, price multiplier, weight multiplier, dimensions or None)
SIZE_SETS = {
    "bed": [("Twin", "T", 0.75, 0.75, "68 x 90 in"), ("Full", "F", 0.9, 0.9, "82 x 90 in"),
            ("Queen", "Q", 1.0, 1.0, "90 x 92 in"), ("King", "K", 1.18, 1.2, "108 x 92 in"),
            ("California King", "CK", 1.22, 1.22, "108 x 98 in")],
    "pillow": [("Standard", "STD", 1.0, 1.0, "20 x 26 in"), ("King", "K", 1.15, 1.15, "20 x 36 in")],
    "cushion": [("12 x 20 in", "1220", 0.85, 0.8, None), ("18 x 18 in", "1818", 1.0, 1.0, None),
                ("20 x 20 in", "2020", 1.1, 1.15, None), ("22 x 22 in", "2222", 1.2, 1.3, None)],
    "tablecloth": [("60 x 90 in", "6090", 1.0, 1.0, None), ("60 x 120 in", "60120", 1.25, 1.3, None),
                   ("70 in Round", "70R", 1.05, 1.1, None)],
    "runner": [("14 x 72 in", "1472", 1.0, 1.0, None), ("14 x 108 in", "14108", 1.3, 1.4, None)],
    "rug": [("2 x 3 ft", "2X3", 0.18, 0.1, None), ("5 x 8 ft", "5X8", 1.0, 1.0, None),
            ("8 x 10 ft", "8X10", 1.8, 2.0, None), ("9 x 12 ft", "9X12", 2.5, 2.7, None)],
    "curtain": [("50 x 84 in", "5084", 1.0, 1.0, None), ("50 x 96 in", "5096", 1.1, 1.12, None),
                ("50 x 108 in", "50108", 1.2, 1.25, None)],
    "sml": [("Small", "S", 0.75, 0.7, None), ("Medium", "M", 1.0, 1.0, None),
            ("Large", "L", 1.35, 1.5, None)],
    "shade": [("10 in", "10", 0.8, 0.7, None), ("14 in", "14", 1.0, 1.0, None),
              ("18 in", "18", 1.3, 1.4, None)],
    "candle": [("8 oz", "8OZ", 1.0, 1.0, None), ("14 oz", "14OZ", 1.55, 1.7, None)],
    "plates": [("Single", "1PC", 1.0, 1.0, None), ("Set of 4", "4PK", 3.6, 4.0, None)],
    "glasses": [("Set of 2", "2PK", 1.0, 1.0, None), ("Set of 4", "4PK", 1.8, 2.0, None),
                ("Set of 6", "6PK", 2.5, 3.0, None)],
    "dutch": [("3.5 qt", "35QT", 0.8, 0.75, None), ("5.5 qt", "55QT", 1.0, 1.0, None),
              ("7.25 qt", "725QT", 1.2, 1.3, None)],
    "jar": [("0.5 L", "05L", 0.8, 0.7, None), ("1 L", "1L", 1.0, 1.0, None), ("2 L", "2L", 1.3, 1.5, None)],
    "bookcase": [("3-Shelf", "3SH", 0.75, 0.7, None), ("5-Shelf", "5SH", 1.0, 1.0, None)],
    "bench": [("40 in", "40", 0.85, 0.8, None), ("55 in", "55", 1.0, 1.0, None),
              ("70 in", "70", 1.2, 1.3, None)],
    "stool": [("Counter Height", "CTR", 1.0, 1.0, None), ("Bar Height", "BAR", 1.08, 1.1, None)],
    "towel": [("Washcloth", "WC", 0.35, 0.2, "13 x 13 in"), ("Hand Towel", "HT", 0.6, 0.4, "20 x 30 in"),
              ("Bath Towel", "BT", 1.0, 1.0, "30 x 56 in"), ("Bath Sheet", "BS", 1.5, 1.6, "40 x 70 in")],
    "robe": [("S/M", "SM", 1.0, 1.0, None), ("L/XL", "LXL", 1.05, 1.1, None)],
    "print": [("8 x 10 in", "810", 1.0, 1.0, None), ("11 x 14 in", "1114", 1.4, 1.4, None),
              ("18 x 24 in", "1824", 2.2, 2.4, None)],
    "mirror": [("24 in Round", "24R", 1.0, 1.0, None), ("32 in Round", "32R", 1.35, 1.5, None),
               ("24 x 36 in", "2436", 1.5, 1.7, None)],
}
FRAMES = [("Unframed", "UNF", 1.0, 1.0), ("Oak Frame", "OAK", 1.9, 3.0), ("Black Frame", "BLK", 1.8, 3.0)]

# name -> (SKU code, family, origins, composition template)
MATERIALS: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    "Linen": ("LIN", "linen", ("Lithuania", "Portugal", "Belgium"), "100% European flax linen, {gsm} gsm"),
    "Organic Cotton": ("OCT", "cotton", ("Portugal", "India", "Turkey"),
                       "100% GOTS-certified organic cotton, {gsm} gsm"),
    "Cotton Percale": ("PCL", "cotton", ("Portugal", "Egypt"), "100% long-staple cotton percale, {tc} thread count"),
    "Cotton Sateen": ("STN", "cotton", ("Portugal", "Italy"), "100% long-staple cotton sateen, {tc} thread count"),
    "Bamboo Lyocell": ("BLY", "cotton", ("China", "Portugal"), "100% bamboo lyocell, {gsm} gsm"),
    "Cotton": ("COT", "cotton", ("India", "Portugal", "Turkey"), "100% cotton, {gsm} gsm"),
    "Waffle Cotton": ("WAF", "cotton", ("Turkey", "Portugal"), "100% cotton waffle weave, {gsm} gsm"),
    "Turkish Cotton": ("TKC", "cotton", ("Turkey",), "100% long-staple Turkish cotton, {gsm} gsm"),
    "Wool": ("WOL", "wool", ("New Zealand", "Scotland", "India"), "100% wool, {gsm} gsm"),
    "Merino Wool": ("MER", "wool", ("Italy", "New Zealand"), "100% fine merino wool, {mic} micron"),
    "Alpaca": ("ALP", "wool", ("Peru", "Bolivia"), "{pct}% baby alpaca, {rest}% wool"),
    "Velvet": ("VEL", "velvet", ("India", "Belgium"), "100% cotton velvet, {gsm} gsm"),
    "Bouclé": ("BCL", "velvet", ("Italy", "Belgium"), "{pct}% wool, {rest}% polyamide bouclé"),
    "Jute": ("JUT", "fibre", ("India", "Bangladesh"), "100% natural jute, hand-braided"),
    "Sisal": ("SIS", "fibre", ("Brazil", "Kenya"), "100% sisal with a cotton binding"),
    "Ceramic": ("CER", "ceramic", ("Portugal", "Vietnam", "Mexico"), "Glazed ceramic"),
    "Stoneware": ("STW", "ceramic", ("Portugal", "Japan", "Vietnam"), "High-fired stoneware, food-safe glaze"),
    "Porcelain": ("POR", "ceramic", ("Portugal", "Japan", "Germany"), "Vitrified porcelain fired at {degc}°C"),
    "Earthenware": ("ETW", "ceramic", ("Italy", "Portugal", "Mexico"), "Glazed earthenware"),
    "Terracotta": ("TER", "ceramic", ("Italy", "Mexico", "Portugal"), "Unglazed terracotta, sealed inside"),
    "Glass": ("GLS", "glass", ("Poland", "Czech Republic", "Mexico"), "Mouth-blown soda-lime glass"),
    "Recycled Glass": ("RGL", "glass", ("Spain", "Mexico"), "{pct}% recycled glass"),
    "Borosilicate Glass": ("BGL", "glass", ("Czech Republic", "Germany"), "Heat-resistant borosilicate glass"),
    "Brass": ("BRS", "metal", ("India", "Italy"), "Solid brass, unlacquered"),
    "Steel": ("STL", "metal", ("Taiwan", "Denmark", "Vietnam"), "Powder-coated steel"),
    "Aluminum": ("ALU", "metal", ("Taiwan", "Italy"), "Spun aluminum, powder-coated"),
    "Cast Iron": ("CIR", "iron", ("USA", "France"), "Pre-seasoned cast iron"),
    "Enameled Cast Iron": ("ECI", "iron", ("France", "China"), "Cast iron with a {coats}-coat enamel finish"),
    "Enamel": ("ENM", "metal", ("Poland", "Thailand"), "Enameled steel"),
    "Oak": ("OAK", "wood", ("Denmark", "Lithuania", "USA"), "Solid FSC-certified white oak"),
    "Walnut": ("WAL", "wood", ("USA",), "Solid American black walnut"),
    "Ash": ("ASH", "wood", ("Denmark", "USA"), "Solid FSC-certified ash"),
    "Beech": ("BCH", "wood", ("Poland", "Romania"), "Solid steam-bent beech"),
    "Teak": ("TEK", "wood", ("Indonesia",), "Reclaimed Grade A teak"),
    "Acacia": ("ACA", "wood", ("Vietnam", "India"), "Solid acacia wood, food-safe oil finish"),
    "Olive Wood": ("OLW", "wood", ("Tunisia", "Italy"), "Solid olive wood from pruned branches"),
    "Mango Wood": ("MNG", "wood", ("India",), "Solid sustainably harvested mango wood"),
    "Maple": ("MPL", "wood", ("USA", "Canada"), "Solid hard maple"),
    "Pine": ("PIN", "wood", ("Sweden", "Poland"), "Solid Nordic pine, lacquered"),
    "Bamboo": ("BAM", "wood", ("China", "Vietnam"), "Moso bamboo, lacquered"),
    "Rattan": ("RAT", "weave", ("Indonesia", "Vietnam"), "Hand-woven natural rattan"),
    "Seagrass": ("SGR", "weave", ("Vietnam",), "Hand-woven seagrass"),
    "Water Hyacinth": ("WHY", "weave", ("Vietnam", "Thailand"), "Hand-woven water hyacinth"),
    "Paper": ("PAP", "paper", ("Japan", "Vietnam"), "Mulberry paper over a steel frame"),
    "Archival Paper": ("ARC", "paper", ("USA", "Germany"), "{gsm} gsm archival cotton-rag paper"),
    "Marble": ("MAR", "stone", ("Italy", "India", "Turkey"), "Honed marble, sealed"),
    "Travertine": ("TRV", "stone", ("Italy", "Turkey"), "Honed travertine, filled and sealed"),
    "Alabaster": ("ALB", "stone", ("Spain", "Egypt"), "Hand-carved alabaster"),
    "Concrete": ("CON", "stone", ("Portugal", "Vietnam"), "Fibre-reinforced concrete, sealed"),
    "Leather": ("LTH", "leather", ("Italy", "India"), "Full-grain vegetable-tanned leather"),
    "Soy Wax": ("SOY", "wax", ("USA",), "100% soy wax, cotton wick"),
    "Beeswax": ("BEE", "wax", ("USA", "New Zealand"), "Pure beeswax, cotton wick"),
    "Coconut Wax": ("COC", "wax", ("USA", "Canada"), "Coconut-apricot wax blend, wooden wick"),
    "Diatomite": ("DIA", "stone", ("Japan", "China"), "Diatomaceous earth, quick-dry"),
}

MATERIAL_FACTS: dict[str, list[str]] = {
    "Linen": [
        "European flax linen breathes and wicks moisture, so it stays cool in July and feels warm in January.",
        "We stonewash the {mat} before it is cut, which gives the {noun} its relaxed drape from day one.",
        "Linen grows softer with every wash and takes on a gentle patina over the years.",
        "Flax needs far less water than cotton to grow, which makes linen one of the lowest-impact fibers.",
        "The slubby, irregular weave catches the light and adds quiet texture to the {room}.",
    ],
    "Organic Cotton": [
        "The organic cotton is grown without synthetic pesticides and certified to GOTS from field to finish.",
        "Long organic cotton fibers make the {noun} smooth to the touch and resistant to pilling.",
        "Organic cotton is breathable, easy to wash and gentle on sensitive skin.",
    ],
    "Cotton Percale": [
        "Percale has a one-over, one-under weave that feels crisp and matte, like a freshly pressed shirt.",
        "Cotton percale sleeps cool, so the {noun} is a favorite with hot sleepers.",
        "The long-staple cotton percale gets softer with each wash while keeping its crisp hand.",
    ],
    "Cotton Sateen": [
        "Sateen's four-over, one-under weave gives the {noun} a soft sheen and a silky, drapey hand.",
        "Cotton sateen feels warmer and smoother than percale, ideal for cooler bedrooms.",
        "The long-staple cotton sateen resists wrinkles better than most natural fabrics.",
    ],
    "Bamboo Lyocell": [
        "Bamboo lyocell is spun in a closed-loop process that recycles almost all of its water and solvent.",
        "Bamboo lyocell feels cool and silky and wicks moisture away from the skin.",
    ],
    "Cotton": [
        "The cotton is yarn-dyed before weaving, so the color runs deep and will not fade after a few washes.",
        "Soft, breathable cotton makes the {noun} easy to live with and easy to wash.",
        "Mid-weight cotton gives the {noun} body without feeling heavy.",
    ],
    "Waffle Cotton": [
        "The waffle weave creates tiny pockets that trap air, so it dries fast and feels light.",
        "Waffle cotton is airy and absorbent, with a honeycomb texture you notice every time you use it.",
    ],
    "Turkish Cotton": [
        "Long-staple Turkish cotton loops are plush, absorbent and get fluffier over time.",
        "Turkish cotton dries faster than Egyptian cotton, which keeps the {noun} fresher between washes.",
    ],
    "Wool": [
        "Wool is naturally temperature-regulating, breathable and resistant to odors and stains.",
        "The wool is sourced from mulesing-free farms and spun for a dense, durable {noun}.",
        "Wool fibers spring back after pressure, so the {noun} keeps its shape for years.",
    ],
    "Merino Wool": [
        "Fine merino wool is soft enough to wear against the skin and never feels scratchy.",
        "Merino regulates temperature, so the {noun} feels cozy without overheating.",
    ],
    "Alpaca": [
        "Baby alpaca is warmer than sheep's wool, naturally hypoallergenic and exceptionally soft.",
        "Alpaca fiber has a subtle halo and a lightweight warmth that makes the {noun} easy to layer.",
    ],
    "Velvet": [
        "Cotton velvet has a dense, short pile that catches light and deepens the color.",
        "The velvet is garment-washed for a softer hand and a slightly worn-in look.",
    ],
    "Bouclé": [
        "Looped bouclé yarn gives the {noun} a nubby, cloud-like texture that begs to be touched.",
        "The bouclé is woven in Italy from a wool-rich yarn that resists pilling and everyday wear.",
    ],
    "Jute": [
        "Jute is a rapidly renewable plant fiber with a warm, earthy texture.",
        "Hand-braided jute is tough underfoot and adds natural warmth to the {room}.",
    ],
    "Sisal": [
        "Sisal is one of the most durable natural fibers, ideal for high-traffic spots.",
        "The tight sisal weave has a crisp texture and a subtle natural sheen.",
    ],
    "Ceramic": [
        "Each piece is slip-cast and glazed by hand, so the surface varies slightly from one to the next.",
        "The ceramic body is fired twice for strength, with a satin glaze that feels good in the hand.",
    ],
    "Stoneware": [
        "Stoneware is fired at high temperature, making it dense, chip-resistant and ready for daily use.",
        "Each piece is thrown on the wheel, so the {noun} carries the small marks of the maker's hands.",
        "A reactive glaze pools and breaks over the rim, so no two stoneware pieces look the same.",
    ],
    "Porcelain": [
        "Porcelain is fired hotter than stoneware, giving it a fine, translucent edge and real strength.",
        "Non-porous porcelain resists stains and odors and stays bright for years.",
    ],
    "Earthenware": [
        "Earthenware is fired at a lower temperature, which gives it a warm, rustic character.",
        "The earthenware body is coated in a glossy glaze that shows off its hand-formed shape.",
    ],
    "Terracotta": [
        "Unglazed terracotta breathes, helping roots stay healthy and soil drain evenly.",
        "Terracotta develops a soft, chalky patina outdoors that only adds to its charm.",
    ],
    "Glass": [
        "The glass is mouth-blown, so you may spot tiny bubbles that show it was made by hand.",
        "Clear glass lets light travel through the {noun} and keeps the look airy.",
    ],
    "Recycled Glass": [
        "Made from recycled bottles, the glass has a faint tint and the odd seed bubble.",
        "Recycled glass saves energy and raw materials without giving up clarity or strength.",
    ],
    "Borosilicate Glass": [
        "Borosilicate glass handles sudden temperature changes, from hot tea to iced coffee.",
        "Thin-walled borosilicate glass is lightweight yet surprisingly tough.",
    ],
    "Brass": [
        "Unlacquered brass develops a warm, lived-in patina over time; polish it if you prefer a bright shine.",
        "Solid brass is heavy, durable and ages beautifully.",
    ],
    "Steel": [
        "Powder-coated steel gives the {noun} a slim profile and a durable matte finish.",
        "The steel frame is laser-cut and welded for clean lines and rigidity.",
    ],
    "Aluminum": [
        "Spun aluminum keeps the {noun} light while giving it a smooth, seamless shape.",
        "Aluminum will not rust, and the powder-coat finish resists scratches.",
    ],
    "Cast Iron": [
        "Cast iron holds heat evenly and gets better with every use as the seasoning builds.",
        "Pre-seasoned cast iron is ready for the stovetop, the oven and even the campfire.",
    ],
    "Enameled Cast Iron": [
        "Enameled cast iron holds heat evenly for slow braises, and the enamel needs no seasoning.",
        "The enamel interior resists staining and makes the {noun} easy to clean.",
    ],
    "Enamel": [
        "Enameled steel is light, tough and has a charming, camp-style finish.",
        "The enamel coating is food-safe and easy to wipe clean.",
    ],
    "Oak": [
        "Solid white oak has a tight grain and a warm tone that deepens with age.",
        "The oak is FSC-certified and finished with a hard-wax oil that lets the grain show through.",
        "Oak is hard and dense, so the {noun} will stand up to daily life for decades.",
    ],
    "Walnut": [
        "American black walnut has a rich chocolate tone and a flowing grain.",
        "Walnut is finished with natural oil to bring out its depth without a plastic sheen.",
    ],
    "Ash": [
        "Ash is pale, strong and slightly flexible, with a bold, open grain.",
        "FSC-certified ash is light in color and works well in airy rooms.",
    ],
    "Beech": [
        "Steam-bent beech makes smooth curves possible without joints.",
        "Beech is hard and close-grained, with a calm, even tone.",
    ],
    "Teak": [
        "Reclaimed teak is naturally rich in oils, so it shrugs off water and humidity.",
        "Teak turns a silvery gray if left untreated, or stays golden with occasional oiling.",
    ],
    "Acacia": [
        "Acacia is dense and water-resistant, with a striking two-tone grain.",
        "Fast-growing acacia is a sustainable hardwood with plenty of character.",
    ],
    "Olive Wood": [
        "Olive wood comes from pruned branches of old groves, so no trees are cut down.",
        "The swirling grain of olive wood makes every {noun} one of a kind.",
    ],
    "Mango Wood": [
        "Mango wood comes from trees that no longer bear fruit, giving them a second life.",
        "Mango wood has a warm tone with occasional dark streaks and knots.",
    ],
    "Maple": [
        "Hard maple is the classic butcher-block wood: dense, closed-grain and gentle on knife edges.",
        "Maple has a pale, creamy tone that brightens the {room}.",
    ],
    "Pine": [
        "Nordic pine grows slowly in a cold climate, giving it tight rings and a soft, honeyed tone.",
        "Pine is light to move yet sturdy, and it warms in color over time.",
    ],
    "Bamboo": [
        "Bamboo regrows in just a few years, which makes it one of the most renewable materials around.",
        "Lacquered bamboo resists moisture, so it is at home in the {room}.",
    ],
    "Rattan": [
        "Rattan is a fast-growing climbing palm, steamed and hand-woven over a sturdy frame.",
        "Woven rattan casts beautiful patterned shadows and adds natural texture.",
    ],
    "Seagrass": [
        "Seagrass is harvested by hand, dried in the sun and twisted into a strong, springy cord.",
        "Seagrass has a fresh, grassy scent when new and a pleasing natural variation in tone.",
    ],
    "Water Hyacinth": [
        "Water hyacinth is a fast-growing aquatic plant; harvesting it helps keep waterways clear.",
        "The thick water hyacinth weave is soft to the touch but holds its shape.",
    ],
    "Paper": [
        "Mulberry paper diffuses light softly, throwing a warm glow rather than harsh glare.",
        "The paper shade is stretched over a light steel frame by hand.",
    ],
    "Archival Paper": [
        "The print is made with pigment inks on cotton-rag paper rated to last over a century.",
        "Archival paper has a soft matte texture with no glare under the lights.",
        "Acid-free cotton-rag paper will not yellow, so the colors stay true on your wall.",
        "The heavyweight paper has a subtle tooth that gives the image depth.",
        "Each {noun} is hand-trimmed and checked against the artist's proof.",
    ],
    "Marble": [
        "Honed marble has a soft, matte surface with veining unique to each slab.",
        "Marble is naturally cool to the touch and heavy enough to stay put.",
    ],
    "Travertine": [
        "Travertine is a porous limestone with small natural pits and a warm, sandy tone.",
        "Each travertine piece is cut from a single block, so its pattern is one of a kind.",
    ],
    "Alabaster": [
        "Alabaster glows when light passes through it, giving a soft, candle-like warmth.",
        "Hand-carved alabaster has gentle veining and a slightly translucent body.",
    ],
    "Concrete": [
        "Fibre-reinforced concrete is lighter than it looks and weathers to a soft patina.",
        "Cast concrete has a raw, tactile surface with tiny natural air pockets.",
    ],
    "Leather": [
        "Full-grain leather is tanned with plant extracts and softens and darkens with use.",
        "Vegetable-tanned leather develops a rich patina that tells the story of your home.",
    ],
    "Soy Wax": [
        "Soy wax burns cleaner and slower than paraffin for a long, even scent throw.",
        "The soy wax is hand-poured in small batches and cured for two weeks.",
    ],
    "Beeswax": [
        "Pure beeswax burns bright and slow with a faint honey scent of its own.",
        "Beeswax candles burn with a warm, golden flame and very little soot.",
    ],
    "Coconut Wax": [
        "Coconut wax gives a creamy, smooth top and a generous scent throw.",
        "A wooden wick crackles softly as the coconut wax burns.",
    ],
    "Diatomite": [
        "Diatomite absorbs water within seconds and dries quickly, so it stays fresh and mildew-free.",
        "The diatomite stone is porous, firm underfoot and naturally antibacterial.",
    ],
}

CARE = {
    "linen": ["Machine wash cool on a gentle cycle; tumble dry low or line dry",
              "Wash at 30°C / 86°F with mild detergent; skip the fabric softener"],
    "cotton": ["Machine wash warm with like colors; tumble dry low",
               "Wash at 40°C / 104°F; tumble dry low and remove promptly"],
    "wool": ["Dry clean or hand wash cold; lay flat to dry",
             "Spot clean; air outdoors to refresh"],
    "velvet": ["Dry clean only", "Spot clean with a damp cloth; brush the pile to refresh"],
    "fibre": ["Vacuum regularly without the beater bar; blot spills immediately",
              "Shake out and spot clean; keep out of damp areas"],
    "ceramic": ["Dishwasher and microwave safe", "Hand washing recommended to keep the glaze at its best"],
    "glass": ["Dishwasher safe on the top rack", "Hand wash with warm, soapy water"],
    "metal": ["Wipe with a soft, dry cloth", "Polish occasionally with a brass cleaner if you prefer a shine"],
    "iron": ["Hand wash, dry immediately and rub with a little oil", "Hand wash; do not soak"],
    "wood": ["Wipe clean with a damp cloth; re-oil every few months",
             "Hand wash only; dry upright and oil when it looks thirsty"],
    "weave": ["Dust with a soft brush; keep away from standing water", "Wipe with a damp cloth; air dry"],
    "paper": ["Dust gently with a dry brush", "Keep away from moisture; dust with a soft cloth"],
    "stone": ["Wipe with a pH-neutral cleaner; avoid acidic spills", "Reseal once a year; wipe with a damp cloth"],
    "leather": ["Wipe with a dry cloth; condition twice a year", "Keep out of direct sunlight"],
    "wax": ["Trim the wick to 1/4 in before each burn", "Burn for no more than 4 hours at a time"],
}

STYLES = {
    "scandinavian": ["pared-back Scandinavian", "Nordic-inspired", "light, Scandinavian"],
    "japandi": ["calm Japandi", "Japandi-inspired", "quietly minimal Japandi"],
    "coastal": ["relaxed coastal", "breezy coastal", "sun-washed coastal"],
    "mid-century": ["mid-century", "retro mid-century", "mid-century modern"],
    "farmhouse": ["modern farmhouse", "rustic farmhouse", "relaxed farmhouse"],
    "minimalist": ["minimalist", "clean-lined, minimalist", "uncluttered minimalist"],
    "bohemian": ["laid-back bohemian", "boho", "collected, bohemian"],
    "traditional": ["timeless traditional", "classic", "heritage-inspired"],
    "modern organic": ["modern organic", "earthy, modern organic", "softly organic"],
    "industrial": ["industrial", "urban industrial", "workshop-inspired industrial"],
}
STYLE_KEYS = list(STYLES)

ROOM_CONTEXT = {
    "bedroom": ["slow weekend mornings", "a guest room you would actually want to sleep in",
                "a bedroom that feels like a retreat", "layering up on cooler nights", "breakfast in bed",
                "early nights with a good book"],
    "living room": ["movie nights on the sofa", "a living room that gets properly lived in",
                    "the corner where you curl up to read", "hosting friends on a Friday night",
                    "lazy Sunday afternoons", "a living room with kids and dogs"],
    "dining room": ["long dinners with friends", "weeknight family meals", "a table set for the holidays",
                    "slow brunches that run into lunch", "birthday dinners"],
    "kitchen": ["busy weeknight cooking", "Sunday batch cooking", "the morning coffee ritual",
                "open shelving you are proud of", "baking days with the kids"],
    "bathroom": ["a spa-like bathroom", "the first shower of the day", "a guest bath that feels considered",
                 "long soaks after a long week", "a small bathroom that needs to work hard"],
    "entryway": ["a welcoming entryway", "the spot where keys and mail land", "a narrow hallway",
                 "the school-run scramble"],
    "home office": ["long days at the desk", "a calmer home office", "late-night emails",
                    "a corner desk in a shared room"],
    "nursery": ["a soft, calm nursery", "late-night feeds", "story time"],
    "patio": ["warm evenings on the patio", "a balcony garden", "potting up herbs in spring"],
}
STYLE_PAIRINGS = {
    "scandinavian": "pale woods and plenty of white space", "japandi": "low furniture and natural textures",
    "coastal": "sun-faded linens and woven textures", "mid-century": "teak, walnut and tapered legs",
    "farmhouse": "reclaimed wood and vintage finds", "minimalist": "clean surfaces and a restrained palette",
    "bohemian": "layered rugs, plants and travel finds", "traditional": "antiques and rich, warm colors",
    "modern organic": "curved shapes, stone and plaster", "industrial": "steel, brick and concrete",
}
ALT_CONTEXT = {
    "bedroom": "on a made bed", "living room": "in a sunlit living room", "dining room": "on a dining table",
    "kitchen": "on a kitchen counter", "bathroom": "in a bright bathroom", "entryway": "in an entryway",
    "home office": "on a desk", "nursery": "in a nursery", "patio": "on a patio",
}

CATEGORY_BENEFITS = {
    "textiles": ["soft, breathable comfort that gets better with every wash",
                 "texture that makes a room feel finished", "layers that feel as good as they look",
                 "easy, lived-in softness"],
    "lighting": ["warm, glare-free light for the hours after sunset", "a soft glow that changes the mood",
                 "light that works as hard as it looks", "a sculptural shape that reads as art even when off"],
    "kitchen": ["everyday pieces sturdy enough for real cooking", "tools that earn their place on the counter",
                "tableware that makes a weeknight dinner feel special", "simple forms that go from oven to table"],
    "furniture": ["honest materials and joinery built to last", "comfort and proportion in equal measure",
                  "a piece sized for real homes", "solid construction you can feel"],
    "decor": ["a finishing touch with real presence", "handmade character for shelves and tables",
              "an easy way to add texture and warmth", "a small piece that changes a whole corner"],
    "bath": ["hotel-level softness at home", "a calmer, more organized bathroom",
             "everyday luxury for the bathroom", "quick-drying comfort that lasts"],
}
SEO_BENEFITS = {
    "textiles": "Soft, breathable and made to last", "lighting": "Warm, glare-free light",
    "kitchen": "Built for everyday cooking", "furniture": "Solid materials, built to last",
    "decor": "Handmade character for your home", "bath": "Soft, absorbent and quick-drying",
}

INTROS = [
    "The {name} is {style} design made for everyday use in the {room}.",
    "Meet the {name}: {benefit}.",
    "{Benefit}. That is the idea behind the {name} from {vendor}.",
    "Designed in the {vendor} studio in {city}, the {name} brings {style} calm to the {room}.",
    "With {style} lines and honest {mat}, the {name} earns its place in the {room}.",
    "If you want a {noun} that offers {benefit}, start with the {name}.",
    "Our {name} pairs {mat} with {style} proportions, so it feels considered rather than fussy.",
    "Part of the {coll} collection, this {mat} {noun} is all about {benefit}.",
    "A {style} take on the classic {noun}, the {name} is made from {mat} by {vendor}.",
    "Built around {mat}, the {name} is {style} and refreshingly easy to live with.",
    "The {coll} {noun} started with one brief from our {city} team: {benefit}.",
    "Say hello to the {name}, a {style} {noun} in {mat} for the {room}.",
    "{Vendor} made the {name} for people who care about {benefit}.",
    "There is a reason the {coll} line keeps selling out: {benefit}, in {style} form.",
]
ROOM_LINES = [
    "It is made for {ctx}, and it looks just as good in the {room2}.",
    "Use it in the {room} for {ctx}.",
    "We designed it with {ctx} in mind.",
    "Picture it in the {room}: {ctx}, and not much else to worry about.",
    "It suits {ctx} as well as a {room2} that needs a lift.",
    "Perfect for {ctx}, whatever the season.",
    "Customers tell us it is the first thing they reach for during {ctx}.",
    "Think of it as a small upgrade for {ctx}.",
    "In our own homes it gets used for {ctx}.",
    "Whether it is {ctx} or just an ordinary Tuesday, it pulls its weight in the {room}.",
    "Bring it into the {room} and it quietly improves {ctx}.",
    "We tested it through months of {ctx} before it joined the range.",
    "It was made with the {room} in mind, especially {ctx}.",
    "It is at its best during {ctx}, though it is happy in a {room2} too.",
]
CLOSINGS = [
    "Every {noun} ships in plastic-free packaging within {days} business days.",
    "Pair it with other pieces from the {coll} collection for a layered look.",
    "Backed by our {years}-year {vendor} guarantee.",
    "Questions about the {noun}? Our {city} team is happy to help.",
    "Free shipping on orders over $75, with free 30-day returns on the {coll} range.",
    "Each {noun} is inspected by hand before it leaves our warehouse.",
    "Because it is made by hand, small variations make each {noun} unique.",
    "Order by 2 pm for same-day dispatch; most {noun} orders arrive in {days} days.",
]

# Word-level variation applied to the reusable sentences (material facts, type features, room lines) so that
# two products of the same type and material do not share long runs of identical words.
SYNONYMS = {
    "soft": ["soft", "supple", "gentle"], "softer": ["softer", "more supple"],
    "makes": ["makes", "helps make"], "gives": ["gives", "lends"], "keeps": ["keeps", "helps keep"],
    "adds": ["adds", "brings"], "every": ["every", "each"], "durable": ["durable", "hard-wearing"],
    "easy": ["easy", "simple"], "naturally": ["naturally", "inherently"],
    "beautifully": ["beautifully", "gracefully"], "ideal": ["ideal", "perfect", "well suited"],
    "handy": ["handy", "useful"], "slightly": ["slightly", "a little"], "stays": ["stays", "remains"],
    "tough": ["tough", "hard-wearing"], "strong": ["strong", "sturdy"], "sturdy": ["sturdy", "solid"],
    "designed": ["designed", "made"], "comfortable": ["comfortable", "comfy"],
    "generous": ["generous", "roomy"], "tidy": ["tidy", "neat"], "protect": ["protect", "guard"],
    "over time": ["over time", "with time", "as the years pass"],
    "for years": ["for years", "for years to come", "for many years"],
    "by hand": ["by hand", "by skilled hands"], "favorite": ["favorite", "go-to pick"],
    "perfect": ["perfect", "ideal", "just right"], "keep": ["keep", "help keep"],
    "lets you": ["lets you", "allows you to"], "makes it": ["makes it", "means it is"],
    "so no two": ["so no two", "which means no two"], "want": ["want", "would like"],
    "good": ["good", "great"], "small": ["small", "tiny", "subtle"], "warm": ["warm", "mellow"],
    "a few": ["a few", "several"], "beautiful": ["beautiful", "lovely", "handsome"],
    "quick": ["quick", "fast"],
    "Use it": ["Use it", "Put it to work", "Try it"], "Pair it": ["Pair it", "Team it", "Combine it"],
    "simple": ["simple", "straightforward"], "clean": ["clean", "neat"],
}
_SYN_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(k) for k in SYNONYMS), key=len, reverse=True)) + r")\b")
CONNECTIVES = ["Better still, ", "On top of that, ", "Plus, ", "Best of all, ", "What is more, ", "Also, ",
               "And ", "In practice, ", "Good to know: "]
_LOWERABLE_STARTS = ("The ", "It ", "A ", "An ", "Each ", "Its ", "This ")

# --------------------------------------------------------------------------------------------------------
# Product types
# --------------------------------------------------------------------------------------------------------


class PType:
    __slots__ = ("category", "type_name", "noun", "tcode", "taxonomy", "materials", "adjectives", "options",
                 "p_default", "price", "grams", "rooms", "dims", "features", "specs", "generic", "palette",
                 "weight", "query_sizes", "mat_in_title", "unit", "features_t", "options_parsed")

    def __init__(self, category, type_name, noun, tcode, taxonomy, materials, adjectives, options, p_default,
                 price, grams, rooms, dims, features, specs, generic, palette, query_sizes=(),
                 mat_in_title=True, unit=None):
        self.category = category
        self.type_name = type_name
        self.noun = noun
        self.tcode = tcode
        self.taxonomy = taxonomy
        self.materials = materials
        self.adjectives = adjectives
        self.options = options
        self.p_default = p_default
        self.price = price
        self.grams = grams
        self.rooms = rooms
        self.dims = dims
        self.features = features
        self.specs = specs
        self.generic = generic
        self.palette = palette
        self.query_sizes = query_sizes
        self.mat_in_title = mat_in_title
        self.unit = unit
        self.weight = 1.0
        self.features_t = [(x, True) for x in features]
        self.options_parsed = [tuple(o.partition(":")[::2]) for o in options]


HG = "Home & Garden"
BEDDING = f"{HG} > Linens & Bedding > Bedding"
TABLE_LINENS = f"{HG} > Linens & Bedding > Table Linens"
LAMPS = f"{HG} > Lighting > Lamps"
FIXTURES = f"{HG} > Lighting > Light Fixtures"
TABLEWARE = f"{HG} > Kitchen & Dining > Tableware"
BATH_ACC = f"{HG} > Bathroom Accessories"
KITCHEN_TOOLS = f"{HG} > Kitchen & Dining > Kitchen Tools & Utensils"
FOOD_STORAGE = f"{HG} > Kitchen & Dining > Food Storage > Food Storage Containers"
DUTCH_OVENS = f"{HG} > Kitchen & Dining > Cookware & Bakeware > Cookware > Dutch Ovens"
ARMCHAIRS = "Furniture > Chairs > Arm Chairs, Recliners & Sleeper Chairs"
DECOR = f"{HG} > Decor"
BED_ADJ = ["Stonewashed", "Washed", "Garment-Dyed", "Relaxed", "Crinkle", "Heirloom", "Striped", "Gingham"]
SOFT_ADJ = ["Chunky Knit", "Ribbed", "Fringed", "Herringbone", "Textured", "Tufted", "Striped", "Handwoven"]
LAMP_ADJ = ["Fluted", "Arched", "Sculptural", "Mushroom", "Pleated", "Tapered", "Column", "Dome"]
DISH_ADJ = ["Hand-Thrown", "Speckled", "Reactive Glaze", "Rimmed", "Coupe", "Fluted", "Scalloped", "Matte"]
FURN_ADJ = ["Curved", "Tapered", "Slatted", "Upholstered", "Sculptural", "Low-Profile", "Round", "Stackable"]
DECOR_ADJ = ["Fluted", "Ribbed", "Sculptural", "Footed", "Hammered", "Arched", "Textured", "Vintage-Inspired"]
BATH_ADJ = ["Waffle", "Ribbed", "Plush", "Quick-Dry", "Hammam", "Textured", "Fringed", "Organic"]

TYPES: list[PType] = [
    # ---- textiles
    PType("textiles", "Duvet Cover", "Duvet Cover", "DUV", f"{BEDDING} > Duvet Covers",
          ["Linen", "Organic Cotton", "Cotton Percale", "Cotton Sateen", "Bamboo Lyocell"], BED_ADJ,
          ["size:bed", "color"], 0.02, (129, 329), (1100, 2100), ["bedroom"], [],
          ["Hidden coconut-shell buttons keep the duvet in place, with corner ties inside.",
           "The {noun} is cut generously so a standard insert fills it without bunching.",
           "French seams and a pre-shrunk finish mean the fit stays true wash after wash."],
          ["Closure: {buttons} hidden buttons", "Corner ties: 4 inside, 2 on the bottom edge"],
          "Duvet", "fabric", ("queen", "king", "full", "twin")),
    PType("textiles", "Sheet Set", "Sheet Set", "SHS", f"{BEDDING} > Bed Sheets",
          ["Linen", "Organic Cotton", "Cotton Percale", "Cotton Sateen", "Bamboo Lyocell"], BED_ADJ,
          ["size:bed", "color"], 0.02, (99, 279), (1300, 2600), ["bedroom"], [],
          ["The set includes a flat sheet, a fitted sheet with {depth} in deep pockets and two pillowcases.",
           "All-round elastic keeps the fitted sheet snug on mattresses up to {depth} inches deep.",
           "Labels on the fitted sheet mark the long and short sides, so making the bed takes seconds."],
          ["Fitted sheet pocket depth: {depth} in", "Includes: 1 flat sheet, 1 fitted sheet, 2 pillowcases"],
          "Sheets", "fabric", ("queen", "king", "full", "twin")),
    PType("textiles", "Pillowcases", "Pillowcase Pair", "PLW", f"{BEDDING} > Pillowcases & Shams",
          ["Linen", "Organic Cotton", "Cotton Percale", "Cotton Sateen", "Bamboo Lyocell"], BED_ADJ,
          ["size:pillow", "color"], 0.05, (39, 89), (300, 520), ["bedroom"], [],
          ["An envelope closure keeps the pillow hidden without zips or buttons.",
           "Sold as a pair, the pillowcases fit standard pillows with room to spare.",
           "A deep hem at the opening gives the {noun} a tailored, hotel-style finish."],
          ["Closure: envelope, {flap} in flap", "Sold as a set of 2"],
          "Pillowcase", "fabric", ("standard", "king")),
    PType("textiles", "Throw Blankets", "Throw Blanket", "THR", f"{BEDDING} > Blankets",
          ["Wool", "Merino Wool", "Alpaca", "Cotton", "Linen"], SOFT_ADJ,
          ["color"], 0.25, (79, 329), (700, 1600), ["living room", "bedroom"],
          [("W", 50, 60), ("L", 60, 80)],
          ["Drape the {noun} over the arm of a sofa or across the foot of the bed.",
           "Hand-knotted fringe finishes the short ends of the {noun}.",
           "It is big enough to share on the sofa but light enough to pack for a picnic."],
          ["Fringe: {fringe} in, hand-knotted", "Weight: {kg} kg"],
          "Throw", "fabric"),
    PType("textiles", "Cushion Covers", "Cushion Cover", "CSH", f"{HG} > Decor > Throw Pillows",
          ["Linen", "Velvet", "Cotton", "Wool", "Bouclé", "Jute"], SOFT_ADJ,
          ["size:cushion", "color"], 0.05, (29, 79), (180, 420), ["living room", "bedroom"], [],
          ["A concealed zip runs along the bottom edge of the {noun} for easy washing.",
           "Piped edges give the {noun} a crisp, tailored outline.",
           "The cover is cut slightly smaller than the insert for a full, plump look."],
          ["Closure: concealed YKK zip", "Insert: sold separately (we recommend one 2 in larger)"],
          "Cushion", "fabric", ("18x18", "20x20", "lumbar")),
    PType("textiles", "Quilts", "Quilt", "QLT", f"{BEDDING} > Quilts & Comforters",
          ["Cotton", "Linen", "Organic Cotton"], BED_ADJ,
          ["size:bed", "color"], 0.05, (159, 379), (1500, 2800), ["bedroom"], [],
          ["Channel stitching every {stitch} inches keeps the cotton batting evenly spread.",
           "The {noun} is pre-washed for a soft, crinkled texture straight out of the box.",
           "Use the {noun} alone in summer or layer it over a duvet when nights turn cold."],
          ["Fill: {gsm} gsm cotton batting", "Stitching: {stitch} in channels"],
          "Quilt", "fabric", ("queen", "king", "full")),
    PType("textiles", "Tablecloths", "Tablecloth", "TBC", f"{TABLE_LINENS} > Tablecloths",
          ["Linen", "Cotton"], ["Stonewashed", "Hemstitched", "Fringed", "Washed", "Gingham", "Striped"],
          ["size:tablecloth", "color"], 0.05, (49, 139), (500, 1100), ["dining room"], [],
          ["Mitred corners and a wide hem help the {noun} hang straight.",
           "The {noun} is pre-washed, so it will not shrink after the first dinner party.",
           "Wrinkles are part of the charm, but a quick press gives it a crisp finish."],
          ["Hem: {hem} in, mitred corners", "Seats: {seats} people"],
          "Tablecloth", "fabric", ("round", "rectangle")),
    PType("textiles", "Napkins", "Napkin Set", "NAP", f"{TABLE_LINENS} > Cloth Napkins",
          ["Linen", "Cotton"], ["Stonewashed", "Hemstitched", "Fringed", "Washed", "Gingham", "Striped"],
          ["color"], 0.3, (24, 59), (200, 420), ["dining room"], [("W", 18, 20), ("L", 18, 20)],
          ["The set includes four generously sized napkins with mitred corners.",
           "Each napkin has a hanging loop on one corner, handy for kitchens and picnics.",
           "They soften beautifully and look better slightly rumpled."],
          ["Set of 4 napkins", "Hem: {hem} in, mitred corners"],
          "Napkins", "fabric"),
    PType("textiles", "Table Runners", "Table Runner", "RUN", f"{TABLE_LINENS} > Table Runners",
          ["Linen", "Jute", "Cotton"], ["Stonewashed", "Hemstitched", "Fringed", "Handwoven", "Striped"],
          ["size:runner", "color"], 0.2, (29, 69), (200, 480), ["dining room"], [],
          ["A {noun} dresses the table without hiding the wood beneath.",
           "Fringed ends add movement where the runner drops over the table edge.",
           "It works down the middle of a dining table or across a sideboard."],
          ["Ends: {fringe} in fringe", "Fits tables {table} in and longer"],
          "Runner", "fabric"),
    PType("textiles", "Area Rugs", "Area Rug", "RUG", f"{HG} > Decor > Rugs",
          ["Wool", "Jute", "Cotton", "Sisal"],
          ["Handwoven", "Hand-Knotted", "Flatweave", "Braided", "Fringed", "Tufted", "Distressed"],
          ["size:rug", "color"], 0.05, (189, 689), (3500, 9000), ["living room", "bedroom", "dining room"], [],
          ["A low {pile} mm pile makes the {noun} easy to vacuum and lets doors swing over it.",
           "The {noun} is hand-finished on the reverse so it lies flat from the moment you unroll it.",
           "Pair it with a rug pad to keep it in place and extend its life."],
          ["Pile height: {pile} mm", "Backing: cotton canvas, hand-finished"],
          "Rug", "fabric", ("5x8", "8x10", "9x12", "runner")),
    PType("textiles", "Curtains", "Curtain Panel", "CUR", f"{HG} > Decor > Window Treatments > Curtains & Drapes",
          ["Linen", "Velvet", "Cotton"], ["Sheer", "Lined", "Pleated", "Washed", "Tab-Top"],
          ["size:curtain", "color"], 0.05, (69, 179), (700, 1500), ["living room", "bedroom"], [],
          ["A rod pocket and back tabs let you hang the {noun} two ways.",
           "The {noun} filters light softly while keeping the room private.",
           "Weighted corners help the panel fall in clean, straight folds."],
          ["Heading: {rod} in rod pocket with back tabs", "Sold as a single panel"],
          "Curtain", "fabric", ("84 inch", "96 inch", "108 inch")),
    # ---- lighting
    PType("lighting", "Table Lamps", "Table Lamp", "TLP", f"{LAMPS} > Table Lamps",
          ["Ceramic", "Brass", "Glass", "Travertine", "Rattan", "Oak", "Alabaster"], LAMP_ADJ,
          ["finish"], 0.45, (89, 429), (1800, 5200), ["living room", "bedroom", "home office"],
          [("H", 16, 30), ("shade diameter", 10, 18)],
          ["A linen drum shade diffuses the bulb into a soft, even glow.",
           "The in-line switch sits within easy reach on the {cord} ft fabric cord.",
           "Felt pads under the base protect furniture and stop the {noun} from sliding."],
          ["Bulb: E26 base, max {watt}W (LED recommended, not included)", "Cord: {cord} ft braided fabric"],
          "Lamp", "light"),
    PType("lighting", "Floor Lamps", "Floor Lamp", "FLP", f"{LAMPS} > Floor Lamps",
          ["Brass", "Oak", "Steel", "Rattan", "Walnut"], LAMP_ADJ,
          ["finish"], 0.45, (149, 689), (4000, 9500), ["living room", "bedroom", "home office"],
          [("H", 56, 68), ("base diameter", 10, 14)],
          ["A weighted base keeps the {noun} steady even beside busy walkways.",
           "The foot switch means no bending down to turn it on.",
           "Its height puts the light right over a reading chair."],
          ["Bulb: E26 base, max {watt}W (not included)", "Switch: foot switch, {cord} ft cord"],
          "Floor lamp", "light"),
    PType("lighting", "Pendant Lights", "Pendant Light", "PND", f"{FIXTURES} > Pendant Lights",
          ["Glass", "Rattan", "Brass", "Paper", "Ceramic", "Aluminum"], LAMP_ADJ,
          ["size:sml", "finish"], 0.2, (79, 559), (900, 4200), ["dining room", "kitchen", "living room"],
          [("shade diameter", 10, 24), ("drop", 30, 72)],
          ["The adjustable cord lets you hang the {noun} low over a table or high in a stairwell.",
           "Hang two or three over a kitchen island for a layered look.",
           "The canopy fits a standard US junction box; hardwiring by an electrician is recommended."],
          ["Cord: adjustable, up to {drop} in", "Bulb: E26 base, max {watt}W (not included)"],
          "Pendant", "light", ("for kitchen island", "over dining table")),
    PType("lighting", "Wall Sconces", "Wall Sconce", "SCN", f"{FIXTURES} > Wall Light Fixtures",
          ["Brass", "Steel", "Ceramic", "Alabaster"], LAMP_ADJ,
          ["finish"], 0.3, (89, 339), (700, 2200), ["bedroom", "bathroom", "living room", "entryway"],
          [("H", 8, 16), ("projection", 5, 10)],
          ["The {noun} can be hardwired or used as a plug-in with the included cord cover.",
           "Mount it beside the bed to free up nightstand space.",
           "Damp-rated, the {noun} is safe for bathrooms away from direct spray."],
          ["Mounting: hardwire or plug-in ({cord} ft cord included)", "Rating: UL listed, damp rated"],
          "Sconce", "light"),
    PType("lighting", "Desk Lamps", "Desk Lamp", "DSK", f"{LAMPS} > Desk Lamps",
          ["Steel", "Brass", "Aluminum"], ["Adjustable", "Task", "Swing-Arm", "Articulated", "Dome"],
          ["color"], 0.3, (69, 259), (1200, 2800), ["home office", "bedroom"],
          [("H", 14, 22), ("reach", 12, 20)],
          ["The articulated arm and pivoting head put light exactly where you need it.",
           "A dimmer on the base lets you go from task light to mood light.",
           "A built-in USB-C port charges your phone while you work."],
          ["Light source: integrated {watt}W LED, 2700K", "Dimmer: touch, 3 levels"],
          "Desk lamp", "light"),
    PType("lighting", "Lampshades", "Lampshade", "SHD", f"{HG} > Lighting Accessories > Lamp Shades",
          ["Linen", "Paper", "Rattan", "Cotton"], ["Pleated", "Drum", "Empire", "Scalloped", "Tapered"],
          ["size:shade", "color"], 0.1, (35, 119), (300, 900), ["living room", "bedroom"], [],
          ["The {noun} fits any standard harp with a washer fitter.",
           "An ivory lining bounces light downward while the outer fabric glows.",
           "Swap it onto an old base for an instant update."],
          ["Fitter: washer, fits standard harp", "Lining: white styrene"],
          "Shade", "light"),
    PType("lighting", "Candles", "Scented Candle", "CND", f"{HG} > Decor > Home Fragrances > Candles",
          ["Soy Wax", "Beeswax", "Coconut Wax"],
          ["Hand-Poured", "Wooden-Wick", "Three-Wick", "Botanical", "Apothecary"],
          ["size:candle", "scent"], 0.1, (24, 68), (300, 900), ["living room", "bedroom", "bathroom"], [],
          ["The vessel is reusable once the candle is finished; just clean it with warm water.",
           "Each {noun} is scented with phthalate-free fragrance oils.",
           "Burn time is around {burn} hours for the small size."],
          ["Burn time: about {burn} hours", "Vessel: reusable glass with a lid"],
          "Candle", "glass", ("large", "3 wick"), unit="candle"),
    # ---- kitchen
    PType("kitchen", "Dinnerware", "Dinner Plate", "PLT", f"{TABLEWARE} > Dinnerware > Plates",
          ["Stoneware", "Porcelain", "Earthenware"], DISH_ADJ,
          ["size:plates", "color"], 0.05, (18, 48), (450, 750), ["dining room", "kitchen"],
          [("diameter", 10, 11.5), ("H", 0.8, 1.2)],
          ["A generous {diam} in diameter leaves room for a proper dinner.",
           "The gently raised rim keeps sauces on the plate.",
           "They stack neatly, so a set fits in a standard cabinet."],
          ["Dishwasher and microwave safe", "Diameter: {diam} in"],
          "Plate", "ceramic", ("set of 4", "set of 8")),
    PType("kitchen", "Serveware", "Serving Bowl", "BWL", f"{TABLEWARE} > Serveware > Serving Bowls",
          ["Stoneware", "Olive Wood", "Acacia", "Porcelain", "Glass"], DISH_ADJ,
          ["size:sml"], 0.3, (28, 109), (400, 1800), ["dining room", "kitchen"],
          [("diameter", 8, 14), ("H", 3, 6)],
          ["Deep sides make the {noun} ideal for salads, pasta and big family meals.",
           "It goes from kitchen counter to table without looking out of place.",
           "Fill it with fruit between meals and it doubles as a centerpiece."],
          ["Capacity: {qt} qt", "Hand wash recommended"],
          "Bowl", "ceramic", ("large", "set")),
    PType("kitchen", "Drinkware", "Mug", "MUG", f"{TABLEWARE} > Drinkware > Mugs",
          ["Stoneware", "Porcelain", "Enamel"], DISH_ADJ,
          ["color"], 0.2, (16, 38), (280, 420), ["kitchen"], [("H", 3.5, 4.5), ("diameter", 3, 3.6)],
          ["The generous handle fits two fingers comfortably.",
           "At {oz} oz, the {noun} holds a proper cup of coffee with room for milk.",
           "An unglazed foot ring shows off the clay body."],
          ["Capacity: {oz} oz", "Dishwasher and microwave safe"],
          "Mug", "ceramic", ("large", "12 oz")),
    PType("kitchen", "Glassware", "Tumbler", "TMB", f"{TABLEWARE} > Drinkware > Tumblers",
          ["Recycled Glass", "Borosilicate Glass", "Glass"],
          ["Ribbed", "Fluted", "Hand-Blown", "Stackable", "Faceted"],
          ["size:glasses", "color"], 0.1, (24, 72), (300, 1200), ["kitchen", "dining room"],
          [("H", 3.5, 5), ("diameter", 3, 3.5)],
          ["The {noun} is sized for everything from water to an evening spritz.",
           "A thick base gives each glass a satisfying weight in the hand.",
           "They nest neatly to save cabinet space."],
          ["Capacity: {oz} oz", "Dishwasher safe on the top rack"],
          "Glass", "glass", ("set of 6", "set of 4")),
    PType("kitchen", "Cutting Boards", "Cutting Board", "CBD", f"{KITCHEN_TOOLS} > Cutting Boards",
          ["Oak", "Walnut", "Olive Wood", "Acacia", "Maple"],
          ["End-Grain", "Edge-Grain", "Reversible", "Handled", "Live-Edge"],
          ["size:sml"], 0.3, (35, 149), (900, 3200), ["kitchen"], [("L", 14, 20), ("W", 9, 14)],
          ["A juice groove around the edge catches liquid from roasts and fruit.",
           "The {noun} is gentle on knife edges and self-heals between uses.",
           "Flip it over for a clean serving side when friends come round."],
          ["Thickness: {thick} in", "Finish: food-safe mineral oil and beeswax"],
          "Board", "wood", ("large", "small")),
    PType("kitchen", "Cookware", "Dutch Oven", "DOV", DUTCH_OVENS,
          ["Enameled Cast Iron", "Cast Iron"], ["Heritage", "Classic", "Everyday", "Heavy-Duty"],
          ["size:dutch", "color"], 0.05, (149, 419), (4200, 7500), ["kitchen"], [],
          ["A tight-fitting lid with self-basting spikes keeps braises moist.",
           "The {noun} works on gas, electric, induction and in the oven up to {deg}°F.",
           "Wide loop handles make it easy to lift, even with oven mitts."],
          ["Oven safe to {deg}°F", "Works on all cooktops, including induction"],
          "Pot", "ceramic", ("5 quart", "7 quart")),
    PType("kitchen", "Kitchen Utensils", "Salad Servers", "SRV", f"{KITCHEN_TOOLS} > Salad Servers",
          ["Olive Wood", "Acacia", "Brass", "Walnut"], ["Carved", "Hand-Carved", "Paddle", "Slim"],
          [], 1.0, (22, 59), (120, 300), ["kitchen", "dining room"], [("L", 11, 13)],
          ["The servers are shaped for tossing and lifting leafy salads.",
           "A long handle keeps fingers out of the dressing.",
           "They make a thoughtful housewarming gift."],
          ["Sold as a pair", "Hand wash only"],
          "Servers", "wood"),
    PType("kitchen", "Food Storage", "Storage Jar", "JAR", FOOD_STORAGE,
          ["Glass", "Ceramic", "Stoneware"], ["Airtight", "Stackable", "Apothecary", "Lidded"],
          ["size:jar"], 0.2, (14, 48), (400, 1200), ["kitchen"], [("H", 5, 10), ("diameter", 4, 5)],
          ["A silicone seal on the lid keeps coffee, pasta and flour fresh.",
           "Line up a few {noun}s on open shelves for tidy pantry storage.",
           "The wide mouth makes scooping and refilling easy."],
          ["Lid: acacia with silicone seal", "Dishwasher safe (lid hand wash)"],
          "Jar", "glass", ("large", "set")),
    PType("kitchen", "Kitchen Towels", "Tea Towel", "TEA", f"{HG} > Linens & Bedding > Towels > Kitchen Towels",
          ["Linen", "Cotton", "Waffle Cotton"], ["Stonewashed", "Striped", "Gingham", "Hemstitched", "Washed"],
          ["color"], 0.3, (18, 42), (120, 300), ["kitchen"], [("W", 18, 20), ("L", 26, 30)],
          ["A hanging loop on each {noun} keeps it close to the sink.",
           "It dries glasses lint-free and gets more absorbent with every wash.",
           "Sold as a set of two, they are handy for drying and for covering rising dough."],
          ["Set of 2", "Hanging loop on one corner"],
          "Towel", "fabric", ("set of 2",)),
    PType("kitchen", "Platters", "Serving Platter", "PLA", f"{TABLEWARE} > Serveware > Serving Platters",
          ["Stoneware", "Marble", "Travertine", "Olive Wood"], DISH_ADJ,
          ["size:sml"], 0.35, (38, 159), (900, 3500), ["dining room", "kitchen"], [("L", 14, 20), ("W", 9, 13)],
          ["The {noun} is big enough for a roast, a cheese board or a summer spread.",
           "Raised edges stop juices from running onto the table.",
           "It looks just as good leaning against a backsplash between meals."],
          ["Length: {len} in", "Hand wash recommended"],
          "Platter", "ceramic", ("large", "oval")),
    PType("kitchen", "Teapots", "Teapot", "TPT", f"{HG} > Kitchen & Dining > Tableware > Coffee & Tea Sets",
          ["Stoneware", "Cast Iron", "Borosilicate Glass"], ["Hand-Thrown", "Speckled", "Matte", "Classic"],
          ["color"], 0.3, (38, 119), (600, 1600), ["kitchen", "dining room"], [("capacity", 24, 40)],
          ["A removable stainless infuser makes loose-leaf tea simple.",
           "The spout is shaped to pour cleanly without dripping.",
           "The {noun} holds enough for {cups} cups."],
          ["Capacity: {oz} oz ({cups} cups)", "Includes stainless steel infuser"],
          "Teapot", "ceramic"),
    # ---- furniture
    PType("furniture", "Chairs", "Dining Chair", "DCH", "Furniture > Chairs > Kitchen & Dining Room Chairs",
          ["Oak", "Walnut", "Ash", "Beech", "Rattan", "Bouclé"], FURN_ADJ,
          ["finish:wood"], 0.35, (179, 719), (4500, 8500), ["dining room", "kitchen"],
          [("H", 29, 33), ("W", 17, 21), ("seat height", 17, 18.5)],
          ["Traditional mortise-and-tenon joints keep the {noun} rigid for years.",
           "The seat is shaped for comfort through long dinners.",
           "Felt glides under each leg protect your floors."],
          ["Weight capacity: {lb} lb", "Assembly: none required"],
          "Chair", "wood"),
    PType("furniture", "Coffee Tables", "Coffee Table", "CTB", "Furniture > Tables > Accent Tables > Coffee Tables",
          ["Oak", "Walnut", "Travertine", "Marble", "Mango Wood"], FURN_ADJ,
          ["finish:wood"], 0.45, (419, 1590), (18000, 45000), ["living room"],
          [("W", 36, 54), ("D", 20, 30), ("H", 14, 18)],
          ["The low profile keeps sightlines open across the {room}.",
           "A lower shelf holds books, baskets and the remote.",
           "Rounded corners make it kinder to shins and small children."],
          ["Assembly: legs attach in about {mins} minutes", "Weight capacity: {lb} lb"],
          "Table", "wood"),
    PType("furniture", "Side Tables", "Side Table", "STB", "Furniture > Tables > Accent Tables > End Tables",
          ["Oak", "Travertine", "Marble", "Steel", "Rattan"], FURN_ADJ,
          ["finish:wood"], 0.45, (159, 619), (4000, 15000), ["living room", "bedroom"],
          [("H", 18, 24), ("diameter", 14, 20)],
          ["It is just the right height beside a sofa or as a compact nightstand.",
           "The compact footprint tucks into tight corners.",
           "A lip around the top keeps cups and books in place."],
          ["Assembly: none required", "Weight capacity: {lb} lb"],
          "Side table", "wood"),
    PType("furniture", "Bookcases", "Bookcase", "BKC", "Furniture > Shelving > Bookcases & Standing Shelves",
          ["Oak", "Walnut", "Pine", "Steel"], ["Open", "Ladder", "Modular", "Slatted", "Low-Profile"],
          ["size:bookcase"], 0.2, (259, 979), (15000, 42000), ["living room", "home office"],
          [("H", 48, 78), ("W", 30, 40), ("D", 11, 15)],
          ["Adjustable shelves hold records, books and plants alike.",
           "Anti-tip hardware is included for safe wall anchoring.",
           "Open sides keep the {noun} feeling light in small spaces."],
          ["Shelf capacity: {lb} lb each", "Assembly: about {mins} minutes"],
          "Shelf", "wood"),
    PType("furniture", "Benches", "Bench", "BNC", "Furniture > Benches > Storage & Entryway Benches",
          ["Oak", "Ash", "Walnut", "Teak"], FURN_ADJ,
          ["size:bench"], 0.2, (239, 779), (7000, 16000), ["entryway", "dining room", "bedroom"],
          [("H", 17, 19), ("D", 13, 16)],
          ["Use the {noun} in the entryway, at the end of a bed or along a dining table.",
           "A slatted top adds rhythm and makes it lighter to move.",
           "Solid joinery means it happily seats two adults."],
          ["Weight capacity: {lb} lb", "Assembly: none required"],
          "Bench", "wood"),
    PType("furniture", "Poufs", "Pouf", "POF", "Furniture > Ottomans",
          ["Wool", "Jute", "Leather", "Velvet", "Bouclé"], ["Knitted", "Round", "Tufted", "Braided", "Channel-Tufted"],
          ["color"], 0.3, (119, 419), (2500, 6000), ["living room", "bedroom", "nursery"],
          [("H", 14, 18), ("diameter", 18, 24)],
          ["Use the {noun} as a footrest, extra seat or side table with a tray on top.",
           "A dense bead filling keeps its shape and will not flatten.",
           "The cover unzips for cleaning or refilling."],
          ["Filling: {pct}% recycled polystyrene beads", "Removable cover"],
          "Pouf", "wood"),
    PType("furniture", "Stools", "Counter Stool", "STL", "Furniture > Chairs > Table & Bar Stools",
          ["Oak", "Walnut", "Steel", "Rattan"], ["Backless", "Swivel", "Curved", "Slatted", "Tapered"],
          ["size:stool"], 0.2, (159, 479), (4500, 8000), ["kitchen"],
          [("seat height", 25, 30), ("seat diameter", 14, 16)],
          ["A built-in footrest makes the {noun} comfortable for long chats at the island.",
           "The seat is saddle-shaped for support without cushions.",
           "Choose counter height for 36 in counters or bar height for 42 in bars."],
          ["Weight capacity: {lb} lb", "Assembly: about {mins} minutes"],
          "Stool", "wood", ("counter height", "bar height")),
    PType("furniture", "Armchairs", "Lounge Chair", "LCH", ARMCHAIRS,
          ["Bouclé", "Linen", "Velvet", "Leather"],
          ["Curved", "Channel-Tufted", "Low-Profile", "Slipcovered", "Swivel"],
          ["color"], 0.2, (689, 2390), (18000, 32000), ["living room", "bedroom"],
          [("W", 28, 34), ("D", 30, 36), ("H", 28, 32)],
          ["Deep, high-resilience foam cushions are wrapped in feather for a sink-in feel.",
           "The kiln-dried hardwood frame is built to last decades.",
           "Its compact footprint suits apartments and reading nooks."],
          ["Frame: kiln-dried hardwood", "Seat depth: {seat} in"],
          "Armchair", "wood"),
    PType("furniture", "Console Tables", "Console Table", "CNS", "Furniture > Tables > Accent Tables > Sofa Tables",
          ["Oak", "Walnut", "Steel", "Marble"], FURN_ADJ,
          ["finish:wood"], 0.4, (379, 1190), (14000, 32000), ["entryway", "living room"],
          [("W", 48, 64), ("D", 12, 16), ("H", 30, 32)],
          ["A slim depth lets the {noun} fit behind a sofa or in a narrow hallway.",
           "A lower shelf holds baskets or a stack of books.",
           "Cable cut-outs at the back keep lamp cords tidy."],
          ["Assembly: about {mins} minutes", "Weight capacity: {lb} lb"],
          "Console", "wood"),
    # ---- decor
    PType("decor", "Vases", "Vase", "VAS", f"{HG} > Decor > Vases",
          ["Ceramic", "Stoneware", "Glass", "Terracotta", "Travertine"], DECOR_ADJ,
          ["size:sml", "color"], 0.2, (28, 189), (500, 3500), ["living room", "dining room", "entryway"],
          [("H", 6, 18), ("diameter", 4, 9)],
          ["The {noun} holds water, so it works for fresh stems as well as dried branches.",
           "Group it with smaller pieces on a mantel or let it stand alone.",
           "A narrow neck holds single stems upright without a frog."],
          ["Watertight: yes", "Height: {h} in"],
          "Vase", "ceramic", ("large", "tall", "small")),
    PType("decor", "Mirrors", "Wall Mirror", "MIR", f"{HG} > Decor > Mirrors",
          ["Oak", "Brass", "Rattan", "Steel"], ["Arched", "Round", "Beveled", "Sculptural", "Scalloped"],
          ["size:mirror"], 0.2, (119, 579), (3500, 12000), ["entryway", "bathroom", "living room", "bedroom"], [],
          ["The {noun} arrives with a D-ring hanging kit fitted to the back.",
           "Distortion-free glass gives a clear, true reflection.",
           "Hang it opposite a window to bounce light around the room."],
          ["Glass: 4 mm copper-free silver mirror", "Hanging: D-rings, hardware included"],
          "Mirror", "wood", ("round", "arched", "large")),
    PType("decor", "Baskets", "Storage Basket", "BSK", f"{HG} > Household Supplies > Storage & Organization > Baskets",
          ["Seagrass", "Rattan", "Jute", "Water Hyacinth"], ["Handwoven", "Lidded", "Belly", "Handled", "Braided"],
          ["size:sml"], 0.25, (24, 98), (400, 1600), ["living room", "bedroom", "bathroom", "nursery"],
          [("H", 10, 18), ("diameter", 12, 20)],
          ["Sturdy handles make it easy to carry blankets, toys or laundry from room to room.",
           "It folds flat when not in use.",
           "Use it as a plant cover, a toy store or a home for spare throws."],
          ["Handles: {handles}", "Spot clean only"],
          "Basket", "wood", ("large", "woven")),
    PType("decor", "Candle Holders", "Candle Holder", "CHD", f"{DECOR} > Home Fragrance Accessories > Candle Holders",
          ["Brass", "Ceramic", "Glass", "Marble"], DECOR_ADJ,
          ["color"], 0.4, (18, 78), (150, 900), ["dining room", "living room"], [("H", 2, 10)],
          ["The {noun} fits standard taper candles.",
           "Group a few at different heights down the middle of the table.",
           "A weighted base keeps the flame steady."],
          ["Fits: standard 7/8 in tapers", "Sold individually"],
          "Holder", "ceramic"),
    PType("decor", "Wall Art", "Art Print", "PRT", f"{HG} > Decor > Artwork > Posters, Prints, & Visual Artwork",
          ["Archival Paper"], ["Botanical", "Abstract", "Coastal", "Landscape", "Line Drawing", "Gallery"],
          ["size:print", "frame"], 0.05, (35, 129), (150, 900), ["living room", "bedroom", "home office"], [],
          ["The {noun} is printed to order with fade-resistant pigment inks.",
           "Frames are hand-assembled with a white mat and UV-protective acrylic.",
           "Hang it alone or as part of a gallery wall."],
          ["Print: giclée on {gsm} gsm cotton-rag", "Framed options: ready to hang"],
          "Print", "wood", ("framed", "large"), mat_in_title=False),
    PType("decor", "Planters", "Planter", "PLN", f"{HG} > Lawn & Garden > Gardening > Pots & Planters",
          ["Ceramic", "Terracotta", "Concrete", "Stoneware"], DECOR_ADJ,
          ["size:sml", "color"], 0.2, (24, 159), (700, 6000), ["living room", "patio", "entryway"],
          [("H", 6, 16), ("diameter", 6, 16)],
          ["A drainage hole and saucer keep roots healthy.",
           "The {noun} works indoors and on a sheltered patio.",
           "Its straight sides make repotting painless."],
          ["Drainage: hole with plug and saucer", "Fits: {pot} in nursery pot"],
          "Planter", "ceramic", ("large", "indoor", "outdoor")),
    PType("decor", "Clocks", "Wall Clock", "CLK", f"{HG} > Decor > Clocks > Wall Clocks",
          ["Oak", "Brass", "Steel", "Walnut"], ["Minimal", "Station", "Round", "Schoolhouse", "Sculptural"],
          [], 1.0, (59, 179), (700, 2200), ["kitchen", "living room", "home office"], [("diameter", 10, 16)],
          ["A silent sweep movement means no ticking.",
           "Clear numerals make the {noun} easy to read from across the room.",
           "Runs on a single AA battery."],
          ["Movement: silent quartz sweep", "Power: 1 x AA battery (not included)"],
          "Clock", "wood"),
    PType("decor", "Trays", "Decorative Tray", "TRY", f"{HG} > Decor > Decorative Trays",
          ["Marble", "Travertine", "Rattan", "Brass", "Oak"], DECOR_ADJ,
          ["size:sml"], 0.35, (32, 139), (400, 2500), ["living room", "bathroom", "entryway"],
          [("L", 10, 18), ("W", 6, 12)],
          ["Corral candles, perfume or keys on the {noun} for an instantly tidier surface.",
           "A low rim keeps things in place without hiding them.",
           "Felt feet protect the furniture beneath."],
          ["Felt feet: yes", "Length: {len} in"],
          "Tray", "ceramic"),
    # ---- bath
    PType("bath", "Bath Towels", "Bath Towel", "BTW", f"{HG} > Linens & Bedding > Towels > Bath Towels & Washcloths",
          ["Turkish Cotton", "Organic Cotton", "Waffle Cotton", "Linen"], BATH_ADJ,
          ["size:towel", "color"], 0.05, (24, 69), (400, 900), ["bathroom"], [],
          ["At {gsm} gsm, the {noun} is plush without taking all day to dry.",
           "Double-stitched hems stop fraying, even after hundreds of washes.",
           "A hanging loop keeps it tidy on a hook."],
          ["Weight: {gsm} gsm", "Hanging loop: yes"],
          "Towel", "fabric", ("set", "oversized")),
    PType("bath", "Bath Mats", "Bath Mat", "BMT", f"{BATH_ACC} > Bath Mats & Rugs",
          ["Cotton", "Teak", "Diatomite", "Turkish Cotton", "Bamboo"], BATH_ADJ,
          ["color"], 0.3, (28, 95), (600, 2400), ["bathroom"], [("W", 20, 24), ("L", 30, 36)],
          ["The {noun} soaks up water fast and dries between showers.",
           "A non-slip underside keeps it in place on tile.",
           "Step out onto something warmer than cold tile."],
          ["Underside: non-slip", "Machine washable"],
          "Mat", "fabric", ("non slip", "large")),
    PType("bath", "Shower Curtains", "Shower Curtain", "SHC", f"{BATH_ACC} > Shower Curtains",
          ["Linen", "Waffle Cotton", "Cotton"], BATH_ADJ,
          ["color"], 0.2, (48, 119), (500, 1100), ["bathroom"], [("W", 72, 72), ("L", 72, 84)],
          ["Reinforced buttonholes take standard shower rings.",
           "Use it with a liner for a full shower or on its own for a tub.",
           "The {noun} is quick-drying and resists mildew."],
          ["Fits: standard 72 in rod, 12 buttonholes", "Liner: recommended, not included"],
          "Shower curtain", "fabric", ("72 x 72", "extra long")),
    PType("bath", "Robes", "Bathrobe", "ROB", "Apparel & Accessories > Clothing > Sleepwear & Loungewear > Robes",
          ["Waffle Cotton", "Turkish Cotton", "Linen"], BATH_ADJ,
          ["size:robe", "color"], 0.05, (78, 189), (700, 1400), ["bathroom", "bedroom"], [],
          ["Deep patch pockets and a shawl collar make the {noun} easy to live in.",
           "The length hits mid-calf on most people.",
           "An inside tie keeps it closed without fuss."],
          ["Length: {robe} in", "Pockets: 2 patch pockets"],
          "Robe", "fabric", ("womens", "mens")),
    PType("bath", "Soap Dispensers", "Soap Dispenser", "SPD", f"{BATH_ACC} > Soap & Lotion Dispensers",
          ["Ceramic", "Stoneware", "Glass", "Brass"], DECOR_ADJ,
          ["color"], 0.3, (22, 68), (300, 700), ["bathroom", "kitchen"], [("H", 6, 8)],
          ["A stainless pump delivers just the right amount of soap.",
           "Refill it with your favorite hand wash or dish soap.",
           "The weighted base keeps the {noun} from tipping."],
          ["Capacity: {oz} oz", "Pump: stainless steel"],
          "Dispenser", "ceramic"),
    PType("bath", "Bath Caddies", "Bath Caddy", "CDY", f"{BATH_ACC} > Bath Caddies",
          ["Teak", "Bamboo", "Oak"], ["Extendable", "Slatted", "Adjustable"],
          [], 1.0, (45, 119), (1200, 2500), ["bathroom"], [("L", 28, 40), ("W", 8, 10)],
          ["The {noun} extends to fit most tubs.",
           "A book rest and a slot for a glass turn bath time into a ritual.",
           "Water-resistant wood means it is happy in the steam."],
          ["Extends: {lmin} to {lmax} in", "Finish: water-resistant oil"],
          "Caddy", "wood"),
    PType("bath", "Toothbrush Holders", "Toothbrush Holder", "TBH", f"{BATH_ACC} > Toothbrush Holders",
          ["Ceramic", "Stoneware", "Marble", "Concrete"], DECOR_ADJ,
          ["color"], 0.5, (16, 38), (200, 500), ["bathroom"], [("H", 4, 5), ("diameter", 3, 3.5)],
          ["A drainage hole in the base keeps the {noun} fresh.",
           "It fits electric and manual brushes alike.",
           "Pair it with a matching soap dispenser for a pulled-together look."],
          ["Drainage hole: yes", "Dishwasher safe"],
          "Toothbrush holder", "ceramic"),
]
for _t in TYPES:
    _same_cat = sum(1 for x in TYPES if x.category == _t.category)
    _t.weight = CATEGORY_SHARE[_t.category] / _same_cat
TYPE_WEIGHTS = [t.weight for t in TYPES]
TYPE_CUM: list[float] = []
_acc = 0.0
for _w in TYPE_WEIGHTS:
    _acc += _w
    TYPE_CUM.append(_acc)
MATERIAL_FACTS_T = {m: [(x, True) for x in facts] for m, facts in MATERIAL_FACTS.items()}
VENDORS_BY_CAT = {c: [v for v in VENDORS if c in v[2]] for c in CATEGORY_SHARE}

SHARED_TEXTS = [
    "<p>Our textiles are manufactured to the highest quality standards using carefully selected fibres. "
    "Every item is OEKO-TEX Standard 100 certified and tested for harmful substances. Colours may vary "
    "slightly from those shown due to screen settings and the natural characteristics of the fibre. "
    "Please refer to the care label before washing. Dimensions are approximate and may vary by up to 3%."
    "</p><p>Imported.</p>",
    "<p>Each item is handcrafted and glazed by skilled artisans, so no two pieces are exactly alike. Small "
    "irregularities in shape, glaze, pinholes and colour are part of the handmade process and are not "
    "considered defects. Suitable for food use. Dishwasher and microwave safe unless otherwise stated. "
    "Avoid sudden changes in temperature. Dimensions and capacity are approximate.</p>"
    "<p>Manufactured for the trade. Imported.</p>",
    "<p>This product has been designed and manufactured in accordance with all applicable safety "
    "standards. For indoor use only. Please read the enclosed instructions carefully before assembly or "
    "installation and keep them for future reference. Electrical products should be installed by a "
    "qualified electrician where required. Wipe clean with a soft, dry cloth. Do not use abrasive "
    "cleaners. Specifications are subject to change without notice.</p>",
]
SHARED_FOR_CATEGORY = {"textiles": 0, "bath": 0, "kitchen": 1, "decor": 1, "lighting": 2, "furniture": 2}

GENERIC_PHRASES = ["New product", "Untitled item", "Product", "Test product", "Item", "Sample",
                   "Copy of product", "Draft listing", "Default title", "Product name"]

# Procedural collection names ("Halden", "Solvik", "Marenby", ...).
_ONSETS = ["Hal", "Sol", "Ar", "Mar", "Lin", "Ve", "Os", "Ky", "Bri", "Tor", "Fen", "El", "Ro", "Sa", "No",
           "Vi", "Ka", "Lu", "Ei", "Fa", "Ga", "Ha", "Ju", "Le", "Mi", "Ni", "Ol", "Pe", "Ri", "Si", "Ta",
           "Ul", "Va", "Ys", "Bo", "Da", "Ed", "Ing", "Kes", "Lo", "Mor", "Ne", "Rav", "Sten", "Thal", "Vel"]
_MIDS = ["", "", "", "", "", "", "a", "e", "i", "o", "ri", "la", "ne", "so", "va"]
_CODAS = ["den", "vik", "lo", "ren", "na", "ford", "by", "sted", "holm", "ley", "mont", "ine", "ara",
          "ette", "ello", "ika", "und", "ton", "wick", "sen", "dal", "mar", "nes", "ria", "vo", "stad"]

_TITLE_VOCAB_WORDS: set[str] = set()
for _t in TYPES:
    for _part in [_t.noun, *_t.adjectives, *_t.materials]:
        _TITLE_VOCAB_WORDS.update(w.lower() for w in re.split(r"[\s-]+", _part))
_BAD_TITLE_WORDS = COLOR_WORDS | SIZE_WORDS
assert not (_TITLE_VOCAB_WORDS & _BAD_TITLE_WORDS), _TITLE_VOCAB_WORDS & _BAD_TITLE_WORDS
assert not any(w in _BAD_TITLE_WORDS for v in VENDORS for w in re.split(r"[\s&.]+", v[0].lower()))
assert not any(w.lower() in _BAD_TITLE_WORDS for g in GENERIC_PHRASES + [t.generic for t in TYPES]
               for w in g.split())

# --------------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------------

_TAG_RE = re.compile(r"<[^>]*>")
_A_AN_RE = re.compile(r"\b([Aa]) (?=[aeiouAEIOU])(?!one\b|one-|uni|use|usb|Eu|eu)")
_SLUG_RE = re.compile(r"[^a-z0-9]+")
_WORD_RE = re.compile(r"[^\W\d_]{3,}")


def word_count(body_html: str) -> int:
    """Words in an HTML description, as the flaw rules count them."""
    if not body_html:
        return 0
    return len(html.unescape(_TAG_RE.sub(" ", body_html)).split())


def title_key(title: str) -> str:
    return " ".join(title.casefold().split())


def is_all_caps(title: str) -> bool:
    if title != title.upper() or title == title.lower():
        return False
    return sum(1 for c in title if c.isalpha()) >= 4


def is_keyword_stuffed(title: str) -> bool:
    counts: dict[str, int] = {}
    for w in _WORD_RE.findall(title.casefold()):
        counts[w] = counts.get(w, 0) + 1
        if counts[w] >= 3:
            return True
    return False


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = _SLUG_RE.sub("-", ascii_text).strip("-")
    if len(slug) > 200:
        slug = slug[:200].rsplit("-", 1)[0]
    return slug or "product"


def _noun_lower(noun: str) -> str:
    return noun.lower().replace("dutch", "Dutch")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _k(rng: Random, n: int, rate: float) -> int:
    """How many of n get a flaw of this rate: floor(n * rate + U), so the expectation is exactly n * rate."""
    return int(n * rate + rng.random())


def _money(x: float) -> str:
    return f"{x:.2f}"


def _nice_price(rng: Random, x: float) -> float:
    if x < 20:
        return max(4.0, round(x * 2) / 2)
    if x < 100:
        return float(round(x))
    v = round(x / 5) * 5
    return float(v - 1 if rng.random() < 0.35 else v)


def _inches(x: float) -> str:
    v = round(x * 2) / 2
    return f"{int(v)}" if v == int(v) else f"{v:.1f}"


def _trim_words(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:-|–")
    return cut if cut else text[:limit]


# --------------------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------------------


class _State:
    """What must persist across blocks: uniqueness sets and counters (all O(products) small strings)."""

    def __init__(self) -> None:
        self.used_titles: set[str] = set()
        self.used_keys: set[tuple[str, str]] = set()
        self.used_handles: set[str] = set()
        self.sku_styles: dict[str, int] = {}
        self.ean_counters: dict[str, int] = {}
        self.shared_uses = [0, 0, 0]
        self.recent_collections: dict[str, list[str]] = {c: [] for c in CATEGORY_SHARE}
        self.image_version = 1690000000
        self.carry: dict[str, int] = {}  # group slots (exact/near) left over by a block's rounding


class _Attrs:
    __slots__ = ("t", "vendor", "material", "style", "room", "adj", "coll", "pattern", "base_title",
                 "fixed_color", "fixed_size", "colors")

    def copy(self) -> _Attrs:
        a = _Attrs()
        for s in self.__slots__:
            setattr(a, s, getattr(self, s, None))
        return a


def _pick_type(rng: Random) -> PType:
    x = rng.random() * TYPE_CUM[-1]
    lo, hi = 0, len(TYPE_CUM) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if TYPE_CUM[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return TYPES[lo]


def _collection_name(rng: Random) -> str:
    while True:
        name = _ch(rng, _ONSETS) + _ch(rng, _MIDS) + _ch(rng, _CODAS)
        low = name.lower()
        if len(name) >= 4 and low not in _BAD_TITLE_WORDS and low not in _TITLE_VOCAB_WORDS:
            return name


def _compose_title(a: _Attrs) -> str:
    t = a.t
    mat = a.material if t.mat_in_title else ""
    adj = a.adj
    if adj and mat and set(adj.lower().split()) & set(mat.lower().split()):
        adj = None
    p = a.pattern
    if p == 0 or (not mat and not adj):
        words = [a.coll, t.noun]
    elif p == 1:
        words = [a.coll, mat or adj, t.noun]
    elif p == 2:
        words = [a.coll, adj, mat, t.noun] if adj else [a.coll, mat, t.noun]
    else:
        words = [a.coll, adj or mat, t.noun]
    return " ".join(w for w in words if w)


def _new_attrs(rng: Random, st: _State) -> _Attrs:
    t = _pick_type(rng)
    a = _Attrs()
    a.t = t
    a.vendor = _ch(rng, VENDORS_BY_CAT[t.category])
    a.material = _ch(rng, t.materials)
    a.style = _ch(rng, STYLE_KEYS)
    a.room = _ch(rng, t.rooms)
    a.adj = _ch(rng, t.adjectives)
    a.pattern = rng.choices((0, 1, 2, 3), (0.18, 0.42, 0.25, 0.15))[0]
    a.fixed_color = None
    a.fixed_size = None
    recent = st.recent_collections[t.category]
    for attempt in range(200):
        if attempt < 3 and recent and rng.random() < 0.4:
            coll = _ch(rng, recent)
        else:
            coll = _collection_name(rng)
        if (coll, t.noun) in st.used_keys:
            continue
        a.coll = coll
        title = _compose_title(a)
        if title_key(title) in st.used_titles:
            continue
        break
    else:  # pragma: no cover - the name space is far larger than any sensible catalogue
        raise RuntimeError("ran out of unique titles")
    st.used_keys.add((coll, t.noun))
    st.used_titles.add(title_key(title))
    if coll not in recent:
        recent.append(coll)
        if len(recent) > 40:
            recent.pop(0)
    a.base_title = title
    return a


def _generic_title(rng: Random, st: _State, a: _Attrs) -> str:
    for _ in range(4):
        r = rng.random()
        if r < 0.35:
            cand = a.t.generic
        elif r < 0.50:
            cand = _ch(rng, GENERIC_PHRASES)
        elif r < 0.65:
            cand = a.vendor[0]
        else:
            break
        if title_key(cand) not in st.used_titles:
            st.used_titles.add(title_key(cand))
            return cand
    letters = "ABCDEFGHJKLMNPRSTVWXZ"
    while True:
        form = rng.random()
        if form < 0.5:
            cand = f"{_ch(rng, letters)}{_ch(rng, letters)}-{_randint(rng, 1000, 9999)}-{_ch(rng, letters)}"
        elif form < 0.8:
            cand = f"{_ch(rng, letters)}{_ch(rng, letters)}{_randint(rng, 10000, 99999)}"
        else:
            cand = f"{_randint(rng, 100, 999)}-{_randint(rng, 1000, 9999)}-{_ch(rng, letters)}"
        if title_key(cand) not in st.used_titles:
            st.used_titles.add(title_key(cand))
            return cand


def _stuffed_title(rng: Random, a: _Attrs) -> str:
    t = a.t
    kw = (a.material.split()[0] if t.mat_in_title else t.noun.split()[-1])
    noun = t.noun
    room = a.room.title()
    extras = [f"{kw} {noun}", f"Best {kw} {noun}", f"{kw} {room} Decor", f"Modern {kw} {t.type_name}",
              f"{kw} Home Gift", f"Cheap {kw} {noun}"]
    _shuffle(rng, extras)
    parts = [a.base_title]
    sep = _ch(rng, (" | ", " - ", ", ", " "))
    while sum(p.casefold().split().count(kw.casefold()) for p in parts) < 3 or len(parts) < 3:
        parts.append(extras.pop())
    return sep.join(parts)


def _handle(st: _State, title: str) -> str:
    base = slugify(title)
    handle = base
    n = 2
    while handle in st.used_handles:
        handle = f"{base}-{n}"
        n += 1
    st.used_handles.add(handle)
    return handle


TEMPLATE_NUMBERS: dict[str, tuple] = {
    "gsm": (140, 160, 180, 200, 220, 280, 320, 450, 550, 600, 700), "tc": (200, 300, 400, 500),
    "mic": (17.5, 18.5, 19.5), "pct": (55, 60, 70, 80), "degc": (1240, 1280, 1300), "deg": (450, 500),
    "coats": (2, 3), "buttons": (5, 6, 7, 8), "depth": (14, 15, 16, 18), "flap": (6, 7, 8), "fringe": (2, 3, 4),
    "kg": (0.9, 1.1, 1.4, 1.8), "stitch": (3, 4, 5, 6), "hem": (0.75, 1, 1.5, 2), "seats": (4, 6, 8, 10),
    "table": (48, 60, 72, 84), "pile": (6, 8, 10, 12, 15), "rod": (2, 3, 3.5), "watt": (6, 8, 40, 60, 75),
    "cord": (6, 8, 10), "drop": (48, 60, 72, 96), "burn": (35, 40, 45, 50, 60), "diam": (10.5, 10.75, 11, 11.25),
    "qt": (1.5, 2, 3, 4), "oz": (10, 12, 14, 16, 20, 34), "thick": (0.75, 1, 1.25, 1.5),
    "len": (12, 14, 16, 18, 20), "cups": (3, 4, 5, 6), "lb": (150, 200, 250, 300, 350),
    "mins": (10, 15, 20, 30, 45), "seat": (20, 21, 22, 23), "h": (6, 8, 10, 12, 14, 16),
    "handles": ("two leather handles", "woven side handles", "cut-out handles", "rope handles"),
    "pot": (6, 8, 10, 12), "robe": (44, 46, 48), "lmin": (26, 28, 30), "lmax": (38, 40, 42),
    "days": (1, 2, 3, 5), "years": (1, 2, 5, 10),
}


class _Fields(dict):
    """Template fields; the numbers a template quotes are drawn on first use, so unused ones cost nothing."""

    def __init__(self, rng: Random, **kw: Any) -> None:
        super().__init__(**kw)
        self.rng = rng

    def __missing__(self, key: str) -> Any:
        if key == "rest":
            value = 100 - self["pct"]
        else:
            value = _ch(self.rng, TEMPLATE_NUMBERS[key])
        self[key] = value
        return value


def _ch(rng: Random, seq):
    """rng.choice without the rejection-sampling overhead (one C call); deterministic for a given seed."""
    return seq[int(rng.random() * len(seq))]


def _randint(rng: Random, lo: int, hi: int) -> int:
    return lo + int(rng.random() * (hi - lo + 1))


def _randrange(rng: Random, n: int) -> int:
    return int(rng.random() * n)


def _shuffle(rng: Random, items: list) -> None:
    """In-place Fisher-Yates driven by rng.random() (cheaper than Random.shuffle's bit-rejection loop)."""
    rnd = rng.random
    for i in range(len(items) - 1, 0, -1):
        j = int(rnd() * (i + 1))
        items[i], items[j] = items[j], items[i]


def _sample(rng: Random, population, k: int) -> list:
    pool = list(population)
    rnd = rng.random
    n = len(pool)
    if k > n:
        raise ValueError("sample larger than population")
    for i in range(k):
        j = i + int(rnd() * (n - i))
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


def _esc(text: str) -> str:
    return html.escape(text, False) if ("&" in text or "<" in text or ">" in text) else text


def _dims_line(rng: Random, a: _Attrs, size_values: list[tuple]) -> str | None:
    t = a.t
    if t.dims:
        parts = []
        values = []
        for label, lo, hi in t.dims:
            v = round(rng.uniform(lo, hi) * 2) / 2
            values.append(v)
            parts.append(f"{_inches(v)} in {label}" if len(label) > 2 else f"{label} {_inches(v)} in")
        metric = ""
        if rng.random() < 0.4:
            metric = " (" + " × ".join(str(round(v * 2.54)) for v in values) + " cm)"
        return "Dimensions: " + " × ".join(parts) + metric
    dimmed = [(v[0], v[4]) for v in size_values if v[4]]
    if dimmed:
        return "Sizes: " + "; ".join(f"{n} {d}" for n, d in dimmed)
    if size_values:
        return "Available sizes: " + ", ".join(v[0] for v in size_values)
    return None


def _fields(rng: Random, a: _Attrs) -> _Fields:
    t = a.t
    benefit = _ch(rng, CATEGORY_BENEFITS[t.category])
    room2 = _ch(rng, OTHER_ROOMS[a.room])
    style_variant = int(rng.random() * 3)
    return _Fields(
        rng, name=a.base_title, noun=_noun_lower(t.noun), coll=a.coll, mat=a.material.lower(), Mat=a.material,
        vendor=a.vendor[0], Vendor=a.vendor[0], city=a.vendor[3], room=a.room, room2=room2,
        style=STYLES[a.style][style_variant], style_variant=style_variant, benefit=benefit,
        Benefit=_cap(benefit), type=t.type_name,
    )


OTHER_ROOMS = {r: [x for x in ROOM_CONTEXT if x != r] for r in ROOM_CONTEXT}


def _description(rng: Random, a: _Attrs, f: dict[str, Any], size_values: list[tuple]) -> tuple[str, int]:
    """A clean HTML description of 60-150 words built from the product's attributes, and its word count."""
    t = a.t
    esc = _esc
    intro = _cap(_ch(rng, INTROS).format_map(f))
    # Reusable sentences are (template, connective allowed); they are varied and formatted only when used.
    facts = MATERIAL_FACTS_T[a.material]
    r = _randrange(rng, len(facts))
    facts = facts[r:] + facts[:r]
    feats = t.features_t
    r = _randrange(rng, len(feats))
    feats = feats[r:] + feats[:r]
    ctxs = ROOM_CONTEXT[a.room]
    f["ctx"] = _ch(rng, ctxs)
    f["ctx2"] = _ch(rng, ctxs)
    i = _randrange(rng, len(ROOM_LINES))
    j = (i + 1 + _randrange(rng, len(ROOM_LINES) - 1)) % len(ROOM_LINES)
    rooms = [(ROOM_LINES[i], False), (ROOM_LINES[j].replace("{ctx}", "{ctx2}"), False)]
    i = _randrange(rng, len(CLOSINGS))
    j = (i + 1 + _randrange(rng, len(CLOSINGS) - 1)) % len(CLOSINGS)
    closings = [(CLOSINGS[i], False), (CLOSINGS[j], False)]

    def real(item: str | tuple[str, bool]) -> str:
        if isinstance(item, str):
            return item
        return _vary(rng, item[0], item[1]).format_map(f)

    mat_code, family, origins, composition = MATERIALS[a.material]
    bullets: list[tuple[str, str]] = [("Material", composition.format_map(f))]
    dims = _dims_line(rng, a, size_values)
    if dims:
        label, _, value = dims.partition(": ")
        bullets.append((label, value))
    bullets.append(("Care", _ch(rng, CARE[family])))
    origin = _ch(rng, origins)
    r = _randrange(rng, 3)
    bullets.append(("Origin", f"Made in {origin}" if r == 0 else f"Crafted in {origin}" if r == 1
                    else f"Designed in {a.vendor[3]}, made in {origin}"))
    for spec in t.specs:
        label, _, value = spec.format_map(f).partition(": ")
        bullets.append((label, value) if value else ("", label))
    seen_values: set[str] = set()
    bullets = [b for b in bullets if not (b[1].lower() in seen_values or seen_values.add(b[1].lower()))]
    _shuffle(rng, bullets)
    bullets.sort(key=lambda b: b[0] != "Material")  # material first, the rest in random order

    # Sentences only this product can produce: its colors, sizes, price, vendor and origin.
    details = []
    colors = [c.lower() for c in (a.colors or [])]
    if len(colors) > 1:
        r = _randrange(rng, 3)
        details.append(f"Choose from {', '.join(colors[:-1])} or {colors[-1]}." if r == 0 else
                       f"It comes in {len(colors)} colorways, from {colors[0]} to {colors[-1]}." if r == 1 else
                       f"The {colors[0]} is our favorite, but the {colors[-1]} is a close second.")
    elif colors:
        details.append(f"The {colors[0]} tone works with almost any palette." if rng.random() < 0.5 else
                       f"We offer it in {colors[0]} only, a shade chosen to last beyond trends.")
    if size_values:
        names = [v[0] for v in size_values]
        details.append(f"Available in {', '.join(names[:-1])} and {names[-1]}." if len(names) > 1
                       else f"Available in {names[0]}.")
    vendor, city = a.vendor[0], a.vendor[3]
    r = _randrange(rng, 3)
    details.append(f"{vendor} designs every piece in {city} and works with a small workshop in {origin}." if r == 0
                   else f"It is made in {origin} for {vendor}, a studio based in {city}." if r == 1 else
                   f"From a sketch in {city} to a workshop in {origin}, every step is checked by {vendor}.")
    details.append(f"The {STYLES[a.style][(f['style_variant'] + 1) % 3]} look works with {STYLE_PAIRINGS[a.style]}."
                   if rng.random() < 0.5 else f"Style it with {STYLE_PAIRINGS[a.style]} for a {a.style} feel.")
    _shuffle(rng, details)

    # Sentence pools, in the order they are added or dropped to land within 60-150 words.
    body = [intro, details[0], real(facts[0]), real(feats[0]), real(rooms[0])]
    optional = [details[1], facts[1], feats[1], closings[0], rooms[1], feats[2], closings[1],
                *details[2:], *facts[2:]]
    n_bullets = _ch(rng, (2, 3, 4))
    chosen_bullets = bullets[:n_bullets]
    n_extra = _ch(rng, (0, 1, 1, 2))
    body.extend(real(x) for x in optional[:n_extra])
    optional = optional[n_extra:]
    counts = [len(x.split()) for x in body]
    n = sum(counts) + sum(len(lbl.split()) + len(v.split()) for lbl, v in chosen_bullets)
    while n < 60:
        if optional:
            body.append(real(optional.pop(0)))
            counts.append(len(body[-1].split()))
            n += counts[-1]
        elif len(chosen_bullets) < len(bullets):
            lbl, v = bullets[len(chosen_bullets)]
            chosen_bullets.append((lbl, v))
            n += len(lbl.split()) + len(v.split())
        else:  # pragma: no cover - pools always suffice
            body.append(f"Ships from our warehouse in {a.vendor[3]} within a few business days.")
            counts.append(len(body[-1].split()))
            n += counts[-1]
    while n > 150 and len(body) > 4:
        body.pop()
        n -= counts.pop()

    strong = rng.random() < 0.6
    lis = "".join(
        f"<li><strong>{esc(lbl)}:</strong> {esc(v)}</li>" if (lbl and strong) else
        (f"<li>{esc(lbl)}: {esc(v)}</li>" if lbl else f"<li>{esc(v)}</li>")
        for lbl, v in chosen_bullets)
    ul = f"<ul>{lis}</ul>"
    sents = _A_AN_RE.sub(r"\1n ", "\x00".join(body))
    sents = [esc(x) for x in sents.split("\x00")]
    layout = _randrange(rng, 4)
    if layout == 0:
        return f"<p>{' '.join(sents[:2])}</p><p>{' '.join(sents[2:])}</p>{ul}", n
    if layout == 1:
        return f"<p>{sents[0]}</p>{ul}<p>{' '.join(sents[1:])}</p>", n
    if layout == 2:
        return f"<p>{' '.join(sents[:3])}</p>{ul}<p>{' '.join(sents[3:])}</p>", n
    return f"<p>{' '.join(sents)}</p>{ul}", n


_VARY_CACHE: dict[str, list] = {}


def _vary_parts(template: str) -> list:
    """Split a template once into literal text and synonym slots (odd positions hold the alternatives)."""
    parts = _VARY_CACHE.get(template)
    if parts is None:
        pieces = _SYN_RE.split(template)
        parts = [p if k % 2 == 0 else SYNONYMS[p] for k, p in enumerate(pieces)]
        _VARY_CACHE[template] = parts
    return parts


def _vary(rng: Random, template: str, connective: bool = True) -> str:
    """Swap a share of common words for synonyms and sometimes open with a connective (before formatting)."""
    parts = _vary_parts(template)
    if len(parts) > 1:
        rnd = rng.random
        out = []
        for k, p in enumerate(parts):
            if k % 2:
                r = rnd()
                out.append(p[int(r / 0.6 * len(p))] if r < 0.6 else p[0])
            else:
                out.append(p)
        text = "".join(out)
    else:
        text = template
    if connective and text.startswith(_LOWERABLE_STARTS) and rng.random() < 0.3:
        text = _ch(rng, CONNECTIVES) + text[0].lower() + text[1:]
    return text


def _thin_description(rng: Random, a: _Attrs, f: dict[str, Any]) -> str:
    t = a.t
    noun = _noun_lower(t.noun)
    mat = a.material.lower()
    origin = _ch(rng, MATERIALS[a.material][2])
    care = _ch(rng, CARE[MATERIALS[a.material][1]])
    color = (a.fixed_color or (a.colors[0] if a.colors else "")).lower()
    options = [
        f"<p>{_esc(_cap(mat))} {noun}{' in ' + color if color else ''}. {_esc(care)}.</p>",
        f"<p>Our {_esc(a.coll)} {noun} in {_esc(mat)}. Made in {origin}.</p>",
        f"<p>{_esc(a.base_title)}.</p>",
        f"<ul><li>{_esc(MATERIALS[a.material][3].format_map(f))}</li><li>{_esc(care)}</li></ul>",
        f"<p>{_esc(_cap(mat))} {noun} by {_esc(a.vendor[0])}. See photos for details.</p>",
        f"<p>Beautiful {noun} for your {a.room}. {_esc(_cap(CATEGORY_BENEFITS[t.category][0]))}.</p>",
        f"<p>{_esc(a.base_title)} - {_esc(mat)}.<br>Ships in {f['days']} days.</p>",
    ]
    return _ch(rng, options)


_STYLE_ATTRS = ['style="margin: 0px 0px 1em; font-family: Arial, sans-serif; font-size: 14px;"',
                'style="font-family: Helvetica; color: rgb(34, 34, 34);"',
                'style="text-align: left; line-height: 1.4;"']


def _messy(rng: Random, body: str) -> str:
    """Pollute clean HTML the way copy-pasting from Word, email and old editors does."""
    ops = [0, 1, 2, 3, 4, 5, 6, 7]
    _shuffle(rng, ops)
    out = body
    applied = 0
    for op in ops:
        before = out
        if op == 0 and "<p>" in out:
            out = out.replace("<p>", f"<p {_ch(rng, _STYLE_ATTRS)}>", _ch(rng, (1, 2, 9)))
        elif op == 1 and "<p" in out:
            face = _ch(rng, ("Verdana", "Arial", "Times New Roman"))
            j = out.find(">", out.find("<p")) + 1  # just inside the first paragraph
            i = out.find("</p>", j)
            if i == -1:
                i = len(out)
            out = out[:j] + f'<font face="{face}" size="2">' + out[j:i] + "</font>" + out[i:]
        elif op == 2 and "<li>" in out:
            out = out.replace("<li>", '<li><span style="color: #333333; font-size: 13px;">').replace(
                "</li>", "</span></li>")
        elif op == 2:
            out = out.replace("</p>", '<span style="font-weight: 400;"></span></p>', 1)
        elif op == 3 and ". " in out:
            out = out.replace(". ", ".&nbsp;&nbsp;&nbsp; ", _ch(rng, (1, 2, 3)))
        elif op == 4:
            out = out + _ch(rng, ("<p></p>", "<p>&nbsp;</p>", "<p></p><p>&nbsp;</p>"))
            if "</p><" in out:
                out = out.replace("</p><", "</p><p>&nbsp;</p><", 1)
        elif op == 5 and "<p>" in out:
            out = out.replace("<p>", '<p class="MsoNormal">').replace("</p>", "<o:p></o:p></p>")
        elif op == 6:
            if "</li>" in out:
                out = out.replace("</li>", "", 2)
            elif out.endswith("</p>"):
                out = out[:-4] + "<br>"
            out = out.replace("<p", "<b><p", 1) if "<p" in out else "<b>" + out
        elif op == 7:
            out = f"<div>{out}<br><br></div>".replace("</p><p", "</p><br><p", 1)
        if out != before:
            applied += 1
        if applied >= _ch(rng, (2, 3, 4)):
            break
    return out


def _seo_title(rng: Random, a: _Attrs, role: str) -> str:
    t = a.t
    base = a.base_title
    if role == "missing":
        return ""
    if role == "long":
        segs = [f"{a.material} {t.noun} for Your {a.room.title()}", "Free Shipping Over $75",
                f"{a.vendor[0]}", STORE, "Shop Now"]
        _shuffle(rng, segs)
        s = base
        for seg in segs:
            s = f"{s} | {seg}"
            if len(s) > 60 and rng.random() < 0.5:
                break
        if len(s) <= 60:  # pragma: no cover
            s += " | Handmade Home Goods and Gifts"
        return s
    cands = [f"{base} | {STORE}", f"{a.coll} {t.noun} in {a.material} | {STORE}",
             f"{a.material} {t.noun} – {a.coll} Collection", base, f"Shop the {base}",
             f"{base} | {a.vendor[0]}", f"{a.coll} {t.noun} | {a.material} {t.type_name}"]
    _shuffle(rng, cands)
    for c in cands:
        if 0 < len(c) <= 60:
            return c
    return _trim_words(base, 60)


def _seo_description(rng: Random, a: _Attrs, role: str, body_text_first: str, f: dict[str, Any]) -> str:
    t = a.t
    base = a.base_title
    noun = _noun_lower(t.noun)
    mat = a.material.lower()
    if role == "missing":
        return ""
    if role == "short":
        c = _ch(rng, (f"{a.material} {noun}.", f"Shop {base}.", base, f"{t.noun} by {a.vendor[0]}.",
                        f"{base} - {STORE}"))
        c = _trim_words(c, 69)
        return c if len(c) < 70 else c[:69]
    opener = _ch(rng, (f"Shop the {base} from {a.vendor[0]}.", f"The {base}, made from {mat}.",
                         f"Discover the {base} in {mat}.", f"{base}: {SEO_BENEFITS[t.category].lower()}."))
    extras = [] if opener.endswith(f"{SEO_BENEFITS[t.category].lower()}.") else [f"{SEO_BENEFITS[t.category]}."]
    extras += [f"Designed for the {a.room}.",
              "Free shipping over $75 and free 30-day returns.", f"Made in {_ch(rng, MATERIALS[a.material][2])}.",
              f"{_cap(STYLES[a.style][0])} style in {mat}.", f"Part of the {a.coll} collection."]
    _shuffle(rng, extras)
    if role == "long":
        if body_text_first and rng.random() < 0.4 and len(body_text_first) > 170:
            return body_text_first[: _randint(rng, 170, min(320, len(body_text_first)))].rstrip()
        s = opener
        for e in extras:
            s = f"{s} {e}"
        while len(s) <= 160:  # pragma: no cover
            s += f" Shop {STORE} today."
        return s
    s = opener
    for e in extras[: _ch(rng, (1, 2, 3, 4))]:
        if len(s) + 1 + len(e) <= 160:
            s = f"{s} {e}"
    for e in extras:
        if len(s) >= 70:
            break
        if e not in s and len(s) + 1 + len(e) <= 160:
            s = f"{s} {e}"
    if len(s) < 70:
        s = f"{s} Shop {STORE}."
    if len(s) > 160:
        s = _trim_words(s, 159)
    return s


_EAN_PREFIX_SUMS: dict[int, int] = {}


def _ean_for(company: int, item: int) -> str:
    """EAN-13 '50' + 5-digit company + 5-digit item + check digit (weights 1,3,1,3,... from the left)."""
    head = _EAN_PREFIX_SUMS.get(company)
    if head is None:
        digits = f"50{company:05d}"
        head = sum(int(d) * (3 if k % 2 else 1) for k, d in enumerate(digits))
        _EAN_PREFIX_SUMS[company] = head
    d4, r = divmod(item, 10000)
    d3, r = divmod(r, 1000)
    d2, r = divmod(r, 100)
    d1, d0 = divmod(r, 10)
    total = head + 3 * d4 + d3 + 3 * d2 + d1 + 3 * d0  # item digits sit at positions 7-11
    return f"50{company:05d}{item:05d}{(10 - total % 10) % 10}"


def _variants(rng: Random, st: _State, a: _Attrs, all_zero: bool) -> tuple[list[str], list[dict], list]:
    """Option names, variant dicts and the size values used (for the description's size line)."""
    t = a.t
    rnd = rng.random
    axes: list[tuple[str, list[tuple[str, str, float, float]]]] = []
    size_values: list[tuple] = []
    palette = PALETTES[t.palette]
    if a.fixed_color:
        a.colors = [a.fixed_color]
    else:
        a.colors = _sample(rng, palette, min(len(palette), _ch(rng, (1, 2, 2, 3, 3, 4, 5))))
    if rnd() >= t.p_default:
        for kind, arg in t.options_parsed:
            if kind == "size" and not a.fixed_size:
                vals = SIZE_SETS[arg]
                if len(vals) > 3:
                    k = _randint(rng, 2, len(vals))
                    start = _randint(rng, 0, len(vals) - k)
                    vals = vals[start:start + k]
                elif len(vals) == 3 and rnd() < 0.3:
                    vals = vals[1:]
                size_values = vals
                axes.append(("Size", [v[:4] for v in vals]))
            elif kind == "color" and not a.fixed_color and len(a.colors) > 1:
                axes.append(("Color", [(c, c.upper(), 1.0, 1.0) for c in a.colors]))
            elif kind == "finish":
                k = _ch(rng, (1, 2, 2, 3, 3, 4))
                if k > 1:
                    pool = WOOD_FINISHES if arg == "wood" else FINISHES
                    axes.append(("Finish", [(n, c, m, 1.0) for n, c, m in _sample(rng, pool, k)]))
            elif kind == "scent":
                axes.append(("Scent", [(n, c, 1.0, 1.0) for n, c in _sample(rng, SCENTS, _randint(rng, 2, 5))]))
            elif kind == "frame":
                axes.append(("Frame", list(FRAMES) if rnd() < 0.6 else list(FRAMES[:2])))
    # Keep variant counts realistic (Shopify allows 100; stores rarely go past ~24).
    while _product_len(axes) > 24:
        max(axes, key=lambda ax: len(ax[1]))[1].pop()

    vendor_code = a.vendor[1]
    prefix = f"{vendor_code}-{MATERIALS[a.material][0]}-{t.tcode}"
    style_no = st.sku_styles.get(prefix, 0) + 1
    st.sku_styles[prefix] = style_no
    sku_root = f"{prefix}-{style_no:03d}"
    if a.fixed_size:
        sku_root += f"-{a.fixed_size.upper()[:3]}"
    names = [n for n, _ in axes]
    if a.fixed_color and "Color" not in names:
        sku_root += f"-{a.fixed_color.upper()}"
    color_axis = names.index("Color") if "Color" in names else -1

    lo, hi = t.price
    base_price = lo + (hi - lo) * rnd()
    lo, hi = t.grams
    base_grams = lo + (hi - lo) * rnd()
    on_sale = rnd() < SALE_RATE
    sale_factor = 1.15 + 0.30 * rnd()
    cost_factor = 0.32 + 0.23 * rnd()
    # (option values, price multiplier, weight multiplier, SKU suffix)
    combos: list[tuple[tuple[str, ...], float, float, str]] = [((), 1.0, 1.0, sku_root)]
    for _, vals in axes:
        combos = [(c[0] + (v[0],), c[1] * v[2], c[2] * v[3], f"{c[3]}-{v[1]}") for c in combos for v in vals]
    counter = st.ean_counters.get(vendor_code, 0)
    st.ean_counters[vendor_code] = counter + len(combos)
    company_base = 10000 + VENDOR_INDEX[vendor_code] * 4127
    variants = []
    for vals, pm, wm, sku in combos:
        price = _nice_price(rng, base_price * pm)
        qty = 0 if all_zero or rnd() < ZERO_VARIANT_RATE else int(1 + 239 * rnd() ** 2.2)
        grams = int(base_grams * wm)
        n_vals = len(vals)
        variants.append({
            "sku": sku,
            "price": f"{price:.2f}",
            "compare_at_price": f"{_nice_price(rng, price * sale_factor):.2f}" if on_sale else "",
            "barcode": _ean_for(company_base + 97 * (counter // 100000), counter % 100000),
            "option1": vals[0] if n_vals else "Default Title",
            "option2": vals[1] if n_vals > 1 else "",
            "option3": vals[2] if n_vals > 2 else "",
            "inventory_quantity": qty,
            "cost": f"{price * cost_factor:.2f}",
            "grams": grams,
            "weight_unit": "kg" if grams >= 1000 else "g",
            "requires_shipping": True,
            "taxable": True,
            "color": vals[color_axis] if color_axis >= 0 else None,
        })
        counter += 1
    if not all_zero and not any(v["inventory_quantity"] for v in variants):
        variants[_randrange(rng, len(variants))]["inventory_quantity"] = int(1 + 239 * rnd() ** 2.2)
    return names or ["Title"], variants, size_values


def _product_len(axes) -> int:
    n = 1
    for _, v in axes:
        n *= len(v)
    return n


VENDOR_INDEX = {v[1]: i for i, v in enumerate(VENDORS)}


def _plan_block(rng: Random, b: int, carry: dict[str, int]) -> dict[str, Any]:
    """Decide which positions of a block of b products get which role, and form duplicate groups."""
    free = list(range(b))

    def take(k: int) -> list[int]:
        k = min(k, len(free))
        picked = _sample(rng, free, k)
        for p in picked:
            free.remove(p)
        return sorted(picked)

    title_role = ["normal"] * b
    groups: list[tuple[str, list[int], Any]] = []
    k = _k(rng, b, RATES["exact_duplicate_title"]) + carry.get("exact", 0)
    generic_in_exact = 0
    while k >= 2 and len(free) >= 2:
        size = 3 if k >= 3 and k != 4 and rng.random() < 0.25 else 2
        members = take(size)
        is_generic = rng.random() < GENERIC_EXACT_SHARE
        generic_in_exact += len(members) if is_generic else 0
        groups.append(("exact", members, is_generic))
        for p in members:
            title_role[p] = "exact"
        k -= size
    carry["exact"] = k
    k = _k(rng, b, RATES["near_duplicate_title"]) + carry.get("near", 0)
    while k >= 2 and len(free) >= 2:
        size = 3 if k >= 3 and k != 4 and rng.random() < 0.3 else 2
        members = take(size)
        groups.append(("near", members, None))
        for p in members:
            title_role[p] = "near"
        k -= size
    carry["near"] = k
    for role, rate in (("generic", RATES["generic_title"]), ("caps", RATES["all_caps_title"]),
                       ("stuffed", RATES["keyword_stuffed_title"])):
        k = _k(rng, b, rate) - (generic_in_exact if role == "generic" else 0)
        for p in take(max(0, k)):
            title_role[p] = role

    desc_role = ["normal"] * b
    free = list(range(b))
    for role in ("empty", "thin", "shared"):
        for p in take(_k(rng, b, RATES[f"{role}_description"])):
            desc_role[p] = role
    messy_pool = [p for p in range(b) if desc_role[p] in ("normal", "thin")]
    messy = set(_sample(rng, messy_pool, min(len(messy_pool), _k(rng, b, RATES["messy_html"]))))

    seo_title = ["ok"] * b
    free = list(range(b))
    for role in ("missing", "long"):
        for p in take(_k(rng, b, RATES[f"{role}_seo_title"])):
            seo_title[p] = role
    seo_desc = ["ok"] * b
    free = list(range(b))
    for role in ("missing", "long", "short"):
        for p in take(_k(rng, b, RATES[f"{role}_seo_description"])):
            seo_desc[p] = role
    status = ["active"] * b
    free = list(range(b))
    for role in ("draft", "archived"):
        for p in take(_k(rng, b, STATUS_RATES[role])):
            status[p] = role
    all_zero = set(_sample(rng, range(b), min(b, _k(rng, b, ALL_ZERO_STOCK_RATE))))
    return {"title_role": title_role, "groups": groups, "desc_role": desc_role, "messy": messy,
            "seo_title": seo_title, "seo_desc": seo_desc, "status": status, "all_zero": all_zero}


def _block(rng: Random, st: _State, b: int) -> list[Product]:
    plan = _plan_block(rng, b, st.carry)
    title_role = plan["title_role"]
    attrs: list[_Attrs | None] = [None] * b
    titles: list[str] = [""] * b
    flaws: list[set[str]] = [set() for _ in range(b)]

    # Group members after the first derive from the first; everything else is independent.
    follower: dict[int, tuple[str, int, Any]] = {}
    for kind, members, extra in plan["groups"]:
        for m in members[1:]:
            follower[m] = (kind, members[0], extra)

    for i in range(b):
        if i in follower:
            continue
        a = _new_attrs(rng, st)
        attrs[i] = a
        role = title_role[i]
        if role == "caps":
            titles[i] = a.base_title.upper()
        elif role == "stuffed":
            titles[i] = _stuffed_title(rng, a)
            st.used_titles.add(title_key(titles[i]))
        elif role == "generic":
            titles[i] = _generic_title(rng, st, a)
        else:
            titles[i] = a.base_title

    for kind, members, is_generic in plan["groups"]:
        lead = attrs[members[0]]
        if kind == "exact":
            if is_generic:
                titles[members[0]] = _generic_title(rng, st, lead)
            for m in members[1:]:
                a = lead.copy()
                if rng.random() < 0.25:
                    a.vendor = _ch(rng, VENDORS_BY_CAT[a.t.category])
                attrs[m] = a
                titles[m] = titles[members[0]]
            for m in members:
                flaws[m].add("exact_duplicate_title")
                if is_generic:
                    flaws[m].add("generic_title")
        else:  # near duplicates: same base title plus one size or colour word each
            bedding = any(o == "size:bed" for o in lead.t.options)
            use_size = rng.random() < 0.4
            if use_size:
                words = ["Twin", "Full", "Queen", "King"] if bedding else ["Small", "Medium", "Large"]
            else:
                words = PALETTES[lead.t.palette][:]
            _shuffle(rng, words)
            keep_bare = rng.random() < 0.4 and len(members) <= len(words) + 1
            fmt = _ch(rng, ("{t} - {w}", "{t} {w}", "{t} ({w})", "{t}, {w}"))
            for j, m in enumerate(members):
                a = lead.copy() if j else lead
                attrs[m] = a
                if j == 0 and keep_bare:
                    titles[m] = lead.base_title
                    continue
                w = words.pop()
                titles[m] = fmt.format(t=lead.base_title, w=w)
                st.used_titles.add(title_key(titles[m]))
                if use_size:
                    a.fixed_size = w
                else:
                    a.fixed_color = w
            for m in members:
                flaws[m].add("near_duplicate_title")

    for i in range(b):
        if title_role[i] == "generic":
            flaws[i].add("generic_title")

    # Shared manufacturer copy: a text is labelled only once two products carry it.
    desc_role = plan["desc_role"]
    shared_pos = [i for i in range(b) if desc_role[i] == "shared"]
    shared_text: dict[int, int] = {}
    counts = [0, 0, 0]
    for i in shared_pos:
        shared_text[i] = SHARED_FOR_CATEGORY[attrs[i].t.category]
        counts[shared_text[i]] += 1
    for i in shared_pos:
        ti = shared_text[i]
        if counts[ti] + st.shared_uses[ti] >= 2:
            continue
        alt = max(range(3), key=lambda x: (counts[x] + st.shared_uses[x], -x))
        if alt != ti and counts[alt] + st.shared_uses[alt] >= 1:
            counts[ti] -= 1
            counts[alt] += 1
            shared_text[i] = alt
        else:
            desc_role[i] = "normal"
            del shared_text[i]
            counts[ti] -= 1
    for ti in shared_text.values():
        st.shared_uses[ti] += 1

    products = []
    for i in range(b):
        a = attrs[i]
        t = a.t
        title = titles[i]
        handle = _handle(st, title)
        all_zero = i in plan["all_zero"]
        options, variants, size_values = _variants(rng, st, a, all_zero)
        f = _fields(rng, a)
        role = desc_role[i]
        wc = -1  # word count known from construction (clean descriptions only)
        if role == "empty":
            body = ""
        elif role == "shared":
            body = SHARED_TEXTS[shared_text[i]]
        elif role == "thin":
            body = _thin_description(rng, a, f)
        else:
            body, wc = _description(rng, a, f, size_values)
        if i in plan["messy"] and body:
            body = _messy(rng, body)
            wc = -1
            flaws[i].add("messy_html")
        first_text = (" ".join(html.unescape(_TAG_RE.sub(" ", body)).split())
                      if body and plan["seo_desc"][i] == "long" else "")
        seo_title = _seo_title(rng, a, plan["seo_title"][i])
        seo_desc = _seo_description(rng, a, plan["seo_desc"][i], first_text, f)

        # Flaws that are properties of the final values are measured, not assumed.
        if wc < 0:
            wc = word_count(body)
        if not body.strip():
            flaws[i].add("empty_description")
        elif wc < 30:
            flaws[i].add("thin_description")
        if role == "shared":
            flaws[i].add("shared_description")
        if not seo_title:
            flaws[i].add("missing_seo_title")
        elif len(seo_title) > 60:
            flaws[i].add("long_seo_title")
        if not seo_desc:
            flaws[i].add("missing_seo_description")
        elif len(seo_desc) > 160:
            flaws[i].add("long_seo_description")
        elif len(seo_desc) < 70:
            flaws[i].add("short_seo_description")
        if is_all_caps(title):
            flaws[i].add("all_caps_title")
        if is_keyword_stuffed(title):
            flaws[i].add("keyword_stuffed_title")

        colors = [a.fixed_color] if a.fixed_color else a.colors
        status = plan["status"][i]
        st.image_version += 1 + _randrange(rng, 5000)
        has_image = rng.random() >= NO_IMAGE_RATE
        image_url = f"{CDN}/{handle}-1.jpg?v={st.image_version}" if has_image else ""
        alt = ""
        if has_image and rng.random() >= NO_ALT_RATE:
            color_word = colors[0].lower() + " " if colors else ""
            alt = _cap(f"{color_word}{a.material.lower()} {_noun_lower(t.noun)} {ALT_CONTEXT[a.room]}")
        for v in variants:
            color = v.pop("color")
            v["variant_image"] = (f"{CDN}/{handle}-{color.lower()}.jpg?v={st.image_version}"
                                  if color and has_image else "")
            if t.unit == "candle":
                oz = 14 if v["option1"] == "14 oz" or v["option2"] == "14 oz" else 8
                v["unit_price"] = (str(round(oz * 28.35)), "g", "100", "g")
        tags = [a.room, a.material.lower(), a.style] + [c.lower() for c in colors[:3]]
        if variants[0]["compare_at_price"]:
            tags.append("sale")
        x = rng.random()
        if x < 0.10:
            tags.append("new arrival")
        elif x < 0.18:
            tags.append("bestseller")
        elif x < 0.23:
            tags.append("gift idea")
        low_price = float(variants[0]["price"])
        band = "under-50" if low_price < 50 else "50-150" if low_price < 150 else "150-500" if low_price < 500 \
            else "500-plus"
        products.append({
            "handle": handle,
            "title": title,
            "body_html": body,
            "vendor": a.vendor[0],
            "product_category": t.taxonomy,
            "product_type": t.type_name,
            "tags": tags,
            "status": status,
            "published": status == "active",
            "seo_title": seo_title,
            "seo_description": seo_desc,
            "image_url": image_url,
            "image_alt": alt,
            "options": options,
            "variants": variants,
            "color_pattern": "; ".join(c.lower() for c in colors),
            "google_custom_labels": [t.category, band, "", "", ""],
            "category": t.category,
            "collection": a.coll,
            "material": a.material,
            "flaws": [c for c in FLAW_CODES if c in flaws[i]],
        })
    return products


def generate_products(n_products: int, seed: int = DEFAULT_SEED) -> Iterator[Product]:
    """Yield n_products product dicts, deterministically for a given seed.

    Each product has the keys handle, title, body_html, vendor, product_category, product_type,
    tags (list[str]), status ('active'|'draft'|'archived'), seo_title, seo_description, image_alt,
    options (option names; ["Title"] when there are none), variants and flaws (codes from FLAW_CODES, in that
    order), plus extras the CSV writer uses: published, image_url, color_pattern, google_custom_labels,
    category, collection, material. Each variant has sku, price, compare_at_price ('' when not on sale),
    barcode, option1, option2, option3 ('' when unused), inventory_quantity (int), plus cost, grams,
    weight_unit, requires_shipping, taxable, variant_image and, for candles, unit_price.

    Streams block by block (200 products); only uniqueness sets persist between blocks.
    """
    rng = Random(seed)
    st = _State()
    done = 0
    while done < n_products:
        b = min(BLOCK, n_products - done)
        yield from _block(rng, st, b)
        done += b


# --------------------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------------------


def _bool(x: Any) -> str:
    return "TRUE" if x else "FALSE"


def _current_rows(p: Product) -> Iterator[list[Any]]:
    options = list(p.get("options") or ["Title"])
    names = options + [""] * (3 - len(options))
    status = (p.get("status") or "active").lower()
    labels = list(p.get("google_custom_labels") or [])
    labels += [""] * (5 - len(labels))
    for n, v in enumerate(p.get("variants") or [{}]):
        first = n == 0
        unit = v.get("unit_price") or ("", "", "", "")
        grams = v.get("grams", "")
        row = [
            p.get("title", "") if first else "",
            p["handle"],
            p.get("body_html", "") if first else "",
            p.get("vendor", "") if first else "",
            p.get("product_category", "") if first else "",
            p.get("product_type", "") if first else "",
            ", ".join(p.get("tags") or []) if first else "",
            _bool(p.get("published", status == "active")) if first else "",
            status.capitalize() if first else "",
            v.get("sku", ""),
            v.get("barcode", ""),
            names[0] if first else "", v.get("option1", "") or "", "",
            names[1] if first else "", v.get("option2", "") or "", "",
            names[2] if first else "", v.get("option3", "") or "", "",
            v.get("price", ""),
            v.get("compare_at_price", "") or "",
            v.get("cost", ""),
            _bool(v.get("taxable", True)),
            "",
            unit[0], unit[1], unit[2], unit[3],
            "shopify",
            v.get("inventory_quantity", 0),
            "DENY",
            grams,
            v.get("weight_unit", "kg"),
            _bool(v.get("requires_shipping", True)),
            "manual",
            p.get("image_url", "") if first else "",
            (1 if p.get("image_url") else "") if first else "",
            p.get("image_alt", "") if first else "",
            v.get("variant_image", ""),
            "FALSE" if first else "",
            p.get("seo_title", "") if first else "",
            p.get("seo_description", "") if first else "",
            p.get("color_pattern", "") if first else "",
            "", "", "", "", "", "",
            "new" if first else "",
            "FALSE" if first else "",
        ] + (labels if first else [""] * 5)
        yield row


def _legacy_rows(p: Product) -> Iterator[list[Any]]:
    options = list(p.get("options") or ["Title"])
    names = options + [""] * (3 - len(options))
    status = (p.get("status") or "active").lower()
    for n, v in enumerate(p.get("variants") or [{}]):
        first = n == 0
        unit = v.get("unit_price") or ("", "", "", "")
        yield [
            p["handle"],
            p.get("title", "") if first else "",
            p.get("body_html", "") if first else "",
            p.get("vendor", "") if first else "",
            p.get("product_category", "") if first else "",
            p.get("product_type", "") if first else "",
            ", ".join(p.get("tags") or []) if first else "",
            _bool(p.get("published", status == "active")) if first else "",
            names[0] if first else "", v.get("option1", "") or "", "",
            names[1] if first else "", v.get("option2", "") or "", "",
            names[2] if first else "", v.get("option3", "") or "", "",
            v.get("sku", ""),
            v.get("grams", ""),
            "shopify",
            v.get("inventory_quantity", 0),
            "deny",
            "manual",
            v.get("price", ""),
            v.get("compare_at_price", "") or "",
            _bool(v.get("requires_shipping", True)),
            _bool(v.get("taxable", True)),
            unit[0], unit[1], unit[2], unit[3],
            v.get("barcode", ""),
            p.get("image_url", "") if first else "",
            (1 if p.get("image_url") else "") if first else "",
            p.get("image_alt", "") if first else "",
            "FALSE" if first else "",
            p.get("seo_title", "") if first else "",
            p.get("seo_description", "") if first else "",
            p.get("color_pattern", "") if first else "",
            v.get("variant_image", ""),
            v.get("weight_unit", "kg"),
            "",
            v.get("cost", ""),
            status if first else "",
        ]


def write_csv(products: Iterable[Product], path: str | Path, dialect: str = "current") -> tuple[int, int]:
    """Write products as a Shopify product CSV; returns (products, rows). dialect: 'current' or 'legacy'."""
    if dialect not in ("current", "legacy"):
        raise ValueError(f"unknown dialect {dialect!r} (expected 'current' or 'legacy')")
    header, rows_of = (CURRENT_HEADER, _current_rows) if dialect == "current" else (LEGACY_HEADER, _legacy_rows)
    n_products = n_rows = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for p in products:
            n_products += 1
            for row in rows_of(p):
                w.writerow(row)
                n_rows += 1
    return n_products, n_rows


def write_labels(products: Iterable[Product], path: str | Path) -> int:
    """Write `handle,flaw` rows (one per flaw per product); returns the number of rows."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["handle", "flaw"])
        for p in products:
            for flaw in p.get("flaws") or []:
                w.writerow([p["handle"], flaw])
                n += 1
    return n


# --------------------------------------------------------------------------------------------------------
# Search Console queries
# --------------------------------------------------------------------------------------------------------

_QUERY_NOUNS = {
    "Duvet Cover": ["duvet cover"], "Sheet Set": ["sheets", "sheet set"], "Pillowcase Pair": ["pillowcases"],
    "Throw Blanket": ["throw blanket", "throw"], "Cushion Cover": ["pillow cover", "cushion cover"],
    "Quilt": ["quilt"], "Tablecloth": ["tablecloth"], "Napkin Set": ["napkins"], "Table Runner": ["table runner"],
    "Area Rug": ["rug", "area rug"], "Curtain Panel": ["curtains"], "Table Lamp": ["table lamp"],
    "Floor Lamp": ["floor lamp"], "Pendant Light": ["pendant light"], "Wall Sconce": ["wall sconce"],
    "Desk Lamp": ["desk lamp"], "Lampshade": ["lamp shade"], "Scented Candle": ["candle", "scented candle"],
    "Dinner Plate": ["dinner plates"], "Serving Bowl": ["serving bowl"], "Mug": ["mug", "coffee mug"],
    "Tumbler": ["drinking glasses", "tumblers"], "Cutting Board": ["cutting board"],
    "Dutch Oven": ["dutch oven"], "Salad Servers": ["salad servers"], "Storage Jar": ["storage jars"],
    "Tea Towel": ["tea towels", "kitchen towels"], "Serving Platter": ["serving platter"],
    "Teapot": ["teapot"], "Dining Chair": ["dining chairs", "dining chair"], "Coffee Table": ["coffee table"],
    "Side Table": ["side table"], "Bookcase": ["bookcase", "bookshelf"], "Bench": ["bench", "entryway bench"],
    "Pouf": ["pouf", "ottoman"], "Counter Stool": ["counter stools", "bar stools"],
    "Lounge Chair": ["accent chair", "lounge chair"], "Console Table": ["console table"], "Vase": ["vase"],
    "Wall Mirror": ["wall mirror", "mirror"], "Storage Basket": ["storage basket", "basket"],
    "Candle Holder": ["candle holders", "candlestick holders"], "Art Print": ["art print", "wall art"],
    "Planter": ["planter", "plant pot"], "Wall Clock": ["wall clock"], "Decorative Tray": ["decorative tray"],
    "Bath Towel": ["bath towels", "towels"], "Bath Mat": ["bath mat"], "Shower Curtain": ["shower curtain"],
    "Bathrobe": ["bathrobe", "robe"], "Soap Dispenser": ["soap dispenser"], "Bath Caddy": ["bath caddy"],
    "Toothbrush Holder": ["toothbrush holder"],
}
_QUERY_COLORS = ["white", "black", "green", "sage green", "beige", "grey", "navy", "blue", "pink", "cream",
                 "terracotta", "brown"]
_QUERY_STYLES = ["modern", "boho", "mid century", "scandinavian", "vintage", "minimalist", "farmhouse",
                 "japandi"]
_QUERY_INTENTS = ["best {q}", "{q} sale", "cheap {q}", "{q} set", "luxury {q}", "handmade {q}",
                  "{q} near me", "how to clean {q}", "{q} for {room}", "organic {q}", "{q} ideas"]


def generate_queries(seed: int = DEFAULT_SEED, n_queries: int = DEFAULT_QUERIES) -> list[list[Any]]:
    """Rows of a GSC Queries export (header QUERIES_HEADER), sorted by clicks descending."""
    rng = Random(seed * 7919 + 17)
    cands: dict[str, tuple[float, str]] = {}

    def add(q: str, demand: float, kind: str) -> None:
        q = " ".join(q.lower().split())
        if q not in cands or cands[q][0] < demand:
            cands[q] = (demand, kind)

    for t in TYPES:
        pop = t.weight * 10
        for qi, qn in enumerate(_QUERY_NOUNS[t.noun]):
            qpop = pop / (1 + qi)
            add(qn, 40 * qpop, "head")
            for m in t.materials:
                mw = m.lower().replace("bouclé", "boucle")
                mq = f"{mw} {qn}"
                add(mq, 8 * qpop * rng.uniform(0.3, 1.5), "mid")
                for s in t.query_sizes:
                    add(f"{mq} {s}", 1.5 * qpop * rng.uniform(0.2, 1.2), "tail")
                for c in _sample(rng, _QUERY_COLORS, 3):
                    add(f"{c} {mq}", 0.8 * qpop * rng.uniform(0.2, 1.2), "tail")
            for s in t.query_sizes:
                add(f"{qn} {s}", 3 * qpop * rng.uniform(0.3, 1.2), "mid")
            for sty in _sample(rng, _QUERY_STYLES, 3):
                add(f"{sty} {qn}", 2 * qpop * rng.uniform(0.3, 1.2), "mid")
            for it in _sample(rng, _QUERY_INTENTS, 4):
                add(it.format(q=qn, room=_ch(rng, t.rooms)), 1.2 * qpop * rng.uniform(0.2, 1.2), "tail")
    for v in VENDORS:
        add(v[0].replace("&", "and").replace(".", ""), rng.uniform(0.2, 1.2), "brand")
        t = _ch(rng, [x for x in TYPES if x.category in v[2]])
        add(f"{v[0].replace('&', 'and').replace('.', '')} {_QUERY_NOUNS[t.noun][0]}", rng.uniform(0.2, 1.0), "brand")
    add("hollis and fern", 6, "store")
    add("hollis & fern", 0.8, "store")
    add("hollis and fern discount code", 0.5, "store")
    add("hollis fern reviews", 0.3, "store")

    keyed = sorted(cands.items(), key=lambda kv: -kv[1][0] * rng.lognormvariate(0, 0.4))
    picked = keyed[:n_queries]
    rows = []
    for rank, (q, (_, kind)) in enumerate(picked):
        impressions = max(1, int(110000 * (rank + 1) ** -1.15 * rng.lognormvariate(0, 0.25)))
        if kind == "head":
            pos = rng.uniform(9, 38)
        elif kind == "mid":
            pos = rng.uniform(4, 18)
        elif kind in ("brand", "store"):
            pos = rng.uniform(1.0, 2.4)
        else:
            pos = rng.uniform(1.5, 14)
        ctr = (0.32 / pos ** 1.35) * rng.lognormvariate(0, 0.3)
        if kind in ("brand", "store"):
            ctr = min(0.65, ctr * 1.8)
        clicks = min(impressions, int(impressions * ctr + rng.random()))
        rows.append([q, clicks, impressions, f"{100 * clicks / impressions:.2f}%", f"{pos:.2f}"])
    rows.sort(key=lambda r: (-r[1], -r[2], r[0]))
    return rows


def write_queries(path: str | Path, seed: int = DEFAULT_SEED, n_queries: int = DEFAULT_QUERIES) -> int:
    """Write the GSC Queries export; returns the number of query rows."""
    rows = generate_queries(seed, n_queries)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(QUERIES_HEADER)
        w.writerows(rows)
    return len(rows)


# --------------------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--products", type=int, default=DEFAULT_PRODUCTS, help="number of products (default 1200)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    ap.add_argument("--out", type=Path, default=None, help="products CSV (default catalog_samples/products.csv)")
    ap.add_argument("--labels", type=Path, default=None,
                    help="labels CSV (default catalog_samples/labels.csv, or <out stem>.labels.csv with --out)")
    ap.add_argument("--queries", type=Path, default=None,
                    help="GSC queries CSV (default catalog_samples/gsc_queries.csv when --out is not given)")
    ap.add_argument("--dialect", choices=("current", "legacy"), default="current")
    args = ap.parse_args(argv)
    if args.products < 1:
        ap.error("--products must be at least 1")

    out = args.out or HERE / "products.csv"
    labels_path = args.labels or (HERE / "labels.csv" if args.out is None
                                  else out.with_name(out.stem + ".labels.csv"))
    queries_path = args.queries or (HERE / "gsc_queries.csv" if args.out is None else None)

    started = time.perf_counter()
    labels: list[Product] = []
    flaw_counts = dict.fromkeys(FLAW_CODES, 0)

    def tap(products: Iterable[Product]) -> Iterator[Product]:
        for p in products:
            labels.append({"handle": p["handle"], "flaws": p["flaws"]})
            for fl in p["flaws"]:
                flaw_counts[fl] += 1
            yield p

    n_products, n_rows = write_csv(tap(generate_products(args.products, args.seed)), out, args.dialect)
    n_labels = write_labels(labels, labels_path)
    n_queries = write_queries(queries_path, args.seed) if queries_path else 0
    elapsed = time.perf_counter() - started
    rates = " ".join(f"{code}={100 * c / n_products:.1f}%" for code, c in flaw_counts.items())
    print(f"{n_products} products, {n_rows} variant rows, {n_labels} labels, {n_queries} queries "
          f"in {elapsed:.1f}s -> {out} | {rates}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
