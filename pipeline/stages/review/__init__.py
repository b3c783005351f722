"""review: a person reads each draft's before/after diff and approves, edits or rejects it (app, report, CSV)."""

from pipeline.stages.review.app import run_review as run
from pipeline.stages.review.collections import run_collections_csv
from pipeline.stages.review.decisions_csv import export_decisions
from pipeline.stages.review.stage import ReportResult, ReviewSource, write_report

__all__ = ["ReportResult", "ReviewSource", "export_decisions", "run", "run_collections_csv", "write_report"]
