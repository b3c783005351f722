"""Push and rollback of collections against the Shopify double (which validates every request against the
2026-01 schema subset): only approved collection changes go out, a proposal is created unpublished, and a rollback
leaves the double's collection records as they were before the push."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.stages.push.collections import read_changes
from pipeline.state.collection_decisions import collection_decisions
from pipeline.state.store import StateStore
from tests.collection_push_fixtures import (
    DRAFTS,
    MATS,
    OLD_FR_INTRO,
    OLD_INTRO,
    CollectionStore,
    collection_records,
    collection_store,
    write_drafts,
)

APPROVE_ALL = {("bath-mats", "en"): {"decision": "approve", "handle": "cotton-bath-mats"},
               ("bath-mats", "fr"): {"decision": "approve"},
               ("floor-lamps", "en"): {"decision": "approve"},
               ("floor-lamps", "fr"): {"decision": "approve"}}


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CollectionStore]:
    yield from collection_store(tmp_path, monkeypatch)


@pytest.fixture
def offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CollectionStore]:
    yield from collection_store(tmp_path, monkeypatch, connected=False)


def created(store: CollectionStore) -> list[dict[str, Any]]:
    return [c for c in store.shop.collections.values() if c["id"] != MATS]


def test_push_then_rollback_leaves_collections_byte_identical(store: CollectionStore, capsys: Any,
                                                             tmp_path: Path) -> None:
    code, err = store.decide(capsys, tmp_path / "decide.csv", APPROVE_ALL)
    assert code == 0, err
    before = collection_records(store.shop)

    code, out, err = store.run(capsys, "push", "--dry-run")
    assert code == 0, err
    assert "bath-mats [en] handle: 'bath-mats' -> 'cotton-bath-mats'" in out and "floor-lamps [en] create" in out
    assert collection_records(store.shop) == before  # a dry run writes nothing

    code, out, err = store.run(capsys, "push")
    assert code == 0, err
    mats = store.shop.collections[MATS]
    assert mats["descriptionHtml"] == "<p>Six cotton bath mats in three sizes.</p>"
    assert mats["seo"] == {"title": "Bath Mats – Hollis", "description": "Cotton bath mats in three sizes."}
    assert mats["handle"] == "cotton-bath-mats"
    assert store.shop.redirects["/collections/bath-mats"]["target"] == "/collections/cotton-bath-mats"
    assert store.shop.translations[(MATS, "fr", "body_html")]["value"] == "<p>Tapis de bain en coton.</p>"
    assert store.shop.translations[(MATS, "fr", "meta_title")]["value"] == "Tapis de bain"
    [lamps] = created(store)
    assert (lamps["handle"], lamps["title"], lamps["published"]) == ("floor-lamps", "Floor Lamps", False)
    assert lamps["ruleSet"] == {"appliedDisjunctively": False,
                                "rules": [{"column": "TYPE", "relation": "EQUALS", "condition": "Floor Lamps"}]}
    assert lamps["descriptionHtml"] == "<p>Three floor lamps.</p>"
    assert store.shop.translations[(lamps["id"], "fr", "body_html")]["value"] == "<p>Trois lampadaires.</p>"
    assert "created 1 (unpublished), redirects 1" in out
    assert not any(entry["operation"] == "PublishablePublish" for entry in store.shop.log)

    code, out, err = store.run(capsys, "push")  # the same decisions again: nothing is sent twice
    assert code == 0, err
    assert "already pushed 11" in out and len(created(store)) == 1

    code, out, err = store.run(capsys, "rollback")
    assert code == 0, err
    assert "deleted 1 created collections and 1 redirects" in out
    assert collection_records(store.shop) == before
    assert store.shop.collections[MATS]["descriptionHtml"] == OLD_INTRO
    assert store.shop.translations[(MATS, "fr", "body_html")]["value"] == OLD_FR_INTRO


def test_only_approved_and_current_decisions_are_pushed(store: CollectionStore, capsys: Any, tmp_path: Path) -> None:
    code, err = store.decide(capsys, tmp_path / "decide.csv", {
        ("bath-mats", "en"): {"decision": "approve"}, ("floor-lamps", "en"): {"decision": "reject"},
        ("floor-lamps", "fr"): {"decision": "approve"}})  # bath-mats fr left undecided
    assert code == 0, err
    code, out, err = store.run(capsys, "push")
    assert code == 0, err
    assert created(store) == []  # the creation was rejected, so its translation waits
    assert "waiting for their collection" in out
    assert store.shop.collections[MATS]["handle"] == "bath-mats" and store.shop.redirects == {}
    assert store.shop.translations[(MATS, "fr", "body_html")]["value"] == OLD_FR_INTRO  # undecided: untouched
    assert (MATS, "fr", "meta_title") not in store.shop.translations

    # the copy is written again after the approval: the old approval does not carry over to the new text
    write_drafts(store.root, [dict(DRAFTS[0], description="<p>Other copy.</p>"), *DRAFTS[1:]])
    store.shop.collections[MATS]["descriptionHtml"] = "<p>Six cotton bath mats in three sizes.</p>"
    code, out, err = store.run(capsys, "push")
    assert code == 0, err
    assert "stale decisions 1" in out and "<p>Other copy.</p>" not in str(store.shop.collections)


def test_a_collection_edited_on_the_store_since_the_pull_is_not_written(store: CollectionStore, capsys: Any,
                                                                       tmp_path: Path) -> None:
    code, err = store.decide(capsys, tmp_path / "decide.csv", {("bath-mats", "en"): {"decision": "approve"}})
    assert code == 0, err
    store.shop.collections[MATS]["descriptionHtml"] = "<p>The merchant's new intro.</p>"
    code, out, err = store.run(capsys, "push")
    assert code == 0, err
    assert "conflicts 3 (back in review)" in out  # its three fields
    assert store.shop.collections[MATS]["descriptionHtml"] == "<p>The merchant's new intro.</p>"
    assert store.shop.collections[MATS]["seo"]["title"] == "Old mats title"  # none of its fields went out
    with StateStore(store.root / "state.db") as state:
        assert ("bath-mats", "en") not in collection_decisions(state)  # back in the review queue


def test_rollback_leaves_a_field_edited_after_the_push_alone(store: CollectionStore, capsys: Any,
                                                            tmp_path: Path) -> None:
    code, err = store.decide(capsys, tmp_path / "decide.csv", {("bath-mats", "en"): {"decision": "approve"}})
    assert code == 0, err
    assert store.run(capsys, "push")[0] == 0
    store.shop.collections[MATS]["descriptionHtml"] = "<p>Edited after the push.</p>"
    code, out, err = store.run(capsys, "rollback")
    assert code == 0, err
    assert "left alone 1" in out
    assert store.shop.collections[MATS]["descriptionHtml"] == "<p>Edited after the push.</p>"
    assert store.shop.collections[MATS]["seo"]["title"] == "Old mats title"  # the untouched fields are restored


def test_offline_push_lists_approved_changes_for_manual_entry(offline: CollectionStore, capsys: Any,
                                                              tmp_path: Path) -> None:
    code, out, err = offline.run(capsys, "push")
    assert code == 0, err
    assert not list((offline.root / "exports").glob("collections_changes_*.csv"))  # nothing approved: no file
    code, err = offline.decide(capsys, tmp_path / "decide.csv", APPROVE_ALL)
    assert code == 0, err
    before = collection_records(offline.shop)
    code, out, err = offline.run(capsys, "push")
    assert code == 0, err
    [path] = (offline.root / "exports").glob("collections_changes_*.csv")
    head = path.read_text(encoding="utf-8").splitlines()[:3]
    assert head[0].startswith("#") and "product CSV import cannot carry collections" in " ".join(head)
    rows = read_changes(path)
    by = {(r["collection_handle"], r["locale"], r["field"]): r for r in rows}
    assert by[("bath-mats", "en", "handle")]["before"] == "bath-mats"
    assert by[("bath-mats", "en", "handle")]["after"] == "cotton-bath-mats"
    assert by[("bath-mats", "en", "description")]["before"] == OLD_INTRO
    assert by[("bath-mats", "en", "description")]["admin_path"] == f"/admin/collections/{MATS.rsplit('/', 1)[1]}"
    assert by[("bath-mats", "fr", "description")]["before"] == OLD_FR_INTRO
    assert by[("floor-lamps", "en", "rule")]["after"] == "product_type = Floor Lamps"
    assert by[("floor-lamps", "en", "rule")]["change"] == "create"
    assert by[("floor-lamps", "en", "rule")]["admin_path"] == "/admin/collections/new"
    assert collection_records(offline.shop) == before  # nothing sent to the store
    assert str(path) in out

    code, out, err = offline.run(capsys, "push")  # again: no second file, it points to the first
    assert code == 0, err
    assert len(list((offline.root / "exports").glob("collections_changes_*.csv"))) == 1
    assert f"already in {path}" in out

    code, out, err = offline.run(capsys, "rollback")
    assert code == 0, err
    [undo] = (offline.root / "exports").glob("collections_rollback_*.csv")
    back = {(r["collection_handle"], r["locale"], r["field"]): r for r in read_changes(undo)}
    assert back[("bath-mats", "en", "description")]["after"] == OLD_INTRO
    assert back[("floor-lamps", "en", "title")]["change"] == "delete"


def test_a_push_killed_after_a_write_is_settled_and_rolled_back(store: CollectionStore, capsys: Any,
                                                                tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.shopify import collection_mutations

    code, err = store.decide(capsys, tmp_path / "decide.csv", {("bath-mats", "en"): {"decision": "approve"}})
    assert code == 0, err
    before = collection_records(store.shop)
    real = collection_mutations.update_collection

    def killed(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)  # Shopify took it; the process dies before the ledger hears back
        raise KeyboardInterrupt

    monkeypatch.setattr(collection_mutations, "update_collection", killed)
    assert store.run(capsys, "push")[0] != 0
    monkeypatch.setattr(collection_mutations, "update_collection", real)
    written = collection_records(store.shop)

    code, out, err = store.run(capsys, "push")
    assert code == 0, err
    assert "settled: 3 applied, 0 not applied" in out and "already pushed 3" in out
    assert collection_records(store.shop) == written  # nothing sent twice
    code, out, err = store.run(capsys, "rollback")
    assert code == 0, err
    assert collection_records(store.shop) == before


def test_a_refused_collection_write_is_reported_and_the_others_still_go_out(store: CollectionStore, capsys: Any,
                                                                            tmp_path: Path) -> None:
    # the new collection takes the handle first, so the store collection cannot have it
    code, err = store.decide(capsys, tmp_path / "decide.csv", {
        ("bath-mats", "en"): {"decision": "approve", "handle": "floor-lamps"},
        ("bath-mats", "fr"): {"decision": "approve"}, ("floor-lamps", "en"): {"decision": "approve"}})
    assert code == 0, err
    code, out, err = store.run(capsys, "push")
    assert code == 0, err
    # 4 fields of the update, and the French meta description: the store has no English one to translate
    assert "failed 5" in out and "has already been taken" in out and "no text in the primary language" in out
    assert store.shop.collections[MATS]["handle"] == "bath-mats"
    assert store.shop.collections[MATS]["descriptionHtml"] == OLD_INTRO  # one update: none of its fields went out
    assert len(created(store)) == 1
    assert store.shop.translations[(MATS, "fr", "meta_title")]["value"] == "Tapis de bain"
