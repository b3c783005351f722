"""The sample store's translation export: catalog_samples/translations_export.csv, built from products.csv.

What Shopify admin > Settings > Languages > Export gives for the sample shop in French and German, in Shopify's
translation CSV (Type, Identification, Field, Locale, Market, Status, Default content, Translated content; see
pipeline/shopify/translations_csv.py for the format and its source). Every product has its rows for title,
body_html, handle, product_type, meta_title and meta_description (the last two only where the product has an SEO
title or description: Shopify lists a field only when it has content), and each product option its name; the
default content is the product's English text. A realistic share is translated, the rest is empty:

- titles: about 55 % of products in French, 45 % in German (products whose title is a bare code stay empty);
- descriptions: about two thirds of the translated products; SEO titles and descriptions: about half of them;
- outdated: about 12 % of translated products per locale were translated before the English last changed: Shopify
  marks their rows `outdated` (the default content is today's English); about 3 % more were edited in English after
  the export, so the export's default content is older than products.csv (status `translated`);
- option names: Size, Color and Finish where translated at all.

Products have no ids in a product CSV, so each gets a stable invented Shopify id (8,000,000,000,000 + its position
in products.csv); the `handle` rows, whose default content is the handle, are what ties the two files together.
The translations are built from small word lists (a product kind per product type, materials, colours): plain and
short, as a first machine translation often is; the point is their shape, not their prose.

    python catalog_samples/build_translations.py           # rewrites translations_export.csv, byte-identical
    python catalog_samples/build_translations.py --check   # exit 1 if the committed file is not what it builds
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PRODUCTS = HERE / "products.csv"
OUT = HERE / "translations_export.csv"
HEADER = ["Type", "Identification", "Field", "Locale", "Market", "Status", "Default content", "Translated content"]
LOCALES = ("fr", "de")
FIRST_ID = 8_000_000_000_000
OPTION_FIRST_ID = 9_000_000_000_000
SHARE = {"fr": 0.55, "de": 0.45}

# product type -> (French kind, German kind), singular
KINDS = {
    "Duvet Cover": ("Housse de couette", "Bettbezug"), "Floor Lamps": ("Lampadaire", "Stehlampe"),
    "Napkins": ("Serviettes de table", "Servietten"), "Wall Sconces": ("Applique murale", "Wandleuchte"),
    "Bath Towels": ("Serviette de bain", "Badetuch"), "Sheet Set": ("Parure de draps", "Bettwäsche-Set"),
    "Shower Curtains": ("Rideau de douche", "Duschvorhang"), "Planters": ("Cache-pot", "Übertopf"),
    "Vases": ("Vase", "Vase"), "Lampshades": ("Abat-jour", "Lampenschirm"),
    "Food Storage": ("Bocal de conservation", "Vorratsdose"), "Cutting Boards": ("Planche à découper", "Schneidebrett"),
    "Tablecloths": ("Nappe", "Tischdecke"), "Baskets": ("Panier", "Korb"), "Pendant Lights": ("Suspension",
                                                                                             "Pendelleuchte"),
    "Bath Caddies": ("Étagère de bain", "Badablage"), "Candle Holders": ("Bougeoir", "Kerzenhalter"),
    "Candles": ("Bougie", "Kerze"), "Robes": ("Peignoir", "Bademantel"), "Clocks": ("Horloge", "Uhr"),
    "Drinkware": ("Verre", "Trinkglas"), "Area Rugs": ("Tapis", "Teppich"), "Table Runners": ("Chemin de table",
                                                                                              "Tischläufer"),
    "Glassware": ("Verrerie", "Glas"), "Bath Mats": ("Tapis de bain", "Badematte"), "Cookware": ("Cocotte", "Topf"),
    "Mirrors": ("Miroir", "Spiegel"), "Kitchen Towels": ("Torchon", "Geschirrtuch"), "Platters": ("Plat de service",
                                                                                                 "Servierplatte"),
    "Toothbrush Holders": ("Porte-brosse à dents", "Zahnbürstenhalter"), "Pillowcases": ("Taie d'oreiller",
                                                                                          "Kissenbezug"),
    "Serveware": ("Saladier", "Servierschale"), "Console Tables": ("Console", "Konsolentisch"),
    "Coffee Tables": ("Table basse", "Couchtisch"), "Curtains": ("Rideau", "Vorhang"),
    "Dinnerware": ("Assiette", "Teller"), "Teapots": ("Théière", "Teekanne"), "Desk Lamps": ("Lampe de bureau",
                                                                                           "Schreibtischlampe"),
    "Trays": ("Plateau", "Tablett"), "Table Lamps": ("Lampe de table", "Tischlampe"),
    "Soap Dispensers": ("Distributeur de savon", "Seifenspender"), "Quilts": ("Courtepointe", "Steppdecke"),
    "Cushion Covers": ("Housse de coussin", "Kissenhülle"), "Throw Blankets": ("Plaid", "Wohndecke"),
    "Wall Art": ("Affiche", "Wandbild"), "Stools": ("Tabouret", "Hocker"), "Kitchen Utensils": ("Ustensile",
                                                                                              "Küchenhelfer"),
    "Armchairs": ("Fauteuil", "Sessel"), "Side Tables": ("Table d'appoint", "Beistelltisch"), "Benches": ("Banc",
                                                                                                         "Bank"),
    "Chairs": ("Chaise", "Stuhl"), "Bookcases": ("Bibliothèque", "Bücherregal"), "Poufs": ("Pouf", "Pouf"),
}
MATERIALS = {
    "cotton": ("coton", "Baumwolle"), "linen": ("lin", "Leinen"), "glass": ("verre", "Glas"), "oak": ("chêne",
                                                                                                     "Eiche"),
    "stoneware": ("grès", "Steinzeug"), "walnut": ("noyer", "Nussbaum"), "brass": ("laiton", "Messing"),
    "rattan": ("rotin", "Rattan"), "marble": ("marbre", "Marmor"), "ceramic": ("céramique", "Keramik"),
    "steel": ("acier", "Stahl"), "bamboo": ("bambou", "Bambus"), "jute": ("jute", "Jute"),
    "travertine": ("travertin", "Travertin"), "porcelain": ("porcelaine", "Porzellan"), "paper": ("papier",
                                                                                                   "Papier"),
    "wool": ("laine", "Wolle"), "acacia": ("acacia", "Akazie"), "teak": ("teck", "Teak"), "velvet": ("velours",
                                                                                                    "Samt"),
    "aluminum": ("aluminium", "Aluminium"), "alabaster": ("albâtre", "Alabaster"), "seagrass": ("jonc de mer",
                                                                                                "Seegras"),
    "terracotta": ("terre cuite", "Terrakotta"), "concrete": ("béton", "Beton"), "sisal": ("sisal", "Sisal"),
    "merino": ("mérinos", "Merino"), "ash": ("frêne", "Esche"), "pine": ("pin", "Kiefer"), "beech": ("hêtre",
                                                                                                      "Buche"),
    "mango": ("manguier", "Mangoholz"), "leather": ("cuir", "Leder"), "earthenware": ("faïence", "Steingut"),
    "lyocell": ("lyocell", "Lyocell"), "borosilicate": ("verre borosilicate", "Borosilikatglas"),
}
OPTIONS = {"Size": ("Taille", "Größe"), "Color": ("Couleur", "Farbe"), "Finish": ("Finition", "Oberfläche")}
BODY = {
    "fr": ("<p>{title} : une pièce {material}pensée pour durer, simple à entretenir et agréable au quotidien.</p>"
           "<p>Livrée prête à l'emploi.</p>"),
    "de": ("<p>{title}: ein langlebiges Stück {material}für jeden Tag, pflegeleicht und schlicht gestaltet.</p>"
           "<p>Wird gebrauchsfertig geliefert.</p>"),
}
BODY_MATERIAL = {"fr": "en {m} ", "de": "aus {m} "}
META_DESCRIPTION = {
    "fr": "{title} chez Hollis & Fern : qualité durable, livraison rapide et retours gratuits sous 30 jours.",
    "de": "{title} bei Hollis & Fern: langlebige Qualität, schneller Versand und kostenlose Rückgabe in 30 Tagen.",
}


def share(*parts: object) -> float:
    """A stable number in [0, 1) for these parts: the same every run, on every Python."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def read_products(path: Path) -> list[dict[str, Any]]:
    """Each product's first row (handle, title, description, type, SEO fields, option names), in file order."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    products: list[dict[str, Any]] = []
    seen = set()
    for row in rows:
        handle_ = row["URL handle"].strip()
        if handle_ in seen:
            continue
        seen.add(handle_)
        products.append({"handle": handle_, "title": row["Title"], "body_html": row["Description"],
                         "product_type": row["Type"], "seo_title": row["SEO title"],
                         "seo_description": row["SEO description"],
                         "options": [row[f"Option{i} name"] for i in (1, 2, 3) if row[f"Option{i} name"]]})
    return products


def translated_title(product: dict[str, Any], locale: str) -> str | None:
    """The title in `locale` from the product's kind, brand word and material; None for a title that is a code
    or whose kind has no entry."""
    words = product["title"].split()
    kinds = KINDS.get(product["product_type"])
    if kinds is None or len(words) < 2 or not any(c.islower() for c in product["title"]):
        return None
    brand = words[0]
    material = next((MATERIALS[w.lower()] for w in words[1:] if w.lower() in MATERIALS), None)
    if locale == "fr":
        return f"{kinds[0]} {brand}" + (f" en {material[0]}" if material else "")
    return f"{brand} {kinds[1]}" + (f" aus {material[1]}" if material else "")


def older(text: str) -> str:
    """The English text as it was before the merchant last edited it: a word fewer, or a sentence fewer."""
    if "</p>" in text:
        paragraphs = text.split("</p>")
        return "</p>".join(paragraphs[:1] + paragraphs[2:]) if len(paragraphs) > 2 else text + " "
    words = text.split()
    return " ".join(words[:-1]) if len(words) > 2 else text + " (old)"


def product_rows(number: int, product: dict[str, Any], locale: str) -> Iterator[list[str]]:
    handle = product["handle"]
    ident = str(FIRST_ID + number)
    title = translated_title(product, locale) if share(handle, locale, "title") < SHARE[locale] else None
    roll = share(handle, locale, "outdated")
    marked, edited = roll < 0.12, 0.12 <= roll < 0.15  # translated from older text / product edited after export
    material = next((MATERIALS[w.lower()] for w in product["title"].split()[1:] if w.lower() in MATERIALS), None)
    index = 0 if locale == "fr" else 1
    translations = {"title": title}
    if title and product["body_html"] and share(handle, locale, "body") < 0.66:
        translations["body_html"] = BODY[locale].format(title=title, material=BODY_MATERIAL[locale].format(
            m=material[index]) if material else "")
    if title and share(handle, locale, "seo") < 0.5:
        translations["meta_title"] = f"{title} | Hollis & Fern"
        translations["meta_description"] = META_DESCRIPTION[locale].format(title=title)
    kinds = KINDS.get(product["product_type"])
    translations["product_type"] = kinds[index] if title and kinds else None
    defaults = {"title": product["title"], "body_html": product["body_html"], "handle": handle,
                "product_type": product["product_type"], "meta_title": product["seo_title"],
                "meta_description": product["seo_description"]}
    for key in ("title", "body_html", "handle", "product_type", "meta_title", "meta_description"):
        default = defaults[key]
        if not default:
            continue  # Shopify lists a field only when the product has content in it
        value = translations.get(key)
        status = "translated" if value else ""
        if value and marked:
            status = "outdated"  # translated before the English last changed: the export has today's English
        elif value and edited:
            default = older(default)  # the English changed after the export
        yield ["PRODUCT", ident, key, locale, "", status, default, value or ""]


def option_rows(number: int, product: dict[str, Any], locale: str) -> Iterator[list[str]]:
    for position, name in enumerate(product["options"], start=1):
        if name == "Title":
            continue  # a product without options has no option to translate
        ident = str(OPTION_FIRST_ID + number * 10 + position)
        words = OPTIONS.get(name)
        value = words[0 if locale == "fr" else 1] if words and share(product["handle"], locale, name) < 0.4 else ""
        yield ["PRODUCT_OPTION", ident, "name", locale, "", "translated" if value else "", name, value]


def build(products_path: Path = PRODUCTS) -> str:
    products = read_products(products_path)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for locale in LOCALES:
        for number, product in enumerate(products, start=1):
            writer.writerows(product_rows(number, product, locale))
            writer.writerows(option_rows(number, product, locale))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file; exit 1 if it differs")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write (default: translations_export.csv)")
    args = parser.parse_args(argv)
    text = build()
    rows = text.count("\n") - 1
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else None
        if current != text:
            print(f"{args.out}: differs from what build_translations.py builds; run it again to rewrite it",
                  file=sys.stderr)
            return 1
        print(f"{args.out}: up to date ({rows:,} rows)")
        return 0
    args.out.write_text(text, encoding="utf-8", newline="")
    print(f"wrote {args.out}: {rows:,} rows ({', '.join(LOCALES)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
