"""generate: drafts per product and locale, written by a provider and judged by the quality gates.

The offline template writer is a provider like OpenAI's; the composition root (pipeline/wiring.py) picks one.
"""

from pipeline.stages.generate.collections import write_collection_drafts
from pipeline.stages.generate.estimate import estimate_lines
from pipeline.stages.generate.offline_writer import OfflineTemplateProvider
from pipeline.stages.generate.stage import GenerateOptions, GenerateResult
from pipeline.stages.generate.stage import generate as run

__all__ = ["GenerateOptions", "GenerateResult", "OfflineTemplateProvider", "estimate_lines", "run",
           "write_collection_drafts"]
