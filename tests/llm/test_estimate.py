"""Token counting without the network, the output-length prediction, and the estimate's costs per mode."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipeline.gates.schema import draft_json_schema
from pipeline.llm import tokens
from pipeline.llm.costs import Price
from pipeline.llm.estimate import estimate, predict_output_tokens
from pipeline.llm.provider import Message, Request
from pipeline.llm.tokens import TokenCounter, encoding_name

LIMITS = {"title_max_chars": 70, "seo_title_max_chars": 60, "seo_description_min_chars": 70,
          "seo_description_max_chars": 160, "body_min_words": 50, "body_max_words": 600}


def draft_request(fields: list[str], locale: str = "en", system: str = "You write product copy.",
                  max_tokens: int = 1500, product_id: str = "p1") -> Request:
    context = {"fields_to_write": fields, "limits": LIMITS, "locale": locale, "product": {"id": product_id}}
    return Request(messages=(Message("system", system), Message("user", f"Product {product_id}")),
                   schema=draft_json_schema(False), max_output_tokens=max_tokens, context=context)


def test_tiktoken_counts_offline_from_the_ranks_the_bpe_openai_wheel_ships() -> None:
    counter = TokenCounter("gpt-4o-mini")
    assert counter.exact and counter.describe() == "tiktoken o200k_base"
    assert counter.count("Hello world") == 2  # o200k_base: "Hello", " world"
    for text in ("Washed linen duvet cover with a button closure. " * 40, "Oak board. " * 200):  # memoised
        for _ in range(2):
            assert counter.count(text) == len(counter.encoding.encode(text))


def test_a_rank_file_that_fails_tiktokens_pinned_hash_is_never_used(tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    url = "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken"
    (cache / hashlib.sha1(url.encode()).hexdigest()).write_bytes(b"SGVsbG8= 0\n")  # a tampered file
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(cache))
    monkeypatch.setattr(tokens, "_bundled_ranks", lambda name: None)
    assert tokens._local_ranks("o200k_base") is None


def test_without_the_ranks_counts_fall_back_to_characters_and_say_so() -> None:
    counter = TokenCounter("gpt-4o-mini", use_tiktoken=False)
    assert not counter.exact and "approximate" in counter.describe()
    assert counter.count("x" * 390) == 100


@pytest.mark.parametrize("model, name", [("gpt-4o-mini", "o200k_base"), ("gpt-4.1-mini", "o200k_base"),
                                         ("gpt-4-turbo", "cl100k_base"), ("gpt-3.5-turbo", "cl100k_base"),
                                         ("ft:gpt-4o-mini:acme::abc", "o200k_base"), ("llama3", "o200k_base")])
def test_each_model_family_gets_its_encoding(model: str, name: str) -> None:
    assert encoding_name(model) == name


def test_output_prediction_grows_with_the_fields_asked_for_and_the_language() -> None:
    title_only = predict_output_tokens(draft_request(["title"]))
    everything = predict_output_tokens(draft_request(["title", "body_html", "seo_title", "seo_description"]))
    french = predict_output_tokens(draft_request(["title", "body_html", "seo_title", "seo_description"], "fr"))
    assert 10 < title_only < 50 < everything < french
    assert predict_output_tokens(draft_request(["body_html"], max_tokens=100)) == 100  # never above the cap


def test_estimate_counts_products_requests_tokens_and_prices_each_mode() -> None:
    requests = [draft_request(["title", "seo_title"], product_id="p1"), draft_request(["title"], "fr", "p1"),
                draft_request(["body_html"], product_id="p2")]
    live = Price(input=0.15, output=0.60, cached=0.075)
    result = estimate(requests, model="gpt-4o-mini", price=live, batch=Price(0.075, 0.30, 0.0375),
                      repair_share=0.0, rpm=3000, tpm=2_000_000)
    counter = TokenCounter("gpt-4o-mini")
    assert (result.products, result.requests) == (2, 3)
    assert result.tokens_in == sum(counter.count_messages([(m.role, m.content) for m in r.messages], r.schema)
                                   for r in requests)
    assert result.tokens_out == sum(predict_output_tokens(r) for r in requests)
    assert result.cost["batch"] == pytest.approx(result.cost["realtime"] / 2)
    assert result.binding_limit == "tokens"  # 1,500 max tokens a request: 2M TPM allows ~1,300 a minute
    with_repairs = estimate(requests, model="gpt-4o-mini", price=live, repair_share=1 / 3)
    assert with_repairs.repair_requests == 1 and with_repairs.cost["realtime"] > result.cost["realtime"]
    assert with_repairs.cost["batch"] is None  # no batch price given: unknown, not zero
    lines = result.lines(budget_usd=0.000001, chosen_mode="realtime")
    assert "the run will stop when the next request could exceed it" in lines[-1]


def test_a_shared_prefix_of_1024_tokens_or_more_is_counted_as_cacheable_after_its_first_use() -> None:
    system = "Rules for product copy, one of many. " * 150  # well over 1,024 tokens
    requests = [draft_request(["title"], system=system, product_id=f"p{i}") for i in range(3)]
    result = estimate(requests, model="gpt-4o-mini", repair_share=0.0)
    prefix = TokenCounter("gpt-4o-mini").count(system)
    assert result.cached_in == 2 * (prefix // 128 * 128)



def test_an_estimate_reads_any_iterable_once_and_counts_the_same() -> None:
    requests = [draft_request(["title", "seo_title"], product_id="p1"), draft_request(["title"], "fr", "p1"),
                draft_request(["body_html"], product_id="p2")]
    anonymous = [Request(messages=(Message("user", "No product here"),), schema={}, max_output_tokens=400)
                 for _ in range(2)]
    listed = estimate([*requests, *anonymous], model="gpt-4o-mini", repair_share=0.2, rpm=3000)
    streamed = estimate((r for r in [*requests, *anonymous]), model="gpt-4o-mini", repair_share=0.2, rpm=3000)
    assert listed.as_dict() == streamed.as_dict()
    assert (streamed.requests, streamed.products) == (5, 4)  # a request naming no product counts as its own
    assert estimate(iter(()), model="gpt-4o-mini").requests == 0
