"""Hand-written garden tools and supplies catalogue (invented UK store "Potting Shed Supply", prices in GBP).

Every title, description, tag and SEO field below was written by hand for evaluation; nothing here comes from
catalog_samples/generate_sample.py or from any vendor's sample data. build.py lays it out as Shopify CSVs;
only the variant grids (pack sizes, lengths, diameters, glove sizes, colours) and their SKUs and stock levels
are expanded by the script.

The copy mixes measurements in two systems (12.5 mm / 1/2 in bore, 15 m / 50 ft), materials, warranties of
different lengths, and uneven quality: good specification-led copy, supplier text pasted on three products,
hype ("BEST HOSE EVER"), one-liners, and product types such as "Indoor", "Sale" and "Gifts".
"""

STORE = {
    "name": "Potting Shed Supply",
    "weight_unit": "kg",
    "image_base": "https://cdn.shopify.com/s/files/1/0000/0000/0003/files/",
    "codes": {"Pack of 5": "5", "Pack of 10": "10", "Pack of 20": "20", "15 m (50 ft)": "15M",
              "30 m (100 ft)": "30M", "15 cm": "15", "20 cm": "20", "25 cm": "25", "30 cm": "30", "14 cm": "14",
              "17 cm": "17", "21 cm": "21", "S (7)": "S", "M (8)": "M", "L (9)": "L", "XL (10)": "XL",
              "Small - 25 cm": "S", "Medium - 35 cm": "M", "Large - 45 cm": "L"},
}

CAT_TOOLS = "Home & Garden > Lawn & Garden > Gardening > Gardening Tools"
CAT_POTS = "Home & Garden > Lawn & Garden > Gardening > Pots & Planters"
CAT_WATER = "Home & Garden > Lawn & Garden > Watering & Irrigation"
CAT_GARDENING = "Home & Garden > Lawn & Garden > Gardening"

THORNBURY_STOCK_COPY = (
    "<p>Thornbury Garden Co. products are designed in the UK and built to last. Made from high quality "
    "materials and tested to the highest standards, they make every job in the garden quicker and easier. "
    "Compatible with all standard click-fit hose systems. Backed by our 2 year guarantee.</p>"
)

