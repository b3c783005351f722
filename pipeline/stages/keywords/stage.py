"""keywords: catalog.parquet + keyword exports -> targets.parquet (one primary and up to N secondaries per product
and locale, each with its source and the reason it was chosen).

Keyword files (GSC Queries/Pages, Ahrefs, Semrush, plain lists; see pipeline/keyword_files.py) are matched to
products by BM25 relevance and assigned per locale by keyword_assignment.assign_locale, whose docstring states
the objective: a primary keyword goes to at most one product, colliding products get long-tail variants with
their own attributes, and products nothing matched get keywords derived from their type and attributes. A
configured locale with no keyword file gets derived keywords in its own language (pipeline/locale_terms.py).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.config import PROJECT_ROOT, SAMPLE_CATALOG, SAMPLE_KEYWORDS, Settings
from pipeline.core.catalog import read_catalog
from pipeline.core.progress import Progress
from pipeline.core.vocabulary import KINDS, head_type, is_known_locale, known_terms, related_terms, translate_term
from pipeline.errors import ConfigError, InputError
from pipeline.stages.keywords.assignment import LocaleResult, assign_locale, keyword_key, ranked_attributes
from pipeline.stages.keywords.collections import plan_collection_keywords, write_collection_targets
from pipeline.stages.keywords.files import KeywordFile, read_keyword_file, split_locale_spec
from pipeline.stages.keywords.product_terms import ProductProfile, product_profile
from pipeline.stages.keywords.product_terms import release_caches as release_profile_caches
from pipeline.stages.keywords.relevance import tokenize
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace, atomic_path

TARGETS_SCHEMA = pa.schema([
    ("product_id", pa.string()),
    ("handle", pa.string()),
    ("locale", pa.string()),
    ("keyword", pa.string()),
    ("role", pa.string()),
    ("source", pa.string()),
    ("score", pa.float64()),
    ("demand", pa.float64()),
    ("reason", pa.string()),
])
CATALOG_COLUMNS = ["id", "handle", "title", "body_html", "vendor", "product_type", "tags", "status", "published",
                   "collections", "options", "variants", "total_inventory"]


@dataclass
class KeywordsResult:
    run_id: int
    products: int
    locales: dict[str, dict[str, Any]]
    files: list[KeywordFile]
    navigational: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> list[str]:
        keyword_rows = sum(len(f.records) for f in self.files)
        first = (f"keywords: {self.products:,} products x {len(self.locales)} locales "
                 f"({', '.join(self.locales)}); {keyword_rows:,} keyword rows from {len(self.files)} file(s); "
                 f"{self.seconds:.1f} s")
        lines = [first]
        for locale, stats in self.locales.items():
            brand = len(self.navigational.get(locale, []))
            set_aside = f", {brand} brand or attribute-only left to collection pages" if brand else ""
            language = locale.split("-")[0].lower()
            rows = sum(1 for f in self.files for r in f.records if r.locale == language)
            named = [f.path for f in self.files if any(r.locale == language for r in f.records)]
            if stats["keywords"] and (stats.get("keywords_assigned") or stats["keywords_with_demand_relevant"]):
                lines.append(
                    f"  {locale}: primary from data {stats['primary_data']:,}, long-tail {stats['primary_long_tail']:,}"
                    f", derived {stats['primary_derived']:,}; collisions resolved {stats['collisions_resolved']:,} "
                    f"({stats['contested_keywords']:,} contested keywords)" + (
                        f"; {stats['stepped_aside']:,} stepped aside for a collection page's query"
                        if stats.get("stepped_aside") else "") + f"; coverage {stats['coverage']:.1%} of "
                    f"{stats['keywords_with_demand_relevant']:,} queries with impressions that match a product "
                    f"({stats['keywords_with_demand']:,} with impressions" + set_aside + ")")
            elif rows:  # a file was read for this locale, and nothing in it names a product of this catalogue
                lines.append(
                    f"  {locale}: no keyword in {', '.join(named)} matches a product of this catalogue ({rows:,} "
                    f"rows read{set_aside}; is it this store's export, for {locale}?); derived "
                    f"{stats['primary_derived']:,} from the products' own type and attributes")
            else:
                lines.append(f"  {locale}: derived {stats['primary_derived']:,} (no keyword file for {locale})")
        return lines + _without_keyword(self.locales)


def _without_keyword(locales: dict[str, dict[str, Any]]) -> list[str]:
    """One line per locale where products got no keyword at all, and why (their titles are then left alone)."""
    lines = []
    for locale, stats in locales.items():
        if not stats.get("derived_none"):
            continue
        why = [f"{stats[key]:,} {text}" for key, text in (
            ("derived_none_no_word", f"no {locale} word for their product noun"),
            ("derived_none_indistinct", f"no {locale} word for what tells them apart"),
            ("derived_none_no_noun", "no product noun in their title or type")) if stats.get(key)]
        lines.append(f"  {locale}: no keyword for {stats['derived_none']:,} products ({'; '.join(why)}); their "
                     f"titles are left as they are")
    return lines


def keyword_options(settings: Settings, cli_files: Sequence[str] | None, state: StateStore) -> dict[str, Any]:
    """keywords() arguments from settings: `--keywords` beats [keywords] files; with neither, a catalogue pulled
    from the bundled sample uses the bundled GSC export for the primary locale (never another store's)."""
    secondary_count = settings.keywords.secondary_count
    min_match = settings.keywords.min_match
    if secondary_count < 0 or not 0 < min_match <= 1:
        raise ConfigError(f"{settings.config_path}: [keywords] secondary_count must be >= 0 and min_match in (0, 1]")
    specs: list[tuple[str, str | None]] = []
    if cli_files:
        specs = [(str(path), locale) for path, locale in
                 (split_locale_spec(spec, settings.locales) for spec in cli_files)]
    else:
        configured = settings.keywords.files
        if isinstance(configured, dict):
            for locale, paths in configured.items():
                paths = [paths] if isinstance(paths, str) else paths
                if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                    raise ConfigError(f"{settings.config_path}: [keywords] files.{locale} must be a list of paths")
                specs += [(p, locale) for p in paths]
        elif isinstance(configured, list):
            for spec in configured:
                if not isinstance(spec, str):
                    raise ConfigError(f"{settings.config_path}: [keywords] files must hold paths like 'q.csv:fr'")
                path, locale = split_locale_spec(spec, settings.locales)
                specs.append((str(path), locale))
        elif _pulled_from_sample(state):
            specs = [(str(SAMPLE_KEYWORDS), settings.primary_locale)]
    files = []
    for path, locale in specs:
        if locale is not None and locale not in settings.locales:
            raise ConfigError(f"keyword file {path} is for locale {locale!r}, which is not in [pipeline] locales "
                              f"({', '.join(settings.locales)})")
        files.append((_resolve(path, settings), locale))
    return {"files": files, "locales": list(settings.locales), "primary_locale": settings.primary_locale,
            "secondary_count": secondary_count, "min_match": float(min_match)}


def _pulled_from_sample(state: StateStore) -> bool:
    pulled = state.get_meta("csv_path")
    return bool(pulled and state.get_meta("last_pull_source") == "csv" and
                Path(pulled).resolve() == SAMPLE_CATALOG.resolve())


def _resolve(path: str, settings: Settings) -> Path:
    candidate = Path(path).expanduser()
    if candidate.is_absolute() or candidate.exists():
        return candidate
    for base in ([settings.config_path.parent] if settings.config_path else []) + [PROJECT_ROOT]:
        if (base / candidate).exists():
            return base / candidate
    return candidate


def keywords(workspace: Workspace, state: StateStore, *, files: Sequence[tuple[Path, str | None]],
             locales: Sequence[str], primary_locale: str, secondary_count: int = 3,
             min_match: float = 0.75) -> KeywordsResult:
    """Reads catalog.parquet and the keyword exports in `files`. Writes targets.parquet (primary and secondary
    keywords per product and locale, assigned without cannibalisation), atomically, and the run in state.db."""
    started = time.monotonic()
    run_id = state.start_run("keywords")
    try:
        loaded = [read_keyword_file(path, locale=locale, default_locale=primary_locale, allowed_locales=locales)
                  for path, locale in files]
        facts = catalog_profiles(workspace.catalog)
        # Category queries go to collection pages first; the products' keywords then step aside for them.
        plan = plan_collection_keywords(workspace, facts, loaded, locales)
        table, per_locale, navigational = build_targets(facts, loaded, locales, secondary_count=secondary_count,
                                                        min_match=min_match, reserved=plan.reserved)
        with atomic_path(workspace.targets) as tmp:
            pq.write_table(table, tmp, compression="zstd")
        release_caches()  # the products' words and keys, cached while assigning: room for what comes next
        write_collection_targets(workspace, plan, table)  # collection_targets.parquet
        result = KeywordsResult(run_id, len(facts), {r.locale: r.stats for r in per_locale}, loaded,
                                navigational, time.monotonic() - started)
        state.finish_run(run_id, "ok", {"products": result.products, "targets": table.num_rows,
                                        "locales": {k: dict(v) for k, v in result.locales.items()}})
        return result
    except BaseException as exc:
        state.finish_run(run_id, "failed", {}, str(exc)[:500])
        raise


def release_caches() -> None:
    """Let go of the caches that grew with the catalogue while its keywords were assigned (each text's words and
    keys: hundreds of megabytes at 100,000 products). They only make the same answers faster."""
    keyword_key.cache_clear()
    release_profile_caches()


def catalog_profiles(path: Path) -> list[ProductProfile]:
    """ProductProfile for every product in catalog.parquet, read a batch at a time (100,000 products with their
    variants would otherwise sit in memory twice, as a frame and as dicts)."""
    read_catalog(path, columns=["id"])  # a missing catalogue is a one-line error asking for `make pull`
    parquet = pq.ParquetFile(path)
    return [product_profile(row) for batch in parquet.iter_batches(batch_size=5000, columns=CATALOG_COLUMNS)
            for row in batch.to_pylist()]


def build_targets(facts: Sequence[ProductProfile], files: Sequence[KeywordFile], locales: Sequence[str], *,
                  secondary_count: int = 3, min_match: float = 0.75,
                  reserved: Mapping[str, frozenset[str]] | None = None
                  ) -> tuple[pa.Table, list[LocaleResult], dict[str, list[str]]]:
    """The targets table for every locale, the per-locale results, and the queries set aside for collection
    pages (brand or attribute only). `reserved`: per locale, the keys of the queries given to collection pages
    (CollectionPlan.reserved), which no product takes. Each locale's targets go into the table as soon as the
    locale is assigned, and its result keeps only its stats (`targets` is emptied): 100,000 products x 4 locales
    of Target objects would otherwise all stay alive until the end."""
    ranked = ranked_attributes(facts)
    progress = Progress("keywords", total=len(locales))
    results: list[LocaleResult] = []
    tables: list[tuple[str, pa.Table]] = []
    navigational: dict[str, list[str]] = {}
    for locale in locales:
        records = [r for f in files for r in f.records if r.locale == locale.split("-")[0].lower()]
        pages = [p for f in files for p in f.pages if p.locale == locale.split("-")[0].lower()]
        records, navigational[locale] = _without_brand_only(records, facts, locale)
        had_file = any(f.records or f.pages for f in files if _file_has_locale(f, locale))
        if not is_known_locale(locale) and not records:
            raise InputError(f"locale {locale!r} has no keyword file and no vocabulary to derive keywords in; "
                             f"add a keyword file for it (--keywords PATH:{locale})")
        result = assign_locale(facts, records, pages, locale, secondary_count=secondary_count,
                               min_match=min_match, had_file=had_file, ranked=ranked,
                               reserved=(reserved or {}).get(locale, frozenset()))
        tables.append((result.locale, _locale_table(facts, result)))
        result.targets = []
        results.append(result)
        progress.advance()
    progress.close()
    return _ordered(tables), results, navigational


def _file_has_locale(f: KeywordFile, locale: str) -> bool:
    language = locale.split("-")[0].lower()
    return any(r.locale == language for r in f.records) or any(p.locale == language for p in f.pages)


def _without_brand_only(records: list, facts: Sequence[ProductProfile], locale: str) -> tuple[list, list[str]]:
    """Queries that name no product belong on collection pages, not on one product: a vendor's name alone
    ("kiln street ceramics"), or only attributes with no product type ("mid century modern", "marble")."""
    vendor_words = {frozenset(tokenize(f.texts.get("vendor", ""), locale)) for f in facts}
    vendor_words.discard(frozenset())
    language = locale.split("-")[0].lower()
    attribute_words = set(tokenize(" ".join(
        (term if language == "en" else translate_term(term, language)) + " " + " ".join(related_terms(term))
        for kind in KINDS if kind != "type" for term in known_terms(kind)), locale))
    kept, collection = [], []
    for record in records:
        words = set(tokenize(record.keyword.replace("&", " and "), locale))
        brand_only = bool(words) and any(words <= v for v in vendor_words)
        attributes_only = bool(words) and words <= attribute_words and head_type(record.keyword, locale) is None
        if brand_only or attributes_only:
            collection.append(record.keyword)
        else:
            kept.append(record)
    return kept, collection


def _locale_table(facts: Sequence[ProductProfile], result: LocaleResult) -> pa.Table:
    """One locale's targets as rows of TARGETS_SCHEMA: its primaries first, then its other rows, each in the order
    assign_locale gave them."""
    targets = [t for t in result.targets if t.role == "primary"] + [t for t in result.targets if t.role != "primary"]
    products = [facts[t.product] for t in targets]
    return pa.table({
        "product_id": [f.product_id for f in products],
        "handle": [f.handle for f in products],
        "locale": [result.locale] * len(targets),
        "keyword": [t.keyword for t in targets],
        "role": [t.role for t in targets],
        "source": [t.source for t in targets],
        "score": [_number(t.score) for t in targets],
        "demand": [_number(t.demand) for t in targets],
        "reason": [t.reason for t in targets],
    }, schema=TARGETS_SCHEMA)


def _number(value: float | None) -> float | None:
    """A float cell; NaN is stored as null (as pandas wrote it when the table went through a DataFrame)."""
    return None if value is None or value != value else float(value)


def _ordered(tables: Sequence[tuple[str, pa.Table]]) -> pa.Table:
    """Every locale's rows in one table, by locale code, each locale's primaries first and then its other rows,
    each in the order they were made (a stable sort by locale and role). The tables are put one after another,
    not copied: each is in that order already, unless one locale came twice."""
    pieces = []
    for locale in sorted({loc for loc, _ in tables}):
        mine = [table for loc, table in tables if loc == locale]
        if len(mine) == 1:
            pieces.append(mine[0])
            continue
        for primary in (True, False):
            for table in mine:
                is_primary = pc.equal(table["role"], "primary")
                pieces.append(table.filter(is_primary if primary else pc.invert(is_primary)))
    return pa.concat_tables(pieces) if pieces else TARGETS_SCHEMA.empty_table()
