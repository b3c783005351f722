"""The Chat Completions wire format shared by the concurrent and the Batch paths: one request body, one parser.

A request sent live and the same request sent in a batch file must be byte-for-byte the same body, so that the
answer means the same thing and lands under the same cache key whichever way it travelled.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import openai

from pipeline.llm.models import rejected_parameter
from pipeline.llm.provider import Request, Response, Usage


def chat_body(model: str, request: Request, max_tokens_param: str = "max_completion_tokens",
              structured_output: bool = True) -> dict[str, Any]:
    """The request body: `temperature` and `reasoning_effort` only where the request carries them (models.Sampling
    leaves out what the model does not take); `response_format` a strict JSON schema, or JSON mode for a model
    without structured output (the prompt names the keys)."""
    body: dict[str, Any] = {"model": model, "messages": [{"role": m.role, "content": m.content}
                                                         for m in request.messages]}
    if request.temperature is not None:
        body["temperature"] = request.temperature
    if request.reasoning_effort is not None:
        body["reasoning_effort"] = request.reasoning_effort
    body[max_tokens_param] = request.max_output_tokens
    body["response_format"] = {"type": "json_schema", "json_schema": {
        "name": "product_draft", "strict": True, "schema": dict(request.schema)}} if structured_output else \
        {"type": "json_object"}
    return body


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
    """One line for a failed request. A 400 that names a parameter the model does not take says which setting
    to change (models.rejected_parameter)."""
    if isinstance(exc, openai.APIStatusError):
        rejected = rejected_parameter(exc.status_code, error_object(exc))
        if rejected:
            return rejected
        message = exc.message.split("\n")[0][:200] if exc.message else ""
        kind = "rate limited" if exc.status_code == 429 else "server error" if exc.status_code >= 500 else "error"
        return f"HTTP {exc.status_code} {kind}" + (f" ({message})" if message else "")
    if isinstance(exc, openai.APITimeoutError):
        return "timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "could not connect"
    return type(exc).__name__ if exc else "unknown error"


def error_object(exc: openai.APIStatusError) -> dict[str, Any]:
    """OpenAI's error object ({"message", "type", "param", "code"}) from an error answer, or {}."""
    body = exc.body
    if isinstance(body, Mapping) and isinstance(body.get("error"), Mapping):
        body = body["error"]
    return dict(body) if isinstance(body, Mapping) else {}


def is_rejected_parameter(exc: BaseException) -> bool:
    """A 400 naming a parameter: every request of the run would get it, so the run stops at the first."""
    return isinstance(exc, openai.BadRequestError) and rejected_parameter(400, error_object(exc)) is not None


def batch_api_available(client: Any) -> tuple[bool, str]:
    """Whether the server behind `client` (openai.OpenAI) has the Batch API: one `GET /batches?limit=1`. OpenAI
    has it; OpenAI-compatible servers (Ollama, vLLM, LM Studio, ...) mostly do not and answer 404. Returns
    (available, why not)."""
    try:
        client.batches.list(limit=1)
    except openai.AuthenticationError:
        raise
    except openai.APIStatusError as exc:
        return False, f"GET /batches answered HTTP {exc.status_code}"
    except openai.APIError as exc:
        return False, f"GET /batches {describe_error(exc)}"
    return True, ""
