# ruff: noqa: E501  (vocabulary tables: one entry a line)
"""Product nouns in en/fr/de/es, by family, for the identity gate and the home-goods filler rule.

One line a noun: ``canonical|family|parent: en forms ; fr forms ; de forms ; es forms``. Forms are singular;
plurals are matched through stemming. In German a word ending in a form counts (Stehlampe ends in lampe).
English forms count in every locale (loanwords: T-Shirt, Hoodie, Sneaker, Power Bank).
"""

from __future__ import annotations

NOUN_TABLE = """
t-shirt|apparel|top: t-shirt, tee, tee shirt ; t-shirt, tee-shirt, tee shirt ; t-shirt, shirt ; camiseta, playera, remera
shirt|apparel|top: shirt, button-down, oxford shirt ; chemise ; hemd, bluse ; camisa
blouse|apparel|top: blouse ; chemisier, blouse ; bluse ; blusa
top|apparel|: top, tank top, camisole ; débardeur, haut, caraco ; top, trägertop ; top, camiseta de tirantes
hoodie|apparel|sweatshirt: hoodie, hooded sweatshirt ; sweat à capuche, hoodie ; kapuzenpullover, hoodie, kapuzensweatshirt ; sudadera con capucha, hoodie
sweatshirt|apparel|: sweatshirt, crewneck ; sweat, sweat-shirt, sweatshirt ; sweatshirt, sweatjacke ; sudadera
sweater|apparel|: sweater, jumper, pullover, cardigan, knit ; pull, pull-over, cardigan, tricot ; pullover, strickjacke, cardigan, pulli ; jersey, suéter, cárdigan, chaqueta de punto
jacket|apparel|: jacket, coat, parka, blazer, anorak, shell ; veste, manteau, blouson, parka, coupe-vent ; jacke, mantel, parka, blazer ; chaqueta, abrigo, cazadora, parka, chamarra
dress|apparel|: dress ; robe ; kleid ; vestido
skirt|apparel|: skirt ; jupe ; rock ; falda
trousers|apparel|: trousers, pants, chino, chinos, joggers, leggings ; pantalon, chino, jogging, legging ; hose, chino, chinohose, jogginghose, leggings ; pantalón, pantalones, chino, chinos, leggings
jeans|apparel|trousers: jeans, denim jeans ; jean, jeans ; jeans ; vaquero, vaqueros, jeans
shorts|apparel|: shorts ; short, bermuda ; shorts ; pantalón corto, bermuda, shorts
socks|apparel|: sock, socks ; chaussette ; socke, strumpf ; calcetín
scarf|apparel|: scarf, shawl, snood ; écharpe, foulard, châle ; schal, tuch ; bufanda, pañuelo, chal
hat|apparel|: hat, cap, beanie ; chapeau, casquette, bonnet ; hut, mütze, kappe, cap, beanie ; sombrero, gorra, gorro
gloves|apparel|: glove, gloves, mittens ; gant, moufle ; handschuh ; guante
shoes|footwear|: shoe, shoes, footwear, loafer, slipper, clog, mule, trainer ; chaussure, mocassin, chausson, sabot, mule ; schuh, schuhe, hausschuh, clog, pantoffel, slipper ; zapato, calzado, mocasín, zapatilla de casa, zueco
boot|footwear|shoes: boot, chelsea boot, ankle boot ; botte, bottine, boots ; stiefel, stiefelette, boots, chelsea-boots ; bota, botín
sneaker|footwear|shoes: sneaker, trainer, running shoe, tennis shoe ; basket, sneaker, tennis, chaussure de sport ; sneaker, turnschuh, laufschuh, sportschuh ; zapatilla, deportiva, sneaker, tenis
sandal|footwear|shoes: sandal, slide, flip-flop ; sandale, nu-pieds, tong, claquette ; sandale, sandalette, pantolette, zehentrenner ; sandalia, chancla, chancleta
espadrille|footwear|shoes: espadrille ; espadrille ; espadrille ; alpargata, espadrille, esparteña
bag|apparel|: bag, tote, backpack, handbag, rucksack, purse, clutch, pouch ; sac, cabas, sac à dos, pochette, besace ; tasche, rucksack, beutel, shopper ; bolso, bolsa, mochila, bandolera, cartera
wallet|apparel|: wallet, cardholder, card holder ; portefeuille, porte-cartes ; geldbörse, portemonnaie, kartenetui ; cartera, billetera, tarjetero
belt|apparel|: belt ; ceinture ; gürtel ; cinturón
necklace|jewellery|: necklace, chain, choker ; collier, chaîne, sautoir ; halskette, kette, collier ; collar, cadena, gargantilla
pendant|jewellery|necklace: pendant ; pendentif ; anhänger ; colgante
bracelet|jewellery|: bracelet, bangle, cuff ; bracelet, jonc, manchette ; armband, armreif ; pulsera, brazalete
ring|jewellery|: ring,  ; bague, anneau ; ring ; anillo, sortija
earrings|jewellery|: earring, earrings, studs, hoops ; boucle d'oreille, boucles d'oreilles, créole, puce ; ohrring, ohrringe, ohrstecker, creolen ; pendiente, pendientes, aretes, aros
watch|jewellery|: watch, wristwatch ; montre ; uhr, armbanduhr ; reloj
brooch|jewellery|: brooch, pin ; broche ; brosche ; broche
charger|electronics|: charger, charging stand, charging pad, charging dock ; chargeur, station de charge ; ladegerät, ladestation, ladepad ; cargador, base de carga
cable|electronics|: cable, cord, lead ; câble, cordon ; kabel, ladekabel ; cable
power bank|electronics|: power bank, powerbank, portable charger, battery pack ; batterie externe, power bank ; powerbank, power bank, akkupack ; batería externa, power bank, cargador portátil
headphones|electronics|: headphones, headphone, headset, earbuds, earphones, in-ear headphones ; casque, écouteurs, oreillettes ; kopfhörer, headset, ohrhörer, earbuds, in-ears ; auriculares, cascos, audífonos, earbuds
speaker|electronics|: speaker, soundbar ; enceinte, haut-parleur, barre de son ; lautsprecher, box, soundbar ; altavoz, bocina, barra de sonido
adapter|electronics|: adapter, adaptor, hub, dongle ; adaptateur, hub ; adapter, hub ; adaptador, hub
keyboard|electronics|: keyboard ; clavier ; tastatur ; teclado
mouse|electronics|: mouse ; souris ; maus ; ratón
phone case|electronics|: phone case, case, cover ; coque, étui ; hülle, handyhülle, case, schutzhülle ; funda, carcasa
laptop sleeve|electronics|: laptop sleeve, sleeve, laptop case ; housse, housse d'ordinateur, pochette, sleeve ; hülle, laptophülle, laptoptasche, sleeve, schutzhülle ; funda, funda para portátil, sleeve
smartwatch|electronics|watch: smartwatch, fitness tracker ; montre connectée, bracelet connecté ; smartwatch, fitnesstracker ; reloj inteligente, smartwatch
camera|electronics|: camera, webcam ; caméra, appareil photo, webcam ; kamera, webcam ; cámara, webcam
soap|beauty|: soap, bar soap ; savon ; seife ; jabón
candle|decor|: candle, tealight ; bougie ; kerze ; vela
diffuser|decor|: diffuser, reed diffuser ; diffuseur ; diffusor, duftzerstäuber ; difusor
cream|beauty|: cream, lotion, balm, moisturiser, moisturizer ; crème, lotion, baume ; creme, lotion, balsam ; crema, loción, bálsamo
serum|beauty|: serum, face oil ; sérum ; serum ; sérum
oil|beauty|serum: oil, face oil, body oil ; huile ; öl ; aceite
shampoo|beauty|: shampoo, shampoo bar ; shampooing, shampoing, shampoing solide ; shampoo, haarshampoo ; champú
conditioner|beauty|: conditioner, conditioner bar ; après-shampooing, après-shampoing ; spülung, haarspülung, conditioner ; acondicionador, suavizante para el pelo
shower gel|beauty|: body wash, shower gel ; gel douche ; duschgel ; gel de ducha
perfume|beauty|: perfume, fragrance, eau de parfum, cologne ; parfum, eau de toilette ; parfüm, duft, eau de parfum ; perfume, fragancia, colonia
duvet cover|textiles|: duvet cover, comforter cover, quilt cover ; housse de couette ; bettbezug, bettwäsche, deckenbezug ; funda nórdica, funda de edredón
bedding|textiles|: bedding, bed linen, sheet, sheets, fitted sheet, sheet set, pillowcase ; linge de lit, drap, draps, drap-housse, taie d'oreiller, parure de lit ; bettwäsche, laken, bettlaken, spannbettlaken, kissenbezug ; ropa de cama, sábana, sábanas, funda de almohada, juego de sábanas
duvet|textiles|: duvet, comforter, quilt ; couette, édredon ; bettdecke, steppdecke, daunendecke ; edredón, nórdico
pillow|textiles|: pillow, cushion, cushion cover, pillow cover ; coussin, oreiller, housse de coussin ; kissen, kopfkissen, kissenhülle, zierkissen ; cojín, almohada, funda de cojín
throw|textiles|: throw, blanket, plaid ; plaid, couverture, jeté ; decke, plaid, überwurf, wolldecke ; manta, plaid, cobija
rug|textiles|: rug, carpet, runner, mat, doormat ; tapis, paillasson ; teppich, läufer, matte, fußmatte ; alfombra, felpudo, tapete
towel|bath|: towel, bath towel, hand towel, washcloth, bath sheet ; serviette, serviette de bain, drap de bain, essuie-mains ; handtuch, badetuch, duschtuch, waschlappen ; toalla
bath mat|bath|rug: bath mat, shower mat ; tapis de bain ; badematte, badvorleger ; alfombra de baño, alfombrilla de baño
curtain|textiles|: curtain, curtains, drape, drapes, shower curtain ; rideau, voilage ; vorhang, gardine ; cortina
tablecloth|textiles|: tablecloth, table runner, napkin, placemat ; nappe, chemin de table, serviette de table, set de table ; tischdecke, tischläufer, serviette, tischset ; mantel, camino de mesa, servilleta, mantel individual
table|furniture|: table, coffee table, side table, dining table, console, nightstand, bedside table ; table, table basse, table d'appoint, console, table de chevet ; tisch, couchtisch, beistelltisch, esstisch, konsole, nachttisch ; mesa, mesa de centro, mesa auxiliar, consola, mesita de noche
desk|furniture|table: desk ; bureau ; schreibtisch ; escritorio
chair|furniture|: chair, armchair, stool, bar stool ; chaise, fauteuil, tabouret ; stuhl, sessel, hocker, barhocker ; silla, sillón, taburete, butaca
sofa|furniture|: sofa, couch, loveseat, settee ; canapé, sofa ; sofa, couch ; sofá
bench|furniture|: bench, ottoman, pouf ; banc, banquette, pouf ; bank, sitzbank, hocker, pouf ; banco, banqueta, puf
shelf|furniture|: shelf, shelves, bookcase, shelving unit, wall shelf ; étagère, bibliothèque ; regal, bücherregal, wandregal ; estante, estantería, librería, balda
cabinet|furniture|: cabinet, sideboard, dresser, chest of drawers, wardrobe, cupboard ; buffet, commode, armoire, meuble ; schrank, sideboard, kommode, kleiderschrank ; aparador, cómoda, armario, mueble
bed|furniture|: bed, bed frame, headboard ; lit, cadre de lit, tête de lit ; bett, bettgestell, kopfteil ; cama, cabecero, somier
mirror|decor|: mirror ; miroir ; spiegel ; espejo
lamp|lighting|: lamp, light, lighting, luminaire ; lampe, luminaire, lumière ; lampe, leuchte, licht ; lámpara, luz, luminaria, flexo
floor lamp|lighting|lamp: floor lamp, standing lamp, floor light ; lampadaire, lampe sur pied ; stehlampe, stehleuchte ; lámpara de pie
table lamp|lighting|lamp: table lamp, desk lamp, bedside lamp ; lampe de table, lampe à poser, lampe de bureau, lampe de chevet ; tischlampe, tischleuchte, schreibtischlampe, nachttischlampe ; lámpara de mesa, lámpara de escritorio
pendant light|lighting|lamp: pendant light, pendant lamp, ceiling light, chandelier ; suspension, plafonnier, lustre ; pendelleuchte, hängelampe, deckenleuchte, kronleuchter ; lámpara colgante, lámpara de techo, plafón, araña
lantern|lighting|lamp: lantern, string lights, fairy lights ; lanterne, guirlande lumineuse ; laterne, lichterkette ; farol, linterna, guirnalda de luces
mug|kitchen|: mug, cup, teacup, tumbler ; mug, tasse, gobelet ; becher, tasse ; taza, vaso, jarra
glass|kitchen|: glass, glasses, wine glass, carafe, pitcher, jug ; verre, carafe, pichet ; glas, gläser, karaffe, krug ; vaso, copa, jarra
bowl|kitchen|: bowl ; bol, saladier ; schüssel, schale ; bol, cuenco, ensaladera
plate|kitchen|: plate, platter, dinner plate, dinnerware ; assiette, plat ; teller, platte ; plato, fuente
pan|kitchen|: pan, frying pan, skillet, saucepan, pot, casserole, dutch oven, wok ; poêle, casserole, cocotte, sauteuse, marmite, wok ; pfanne, topf, bräter, kasserolle, wok ; sartén, cazo, olla, cacerola, cazuela, wok
knife|kitchen|: knife, knives, cleaver ; couteau ; messer ; cuchillo
cutting board|kitchen|: cutting board, chopping board, serving board, board ; planche à découper, planche ; schneidebrett, brett, servierbrett ; tabla de cortar, tabla
kettle|kitchen|: kettle, teapot, coffee maker, french press ; bouilloire, théière, cafetière ; wasserkocher, kessel, teekanne, kaffeebereiter ; hervidor, tetera, cafetera
utensil|kitchen|: utensil, spatula, ladle, whisk, tongs, spoon ; ustensile, spatule, louche, fouet, cuillère ; küchenhelfer, pfannenwender, schöpflöffel, schneebesen, löffel ; utensilio, espátula, cucharón, batidor, cuchara
bottle|kitchen|: bottle, water bottle, flask, thermos ; bouteille, gourde, thermos ; flasche, trinkflasche, thermoskanne ; botella, termo, cantimplora
container|kitchen|: container, jar, canister, storage jar, lunch box ; bocal, boîte, pot ; dose, glas, vorratsdose, behälter ; tarro, bote, recipiente, táper
vase|decor|: vase ; vase ; vase ; jarrón, florero
planter|decor|: planter, plant pot, pot ; cache-pot, pot de fleurs, jardinière ; übertopf, blumentopf, pflanztopf ; maceta, macetero
basket|decor|: basket, storage basket, bin, hamper ; panier, corbeille ; korb, aufbewahrungskorb, wäschekorb ; cesta, canasta, cesto
frame|decor|: picture frame, photo frame, frame ; cadre photo, cadre ; bilderrahmen, rahmen ; marco de fotos, marco
clock|decor|: clock, wall clock ; horloge, pendule ; uhr, wanduhr ; reloj, reloj de pared
print|decor|: print, poster, wall art, canvas ; affiche, poster, tableau, toile ; poster, kunstdruck, wandbild, leinwand ; lámina, póster, cuadro, lienzo
tray|decor|: tray ; plateau ; tablett ; bandeja
bath accessory|bath|: soap dish, soap dispenser, toothbrush holder, bath caddy, shower caddy ; porte-savon, distributeur de savon, porte-brosse à dents ; seifenschale, seifenspender, zahnputzbecher ; jabonera, dispensador de jabón, portacepillos
coffee|food|: coffee, coffee beans, espresso ; café, grains de café ; kaffee, kaffeebohnen, espresso ; café, café en grano
tea|food|: tea, green tea, black tea, sencha, chai, matcha, infusion ; thé, thé vert, thé noir, infusion, chaï ; tee, grüntee, schwarztee, chai, aufguss ; té, té verde, té negro, infusión, chai
chocolate|food|: chocolate, drinking chocolate, hot chocolate, cocoa, chocolate bar ; chocolat, chocolat chaud, cacao, tablette de chocolat ; schokolade, trinkschokolade, kakao, tafel schokolade ; chocolate, chocolate a la taza, cacao, tableta de chocolate
seed tray|garden|: seed tray, propagation tray, seedling tray, seed starter tray ; plateau de semis, caissette de semis, plaque de semis, bac de semis, plaque alvéolée ; anzuchtschale, anzuchtplatte, saatschale, anzuchtkasten, anzuchttray ; bandeja de semillero, semillero, bandeja de semillas, bandeja de germinación
pruner|garden|: pruner, secateurs, pruning shears, shears, loppers ; sécateur, cisaille, coupe-branches ; gartenschere, rosenschere, astschere, baumschere ; tijera de podar, tijeras de podar, podadora
hose|garden|: garden hose, hose, hosepipe ; tuyau d'arrosage, tuyau ; gartenschlauch, schlauch, wasserschlauch ; manguera, manguera de jardín
raised bed|garden|: raised bed, raised garden bed, garden bed, planter box ; potager surélevé, carré potager, bac potager, jardinière surélevée ; hochbeet, pflanzkasten, gemüsebeet ; bancal elevado, huerto elevado, jardinera elevada, arriate elevado, huerto urbano
kneeler|garden|: kneeler, kneeling pad, kneeling cushion, knee pad ; agenouilloir, coussin de jardinage, genouillère, coussin à genoux ; kniekissen, knieschoner, kniebank, kniepolster ; almohadilla para rodillas, cojín para rodillas, almohadilla, rodillera, reclinatorio
watering can|garden|: watering can ; arrosoir ; gießkanne ; regadera
down jacket|apparel|jacket: down jacket, puffer jacket, puffer ; doudoune ; daunenjacke, steppjacke, pufferjacke ; plumífero, abrigo de plumas
fleece jacket|apparel|jacket: fleece jacket, fleece ; veste polaire, polaire ; fleecejacke, fleece ; chaqueta polar, forro polar
rain jacket|apparel|jacket: rain jacket, raincoat, waterproof jacket ; veste de pluie, imperméable, veste imperméable ; regenjacke, regenmantel ; chaqueta impermeable, chubasquero, impermeable
signet ring|jewellery|ring: signet ring, signet ; chevalière ; siegelring ; anillo de sello, sello
wedding band|jewellery|ring: wedding band, wedding ring ; alliance ; ehering, trauring ; alianza
rain boot|footwear|boot: rain boot, rain boots, wellington, wellies, rubber boots ; bottes de pluie, botte de pluie, bottes en caoutchouc ; gummistiefel, regenstiefel ; botas de agua, botas de lluvia, katiuskas
snow boot|footwear|boot: snow boot, snow boots ; bottes de neige, après-ski ; schneestiefel, winterstiefel ; botas de nieve, descansos
dark chocolate|food|chocolate: dark chocolate ; chocolat noir ; zartbitterschokolade, bitterschokolade, dunkle schokolade ; chocolate negro
milk chocolate|food|chocolate: milk chocolate ; chocolat au lait ; vollmilchschokolade, milchschokolade ; chocolate con leche
syrup|food|: syrup ; sirop ; sirup ; sirope, jarabe
wingback chair|furniture|chair: wingback chair, wing chair, wingback ; fauteuil à oreilles, bergère ; ohrensessel ; sillón orejero, orejero
accent chair|furniture|chair: accent chair, occasional chair ; fauteuil d'appoint ; akzentsessel ; sillón auxiliar, butaca auxiliar
fitted sheet|textiles|bedding: fitted sheet ; drap-housse, drap housse ; spannbettlaken, spannbetttuch ; sábana bajera
toy|toys|: toy, plush, teddy, puzzle, game ; jouet, peluche, puzzle, jeu ; spielzeug, plüschtier, kuscheltier, puzzle, spiel ; juguete, peluche, puzle, juego
"""

