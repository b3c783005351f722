"""One fold and one handleize for the whole pipeline: matching words and making URL handles."""

from __future__ import annotations

import pytest

from pipeline.core import lexicon, vocabulary
from pipeline.core.text import fold, handleize
from pipeline.gates.content import text as content_text


@pytest.mark.parametrize(("raw", "folded"), [
    ("Leinen-Bettwäsche", "leinen-bettwasche"),
    ("Weiß", "weiss"),
    ("GROSSE", "grosse"),
    ("Chêne Massif", "chene massif"),
    ("d’Ostara", "d'ostara"),
    ("plain ascii", "plain ascii"),
])
def test_fold_drops_case_and_accents_and_spells_sharp_s_as_ss(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_every_word_matcher_uses_the_same_fold() -> None:
    # A German "Fußmatte" matched by one module and missed by another was the bug two folds caused.
    assert lexicon.fold is fold and vocabulary.fold is fold and content_text.fold is fold
    assert lexicon.words("Fußmatte aus Weiß") == ("fussmatte", "aus", "weiss")


@pytest.mark.parametrize(("title", "handle"), [
    ("Chêne & Lin Plaid", "chene-lin-plaid"),
    ("  Nova Full-Zip Fleece  ", "nova-full-zip-fleece"),
    ("Fußmatte", "fussmatte"),
    ("Kids_Room Lamps", "kids-room-lamps"),
    ("100% Cotton Tee (XL)", "100-cotton-tee-xl"),
    ("Acme™ Kettle", "acme-kettle"),
    ("!!!", ""),
])
def test_handleize_makes_ascii_handles_like_shopify(title: str, handle: str) -> None:
    assert handleize(title) == handle
