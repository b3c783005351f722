"""A local OpenAI-compatible server for the scale tests and benchmarks: chat completions, files and batches.

    server = FakeOpenAI(FakeConfig(latency_s=0.3, rpm=3000, tpm=2_000_000)).start()
    client = openai.OpenAI(base_url=server.base_url, api_key="test")
    ...
    server.stop()

or, from a shell (the benchmark runs it in its own process so it does not share the client's interpreter):
`python tests/fakes/openai_server.py --latency 0.3 --rpm 3000 --tpm 2000000` prints its base URL.

Rate limits work like OpenAI's as far as its headers and documents tell: a requests bucket and a tokens bucket per
key, refilled continuously and holding `burst_s` seconds of refill (60 s: a full minute, what the reset headers
describe). A request is charged when it arrives: 1 request, and its prompt's characters / 4 plus its max tokens
(OpenAI charges an estimate up front). Every answer carries `x-ratelimit-limit|remaining|reset-requests|tokens`;
a request over a limit gets 429 with `retry-after`, `retry-after-ms` and OpenAI's error JSON.

Answers are built from the request: when the prompt is this pipeline's (a <product_data> block, fields to write),
the model double (tests/fakes/model_writer.py) writes the draft, so the copy has the lengths and shape a model's
would; any other request gets a small valid object for its schema. Usage is counted with tiktoken as the API counts it.

Faults are injected at seeded random rates: 429, 500, timeouts (the server holds the request for `hang_s` and
closes the connection), malformed JSON content, refusals; batch requests can land in the error file.

Model behaviour, as OpenAI documents it: `max_completion_tokens` holds the answer and any reasoning tokens, and an
answer longer than that is cut off (`finish_reason: "length"`, broken JSON); a request with a `reasoning_effort`
other than "none" spends `reasoning_tokens` on reasoning (reported in `completion_tokens_details`); a parameter in
`reject` is refused with OpenAI's 400 error object naming it. `batch_api=False` plays a server without the Batch
API (404 on /v1/files and /v1/batches, like Ollama or vLLM). With `record=True` every request body and every JSON
answer is kept in `exchanges`: tests/contracts validates them against OpenAI's published OpenAPI spec.
"""

from __future__ import annotations

import argparse
import email.parser
import email.policy
import json
import math
import random
import re
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pipeline.llm.tokens import TokenCounter  # noqa: E402

try:
    from fakes.openai_answers import answer_for
except ImportError:  # run as a script or imported as tests.fakes
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from openai_answers import answer_for  # type: ignore[no-redef]

PREFIX_CACHE_MIN, PREFIX_CACHE_STEP = 1024, 128  # OpenAI's prompt caching: prefixes of 1,024+ tokens, by 128


@dataclass
class FakeConfig:
    latency_s: float = 0.0
    latency_jitter_s: float = 0.0
    rpm: int | None = None
    tpm: int | None = None
    burst_s: float = 60.0
    fail_429: float = 0.0  # injected on top of real limiting (another client on the same key, say)
    fail_500: float = 0.0
    timeout: float = 0.0
    hang_s: float = 5.0
    malformed: float = 0.0
    refusal: float = 0.0
    injected_retry_after_s: float = 0.05
    batch_seconds: float = 0.2  # least time a batch spends in_progress, so a poll sees it running
    batch_fail: float = 0.0
    batch_expire_after: int | None = None  # process this many requests, then let the batch expire
    seed: int = 0
    model: str = "gpt-4o-mini"
    api_key: str = ""  # when set, any other bearer token gets 401
    batch_api: bool = True  # False: /v1/files and /v1/batches answer 404, as most OpenAI-compatible servers do
    # Request parameters the emulated model refuses, answered as OpenAI does (400, "param" named): "temperature"
    # for a reasoning model, say. Comma-separated on the command line.
    reject: tuple[str, ...] = ()
    reasoning_tokens: int = 0  # spent per request sent with a reasoning_effort other than "none"
    record: bool = False  # keep every request body and JSON answer in `exchanges` (the contract tests read them)


@dataclass
class FakeStats:
    chat_requests: int = 0
    answered: int = 0
    rate_limited: int = 0  # 429 from the limits themselves
    injected: dict[str, int] = field(default_factory=dict)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    first_at: float | None = None
    last_at: float | None = None
    in_flight: int = 0
    max_in_flight: int = 0
    batches_created: int = 0
    batch_requests: int = 0
    files_uploaded: int = 0
    truncated: int = 0  # answers cut off at max_completion_tokens (finish_reason "length")


