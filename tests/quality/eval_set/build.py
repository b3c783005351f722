#!/usr/bin/env python3
"""Build the quality-gate evaluation set (eval_set.jsonl) from the hand-written files next to this script.

    python3 tests/quality/eval_set/build.py           # (re)write eval_set.jsonl
    python3 tests/quality/eval_set/build.py --check   # exit 1 if eval_set.jsonl is stale or the set is too small

Inputs (all hand-written): products.json, good_drafts.json, bad_drafts.json, mutation_hints.json (the "tuning"
split, which the gates were tuned on), and heldout_products.json, heldout_drafts.json (the "heldout" split: other
products, written before the gates were changed against it, never mutated).
The script validates the inputs, derives MUTATED bad drafts from the tuning good drafts (each mutation is checked to
really create its defect and carries exactly the labels it creates), and writes one JSON record per line, sorted by id;
each record says its split.
Standard library only; the output depends only on the inputs (fixed seed, no clock, no environment).
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "eval_set.jsonl"
SEED = 20240611

LOCALES = ("en", "fr", "de", "es")
CLASSES = (
    "repeated_word",
    "identity_changed",
    "wrong_language",
    "variant_as_product",
    "facts_dropped",
    "facts_invented",
    "search_talk",
    "padding",
)
DRAFT_FIELDS = ("title", "body_html", "seo_title", "seo_description")
FACT_KINDS = {"material", "percentage", "measurement", "care", "certification", "feature", "variant_option"}

# minimums enforced by --check
MIN_DRAFTS = 400
MIN_FAMILIES = 6
MIN_PER_CLASS = 25
MIN_GOOD_SHARE = 0.35
# minimums for the held-out split
MIN_HELDOUT = 120
MIN_HELDOUT_FAMILIES = 3
MIN_HELDOUT_PER_CLASS = 8
SPLITS = ("tuning", "heldout")

# mutations per locale for each class (hand-written bad drafts come on top)
QUOTA = {
    "repeated_word": 7,
    "identity_changed": 7,
    "wrong_language": 7,
    "variant_as_product": 6,
    "facts_dropped": 6,
    "facts_invented": 6,
    "search_talk": 7,
    "padding": 7,
}

STOPWORDS = {
    "en": {
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "for",
        "with",
        "in",
        "on",
        "to",
        "by",
        "from",
        "at",
        "as",
        "is",
        "it",
        "this",
        "that",
        "your",
        "our",
    },
    "fr": {
        "de",
        "des",
        "du",
        "la",
        "le",
        "les",
        "un",
        "une",
        "et",
        "en",
        "à",
        "au",
        "aux",
        "pour",
        "avec",
        "sur",
        "par",
        "d",
        "l",
    },
    "de": {
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "und",
        "mit",
        "für",
        "aus",
        "von",
        "im",
        "in",
        "am",
        "auf",
        "zu",
    },
    "es": {"de", "del", "la", "el", "los", "las", "un", "una", "y", "o", "con", "para", "en", "por", "a", "al"},
}

SIZE_WORDS = {
    "fr": {
        "XS": "très petit",
        "S": "petit",
        "M": "moyenne",
        "L": "grand",
        "XL": "très grand",
        "XXL": "très très grand",
    },
    "de": {"XS": "extraklein", "S": "klein", "M": "mittel", "L": "groß", "XL": "extragroß", "XXL": "extra-extragroß"},
    "es": {
        "XS": "extrapequeña",
        "S": "pequeña",
        "M": "mediana",
        "L": "grande",
        "XL": "extragrande",
        "XXL": "extra-extragrande",
    },
}
SKU_LINES = {
    "en": ["<p>Reference: {sku}</p>", "<p>SKU: {sku}</p>"],
    "fr": ["<p>Référence : {sku}</p>"],
    "de": ["<p>Artikelnummer: {sku}</p>"],
    "es": ["<p>Referencia: {sku}</p>"],
}
BROADEN = {
    "en": "<p>Made entirely of {m}.</p>",
    "fr": "<p>Entièrement en {m}.</p>",
    "de": "<p>Komplett aus {m} gefertigt.</p>",
    "es": "<p>Íntegramente de {m}.</p>",
}
# invented specs: (name, {locale: text}, families it applies to or None for all, words that must be absent)
INVENTED = [
    (
        "warranty",
        {
            "en": "Backed by a 5-year warranty.",
            "fr": "Garantie 5 ans.",
            "de": "Mit 5 Jahren Garantie.",
            "es": "Garantía de 5 años.",
        },
        {"apparel", "footwear", "jewellery", "garden", "electronics", "home"},
        ("warranty", "guarantee"),
    ),
    (
        "origin",
        {
            "en": "Made in Portugal.",
            "fr": "Fabriqué au Portugal.",
            "de": "Hergestellt in Portugal.",
            "es": "Fabricado en Portugal.",
        },
        {"apparel", "jewellery", "garden", "home", "beauty"},
        ("made in",),
    ),
    (
        "oekotex",
        {
            "en": "Certified to OEKO-TEX Standard 100.",
            "fr": "Certifié OEKO-TEX Standard 100.",
            "de": "Zertifiziert nach OEKO-TEX Standard 100.",
            "es": "Con certificación OEKO-TEX Standard 100.",
        },
        {"apparel", "footwear"},
        ("oeko-tex",),
    ),
    (
        "dermatest",
        {
            "en": "Dermatologically tested.",
            "fr": "Testé dermatologiquement.",
            "de": "Dermatologisch getestet.",
            "es": "Testado dermatológicamente.",
        },
        {"beauty"},
        ("dermatolog",),
    ),
    (
        "rainforest",
        {
            "en": "Rainforest Alliance certified.",
            "fr": "Certifié Rainforest Alliance.",
            "de": "Rainforest-Alliance-zertifiziert.",
            "es": "Con certificación Rainforest Alliance.",
        },
        {"food"},
        ("rainforest",),
    ),
    (
        "ip68",
        {
            "en": "Waterproof to IP68.",
            "fr": "Étanche IP68.",
            "de": "Wasserdicht nach IP68.",
            "es": "Resistente al agua IP68.",
        },
        {"electronics"},
        ("ip6", "ipx"),
    ),
    (
        "tarnish",
        {
            "en": "Lifetime guarantee against tarnishing.",
            "fr": "Garantie à vie contre le ternissement.",
            "de": "Lebenslange Garantie gegen Anlaufen.",
            "es": "Garantía de por vida contra el deslustre.",
        },
        {"jewellery"},
        ("tarnish",),
    ),
    (
        "frost",
        {
            "en": "Frost-proof down to -20°C.",
            "fr": "Résistant au gel jusqu'à -20 °C.",
            "de": "Frostfest bis -20 °C.",
            "es": "Resistente a heladas hasta -20 °C.",
        },
        {"garden"},
        ("frost",),
    ),
]
SEARCH_Q = {
    "en": [
        "<p>Looking for “{kw}”? You have found it.</p>",
        "<p>It also answers a search for {kw}.</p>",
        "<p>Searching for {kw}? Look no further.</p>",
    ],
    "fr": [
        "<p>Vous cherchez « {kw} » ? Vous êtes au bon endroit.</p>",
        "<p>Il répond aussi à une recherche « {kw} ».</p>",
        "<p>Vous cherchez aussi {kw} ? Ne cherchez plus.</p>",
    ],
    "de": [
        "<p>Suchen Sie „{kw}“? Dann sind Sie hier richtig.</p>",
        "<p>Passt auch zur Suche nach „{kw}“.</p>",
        "<p>Auf der Suche nach {kw}? Hier werden Sie fündig.</p>",
    ],
    "es": [
        "<p>¿Buscas «{kw}»? Has llegado al lugar indicado.</p>",
        "<p>También responde a la búsqueda «{kw}».</p>",
        "<p>¿Estás buscando {kw}? No busques más.</p>",
    ],
}
SEARCH_NO_KW = {
    "en": "<p>Worth a look.</p>",
    "fr": "<p>Ça vaut le coup d'œil.</p>",
    "de": "<p>Ein Blick lohnt sich.</p>",
    "es": "<p>Merece la pena echarle un vistazo.</p>",
}
HOME_PHRASE = {
    "en": "<p>Order the one that fits your home.</p>",
    "fr": "<p>Complétez votre intérieur.</p>",
    "de": "<p>Ergänzen Sie Ihr Zuhause.</p>",
    "es": "<p>Completa tu hogar.</p>",
}
FILLER = {
    "en": [
        "This product is a great choice for everyday use.",
        "It is made to last and designed with care.",
        "A reliable companion you will reach for again and again.",
        "Quality you can see and feel.",
        "It combines style and function in one.",
    ],
    "fr": [
        "Ce produit est un excellent choix pour un usage quotidien.",
        "Il est conçu pour durer et fabriqué avec soin.",
        "Un compagnon fiable que vous utiliserez encore et encore.",
        "Une qualité qui se voit et se ressent.",
        "Il allie style et fonctionnalité.",
    ],
    "de": [
        "Dieses Produkt ist eine hervorragende Wahl für den täglichen Gebrauch.",
        "Es ist langlebig und mit Sorgfalt gestaltet.",
        "Ein zuverlässiger Begleiter, zu dem Sie immer wieder greifen werden.",
        "Qualität, die man sieht und spürt.",
        "Es verbindet Stil und Funktion.",
    ],
    "es": [
        "Este producto es una excelente elección para el uso diario.",
        "Está hecho para durar y diseñado con cuidado.",
        "Un compañero fiable al que recurrirás una y otra vez.",
        "Una calidad que se ve y se siente.",
        "Combina estilo y funcionalidad.",
    ],
}


class BuildError(Exception):
    pass


# ----------------------------------------------------------------------------------------------- text helpers
def strip_tags(s: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", s))).strip()


def seo_main(seo_title: str) -> str:
    """The SEO title without a final '| Brand' suffix."""
    return seo_title.rsplit(" | ", 1)[0] if " | " in seo_title else seo_title


def content_words(text: str, locale: str) -> list[str]:
    words = re.findall(r"[^\W\d_]+", html.unescape(text).lower())
    return [w for w in words if len(w) >= 2 and w not in STOPWORDS[locale]]


def repeated_words(draft: dict, locale: str) -> list[str]:
    """Content words that occur twice in the title or in the SEO title (brand suffix excluded)."""
    out = []
    for text in (draft["title"], seo_main(draft["seo_title"])):
        c = Counter(content_words(text, locale))
        out += sorted(w for w, n in c.items() if n > 1)
    return out


_NUM = re.compile(r"\d+(?:(?:[.,]|[ \u00a0\u202f](?=\d{3}(?!\d)))\d+)*")


def numbers(text: str) -> set[str]:
    """Numbers in a text, separators removed, so 10,000 / 10 000 / 10.000 and 1.5 / 1,5 compare equal."""
    return {re.sub(r"\D", "", m) for m in _NUM.findall(html.unescape(text))}


def fact_numbers(product: dict) -> set[str]:
    out: set[str] = set()
    for f in product["facts"]:
        out |= numbers(f["text"])
    return out


def word_count(body_html: str) -> int:
    return len(strip_tags(body_html).split())


# ----------------------------------------------------------------------------------------------- loading + checks
def load() -> tuple[dict, list, list, dict]:
    products = load_products("products.json")
    goods = json.loads((HERE / "good_drafts.json").read_text(encoding="utf-8"))
    bads = json.loads((HERE / "bad_drafts.json").read_text(encoding="utf-8"))
    hints = json.loads((HERE / "mutation_hints.json").read_text(encoding="utf-8"))
    return products, goods, bads, hints


def load_products(name: str) -> dict:
    products = json.loads((HERE / name).read_text(encoding="utf-8"))
    by_id: dict = {}
    for p in products:
        for key in (
            "id",
            "family",
            "title",
            "body_html",
            "vendor",
            "product_type",
            "tags",
            "handle",
            "options",
            "variants",
            "seo_title",
            "seo_description",
            "facts",
        ):
            if key not in p:
                raise BuildError(f"{name}: {p.get('id')}: missing {key}")
        if p["id"] in by_id:
            raise BuildError(f"{name}: duplicate id {p['id']}")
        body = strip_tags(p["body_html"])
        for f in p["facts"]:
            if f["kind"] not in FACT_KINDS:
                raise BuildError(f"{name}: {p['id']}: unknown fact kind {f['kind']}")
            if f["text"] not in body:
                raise BuildError(f"{name}: {p['id']}: fact not in the copy: {f['text']!r}")
        by_id[p["id"]] = p
    return by_id


def load_heldout(tuning: dict) -> tuple[dict, list]:
    """The held-out products and drafts: products that share no id, title, handle or vendor with the tuning set.

    In heldout_drafts.json a record with `labels: []` is a good draft (all four fields). A bad draft may give only
    the fields it changes: the others, and the keyword, come from the first good draft of its product and locale."""
    names = ("heldout_products.json", "heldout_drafts.json")
    present = [(HERE / n).exists() for n in names]
    if not any(present):
        return {}, []
    if not all(present):
        raise BuildError("heldout_products.json and heldout_drafts.json go together")
    products = load_products(names[0])
    for field in ("id", "title", "handle", "vendor"):
        seen = {str(p[field]).lower() for p in tuning.values()}
        clash = sorted(p["id"] for p in products.values() if str(p[field]).lower() in seen)
        if clash:
            raise BuildError(f"{names[0]}: {field} also in products.json: {clash}")
    raw = json.loads((HERE / names[1]).read_text(encoding="utf-8"))
    base: dict = {}
    out = []
    for i, r in enumerate(raw):
        if r.get("labels"):
            continue
        where = f"{names[1]}[{i}]"
        check_draft_shape(where, r, products)
        check_good(r, products[r["product_id"]], where)
        base.setdefault((r["product_id"], r["locale"]), r)
        out.append({**r, "labels": [], "source": "good", "note": r.get("note") or "good rewrite"})
    for i, r in enumerate(raw):
        if not r.get("labels"):
            continue
        where = f"{names[1]}[{i}]"
        key = (r.get("product_id"), r.get("locale"))
        if key not in base:
            raise BuildError(f"{where}: no good draft for {key} to start from")
        if set(r["draft"]) - set(DRAFT_FIELDS) or not r["draft"]:
            raise BuildError(f"{where}: draft fields {sorted(r['draft'])}")
        if set(r["labels"]) - set(CLASSES) or not r.get("note"):
            raise BuildError(f"{where}: labels {r['labels']} or note missing")
        draft = {**base[key]["draft"], **r["draft"]}
        if draft == base[key]["draft"]:
            raise BuildError(f"{where}: the bad draft is the good draft")
        out.append({**r, "draft": draft, "keyword": r.get("keyword", base[key]["keyword"]), "source": "hand"})
    return products, out


def check_draft_shape(where: str, rec: dict, products: dict) -> None:
    if rec["product_id"] not in products:
        raise BuildError(f"{where}: unknown product {rec['product_id']}")
    if rec["locale"] not in LOCALES:
        raise BuildError(f"{where}: unknown locale {rec['locale']}")
    if set(rec["draft"]) != set(DRAFT_FIELDS):
        raise BuildError(f"{where}: draft fields {sorted(rec['draft'])}")


def check_good(rec: dict, product: dict, where: str = "good_drafts.json") -> None:
    where = f"{where}: {rec['product_id']}/{rec['locale']}"
    d = rec["draft"]
    if len(d["title"]) > 70 or len(d["seo_title"]) > 60 or not 70 <= len(d["seo_description"]) <= 160:
        raise BuildError(f"{where}: length limits (title<=70, seo_title<=60, seo_description 70-160)")
    if repeated_words(d, rec["locale"]):
        raise BuildError(f"{where}: repeated word {repeated_words(d, rec['locale'])}")
    missing = fact_numbers(product) - numbers(d["body_html"])
    if missing:
        raise BuildError(f"{where}: body lacks fact numbers {sorted(missing)}")


# ----------------------------------------------------------------------------------------------- mutations
# Each mutator returns (draft, note) or None when it does not apply; it must create exactly its defect.
def _copy(d: dict) -> dict:
    return {k: d[k] for k in DRAFT_FIELDS}


def _append_to_list_or_body(body: str, text: str) -> str:
    if "</ul>" in body:
        i = body.rfind("</ul>")
        return body[:i] + f"<li>{text.rstrip('.')}</li>" + body[i:]
    return body + f"<p>{text}</p>"


def m_repeat_word(g, p, ctx, rng):
    loc = g["locale"]
    field = rng.choice(["title", "seo_title"]) if g["draft"]["seo_title"] else "title"
    for f in (field, "title"):
        text = g["draft"][f]
        main = seo_main(text) if f == "seo_title" else text
        words = [w for w in main.split(" ") if re.fullmatch(r"[^\W\d_]{4,}", w) and w.lower() not in STOPWORDS[loc]]
        if not words:
            continue
        w = rng.choice(words)
        if rng.random() < 0.5:
            new_main = re.sub(rf"(?<!\S){re.escape(w)}(?!\S)", f"{w} {w}", main, count=1)
            how = "doubled in place"
        else:
            new_main = f"{main} {w}"
            how = "repeated at the end"
        d = _copy(g["draft"])
        d[f] = new_main + text[len(main) :]
        if w.lower() not in repeated_words(d, loc):
            continue
        return d, f"mutation: '{w}' {how} in the {f.replace('_', ' ')}"
    return None


def m_swap_head(g, p, ctx, rng):
    pairs = ctx["hints"]["identity"].get(p["id"], {}).get(g["locale"])
    if not pairs:
        return None
    d = _copy(g["draft"])
    title, main = d["title"], seo_main(d["seo_title"])
    applied = []
    for old, new in pairs:
        if old in title or old in main:
            applied.append(f"'{old}' -> '{new}'")
        title = title.replace(old, new)
        main = main.replace(old, new)
    if title == d["title"]:
        raise BuildError(f"mutation_hints.json: identity pairs do not match the title of {p['id']}/{g['locale']}")
    d["seo_title"] = main + d["seo_title"][len(seo_main(d["seo_title"])) :]
    d["title"] = title
    if repeated_words(d, g["locale"]):
        return None
    return d, "mutation: head noun/name replaced in title and SEO title: " + ", ".join(applied)


def m_foreign_fields(g, p, ctx, rng):
    loc = g["locale"]
    src = "en" if loc != "en" else rng.choice(["fr", "de", "es"])
    other = ctx["good_by"][(p["id"], src)]["draft"]
    d = _copy(g["draft"])
    for f in ("title", "seo_title", "seo_description"):
        d[f] = other[f]
    if d["title"] == g["draft"]["title"] and d["seo_title"] == g["draft"]["seo_title"]:
        return None
    return d, f"mutation: title and SEO fields taken from the {src} draft"


def m_foreign_body(g, p, ctx, rng):
    loc = g["locale"]
    src = "en" if loc != "en" else rng.choice(["fr", "de", "es"])
    d = _copy(g["draft"])
    d["body_html"] = ctx["good_by"][(p["id"], src)]["draft"]["body_html"]
    return d, f"mutation: body left in {src}"


def m_size_code(g, p, ctx, rng):
    loc = g["locale"]
    if loc not in SIZE_WORDS:
        return None
    codes = [v for o in p["options"] if o["name"].lower() == "size" for v in o["values"] if v in SIZE_WORDS[loc]]
    body = g["draft"]["body_html"]
    hit = [c for c in codes if re.search(rf"(?<![\w-]){c}(?![\w-])", strip_tags(body))]
    if not hit:
        return None
    d = _copy(g["draft"])
    for c in sorted(hit, key=len, reverse=True):
        d["body_html"] = re.sub(rf"(?<![\w<>/-]){c}(?![\w-])", SIZE_WORDS[loc][c], d["body_html"])
    if d["body_html"] == body:
        return None
    return d, "mutation: size code(s) " + ", ".join(hit) + " translated"


def m_sku_reference(g, p, ctx, rng):
    if len(p["variants"]) < 2:
        return None
    sku = p["variants"][0]["sku"]
    line = rng.choice(SKU_LINES[g["locale"]]).format(sku=sku)
    d = _copy(g["draft"])
    d["body_html"] = d["body_html"] + line
    return d, f"mutation: first variant's SKU {sku} stated as the product's reference"


def _pieces(body: str) -> list[tuple[int, int]]:
    """Spans of removable fact-bearing pieces: whole <li> items, or sentences inside <p>."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"<li>.*?</li>", body)]
    for m in re.finditer(r"<p>(.*?)</p>", body):
        start, text = m.start(1), m.group(1)
        # sentence ends: . ! ? followed by a space or the end, except after an abbreviation such as "approx."
        ends = [
            e.end()
            for e in re.finditer(r"[.!?](?=\s|$)", text)
            if not re.search(r"\b(?:approx|env|ca|aprox|c|tsp)\.$", text[: e.end()], re.IGNORECASE)
        ]
        if not ends or ends[-1] < len(text.rstrip()):
            ends.append(len(text))
        a = 0
        for e in ends:
            if text[a:e].strip():
                lead = len(text[a:e]) - len(text[a:e].lstrip())
                spans.append((start + a + lead, start + e))
            a = e
    return spans


