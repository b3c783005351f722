"""audit: duplicate, near-duplicate, generic and thin copy, and missing or over-long SEO fields."""

from pipeline.stages.audit.stage import AuditConfig, AuditResult, audit_config
from pipeline.stages.audit.stage import audit as run

__all__ = ["AuditConfig", "AuditResult", "audit_config", "run"]
