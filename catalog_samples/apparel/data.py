"""Hand-written apparel and sportswear catalogue (invented store "Fellside Supply Co.", US, prices in USD).

Every title, description, tag and SEO field below was written by hand for evaluation; nothing here comes from
catalog_samples/generate_sample.py or from any vendor's sample data. build.py lays it out as Shopify CSVs;
only the size x colour variant grids (and their SKUs and stock levels) are expanded by the script.

The copy is deliberately uneven, the way a real store's is: some descriptions are good and complete (a few in
about 40 words of bullets), some thin, duplicated, pasted from a supplier or full of editor markup; product
types are partly useful ("Hoodies & Sweatshirts") and partly not product nouns ("New", "Sale", "Indoor");
most SEO fields are empty.
"""

STORE = {
    "name": "Fellside Supply Co.",
    "weight_unit": "lb",
    "image_base": "https://cdn.shopify.com/s/files/1/0000/0000/0001/files/",
    # SKU codes for option values (others: initials of a multi-word value, else the first four letters).
    "codes": {"XS": "XS", "S": "S", "M": "M", "L": "L", "XL": "XL", "XXL": "XXL", "Black": "BLK", "Navy": "NVY",
              "White": "WHT", "Sage": "SGE", "Sand": "SND", "Plum": "PLM", "Slate": "SLT", "Moss": "MOS",
              "S (W 5-7)": "S", "M (M 6-8.5 / W 7.5-10)": "M", "L (M 9-11.5)": "L", "XL (M 12-14)": "XL",
              "S/M": "SM", "L/XL": "LXL"},
}

SIZES = ["XS", "S", "M", "L", "XL", "XXL"]

CAT_TOPS = "Apparel & Accessories > Clothing > Shirts & Tops"
CAT_OUTER = "Apparel & Accessories > Clothing > Outerwear > Coats & Jackets"
CAT_ACTIVE = "Apparel & Accessories > Clothing > Activewear"
CAT_SOCKS = "Apparel & Accessories > Clothing > Underwear & Socks > Socks"
CAT_DRESS = "Apparel & Accessories > Clothing > Dresses"
CAT_HATS = "Apparel & Accessories > Clothing Accessories > Hats"

# Supplier copy pasted unchanged onto three Kestrel Run products.
KESTREL_STOCK_COPY = (
    "<p>Kestrel Run gear is designed by runners, for runners. Lightweight, breathable and built to go the "
    "distance, whatever the weather throws at you. Our technical fabrics wick sweat away from the skin so you "
    "stay dry and comfortable from the first mile to the last. Reflective details keep you visible on early "
    "mornings and late evenings. Machine wash cold. Imported.</p>"
)

OVERSIZED_HOODIE_COPY = (
    "<p>Our oversized hoodie is made for slow weekends. Dropped shoulders, a roomy body and a deep kangaroo "
    "pocket, in a heavyweight 400 gsm brushed-back fleece that keeps its shape wash after wash.</p>"
    "<p>80% organic cotton, 20% recycled polyester. Model is 5'8\" and wears a size S.</p>"
    "<p>Machine wash cold, inside out. Do not tumble dry.</p>"
)