def m_drop_fact(g, p, ctx, rng):
    body = g["draft"]["body_html"]
    wanted = fact_numbers(p)
    spans = _pieces(body)
    rng.shuffle(spans)
    for a, b in spans:
        piece = body[a:b]
        nums = numbers(piece) & wanted
        if not nums:
            continue
        new = body[:a] + body[b:]
        new = re.sub(r"<p>\s*</p>", "", new).replace("<ul></ul>", "").replace("  ", " ").replace("<p> ", "<p>")
        if nums & numbers(new):
            continue  # the fact is still stated elsewhere
        d = _copy(g["draft"])
        d["body_html"] = new
        return d, f"mutation: removed '{strip_tags(piece)}'"
    return None


def m_broaden_material(g, p, ctx, rng):
    m = ctx["hints"]["scoped_material"].get(p["id"], {}).get(g["locale"])
    if not m:
        return None
    d = _copy(g["draft"])
    d["body_html"] = BROADEN[g["locale"]].format(m=m) + d["body_html"]
    return d, f"mutation: part-only material '{m}' stated for the whole product"


def m_invent_spec(g, p, ctx, rng):
    text_all = (strip_tags(p["body_html"]) + " " + strip_tags(g["draft"]["body_html"])).lower()
    options = [
        (n, t)
        for n, t, fams, absent in INVENTED
        if (fams is None or p["family"] in fams)
        and not any(a in text_all for a in absent)
        and not (n == "origin" and "spain" in text_all)
    ]
    if not options:
        return None
    name, texts = rng.choice(options)
    d = _copy(g["draft"])
    d["body_html"] = _append_to_list_or_body(d["body_html"], texts[g["locale"]])
    return d, f"mutation: invented spec ({name}): '{texts[g['locale']]}'"


