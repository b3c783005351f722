"""reoptimise: pull what changed since the last pull, then audit, keywords and drafts for the new and changed
products only, and a review queue of just those drafts. It never pushes: drafts wait for a person (make review).

- A store is pulled `since` the start of the last successful pull (less a margin for clock skew; an overlap only
  re-reads products the content hash then finds unchanged); a CSV store is pulled in full from its fresh export
  and compared product by product. A product whose only change is our own push (its values are now the ones the
  ledger says we wrote) is not a change.
- Audit and keywords run over the whole catalogue, because what they decide is catalogue-wide: a new product can
  duplicate an old one, and a primary keyword goes to one product only. Generation runs for the new and changed
  products only (generate's `only`), so nothing else is redrafted or paid for again.
- The review queue is workspace/<store>/review_queue.csv in the review CSV format (pipeline/decisions_csv.py):
  filled in, `make review-import CSV=...` records it; `make review` shows the same drafts as undecided.
- With nothing new or changed the run stops after the pull and says so; two runs at once are refused.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pipeline.commands import command
from pipeline.config import PROJECT_ROOT, Settings
from pipeline.core.catalog import content_hash, pulled_products
from pipeline.errors import ConfigError, PipelineError
from pipeline.llm.provider import Provider
from pipeline.shopify.protocol import Connector
from pipeline.state import ledger
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace, atomic_path

SINCE_MARGIN = timedelta(minutes=5)
QUEUE_FILE = "review_queue.csv"


@dataclass
class ReoptimiseResult:
    run_id: int
    source: str
    since: str | None = None
    previous_pull: dict[str, Any] | None = None
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    ours: list[str] = field(default_factory=list)  # changed only by our own push: left out
    gone: list[str] = field(default_factory=list)
    stage_lines: list[str] = field(default_factory=list)
    drafts: int = 0
    queue: Path | None = None
    seconds: float = 0.0

    @property
    def products(self) -> list[str]:
        return self.new + self.changed

    def summary(self) -> list[str]:
        previous = (f" (run {self.previous_pull['id']} at {self.previous_pull['started_at']})"
                    if self.previous_pull else "")
        ours = f"; {len(self.ours):,} changed only by our own push, left out" if self.ours else ""
        if not self.products:
            return [f"reoptimise: nothing new or changed since the last pull{previous}{ours}; audit, keywords and "
                    f"generation skipped, no drafts made; {self.seconds:.1f} s", *self.stage_lines[:1]]
        lines = [f"reoptimise: {len(self.new):,} new and {len(self.changed):,} changed products since the last "
                 f"pull{previous}{ours}; {len(self.gone):,} gone", *self.stage_lines]
        if self.queue:
            lines.append(f"  review queue: {self.drafts:,} drafts of {len(self.products):,} products in {self.queue} "
                         f"({command('review')} shows them undecided; or fill in the file and "
                         f"{command('review --import FILE', 'review-import CSV=FILE')})")
        lines.append(f"reoptimise: finished in {self.seconds:.1f} s; nothing was pushed (review, then "
                     f"{command('push')})")
        return lines


def reoptimise(workspace: Workspace, state: StateStore, settings: Settings, *, connector: Connector | None = None,
               csv_path: Path | None = None, provider: Callable[[], Provider] | None = None) -> ReoptimiseResult:
    """Reads a fresh pull (store or CSV). Writes, for new or changed products only, audit.parquet, targets.parquet,
    drafts in state.db and review_queue.csv; never pushes. See the module docstring."""
    from pipeline.stages.pull import pull

    started = time.monotonic()
    with _only_run(workspace):
        previous = state.last_run("pull")
        if connector is None:
            csv_path = _csv_source(state, settings, csv_path)
        since = _since(previous) if connector is not None and previous and workspace.catalog.exists() else None
        expected = _our_values(workspace, state, previous, settings.primary_locale)
        run_id = state.start_run("reoptimise")
        result = ReoptimiseResult(run_id=run_id, source="store" if connector is not None else str(csv_path),
                                  since=since, previous_pull=previous)
        try:
            pulled = pull(workspace, state, csv_path=csv_path, connector=connector, since=since)
            result.stage_lines.append(f"  {pulled.summary()}")
            if connector is not None:
                rows = connector.pull_translations(workspace.locales, only_pulled=bool(since))
                result.stage_lines.append(f"  translations: {rows:,} rows in {workspace.locales.name}")
            result.new, result.gone = list(pulled.new), list(pulled.gone)
            for product_id in pulled.changed:
                version = state.product_version(product_id) or {}
                mine = expected.get(product_id) == version.get("content_hash")
                (result.ours if mine else result.changed).append(product_id)
            if result.products:
                _redraft(workspace, state, settings, result, provider)
            result.seconds = time.monotonic() - started
            state.finish_run(run_id, "ok", {"new": len(result.new), "changed": len(result.changed),
                                            "ours": len(result.ours), "gone": len(result.gone),
                                            "drafts": result.drafts, "since": since})
            return result
        except BaseException as exc:
            state.finish_run(run_id, "failed", {}, str(exc)[:500])
            raise


def _redraft(workspace: Workspace, state: StateStore, settings: Settings, result: ReoptimiseResult,
             make_provider: Callable[[], Provider] | None) -> None:
    from pipeline.llm.costs import price_for
    from pipeline.stages import audit as audit_stage
    from pipeline.stages import generate as generate_stage
    from pipeline.stages import keywords as keywords_stage

    result.stage_lines.append(f"  {audit_stage.run(workspace, state, audit_stage.audit_config(settings)).summary()}")
    targets = keywords_stage.run(workspace, state, **keywords_stage.keyword_options(settings, None, state))
    result.stage_lines += [f"  {line}" for line in targets.summary()]
    provider = make_provider() if make_provider else generate_stage.OfflineTemplateProvider(
        english_spelling=settings.generation.english_spelling)
    options = generate_stage.GenerateOptions.from_settings(settings, select_all=True, only=result.products)
    generated = generate_stage.run(workspace, state, provider, options, price=price_for(settings, provider.model))
    result.stage_lines += [f"  {line}" for line in generated.summary()]
    result.queue, result.drafts = _write_queue(workspace, state, settings, result.products)


def _write_queue(workspace: Workspace, state: StateStore, settings: Settings,
                 product_ids: list[str]) -> tuple[Path, int]:
    from pipeline.stages.review import ReviewSource, export_decisions

    destination = workspace.root / QUEUE_FILE
    source = ReviewSource(workspace, settings.primary_locale)
    with atomic_path(destination) as tmp, open(tmp, "w", encoding="utf-8", newline="") as out:
        count = export_decisions(state, source, out, product_ids=product_ids)
    return destination, count


def _since(previous: dict[str, Any]) -> str:
    moment = datetime.fromisoformat(str(previous["started_at"]).replace("Z", "+00:00")).astimezone(UTC)
    return (moment - SINCE_MARGIN).strftime("%Y-%m-%dT%H:%M:%SZ")


def _csv_source(state: StateStore, settings: Settings, csv_path: Path | None) -> Path:
    """The CSV to compare: the one given, else the file pulled last time, else the bundled sample."""
    if csv_path is not None:
        return csv_path
    if state.get_meta("last_pull_source") == "shopify":
        raise ConfigError("the catalogue was pulled from the store; set SHOPIFY_STORE and its credentials to "
                          "re-optimise it, or give a product CSV export "
                          f"({command('reoptimise --csv FILE', 'reoptimise CSV=FILE')})")
    remembered = state.get_meta("csv_path")
    if remembered:
        return Path(remembered)
    sample = Path(settings.pull.sample_csv)
    return sample if sample.is_absolute() else PROJECT_ROOT / sample


def _our_values(workspace: Workspace, state: StateStore, previous: dict[str, Any] | None,
                locale: str) -> dict[str, str]:
    """product_id -> the content hash its row would have if our pushes since the last pull were its only change."""
    if previous is None or not workspace.catalog.exists():
        return {}
    written = ledger.written_since(state, int(previous["id"]), locale)
    rows = pulled_products(workspace.catalog, list(written))
    return {pid: content_hash({**row, **written[pid]}) for pid, row in rows.items()}


@contextmanager
def _only_run(workspace: Workspace) -> Iterator[None]:
    """Refuse a second run on the same store while one is going (cron and a person at once, say)."""
    path = workspace.root / ".reoptimise.lock"
    with open(path, "w", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PipelineError(f"another reoptimise is running for this store (lock {path}); try again when it "
                                "ends") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


run = reoptimise
