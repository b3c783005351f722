"""Hostile translation exports (Shopify admin > Settings > Languages > Export), through the real CLI: `pull --csv
--translations` gives one clear line naming file, row and column and a non-zero exit, or handles the file
correctly; never a traceback, and a failed pull leaves the workspace as it was. The cases are declared as in
test_rel_input.py (`case(...)`, an `InputCase` each) and run by a runner of the same shape.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.shopify import translations_csv as tcsv
from pipeline.state.decisions import record_decision
from pipeline.state.drafts import Draft, save_draft
from pipeline.state.store import StateStore
from tests.reliability.catalogue import CLEAN_CSV, PRODUCTS
from tests.reliability.conftest import CleanStore
from tests.reliability.harness import (
    CliResult,
    assert_one_line_error,
    assert_workspace_intact,
    file_hashes,
    run_cli,
)
from tests.reliability.test_rel_input import FORMULA, FORMULA_START, Env, InputCase, Setup, Verify

GROUP = "hostile input: translation file"
CASES: list[InputCase] = []


def case(name: str, expected: str, code: int, pattern: str, *, verify: Verify | None = None
         ) -> Callable[[Setup], Setup]:
    def register(setup: Setup) -> Setup:
        CASES.append(InputCase(name, expected, code, pattern, setup, verify))
        return setup
    return register


def number(handle: str) -> str:
    return str(8_000_000_000_000 + [p[0] for p in PRODUCTS].index(handle) + 1)


def export_rows(**translated: str) -> list[list[str]]:
    """The clean store's export in French: title, description and handle of each product; `translated[handle]`
    is its French title (the others are untranslated)."""
    rows = []
    for handle, title, _, _, _, body, _ in PRODUCTS:
        french = translated.get(handle.replace("-", "_"), "")
        rows += [["PRODUCT", number(handle), "title", "fr", "", "translated" if french else "", title, french],
                 ["PRODUCT", number(handle), "body_html", "fr", "", "", body, ""],
                 ["PRODUCT", number(handle), "handle", "fr", "", "", handle, ""]]
    return rows


def export_text(rows: list[list[str]] | None = None) -> str:
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(tcsv.CURRENT_HEADER)
    writer.writerows(rows if rows is not None else export_rows(linen_duvet_cover="Housse de couette en lin"))
    return out.getvalue()


CLEAN_EXPORT = export_text()


def pull_with(name: str, data: str | bytes) -> Setup:
    return lambda env: ["pull", "--csv", str(env.write("products.csv", CLEAN_CSV)), "--translations",
                        str(env.write(name, data))]


# -- encoding and delimiter ----------------------------------------------------------------------------------------
case("translations_latin1_byte", "exit 2 naming the row with a Latin-1 byte in a UTF-8 export", 2,
     r"latin1\.csv: row \d+: byte 0xe9 is not valid UTF-8")(
    pull_with("latin1.csv", CLEAN_EXPORT.encode("utf-8").replace(b"Housse de", "Housse d\u00e9".encode("latin-1"))))
case("translations_utf16", "exit 2: a UTF-16 export is named as UTF-16, with how to save it as UTF-8", 2,
     r"utf16\.csv: row 1: the file is UTF-16 text; Shopify's translation import reads UTF-8")(
    pull_with("utf16.csv", CLEAN_EXPORT.encode("utf-16")))
case("translations_utf16_without_bom", "exit 2: UTF-16 without a byte-order mark is named as UTF-16", 2,
     r"utf16le\.csv: row 1: the file is UTF-16 text")(pull_with("utf16le.csv", CLEAN_EXPORT.encode("utf-16-le")))
case("translations_utf8_bom", "handled: Excel's UTF-8 byte-order mark is skipped", 0,
     r"translations: 24 rows from .*bom\.csv; 8 products matched")(
    pull_with("bom.csv", b"\xef\xbb\xbf" + CLEAN_EXPORT.encode("utf-8")))
case("translations_semicolon_delimiter", "exit 2: the header is separated by semicolons", 2,
     r"semicolons\.csv: row 1: header is separated by semicolons; Shopify's translation CSV uses commas")(
    pull_with("semicolons.csv", CLEAN_EXPORT.replace(",", ";")))
case("translations_tab_delimiter", "exit 2: the header is separated by tabs", 2,
     r"tabs\.csv: row 1: header is separated by tabs")(pull_with("tabs.csv", CLEAN_EXPORT.replace(",", "\t")))
case("translations_truncated_row", "exit 2 naming the short row", 2,
     r"truncated\.csv: row \d+: has \d+ cells but the header has 8")(
    pull_with("truncated.csv", CLEAN_EXPORT.rstrip("\n").rsplit(",", 2)[0] + "\n"))
case("translations_product_csv_given", "exit 2: a product CSV given as the translation export is named as such", 2,
     r"row 1: column 'Identification': missing required column; this looks like a product CSV")(
    pull_with("products_again.csv", CLEAN_CSV))


# -- duplicate rows --------------------------------------------------------------------------------------------------
def _with_extra(row: list[str]) -> str:
    return export_text(export_rows(linen_duvet_cover="Housse de couette en lin") + [row])


case("translations_duplicate_rows_conflicting", "exit 2 naming the repeated row, its column and the first row", 2,
     r"dup\.csv: row 26: column 'Translated content': the same PRODUCT \d+ 'title' in locale 'fr' as row 2")(
    pull_with("dup.csv", _with_extra(["PRODUCT", number("linen-duvet-cover"), "title", "fr", "", "translated",
                                      "Linen Duvet Cover", "Autre titre"])))
case("translations_duplicate_rows_identical", "handled: a row repeated word for word is read once and counted", 0,
     r"rows repeated word for word, read once: 1")(
    pull_with("same.csv", _with_extra(export_rows(linen_duvet_cover="Housse de couette en lin")[0])))


# -- what the shop does not have -------------------------------------------------------------------------------------
def _unknown_verify(env: Env, result: CliResult) -> str:
    rows = pq.read_table(env.root / "translations.parquet").to_pylist()
    assert {r["locale"] for r in rows} == {"fr"} and len({r["product_id"] for r in rows}) == 8
    return f"translations.parquet {len(rows)} rows; the it row and the unknown product counted, not kept"


case("translations_unknown_locale_and_resource", "handled: a locale the shop lacks and a product the catalogue "
     "lacks are counted in the summary with an example each, not kept", 0,
     r"unknown locale .*: 1, e\.g\. row 26: 'it'(.|\n)*unknown resource .*: 1, e\.g\. row 27: PRODUCT 777",
     verify=_unknown_verify)(
    pull_with("unknown.csv", export_text(export_rows() + [
        ["PRODUCT", number("wool-throw"), "title", "it", "", "translated", "Fjord Wool Throw", "Plaid in lana"],
        ["PRODUCT", "777", "title", "fr", "", "translated", "Gone Lamp", "Lampe disparue"]])))


# -- sizes and formulas ----------------------------------------------------------------------------------------------
BIG = "<p>" + "Le lin lavé s'assouplit à chaque lavage. " * (10_000_000 // 41) + "</p>"


def _big_verify(env: Env, result: CliResult) -> str:
    rows = pq.read_table(env.root / "translations.parquet").to_pylist()
    body = next(r["value"] for r in rows if (r["product_id"], r["key"]) == ("linen-duvet-cover", "body_html"))
    assert body == BIG
    return f"a {len(body):,}-char translated description kept whole in translations.parquet"


case("translations_10mb_cell", "handled: a 10 MB translated description (over Python's 128 KiB CSV cell limit) is "
     "read and kept whole", 0, r"translations: 24 rows", verify=_big_verify)(
    pull_with("big.csv", export_text([r if (r[0], r[2], r[1]) != ("PRODUCT", "body_html", number("linen-duvet-cover"))
                                      else [*r[:7], BIG] for r in export_rows()])))


def _formula_push(env: Env) -> list[str]:
    """An export whose cells hold formulas, pulled; then the mug's French title approved (a plain one) and the
    vase's (a formula a reviewer typed)."""
    rows = export_rows()
    for row in rows:
        if row[1] in (number("stoneware-mug"), number("ceramic-vase")) and row[2] == "title":
            row[6], row[7] = FORMULA, "@SUM(1+1)*cmd|' /C calc'!A0"
    env.ok("pull", "--csv", str(env.write("products.csv", CLEAN_CSV)), "--translations",
           str(env.write("formula.csv", export_text(rows))))
    with StateStore(env.root / "state.db") as state:
        for handle, title in (("stoneware-mug", "Tasse Tove en grès"), ("ceramic-vase", "-1+1")):
            draft = Draft(handle, "fr", status="passed", title=title)
            save_draft(state, draft)
            record_decision(state, draft, "approved", reviewer="sam")
    env.steps.append("approved fr titles of stoneware-mug and ceramic-vase")
    return ["push"]


