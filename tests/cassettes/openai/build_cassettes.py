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


def error(message: str, kind: str, code: str | None, param: str | None = None) -> dict:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


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


# Four answers a model really gives, each with one defect the content gates must reject (tests/llm/
# test_openai_gates.py replays them through generate): search-talk, a variant's colour as the product's, a
# French draft left in English, a material the product is not made of.
BAD_DRAFTS = {
    "gate_search_talk.yaml": {**GOOD_DRAFT, "body_html": (
        "<p>Looking for the perfect duvet cover? Look no further! The Nordhaus linen duvet cover is cut from "
        "washed linen, so it feels soft and lived-in from the first night. It buttons closed at the foot.</p>"
        "<ul><li>Sizes: Queen and King</li><li>Material: washed linen</li><li>Care: machine wash warm</li></ul>"
        "<p>It also answers a search for a linen bedding set, so it is worth a look.</p>")},
    "gate_variant_colour.yaml": {
        "title": "Fjord Wool Throw in Grey",
        "body_html": ("<p>The Fjord throw is woven from pure wool in a herringbone pattern, with fringed ends. "
                      "Lay it over a sofa or across the foot of a bed.</p><ul><li>Material: 100% wool</li>"
                      "<li>Size: 130 x 180 cm</li><li>Colour: Grey</li></ul>"),
        "seo_title": "Fjord Wool Throw in Grey | Fjell Studio",
        "seo_description": "The Fjord throw in Grey, woven from pure wool in a herringbone pattern with fringed "
                           "ends, 130 x 180 cm.",
    },
    "gate_wrong_language.yaml": {
        "title": "Aster Brass Floor Lamp",
        "body_html": "<p>A solid brass floor lamp with a brushed or polished finish, for reading corners.</p>",
        "seo_title": "Aster Brass Floor Lamp | Lumen Atelier",
        "seo_description": "The Aster floor lamp in solid brass, brushed or polished, from Lumen Atelier.",
    },
    "gate_invented_material.yaml": {
        "title": "Holm Walnut Serving Board",
        "body_html": ("<p>The Holm serving board is cut from one piece of solid walnut and finished with "
                      "food-safe oil. A juice groove runs around the edge.</p><ul><li>Material: solid walnut</li>"
                      "<li>Size: 45 x 25 cm</li></ul>"),
        "seo_title": "Holm Walnut Serving Board | Alder & Pine",
        "seo_description": "The Holm serving board in solid walnut with a juice groove, 45 x 25 cm, finished "
                           "with food-safe oil.",
    },
}

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
    # A reasoning model refusing a custom temperature: OpenAI's 400, as reported in public issue threads for the
    # gpt-5 and o-series models (the error object names the parameter in "param").
    "unsupported_temperature.yaml": [
        interaction(400, "Bad Request",
                    error("Unsupported value: 'temperature' does not support 0.4 with this model. Only the default "
                          "(1) value is supported.", "invalid_request_error", "unsupported_value", "temperature")),
    ],
    **{name: [ok(json.dumps(draft, ensure_ascii=False))] for name, draft in BAD_DRAFTS.items()},
}


def main() -> None:
    for name, interactions in CASSETTES.items():
        text = yaml.safe_dump({"interactions": interactions, "version": 1}, sort_keys=False, allow_unicode=True)
        (HERE / name).write_text(text, encoding="utf-8")
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
