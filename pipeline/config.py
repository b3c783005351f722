"""Settings, resolved once: command-line flag > environment > seo.toml > default.

Secrets (API keys, tokens) come only from the environment and are never stored on Settings; the edges that
need them (pipeline/shopify/, pipeline/llm/) read them from the environment mapping they are given.
Each stage reads its own section with `section()`, and type-checks it with `option()`, so this module does
not need to know every stage's knobs.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "seo.toml"
SAMPLE_CATALOG = PROJECT_ROOT / "catalog_samples" / "products.csv"
SAMPLE_KEYWORDS = PROJECT_ROOT / "catalog_samples" / "gsc_queries.csv"
SUPPORTED_LOCALES = ("en", "fr", "de", "es", "it", "nl", "pt", "sv", "da", "pl", "ja")


@dataclass(frozen=True)
class Settings:
    store: str
    workspace_base: Path
    locales: tuple[str, ...]
    primary_locale: str
    config_path: Path | None
    raw: Mapping[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> Mapping[str, Any]:
        value = self.raw.get(name, {})
        if not isinstance(value, Mapping):
            raise ConfigError(f"{self._where()}: [{name}] must be a table")
        return value

    def option(self, section: str, key: str, default: Any, kind: type | tuple[type, ...] | None = None) -> Any:
        value = self.section(section).get(key, default)
        expected = kind or type(default)
        if expected is float:
            expected = (int, float)
        if value is not None and not isinstance(value, expected) or isinstance(value, bool) and expected in (
                int, (int, float)):
            raise ConfigError(f"{self._where()}: [{section}] {key} = {value!r} is not a {_type_name(expected)}")
        return value

    def _where(self) -> str:
        return str(self.config_path) if self.config_path else "settings"


def _type_name(kind: type | tuple[type, ...]) -> str:
    if isinstance(kind, tuple):
        return " or ".join(k.__name__ for k in kind)
    return {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "list": "list"}.get(
        kind.__name__, kind.__name__)


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
    path = Path(config_path) if explicit else DEFAULT_CONFIG
    raw: dict[str, Any] = read_toml(path) if (explicit or path.exists()) else {}
    pipeline_section = raw.get("pipeline", {})
    if not isinstance(pipeline_section, Mapping):
        raise ConfigError(f"{path}: [pipeline] must be a table")

    store_name = store or env.get("STORE") or pipeline_section.get("store") or "sample"
    base = workspace or env.get("SEO_WORKSPACE") or pipeline_section.get("workspace") or "workspace"
    base_path = Path(base)
    if not base_path.is_absolute():
        base_path = (Path.cwd() / base_path)

    locales = pipeline_section.get("locales", ["en"])
    if not isinstance(locales, list) or not locales or not all(isinstance(x, str) for x in locales):
        raise ConfigError(f"{path}: [pipeline] locales must be a non-empty list of locale codes, like [\"en\", \"fr\"]")
    unknown = [x for x in locales if x.split("-")[0] not in SUPPORTED_LOCALES]
    if unknown:
        raise ConfigError(f"{path}: [pipeline] locales: unsupported {', '.join(unknown)} "
                          f"(supported: {', '.join(SUPPORTED_LOCALES)})")
    primary = pipeline_section.get("primary_locale", locales[0])
    if primary not in locales:
        raise ConfigError(f"{path}: [pipeline] primary_locale {primary!r} is not in locales")
    if not isinstance(store_name, str):
        raise ConfigError(f"{path}: [pipeline] store must be a string")
    return Settings(store=store_name, workspace_base=base_path, locales=tuple(locales), primary_locale=primary,
                    config_path=path if raw else None, raw=raw)
