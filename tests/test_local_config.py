"""The database server address kept beside the records (config.json), and its screen."""

from __future__ import annotations

import json

from app.modules import local_config
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
    from app.modules.records import accounts
    from app.ui.context import AppContext
    from app.ui.records_tab import RecordsTab

    ctx = AppContext(locations)
    ctx.open_records(db)
    ctx.set_content(load_content(locations.content_dir))
    ctx.sign_in(accounts.setup_school(db, "Ms Rivera", "password123", "Riverside High"))
    tab = RecordsTab(ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    assert "on this laptop" in tab.server_status.text()
    tab.server_url.setText("mysql://nope")
    tab.save_server()
    assert "not supported" in tab.server_status.text()
    assert local_config.read_config(locations.data_dir) == {}
    tab.server_url.setText("postgresql+psycopg://u:p@db.school/peer")
    tab.save_server()
    assert local_config.read_config(locations.data_dir)["database_url"] == "postgresql+psycopg://u:p@db.school/peer"
    assert resolve_locations(locations.data_dir).database_url == "postgresql+psycopg://u:p@db.school/peer"
