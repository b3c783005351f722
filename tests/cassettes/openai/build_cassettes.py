"""Writes the OpenAI cassettes in this folder from the documented Chat Completions format.

No API key is available where this project is developed, so these cassettes are not recordings: each
interaction is written here in the exact shape OpenAI documents for `POST /v1/chat/completions` (the response
object, `message.refusal`, `finish_reason: "length"`, the error object and rate-limit headers of 429 and 500
answers; https://platform.openai.com/docs/api-reference/chat/object and .../docs/guides/error-codes). Requests
carry no Authorization header. Run `python tests/cassettes/openai/build_cassettes.py` after editing; see README.md
for re-recording against the live API.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
URI = "https://api.openai.com/v1/chat/completions"
MODEL = "gpt-4o-mini-2024-07-18"

# A draft that passes every validator for the test catalogue's "Linen Duvet Cover" (tests/test_llm_openai.py).
GOOD_DRAFT = {
    "title": "Nordhaus Washed Linen Duvet Cover",
    "body_html": (
        "<p>The Nordhaus linen duvet cover is cut from washed linen, so it feels soft and lived-in from the first "
        "night. It buttons closed at the foot and keeps your duvet where it belongs.</p>"
        "<ul><li>Sizes: Queen and King</li><li>Material: washed linen</li><li>Care: machine wash warm</li></ul>"
        "<p>Pair the duvet cover with plain white sheets for a calm bedroom, or layer it with a knitted throw when "
        "the nights turn cold. Choose your size and order it online.</p>"),
    "seo_title": "Washed Linen Duvet Cover | Nordhaus",
    "seo_description": "The Nordhaus linen duvet cover in soft washed linen, in Queen or King. Buttons at the foot "
                       "keep your duvet in place. Order online.",
}


def completion(content: str | None, *, finish: str = "stop", refusal: str | None = None, prompt: int = 1312,
               completion_tokens: int = 188, cached: int = 1024) -> dict:
    return {
        "id": "chatcmpl-AbC123xyz", "object": "chat.completion", "created": 1718000000, "model": MODEL,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": refusal,
                                             "annotations": []},
                     "logprobs": None, "finish_reason": finish}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion_tokens,
                  "total_tokens": prompt + completion_tokens,
                  "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
                  "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                                "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}},
        "service_tier": "default", "system_fingerprint": "fp_0aa8d3e20b",
    }


def error(message: str, kind: str, code: str | None) -> dict:
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def interaction(status: int, reason: str, body: dict, extra_headers: dict | None = None) -> dict:
    headers = {"content-type": ["application/json"], "openai-processing-ms": ["812"],
               "x-request-id": ["req_5f1c2d3e4a5b6c7d8e9f"], "x-ratelimit-limit-requests": ["10000"],
               "x-ratelimit-limit-tokens": ["10000000"], "x-ratelimit-remaining-requests": ["9999"],
               "x-ratelimit-remaining-tokens": ["9998400"], "x-ratelimit-reset-requests": ["6ms"],
               "x-ratelimit-reset-tokens": ["9ms"]}
    headers.update(extra_headers or {})
    return {
        "request": {"method": "POST", "uri": URI, "body": None,
                    "headers": {"content-type": ["application/json"], "accept": ["application/json"]}},
        "response": {"status": {"code": status, "message": reason}, "headers": headers,
                     "body": {"string": json.dumps(body)}},
    }


def ok(content: str | None, **kwargs) -> dict:
    return interaction(200, "OK", completion(content, **kwargs))


CASSETTES = {
    "structured_output.yaml": [ok(json.dumps(GOOD_DRAFT))],
    "refusal.yaml": [ok(None, refusal="I'm sorry, but I can't help with that request.", completion_tokens=12,
                        cached=0)],
    "length_cutoff.yaml": [ok(json.dumps(GOOD_DRAFT)[:180], finish="length", completion_tokens=40)],
    "rate_limited_then_ok.yaml": [
        interaction(429, "Too Many Requests",
                    error("Rate limit reached for gpt-4o-mini in organization org-xyz on requests per min (RPM): "
                          "Limit 500, Used 500, Requested 1. Please try again in 120ms.", "requests",
                          "rate_limit_exceeded"),
                    {"retry-after": ["1"], "retry-after-ms": ["120"], "x-ratelimit-remaining-requests": ["0"],
                     "x-ratelimit-reset-requests": ["120ms"]}),
        ok(json.dumps(GOOD_DRAFT)),
    ],
    "server_error.yaml": [
        interaction(500, "Internal Server Error",
                    error("The server had an error while processing your request. Sorry about that!", "server_error",
                          None))
        for _ in range(3)
    ],
}


def main() -> None:
    for name, interactions in CASSETTES.items():
        text = yaml.safe_dump({"interactions": interactions, "version": 1}, sort_keys=False, allow_unicode=True)
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
