"""The Batch API path against the local server: upload, create, poll, collect, and surviving a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.openai_server import FakeConfig, FakeOpenAI

from pipeline.llm.batch import BatchJobs, OpenAIBatch
from pipeline.llm.provider import Message, Request
from pipeline.state.response_cache import ResponseCache
from pipeline.state.store import StateStore

SCHEMA = {"type": "object", "properties": {"title": {"type": ["string", "null"]}}, "required": ["title"],
          "additionalProperties": False}


def requests(n: int, tag: str = "") -> list[Request]:
    return [Request(messages=(Message("system", "You write product copy."), Message("user", f"Product {tag}{i}")),
                    schema=SCHEMA, max_output_tokens=100) for i in range(n)]


def batch_runner(server: FakeOpenAI, state: StateStore, **kwargs: object) -> OpenAIBatch:
    options: dict[str, object] = {"base_url": server.base_url, "api_key": "test", "poll_s": 0.02}
    options.update(kwargs)
    return OpenAIBatch("gpt-4o-mini", state, **options)  # type: ignore[arg-type]


class Interrupted(Exception):
    pass


def interrupt_on_first_poll(seconds: float) -> None:
    raise Interrupted("the machine went down while the batch was in flight")


def test_requests_go_through_one_batch_and_every_answer_lands_in_the_cache(tmp_path: Path) -> None:
    with FakeOpenAI(FakeConfig(batch_seconds=0.1)) as server, StateStore(tmp_path / "state.db") as state:
        run = batch_runner(server, state)
        arrived: list[int] = []
        outcomes = run.complete_many(requests(30), on_response=lambda i, r: arrived.append(i))
        assert [o.error for o in outcomes] == [None] * 30
        assert sorted(arrived) == list(range(30))
        assert server.stats.batches_created == 1 and server.stats.batch_requests == 30
        assert ResponseCache(state).count() == 30
        assert [(j["status"], j["requests"], j["collected_at"] is not None) for j in BatchJobs(state).all_jobs()] \
            == [("completed", 30, True)]
        again = run.complete_many(requests(30))  # answered from the cache: nothing is sent twice
        assert all(o.response is not None for o in again) and server.stats.batches_created == 1


def test_a_batch_in_flight_survives_a_restart_and_is_collected_not_re_sent(tmp_path: Path) -> None:
    with FakeOpenAI(FakeConfig(batch_seconds=0.3)) as server:
        with StateStore(tmp_path / "state.db") as state, pytest.raises(Interrupted):
            batch_runner(server, state, sleep=interrupt_on_first_poll).complete_many(requests(12))
        assert server.stats.batches_created == 1
        with StateStore(tmp_path / "state.db") as state:  # a new process, the same state.db
            jobs = BatchJobs(state).all_jobs()
            assert len(jobs) == 1 and jobs[0]["batch_id"] and jobs[0]["collected_at"] is None
            run = batch_runner(server, state)
            outcomes = run.complete_many(requests(12))
        assert all(o.response is not None for o in outcomes)
        assert server.stats.batches_created == 1 and server.stats.files_uploaded == 1
        assert run.stats.batches_resumed == 1 and run.stats.sent == 0


def test_an_upload_whose_batch_creation_was_cut_short_is_matched_to_its_batch(tmp_path: Path) -> None:
    with FakeOpenAI(FakeConfig(batch_seconds=0.05)) as server, StateStore(tmp_path / "state.db") as state:
        run = batch_runner(server, state)
        original_create = run.client.batches.create

        def create_then_crash(**kwargs: object) -> None:
            original_create(**kwargs)
            raise Interrupted("killed between batches.create and recording its id")

        run.client.batches.create = create_then_crash
        with pytest.raises(Interrupted):
            run.complete_many(requests(5))
        assert BatchJobs(state).all_jobs()[0]["batch_id"] is None
        outcomes = batch_runner(server, state).complete_many(requests(5))
        assert all(o.response is not None for o in outcomes)
        assert server.stats.batches_created == 1


def test_failed_requests_from_the_error_file_are_reported_and_not_cached(tmp_path: Path) -> None:
    with FakeOpenAI(FakeConfig(batch_fail=0.3, seed=11)) as server, StateStore(tmp_path / "state.db") as state:
        outcomes = batch_runner(server, state).complete_many(requests(40))
        failed = [o for o in outcomes if o.response is None]
        assert failed and len(failed) < 40
        assert all(o.error.startswith("HTTP 500") for o in failed)
        assert ResponseCache(state).count() == 40 - len(failed)


def test_an_expired_batch_keeps_its_finished_answers_and_names_the_rest(tmp_path: Path) -> None:
    with FakeOpenAI(FakeConfig(batch_expire_after=4)) as server, StateStore(tmp_path / "state.db") as state:
        outcomes = batch_runner(server, state).complete_many(requests(10))
        assert sum(o.response is not None for o in outcomes) == 4
        (batch_id,) = server.batches
        unanswered = {o.error for o in outcomes if o.response is None}
        assert unanswered == {f"not answered: the batch {batch_id} ended expired"}


def test_large_runs_are_split_into_several_batches(tmp_path: Path) -> None:
    with FakeOpenAI() as server, StateStore(tmp_path / "state.db") as state:
        outcomes = batch_runner(server, state, max_requests=10).complete_many(requests(25))
        assert all(o.response is not None for o in outcomes)
        assert server.stats.batches_created == 3


def test_a_budget_refusal_stops_sending_and_the_rest_are_skipped(tmp_path: Path) -> None:
    with FakeOpenAI() as server, StateStore(tmp_path / "state.db") as state:
        outcomes = batch_runner(server, state).complete_many(requests(10), admit=lambda i, r: i < 6)
        assert [o.response is not None for o in outcomes] == [True] * 6 + [False] * 4
        assert all(o.skipped for o in outcomes[6:]) and server.stats.batch_requests == 6


def test_a_refused_key_is_one_clear_provider_error(tmp_path: Path) -> None:
    from pipeline.errors import ProviderError

    with FakeOpenAI(FakeConfig(api_key="right")) as server, StateStore(tmp_path / "state.db") as state:
        with pytest.raises(ProviderError, match="API key was refused"):
            batch_runner(server, state, api_key="wrong").complete_many(requests(2))
        assert server.stats.files_uploaded == 0 and BatchJobs(state).all_jobs() == []
