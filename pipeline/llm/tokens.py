"""Token counts as OpenAI counts them: tiktoken with the model's encoding, loaded without the network.

tiktoken downloads an encoding's BPE ranks on first use, which machines without internet access cannot do. The
ranks are found locally instead, in this order: tiktoken's own cache (`TIKTOKEN_CACHE_DIR`, or the temporary
folder's `data-gym-cache`, filled by any earlier online use), then the copy the `bpe-openai` wheel ships. Either
file is checked against the SHA-256 that tiktoken itself pins for the encoding, so a wrong file is never used.
When neither is there, counts fall back to a calibrated characters-per-token ratio, and `TokenCounter.exact` is
False so every report can say that its figures are approximate.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib.util
import os
import tempfile
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

# Model families and their encodings (tiktoken's table, for the models this pipeline may be pointed at).
_O200K_PREFIXES = ("gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "chatgpt-4o")
_CL100K_PREFIXES = ("gpt-4", "gpt-3.5", "text-embedding-3", "text-embedding-ada")
_ENCODING_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
_ENCODING_SHA256 = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}
# Characters per token of this pipeline's prompts and drafts under o200k_base (measured on the sample
# catalogue's rendered prompts: 3.93 on English and French together); used only when no encoding is found.
FALLBACK_CHARS_PER_TOKEN = 3.9
# Chat formatting: each message costs its content plus a few tokens of framing, and the reply is primed with 3
# (the accounting in OpenAI's cookbook, which matches the API's usage figures for gpt-4o and later).
_MEMO_MIN_CHARS, _MEMO_SIZE = 1000, 2048
TOKENS_PER_MESSAGE = 3
TOKENS_REPLY_PRIMING = 3


def encoding_name(model: str) -> str:
    name = model.lower().split("/")[-1]
    if name.startswith("ft:"):
        name = name.split(":")[1]
    if name.startswith(_O200K_PREFIXES):
        return "o200k_base"
    if name.startswith(_CL100K_PREFIXES):
        return "cl100k_base"
    return "o200k_base"  # OpenAI-compatible servers run other tokenizers; the newest OpenAI one is the best guess


def _tiktoken_cache_file(name: str) -> Path:
    folder = os.environ.get("TIKTOKEN_CACHE_DIR") or os.environ.get("DATA_GYM_CACHE_DIR") or \
        os.path.join(tempfile.gettempdir(), "data-gym-cache")
    return Path(folder) / hashlib.sha1(_ENCODING_URL.format(name=name).encode()).hexdigest()


def _bundled_ranks(name: str) -> bytes | None:
    # Located, not imported: only its data file is wanted, not its native extension.
    spec = importlib.util.find_spec("bpe_openai")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "data" / f"{name}.tiktoken.gz"
        if path.exists():
            return gzip.decompress(path.read_bytes())
    return None


def _local_ranks(name: str) -> bytes | None:
    expected = _ENCODING_SHA256[name]
    cached = _tiktoken_cache_file(name)
    candidates = [lambda: cached.read_bytes() if cached.exists() else None, lambda: _bundled_ranks(name)]
    for read in candidates:
        try:
            data = read()
        except OSError:
            continue
        if data is not None and hashlib.sha256(data).hexdigest() == expected:
            return data
    return None


@lru_cache(maxsize=4)
def _load_encoding(name: str) -> Any:
    try:
        import tiktoken
        from tiktoken_ext import openai_public
    except ImportError:
        return None
    data = _local_ranks(name)
    if data is None:
        return None
    # The .tiktoken format, parsed as tiktoken.load does (its loader would copy the file into its cache).
    ranks = {base64.b64decode(token): int(rank) for token, rank in (line.split() for line in data.splitlines() if line)}
    # tiktoken's own constructor supplies the split pattern and special tokens; only the ranks are swapped in.
    original = openai_public.load_tiktoken_bpe
    openai_public.load_tiktoken_bpe = lambda *args, **kwargs: ranks
    try:
        spec = getattr(openai_public, name)()
    finally:
        openai_public.load_tiktoken_bpe = original
    return tiktoken.Encoding(**spec)


class TokenCounter:
    """`count(text)` and `count_messages(messages)` for one model; `exact` says whether tiktoken is behind them."""

    def __init__(self, model: str = "gpt-4o-mini", *, use_tiktoken: bool = True):
        self.model = model
        self.encoding_name = encoding_name(model)
        self.encoding = _load_encoding(self.encoding_name) if use_tiktoken else None
        self.exact = self.encoding is not None
        self._memo: dict[str, int] = {}

    def describe(self) -> str:
        if self.exact:
            return f"tiktoken {self.encoding_name}"
        return (f"approximate: {FALLBACK_CHARS_PER_TOKEN} characters per token (tiktoken's {self.encoding_name} "
                "ranks are not on this machine; `pip install bpe-openai` ships them)")

    def count(self, text: str) -> int:
        if not text:
            return 0
        if self.encoding is None:
            return max(1, round(len(text) / FALLBACK_CHARS_PER_TOKEN))
        if len(text) < _MEMO_MIN_CHARS:
            return len(self.encoding.encode(text, disallowed_special=()))
        # Long texts recur (every request of a locale opens with the same system prompt and schema): count once.
        counted = self._memo.get(text)
        if counted is None:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            counted = self._memo[text] = len(self.encoding.encode(text, disallowed_special=()))
        return counted

    def count_messages(self, messages: Iterable[tuple[str, str]], schema: Mapping[str, Any] | None = None) -> int:
        """Prompt tokens of a chat request: (role, content) pairs plus framing, plus the response schema that
        structured output adds to the prompt (counted as its compact JSON, an approximation of OpenAI's)."""
        total = TOKENS_REPLY_PRIMING
        for role, content in messages:
            total += TOKENS_PER_MESSAGE + self.count(role) + self.count(content)
        if schema:
            import json

            total += self.count(json.dumps(schema, separators=(",", ":"), sort_keys=True))
        return total


# -- output caps -------------------------------------------------------------------------------------------------
# What an answer to a draft request may need, so that each request asks for (and is charged against a TPM limit
# for) the tokens its fields can use instead of one fixed cap.
#
# body_html tokens per word (words as the validators count them, HTML tags and JSON escapes included), o200k_base.
# Measured on 2,400 drafts of the bundled sample written by the test double (tests/fakes): en 1.60, fr 1.92,
# de 2.19, es 2.10; each is rounded up by about 7 %. The other languages were not measured: they get the highest
# measured ratio with the same margin.
BODY_TOKENS_PER_WORD = {"en": 1.7, "fr": 2.05, "de": 2.35, "es": 2.25}
BODY_TOKENS_PER_WORD_OTHER = 2.35
# A description is usually about this long (the estimate's prior, pipeline/llm/estimate.py BODY_WORDS); a request
# is sized for twice that, or for body_min_words plus it when the shop asks for longer copy, never for more than
# body_max_words. An answer cut off there is asked again with twice the cap (models.Sampling.next_cap).
TYPICAL_BODY_WORDS = 150
# Short fields are sized at their length limit in characters at 2.5 characters per token (the measured worst
# case was 2.6, a French meta description); a handle has no limit of its own and gets 80 characters.
SHORT_FIELD_CHARS_PER_TOKEN = 2.5
SHORT_FIELD_LIMITS = {"title": ("title_max_chars", 70), "seo_title": ("seo_title_max_chars", 60),
                      "seo_description": ("seo_description_max_chars", 160), "handle": ("", 80)}
# The JSON around the fields: braces, and per key of the schema its name, quotes, colon and comma (or `null`).
JSON_BASE_TOKENS, JSON_TOKENS_PER_KEY = 6, 6


def body_words_budget(limits: Mapping[str, Any]) -> int:
    low = int(limits.get("body_min_words", 50) or 0)
    high = int(limits.get("body_max_words", 600) or 0) or 10 * TYPICAL_BODY_WORDS
    return min(high, max(2 * TYPICAL_BODY_WORDS, low + TYPICAL_BODY_WORDS))


def answer_tokens(fields_to_write: Iterable[str], limits: Mapping[str, Any], locale: str, schema_fields: int) -> int:
    """The output tokens a complete JSON answer writing `fields_to_write` may need under `limits` (the [limits]
    section as a mapping), with every other key of the schema answered null. No reasoning budget: see
    models.Sampling.shape."""
    lang = locale.split("-")[0].lower()
    fields = list(fields_to_write)
    total = float(JSON_BASE_TOKENS + JSON_TOKENS_PER_KEY * max(schema_fields, len(fields)))
    for name in fields:
        if name == "body_html":
            total += body_words_budget(limits) * BODY_TOKENS_PER_WORD.get(lang, BODY_TOKENS_PER_WORD_OTHER)
        else:
            key, default = SHORT_FIELD_LIMITS.get(name, ("", 80))
            chars = float(limits.get(key, default) or default) if key else default
            total += chars / SHORT_FIELD_CHARS_PER_TOKEN
    return int(total + 0.999)
