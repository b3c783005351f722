"""A small home-goods vocabulary in en, fr, de and es: product types, materials, colours, rooms, sizes, styles.

The catalogue is written in English; other locales need their own words for the same attributes, both to match
keyword exports written in those languages and to derive keywords where a locale has no export. The API:

- `translate_term(term, locale)`: the locale's word for an English term ("coffee table", "fr" -> "table basse");
  an unknown term is returned unchanged, so brand names and sizes like "160x230 cm" pass through.
- `term_kind(term)`: "type", "material", "colour", "room", "size" or "style" (None when not in the vocabulary).
- `find_terms(text)`: the vocabulary terms an English text mentions, longest phrase first ("coffee table" wins
  over "table"), as (kind, canonical English term) pairs in reading order.
- `compose_keyword(product_type, modifiers, locale)`: a search-style phrase in the locale's word order.
- `related_terms(term)`: other English wordings a shopper uses for it ("cushion cover" -> "pillow cover").
- `is_known_locale(locale)`: whether the vocabulary has words for that language.

Search keywords are written the way people type them: no articles, no gender agreement (French and Spanish
colours stay in their masculine form), lowercase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from pipeline.core.text import fold

LOCALES = ("en", "fr", "de", "es")
KINDS = ("type", "material", "colour", "room", "size", "style")

# One row per English term: en | fr | de | es. Kept as text so a reviewer can read a language down a column.
_TABLES = {
    "type": """
