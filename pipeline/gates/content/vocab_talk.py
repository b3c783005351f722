# ruff: noqa: E501  (vocabulary tables: one entry a line)
"""Search-talk and stock filler, as regular expressions per locale (matched on lower-case text)."""

from __future__ import annotations

import re

SEARCH_TALK = {
    "en": r"looking for\b|are you looking|if you(?:'re| are)? (?:searching|looking|shopping) for|searched for|"
          r"search(?:es|ing)? for|answers? (?:a|your|the) (?:search|query)|\bsearch(?:es)?\b|\bquer(?:y|ies)\b|"
          r"\bshoppers?\b|people (?:who )?(?:search|look)|in the market for|\bkeywords?\b|search engine",
    "fr": r"vous cherchez|tu cherches|vous recherchez|tu recherches|à la recherche d|\brecherches?\b|"
          r"\brequêtes?\b|ceux qui cherchent|si vous avez cherché|mots?[- ]clés?|moteur de recherche|acheteurs",
    "de": r"suchen sie|suchst du|sie suchen|du suchst|auf der suche nach|\bsuche nach\b|suchanfrage|\bsuchen\b|"
          r"\bsuchbegriff|wer nach .{0,40} sucht|stichwort|schlüsselwort|suchmaschine|\bkäufer\b",
    "es": r"¿?\bbuscas\b|¿?\bbusca usted\b|¿?está buscando|¿?estás buscando|\bbúsquedas?\b|\bbuscan\b|"
          r"si has buscado|palabras? clave|motor de búsqueda|\bcompradores\b",
}
FILLER = {
    "en": r"worth a look|look no further|order the one that fits|the one that fits your|you won't regret|"
          r"perfect addition to|a must[- ]have|elevate your (?:space|home|style|look)|whether you're|"
          r"take your .{0,20} to the next level|why wait|don't miss out|has you covered|"
          r"the perfect choice for|something for everyone|add it to your cart|treat yourself|"
          r"you deserve|check it out|is the answer|great choice|great pick|makes a great gift for anyone",
    "fr": r"complétez votre intérieur|ne cherchez plus|vaut le détour|un incontournable|n'attendez plus|"
          r"le choix idéal|l'allié idéal|commandez celui qui|ajoutez[- ]le à votre panier|faites-vous plaisir|"
          r"sublimez votre|que vous soyez|un indispensable|ne manquez pas|vous ne le regretterez pas",
    "de": r"ergänzen sie ihr zuhause|suchen sie nicht weiter|einen blick wert|ein muss für|ein must-have|"
          r"die perfekte wahl|die ideale ergänzung|bestellen sie (?:das|den|die) (?:passende|eine)|"
          r"warten sie nicht|worauf warten sie|gönnen sie sich|ob sie nun|sie werden es nicht bereuen|"
          r"werten sie ihr",
    "es": r"no busques más|vale la pena echar un vistazo|un imprescindible|un básico imprescindible|"
          r"la elección perfecta|el complemento perfecto|no esperes más|date un capricho|pide el que mejor|"
          r"completa tu hogar|ya sea que|no te arrepentirás|eleva tu",
}
SEARCH_RE = {loc: re.compile(p, re.I) for loc, p in SEARCH_TALK.items()}
FILLER_RE = {loc: re.compile(p, re.I) for loc, p in FILLER.items()}
