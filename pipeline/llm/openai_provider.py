"""OpenAI (or any OpenAI-compatible server: Ollama, vLLM, LM Studio) through the `openai` library.

Chat Completions with structured output (`response_format` = a strict JSON schema). Rate limits (429), server
errors (5xx), timeouts and dropped connections are retried with exponential backoff by tenacity; the client's
own retries are off so that one policy decides. A refusal and a length cut-off are answers, not errors: they go
back to the stage, which records or repairs them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import openai
from tenacity import RetryError, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from pipeline.errors import ProviderError
from pipeline.llm.openai_wire import chat_body, describe_error
from pipeline.llm.provider import Request, Response, Usage

_RETRYABLE = (openai.RateLimitError, openai.InternalServerError, openai.APITimeoutError,
              openai.APIConnectionError)


class OpenAIProvider:
    name = "openai"
    template_based = False

    def __init__(self, model: str, *, api_key: str, base_url: str | None = None, timeout_s: float = 60.0,
                 attempts: int = 5, base_wait_s: float = 1.0, max_wait_s: float = 60.0,
                 max_tokens_param: str = "max_completion_tokens", structured_output: bool = True,
                 sleep: Callable[[float], None] = time.sleep, client: Any = None):
        self.model = model
        self.attempts = max(1, attempts)
        self.base_wait_s = base_wait_s
        self.max_wait_s = max_wait_s
        self.max_tokens_param = max_tokens_param
        self.structured_output = structured_output
        self.sleep = sleep
        self.client = client or openai.OpenAI(api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=0)
        self.where = base_url or "api.openai.com"

    def complete(self, request: Request) -> Response:
        arguments = chat_body(self.model, request, self.max_tokens_param, self.structured_output)
        backoff = wait_exponential(multiplier=self.base_wait_s, min=self.base_wait_s, max=self.max_wait_s)
        retrying = Retrying(stop=stop_after_attempt(self.attempts), retry=retry_if_exception_type(_RETRYABLE),
                            wait=backoff, sleep=self.sleep, reraise=False)
        try:
            completion = retrying(self.client.chat.completions.create, **arguments)
        except RetryError as exc:
            last = exc.last_attempt.exception()
            raise ProviderError(f"{self.where} ({self.model}): {describe_error(last)} after {self.attempts} attempts; "
                                "finished drafts are kept, re-run later to continue") from None
        except openai.AuthenticationError:
            raise ProviderError(f"{self.where}: the API key was refused; check OPENAI_API_KEY") from None
        except openai.APIStatusError as exc:
            raise ProviderError(f"{self.where} ({self.model}): {describe_error(exc)}") from None
        return _response(completion, self.model)


def _response(completion: Any, model: str) -> Response:
    if not getattr(completion, "choices", None):
        raise ProviderError(f"{model}: the answer has no choices")
    choice = completion.choices[0]
    message = choice.message
    usage = completion.usage
    details = getattr(usage, "prompt_tokens_details", None) if usage else None
    counted = Usage(tokens_in=getattr(usage, "prompt_tokens", 0) or 0,
                    tokens_out=getattr(usage, "completion_tokens", 0) or 0,
                    cached_tokens=(getattr(details, "cached_tokens", 0) or 0) if details else 0)
    refusal = getattr(message, "refusal", None)
    finish = "refusal" if refusal else (choice.finish_reason or "stop")
    return Response(text=message.content or "", finish_reason=finish, usage=counted, refusal=refusal,
                    model=getattr(completion, "model", model) or model)
