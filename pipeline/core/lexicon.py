"""Word lists the validators need: stopwords per language, materials, claims, units, injection phrases.

Kept as plain data so a reviewer can see exactly what grounding and the language check look for. Everything
is matched on `fold()`ed text (lower case, accents removed), so the entries are written folded too.
"""

from __future__ import annotations

import functools
import re

from pipeline.core.text import fold

WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)


@functools.lru_cache(maxsize=512)
def words(text: str) -> tuple[str, ...]:
    """Folded words of `text`; cached, as every check of a draft reads the same few texts."""
    return tuple(WORD.findall(fold(text)))


# -- language identification ------------------------------------------------------------------------------
# Frequent function words; a word shared by several languages counts for each, weighted down by how many.
STOPWORDS: dict[str, frozenset[str]] = {lang: frozenset(fold(" ".join(ws.split())).split()) for lang, ws in {
    "en": "the and with for this that your you from are is of to in it its our on or by an be will can each "
          "every into at as has have which while all more than these those their they what when who",
    "fr": "le la les des du un une et est pour avec dans sur votre vos ce cette ces qui que au aux par plus son "
          "sa ses nous vous etre sont a de en ou mais tout tous chaque leur leurs ne pas",
    "de": "der die das und mit fur ist ein eine einen dem den des im auf zu von sich nicht auch aus bei oder ihr "
          "ihre wird sind noch dieser diese dieses als am zum zur uber jede jeder jedes",
    "es": "el la los las un una y con para es en del de por que su sus este esta estos estas como mas al se lo "
          "tu sin muy son cada le o",
    "it": "il lo la gli le un una e con per di del della dei che in su questo questa sono piu al alla nel nella "
          "tuo tua ogni",
    "nl": "de het een en met voor van is in op dit deze die dat zijn je jouw uw ook niet aan bij als door naar "
          "te elke",
    "pt": "o a os as um uma e com para em do da dos das de por que seu sua este esta mais ao no na nao voce cada",
    "sv": "och med for ar en ett det den som pa av till i din ditt dina inte att har om eller fran varje",
    "da": "og med til er en et det den som pa af i din dit dine ikke at har om eller fra for hver",
    "pl": "i w z na do jest sie nie to dla ze od o po jak oraz ten ta te ktory ktora sa lub przez kazdy",
}.items()}

# -- materials: folded word forms per language -> one canonical name --------------------------------------
_MATERIALS = {
    "cotton": "cotton coton baumwolle algodon cotone katoen algodao",
    "linen": "linen lin leinen lino linnen linho",
    "wool": "wool woollen woolen laine wolle lana wol",
    "merino": "merino merinos",
    "cashmere": "cashmere cachemire kaschmir cachemira kasjmier caxemira",
    "silk": "silk soie seide seda seta zijde",
    "leather": "leather cuir leder cuero cuoio leer couro",
    "suede": "suede daim wildleder ante",
    "velvet": "velvet velours samt terciopelo velluto fluweel",
    "denim": "denim",
    "polyester": "polyester poliester",
    "nylon": "nylon",
    "acrylic": "acrylic acrylique acryl acrilico",
    "viscose": "viscose viscosa rayon",
    "bamboo": "bamboo bambou bambus bambu bamboe",
    "hemp": "hemp chanvre hanf canamo",
    "wood": "wood wooden bois holz madera legno hout madeira",
    "oak": "oak chene eiche roble rovere eiken carvalho",
    "walnut": "walnut noyer nussbaum nogal noce",
    "beech": "beech hetre buche haya",
    "teak": "teak teck teca",
    "acacia": "acacia akazie",
    "rattan": "rattan rotin ratan",
    "wicker": "wicker osier mimbre",
    "marble": "marble marbre marmor marmol marmo marmer",
    "granite": "granite granit granito",
    "concrete": "concrete beton hormigon",
    "glass": "glass verre glas vidrio vetro",
    "crystal": "crystal kristall",
    "ceramic": "ceramic ceramique keramik ceramica keramiek",
    "porcelain": "porcelain porcelaine porzellan porcelana porcellana porselein",
    "stoneware": "stoneware gres steinzeug",
    "terracotta": "terracotta terracota",
    "steel": "steel acier stahl acero acciaio staal",
    "stainless": "stainless inox inoxydable edelstahl inoxidable",
    "iron": "iron fer eisen hierro ferro ijzer",
    "aluminium": "aluminium aluminum aluminio alluminio",
    "brass": "brass laiton messing laton ottone",
    "copper": "copper cuivre kupfer cobre rame koper",
    "bronze": "bronze bronce bronzo brons",
    "gold": "gold oro goud",
    "silver": "silver argent silber plata argento zilver",
    "titanium": "titanium titane titan titanio",
    "plastic": "plastic plastique kunststoff plastico plastica",
    "silicone": "silicone silikon silicona",
    "rubber": "rubber caoutchouc gummi caucho",
    "cork": "cork liege kork corcho",
    "jute": "jute yute",
    "sisal": "sisal",
}
MATERIAL_WORDS: dict[str, str] = {form: canonical for canonical, forms in _MATERIALS.items()
                                  for form in forms.split()}

