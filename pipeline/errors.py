"""One small error tree. Each error renders as a single line for the user; cli.py turns it into an exit code."""

from __future__ import annotations


class PipelineError(Exception):
    """Base class: an expected failure the user can act on."""

    exit_code = 1


class InputError(PipelineError):
    """Bad input data: a file, a row, a field."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 field: str | None = None):
        self.file, self.row, self.field = file, row, field
        where = []
        if file:
            where.append(str(file))
        if row is not None:
            where.append(f"row {row}")
        if field:
            where.append(f"column '{field}'")
        super().__init__(f"{': '.join(where)}: {message}" if where else message)


class ConfigError(PipelineError):
    exit_code = 2


class ProviderError(PipelineError):
    """The LLM provider failed after retries."""

    exit_code = 3


class StoreError(PipelineError):
    """Shopify (or the offline store) failed after retries, or answered with an error."""

    exit_code = 4


class ConflictError(PipelineError):
    """Someone changed the product on the store after we pulled it."""

    exit_code = 5


class BudgetExceeded(PipelineError):
    exit_code = 6


class RunInProgress(PipelineError):
    """Another process is running a stage that must not run twice at once (push, rollback)."""

    exit_code = 7
