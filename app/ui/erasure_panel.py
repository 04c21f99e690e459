"""Records, erasure: removing every record about one trainee (a family's request), after their name
is typed, and finishing an erasure another program held up."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QVBoxLayout, QWidget

from . import widgets as w
from .records_common import Confirm, esc, fill_trainees
from .school_tab import _section


class ErasurePanel(QWidget):
    """The "Erase a trainee" section; the work runs through the Records tab."""

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        box, sec = _section(
            "Erase a trainee",
            "For a family's request: every record about the trainee is removed from "
            "this laptop and its backups. Certificates keep only their number. This cannot be undone.",
        )
        self.erase_trainee = QComboBox()
        self.erase_trainee.setAccessibleName("Trainee to erase")
        self.erase_button = w.button("Erase…", "danger")
        self.erase_button.clicked.connect(self.ask_erase)
        self.finish_erase_button = w.button(
            "Finish erasing", tip="Once no other program has the records open: remove what an erasure left"
        )
        self.finish_erase_button.clicked.connect(self.finish_erasure)
        self.finish_erase_button.setVisible(False)
        sec.addLayout(w.row(self.erase_trainee, self.erase_button, self.finish_erase_button, None))
        outer.addWidget(box)
        self.buttons = [self.erase_button]

    def set_trainees(self, trainees) -> None:
        fill_trainees(self.erase_trainee, trainees)
        self.erase_button.setEnabled(bool(trainees))

    def ask_erase(self) -> None:
        profile_id = self.erase_trainee.currentData()
        if profile_id is None:
            return
        name = self.host.ctx.training.people.get(profile_id).display_name
        dlg = EraseDialog(self.host, name)
        dlg.accepted.connect(lambda: self.erase(profile_id, dlg.typed.text()))
        self.host.show_dialog(dlg)

    def erase(self, profile_id: str, typed: str) -> None:
        records = self.host.ctx.training.records

        def done(result) -> str:
            msg = (
                f"Erased: {result.total_removed} records removed, {len(result.backups_cleaned)} backups cleaned"
                + (f", {len(result.backups_deleted)} backups deleted" if result.backups_deleted else "")
                + (f", {result.certificates_kept} certificate numbers kept" if result.certificates_kept else "")
                + "."
            )
            if result.outside_copies:
                msg += (
                    f" {len(result.outside_copies)} damaged copies kept for IT support were not changed: delete them."
                )
            msg += " Exports and record files made earlier still hold their data: delete those too."
            if result.name_still_in:
                self.finish_erase_button.setVisible(result.checkpoint_blocked)
                msg = "Not finished. " + result.advice() + " " + msg
            return msg

        self.host.run("Erasing…", lambda _work: records.erase_trainee(profile_id, typed), done)

    def finish_erasure(self) -> None:
        records = self.host.ctx.training.records

        def done(complete: bool) -> str:
            self.finish_erase_button.setVisible(not complete)
            if complete:
                return "Erasure finished: nothing erased is left in the records file."
            return (
                "Another program is still reading the records. Close every other copy of Peer Helper Trainer "
                "(and any tool that opened the records), then choose Finish erasing again."
            )

        self.host.run("Finishing the erasure…", lambda _work: records.finish_erasure(), done)


class EraseDialog(Confirm):
    """Erasing asks for the trainee's name to be typed: a slip of the mouse cannot do it."""

    def __init__(self, parent: QWidget, name: str):
        from app.service.storage import same_name

        super().__init__(
            parent,
            f"Erase {name}",
            [
                f"Every record about <b>{esc(name)}</b> will be removed from this laptop and its backups: lessons, "
                f"knowledge "
                "checks, role-plays and sign-offs. Certificates keep only their number.",
                "This cannot be undone. To confirm, type their name:",
            ],
            "Erase",
            danger=True,
        )
        self.typed = QLineEdit()
        self.typed.setAccessibleName("Type the trainee's name to confirm")
        self.typed.setPlaceholderText(name)
        self.layout().insertWidget(self.layout().count() - 1, self.typed)
        self.ok.setEnabled(False)
        self.typed.textChanged.connect(lambda text: self.ok.setEnabled(same_name(text, name)))
