"""Settings, typed and checked once: command-line flag > environment > seo.toml > default.

Each seo.toml section is one frozen dataclass below, and each default is written once, there. `load_settings`
parses every section when the run starts: an unknown section or key, or a value of the wrong type, stops the
run with one line naming the file, the key and the nearest valid key, before anything is read or written.
Stages receive the typed sections they need (`settings.generation`, `settings.links`, ...).

Secrets (API keys, tokens) come only from the environment and are never stored on Settings; the edges that
need them (pipeline/shopify/, pipeline/llm/) read them from the environment mapping they are given.
"""

from __future__ import annotations

import difflib
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

from pipeline.core.seo_limits import LEGACY_KEYS, SeoLimits
from pipeline.errors import ConfigError
from pipeline.gates.content.findings import FACT_CLASSES
from pipeline.resources import default_config, resource_root

# Where the shipped files are (pipeline/resources.py): the repository checkout, or pipeline/_bundled/ of an
# installed wheel; both hold seo.toml, prompts/ and catalog_samples/. Relative sample paths resolve against it.
PROJECT_ROOT = resource_root()
DEFAULT_CONFIG = PROJECT_ROOT / "seo.toml"  # the packaged default; ./seo.toml in the working folder wins over it
SAMPLE_CATALOG = PROJECT_ROOT / "catalog_samples" / "products.csv"
SAMPLE_KEYWORDS = PROJECT_ROOT / "catalog_samples" / "gsc_queries.csv"
SUPPORTED_LOCALES = ("en", "fr", "de", "es", "it", "nl", "pt", "sv", "da", "pl", "ja")
DEFAULT_MODEL = "gpt-5.4-mini"  # a current small model; its price is in pipeline/llm/costs.py


@dataclass(frozen=True)
class PipelineSection:
    """[pipeline]: which store, where its workspace lives, and the locales copy is written in."""

    store: str = "sample"
    workspace: str = "workspace"
    locales: tuple[str, ...] = ("en",)
    primary_locale: str = ""  # empty: the first of `locales`


@dataclass(frozen=True)
class PullSettings:
    """[pull]"""

    sample_csv: str = "catalog_samples/products.csv"  # used when no store is configured and no --csv is given


@dataclass(frozen=True)
class ShopifySettings:
    """[shopify]: how the connector talks to the Admin API (the store and credentials come from the environment)."""

    timeout_s: float = 30.0
    download_timeout_s: float = 60.0
    max_attempts: int = 6
    poll_first_s: float = 0.25
    poll_max_s: float = 10.0
    bulk_threshold: int = 250
    translation_page_size: int = 100
    # The Admin API version every request names; the default is the version whose schema the tests validate our
    # GraphQL documents against (tests/contracts/shopify/). Checked against the store's supported versions when
    # a run connects (pipeline/shopify/versions.py).
    api_version: str = "2026-01"

    def checked(self, where: str) -> ShopifySettings:
        year, dash, month = self.api_version.partition("-")
        if not (dash and len(year) == 4 and year.isascii() and year.isdigit() and month in ("01", "04", "07", "10")):
            raise ConfigError(f"{where}: [shopify] api_version = {self.api_version!r} is not a Shopify API version; "
                              "versions are named YYYY-MM by quarter, like \"2026-01\" or \"2026-04\"")
        return self


@dataclass(frozen=True)
class LinksSettings:
    """[links]: how many internal links each product gets, and how candidates are chosen."""

    links_min: int = 2
    links_max: int = 5
    inbound_cap: int = 10
    include_collections: bool = True
    same_type_candidates: int = 12
    complementary_candidates: int = 4
    complementary_types: int = 2
    min_similarity: float = 0.08
    copurchase_saturation: int = 3  # orders in which a pair was bought together for the pair's bonus to be full
    min_collection_products: int = 2

    def checked(self, where: str) -> LinksSettings:
        if not 1 <= self.links_min <= self.links_max:
            raise ConfigError(f"{where}: [links] links_min = {self.links_min} and links_max = {self.links_max}: "
                              "need 1 <= links_min <= links_max")
        if self.inbound_cap < 1:
            raise ConfigError(f"{where}: [links] inbound_cap = {self.inbound_cap}: must be at least 1")
        return self


@dataclass(frozen=True)
class AuditSettings:
    """[audit]: each default is the usual SEO-crawler setting. Length limits live in [limits]."""

    near_duplicate_threshold: float = 0.9
    description_shingle_words: int = 3
    title_shingle_words: int = 1
    minhash_permutations: int = 64
    title_min_words: int = 2
    stuffing_repeats: int = 3
    shared_description_min_products: int = 3
    min_collection_products: int = 3  # a collection with fewer active products is thin (pipeline/core/collections.py)
    placeholder_words: tuple[str, ...] | None = None  # None: the audit's built-in list
    variant_words: tuple[str, ...] | None = None


