"""Issue 14 item 10: simultaneous sign-in tries are each answered, and one copy per data folder."""

from __future__ import annotations

import subprocess
import sys
import threading

import fast_hash
import pytest

from app.modules.instance_lock import AlreadyRunning, InstanceLock
from app.modules.records import profile_store, school_setup, secret_hashing, sign_in_throttle
from app.modules.records.database import Database
from app.modules.records.models import Profile
from app.modules.records.profile_store import TRAINEE

TRIES = 8


def test_eight_simultaneous_tries_are_each_answered_and_counted(locations, monkeypatch):
    db = Database.open(locations)
    coord = school_setup.setup_school(db, "Ms Rivera", "correct horse", "Hillside School")
    ana = profile_store.create_profile(db, "Ana Lopez", TRAINEE, actor_id=coord.id)
    monkeypatch.setattr(secret_hashing, "SCRYPT_LOG2_N", 14)  # a check takes long enough for the tries to overlap
    profile_store.set_secret(db, ana.id, "2468", actor_id=coord.id)
    db.close()
    checked = []
    real_check = secret_hashing.check_secret

    def counting_check(secret, stored):
        checked.append(secret)
        return real_check(secret, stored)

    monkeypatch.setattr(sign_in_throttle, "check_secret", counting_check)
    # Each try on its own connection pool, as separate windows or processes would be.
    databases = [Database.open(locations) for _ in range(TRIES)]
    start = threading.Barrier(TRIES)
    results: list = [None] * TRIES
    pins = ["2468" if i == TRIES - 1 else f"{1000 + i}" for i in range(TRIES)]

    def attempt(i: int) -> None:
        start.wait()
        try:
            results[i] = sign_in_throttle.verify_secret(databases[i], ana.id, pins[i])
        except Exception as exc:  # "database is locked" was the bug
            results[i] = exc

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(TRIES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        errors = [r for r in results if isinstance(r, Exception)]
        assert errors == []
        assert all(isinstance(r, sign_in_throttle.LoginResult) for r in results)
        # Every try was either checked against the hash or refused by the wait: none slipped past.
        # A right PIN clears the count, so the tries after it start afresh: count each side apart.
        right = checked.index("2468") if "2468" in checked else len(checked)
        before, after = checked[:right], checked[right + 1 :]
        assert len(before) <= sign_in_throttle.FREE_FAILURES + 1
        assert len(after) <= sign_in_throttle.FREE_FAILURES + 1
        waited = [r for r in results if not r.ok and "Too many wrong tries" in r.message]
        assert len(checked) + len(waited) == TRIES
        with databases[0].session() as session:
            row = session.get(Profile, ana.id)
            wrong_checked = sum(1 for pin in checked if pin != "2468")
            right_ok = any(r.ok for r in results)
            assert row.failed_attempts == (0 if right_ok else wrong_checked) or right_ok
    finally:
        for d in databases:
            d.close()
    print(f"\n{TRIES} simultaneous tries: {len(checked)} checked against the hash, {len(waited)} told to wait")


def test_a_second_copy_on_the_same_folder_is_refused_with_a_clear_message(tmp_path):
    with InstanceLock.acquire(tmp_path, "a window"):
        with pytest.raises(AlreadyRunning) as raised:
            InstanceLock.acquire(tmp_path, "import-records")
        assert "already open" in raised.value.message and "a window" in raised.value.message
        assert str(tmp_path) in raised.value.message
    InstanceLock.acquire(tmp_path, "a window").release()  # free again once closed


def test_a_writing_command_is_refused_while_a_window_has_the_folder(tmp_path):
    data = tmp_path / "data"
    with InstanceLock.acquire(data, "a window"):
        done = subprocess.run(
            fast_hash.command("--data-dir", str(data), "erase-trainee", "Nobody", "--confirm-name", "Nobody"),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 1
        assert "already open on these records" in done.stderr and "a window" in done.stderr
        # A command that only reads is not held up.
        listed = subprocess.run(
            fast_hash.command("--data-dir", str(data), "backups"), capture_output=True, text=True, timeout=120
        )
        assert "already open" not in listed.stderr


def test_a_killed_holder_leaves_no_lock_behind(tmp_path):
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[2]);"
        "from app.modules.instance_lock import InstanceLock;"
        "lock = InstanceLock.acquire(sys.argv[1], 'a window'); print('held', flush=True); time.sleep(60)"
    )
    child = subprocess.Popen([sys.executable, "-c", code, str(tmp_path), str(fast_hash.REPO)], stdout=subprocess.PIPE)
    assert child.stdout.readline().strip() == b"held"
    with pytest.raises(AlreadyRunning) as raised:
        InstanceLock.acquire(tmp_path, "a window")
    assert f"process {child.pid}" in raised.value.message
    child.kill()
    child.wait()
    InstanceLock.acquire(tmp_path, "a window").release()


