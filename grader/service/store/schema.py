"""The service's tables. Times are seconds since the epoch (floats), the same on SQLite and
PostgreSQL. Migrations in migrations/versions/ create exactly these (a test compares them)."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("role", String(20), nullable=False),  # student | instructor
    Column("first_name", String(200), nullable=False, server_default=""),
    Column("last_name", String(200), nullable=False, server_default=""),
    Column("email", String(200), nullable=False, server_default=""),
    Column("created_at", Float, nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", String(100), ForeignKey("accounts.id"), nullable=False, index=True),
    Column("digest", String(64), nullable=False, unique=True),  # sha256 of the token
    Column("created_at", Float, nullable=False),
    Column("revoked_at", Float),
    Column("last_used_at", Float),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("digest", String(64), nullable=False, unique=True),  # sha256 of the cookie
    Column("account_id", String(100), ForeignKey("accounts.id"), nullable=False),
    Column("token_id", Integer, ForeignKey("tokens.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
)

assignment_settings = Table(
    "assignment_settings",
    metadata,
    Column("assignment", String(50), primary_key=True),
    Column("deadline", Float),  # None: always open
    Column("late_until", Float),  # None: closed at the deadline
    Column("penalty_per_day", Float, nullable=False, server_default="0"),  # fraction of the score
    Column("policy", String(10), nullable=False, server_default="latest"),  # latest | best
)

rate_buckets = Table(
    "rate_buckets",
    metadata,
    Column("account_id", String(100), ForeignKey("accounts.id"), primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", String(100), ForeignKey("accounts.id"), nullable=False),
    Column("assignment", String(50), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("digest", String(64), nullable=False),  # sha256 over the names and bytes of its files
    Column("files", Text, nullable=False),  # JSON list of the uploaded names, as shown
    Column("size", Integer, nullable=False),
    Column("late_days", Float, nullable=False, server_default="0"),
    Column("penalty", Float, nullable=False, server_default="0"),  # fraction taken off
    Column("pruned_at", Float),  # when its files were removed (retention.py); None: kept
    Index("ix_submissions_owner", "account_id", "assignment", "id"),
    Index("ix_submissions_digest", "account_id", "assignment", "digest"),
)

submission_files = Table(
    "submission_files",
    metadata,
    Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
    Column("name", String(400), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

references = Table(
    "reference_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assignment", String(50), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("files", Text, nullable=False),  # JSON: module file name -> source
    Column("created_at", Float, nullable=False),
    UniqueConstraint("assignment", "digest", name="uq_reference_versions_assignment_digest"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("generation", Integer, nullable=False),  # 0: first grading; n: the n-th regrade
    Column("reason", String(200), nullable=False),
    Column("priority", Integer, nullable=False),  # lower first: students' first gradings lead
    Column("status", String(10), nullable=False),  # queued | running | done | failed
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("lease_owner", String(200)),
    Column("lease_expires", Float),
    Column("enqueued_at", Float, nullable=False),
    Column("started_at", Float),
    Column("finished_at", Float),
    Column("error", Text),
    UniqueConstraint("submission_id", "generation", name="uq_jobs_submission_generation"),
    Index("ix_jobs_claim", "status", "priority", "id"),
)

results = Table(
    "results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("job_id", Integer, ForeignKey("jobs.id"), nullable=False, unique=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False, index=True),
    Column("generation", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("max_score", Float, nullable=False),
    Column("document", Text, nullable=False),  # the section 5 submission object, as JSON
    Column("reference_digest", String(64), nullable=False),
    Column("changes", Text),  # JSON: what changed from the previous generation (regrades)
    Column("worker", String(200), nullable=False),
    Column("created_at", Float, nullable=False),
)

workers = Table(
    "workers",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("host", String(200), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("started_at", Float, nullable=False),
    Column("last_heartbeat", Float, nullable=False),
    Column("state", String(20), nullable=False),  # idle | busy | draining | stopped
    Column("job_id", Integer),
    Column("load", Float, nullable=False, server_default="0"),
    Column("graded", Integer, nullable=False, server_default="0"),
)

manual_scores = Table(
    "manual_scores",
    metadata,
    Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
    Column("exercise", String(100), primary_key=True),  # a written question of the assignment
    Column("score", Float, nullable=False),
    Column("comment", Text, nullable=False, server_default=""),
    Column("graded_by", String(100), ForeignKey("accounts.id"), nullable=False),
    Column("graded_at", Float, nullable=False),
)
"""The scores graders enter for the written answers: keyed by submission, not by result, so a
regrade (a new result of the same submission) keeps them."""

rubric_items = Table(
    "rubric_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assignment", String(50), nullable=False),
    Column("exercise", String(100), nullable=False),  # the written part it grades
    Column("text", Text, nullable=False),
    Column("points", Float, nullable=False),  # negative: a deduction
    Column("created_by", String(100), ForeignKey("accounts.id"), nullable=False),
    Column("created_at", Float, nullable=False),
    Index("ix_rubric_items_part", "assignment", "exercise"),
)
"""Reusable rubric items per written part: applying some sets the answer's score to their sum."""

manual_rubric = Table(
    "manual_rubric",
    metadata,
    Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
    Column("exercise", String(100), primary_key=True),
    Column("item_id", Integer, ForeignKey("rubric_items.id"), primary_key=True, index=True),
)
"""Which rubric items an answer's manual score was made of (changing an item's points
recomputes every score that uses it)."""

extensions = Table(
    "extensions",
    metadata,
    Column("assignment", String(50), primary_key=True),
    Column("account_id", String(100), ForeignKey("accounts.id"), primary_key=True),
    Column("deadline", Float, nullable=False),
    Column("late_until", Float),  # None: closed at the student's own deadline
    Column("granted_by", String(100), ForeignKey("accounts.id"), nullable=False),
    Column("granted_at", Float, nullable=False),
)
"""One student's own deadline and late window for one assignment, replacing the assignment's."""

grading_settings = Table(
    "grading_settings",
    metadata,
    Column("assignment", String(50), primary_key=True),
    Column("anonymous", Integer, nullable=False, server_default="0"),  # 1: graders see no names
)
"""How an assignment's written answers are graded: anonymously (the grading pages show
"Submission 17" instead of the student) or not."""