@dataclass(frozen=True)
class KeywordsSettings:
    """[keywords]"""

    secondary_count: int = 3
    min_match: float = 0.75
    files: Mapping[str, Any] | tuple[str, ...] | None = None  # {locale = [paths]} or [paths]


@dataclass(frozen=True)
class GenerationSettings:
    """[generation] and its sub-tables ([generation.rewrite], [generation.locale.<code>], ...)."""

    provider: str = "auto"
    model: str = DEFAULT_MODEL
    # Sent only where the model takes it (pipeline/llm/models.py): None leaves each model at its own default.
    temperature: float | None = None
    reasoning_effort: str | None = None  # reasoning models only; None: the lowest effort the model offers
    reasoning_budget: int = 0  # tokens kept for reasoning in each request's cap (0: by effort, llm/models.py)
    max_output_tokens: int = 0  # the most any answer may ask for; 0: sized per request (llm/tokens.py) only
    max_repair_rounds: int = 2
    allow_handle_changes: bool = False
    # Fact classes a draft may drop from the copy it replaces (pipeline/gates/content FACT_CLASSES: "material",
    # "percentage", "measurement", "care", "certification", "warranty", "feature"); none by default.
    allow_dropped: tuple[str, ...] = ()
    max_cost_usd: float = 0.0
    mode: str = "auto"
    batch_threshold: int = 5000
    budget: float = 0.0
    rpm: int = 0
    tpm: int = 0
    concurrency: int = 64
    batch_poll_s: float = 30.0
    expected_repair_share: float = 0.15
    currency: str = "EUR"
    english_spelling: str = "US"
    near_duplicate_threshold: float | None = None  # None: [audit] near_duplicate_threshold
    timeout_s: float = 60.0
    attempts: int = 6
    retry_wait_s: float = 1.0
    max_tokens_param: str = "max_completion_tokens"
    # Overrides the model table (llm/models.py): temperature, reasoning_efforts, structured_output, batch.
    capabilities: Mapping[str, Any] = field(default_factory=dict)
    rewrite: Mapping[str, Any] = field(default_factory=dict)
    locale: Mapping[str, Any] = field(default_factory=dict)
    finding_fields: Mapping[str, Any] = field(default_factory=dict)
    limits: Mapping[str, Any] = field(default_factory=dict)  # older files: the limits, now in [limits]


@dataclass(frozen=True)
class BrandSettings:
    """[brand]: the voice every draft is written in."""

    name: str = "our shop"
    voice: str = "Warm, precise and plain-spoken; facts before adjectives."
    tone: str = "Friendly and helpful, never pushy."
    banned_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReviewSettings:
    """[review]"""

    port: int = 8765


@dataclass(frozen=True)
class PushSettings:
    """[push]"""

    chunk_size: int = 1000  # products re-read, written and read back together


SECTIONS: dict[str, type] = {
    "pipeline": PipelineSection, "pull": PullSettings, "shopify": ShopifySettings, "links": LinksSettings,
    "audit": AuditSettings, "keywords": KeywordsSettings, "generation": GenerationSettings, "brand": BrandSettings,
    "review": ReviewSettings, "push": PushSettings,
}
OTHER_SECTIONS = ("limits", "pricing")  # parsed by SeoLimits and price_for's table check below


@dataclass(frozen=True)
class Settings:
    store: str
    workspace_base: Path
    locales: tuple[str, ...]
    primary_locale: str
    config_path: Path | None
    pull: PullSettings = PullSettings()
    shopify: ShopifySettings = ShopifySettings()
    links: LinksSettings = LinksSettings()
    limits: SeoLimits = SeoLimits()
    audit: AuditSettings = AuditSettings()
    keywords: KeywordsSettings = KeywordsSettings()
    generation: GenerationSettings = GenerationSettings()
    brand: BrandSettings = BrandSettings()
    review: ReviewSettings = ReviewSettings()
    push: PushSettings = PushSettings()
    pricing: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # model -> US dollars per M tokens

    def where(self) -> str:
        return str(self.config_path) if self.config_path else "settings"


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None


