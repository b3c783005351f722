"""Hand-written jewellery catalogue (invented UK store "Halcyon & Wren", prices in GBP, British spelling).

Every title, description, tag and SEO field below was written by hand for evaluation; nothing here comes from
catalog_samples/generate_sample.py or from any vendor's sample data. build.py lays it out as Shopify CSVs;
only the variant grids (ring sizes, lengths, letters, months, finishes) and their SKUs and stock levels are
expanded by the script.

Points that trip up a copywriter (human or model) are deliberate: materials belong to parts ("freshwater
pearls ... sterling silver clasp" is not a silver bracelet; "silver-tone" is not sterling silver; vermeil is
gold over silver), measurements come in two units (45 cm / 18 in), ring sizes are UK letters, and several
product types are store sections rather than product nouns ("Gifts", "Under £50", "Mens").
"""

STORE = {
    "name": "Halcyon & Wren",
    "weight_unit": "g",
    "image_base": "https://cdn.shopify.com/s/files/1/0000/0000/0002/files/",
    "codes": {"40 cm / 16 in": "40", "45 cm / 18 in": "45", "50 cm / 20 in": "50", "60 cm / 24 in": "60",
              "16 cm": "16", "18 cm": "18", "20 cm": "20", "17 cm": "17", "18.5 cm": "185", "19 cm": "19",
              "21 cm": "21", "Gold": "GLD", "Silver": "SLV", "Gold Vermeil": "GV", "Sterling Silver": "SS",
              "Small (60 mm)": "S", "Medium (63 mm)": "M", "Large (66 mm)": "L"},
}

RING_SIZES = ["J", "K", "L", "M", "N", "O", "P", "Q", "R", "S"]
MONTHS = ["January - Garnet", "February - Amethyst", "March - Aquamarine", "April - Crystal",
          "May - Emerald", "June - Moonstone", "July - Ruby", "August - Peridot", "September - Sapphire",
          "October - Opal", "November - Citrine", "December - Blue Topaz"]

CAT = "Apparel & Accessories > Jewelry"

MORROW_STOCK_COPY = (
    "<p>All Morrow Studio pieces are designed in our London studio and handcrafted using ethically sourced "
    "materials. Each piece arrives in a signature gift box, ready to give (or to keep).</p>"
    "<p>Please note: plated jewellery should be kept away from water, perfume and lotions to preserve its "
    "finish. Store in the pouch provided when not being worn.</p>"
)

