"""Prompt templates in prompts/, rendered in a Jinja2 sandbox with StrictUndefined.

A misspelt variable fails loudly and names the template; product text only ever arrives as a variable's value,
so `{{ ... }}` inside a product description is inert text. The system template and the locale's guidance make the
static prefix (identical for every product of a locale, so providers' prompt caching applies); the product
message follows it.
"""

from __future__ import annotations

import hashlib
import json
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from pipeline.errors import ConfigError
from pipeline.resources import packaged_prompts, prompts_dir

# The packaged templates (prompts/ at the top of the repository, or the installed wheel's copy); a prompts/
# folder in the working folder replaces them as a whole (pipeline/resources.py, `seo-pipeline init --prompts`).
PROMPTS_DIR = packaged_prompts()
SYSTEM, PRODUCT, REPAIR = "system.j2", "product.j2", "repair.j2"


class QuotedOnce(dict[str, Any]):
    """A mapping the `json` filter writes once however many prompts quote it: the product's data, the same in
    each locale's prompt. Not to be changed once quoted."""

    quoted: str | None = None


def _json(value: Any) -> str:
    if isinstance(value, QuotedOnce):
        if value.quoted is None:
            value.quoted = _dumps(value)
        return value.quoted
    return _dumps(value)


def _dumps(value: Any) -> str:
    # "</" is escaped so product text cannot close the <product_data> block it is quoted in. A string (most of what
    # a prompt quotes: keywords, titles, evidence) takes json's own string encoder directly, as json.dumps would.
    text = encode_basestring(value) if type(value) is str else json.dumps(value, ensure_ascii=False, default=str)
    return text.replace("</", "<\\/")


class Prompts:
    def __init__(self, directory: Path | None = None):
        self.directory = Path(directory) if directory is not None else prompts_dir()
        if not self.directory.is_dir():
            raise ConfigError(f"{self.directory}: prompt template folder not found")
        self.env = SandboxedEnvironment(loader=FileSystemLoader(str(self.directory)), undefined=StrictUndefined,
                                        autoescape=False, trim_blocks=True, lstrip_blocks=True,
                                        keep_trailing_newline=False, auto_reload=False)
        # auto_reload off: a template is read once per run, not stat()ed again before each of its renders
        self.env.filters["json"] = _json
        self._hashes: dict[str, str] = {}

    def locale_template(self, locale: str) -> str:
        for name in (f"locale/{locale}.j2", f"locale/{locale.split('-')[0]}.j2", "locale/default.j2"):
            if (self.directory / name).exists():
                return name
        raise ConfigError(f"{self.directory}/locale: no guidance template for locale {locale!r} and no default.j2")

    def render(self, name: str, **variables: Any) -> str:
        try:
            return self.env.get_template(name).render(**variables).strip() + "\n"
        except TemplateNotFound:
            raise ConfigError(f"{self.directory / name}: prompt template not found") from None
        except TemplateSyntaxError as exc:
            raise ConfigError(f"{self.directory / name}: line {exc.lineno}: {exc.message}") from None
        except TemplateError as exc:
            raise ConfigError(f"{self.directory / name}: {exc}") from None

    def source_hash(self, name: str) -> str:
        """Digest of one template's source, to tell which drafts a template edit makes stale."""
        if name not in self._hashes:
            try:
                source = (self.directory / name).read_bytes()
            except FileNotFoundError:
                raise ConfigError(f"{self.directory / name}: prompt template not found") from None
            self._hashes[name] = hashlib.sha256(source).hexdigest()[:16]
        return self._hashes[name]
