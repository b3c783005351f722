"""make rollback against the Shopify double: a push undone leaves the store byte-identical, fields edited since the
push are left alone and reported, the push's redirects are deleted, and bad requests fail with one line."""

from __future__ import annotations

import pytest

from pipeline.cli import main
from pipeline.shopify.mutations import product_path
from pipeline.state import ledger
from tests.push_fixtures import field_values, sample_store


@pytest.fixture
def sample(request, tmp_path, monkeypatch):
    yield from sample_store(tmp_path, monkeypatch, limit=getattr(request, "param", None))


def test_pushing_the_sample_then_rolling_back_leaves_every_field_byte_identical(sample, capsys):
    case, shop = sample.case, sample.case.shop
    assert case.run(capsys, "push")[0] == 0
    pushed = field_values(shop)
    changed = [pid for pid, fields in pushed["products"].items() if fields != sample.pulled["products"][pid]]
    assert len(changed) == len(case.approved_en)  # the push did change every approved product
    assert pushed["redirects"] and pushed["translations"] != sample.pulled["translations"]
    code, out, err = case.run(capsys, "rollback")
    assert code == 0, err
    assert field_values(shop) == sample.pulled  # products, translations (value and digest) and redirects
    handles = sum("handle" in v for v in case.approved_en.values())
    assert f"restored {len(set(case.approved_en) | set(case.approved_fr)):,} products" in out
    assert f"deleted {handles} redirects" in out and "left alone 0" in out
    with case.state() as state:
        assert ledger.latest_undoable_push(state) is None
    # a second rollback has nothing left to do
    code, out, err = case.run(capsys, "rollback")
    assert code == 0 and "nothing to roll back" in out


@pytest.mark.parametrize("sample", [240], indirect=True)
def test_fields_edited_since_the_push_are_left_alone_and_reported(sample, capsys):
    case, shop = sample.case, sample.case.shop
    assert case.run(capsys, "push")[0] == 0
    with case.state() as state:
        push_run = ledger.latest_undoable_push(state)
    with_handle = next(pid for pid, v in case.approved_en.items() if "handle" in v)
    with_title = next(pid for pid, v in case.approved_en.items() if "title" in v and pid != with_handle)
    shop.products[with_title]["title"] = "Merchant's own title"
    shop.products[with_handle]["handle"] = "merchant-handle"
    code, out, err = case.run(capsys, "rollback", "--run", str(push_run))
    assert code == 0, err
    assert shop.products[with_title]["title"] == "Merchant's own title"
    assert shop.products[with_handle]["handle"] == "merchant-handle"
    # its other fields did go back, and so did every other product
    pulled = sample.pulled["products"]
    assert shop.products[with_title]["seo"] == pulled[with_title]["seo"]
    others = {pid: v for pid, v in field_values(shop)["products"].items() if pid not in (with_title, with_handle)}
    assert others == {pid: v for pid, v in pulled.items() if pid not in (with_title, with_handle)}
    assert "left alone 2 (changed since the push)" in out
    assert "now \"Merchant's own title\"" in out and "now 'merchant-handle'" in out
    # the redirect to a handle the product no longer has is kept: the merchant's handle may rely on it
    assert list(shop.redirects) == [product_path(pulled[with_handle]["handle"])]


@pytest.mark.parametrize("sample", [120], indirect=True)
def test_rollback_dry_run_restores_nothing(sample, capsys):
    case, shop = sample.case, sample.case.shop
    assert case.run(capsys, "push")[0] == 0
    pushed = field_values(shop)
    code, out, err = case.run(capsys, "rollback", "--dry-run")
    assert code == 0, err
    assert field_values(shop) == pushed
    assert "rollback (dry run) of push run" in out and "would restore" in out


@pytest.mark.parametrize("sample", [60], indirect=True)
def test_a_rollback_killed_midway_finishes_when_run_again(sample, capsys, monkeypatch):
    case, shop = sample.case, sample.case.shop
    assert case.run(capsys, "push")[0] == 0
    from pipeline.shopify import push_support

    real = push_support.delete_redirect

    def dying(*args, **kwargs):  # the process dies after the handles went back, before their redirects went
        raise KeyboardInterrupt

    monkeypatch.setattr(push_support, "delete_redirect", dying)
    code, _, err = case.run(capsys, "rollback")
    assert code == 130 and "interrupted" in err
    monkeypatch.setattr(push_support, "delete_redirect", real)
    code, out, err = case.run(capsys, "rollback")
    assert code == 0, err
    assert field_values(shop) == sample.pulled
    assert "already restored" in out


