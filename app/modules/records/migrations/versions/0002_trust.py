"""Paired laptops: the laptops whose record bundles this one accepts.

Revision ID: 0002_trust
Revises: 0001_initial
Create Date: 2026-11-28

Written by hand to match models.PairedLaptop; tests/test_records_database.py fails on any
difference. A school set up before this version gets its id here (setting "school.id"; setup makes
it for new schools): every record bundle carries it (exchange/trust.py).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

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
    _give_the_school_an_id()


def _give_the_school_an_id() -> None:
    bind = op.get_bind()
    settings = sa.table(
        "settings",
        sa.column("key", sa.String(100)),
        sa.column("value", sa.JSON()),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("updated_by", sa.String(36)),
    )
    keys = set(
        bind.execute(sa.select(settings.c.key).where(settings.c.key.in_(["school.name", "school.id"]))).scalars()
    )
    if keys == {"school.name"}:
        now = datetime.now(UTC)
        # models.UTCDateTime keeps naive UTC on SQLite and aware times elsewhere: the same here.
        when = now.replace(tzinfo=None) if bind.dialect.name == "sqlite" else now
        op.bulk_insert(settings, [{"key": "school.id", "value": str(uuid.uuid4()), "updated_at": when}])


def downgrade() -> None:
    op.drop_table("paired_laptops")
