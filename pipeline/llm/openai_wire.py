"""The Chat Completions wire format shared by the concurrent and the Batch paths: one request body, one parser.

A request sent live and the same request sent in a batch file must be byte-for-byte the same body, so that the
answer means the same thing and lands under the same cache key whichever way it travelled.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import openai

from pipeline.llm.provider import Request, Response, Usage


def chat_body(model: str, request: Request, max_tokens_param: str = "max_completion_tokens") -> dict[str, Any]:
    return {
        "model": model,
        "messages": [{"role": m.role, "content": m.content} for m in request.messages],
        "temperature": request.temperature,
        max_tokens_param: request.max_output_tokens,
        "response_format": {"type": "json_schema", "json_schema": {
            "name": "product_draft", "strict": True, "schema": dict(request.schema)}},
    }


def rate_limit_charge(request: Request) -> int:
    """Tokens a request counts against a TPM limit when it is sent: its prompt plus the most it may write.

    OpenAI charges an estimate up front, before anything is tokenised: the prompt's characters / 4 plus max tokens.
    The same formula here keeps the local budget in step with the provider's (the headers correct any drift)."""
    return math.ceil(sum(len(m.content) for m in request.messages) / 4) + request.max_output_tokens


def response_from_completion(completion: Any, model: str) -> Response:
    """A Response from a chat.completion, as the SDK's object or as the JSON dict a batch output line holds."""
    data: Mapping[str, Any] = completion if isinstance(completion, Mapping) else completion.model_dump()
    choices = data.get("choices") or []
    if not choices:
        raise ValueError("the answer has no choices")
    choice = choices[0]
    message = choice.get("message") or {}
    usage = data.get("usage") or {}
    details = usage.get("prompt_tokens_details") or {}
    counted = Usage(tokens_in=int(usage.get("prompt_tokens") or 0), tokens_out=int(usage.get("completion_tokens") or 0),
                    cached_tokens=int(details.get("cached_tokens") or 0))
    refusal = message.get("refusal")
    finish = "refusal" if refusal else (choice.get("finish_reason") or "stop")
    return Response(text=message.get("content") or "", finish_reason=finish, usage=counted, refusal=refusal,
                    model=data.get("model") or model)


def describe_error(exc: BaseException | None) -> str:
    if isinstance(exc, openai.APIStatusError):
        message = exc.message.split("\n")[0][:200] if exc.message else ""
        kind = "rate limited" if exc.status_code == 429 else "server error" if exc.status_code >= 500 else "error"
        return f"HTTP {exc.status_code} {kind}" + (f" ({message})" if message else "")
    if isinstance(exc, openai.APITimeoutError):
        return "timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "could not connect"
    return type(exc).__name__ if exc else "unknown error"
