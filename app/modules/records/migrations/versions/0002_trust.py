"""Paired laptops: the laptops whose record bundles this one accepts.

Revision ID: 0002_trust
Revises: 0001_initial
Create Date: 2026-11-28

Written by hand to match models.PairedLaptop; tests/test_records_database.py fails on any
difference. The school's id (setting "school.id") needs no schema: setup makes it, and a school
set up before this version gets one the first time it exports or pairs (exchange/trust.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_trust"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "paired_laptops",
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(40), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("school_id", sa.String(36), nullable=False),
        sa.Column("school_name", sa.String(120), nullable=False),
        sa.Column("paired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paired_by", sa.String(36), nullable=True),
        sa.ForeignKeyConstraint(
            ["paired_by"], ["profiles.id"], name="fk_paired_laptops_paired_by_profiles", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("public_key", name="pk_paired_laptops"),
    )
    op.create_index("ix_paired_laptops_paired_by", "paired_laptops", ["paired_by"])


def downgrade() -> None:
    op.drop_table("paired_laptops")
