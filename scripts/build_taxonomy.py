"""Build the taxonomy vocabulary (pipeline/data/taxonomy/taxonomy.json) from Shopify's Standard Product Taxonomy.

Source: github.com/Shopify/product-taxonomy (MIT). The build reads the localisation files in the repository's own
layout, from a git directory (bare clone or snapshot: files are read with `git show HEAD:<path>`) or from a folder
laid out like the repository:

    data/localizations/categories/<locale>.yml   category id -> {name, context (the English full path)}
    data/localizations/values/<locale>.yml       "<attribute>__<value>" -> {name, context (the English attribute name)}

It keeps the categories of VERTICALS and the values of ATTRIBUTES in LOCALES, drops the translations REJECTED below
(wrong senses found on review: a translation must not be used as a guess), and writes one deterministic JSON file
(sorted keys, no timestamps) plus the source's LICENSE. The English category names are required (products are matched
on them); other locales are kept where the source has a non-empty name.

    python scripts/build_taxonomy.py SOURCE            # write pipeline/data/taxonomy/
    python scripts/build_taxonomy.py SOURCE --check    # exit 1 when the committed data differs from a rebuild

Provenance: a git source records `git rev-parse HEAD`, its commit date and its VERSION file; a folder source records
what its manifest.json says (repo, commit, version, per-file commits), so an excerpt keeps the commit each file was
read at.
"""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "pipeline" / "data" / "taxonomy"
DATA_FILE = "taxonomy.json"
FORMAT = 1
UPSTREAM = "Shopify/product-taxonomy"

LOCALES = ("en", "fr", "de", "es")
# Top-level category ids kept. aa = Apparel & Accessories (Clothing, Clothing Accessories, Costumes, Handbags & Wallets,
# Jewelry, Shoe Accessories, Shoes). Other verticals of the upstream ids: hg Home & Garden (incl. Lawn & Garden),
# fr Furniture, el Electronics, hb Health & Beauty, fb Food/Beverages & Tobacco, sg Sporting Goods: add them here when
# the source holds them (each is ~0.1-0.4 MB of names in four locales).
VERTICALS = ("aa",)
# Attribute handles whose values are kept. closure_type is left out on purpose: its French values were translated
# out of context (ties -> "Cravates", snap -> "Instantané", hook & loop -> "La boucle du crochet").
ATTRIBUTES = (
    "clothing_accessory_material",
    "clothing_features",
    "color",
    "eyewear_frame_design",
    "fabric",
    "filler_material",
    "finish",
    "firmness",
    "jewelry_material",
    "neckline",
    "pants_length_type",
    "pattern",
    "size",
    "skirt/dress_length_type",
    "skirt_style",
    "sleeve_length_type",
    "slipper_style",
    "sneaker_style",
    "target_gender",
)

# Translations the source has but that are wrong in a shop's context, found on review. Key: (locale, id) where id is
# a category id or an "<attribute>__<value>" handle. They are dropped, so lookups give None instead of a wrong word.
REJECTED: dict[tuple[str, str], str] = {
    ("fr", "color__clear"): "'Clair' means light, not transparent ('Transparent')",
    ("es", "color__clear"): "'Clara' means light, not transparent ('Transparente')",
    ("fr", "fabric__suede"): "'Suède' is Sweden; suede is 'Daim'",
    ("fr", "fabric__terrycloth"): "'Torchon' is a dish cloth; terrycloth is 'Éponge'",
    ("fr", "fabric__plush"): "'Rembourré' means padded; plush is 'Peluche'",
    ("fr", "neckline__cowl"): "'Double' is not a neckline; a cowl neck is 'Col bénitier'",
    ("fr", "neckline__turtle"): "'Tortue' is the animal; a turtleneck is 'Col roulé'",
    ("fr", "neckline__split"): "'Fourchus' (forked) is not a neckline term",
    ("fr", "pattern__solid"): "'Solide' means sturdy; a solid colour is 'Uni'",
    ("fr", "pattern__organic"): "'Bio' is the organic-food label, not an organic shape",
    ("fr", "pattern__scale"): "'Échelle' is a ladder/ratio; a scale pattern is 'Écailles'",
    ("fr", "pattern__dots"): "'Points' is not the pattern word; polka dots are 'Pois'",
    ("fr", "pattern__dogs_tooth"): "literal; houndstooth is 'Pied-de-poule'",
    ("fr", "sleeve_length_type__cap"): "'Rond' (round) is not a sleeve length; cap sleeves are 'Mancherons'",
    ("fr", "size__triple_extra_large_xxxl"): "label says XXL for XXXL",
    ("fr", "size__triple_extra_small_xxxs"): "label says XXS for XXXS",
    ("fr", "eyewear_frame_design__wayfarer"): "'Voyageur' translates the brand-style name literally",
    ("es", "jewelry_material__gold"): "'Dorado' means golden; the material is 'Oro'",
    ("es", "jewelry_material__silver"): "'Plateado' means silvery; the material is 'Plata'",
    ("de", "aa-8-10"): "'Fersen' are anatomical heels; heeled shoes are 'Absatzschuhe'/'High Heels'",
    ("es", "aa-1-10-1"): "'Cazadoras' are jackets, not chaps",
    ("es", "aa-1-20-7"): "'Batas' are robes, not swim cover-ups",
    ("es", "aa-1-2-1-13"): "'Pantalones de franela' are flannel trousers, not sweatpants",
}