sofa | canapé | sofa | sofá
sectional sofa | canapé d'angle | ecksofa | sofá modular
loveseat | canapé 2 places | zweisitzer sofa | sofá de dos plazas
sofa bed | canapé lit | schlafsofa | sofá cama
armchair | fauteuil | sessel | sillón
accent chair | fauteuil d'appoint | akzentsessel | butaca
recliner | fauteuil relax | relaxsessel | sillón reclinable
chair | chaise | stuhl | silla
dining chair | chaise de salle à manger | esszimmerstuhl | silla de comedor
office chair | chaise de bureau | bürostuhl | silla de oficina
bar stool | tabouret de bar | barhocker | taburete de bar
stool | tabouret | hocker | taburete
bench | banc | sitzbank | banco
pouf | pouf | pouf | puf
table | table | tisch | mesa
coffee table | table basse | couchtisch | mesa de centro
side table | table d'appoint | beistelltisch | mesa auxiliar
end table | bout de canapé | beistelltisch | mesa auxiliar
console table | console | konsolentisch | mesa consola
dining table | table à manger | esstisch | mesa de comedor
desk | bureau | schreibtisch | escritorio
bed | lit | bett | cama
bed frame | cadre de lit | bettgestell | estructura de cama
headboard | tête de lit | kopfteil | cabecero
mattress | matelas | matratze | colchón
dresser | commode | kommode | cómoda
chest of drawers | commode | kommode | cómoda
nightstand | table de chevet | nachttisch | mesita de noche
wardrobe | armoire | kleiderschrank | armario
bookcase | bibliothèque | bücherregal | librería
shelf | étagère | regal | estante
wall shelf | étagère murale | wandregal | estante de pared
shelving unit | étagère | regal | estantería
cabinet | meuble de rangement | schrank | armario
sideboard | buffet | sideboard | aparador
tv stand | meuble tv | tv möbel | mueble de tv
rug | tapis | teppich | alfombra
area rug | tapis | teppich | alfombra
runner | tapis de couloir | läufer | alfombra de pasillo
doormat | paillasson | fußmatte | felpudo
cushion | coussin | kissen | cojín
throw pillow | coussin décoratif | zierkissen | cojín decorativo
cushion cover | housse de coussin | kissenbezug | funda de cojín
pillow | oreiller | kopfkissen | almohada
pillowcase | taie d'oreiller | kissenbezug | funda de almohada
throw | plaid | plaid | manta
throw blanket | plaid | wohndecke | manta
blanket | couverture | decke | manta
duvet cover | housse de couette | bettbezug | funda nórdica
duvet | couette | bettdecke | edredón nórdico
comforter | couette | bettdecke | edredón
quilt | courtepointe | steppdecke | colcha
bedspread | couvre-lit | tagesdecke | colcha
sheet set | parure de draps | bettlaken set | juego de sábanas
bedding set | parure de lit | bettwäsche set | juego de cama
fitted sheet | drap housse | spannbettlaken | sábana bajera
flat sheet | drap plat | betttuch | sábana encimera
sheet | drap | bettlaken | sábana
curtain | rideau | vorhang | cortina
blind | store | rollo | estor
lamp | lampe | lampe | lámpara
table lamp | lampe de table | tischlampe | lámpara de mesa
floor lamp | lampadaire | stehlampe | lámpara de pie
desk lamp | lampe de bureau | schreibtischlampe | lámpara de escritorio
pendant light | suspension | pendelleuchte | lámpara colgante
pendant lamp | suspension | pendelleuchte | lámpara colgante
chandelier | lustre | kronleuchter | lámpara de araña
ceiling light | plafonnier | deckenleuchte | lámpara de techo
wall light | applique murale | wandleuchte | aplique de pared
wall lamp | applique murale | wandlampe | aplique de pared
sconce | applique | wandleuchte | aplique
lampshade | abat-jour | lampenschirm | pantalla de lámpara
mirror | miroir | spiegel | espejo
wall mirror | miroir mural | wandspiegel | espejo de pared
floor mirror | miroir sur pied | standspiegel | espejo de pie
wall art | décoration murale | wandbild | cuadro decorativo
art print | affiche d'art | kunstdruck | lámina artística
print | affiche | kunstdruck | lámina
poster | affiche | poster | póster
canvas | toile | leinwand | lienzo
picture frame | cadre photo | bilderrahmen | marco de fotos
frame | cadre | rahmen | marco
wall clock | horloge murale | wanduhr | reloj de pared
clock | horloge | uhr | reloj
vase | vase | vase | jarrón
planter | cache-pot | übertopf | macetero
candle | bougie | kerze | vela
candle holder | bougeoir | kerzenhalter | portavelas
lantern | lanterne | laterne | farol
diffuser | diffuseur | diffusor | difusor
basket | panier | korb | cesta
storage basket | panier de rangement | aufbewahrungskorb | cesta de almacenaje
storage box | boîte de rangement | aufbewahrungsbox | caja de almacenaje
laundry basket | panier à linge | wäschekorb | cesto de la ropa
tray | plateau | tablett | bandeja
bowl | bol | schüssel | cuenco
serving bowl | saladier | servierschüssel | ensaladera
plate | assiette | teller | plato
dinner plate | assiette plate | speiseteller | plato llano
dinnerware set | service de table | geschirrset | vajilla
mug | mug | becher | taza
cup | tasse | tasse | taza
teapot | théière | teekanne | tetera
jug | pichet | krug | jarra
wine glass | verre à vin | weinglas | copa de vino
tumbler | gobelet | trinkglas | vaso
cutlery set | ménagère | besteckset | cubertería
cutting board | planche à découper | schneidebrett | tabla de cortar
serving board | planche de service | servierbrett | tabla de servir
coaster | dessous de verre | untersetzer | posavasos
placemat | set de table | platzset | mantel individual
tablecloth | nappe | tischdecke | mantel
napkin | serviette de table | serviette | servilleta
table runner | chemin de table | tischläufer | camino de mesa
apron | tablier | schürze | delantal
tea towel | torchon | geschirrtuch | paño de cocina
towel | serviette | handtuch | toalla
bath towel | serviette de bain | badetuch | toalla de baño
hand towel | essuie-mains | handtuch | toalla de manos
bath mat | tapis de bain | badematte | alfombra de baño
bathrobe | peignoir | bademantel | albornoz
shower curtain | rideau de douche | duschvorhang | cortina de ducha
soap dispenser | distributeur de savon | seifenspender | dispensador de jabón
coat rack | porte-manteau | garderobe | perchero
hook | patère | haken | gancho
pan | poêle | pfanne | sartén
frying pan | poêle | bratpfanne | sartén
saucepan | casserole | kochtopf | cazo
casserole dish | cocotte | schmortopf | cacerola
garden chair | chaise de jardin | gartenstuhl | silla de jardín
sun lounger | bain de soleil | sonnenliege | tumbona
hammock | hamac | hängematte | hamaca
parasol | parasol | sonnenschirm | sombrilla
bath caddy | serviteur de baignoire | badewannenablage | bandeja de bañera
toothbrush holder | porte-brosse à dents | zahnbürstenhalter | portacepillos
counter stool | tabouret de comptoir | tresenhocker | taburete alto
dutch oven | cocotte en fonte | bräter | olla holandesa
salad servers | couverts à salade | salatbesteck | cubiertos para ensalada
serving platter | plat de service | servierplatte | fuente de servir
storage jar | bocal de conservation | vorratsglas | tarro de almacenaje
scented candle | bougie parfumée | duftkerze | vela aromática
decorative tray | plateau décoratif | deko tablett | bandeja decorativa
wall sconce | applique murale | wandleuchte | aplique de pared
kitchen utensil | ustensile de cuisine | küchenhelfer | utensilio de cocina
cookware | ustensiles de cuisson | kochgeschirr | batería de cocina
""",
    "material": """
