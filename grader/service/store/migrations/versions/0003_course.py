"""Running a whole course (SPEC 7.1): manual scores of the written answers, rubric items,
and per-student extensions.

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
        "rubric_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("assignment", sa.String(length=50), nullable=False),
        sa.Column("exercise", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rubric_items_part", "rubric_items", ["assignment", "exercise"])
    op.create_table(
        "manual_rubric",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("exercise", sa.String(length=100), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["rubric_items.id"]),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"]),
        sa.PrimaryKeyConstraint("submission_id", "exercise", "item_id"),
    )
    op.create_index("ix_manual_rubric_item_id", "manual_rubric", ["item_id"])
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
    op.drop_index("ix_manual_rubric_item_id", table_name="manual_rubric")
    op.drop_table("manual_rubric")
    op.drop_index("ix_rubric_items_part", table_name="rubric_items")
    op.drop_table("rubric_items")
    op.drop_table("manual_scores")
