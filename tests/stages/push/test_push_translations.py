"""Offline push of approved translations: Shopify's translation import file, only the rows we change, reading back
through our own reader as exactly the approved values; edits made in the store since the export are reported,
never overwritten; the ledger records each row and rollback writes the file that restores the earlier text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.shopify import translations_csv as tcsv
from pipeline.state import ledger
from pipeline.state.decisions import approved_changes, get_decision, record_decision
from pipeline.state.drafts import Draft, save_draft
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace
from tests.conftest import PROJECT_ROOT, SAMPLE_CSV

SAMPLE_TRANSLATIONS = PROJECT_ROOT / "catalog_samples" / "translations_export.csv"
CONFIG = '[pipeline]\nlocales = ["en", "fr", "de"]\nprimary_locale = "en"\n'


class Shop:
    """The sample pulled with its translation export, in a test's own folder."""

    def __init__(self, tmp_path: Path, *, with_translations: bool = True):
        config = tmp_path / "seo.toml"
        config.write_text(CONFIG, encoding="utf-8")
        self.products = tmp_path / "products_export.csv"
        shutil.copy(SAMPLE_CSV, self.products)
        self.export = tmp_path / "translations_export.csv"
        shutil.copy(SAMPLE_TRANSLATIONS, self.export)
        self.args = ["--config", str(config), "--workspace", str(tmp_path / "ws"), "--store", "s"]
        self.ws = Workspace(tmp_path / "ws" / "s")
        pull = ["pull", "--csv", str(self.products)] + (["--translations", str(self.export)] if with_translations
                                                         else [])
        assert main([*self.args, *pull]) == 0
        self.catalogue = {r["id"]: r for r in pq.read_table(self.ws.catalog, columns=[
            "id", "handle", "title", "body_html", "seo_title", "seo_description"]).to_pylist()}
        rows = pq.read_table(self.ws.locales).to_pylist() if self.ws.locales.exists() else []
        self.pulled = {(r["product_id"], r["locale"], r["key"]): r for r in rows}

    def state(self) -> StateStore:
        return StateStore(self.ws.state_db)

    def run(self, capsys, *args: str) -> tuple[int, str, str]:
        code = main([*self.args, *args])
        out, err = capsys.readouterr()
        return code, out, err

    def pick(self, locale: str, *, translated: bool, with_seo: bool = True, skip: set[str] | frozenset = frozenset()
             ) -> str:
        """A product whose title in `locale` is (or is not) translated in the export and not outdated."""
        for (pid, loc, key), row in self.pulled.items():
            if (loc, key) != (locale, "title") or pid in skip or row["outdated"]:
                continue
            if (row["value"] is not None) == translated and bool(self.catalogue[pid]["seo_title"]) == with_seo:
                return pid
        raise AssertionError("no such product in the sample")

    def approve(self, pid: str, locale: str, **fields: str) -> None:
        with self.state() as state:
            draft = Draft(pid, locale, status="passed", **fields)
            save_draft(state, draft)
            record_decision(state, draft, "approved", reviewer="sam")


def approved_translations(shop: Shop) -> dict[tuple[str, str, str], str]:
    with shop.state() as state:
        return {(c.product_id, c.locale, name): value for c in approved_changes(state) if c.locale != "en"
                for name, value in c.fields.items() if name in tcsv.FIELD_KEYS}


@pytest.fixture
def shop(tmp_path):
    shop = Shop(tmp_path)
    used: set[str] = set()
    shop.fr_translated = shop.pick("fr", translated=True)
    used.add(shop.fr_translated)
    shop.fr_new = shop.pick("fr", translated=False, skip=used)
    used.add(shop.fr_new)
    shop.de_translated = shop.pick("de", translated=True, skip=used)
    used.add(shop.de_translated)
    shop.no_seo = shop.pick("fr", translated=False, with_seo=False, skip=used)
    used.add(shop.no_seo)
    shop.formula = shop.pick("fr", translated=False, skip=used)
    shop.approve(shop.fr_translated, "fr", title='Housse, "grande" — édition 2026 \u2615\ufe0f')
    shop.approve(shop.fr_new, "fr", title="Lampe — nouvelle", seo_title="Lampe | Hollis & Fern",
                 body_html="<p>Première ligne,\n«\u00a0deuxième\u00a0» ligne.</p><ul><li>Entretien : chiffon</li></ul>")
    shop.approve(shop.de_translated, "de", title="Neuer Titel", seo_description="Kurz und klar; 30 Tage Rückgabe.")
    shop.approve(shop.no_seo, "fr", title="Titre sans SEO", seo_title="Titre SEO nouveau")
    shop.approve(shop.formula, "fr", title="=HYPERLINK(\"http://evil.example\",\"x\")", handle="nouveau-handle")
    return shop