def m_search_question(g, p, ctx, rng):
    kw = g["keyword"]
    d = _copy(g["draft"])
    if kw:
        line = rng.choice(SEARCH_Q[g["locale"]]).format(kw=kw)
    else:
        line = SEARCH_NO_KW[g["locale"]]
    d["body_html"] = (line + d["body_html"]) if rng.random() < 0.6 else (d["body_html"] + line)
    return d, f"mutation: search talk added: '{strip_tags(line)}'"


def m_home_phrase(g, p, ctx, rng):
    if p["family"] in ("home", "garden"):
        return None
    d = _copy(g["draft"])
    d["body_html"] += HOME_PHRASE[g["locale"]]
    return d, f"mutation: home-goods stock phrase on a {p['family']} product"


def m_filler(g, p, ctx, rng):
    n = rng.choice([2, 3])
    sentences = rng.sample(FILLER[g["locale"]], n)
    d = _copy(g["draft"])
    d["body_html"] += "<p>" + " ".join(sentences) + "</p>"
    if word_count(d["body_html"]) - word_count(g["draft"]["body_html"]) < 12:
        return None
    return d, f"mutation: {n} filler sentences appended"


# class -> [(kind, mutator, max per locale or None)]
MUTATORS = {
    "repeated_word": [("repeat_word", m_repeat_word, None)],
    "identity_changed": [("swap_head", m_swap_head, None)],
    "wrong_language": [("foreign_fields", m_foreign_fields, 4), ("foreign_body", m_foreign_body, None)],
    "variant_as_product": [("size_code", m_size_code, 2), ("sku_reference", m_sku_reference, None)],
    "facts_dropped": [("drop_fact", m_drop_fact, None)],
    "facts_invented": [("broaden_material", m_broaden_material, 3), ("invent_spec", m_invent_spec, None)],
    "search_talk": [("home_phrase", m_home_phrase, 2), ("search_question", m_search_question, None)],
    "padding": [("filler", m_filler, None)],
}