PRODUCTS = [
    {
        "handle": "nova-full-zip-fleece",
        "title": "Nova Full-Zip Fleece",
        "body": (
            "<p>The Nova is the midlayer we reach for first. A 280 gsm recycled microfleece traps warmth without "
            "bulk, and the brushed inner face feels soft straight out of the bag. Wear it alone on a cool "
            "evening or under a shell when the weather turns.</p>"
            "<ul><li>100% recycled polyester microfleece, 280 gsm</li>"
            "<li>Full-length zip with chin guard</li>"
            "<li>Two zipped hand pockets and a zipped chest pocket</li>"
            "<li>Stretch binding at cuffs and hem</li>"
            "<li>Regular fit with room for a base layer underneath</li>"
            "<li>Machine wash cold, do not tumble dry</li></ul>"
        ),
        "vendor": "Fellside",
        "category": CAT_TOPS,
        "type": "Fleece",
        "tags": "fleece, midlayer, mens, unisex, hiking, autumn, recycled",
        "options": [("Size", SIZES), ("Color", ["Black", "Navy", "Moss"])],
        "exclude": [("XS", "Moss")],
        "sold_out": [("XXL", "Navy")],
        "sku": "FS-NOVA",
        "price": "79.00",
        "cost": "31.50",
        "grams": 420,
        "color_pattern": "black; navy; green",
        "images": [("nova-fleece-black.jpg", "Nova full-zip fleece in black, front"),
                   ("nova-fleece-moss-detail.jpg", "")],
    },
    {
        "handle": "copy-of-nova-full-zip-fleece",
        "title": "Copy of Nova Full-Zip Fleece",
        "body": (
            "<p>The Nova is the midlayer we reach for first. A 280 gsm recycled microfleece traps warmth without "
            "bulk, and the brushed inner face feels soft straight out of the bag. Wear it alone on a cool "
            "evening or under a shell when the weather turns.</p>"
            "<ul><li>100% recycled polyester microfleece, 280 gsm</li>"
            "<li>Full-length zip with chin guard</li>"
            "<li>Two zipped hand pockets and a zipped chest pocket</li>"
            "<li>Stretch binding at cuffs and hem</li>"
            "<li>Regular fit with room for a base layer underneath</li>"
            "<li>Machine wash cold, do not tumble dry</li></ul>"
        ),
        "vendor": "Fellside",
        "category": CAT_TOPS,
        "type": "Fleece",
        "tags": "fleece, womens",
        "published": False,
        "status": "draft",
        "options": [("Size", ["XS", "S", "M", "L"]), ("Color", ["Heather Oat"])],
        "sku": "FS-NOVA-W",
        "price": "79.00",
        "grams": 380,
    },
    {
        "handle": "checked-linen-shirt",
        "title": "Checked Linen Shirt",
        "body": (
            "<p>Woven from 100% European flax linen, with a small check that reads as a solid from a few feet "
            "away. It is cut straight, with a soft button-down collar, a single patch pocket and a curved hem "
            "that works tucked or untucked.</p>"
            "<p>Linen creases, and that is half the charm: the fabric gets softer with every wash and stays cool "
            "on the hottest days. Mother-of-pearl buttons. Made in Portugal.</p>"
            "<p><strong>Care:</strong> machine wash at 30&deg;C, line dry, warm iron while still damp.</p>"
        ),
        "vendor": "Marlow & Finch",
        "category": CAT_TOPS,
        "type": "Shirts",
        "tags": "linen, summer, shirts, mens, made in portugal",
        "seo_title": "Checked Linen Shirt | Marlow & Finch",
        "seo_description": "Button-down shirt in 100% European flax linen with a small blue or olive check. "
                           "Straight cut, patch pocket, made in Portugal.",
        "options": [("Size", ["S", "M", "L", "XL", "XXL"]), ("Color", ["Blue Check", "Olive Check"])],
        "sku": "MF-LIN-CHK",
        "price": "98.00",
        "grams": 260,
        "color_pattern": "blue; green",
        "images": [("checked-linen-shirt-blue.jpg", "Blue checked linen shirt on a hanger"),
                   ("checked-linen-shirt-olive.jpg", "Olive checked linen shirt, folded")],
    },
    {
        "handle": "classic-crew-tee",
        "title": "Classic Crew Tee",
        "body": (
            "<ul><li>100% ringspun cotton jersey, 180 gsm</li>"
            "<li>Pre-shrunk, so it keeps its length and fit</li>"
            "<li>Taped shoulder seams and a ribbed crew neck that lies flat</li>"
            "<li>Regular fit, true to size</li>"
            "<li>Machine wash cold, tumble dry low</li></ul>"
        ),
        "vendor": "Tidewater Basics",
        "category": CAT_TOPS,
        "type": "T-Shirts",
        "tags": "tees, basics, cotton, unisex",
        "options": [("Size", SIZES), ("Color", ["White", "Black", "Heather Grey", "Navy"])],
        "sku": "TB-CREW",
        "price": "24.00",
        "price_by": {"XXL": "27.00"},
        "grams": 190,
        "stock": 30,
        "color_pattern": "white; black; gray; navy",
        "images": [("classic-crew-tee-white.jpg", "")],
    },
    {
        "handle": "everyday-pocket-tee",
        "title": "Everyday Pocket Tee",
        "body": (
            "<ul><li>100% ringspun cotton jersey, 180 gsm</li>"
            "<li>Pre-shrunk, so it keeps its length and fit</li>"
            "<li>Taped shoulder seams and a ribbed crew neck that lies flat</li>"
            "<li>Chest pocket</li>"
            "<li>Regular fit, true to size</li>"
            "<li>Machine wash cold, tumble dry low</li></ul>"
        ),
        "vendor": "Tidewater Basics",
        "category": CAT_TOPS,
        "type": "T-Shirts",
        "tags": "tees, basics, cotton",
        "options": [("Size", ["S", "M", "L", "XL"]), ("Color", ["White", "Heather Grey", "Sand"])],
        "sku": "TB-POCKET",
        "price": "26.00",
        "grams": 195,
        "images": [("everyday-pocket-tee-sand.jpg", "")],
    },
    {
        "handle": "ridge-pullover-hoodie",
        "title": "Ridge Pullover Hoodie",
        "body": (
            "<p>A proper midweight hoodie: 320 gsm brushed-back fleece in 65% cotton, 35% polyester, so it is "
            "soft inside, holds its shape and does not pill after a few washes.</p>"
            "<ul><li>Double-layer hood with flat drawcords</li>"
            "<li>Kangaroo pocket with a hidden phone sleeve</li>"
            "<li>Rib cuffs and hem with a touch of elastane</li>"
            "<li>Relaxed fit; size down for a closer fit</li></ul>"
            "<p>Machine wash cold, inside out. Tumble dry low.</p>"
        ),
        "vendor": "Fellside",
        "category": CAT_TOPS,
        "type": "Hoodies & Sweatshirts",
        "tags": "hoodies, sweatshirts, fleece, unisex, bestseller",
        "seo_title": "Ridge Pullover Hoodie - Midweight Cotton Fleece",
        "seo_description": "A 320 gsm brushed-back hoodie in 65% cotton, 35% polyester with a double-layer "
                           "hood and kangaroo pocket. Sizes S to XXL, three colours.",
        "options": [("Size", ["S", "M", "L", "XL", "XXL"]), ("Color", ["Charcoal", "Navy", "Forest"])],
        "sku": "FS-RIDGE-PO",
        "price": "68.00",
        "cost": "24.10",
        "grams": 610,
        "color_pattern": "gray; navy; green",
        "images": [("ridge-hoodie-charcoal.jpg", "Charcoal pullover hoodie, front view"),
                   ("ridge-hoodie-navy.jpg", "Navy pullover hoodie, side view"),
                   ("ridge-hoodie-pocket.jpg", "Close-up of the kangaroo pocket")],
    },
    {
        "handle": "ridge-zip-hoodie",
        "title": "Ridge Zip Hoodie",
        "body": (
            "<p>A proper midweight hoodie: 320 gsm brushed-back fleece in 65% cotton, 35% polyester, so it is "
            "soft inside, holds its shape and does not pill after a few washes.</p>"
            "<ul><li>Double-layer hood with flat drawcords</li>"
            "<li>Full-length metal zip</li>"
            "<li>Rib cuffs and hem with a touch of elastane</li>"
            "<li>Relaxed fit; size down for a closer fit</li></ul>"
            "<p>Machine wash cold, inside out. Tumble dry low.</p>"
        ),
        "vendor": "Fellside",
        "category": CAT_TOPS,
        "type": "Hoodies & Sweatshirts",
        "tags": "hoodies, sweatshirts, fleece, unisex",
        "options": [("Size", ["S", "M", "L", "XL", "XXL"]), ("Color", ["Charcoal", "Navy"])],
        "sku": "FS-RIDGE-ZIP",
        "price": "74.00",
        "grams": 640,
        "images": [("ridge-zip-hoodie-charcoal.jpg", "")],
    },
    {
        "handle": "womens-cropped-hoodie",
        "title": "Women's  Cropped Hoodie",
        "body": "<p>Cropped fit hoodie. Soft fleece inside. Pair with our high-rise leggings!</p>",
        "vendor": "Tidewater Basics",
        "category": CAT_TOPS,
        "type": "Hoodies & Sweatshirts",
        "tags": "womens, hoodies, cropped",
        "options": [("Size", ["XS", "S", "M", "L", "XL"]), ("Color", ["Sage", "Black"])],
        "sku": "TB-CROP-HD",
        "price": "54.00",
        "grams": 450,
        "images": [("cropped-hoodie-sage.jpg", "")],
    },
    {
        "handle": "kestrel-running-tee",
        "title": "Kestrel Running Tee",
        "body": (
            "<p>Our everyday running tee, in a light 120 gsm mesh-knit of 100% polyester that dries in minutes. "
            "Flatlock seams will not rub on long runs, and the dropped back hem stays put when you lean into a "
            "hill. Reflective logo on the chest and back.</p>"
            "<p>Machine wash cold. Do not use fabric softener, it clogs the knit.</p>"
        ),
        "vendor": "Kestrel Run",
        "category": CAT_ACTIVE,
        "type": "New",
        "tags": "running, tees, new arrivals, unisex",
        "options": [("Size", SIZES), ("Color", ["Volt", "Black"])],
        "sku": "KR-TEE",
        "price": "38.00",
        "grams": 120,
        "google_gender": "unisex",
        "google_age_group": "adult",
        "google_condition": "new",
        "images": [("kestrel-running-tee-volt.jpg", "Volt yellow running tee")],
    },
    {
        "handle": "kestrel-5-running-shorts",
        "title": "Kestrel 5\" Running Shorts",
        "body": (
            "<p>Lightweight 5&quot; shorts with a built-in brief, a zipped back pocket that holds a phone without "
            "bouncing, and split hems for a full stride.</p>"
            "<p>Shell: 88% recycled polyester, 12% elastane. Liner: 90% polyester, 10% elastane.</p>"
        ),
        "vendor": "Kestrel Run",
        "category": CAT_ACTIVE,
        "type": "Sale",
        "tags": "running, shorts, sale, mens",
        "options": [("Size", ["S", "M", "L", "XL"])],
        "sku": "KR-SHORT5",
        "price": "32.00",
        "compare_at": "45.00",
        "grams": 110,
        "images": [("kestrel-5-shorts-black.jpg", "")],
    },
    {
        "handle": "high-rise-training-leggings",
        "title": "High-Rise Training Leggings",
        "body": (
            "<p>Built for the gym floor: a dense 78% nylon, 22% elastane knit that is squat-proof, holds you in "
            "without digging, and does not go see-through when you bend. The high waistband is double-layered "
            "so it will not roll down during deadlifts or burpees.</p>"
            "<ul><li>Two side pockets deep enough for a phone</li>"
            "<li>Gusseted crotch and flatlock seams</li>"
            "<li>Full length: 27&quot; inseam on a size M</li>"
            "<li>Machine wash cold, hang to dry</li></ul>"
        ),
        "vendor": "Kestrel Run",
        "category": CAT_ACTIVE,
        "type": "Leggings",
        "tags": "leggings, womens, gym, training",
        "seo_description": "High-rise training leggings in a squat-proof 78% nylon, 22% elastane knit with two "
                           "side pockets, a double-layer waistband that stays up, flatlock seams and a 27 inch "
                           "inseam. Shop black, plum and slate in XS to XL.",
        "options": [("Size", ["XS", "S", "M", "L", "XL"]), ("Color", ["Black", "Plum", "Slate"])],
        "sku": "KR-LEG-HR",
        "price": "64.00",
        "grams": 230,
        "google_gender": "female",
        "google_age_group": "adult",
        "images": [("high-rise-leggings-plum.jpg", "Plum high-rise leggings, side pocket detail")],
    },
    {
        "handle": "studio-7-8-leggings",
        "title": "Studio 7/8 Leggings",
        "body": "Buttery soft leggings for yoga and pilates. 7/8 length.",
        "vendor": "Tidewater Basics",
        "category": CAT_ACTIVE,
        "type": "Indoor",
        "tags": "yoga, studio, leggings",
        "options": [("Size", ["XS", "S", "M", "L", "XL"]), ("Color", ["Black"])],
        "sku": "TB-STUDIO",
        "price": "48.00",
        "grams": 200,
    },
    {
        "handle": "merino-hiking-socks",
        "title": "Merino Hiking Socks",
        "body": (
            "<p>Medium-cushion crew socks for long days on the trail. The merino blend regulates temperature, "
            "so feet stay warm at the summit and do not overheat on the climb, and it resists odour for days "
            "between washes.</p>"
            "<ul><li>70% merino wool, 27% nylon, 3% elastane</li>"
            "<li>Cushioned footbed, heel and toe</li>"
            "<li>Seamless toe and arch support band</li>"
            "<li>Machine wash warm, inside out; do not tumble dry</li></ul>"
        ),
        "vendor": "Northway Outdoor",
        "category": CAT_SOCKS,
        "type": "Socks",
        "tags": "socks, merino, hiking",
        "options": [("Size", ["S (W 5-7)", "M (M 6-8.5 / W 7.5-10)", "L (M 9-11.5)", "XL (M 12-14)"]),
                    ("Color", ["Charcoal", "Rust"])],
        "sku": "NW-SOCK-MER",
        "price": "24.00",
        "grams": 80,
        "stock": 40,
    },
    {
        "handle": "ankle-sports-socks-3-pack",
        "title": "Ankle Sports Socks 3-Pack",
        "body": "<p>Cotton rich ankle socks. 3 pairs per pack. 80% cotton 18% polyamide 2% elastane</p>",
        "vendor": "Kestrel Run",
        "category": CAT_SOCKS,
        "type": "Socks",
        "tags": "socks",
        "options": [("Size", ["M", "L"]), ("Color", ["White", "Black"])],
        "sku": "KR-SOCK-3PK",
        "price": "16.00",
        "grams": 90,
        "stock": 50,
    },
    {
        "handle": "wrap-midi-dress",
        "title": "Wrap Midi Dress",
        "body": (
            "<p>A true wrap dress that ties at the waist, so it adjusts to you rather than the other way round. "
            "Flutter sleeves, a V-neck that stays where you put it (there is a hidden snap) and a midi-length "
            "skirt that moves when you walk.</p>"
            "<p>100% viscose crepe, lightweight and fluid. Unlined.</p>"
            "<p>Hand wash cold or machine wash on a delicate cycle. Cool iron on the reverse.</p>"
        ),
        "vendor": "Marlow & Finch",
        "category": CAT_DRESS,
        "type": "Dresses",
        "tags": "dresses, womens, summer, wrap dress, midi",
        "seo_title": "Wrap Midi Dress in Viscose Crepe",
        "options": [("Size", ["XS", "S", "M", "L", "XL"]), ("Print", ["Ditsy Floral", "Ink Spot"])],
        "sku": "MF-WRAP-MIDI",
        "price": "118.00",
        "grams": 280,
        "google_gender": "female",
        "google_age_group": "adult",
        "color_pattern": "multicolor; navy",
        "images": [("wrap-midi-dress-floral.jpg", "Woman in a floral wrap midi dress")],
    },
    {
        "handle": "jersey-t-shirt-dress",
        "title": "Jersey T-Shirt Dress",
        "body": (
            "<ul><li>Soft 95% cotton, 5% elastane jersey</li>"
            "<li>Relaxed T-shirt shape with side pockets</li>"
            "<li>Knee length: 38&quot; from shoulder on a size S</li>"
            "<li>Wear it with sneakers now, boots and tights later</li>"
            "<li>Machine wash cold, lay flat to dry</li></ul>"
        ),
        "vendor": "Tidewater Basics",
        "category": CAT_DRESS,
        "type": "Womens",
        "tags": "dresses, womens, jersey",
        "options": [("Size", ["XS", "S", "M", "L", "XL"]), ("Color", ["Black", "Navy Stripe"])],
        "sku": "TB-TEE-DRS",
        "price": "52.00",
        "grams": 260,
        "images": [("jersey-dress-navy-stripe.jpg", "")],
    },
    {
        "handle": "storm-shell-jacket",
        "title": "Storm Shell Jacket",
        "body": (
            "<p>The Storm Shell is a three-season waterproof for hillwalking and everyday rain. Its 2.5-layer "
            "nylon ripstop has a PU membrane rated to 10,000 mm hydrostatic head and 8,000 g/m&sup2;/24h "
            "breathability, and every seam is fully taped.</p>"
            "<ul><li>Face fabric: 100% nylon ripstop with a PFC-free DWR finish</li>"
            "<li>Adjustable, helmet-compatible hood with a wired peak</li>"
            "<li>Pit zips for venting on the climb</li>"
            "<li>Two hand pockets positioned above a hipbelt</li>"
            "<li>Packs into its own chest pocket; 340 g in a size M</li></ul>"
            "<p><strong>Care:</strong> machine wash cold with a technical cleaner, no fabric softener. Tumble dry "
            "low for 20 minutes to reactivate the water-repellent finish.</p>"
        ),
        "vendor": "Northway Outdoor",
        "category": CAT_OUTER,
        "type": "Jackets",
        "tags": "jackets, waterproof, rain jacket, hiking, mens",
        "seo_title": "Storm Shell Waterproof Jacket | Northway Outdoor",
        "seo_description": "Fully taped 2.5-layer waterproof jacket, 10,000 mm rated, with a helmet-compatible "
                           "hood and pit zips. Packs into its own pocket.",
        "options": [("Size", ["S", "M", "L", "XL", "XXL"]), ("Color", ["Black", "Ember"])],
        "sku": "NW-STORM",
        "price": "189.00",
        "cost": "74.00",
        "grams": 340,
        "google_gender": "male",
        "google_age_group": "adult",
        "color_pattern": "black; orange",
        "images": [("storm-shell-ember.jpg", "Storm Shell jacket in ember orange, hood up"),
                   ("storm-shell-black.jpg", "Storm Shell jacket in black"),
                   ("storm-shell-pitzip.jpg", "Pit zip detail"),
                   ("storm-shell-packed.jpg", "Jacket packed into its chest pocket")],
    },
    {
        "handle": "packable-down-jacket",
        "title": "Packable Down Jacket",
        "body": (
            "<p>Light enough to live in your pack, warm enough for a winter city break. 650 fill power down in "
            "stitch-through baffles, under a windproof 20-denier shell.</p>"
            "<p>Shell: 100% polyester. Fill: 90% duck down, 10% feathers (RDS certified). Lining: 100% "
            "polyester.</p>"
            "<p>Packs into its left hand pocket. Machine wash cold on a gentle cycle; tumble dry low with clean "
            "tennis balls to restore the loft.</p>"
        ),
        "vendor": "Northway Outdoor",
        "category": CAT_OUTER,
        "type": "Jackets",
        "tags": "jackets, down, insulated, winter, sale",
        "seo_title": "Packable Down Jacket - 650 Fill Power Duck Down Puffer Jacket for Men and Women",
        "options": [("Size", ["S", "M", "L", "XL"]), ("Color", ["Black", "Olive"])],
        "sku": "NW-DOWN-PK",
        "price": "129.00",
        "compare_at": "159.00",
        "grams": 380,
        "images": [("packable-down-olive.jpg", "")],
    },
    {
        "handle": "brown-suede-belt",
        "title": "Brown Suede Belt",
        "body": (
            "<p>A casual belt in soft brown cow suede, 35 mm wide, with a solid brass roller buckle in an antique "
            "finish. Five holes, 1 inch apart. Order your usual trouser waist size: a 34 fits a 34 inch waist "
            "on the middle hole.</p>"
            "<p>Suede marks easily; brush it with a suede brush and keep it away from rain.</p>"
        ),
        "vendor": "Marlow & Finch",
        "category": "Apparel & Accessories > Clothing Accessories > Belts",
        "type": "Accessories",
        "tags": "belts, suede, mens, accessories",
        "options": [("Waist", ["30", "32", "34", "36", "38"])],
        "sku": "MF-BELT-SUE",
        "price": "58.00",
        "grams": 150,
        "images": [("brown-suede-belt.jpg", "Brown suede belt with brass buckle")],
    },
    {
        "handle": "fellside-logo-cap",
        "title": "Fellside Logo Cap",
        "body": (
            "<p>Six-panel cap in washed 100% cotton twill with an embroidered Fellside logo, a pre-curved peak "
            "and an adjustable strap with a brass clasp. One size.</p>"
        ),
        "vendor": "Fellside",
        "category": CAT_HATS,
        "type": "Hats",
        "tags": "hats, caps, accessories",
        "sku": "FS-CAP-LOGO",
        "price": "28.00",
        "grams": 85,
        "inventory": 64,
        "images": [("fellside-logo-cap.jpg", ""), ("fellside-logo-cap-side.jpg", "Logo cap, side view"),
                   ("fellside-logo-cap-strap.jpg", "Adjustable strap with brass clasp")],
    },
    {
        "handle": "beanie",
        "title": "Beanie",
        "body": "Warm beanie.",
        "vendor": "Northway Outdoor",
        "category": CAT_HATS,
        "type": "Hats",
        "tags": "hats, winter",
        "options": [("Color", ["Charcoal", "Rust", "Cream"])],
        "sku": "NW-BEANIE",
        "price": "22.00",
        "grams": 70,
    },
    {
        "handle": "trail-tech-quarter-zip",
        "title": "Trail Tech&trade; Quarter-Zip",
        "body": (
            "<p>Made from our Trail Tech&trade; grid fleece: 92% polyester, 8% elastane, with a gridded inner "
            "face that traps warm air in the squares and lets moisture escape through the channels. Ideal as a "
            "running layer on cold mornings.</p>"
            "<p>Quarter-length zip with a zip garage, thumb loops, and a zipped pocket on the left sleeve.</p>"
        ),
        "vendor": "Kestrel Run",
        "category": CAT_ACTIVE,
        "type": "Base Layers",
        "tags": "running, base layers, quarter zip, winter",
        "options": [("Size", ["S", "M", "L", "XL", "XXL"]), ("Color", ["Black", "Cobalt"])],
        "sku": "KR-TT-QZ",
        "price": "72.00",
        "grams": 260,
        "images": [("trail-tech-quarter-zip-cobalt.jpg", "")],
    },
    {
        "handle": "shorts-tee-bundle",
        "title": "Shorts &amp; Tee Bundle",
        "body": "<p>Any Kestrel 5&quot; shorts + a Kestrel running tee. Save $15!!</p>",
        "vendor": "Kestrel Run",
        "category": CAT_ACTIVE,
        "type": "Sale",
        "tags": "bundle, sale, running",
        "options": [("Size", ["S", "M", "L", "XL"])],
        "sku": "KR-BUNDLE",
        "price": "55.00",
        "compare_at": "70.00",
        "grams": 230,
    },
    {
        "handle": "relaxed-joggers",
        "title": "RELAXED JOGGERS",
        "body": (
            "<meta charset=\"utf-8\"><p><span data-mce-fragment=\"1\">Our softest joggers yet.&nbsp;</span>"
            "<span data-mce-fragment=\"1\">Tapered leg, elastic cuffs, deep pockets.</span></p>"
            "<p><span data-mce-fragment=\"1\"><strong>Fabric:</strong> 80% cotton, 20% polyester "
            "brushed-back fleece, 300gsm.</span></p><p>&nbsp;</p>"
            "<p><span data-mce-fragment=\"1\">Machine wash cold.&nbsp;&nbsp;Tumble dry low.</span></p>"
        ),
        "vendor": "Tidewater Basics",
        "category": "Apparel & Accessories > Clothing > Pants",
        "type": "New",
        "tags": "joggers, sweatpants, new arrivals, loungewear",
        "options": [("Size", SIZES), ("Color", ["Heather Grey", "Black"])],
        "sku": "TB-JOG",
        "price": "58.00",
        "grams": 480,
        "images": [("relaxed-joggers-grey.jpg", "")],
    },
    {
        "handle": "organic-cotton-polo-shirt",
        "title": "Organic Cotton Polo Shirt",
        "body": (
            "<p>A clean, classic polo in GOTS-certified 100% organic cotton pique. The knit is breathable and "
            "has enough body to keep the collar crisp all day, and the two-button placket and side vents give "
            "it an easy, grown-up finish.</p>"
            "<ul><li>220 gsm organic cotton pique</li>"
            "<li>Knitted collar and cuffs</li>"
            "<li>Slightly longer back hem</li>"
            "<li>Tailored fit: if you are between sizes, size up</li>"
            "<li>Machine wash at 30&deg;C, reshape and dry flat</li></ul>"
        ),
        "vendor": "Marlow & Finch",
        "category": CAT_TOPS,
        "type": "Polos",
        "tags": "polo shirts, organic cotton, mens, summer",
        "seo_title": "Organic Cotton Polo Shirt | Marlow & Finch",
        "seo_description": "Classic polo in GOTS-certified organic cotton pique with a knitted collar and "
                           "two-button placket. White, navy or sage, S to XXL.",
        "options": [("Size", ["S", "M", "L", "XL", "XXL"]), ("Color", ["White", "Navy", "Sage"])],
        "sku": "MF-POLO-ORG",
        "price": "75.00",
        "grams": 240,
        "color_pattern": "white; navy; green",
        "images": [("organic-polo-navy.jpg", "Navy organic cotton polo shirt"),
                   ("organic-polo-collar.jpg", "Knitted collar detail")],
    },
    {
        "handle": "kids-rain-jacket",
        "title": "Kids' Rain Jacket",
        "body": (
            "<p>A waterproof jacket for puddle season. 100% polyester with a PU coating rated to 5,000 mm, taped "
            "seams, and a fleece-lined collar. Reflective trims on the sleeves and back, a hood with a soft "
            "peak, and press-stud storm flap over the zip. There is a name label inside the neck.</p>"
            "<p>Machine wash cold. Do not tumble dry.</p>"
        ),
        "vendor": "Northway Outdoor",
        "category": CAT_OUTER,
        "type": "Kids",
        "tags": "kids, jackets, waterproof, school",
        "options": [("Age", ["3-4Y", "5-6Y", "7-8Y", "9-10Y", "11-12Y"]), ("Color", ["Yellow", "Navy"])],
        "sku": "NW-KID-RAIN",
        "price": "48.00",
        "grams": 260,
        "google_gender": "unisex",
        "google_age_group": "kids",
        "images": [("kids-rain-jacket-yellow.jpg", "Child in a yellow rain jacket")],
    },
    {
        "handle": "merino-200-base-layer-top",
        "title": "Merino 200 Base Layer Top",
        "body": (
            "<p>Long-sleeve crew in 100% merino wool, 200 gsm: the weight that suits most cold-weather days, "
            "from ski touring to winter dog walks. Merino stays warm when damp and does not hold on to odour, "
            "so it can go several wears between washes.</p>"
            "<p>Offset shoulder seams sit clear of pack straps. Slim fit. Machine wash cold on a wool cycle, "
            "dry flat.</p>"
        ),
        "vendor": "Northway Outdoor",
        "category": CAT_ACTIVE,
        "type": "Base Layers",
        "tags": "merino, base layers, winter, ski",
        "options": [("Size", SIZES)],
        "sku": "NW-MER200-TOP",
        "price": "95.00",
        "grams": 210,
    },
    {
        "handle": "kestrel-sports-bra",
        "title": "Kestrel Sports Bra",
        "body": KESTREL_STOCK_COPY,
        "vendor": "Kestrel Run",
        "category": CAT_ACTIVE,
        "type": "Activewear",
        "tags": "sports bras, womens, running",
        "options": [("Size", ["XS", "S", "M", "L", "XL"]), ("Color", ["Black", "Plum"])],
        "sku": "KR-BRA",
        "price": "44.00",
        "grams": 110,
    },
    {
        "handle": "kestrel-running-cap",
        "title": "Kestrel Running Cap",
        "body": KESTREL_STOCK_COPY,
        "vendor": "Kestrel Run",
        "category": CAT_HATS,
        "type": "Hats",
        "tags": "running, hats",
        "sku": "KR-CAP",
        "price": "26.00",
        "grams": 60,
        "inventory": 18,
    },
    {
        "handle": "kestrel-running-gloves",
        "title": "Kestrel Running Gloves",
        "body": KESTREL_STOCK_COPY,
        "vendor": "Kestrel Run",
        "category": "Apparel & Accessories > Clothing Accessories > Gloves & Mittens",
        "type": "Accessories",
        "tags": "running, gloves, winter",
        "options": [("Size", ["S/M", "L/XL"])],
        "sku": "KR-GLOVE",
        "price": "22.00",
        "grams": 45,
    },
    {
        "handle": "windproof-gilet",
        "title": "Windproof Gilet",
        "body": (
            "<div><p style=\"text-align: left;\"><span style=\"font-weight: 400;\">Keeps your core warm without "
            "the sleeves.</span></p><br><br>"
            "<ul><li><span style=\"font-weight: 400;\">Windproof 100% nylon shell</span></li>"
            "<li><span style=\"font-weight: 400;\">Lightly brushed lining</span></li>"
            "<li><span style=\"font-weight: 400;\">2 zip pockets</span></li><li></li></ul></div>"
        ),
        "vendor": "Fellside",
        "category": CAT_OUTER,
        "type": "",
        "tags": "gilets, vests",
        "options": [("Size", ["S", "M", "L", "XL", "XXL"]), ("Color", ["Navy"])],
        "sku": "FS-GILET",
        "price": "65.00",
        "grams": 240,
    },
    {
        "handle": "oversized-hoodie-sage",
        "title": "Oversized Hoodie - Sage",
        "body": OVERSIZED_HOODIE_COPY,
        "vendor": "Tidewater Basics",
        "category": CAT_TOPS,
        "type": "Hoodies & Sweatshirts",
        "tags": "hoodies, oversized, organic cotton, sage",
        "options": [("Size", ["XS", "S", "M", "L", "XL"])],
        "sku": "TB-OVR-HD-SGE",
        "price": "72.00",
        "grams": 700,
        "images": [("oversized-hoodie-sage.jpg", "")],
    },
    {
        "handle": "oversized-hoodie-sand",
        "title": "Oversized Hoodie - Sand",
        "body": OVERSIZED_HOODIE_COPY,
        "vendor": "Tidewater Basics",
        "category": CAT_TOPS,
        "type": "Hoodies & Sweatshirts",
        "tags": "hoodies, oversized, organic cotton, sand",
        "options": [("Size", ["XS", "S", "M", "L", "XL"])],
        "sku": "TB-OVR-HD-SND",
        "price": "72.00",
        "grams": 700,
        "sold_out": [("XS",), ("S",)],
        "images": [("oversized-hoodie-sand.jpg", "")],
    },
    {
        "handle": "summer-linen-shorts",
        "title": "Summer Linen Shorts",
        "body": (
            "<p>Drawstring shorts in a linen-cotton blend (55% linen, 45% cotton) with a 7&quot; inseam and "
            "two slant pockets. Machine wash cold.</p>"
        ),
        "vendor": "Marlow & Finch",
        "category": "Apparel & Accessories > Clothing > Shorts",
        "type": "Sale",
        "tags": "shorts, linen, summer, sale",
        "published": False,
        "status": "archived",
        "options": [("Size", ["S", "M", "L", "XL"]), ("Color", ["Stone"])],
        "sku": "MF-LIN-SHORT",
        "price": "39.00",
        "compare_at": "65.00",
        "grams": 200,
        "stock": 0,
    },
]
