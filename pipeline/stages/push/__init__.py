"""push: approved changes to the store (or an import file), recorded in the ledger; rollback undoes a push."""

from pipeline.stages.push.rollback import RollbackResult, rollback
from pipeline.stages.push.stage import PushOptions, PushResult
from pipeline.stages.push.stage import push as run

__all__ = ["PushOptions", "PushResult", "RollbackResult", "rollback", "run"]