oak | chêne | eiche | roble
walnut | noyer | nussbaum | nogal
pine | pin | kiefer | pino
teak | teck | teak | teca
acacia | acacia | akazie | acacia
mango wood | bois de manguier | mangoholz | madera de mango
beech | hêtre | buche | haya
ash | frêne | esche | fresno
birch | bouleau | birke | abedul
bamboo | bambou | bambus | bambú
rattan | rotin | rattan | ratán
wicker | osier | korbgeflecht | mimbre
jute | jute | jute | yute
seagrass | jonc de mer | seegras | junco marino
solid wood | bois massif | massivholz | madera maciza
reclaimed wood | bois recyclé | altholz | madera recuperada
wood | bois | holz | madera
metal | métal | metall | metal
steel | acier | stahl | acero
stainless steel | acier inoxydable | edelstahl | acero inoxidable
iron | fer | eisen | hierro
cast iron | fonte | gusseisen | hierro fundido
brass | laiton | messing | latón
copper | cuivre | kupfer | cobre
aluminium | aluminium | aluminium | aluminio
chrome | chrome | chrom | cromo
marble | marbre | marmor | mármol
granite | granit | granit | granito
travertine | travertin | travertin | travertino
concrete | béton | beton | hormigón
terracotta | terre cuite | terrakotta | terracota
ceramic | céramique | keramik | cerámica
porcelain | porcelaine | porzellan | porcelana
stoneware | grès | steinzeug | gres
glass | verre | glas | vidrio
velvet | velours | samt | terciopelo
linen | lin | leinen | lino
cotton | coton | baumwolle | algodón
organic cotton | coton bio | bio baumwolle | algodón orgánico
wool | laine | wolle | lana
cashmere | cachemire | kaschmir | cachemira
silk | soie | seide | seda
leather | cuir | leder | cuero
faux leather | similicuir | kunstleder | piel sintética
boucle | bouclette | bouclé | bouclé
sheepskin | peau de mouton | schaffell | piel de oveja
faux fur | fausse fourrure | kunstfell | pelo sintético
polyester | polyester | polyester | poliéster
microfiber | microfibre | mikrofaser | microfibra
acrylic | acrylique | acryl | acrílico
plastic | plastique | kunststoff | plástico
resin | résine | harz | resina
enamel | émail | emaille | esmalte
alabaster | albâtre | alabaster | alabastro
alpaca | alpaga | alpaka | alpaca
paper | papier | papier | papel
archival paper | papier d'archive | archivpapier | papel de archivo
beeswax | cire d'abeille | bienenwachs | cera de abeja
soy wax | cire de soja | sojawachs | cera de soja
coconut wax | cire de coco | kokoswachs | cera de coco
borosilicate glass | verre borosilicate | borosilikatglas | vidrio borosilicato
recycled glass | verre recyclé | recyclingglas | vidrio reciclado
cotton percale | percale de coton | baumwollperkal | percal de algodón
cotton sateen | satin de coton | baumwollsatin | satén de algodón
bamboo lyocell | lyocell de bambou | bambus lyocell | lyocell de bambú
diatomite | diatomite | diatomit | diatomita
earthenware | faïence | steingut | loza
enameled cast iron | fonte émaillée | emailliertes gusseisen | hierro fundido esmaltado
maple | érable | ahorn | arce
merino wool | laine mérinos | merinowolle | lana merino
olive wood | bois d'olivier | olivenholz | madera de olivo
sisal | sisal | sisal | sisal
turkish cotton | coton turc | türkische baumwolle | algodón turco
waffle cotton | coton gaufré | waffelpiqué | algodón gofre
water hyacinth | jacinthe d'eau | wasserhyazinthe | jacinto de agua
""",
    "colour": """