# -- claims: a checkable promise about the product; folded phrases -> canonical --------------------------
_CLAIMS = {
    "waterproof": ["waterproof", "water-resistant", "water resistant", "impermeable", "wasserdicht", "wasserfest",
                   "wasserabweisend", "resistente al agua", "waterdicht"],
    "organic": ["organic", "biologique", "bio", "organique", "biologisch", "organico", "biologico"],
    "handmade": ["handmade", "hand-made", "handcrafted", "hand-crafted", "handgemacht", "handgefertigt",
                 "fait main", "fait a la main", "hecho a mano", "fatto a mano", "artisanal", "artesanal"],
    "recycled": ["recycled", "recycle", "recycelt", "reciclado", "riciclato", "gerecycled"],
    "sustainable": ["sustainable", "sustainably", "nachhaltig", "sostenible", "sostenibile", "duurzaam",
                    "ecoresponsable", "eco-responsable"],
    "eco_friendly": ["eco-friendly", "eco friendly", "environmentally friendly", "ecologique",
                     "umweltfreundlich", "ecologico"],
    "vegan": ["vegan", "vegane", "veganes", "vegano", "vegana"],
    "hypoallergenic": ["hypoallergenic", "hypoallergenique", "hypoallergen", "hipoalergenico", "ipoallergenico"],
    "non_toxic": ["non-toxic", "nontoxic", "non toxic", "non toxique", "ungiftig", "no toxico"],
    "bpa_free": ["bpa-free", "bpa free", "sans bpa", "bpa-frei", "sin bpa"],
    "certified": ["certified", "certifie", "certifiee", "zertifiziert", "certificado", "certificato"],
    "award": ["award-winning", "award winning", "preisgekront", "premiado"],
    "bestseller": ["bestseller", "best-seller", "best seller", "best-selling", "meilleure vente",
                   "meistverkauft", "mas vendido"],
    "guarantee": ["guarantee", "guaranteed", "warranty", "garantie", "garanti", "garantiert", "garantia",
                  "garantizado", "garanzia"],
    "lifetime": ["lifetime", "a vie", "lebenslang", "de por vida"],
    "free_shipping": ["free shipping", "free delivery", "livraison gratuite", "livraison offerte",
                      "kostenloser versand", "versandkostenfrei", "envio gratis", "envio gratuito",
                      "spedizione gratuita"],
    "free_returns": ["free returns", "retours gratuits", "kostenlose ruckgabe", "devoluciones gratuitas"],
    "clinically_tested": ["clinically proven", "clinically tested", "dermatologically tested", "cliniquement",
                          "dermatologiquement", "klinisch", "dermatologisch", "clinicamente", "dermatologicamente"],
    "antibacterial": ["antibacterial", "antibacterien", "antibakteriell", "antibacteriano"],
    "fair_trade": ["fair trade", "fairtrade", "commerce equitable", "fairer handel", "comercio justo"],
    "patented": ["patented", "brevete", "patentiert", "patentado"],
    "limited_edition": ["limited edition", "edition limitee", "limitierte auflage", "edicion limitada"],
    "dishwasher_safe": ["dishwasher", "lave-vaisselle", "spulmaschine", "spulmaschinenfest",
                        "spulmaschinengeeignet", "lavavajillas"],
    "made_in": ["made in", "fabrique en", "fabrique au", "hergestellt in", "hecho en", "fabricado en",
                "prodotto in"],
    "superlative": ["the best", "best-in-class", "best in class", "number one", "world's best",
                    "cheapest", "lowest price", "le meilleur", "la meilleure", "moins cher", "der beste",
                    "die beste", "das beste", "gunstigste", "el mejor", "la mejor", "mas barato"],
    "discount": ["sale", "discount", "promo", "soldes", "remise", "rabatt", "angebot", "descuento",
                 "rebajas", "oferta"],
}


