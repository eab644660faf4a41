"""grading_settings: whether an assignment's written answers are graded anonymously.

Revision ID: 0004_grading_settings
Revises: 0003_course
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_grading_settings"
down_revision = "0003_course"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grading_settings",
        sa.Column("assignment", sa.String(length=50), nullable=False),
        sa.Column("anonymous", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("assignment"),
    )


def downgrade() -> None:
    op.drop_table("grading_settings")