def _git_reader(git_dir: Path) -> tuple[Callable[[str], str | None], dict[str, Any]]:
    def run(*args: str) -> str:
        return subprocess.run(
            ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True, text=True
        ).stdout

    def read(path: str) -> str | None:
        try:
            return run("show", f"HEAD:{path}")
        except subprocess.CalledProcessError:
            return None

    commit = run("rev-parse", "HEAD").strip()
    provenance = {
        "repo": UPSTREAM,
        "commit": commit,
        "date": run("log", "-1", "--format=%cs", "HEAD").strip(),
        "version": (read("VERSION") or "unknown").strip(),
    }
    return read, provenance


def _folder_reader(root: Path) -> tuple[Callable[[str], str | None], dict[str, Any]]:
    def read(path: str) -> str | None:
        target = root / path
        return target.read_text(encoding="utf-8") if target.is_file() else None

    manifest_text = read("manifest.json")
    provenance: dict[str, Any] = {"repo": UPSTREAM, "commit": "unknown", "version": "unknown"}
    if manifest_text:
        manifest = json.loads(manifest_text)
        for key in ("repo", "kind", "commit", "version", "retrieved", "files"):
            if key in manifest:
                provenance[key] = manifest[key]
    return read, provenance


def open_source(source: Path) -> tuple[Callable[[str], str | None], dict[str, Any]]:
    """A reader of repository paths and the source's provenance, for a git directory or a folder."""
    if (source / "HEAD").is_file() and (source / "objects").is_dir():
        return _git_reader(source)
    if (source / ".git").is_dir():
        return _git_reader(source / ".git")
    return _folder_reader(source)


def _load_yaml(text: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # a safe loader either way (C or Python)


def _section(read: Callable[[str], str | None], kind: str, locale: str) -> Mapping[str, Any]:
    text = read(f"data/localizations/{kind}/{locale}.yml")
    if text is None:
        return {}
    data = _load_yaml(text) or {}
    return (data.get(locale) or {}).get(kind) or {}


def _name(entry: Any) -> str | None:
    if not isinstance(entry, Mapping):
        return None
    name = entry.get("name")
    if name is None:
        return None
    text = str(name).strip()
    return text or None


def _in_verticals(category_id: str, verticals: Iterable[str]) -> bool:
    return any(category_id == v or category_id.startswith(v + "-") for v in verticals)


def build(read: Callable[[str], str | None], provenance: Mapping[str, Any]) -> dict[str, Any]:
    rejected: list[dict[str, str]] = []

    def keep(locale: str, key: str, text: str) -> bool:
        reason = REJECTED.get((locale, key))
        if reason is None:
            return True
        rejected.append({"locale": locale, "id": key, "text": text, "reason": reason})
        return False

    categories: dict[str, dict[str, str]] = {}
    english = _section(read, "categories", "en")
    for category_id, entry in english.items():
        name = _name(entry)
        if name and _in_verticals(category_id, VERTICALS):
            categories[category_id] = {"en": name}
    for locale in LOCALES[1:]:
        for category_id, entry in _section(read, "categories", locale).items():
            name = _name(entry)
            if name and category_id in categories and keep(locale, category_id, name):
                categories[category_id][locale] = name

    attributes: dict[str, dict[str, Any]] = {}
    for locale in LOCALES:
        for handle, entry in _section(read, "values", locale).items():
            attribute, sep, value = str(handle).partition("__")
            name = _name(entry)
            if not sep or attribute not in ATTRIBUTES or not name:
                continue
            if locale == "en":
                record = attributes.setdefault(attribute, {"name": {}, "values": {}})
                context = entry.get("context") if isinstance(entry, Mapping) else None
                if context:
                    record["name"]["en"] = str(context).strip()
                record["values"].setdefault(value, {})["en"] = name
            elif attribute in attributes and value in attributes[attribute]["values"] and keep(locale, handle, name):
                attributes[attribute]["values"][value][locale] = name

    return {
        "format": FORMAT,
        "source": {**provenance, "licence": "MIT (see LICENSE)"},
        "locales": list(LOCALES),
        "verticals": list(VERTICALS),
        "categories": categories,
        "attributes": attributes,
        "rejected": sorted(rejected, key=lambda r: (r["id"], r["locale"])),
    }


def render(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="git directory or folder in the product-taxonomy layout")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="compare the committed data with a rebuild; write nothing")
    args = parser.parse_args(argv)

    if not args.source.exists():
        parser.error(f"no such source: {args.source}")
    read, provenance = open_source(args.source)
    text = render(build(read, provenance))
    licence = read("LICENSE")
    target = args.out / DATA_FILE

    if args.check:
        committed = target.read_text(encoding="utf-8") if target.is_file() else ""
        problems = []
        if committed != text:
            diff = difflib.unified_diff(
                committed.splitlines(), text.splitlines(), "committed", "rebuilt", lineterm="", n=1
            )
            problems.append(f"{target} differs from a rebuild:\n" + "\n".join(list(diff)[:40]))
        licence_path = args.out / "LICENSE"
        if licence is not None and (not licence_path.is_file() or licence_path.read_text(encoding="utf-8") != licence):
            problems.append(f"{licence_path} differs from the source's LICENSE")
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 1
        print(f"{target} matches a rebuild from {args.source}")
        return 0

    args.out.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    if licence is not None:
        (args.out / "LICENSE").write_text(licence, encoding="utf-8")
    data = json.loads(text)
    print(
        f"wrote {target} ({len(text.encode('utf-8'))} bytes): {len(data['categories'])} categories, "
        f"{sum(len(a['values']) for a in data['attributes'].values())} values in {len(data['attributes'])} attributes, "
        f"{len(data['rejected'])} translations rejected"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
