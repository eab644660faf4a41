"""Running student code: a fresh, confined process per submission, spoken to only in numbers."""

from grader.run.sandbox.limits import Limits
from grader.run.sandbox.runners import SandboxRunners
from grader.run.sandbox.session import SandboxSession

__all__ = ["Limits", "SandboxRunners", "SandboxSession"]
