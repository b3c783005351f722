"""OpenAI's Batch API: half the price, answers within 24 hours, for large runs.

`OpenAIBatch.complete_many(requests)` writes the requests as Batch JSONL (one `{"custom_id", "method": "POST",
"url": "/v1/chat/completions", "body"}` per line, the same body the live path sends), uploads it
(`files.create(purpose="batch")`), creates the batch, polls it, downloads the output and error files, and puts
every answer into the response cache. The custom_id IS the response-cache key, so an answer collected from a batch
is found by the stage exactly as a live answer would be, and is never paid for twice.

Every job is written to state.db before and after its creation (pipeline/state/batch_jobs.py). A run that is
interrupted while a batch is in flight finds it there on the next run and waits for it instead of re-sending its
requests; an upload whose batch creation was cut short is matched to its batch through `batches.list`.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, TextIO

import openai

from pipeline.errors import ProviderError
from pipeline.llm.concurrent import Outcome
from pipeline.llm.models import rejected_parameter
from pipeline.llm.openai_wire import chat_body, describe_error, response_from_completion
from pipeline.llm.provider import Request, Response
from pipeline.state.batch_jobs import BatchJobs
from pipeline.state.response_cache import ResponseCache, request_key
from pipeline.state.store import StateStore

ENDPOINT: Final = "/v1/chat/completions"
TERMINAL = ("completed", "failed", "expired", "cancelled")
MAX_REQUESTS_PER_BATCH = 50_000  # OpenAI's limits per batch input file
MAX_BYTES_PER_BATCH = 190 * 1024 * 1024  # 200 MB, with room to spare


@dataclass
class BatchStats:
    batches_created: int = 0
    batches_resumed: int = 0
    sent: int = 0  # requests written to new batch files
    answered: int = 0
    failed: int = 0
    polls: int = 0
    seconds: float = 0.0


class OpenAIBatch:
    """The Batch API behind the same `complete_many` as the concurrent runner (see the module docstring)."""

    name = "openai"  # the live runner's name too: one response cache for both paths
    template_based = False

    def __init__(self, model: str, state: StateStore, *, api_key: str = "not-needed", base_url: str | None = None,
                 timeout_s: float = 120.0, poll_s: float = 30.0, max_requests: int = MAX_REQUESTS_PER_BATCH,
                 max_bytes: int = MAX_BYTES_PER_BATCH, max_tokens_param: str = "max_completion_tokens",
                 structured_output: bool = True,
                 run_id: int | None = None, client: Any = None, sleep: Callable[[float], None] = time.sleep,
                 progress_stream: TextIO | None = None, metadata: dict[str, str] | None = None):
        self.model, self.state = model, state
        self.poll_s = poll_s
        self.max_requests, self.max_bytes = max_requests, max_bytes
        self.max_tokens_param = max_tokens_param
        self.structured_output = structured_output
        self.run_id = run_id
        self.client = client or openai.OpenAI(api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=3)
        self.sleep = sleep
        self.stream = progress_stream or sys.stderr
        self.metadata = metadata or {}
        self.where = base_url or "api.openai.com"
        self.jobs = BatchJobs(state)
        self.cache = ResponseCache(state)
        self.stats = BatchStats()
        self.errors: dict[str, str] = {}  # custom_id -> why it has no answer

    def key(self, request: Request) -> str:
        return request_key(self.name, self.model, request)

    def complete(self, request: Request) -> Response:
        outcome = self.complete_many([request])[0]
        if outcome.response is None:
            raise ProviderError(f"{self.where} batch ({self.model}): {outcome.error or 'no answer'}")
        return outcome.response

    def complete_many(self, requests: Sequence[Request], *,
                      on_response: Callable[[int, Response], None] | None = None,
                      admit: Callable[[int, Request], bool] | None = None) -> list[Outcome]:
        """Answers for `requests`, through the cache: resume open batches, send what is neither answered nor in
        flight (asking `admit` first, in order; a refusal stops the sending there), wait, collect."""
        started = time.monotonic()
        try:
            keys = [self.key(r) for r in requests]
            waiting = self._resume(set(keys))
            in_flight = set().union(*(ids for _, ids in waiting)) if waiting else set()
            to_send: dict[str, int] = {}
            skipped: set[int] = set()
            for index, (key, request) in enumerate(zip(keys, requests, strict=True)):
                if key in to_send or key in in_flight or self.cache.get(key) is not None:
                    continue
                if skipped or (admit is not None and not admit(index, request)):
                    skipped.add(index)
                    continue
                to_send[key] = index
            for chunk in self._chunks([(key, requests[i]) for key, i in to_send.items()]):
                waiting.append(self._submit(chunk))
            for job, _ in waiting:
                self._wait_and_collect(job)
            outcomes = []
            for index, key in enumerate(keys):
                response = self.cache.get(key)
                if response is not None:
                    outcomes.append(Outcome(response=response, attempts=1))
                    if on_response is not None and (key in to_send or key in in_flight):
                        on_response(index, response)
                elif index in skipped:
                    outcomes.append(Outcome(skipped=True))
                else:
                    outcomes.append(Outcome(error=self.errors.get(key, "no answer in the batch output")))
            return outcomes
        except openai.AuthenticationError:
            raise ProviderError(f"{self.where}: the API key was refused; check OPENAI_API_KEY") from None
        except openai.APIError as exc:
            raise ProviderError(f"{self.where} batch ({self.model}): {describe_error(exc)}; batches in flight are "
                                "recorded in state.db and are collected by the next run") from None
        finally:
            self.stats.seconds += time.monotonic() - started

    # -- sending --------------------------------------------------------------------------------------------
    def _chunks(self, items: list[tuple[str, Request]]) -> Iterable[list[bytes]]:
        chunk: list[bytes] = []
        size = 0
        for key, request in items:
            line = (json.dumps({"custom_id": key, "method": "POST", "url": ENDPOINT,
                                "body": chat_body(self.model, request, self.max_tokens_param,
                                                  self.structured_output)},
                               ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
            if chunk and (len(chunk) >= self.max_requests or size + len(line) > self.max_bytes):
                yield chunk
                chunk, size = [], 0
            chunk.append(line)
            size += len(line)
        if chunk:
            yield chunk

    def _submit(self, lines: list[bytes]) -> tuple[int, set[str]]:
        custom_ids = {json.loads(line)["custom_id"] for line in lines}
        upload = self.client.files.create(file=("requests.jsonl", b"".join(lines)), purpose="batch")
        job = self.jobs.start(upload.id, self.name, self.model, custom_ids, self.run_id)
        batch = self.client.batches.create(input_file_id=upload.id, endpoint=ENDPOINT, completion_window="24h",
                                           metadata={"source": "seo-pipeline", **self.metadata})
        self.jobs.created(job, batch.id, batch.status)
        self.stats.batches_created += 1
        self.stats.sent += len(lines)
        return job, custom_ids

    # -- resuming -------------------------------------------------------------------------------------------
    def _resume(self, wanted: set[str]) -> list[tuple[int, set[str]]]:
        """Open jobs from earlier runs. Those holding any wanted request are waited for; the others are collected
        if they have finished and left alone otherwise (they were paid for; a later run collects them)."""
        waiting = []
        for row in self.jobs.open_jobs(self.name, self.model):
            if row["batch_id"] is None and not self._adopt(row):
                continue
            ids = self.jobs.custom_ids(row["id"])
            self.stats.batches_resumed += 1
            if ids & wanted:
                waiting.append((row["id"], ids))
            else:
                batch = self.client.batches.retrieve(self.jobs.batch_id(row["id"]))
                if batch.status in TERMINAL:
                    self._collect(row["id"], batch)
        return waiting

    def _adopt(self, row: dict[str, Any]) -> bool:
        """An upload whose batch creation was cut short: find its batch, or drop the job (its requests will be
        sent again, which is safe: nothing was created, so nothing was paid for)."""
        for batch in self.client.batches.list(limit=100):
            if batch.input_file_id == row["input_file_id"]:
                self.jobs.created(row["id"], batch.id, batch.status)
                return True
        self.jobs.collected(row["id"], "never_created")
        return False

    # -- waiting and collecting ------------------------------------------------------------------------------
    def _wait_and_collect(self, job: int) -> None:
        batch_id = self.jobs.batch_id(job)
        interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        while True:
            batch = self.client.batches.retrieve(batch_id)
            self.stats.polls += 1
            self.jobs.update(job, batch)
            if batch.status in TERMINAL:
                break
            if interactive:
                counts = batch.request_counts
                done = f" {counts.completed + counts.failed:,}/{counts.total:,}" if counts and counts.total else ""
                self.stream.write(f"\rbatch {batch_id}: {batch.status}{done}   ")
                self.stream.flush()
            self.sleep(self.poll_s)
        if interactive:
            self.stream.write("\r" + " " * 70 + "\r")
        self._collect(job, batch)

    def _collect(self, job: int, batch: Any) -> None:
        if batch.status == "failed":
            reasons = "; ".join(f"line {e.line}: {e.message}" if getattr(e, "line", None) else str(e.message)
                                for e in (batch.errors.data if batch.errors and batch.errors.data else []))
            for custom_id in self.jobs.custom_ids(job):
                self.errors[custom_id] = f"the batch {batch.id} failed" + (f" ({reasons[:300]})" if reasons else "")
        answered: set[str] = set()
        if batch.output_file_id:
            for record in self._lines(batch.output_file_id):
                custom_id = str(record.get("custom_id"))  # always there: the request line set it
                response = record.get("response") or {}
                if response.get("status_code") == 200 and isinstance(response.get("body"), dict):
                    try:
                        answer = response_from_completion(response["body"], self.model)
                    except ValueError as exc:
                        self.errors[custom_id] = f"unreadable answer: {exc}"
                        continue
                    self.cache.put(custom_id, self.name, self.model, answer)
                    answered.add(custom_id)
                    self.stats.answered += 1
                else:
                    self._failed(record)
        if batch.error_file_id:
            for record in self._lines(batch.error_file_id):
                self._failed(record)
        for custom_id in self.jobs.custom_ids(job) - answered:
            self.errors.setdefault(custom_id, f"not answered: the batch {batch.id} ended {batch.status}")
        self.jobs.collected(job)

    def _failed(self, record: dict[str, Any]) -> None:
        custom_id = record.get("custom_id")
        response = record.get("response") or {}
        error = record.get("error") or (response.get("body") or {}).get("error") or {}
        status = response.get("status_code")
        message = str(error.get("message") or error.get("code") or "failed")[:200]
        self.errors[str(custom_id)] = rejected_parameter(status, error) or (f"HTTP {status}: {message}" if status
                                                                           else message)
        self.stats.failed += 1

    def _lines(self, file_id: str) -> Iterable[dict[str, Any]]:
        text = self.client.files.content(file_id).text
        for line in text.splitlines():
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError:
                    continue