white | blanc | weiß | blanco
black | noir | schwarz | negro
grey | gris | grau | gris
charcoal | anthracite | anthrazit | gris marengo
beige | beige | beige | beige
cream | crème | creme | crema
ivory | ivoire | elfenbein | marfil
brown | marron | braun | marrón
camel | camel | camel | camel
taupe | taupe | taupe | topo
natural | naturel | natur | natural
blue | bleu | blau | azul
navy | bleu marine | marineblau | azul marino
teal | bleu canard | petrol | verde azulado
green | vert | grün | verde
sage | vert sauge | salbeigrün | verde salvia
olive | vert olive | olivgrün | verde oliva
emerald | vert émeraude | smaragdgrün | verde esmeralda
red | rouge | rot | rojo
burgundy | bordeaux | bordeaux | burdeos
pink | rose | rosa | rosa
blush | rose poudré | altrosa | rosa palo
orange | orange | orange | naranja
rust | rouille | rostrot | teja
yellow | jaune | gelb | amarillo
mustard | moutarde | senfgelb | mostaza
gold | doré | gold | dorado
silver | argenté | silber | plateado
purple | violet | lila | morado
multicolour | multicolore | bunt | multicolor
stone | pierre | steingrau | piedra
sand | sable | sand | arena
oat | avoine | hafer | avena
moss | mousse | moosgrün | musgo
clay | argile | tonfarben | arcilla
ochre | ocre | ocker | ocre
indigo | indigo | indigo | índigo
chalk | craie | kreideweiß | tiza
slate | ardoise | schiefergrau | pizarra
smoke | fumé | rauchgrau | ahumado
amber | ambre | bernstein | ámbar
clear | transparent | transparent | transparente
""",
    "room": """
living room | salon | wohnzimmer | salón
bedroom | chambre | schlafzimmer | dormitorio
kitchen | cuisine | küche | cocina
dining room | salle à manger | esszimmer | comedor
bathroom | salle de bain | badezimmer | baño
home office | bureau | arbeitszimmer | oficina en casa
hallway | entrée | flur | recibidor
nursery | chambre bébé | kinderzimmer | habitación infantil
kids room | chambre enfant | kinderzimmer | habitación infantil
outdoor | extérieur | outdoor | exterior
garden | jardin | garten | jardín
patio | terrasse | terrasse | terraza
balcony | balcon | balkon | balcón
""",
    "style": """
