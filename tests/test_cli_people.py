"""Running a school from the command line: setup, a roster of 30, editing people, the recovery
code, and the sample school. Secrets come from standard input, never from arguments."""

from __future__ import annotations

import io
import json

import pytest

from app.cli import main
from app.modules.records import audit, profile_store, sign_in_throttle
from app.modules.records.database import Database
from app.paths import resolve_locations


def run(data_dir, *args, stdin: str = "", capsys=None, monkeypatch=None) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    status = main(["--data-dir", str(data_dir), *args])
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.fixture
def cli(tmp_path, capsys, monkeypatch):
    data = tmp_path / "school"

    def call(*args, stdin: str = ""):
        return run(data, *args, stdin=stdin, capsys=capsys, monkeypatch=monkeypatch)

    call.data = data
    return call


def _open(data):
    return Database.open(resolve_locations(data_dir=data, database_url=""))


def test_setup_reads_the_password_from_stdin_and_refuses_a_second_time(cli):
    status, out, _err = cli(
        "setup", "--school", "Hillside School", "--coordinator", "Ms Rivera", stdin="sesame street\n"
    )
    assert status == 0 and "Recovery code" in out
    status, _out, err = cli("setup", "--school", "Other", "--coordinator", "Mallory", stdin="another password\n")
    assert status == 1 and "already set up" in err
    status, _out, err = cli("setup", "--school", "X", "--coordinator", "Y", stdin="")  # no secret given
    assert status == 1


def test_a_roster_of_thirty_is_imported_once_and_bad_rows_write_nothing(cli, tmp_path):
    cli("setup", "--school", "Hillside School", "--coordinator", "Ms Rivera", stdin="sesame street\n")
    roster = tmp_path / "roster.csv"
    lines = ["name,group,role"] + [f"Student {i:02d},{'9A' if i < 15 else '9B'},trainee" for i in range(30)]
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([*lines[:5], "Eve,9A,wizard", ",9A,trainee", "Mallory,9A,coordinator"]) + "\n")
    status, _out, err = cli("people", "import", str(bad))
    assert status == 1 and "line 6" in err and "line 7" in err and "line 8" in err and "Nothing was imported" in err
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, out, _err = cli("people", "import", str(roster), "--dry-run")
    assert status == 0 and "30 to add" in out
    status, out, _err = cli("people", "list", "--format", "json")
    assert [p["role"] for p in json.loads(out)] == ["coordinator"]  # the dry run changed nothing
    assert cli("people", "import", str(roster))[0] == 0
    status, out, _err = cli("people", "import", str(roster))  # the same roster again
    assert status == 0 and "Added 0" in out and "30 were already here" in out
    people = json.loads(cli("people", "list", "--format", "json")[1])
    assert len(people) == 31
    assert set(people[0]) == {"id", "name", "group", "role", "archived", "note"}


def test_two_rows_with_one_name_in_one_class_are_two_people_once(cli, tmp_path):
    """Issue 15: the same name twice in one class of one file is two people, told apart by a note."""
    cli("setup", "--school", "Hillside School", "--coordinator", "Ms Rivera", stdin="sesame street\n")
    twice = tmp_path / "twice.csv"
    twice.write_text("name,group,role\nSam Lee,9A,trainee\nAna,9A,trainee\nSam Lee,9A,trainee\nSam Lee,9B,trainee\n")
    status, out, _err = cli("people", "import", str(twice), "--dry-run")
    assert status == 0 and "Lines 2, 4 have the same name in 9A (Sam Lee)" in out and "4 to add" in out
    assert "Sam Lee (1 of 2), Ana, Sam Lee (2 of 2)" in out
    assert len(json.loads(cli("people", "list", "--format", "json")[1])) == 1  # the dry run wrote nothing
    status, out, _err = cli("people", "import", str(twice))
    assert status == 0 and "Added 4 trainees" in out and "“1 of 2”, “2 of 2”" in out
    people = json.loads(cli("people", "list", "--format", "json")[1])
    sams = [(p["group"], p["note"]) for p in people if p["name"] == "Sam Lee"]
    assert sorted(sams, key=str) == sorted([("9A", "1 of 2"), ("9A", "2 of 2"), ("9B", None)], key=str)
    status, out, _err = cli("people", "import", str(twice))  # again: nothing changes, nothing to say
    assert status == 0 and "Added 0" in out and "4 were already here" in out and "same name" not in out
    assert len(json.loads(cli("people", "list", "--format", "json")[1])) == 5
    status, out, _err = cli("people", "list")
    assert "Sam Lee  [1 of 2]" in out


def test_a_roster_with_a_note_column_is_matched_by_its_notes(cli, tmp_path):
    cli("setup", "--school", "Hillside School", "--coordinator", "Ms Rivera", stdin="sesame street\n")
    roster = tmp_path / "noted.csv"
    roster.write_text("note,name,group,role\ntall,Sam Lee,9A,trainee\nMaths set 2,Sam Lee,9A,\n,Ana,9A,trainee\n")
    status, out, _err = cli("people", "import", str(roster))
    assert status == 0 and "Added 3" in out and "same name" not in out
    status, out, _err = cli("people", "import", str(roster))
    assert status == 0 and "Added 0" in out and "3 were already here" in out
    notes = {p["note"] for p in json.loads(cli("people", "list", "--format", "json")[1]) if p["name"] == "Sam Lee"}
    assert notes == {"tall", "Maths set 2"}
    clash = tmp_path / "clash.csv"
    clash.write_text("name,group,role,note\nBo,9A,trainee,tall\nbo,9a,trainee,TALL\n")
    status, _out, err = cli("people", "import", str(clash))
    assert status == 1 and "line 3" in err and "also on line 2" in err and "Nothing was imported" in err
    status, _out, err = cli("people", "import", str(roster).replace("noted", "missing"))
    assert status == 1
    long_note = tmp_path / "long.csv"
    long_note.write_text("name,group,role,note\nBo,9A,trainee," + "x" * 41 + "\n")
    status, _out, err = cli("people", "import", str(long_note))
    assert status == 1 and "line 2" in err and "too long" in err


