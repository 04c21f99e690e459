"""Shared test set-up: Qt offscreen, cheap password hashing, and throwaway data folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# Before anything imports Qt: no display here, and a C locale makes Qt warn.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "C.UTF-8")
# English, whatever the computer speaks: tests assert the source text (a test that wants another
# language sets it, and _english_again below puts English back after it).
os.environ["LANGUAGE"] = "en"
# Throwaway folders (tmp_path) in memory where the computer has a shared one (/dev/shm on Linux).
# The records commit with synchronous=FULL, so on a disk every commit waits for an fsync: about 4 ms
# each, and thousands of commits seed the test schools (half the time of the records tests on a
# busy machine). In memory the same SQL runs, the same pragmas are set and checked, and an fsync
# returns at once. pytest keeps its usual numbered folders there (the last 3 runs); an explicit
# --basetemp or PYTEST_DEBUG_TEMPROOT still decides. A small one (a container's is often 64 MB)
# is left alone: a whole run writes a few hundred MB.
_SHM = "/dev/shm"


def _roomy(folder: str, need: int = 2 * 1024**3) -> bool:
    try:
        found = os.statvfs(folder)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK) and found.f_bavail * found.f_frsize >= need


if "PYTEST_DEBUG_TEMPROOT" not in os.environ and _roomy(_SHM):
    os.environ["PYTEST_DEBUG_TEMPROOT"] = _SHM
import fast_hash
import pytest
from hypothesis import HealthCheck, settings
from pg_support import (  # noqa: F401 - pytest finds these hooks and fixtures by name
    backend,
    pytest_configure,
    pytest_generate_tests,
    pytest_sessionfinish,
    pytest_testnodedown,
)
from pg_support import pytest_terminal_summary as records_summary

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"

# Cheap scrypt for every test, by patching the module in this process (never an environment
# variable: the shipped program reads none for its hashing cost). Stored hashes record their cost.
fast_hash.enable()


def _share_the_shipped_content() -> None:
    """The bundled content folder is read and checked once per run, and each caller gets its own copy.

    Reading the 70 files of content/ (YAML, Markdown, every check) costs 0.1-0.3 s, and most tests
    that open a window or seed a school read it again, untouched. Each load_content(CONTENT) call
    still returns a ContentSet of its own (a pickle copy of the first one read, 0.02 s), so a test
    that changes the objects it was given changes nothing for the others. The copy is used only while
    nothing under content/ has changed since (names, sizes and times of every file) and for the same
    language and shown_base; any other folder (content_copy, fixtures) is read as always.
    """
    import pickle

    from app.core import i18n
    from app.modules import content as content_module

    real = content_module.load_content
    shipped = CONTENT.resolve()
    kept: dict[tuple, bytes] = {}

    def fingerprint() -> tuple:
        marks = []
        for path in sorted(shipped.rglob("*")):
            info = path.stat()
            marks.append((str(path), info.st_mtime_ns, info.st_size))
        return tuple(marks)

    def load_content(root, shown_base=None):
        if Path(root).resolve() != shipped:
            return real(root, shown_base)
        key = (str(root), shown_base, i18n.language(), os.getcwd(), fingerprint())
        if key not in kept:
            kept.clear()
            kept[key] = pickle.dumps(real(root, shown_base))
        return pickle.loads(kept[key])

    content_module.load_content = load_content


_share_the_shipped_content()

# Property tests (hypothesis): CI (the CI variable set) tries 2,000 examples per property; a run
# while working tries 50, which finds the same regressions in a fraction of the time (and any
# example that once failed is tried first again, from .hypothesis/). HYPOTHESIS_PROFILE=ci locally
# runs the long form.
_PROPERTY_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("ci", max_examples=2000, **_PROPERTY_SETTINGS)
settings.register_profile("dev", max_examples=50, **_PROPERTY_SETTINGS)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


def pytest_terminal_summary(terminalreporter, config) -> None:
    records_summary(terminalreporter)
    seed = getattr(config.option, "randomly_seed", None)
    if config.pluginmanager.hasplugin("randomly") and isinstance(seed, int):
        # -q hides pytest-randomly's header, so the order of a failed CI run could not be repeated.
        terminalreporter.write_line(f"random order: repeat it with -p randomly --randomly-seed={seed}")


@pytest.fixture
def real_hash_cost(monkeypatch):
    """The shipped scrypt cost (N=2^17) for one test."""
    from app.modules.records import secret_hashing

    monkeypatch.setattr(secret_hashing, "SCRYPT_LOG2_N", 17)


@pytest.fixture
def short_busy_wait(monkeypatch):
    """Records opened after it wait 0.5 s, not 5 s, for a reader or writer that never lets go: for
    a test whose reader holds on for good, to see what then happens without the full wait. Ask
    for it before the fixtures that open the records."""
    from app.modules.records import database

    monkeypatch.setattr(database, "DEFAULT_BUSY_TIMEOUT", 0.5)


@pytest.fixture
def locations(tmp_path, backend):  # noqa: F811 - the fixture imported above
    """A throwaway data folder; the records are in its SQLite file, or on PostgreSQL (pg_support)."""
    from app.paths import resolve_locations

    return resolve_locations(data_dir=tmp_path / "data", content_dir=CONTENT, database_url=backend)


@pytest.fixture
def db(locations):
    from app.modules.records.database import Database

    database = Database.open(locations)
    yield database
    database.close()


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A private copy of the bundled content that a test may break."""
    dest = tmp_path / "content"
    shutil.copytree(CONTENT, dest)
    return dest