scandinavian | scandinave | skandinavisch | escandinavo
japandi | japandi | japandi | japandi
coastal | bord de mer | maritim | costero
mid-century | mid-century | mid century | mid century
farmhouse | campagne | landhaus | rústico
minimalist | minimaliste | minimalistisch | minimalista
bohemian | bohème | boho | bohemio
traditional | traditionnel | klassisch | tradicional
modern organic | organique moderne | modern organic | orgánico moderno
industrial | industriel | industrial | industrial
modern | moderne | modern | moderno
vintage | vintage | vintage | vintage
rustic | rustique | rustikal | rústico
""",
    "size": """
small | petit | klein | pequeño
standard | standard | standard | estándar
twin | 1 place | einzelbett | individual
full | 2 places | doppelbett | matrimonio
round | rond | rund | redondo
oval | ovale | oval | ovalado
rectangle | rectangulaire | rechteckig | rectangular
tall | haut | hoch | alto
extra long | extra long | extra lang | extra largo
set of 8 | lot de 8 | 8er set | set de 8
medium | moyen | mittel | mediano
large | grand | groß | grande
extra large | très grand | extra groß | extra grande
mini | mini | mini | mini
single | 1 place | einzelbett | individual
double | 2 places | doppelbett | doble
queen | queen size | queen size | queen
king | king size | king size | king
super king | super king size | super king size | super king
2 seater | 2 places | 2 sitzer | 2 plazas
3 seater | 3 places | 3 sitzer | 3 plazas
4 seater | 4 places | 4 sitzer | 4 plazas
set of 2 | lot de 2 | 2er set | set de 2
set of 4 | lot de 4 | 4er set | set de 4
set of 6 | lot de 6 | 6er set | set de 6
""",
}

# Spellings that mean the same English term.
SYNONYMS = {
    "gray": "grey", "couch": "sofa", "aluminum": "aluminium", "bedside table": "nightstand", "color": "colour",
    "multicolor": "multicolour", "multi colour": "multicolour", "multi color": "multicolour",
    "extra-large": "extra large", "xl": "extra large", "two seater": "2 seater",
    "three seater": "3 seater", "2-seater": "2 seater", "3-seater": "3 seater", "4-seater": "4 seater",
    "entryway": "hallway", "bouclé": "boucle", "off white": "cream", "off-white": "cream", "natural wood": "wood",
    "solid oak": "oak", "tealight holder": "candle holder", "picture": "wall art", "sectional": "sectional sofa",
    "cocktail table": "coffee table", "accent table": "side table", "chest": "chest of drawers",
    "kid's room": "kids room", "kids' room": "kids room", "children's room": "kids room", "lounge": "living room",
    "study": "home office", "office": "home office", "king size": "king", "queen size": "queen",
    "super king size": "super king", "duvet set": "bedding set", "boho": "bohemian", "mid century": "mid-century",
    "midcentury": "mid-century", "sage green": "sage", "robe": "bathrobe", "curtain panel": "curtain",
    "lamp shade": "lampshade", "kitchen towel": "tea towel", "platter": "serving platter", "candlestick holder":
    "candle holder", "pillow cover": "cushion cover", "enamelled cast iron":
    "enameled cast iron",
    "curtains": "curtain", "drapes": "curtain", "drape": "curtain", "runner rug": "runner", "hall runner": "runner",
    "decorative pillow": "throw pillow", "accent pillow": "throw pillow", "cushion covers": "cushion cover",
    "glassware": "tumbler", "drinking glass": "tumbler", "tealight": "candle", "ottoman": "pouf",
    "bookshelf": "bookcase", "lounge chair": "accent chair", "plant pot": "planter", "flower pot": "planter",
    "rug runner": "runner", "dining room table": "dining table", "dining room chair": "dining chair",
    "bed side table": "nightstand", "night stand": "nightstand", "bathmat": "bath mat",
}

# Different things a shopper searching for one may still want: a product of the key's type is also indexed
# under these words (never renamed to them).
RELATED = {
    "counter stool": ("bar stool",), "bar stool": ("counter stool",), "armchair": ("accent chair", "chair"),
    "accent chair": ("armchair",), "area rug": ("rug",), "throw blanket": ("throw", "blanket"),
    "runner": ("rug",), "sectional sofa": ("sofa",), "loveseat": ("sofa",), "wall sconce": ("wall light",),
    "scented candle": ("candle",), "duvet cover": ("bedding",), "sheet set": ("sheet", "bedding"),
    "wall art": ("art print", "print", "poster", "canvas"), "art print": ("wall art",), "poster": ("wall art",),
    "canvas": ("wall art",), "bedding set": ("bedding",), "pillowcase": ("pillow cover",), "mug": ("coffee mug",),
    "patio": ("outdoor",), "garden": ("outdoor",), "balcony": ("outdoor",),
}

STOPWORDS = {
    # Also words of praise that no product text can confirm or deny ("unique coffee tables", "luxury lamp").
    "en": frozenset("a an and the for with of in on to by at from or your my our best buy cheap sale shop new "
                    "online near me uk us set ideas idea unique decorative comfortable comfy elegant cute "
                    "beautiful pretty stylish nice cool fancy luxury luxurious affordable inexpensive quality "
                    "great good top popular trendy perfect".split()),
    "fr": frozenset("le la les un une des de du d l et pour avec en au aux sur à a par pas cher acheter".split()),
    "de": frozenset("der die das den dem des ein eine einen und für mit aus in im auf zu von kaufen günstig".split()),
    "es": frozenset("el la los las un una unos unas de del y para con en a al por comprar barato barata".split()),
}

_SIZE_PATTERN = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:x\s?\d+(?:[.,]\d+)?\s?)*(?:cm|mm|m|in|inch|inches|\"|ft)\b"
                           r"|\b\d+\s?x\s?\d+\b", re.IGNORECASE)


def _parse(table: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for line in table.strip().splitlines():
        words = [w.strip() for w in line.split("|")]
        out[words[0]] = dict(zip(LOCALES, words, strict=True))
    return out


VOCABULARY: dict[str, dict[str, dict[str, str]]] = {kind: _parse(table) for kind, table in _TABLES.items()}
_KIND_OF = {term: kind for kind in KINDS for term in VOCABULARY[kind]}




@lru_cache(maxsize=65536)
def canonical(term: str) -> str:
    key = re.sub(r"\s+", " ", term.strip().lower())
    return SYNONYMS.get(key, key)


def is_known_locale(locale: str) -> bool:
    return locale.split("-")[0].lower() in LOCALES


def term_kind(term: str) -> str | None:
    return _KIND_OF.get(canonical(term))


@lru_cache(maxsize=65536)
def translate_term(term: str, locale: str) -> str:
    """The locale's word for an English term; unknown terms and unknown locales return the term unchanged."""
    language = locale.split("-")[0].lower()
    key = canonical(term)
    kind = _KIND_OF.get(key)
    if kind is None or language not in LOCALES:
        return term
    return VOCABULARY[kind][key][language]


