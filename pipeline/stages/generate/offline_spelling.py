"""`english_spelling` for the words the offline writer adds itself (US: color, gray, jewelry; GB: colour, grey,
jewellery). The merchant's own words are never respelled: only the vocabulary's words and the standard taxonomy's
names that the writer puts into a draft pass through `respell`.
"""

from __future__ import annotations

import re

# US form -> British form, whole words, lower case. Words of product copy only; a word with two meanings in
# one of the spellings (meter, tire, check) is left out.
_US_TO_GB = {
    "color": "colour", "colors": "colours", "colored": "coloured", "colorful": "colourful",
    "colorway": "colourway", "colorways": "colourways", "colorfast": "colourfast",
    "gray": "grey", "grays": "greys", "grayish": "greyish",
    "jewelry": "jewellery",
    "aluminum": "aluminium",
    "center": "centre", "centers": "centres", "centerpiece": "centrepiece", "centerpieces": "centrepieces",
    "fiber": "fibre", "fibers": "fibres", "fiberglass": "fibreglass",
    "liter": "litre", "liters": "litres",
    "cozy": "cosy",
    "pajamas": "pyjamas", "pajama": "pyjama",
    "catalog": "catalogue",
    "favorite": "favourite", "favorites": "favourites",
}
_GB_TO_US = {gb: us for us, gb in _US_TO_GB.items()}
_TABLES = {"US": _GB_TO_US, "GB": _US_TO_GB}
_WORD = re.compile(r"[A-Za-z]+")


def respell(text: str, spelling: str) -> str:
    """`text` with each listed word in the `spelling` ("US" or "GB") form, keeping its case ("Gray" -> "Grey")."""
    table = _TABLES.get(spelling.upper())
    if not table or not text:
        return text

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        other = table.get(word.lower())
        if other is None:
            return word
        if word.isupper() and len(word) > 1:
            return other.upper()
        return other[:1].upper() + other[1:] if word[:1].isupper() else other

    return _WORD.sub(swap, text)
