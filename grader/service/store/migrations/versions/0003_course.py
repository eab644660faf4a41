"""Running a whole course (SPEC 7.1): manual scores of the written answers, and per-student
extensions.

Revision ID: 0003_course
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_course"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "manual_scores",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("exercise", sa.String(length=100), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("comment", sa.Text(), server_default="", nullable=False),
        sa.Column("graded_by", sa.String(length=100), nullable=False),
        sa.Column("graded_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["graded_by"], ["accounts.id"]),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"]),
        sa.PrimaryKeyConstraint("submission_id", "exercise"),
    )
    op.create_table(
        "extensions",
        sa.Column("assignment", sa.String(length=50), nullable=False),
        sa.Column("account_id", sa.String(length=100), nullable=False),
        sa.Column("deadline", sa.Float(), nullable=False),
        sa.Column("late_until", sa.Float(), nullable=True),
        sa.Column("granted_by", sa.String(length=100), nullable=False),
        sa.Column("granted_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.ForeignKeyConstraint(["granted_by"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("assignment", "account_id"),
    )


def downgrade() -> None:
    op.drop_table("extensions")
    op.drop_table("manual_scores")