CLAIM_PHRASES: dict[tuple[str, ...], str] = {tuple(WORD.findall(fold(p))): canonical
                                              for canonical, phrases in _CLAIMS.items() for p in phrases
                                              if WORD.findall(fold(p)) and p[0].isalnum()}
LONGEST_CLAIM = max(len(k) for k in CLAIM_PHRASES)
CLAIM_FIRST_WORDS: dict[str, list[tuple[str, ...]]] = {}
for _phrase in sorted(CLAIM_PHRASES, key=len, reverse=True):
    CLAIM_FIRST_WORDS.setdefault(_phrase[0], []).append(_phrase)
# Claims that are not made of words alone.
CLAIM_SYMBOLS = [("discount", re.compile(r"\d\s*%\s*(?:off|de (?:remise|reduction)|rabatt|de descuento)")),
                 ("superlative", re.compile(r"(?<!\w)#\s?1(?!\d)"))]

# -- numbers and units -----------------------------------------------------------------------------------
UNIT_ALIASES = {
    "mm": "mm", "cm": "cm", "m": "m", "km": "km", "in": "in", "inch": "in", "inches": "in", '"': "in",
    "zoll": "in", "pouces": "in", "pulgadas": "in", "ft": "ft", "feet": "ft", "kg": "kg", "g": "g", "gr": "g",
    "lb": "lb", "lbs": "lb", "oz": "oz", "ml": "ml", "cl": "cl", "l": "l", "w": "w", "v": "v", "mah": "mah",
    "%": "%", "gsm": "gsm", "tc": "tc", "x": "x", "h": "h",
}
NUMBER_WITH_UNIT = re.compile(
    r"(?<![\d.,])(\d+(?:[.,\u202f\u00a0]\d{3})*(?:[.,]\d+)?)"
    r"(?:\s*(mm|cm|km|m|inches|inch|in|\"|zoll|pouces|pulgadas|ft|feet|kg|gr|g|lbs|lb|oz|ml|cl|l|w|v|mah|%|gsm|tc|h)"
    r"(?![^\W\d_]))?", re.IGNORECASE)

# -- text that tries to instruct the model (in product data) or talks about being a model (in a draft) ----
INJECTION_PATTERNS = [re.compile(p, re.IGNORECASE) for p in (
    r"\b(ignore|disregard|forget|override)\b[^.!?\n]{0,60}\b(instructions?|rules?|prompts?|guidelines|above|"
    r"previous|prior)\b",
    r"\bignor\w*\b[^.!?\n]{0,60}\b(consignes?|instructions?|anweisungen?|regeln|instrucciones|reglas)\b",
    r"\bsystem\s+prompt\b",
    r"\bnew\s+instructions?\b",
    r"\byou\s+are\s+now\b",
    r"\bact\s+as\s+(an?|the)\b",
    r"</?\s*(system|instructions?|prompt|assistant)\s*>",
    r"(^|\n)\s*(system|assistant|user)\s*:",
    r"\b(respond|reply|answer|output|print)\b[^.!?\n]{0,40}\b(only|exactly|verbatim|the following)\b",
)]
# All of them in one pattern: product data is scanned sentence by sentence, so one pass each matters.
ANY_INJECTION = re.compile("|".join(f"(?:{p.pattern})" for p in INJECTION_PATTERNS), re.IGNORECASE)
META_TEXT_PATTERNS = INJECTION_PATTERNS + [re.compile(p, re.IGNORECASE) for p in (
    r"\bas an ai\b", r"\blanguage model\b", r"\bi(?: a|')m sorry\b", r"\bi cannot\b", r"\bi can't\b",
    r"\{\{|\}\}|\{%|%\}",
)]
ANY_META_TEXT = re.compile("|".join(f"(?:{p.pattern})" for p in META_TEXT_PATTERNS), re.IGNORECASE)
