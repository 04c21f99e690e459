"""`peer-trainer devices | pair | import-records | erase-trainee` as a school's IT person uses them."""

from __future__ import annotations

import pytest
from records_helpers import add_trainee_work, laptop, same_school, set_up_school

from app.cli import main
from app.modules.records import backups, profile_store
from app.modules.records.database import Database
from app.modules.records.profile_store import TRAINEE


def cli(folder, *args: str) -> int:
    loc = laptop(folder)
    return main(["--data-dir", str(loc.data_dir), "--content", str(loc.content_dir), *args])


@pytest.fixture
def laptops(tmp_path):
    a = Database.open(laptop(tmp_path / "a"))
    coord, trainer = set_up_school(a)
    ana = profile_store.create_profile(a, "Ana Lopez", TRAINEE, group="9B", actor_id=coord.id)
    add_trainee_work(a, ana.id, trainer.id)
    b = Database.open(laptop(tmp_path / "b"))
    set_up_school(b, coordinator="Mr Cole")
    same_school(a, b)
    a.close()
    b.close()
    return tmp_path / "a", tmp_path / "b"


def _fingerprint(folder, capsys) -> str:
    assert cli(folder, "devices") == 0
    out = capsys.readouterr().out
    return out.split("This laptop's fingerprint: ")[1].splitlines()[0]


def test_an_unpaired_laptops_file_is_refused_until_its_fingerprint_is_given(laptops, tmp_path, capsys):
    a, b = laptops
    bundle = tmp_path / "a.peer-records"
    assert cli(a, "export-records", str(bundle)) == 0
    shown_on_a = _fingerprint(a, capsys)
    assert len(shown_on_a.replace(" ", "")) == 24
    assert cli(b, "import-records", str(bundle)) == 1
    err = capsys.readouterr().err
    assert "not paired" in err and shown_on_a in err and "Nothing was imported" in err
    assert cli(b, "import-records", str(bundle), "--trust-fingerprint", "1234") == 1
    assert "not the one given" in capsys.readouterr().err
    assert cli(b, "import-records", str(bundle), "--trust-fingerprint", shown_on_a.replace(" ", "-")) == 0
    out = capsys.readouterr().out
    assert "Paired with that laptop" in out and "rows merged:" in out
    assert cli(b, "import-records", str(bundle)) == 0  # paired now: no fingerprint needed
    assert "rows merged: 0" in capsys.readouterr().out
    assert cli(b, "devices") == 0
    out = capsys.readouterr().out
    assert "Paired laptops (1):" in out and shown_on_a in out
    assert cli(b, "devices", "--remove", shown_on_a) == 0
    capsys.readouterr()
    assert cli(b, "import-records", str(bundle)) == 1
    assert "not paired" in capsys.readouterr().err


def test_pair_without_importing_and_another_school_refused(laptops, tmp_path, capsys):
    a, b = laptops
    bundle = tmp_path / "a.peer-records"
    cli(a, "export-records", str(bundle))
    fingerprint = _fingerprint(a, capsys)
    assert cli(b, "pair", str(bundle), "--trust-fingerprint", fingerprint) == 0
    assert "Paired." in capsys.readouterr().out
    other = Database.open(laptop(tmp_path / "other"))
    set_up_school(other, coordinator="Ms Other", school="Riverside School")
    other.close()
    theirs = tmp_path / "other.peer-records"
    cli(tmp_path / "other", "export-records", str(theirs))
    their_fp = _fingerprint(tmp_path / "other", capsys)
    assert cli(b, "import-records", str(theirs), "--trust-fingerprint", their_fp, "--join-school") == 1
    assert "another school (Riverside School)" in capsys.readouterr().err


def test_erase_trainee_says_where_the_name_is_left_and_what_to_do(short_busy_wait, laptops, tmp_path, capsys):
    import sqlite3

    a, _ = laptops
    loc = laptop(a)
    backups.back_up(loc, backups.MANUAL)
    partial = loc.backups_dir / "daily-20250101T000000Z.sqlite3.partial"
    partial.write_bytes(next(loc.backups_dir.glob("manual-*")).read_bytes())
    reader = sqlite3.connect(loc.data_dir / "peer-trainer.sqlite3")
    reader.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM profiles").fetchone()
    try:
        status = cli(a, "erase-trainee", "Ana Lopez", "--confirm-name", "ana lopez")
    finally:
        reader.rollback()
        reader.close()
    captured = capsys.readouterr()
    assert status == 1
    assert "their name is still in" in captured.out and "Not finished" in captured.err
    assert "erase-trainee --finish" in captured.err and f"deleted an unfinished copy: {partial}" in captured.out
    assert cli(a, "erase-trainee", "--finish") == 0
    assert "no erased data is left" in capsys.readouterr().out
    print(f"\n{captured.out}{captured.err}")