def _plurals(phrase: str, language: str = "en") -> set[str]:
    if language == "de":  # German plurals are irregular; these endings catch the common ones
        return {phrase, phrase + "e", phrase + "en", phrase + "n", phrase + "s"}
    forms = {phrase, phrase + "s", phrase + "es"}
    if language == "fr":
        forms.add(phrase + "x")
    if language in ("fr", "es") and " " in phrase:  # "tables basses", "mesas de centro"
        words = phrase.split()
        function_words = {"de", "du", "des", "à", "a", "en", "la", "le", "pour", "para", "con", "del", "el"}
        plural = [w if w in function_words or "'" in w else w + ("s" if w[-1] in "aeiouéè" else "es" if
                                                                   language == "es" else "s") for w in words]
        forms.add(" ".join([plural[0], *words[1:]]))
        stop = next((i for i, w in enumerate(words) if w in function_words), len(words))
        forms.add(" ".join(plural[:stop] + words[stop:]))
    if language == "en" and phrase.endswith("y") and not phrase.endswith(("ay", "ey", "oy")):
        forms.add(phrase[:-1] + "ies")
    if language == "en" and phrase.endswith("f"):
        forms.add(phrase[:-1] + "ves")
    return forms


_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text).replace("-", " ")))


@lru_cache(maxsize=8)
def _phrase_starts(language: str) -> dict[str, int]:
    """First word of every wording -> the most words a wording starting with it has."""
    starts: dict[str, int] = {}
    for words in _phrase_forms(language)[0]:
        starts[words[0]] = max(starts.get(words[0], 0), len(words))
    return starts