def test_people_are_added_and_edited_with_a_note(cli):
    cli("setup", "--school", "Hillside School", "--coordinator", "Ms Rivera", stdin="sesame street\n")
    assert cli("people", "add", "Sam Lee", "--group", "9A")[0] == 0
    status, _out, err = cli("people", "add", "sam  lee", "--group", "9A")
    assert status == 1 and "add a note that tells them apart" in err
    status, out, _err = cli("people", "add", "Sam Lee", "--group", "9A", "--note", "Year 9, tall")
    assert status == 0
    status, _out, err = cli("people", "edit", "Sam Lee", "--note", "short")
    assert status == 1 and "2 people are called Sam Lee" in err and "Year 9, tall" in err
    people = json.loads(cli("people", "list", "--format", "json")[1])
    plain = next(p for p in people if p["name"] == "Sam Lee" and p["note"] is None)
    status, out, _err = cli("people", "edit", plain["id"], "--note", "short")
    assert status == 0 and "Sam Lee (trainee, 9A, short)" in out
    status, _out, err = cli("people", "edit", plain["id"], "--note", "year 9,  TALL")
    assert status == 1 and "with the note “year 9, TALL”" in err
    assert cli("people", "edit", plain["id"], "--no-note")[0] == 0
    assert (
        next(p for p in json.loads(cli("people", "list", "--format", "json")[1]) if p["id"] == plain["id"])["note"]
        is None
    )


def test_people_are_edited_archived_and_given_a_new_pin(cli):
    cli("setup", "--school", "Hillside School", "--coordinator", "Ms Rivera", stdin="sesame street\n")
    assert cli("people", "add", "Ana Lpoez", "--group", "9A")[0] == 0
    status, out, _err = cli("people", "edit", "Ana Lpoez", "--name", "Ana Lopez", "--group", "9B")
    assert status == 0 and "Ana Lopez (trainee, 9B)" in out
    status, out, _err = cli("people", "reset-secret", "Ana Lopez")
    pin = out.strip().rsplit(" ", 1)[-1]
    assert status == 0 and pin.isdigit() and len(pin) == 6
    db = _open(cli.data)
    try:
        ana = next(p for p in profile_store.list_profiles(db) if p.display_name == "Ana Lopez")
        assert sign_in_throttle.verify_secret(db, ana.id, pin).ok
        actions = {e.action for e in audit.entries(db, entity="profile", entity_id=ana.id)}
        assert {"create", "update", "reset_secret"} <= actions
    finally:
        db.close()
    assert cli("people", "archive", "Ana Lopez")[0] == 0
    people = json.loads(cli("people", "list", "--format", "json")[1])
    assert next(p for p in people if p["name"] == "Ana Lopez")["archived"] is True
    status, out, _err = cli("people", "add", "Mr Okafor", "--role", "trainer", stdin="trainer password\n")
    assert status == 0
    status, _out, err = cli("people", "archive", "Nobody Here")
    assert status == 1 and "Nobody is called" in err


def test_the_recovery_code_works_once(cli):
    out = cli("setup", "--school", "Hillside School", "--coordinator", "Ms Rivera", stdin="sesame street\n")[1]
    code = out.split("school safe): ")[1].split()[0]
    status, _out, err = cli("recover", "--coordinator", "Ms Rivera", stdin="AAAA-BBBB\nnew password 1\n")
    assert status == 1 and "not right" in err
    status, out, _err = cli("recover", "--coordinator", "Ms Rivera", stdin=f"{code.lower()}\nnew password 1\n")
    assert status == 0 and "New recovery code" in out
    status, _out, err = cli("recover", "--coordinator", "Ms Rivera", stdin=f"{code}\nnew password 2\n")
    assert status == 1  # used once, replaced
    db = _open(cli.data)
    try:
        rivera = profile_store.list_profiles(db)[0]
        assert sign_in_throttle.verify_secret(db, rivera.id, "new password 1").ok
    finally:
        db.close()


@pytest.mark.slow  # builds the whole sample school and signs its certificates (about 20 s); CI runs it
def test_the_sample_school_fills_an_empty_folder_only(cli):
    status, out, _err = cli("demo")
    assert status == 0 and "Ms Rivera" in out and "certificates issued" in out
    db = _open(cli.data)
    try:
        trainees = [p for p in profile_store.list_profiles(db) if p.role == profile_store.TRAINEE]
        assert len(trainees) >= 10 and {p.group_name for p in trainees} == {"9B", "9C"}
    finally:
        db.close()
    assert any((cli.data / "certificates").glob("*.pdf"))
    status, _out, err = cli("demo")
    assert status == 1 and "never touches real records" in err