def _formula_verify(env: Env, result: CliResult) -> str:
    stored = pq.read_table(env.root / "translations.parquet").to_pylist()
    assert any(r["default_content"] == FORMULA for r in stored)  # kept as data in the artefact
    [path] = sorted((env.root / "exports").glob("shopify_translations_*.csv"))
    with open(path, encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    live = [c for c in cells if c.startswith(FORMULA_START)]
    assert not live, live
    assert "'" + FORMULA in cells  # the export's default content, neutralised for a spreadsheet
    back = tcsv.read_translation_file(path).rows
    assert [(r.default_content, r.translated_content) for r in back] == [(FORMULA, "Tasse Tove en grès")]
    assert "starts like a spreadsheet formula" in result.out
    return (f"{path.name}: {len(back)} row, 0 live formula cells; the export's formula default content written "
            "as text and read back exactly; the reviewer's formula title refused, not exported")


case("translations_formula_cells", "handled: formulas in the export are data; the translation import file push "
     "writes has none a spreadsheet would run, and an approved formula is refused", 0,
     r"push: run \d+ to an import file: exported 1 products \(0 fields, 1 translations\)", verify=_formula_verify)(
    _formula_push)


# -- the runner --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("spec", [pytest.param(c, id=c.name) for c in CASES])
def test_hostile_translation_file(spec: InputCase, clean_store: CleanStore, tmp_path: Path, capsys, monkeypatch,
                                  case) -> None:
    for name in ("SHOPIFY_STORE", "SHOPIFY_ACCESS_TOKEN", "SHOPIFY_CLIENT_ID", "SHOPIFY_CLIENT_SECRET",
                 "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    env = Env(tmp_path, clean_store, capsys)
    case.expect(spec.expected)
    args = spec.setup(env)
    before = file_hashes(env.root)
    result = run_cli(capsys, [*clean_store.args(env.config), *args])
    case.observe(result.summary(tmp_path))
    assert "Traceback" not in result.err + result.out
    if spec.code:
        assert_one_line_error(result, spec.code, spec.pattern)
        checked = assert_workspace_intact(env.root, before)
        case.observe(f"{result.summary(tmp_path)} [{', '.join(checked)}]")
    else:
        assert result.code == 0, result.err
        assert re.search(spec.pattern, result.out), result.out
        assert_workspace_intact(env.root)
        detail = spec.verify(env, result) if spec.verify else ""
        first = next((line for line in result.out.splitlines() if line.startswith(("translations:", "push:"))),
                     result.out.strip().splitlines()[0])
        case.observe(f"exit 0: {first[:100]}" + (f" | {detail}" if detail else ""))