def test_the_translation_file_reads_back_as_exactly_the_approved_values(shop, capsys):
    code, out, err = shop.run(capsys, "push")
    assert code == 0, err
    with shop.state() as state:
        run_id = ledger.latest_undoable_push(state)
        rows = [r for r in ledger.run_rows(state, run_id) if r.locale != "en"]
    destination = shop.ws.exports / f"shopify_translations_{run_id}.csv"
    assert f"wrote {destination} (7 translation rows; Shopify admin > Settings > Languages > Import)" in out
    file = tcsv.read_translation_file(destination)
    assert file.header == tcsv.CURRENT_HEADER
    numbers = {tcsv.resource_number(r["identification"]): pid for (pid, _, _), r in shop.pulled.items()}
    read_back = {(numbers[r.resource_id], r.locale, tcsv.KEY_FIELDS[r.field]): r.translated_content for r in file.rows}
    approved = approved_translations(shop)
    expected = {k: v for k, v in approved.items() if k[0] not in (shop.formula,) and
                k != (shop.no_seo, "fr", "seo_title")}
    assert read_back == expected  # only the rows we change, each exactly as approved
    for row in file.rows:  # the export's own row: its resource type, id as exported, default content, status
        pulled = shop.pulled[(numbers[row.resource_id], row.locale, row.field)]
        assert (row.resource_type, row.identification, row.default_content, row.status, row.market) == (
            "PRODUCT", pulled["identification"], pulled["default_content"], pulled["status"], "")
    # the ledger: each translation with the value it replaces (none where there was no translation)
    exported = {(r.product_id, r.locale, r.field): r for r in rows if r.status == "exported"}
    assert {k: r.after for k, r in exported.items()} == expected
    assert exported[(shop.fr_translated, "fr", "title")].before == shop.pulled[(shop.fr_translated, "fr",
                                                                                 "title")]["value"]
    assert exported[(shop.fr_new, "fr", "title")].before is None
    failed = {(r.product_id, r.field): r.errors[0] for r in rows if r.status == "failed"}
    assert set(failed) == {(shop.no_seo, "seo_title"), (shop.formula, "title"), (shop.formula, "handle")}
    assert "no meta_title in the primary language" in failed[(shop.no_seo, "seo_title")]
    assert "starts like a spreadsheet formula" in failed[(shop.formula, "title")]
    assert "translated handle" in failed[(shop.formula, "handle")]
    assert "need a store connection" not in out
    # a second push writes nothing new and points to the file that holds them
    code, out, err = shop.run(capsys, "push")
    assert code == 0 and f"7 approved translations are already in {destination}" in out
    assert sorted(p.name for p in shop.ws.exports.glob("shopify_translations_*.csv")) == [destination.name]


def test_a_translation_edited_in_the_store_since_the_export_is_reported_not_overwritten(shop, tmp_path, capsys):
    newer = tmp_path / "translations_newer.csv"
    file = tcsv.read_translation_file(shop.export)
    number = tcsv.resource_number(shop.pulled[(shop.fr_translated, "fr", "title")]["identification"])
    edited = [r if (r.resource_id, r.field, r.locale) != (number, "title", "fr") else
              tcsv.TranslationRow(r.resource_type, r.identification, r.field, r.locale, r.market, r.status,
                                  r.default_content, "Titre corrigé par la boutique") for r in file.rows]
    tcsv.write_translation_file(newer, edited, file.header)
    code, out, err = shop.run(capsys, "push", "--translations", str(newer))
    assert code == 0, err
    assert "conflicts 1 (back in the review queue)" in out
    handle = shop.catalogue[shop.fr_translated]["handle"]
    assert f"{handle} [fr]: title" in out
    with shop.state() as state:
        assert get_decision(state, shop.fr_translated, "fr") is None  # reopened: back in the review queue
        run_id = ledger.latest_undoable_push(state)
        conflict = [r for r in ledger.run_rows(state, run_id) if r.status == "conflict"]
    assert [(r.product_id, r.read_back) for r in conflict] == [(shop.fr_translated, "Titre corrigé par la boutique")]
    written = tcsv.read_translation_file(shop.ws.exports / f"shopify_translations_{run_id}.csv")
    assert number not in {r.resource_id for r in written.rows} and len(written.rows) == 6


