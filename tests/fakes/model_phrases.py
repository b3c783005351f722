"""Per-locale phrase banks for the model double (tests/fakes/model_writer.py; en, fr, de, es).

Placeholders: {name} the product's model name (or its type when it has none), {vendor}, {kw} the primary keyword
as searched, {Kw} the keyword capitalised for the start of a sentence or a title, {a_kw} (English) the keyword
with its article, {kw2}/{a_kw2} a secondary keyword, {type} the product type in the locale's words, {materials},
{values}, {room}. No phrase makes a claim the product data would have to support (no "best", "free shipping",
"eco-friendly", no numbers): the same validators check this output as check a language model's.
"""

from __future__ import annotations

PHRASES: dict[str, dict[str, list[str]]] = {
    "en": {
        "lead": ["Meet the {name}, {a_kw} from {vendor}.",
                 "Looking for {a_kw}? The {name} from {vendor} deserves a closer look.",
                 "The {name} is {a_kw} by {vendor}, with the details spelled out below.",
                 "{Kw} from {vendor}: this is the {name}."],
        "describe": ["It is part of the {vendor} {type} range.",
                     "The {name} sits in the {type} collection from {vendor}."],
        "material": ["The {name} is made of {materials}.", "Material matters here: the {name} uses {materials}."],
        "options": ["You can choose between {values}.", "It comes in {values}."],
        "room": ["It is at home in the {room}.", "Picture it in the {room}."],
        "secondary": ["If you are searching for {a_kw2}, the {name} is a good match.",
                      "It also answers a search for {a_kw2}."],
        "closing": ["Order the {name} online and pair it with other pieces from {vendor}.",
                    "Add the {name} to your basket and browse the rest of the {vendor} range.",
                    "See every option of the {name} online and order the one that fits your home."],
        "extra": ["Take a look at the details of the {name} before you choose your option.",
                  "The {name} is listed under {type} in our shop, next to other pieces from {vendor}.",
                  "Questions about the {name}? The details above list what {vendor} tells us about it."],
        "meta_lead": ["{Kw} from {vendor}: meet the {name}.", "Shop the {name}, {a_kw} by {vendor}.",
                      "The {name} by {vendor} is {a_kw} worth a look."],
        "meta_material": ["Made of {materials}."],
        "meta_options": ["Available in {values}.", "Choose from {values}."],
        "meta_cta": ["Order online today.", "See all the details online.", "Find your option online."],
        "title": ["{Name} {Kw}", "{Kw} {Name}", "{Kw} by {vendor}", "{Kw}"],
        "seo_title": ["{Name} {Kw} | {vendor}", "{Kw} – {Name} | {vendor}", "{Kw} | {vendor}", "{Name} {Kw}",
                      "{Kw}"],
    },
    "fr": {
        "lead": ["{Kw} : découvrez le modèle {name} de {vendor}.",
                 "Le modèle {name} de {vendor} répond à votre recherche de {kw}.",
                 "{Kw} par {vendor} : voici le modèle {name}, présenté en détail ci-dessous."],
        "describe": ["Ce modèle fait partie de la gamme {type} de {vendor}.",
                     "Le modèle {name} est rangé dans notre sélection {type}, aux côtés des autres pièces de "
                     "{vendor}."],
        "material": ["Le modèle {name} est réalisé en {materials}.", "Côté matière, le modèle {name} associe "
                     "{materials}."],
        "options": ["Il est proposé dans les options suivantes : {values}.", "Vous pouvez choisir entre {values}."],
        "room": ["Il trouve sa place dans cette pièce : {room}.", "Pièce conseillée pour ce modèle : {room}."],
        "secondary": ["Vous cherchez aussi {kw2} ? Le modèle {name} est une bonne piste.",
                      "Il répond aussi à une recherche de {kw2}."],
        "closing": ["Commandez le modèle {name} en ligne et retrouvez toute la gamme {vendor}.",
                    "Ajoutez le modèle {name} à votre panier et complétez votre intérieur avec les pièces de "
                    "{vendor}.",
                    "Consultez toutes les options du modèle {name} en ligne et choisissez celle qui vous convient."],
        "extra": ["Prenez le temps de consulter les détails du modèle {name} avant de choisir votre option.",
                  "Le modèle {name} figure dans la catégorie {type} de notre boutique, avec les autres pièces de "
                  "{vendor}.",
                  "Une question sur le modèle {name} ? Les détails ci-dessus reprennent les informations de "
                  "{vendor}."],
        "meta_lead": ["{Kw} : le modèle {name} de {vendor}.", "{Kw} par {vendor} : découvrez le modèle {name}.",
                      "Le modèle {name} de {vendor}, pour votre recherche de {kw}."],
        "meta_material": ["En {materials}."],
        "meta_options": ["Disponible en {values}.", "Au choix : {values}."],
        "meta_cta": ["Commandez en ligne.", "Tous les détails en ligne.", "À découvrir sur notre boutique."],
        "title": ["{Kw} {Name}", "{Kw} – {Name}", "{Kw} {vendor}", "{Kw}"],
        "seo_title": ["{Kw} {Name} | {vendor}", "{Kw} – {Name}", "{Kw} | {vendor}", "{Kw} {Name}", "{Kw}"],
    },
    "de": {
        "lead": ["{Kw}: Entdecken Sie das Modell {name} von {vendor}.",
                 "Das Modell {name} von {vendor} ist die Antwort auf Ihre Suche nach {kw}.",
                 "{Kw} von {vendor}: Hier stellen wir Ihnen das Modell {name} im Detail vor."],
        "describe": ["Es gehört zum Sortiment von {vendor} in der Kategorie {type}.",
                     "Das Modell {name} finden Sie bei uns in der Kategorie {type}, neben weiteren Stücken von "
                     "{vendor}."],
        "material": ["Das Modell {name} besteht aus {materials}.", "Beim Material setzt das Modell {name} auf "
                     "{materials}."],
        "options": ["Es ist in folgenden Varianten erhältlich: {values}.", "Sie haben die Wahl zwischen {values}."],
        "room": ["Passender Raum für dieses Modell: {room}.", "Es passt gut in diesen Raum: {room}."],
        "secondary": ["Sie suchen auch nach {kw2}? Dann ist das Modell {name} eine gute Wahl.",
                      "Es passt auch zu einer Suche nach {kw2}."],
        "closing": ["Bestellen Sie das Modell {name} online und entdecken Sie weitere Stücke von {vendor}.",
                    "Legen Sie das Modell {name} in den Warenkorb und ergänzen Sie es mit Stücken von {vendor}.",
                    "Sehen Sie sich alle Varianten des Modells {name} online an und wählen Sie die passende."],
        "extra": ["Sehen Sie sich die Details des Modells {name} an, bevor Sie Ihre Variante wählen.",
                  "Das Modell {name} steht in unserem Shop in der Kategorie {type}, zusammen mit weiteren Stücken "
                  "von {vendor}.",
                  "Fragen zum Modell {name}? Die Details oben fassen die Angaben von {vendor} zusammen."],
        "meta_lead": ["{Kw} von {vendor}: das Modell {name}.", "{Kw}: Modell {name} von {vendor} entdecken.",
                      "Das Modell {name} von {vendor} für Ihre Suche nach {kw}."],
        "meta_material": ["Aus {materials}."],
        "meta_options": ["Erhältlich in {values}.", "Zur Wahl: {values}."],
        "meta_cta": ["Jetzt online bestellen.", "Alle Details online.", "Jetzt im Shop entdecken."],
        "title": ["{Name} {Kw}", "{Kw} {Name}", "{Kw} von {vendor}", "{Kw}"],
        "seo_title": ["{Name} {Kw} | {vendor}", "{Kw} – {Name}", "{Kw} | {vendor}", "{Name} {Kw}", "{Kw}"],
    },
    "es": {
        "lead": ["{Kw}: descubre el modelo {name} de {vendor}.",
                 "El modelo {name} de {vendor} responde a tu búsqueda de {kw}.",
                 "{Kw} de {vendor}: así es el modelo {name}, con todos sus detalles a continuación."],
        "describe": ["Forma parte de la colección de {vendor} en la categoría {type}.",
                     "El modelo {name} está en nuestra selección de {type}, junto a otras piezas de {vendor}."],
        "material": ["Material del modelo {name}: {materials}.", "En cuanto al material, el modelo {name} usa "
                     "{materials}."],
        "options": ["Está disponible en estas opciones: {values}.", "Puedes elegir entre {values}."],
        "room": ["Estancia recomendada para este modelo: {room}.", "Encaja bien en esta estancia: {room}."],
        "secondary": ["¿Buscas también {kw2}? El modelo {name} es una buena opción.",
                      "También responde a una búsqueda de {kw2}."],
        "closing": ["Pide el modelo {name} en línea y descubre más piezas de {vendor}.",
                    "Añade el modelo {name} a tu cesta y combínalo con otras piezas de {vendor}.",
                    "Consulta todas las opciones del modelo {name} en línea y elige la que mejor te encaje."],
        "extra": ["Revisa los detalles del modelo {name} antes de elegir tu opción.",
                  "El modelo {name} aparece en la categoría {type} de nuestra tienda, con otras piezas de {vendor}.",
                  "¿Tienes dudas sobre el modelo {name}? Los detalles de arriba recogen la información de {vendor}."],
        "meta_lead": ["{Kw} de {vendor}: el modelo {name}.", "{Kw}: descubre el modelo {name} de {vendor}.",
                      "El modelo {name} de {vendor} para tu búsqueda de {kw}."],
        "meta_material": ["En {materials}."],
        "meta_options": ["Disponible en {values}.", "A elegir: {values}."],
        "meta_cta": ["Pídelo en línea.", "Todos los detalles en línea.", "Descúbrelo en nuestra tienda."],
        "title": ["{Kw} {Name}", "{Kw} – {Name}", "{Kw} de {vendor}", "{Kw}"],
        "seo_title": ["{Kw} {Name} | {vendor}", "{Kw} – {Name}", "{Kw} | {vendor}", "{Kw} {Name}", "{Kw}"],
    },
}

