"""Runs the records tests twice: on SQLite, and on a real PostgreSQL server when there is one.

A test in a records module (see RECORDS_MODULES) that uses the `locations` fixture is
parametrised over the `backend` fixture: "sqlite" (the data folder's file) and "postgresql"
(a throwaway schema on the server named by PEER_TRAINER_TEST_PG_URL, which
`scripts/postgres-test-server start` prints and `scripts/test` sets). Without a server the
PostgreSQL half is skipped with a message saying how to get one, never passed.

Tests about the SQLite file itself (pragmas, damaged pages, raw bytes, backups of the file)
stay SQLite-only: the `sqlite_only` marker in our own files, SQLITE_ONLY for the records
layer's first tests (not edited here), each with its reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_URL_ENV = "PEER_TRAINER_TEST_PG_URL"
RECORDS_MODULES = ("test_records_", "test_exchange_", "test_erasure", "test_backups", "test_postgres")
BACKENDS = ("sqlite", "postgresql")
NO_SERVER = (
    f"PostgreSQL half skipped: no test server ({PG_URL_ENV} is not set). "
    'Run `eval "$(scripts/postgres-test-server start)"` first, or use scripts/test, which does it.'
)

# Tests of test_records_database.py that are about the SQLite file, not the records.
SQLITE_ONLY = {
    "test_every_connection_gets_the_pragmas": "SQLite pragmas",
    "test_models_match_the_migrations_exactly": "compares CHECK texts as SQLite keeps them (PostgreSQL rewrites them; "
    "test_postgres_records.py compares the schema there)",
    "test_a_new_database_is_migrated_to_head_with_a_device_id_and_no_backup": "checks the backups folder of a file",
    "test_a_backup_is_taken_before_migrating_an_existing_file": "backups copy the SQLite file",
    "test_opening_an_up_to_date_database_does_not_import_alembic": "runs against the data folder's file",
    "test_a_file_that_is_not_a_database_is_refused_and_left_untouched": "damaged SQLite file",
    "test_a_database_with_damaged_pages_is_refused_and_left_untouched": "damaged SQLite file",
    "test_a_folder_that_cannot_be_created_gives_a_clear_message": "SQLite data folder",
    "test_a_database_locked_by_another_program_says_so": "SQLite file lock",
    "test_a_database_from_a_newer_program_is_refused_without_a_backup": "edits the SQLite file directly",
    "test_someone_elses_sqlite_file_is_not_adopted": "SQLite file",
    "test_each_step_is_committed_with_the_state_before_record_step_returns": "reads the SQLite file directly",
    "test_the_wait_after_wrong_passwords_survives_a_restart": "runs the SQLite file in a second process",
}

_ran = {"sqlite": 0, "postgresql": 0, "postgresql skipped": 0}


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "sqlite_only(reason): a records test about the SQLite file itself")


def _sqlite_only(definition) -> bool:
    return definition.get_closest_marker("sqlite_only") is not None or definition.originalname in SQLITE_ONLY


def pytest_generate_tests(metafunc) -> None:
    if not metafunc.definition.path.name.startswith(RECORDS_MODULES):
        return
    if "locations" not in metafunc.fixturenames or _sqlite_only(metafunc.definition):
        return
    metafunc.parametrize("backend", BACKENDS, indirect=True)


def pytest_sessionfinish(session) -> None:
    """A pytest-xdist worker sends its counts to the main process, which prints the summary."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["records_backends"] = dict(_ran)


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: known only when xdist is installed
def pytest_testnodedown(node, error) -> None:
    for kind, count in getattr(node, "workeroutput", {}).get("records_backends", {}).items():
        _ran[kind] += count


def pytest_terminal_summary(terminalreporter) -> None:
    if _ran["postgresql"] or _ran["postgresql skipped"]:
        line = f"records tests: {_ran['sqlite']} on SQLite, {_ran['postgresql']} on PostgreSQL"
        if _ran["postgresql skipped"]:
            line += (
                f", {_ran['postgresql skipped']} PostgreSQL runs SKIPPED (no server: see scripts/postgres-test-server)"
            )
        terminalreporter.write_line(line)


@pytest.fixture
def backend(request) -> Iterator[str | None]:
    """None for SQLite in the data folder, else a database URL private to this test."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        _ran["sqlite"] += hasattr(request, "param")  # count only the parametrised records tests
        yield None
        return
    url = os.environ.get(PG_URL_ENV)
    if not url:
        _ran["postgresql skipped"] += 1
        pytest.skip(NO_SERVER)
    _ran["postgresql"] += 1
    with throwaway_schema(url) as private_url:
        yield private_url


_admin = {}


def _admin_engine(url: str):
    from sqlalchemy import create_engine

    if url not in _admin:
        _admin[url] = create_engine(url, isolation_level="AUTOCOMMIT", pool_size=1)
    return _admin[url]


@contextmanager
def throwaway_schema(url: str) -> Iterator[str]:
    """A new, empty schema on the server, and a URL whose connections use only it.

    Each connection carries the schema's name as its application_name, so whatever a test
    leaves connected is ended before the schema is dropped.
    """
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = _admin_engine(url)
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    private = make_url(url).update_query_dict({"options": f"-csearch_path={schema}", "application_name": schema})
    try:
        yield private.render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :s"),
                {"s": schema},
            )
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
