"""The titles a product's prompt lists as "similar products in this shop": the model is told to read differently
from them, so they must be the products a shopper could confuse it with, and finding them must stay fast on a
catalogue of 100,000 products."""

from pipeline.stages.generate.inputs import SimilarTitles


def test_products_sharing_most_distinctive_words_come_first_after_duplicate_group_mates():
    titles = {"a": "Teak Bath Mat Slatted Natural", "b": "Teak Bath Mat Slatted Grey", "c": "Teak Shower Stool",
              "d": "Cotton Bath Towel", "e": "Linen Napkin Set", "g": "Bamboo Bath Mat"}
    titles |= {f"x{i}": f"Filler Product Number {i}" for i in range(30)}  # so that no word is common
    similar = SimilarTitles(titles, groups={"grp": ["a", "e"]}, group_of={"a": ["grp"]})
    found = similar.for_product("a")
    assert found[0] == "Linen Napkin Set"  # the audit's duplicate-group mate
    assert found[1] == "Teak Bath Mat Slatted Grey"  # four words shared
    assert "Cotton Bath Towel" not in found  # one word shared is not similar
    assert "Teak Bath Mat Slatted Natural" not in found  # never itself


def test_the_same_title_is_listed_once_and_at_most_limit_titles():
    titles = {"a": "Oak Desk Lamp Brass", **{f"b{i}": "Oak Desk Lamp Chrome" for i in range(3)},
              **{f"c{i}": f"Oak Desk Lamp Model {i}" for i in range(10)}}
    titles |= {f"x{i}": f"Filler Product Number {i}" for i in range(300)}
    found = SimilarTitles(titles).for_product("a", limit=4)
    assert len(found) == 4 and found.count("Oak Desk Lamp Chrome") == 1


def test_in_a_large_catalogue_a_word_hundreds_of_titles_share_does_not_make_products_similar():
    # 6,000 products: 5% would be 300 titles, over the ceiling of MAX_SHARED_BY (250).
    titles = {f"p{i}": f"Organic Cotton Shirt Style{i}" for i in range(280)}  # 280 share "organic cotton shirt"
    titles |= {f"q{i}": f"Item{i} Thing{i} Widget{i}" for i in range(5_720)}
    titles["indigo"] = "Organic Cotton Shirt Indigo Selvedge"
    titles["twin"] = "Organic Cotton Shirt Indigo Selvedge Slim"
    similar = SimilarTitles(titles)
    assert similar.for_product("p3") == []  # only the words 280 titles share in common with the others
    assert similar.for_product("indigo") == ["Organic Cotton Shirt Indigo Selvedge Slim"]  # two rare words shared
