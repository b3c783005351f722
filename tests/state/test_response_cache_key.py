"""The response cache key must not change when its computation is made faster: a changed key would make every
cached answer of an earlier run unreachable, and the next run would pay for all of them again."""

import hashlib

import pytest

from pipeline.llm.provider import Message, Request
from pipeline.state.response_cache import CACHE_VERSION, content_key, request_key

SCHEMA = {"type": "object", "properties": {"title": {"type": ["string", "null"], "maxLength": 70},
                                           "é": {"enum": ["a,b", "c"]}}}


def key_as_documented(provider: str, model: str, request: Request) -> str:
    """The key as the module docstring defines it: canonical JSON of the whole tagged record."""
    digests = [[m.role, hashlib.sha256(m.content.encode("utf-8")).hexdigest()] for m in request.messages]
    return content_key({"v": CACHE_VERSION, "provider": provider, "model": model, "messages": digests,
                        "params": request.params()})


@pytest.mark.parametrize("params", [{}, {"reasoning_effort": "low"}, {"temperature": None},
                                    {"temperature": 0.3, "max_output_tokens": 900}])
def test_the_key_is_the_canonical_digest_of_the_request(params):
    request = Request(messages=(Message("system", "Write copy."), Message("user", 'Mug "Ünë", 350 ml')),
                      schema=SCHEMA, **params)
    assert request_key("openai", "gpt-5.4-mini", request) == key_as_documented("openai", "gpt-5.4-mini", request)


def test_requests_that_differ_only_in_their_schema_have_different_keys():
    messages = (Message("user", "same"),)
    other = {**SCHEMA, "required": ["title"]}
    first = request_key("openai", "m", Request(messages=messages, schema=SCHEMA))
    second = request_key("openai", "m", Request(messages=messages, schema=other))
    assert first != second
    assert request_key("openai", "m", Request(messages=messages, schema=SCHEMA)) == first
