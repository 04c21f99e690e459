"""Alembic environment for the records database.

The program passes its own connection (config.attributes["connection"]), already inside a
transaction with SQLite foreign keys off, so a migration is all-or-nothing. From the alembic
command line, give the database with `-x url=...` (see alembic.ini).
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

from app.modules.records.models import Base, UTCDateTime

config = context.config
target_metadata = Base.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    # Migrations must not import models.py (it will change): spell UTCDateTime as plain SQL type.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things in place
        render_item=render_item,
        **kwargs,
    )


def _command_line_url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("give the database: alembic ... -x url=sqlite:////path/to/peer-trainer.sqlite3")
    return url


def _run(connection: Connection) -> None:
    _configure(connection=connection, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from app.modules.records.database import create_records_engine

    engine = create_records_engine(_command_line_url(), foreign_keys=False)
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()


def run_offline() -> None:
    _configure(url=_command_line_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
