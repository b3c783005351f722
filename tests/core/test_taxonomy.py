"""The taxonomy vocabulary (pipeline/core/taxonomy.py) on the committed data from Shopify's product taxonomy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.core import taxonomy
from pipeline.core.taxonomy import category_for, translate_category_noun, translate_unambiguous, translate_value

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "pipeline" / "data" / "taxonomy"
BUILD = PROJECT_ROOT / "scripts" / "build_taxonomy.py"
# Where a copy of the source may be: a git dir or a folder in the product-taxonomy layout (e.g. the transcribed
# excerpt SOURCE.md describes). The rebuild check is skipped when none is present.
SOURCE_CANDIDATES = [os.environ.get("PRODUCT_TAXONOMY_SOURCE", ""), "/work/taxonomy-src/excerpt"]


def test_bracelets_category_has_names_in_every_locale() -> None:
    bracelets = category_for("Sterling Silver Charm Bracelet")
    assert bracelets is not None
    assert bracelets.id == "aa-6-3"
    assert bracelets.gid == "gid://shopify/TaxonomyCategory/aa-6-3"
    assert bracelets.full_path("en") == "Apparel & Accessories > Jewelry > Bracelets"
    assert bracelets.full_path("de") == "Bekleidung & Accessoires > Schmuck > Armbänder"
    assert (bracelets.name("fr"), bracelets.name("de"), bracelets.name("es")) == ("Bracelets", "Armbänder", "Pulseras")
    assert bracelets.parent is not None and bracelets.parent.name("en") == "Jewelry"


def test_category_by_shopify_category_wins_over_the_title() -> None:
    by_gid = category_for("Gold Hoop Earrings", category="gid://shopify/TaxonomyCategory/aa-6-3")
    by_path = category_for(category="Apparel & Accessories > Jewelry > Bracelets")
    assert by_gid is not None and by_gid.id == "aa-6-3"
    assert by_path is not None and by_path.id == "aa-6-3"


@pytest.mark.parametrize(
    ("title", "product_type", "expected"),
    [
        ("Gold Hoop Earrings", None, "aa-6-6"),
        ("Bracelet with Heart Charm", None, "aa-6-3"),  # the noun before "with", not the charm
        ("Women's Linen Dress - Blue", None, "aa-1-4"),
        ("Short Sleeve T-Shirt", None, "aa-1-13-8"),  # "T-Shirt" is the head, not "Short"
        ("Leather Wallet", None, "aa-5-5-7"),  # the exact name beats the "Handbags, Wallets & Cases" group
        ("Silk Scarf", None, "aa-2-26"),  # scarf / scarves
        ("Anything at all", "Rings", "aa-6-9"),  # the product type before the title
    ],
)
def test_category_by_head_noun(title: str, product_type: str | None, expected: str) -> None:
    found = category_for(title, product_type=product_type)
    assert found is not None and found.id == expected


def test_unknown_product_has_no_category() -> None:
    assert category_for("Quantum Flux Capacitor") is None
    assert category_for("Canvas Tote Bag") is None  # no tote category; "Muff Clutches & Bags" is not a guess
    assert category_for("") is None
    assert category_for(category="gid://shopify/TaxonomyCategory/zz-1") is None


def test_black_translates_as_a_colour() -> None:
    assert [translate_value("color", "Black", loc) for loc in ("fr", "de", "es")] == ["Noir", "Schwarz", "Negro"]
    assert translate_value("Colour", "navy", "de") == "Marineblau"  # English name or handle, any case
    assert translate_value("fabric", "Cotton", "de") == "Baumwolle"
    assert translate_value("Sleeve length type", "Sleeveless", "fr") == "Sans manches"


def test_unknown_or_rejected_terms_give_none() -> None:
    assert translate_value("color", "Chartreuse", "fr") is None
    assert translate_value("no_such_attribute", "Black", "fr") is None
    assert translate_value("color", "Black", "it") is None
    assert translate_value("color", "Clear", "fr") is None  # the source's "Clair" means light
    assert translate_value("fabric", "Suede", "fr") is None  # the source's "Suède" is Sweden
    assert translate_category_noun(category_for("Red High Heels"), "de") is None  # the source's "Fersen"
    assert translate_category_noun(category_for("Wool Coat"), "fr") is None  # "Coats & Jackets" names a group
    assert translate_category_noun(category_for("Sneakers"), "fr") == "Baskets"


def test_unambiguous_value_needs_every_attribute_to_agree() -> None:
    assert translate_unambiguous("Cotton", "de") == "Baumwolle"
    assert translate_unambiguous("Gold", "es") is None  # colour "Dorado" but the jewellery material was rejected
    assert translate_unambiguous("Gold", "es", attributes=["color"]) == "Dorado"


def test_data_records_its_source_and_licence() -> None:
    data = json.loads((DATA_DIR / "taxonomy.json").read_text(encoding="utf-8"))
    assert data["source"]["repo"] == "Shopify/product-taxonomy"
    assert data["source"]["commit"] and data["source"]["version"]
    assert "Permission is hereby granted" in (DATA_DIR / "LICENSE").read_text(encoding="utf-8")
    assert (DATA_DIR / "SOURCE.md").is_file()


def test_data_stays_small_and_loads_fast() -> None:
    size = sum(path.stat().st_size for path in DATA_DIR.iterdir() if path.is_file())
    assert size < 3 * 1024 * 1024
    taxonomy.load.cache_clear()
    started = time.perf_counter()
    loaded = taxonomy.load()
    assert time.perf_counter() - started < 0.3
    assert len(loaded.categories) > 400


def test_build_check_passes_on_the_committed_data() -> None:
    source = next((Path(p) for p in SOURCE_CANDIDATES if p and Path(p).exists()), None)
    if source is None:
        pytest.skip("no copy of Shopify/product-taxonomy here (set PRODUCT_TAXONOMY_SOURCE)")
    done = subprocess.run(
        [sys.executable, str(BUILD), str(source), "--check"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
