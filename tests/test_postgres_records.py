"""The records on a real PostgreSQL server: the schema, the command line with --database-url,
and the promise that without a server these tests say so instead of passing."""

from __future__ import annotations

import os
import subprocess
import sys

import fast_hash
import pytest
from pg_support import NO_SERVER, PG_URL_ENV, throwaway_schema
from records_helpers import REPO, add_trainee_work, counts, laptop, set_up_school

from app.modules.records import profile_store
from app.modules.records.database import HEAD_REVISION, Database
from app.modules.records.profile_store import TRAINEE
from app.paths import resolve_locations


@pytest.fixture
def server_locations(tmp_path):
    url = os.environ.get(PG_URL_ENV)
    if not url:
        pytest.skip(NO_SERVER)
    with throwaway_schema(url) as private:
        yield resolve_locations(data_dir=tmp_path / "data", content_dir=REPO / "content", database_url=private)


def test_the_migrations_make_exactly_the_models_on_postgresql(server_locations):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect

    from app.modules.records.models import Base

    db = Database.open(server_locations)
    try:
        assert db.engine.dialect.name == "postgresql"
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD_REVISION
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        inspector = inspect(db.engine)
        for table in Base.metadata.tables.values():  # PostgreSQL rewrites CHECK texts: compare names
            in_db = {c["name"] for c in inspector.get_check_constraints(table.name)}
            in_models = {c.name for c in table.constraints if c.__class__.__name__ == "CheckConstraint" and c.name}
            assert in_db == in_models, table.name
        device = db.device_id
    finally:
        db.close()
    again = Database.open(server_locations)
    assert again.device_id == device and again.backup is None  # no file to back up on a server
    again.close()


def _cli(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(fast_hash.command(*args), capture_output=True, text=True, env=env, cwd=REPO, timeout=120)


def test_a_laptop_bundle_merges_into_the_server_from_the_command_line(server_locations, tmp_path):
    a = Database.open(laptop(tmp_path / "laptop"))
    coord, trainer = set_up_school(a)
    ana = profile_store.create_profile(a, "Ana Lopez", TRAINEE, group="9B", actor_id=coord.id)
    add_trainee_work(a, ana.id, trainer.id)
    expected = counts(a)
    a.close()
    bundle = tmp_path / "laptop.peer-records"
    made = _cli("--data-dir", str(tmp_path / "laptop"), "export-records", str(bundle))
    assert made.returncode == 0, made.stderr
    url = server_locations.database_url
    shown = _cli("--data-dir", str(tmp_path / "laptop"), "devices")
    assert shown.returncode == 0, shown.stderr
    fingerprint = shown.stdout.split("This laptop's fingerprint: ")[1].splitlines()[0]
    where = ("--data-dir", str(server_locations.data_dir), "--database-url", url)
    refused = _cli(*where, "import-records", str(bundle))
    assert refused.returncode == 1 and "not paired" in refused.stderr
    for attempt in (1, 2):
        trusting = ("--trust-fingerprint", fingerprint) if attempt == 1 else ()
        run = _cli(*where, "import-records", str(bundle), *trusting)
        assert run.returncode == 0, run.stderr
        print(f"\nimport {attempt} into PostgreSQL: {run.stdout.splitlines()[-1] if run.stdout else ''}")
    assert "rows merged: 0" in run.stdout
    server = Database.open(server_locations)
    try:
        got = counts(server)
        assert {k: got[k] for k in expected if k != "audit_log"} == {
            k: v for k, v in expected.items() if k != "audit_log"
        }
    finally:
        server.close()
    listed = _cli("--data-dir", str(server_locations.data_dir), "--database-url", url, "backup")
    assert listed.returncode == 1 and "server" in listed.stderr


def test_without_a_server_the_postgresql_half_is_skipped_with_a_message(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != PG_URL_ENV}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            # Only the outcome and the skip message are read: without assertion rewriting the run
            # does not rewrite Hypothesis and the test modules first (2 s when no .pyc may be written).
            "--assert=plain",
            "tests/test_records_accounts.py::test_only_a_coordinator_creates_profiles",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed, 1 skipped" in run.stdout
    assert "PostgreSQL half skipped" in run.stdout and "scripts/postgres-test-server" in run.stdout
    print("\n" + next(line for line in run.stdout.splitlines() if "PostgreSQL half skipped" in line))
