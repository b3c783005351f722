"""links: which products may be linked, the inbound cap, orphan repair, anchors, reasons and failure paths."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.core.catalog import write_catalog
from pipeline.stages.links.balance import balance_links
from pipeline.state.store import StateStore

STORE_ARGS = ["--store", "t"]


def product(handle: str, title: str, product_type: str, *, tags: tuple[str, ...] = (), status: str = "active",
            inventory: int | None = 5, published: bool | None = True, collections: tuple[str, ...] = (),
            vendor: str = "Nordhaus", color: str = "Natural") -> dict:
    return {"id": f"gid://shopify/Product/{abs(hash(handle)) % 10**9}", "handle": handle, "title": title,
            "body_html": f"<p>{title}.</p>", "vendor": vendor, "product_type": product_type, "tags": list(tags),
            "status": status, "published": published, "collections": list(collections),
            "options": ["Color"],
            "variants": [{"sku": f"{handle}-1", "price": "10.00", "option1": color, "inventory_quantity": inventory}]}


def bedroom_catalog() -> list[dict]:
    """Linen bedding of several kinds, plus products that must never be linked to."""
    products = [
        product("linen-duvet-cover-white", "Linen Duvet Cover White", "Duvet Cover", tags=("linen", "bedroom")),
        product("linen-duvet-cover-sand", "Linen Duvet Cover Sand", "Duvet Cover", tags=("linen", "bedroom")),
        product("linen-duvet-cover-grey", "Linen Duvet Cover Grey", "Duvet Cover", tags=("linen", "bedroom")),
        product("cotton-duvet-cover", "Cotton Percale Duvet Cover", "Duvet Cover", tags=("cotton", "bedroom")),
        product("linen-pillowcase-pair", "Linen Pillowcase Pair", "Pillowcase", tags=("linen", "bedroom")),
        product("linen-pillowcase-oxford", "Linen Oxford Pillowcase", "Pillowcase", tags=("linen", "bedroom")),
        product("linen-fitted-sheet", "Linen Fitted Sheet", "Sheet", tags=("linen", "bedroom")),
        product("linen-flat-sheet", "Linen Flat Sheet", "Sheet", tags=("linen", "bedroom")),
        # Never a target: each is a near twin of the duvet covers above.
        product("linen-duvet-cover-draft", "Linen Duvet Cover Draft", "Duvet Cover", tags=("linen", "bedroom"),
                status="draft"),
        product("linen-duvet-cover-old", "Linen Duvet Cover Old", "Duvet Cover", tags=("linen", "bedroom"),
                status="archived"),
        product("linen-duvet-cover-sold-out", "Linen Duvet Cover Sold Out", "Duvet Cover",
                tags=("linen", "bedroom"), inventory=0),
        product("linen-duvet-cover-hidden", "Linen Duvet Cover Hidden", "Duvet Cover", tags=("linen", "bedroom"),
                published=False),
    ]
    return products


def targets_for(products: list[dict], *, skip: tuple[str, ...] = ()) -> pd.DataFrame:
    rows = []
    for p in products:
        if p["handle"] in skip:
            continue
        words = p["title"].lower()
        rows.append({"product_id": p["id"], "handle": p["handle"], "locale": "en", "keyword": words,
                     "role": "primary", "source": "derived", "score": 1.0, "demand": None, "reason": "title"})
        rows.append({"product_id": p["id"], "handle": p["handle"], "locale": "en", "keyword": f"{words} online",
                     "role": "secondary", "source": "derived", "score": 0.5, "demand": None, "reason": "title"})
    return pd.DataFrame(rows)


def setup_store(tmp_path: Path, products: list[dict], targets: pd.DataFrame | None = None,
                config: str = "") -> list[str]:
    root = tmp_path / "ws" / "t"
    root.mkdir(parents=True, exist_ok=True)
    write_catalog(root / "catalog.parquet", products)
    (targets_for(products) if targets is None else targets).to_parquet(root / "targets.parquet")
    config_path = tmp_path / "seo.toml"
    config_path.write_text('[pipeline]\nlocales = ["en"]\n' + config)
    return ["--workspace", str(tmp_path / "ws"), "--config", str(config_path), *STORE_ARGS]


def run_links(args: list[str], capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = main([*args, "links", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def read_links(tmp_path: Path) -> pd.DataFrame:
    return pd.read_parquet(tmp_path / "ws" / "t" / "links.parquet")


def test_links_never_point_to_self_drafts_archived_hidden_or_sold_out(tmp_path, capsys):
    products = bedroom_catalog()
    code, out, err = run_links(setup_store(tmp_path, products), capsys)
    assert code == 0, err
    assert out.startswith("links: ") and "orphans 0" in out
    links = read_links(tmp_path)
    product_links = links[links["target_kind"] == "product"]
    assert len(product_links) > 0
    never = {"linen-duvet-cover-draft", "linen-duvet-cover-old", "linen-duvet-cover-sold-out",
             "linen-duvet-cover-hidden"}
    assert not set(product_links["target_handle"]) & never
    assert not (links["source_handle"] == links["target_handle"]).any()
    assert not links.duplicated(["source_handle", "target_kind", "target_handle"]).any()
    # Only active products link out; the sold-out and hidden ones are active, so they may.
    assert not set(links["source_handle"]) & {"linen-duvet-cover-draft", "linen-duvet-cover-old"}
    assert "linen-duvet-cover-sold-out" in set(links["source_handle"])


def test_every_source_gets_between_min_and_max_links(tmp_path, capsys):
    products = bedroom_catalog()
    args = setup_store(tmp_path, products, config="[links]\nlinks_min = 3\nlinks_max = 4\n")
    code, _, err = run_links(args, capsys)
    assert code == 0, err
    per_source = read_links(tmp_path).groupby("source_handle").size()
    active = [p["handle"] for p in products if p["status"] == "active"]
    assert set(per_source.index) == set(active)
    assert per_source.min() >= 3 and per_source.max() <= 4


def test_links_have_the_contract_columns_and_reasons(tmp_path, capsys):
    products = bedroom_catalog()
    code, _, err = run_links(setup_store(tmp_path, products), capsys)
    assert code == 0, err
    links = read_links(tmp_path)
    assert list(links.columns) == ["source_product_id", "source_handle", "target_kind", "target_id",
                                   "target_handle", "anchor", "reason", "score"]
    ids = {p["handle"]: p["id"] for p in products}
    product_links = links[links["target_kind"] == "product"]
    assert (product_links["target_id"] == product_links["target_handle"].map(ids)).all()
    assert (links["source_product_id"] == links["source_handle"].map(ids)).all()
    reasons = " | ".join(product_links["reason"])
    assert "same collection: Duvet Cover" in reasons
    assert "complementary type: " in reasons
    assert "same material or style: " in reasons and "linen" in reasons


def test_collection_pages_come_from_product_types_when_the_store_has_no_collections(tmp_path, capsys):
    products = [*bedroom_catalog(), product("wool-throw", "Wool Throw Blanket", "Throw", tags=("wool",))]
    code, _, err = run_links(setup_store(tmp_path, products), capsys)
    assert code == 0, err
    links = read_links(tmp_path)
    collections = links[links["target_kind"] == "collection"]
    by_source = dict(zip(collections["source_handle"], collections["target_handle"], strict=True))
    assert by_source["linen-duvet-cover-white"] == "duvet-cover"
    assert by_source["linen-fitted-sheet"] == "sheet"
    # One product of its type is not a collection worth linking to.
    assert "wool-throw" not in by_source
    assert collections["anchor"][collections["target_handle"] == "duvet-cover"].nunique() > 1


def test_store_collections_replace_type_collections(tmp_path, capsys):
    products = bedroom_catalog()
    for p in products:
        p["collections"] = ["Linen Bedding"] if "linen" in p["tags"] else ["Cotton Bedding"]
    products[0]["collections"].append("Bestsellers")
    products[1]["collections"].append("Bestsellers")
    code, _, err = run_links(setup_store(tmp_path, products), capsys)
    assert code == 0, err
    collections = read_links(tmp_path).query("target_kind == 'collection'")
    assert set(collections["target_handle"]) <= {"linen-bedding", "bestsellers"}
    # The smallest collection a product is in is the most specific page to link.
    assert collections.set_index("source_handle").at["linen-duvet-cover-white", "target_handle"] == "bestsellers"


def test_include_collections_false_links_only_products(tmp_path, capsys):
    args = setup_store(tmp_path, bedroom_catalog(), config="[links]\ninclude_collections = false\n")
    code, _, err = run_links(args, capsys)
    assert code == 0, err
    assert set(read_links(tmp_path)["target_kind"]) == {"product"}


def hub_catalog(n: int = 24) -> list[dict]:
    """Many similar lamps; the 'classic' one shares every word with all of them, so everyone wants it."""
    hub = product("brass-table-lamp-classic", "Brass Table Lamp Classic Shade Linen Oak", "Table Lamp",
                  tags=("brass", "linen", "oak"))
    others = [product(f"brass-table-lamp-{i}", f"Brass Table Lamp {word} Shade Linen Oak", "Table Lamp",
                      tags=("brass", "linen", "oak") if i % 2 else ("brass",))
              for i, word in enumerate(["Alder", "Birch", "Cedar", "Dune", "Elm", "Fern", "Gale", "Heath", "Iris",
                                        "Juniper", "Kelp", "Larch", "Moss", "Nettle", "Olive", "Pine", "Quill",
                                        "Reed", "Sage", "Thyme", "Umber", "Vale", "Willow", "Yarrow"][:n])]
    return [hub, *others]


def test_no_product_receives_more_links_than_the_cap(tmp_path, capsys):
    products = hub_catalog()
    uncapped = setup_store(tmp_path / "uncapped", products, config="[links]\ninbound_cap = 1000\n")
    assert run_links(uncapped, capsys)[0] == 0
    inbound = read_links(tmp_path / "uncapped").query("target_kind == 'product'")["target_handle"].value_counts()
    assert inbound.max() > 4, "the fixture must have a hub for the cap to matter"

    capped = setup_store(tmp_path, products, config="[links]\ninbound_cap = 4\n")
    code, out, err = run_links(capped, capsys)
    assert code == 0, err
    inbound = read_links(tmp_path).query("target_kind == 'product'")["target_handle"].value_counts()
    assert inbound.max() <= 4
    assert "max 4" in out or inbound.max() < 4


def test_every_related_product_gets_an_inbound_link(tmp_path, capsys):
    products = hub_catalog()
    # The odd one out is related to the lamps but is nobody's first choice.
    products.append(product("paper-floor-lamp", "Paper Floor Lamp", "Table Lamp", tags=("paper",)))
    args = setup_store(tmp_path, products, config="[links]\nlinks_min = 1\nlinks_max = 2\ninbound_cap = 3\n"
                                                  "include_collections = false\n")
    code, out, err = run_links(args, capsys)
    assert code == 0, err
    inbound = read_links(tmp_path)["target_handle"].value_counts()
    assert set(inbound.index) == {p["handle"] for p in products}
    assert "orphans 0" in out


def test_orphan_repair_takes_a_slot_from_a_target_linked_twice():
    # Sources 0 and 1 both prefer 2 and 3; 4 is related only to 0 and 1, with a lower score.
    table = pd.DataFrame({
        "source": [0, 0, 0, 1, 1, 1, 2, 3],
        "target": [2, 3, 4, 2, 3, 4, 3, 2],
        "score": [0.9, 0.8, 0.2, 0.9, 0.8, 0.3, 0.5, 0.5],
        "tier": [0, 1, 2, 0, 1, 2, 0, 0],
    })
    max_out = np.array([2, 2, 2, 2, 0])
    result = balance_links(table, n=5, max_out=max_out, min_out=np.ones(5, int), cap=10)
    chosen = set(zip(result.edges["source"], result.edges["target"], strict=True))
    inbound = np.bincount(result.edges["target"], minlength=5)
    assert inbound[4] >= 1 and result.orphans_left == 0 and result.orphans_repaired == 1
    assert (1, 4) in chosen, "the orphan is linked from its most related source"
    assert inbound[[2, 3]].min() >= 1, "the swap must not orphan another product"
    out = np.bincount(result.edges["source"], minlength=5)
    assert (out <= max_out).all()


def test_orphan_repair_never_breaks_the_cap():
    # Everyone is related to 0 and to 1, which fill up under cap 2; 5 is related to 0 only.
    sources = [s for s in range(2, 5) for _ in (0, 1)]
    table = pd.DataFrame({"source": [*sources, 0, 1, 0], "target": [0, 1] * 3 + [1, 0, 5],
                          "score": [0.9, 0.8] * 3 + [0.5, 0.5, 0.1], "tier": [0, 1] * 3 + [0, 0, 1]})
    result = balance_links(table, n=6, max_out=np.array([1, 1, 2, 2, 2, 0]), min_out=np.ones(6, int), cap=2)
    inbound = np.bincount(result.edges["target"], minlength=6)
    assert inbound.max() <= 2
    assert inbound[5] == 1 and result.orphans_left == 0


def test_anchors_come_from_keywords_and_vary_per_target(tmp_path, capsys):
    products = hub_catalog(12)
    targets = targets_for(products, skip=("brass-table-lamp-3",))
    code, out, err = run_links(setup_store(tmp_path, products, targets), capsys)
    assert code == 0, err
    links = read_links(tmp_path).query("target_kind == 'product'")
    keywords = targets.groupby("handle")["keyword"].apply(set)
    titles = {p["handle"]: p["title"] for p in products}
    for target, group in links.groupby("target_handle"):
        title = titles[target]
        allowed = keywords.get(target, set()) or {title, f"{title} by Nordhaus", " ".join(title.split()[:4])}
        assert set(group["anchor"]) <= allowed
        if len(group) >= 2:
            assert group["anchor"].nunique() >= 2, f"anchors to {target} do not vary"
        best = set(group.loc[group["score"] == group["score"].max(), "anchor"])
        if target in keywords:
            assert titles[target].lower() in best, "the best link carries the primary keyword"


def test_bought_together_links_come_from_an_orders_export(tmp_path, capsys):
    products = bedroom_catalog()
    orders = tmp_path / "orders.csv"
    orders.write_text("Name,Lineitem quantity,Lineitem sku\n"
                      "#1001,1,linen-duvet-cover-white-1\n#1001,2,linen-flat-sheet-1\n"
                      "#1002,1,linen-duvet-cover-white-1\n#1002,1,linen-flat-sheet-1\n#1002,1,unknown-sku\n"
                      "#1003,1,cotton-duvet-cover-1\n")
    code, out, err = run_links(setup_store(tmp_path, products), capsys, "--orders", str(orders))
    assert code == 0, err
    assert "3 orders read" in out
    links = read_links(tmp_path).set_index(["source_handle", "target_handle"])
    assert "bought together in 2 orders" in links.loc[("linen-duvet-cover-white", "linen-flat-sheet"), "reason"]
    assert "bought together in 2 orders" in links.loc[("linen-flat-sheet", "linen-duvet-cover-white"), "reason"]


def test_orders_export_without_an_sku_or_handle_column_is_one_line(tmp_path, capsys):
    orders = tmp_path / "orders.csv"
    orders.write_text("Name,Total\n#1001,10\n")
    code, out, err = run_links(setup_store(tmp_path, bedroom_catalog()), capsys, "--orders", str(orders))
    assert code == 2 and out == ""
    assert err.startswith(f"error: {orders}: row 1: no line item (SKU or handle) column") and err.count("\n") == 1
    assert not (tmp_path / "ws" / "t" / "links.parquet").exists()


def test_empty_order_number_names_the_row(tmp_path, capsys):
    orders = tmp_path / "orders.csv"
    orders.write_text("Name,Lineitem sku\n#1001,linen-flat-sheet-1\n,linen-flat-sheet-1\n")
    code, _, err = run_links(setup_store(tmp_path, bedroom_catalog()), capsys, "--orders", str(orders))
    assert code == 2 and err == f"error: {orders}: row 3: column 'name': empty order number\n"


def test_missing_keyword_targets_asks_for_make_keywords(tmp_path, capsys):
    args = setup_store(tmp_path, bedroom_catalog())
    targets = tmp_path / "ws" / "t" / "targets.parquet"
    targets.unlink()
    code, out, err = run_links(args, capsys)
    assert code == 2 and out == ""
    assert err == f"error: {targets}: no keyword targets yet; run `seo-pipeline keywords` first\n"
    assert not (tmp_path / "ws" / "t" / "links.parquet").exists()
    with StateStore(tmp_path / "ws" / "t" / "state.db") as state:
        assert state.runs("links")[-1]["status"] == "failed"


def test_keyword_targets_without_a_keyword_column_are_rejected(tmp_path, capsys):
    products = bedroom_catalog()
    args = setup_store(tmp_path, products, targets_for(products).drop(columns=["keyword"]))
    code, _, err = run_links(args, capsys)
    assert code == 2 and "column 'keyword'" in err and "seo-pipeline keywords" in err


def test_unreadable_keyword_targets_are_one_line(tmp_path, capsys):
    args = setup_store(tmp_path, bedroom_catalog())
    targets = tmp_path / "ws" / "t" / "targets.parquet"
    targets.write_text("product_id,keyword\n1,linen\n")
    code, out, err = run_links(args, capsys)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"error: {targets}: not a readable Parquet file") and "seo-pipeline keywords" in err


def test_products_with_nothing_related_get_no_links_and_are_not_orphans(tmp_path, capsys):
    products = [product("brass-floor-lamp", "Brass Floor Lamp", "Floor Lamp", tags=("brass",)),
                product("wool-hiking-socks", "Wool Hiking Socks", "Socks", tags=("wool",), vendor="Fjell",
                        color="Grey")]
    code, out, err = run_links(setup_store(tmp_path, products), capsys)
    assert code == 0, err
    assert read_links(tmp_path).empty
    assert "0 links from 2 active products" in out and "orphans 0" in out


def test_an_empty_catalogue_writes_an_empty_links_file(tmp_path, capsys):
    args = setup_store(tmp_path, [], targets_for(bedroom_catalog()))
    code, out, err = run_links(args, capsys)
    assert code == 0, err
    links = read_links(tmp_path)
    assert links.empty and list(links.columns)[:3] == ["source_product_id", "source_handle", "target_kind"]


def test_missing_catalogue_asks_for_make_pull(tmp_path, capsys):
    args = setup_store(tmp_path, bedroom_catalog())
    (tmp_path / "ws" / "t" / "catalog.parquet").unlink()
    code, _, err = run_links(args, capsys)
    assert code == 2 and "run `seo-pipeline pull` first" in err


@pytest.mark.parametrize("config, message", [
    ("links_min = 4\nlinks_max = 2\n", "need 1 <= links_min <= links_max"),
    ("inbound_cap = 0\n", "inbound_cap = 0: must be at least 1"),
    ("inbound_cap = \"many\"\n", "inbound_cap = 'many' is not an integer"),
])
def test_bad_link_settings_are_one_line(tmp_path, capsys, config, message):
    code, _, err = run_links(setup_store(tmp_path, bedroom_catalog(), config="[links]\n" + config), capsys)
    assert code == 2 and message in err and err.count("\n") == 1


def test_a_rerun_replaces_links_and_is_recorded(tmp_path, capsys):
    args = setup_store(tmp_path, bedroom_catalog())
    assert run_links(args, capsys)[0] == 0
    first = read_links(tmp_path)
    assert run_links(args, capsys)[0] == 0
    pd.testing.assert_frame_equal(first, read_links(tmp_path))
    with StateStore(tmp_path / "ws" / "t" / "state.db") as state:
        runs = state.runs("links")
    assert [r["status"] for r in runs] == ["ok", "ok"]
    assert runs[-1]["counts"]["orphans"] == 0 and runs[-1]["counts"]["product_links"] > 0


def test_sample_catalogue_graph_is_balanced_and_weaves_into_valid_copy(tmp_path, capsys):
    from pipeline.core.catalog import read_catalog
    from pipeline.stages.links.html import place_links
    from tests.conftest import SAMPLE_CSV

    args = ["--workspace", str(tmp_path / "ws"), *STORE_ARGS]
    assert main([*args, "pull", "--csv", str(SAMPLE_CSV)]) == 0
    catalog = read_catalog(tmp_path / "ws" / "t" / "catalog.parquet")
    targets_for(catalog.to_dict("records")).to_parquet(tmp_path / "ws" / "t" / "targets.parquet")
    capsys.readouterr()
    code, out, err = run_links(args, capsys)
    assert code == 0, err
    assert "orphans 0" in out
    links = read_links(tmp_path)
    live = catalog[(catalog["status"] == "active") & (catalog["published"] != False)  # noqa: E712
                   & (catalog["total_inventory"] > 0)]
    products = links[links["target_kind"] == "product"]
    assert set(products["target_id"]) <= set(live["id"])
    assert products["target_id"].value_counts().max() <= 10
    assert links.groupby("source_product_id").size().between(2, 5).all()
    assert set(live["id"]) - set(products["target_id"]) == set(), "a live sample product has no inbound link"

    renamed = {h: f"{h}-new" for h in catalog["handle"][::7]}
    current = {renamed.get(h, h) for h in catalog["handle"]}
    bodies = dict(zip(catalog["handle"], catalog["body_html"], strict=True))
    for source, group in list(links.groupby("source_handle"))[:200]:
        placement = place_links(bodies[source], group.to_dict("records"), renamed, known_handles=current)
        # a link is left out only where no sentence of the copy mentions its target, never as a broken link
        assert all(reason.startswith(("no sentence of the description mentions", "every sentence that mentions"))
                   for _, reason in placement.skipped)
        for link in placement.placed:
            assert link.target_kind == "collection" or link.target_handle in current
            assert f'href="{link.href}"' in placement.html