def load_settings(config_path: Path | None = None, *, store: str | None = None,
                  workspace: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    explicit = config_path is not None
    path = Path(config_path) if config_path is not None else default_config()  # ./seo.toml, else DEFAULT_CONFIG
    raw: dict[str, Any] = read_toml(path) if (explicit or path.exists()) else {}
    where = str(path)
    unknown = [name for name in raw if name not in SECTIONS and name not in OTHER_SECTIONS]
    if unknown:
        known = [*SECTIONS, *OTHER_SECTIONS]
        raise ConfigError(f"{where}: unknown section [{unknown[0]}]{_nearest(unknown[0], known)}")
    sections: dict[str, Any] = {name: parse_section(kind, raw.get(name, {}), name, where,
                                    also_known=LEGACY_KEYS["audit"] if name == "audit" else ())
                for name, kind in SECTIONS.items()}
    main: PipelineSection = sections["pipeline"]
    store_name = store or env.get("STORE") or main.store
    base_path = Path(workspace or env.get("SEO_WORKSPACE") or main.workspace)
    if not base_path.is_absolute():
        base_path = Path.cwd() / base_path
    locales = main.locales
    if not locales:
        raise ConfigError(f"{where}: [pipeline] locales must be a non-empty list of locale codes, like "
                          "[\"en\", \"fr\"]")
    unsupported = [x for x in locales if x.split("-")[0] not in SUPPORTED_LOCALES]
    if unsupported:
        raise ConfigError(f"{where}: [pipeline] locales: unsupported {', '.join(unsupported)} "
                          f"(supported: {', '.join(SUPPORTED_LOCALES)})")
    primary = main.primary_locale or locales[0]
    if primary not in locales:
        raise ConfigError(f"{where}: [pipeline] primary_locale {primary!r} is not in locales")
    generation: GenerationSettings = sections["generation"]
    unknown_classes = [c for c in generation.allow_dropped if c not in FACT_CLASSES]
    if unknown_classes:
        raise ConfigError(f"{where}: [generation] allow_dropped: unknown fact class {unknown_classes[0]!r} "
                          f"(known: {', '.join(FACT_CLASSES)})")
    limits = SeoLimits.from_tables({"limits": raw.get("limits", {}), "audit": raw.get("audit", {}),
                                    "generation.limits": generation.limits}, where)
    return Settings(store=store_name, workspace_base=base_path, locales=tuple(locales), primary_locale=primary,
                    config_path=path if raw else None, pull=sections["pull"],
                    shopify=sections["shopify"].checked(where),
                    links=sections["links"].checked(where), limits=limits, audit=sections["audit"],
                    keywords=sections["keywords"], generation=generation, brand=sections["brand"],
                    review=sections["review"], push=sections["push"], pricing=_pricing(raw.get("pricing", {}), where))


Section = TypeVar("Section")


def parse_section(kind: type[Section], table: Any, name: str, where: str,
                  also_known: Mapping[str, Any] | tuple[str, ...] = ()) -> Section:
    """One section's table as its dataclass: unknown keys and wrong types are one-line errors."""
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: [{name}] must be a table")
    hints = typing.get_type_hints(kind)
    known = [f.name for f in fields(kind)]  # type: ignore[arg-type]
    values = {}
    for key, value in table.items():
        if key in also_known:
            continue  # read by another section's parser (older limit keys)
        if key not in known:
            raise ConfigError(f"{where}: [{name}] unknown key {key!r}{_nearest(key, known)}")
        values[key] = _typed(value, hints[key], f"{where}: [{name}] {key}")
    return kind(**values)


def _typed(value: Any, hint: Any, label: str) -> Any:
    options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    for option in options:
        if option is type(None):
            continue
        origin = typing.get_origin(option) or option
        if origin is bool and isinstance(value, bool):
            return value
        if origin is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if origin is float and isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if origin is str and isinstance(value, str):
            return value
        if origin is tuple and isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        if origin in (Mapping, dict) and isinstance(value, Mapping):
            return value
    raise ConfigError(f"{label} = {value!r} is not {_kind_name(options)}")


def _kind_name(options: tuple[Any, ...]) -> str:
    names = {bool: "true or false", int: "an integer", float: "a number", str: "a string",
             tuple: "a list of strings", Mapping: "a table", dict: "a table"}
    return " or ".join(names.get(typing.get_origin(o) or o, str(o)) for o in options if o is not type(None))


def _nearest(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"


PRICE_KEYS = ("input", "output", "cached", "batch_input", "batch_output", "batch_cached")


def _pricing(table: Any, where: str) -> dict[str, dict[str, float]]:
    """[pricing.<model>] tables: US dollars per million tokens; input and output are required."""
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: [pricing] must hold one table per model, like [pricing.\"gpt-4o-mini\"]")
    prices = {}
    for model, entry in table.items():
        label = f"{where}: [pricing.\"{model}\"]"
        if not isinstance(entry, Mapping) or "input" not in entry or "output" not in entry:
            raise ConfigError(f"{label} needs numbers input and output (and optionally cached), in dollars per "
                              "million tokens")
        for key, value in entry.items():
            if key not in PRICE_KEYS:
                raise ConfigError(f"{label} unknown key {key!r}{_nearest(key, list(PRICE_KEYS))}")
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError(f"{label} {key} = {value!r} is not a number")
        prices[str(model)] = {key: float(value) for key, value in entry.items()}
    return prices
