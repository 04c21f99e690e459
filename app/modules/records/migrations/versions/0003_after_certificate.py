"""After the certificate: refresher cards scheduled by FSRS, the reviews made on them, a
certificate's validity and renewal (valid_until; superseded_by and superseded_at on the old one),
helpers' support check-ins with their monthly counts kept after the retention period, confidence
self-ratings, and end-of-course survey answers kept without the trainee's id.

Revision ID: 0003_after_certificate
Revises: 0002_trust
Create Date: 2026-11-28

Written by hand to match models.RefresherCard, models.RefresherReview, models.Certificate, models.SupportCheckIn,
models.SupportCheckInMonth, models.ConfidenceRating and models.SurveyAnswer;
tests/test_records_database.py fails on any difference. Both tables hang off profiles.id with
ON DELETE CASCADE, so erasing a trainee takes their refreshers with them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_after_certificate"
down_revision = "0002_trust"
branch_labels = None
depends_on = None

UUID = sa.String(36)
WHEN = sa.DateTime(timezone=True)
ITEM_KEY = sa.String(212)


def _stamps() -> list[sa.Column]:
    return [sa.Column("created_at", WHEN, nullable=False), sa.Column("updated_at", WHEN, nullable=False)]


def _fk(table: str, column: str, target: str = "profiles") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete="CASCADE")


def _index(table: str, column: str) -> None:
    op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    op.create_table(
        "refresher_cards",
        sa.Column("id", UUID, nullable=False),
        sa.Column("profile_id", UUID, nullable=False),
        sa.Column("item_key", ITEM_KEY, nullable=False),
        sa.Column("card", sa.JSON(), nullable=False),
        sa.Column("due", WHEN, nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        *_stamps(),
        _fk("refresher_cards", "profile_id"),
        sa.PrimaryKeyConstraint("id", name="pk_refresher_cards"),
        sa.UniqueConstraint("profile_id", "item_key", name="uq_refresher_cards_profile_id_item_key"),
    )
    _index("refresher_cards", "profile_id")
    _index("refresher_cards", "due")

    op.create_table(
        "refresher_reviews",
        sa.Column("id", UUID, nullable=False),
        sa.Column("card_id", UUID, nullable=False),
        sa.Column("profile_id", UUID, nullable=False),
        sa.Column("item_key", ITEM_KEY, nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", WHEN, nullable=False),
        *_stamps(),
        _fk("refresher_reviews", "card_id", "refresher_cards"),
        _fk("refresher_reviews", "profile_id"),
        sa.PrimaryKeyConstraint("id", name="pk_refresher_reviews"),
        sa.CheckConstraint("rating >= 1 AND rating <= 4", name=op.f("ck_refresher_reviews_rating")),
    )
    _index("refresher_reviews", "card_id")
    _index("refresher_reviews", "profile_id")
    _index("refresher_reviews", "reviewed_at")

    op.create_table(
        "support_checkins",
        sa.Column("id", UUID, nullable=False),
        sa.Column("profile_id", UUID, nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("adult_involved", sa.Boolean(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("wants_debrief", sa.Boolean(), nullable=False),
        sa.Column("logged_on", sa.Date(), nullable=False),
        sa.Column("debrief_done_at", WHEN, nullable=True),
        sa.Column("debrief_done_by", UUID, nullable=True),
        *_stamps(),
        _fk("support_checkins", "profile_id"),
        sa.ForeignKeyConstraint(
            ["debrief_done_by"],
            ["profiles.id"],
            name="fk_support_checkins_debrief_done_by_profiles",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_support_checkins"),
        sa.CheckConstraint("kind IN ('listening', 'conflict', 'referral')", name=op.f("ck_support_checkins_kind")),
        sa.CheckConstraint("weight >= 1 AND weight <= 5", name=op.f("ck_support_checkins_weight")),
    )
    _index("support_checkins", "profile_id")
    _index("support_checkins", "logged_on")
    _index("support_checkins", "debrief_done_by")

    op.create_table(
        "support_checkin_months",
        sa.Column("id", UUID, nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("adult_involved", sa.Integer(), nullable=False),
        sa.Column("heavy", sa.Integer(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_support_checkin_months"),
        sa.UniqueConstraint("month", "kind", name="uq_support_checkin_months_month_kind"),
        sa.CheckConstraint(
            "kind IN ('listening', 'conflict', 'referral')", name=op.f("ck_support_checkin_months_kind")
        ),
    )

    op.create_table(
        "confidence_ratings",
        sa.Column("id", UUID, nullable=False),
        sa.Column("profile_id", UUID, nullable=False),
        sa.Column("moment", sa.String(12), nullable=False),
        sa.Column("competency_id", sa.String(100), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("rated_at", WHEN, nullable=False),
        *_stamps(),
        _fk("confidence_ratings", "profile_id"),
        sa.PrimaryKeyConstraint("id", name="pk_confidence_ratings"),
        sa.UniqueConstraint(
            "profile_id", "moment", "competency_id", name="uq_confidence_ratings_profile_id_moment_competency_id"
        ),
        sa.CheckConstraint("moment IN ('before', 'after', 'renewal')", name=op.f("ck_confidence_ratings_moment")),
        sa.CheckConstraint("rating >= 1 AND rating <= 5", name=op.f("ck_confidence_ratings_rating")),
    )
    _index("confidence_ratings", "profile_id")

    op.create_table(
        "survey_answers",
        sa.Column("id", UUID, nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_survey_answers"),
    )

    # Nullable columns: plain ADD COLUMN on SQLite, no table rebuild. Certificates issued before
    # this version are valid with no limit, and none is superseded.
    op.add_column("certificates", sa.Column("valid_until", WHEN, nullable=True))
    op.add_column("certificates", sa.Column("superseded_by", sa.String(40), nullable=True))
    op.add_column("certificates", sa.Column("superseded_at", WHEN, nullable=True))


def downgrade() -> None:
    op.drop_table("survey_answers")
    op.drop_table("confidence_ratings")
    op.drop_table("support_checkin_months")
    op.drop_table("support_checkins")
    with op.batch_alter_table("certificates") as batch:
        batch.drop_column("superseded_at")
        batch.drop_column("superseded_by")
        batch.drop_column("valid_until")
    op.drop_table("refresher_reviews")
    op.drop_table("refresher_cards")
