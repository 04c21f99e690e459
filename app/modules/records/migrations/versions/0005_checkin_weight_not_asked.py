"""A support check-in's "how heavy it felt" may be left unasked: helpers younger than the school's
age for wellbeing questions are asked nothing about their own wellbeing (issue 17), so their
check-ins keep no weight at all (NULL), rather than a number nobody gave.

Revision ID: 0005_checkin_weight_not_asked
Revises: 0004_profile_note
Create Date: 2026-11-29

Written by hand to match models.SupportCheckIn; tests/test_records_database.py fails on any
difference. The CHECK on the weight stays as it was (a NULL passes it). SQLite cannot loosen NOT
NULL in place: batch mode rebuilds the table, restating its CHECK constraints.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_checkin_weight_not_asked"
down_revision = "0004_profile_note"
branch_labels = None
depends_on = None

_CHECKS = (
    sa.CheckConstraint("kind IN ('listening', 'conflict', 'referral')", name="ck_support_checkins_kind"),
    sa.CheckConstraint("weight >= 1 AND weight <= 5", name="ck_support_checkins_weight"),
)


def upgrade() -> None:
    with op.batch_alter_table("support_checkins", table_args=_CHECKS) as batch:
        batch.alter_column("weight", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # Check-ins kept without a weight cannot go back into a column that needs one: they count as light.
    op.execute("UPDATE support_checkins SET weight = 1 WHERE weight IS NULL")
    with op.batch_alter_table("support_checkins", table_args=_CHECKS) as batch:
        batch.alter_column("weight", existing_type=sa.Integer(), nullable=False)