def make_mutations(products: dict, goods: list, hints: dict) -> list[dict]:
    rng = random.Random(SEED)
    ctx = {"hints": hints, "good_by": {(g["product_id"], g["locale"]): g for g in goods}}
    used: Counter = Counter()
    out = []
    for cls in CLASSES:
        for loc in LOCALES:
            cands = [g for g in goods if g["locale"] == loc]
            rng.shuffle(cands)
            order = {id(g): i for i, g in enumerate(cands)}
            fam_used: Counter = Counter()
            kind_used: Counter = Counter()
            made = 0
            while made < QUOTA[cls] and cands:
                cands.sort(
                    key=lambda g: (
                        fam_used[products[g["product_id"]]["family"]],
                        used[(g["product_id"], loc)],
                        order[id(g)],
                    )
                )
                g = cands.pop(0)
                p = products[g["product_id"]]
                for kind, fn, cap in MUTATORS[cls]:
                    if cap is not None and kind_used[kind] >= cap:
                        continue
                    res = fn(g, p, ctx, rng)
                    if res is None:
                        continue
                    draft, note = res
                    if draft == g["draft"]:
                        raise BuildError(f"mutation {kind} left {p['id']}/{loc} unchanged")
                    out.append(
                        {
                            "product_id": p["id"],
                            "locale": loc,
                            "keyword": g["keyword"],
                            "draft": draft,
                            "labels": [cls],
                            "source": f"mutation:{kind}",
                            "note": note,
                            "_kind": kind,
                        }
                    )
                    kind_used[kind] += 1
                    fam_used[p["family"]] += 1
                    used[(p["id"], loc)] += 1
                    made += 1
                    break
            if made < QUOTA[cls]:
                raise BuildError(f"only {made} {cls} mutations possible for {loc}")
    return out


