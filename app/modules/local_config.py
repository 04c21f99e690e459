"""Settings that belong to this computer, not to the records: kept in `<data>/config.json`.

The database URL lives here because it says where the records are, so it cannot be stored in
them. Command-line options and environment variables still win over this file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from app.paths import CONFIG_FILE, DATABASE_URL_KEY, read_config

__all__ = ["CONFIG_FILE", "DATABASE_URL_KEY", "read_config", "write_config", "database_url_problem"]

SUPPORTED_SCHEMES = ("postgresql", "postgresql+psycopg", "sqlite")


def write_config(data_dir: Path, changes: dict) -> Path:
    """Merge `changes` into the file (a None value removes the key), written whole or not at all."""
    path = Path(data_dir) / CONFIG_FILE
    data = read_config(data_dir)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{CONFIG_FILE}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def database_url_problem(url: str) -> str | None:
    """Why a database URL cannot be used, in words a coordinator understands; None when it looks right."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    url = url.strip()
    if not url:
        return None  # empty: the local SQLite file
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "This is not a database address. It looks like postgresql+psycopg://user:password@server/database."
    if parsed.drivername not in SUPPORTED_SCHEMES:
        return f"“{parsed.drivername}” databases are not supported; use a PostgreSQL server (postgresql+psycopg://…)."
    if parsed.drivername.startswith("postgresql") and not (parsed.host and parsed.database):
        return "The address needs a server and a database name: postgresql+psycopg://user:password@server/database."
    return None


def test_connection(url: str) -> str | None:
    """Try to connect; None when it worked, otherwise what went wrong (slow: call off the UI thread)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    problem = database_url_problem(url)
    if problem:
        return problem
    engine = create_engine(
        url.strip(), pool_pre_ping=True, connect_args={"connect_timeout": 5} if url.startswith("postgresql") else {}
    )
    try:
        with engine.connect() as con:
            con.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return f"Could not connect: {getattr(exc, 'orig', exc)}"
    except Exception as exc:  # a missing driver, a DNS failure: all said the same way
        return f"Could not connect: {exc}"
    finally:
        engine.dispose()
    return None
