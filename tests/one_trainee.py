"""A school with one trainee who has seen the first-start tour, opened in the real main window
and signed in: the shortest way to a trainee's screens in a test."""

from __future__ import annotations

from pathlib import Path

from app.modules.records import preference_store, profile_store, school_setup
from app.modules.records.database import Database
from app.paths import resolve_locations
from app.ui.common.context import AppContext
from app.ui.main_window import MainWindow

CONTENT = Path(__file__).resolve().parent.parent / "content"


def signed_in_trainee(qtbot, data_dir: Path, content_dir: Path = CONTENT, speech=None) -> MainWindow:
    locations = resolve_locations(data_dir=data_dir, content_dir=content_dir, database_url="")
    db = Database.open(locations)
    coordinator = school_setup.setup_school(db, "Ms Rivera", "correct horse", "Riverside High")
    sam = profile_store.create_profile(db, "Sam", profile_store.TRAINEE, actor_id=coordinator.id)
    preference_store.set_preferences(db, sam.id, {"tour_done": True}, actor_id=sam.id)
    db.close()
    ctx = AppContext(locations, speech=speech)  # speech: a stand-in for the speech engine, or None
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    win.start(background=False)
    win.sign_in(sam)
    return win