def test_the_export_pulled_is_read_again_at_push_time(shop, capsys):
    """A merchant who exports again over the same file: the edit in it is found without --translations."""
    text = shop.export.read_text(encoding="utf-8")
    old = shop.pulled[(shop.de_translated, "de", "title")]["value"]
    assert text.count(f",{old}\n") >= 1
    shop.export.write_text(text.replace(f",{old}\n", ",Im Laden geändert\n"), encoding="utf-8")
    code, out, err = shop.run(capsys, "push")
    assert code == 0 and "conflicts 1" in out, out


def test_without_the_translation_export_the_translations_need_a_store(tmp_path, capsys):
    shop = Shop(tmp_path, with_translations=False)
    pid = next(iter(shop.catalogue))
    shop.approve(pid, "fr", title="Titre")
    code, out, err = shop.run(capsys, "push")
    assert code == 0, err
    assert "approved translations (fr 1) need a store connection" in out and "--translations" in out
    assert not list(shop.ws.exports.glob("shopify_translations_*.csv"))


def test_dry_run_writes_no_translation_file(shop, capsys):
    code, out, err = shop.run(capsys, "push", "--dry-run")
    assert code == 0 and "7 translations" in out, out
    assert not list(shop.ws.exports.glob("shopify_translations_*.csv"))


def test_rollback_writes_the_file_that_restores_the_earlier_translations(shop, capsys):
    assert shop.run(capsys, "push")[0] == 0
    with shop.state() as state:
        push_run = ledger.latest_undoable_push(state)
    code, out, err = shop.run(capsys, "rollback")
    assert code == 0, err
    with shop.state() as state:
        rollback_run = max(r["run_id"] for r in ledger.push_runs(state, "rollback"))
        pushed = {(r.product_id, r.locale, r.field): r for r in ledger.run_rows(state, push_run)
                  if r.locale != "en" and r.status == "exported"}
    destination = shop.ws.exports / f"shopify_translations_rollback_{rollback_run}.csv"
    assert f"wrote {destination}" in out
    file = tcsv.read_translation_file(destination)
    numbers = {tcsv.resource_number(r["identification"]): pid for (pid, _, _), r in shop.pulled.items()}
    restored = {(numbers[r.resource_id], r.locale, tcsv.KEY_FIELDS[r.field]): r.translated_content for r in file.rows}
    had_before = {k: r.before for k, r in pushed.items() if r.before is not None}
    assert restored == had_before and had_before  # exactly the translations the push replaced
    # those that did not exist cannot be removed by a file: reported, left to undo
    new_ones = sorted(k for k, r in pushed.items() if r.before is None)
    assert new_ones and "translations not restored by the file" in out
    assert "a translation file cannot remove one" in out
    with shop.state() as state:
        left = {(r.product_id, r.locale, r.field) for r in ledger.run_rows(state, push_run)
                if r.locale != "en" and r.status == "exported" and r.rolled_back_by is None}
    assert sorted(left) == new_ones


def test_a_store_pulled_catalogue_names_products_by_their_id(tmp_path):
    from pipeline.stages.push.translation_file import resources

    ws = Workspace(tmp_path)
    found = resources(ws, ["gid://shopify/Product/8812345678902", "oak-stool"])
    assert {pid: (r.resource_type, r.identification) for pid, r in found.items()} == {
        "gid://shopify/Product/8812345678902": ("PRODUCT", "8812345678902")}