# ----------------------------------------------------------------------------------------------- assembly
def build() -> tuple[list[dict], dict]:
    products, goods, bads, hints = load()
    heldout_products, heldout = load_heldout(products)
    seen = set()
    for g in goods:
        check_draft_shape("good_drafts.json", g, products)
        key = (g["product_id"], g["locale"])
        if key in seen:
            raise BuildError(f"good_drafts.json: two good drafts for {key}")
        seen.add(key)
        check_good(g, products[g["product_id"]])
    for i, b in enumerate(bads):
        check_draft_shape(f"bad_drafts.json[{i}]", b, products)
        if not b["labels"] or set(b["labels"]) - set(CLASSES):
            raise BuildError(f"bad_drafts.json[{i}]: labels {b['labels']}")
        if not b.get("note"):
            raise BuildError(f"bad_drafts.json[{i}]: note missing")

    records = []
    counters: Counter = Counter()
    all_products = {**products, **heldout_products}

    def add(rec: dict, tag: str, split: str = "tuning") -> None:
        p = all_products[rec["product_id"]]
        base = f"{p['family']}-{p['id']}-{rec['locale']}-{tag}"
        counters[base] += 1
        records.append(
            {
                "id": f"{base}-{counters[base]}",
                "split": split,
                "family": p["family"],
                "locale": rec["locale"],
                "product_id": p["id"],
                "keyword": rec["keyword"],
                "draft": {k: rec["draft"][k] for k in DRAFT_FIELDS},
                "labels": sorted(rec.get("labels", []), key=CLASSES.index),
                "source": rec["source"],
                "note": rec["note"],
            }
        )

    for g in goods:
        add({**g, "labels": [], "source": "good", "note": "good rewrite"}, "good")
    for b in bads:
        add({**b, "source": "hand"}, "hand")
    for m in make_mutations(products, goods, hints):
        add(m, f"mut-{m['_kind']}")
    for h in heldout:
        add(h, h["source"], "heldout")

    # consistency: the repeated_word label and the definition must agree on every record
    for r in records:
        rep = bool(repeated_words(r["draft"], r["locale"]))
        if rep != ("repeated_word" in r["labels"]):
            raise BuildError(
                f"{r['id']}: repeated_word label disagrees with the text ({repeated_words(r['draft'], r['locale'])})"
            )
        if "facts_dropped" not in r["labels"]:
            missing = fact_numbers(all_products[r["product_id"]]) - numbers(r["draft"]["body_html"])
            if missing and r["source"] != "good":
                raise BuildError(
                    f"{r['id']}: body lacks fact numbers {sorted(missing)} but is not labelled facts_dropped"
                )
    records.sort(key=lambda r: r["id"])
    if len({r["id"] for r in records}) != len(records):
        raise BuildError("duplicate record ids")
    return records, all_products