class _Bucket:
    def __init__(self, per_minute: float, burst_s: float):
        self.per_minute, self.rate = per_minute, per_minute / 60.0
        self.capacity = max(self.rate * burst_s, 1.0)
        self.level, self.updated = self.capacity, time.monotonic()

    def refill(self, now: float) -> None:
        self.level = min(self.capacity, self.level + (now - self.updated) * self.rate)
        self.updated = now

    def shortfall_s(self, amount: float) -> float:
        return 0.0 if self.level >= amount else (amount - self.level) / self.rate

    def reset_s(self) -> float:
        return (self.capacity - self.level) / self.rate


def format_duration(seconds: float) -> str:
    """OpenAI's reset format: "6m0s", "1s", "120ms"."""
    if seconds < 1:
        return f"{max(int(math.ceil(seconds * 1000)), 0)}ms"
    minutes, secs = divmod(seconds, 60)
    if minutes >= 1:
        return f"{int(minutes)}m{secs:.0f}s"
    return f"{secs:.3g}s"


def error_body(message: str, kind: str, code: str | None, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def public(batch: dict[str, Any]) -> dict[str, Any]:
    """A batch as the API shows it: fields not yet set are left out (the spec types them as values, not null)."""
    return {key: value for key, value in batch.items() if value is not None}


class _Fail(Exception):
    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


class FakeOpenAI:
    def __init__(self, config: FakeConfig | None = None, *, host: str = "127.0.0.1", port: int = 0):
        self.config = config or FakeConfig()
        self.stats = FakeStats()
        self.random = random.Random(self.config.seed)
        # Latency jitter draws from its own generator: the fault sequence then depends only on the order requests
        # are admitted, not on how threads interleave, so a seeded run injects the same faults on a busy machine.
        self.jitter_random = random.Random(self.config.seed + 1)
        self.counter = TokenCounter(self.config.model)
        self.lock = threading.Lock()
        self.requests_bucket = _Bucket(self.config.rpm, self.config.burst_s) if self.config.rpm else None
        self.tokens_bucket = _Bucket(self.config.tpm, self.config.burst_s) if self.config.tpm else None
        self.files: dict[str, dict[str, Any]] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.cancelled: set[str] = set()
        self.prefixes: set[int] = set()
        self.closing = threading.Event()
        # (method, path, status, request body or None, answer) when config.record: what the contract tests check
        self.exchanges: list[tuple[str, str, int, Any, Any]] = []
        self.httpd = _Server((host, port), _handler_for(self))
        self.thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> FakeOpenAI:
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _roll(self, rate: float) -> bool:
        return rate > 0 and self.random.random() < rate

    def _inject(self, kind: str) -> None:
        self.stats.injected[kind] = self.stats.injected.get(kind, 0) + 1

    # -- rate limits ------------------------------------------------------------------------------------------
    def _admit(self, charge_tokens: int) -> dict[str, str]:
        """Charge one request or raise a 429; return the rate-limit headers either way."""
        with self.lock:
            now = time.monotonic()
            for bucket in (self.requests_bucket, self.tokens_bucket):
                if bucket:
                    bucket.refill(now)
            short_requests = self.requests_bucket.shortfall_s(1) if self.requests_bucket else 0.0
            short_tokens = self.tokens_bucket.shortfall_s(min(charge_tokens, self.tokens_bucket.capacity)) \
                if self.tokens_bucket else 0.0
            limited = short_requests > 0 or short_tokens > 0
            if not limited:
                if self.requests_bucket:
                    self.requests_bucket.level -= 1
                if self.tokens_bucket:
                    self.tokens_bucket.level -= charge_tokens
            headers = self._limit_headers()
            if limited:
                self.stats.rate_limited += 1
                wait = max(short_requests, short_tokens)
                what = "requests" if short_requests >= short_tokens else "tokens"
                limit = self.config.rpm if what == "requests" else self.config.tpm
                used = (limit or 0) - int(float(headers[f"x-ratelimit-remaining-{what}"]))
                headers |= {"retry-after": str(max(1, math.ceil(wait))), "retry-after-ms": str(math.ceil(wait * 1000))}
                raise _Fail(429, error_body(
                    f"Rate limit reached for {self.config.model} on {what} per min (RPM/TPM): Limit {limit}, "
                    f"Used {used}, Requested {1 if what == 'requests' else charge_tokens}. Please try again in "
                    f"{wait * 1000:.0f}ms.", what, "rate_limit_exceeded"), headers)
            return headers

    def _limit_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        for what, bucket, limit in (("requests", self.requests_bucket, self.config.rpm),
                                    ("tokens", self.tokens_bucket, self.config.tpm)):
            if bucket:
                headers[f"x-ratelimit-limit-{what}"] = str(limit)
                headers[f"x-ratelimit-remaining-{what}"] = str(max(int(bucket.level), 0))
                headers[f"x-ratelimit-reset-{what}"] = format_duration(bucket.reset_s())
        return headers

    # -- chat completions -------------------------------------------------------------------------------------
    def chat(self, body: dict[str, Any], *, limited: bool = True) -> tuple[dict[str, Any], dict[str, str]]:
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise _Fail(400, error_body("'messages' must be a non-empty array", "invalid_request_error", None,
                                        "messages"))
        max_tokens = int(body.get("max_completion_tokens") or body.get("max_tokens") or 4096)
        prompt_chars = sum(len(str(m.get("content") or "")) for m in messages)
        headers: dict[str, str] = {}
        with self.lock:
            self.stats.chat_requests += int(limited)
            now = time.monotonic()
            self.stats.first_at = self.stats.first_at or now
            inject_429 = limited and self._roll(self.config.fail_429)
            inject_500 = limited and self._roll(self.config.fail_500)
            inject_timeout = limited and self._roll(self.config.timeout)
            malformed = self._roll(self.config.malformed)
            refusal = self._roll(self.config.refusal)
        self._refuse_parameters(body)
        if limited:
            headers = self._admit(math.ceil(prompt_chars / 4) + max_tokens)
            if inject_429:
                self._inject("429")
                raise _Fail(429, error_body("Rate limit reached (injected).", "requests", "rate_limit_exceeded"),
                            headers | {"retry-after-ms": str(int(self.config.injected_retry_after_s * 1000)),
                                       "retry-after": str(max(1, math.ceil(self.config.injected_retry_after_s)))})
            if inject_500:
                self._inject("500")
                raise _Fail(500, error_body("The server had an error while processing your request.", "server_error",
                                            None), headers)
            if inject_timeout:
                self._inject("timeout")
                raise _Hang()
        schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("schema") or {}
        content, finish = json.dumps(answer_for(messages, schema), ensure_ascii=False), "stop"
        refusal_text = None
        if refusal:
            self._inject("refusal")
            content, refusal_text = None, "I'm sorry, but I can't help with that request."
        elif malformed:
            self._inject("malformed")
            content = content[: max(len(content) // 2, 1)]
        reasoning = self.config.reasoning_tokens if body.get("reasoning_effort") not in (None, "none") else 0
        if content and not refusal and self.counter.count(content) + reasoning > max_tokens:
            content, finish = self._cut(content, max(max_tokens - reasoning, 0)), "length"
            with self.lock:
                self.stats.truncated += 1
        usage = self._usage(messages, schema, content or refusal_text or "", reasoning)
        completion = {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}", "object": "chat.completion", "created": int(time.time()),
            "model": self.config.model, "system_fingerprint": "fp_fake",
            "choices": [{"index": 0, "finish_reason": finish, "logprobs": None,
                         "message": {"role": "assistant", "content": content, "refusal": refusal_text}}],
            "usage": usage,
        }
        return completion, headers

    def _refuse_parameters(self, body: dict[str, Any]) -> None:
        """OpenAI's answer to a parameter the model does not take (its error texts for temperature on a reasoning
        model, and for any other parameter)."""
        for param in self.config.reject:
            if param not in body:
                continue
            if param == "temperature":
                message = (f"Unsupported value: 'temperature' does not support {body[param]} with this model. Only "
                           "the default (1) value is supported.")
                code = "unsupported_value"
            else:
                message = f"Unsupported parameter: '{param}' is not supported with this model."
                code = "unsupported_parameter"
            raise _Fail(400, error_body(message, "invalid_request_error", code, param))

    def _cut(self, content: str, tokens: int) -> str:
        """The first `tokens` tokens of an answer, as a model stopped at its cap leaves it (broken JSON)."""
        if self.counter.encoding is None:
            return content[: int(tokens * 3.9)]
        return self.counter.encoding.decode(self.counter.encoding.encode(content, disallowed_special=())[:tokens])

    def _usage(self, messages: list[dict[str, Any]], schema: dict[str, Any], content: str,
               reasoning: int = 0) -> dict[str, Any]:
        pairs = [(str(m.get("role", "")), str(m.get("content") or "")) for m in messages]
        prompt = self.counter.count_messages(pairs, schema)
        completion = self.counter.count(content) + reasoning
        cached = self._cached_prefix(pairs)
        with self.lock:
            self.stats.prompt_tokens += prompt
            self.stats.completion_tokens += completion
            self.stats.cached_tokens += cached
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
                "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": reasoning, "audio_tokens": 0,
                                              "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}}

    def _cached_prefix(self, pairs: list[tuple[str, str]]) -> int:
        """Prompt caching, at message boundaries: the longest run of leading messages seen before, when it holds
        1,024 tokens or more, rounded down to a multiple of 128 (a repair resends its whole first exchange)."""
        best = total = 0
        with self.lock:
            for end in range(1, len(pairs) + 1):
                total += self.counter.count(pairs[end - 1][1]) + 4
                digest = hash(tuple(pairs[:end]))
                if digest in self.prefixes:
                    best = total
                self.prefixes.add(digest)
        return best // PREFIX_CACHE_STEP * PREFIX_CACHE_STEP if best >= PREFIX_CACHE_MIN else 0

    # -- files and batches -------------------------------------------------------------------------------------
    def add_file(self, data: bytes, filename: str, purpose: str) -> dict[str, Any]:
        file_id = f"file-{uuid.uuid4().hex[:24]}"
        record = {"id": file_id, "object": "file", "bytes": len(data), "created_at": int(time.time()),
                  "filename": filename, "purpose": purpose, "status": "processed"}
        with self.lock:
            self.files[file_id] = record | {"_data": data}
            self.stats.files_uploaded += purpose == "batch"
        return record

    def create_batch(self, body: dict[str, Any]) -> dict[str, Any]:
        input_id = body.get("input_file_id")
        if input_id not in self.files:
            raise _Fail(400, error_body(f"No file with id {input_id!r}", "invalid_request_error", None,
                                        "input_file_id"))
        if body.get("endpoint") != "/v1/chat/completions" or body.get("completion_window") != "24h":
            raise _Fail(400, error_body("endpoint must be /v1/chat/completions and completion_window 24h",
                                        "invalid_request_error", None, "endpoint"))
        batch_id = f"batch_{uuid.uuid4().hex[:24]}"
        batch = {"id": batch_id, "object": "batch", "endpoint": body["endpoint"], "errors": None,
                 "input_file_id": input_id, "completion_window": "24h", "status": "validating",
                 "output_file_id": None, "error_file_id": None, "created_at": int(time.time()),
                 "in_progress_at": None, "expires_at": int(time.time()) + 86400, "finalizing_at": None,
                 "completed_at": None, "failed_at": None, "expired_at": None, "cancelling_at": None,
                 "cancelled_at": None, "request_counts": {"total": 0, "completed": 0, "failed": 0},
                 "metadata": body.get("metadata")}
        with self.lock:
            self.batches[batch_id] = batch
            self.stats.batches_created += 1
        threading.Thread(target=self._run_batch, args=(batch_id,), daemon=True).start()
        return public(batch)

    def _run_batch(self, batch_id: str) -> None:
        batch = self.batches[batch_id]
        lines = self.files[batch["input_file_id"]]["_data"].decode("utf-8").splitlines()
        requests, seen = [], set()
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                assert item["custom_id"] not in seen and item["method"] == "POST" and item["url"] == batch["endpoint"]
                assert isinstance(item["body"], dict)
            except (ValueError, KeyError, AssertionError, TypeError):
                with self.lock:
                    batch.update(status="failed", failed_at=int(time.time()), errors={"object": "list", "data": [
                        {"code": "invalid_request", "message": "Invalid batch line (custom_id must be unique; "
                         "method POST; url the batch endpoint; body an object)", "param": None, "line": number}]})
                return
            seen.add(item["custom_id"])
            requests.append(item)
        started = time.monotonic()
        with self.lock:
            batch.update(status="in_progress", in_progress_at=int(time.time()))
            batch["request_counts"]["total"] = len(requests)
        outputs, errors = [], []
        for index, item in enumerate(requests):
            if batch_id in self.cancelled or self.closing.is_set():
                break
            if self.config.batch_expire_after is not None and index >= self.config.batch_expire_after:
                break
            request_id = f"req_{uuid.uuid4().hex[:24]}"
            with self.lock:
                self.stats.batch_requests += 1
                fail = self._roll(self.config.batch_fail)
            if fail:
                errors.append({"id": f"batch_req_{uuid.uuid4().hex[:24]}", "custom_id": item["custom_id"],
                               "response": {"status_code": 500, "request_id": request_id,
                                            "body": error_body("The server had an error.", "server_error", None)},
                               "error": None})
                with self.lock:
                    batch["request_counts"]["failed"] += 1
                continue
            try:
                completion, _ = self.chat(item["body"], limited=False)
                if self.config.record:
                    with self.lock:
                        self.exchanges.append(("BATCH", batch["endpoint"], 200, item["body"], completion))
                outputs.append({"id": f"batch_req_{uuid.uuid4().hex[:24]}", "custom_id": item["custom_id"],
                                "response": {"status_code": 200, "request_id": request_id, "body": completion},
                                "error": None})
                with self.lock:
                    batch["request_counts"]["completed"] += 1
            except _Fail as exc:
                errors.append({"id": f"batch_req_{uuid.uuid4().hex[:24]}", "custom_id": item["custom_id"],
                               "response": {"status_code": exc.status, "request_id": request_id, "body": exc.body},
                               "error": None})
                with self.lock:
                    batch["request_counts"]["failed"] += 1
        remaining = self.config.batch_seconds - (time.monotonic() - started)
        if remaining > 0:
            self.closing.wait(remaining)
        with self.lock:
            batch.update(status="finalizing", finalizing_at=int(time.time()))
        for records, key in ((outputs, "output_file_id"), (errors, "error_file_id")):
            if records:
                data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
                batch[key] = self.add_file(data, f"{batch_id}_{key.split('_')[0]}.jsonl", "batch_output")["id"]
        now = int(time.time())
        with self.lock:
            if batch_id in self.cancelled:
                batch.update(status="cancelled", cancelled_at=now)
            elif len(outputs) + len(errors) < len(requests):
                batch.update(status="expired", expired_at=now)
            else:
                batch.update(status="completed", completed_at=now)

    def cancel_batch(self, batch_id: str) -> dict[str, Any]:
        with self.lock:
            batch = self.batches[batch_id]
            if batch["status"] in ("validating", "in_progress", "finalizing"):
                self.cancelled.add(batch_id)
                batch.update(status="cancelling", cancelling_at=int(time.time()))
            return public(batch)


class _Hang(Exception):
    pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # the default backlog of 5 drops connections when a client opens many at once


# -- HTTP ------------------------------------------------------------------------------------------------------
def _handler_for(server: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass

        def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None,
                  raw: bytes | None = None) -> None:
            data = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
            if server.config.record:
                with server.lock:
                    server.exchanges.append((self.command, self.path.split("?")[0], status,
                                             getattr(self, "received", None), payload if raw is None else raw))
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream" if raw is not None else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("x-request-id", f"req_{uuid.uuid4().hex[:16]}")
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _json(self) -> dict[str, Any]:
            try:
                value = json.loads(self._body() or b"{}")
                self.received = value
            except ValueError:
                raise _Fail(400, error_body("We could not parse the JSON body of your request.",
                                            "invalid_request_error", None)) from None
            if not isinstance(value, dict):
                raise _Fail(400, error_body("The body must be a JSON object.", "invalid_request_error", None))
            return value

        def _dispatch(self, method: str) -> None:
            path = self.path.split("?")[0].rstrip("/")
            try:
                if server.config.api_key and self.headers.get("Authorization") != f"Bearer {server.config.api_key}":
                    self._body()
                    raise _Fail(401, error_body("Incorrect API key provided.", "invalid_request_error",
                                                "invalid_api_key"))
                self.received = None
                if not server.config.batch_api and path.startswith(("/v1/files", "/v1/batches")):
                    self._body()
                    raise _Fail(404, error_body(f"Invalid URL ({method} {path})", "invalid_request_error", None))
                if method == "POST" and path == "/v1/chat/completions":
                    self._chat()
                elif method == "POST" and path == "/v1/files":
                    self._send(200, self._upload())
                elif method == "GET" and (m := re.fullmatch(r"/v1/files/([\w-]+)/content", path)):
                    record = server.files.get(m.group(1)) or self._missing("file", m.group(1))
                    self._send(200, None, raw=record["_data"])
                elif method == "GET" and (m := re.fullmatch(r"/v1/files/([\w-]+)", path)):
                    record = server.files.get(m.group(1)) or self._missing("file", m.group(1))
                    self._send(200, {k: v for k, v in record.items() if not k.startswith("_")})
                elif method == "POST" and path == "/v1/batches":
                    self._send(200, server.create_batch(self._json()))
                elif method == "GET" and path == "/v1/batches":
                    with server.lock:
                        listed = [public(b) for b in reversed(list(server.batches.values()))]
                    ends = {"first_id": listed[0]["id"], "last_id": listed[-1]["id"]} if listed else {}
                    self._send(200, {"object": "list", "data": listed, **ends, "has_more": False})
                elif method == "GET" and (m := re.fullmatch(r"/v1/batches/(batch_\w+)", path)):
                    with server.lock:
                        batch = server.batches.get(m.group(1))
                        batch = public(batch) if batch else self._missing("batch", m.group(1))
                    self._send(200, batch)
                elif method == "POST" and (m := re.fullmatch(r"/v1/batches/(batch_\w+)/cancel", path)):
                    if m.group(1) not in server.batches:
                        self._missing("batch", m.group(1))
                    self._send(200, server.cancel_batch(m.group(1)))
                elif method == "GET" and path == "/_stats":
                    with server.lock:
                        self._send(200, asdict(server.stats))
                else:
                    self._send(404, error_body(f"Invalid URL ({method} {path})", "invalid_request_error", None))
            except _Fail as exc:
                self._send(exc.status, exc.body, exc.headers)
            except _Hang:
                server.closing.wait(server.config.hang_s)
                self.close_connection = True

        def _missing(self, kind: str, ident: str) -> Any:
            raise _Fail(404, error_body(f"No such {kind}: {ident}", "invalid_request_error", None))

        def _chat(self) -> None:
            body = self._json()
            with server.lock:
                server.stats.in_flight += 1
                server.stats.max_in_flight = max(server.stats.max_in_flight, server.stats.in_flight)
            try:
                completion, headers = server.chat(body)
                delay = server.config.latency_s + server.jitter_random.uniform(0, server.config.latency_jitter_s)
                if delay > 0:
                    server.closing.wait(delay)
                with server.lock:
                    server.stats.answered += 1
                    server.stats.last_at = time.monotonic()
                self._send(200, completion, headers)
            finally:
                with server.lock:
                    server.stats.in_flight -= 1

        def _upload(self) -> dict[str, Any]:
            content_type = self.headers.get("Content-Type", "")
            if "multipart/form-data" not in content_type:
                raise _Fail(400, error_body("Expected multipart/form-data", "invalid_request_error", None))
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + self._body())
            parts = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
            if "file" not in parts or "purpose" not in parts:
                raise _Fail(400, error_body("'file' and 'purpose' are required", "invalid_request_error", None, "file"))
            purpose = parts["purpose"].get_content().strip()
            upload = parts["file"]
            return server.add_file(upload.get_payload(decode=True) or b"", upload.get_filename() or "upload.jsonl",
                                   purpose)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._dispatch("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._dispatch("POST")

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="local OpenAI-compatible test server")
    parser.add_argument("--port", type=int, default=0)
    for item in fields(FakeConfig):
        if item.name == "reject":
            parser.add_argument("--reject", type=lambda text: tuple(p for p in text.split(",") if p), default=())
        elif isinstance(item.default, bool):
            parser.add_argument(f"--{item.name.replace('_', '-')}", type=lambda text: text.lower() == "true",
                                default=item.default)
        elif item.name in ("model",) or isinstance(item.default, str):
            parser.add_argument(f"--{item.name.replace('_', '-')}", default=item.default)
        elif item.name in ("rpm", "tpm", "batch_expire_after", "seed", "reasoning_tokens"):
            parser.add_argument(f"--{item.name.replace('_', '-')}", type=int, default=item.default)
        else:
            parser.add_argument(f"--{item.name.replace('_', '-')}", type=float, default=item.default)
    args = vars(parser.parse_args(argv))
    port = args.pop("port")
    server = FakeOpenAI(FakeConfig(**args), port=port)
    print(server.base_url, flush=True)
    try:
        server.httpd.serve_forever(poll_interval=0.05)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
