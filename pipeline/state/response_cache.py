"""Never pay twice for the same prompt: provider responses stored in state.db, keyed by content.

The key is a tagged SHA-256 of canonical JSON (sorted keys, compact) over the provider, the model, the rendered
messages and the request parameters. Bumping CACHE_VERSION makes every earlier entry unreachable on purpose.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pipeline.llm.provider import Request, Response, Usage
from pipeline.state.store import StateStore, utc_now

CACHE_VERSION = "gen-cache-v1"


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def content_key(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def request_key(provider: str, model: str, request: Request) -> str:
    """Tagged hash of (provider, model, messages, params); each message enters by its own digest, which keeps
    hashing cheap when thousands of requests share one long system prompt.

    The same digest as `content_key` of {"v", "provider", "model", "messages", "params"}, but the JSON of the
    response schema (the same object for every request of a run, and most of the params' text) is written once
    per schema instead of once per request (planning a large catalogue makes hundreds of thousands of them)."""
    digests = [[m.role, hashlib.sha256(m.content.encode("utf-8")).hexdigest()] for m in request.messages]
    params = {**request.params(), "schema": _SCHEMA_SLOT}
    text = canonical_json({"v": CACHE_VERSION, "provider": provider, "model": model, "messages": digests,
                           "params": params}).replace(_SCHEMA_SLOT_JSON, _schema_json(request.schema), 1)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_SCHEMA_SLOT = "\x00schema\x00"  # no provider or model name holds a NUL; message text enters only as digests
_SCHEMA_SLOT_JSON = canonical_json(_SCHEMA_SLOT)
# (the schema last written, its canonical JSON): held, so `is` cannot match a new object at a recycled address.
# A run builds its schema once and never changes it.
_schema_memo: list[Any] = [object(), ""]


def _schema_json(schema: Any) -> str:
    if schema is not _schema_memo[0]:
        _schema_memo[:] = [schema, canonical_json(schema)]
    return str(_schema_memo[1])


class ResponseCache:
    """The response_cache table; one row per distinct request."""

    def __init__(self, state: StateStore):
        self.db = state.db

    def is_empty(self) -> bool:
        """True before any answer was stored: planning then need not look up each of its requests."""
        return self.db.execute("SELECT 1 FROM response_cache LIMIT 1").fetchone() is None

    def get(self, key: str) -> Response | None:
        row = self.db.execute("SELECT response FROM response_cache WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        data = json.loads(row[0])
        return Response(text=data["text"], finish_reason=data["finish_reason"], refusal=data.get("refusal"),
                        model=data.get("model", ""), usage=Usage(**data.get("usage", {})),
                        abstained=tuple((str(f), str(r)) for f, r in data.get("abstained", ())))

    def put(self, key: str, provider: str, model: str, response: Response) -> None:
        payload: dict[str, Any] = {"text": response.text, "finish_reason": response.finish_reason,
                                   "refusal": response.refusal, "model": response.model,
                                   "usage": response.usage.__dict__}
        if response.abstained:
            payload["abstained"] = [list(pair) for pair in response.abstained]
        self.db.execute(
            "INSERT OR REPLACE INTO response_cache (key, provider, model, response, tokens_in, tokens_out,"
            " cached_tokens, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (key, provider, model, canonical_json(payload), response.usage.tokens_in, response.usage.tokens_out,
             response.usage.cached_tokens, utc_now()))

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM response_cache").fetchone()[0])
