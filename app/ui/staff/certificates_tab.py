"""Certificates (coordinators): who is ready, issue one or all in the background with progress
and cancel, verify a certificate, and share the school key."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.core import i18n
from app.core.i18n import N_, _, isolate, ngettext
from app.core.setting_keys import SCHOOL_NAME_KEY
from app.service.certificates import FOLDER_KEY
from app.ui.common import widgets as w
from app.ui.common.empty_state import EmptyState
from app.ui.common.table_models import Row, RowsTable


class CertificatesTab(QWidget):
    batch_finished = Signal(object)  # certificate_batch.BatchResult

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self._rows: list = []
        self._op = None  # the batch being issued (tasks.Operation)
        self._generation = 0
        lay = w.scrolling_body(self)  # large text on a small screen: the page scrolls, nothing is squeezed
        lay.setContentsMargins(0, 8, 0, 0)
        lay.setSpacing(10)
        lay.addWidget(
            w.muted(
                _(
                    "A certificate records the modules a trainee completed and the skills a trainer observed in "
                    "role-plays. "
                    "It is signed with your school's key: anyone with your school key file can check it is genuine, "
                    "offline."
                )
            )
        )
        self.summary = w.muted("")
        self.issue_all = w.button(
            _("Issue all ready certificates…"),
            "primary",
            tip=_("One PDF per trainee who is ready, into a folder you choose"),
        )
        self.issue_all.clicked.connect(self._issue_all_clicked)
        self.issue_selected = w.button(
            _("Issue for the selected…"),
            tip=_("Issue (or issue again) the certificates of the trainees selected below"),
        )
        self.issue_selected.clicked.connect(self._issue_selected_clicked)
        # The summary above the buttons: at large text the three would not fit on one line.
        lay.addWidget(self.summary)
        self.save_badge = w.button(
            _("Save digital badge…"),
            tip=_("Save the selected trainee's certificate as an Open Badge, for a digital wallet or a portfolio"),
        )
        self.save_badge.clicked.connect(self._save_badge_clicked)
        lay.addWidget(w.ButtonRow(self.save_badge, self.issue_selected, self.issue_all))
        # Renewals: who runs out soon (or has), and a button for those whose renewal is complete.
        self._renewals: dict = {}
        self.renewal_summary = w.muted("")
        self.renew_button = w.button(
            _("Renew certificates…"),
            tip=_(
                "A new certificate, with a new number and the school's validity, for each helper whose renewal is "
                "complete; the old one stays verifiable, marked as replaced"
            ),
        )
        self.renew_button.clicked.connect(self._renew_clicked)
        self.renewal_row = QWidget()
        renewal_lay = w.row(self.renewal_summary, self.renew_button, stretch_first=True)
        renewal_lay.setContentsMargins(0, 0, 0, 0)
        self.renewal_row.setLayout(renewal_lay)
        self.renewal_row.hide()
        lay.addWidget(self.renewal_row)
        self.show_all = QCheckBox(_("Show trainees who are not ready yet"))
        self.show_all.toggled.connect(lambda _on: self._fill())
        lay.addWidget(self.show_all)
        self.table = RowsTable(
            [N_("Name"), N_("Class or group"), N_("Certificate"), N_("Still to do")],
            _("Trainees and their certificates"),
        )  # A→Z by name at first; columns resizable
        lay.addWidget(self.table, 1)
        # In place of an empty table: what to do next (filled in by _fill).
        show_waiting = w.button(
            _("Show who is still working on it"), tip=_("List every trainee with what each still has to do")
        )
        show_waiting.clicked.connect(lambda: self.show_all.setChecked(True))
        self.empty = EmptyState("", "", show_waiting)
        self.empty.action = show_waiting
        holder = QWidget()
        holder_lay = QVBoxLayout(holder)
        holder_lay.setContentsMargins(0, 0, 0, 0)
        holder_lay.addWidget(self.empty)
        holder_lay.addStretch(1)
        self.empty_area = w.scroll(holder)  # large text on a small screen scrolls instead of squeezing
        self.empty_area.hide()
        lay.addWidget(self.empty_area, 1)
        # The batch's progress, shown while it runs.
        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Certificates issued so far"))
        self.progress_label = w.muted("")
        self.cancel_button = w.button(
            _("Cancel"), "danger", tip=_("Stop after the certificate being made now; those done stay issued")
        )
        self.cancel_button.clicked.connect(self.cancel)
        self.batch_box = QWidget()
        box = QVBoxLayout(self.batch_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(w.row(self.progress_label, self.cancel_button, stretch_first=True))
        box.addWidget(self.progress)
        self.batch_box.hide()
        lay.addWidget(self.batch_box)
        self.result = w.Label()
        self.result.setObjectName("Banner")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.result.setOpenExternalLinks(False)
        self.result.linkActivated.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        self.result.hide()
        lay.addWidget(self.result)
        verify = w.button(
            _("Verify a certificate…"), tip=_("Check a certificate PDF or code against a school key file")
        )
        verify.clicked.connect(self._verify)
        export = w.button(
            _("Export the school key…"), tip=_("Save the small file others use to verify your certificates")
        )
        export.clicked.connect(self._export_key)
        self.key_label = w.muted("")
        lay.addWidget(self.key_label)
        lay.addWidget(w.ButtonRow(export, verify))

    # --- who is ready ------------------------------------------------------------------------
    def refresh(self) -> None:
        from app.modules.keys import PRIVATE_FILE
        from app.ui.common import tasks

        program = self.ctx.program
        if program is None:
            self.summary.setText(_("The content could not be loaded; see “Content problems”."))
            return
        has_key = (self.ctx.locations.keys_dir / PRIVATE_FILE).exists()
        self.key_label.setText(
            "" if has_key else _("The school's signing key will be made when the first certificate is issued.")
        )
        if has_key:
            self._show_fingerprint()
        self.summary.setText(_("Checking who is ready…"))
        certificates = self.ctx.training.certificates
        self._generation += 1
        generation = self._generation

        language = i18n.language()  # the reader's, taken on this thread

        def work():
            return certificates.cohort(language), {r.profile_id: r for r in certificates.renewals()}

        def done(found):
            if generation == self._generation:
                self._rows, self._renewals = found
                self._fill()

        tasks.run(
            self,
            work,
            done,
            lambda exc: self.summary.setText(_("Readiness could not be checked: {problem}").format(problem=exc)),
        )

    def _show_fingerprint(self) -> None:
        from app.modules.keys import SigningKey

        try:
            fp = SigningKey.load_or_create(self.ctx.locations.keys_dir).public().fingerprint
        except Exception as exc:  # shown, never lost
            self.key_label.setText(_("The school's signing key cannot be read: {problem}").format(problem=exc))
            return
        self.key_label.setText(_("School key fingerprint: {fingerprint}").format(fingerprint=isolate(fp)))

    def ready_rows(self) -> list:
        return [r for r in self._rows if r.ready]

    def _fill(self) -> None:
        rows = self._rows if self.show_all.isChecked() else [r for r in self._rows if r.ready or r.certificate_number]
        table_rows = []
        for r in rows:
            if r.certificate_number:
                if r.ready:
                    status = _("Issued: {number}").format(number=r.certificate_number)
                else:
                    status = _("Issued: {number} (records changed since)").format(number=r.certificate_number)
                renewal = self._renewals.get(r.id)
                if renewal is not None and renewal.valid_until is not None:
                    status = _("{status} · {validity}").format(status=status, validity=renewal.state_words())
            else:
                status = _("Ready to issue") if r.ready else _("Not ready yet")
            missing = "" if r.ready else w.listed(r.readiness.missing, "; ")
            name_key = r.name.casefold()
            table_rows.append(
                Row(
                    (r.name, r.group or "", status, missing),
                    payload=r.id,
                    sort_keys=(name_key, ((r.group or "").casefold(), name_key), (status, name_key), missing),
                    tooltips={3: "\n".join(r.readiness.missing)} if missing else {},
                )
            )
        self.table.set_rows(table_rows)
        self._show_empty_state(bool(rows))
        ready = self.ready_rows()
        waiting = sum(not r.certificate_number for r in ready)
        issued = sum(bool(r.certificate_number) for r in self._rows)
        self.summary.setText(
            ngettext(
                "{ready} of {n} trainee ready; {waiting} not issued yet; {issued} issued.",
                "{ready} of {n} trainees ready; {waiting} not issued yet; {issued} issued.",
                len(self._rows),
            ).format(ready=len(ready), n=len(self._rows), waiting=waiting, issued=issued)
        )
        self.issue_all.setText(
            _("Issue all ready certificates ({n})…").format(n=len(ready))
            if ready
            else _("Issue all ready certificates…")
        )
        self.issue_all.setEnabled(bool(ready) and not (self._op is not None and self._op.running))
        self._fill_renewals()

    def _fill_renewals(self) -> None:
        due = [r for r in self._renewals.values() if r.due]
        renewable = [r for r in self._renewals.values() if r.can_renew and r.valid_until is not None]
        self.renewal_row.setVisible(bool(due or renewable))
        if not (due or renewable):
            return
        names = w.listed(r.name for r in due[:5])
        if len(due) > 5:
            more = len(due) - 5
            names = ngettext("{names} and {n} more", "{names} and {n} more", more).format(names=names, n=more)
        words = (
            _("Renewal due for {n}: {names}.").format(n=len(due), names=names)
            if due
            else _("Nobody's certificate runs out in the next 30 days.")
        )
        can = (
            ngettext("{n} can be renewed now.", "{n} can be renewed now.", len(renewable)).format(n=len(renewable))
            if renewable
            else _("A renewal needs ten refresher answers and one observed role-play since the last certificate.")
        )
        self.renewal_summary.setText(_("{due} {renewable}").format(due=words, renewable=can))  # two sentences
        self.renew_button.setText(
            _("Renew certificates ({n})…").format(n=len(renewable)) if renewable else _("Renew certificates…")
        )
        self.renew_button.setEnabled(bool(renewable) and not (self._op is not None and self._op.running))

    def _renew_clicked(self) -> None:
        ids = [r.profile_id for r in self._renewals.values() if r.can_renew and r.valid_until is not None]
        folder = self._choose_folder() if ids else None
        if folder is not None:
            self.issue(ids, folder, renewing=True)

    def _show_empty_state(self, has_rows: bool) -> None:
        """An empty table says nothing: say why it is empty and what to do next."""
        self.table.setVisible(has_rows)
        self.empty_area.setVisible(not has_rows)
        if has_rows:
            return
        if not self._rows:
            title = _("No trainees yet")
            text = _(
                "Add trainees on the People tab. Once they have finished their modules and role-plays, they appear "
                "here."
            )
        else:
            title = _("Nobody is ready for a certificate yet")
            text = _(
                "A trainee is ready when every module is complete and a trainer has signed off the skills seen in "
                "role-plays. The Dashboard shows how far each one has got."
            )
        self.empty.title.setText(title)
        self.empty.text.setText(text)
        self.empty.setAccessibleName(title)
        self.empty.setAccessibleDescription(text)
        self.empty.action.setVisible(bool(self._rows))

    def selected_ids(self) -> list[str]:
        return self.table.selected_payloads()

    # --- issuing -----------------------------------------------------------------------------
    def _choose_folder(self) -> Path | None:
        start = str(self.ctx.settings.get(FOLDER_KEY) or (Path.home() / "Documents" / "Peer helper certificates"))
        chosen = QFileDialog.getExistingDirectory(self, _("Save the certificates in…"), start)
        return Path(chosen) if chosen else None

    def _issue_all_clicked(self) -> None:
        folder = self._choose_folder()
        if folder is not None:
            self.issue([r.id for r in self.ready_rows()], folder)

    def _issue_selected_clicked(self) -> None:
        ids = self.selected_ids()
        if not ids:
            self._show_result(_("Select one or more trainees in the list first."))
            return
        folder = self._choose_folder()
        if folder is not None:
            self.issue(ids, folder)

    def issue(self, trainee_ids: list[str], folder: Path, renewing: bool = False) -> None:
        """Issue in the background; the progress bar follows, Cancel stops after the current one."""
        from app.ui.common.tasks import Operation

        if self._op is not None and self._op.running:
            return
        certificates = self.ctx.training.certificates
        self.result.hide()
        self.progress.setRange(0, max(1, len(trainee_ids)))
        self.progress.setValue(0)
        self.progress_label.setText(_("Preparing the certificates…"))
        self.cancel_button.setEnabled(True)
        self.batch_box.show()
        self.issue_all.setEnabled(False)
        self.issue_selected.setEnabled(False)
        self._op = Operation(
            self,
            lambda work: (certificates.renew if renewing else certificates.issue)(trainee_ids, folder, work),
            on_success=lambda result: self._done(result, folder),
            on_failure=self._failed,
            on_progress=self._progress,
            apply=self.ctx.apply,
        ).run()

    def cancel(self) -> None:
        if self._op is not None and self._op.running:
            self._op.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(_("Stopping after the certificate being made now…"))

    def _progress(self, done: int, total: int, name: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.progress_label.setText(_("{done} of {total} issued: {name}").format(done=done, total=total, name=name))

    def _finish(self) -> None:
        self.batch_box.hide()
        self.issue_selected.setEnabled(True)
        self.refresh()

    def _done(self, result, folder: Path) -> None:
        self._finish()
        link = QUrl.fromLocalFile(str(folder)).toString()
        self._show_result(
            html.escape(result.report()).replace("\n", "<br>")  # trainees' names: never markup
            + f"<br><a href='{html.escape(link, quote=True)}'>{html.escape(_('Open the folder'))}</a>",
            rich=True,
        )
        self.batch_finished.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self._show_result(_("Issuing stopped: {problem}").format(problem=exc))
        self.batch_finished.emit(None)

    def _show_result(self, text: str, rich: bool = False) -> None:
        self.result.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        self.result.setText(text)
        self.result.show()

    def _save_badge_clicked(self) -> None:

        ids = self.selected_ids()
        if len(ids) != 1:
            self._show_result(_("Select one trainee in the list first. Their certificate must be issued already."))
            return
        row = next((r for r in self._rows if r.id == ids[0]), None)
        name = row.name if row is not None else "trainee"
        folder = Path(str(self.ctx.settings.get(FOLDER_KEY) or Path.home()))
        suggested = str(folder / f"{name} digital badge.json")  # a file name: not translated
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the digital badge"), suggested, "Open Badge (*.json)")
        if path:
            self.save_badge_to(ids[0], name, Path(path))

    def save_badge_to(self, trainee_id: str, name: str, path: Path) -> None:
        from app.core.errors import TrainingError

        try:
            saved = self.ctx.training.certificates.save_badge(trainee_id, path)
        except TrainingError as exc:
            self._show_result(str(exc))
            return
        self._show_result(
            _(
                "{name}'s digital badge is saved as {file}. They can add it to a digital wallet; anyone can check it "
                "with your school key file."
            ).format(name=name, file=saved)
        )

    # --- verifying and sharing the key ---------------------------------------------------------
    def _verify(self) -> None:
        from app.ui.staff.verify_dialog import VerifyDialog

        VerifyDialog(self.ctx, self).exec()

    def _export_key(self) -> None:
        from app.modules.certificate_batch import school_signing_key

        school = str(self.ctx.settings.get(SCHOOL_NAME_KEY) or "school")
        suggested = str(Path.home() / f"{school} school key.pub")
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the school key"), suggested, _("School key (*.pub)"))
        if not path:
            return
        try:
            key = school_signing_key(self.ctx.locations)
            key.export_public(Path(path), school)
        except Exception as exc:  # shown, never lost
            self._show_result(_("The school key could not be saved: {problem}").format(problem=exc))
            return
        self._show_fingerprint()
        self._show_result(
            _(
                "School key saved to {path}. Give this file to anyone who needs to check your certificates; "
                "it cannot be used to make certificates."
            ).format(path=path)
        )
