"""Records, erasure: removing every record about one trainee (a family's request), after their name
is typed, and finishing an erasure another program held up."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QVBoxLayout, QWidget

from app.core.i18n import _, ngettext
from app.ui.common import widgets as w
from app.ui.staff.records_common import Confirm, esc, fill_trainees
from app.ui.staff.school_tab import _section


class ErasurePanel(QWidget):
    """The "Erase a trainee" section; the work runs through the Records tab."""

    def __init__(self, host, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        box, sec = _section(
            _("Erase a trainee"),
            _(
                "For a family's request: every record about the trainee is removed from "
                "this laptop and its backups. Certificates keep only their number. This cannot be undone."
            ),
        )
        self.erase_trainee = QComboBox()
        self.erase_trainee.setAccessibleName(_("Trainee to erase"))
        self.erase_button = w.button(_("Erase…"), "danger")
        self.erase_button.clicked.connect(self.ask_erase)
        self.finish_erase_button = w.button(
            _("Finish erasing"), tip=_("Once no other program has the records open: remove what an erasure left")
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
            sentences = [_erased_summary(result)]
            if result.outside_copies:
                n = len(result.outside_copies)
                sentences.append(
                    ngettext(
                        "{n} damaged copy kept for IT support was not changed: delete it.",
                        "{n} damaged copies kept for IT support were not changed: delete them.",
                        n,
                    ).format(n=n)
                )
            sentences.append(_("Exports and record files made earlier still hold their data: delete those too."))
            if result.name_still_in:
                self.finish_erase_button.setVisible(result.checkpoint_blocked)
                sentences[:0] = [_("Not finished."), result.advice()]
            return " ".join(sentences)  # whole sentences, one after another

        self.host.run(_("Erasing…"), lambda _work: records.erase_trainee(profile_id, typed), done)

    def finish_erasure(self) -> None:
        records = self.host.ctx.training.records

        def done(complete: bool) -> str:
            self.finish_erase_button.setVisible(not complete)
            if complete:
                return _("Erasure finished: nothing erased is left in the records file.")
            return _(
                "Another program is still reading the records. Close every other copy of Peer Helper Trainer "
                "(and any tool that opened the records), then choose Finish erasing again."
            )

        self.host.run(_("Finishing the erasure…"), lambda _work: records.finish_erasure(), done)


def _erased_summary(result) -> str:
    """ "Erased: 12 records removed, 3 backups cleaned[, 1 backup deleted][, 1 certificate number kept]." """
    parts = [
        ngettext("{n} record removed", "{n} records removed", result.total_removed).format(n=result.total_removed),
        ngettext("{n} backup cleaned", "{n} backups cleaned", len(result.backups_cleaned)).format(
            n=len(result.backups_cleaned)
        ),
    ]
    if result.backups_deleted:
        n = len(result.backups_deleted)
        parts.append(ngettext("{n} backup deleted", "{n} backups deleted", n).format(n=n))
    if result.certificates_kept:
        n = result.certificates_kept
        parts.append(ngettext("{n} certificate number kept", "{n} certificate numbers kept", n).format(n=n))
    return _("Erased: {counts}.").format(counts=_(", ").join(parts))


class EraseDialog(Confirm):
    """Erasing asks for the trainee's name to be typed: a slip of the mouse cannot do it."""

    def __init__(self, parent: QWidget, name: str):
        from app.service.storage import same_name

        super().__init__(
            parent,
            _("Erase {name}").format(name=name),
            [
                _(
                    "Every record about <b>{name}</b> will be removed from this laptop and its backups: lessons, "
                    "knowledge checks, role-plays and sign-offs. Certificates keep only their number."
                ).format(name=esc(name)),
                _("This cannot be undone. To confirm, type their name:"),
            ],
            _("Erase"),
            danger=True,
        )
        self.typed = QLineEdit()
        self.typed.setAccessibleName(_("Type the trainee's name to confirm"))
        self.typed.setPlaceholderText(name)
        self.layout().insertWidget(self.layout().count() - 1, self.typed)
        self.ok.setEnabled(False)
        self.typed.textChanged.connect(lambda text: self.ok.setEnabled(same_name(text, name)))
