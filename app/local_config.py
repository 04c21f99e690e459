"""Settings that belong to this computer, not to the records: kept in `<data>/config.json`.

A floor below app.paths (which reads the server address from here), above app.core.

The database URL lives here because it says where the records are, so it cannot be stored in
them. Command-line options and environment variables still win over this file.

A server password is not kept in the file when the operating system has a keyring (the
`keyring` package: Windows Credential Manager, macOS Keychain, the Secret Service on Linux):
the file then holds the address without it and `"password_in": "keyring"`. Where no keyring
exists (a bare Linux, a USB stick), the password stays in the address in this file, which is
readable by this account only (0600), and `password_storage` says so for the Records tab.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from app.core.i18n import _

CONFIG_FILE = "config.json"
DATABASE_URL_KEY = "database_url"
PASSWORD_IN_KEY = "password_in"  # "keyring" when the server password is in the OS keyring
KEYRING = "keyring"
IN_FILE = "file"
KEYRING_SERVICE = "peer-helper-trainer"
SUPPORTED_SCHEMES = ("postgresql", "postgresql+psycopg", "sqlite")


def read_config(data_dir: Path) -> dict:
    """The file's settings; an unreadable or damaged file counts as empty (never fatal)."""
    try:
        data = json.loads((Path(data_dir) / CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_config(data_dir: Path, changes: dict) -> Path:
    """Merge `changes` into the file (a None value removes the key), written whole or not at all."""
    path = Path(data_dir) / CONFIG_FILE
    data = read_config(data_dir)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    from app.core import private_files

    if not path.parent.exists():
        private_files.make_private_dir(path.parent)
    tmp = path.with_name(f"{CONFIG_FILE}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, private_files.PRIVATE_FILE)  # 0600 from the start
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    private_files.make_private(tmp)  # an older tmp left behind keeps its mode through O_CREAT
    os.replace(tmp, path)
    return path


def _keyring_name(data_dir: Path, url) -> str:
    return f"{url.username or ''}@{url.host or ''}:{url.port or ''}/{url.database or ''} ({Path(data_dir).resolve()})"


def _keyring():
    """The keyring module if a usable backend exists, else None (never raises)."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception:  # not installed, or a backend that fails to load
        return None
    if isinstance(backend, fail.Keyring) or backend.priority <= 0:
        return None
    return keyring


def save_database_url(data_dir: Path, url: str, keyring_module=None) -> str | None:
    """Save the server address; its password goes to the OS keyring when one exists.

    Returns where the password is kept: KEYRING, IN_FILE (no keyring here: config.json, 0600),
    or None when there is no password (or no address). An address typed without a password
    for the same server and user keeps the password already saved.
    """
    from sqlalchemy.engine import make_url

    url = url.strip()
    if not url:
        write_config(data_dir, {DATABASE_URL_KEY: None, PASSWORD_IN_KEY: None})
        return None
    parsed = make_url(with_saved_password(data_dir, url))
    password = parsed.password
    if password is None:
        write_config(data_dir, {DATABASE_URL_KEY: url, PASSWORD_IN_KEY: None})
        return None
    ring = keyring_module or _keyring()
    if ring is not None:
        try:
            ring.set_password(KEYRING_SERVICE, _keyring_name(data_dir, parsed), str(password))
        except Exception:
            ring = None  # a locked or broken keyring: keep it in the private file instead
    if ring is not None:
        bare = parsed._replace(password=None).render_as_string(hide_password=False)
        write_config(data_dir, {DATABASE_URL_KEY: bare, PASSWORD_IN_KEY: KEYRING})
        return KEYRING
    full = parsed.set(password=password).render_as_string(hide_password=False)
    write_config(data_dir, {DATABASE_URL_KEY: full, PASSWORD_IN_KEY: None})
    return IN_FILE


def with_saved_password(data_dir: Path, url: str) -> str:
    """`url`, with the saved password added when it has none and names the saved server and user."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url.strip())
        old = load_database_url(data_dir)
        previous = make_url(old) if old else None
    except ArgumentError:
        return url
    if parsed.password is not None or previous is None or previous.password is None:
        return url
    if (previous.drivername, previous.username, previous.host, previous.port, previous.database) != (
        parsed.drivername,
        parsed.username,
        parsed.host,
        parsed.port,
        parsed.database,
    ):
        return url
    return parsed.set(password=previous.password).render_as_string(hide_password=False)


def load_database_url(data_dir: Path, config: dict | None = None, keyring_module=None) -> str | None:
    """The saved server address with its password (from the keyring when it was put there)."""
    config = read_config(data_dir) if config is None else config
    url = str(config.get(DATABASE_URL_KEY) or "").strip()
    if not url:
        return None
    if config.get(PASSWORD_IN_KEY) != KEYRING:
        return url
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    ring = keyring_module or _keyring()
    password = None
    if ring is not None:
        try:
            password = ring.get_password(KEYRING_SERVICE, _keyring_name(data_dir, parsed))
        except Exception:
            password = None
    if password is None:
        return url  # the server will refuse, and say so: the password was not found in the keyring
    return parsed.set(password=password).render_as_string(hide_password=False)


def password_storage(data_dir: Path) -> str | None:
    """Where the saved server password is: KEYRING, IN_FILE, or None (no saved password)."""
    config = read_config(data_dir)
    if config.get(PASSWORD_IN_KEY) == KEYRING:
        return KEYRING
    url = str(config.get(DATABASE_URL_KEY) or "").strip()
    if not url:
        return None
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return IN_FILE if make_url(url).password is not None else None
    except ArgumentError:
        return None


def keyring_available() -> bool:
    return _keyring() is not None


def shown_address(data_dir: Path) -> str:
    """The saved address for the screen, without its password."""
    url = str(read_config(data_dir).get(DATABASE_URL_KEY) or "").strip()
    if not url:
        return ""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url)._replace(password=None).render_as_string(hide_password=False)
    except ArgumentError:
        return url


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
        return _("This is not a database address. It looks like postgresql+psycopg://user:password@server/database.")
    if parsed.drivername not in SUPPORTED_SCHEMES:
        return _("“{kind}” databases are not supported; use a PostgreSQL server (postgresql+psycopg://…).").format(
            kind=parsed.drivername
        )
    if parsed.drivername.startswith("postgresql") and not (parsed.host and parsed.database):
        return _("The address needs a server and a database name: postgresql+psycopg://user:password@server/database.")
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
        return _("Could not connect: {reason}").format(reason=getattr(exc, "orig", exc))
    except Exception as exc:  # a missing driver, a DNS failure: all said the same way
        return _("Could not connect: {reason}").format(reason=exc)
    finally:
        engine.dispose()
    return None
