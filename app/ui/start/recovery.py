"""Start-up care of the records: the daily backup, and the way back from a damaged file.

When the records file fails its integrity check, the error page shows a RestoreOffer: the
newest backup that passes the same check, with its date. Restoring moves the damaged file
aside untouched (damaged-<time>-<name>, kept for IT support) and copies the backup in with
SQLite's backup API; nothing is ever written to the damaged file.

When a journal (-wal) was put beside records that had been closed cleanly, a StrayJournalOffer
moves it aside, unread, and opens the records as they were when last closed.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from app.core.i18n import _
from app.ui.common import tasks
from app.ui.common import widgets as w


def start_daily_backup(window) -> None:
    from app.service import storage as backups

    locations = window.ctx.locations
    tasks.run(window, lambda: backups.daily_backup_if_due(locations), lambda _info: None, _backup_failed)


def _backup_failed(exc: BaseException) -> None:
    # Not worth stopping a lesson for; the Records tab shows when the last backup was taken.
    print(f"peer-trainer: the daily backup could not be made: {exc}", file=sys.stderr)


class RestoreOffer(QFrame):
    """The card "Restore the latest good backup" for the error page (the backup is found on a worker).

    `note` says what was found; `button` shows once there is a good backup; `restored` carries
    (database, content) once it is back, for the window to carry on as after a normal open.
    """

    restored = Signal(object)

    def __init__(self, locations, parent: QWidget | None = None):
        super().__init__(parent)
        from app.service import storage as backups

        self.locations = locations
        self.setObjectName("Card")
        self.setFrameShape(QFrame.Shape.NoFrame)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        lay.addWidget(w.title(_("Restore the latest good backup"), "SectionTitle"))
        self.note = w.muted(_("Looking for a good backup…"))
        lay.addWidget(self.note)
        self.button = w.button(_("Restore the latest good backup"), "primary")
        self.button.hide()
        lay.addLayout(w.row(self.button, None))
        self._latest = None
        self.button.clicked.connect(self._restore)
        tasks.run(self, lambda: backups.latest_good_backup(locations.backups_dir), self._found, self._not_found)

    def _found(self, latest) -> None:
        from app.service import storage as backups

        if latest is None:
            self.note.setText(
                _("There is no good backup in {folder} to restore from. Ask IT support for help.").format(
                    folder=self.locations.backups_dir
                )
            )
            return
        self._latest = latest
        self.note.setText(
            _(
                "The newest undamaged backup was taken {age} ({kind}, {size}). Restoring it brings back the records "
                "as they were then. The damaged file is kept, unchanged, beside it for IT support."
            ).format(
                age=backups.age_in_words(latest.taken_at),
                kind=latest.label.lower(),
                size=backups.size_in_words(latest.size),
            )
        )
        self.button.show()

    def _not_found(self, exc: BaseException) -> None:
        self.note.setText(str(exc))

    def _restore(self) -> None:
        from app.service import storage as backups

        self.button.setEnabled(False)
        self.note.setText(_("Restoring…"))
        locations, latest = self.locations, self._latest

        def work():
            from app.modules.content import load_content

            result = backups.restore(locations, latest)
            return result.db, load_content(locations.content_dir)

        def failed(exc: BaseException) -> None:
            self.button.setEnabled(True)
            self.note.setText(_("The backup could not be restored: {error}").format(error=exc))

        tasks.run(self, work, self.restored.emit, failed)


class StrayJournalOffer(QFrame):
    """The card "Open the records as they were when last closed": moves a stray -wal aside, unread.

    `opened` carries (database, content) once the records are open, as RestoreOffer's `restored`.
    """

    opened = Signal(object)

    def __init__(self, locations, wal, parent: QWidget | None = None):
        super().__init__(parent)
        self.locations = locations
        self.setObjectName("Card")
        self.setFrameShape(QFrame.Shape.NoFrame)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 16, 20, 16)
        lay.addWidget(w.title(_("Open the records as they were when last closed"), "SectionTitle"))
        self.note = w.muted(
            _(
                "This moves {file} aside, unread, and keeps it for IT support. Nothing the program saved is lost."
            ).format(file=wal.name)
        )
        lay.addWidget(self.note)
        self.button = w.button(_("Move it aside and open the records"), "primary")
        self.button.clicked.connect(self._go)
        lay.addLayout(w.row(self.button, None))

    def _go(self) -> None:
        locations = self.locations
        self.button.setEnabled(False)
        self.note.setText(_("Opening…"))

        def work():
            from app.modules.content import load_content
            from app.service import storage as backups

            backups.set_aside_stray_wal(locations.database_file)
            return backups.open_records(locations), load_content(locations.content_dir)

        def failed(exc: BaseException) -> None:
            self.button.setEnabled(True)
            self.note.setText(_("The records still cannot be opened: {error}").format(error=exc))

        tasks.run(self, work, self.opened.emit, failed)
