# ruff: noqa: E501  (vocabulary tables: one entry a line)
"""Words the offline writer may put into a French, German or Spanish title beside the product noun.

Only phrases that need no agreement with the noun's gender or number are listed: prepositional phrases
("de randonnée", "zum Wandern", "con capucha") and words that do not change ("oversize", "réglable" is left
out because German would need an inflected form). A title word that is not here, not a product noun, colour or
material, and not the merchant's own name keeps the writer from rebuilding that title: it abstains.

One line an entry: ``english forms | fr | de | es``; English forms are comma-separated and matched whole
(case and accents aside). Reviewed by hand; extend with care, one phrase a market would write.
"""

from __future__ import annotations

from pipeline.core.text import fold

_MODIFIER_TABLE = """
running | de running | zum Laufen | de running
hiking, trekking | de randonnée | zum Wandern | de senderismo
training, gym | d'entraînement | fürs Training | de entrenamiento
yoga | de yoga | für Yoga | de yoga
sports, sport | de sport | für den Sport | de deporte
women's, womens, ladies' | pour femme | für Damen | para mujer
men's, mens | pour homme | für Herren | para hombre
kids', kids, children's | pour enfant | für Kinder | infantil
hooded | à capuche | mit Kapuze | con capucha
full-zip, zip-up, zip | à zip | mit Reißverschluss | con cremallera
crew neck, crew | à col rond | mit Rundhalsausschnitt | de cuello redondo
v-neck | à col en V | mit V-Ausschnitt | de cuello de pico
pocket | à poche | mit Tasche | con bolsillo
logo | à logo | mit Logo | con logo
oversized, oversize | oversize | in Oversize | oversize
summer | d'été | für den Sommer | de verano
winter | d'hiver | für den Winter | de invierno
garden, gardening | de jardin | für den Garten | de jardín
self-watering | à réserve d'eau | mit Wasserspeicher | con reserva de agua
charm | à breloques | mit Anhängern | de dijes
"""

# Items sold as a pair or set that French, German and Spanish name in the plural: the English plural noun's
# concept -> its plural form per locale. Pair garments (trousers, shorts, jeans, leggings) are singular there.
PLURALS: dict[str, dict[str, str]] = {
    "socks": {"fr": "chaussettes", "de": "socken", "es": "calcetines"},
    "gloves": {"fr": "gants", "de": "handschuhe", "es": "guantes"},
    "earrings": {"fr": "boucles d'oreilles", "de": "ohrringe", "es": "pendientes"},
}
# English plurals whose concept is a pair garment: the singular form of the other languages is right.
PAIR_GARMENTS = frozenset({"trousers", "shorts", "jeans"})


def _parse(table: str) -> dict[tuple[str, ...], dict[str, str]]:
    out: dict[tuple[str, ...], dict[str, str]] = {}
    for line in table.strip().splitlines():
        english, fr, de, es = (cell.strip() for cell in line.split("|"))
        for form in english.split(","):
            key = tuple(fold(form.strip()).replace("-", " - ").replace("'", " ' ").split())
            out[key] = {"fr": fr, "de": de, "es": es}
    return out


MODIFIERS = _parse(_MODIFIER_TABLE)
MAX_MODIFIER_WORDS = max(len(key) for key in MODIFIERS)


def modifier_at(folded_tokens: tuple[str, ...], start: int) -> tuple[int, dict[str, str]] | None:
    """(how many tokens, phrases per locale) of the longest modifier starting at `start`, or None."""
    for length in range(min(MAX_MODIFIER_WORDS, len(folded_tokens) - start), 0, -1):
        key = tuple(" ".join(folded_tokens[start:start + length]).replace("-", " - ").replace("'", " ' ").split())
        phrases = MODIFIERS.get(key)
        if phrases is not None:
            return length, phrases
    return None

# German names a product of one material with a compound noun ("Silberkette", not "Kette aus Silber"). One line an
# entry: ``noun concept | material concept | singular | plural``; only compounds a German shop writes, reviewed by
# hand, and only those the content gates read back as the same noun and material (they do not yet read "Leder" at
# the start of a compound, so "Lederjacke" is not here). A pair not listed keeps the phrase ("Schneidebrett aus
# Eiche"): a compound is never built by rule.
_GERMAN_COMPOUND_TABLE = """
necklace | silver | Silberkette | Silberketten
necklace | gold | Goldkette | Goldketten
necklace | pearl | Perlenkette | Perlenketten
bracelet | silver | Silberarmband | Silberarmbänder
bracelet | gold | Goldarmband | Goldarmbänder
bracelet | pearl | Perlenarmband | Perlenarmbänder
ring | silver | Silberring | Silberringe
ring | gold | Goldring | Goldringe
earrings | silver | Silberohrring | Silberohrringe
earrings | gold | Goldohrring | Goldohrringe
earrings | pearl | Perlenohrring | Perlenohrringe
gloves | wool | Wollhandschuh | Wollhandschuhe
socks | wool | Wollsocke | Wollsocken
socks | merino | Merinosocke | Merinosocken
belt | suede | Wildledergürtel | Wildledergürtel
throw | wool | Wolldecke | Wolldecken
tablecloth | linen | Leinentischdecke | Leinentischdecken
"""


def _parse_compounds(table: str) -> dict[tuple[str, str], tuple[str, str]]:
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for line in table.strip().splitlines():
        noun, material, singular, plural = (cell.strip() for cell in line.split("|"))
        out[(noun, material)] = (singular, plural)
    return out


GERMAN_COMPOUNDS = _parse_compounds(_GERMAN_COMPOUND_TABLE)


def german_compound(noun_concept: str, material_concept: str, *, plural: bool) -> str | None:
    """The German compound noun for a product of this kind made of this material, or None."""
    forms = GERMAN_COMPOUNDS.get((noun_concept, material_concept))
    return None if forms is None else forms[1] if plural else forms[0]
