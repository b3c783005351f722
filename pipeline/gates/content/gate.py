"""`check_content`: every content gate on one draft."""

from __future__ import annotations

import html
from collections.abc import Mapping

from .checks_facts import check_dropped, check_invented, check_variants
from .checks_text import check_identity, check_language, check_repeated, check_search_talk
from .facts import FactSheet
from .findings import FIELDS, GateFinding
from .information import check_padding


def check_content(draft: Mapping[str, str], sheet: FactSheet, *, locale: str, keyword: str | None = None,
                  original: Mapping[str, str] | None = None,
                  allow_dropped: frozenset[str] = frozenset()) -> list[GateFinding]:
    """Content findings for a draft (any subset of title, body_html, seo_title, seo_description).

    `original` is the current copy in the draft's locale when one exists (else the sheet's primary copy
    applies); `allow_dropped` names fact classes the draft may drop ("material", "feature", ...).
    """
    fields = {k: (v if k == "body_html" else html.unescape(v)) for k, v in draft.items()
              if k in FIELDS and v is not None}
    locale = (locale or sheet.primary_locale).split("-")[0].lower()
    findings: list[GateFinding] = []
    findings += check_repeated(fields, sheet, locale)
    findings += check_identity(fields, sheet, locale, keyword)
    findings += check_language(fields, sheet, locale)
    findings += check_variants(fields, sheet, locale)
    findings += check_dropped(fields, sheet, locale, original, allow_dropped)
    findings += check_invented(fields, sheet, locale)
    findings += check_search_talk(fields, sheet, locale)
    findings += check_padding(fields, sheet, locale, original, keyword)
    return findings