@pytest.mark.parametrize("sample", [20], indirect=True)
def test_rollback_of_a_run_that_is_not_a_push_names_the_push_runs(sample, capsys):
    case = sample.case
    assert case.run(capsys, "push")[0] == 0
    with case.state() as state:
        push_run = ledger.latest_undoable_push(state)
    code, out, err = case.run(capsys, "rollback", "--run", "1")  # run 1 is the pull
    assert code == 2
    assert err.strip() == f"error: run 1 is not a push run (push runs: {push_run}); choose one with RUN=ID"


def test_rollback_with_nothing_pushed_says_so(workspace_args, capsys):
    assert main([*workspace_args, "rollback"]) == 0
    assert "nothing to roll back" in capsys.readouterr().out


@pytest.mark.parametrize("sample", [20], indirect=True)
def test_rolling_back_a_store_push_needs_that_store(sample, capsys, monkeypatch):
    case = sample.case
    assert case.run(capsys, "push")[0] == 0
    monkeypatch.delenv("SHOPIFY_STORE")
    code, out, err = case.run(capsys, "rollback")
    assert code == 2 and "went to double-store.myshopify.com; set SHOPIFY_STORE" in err
    monkeypatch.setenv("SHOPIFY_STORE", "another-store")
    code, out, err = case.run(capsys, "rollback")
    assert code == 2 and "but SHOPIFY_STORE is another-store.myshopify.com" in err


@pytest.mark.parametrize("sample", [180], indirect=True)
def test_rollback_deletes_a_redirect_whose_push_died_before_recording_it(sample, capsys, monkeypatch):
    from pipeline.shopify.mutations import Mutations
    from tests.stages.push.test_push import dying_after_the_create

    case, shop = sample.case, sample.case.shop
    with monkeypatch.context() as patch:  # Shopify makes the first redirect, then the push dies
        patch.setattr(Mutations, "create_redirect", dying_after_the_create(Mutations.create_redirect))
        code, _, err = case.run(capsys, "push")
    assert code == 130 and "interrupted" in err
    [(old_path, made)] = shop.redirects.items()
    with case.state() as state:
        assert not any(r.redirect_id for r in ledger.run_rows(state, ledger.latest_undoable_push(state)))
    code, out, err = case.run(capsys, "rollback")
    assert code == 0, err
    assert "deleted 1 redirects" in out and "redirects not deleted" not in out
    assert old_path not in shop.redirects and shop.redirects == {}
    assert field_values(shop) == sample.pulled
    with case.state() as state:  # the id found by its path is in the ledger now
        [row] = [r for run in ledger.push_runs(state) for r in ledger.run_rows(state, run["run_id"])
                 if r.redirect_path]
    assert row.redirect_id == made["id"] and row.rolled_back_by is not None


@pytest.mark.parametrize("sample", [180], indirect=True)
def test_an_unrecorded_redirect_the_merchant_pointed_elsewhere_is_not_taken_for_ours(sample, capsys, monkeypatch):
    from pipeline.shopify.mutations import Mutations
    from tests.stages.push.test_push import dying_after_the_create

    case, shop = sample.case, sample.case.shop
    with monkeypatch.context() as patch:
        patch.setattr(Mutations, "create_redirect", dying_after_the_create(Mutations.create_redirect))
        assert case.run(capsys, "push")[0] == 130
    [(old_path, made)] = shop.redirects.items()
    made["target"] = "/collections/summer"  # edited in the admin before anything recorded it as ours
    code, out, err = case.run(capsys, "push")  # a resumed create: refused, and the redirect found is not ours
    assert code == 0, err
    assert f"{old_path} -> " in out and "Path has already been taken" in out
    for _ in range(2):  # the translations the second push wrote, then the killed push's product writes
        code, out, err = case.run(capsys, "rollback")
        assert code == 0, err
    assert "deleted 2 redirects" in out and "redirects not deleted" not in out
    assert shop.redirects == {old_path: made}  # the two made and recorded are deleted; the merchant's is kept
    assert field_values(shop)["products"] == sample.pulled["products"]
