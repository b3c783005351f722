# ruff: noqa: E501  (vocabulary tables: one entry a line)
"""Fact vocabularies in en/fr/de/es: materials, parts, care, certifications, colours and size words.

Table lines: ``canonical|parent: en forms ; fr forms ; de forms ; es forms`` (parent optional: oak is a wood).
"""

from __future__ import annotations

MATERIAL_TABLE = """
cotton|: cotton ; coton ; baumwolle, baumwoll ; algodón
organic cotton|cotton: organic cotton ; coton bio, coton biologique ; bio-baumwolle, biobaumwolle ; algodón orgánico, algodón ecológico
linen|: linen, flax ; lin ; leinen ; lino
wool|: wool, woollen, woolen ; laine ; wolle, woll ; lana
merino|wool: merino, merino wool ; mérinos, laine mérinos ; merino, merinowolle ; merino, lana merino
cashmere|wool: cashmere ; cachemire ; kaschmir ; cachemira, cachemir
alpaca|wool: alpaca ; alpaga ; alpaka ; alpaca
silk|: silk ; soie ; seide ; seda
polyester|: polyester, recycled polyester ; polyester ; polyester ; poliéster
polyamide|: polyamide, nylon ; polyamide, nylon ; polyamid, nylon ; poliamida, nailon, nylon
elastane|: elastane, spandex, lycra ; élasthanne, lycra ; elasthan, lycra ; elastano, licra
viscose|: viscose, rayon, modal, lyocell, tencel ; viscose, modal, lyocell ; viskose, modal, lyocell ; viscosa, modal, lyocell
leather|: leather, full-grain leather, calf leather ; cuir ; leder ; cuero, de piel, en piel, piel de vacuno, piel auténtica, piel de becerro, piel plena flor
suede|leather: suede ; daim, suède ; wildleder, veloursleder ; ante, gamuza
velvet|: velvet ; velours ; samt ; terciopelo
denim|cotton: denim ; denim ; denim, jeansstoff ; denim, tela vaquera
fleece|: fleece ; polaire ; fleece ; forro polar
down|: down, goose down, duck down ; duvet d'oie, plumes ; daunen, daune ; plumón, plumas
wood|: wood, wooden, timber, hardwood, solid wood ; bois, bois massif ; holz, massivholz ; madera, madera maciza
oak|wood: oak ; chêne ; eiche, eichen ; roble
walnut|wood: walnut ; noyer ; nussbaum, walnuss ; nogal
beech|wood: beech ; hêtre ; buche, buchen ; haya
ash|wood: ash, ash wood, ashwood ; frêne ; esche, eschen ; fresno
pine|wood: pine ; pin ; kiefer, kiefern ; pino
acacia|wood: acacia ; acacia ; akazie, akazien ; acacia
teak|wood: teak ; teck ; teak ; teca
cedar|wood: cedar ; cèdre ; zeder, zedern, zedernholz ; cedro
plywood|wood: plywood ; contreplaqué ; sperrholz ; contrachapado
mango wood|wood: mango wood ; bois de manguier ; mangoholz ; madera de mango
bamboo|: bamboo ; bambou ; bambus ; bambú
rattan|: rattan, wicker ; rotin, osier ; rattan, korbgeflecht ; ratán, mimbre
jute|: jute, seagrass, sisal ; jute, jonc de mer, sisal ; jute, seegras, sisal ; yute, sisal
cork|: cork ; liège ; kork ; corcho
steel|: steel, powder-coated steel, carbon steel ; acier, acier carbone ; stahl, karbonstahl, kohlenstoffstahl ; acero, acero al carbono
galvanised steel|steel: galvanised steel, galvanized steel, hot-dip galvanised ; acier galvanisé ; verzinkter stahl, feuerverzinkter stahl, verzinkt ; acero galvanizado
stainless steel|steel: stainless steel, stainless, surgical steel, 316l ; acier inoxydable, inox ; edelstahl, rostfreier stahl, chirurgenstahl ; acero inoxidable
aluminium|: aluminium, aluminum ; aluminium ; aluminium ; aluminio
iron|: iron, wrought iron ; fer, fer forgé ; eisen, schmiedeeisen ; hierro, hierro forjado
cast iron|iron: cast iron ; fonte ; gusseisen ; hierro fundido
brass|: brass ; laiton ; messing ; latón
copper|: copper ; cuivre ; kupfer ; cobre
bronze|: bronze ; bronze ; bronze ; bronce
silver|: silver ; argent ; silber ; plata
sterling silver|silver: sterling silver, 925 silver ; argent sterling, argent 925, argent massif ; sterlingsilber, 925er silber ; plata de ley, plata 925
gold|: gold, solid gold ; en or, or massif, or jaune, or blanc, or rose ; gold ; oro
gold plated|gold: gold-plated, gold plated, gold plating, gold-plating, gold vermeil, vermeil ; plaqué or, doré à l'or fin, vermeil ; vergoldet, vergoldung, goldplattiert, vermeil ; chapado en oro, bañado en oro, vermeil
titanium|: titanium ; titane ; titan ; titanio
glass|: glass, borosilicate ; verre, borosilicate ; glas, borosilikat ; vidrio, cristal, borosilicato
ceramic|: ceramic, ceramics ; céramique ; keramik ; cerámica
stoneware|ceramic: stoneware ; grès ; steinzeug ; gres
porcelain|ceramic: porcelain, bone china ; porcelaine ; porzellan ; porcelana
earthenware|ceramic: earthenware, terracotta ; faïence, terre cuite ; steingut, terrakotta ; loza, terracota
marble|: marble ; marbre ; marmor ; mármol
concrete|: concrete, cement ; béton ; beton ; hormigón, cemento
stone|: natural stone, granite, slate, travertine ; pierre naturelle, granit, ardoise ; naturstein, granit, schiefer ; piedra natural, granito, pizarra
plastic|: plastic, abs, polypropylene, acrylic, pvc, polycarbonate, tpu, eva ; plastique, acrylique, polypropylène, pvc, polycarbonate, tpu, eva ; kunststoff, plastik, acryl, polypropylen, pvc, polycarbonat, tpu, eva ; plástico, acrílico, polipropileno, pvc, policarbonato, tpu, eva
foam|: foam, memory foam ; mousse ; schaumstoff, schaum ; espuma, gomaespuma
silicone|: silicone ; silicone ; silikon ; silicona
rubber|: rubber, natural rubber ; caoutchouc ; gummi, kautschuk ; caucho, goma
felt|: felt, wool felt, felt pad, felt pads, felted, merino felt, felt lining ; feutre, feutrine ; filz ; fieltro
corozo|: corozo ; corozo ; corozo, steinnuss ; corozo
latex|rubber: latex ; latex ; latex ; látex
paper|: paper, cardboard, recycled card, kraft ; papier, carton ; papier, pappe, karton ; papel, cartón
soy wax|: soy wax, beeswax, wax blend ; cire de soja, cire d'abeille, cire végétale ; sojawachs, bienenwachs ; cera de soja, cera de abeja
pearl|: pearl, pearls ; perle ; perle, perlen ; perla
gold filled|gold: gold-filled, gold filled ; gold-filled, plaqué or laminé ; gold-filled, goldgefüllt ; gold-filled, relleno de oro
canvas|cotton: canvas ; toile ; canvas, segeltuch ; lona
jersey|: jersey ; jersey ; jersey ; punto jersey, jersey
shea butter|: shea butter ; beurre de karité ; sheabutter ; manteca de karité
olive oil|: olive oil ; huile d'olive ; olivenöl ; aceite de oliva
almond oil|: almond oil, sweet almond oil ; huile d'amande douce, huile d'amande ; mandelöl ; aceite de almendras
glycerin|: glycerin, glycerine ; glycérine ; glycerin ; glicerina
"""