PRODUCTS = [
    {
        "handle": "freshwater-pearl-bracelet",
        "title": "Freshwater Pearl Bracelet",
        "body": (
            "<p>A single strand of 6-7 mm white freshwater pearls, hand-knotted on silk thread so that each "
            "pearl sits slightly apart and the strand will not scatter if it is ever snagged. It fastens with "
            "a sterling silver lobster clasp.</p>"
            "<p>Freshwater pearls are natural, so every bracelet has small differences in shape and lustre.</p>"
            "<p><strong>Length:</strong> 18 cm is our standard; choose 16 cm for a slim wrist or 20 cm for a "
            "looser fit.</p>"
            "<p><strong>Care:</strong> put pearls on last, after perfume and hairspray. Wipe with a soft, damp "
            "cloth after wearing and store flat.</p>"
        ),
        "vendor": "Wren & Ivy",
        "category": CAT + " > Bracelets",
        "type": "Bracelets",
        "tags": "pearl, bracelets, bridal, sterling silver, june birthstone",
        "options": [("Length", ["16 cm", "18 cm", "20 cm"])],
        "sku": "WI-PRL-BR",
        "price": "68.00",
        "grams": 14,
        "images": [("freshwater-pearl-bracelet.jpg", "Freshwater pearl bracelet with a silver clasp")],
    },
    {
        "handle": "hammered-sterling-silver-bangle",
        "title": "Hammered Sterling Silver Bangle",
        "body": (
            "<p>A solid 925 sterling silver bangle, 4 mm wide, hand-hammered so the surface catches the light "
            "from every angle. It is made in our Birmingham workshop and hallmarked by the Birmingham Assay "
            "Office.</p>"
            "<ul><li>Small: 60 mm inner diameter, for most wrists under 16 cm</li>"
            "<li>Medium: 63 mm inner diameter, wrists 16-17.5 cm</li>"
            "<li>Large: 66 mm inner diameter, wrists 17.5-19 cm</li></ul>"
            "<p>Silver tarnishes naturally. Polish with a silver cloth and store in the anti-tarnish pouch it "
            "comes in.</p>"
        ),
        "vendor": "Halcyon Silver",
        "category": CAT + " > Bracelets",
        "type": "Bangles",
        "tags": "bangles, sterling silver, hallmarked, handmade",
        "seo_title": "Hammered Sterling Silver Bangle | Halcyon Silver",
        "seo_description": "Solid 925 silver bangle, 4 mm wide, hand-hammered and hallmarked in Birmingham. "
                           "Three sizes from 60 to 66 mm inner diameter.",
        "options": [("Size", ["Small (60 mm)", "Medium (63 mm)", "Large (66 mm)"])],
        "sku": "HS-BNG-HAM",
        "price": "85.00",
        "grams": 22,
        "images": [("hammered-bangle.jpg", "Hammered silver bangle on linen")],
    },
    {
        "handle": "twist-cuff-bracelet",
        "title": "Twist Cuff Bracelet",
        "body": (
            "<p>An open cuff with a single twist at the front, in gold-plated brass. Nickel-free. Gently "
            "adjustable: squeeze or open it slightly at the back, not the front. Inner width 6 cm.</p>"
            "<p>Plated brass will dull if it gets wet; take it off to wash your hands or swim.</p>"
        ),
        "vendor": "Morrow Studio",
        "category": CAT + " > Bracelets",
        "type": "Bracelets",
        "tags": "cuffs, gold, bracelets, under 50",
        "options": [("Finish", ["Gold", "Silver"])],
        "sku": "MS-CUF-TWS",
        "price": "38.00",
        "grams": 18,
    },
    {
        "handle": "sterling-silver-rope-chain",
        "title": "Sterling Silver Rope Chain",
        "body": (
            "<p>A 2.5 mm rope chain in solid sterling silver, with a bolt ring clasp and a hallmarked tag. "
            "Strong enough to wear every day on its own or to carry a pendant.</p>"
            "<p>Lengths: 40 cm (16 in) sits at the base of the neck; 45 cm (18 in) on the collarbone; "
            "50 cm (20 in) just below it; 60 cm (24 in) over a jumper.</p>"
        ),
        "vendor": "Halcyon Silver",
        "category": CAT + " > Necklaces",
        "type": "Necklaces",
        "tags": "chains, sterling silver, necklaces, mens, womens",
        "options": [("Length", ["40 cm / 16 in", "45 cm / 18 in", "50 cm / 20 in", "60 cm / 24 in"])],
        "sku": "HS-CHN-ROPE",
        "price": "59.00",
        "price_by": {"50 cm / 20 in": "65.00", "60 cm / 24 in": "75.00"},
        "grams": 9,
        "images": [("rope-chain.jpg", "")],
    },
    {
        "handle": "initial-disc-necklace",
        "title": "Initial Disc Necklace",
        "body": (
            "<p>A 12 mm disc stamped by hand with the letter of your choice, in 18ct gold vermeil: a thick "
            "layer of 18ct gold over sterling silver. It hangs on a fine 45 cm (18 in) trace chain with an "
            "extra jump ring at 40 cm, so you can wear it shorter.</p>"
            "<p>Because each letter is stamped by hand, its position on the disc varies a little.</p>"
        ),
        "vendor": "Wren & Ivy",
        "category": CAT + " > Necklaces",
        "type": "Gifts",
        "tags": "personalised, initial, necklaces, gold vermeil, gifts for her",
        "options": [("Letter", [chr(c) for c in range(ord("A"), ord("Z") + 1)])],
        "sku": "WI-INIT-DSC",
        "price": "55.00",
        "grams": 4,
        "stock": 6,
        "images": [("initial-disc-necklace.jpg", "Gold initial disc necklace, letter A")],
    },
    {
        "handle": "birthstone-stud-earrings",
        "title": "Birthstone Stud Earrings",
        "body": (
            "<p>Tiny 4 mm round stones in a four-claw setting, on sterling silver posts with butterfly backs. "
            "The stones are lab-created, so the colour is even and bright.</p>"
            "<p>Choose the month to see its stone. Supplied in a card gift box.</p>"
        ),
        "vendor": "Wren & Ivy",
        "category": CAT + " > Earrings",
        "type": "Earrings",
        "tags": "birthstones, studs, earrings, gifts",
        "options": [("Month", MONTHS)],
        "sku": "WI-BS-STUD",
        "price": "32.00",
        "grams": 1,
    },
    {
        "handle": "mini-huggie-hoop-earrings",
        "title": "Mini Huggie Hoop Earrings",
        "body": (
            "<p>Small, chunky hoops that hug the lobe: 12 mm outside diameter, 2.5 mm thick, with a hinged "
            "click fastening. Sterling silver, or sterling silver plated in 18ct gold.</p>"
            "<p>Sold as a pair.</p>"
        ),
        "vendor": "Morrow Studio",
        "category": CAT + " > Earrings",
        "type": "Earrings",
        "tags": "hoops, huggies, earrings, bestseller",
        "seo_title": "Mini Huggie Hoops",
        "options": [("Finish", ["Gold", "Silver"])],
        "sku": "MS-HUG-12",
        "price": "45.00",
        "grams": 3,
        "stock": 25,
        "images": [("mini-huggie-gold.jpg", "Gold huggie hoops"), ("mini-huggie-silver.jpg", "Silver huggie hoops")],
    },
    {
        "handle": "pearl-drop-earrings",
        "title": "Pearl Drop Earrings",
        "body": (
            "<p>An 8 mm button freshwater pearl hangs from a simple 14k gold-filled hook. Total drop 25 mm. "
            "Light enough to forget you are wearing them.</p>"
        ),
        "vendor": "Wren & Ivy",
        "category": CAT + " > Earrings",
        "type": "Earrings",
        "tags": "pearl, earrings, bridal",
        "sku": "WI-PRL-DRP",
        "price": "42.00",
        "grams": 3,
        "inventory": 14,
    },
    {
        "handle": "sterling-silver-stacking-ring",
        "title": "Sterling Silver Stacking Ring",
        "body": (
            "<p>A slim 1.5 mm band in solid sterling silver with a softly rounded profile. Wear one alone or "
            "stack three or four together. UK sizes J to S; if you are between sizes, choose the larger.</p>"
        ),
        "vendor": "Halcyon Silver",
        "category": CAT + " > Rings",
        "type": "Rings",
        "tags": "rings, stacking rings, sterling silver, under 50",
        "options": [("Ring Size", RING_SIZES)],
        "sku": "HS-RNG-STK",
        "price": "24.00",
        "grams": 2,
        "sold_out": [("J",), ("S",)],
    },
    {
        "handle": "stacking-ring-set-of-3",
        "title": "Stacking Ring Set of 3",
        "body": (
            "<p>Three slim sterling silver rings, one plain, one hammered and one twisted, sized to sit "
            "together. Each band is 1.5 mm wide.</p>"
        ),
        "vendor": "Halcyon Silver",
        "category": CAT + " > Rings",
        "type": "Gifts",
        "tags": "rings, stacking rings, sets, gifts",
        "options": [("Ring Size", ["J", "K", "L", "M", "N", "O", "P", "Q"])],
        "sku": "HS-RNG-SET3",
        "price": "62.00",
        "grams": 6,
    },
    {
        "handle": "oval-signet-ring",
        "title": "Oval Signet Ring",
        "body": (
            "<p>A classic signet in solid sterling silver with a 12 x 10 mm oval face, polished to a mirror "
            "finish and left blank. The shank tapers from 6 mm at the face to 3 mm at the back, so it is "
            "comfortable on the little finger or the ring finger.</p>"
            "<p>Hallmarked in Birmingham. Supplied in a wooden box. UK sizes L to U.</p>"
        ),
        "vendor": "Halcyon Silver",
        "category": CAT + " > Rings",
        "type": "Mens",
        "tags": "signet rings, mens, rings, sterling silver, hallmarked",
        "options": [("Ring Size", ["L", "M", "N", "O", "P", "Q", "R", "S", "T", "U"])],
        "sku": "HS-SIG-OVL",
        "price": "110.00",
        "grams": 9,
        "images": [("oval-signet-ring.jpg", "Silver oval signet ring")],
    },
    {
        "handle": "moonstone-ring",
        "title": "Moonstone Ring",
        "body": (
            "<p>A 6 mm rainbow moonstone cabochon, with its blue flash, in a bezel setting on a 2 mm band. The "
            "ring is 18ct gold vermeil, which means 18ct gold over a sterling silver base.</p>"
            "<p>Moonstone is a soft stone (6 on the Mohs scale); take the ring off for gardening and the gym.</p>"
        ),
        "vendor": "Morrow Studio",
        "category": CAT + " > Rings",
        "type": "Rings",
        "tags": "moonstone, rings, gold vermeil, june birthstone",
        "seo_title": "Rainbow Moonstone Ring in 18ct Gold Vermeil",
        "seo_description": "A 6 mm rainbow moonstone in a bezel setting on a slim 18ct gold vermeil band. "
                           "UK sizes J to P.",
        "options": [("Ring Size", ["J", "K", "L", "M", "N", "O", "P"])],
        "sku": "MS-RNG-MOON",
        "price": "79.00",
        "grams": 3,
        "images": [("moonstone-ring.jpg", "Moonstone ring in gold vermeil")],
    },
    {
        "handle": "brown-leather-wrap-bracelet",
        "title": "Brown Leather Wrap Bracelet",
        "body": (
            "<p>Two turns of 4 mm round brown leather that close with a brushed stainless steel magnetic clasp. "
            "Measure your wrist snugly and choose the next size up.</p>"
        ),
        "vendor": "Atelier Sel",
        "category": CAT + " > Bracelets",
        "type": "Mens",
        "tags": "leather, bracelets, mens",
        "options": [("Length", ["19 cm", "21 cm"])],
        "sku": "AS-LTH-WRP",
        "price": "29.00",
        "grams": 12,
    },
    {
        "handle": "amethyst-bead-bracelet",
        "title": "Amethyst Bead Bracelet",
        "body": "<p>Beautiful amethyst beads on stretch cord. The perfect gift!! \U0001f49c</p>",
        "vendor": "Wren & Ivy",
        "category": CAT + " > Bracelets",
        "type": "Gifts",
        "tags": "amethyst, crystals, gifts, february birthstone",
        "sku": "WI-AME-BEAD",
        "price": "18.00",
        "grams": 15,
        "inventory": 40,
    },
    {
        "handle": "silver-charm-bracelet",
        "title": "Silver Charm Bracelet",
        "body": (
            "<p>A link bracelet in silver-tone plated brass, ready for charms, with five to start you off: a "
            "heart, a star, a moon, a key and a four-leaf clover. The links are 5 mm, and the bracelet "
            "measures 19 cm with a toggle clasp.</p>"
            "<p>This is fashion jewellery: it is not sterling silver. Keep it dry and store it in the pouch.</p>"
        ),
        "vendor": "Morrow Studio",
        "category": CAT + " > Bracelets",
        "type": "Under £50",
        "tags": "charm bracelets, bracelets, kids, gifts",
        "sku": "MS-CHRM-BR",
        "price": "26.00",
        "grams": 20,
        "inventory": 9,
    },
    {
        "handle": "tennis-bracelet",
        "title": "Tennis Bracelet",
        "body": (
            "<p>A line of 3 mm cubic zirconia in four-claw settings, on rhodium-plated brass, with a box clasp "
            "and a safety catch. It has real sparkle for a fraction of the price of diamonds.</p>"
        ),
        "vendor": "Morrow Studio",
        "category": CAT + " > Bracelets",
        "type": "Bracelets",
        "tags": "tennis bracelets, cubic zirconia, bridal, evening",
        "options": [("Length", ["17 cm", "18.5 cm"])],
        "sku": "MS-TEN-BR",
        "price": "49.00",
        "grams": 11,
    },
    {
        "handle": "paperclip-chain-bracelet",
        "title": "Paperclip Chain Bracelet",
        "body": (
            "<p>Elongated paperclip links in 316L stainless steel with an 18k gold PVD coating, so it is "
            "waterproof and will not tarnish: shower, swim and sleep in it. 16 cm with a 3 cm extender chain.</p>"
        ),
        "vendor": "Atelier Sel",
        "category": CAT + " > Bracelets",
        "type": "Under £50",
        "tags": "waterproof, gold, bracelets, chains",
        "sku": "AS-PPC-BR",
        "price": "34.00",
        "grams": 6,
        "inventory": 31,
    },
    {
        "handle": "oval-locket-necklace",
        "title": "Oval Locket Necklace",
        "body": (
            "<p>A sterling silver oval locket, 20 x 15 mm, that opens to hold two small photos. The front is "
            "engraved with a fine floral border; the back is plain. It hangs on a 45 cm (18 in) sterling silver "
            "trace chain with a spring ring clasp.</p>"
            "<p>We can print and trim your photos to fit: add a note at checkout and email them to us.</p>"
            "<p>Silver tarnishes naturally over time; polish with a silver cloth.</p>"
        ),
        "vendor": "Halcyon Silver",
        "category": CAT + " > Necklaces",
        "type": "Necklaces",
        "tags": "lockets, necklaces, sterling silver, gifts for her, mothers day",
        "seo_title": "Sterling Silver Oval Locket Necklace",
        "seo_description": "Engraved sterling silver oval locket that holds two photos, on an 18 inch "
                           "(45 cm) silver chain. Photo printing on request.",
        "sku": "HS-LCK-OVL",
        "price": "95.00",
        "grams": 8,
        "inventory": 12,
        "images": [("oval-locket.jpg", "Engraved silver oval locket"), ("oval-locket-open.jpg", "Locket open")],
    },
    {
        "handle": "layered-necklace-set",
        "title": "Layered Necklace Set",
        "body": (
            "<p>Two fine chains in gold-plated brass, 40 cm and 45 cm, joined at a single clasp so they never "
            "tangle. The shorter one carries a small crescent moon.</p>"
        ),
        "vendor": "Atelier Sel",
        "category": CAT + " > Necklaces",
        "type": "Gifts",
        "tags": "layering, necklaces, gold, gifts",
        "sku": "AS-LYR-SET",
        "price": "36.00",
        "grams": 5,
        "inventory": 22,
    },
    {
        "handle": "gift-for-her-necklace",
        "title": "Gift for Her Necklace",
        "body": "",
        "vendor": "Wren & Ivy",
        "category": CAT + " > Necklaces",
        "type": "Gifts",
        "tags": "gifts for her, necklaces",
        "sku": "WI-GIFT-NK",
        "price": "40.00",
        "grams": 5,
        "inventory": 3,
    },
    {
        "handle": "silver-polishing-cloth",
        "title": "Silver Polishing Cloth",
        "body": (
            "<p>A two-layer cloth for sterling silver: the inner layer is impregnated with a gentle polish that "
            "lifts tarnish, the outer one buffs to a shine. 20 x 15 cm. Do not wash it, it will keep working "
            "even when it turns black.</p>"
            "<p>Not for plated, vermeil or pearl jewellery: the polish can wear through plating and dull "
            "pearls.</p>"
        ),
        "vendor": "Halcyon Silver",
        "category": "",
        "type": "Accessories",
        "tags": "jewellery care, accessories",
        "sku": "HS-CARE-CLTH",
        "price": "8.00",
        "grams": 20,
        "inventory": 120,
    },
    {
        "handle": "travel-jewellery-case",
        "title": "Travel Jewellery Case",
        "body": (
            "<p>A small zipped case in vegan leather, lined in velvet, with a ring roll, ten earring holes, two "
            "necklace hooks and a mirror in the lid. 10 x 10 x 5 cm, so it fits in a handbag.</p>"
        ),
        "vendor": "Atelier Sel",
        "category": "",
        "type": "Gifts",
        "tags": "travel, jewellery box, gifts",
        "options": [("Color", ["Blush", "Sage", "Navy"])],
        "sku": "AS-CASE-TRV",
        "price": "28.00",
        "grams": 180,
    },
    {
        "handle": "star-ear-climbers",
        "title": "Star Ear Climbers",
        "body": MORROW_STOCK_COPY,
        "vendor": "Morrow Studio",
        "category": CAT + " > Earrings",
        "type": "Earrings",
        "tags": "ear climbers, earrings, stars",
        "options": [("Finish", ["Gold", "Silver"])],
        "sku": "MS-EAR-STAR",
        "price": "39.00",
        "grams": 2,
    },
    {
        "handle": "snake-chain-necklace",
        "title": "Snake Chain Necklace",
        "body": MORROW_STOCK_COPY,
        "vendor": "Morrow Studio",
        "category": CAT + " > Necklaces",
        "type": "Necklaces",
        "tags": "chains, necklaces, gold",
        "options": [("Length", ["40 cm / 16 in", "45 cm / 18 in"])],
        "sku": "MS-SNK-CHN",
        "price": "42.00",
        "grams": 7,
    },
    {
        "handle": "dome-ring",
        "title": "Dome Ring",
        "body": MORROW_STOCK_COPY,
        "vendor": "Morrow Studio",
        "category": CAT + " > Rings",
        "type": "Rings",
        "tags": "rings, chunky, gold",
        "options": [("Ring Size", ["K", "M", "O", "Q"])],
        "sku": "MS-RNG-DOME",
        "price": "48.00",
        "grams": 6,
    },
    {
        "handle": "ear-cuff",
        "title": "Ear Cuff",
        "body": "",
        "vendor": "Morrow Studio",
        "category": CAT + " > Earrings",
        "type": "",
        "tags": "",
        "sku": "MS-EAR-CUFF",
        "price": "22.00",
        "grams": 1,
        "inventory": 0,
    },
    {
        "handle": "sterling-silver-anklet",
        "title": "Sterling Silver Anklet",
        "body": (
            "<p>A 2 mm flat curb chain in sterling silver, 23 cm with a 3 cm extender, finished with a tiny "
            "hallmarked tag. Summer, sandals, done.</p>"
        ),
        "vendor": "Halcyon Silver",
        "category": CAT + " > Anklets",
        "type": "Anklets",
        "tags": "anklets, sterling silver, summer",
        "sku": "HS-ANK-CURB",
        "price": "32.00",
        "grams": 3,
        "inventory": 17,
    },
    {
        "handle": "hammered-silver-cufflinks",
        "title": "Hammered Silver Cufflinks",
        "body": (
            "<p>Round 15 mm cufflinks in sterling silver with a hand-hammered face and a bullet-back fitting. "
            "Hallmarked. Presented in a wooden box, ready for a wedding or an anniversary.</p>"
        ),
        "vendor": "Halcyon Silver",
        "category": "Apparel & Accessories > Jewelry > Cufflinks",
        "type": "Mens",
        "tags": "cufflinks, mens, weddings, sterling silver",
        "published": False,
        "status": "draft",
        "sku": "HS-CUFF-HAM",
        "price": "89.00",
        "grams": 14,
        "inventory": 4,
    },
    {
        "handle": "lab-grown-diamond-halo-ring",
        "title": "Lab-Grown Diamond Halo Ring, 9ct White Gold",
        "body": (
            "<p>A 0.50 ct round brilliant lab-grown diamond (F colour, VS1 clarity, IGI certified) surrounded "
            "by a halo of sixteen smaller diamonds, on a 9ct white gold band that is rhodium-plated for a "
            "bright white finish. Total diamond weight 0.62 ct.</p>"
            "<p>Lab-grown diamonds are chemically and optically the same as mined diamonds. Each ring is made to "
            "order in 3-4 weeks; resizing is free within 60 days.</p>"
        ),
        "vendor": "Halcyon Silver",
        "category": CAT + " > Rings",
        "type": "Engagement Rings",
        "tags": "engagement rings, lab grown diamond, white gold, made to order",
        "seo_description": "Halo engagement ring.",
        "options": [("Ring Size", ["J", "K", "L", "M", "N", "O", "P"])],
        "sku": "HS-ENG-HALO",
        "price": "895.00",
        "grams": 3,
        "continue_selling": True,
        "stock": 0,
        "images": [("halo-ring.jpg", "Lab-grown diamond halo ring")],
    },
]
