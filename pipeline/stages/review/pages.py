"""HTML for the review app and the static review report: Jinja2 templates in pipeline/stages/review/templates/.

Autoescape is on for every template, and undefined variables fail loudly. The only markup passed through
unescaped is body_html that went through the nh3 allow-list (`sanitise_body_html`), for the rendered preview.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup

from pipeline.commands import command_text
from pipeline.stages.review.labels import FIELD_WORDS, describe, plain
from pipeline.state.decisions import sanitise_body_html

TEMPLATES = Path(__file__).parent / "templates"
STATIC_FILES = {"review.css": "text/css; charset=utf-8", "review.js": "text/javascript; charset=utf-8"}
FIELD_LABELS = {"title": "Title", "body_html": "Description", "seo_title": "SEO title",
                "seo_description": "Meta description", "handle": "URL handle"}
FACET_LABELS = {"finding": "Found on the store", "status": "Checks", "reason": "Check finding",
                "locale": "Language", "collection": "Collection", "decision": "Decision"}
# Words for the values the list filters by (finding codes are worded by labels.py).
STATE_LABELS = {"passed": "Passed checks", "flagged": "Needs attention", "undecided": "To review",
                "approved": "Approved", "edited": "Edited", "rejected": "Rejected", "stale": "Changed since decided",
                "high": "High", "medium": "Medium", "low": "Low"}

LANGUAGES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "nl": "Dutch",
             "pt": "Portuguese", "sv": "Swedish", "da": "Danish", "nb": "Norwegian", "fi": "Finnish", "pl": "Polish",
             "ja": "Japanese", "zh": "Chinese", "ko": "Korean"}


def language_name(locale: str) -> str:
    """'fr' -> 'French (fr)'; an unknown code stays as it is."""
    name = LANGUAGES.get(locale.split("-")[0].lower())
    return f"{name} ({locale})" if name else locale


def value_label(facet: str, value: str) -> str:
    """A filter value in words: a finding code's label, a state's words, else the value itself."""
    if facet in ("finding", "reason"):
        return describe(value).label
    if facet in ("status", "decision"):
        return STATE_LABELS.get(value, value)
    if facet == "locale":
        return language_name(value)
    return value


def _safe_html(markup: str | None) -> Markup:
    """Allow-listed HTML for the rendered preview: sanitised here again, whatever the caller did."""
    return Markup(sanitise_body_html(markup or ""))  # noqa: S704 - sanitised by nh3 on the line above


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_html"] = _safe_html
    env.filters["urlencode_query"] = lambda query: urlencode(query)
    env.filters["thousands"] = lambda n: f"{n:,}"
    env.globals.update(field_labels=FIELD_LABELS, facet_labels=FACET_LABELS, state_labels=STATE_LABELS,
                       value_label=value_label, label_of=describe, language_name=language_name,
                       field_words=FIELD_WORDS, plain=plain, command=command_text)
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def render_report(*, store: str, generated_at: str, rows: list[Any], views: Iterable[Any]) -> Iterator[str]:
    """The static report, streamed: a 100k-draft report is never one string in memory."""
    template = environment().get_template("report.html.j2")
    return template.generate(store=store, generated_at=generated_at, total=len(rows), views=views,
                             css=static_file("review.css"))


def static_file(name: str) -> str:
    if name not in STATIC_FILES:
        raise KeyError(name)
    return (TEMPLATES / name).read_text(encoding="utf-8")
