"""The audit of collections: intro copy, SEO fields, size, products in no collection, collections that compete."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.config import load_settings
from pipeline.core import collections as coll
from pipeline.errors import ConfigError
from pipeline.stages.audit import audit_config
from pipeline.stages.audit.collections import (
    COLLECTIONS_AUDIT_SCHEMA,
    CollectionAuditConfig,
    check_collections,
    query_key,
    render_section,
)
from tests.conftest import shopify_csv

WORDS = " ".join(f"word{i}" for i in range(60))


def products() -> coll.Products:
    rows = [{"handle": f"lamp-{i}", "title": f"Lamp {i}", "product_type": "Lamps", "status": "active"}
            for i in range(5)]
    rows += [{"handle": "lamp-draft", "title": "Draft lamp", "product_type": "Lamps", "status": "draft"},
             {"handle": "lonely-rug", "title": "Lonely rug", "product_type": "Rugs", "status": "active"},
             {"handle": "old-rug", "title": "Old rug", "product_type": "Rugs", "status": "archived"}]
    return coll.Products.from_rows(rows)


def collection(handle: str, members: list[str], **fields) -> dict:
    values = {"handle": handle, "title": handle.replace("-", " ").title(), "source": "store",
              "description": f"<p>{WORDS}</p>", "seo_title": f"{handle} title",
              "seo_description": f"{handle} description for the page", "product_handles": members}
    return coll.empty_row(**{**values, **fields})


LAMPS = [f"lamp-{i}" for i in range(5)]


def findings(rows: list[dict], config: CollectionAuditConfig | None = None):
    result = check_collections(rows, products(), config or CollectionAuditConfig())
    frame = result.findings
    return result, {(r["handle"], r["code"]): r for r in frame.to_dict("records")}


def test_a_well_kept_collection_has_no_finding():
    result, found = findings([collection("lamps", LAMPS), collection("rugs", ["lonely-rug", "old-rug"],
                                                                     description=f"<p>Rugs: {WORDS}</p>")])
    assert list(found) == [("rugs", "collection_few_products")]
    assert list(result.findings.columns) == COLLECTIONS_AUDIT_SCHEMA.names


def test_missing_and_thin_copy_and_missing_or_long_seo_fields():
    rows = [collection("lamps", LAMPS, description="", seo_title="", seo_description=""),
            collection("reading-lamps", LAMPS[:3], description="<p>Three short words.</p>",
                       seo_title="x" * 70, seo_description="y" * 170)]
    _, found = findings(rows)
    assert found[("lamps", "collection_missing_description")]["severity"] == "high"
    assert found[("lamps", "collection_missing_seo_title")]["severity"] == "medium"
    assert ("lamps", "collection_missing_seo_description") in found
    assert found[("reading-lamps", "collection_thin_description")]["evidence"].startswith("3 words of intro copy")
    assert ("reading-lamps", "collection_long_seo_title") in found
    assert ("reading-lamps", "collection_long_seo_description") in found


def test_a_proposals_missing_copy_is_low_severity_and_says_why():
    _, found = findings([collection("lamps", LAMPS, description="", seo_title="", source="proposed")])
    missing = found[("lamps", "collection_missing_description")]
    assert missing["severity"] == "low" and "a proposal" in missing["evidence"]
    assert found[("lamps", "collection_missing_seo_title")]["severity"] == "low"


def test_duplicate_copy_and_seo_fields_are_grouped():
    rows = [collection("lamps", LAMPS, seo_title="Lamps | Shop"),
            collection("lighting", LAMPS[:4], seo_title="lamps |  shop", description="<p>other</p>"),
            collection("bright-lamps", LAMPS[1:], seo_description="lamps description for the page")]
    _, found = findings(rows)
    one, two = found[("lamps", "collection_duplicate_seo_title")], found[("lighting", "collection_duplicate_seo_title")]
    assert one["group_id"] == two["group_id"] and "lighting" in one["evidence"]
    assert ("bright-lamps", "collection_duplicate_seo_description") in found
    assert ("lamps", "collection_duplicate_description") in found and \
        ("bright-lamps", "collection_duplicate_description") in found


def test_a_collection_with_fewer_active_products_than_the_setting_is_flagged():
    rows = [collection("lamps", LAMPS), collection("draft-lamps", ["lamp-draft", "lamp-0"])]
    _, found = findings(rows)
    assert found[("draft-lamps", "collection_few_products")]["evidence"] == "1 active product of 2 (under 3)"
    _, stricter = findings(rows, CollectionAuditConfig(min_collection_products=6))
    assert ("lamps", "collection_few_products") in stricter


def test_active_products_in_no_store_collection_are_findings_about_the_product():
    rows = [collection("lamps", LAMPS), coll.empty_row(handle="rugs", title="Rugs", source="proposed",
                                                       product_handles=["lonely-rug"])]
    result, found = findings(rows)
    orphan = found[("lonely-rug", "product_without_collection")]
    assert orphan["resource"] == "product" and "a proposed collection would hold it" in orphan["evidence"]
    assert ("old-rug", "product_without_collection") not in found  # archived: not on the storefront
    assert result.judged_by == "store"
    _, offline = findings([coll.empty_row(handle="lamps", title="Lamps", product_handles=LAMPS)])
    assert ("lonely-rug", "product_without_collection") in offline  # no store collections: the file's


def test_collections_competing_for_one_query_or_one_set_of_products():
    rows = [collection("linen-sheets", LAMPS[:3]), collection("sheets-linen", LAMPS[3:], title="Sheet, Linen"),
            collection("lamps", LAMPS), collection("all-lamps", LAMPS, title="Every lamp we sell")]
    _, found = findings(rows)
    one, two = found[("linen-sheets", "collections_competing")], found[("sheets-linen", "collections_competing")]
    assert one["group_id"] == two["group_id"] and "same query ('linen sheet')" in one["evidence"]
    same = found[("lamps", "collections_competing")]
    assert "100% the same active products" in same["evidence"] and found[("all-lamps", "collections_competing")]
    assert query_key("Linen Sheets") == query_key("sheet linen") == query_key("the best linen sheets")


def test_the_html_section_escapes_what_merchants_typed():
    result, _ = findings([collection("lamps", LAMPS, title="<script>alert(1)</script>", description="")])
    page = render_section(result)
    assert "<script>alert" not in page and "&lt;script&gt;" in page and 'id="collections"' in page


def test_min_collection_products_is_an_audit_setting(tmp_path: Path):
    config = tmp_path / "seo.toml"
    config.write_text("[audit]\nmin_collection_products = 5\n", encoding="utf-8")
    assert audit_config(load_settings(config)).min_collection_products == 5
    (tmp_path / "empty.toml").write_text("", encoding="utf-8")
    assert audit_config(load_settings(tmp_path / "empty.toml")).min_collection_products == 3
    config.write_text("[audit]\nmin_collection_products = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="min_collection_products must be at least 1"):
        audit_config(load_settings(config))


def test_the_audit_command_writes_the_collections_audit_beside_the_product_audit(tmp_path, workspace_args, capsys):
    rows = [{"Title": f"Jute Rug {i}", "URL handle": f"jute-rug-{i}", "Type": "Rugs", "Status": "Active",
             "SKU": f"R{i}", "Description": f"<p>{WORDS}</p>"} for i in range(2)]
    rows.append({"Title": "New thing", "URL handle": "new-thing", "Type": "Sale", "Status": "Active", "SKU": "N"})
    path = tmp_path / "products.csv"
    path.write_text(shopify_csv(rows), encoding="utf-8")
    assert main([*workspace_args, "pull", "--csv", str(path)]) == 0
    assert main([*workspace_args, "audit"]) == 0
    capsys.readouterr()
    store = tmp_path / "ws" / "t"
    product_findings = pq.read_table(store / "audit.parquet").to_pandas()
    assert not product_findings["code"].str.startswith(("collection", "product_without")).any()  # apart
    collection_findings = pq.read_table(store / "collections_audit.parquet").to_pandas()
    assert set(collection_findings["handle"]) == {"jute-rug-0", "jute-rug-1", "new-thing"}  # 2 rugs make no page
    assert set(collection_findings["code"]) == {"product_without_collection"}
    with open(store / "collections_audit.csv", encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 3
    assert 'id="collections"' in (store / "audit.html").read_text(encoding="utf-8")