def test_the_window_shows_the_message_when_another_copy_has_the_folder(qtbot, locations):
    from app.ui.application import claim_data_folder
    from app.ui.common.context import AppContext
    from app.ui.main_window import MainWindow

    with InstanceLock.acquire(locations.data_dir, "a window"):
        win = MainWindow(AppContext(locations))
        qtbot.addWidget(win)
        win.resize(1000, 700)
        win.show()
        assert not claim_data_folder(win)
        from PySide6.QtWidgets import QLabel

        texts = " ".join(label.text() for label in win.findChildren(QLabel))
        assert "already open on these records" in texts
        import os

        if os.environ.get("PEER_TRAINER_SHOTS"):
            win.grab().save(os.path.join(os.environ["PEER_TRAINER_SHOTS"], "second-copy.png"))
    second = MainWindow(AppContext(locations))
    qtbot.addWidget(second)
    assert claim_data_folder(second)
    second.ctx.shutdown()
    assert second.ctx.instance_lock is None


RACER = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from app.modules.records import profile_store, school_setup, secret_hashing, sign_in_throttle
from app.modules.records.database import Database
from app.paths import resolve_locations
db = Database.open(resolve_locations(sys.argv[2], sys.argv[1] + "/content"))
print("ready", flush=True)
start_at = float(sys.stdin.readline())  # the same moment for all, told once every one is ready
while time.time() < start_at:
    time.sleep(0.001)
try:
    r = sign_in_throttle.verify_secret(db, sys.argv[3], sys.argv[4])
    print(json.dumps({"ok": r.ok, "wait": r.wait_seconds, "message": r.message}))
except Exception as exc:
    print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
db.close()
"""


@pytest.mark.sqlite_only
def test_eight_processes_trying_at_once_are_each_answered(tmp_path):
    import json
    import time

    from app.paths import resolve_locations

    locations = resolve_locations(tmp_path / "data", fast_hash.REPO / "content")
    db = Database.open(locations)
    coord = school_setup.setup_school(db, "Ms Rivera", "correct horse", "Hillside School")
    ana = profile_store.create_profile(db, "Ana Lopez", TRAINEE, actor_id=coord.id)
    secret_hashing.SCRYPT_LOG2_N, saved = 14, secret_hashing.SCRYPT_LOG2_N
    try:
        profile_store.set_secret(db, ana.id, "2468", actor_id=coord.id)
    finally:
        secret_hashing.SCRYPT_LOG2_N = saved
    db.close()
    pins = [f"{1000 + i}" for i in range(TRIES - 1)] + ["2468"]
    children = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(fast_hash.REPO), str(locations.data_dir), ana.id, pin],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for pin in pins
    ]
    for child in children:  # every child imported and connected...
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
    start_at = time.time() + 0.2  # ...then all of them try at one moment
    for child in children:
        child.stdin.write(f"{start_at}\n")
        child.stdin.flush()
    answers = []
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        answers.append(json.loads(out.strip().splitlines()[-1]))
    errors = [a for a in answers if "error" in a]
    assert errors == []  # "database is locked" was the bug
    waited = [a for a in answers if "Too many wrong tries" in a["message"]]
    checked = len(answers) - len(waited)
    assert checked <= sign_in_throttle.FREE_FAILURES + 1
    print(f"\n8 processes at once: {checked} checked against the hash, {len(waited)} told to wait, 0 errors")