# Parts a material can apply to (not the whole product).
PART_TABLE = """
base: base, foot, stand, plinth ; base, pied, socle ; sockel, fuß, standfuß, basis ; base, pie, peana
legs: leg, legs ; pied, pieds ; bein, beine, gestell ; pata, patas
frame: frame, structure ; cadre, structure, armature, châssis ; rahmen, gestell ; estructura, armazón, bastidor
top: top, tabletop, surface ; plateau, dessus ; platte, tischplatte ; tablero, encimera, sobre
shade: shade, lampshade, diffuser ; abat-jour ; schirm, lampenschirm ; pantalla
seat: seat, cushion ; assise ; sitz, sitzfläche ; asiento
backrest: backrest ; dossier ; rückenlehne, lehne ; respaldo
lid: lid, cap ; couvercle, bouchon ; deckel ; tapa
handle: handle, handles, knob ; poignée, anse, manche ; griff, henkel ; asa, mango, tirador
clasp: clasp, lobster clasp, closure ; fermoir ; verschluss ; cierre
chain: chain ; chaîne ; kette ; cadena
pendant: pendant, charm ; pendentif, breloque ; anhänger ; colgante
stone: stone, gemstone, setting ; pierre, sertissage ; stein, fassung ; piedra, engaste
strap: strap, band, strap band ; bracelet, sangle, lanière ; armband, riemen, gurt ; correa, asa
footbed: footbed, insole ; semelle intérieure, lit de pied, semelle de propreté ; fußbett, innensohle, einlegesohle ; plantilla
posts: post, posts, backs, earring backs ; tige, tiges, poussette, poussettes ; stecker, stift, verschlüsse ; poste, postes, cierres
brackets: bracket, brackets, corner brackets, fittings, hardware ; équerre, équerres, ferrure, ferrures ; winkel, eckwinkel, beschläge ; escuadra, escuadras, herraje, herrajes
sole: sole, outsole ; semelle ; sohle ; suela, plantilla
upper: upper ; tige, empeigne ; obermaterial, schaft ; empeine, corte
lining: lining ; doublure ; futter ; forro
trim: trim, piping, edging ; passepoil, bordure, liseré ; paspel, einfassung, besatz ; ribete, borde
buttons: button, buttons ; bouton, boutons ; knopf, knöpfe ; botón, botones
zip: zip, zipper ; fermeture éclair, zip ; reißverschluss ; cremallera
cord: cord, cable, wire ; cordon, câble, fil ; kabel, schnur ; cable, cordón
body: casing, housing ; boîtier ; gehäuse ; carcasa
blade: blade ; lame ; klinge ; hoja
filling: filling, fill, insert, padding ; garnissage, rembourrage ; füllung ; relleno
cover: cover, slipcover ; housse ; bezug ; funda
drawer: drawer, drawers ; tiroir ; schublade ; cajón
door: door, doors ; porte ; tür ; puerta
interior: interior, inner ; intérieur ; innenseite, innen ; interior
packaging: packaging, gift box, box, pouch, tin ; emballage, écrin, boîte, coffret, sachet ; verpackung, geschenkbox, schachtel, dose, beutel ; embalaje, caja, estuche, bolsa, lata
coating: coating, glaze, finish ; revêtement, émail ; beschichtung, glasur ; revestimiento, esmalte
"""

