"""Near-duplicate search (MinHash + LSH) against brute force, and the pure text helpers it relies on."""

from __future__ import annotations

import itertools
import random

import numpy as np

from pipeline.core import neardup, text
from pipeline.core.spreadsheet import safe_cell
from pipeline.stages.audit.duplicates import char_tokens, near_groups, word_tokens


def planted_corpus(seed: int = 3, originals: int = 120) -> list[str]:
    """Random documents plus edited copies of some, at similarities spread around 0.9."""
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(3000)]
    docs = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(40, 160))) for _ in range(originals)]
    for doc in list(docs[:60]):
        tokens = doc.split()
        for _ in range(rng.randint(1, 3)):
            edited = list(tokens)
            for _ in range(rng.randint(0, max(1, len(tokens) // 25))):
                edited[rng.randrange(len(edited))] = rng.choice(vocabulary)
            docs.append(" ".join(edited))
    return docs


def brute_force_pairs(docs: list[str], size: int, threshold: float) -> set[tuple[int, int]]:
    sets = [text.word_shingles(text.words(d), size) for d in docs]
    return {(i, j) for i, j in itertools.combinations(range(len(docs)), 2)
            if text.jaccard(sets[i], sets[j]) >= threshold}


def test_vectorised_shingles_and_jaccard_match_the_reference_helpers():
    docs = planted_corpus()[:80] + ["one", "two words", ""]
    shingled = neardup.shingle(*word_tokens(docs), 3)
    assert shingled.deduplicated().sizes().tolist() == [len(text.word_shingles(text.words(d), 3)) for d in docs]
    pairs = np.array([[0, 1], [0, 120 % 80], [3, 4], [80, 81]])
    expected = [text.jaccard(text.word_shingles(text.words(docs[i]), 3), text.word_shingles(text.words(docs[j]), 3))
                for i, j in pairs]
    assert np.allclose(neardup.exact_jaccard(shingled, pairs), expected)
    whole = shingled.deduplicated()
    for blocked in (shingled.deduplicated(block_hashes=100), shingled.deduplicated(block_hashes=1)):
        assert np.array_equal(blocked.hashes, whole.hashes) and np.array_equal(blocked.offsets, whole.offsets)
    in_small_blocks = neardup.shingle(*word_tokens(docs), 3, block_tokens=50)
    assert np.array_equal(in_small_blocks.hashes, shingled.hashes)
    assert np.array_equal(in_small_blocks.offsets, shingled.offsets)


def test_lsh_finds_what_all_pairs_finds_and_never_reports_a_pair_below_the_threshold():
    docs = planted_corpus()
    truth = brute_force_pairs(docs, 3, 0.9)
    assert len(truth) > 30  # the corpus really has pairs on both sides of the threshold
    found = neardup.near_duplicates(neardup.shingle(*word_tokens(docs), 3), 0.9)
    reported = {tuple(p) for p in found.pairs.tolist()}
    assert reported <= truth
    assert len(reported) >= 0.95 * len(truth)
    grouped = {frozenset(g) for g in found.groups}
    truth_components = {frozenset(g) for g in neardup.groups_from_pairs(len(docs), np.array(sorted(truth)))}
    assert grouped == truth_components


def test_lsh_parameters_keep_recall_at_the_threshold():
    for threshold in (0.5, 0.8, 0.9, 0.95):
        bands, rows = neardup.lsh_parameters(threshold, 128)
        assert bands * rows <= 128
        assert 1 - (1 - threshold ** rows) ** bands >= 0.99


def test_a_huge_bucket_of_copies_is_one_group_without_quadratic_pairs():
    base = " ".join(f"t{i}" for i in range(200))
    docs = [base + f" tail{i}" for i in range(600)]
    found = neardup.near_duplicates(neardup.shingle(*word_tokens(docs), 3), 0.9)
    assert [len(g) for g in found.groups] == [600]
    assert found.candidates < 600 * 599 / 2 / 10


def test_near_groups_need_two_different_texts_and_return_catalogue_rows():
    keys = ["halden linen throw", "halden linen throw", "", "solvik oak bench", "halden linen throw"]
    ids = [f"p{i}" for i in range(5)]
    assert near_groups(keys, "title", ids, threshold=0.9, shingle_size=4, unit="chars") == []
    originals = ["halden linen throw - sage", "halden linen throw", "", "solvik oak bench", "halden linen throw"]
    [group] = near_groups(keys, "title", ids, threshold=0.9, shingle_size=4, unit="chars", originals=originals)
    assert group.members == [0, 1, 4] and group.kind == "near" and group.group_id.startswith("title-near-")


def test_char_tokens_handle_any_script():
    tokens, offsets = char_tokens(["añb", "", "手織り"])
    assert offsets.tolist() == [0, 3, 3, 6] and tokens.tolist()[:3] == [ord("a"), ord("ñ"), ord("b")]


def test_strip_html_keeps_words_apart_and_drops_hidden_text():
    html = ("<h2>Linen</h2><ul><li>Soft</li><li>Warm&nbsp;&amp;&nbsp;light</li></ul><script>var x = 1;</script>"
            "<style>p { color: red }</style><p>Caf&eacute;<br>table</p><!-- note -->")
    assert text.strip_html(html) == "Linen Soft Warm & light Café table"  # &nbsp; is whitespace too
    assert text.normalise_html("<p>Soft   WOOL</p>") == text.normalise("soft wool") == "soft wool"
    assert text.strip_html("<p>broken <b>html</p") == "broken html"


def test_words_counts_any_script():
    assert text.words("Don't stop: t-shirt, 100% coton, mérinos") == ["Don't", "stop", "t-shirt", "100", "coton",
                                                                     "mérinos"]
    assert text.word_count("Decke aus Schurwolle") == 3
    assert text.word_count("手織りのブランケット") == 10
    assert text.word_count("Wool 手織り") == 4


def test_spreadsheet_cells_never_start_a_formula():
    for cell in ("=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(cell) == "'" + cell
    assert safe_cell("Linen throw") == "Linen throw" and safe_cell(-1.5) == "-1.5" and safe_cell(None) == ""


def test_small_sets_are_matched_exactly_without_minhash():
    rng = random.Random(9)
    docs = [" ".join(rng.sample("abcdefghijklmnop", rng.randint(1, 12))) for _ in range(400)]
    docs += ["c b a", "a b c", "a b c d e f g h", "a b c d e f g h i"]
    for threshold in (0.9, 0.75):
        found = neardup.near_duplicates(neardup.shingle(*word_tokens(docs), 1), threshold)
        assert {tuple(p) for p in found.pairs.tolist()} <= brute_force_pairs(docs, 1, threshold)
        components = neardup.groups_from_pairs(len(docs), np.array(sorted(brute_force_pairs(docs, 1, threshold))))
        assert {frozenset(g) for g in found.groups} == {frozenset(g) for g in components}
    groups = neardup.near_duplicates(neardup.shingle(*word_tokens(docs), 1), 0.9).groups
    assert any({400, 401} <= set(g) for g in groups)
    assert not any({402, 403} <= set(g) for g in groups)  # 8 of 9 words: 0.89
