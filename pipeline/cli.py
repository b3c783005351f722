"""The one entry point: `python -m pipeline STAGE [options]`.

This is the only place where errors become exit codes: a PipelineError prints one line on stderr and exits
with its code; anything unexpected prints one line too, unless --debug asks for the traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.config import PROJECT_ROOT, SAMPLE_CATALOG, Settings, load_settings
from pipeline.errors import ConfigError, PipelineError
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace

Command = Callable[[argparse.Namespace, Settings], list[str]]
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Command]] = {}


def command(name: str, help_text: str, arguments: Callable[[argparse.ArgumentParser], None] = lambda p: None):
    """Register a subcommand: its one-line help, its own arguments, and the function that runs it."""
    def register(run: Command) -> Command:
        COMMANDS[name] = (help_text, arguments, run)
        return run
    return register


def open_workspace(settings: Settings) -> tuple[Workspace, StateStore]:
    workspace = Workspace.for_store(settings.workspace_base, settings.store).ensure()
    return workspace, StateStore(workspace.state_db)


# -- pull -------------------------------------------------------------------------------------------------
def _pull_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--csv", type=Path, metavar="PATH",
                        help="a Shopify product CSV export (either header dialect); default: the bundled sample "
                             "when no store is configured")
    parser.add_argument("--since", metavar="TIMESTAMP",
                        help="with a store: pull only products updated after this ISO-8601 time")
    parser.add_argument("--translations", type=Path, metavar="PATH",
                        help="with a product CSV: Shopify's translation export (Settings > Languages > Export), "
                             "joined to the catalogue into translations.parquet (the before of localised drafts)")


@command("pull", "read the catalogue (store, CSV export or bundled sample) into catalog.parquet", _pull_arguments)
def _run_pull(args: argparse.Namespace, settings: Settings) -> list[str]:
    from pipeline.stages.pull import pull

    workspace, state = open_workspace(settings)
    with state:
        connector = None
        if args.csv is None:  # an explicit --csv wins over a configured store
            from pipeline.shopify.connector import connector_from_env

            connector = connector_from_env(os.environ, settings)
        if connector is not None:
            result = pull(workspace, state, connector=connector, since=args.since,
                          translations_path=args.translations)
            rows = connector.pull_translations(workspace.locales, only_pulled=bool(args.since))
            return [result.summary(), f"  wrote {workspace.catalog}",
                    f"  wrote {workspace.locales} ({rows:,} translation rows)", f"  {connector.summary()}"]
        csv_path = args.csv
        if csv_path is None:
            sample = settings.pull.sample_csv
            csv_path = Path(sample) if Path(sample).is_absolute() else PROJECT_ROOT / sample
            if not csv_path.exists() and not Path(sample).is_absolute():
                csv_path = Path(sample)
        result = pull(workspace, state, csv_path=csv_path, since=args.since, translations_path=args.translations,
                      locales=settings.locales, primary_locale=settings.primary_locale)
    lines = [result.summary(), f"  wrote {workspace.catalog}"]
    if result.translations is not None:
        lines += [*result.translations.lines(), f"  wrote {workspace.locales}"]
    return lines


# -- audit ------------------------------------------------------------------------------------------------
def _audit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--threshold", type=float, metavar="0..1",
                        help="near-duplicate similarity (Jaccard over shingles); default [audit] "
                             "near_duplicate_threshold, 0.9")


@command("audit", "find duplicate, generic and thin copy and bad SEO fields into audit.parquet/.csv/.html",
         _audit_arguments)
def _run_audit(args: argparse.Namespace, settings: Settings) -> list[str]:
    from pipeline.stages.audit import audit_config
    from pipeline.stages.audit import run as audit

    config = audit_config(settings, threshold=args.threshold)
    workspace, state = open_workspace(settings)
    with state:
        result = audit(workspace, state, config)
    return [result.summary(), f"  wrote {workspace.audit}, {workspace.audit_csv.name}, {workspace.audit_html.name}"]


# -- keywords ---------------------------------------------------------------------------------------------
def _keywords_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keywords", action="append", metavar="PATH[:LOCALE]",
                        help="a keyword export (GSC Queries/Pages, Ahrefs, Semrush, or a plain list); repeatable; "
                             "replaces [keywords] files")


@command("keywords", "give each product a primary and secondary target keywords per locale into targets.parquet",
         _keywords_arguments)
def _run_keywords(args: argparse.Namespace, settings: Settings) -> list[str]:
    from pipeline.stages.keywords import keyword_options
    from pipeline.stages.keywords import run as keywords

    workspace, state = open_workspace(settings)
    with state:
        options = keyword_options(settings, args.keywords, state)
        result = keywords(workspace, state, **options)
    return [*result.summary(), f"  wrote {workspace.targets}"]


# -- generate ---------------------------------------------------------------------------------------------
def _generate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--all", action="store_true", dest="select_all",
                        help="every product, not only those with audit findings (works without audit.parquet)")
    parser.add_argument("--only", metavar="IDS", help="comma-separated product ids or handles")
    parser.add_argument("--limit", type=_positive_int, metavar="N", help="at most N products, worst first")
    parser.add_argument("--locales", metavar="CODES", help="comma-separated locales (default: [pipeline] locales)")
    parser.add_argument("--provider", choices=("auto", "offline", "openai"),
                        help="who writes the copy (default: [generation] provider)")
    parser.add_argument("--mode", choices=("auto", "live", "batch"),
                        help="with OpenAI: live requests at the rate limit, or the Batch API (half price, within "
                             "24 h); auto: batch from [generation] batch_threshold requests (default: [generation] "
                             "mode)")


def _generation_selection(args: argparse.Namespace, settings: Settings):
    """The products and locales that generate (and estimate, for the same run) work on."""
    from pipeline.stages.generate import GenerateOptions

    def split(text: str | None) -> list[str] | None:
        return [x.strip() for x in text.split(",") if x.strip()] if text else None

    return GenerateOptions.from_settings(settings, select_all=args.select_all, only=split(args.only),
                                         limit=args.limit, locales=split(args.locales))


@command("generate", "write validated draft copy per product and locale into the drafts table (state.db)",
         _generate_arguments)
def _run_generate(args: argparse.Namespace, settings: Settings) -> list[str]:
    from pipeline.llm.costs import price_for
    from pipeline.llm.provider import WaveProvider
    from pipeline.stages.generate import run as generate
    from pipeline.stages.generate import write_collection_drafts
    from pipeline.wiring import select_provider

    options = _generation_selection(args, settings)
    provider = select_provider(settings, os.environ, choice=args.provider)
    writer = provider  # collection copy: a handful of requests, one at a time through the plain provider
    workspace, state = open_workspace(settings)
    with state:
        if not provider.template_based:  # OpenAI: concurrent at the rate limit or batched, with a budget
            from pipeline.wiring import scale_provider

            provider = scale_provider(settings, os.environ, state, mode=args.mode)
        result = generate(workspace, state, provider, options, price=price_for(settings, provider.model))
        collections = None
        if options.only is None and workspace.root.joinpath("collections.parquet").exists():
            collections = write_collection_drafts(workspace, state, settings, writer, locales=options.locales)
    scale = provider.summary(result.unfinished) if isinstance(provider, WaveProvider) else []
    lines = [*result.summary(), *scale, f"  drafts in {workspace.state_db} (table drafts)"]
    if collections is not None:
        lines.append(collections.summary())
    return lines


# -- estimate ---------------------------------------------------------------------------------------------
def _estimate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--all", action="store_true", dest="select_all", help="as generate --all")
    parser.add_argument("--only", metavar="IDS", help="as generate --only")
    parser.add_argument("--limit", type=_positive_int, metavar="N", help="as generate --limit")
    parser.add_argument("--locales", metavar="CODES", help="as generate --locales")


@command("estimate", "requests, tokens and cost of the next generate run for each mode, before spending anything",
         _estimate_arguments)
def _run_estimate(args: argparse.Namespace, settings: Settings) -> list[str]:
    from pipeline.stages.generate import estimate_lines

    options = _generation_selection(args, settings)
    workspace, state = open_workspace(settings)
    with state:
        return estimate_lines(workspace, state, settings, options)


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


# -- links ------------------------------------------------------------------------------------------------
def _links_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--orders", type=Path, metavar="PATH",
                        help="an orders export (Shopify Orders CSV, or order_id + sku/handle columns): adds "
                             "'bought together' links")


@command("links", "suggest internal links between related products and collections into links.parquet",
         _links_arguments)
def _run_links(args: argparse.Namespace, settings: Settings) -> list[str]:
    from pipeline.stages.links import LinkOptions
    from pipeline.stages.links import run as suggest_links

    options = LinkOptions.from_settings(settings)
    workspace, state = open_workspace(settings)
    with state:
        result = suggest_links(workspace, state, options, locale=settings.primary_locale, orders_path=args.orders)
    return [result.summary(), f"  wrote {workspace.links}"]


# -- review -----------------------------------------------------------------------------------------------
def _review_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, metavar="N", help="port on 127.0.0.1 (default [review] port, 8765)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    parser.add_argument("--reviewer", metavar="NAME", help="who decides (default $USER; the page can change it)")
    parser.add_argument("--export", type=Path, metavar="CSV", help="write every draft and its decision to CSV, "
                                                                   "then exit")
    parser.add_argument("--import", dest="import_csv", type=Path, metavar="CSV",
                        help="record the decisions filled in a CSV from --export, then exit")
    parser.add_argument("--collections-export", type=Path, metavar="CSV",
                        help="write every collection draft and its decision to CSV, then exit")
    parser.add_argument("--collections-import", type=Path, metavar="CSV",
                        help="record the collection decisions filled in a CSV from --collections-export, then exit")


@command("review", "review drafts in the browser (127.0.0.1 only): diffs, approve / edit / reject, CSV export "
         "and import", _review_arguments)
def _run_review(args: argparse.Namespace, settings: Settings) -> list[str]:
    from pipeline.stages.review import run as run_review

    workspace, state = open_workspace(settings)
    state.close()
    if args.collections_export is not None or args.collections_import is not None:
        from pipeline.stages.review import run_collections_csv

        return run_collections_csv(workspace, settings.primary_locale, reviewer=args.reviewer,
                                   export_path=args.collections_export, import_path=args.collections_import)
    return run_review(workspace, settings, port=args.port, open_browser=not args.no_browser,
                      reviewer=args.reviewer, export_path=args.export, import_path=args.import_csv)


@command("review-report", "write one static HTML file of every draft's diff (review_report.html)")
def _run_review_report(args: argparse.Namespace, settings: Settings) -> list[str]:
    from pipeline.stages.review import write_report

    workspace, state = open_workspace(settings)
    with state:
        result = write_report(workspace, state, settings.primary_locale, store=settings.store)
    return [result.summary(), f"  wrote {result.path}"]


# -- push, rollback, reoptimise ---------------------------------------------------------------------------
def _push_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="print what would change (reads the store to check "
                                                               "for conflicts) and write nothing")
    parser.add_argument("--offline", action="store_true",
                        help="write the Shopify import CSV even when a store is configured (the demo never writes "
                             "to a store)")
    parser.add_argument("--translations", type=Path, metavar="PATH",
                        help="offline: a newer translation export (Settings > Languages > Export) to check the "
                             "approved translations against; one edited in the store since the pull is reported, "
                             "not overwritten (default: the export pulled, if it is still there)")


@command("push", "send approved drafts to the store (or, with no store, an import CSV); every write in the ledger",
         _push_arguments)
def _run_push(args: argparse.Namespace, settings: Settings) -> list[str]:
    from pipeline.shopify.connector import connector_from_env
    from pipeline.stages.push import PushOptions
    from pipeline.stages.push import run as push

    options = PushOptions.from_settings(settings, dry_run=args.dry_run, translations_path=args.translations)
    connector = None if args.offline else connector_from_env(os.environ, settings)
    workspace, state = open_workspace(settings)
    with state:
        result = push(workspace, state, options, connector=connector)
    return result.summary() + ([f"  {connector.summary()}"] if connector is not None else [])


def _rollback_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--run", type=_positive_int, metavar="ID", help="the push run to undo (default: the latest "
                                                                        "one not rolled back)")
    parser.add_argument("--dry-run", action="store_true", help="print what would be restored and write nothing")


@command("rollback", "restore the values a push replaced (where the store still holds ours) and delete its "
         "redirects", _rollback_arguments)
def _run_rollback(args: argparse.Namespace, settings: Settings) -> list[str]:
    from pipeline.shopify.connector import connector_from_env
    from pipeline.stages.push import rollback

    connector = connector_from_env(os.environ, settings)
    workspace, state = open_workspace(settings)
    with state:
        result = rollback(workspace, state, primary_locale=settings.primary_locale, run=args.run,
                          connector=connector, dry_run=args.dry_run, chunk_size=settings.push.chunk_size)
    return result.summary() + ([f"  {connector.summary()}"] if connector is not None else [])


def _reoptimise_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--csv", type=Path, metavar="PATH", help="a fresh product CSV export of a store without API "
                                                                 "access (default: the file pulled last time)")
    parser.add_argument("--provider", choices=("auto", "offline", "openai"),
                        help="who writes the copy (default: [generation] provider)")


@command("reoptimise", "pull what changed since the last pull, then audit, keywords and drafts for new or changed "
         "products only, into a review queue (never pushes)", _reoptimise_arguments)
def _run_reoptimise(args: argparse.Namespace, settings: Settings) -> list[str]:
    from pipeline.shopify.connector import connector_from_env
    from pipeline.stages.reoptimise import reoptimise
    from pipeline.wiring import select_provider

    connector = None if args.csv else connector_from_env(os.environ, settings)
    workspace, state = open_workspace(settings)
    with state:
        result = reoptimise(workspace, state, settings, connector=connector, csv_path=args.csv,
                            provider=lambda: select_provider(settings, os.environ, choice=args.provider))
    return result.summary()


# -- init -------------------------------------------------------------------------------------------------
def _init_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="overwrite what is already there")
    parser.add_argument("--prompts", action="store_true",
                        help="also copy the packaged prompt templates into ./prompts, to edit them")


@command("init", "write a commented seo.toml into the current folder (and the prompt templates with --prompts)",
         _init_arguments)
def _run_init(args: argparse.Namespace, settings: Settings | None = None) -> list[str]:
    """Needs no settings (main calls it without loading any), so it also replaces a broken seo.toml."""
    import shutil

    from pipeline.resources import CONFIG_NAME, PROMPTS_NAME, packaged_config, packaged_prompts

    folder = Path.cwd()
    sources = {CONFIG_NAME: packaged_config(), **({PROMPTS_NAME: packaged_prompts()} if args.prompts else {})}
    missing = [str(source) for source in sources.values() if not source.exists()]
    if missing:
        raise ConfigError(f"{missing[0]}: the packaged default is missing; reinstall the package")
    present = [name for name in sources if (folder / name).exists()]
    if present and not args.force:
        raise ConfigError(f"{folder / present[0]} already exists; init leaves it as it is (--force overwrites it "
                          "with the packaged default)")
    lines = []
    for name, source in sources.items():
        if source.is_dir():
            shutil.copytree(source, folder / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            lines.append(f"init: wrote {folder / name}{os.sep} (these templates now replace the packaged ones)")
        else:
            shutil.copyfile(source, folder / name)
            lines.append(f"init: wrote {folder / name} (commented default settings; runs from this folder read it)")
    lines += ["next:",
              "  seo-pipeline demo                      every stage, offline, on the bundled sample catalogue",
              "  edit seo.toml: [pipeline] locales, [brand] name and voice",
              "  seo-pipeline pull --csv products.csv   your Shopify product CSV export (or set SHOPIFY_STORE and "
              "its credentials, see docs/shopify.md)",
              "  then audit, keywords, links, estimate, generate, review, push (seo-pipeline --help); "
              "results go to ./workspace/"]
    if not args.prompts:
        lines.append("  seo-pipeline init --prompts            to edit the prompt templates (copies them to ./prompts)")
    return lines


# -- demo -------------------------------------------------------------------------------------------------
@command("demo", "run every stage end to end, offline, on the bundled sample, and print a summary")
def _run_demo(args: argparse.Namespace, settings: Settings) -> list[str]:
    from pipeline.demo import approve_passed, closing_note

    lines = ["demo: offline run on the bundled sample catalogue (no store, no LLM key needed)"]
    for stage in DEMO_STAGES:
        if stage == "push":  # the demo store only (pipeline/demo.py checks): approve what passed the gates
            _, state = open_workspace(settings)
            with state:
                lines += approve_passed(state)
        extra = DEMO_ARGUMENTS.get(stage, [])
        if stage == "pull" and not SAMPLE_TRANSLATIONS.exists():  # an installed copy without the sample export
            extra = extra[:2]
        stage_args = build_parser().parse_args([stage, *extra])
        lines += COMMANDS[stage][2](stage_args, settings)
    workspace, state = open_workspace(settings)
    with state:
        lines += closing_note(workspace, state, settings.primary_locale)
    return lines


# review-report stays last: it reports on what every other stage produced.
DEMO_STAGES = ["pull", "audit", "keywords", "links", "estimate", "generate", "push", "review-report"]
# The demo works on the bundled sample (its products and their translation export in fr and de) and stays offline
# even when a store or an OpenAI key is configured: it generates for the whole sample in English and two other
# locales, approves the drafts that passed the gates (this store only), and push writes a product import file and a
# translation import file.
SAMPLE_TRANSLATIONS = SAMPLE_CATALOG.parent / "translations_export.csv"
DEMO_ARGUMENTS = {"pull": ["--csv", str(SAMPLE_CATALOG), "--translations", str(SAMPLE_TRANSLATIONS)],
                  "push": ["--offline"],
                  "generate": ["--all", "--provider", "offline", "--locales", "en,fr,de"],
                  "estimate": ["--all", "--locales", "en,fr,de"]}  # what the same run would cost with OpenAI


# -- plumbing ---------------------------------------------------------------------------------------------
def _common_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--store", default=default, help="workspace name: workspace/<store>/ (default: sample)")
    parser.add_argument("--config", type=Path, default=default, metavar="PATH",
                        help="settings file (default: seo.toml)")
    parser.add_argument("--workspace", type=Path, default=default, metavar="DIR", help="base folder of workspaces")
    parser.add_argument("--debug", action="store_true", default=default if suppress else False,
                        help="show tracebacks for errors")


# The stages in the order a run takes them; --help lists these first, then the other commands.
RUN_ORDER = ("pull", "audit", "keywords", "links", "estimate", "generate", "review", "push")


def build_parser() -> argparse.ArgumentParser:
    others = [name for name in COMMANDS if name not in RUN_ORDER]
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="SEO catalogue-rewriting pipeline for Shopify stores. The stages, in the order they run: "
                    + " -> ".join(RUN_ORDER) + "; also: " + ", ".join(others) + ".")
    _common_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="stage", metavar="STAGE", required=True)
    for name in [*RUN_ORDER, *others]:
        help_text, arguments, _ = COMMANDS[name]
        stage_parser = sub.add_parser(name, help=help_text, description=help_text)
        _common_options(stage_parser, suppress=True)
        arguments(stage_parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        if args.store is not None and not args.store.strip():
            raise ConfigError("the store name is empty; give --store NAME (letters, digits, '.', '_' or '-', like "
                              "my-shop), or leave --store out for the bundled sample")
        if args.stage == "init":  # writes the settings file, so it reads none
            lines = _run_init(args)
        else:
            settings = load_settings(args.config, store=args.store, workspace=args.workspace, env=os.environ)
            lines = COMMANDS[args.stage][2](args, settings)
    except PipelineError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; finished work is kept, re-run to continue", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the user gets one line, --debug gets the traceback
        if args.debug:
            traceback.print_exc()
        print(f"internal error: {type(exc).__name__}: {exc} (re-run with --debug for details)", file=sys.stderr)
        return 70
    for line in lines:
        print(line)
    if args.stage == "demo":
        print(f"demo: finished in {time.monotonic() - started:.1f} s")
    return 0


__all__ = ["main", "build_parser", "ConfigError"]
