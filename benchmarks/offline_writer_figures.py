"""The offline writer on catalogues the sample generator did not make: what it writes, what the gates reject,
what it leaves alone. Part of `make bench-quality` (bench_quality.py adds these figures to quality.json).

Each catalogue runs the whole offline job (pull, audit, keywords, links, generate) in en, fr, de and es in a
scratch workspace. Per catalogue and locale:
- offline_rejected_share: drafts the quality gates reject (flagged) among drafts that wrote something;
- missing_seo_filled: products with an empty SEO title or meta description whose every empty one gets a valid
  (passed) value in the primary locale (primary locale only);
- abstained_share: asked fields the writer left alone, with the reasons it gave.
"""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = {
    "sample (home goods, generated)": ROOT / "catalog_samples" / "products.csv",
    "apparel (legacy CSV dialect)": ROOT / "catalog_samples" / "apparel" / "products.csv",
    "apparel (current CSV dialect)": ROOT / "catalog_samples" / "apparel" / "products_new_export.csv",
    "jewellery": ROOT / "catalog_samples" / "jewellery" / "products.csv",
    "garden": ROOT / "catalog_samples" / "garden" / "products.csv",
}
LOCALES = ("en", "fr", "de", "es")
CONFIG = """
[pipeline]
locales = ["en", "fr", "de", "es"]
primary_locale = "en"
"""


def run_catalogue(csv: Path, folder: Path) -> Path:
    """The offline job on one catalogue; returns the store's workspace folder."""
    from pipeline.cli import main

    (folder / "seo.toml").write_text(CONFIG, encoding="utf-8")
    base = ["--config", str(folder / "seo.toml"), "--workspace", str(folder / "ws"), "--store", "eval"]
    for stage in (["pull", "--csv", str(csv)], ["audit"], ["keywords"], ["links"], ["generate"]):
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
            if main([*base, *stage]) != 0:
                raise SystemExit(f"{csv}: {stage[0]} failed: {err.getvalue().strip()}")
    return folder / "ws" / "eval"


def figures_for(store: Path) -> dict[str, Any]:
    catalog = pd.read_parquet(store / "catalog.parquet", columns=["id", "seo_title", "seo_description"])
    db = sqlite3.connect(store / "state.db")
    rows = db.execute("SELECT product_id, locale, status, title, body_html, seo_title, seo_description, "
                      "fields_left_alone, validation FROM drafts").fetchall()
    out: dict[str, Any] = {}
    for locale in LOCALES:
        mine = [r for r in rows if r[1] == locale]
        written = [r for r in mine if r[2] != "abstained"]
        flagged = [r for r in written if r[2] == "flagged"]
        notes = [n for r in mine for n in json.loads(r[8]) if n["code"] == "left_alone"]
        asked = sum(1 for r in mine for v in r[3:7] if v is not None) + len(notes)
        reasons = Counter(n["message"].split(":")[0] for n in notes)
        figures: dict[str, Any] = {
            "drafts": len(mine), "drafts_writing_something": len(written),
            "offline_rejected_share": round(len(flagged) / len(written), 4) if written else 0.0,
            "abstained_share": round(len(notes) / asked, 4) if asked else 0.0,
            "abstained_reasons": dict(reasons.most_common()),
            "rejected_reasons": dict(Counter(f["code"] for r in flagged for f in json.loads(r[8])
                                             if f["code"] != "left_alone").most_common()),
        }
        if locale == LOCALES[0]:
            by_id = {r[0]: r for r in mine}
            needing = catalog[(catalog["seo_title"].fillna("").str.strip() == "")
                              | (catalog["seo_description"].fillna("").str.strip() == "")]
            filled = 0
            for _, product in needing.iterrows():
                draft = by_id.get(str(product["id"]))
                if draft is None or draft[2] != "passed":
                    continue
                empty_title = not str(product["seo_title"] or "").strip()
                empty_description = not str(product["seo_description"] or "").strip()
                filled += (not empty_title or bool(draft[5])) and (not empty_description or bool(draft[6]))
            figures["products_missing_seo"] = len(needing)
            figures["missing_seo_filled"] = round(filled / len(needing), 4) if len(needing) else 1.0
        out[locale] = figures
    return out


def offline_writer_figures(catalogues: dict[str, Path] = CATALOGUES) -> dict[str, Any]:
    """Figures per catalogue and locale, and the worst of each across them (what the targets judge)."""
    started = time.monotonic()
    per_catalogue: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for index, (name, csv) in enumerate(catalogues.items()):
            folder = Path(scratch) / str(index)
            folder.mkdir()
            per_catalogue[name] = figures_for(run_catalogue(csv, folder))
    non_sample = {k: v for k, v in per_catalogue.items() if not k.startswith("sample")}
    return {
        "offline_rejected_share_max": max(f["offline_rejected_share"] for c in per_catalogue.values()
                                          for f in c.values()),
        "missing_seo_filled_min": min(c[LOCALES[0]]["missing_seo_filled"] for c in per_catalogue.values()),
        "abstained_share_non_sample": {loc: round(sum(c[loc]["abstained_share"] for c in non_sample.values())
                                                  / len(non_sample), 4) for loc in LOCALES},
        "offline_writer": per_catalogue,
        "offline_writer_wall_s": round(time.monotonic() - started, 1),
    }


if __name__ == "__main__":
    print(json.dumps(offline_writer_figures(), indent=1, ensure_ascii=False))
