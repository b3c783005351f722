"""What `make demo` does beyond running the stages: in the demo store only, approve the drafts that passed the
gates (a person approves a real store's drafts: make review), and close with the import files push wrote, ten rows
of the translation file and its round trip through our own reader.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from pipeline.commands import command
from pipeline.config import SAMPLE_CATALOG
from pipeline.shopify import translations_csv as tcsv
from pipeline.stages.push import TRANSLATION_IMPORT_HINT, translation_file_path, translation_resources
from pipeline.state import ledger
from pipeline.state.decisions import build_decision, list_decisions, record_decisions
from pipeline.state.drafts import list_drafts
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace

DEMO_REVIEWER = "demo (automatic approval)"


def is_demo_store(state: StateStore) -> bool:
    """Whether the catalogue was last pulled from the bundled sample CSV: the only store the demo approves in."""
    path = state.get_meta("csv_path")
    return state.get_meta("last_pull_source") == "csv" and path is not None and \
        Path(path).resolve() == SAMPLE_CATALOG.resolve()


def approve_passed(state: StateStore) -> list[str]:
    """Approve every draft that passed the gates and has no decision yet, as the demo reviewer; decisions already
    made are kept. Refused (nothing approved) unless this is the demo store."""
    if not is_demo_store(state):
        return ["demo: not approving anything: this workspace's catalogue is not the bundled sample (drafts of a "
                f"real store are approved by a person: {command('review')})"]
    decided = {(d.product_id, d.locale) for d in list_decisions(state)}
    drafts = [d for d in list_drafts(state, status="passed") if (d.product_id, d.locale) not in decided]
    decisions = [build_decision(d, "approved", reviewer=DEMO_REVIEWER) for d in drafts]
    record_decisions(state, [d for d in decisions if d.fields])
    by_locale = Counter(d.locale for d in decisions if d.fields)
    return [f"demo: approved {sum(by_locale.values()):,} drafts that passed the gates "
            f"({', '.join(f'{k} {v:,}' for k, v in sorted(by_locale.items())) or 'none new'}) as "
            f"{DEMO_REVIEWER!r}: in the demo store only (the bundled sample); a real store's drafts are approved by a "
            f"person ({command('review')})"]


def closing_note(workspace: Workspace, state: StateStore, primary_locale: str, *, shown: int = 10) -> list[str]:
    """The import files that hold what the demo's pushes exported (a re-run exports only what is new, and points to
    the earlier files), ten rows of the largest translation file, and every translation file read back through
    pipeline/shopify/translations_csv.py against the values the ledger says were approved and exported."""
    product_files: list[tuple[Path, int]] = []
    translation_files: list[tuple[Path, dict[tuple[str, str, str], str | None]]] = []
    for run in ledger.push_runs(state):
        rows = [r for r in ledger.run_rows(state, run["run_id"], ("exported",)) if r.rolled_back_by is None]
        path = Path(run["export_path"]) if run.get("export_path") else None
        if path is not None and path.exists() and any(r.locale == primary_locale for r in rows):
            with open(path, encoding="utf-8", newline="") as handle:
                product_files.append((path, sum(1 for _ in csv.reader(handle)) - 1))
        translations = translation_file_path(workspace, run["run_id"])
        exported = {(r.product_id, r.locale, r.field): r.after for r in rows if r.locale != primary_locale}
        if translations.exists() and exported:
            translation_files.append((translations, exported))
    lines = ["demo: closing note (offline, the demo store: nothing was sent to a store)"]
    for path, count in product_files:
        lines.append(f"  product import file: {path} ({count:,} products; Shopify admin > Products > Import)")
    if not product_files:
        lines.append("  product import file: none (no approved change in the primary locale)")
    if not translation_files:
        lines.append("  translation import file: none (no approved translation)")
        return lines
    files = [(path, tcsv.read_translation_file(path), exported) for path, exported in translation_files]
    for path, file, _ in files:
        per_locale = Counter(r.locale for r in file.rows)
        lines.append(f"  translation import file: {path} ({len(file.rows):,} rows: "
                     f"{', '.join(f'{k} {v:,}' for k, v in sorted(per_locale.items()))}; {TRANSLATION_IMPORT_HINT})")
    path, largest, _ = max(files, key=lambda f: len(f[1].rows))
    lines.append(f"  the first {min(shown, len(largest.rows))} rows of {path.name} ({', '.join(largest.header)}; "
                 "long cells cut):")
    for row in largest.rows[:shown]:
        lines.append("    " + ",".join(_cut(cell) for cell in row.cells(largest.header)))
    checked = [round_trip(workspace, file, exported) for _, file, exported in files]
    same, total = sum(c[0] for c in checked), sum(c[1] for c in checked)
    lines.append(f"  round trip: {'passed' if same == total else 'FAILED'}: {same:,} of {total:,} rows read back "
                 "through pipeline/shopify/translations_csv.py hold exactly the approved value the ledger exported")
    return lines


def round_trip(workspace: Workspace, file: tcsv.TranslationFile,
               exported: dict[tuple[str, str, str], str | None]) -> tuple[int, int]:
    """(rows that hold exactly the exported value, rows expected): a row missing from the file, or one the ledger
    does not have, counts as not the same."""
    numbers = {tcsv.resource_number(r.identification): pid
               for pid, r in translation_resources(workspace, sorted({pid for pid, _, _ in exported})).items()}
    read = {(numbers.get(r.resource_id, ""), r.locale, tcsv.KEY_FIELDS.get(r.field, "")): r.translated_content
            for r in file.rows}
    same = sum(1 for key, value in exported.items() if read.get(key) == value)
    return same, max(len(exported), len(read))


def _cut(text: str, width: int = 48) -> str:
    text = " ".join(text.split())
    text = text if len(text) <= width else text[:width - 1] + "…"
    return f'"{text}"' if "," in text or '"' in text else text
