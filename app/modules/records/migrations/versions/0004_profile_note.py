"""A short note on a profile ("Year 9, tall", "Maths set 2"), to tell apart two people with the same
name in one class (issue 15).

Revision ID: 0004_profile_note
Revises: 0003_after_certificate
Create Date: 2026-11-29

Written by hand to match models.Profile.note; tests/test_records_database.py fails on any
difference. A nullable column: a plain ADD COLUMN on SQLite, no table rebuild, and every profile
made before this version has no note.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_profile_note"
down_revision = "0003_after_certificate"
branch_labels = None
depends_on = None

NOTE_MAX = 40  # models.NOTE_MAX when this was written


def upgrade() -> None:
    op.add_column("profiles", sa.Column("note", sa.String(NOTE_MAX), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("note")
