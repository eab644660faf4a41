"""Every setting of the grading service, typed and documented in one place. Front ends build a
ServiceSettings from their command line; nothing else reads the environment."""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.core.options import Options
from grader.run.sandbox.limits import Limits

DEFAULT_DB = "sqlite:///grader-service.sqlite"
"""What a ServiceSettings built without a URL uses (library callers and tests). The commands
never rely on it: they resolve --db, $GRADER_DB or the per-user default (store/location.py)."""


@dataclass(frozen=True)
class RateLimit:
    """A token bucket per student: `burst` quick submissions, then one every `refill_seconds`.
    Generous on purpose (a bug in the grader or its tests must not lock students out); a
    submission the grader fails on gives its token back."""

    burst: int = 6
    refill_seconds: float = 60.0


@dataclass(frozen=True)
class Leases:
    """How long a worker may hold a job without renewing it, and how often it renews. A worker
    that dies (SIGKILL, machine lost) stops renewing; its job is taken up again once the lease
    runs out. Grading a submission takes at most the sandbox's 120 s, and the heartbeat renews
    the lease all along, so a live worker never loses its job."""

    lease_seconds: float = 30.0
    heartbeat_seconds: float = 5.0
    max_attempts: int = 3
    """A job whose worker died this many times is marked failed (a poison submission cannot
    take every worker down in turn)."""
    worker_silent_seconds: float = 30.0
    """The dashboard shows a worker as lost after this long without a heartbeat."""


@dataclass(frozen=True)
class Storage:
    """What the database keeps of one student's uploads for one assignment. Without a bound a
    token could add 20 MiB a minute for ever (the rate limit refills); with it, a student's
    stored files stay under `quota_bytes`, and older graded submissions give their bytes back."""

    quota_bytes: int = 100 << 20
    """Stored file bytes per student and assignment; an upload that would pass it gets 413
    (instructors are not bound, as they are not rate-limited)."""
    keep_submissions: int = 5
    """Submissions whose files are always kept (the newest, per student and assignment), besides
    the one that counts and any still waiting or being graded. Older graded submissions lose
    their files, never their row or results, when the student next submits."""


DRAIN_GRACE_SECONDS = 30.0
DRAIN_SECONDS = Limits().submission_seconds + DRAIN_GRACE_SECONDS
"""How long `grader serve` waits on SIGTERM for its workers to finish their jobs: the sandbox's
limit for one submission plus a grace. Past it they are killed and their jobs' leases
released, so the next worker takes them up at once."""


@dataclass(frozen=True)
class ServiceSettings:
    db_url: str = DEFAULT_DB
    options: Options = field(default_factory=Options)
    """The grading options (seed, cases, limits, budget): the same as `grader grade`'s defaults,
    so a stored result equals what `grader grade` gives the same file."""
    rate: RateLimit = field(default_factory=RateLimit)
    leases: Leases = field(default_factory=Leases)
    storage: Storage = field(default_factory=Storage)
    drain_seconds: float = DRAIN_SECONDS
    max_request_bytes: int = 21 << 20
    """A request body larger than this is refused with 413 before it is read in full (the
    intake's budget, 20 MiB in all, plus room for the multipart framing)."""
    session_hours: float = 12.0
    """How long a web login lasts."""
    secure_cookies: bool = False
    """Send cookies only over HTTPS (set it when a TLS proxy is in front)."""
    poll_seconds: float = 0.1
    """How often an idle worker looks for work when the queue cannot block (SQLite)."""
