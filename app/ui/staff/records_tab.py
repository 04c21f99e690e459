"""Records (coordinators): exports, moving records between laptops, backups, and erasing a trainee.

This tab composes one panel per job (records_exports, records_merge, backups_panel, server_panel,
erasure_panel) and runs their work. Every slow step (exports, bundles, backups, restore, erasure)
runs as one background operation (tasks.Operation); imports and exports of bundles show a progress
bar with Cancel, and the domain checks the cancel flag between batches (nothing is written when
cancelled). Confirmations are real dialogs opened window-modal (`open()`), so tests can drive them
like a person.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QProgressBar, QVBoxLayout, QWidget

from app.core.errors import Cancelled, TrainingError
from app.core.i18n import _
from app.core.setting_keys import SCHOOL_NAME_KEY
from app.ui.common import tasks
from app.ui.common import widgets as w
from app.ui.staff.backups_panel import BackupsPanel
from app.ui.staff.erasure_panel import ErasurePanel
from app.ui.staff.records_exports import ExportsPanel
from app.ui.staff.records_merge import MergePanel
from app.ui.staff.server_panel import ServerPanel


class RecordsTab(QWidget):
    busy_changed = Signal(bool)
    finished = Signal(str)  # the message shown after any operation (tests wait on it)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: QDialog | None = None  # the confirmation on screen, if any
        self._op: tasks.Operation | None = None  # the operation running, if any
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        body, lay = w.page(4)
        outer.addWidget(w.scroll(body))

        self.status = w.Label("")
        self.status.setWordWrap(True)
        self.status.setObjectName("Muted")
        self.status.setAccessibleName(_("What happened"))
        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Progress"))
        self.cancel_button = w.button(_("Cancel"), tip=_("Stop; nothing is changed"))
        self.cancel_button.clicked.connect(self.cancel)
        lay.addLayout(w.row(self.progress, self.cancel_button, stretch_first=True))
        lay.addWidget(self.status)
        self._show_progress(False)

        self.exports_panel = ExportsPanel(self)
        self.merge_panel = MergePanel(self)
        self.backups_panel = BackupsPanel(self)
        self.server_panel = ServerPanel(self)
        self.erasure_panel = ErasurePanel(self)
        for panel in (self.exports_panel, self.merge_panel, self.backups_panel, self.server_panel, self.erasure_panel):
            lay.addWidget(panel)
        lay.addStretch(1)
        self._buttons = (
            self.exports_panel.buttons
            + self.merge_panel.buttons
            + self.backups_panel.buttons
            + self.erasure_panel.buttons
        )

    # --- state ---------------------------------------------------------------------------------
    @property
    def on_server(self) -> bool:
        url = self.ctx.locations.database_url
        return bool(url) and not url.startswith("sqlite")

    @property
    def busy(self) -> bool:
        """An operation is running (its progress bar is on screen)."""
        return not self.progress.isHidden()

    def refresh(self) -> None:
        self.merge_panel.refresh()
        self.server_panel.refresh()
        trainees = self.ctx.training.people.trainees(include_archived=True)
        self.exports_panel.set_trainees(trainees)
        self.erasure_panel.set_trainees(trainees)
        self.backups_panel.refresh()

    def _school(self) -> str:
        return str(self.ctx.settings.get(SCHOOL_NAME_KEY) or "")

    def show_dialog(self, dlg: QDialog) -> None:
        """Open a panel's confirmation window-modal; it stays reachable as `self.dialog`."""
        self.dialog = dlg
        dlg.open()

    # --- running work --------------------------------------------------------------------------
    def _show_progress(self, on: bool) -> None:
        self.progress.setVisible(on)
        self.cancel_button.setVisible(on)
        self.progress.setRange(0, 0)

    def _moved(self, done: int, total: int, _text: str = "") -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def run(self, what: str, fn, on_done, with_progress: bool = False, on_failure=None) -> None:
        """Run `fn(work)` as a background operation; buttons are disabled meanwhile."""
        for b in self._buttons:
            b.setEnabled(False)
        self._show_progress(True)
        self.cancel_button.setVisible(with_progress)
        self.status.setText(what)
        self.busy_changed.emit(True)
        self._op = tasks.Operation(
            self,
            fn,
            on_success=lambda result: self._done(on_done, result),
            on_failure=on_failure or self.failed,
            on_progress=self._moved if with_progress else None,
            on_cancelled=lambda: self._settle(Cancelled().message),
            apply=self.ctx.apply,
        ).run()

    def cancel(self) -> None:
        if self._op is not None and self._op.running:
            self._op.cancel()

    def _settle(self, message: str, problem: bool = False) -> None:
        self._show_progress(False)
        for b in self._buttons:
            b.setEnabled(True)
        self.refresh()
        self.status.setText(message)
        self.status.setObjectName("ErrorBanner" if problem else "Muted")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.busy_changed.emit(False)
        self.finished.emit(message)

    def _done(self, on_done, result) -> None:
        self._settle(on_done(result))

    def failed(self, exc: BaseException) -> None:
        if isinstance(exc, TrainingError):
            message = str(exc)  # the message for people (with advice, where there is some)
        elif isinstance(exc, OSError):
            message = _("The file could not be written ({problem}). Choose another place.").format(
                problem=exc.strerror or exc
            )
        else:
            message = _(
                "Something unexpected went wrong: {problem}. Nothing was lost; tell whoever looks after this program."
            ).format(problem=exc)
        self._settle(message, problem=True)
