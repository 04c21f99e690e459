"""Opening the records database: pragmas, migrations, backups, and files that cannot be used."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app.modules.records import migrate
from app.modules.records.database import HEAD_REVISION, Database, DatabaseUnavailable, create_records_engine
from app.modules.records.models import Base, Setting, utcnow
from app.paths import Locations

ROOT = Path(__file__).resolve().parent.parent


def test_every_connection_gets_the_pragmas(db):
    with db.engine.connect() as connection:
        read = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert read["journal_mode"] == "wal"
    assert read["synchronous"] == 2  # FULL
    assert read["foreign_keys"] == 1
    assert read["busy_timeout"] > 0


def test_a_new_database_is_migrated_to_head_with_a_device_id_and_no_backup(locations, db):
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD_REVISION
    assert set(inspect(db.engine).get_table_names()) >= set(Base.metadata.tables)
    assert len(db.device_id) == 36
    assert db.backup is None and not locations.backups_dir.exists()
    db.close()
    again = Database.open(locations)
    assert again.device_id == db.device_id  # made once, at first open
    again.close()


def test_head_constants_are_alembics_head():
    from app.modules.records import peek

    assert migrate.script_head() == HEAD_REVISION == peek.HEAD_REVISION


def test_models_match_the_migrations_exactly(db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    # Alembic does not compare CHECK constraints: compare them here.
    inspector = inspect(db.engine)
    for table in Base.metadata.tables.values():
        in_db = {c["name"]: " ".join(c["sqltext"].split()) for c in inspector.get_check_constraints(table.name)}
        in_models = {
            c.name: " ".join(str(c.sqltext).split())
            for c in table.constraints
            if c.__class__.__name__ == "CheckConstraint" and c.name
        }
        assert in_db == in_models, table.name


def _run_sql(db_file: Path, *statements: str) -> None:
    """Change the file behind the program's back, as another tool or an old version would."""
    raw = sqlite3.connect(db_file)
    with raw:
        for statement in statements:
            raw.execute(statement)
    raw.close()


def _downgrade_to_base(db_file: Path) -> None:
    engine = create_records_engine(f"sqlite:///{db_file}", foreign_keys=False)
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    engine.dispose()


def test_a_backup_is_taken_before_migrating_an_existing_file(locations):
    place = locations
    Database.open(place).close()
    _downgrade_to_base(place.database_file)  # now an "old" database that needs every migration
    _run_sql(place.database_file, "CREATE TABLE marker (value INTEGER)", "INSERT INTO marker VALUES (42)")

    db = Database.open(place)
    db.close()

    backups = list(place.backups_dir.iterdir())
    assert backups == [db.backup]
    assert db.backup.name.startswith("before-migration-") and db.backup.name.endswith("Z.sqlite3")
    copy = sqlite3.connect(db.backup)
    tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert copy.execute("SELECT value FROM marker").fetchall() == [(42,)]
    copy.close()
    assert "profiles" not in tables  # the copy is the state before the migration
    live = sqlite3.connect(place.database_file)
    assert live.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD_REVISION,)]
    live.close()


@pytest.mark.sqlite_only
def test_a_school_set_up_before_school_ids_gets_one_when_migrated(locations):
    from records_helpers import set_up_school

    from app.modules.exchange.trust import school_identity

    db = Database.open(locations)
    set_up_school(db)
    db.close()
    engine = create_records_engine(f"sqlite:///{locations.database_file}", foreign_keys=False)
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001_initial")
        connection.exec_driver_sql("DELETE FROM settings WHERE key = 'school.id'")
    engine.dispose()
    db = Database.open(locations)
    school_id, name = school_identity(db)
    db.close()
    assert len(school_id) == 36 and name == "Hillside School"