def render(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in records)


def stats(records: list[dict]) -> dict:
    bad = [r for r in records if r["labels"]]
    return {
        "total": len(records),
        "good": len(records) - len(bad),
        "families": Counter(r["family"] for r in records),
        "locales": Counter(r["locale"] for r in records),
        "classes": Counter(label for r in bad for label in r["labels"]),
        "class_locale": Counter((label, r["locale"]) for r in bad for label in r["labels"]),
        "family_locale": Counter((r["family"], r["locale"]) for r in records),
        "sources": Counter(r["source"].split(":")[0] for r in records),
        "good_locales": Counter(r["locale"] for r in records if not r["labels"]),
    }


def problems(s: dict) -> list[str]:
    out = []
    if s["total"] < MIN_DRAFTS:
        out.append(f"{s['total']} drafts < {MIN_DRAFTS}")
    if len(s["families"]) < MIN_FAMILIES:
        out.append(f"{len(s['families'])} families < {MIN_FAMILIES}")
    for loc in LOCALES:
        if not s["locales"][loc]:
            out.append(f"no drafts for locale {loc}")
    for c in CLASSES:
        if s["classes"][c] < MIN_PER_CLASS:
            out.append(f"class {c}: {s['classes'][c]} bad drafts < {MIN_PER_CLASS}")
    if s["good"] < MIN_GOOD_SHARE * s["total"]:
        out.append(f"good drafts {s['good']}/{s['total']} < {MIN_GOOD_SHARE:.0%}")
    return out