CARE_TABLE = """
machine wash: machine wash, machine washable, machine-washable, washing machine ; lavable en machine, lavage en machine, lave-linge ; maschinenwäsche, maschinenwaschbar, waschmaschine, waschbar ; lavable a máquina, lavar a máquina, lavadora
hand wash: hand wash, hand-wash, wash by hand ; lavage à la main, laver à la main, lavable à la main ; handwäsche, von hand waschen ; lavar a mano, lavado a mano
dry clean: dry clean, dry-clean ; nettoyage à sec ; chemische reinigung, reinigung ; limpieza en seco
tumble dry: tumble dry, tumble-dry, dryer ; sèche-linge, séchage en machine, sécher en machine ; trockner, trocknergeeignet ; secadora
line dry: line dry, dry flat, air dry ; séchage à plat, sécher à l'air, séchage sur fil, sécher sur fil, séchage à l'air libre, séchage à l'air ; lufttrocknen, liegend trocknen, leine trocknen, auf der leine, an der luft trocknen ; secar al aire, secar en plano, secar tendido, tender, secado al aire
iron: iron low, iron on low, ironing, do not iron ; repasser, repassage ; bügeln ; planchar, plancha
bleach: bleach ; javel, blanchir ; bleichen, bleichmittel ; lejía
dishwasher: dishwasher, dishwasher-safe, dishwasher safe ; lave-vaisselle ; spülmaschine, spülmaschinenfest, geschirrspüler ; lavavajillas
oven safe: oven safe, oven-safe, ovenproof ; four, allant au four ; ofenfest, backofen ; horno, apto para horno
microwave: microwave ; micro-ondes ; mikrowelle ; microondas
wipe clean: wipe, wipe clean, damp cloth, dry cloth ; essuyer, chiffon ; abwischen, tuch, feuchten tuch ; limpiar con un paño, paño
oil: oil regularly, mineral oil, re-oil ; huiler, huile minérale ; ölen, einölen ; aceitar, aceite mineral
season: season, seasoning ; culotter ; einbrennen ; curar
spot clean: spot clean ; détacher, nettoyer localement ; punktuell reinigen, fleckenreinigung ; limpiar manchas
"""

