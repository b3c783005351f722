"""A small store workspace for the review tests: catalogue, audit, targets, links and drafts in two locales.

Built through the same writers the stages use (write_catalog, save_draft, Parquet with the shared columns), so
the review code reads exactly what it reads in a real run.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.core.catalog import write_catalog
from pipeline.state.drafts import Draft, save_draft
from pipeline.state.store import StateStore
from pipeline.workspace import Workspace

PRODUCTS = [
    # id, title, body_html, seo_title, seo_description, collections, priority, findings
    ("linen-duvet-cover", "LINEN DUVET", "<p>Washed linen.</p>", "", "", ["bedroom"], 14.0,
     [("generic_title", "high"), ("thin_description", "medium"), ("missing_seo_title", "medium")]),
    ("brass-floor-lamp", "Brass Floor Lamp", "<p>Solid brass.<script>alert('store')</script></p>",
     "Brass lamp", "", ["lighting"], 9.0, [("thin_description", "medium"), ("missing_seo_description", "low")]),
    ("oak-side-table", "Oak Side Table", "<p>Oiled oak, 45 cm tall.</p>", "Oak table", "Oak side table.",
     ["living"], 6.0, [("short_seo_description", "low")]),
    ("wool-throw", "Wool Throw", "<p>Lambswool throw.</p>", "Wool throw", "A throw.", ["bedroom", "living"],
     3.0, [("short_seo_description", "low")]),
]
LOCALES = ("en", "fr")


def draft_for(product_id: str, title: str, locale: str) -> Draft:
    name = title.title()
    flagged = product_id == "brass-floor-lamp"
    french = locale == "fr"
    return Draft(
        product_id=product_id, locale=locale,
        title=(f"{name} en laiton" if french else f"{name} by Nordhaus"),
        body_html=(f"<p>{name}: {'fait main' if french else 'made by hand'} in small batches.</p>"
                   "<ul><li>Care: wipe clean</li></ul>"),
        seo_title=f"{name} | Nordhaus", seo_description=f"{name} from Nordhaus, made by hand in small batches.",
        prompt_hash="p", input_hash=f"i-{product_id}-{locale}", provider="offline", model="templates",
        status="flagged" if flagged else "passed",
        validation=([{"field": "body_html", "code": "ungrounded_claim", "message": "claims 'made by hand'"}]
                    if flagged else []))


def build_review_workspace(base: Path, store: str = "t") -> Workspace:
    workspace = Workspace.for_store(base, store).ensure()
    write_catalog(workspace.catalog, [
        {"id": pid, "handle": pid, "title": title, "body_html": body, "seo_title": seo_title,
         "seo_description": seo_description, "vendor": "Nordhaus", "product_type": "Home", "status": "active",
         "collections": collections, "options": ["Title"],
         "variants": [{"sku": pid.upper(), "price": "49.00", "option1": "Default Title"}]}
        for pid, title, body, seo_title, seo_description, collections, _, _ in PRODUCTS])
    audit_rows = [{"product_id": pid, "handle": pid, "code": code, "severity": severity, "evidence": f"{code} here",
                   "group_id": None, "priority": priority}
                  for pid, _, _, _, _, _, priority, findings in PRODUCTS for code, severity in findings]
    pd.DataFrame(audit_rows).to_parquet(workspace.audit, index=False)
    target_rows = [{"product_id": pid, "handle": pid, "locale": locale, "keyword": f"{title.lower()} {locale}",
                    "role": "primary", "source": "derived", "score": 1.0, "demand": None, "reason": "derived"}
                   for pid, title, *_ in PRODUCTS for locale in LOCALES]
    pd.DataFrame(target_rows).to_parquet(workspace.targets, index=False)
    pd.DataFrame([{"source_product_id": "linen-duvet-cover", "source_handle": "linen-duvet-cover",
                   "target_kind": "product", "target_id": "wool-throw", "target_handle": "wool-throw",
                   "anchor": "wool throw", "reason": "related", "score": 0.8}]).to_parquet(workspace.links,
                                                                                        index=False)
    with StateStore(workspace.state_db) as state:
        for pid, title, *_ in PRODUCTS:
            for locale in LOCALES:
                save_draft(state, draft_for(pid, title, locale))
    return workspace