def test_opening_an_up_to_date_database_does_not_import_alembic(locations):
    Database.open(locations).close()
    code = (
        "import json, sys\n"
        "import app.modules.records\n"
        "light = 'sqlalchemy' not in sys.modules\n"
        "from pathlib import Path\n"
        "from app.paths import Locations\n"
        "from app.modules.records.database import Database\n"
        "Database.open(Locations(Path(sys.argv[1]), Path(sys.argv[1]))).close()\n"
        "print(json.dumps({'light': light, 'alembic': 'alembic' in sys.modules}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(locations.data_dir)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout) == {"light": True, "alembic": False}


def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(locations):
    place = locations
    place.data_dir.mkdir()
    garbage = bytes(range(256)) * 40
    place.database_file.write_bytes(garbage)
    with pytest.raises(DatabaseUnavailable) as raised:
        Database.open(place)
    assert "damaged" in raised.value.message
    assert str(place.backups_dir) in raised.value.advice
    assert place.database_file.read_bytes() == garbage
    assert sorted(p.name for p in place.data_dir.iterdir()) == [place.database_file.name]


def test_a_database_with_damaged_pages_is_refused_and_left_untouched(locations):
    place = locations
    db = Database.open(place)
    with db.session() as session:
        session.execute(
            Base.metadata.tables["settings"].insert(),
            [{"key": f"k{i}", "value": "x" * 500, "updated_at": utcnow()} for i in range(200)],
        )
    db.close()
    data = bytearray(place.database_file.read_bytes())
    page = 4096
    data[page : len(data) - page] = os.urandom(len(data) - 2 * page)
    place.database_file.write_bytes(bytes(data))
    with pytest.raises(DatabaseUnavailable) as raised:
        Database.open(place)
    assert "damaged" in raised.value.message
    assert place.database_file.read_bytes() == bytes(data)


@contextmanager
def unprivileged():
    """Act as an ordinary user: root ignores folder permissions."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(65534)  # nobody
    try:
        yield
    finally:
        os.seteuid(0)


@pytest.fixture
def read_only_folder():
    # Not under tmp_path: pytest's folders are private to root, so "nobody" could not reach them.
    folder = Path(tempfile.mkdtemp(prefix="records-ro-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755)
    shutil.rmtree(folder)


def test_a_read_only_folder_gives_a_clear_message(read_only_folder):
    place = Locations(read_only_folder / "data", read_only_folder)
    place.data_dir.mkdir()
    place.data_dir.chmod(0o555)
    with unprivileged(), pytest.raises(DatabaseUnavailable) as raised:
        Database.open(place)
    assert "cannot write" in raised.value.message and str(place.data_dir) in raised.value.message
    assert "write access" in raised.value.advice
    assert not place.database_file.exists()


def test_an_existing_database_in_a_read_only_folder_is_refused_and_unchanged(read_only_folder):
    place = Locations(read_only_folder / "data", read_only_folder)
    Database.open(place).close()
    before = place.database_file.read_bytes()
    place.database_file.chmod(0o444)
    place.data_dir.chmod(0o555)
    with unprivileged(), pytest.raises(DatabaseUnavailable) as raised:
        Database.open(place)
    assert "cannot write" in raised.value.message
    assert place.database_file.read_bytes() == before


def test_a_folder_that_cannot_be_created_gives_a_clear_message(locations):
    locations.data_dir.write_text("a file where the data folder should be")
    with pytest.raises(DatabaseUnavailable) as raised:
        Database.open(locations)
    assert "cannot be created" in raised.value.message and "--data-dir" in raised.value.advice


def test_a_database_locked_by_another_program_says_so(locations):
    place = locations
    Database.open(place).close()
    other = sqlite3.connect(place.database_file, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseUnavailable) as raised:
            Database.open(place, busy_timeout=0.1)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "in use" in raised.value.message and "Close the other copy" in raised.value.advice


def test_a_database_from_a_newer_program_is_refused_without_a_backup(locations):
    place = locations
    Database.open(place).close()
    _run_sql(place.database_file, "UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(DatabaseUnavailable) as raised:
        Database.open(place)
    assert "newer version" in raised.value.message
    assert not place.backups_dir.exists()


def test_someone_elses_sqlite_file_is_not_adopted(locations):
    place = locations
    place.data_dir.mkdir()
    _run_sql(place.database_file, "CREATE TABLE recipes (name TEXT)")
    with pytest.raises(DatabaseUnavailable) as raised:
        Database.open(place)
    assert "not a Peer Helper Trainer database" in raised.value.message
    engine = create_engine(f"sqlite:///{place.database_file}")
    assert inspect(engine).get_table_names() == ["recipes"]
    engine.dispose()


def test_session_rolls_back_on_an_exception(db):
    with pytest.raises(RuntimeError), db.session() as session:
        session.add(Setting(key="half-done", value=1))
        session.flush()
        raise RuntimeError("stop")
    with db.session() as session:
        assert session.get(Setting, "half-done") is None