@lru_cache(maxsize=8)
def _phrase_forms(language: str) -> tuple[dict[tuple[str, ...], tuple[str, str]], int]:
    """Every singular and plural wording of every term in a language, as word tuples -> (kind, English term).
    Where two English terms share a translation ("commode"), a product type wins, then the first row."""
    forms: dict[tuple[str, ...], tuple[str, str]] = {}
    if language == "en":
        entries = [(phrase, canonical(phrase)) for phrase in sorted(set(_KIND_OF) | set(SYNONYMS), key=len)]
    else:
        entries = [(VOCABULARY[kind][term][language], term) for kind in KINDS for term in VOCABULARY[kind]]
    for phrase, term in entries:
        kind = _KIND_OF.get(term)
        if kind is None:
            continue
        for form in _plurals(phrase, language):
            words = _words(form)
            known = forms.get(words)
            if known is None or (known[0] != "type" and kind == "type"):
                forms[words] = (kind, term)
    return forms, max((len(words) for words in forms), default=1)


# Kinds whose one-word terms name the thing only as a word of their own: "full" is a bed size in "Duvet Cover,
# Full" but not in "Full-Zip Fleece" or a "Full-Size Seed Tray".
_WHOLE_WORD_KINDS = frozenset({"size"})


def _hyphenated(folded: str, match: re.Match[str]) -> bool:
    """The word is joined by a hyphen to another ("full" in "full-zip")."""
    start, end = match.span()
    return (start > 0 and folded[start - 1] == "-") or (end < len(folded) and folded[end] == "-")


@lru_cache(maxsize=65536)
def find_terms(text: str, locale: str = "en") -> tuple[tuple[str, str], ...]:
    """Vocabulary terms (kind, canonical English term) that a text in `locale` mentions, in reading order.

    A longer phrase wins over the words inside it; measured sizes ("160 x 230 cm", "45cm") count as sizes.
    Cached: catalogues repeat the same tags and types on thousands of products.
    """
    language = locale.split("-")[0].lower()
    if language not in LOCALES:
        return ()
    forms, _ = _phrase_forms(language)
    starts = _phrase_starts(language)
    found: list[tuple[int, str, str]] = []
    folded = fold(text)
    matches = list(_WORD.finditer(folded.replace("-", " ")))
    words = [m.group() for m in matches]
    i = 0
    while i < len(words):
        longest = starts.get(words[i], 0)
        for n in range(min(longest, len(words) - i), 0, -1):
            hit = forms.get(tuple(words[i:i + n]))
            if hit is not None and n == 1 and hit[0] in _WHOLE_WORD_KINDS and _hyphenated(folded, matches[i]):
                continue  # "Full-Zip", "Full-Size", "Double-Walled": the word is part of another, not a size
            if hit is not None:
                found.append((matches[i].start(), *hit))
                i += n
                break
        else:
            i += 1
    for match in _SIZE_PATTERN.finditer(text):
        found.append((match.start(), "size", re.sub(r"\s+", " ", match.group(0).strip().lower())))
    return tuple((kind, term) for _, kind, term in sorted(found))


