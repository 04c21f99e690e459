"""Start-up care of the records: the daily backup, and the way back from a damaged file.

When the records file fails its integrity check, the error page gets a card offering the
newest backup that passes the same check, with its date. Restoring moves the damaged file
aside untouched (damaged-<time>-<name>, kept for IT support) and copies the backup in with
SQLite's backup API; nothing is ever written to the damaged file.

When the only trouble is a `-wal` put beside the records after they were last closed properly
(an older copy put back, or another computer's), a first card offers to move that file aside
unread and open the records as they were at that clean close: nothing of theirs is lost.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout

from . import tasks
from . import widgets as w


def start_daily_backup(window) -> None:
    from app.modules.records import backups

    locations = window.ctx.locations
    tasks.run(window, lambda: backups.daily_backup_if_due(locations), lambda _info: None, _backup_failed)


def _backup_failed(exc: BaseException) -> None:
    # Not worth stopping a lesson for; the Records tab shows when the last backup was taken.
    print(f"peer-trainer: the daily backup could not be made: {exc}", file=sys.stderr)


def offer_restore(window) -> None:
    """Add "Restore the latest good backup" to the error page on screen (found on a worker)."""
    from app.modules.records import backups

    page = window.stack.currentWidget()
    box = w.card()
    box.setObjectName("Card")
    lay = QVBoxLayout(box)
    lay.setContentsMargins(20, 16, 20, 16)
    lay.addWidget(w.title("Restore the latest good backup", "SectionTitle"))
    note = w.muted("Looking for a good backup…")
    lay.addWidget(note)
    button = w.button("Restore the latest good backup", "primary")
    button.hide()
    lay.addLayout(w.row(button, None))
    outer = page.layout()
    outer.insertWidget(outer.count() - 2, box)  # above "Close the program"
    window.restore_offer = box  # tests find it here
    window.restore_button = button
    window.restore_note = note
    locations = window.ctx.locations

    def found(latest) -> None:
        if latest is None:
            note.setText(
                f"There is no good backup in {locations.backups_dir} to restore from. Ask IT support for help."
            )
            return
        note.setText(
            f"The newest undamaged backup was taken {backups.age_in_words(latest.taken_at)} "
            f"({latest.label.lower()}, {backups.size_in_words(latest.size)}). Restoring it brings back the records as "
            "they were then. The damaged file is kept, unchanged, beside it for IT support."
        )
        button.show()
        button.clicked.connect(lambda: _restore(window, latest, note, button))

    tasks.run(
        window, lambda: backups.latest_good_backup(locations.backups_dir), found, lambda exc: note.setText(str(exc))
    )


def offer_set_aside_stray_wal(window, wal) -> None:
    """Add "Move the stray journal aside" to the error page: keeps every record of the last clean close."""
    from app.modules.records.database import set_aside_stray_wal

    page = window.stack.currentWidget()
    box = w.card()
    box.setObjectName("Card")
    lay = QVBoxLayout(box)
    lay.setContentsMargins(20, 16, 20, 16)
    lay.addWidget(w.title("Open the records as they were when last closed", "SectionTitle"))
    note = w.muted(
        f"This moves {wal.name} aside, unread, and keeps it for IT support. Nothing the program saved is lost."
    )
    note.setTextFormat(Qt.TextFormat.PlainText)
    lay.addWidget(note)
    button = w.button("Move it aside and open the records", "primary")
    lay.addLayout(w.row(button, None))
    outer = page.layout()
    outer.insertWidget(outer.count() - 2, box)
    window.set_aside_button = button
    locations = window.ctx.locations

    def work():
        from app.modules.content import load_content
        from app.modules.records.database import Database

        set_aside_stray_wal(locations.database_file)
        return Database.open(locations), load_content(locations.content_dir)

    def failed(exc: BaseException) -> None:
        button.setEnabled(True)
        note.setText(f"The records still cannot be opened: {getattr(exc, 'message', exc)}")

    def go() -> None:
        button.setEnabled(False)
        note.setText("Opening…")
        tasks.run(window, work, lambda result: _reopened(window, result), failed)

    button.clicked.connect(go)


def _restore(window, latest, note, button) -> None:
    from app.modules.records import backups

    button.setEnabled(False)
    note.setText("Restoring…")
    locations = window.ctx.locations

    def work():
        from app.modules.content import load_content

        result = backups.restore(locations, latest)
        return result.db, load_content(locations.content_dir)

    def failed(exc: BaseException) -> None:
        button.setEnabled(True)
        note.setText(f"The backup could not be restored: {exc}")

    tasks.run(window, work, lambda result: _reopened(window, result), failed)


def _reopened(window, result) -> None:
    # The error page is on screen even when a quick look had listed the profiles: show the picker.
    window._peeked = False
    window._opened(result)