CERTIFICATIONS = {
    "oeko-tex": ("oeko-tex", "oekotex", "öko-tex"), "gots": ("gots", "global organic textile standard"),
    "fsc": ("fsc",), "fair trade": ("fair trade", "fairtrade", "commerce équitable", "comercio justo"),
    "b corp": ("b corp", "b-corp"), "ce": ("CE",),
    "ul": ("ul listed", "ul certified", "ul-listed"), "rohs": ("rohs",), "fcc": ("fcc",),
    "vegan": ("vegan", "végan", "vegano", "peta"), "cruelty free": ("cruelty-free", "cruelty free", "tierversuchsfrei"),
    "rws": ("responsible wool standard", "rws"), "grs": ("global recycled standard", "grs"),
    "bluesign": ("bluesign",), "leed": ("leed",), "energy star": ("energy star",), "qi": ("qi-certified", "qi certified"),
    "organic": ("usda organic", "ecocert", "soil association", "cosmos organic", "jas organic", "eu organic",
                "bio-siegel", "eu-bio", "certified organic", "organic certified", "bio", "biologique", "biologico",
                "ecologico", "ecologica", "organico", "organica", "biologica", "okologisch", "okologische", "oko", "bio-zertifiziert", "organic"),
    "nickel free": ("nickel-free", "nickel free", "sans nickel", "nickelfrei", "sin níquel", "libre de níquel", "ohne nickel", "nickel-", "sans plomb ni nickel", "sin plomo ni níquel"),
    "hallmarked": ("hallmarked", "poinçonné", "punziert"),
    "rainforest alliance": ("rainforest alliance", "rainforest-alliance"),
    "dermatologically tested": ("dermatologically tested", "dermatologist tested", "testé dermatologiquement",
                                "testé sous contrôle dermatologique", "dermatologisch getestet",
                                "testado dermatológicamente", "dermatológicamente probado"),
    "thunderbolt": ("thunderbolt",), "mfi": ("mfi", "made for iphone"),
    # diet claims a food label makes or does not
    "gluten free": ("gluten-free", "gluten free", "sans gluten", "glutenfrei", "sin gluten", "libre de gluten"),
    "lactose free": ("lactose-free", "lactose free", "sans lactose", "laktosefrei", "sin lactosa"),
    "high protein": ("high in protein", "high-protein", "high protein", "riche en protéines", "proteinreich",
                     "reich an protein", "rico en proteínas", "alto en proteínas"),
}
WARRANTY_WORDS = ("warranty", "guarantee", "guaranteed", "garantie", "garanti", "garantía", "garantizado",
                  "gewährleistung")

