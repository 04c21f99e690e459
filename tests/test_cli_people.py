"""Running a school from the command line: setup, a roster of 30, editing people, the recovery
code, and the sample school. Secrets come from standard input, never from arguments."""

from __future__ import annotations

import io
import json

import pytest

from app.cli import main
from app.modules.records import accounts, audit
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
    assert set(people[0]) == {"id", "name", "group", "role", "archived"}
    twice = tmp_path / "twice.csv"
    twice.write_text("name,group,role\nSam Lee,9A,trainee\nSam Lee,9A,trainee\n")
    status, _out, err = cli("people", "import", str(twice))
    assert status == 1 and "line 3" in err and "also on line 2" in err


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
        ana = next(p for p in accounts.list_profiles(db) if p.display_name == "Ana Lopez")
        assert accounts.verify_secret(db, ana.id, pin).ok
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
        rivera = accounts.list_profiles(db)[0]
        assert accounts.verify_secret(db, rivera.id, "new password 1").ok
    finally:
        db.close()


def test_the_sample_school_fills_an_empty_folder_only(cli):
    status, out, _err = cli("demo")
    assert status == 0 and "Ms Rivera" in out and "certificates issued" in out
    db = _open(cli.data)
    try:
        trainees = [p for p in accounts.list_profiles(db) if p.role == accounts.TRAINEE]
        assert len(trainees) >= 10 and {p.group_name for p in trainees} == {"9B", "9C"}
    finally:
        db.close()
    assert any((cli.data / "certificates").glob("*.pdf"))
    status, _out, err = cli("demo")
    assert status == 1 and "never touches real records" in err
