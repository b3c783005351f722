"""push: approved changes to the store (or an import file), recorded in the ledger; rollback undoes a push."""

from pipeline.stages.push.rollback import RollbackResult, rollback
from pipeline.stages.push.stage import PushOptions, PushResult
from pipeline.stages.push.stage import push as run
from pipeline.stages.push.translation_file import IMPORT_HINT as TRANSLATION_IMPORT_HINT
from pipeline.stages.push.translation_file import export_path as translation_file_path
from pipeline.stages.push.translation_file import resources as translation_resources

__all__ = ["TRANSLATION_IMPORT_HINT", "PushOptions", "PushResult", "RollbackResult", "rollback", "run",
           "translation_file_path", "translation_resources"]