COLOUR_TABLE = """
black: black ; noir, noire ; schwarz ; negro, negra
white: white ; blanc, blanche ; weiß, weiss ; blanco, blanca
grey: grey, gray, charcoal, slate ; gris, anthracite ; grau, anthrazit ; gris
red: red, burgundy, crimson ; rouge, bordeaux ; rot, bordeaux ; rojo, roja, burdeos
blue: blue, navy, indigo, cobalt ; bleu, bleue, marine ; blau, marine, navy ; azul, marino
green: green, sage, olive, forest ; vert, verte, sauge, olive ; grün, salbei, oliv ; verde, salvia, oliva
yellow: yellow, mustard, ochre ; jaune, moutarde, ocre ; gelb, senf, ocker ; amarillo, amarilla, mostaza, ocre
orange: orange, rust, terracotta ; orange, rouille ; orange, rost ; naranja, óxido
pink: pink, blush, rose ; rose, poudré ; rosa, altrosa ; rosa
purple: purple, lilac, lavender, plum ; violet, violette, lilas, lavande, prune ; lila, violett, lavendel, pflaume ; morado, morada, lila, lavanda, ciruela
brown: brown, chocolate, tan, camel, cognac ; marron, brun, chocolat, camel, cognac ; braun, schokolade, cognac ; marrón, chocolate, camel, coñac
beige: beige, sand, oatmeal, ivory, cream, natural, ecru, stone ; beige, sable, ivoire, crème, naturel, écru ; beige, sand, elfenbein, creme, natur ; beige, arena, marfil, crema, natural, crudo
"""

# Scents and flavours, as option values are named (Scent: Lavender; Flavour: Peppermint). Not rose or cedar, which
# are a colour and a wood.
FLAVOUR_TABLE = """
unscented: unscented, fragrance-free, fragrance free ; sans parfum, non parfumé ; unparfümiert, ohne duft, parfümfrei ; sin perfume, sin fragancia
mint: mint, peppermint, spearmint ; menthe, menthe poivrée ; minze, pfefferminze, pfefferminz ; menta, menta piperita, hierbabuena
lavender: lavender ; lavande ; lavendel ; lavanda
vanilla: vanilla ; vanille ; vanille ; vainilla
orange: orange, blood orange ; orange, orange sanguine ; orange, blutorange ; naranja, naranja sanguina
lemon: lemon ; citron ; zitrone ; limón
lime: lime ; citron vert ; limette ; lima
grapefruit: grapefruit ; pamplemousse ; grapefruit, pampelmuse ; pomelo
fig: fig ; figue ; feige ; higo
coconut: coconut ; noix de coco, coco ; kokos, kokosnuss ; coco
almond: almond ; amande ; mandel ; almendra
honey: honey ; miel ; honig ; miel
cinnamon: cinnamon ; cannelle ; zimt ; canela
ginger: ginger ; gingembre ; ingwer ; jengibre
eucalyptus: eucalyptus ; eucalyptus ; eukalyptus ; eucalipto
sandalwood: sandalwood ; santal, bois de santal ; sandelholz ; sándalo
bergamot: bergamot ; bergamote ; bergamotte ; bergamota
"""

SIZE_CODES = ("xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl", "2xl", "3xl", "4xl")
# Size codes written out as words: a translated code states a size the product does not have as such.
SIZE_WORDS = {
    "en": ("extra small", "extra large", "extra-large", "double extra large"),
    "fr": ("très petit", "très petite", "très grand", "très grande", "extra large", "petite taille", "taille moyenne",
           "grande taille", "taille unique"),
    "de": ("extra klein", "extra groß", "extragroß", "extra gross", "sehr groß", "sehr klein", "größe groß",
           "größe mittel", "größe klein", "übergröße"),
    "es": ("muy grande", "muy pequeño", "muy pequeña", "extra grande", "extra pequeño", "talla grande",
           "talla mediana", "talla pequeña", "talla única"),
}
# Words that say a sentence is about the range of variants, not the product's own value.
RANGE_CUES = frozenset("""available availability choose choice pick options option colours colors colourways
shades sizes range offered comes come either or also variety selection
disponible disponibles existe décliné déclinée déclinaison coloris couleurs tailles choix choisir choisissez ou aussi
erhältlich verfügbar farben farbvarianten größen auswahl wählen wählbar varianten oder auch gibt
disponibles colores tallas elegir elige opciones variedad también gama o u""".split())
SKU_LABELS = ("sku", "ref", "réf", "référence", "reference", "referencia", "ref.", "artikelnummer", "art.-nr",
              "art.nr", "artikel-nr", "item no", "item number", "model no", "modèle n", "código", "code article",
              "mpn", "part number", "numéro d'article", "n° d'article")
