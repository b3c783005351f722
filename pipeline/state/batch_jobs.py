"""Batch API jobs in state.db (migration 0004_llm_batches): the llm_batches and llm_batch_requests tables.

A job is recorded when its input file is uploaded ('uploaded', no batch_id yet), given its batch's id once the
batch is created, its status and files as it is polled, and `collected_at` once its answers are in the response
cache. pipeline/llm/batch.py drives the Batch API with these; a job left uncollected by an interrupted run is
found again by `open_jobs`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pipeline.state.store import StateStore, inserted_id, utc_now


class BatchJobs:
    """The llm_batches / llm_batch_requests tables."""

    def __init__(self, state: StateStore):
        self.state = state
        self.db = state.db

    def start(self, input_file_id: str, provider: str, model: str, custom_ids: Iterable[str],
              run_id: int | None) -> int:
        """Record an uploaded input file and the requests in it (status 'uploaded'); returns the job's id."""
        now = utc_now()
        ids = list(custom_ids)
        with self.state.transaction() as db:
            cur = db.execute("INSERT INTO llm_batches (input_file_id, provider, model, status, requests, run_id, "
                             "created_at, updated_at) VALUES (?, ?, ?, 'uploaded', ?, ?, ?, ?)",
                             (input_file_id, provider, model, len(ids), run_id, now, now))
            job = inserted_id(cur)
            db.executemany("INSERT OR IGNORE INTO llm_batch_requests (job, custom_id) VALUES (?, ?)",
                           [(job, c) for c in ids])
        return job

    def created(self, job: int, batch_id: str, status: str) -> None:
        self.db.execute("UPDATE llm_batches SET batch_id = ?, status = ?, updated_at = ? WHERE id = ?",
                        (batch_id, status, utc_now(), job))

    def update(self, job: int, batch: Any) -> None:
        """The batch's status and files as last polled (`batch`: the SDK's Batch, or anything with those fields)."""
        self.db.execute("UPDATE llm_batches SET status = ?, output_file_id = ?, error_file_id = ?, updated_at = ? "
                        "WHERE id = ?", (batch.status, batch.output_file_id, batch.error_file_id, utc_now(), job))

    def collected(self, job: int, status: str | None = None) -> None:
        self.db.execute("UPDATE llm_batches SET collected_at = ?, status = COALESCE(?, status), updated_at = ? "
                        "WHERE id = ?", (utc_now(), status, utc_now(), job))

    def open_jobs(self, provider: str, model: str) -> list[dict[str, Any]]:
        """Jobs of this provider and model not collected yet, oldest first."""
        rows = self.db.execute("SELECT * FROM llm_batches WHERE collected_at IS NULL AND provider = ? AND model = ? "
                               "ORDER BY id", (provider, model)).fetchall()
        return [dict(r) for r in rows]

    def custom_ids(self, job: int) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT custom_id FROM llm_batch_requests WHERE job = ?", (job,))}

    def batch_id(self, job: int) -> str:
        """The provider's id of the job's batch (the job must have been `created`)."""
        return str(self.db.execute("SELECT batch_id FROM llm_batches WHERE id = ?", (job,)).fetchone()[0])

    def all_jobs(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute("SELECT * FROM llm_batches ORDER BY id")]
