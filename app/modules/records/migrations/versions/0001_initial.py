"""The whole schema: profiles, settings, progress, attempts, sign-offs, certificates, audit.

Revision ID: 0001_initial
Revises:
Create Date: 2025-11-25

Written by hand to match models.py; tests/test_records_migrations.py fails on any difference.
Constraint names follow models.NAMING_CONVENTION so later batch migrations can find them;
CHECK names go through op.f() because alembic applies that convention (ck_<table>_<name>) again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

UUID = sa.String(36)
WHEN = sa.DateTime(timezone=True)
NAME = sa.String(80)
CONTENT_ID = sa.String(100)


def _stamps() -> list[sa.Column]:
    return [sa.Column("created_at", WHEN, nullable=False), sa.Column("updated_at", WHEN, nullable=False)]


def _fk(
    table: str, column: str, ondelete: str, nullable: bool, target: str = "profiles"
) -> tuple[sa.Column, sa.ForeignKeyConstraint]:
    return (
        sa.Column(column, UUID, nullable=nullable),
        sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete),
    )


def _lesson_columns() -> list[sa.Column]:
    return [sa.Column("module_id", CONTENT_ID, nullable=False), sa.Column("lesson_id", CONTENT_ID, nullable=False)]


def _index(table: str, *columns: str) -> None:
    op.create_index(f"ix_{table}_{'_'.join(columns)}", table, list(columns))


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("id", UUID, nullable=False),
        sa.Column("display_name", NAME, nullable=False),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("group_name", NAME, nullable=True),
        sa.Column("secret_hash", sa.String(255), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", WHEN, nullable=True),
        sa.Column("preferences", sa.JSON(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_profiles"),
        sa.CheckConstraint("role IN ('trainee', 'trainer', 'coordinator')", name=op.f("ck_profiles_role")),
    )
    _index("profiles", "role")

    updated_by, updated_by_fk = _fk("settings", "updated_by", "SET NULL", True)
    op.create_table(
        "settings",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("updated_at", WHEN, nullable=False),
        updated_by,
        updated_by_fk,
        sa.PrimaryKeyConstraint("key", name="pk_settings"),
    )
    _index("settings", "updated_by")

    profile_id, profile_fk = _fk("lesson_progress", "profile_id", "CASCADE", False)
    op.create_table(
        "lesson_progress",
        sa.Column("id", UUID, nullable=False),
        profile_id,
        *_lesson_columns(),
        sa.Column("position", sa.Float(), nullable=False),
        sa.Column("completed_at", WHEN, nullable=True),
        *_stamps(),
        profile_fk,
        sa.PrimaryKeyConstraint("id", name="pk_lesson_progress"),
        sa.UniqueConstraint(
            "profile_id", "module_id", "lesson_id", name="uq_lesson_progress_profile_id_module_id_lesson_id"
        ),
        sa.CheckConstraint("position >= 0 AND position <= 1", name=op.f("ck_lesson_progress_position")),
    )
    _index("lesson_progress", "profile_id")

    profile_id, profile_fk = _fk("quiz_attempts", "profile_id", "CASCADE", False)
    op.create_table(
        "quiz_attempts",
        sa.Column("id", UUID, nullable=False),
        profile_id,
        *_lesson_columns(),
        sa.Column("content_hash", sa.String(128), nullable=False),
        sa.Column("started_at", WHEN, nullable=False),
        sa.Column("finished_at", WHEN, nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("pass_mark", sa.Float(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        *_stamps(),
        profile_fk,
        sa.PrimaryKeyConstraint("id", name="pk_quiz_attempts"),
    )
    _index("quiz_attempts", "profile_id")

    attempt_id, attempt_fk = _fk("quiz_answers", "attempt_id", "CASCADE", False, target="quiz_attempts")
    op.create_table(
        "quiz_answers",
        sa.Column("id", UUID, nullable=False),
        attempt_id,
        sa.Column("question_index", sa.Integer(), nullable=False),
        sa.Column("question_text", sa.Text(), nullable=False),
        sa.Column("given", sa.JSON(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("answered_at", WHEN, nullable=False),
        *_stamps(),
        attempt_fk,
        sa.PrimaryKeyConstraint("id", name="pk_quiz_answers"),
        sa.UniqueConstraint("attempt_id", "question_index", name="uq_quiz_answers_attempt_id_question_index"),
    )
    _index("quiz_answers", "attempt_id")

    profile_id, profile_fk = _fk("scenario_attempts", "profile_id", "CASCADE", False)
    op.create_table(
        "scenario_attempts",
        sa.Column("id", UUID, nullable=False),
        profile_id,
        sa.Column("scenario_id", CONTENT_ID, nullable=False),
        sa.Column("content_hash", sa.String(128), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("started_at", WHEN, nullable=False),
        sa.Column("finished_at", WHEN, nullable=True),
        sa.Column("ending", CONTENT_ID, nullable=True),
        sa.Column("outcome", sa.String(40), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("scores", sa.JSON(), nullable=True),
        *_stamps(),
        profile_fk,
        sa.PrimaryKeyConstraint("id", name="pk_scenario_attempts"),
        sa.CheckConstraint(
            "status IN ('in_progress', 'finished', 'abandoned', 'stale')", name=op.f("ck_scenario_attempts_status")
        ),
    )
    _index("scenario_attempts", "profile_id")

    attempt_id, attempt_fk = _fk("scenario_steps", "attempt_id", "CASCADE", False, target="scenario_attempts")
    op.create_table(
        "scenario_steps",
        sa.Column("id", UUID, nullable=False),
        attempt_id,
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("node_id", CONTENT_ID, nullable=False),
        sa.Column("choice_index", sa.Integer(), nullable=True),
        sa.Column("choice_text", sa.Text(), nullable=True),
        sa.Column("target", CONTENT_ID, nullable=True),
        sa.Column("effects", sa.JSON(), nullable=True),
        sa.Column("at", WHEN, nullable=False),
        *_stamps(),
        attempt_fk,
        sa.PrimaryKeyConstraint("id", name="pk_scenario_steps"),
        sa.UniqueConstraint("attempt_id", "seq", name="uq_scenario_steps_attempt_id_seq"),
    )
    _index("scenario_steps", "attempt_id")

    trainee_id, trainee_fk = _fk("sign_offs", "trainee_id", "CASCADE", False)
    trainer_id, trainer_fk = _fk("sign_offs", "trainer_id", "SET NULL", True)
    withdrawn_by, withdrawn_by_fk = _fk("sign_offs", "withdrawn_by", "SET NULL", True)
    op.create_table(
        "sign_offs",
        sa.Column("id", UUID, nullable=False),
        trainee_id,
        trainer_id,
        sa.Column("competency_id", CONTENT_ID, nullable=False),
        sa.Column("behaviours", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("withdrawn_at", WHEN, nullable=True),
        withdrawn_by,
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        *_stamps(),
        trainee_fk,
        trainer_fk,
        withdrawn_by_fk,
        sa.PrimaryKeyConstraint("id", name="pk_sign_offs"),
    )
    for column in ("trainee_id", "trainer_id", "withdrawn_by"):
        _index("sign_offs", column)

    profile_id, profile_fk = _fk("certificates", "profile_id", "SET NULL", True)
    issued_by, issued_by_fk = _fk("certificates", "issued_by", "SET NULL", True)
    op.create_table(
        "certificates",
        sa.Column("id", UUID, nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        profile_id,
        sa.Column("trainee_name", NAME, nullable=True),
        sa.Column("issued_at", WHEN, nullable=False),
        issued_by,
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("signature", sa.Text(), nullable=True),
        *_stamps(),
        profile_fk,
        issued_by_fk,
        sa.PrimaryKeyConstraint("id", name="pk_certificates"),
        sa.UniqueConstraint("number", name="uq_certificates_number"),
    )
    _index("certificates", "profile_id")
    _index("certificates", "issued_by")

    actor_id, actor_fk = _fk("audit_log", "actor_id", "SET NULL", True)
    op.create_table(
        "audit_log",
        sa.Column("id", UUID, nullable=False),
        sa.Column("at", WHEN, nullable=False),
        actor_id,
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(100), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        *_stamps(),
        actor_fk,
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    for column in ("at", "actor_id", "entity_id"):
        _index("audit_log", column)


def downgrade() -> None:
    # Children first, so no foreign key ever points at a dropped table.
    for table in (
        "audit_log",
        "certificates",
        "sign_offs",
        "scenario_steps",
        "scenario_attempts",
        "quiz_answers",
        "quiz_attempts",
        "lesson_progress",
        "settings",
        "profiles",
    ):
        op.drop_table(table)
