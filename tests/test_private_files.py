"""Issue 14 item 6: on a shared computer, other accounts cannot read the records."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from records_helpers import add_trainee_work, laptop, set_up_school

from app.core import private_files
from app.modules.records import backups, profile_store
from app.modules.records.database import Database
from app.modules.records.profile_store import TRAINEE

pytestmark = [pytest.mark.sqlite_only, pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")]


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def _open_to_others(folder: Path) -> list[str]:
    paths = [folder, *folder.rglob("*")]
    return [f"{p.relative_to(folder.parent)} {oct(_mode(p))}" for p in paths if _mode(p) & 0o077]


def test_a_new_data_folder_and_everything_written_in_it_is_private(tmp_path):
    old = os.umask(0o022)  # the usual umask: files would be 0644 and folders 0755
    try:
        place = laptop(tmp_path / "data")
        db = Database.open(place)
        coord, trainer = set_up_school(db)
        ana = profile_store.create_profile(db, "Ana Lopez", TRAINEE, actor_id=coord.id)
        add_trainee_work(db, ana.id, trainer.id)
        backups.back_up(place)
        from app import local_config
        from app.modules.keys import SigningKey

        SigningKey.load_or_create(place.keys_dir)
        local_config.write_config(place.data_dir, {"x": 1})
        from app.modules.exchange import csv_export, family_record

        csv_export.export_attempts(db, place.data_dir / "attempts.csv")
        family_record.export_family_record(db, ana.id, tmp_path / "family.json")
        assert _mode(tmp_path / "family.json") == 0o600  # an export outside the data folder too
        assert _mode(place.database_file.with_name(place.database_file.name + "-wal")) == 0o600
        db.close()
    finally:
        os.umask(old)
    assert _mode(place.data_dir) == 0o700
    assert _open_to_others(place.data_dir) == []
    assert {p.name for p in place.data_dir.iterdir()} >= {"peer-trainer.sqlite3", "backups", "keys", "config.json"}


def test_an_existing_open_data_folder_is_repaired_at_start(tmp_path):
    place = laptop(tmp_path / "data")
    db = Database.open(place)
    set_up_school(db)
    backups.back_up(place)
    db.close()
    (place.data_dir / "config.json").write_text(json.dumps({"database_url": ""}))
    for path in [place.data_dir, *place.data_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)  # as version 0.x left them
    assert len(_open_to_others(place.data_dir)) >= 4
    Database.open(place).close()
    assert _open_to_others(place.data_dir) == []


def test_a_symbolic_link_in_the_data_folder_is_not_followed(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("not ours")
    outside.chmod(0o644)
    data = tmp_path / "data"
    data.mkdir()
    (data / "link").symlink_to(outside)
    assert private_files.repair(data) == []
    assert _mode(outside) == 0o644


def test_the_program_runs_with_a_private_umask(tmp_path, monkeypatch):
    from app import cli

    seen = {}

    def fake(args):
        seen["umask"] = os.umask(0o077)
        return 0

    monkeypatch.setattr(cli, "_run", fake)
    before = os.umask(0o022)
    try:
        assert cli.main(["--data-dir", str(tmp_path)]) == 0
        assert seen["umask"] == 0o077
        assert os.umask(0o022) == 0o022  # put back for the caller
    finally:
        os.umask(before)


def test_only_the_programs_own_files_are_repaired_in_a_shared_folder(tmp_path):
    data = tmp_path / "home"
    data.mkdir()
    (data / "holiday.jpg").write_bytes(b"x")
    (data / "holiday.jpg").chmod(0o644)
    (data / "Documents").mkdir(mode=0o755)
    (data / "Documents").chmod(0o755)
    (data / "config.json").write_text("{}")
    (data / "config.json").chmod(0o644)
    private_files.repair(data)
    assert _mode(data / "holiday.jpg") == 0o644 and _mode(data / "Documents") == 0o755
    assert _mode(data / "config.json") == 0o600 and _mode(data) == 0o700
