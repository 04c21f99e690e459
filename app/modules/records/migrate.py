"""Alembic, imported only when the schema must change (alembic costs ~0.1 s to import).

`records.database` calls `upgrade_to_head` only when the stored revision differs from
`database.HEAD_REVISION`; tests use `alembic_config` and `script_head`.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import text
from sqlalchemy.engine import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class UnknownRevision(Exception):
    """The database was migrated by a newer program than this one."""


def alembic_config() -> Config:
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def script_head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_known_revision(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def upgrade_to_head(engine: Engine, current: str | None) -> None:
    """Migrate in one transaction, so a failure leaves the database as it was.

    `engine` must have SQLite foreign keys OFF: batch migrations rebuild tables, and
    dropping a parent table with foreign keys on would cascade-delete every child row.
    Referential integrity is checked once at the end instead.
    """
    if current is not None and not is_known_revision(current):
        raise UnknownRevision(current)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        if connection.dialect.name == "sqlite":
            broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
            if broken:
                raise RuntimeError(f"the migration left {len(broken)} rows pointing at missing rows")
