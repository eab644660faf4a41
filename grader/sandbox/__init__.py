"""Running student code: a fresh, confined process per submission, spoken to only in numbers."""

from grader.sandbox.limits import Limits
from grader.sandbox.session import LoadReport, SandboxSession, Unit

__all__ = ["Limits", "LoadReport", "SandboxSession", "Unit"]