@lru_cache(maxsize=4096)
def related_terms(term: str) -> tuple[str, ...]:
    """Other English wordings a shopper uses for a vocabulary term: its synonyms and related types."""
    key = canonical(term)
    spelled = tuple(sorted(s for s, target in SYNONYMS.items() if target == key and not s.isdigit()))
    return spelled + RELATED.get(key, ())


# A product of the key type also answers a search for these broader types ("lamp" finds a table lamp). Derived
# from the last word of the type; these are the exceptions where that reading is wrong.
_NOT_A_KIND_OF = {"shower curtain": "curtain", "table runner": "runner", "bed frame": "frame",
                  "throw pillow": "pillow", "sofa bed": "bed", "picture frame": "frame"}
# Catalogue categories used as product types; the title usually names the actual product ("Cookware" -> a
# Dutch oven), so a title's type wins over these.
CATEGORY_TYPES = frozenset({"cookware", "kitchen utensil"})


@lru_cache(maxsize=4096)
def broader_types(term: str) -> frozenset[str]:
    """The type itself, its related types, and the broader types a shopper may search it by."""
    key = canonical(term)
    out = {key, *RELATED.get(key, ())}
    words = key.split()
    for n in range(1, len(words)):
        tail = " ".join(words[n:])
        if _KIND_OF.get(tail) == "type" and _NOT_A_KIND_OF.get(key) != tail:
            out.add(tail)
    return frozenset(out)


def types_compatible(query_type: str, product_type: str) -> bool:
    """Whether a product of `product_type` can answer a search naming `query_type` (either may be broader)."""
    return query_type in broader_types(product_type) or product_type in broader_types(query_type)


def head_type(text: str, locale: str = "en") -> str | None:
    """The product type a search phrase asks for: in English the last type before "for/with/over/in"
    ("paper pendant light over dining table" -> pendant light); elsewhere the first type named."""
    language = locale.split("-")[0].lower()
    if language == "en":
        text = re.split(r"\b(?:for|with|over|in|on|under|to)\b", text.lower(), maxsplit=1)[0]
    types = [term for kind, term in find_terms(text, language) if kind == "type"]
    if not types:
        return None
    return types[-1] if language == "en" else types[0]


# Where a modifier goes relative to the product type, per language (search-style word order).
_ORDER = {
    "en": (("room", "size", "style", "colour", "material"), ()),
    "fr": ((), ("material", "colour", "style", "size", "room")),
    "de": ((), ("material", "colour", "style", "size", "room")),
    "es": ((), ("material", "colour", "style", "size", "room")),
}


def compose_keyword(product_type: str, modifiers: Sequence[tuple[str, str]], locale: str) -> str:
    """A keyword from a product type and (kind, English term) modifiers, worded and ordered for the locale.

    English puts modifiers before the type ("large white oak coffee table"); French, German and Spanish
    searches put them after it ("table basse chêne blanc", "couchtisch eiche weiß").
    """
    language = locale.split("-")[0].lower()
    before, after = _ORDER.get(language, _ORDER["fr"])
    head = translate_term(product_type, language) if product_type else ""
    words_before = [translate_term(t, language) for kind in before for k, t in modifiers if k == kind]
    words_after = [translate_term(t, language) for kind in after for k, t in modifiers if k == kind]
    placed = {k for k in before + after}
    leftovers = [translate_term(t, language) for k, t in modifiers if k not in placed]
    parts = [*words_before, *leftovers, head, *words_after] if language == "en" else [head, *words_after, *leftovers]
    return re.sub(r"\s+", " ", " ".join(p for p in parts if p)).strip().lower()


def known_terms(kind: str) -> Iterable[str]:
    return VOCABULARY[kind].keys()