def heldout_problems(s: dict) -> list[str]:
    out = []
    if s["total"] < MIN_HELDOUT:
        out.append(f"heldout: {s['total']} drafts < {MIN_HELDOUT}")
    if len(s["families"]) < MIN_HELDOUT_FAMILIES:
        out.append(f"heldout: {len(s['families'])} families < {MIN_HELDOUT_FAMILIES}")
    for loc in LOCALES:
        if not s["locales"][loc] or not s["good_locales"][loc]:
            out.append(f"heldout: no drafts, or no good drafts, for locale {loc}")
    for c in CLASSES:
        if s["classes"][c] < MIN_HELDOUT_PER_CLASS:
            out.append(f"heldout: class {c}: {s['classes'][c]} bad drafts < {MIN_HELDOUT_PER_CLASS}")
        missing = [loc for loc in LOCALES if not s["class_locale"][(c, loc)]]
        if missing:
            out.append(f"heldout: class {c} has no bad draft in {', '.join(missing)}")
    return out


def split_stats(records: list[dict]) -> dict[str, dict]:
    """Counts for the whole set ("all") and for each split present."""
    out = {"all": stats(records)}
    for split in SPLITS:
        subset = [r for r in records if r["split"] == split]
        if subset:
            out[split] = stats(subset)
    return out