@pytest.fixture(scope="session", autouse=True)
def _migrated_once(tmp_path_factory):
    """A new SQLite records file starts as a copy of one migrated once per run.

    Alembic's upgrade of an empty file costs about 0.1 s and most tests open a fresh data folder, so
    this saves a minute or more of a run. The real migrations still run here (making the copy), and
    in every test that starts from an older revision or from PostgreSQL, which are not copied.
    """
    import sqlite3
    from contextlib import closing

    from app.modules.records import migrate
    from app.modules.records.database import create_records_engine

    real = migrate.upgrade_to_head
    template = tmp_path_factory.mktemp("migrated") / "records.sqlite"
    engine = create_records_engine(f"sqlite:///{template}", foreign_keys=False)
    real(engine, None)
    engine.dispose()

    def upgrade_to_head(engine, current):
        if current is not None or engine.dialect.name != "sqlite":
            return real(engine, current)
        raw = engine.raw_connection()
        try:
            with closing(sqlite3.connect(template)) as source:
                source.backup(raw.driver_connection)
        finally:
            raw.close()

    migrate.upgrade_to_head = upgrade_to_head
    yield template
    migrate.upgrade_to_head = real


class SeededOnce:
    """Records seeded once per run, copied into each test's fresh SQLite file after that.

    Seeding a school through the real stores is hundreds of small transactions (0.2-1 s a test);
    tests that only read or add to the same school take a copy of the file seeded the first time
    instead. `into(db, key, build)` runs `build(db)` the first time for `key` (in a data folder of its
    own) and returns its result; each call puts that database into `db` (SQLite's backup, as a
    laptop restored from a copy: the template's device id and school id come along) and returns a
    copy of the result. `build` must make only records (no files beside them, such as keys) and
    return plain data (ids, names), never an object tied to its database. On PostgreSQL, `build(db)`
    runs each time.
    """

    def __init__(self, folder_factory) -> None:
        self._folder_factory = folder_factory
        self._made: dict[str, tuple[Path, bytes]] = {}

    def into(self, db, key: str, build):
        import pickle
        import sqlite3
        from contextlib import closing

        from app.modules.records.database import Database
        from app.paths import resolve_locations

        if db.engine.dialect.name != "sqlite":
            return build(db)
        if key not in self._made:
            folder = self._folder_factory.mktemp("seeded")
            locations = resolve_locations(data_dir=folder / "data", content_dir=CONTENT, database_url="")
            template = Database.open(locations)
            try:
                result = build(template)
            finally:
                template.close()
            self._made[key] = (locations.database_file, pickle.dumps(result))
        file, result = self._made[key]
        raw = db.engine.raw_connection()
        try:
            with closing(sqlite3.connect(file)) as source:
                source.backup(raw.driver_connection)
        finally:
            raw.close()
        db.device_id = db._ensure_device_id()  # the copy's, as on a laptop restored from it
        return pickle.loads(result)


@pytest.fixture(scope="session")
def seeded_once(tmp_path_factory) -> SeededOnce:
    return SeededOnce(tmp_path_factory)


@pytest.fixture(scope="session", autouse=True)
def _widgets_application():
    """One QApplication for the whole run, made before anything else can make a Qt application.

    Drawing a certificate from the command line makes a plain QGuiApplication when there is none
    (certificate_pdf.ensure_gui); widgets made after that abort the whole run. Without this, a
    widget test that came after a command-line test in random order crashed every test after it.
    """
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    yield app


@pytest.fixture(autouse=True)
def _english_again():
    """After each test the program speaks English again (and Qt's layout is left to right), so a
    test that switched languages leaves nothing behind for the tests that assert English text."""
    yield
    import sys

    if "PySide6.QtGui" in sys.modules:
        from app.ui.common.language import apply_language

        apply_language("en")  # the catalogue, Qt's own translation, QLocale and the layout direction
    elif "app.core.i18n" in sys.modules:
        sys.modules["app.core.i18n"].set_language("en")


@pytest.fixture(autouse=True)
def _close_windows():
    """After each test, close and delete every top-level window it left, dialogs and play-tests too.

    pytest-qt closes the widgets given to qtbot.addWidget and calls deleteLater, but deferred
    deletes only run inside an event loop, so without this windows piled up for the whole run
    (17 main windows and thousands of widgets by the display tests), slowing every later test.
    """
    yield
    import sys

    if "PySide6.QtWidgets" not in sys.modules:
        return  # the test never touched Qt widgets
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return  # none, or a QGuiApplication made only to draw a certificate
    for widget in app.topLevelWidgets():
        if widget.parent() is None:  # a dialog with a parent goes with it
            widget.close()
            widget.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