# Labels of the facts list in body_html, and of common option names.
LABELS: dict[str, dict[str, str]] = {
    "en": {"material": "Material", "brand": "Brand", "sku": "Reference", "room": "Room", "type": "Type",
           "size": "Size", "color": "Colour", "colour": "Colour", "finish": "Finish", "scent": "Scent",
           "style": "Style", "shape": "Shape", "and": "and"},
    "fr": {"material": "Matière", "brand": "Marque", "sku": "Référence", "room": "Pièce", "type": "Catégorie",
           "size": "Taille", "color": "Couleur", "colour": "Couleur", "finish": "Finition", "scent": "Parfum",
           "style": "Style", "shape": "Forme", "and": "et"},
    "de": {"material": "Material", "brand": "Marke", "sku": "Artikelnummer", "room": "Raum", "type": "Kategorie",
           "size": "Größe", "color": "Farbe", "colour": "Farbe", "finish": "Ausführung", "scent": "Duft",
           "style": "Stil", "shape": "Form", "and": "und"},
    "es": {"material": "Material", "brand": "Marca", "sku": "Referencia", "room": "Estancia", "type": "Categoría",
           "size": "Tamaño", "color": "Color", "colour": "Color", "finish": "Acabado", "scent": "Aroma",
           "style": "Estilo", "shape": "Forma", "and": "y"},
}
