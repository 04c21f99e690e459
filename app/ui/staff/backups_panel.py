"""Records, backups: the list of backups, backing up now, and restoring one (after a confirmation)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.i18n import _
from app.ui.common import widgets as w
from app.ui.staff.records_common import Confirm
from app.ui.staff.school_tab import _section


class BackupsPanel(QWidget):
    """The "Backups" section; the work runs through the Records tab."""

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        box, sec = _section(
            _("Backups"),
            _(
                "A backup is made each day the program starts (a week of dailies and a few weeklies "
                "are kept), and before every update, import and restore."
            ),
        )
        self.backups = QTableWidget(0, 3)
        self.backups.setHorizontalHeaderLabels([_("Taken"), _("Kind"), _("Size")])
        self.backups.setAccessibleName(_("Backups"))
        self.backups.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backups.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backups.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backups.verticalHeader().setVisible(False)
        header = self.backups.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.backups.setMinimumHeight(180)
        self.backups.itemSelectionChanged.connect(self._selection_changed)
        sec.addWidget(self.backups)
        self.backup_button = w.button(_("Back up now"), "primary")
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = w.button(_("Restore this backup…"), tip=_("Replace the records with the chosen backup"))
        self.restore_button.clicked.connect(self.ask_restore)
        sec.addLayout(w.row(self.backup_button, self.restore_button, None))
        self.server_note = w.muted(_("These records are on a database server: its administrator backs them up."))
        sec.addWidget(self.server_note)
        outer.addWidget(box)
        self.buttons = [self.backup_button, self.restore_button]

    def refresh(self) -> None:
        from app.service import storage as backups

        on_server = self.host.on_server
        self.server_note.setVisible(on_server)
        self.backups.setVisible(not on_server)
        self.backup_button.setVisible(not on_server)
        self.restore_button.setVisible(not on_server)
        found = [] if on_server else backups.list_backups(self.host.ctx.locations.backups_dir)
        self.backups.setRowCount(len(found))
        for r, b in enumerate(found):
            when = QTableWidgetItem(backups.age_in_words(b.taken_at))
            when.setData(Qt.ItemDataRole.UserRole, b)
            for c, item in enumerate(
                (when, QTableWidgetItem(_(b.label)), QTableWidgetItem(backups.size_in_words(b.size)))
            ):
                self.backups.setItem(r, c, item)
        if found:
            self.backups.selectRow(0)
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected_backup() is not None and not self.host.busy)

    def selected_backup(self):
        rows = self.backups.selectionModel().selectedRows()
        if not rows:
            return None
        return self.backups.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)

    def back_up_now(self) -> None:
        from app.service import storage as backups

        records = self.host.ctx.training.records
        self.host.run(
            _("Backing up…"),
            lambda _work: records.back_up(),
            lambda info: _("Backed up ({size}).").format(size=backups.size_in_words(info.size)),
        )

    def ask_restore(self) -> None:
        from app.service import storage as backups

        chosen = self.selected_backup()
        if chosen is None:
            return
        lines = [
            _("Replace all records on this laptop with the backup taken <b>{age}</b> ({kind}).").format(
                age=backups.age_in_words(chosen.taken_at), kind=_(chosen.label).lower()
            ),
            _(
                "Anything recorded after that backup will no longer show. The records as they are now are backed up "
                "first, so this can be undone by restoring that backup."
            ),
            _("Everyone is signed out."),
        ]
        dlg = Confirm(self.host, _("Restore a backup"), lines, _("Restore"), danger=True)
        dlg.accepted.connect(lambda: self.restore(chosen))
        self.host.show_dialog(dlg)

    def restore(self, chosen) -> None:
        from app.service import storage as backups

        ctx = self.host.ctx
        records, locations = ctx.training.records, ctx.locations
        ctx.open_records(None)  # nothing may use the old connection any more

        def done(result) -> str:
            ctx.open_records(result.db)
            _back_to_picker(self)
            age = backups.age_in_words(chosen.taken_at)
            return _("Restored the backup taken {age}. Please sign in again.").format(age=age)

        def failed(exc: BaseException) -> None:
            from app.service.storage import Database

            ctx.open_records(Database.open(locations))  # the restore left the records as they were
            self.host.failed(exc)

        self.host.run(_("Restoring…"), lambda _work: records.restore(chosen), done, on_failure=failed)


def _back_to_picker(widget: QWidget) -> None:
    """After a restore the signed-in profile may not exist: back to the profile picker."""
    window = widget.window()
    show_picker = getattr(window, "show_picker", None)
    if callable(show_picker):
        show_picker()
