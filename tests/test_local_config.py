"""The database server address kept beside the records (config.json), and its screen."""

from __future__ import annotations

import json

from app import local_config
from app.paths import resolve_locations


def test_config_file_sets_the_database_url_and_options_still_win(tmp_path, monkeypatch):
    monkeypatch.delenv("PEER_TRAINER_DATABASE_URL", raising=False)
    data = tmp_path / "data"
    assert resolve_locations(data).database_url is None
    local_config.write_config(data, {"database_url": "postgresql+psycopg://u:p@db.school/peer"})
    assert resolve_locations(data).database_url == "postgresql+psycopg://u:p@db.school/peer"
    assert resolve_locations(data, database_url="sqlite:///x.db").database_url == "sqlite:///x.db"
    monkeypatch.setenv("PEER_TRAINER_DATABASE_URL", "postgresql+psycopg://other/db")
    assert resolve_locations(data).database_url == "postgresql+psycopg://other/db"
    local_config.write_config(data, {"database_url": None})
    assert json.loads((data / "config.json").read_text()) == {}


def test_a_damaged_config_file_is_ignored(tmp_path, monkeypatch):
    monkeypatch.delenv("PEER_TRAINER_DATABASE_URL", raising=False)
    (tmp_path / "config.json").write_text("{not json")
    assert resolve_locations(tmp_path).database_url is None


def test_addresses_are_checked_in_plain_words():
    assert local_config.database_url_problem("") is None
    assert local_config.database_url_problem("postgresql+psycopg://u:p@server/peer") is None
    assert "not a database address" in local_config.database_url_problem("hello world")
    assert "not supported" in local_config.database_url_problem("mysql://u@h/d")
    assert "server and a database" in local_config.database_url_problem("postgresql+psycopg://")
    assert local_config.test_connection("postgresql+psycopg://u:p@127.0.0.1:1/none").startswith("Could not connect")


def test_records_tab_saves_the_server_address(qtbot, db, locations, monkeypatch):
    monkeypatch.delenv("PEER_TRAINER_DATABASE_URL", raising=False)
    from app.modules.content import load_content
    from app.modules.records import school_setup
    from app.ui.common.context import AppContext
    from app.ui.staff.records_tab import RecordsTab

    ctx = AppContext(locations)
    ctx.open_records(db)
    ctx.set_content(load_content(locations.content_dir))
    ctx.sign_in(school_setup.setup_school(db, "Ms Rivera", "password123", "Riverside High"))
    tab = RecordsTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    assert "on this laptop" in tab.server_panel.server_status.text()
    tab.server_panel.server_url.setText("mysql://nope")
    tab.server_panel.save_server()
    assert "not supported" in tab.server_panel.server_status.text()
    assert local_config.read_config(locations.data_dir) == {}
    tab.server_panel.server_url.setText("postgresql+psycopg://u:p@db.school/peer")
    tab.server_panel.save_server()
    assert local_config.read_config(locations.data_dir)["database_url"] == "postgresql+psycopg://u:p@db.school/peer"
    assert resolve_locations(locations.data_dir).database_url == "postgresql+psycopg://u:p@db.school/peer"


class _MemoryKeyring:
    """Stands in for the OS keyring (Windows Credential Manager, Keychain, Secret Service)."""

    def __init__(self):
        self.saved = {}

    def set_password(self, service, name, password):
        self.saved[(service, name)] = password

    def get_password(self, service, name):
        return self.saved.get((service, name))


def test_a_server_password_goes_to_the_keyring_when_there_is_one(tmp_path, monkeypatch):
    monkeypatch.delenv("PEER_TRAINER_DATABASE_URL", raising=False)
    ring = _MemoryKeyring()
    monkeypatch.setattr(local_config, "_keyring", lambda: ring)
    data = tmp_path / "data"
    url = "postgresql+psycopg://coord:s3cr%40t@db.school/peer"
    assert local_config.save_database_url(data, url) == local_config.KEYRING
    text = (data / "config.json").read_text()
    assert "s3cr" not in text and json.loads(text)["password_in"] == "keyring"
    assert list(ring.saved.values()) == ["s3cr@t"]
    assert resolve_locations(data).database_url == url  # read back whole, for the connection
    assert local_config.shown_address(data) == "postgresql+psycopg://coord@db.school/peer"
    # Saving the address as shown (no password) keeps the saved password.
    assert local_config.save_database_url(data, "postgresql+psycopg://coord@db.school/peer") == local_config.KEYRING
    assert resolve_locations(data).database_url == url


def test_without_a_keyring_the_password_stays_in_a_private_file_and_the_tab_says_so(qtbot, db, locations, monkeypatch):
    import stat

    monkeypatch.delenv("PEER_TRAINER_DATABASE_URL", raising=False)
    monkeypatch.setattr(local_config, "_keyring", lambda: None)
    from app.modules.content import load_content
    from app.modules.records import school_setup
    from app.ui.common.context import AppContext
    from app.ui.staff.records_tab import RecordsTab

    ctx = AppContext(locations)
    ctx.open_records(db)
    ctx.set_content(load_content(locations.content_dir))
    ctx.sign_in(school_setup.setup_school(db, "Ms Rivera", "password123", "Riverside High"))
    tab = RecordsTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    tab.server_panel.server_url.setText("postgresql+psycopg://u:pw12345@db.school/peer")
    tab.server_panel.save_server()
    config = locations.data_dir / "config.json"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert (
        "no keyring" in tab.server_panel.server_status.text() and "config.json" in tab.server_panel.server_status.text()
    )
    assert "pw12345" not in tab.server_panel.server_url.text()  # never shown
    assert local_config.password_storage(locations.data_dir) == local_config.IN_FILE
    tab.refresh()
    assert "no keyring" in tab.server_panel.server_status.text()


def test_the_real_keyring_package_is_used_and_a_missing_backend_is_no_error(tmp_path):
    import keyring  # noqa: F401 - a dependency of the program

    # Whatever this machine has, asking never raises; with no backend the password stays in the file
    # (not tried where a real keyring exists: a test must not write to a person's keyring).
    if local_config.keyring_available():
        return
    where = local_config.save_database_url(tmp_path, "postgresql+psycopg://u:pw@db.school/peer")
    assert where == local_config.IN_FILE