HOME_FAMILIES = frozenset({"textiles", "furniture", "lighting", "kitchen", "decor", "bath", "home"})

# Merchant product types that say nothing about what the product is: never a head noun.
NON_NOUN_TYPES = frozenset("""
indoor outdoor new sale default kids kid baby men women mens womens summer all misc miscellaneous other others general featured clearance home gift gifts
bestseller bestsellers best sellers uncategorized uncategorised product products item items collection
collections accessories accessory essentials basics limited edition seasonal summer winter spring autumn fall
online exclusive default title none n/a unknown various mixed sample standard premium
""".split())
# Words that never count as a product noun on their own.
GENERIC_NOUNS = frozenset({"product", "item", "thing", "piece", "set", "kit", "pack", "bundle", "gift", "design",
                           "produit", "article", "pièce", "produkt", "artikel", "stück", "producto", "artículo"})

# Phrases that address a home (only fit home goods).
HOME_PHRASES = {
    "en": ("your home", "your interior", "any room", "every room", "your space", "your living room",
           "home decor", "your decor", "around the house"),
    "fr": ("votre intérieur", "votre maison", "votre foyer", "votre déco", "toute pièce", "chaque pièce",
           "votre salon", "votre décoration"),
    "de": ("ihr zuhause", "ihr heim", "ihre einrichtung", "jeden raum", "jedes zimmer", "ihr wohnzimmer",
           "ihre wohnung", "dein zuhause"),
    "es": ("tu hogar", "su hogar", "tu casa", "su casa", "cualquier estancia", "tu decoración", "tu salón",
           "cualquier habitación"),
}