PRODUCTS = [
    {
        "handle": "bypass-secateurs",
        "title": "Bypass Secateurs",
        "body": (
            "<p>Everyday secateurs for live growth: roses, shrubs and soft fruit. The curved bypass blades cut "
            "like scissors, so stems are sliced cleanly rather than crushed, which helps plants heal.</p>"
            "<ul><li>Blade: hardened SK5 carbon steel with a non-stick coating</li>"
            "<li>Cutting capacity: 20 mm</li>"
            "<li>Length 21 cm, weight 240 g</li>"
            "<li>Forged aluminium handles with a sap groove and a thumb-operated lock</li>"
            "<li>Replaceable blade and spring (spares sold separately)</li></ul>"
            "<p><strong>Guarantee:</strong> lifetime guarantee against manufacturing defects.</p>"
            "<p><strong>Care:</strong> wipe the blades after use and oil the pivot now and then.</p>"
        ),
        "vendor": "Greenacre Tools",
        "category": CAT_TOOLS + " > Pruning Shears",
        "type": "Pruning",
        "tags": "secateurs, pruning, roses, lifetime guarantee",
        "seo_title": "Bypass Secateurs, 20 mm Cut | Greenacre Tools",
        "seo_description": "Bypass secateurs with SK5 carbon steel blades, a 20 mm cutting capacity and "
                           "forged aluminium handles. Lifetime guarantee.",
        "sku": "GA-SEC-BYP",
        "price": "34.99",
        "grams": 240,
        "inventory": 45,
        "images": [("bypass-secateurs.jpg", "Bypass secateurs, open"), ("bypass-secateurs-lock.jpg", "")],
    },
    {
        "handle": "anvil-secateurs",
        "title": "Anvil Secateurs",
        "body": (
            "<p>Secateurs for dead and woody growth. A single straight blade closes on to a flat anvil, which "
            "gives more power on hard, dry stems.</p>"
            "<ul><li>Blade: hardened SK5 carbon steel with a non-stick coating</li>"
            "<li>Cutting capacity: 25 mm</li>"
            "<li>Length 21 cm, weight 250 g</li>"
            "<li>Forged aluminium handles with a thumb-operated lock</li>"
            "<li>Replaceable blade and anvil (spares sold separately)</li></ul>"
            "<p><strong>Guarantee:</strong> lifetime guarantee against manufacturing defects.</p>"
            "<p><strong>Care:</strong> wipe the blades after use and oil the pivot now and then.</p>"
        ),
        "vendor": "Greenacre Tools",
        "category": CAT_TOOLS + " > Pruning Shears",
        "type": "Pruning",
        "tags": "secateurs, pruning, lifetime guarantee",
        "sku": "GA-SEC-ANV",
        "price": "34.99",
        "grams": 250,
        "inventory": 20,
    },
    {
        "handle": "ratchet-pruner",
        "title": "Ratchet Pruner",
        "body": "<p>Cuts thick branches with less effort. Great for weak hands/arthritis.</p>",
        "vendor": "Thornbury Garden Co.",
        "category": CAT_TOOLS + " > Pruning Shears",
        "type": "Sale",
        "tags": "secateurs, sale",
        "sku": "TG-RAT-PRN",
        "price": "14.99",
        "compare_at": "19.99",
        "grams": 230,
        "inventory": 8,
    },
    {
        "handle": "full-size-seed-tray-38-x-24-cm",
        "title": "Full-Size Seed Tray 38 x 24 cm",
        "body": (
            "<p>Rigid seed trays that last for years rather than one season. Made in the UK from 100% recycled "
            "polypropylene, 1.2 mm thick, so they do not flex when you carry them full of wet compost.</p>"
            "<ul><li>Outside: 38 x 24 cm, 6 cm deep</li>"
            "<li>12 drainage holes; fit standard propagator lids</li>"
            "<li>Stack inside each other for storage</li>"
            "<li>Wash in warm soapy water between sowings</li></ul>"
        ),
        "vendor": "Potting Shed Supply",
        "category": CAT_GARDENING,
        "type": "Seed Trays",
        "tags": "seed trays, propagation, recycled, seed sowing",
        "options": [("Pack", ["Pack of 5", "Pack of 10", "Pack of 20"])],
        "price_by": {"Pack of 10": "12.50", "Pack of 20": "22.00"},
        "grams_by": {"Pack of 10": 1300, "Pack of 20": 2600},
        "sku": "PS-TRAY-FULL",
        "price": "7.50",
        "grams": 650,
        "stock": 60,
        "images": [("seed-tray-full.jpg", "Black recycled seed trays, stacked")],
    },
    {
        "handle": "half-seed-tray-propagator",
        "title": "Half Seed Tray Propagator with Vented Lid",
        "body": (
            "<p>A half-size seed tray with a clear, tall lid and two sliding vents, for getting seeds going on "
            "a windowsill. The lid keeps humidity in; open the vents as seedlings appear to stop damping off.</p>"
            "<p>23 x 17 cm base; 16 cm tall with the lid on. Tray: recycled polypropylene. Lid: PET.</p>"
        ),
        "vendor": "Potting Shed Supply",
        "category": CAT_GARDENING,
        "type": "Indoor",
        "tags": "propagators, seed trays, windowsill",
        "sku": "PS-PROP-HALF",
        "price": "6.99",
        "grams": 210,
        "inventory": 36,
    },
    {
        "handle": "40-cell-module-tray",
        "title": "40 Cell Module Tray",
        "body": "<p>Module tray with 40 cells. Pack of 3. Fits a full size seed tray.</p>",
        "vendor": "Potting Shed Supply",
        "category": CAT_GARDENING,
        "type": "Seed Trays",
        "tags": "seed trays, modules, plug plants",
        "sku": "PS-MOD-40",
        "price": "4.99",
        "grams": 150,
        "inventory": 80,
    },
    {
        "handle": "expandable-garden-hose",
        "title": "Expandable Garden Hose - BEST HOSE EVER - Expanding Hose Pipe",
        "body": (
            "<p><strong>BEST HOSE EVER!!!</strong> Expands up to 3X its length when the water is on and shrinks "
            "back when it is off!! No more kinks, no more tangles, no more heavy hose pipe. Super lightweight "
            "expanding hose is perfect for garden, car washing, patio and pets. 9 function spray gun "
            "included!! Buy now!</p>"
            "<p>Latex inner tube, polyester outer, solid brass fittings. 1 year warranty.</p>"
        ),
        "vendor": "Thornbury Garden Co.",
        "category": CAT_WATER + " > Garden Hoses",
        "type": "Hoses & Watering",
        "tags": "hose, expandable hose, watering",
        "options": [("Length", ["15 m (50 ft)", "30 m (100 ft)"])],
        "price_by": {"30 m (100 ft)": "34.99"},
        "sku": "TG-HOSE-EXP",
        "price": "24.99",
        "grams": 900,
        "grams_by": {"30 m (100 ft)": 1400},
        "images": [("expandable-hose.jpg", "")],
    },
    {
        "handle": "reinforced-garden-hose-25m",
        "title": "Reinforced Garden Hose 25 m",
        "body": (
            "<p>A hose that lies flat and stays flexible in cold weather. Three layers: a smooth PVC inner tube, "
            "a knitted polyester reinforcement and a UV-stabilised outer that will not go stiff or split in the "
            "sun. Safe working pressure 10 bar.</p>"
            "<ul><li>Bore: 12.5 mm (1/2 in), the standard size for garden taps and fittings</li>"
            "<li>Length: 25 m (82 ft)</li>"
            "<li>Kink resistant; phthalate-free</li>"
            "<li>Fittings and reel not included</li></ul>"
            "<p><strong>Guarantee:</strong> 5 years. Drain and store out of frost over winter.</p>"
        ),
        "vendor": "Greenacre Tools",
        "category": CAT_WATER + " > Garden Hoses",
        "type": "Hoses & Watering",
        "tags": "hose, watering, 5 year guarantee",
        "seo_title": "Reinforced Garden Hose, 25 m x 12.5 mm",
        "seo_description": "Kink-resistant 3-layer garden hose, 25 m long with a 12.5 mm (1/2 in) bore, "
                           "UV-stabilised and guaranteed for 5 years.",
        "sku": "GA-HOSE-25",
        "price": "29.99",
        "grams": 3100,
        "inventory": 15,
        "images": [("reinforced-hose-25m.jpg", "Green reinforced garden hose, coiled")],
    },
    {
        "handle": "hose-reel-cart",
        "title": "Hose Reel Cart",
        "body": (
            "<p>Powder-coated steel hose cart on two 25 cm wheels, holding up to 60 m of 12.5 mm hose. The "
            "crank handle winds evenly and the drum has a quick-release inlet, so you can detach it for storage. "
            "Supplied with a 2 m leader hose and connectors. Assembly required, about 20 minutes. "
            "2 year warranty.</p>"
        ),
        "vendor": "Thornbury Garden Co.",
        "category": CAT_WATER,
        "type": "Hoses & Watering",
        "tags": "hose reels, watering",
        "sku": "TG-REEL-CART",
        "price": "64.99",
        "grams": 7800,
        "inventory": 6,
    },
    {
        "handle": "hose-connector-set",
        "title": "Hose Connector Set",
        "body": THORNBURY_STOCK_COPY,
        "vendor": "Thornbury Garden Co.",
        "category": CAT_WATER,
        "type": "Hoses & Watering",
        "tags": "hose fittings, connectors",
        "sku": "TG-CONN-SET",
        "price": "9.99",
        "grams": 200,
        "inventory": 50,
    },
    {
        "handle": "8-pattern-spray-gun",
        "title": "8-Pattern Spray Gun",
        "body": THORNBURY_STOCK_COPY,
        "vendor": "Thornbury Garden Co.",
        "category": CAT_WATER,
        "type": "Hoses & Watering",
        "tags": "spray guns, hose fittings",
        "sku": "TG-SPRAY-8",
        "price": "12.99",
        "grams": 260,
        "inventory": 34,
    },
    {
        "handle": "outdoor-tap-connector",
        "title": "Outdoor Tap Connector",
        "body": THORNBURY_STOCK_COPY,
        "vendor": "Thornbury Garden Co.",
        "category": CAT_WATER,
        "type": "Hoses & Watering",
        "tags": "hose fittings, taps",
        "sku": "TG-TAP-CONN",
        "price": "4.99",
        "grams": 60,
        "inventory": 90,
    },
    {
        "handle": "terracotta-pot",
        "title": "Terracotta Pot",
        "body": (
            "<p>Classic long tom-shaped pots, hand-thrown in Italy from clay fired at high temperature, which "
            "makes them frost resistant (tested to -20&deg;C) and gives them a warm, even colour that weathers "
            "beautifully. Each has a drainage hole.</p>"
            "<p>Sizes are the top inside diameter; height is roughly the same as the diameter. Saucers are "
            "sold separately.</p>"
        ),
        "vendor": "Wildmoor",
        "category": CAT_POTS,
        "type": "Planters",
        "tags": "terracotta, pots, planters, frost resistant",
        "options": [("Diameter", ["15 cm", "20 cm", "25 cm", "30 cm"])],
        "price_by": {"20 cm": "14.00", "25 cm": "22.00", "30 cm": "34.00"},
        "grams_by": {"20 cm": 1900, "25 cm": 3400, "30 cm": 5600},
        "sku": "WM-TERR-POT",
        "price": "8.50",
        "grams": 900,
        "images": [("terracotta-pot.jpg", "Terracotta pots in four sizes")],
    },
    {
        "handle": "fibreclay-planter",
        "title": "Fibreclay Planter",
        "body": (
            "<p>The look of concrete at a third of the weight. Fibreclay is clay bound with fibreglass: strong, "
            "frost-proof and light enough to move around. Suitable for indoors and out; there is a drainage "
            "hole with a rubber bung, so you can close it for use indoors.</p>"
            "<ul><li>Small: 25 cm diameter x 23 cm high</li>"
            "<li>Medium: 35 cm diameter x 32 cm high</li>"
            "<li>Large: 45 cm diameter x 41 cm high</li></ul>"
        ),
        "vendor": "Wildmoor",
        "category": CAT_POTS,
        "type": "Indoor",
        "tags": "planters, fibreclay, indoor, outdoor, houseplants",
        "options": [("Size", ["Small - 25 cm", "Medium - 35 cm", "Large - 45 cm"]), ("Color", ["Charcoal", "Stone"])],
        "price_by": {"Medium - 35 cm": "49.00", "Large - 45 cm": "79.00"},
        "sku": "WM-FIBRE",
        "price": "29.00",
        "grams": 2500,
        "grams_by": {"Medium - 35 cm": 5000, "Large - 45 cm": 8500},
        "images": [("fibreclay-planter-charcoal.jpg", "")],
    },
    {
        "handle": "self-watering-pot",
        "title": "Self-Watering Pot",
        "body": (
            "<p>Houseplant pot with a hidden reservoir that holds up to two weeks of water, and a float that "
            "shows when it needs topping up. Made from 100% recycled plastic.</p>"
        ),
        "vendor": "Wildmoor",
        "category": CAT_POTS,
        "type": "Indoor",
        "tags": "houseplants, self watering, pots, indoor",
        "options": [("Diameter", ["14 cm", "17 cm", "21 cm"]), ("Color", ["White", "Terracotta", "Forest Green"])],
        "price_by": {"17 cm": "15.00", "21 cm": "19.00"},
        "sku": "WM-SELFW",
        "price": "12.00",
        "grams": 300,
    },
    {
        "handle": "leather-gardening-gloves",
        "title": "Leather Gardening Gloves",
        "body": (
            "<p>Gauntlet gloves for roses, brambles and hawthorn. The palm and fingers are soft goatskin "
            "leather, which stays supple and lets you feel what you are holding; the long suede cuff protects "
            "your forearms up to the elbow.</p>"
            "<p>Sizes: S (7), M (8), L (9), XL (10); measure around your palm below the knuckles, in inches.</p>"
            "<p>Leather can be sponged clean; dry away from direct heat.</p>"
        ),
        "vendor": "Greenacre Tools",
        "category": CAT_GARDENING,
        "type": "Gloves",
        "tags": "gloves, roses, leather, gifts for gardeners",
        "options": [("Size", ["S (7)", "M (8)", "L (9)", "XL (10)"])],
        "sku": "GA-GLV-LTH",
        "price": "19.99",
        "grams": 150,
        "images": [("leather-gauntlet-gloves.jpg", "Leather gauntlet gardening gloves")],
    },
    {
        "handle": "nitrile-coated-garden-gloves-3-pairs",
        "title": "Nitrile Coated Garden Gloves (3 Pairs)",
        "body": "<p>Nitrile palm, breathable knit back. 3 pairs.</p>",
        "vendor": "Potting Shed Supply",
        "category": CAT_GARDENING,
        "type": "Gloves",
        "tags": "gloves",
        "options": [("Size", ["S (7)", "M (8)", "L (9)", "XL (10)"])],
        "sku": "PS-GLV-NIT3",
        "price": "8.99",
        "grams": 120,
        "stock": 30,
    },
    {
        "handle": "stainless-steel-hand-trowel",
        "title": "Stainless Steel Hand Trowel",
        "body": (
            "<p>A trowel for planting bulbs, bedding and plug plants. The head is polished stainless steel, so "
            "soil slides off and it will not rust; it is one piece with the tang, so it will not bend at the "
            "neck. The handle is FSC-certified ash with a leather hanging loop.</p>"
            "<ul><li>Overall length 32 cm; blade 14 x 8 cm</li>"
            "<li>Weight 280 g</li></ul>"
            "<p><strong>Guarantee:</strong> 10 years. Oil the handle with linseed oil once a year.</p>"
        ),
        "vendor": "Greenacre Tools",
        "category": CAT_TOOLS,
        "type": "Hand Tools",
        "tags": "trowels, hand tools, stainless steel, 10 year guarantee",
        "seo_title": "Stainless Steel Hand Trowel with Ash Handle",
        "seo_description": "Stainless steel hand trowel with an FSC ash handle, 32 cm long. Rust-proof, one-piece "
                           "head and a 10-year guarantee.",
        "sku": "GA-TRWL-SS",
        "price": "18.99",
        "grams": 280,
        "inventory": 27,
        "images": [("hand-trowel.jpg", "Stainless steel trowel with ash handle")],
    },
    {
        "handle": "stainless-steel-hand-fork",
        "title": "Stainless Steel Hand Fork",
        "body": (
            "<p>A hand fork for weeding and loosening soil. The head is polished stainless steel, so soil "
            "slides off and it will not rust; it is one piece with the tang, so it will not bend at the neck. "
            "The handle is FSC-certified ash with a leather hanging loop.</p>"
            "<ul><li>Overall length 30 cm; three tines, 12 cm long</li>"
            "<li>Weight 260 g</li></ul>"
            "<p><strong>Guarantee:</strong> 10 years. Oil the handle with linseed oil once a year.</p>"
        ),
        "vendor": "Greenacre Tools",
        "category": CAT_TOOLS,
        "type": "Hand Tools",
        "tags": "hand forks, hand tools, stainless steel, 10 year guarantee",
        "sku": "GA-FORK-HSS",
        "price": "18.99",
        "grams": 260,
        "inventory": 19,
    },
    {
        "handle": "border-fork",
        "title": "Border Fork",
        "body": (
            "<p>A smaller, lighter digging fork for working between established plants. Four square tines in "
            "mirror-polished stainless steel, a 96 cm overall length and an ash T-handle. Also sold as a "
            "\"lady's fork\", but it suits anyone working in tight beds.</p>"
            "<p>Head 22 x 14 cm. Weight 1.5 kg. 15 year guarantee.</p>"
        ),
        "vendor": "Greenacre Tools",
        "category": CAT_TOOLS,
        "type": "Tools",
        "tags": "forks, digging, stainless steel",
        "sku": "GA-FORK-BRD",
        "price": "42.00",
        "grams": 1500,
        "inventory": 9,
    },
    {
        "handle": "galvanised-watering-can-9-l",
        "title": "Galvanised Watering Can 9 L",
        "body": (
            "<p>A traditional 9 litre (2 gallon) watering can in hot-dip galvanised steel, with a long spout "
            "for reaching the back of borders and a removable brass rose for a fine shower on seedlings. "
            "Balanced to pour evenly when full.</p>"
            "<p>Also in sage green powder coat. Empty it before frosts.</p>"
        ),
        "vendor": "Wildmoor",
        "category": CAT_WATER + " > Watering Cans",
        "type": "Hoses & Watering",
        "tags": "watering cans, galvanised, gifts",
        "options": [("Finish", ["Galvanised", "Sage Green"])],
        "price_by": {"Sage Green": "42.00"},
        "sku": "WM-CAN-9L",
        "price": "38.00",
        "grams": 1600,
    },
    {
        "handle": "peat-free-seed-compost-40-l",
        "title": "Peat-Free Seed Compost 40 L",
        "body": (
            "<p>A fine, free-draining compost for sowing seeds and rooting cuttings, made without peat from "
            "composted bark, coir and green waste, with added sand and a light feed. It is sieved to 6 mm, so "
            "even small seeds make good contact.</p>"
            "<p>Use within 6 months of opening. 40 litre bag.</p>"
        ),
        "vendor": "Potting Shed Supply",
        "category": CAT_GARDENING,
        "type": "Compost",
        "tags": "compost, peat free, seed sowing",
        "sku": "PS-COMP-SEED40",
        "price": "9.99",
        "grams": 14000,
        "inventory": 40,
        "unit_price": ("40", "l", "1", "l"),
    },
    {
        "handle": "garden-kneeler",
        "title": "Garden Kneeler",
        "body": "Kneeler pad. Very comfy!",
        "vendor": "Potting Shed Supply",
        "category": CAT_GARDENING,
        "type": "Accessories",
        "tags": "kneelers",
        "sku": "PS-KNEEL",
        "price": "7.99",
        "grams": 200,
        "inventory": 25,
    },
    {
        "handle": "hand-tool-gift-set",
        "title": "Hand Tool Gift Set",
        "body": (
            "<p>Our stainless steel hand trowel and hand fork, with a pair of leather gardening gloves (size M), "
            "in a kraft gift box. Everything carries its own guarantee: 10 years on the tools.</p>"
        ),
        "vendor": "Greenacre Tools",
        "category": CAT_TOOLS,
        "type": "Gifts",
        "tags": "gifts, gifts for gardeners, hand tools",
        "published": False,
        "status": "draft",
        "sku": "GA-GIFT-SET",
        "price": "49.99",
        "grams": 700,
        "inventory": 0,
    },
]
