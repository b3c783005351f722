from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pipeline.shopify.csv_format import CURRENT_HEADER, LEGACY_HEADER

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CSV = PROJECT_ROOT / "catalog_samples" / "products.csv"


def shopify_csv(rows: list[dict[str, str]], header: list[str] | None = None) -> str:
    """A product CSV text in the given header (current dialect by default); missing cells are blank."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or CURRENT_HEADER, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


@pytest.fixture
def workspace_args(tmp_path: Path) -> list[str]:
    """CLI options that keep a test's workspace in its own temporary folder."""
    return ["--workspace", str(tmp_path / "ws"), "--store", "t"]


@pytest.fixture
def small_catalog_rows() -> list[dict[str, str]]:
    return [
        {"Title": "Linen Duvet Cover", "URL handle": "linen-duvet-cover", "Description": "<p>Washed linen.</p>",
         "Vendor": "Nordhaus", "Type": "Duvet Cover", "Tags": "bedroom, linen", "Status": "Active",
         "Published on online store": "TRUE", "Option1 name": "Size", "Option1 value": "Queen",
         "SKU": "NH-DUV-Q", "Price": "129.00", "Inventory quantity": "4", "SEO title": "Linen duvet cover",
         "SEO description": "A washed linen duvet cover."},
        {"URL handle": "linen-duvet-cover", "Option1 value": "King", "SKU": "NH-DUV-K", "Price": "149.00",
         "Inventory quantity": "0"},
        {"Title": "Brass Floor Lamp", "URL handle": "brass-floor-lamp", "Description": "<p>Solid brass.</p>",
         "Vendor": "Lumen", "Type": "Floor Lamp", "Status": "Active", "Option1 name": "Title",
         "Option1 value": "Default Title", "SKU": "LU-LAMP", "Price": "220.00", "Inventory quantity": "2"},
    ]


__all__ = ["shopify_csv", "LEGACY_HEADER", "CURRENT_HEADER", "SAMPLE_CSV", "PROJECT_ROOT"]


@pytest.fixture(autouse=True)
def _no_provider_or_store_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's OPENAI_* or SHOPIFY_* variables must never reach a test: a test that needs one sets it."""
    import os

    for name in list(os.environ):
        if name.startswith(("OPENAI_", "SHOPIFY_")):
            monkeypatch.delenv(name)
    # `make test` exports it (Makefile); messages are asserted in their seo-pipeline form unless a test sets it
    monkeypatch.delenv("SEO_PIPELINE_VIA_MAKE", raising=False)