def table(s: dict) -> str:
    fams = sorted(s["families"])
    lines = ["family       " + " ".join(f"{loc:>4}" for loc in LOCALES) + "  total"]
    for f in fams:
        row = [s["family_locale"][(f, loc)] for loc in LOCALES]
        lines.append(f"{f:<12} " + " ".join(f"{n:>4}" for n in row) + f"  {sum(row):>5}")
    lines.append(f"{'total':<12} " + " ".join(f"{s['locales'][loc]:>4}" for loc in LOCALES) + f"  {s['total']:>5}")
    lines.append("")
    lines.append("class                " + " ".join(f"{loc:>4}" for loc in LOCALES) + "  total")
    for c in CLASSES:
        row = [s["class_locale"][(c, loc)] for loc in LOCALES]
        lines.append(f"{c:<20} " + " ".join(f"{n:>4}" for n in row) + f"  {sum(row):>5}")
    lines.append("")
    lines.append("sources: " + ", ".join(f"{k} {v}" for k, v in sorted(s["sources"].items())))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if eval_set.jsonl is stale or below the minimums")
    ap.add_argument("--stats", action="store_true", help="print the counts table")
    args = ap.parse_args(argv)
    try:
        records, _ = build()
    except BuildError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    text = render(records)
    per_split = split_stats(records)
    s = per_split["all"]
    bad = problems(s) + (heldout_problems(per_split["heldout"]) if "heldout" in per_split else [])
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"error: {OUT.name} is stale; run python3 {Path(__file__).name}", file=sys.stderr)
            return 1
        if bad:
            print("error: " + "; ".join(bad), file=sys.stderr)
            return 1
        held = per_split.get("heldout", {"total": 0, "good": 0})
        print(f"ok: {s['total']} drafts ({s['good']} good; heldout {held['total']}, {held['good']} good) up to date")
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.name}: {s['total']} drafts ({s['good']} good)")
    if args.stats:
        for name, st in per_split.items():
            print(f"\n== {name}: {st['total']} drafts, {st['good']} good")
            print(table(st))
    if bad:
        print("warning: " + "; ".join(bad), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
