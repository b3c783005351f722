"""Every finding code in plain words, for a merchant reading the review app: code -> label, explanation, and whether
it blocks approving an edit.

The codes come from four places, and the tests check that each one is covered here:
- the audit's findings on the store's current copy (pipeline/stages/audit/checks.py FINDINGS, stage.py's duplicate
  codes are among them);
- the generator's validator (pipeline/gates/validate.py) and the generation stage (refusal, truncated, invalid_json);
- the content gates (pipeline/gates/content/findings.py CODES);
- the writer's notes (pipeline/state/drafts.py NOTE_CODES: "left_alone", a field the writer left as it is, and why).

Blocking: a draft cannot be approved, and a reviewer's edit cannot be saved as approved, while one of these
stands, unless the reviewer overrides it with a note (every way of approving: the draft page and its keyboard
shortcut, the languages page, bulk approve, which skips such drafts, and the CSV import). They are the findings
that would publish something untrue or broken: a fact, number, material or claim the product data does not
support, a variant's value stated as the product's, the wrong language, text about being a model, a banned word,
a link off the store, a handle Shopify refuses or another product already uses, a title another product already
has. Length, pixel width, keyword placement, capitals, repeated words,
dropped facts, a dropped product name and filler are warnings: the reviewer sees them in words and decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    code: str
    label: str  # a few words, shown as the finding's name
    explain: str  # one sentence: what it means and what to do
    kind: str  # "audit" (the store's current copy), "check" (validator), "gate" (content gate), "note"
    blocking: bool = False


def _table(kind: str, rows: Mapping[str, tuple[str, str]], blocking: Iterable[str] = ()) -> dict[str, Label]:
    blocks = set(blocking)
    return {code: Label(code, label, explain, kind, code in blocks) for code, (label, explain) in rows.items()}


AUDIT = _table("audit", {
    "exact_duplicate_title": ("Same title as another product",
                              "Shoppers and search engines cannot tell the two products apart."),
    "near_duplicate_title": ("Title differs from others only by colour or size",
                             "The name several products share does not say what sets this one apart."),
    "exact_duplicate_description": ("Same description as another product",
                                    "Search engines show one of the two pages and may hide the other."),
    "shared_description": ("Manufacturer's description shared by several products",
                           "Copy pasted onto many products says nothing specific about this one."),
    "near_duplicate_description": ("Description nearly the same as another product's",
                                   "Nearly identical pages compete with each other in search results."),
    "exact_duplicate_seo_title": ("Same SEO title as another product",
                                  "Two results with the same title look like one page to shoppers."),
    "exact_duplicate_seo_description": ("Same meta description as another product",
                                        "The search result snippet does not tell the products apart."),
    "generic_title": ("Title does not say what the product is",
                      "A placeholder or code as a title: shoppers searching for the product will not find it."),
    "html_entity_in_title": ("Title shows code such as &amp;",
                             "Shoppers see the typed code instead of the character."),
    "extra_spaces_in_title": ("Extra spaces in the title", "Doubled, leading or trailing spaces."),
    "extra_spaces_in_seo_title": ("Extra spaces in the SEO title", "Doubled, leading or trailing spaces."),
    "all_caps_title": ("Title in capitals", "Capitals read as shouting and are harder to scan."),
    "keyword_stuffed_title": ("Title repeats a word", "A repeated word reads as keyword stuffing."),
    "long_title": ("Title too long", "Longer than the title limit in seo.toml."),
    "empty_description": ("No description", "The product page says nothing about the product."),
    "thin_description": ("Description too thin",
                         "Too short, or long but saying almost nothing about the product."),
    "missing_seo_title": ("No SEO title", "Search engines fall back to the product title."),
    "long_seo_title": ("SEO title too long", "Google cuts it off in search results."),
    "missing_seo_description": ("No meta description",
                                "Search engines pick a snippet from the page themselves."),
    "short_seo_description": ("Meta description too short", "The search result snippet says little."),
    "long_seo_description": ("Meta description too long", "Google cuts it off in search results."),
    "messy_html": ("Messy description HTML", "Inline styles or word-processor leftovers in the description."),
})

CHECKS = _table("check", {
    "missing": ("Field empty", "The draft was asked to write this field and left it empty."),
    "too_long": ("Too long", "Over the length limit in seo.toml; search results cut it off."),
    "too_wide": ("Too wide for Google", "Wider than a search result shows, in pixels; Google cuts it off."),
    "too_short": ("Too short", "Under the minimum length in seo.toml."),
    "all_caps": ("Written in capitals", "Use normal case."),
    "keyword_missing": ("Target keyword missing", "The search phrase this product should be found by is absent."),
    "html_disallowed": ("Formatting not allowed", "HTML tags outside the allowed list; they are removed."),
    "external_link": ("Link to another site", "Only links to this store's own pages are allowed."),
    "unknown_link": ("Link not suggested", "A link to a page that is not one of the suggested links."),
    "ungrounded_number": ("Number not in the product data",
                          "A number or measurement the product's own data does not state."),
    "ungrounded_material": ("Material not in the product data",
                            "A material the product's own data does not mention."),
    "ungrounded_claim": ("Claim not in the product data",
                         "A claim (handmade, organic, waterproof...) the product's data does not support."),
    "wrong_language": ("Wrong language", "The text is not written in this locale's language."),
    "banned_word": ("Banned word", "A word the brand settings forbid."),
    "model_text": ("Instructions or model talk", "Text about being a model, template syntax or instructions."),
    "invalid_handle": ("Handle Shopify refuses", "A URL handle is lower-case letters and digits joined by hyphens."),
    "duplicate_handle": ("Handle already used", "Another product already has this URL."),
    "duplicate_title": ("Same title as another product", "Make it distinct: model, colour, size."),
    "near_duplicate": ("Nearly the same as another product", "Rewrite it around what is specific to this product."),
    "refusal": ("The model declined", "The language model declined to write this draft."),
    "truncated": ("Answer cut off", "The model's answer hit the output limit."),
    "invalid_json": ("Unreadable answer", "The model's answer could not be read."),
    "check_failed": ("Check could not run", "The edit is saved; only its check failed."),
}, blocking=("ungrounded_number", "ungrounded_material", "ungrounded_claim", "wrong_language", "banned_word",
             "model_text", "external_link", "html_disallowed", "invalid_handle", "duplicate_handle",
             "duplicate_title"))

GATES = _table("gate", {
    "repeated_word": ("Repeats a word", "The same word twice in a short field reads as keyword stuffing."),
    "identity_changed": ("Changes what the product is called",
                         "The text drops the product's name or calls it something else."),
    "wrong_language": ("Wrong language", "The text is not written in this locale's language."),
    "variant_as_product": ("States one variant's value as the product's",
                           "A colour, size or code of one variant written as if every variant had it."),
    "facts_dropped": ("Drops a fact", "A fact of the current description is missing from the draft."),
    "facts_invented": ("States a fact not in the product data",
                       "A material, measurement, origin or promise the product data does not state."),
    "search_talk": ("Talks about search, not the product", "Phrases written for search engines, not shoppers."),
    "padding": ("Filler", "Sentences that say nothing about this product."),
}, blocking=("wrong_language", "variant_as_product", "facts_invented"))

NOTES = _table("note", {
    "left_alone": ("Left as it is", "The writer kept the store's current text for this field."),
})

# Where a code is both a validator code and a gate code (wrong_language), the gate's words win: they say more.
LABELS: dict[str, Label] = {**AUDIT, **CHECKS, **GATES, **NOTES}
BLOCKING = frozenset(code for code, label in {**CHECKS, **GATES}.items() if label.blocking)
FIELD_WORDS = {"title": "title", "body_html": "description", "seo_title": "SEO title",
               "seo_description": "meta description", "handle": "URL handle", "*": "draft", "": ""}
_FIELD_NAME = re.compile(r"\b(body_html|seo_title|seo_description)\b")


def describe(code: str) -> Label:
    """The code's label; an unknown code (a newer stage's) gets its own words back, readable."""
    found = LABELS.get(code)
    if found is not None:
        return found
    return Label(code, code.replace("_", " ").capitalize(), "", "check")


def is_blocking(code: str) -> bool:
    return code in BLOCKING


def blocking_reasons(findings: Iterable[Mapping[str, object]], *,
                     fields: Iterable[str] = ()) -> list[dict[str, object]]:
    """The blocking ones among these findings, in words (see `reason`); a finding on one of `fields` (fields the
    reviewer rewrote, so the finding no longer describes the text) is left out."""
    replaced = set(fields)
    return [reason(f) for f in findings
            if is_blocking(str(f.get("code") or "")) and str(f.get("field") or "") not in replaced]


def blocking_codes(reasons: Iterable[Mapping[str, object]]) -> tuple[str, ...]:
    """The distinct codes of these findings, in order: what an override records."""
    return tuple(dict.fromkeys(str(r.get("code")) for r in reasons))


def plain(message: str) -> str:
    """A validator's message with its field names in words ("seo_title has 72 characters" -> "SEO title has...")."""
    text = _FIELD_NAME.sub(lambda m: FIELD_WORDS[m.group(1)], message or "")
    return text[:1].upper() + text[1:]


def reason(finding: Mapping[str, object]) -> dict[str, object]:
    """One finding ({field, code, message}) as the page shows it: label, evidence in words, blocking or not."""
    code = str(finding.get("code") or "")
    label = describe(code)
    field_name = str(finding.get("field") or "")
    return {"code": code, "field": field_name, "where": FIELD_WORDS.get(field_name, field_name),
            "label": label.label, "explain": label.explain, "evidence": plain(str(finding.get("message") or "")),
            "blocking": label.blocking, "kind": label.kind, "note": code == "left_alone"}
