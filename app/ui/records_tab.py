"""Records (coordinators): exports, moving records between laptops, backups, and erasing a trainee.

Every slow step (exports, bundles, backups, restore, erasure) runs as one background
operation (tasks.Operation); imports and exports of bundles show a progress bar with Cancel,
and the domain checks the cancel flag between batches (nothing is written when cancelled). Confirmations
are real dialogs opened window-modal (`open()`), so tests can drive them like a person.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLineEdit,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import Cancelled, TrainingError
from app.core.setting_keys import SCHOOL_NAME_KEY

from . import tasks, theme
from . import widgets as w
from .school_tab import _section


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
        self.status.setAccessibleName("What happened")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        self.cancel_button = w.button("Cancel", tip="Stop; nothing is changed")
        self.cancel_button.clicked.connect(self.cancel)
        lay.addLayout(w.row(self.progress, self.cancel_button, stretch_first=True))
        lay.addWidget(self.status)
        self._show_progress(False)

        box, sec = _section(
            "Export",
            "Files to open in a spreadsheet, to import into a learning record store (xAPI), "
            "or to give a family who asked what is kept about their child.",
        )
        self.csv_button = w.button(
            "Progress as CSV…", tip="Two files: one row per trainee and competency, one per attempt"
        )
        self.csv_button.clicked.connect(self._ask_csv)
        self.xapi_button = w.button("xAPI statements…", tip="One JSON file of xAPI 1.0.3 statements")
        self.xapi_button.clicked.connect(self._ask_xapi)
        sec.addLayout(w.row(self.csv_button, self.xapi_button, None))
        self.family_trainee = QComboBox()
        self.family_trainee.setAccessibleName("Trainee for the full record")
        self.family_button = w.button("Their full record…", tip="Everything kept about this trainee, as JSON")
        self.family_button.clicked.connect(self._ask_family)
        sec.addLayout(w.row(w.muted("One trainee:", wrap=False), self.family_trainee, self.family_button, None))
        lay.addWidget(box)

        box, sec = _section(
            "Bring laptops together",
            "Export all records of this laptop to one file, then import that "
            "file on another laptop of your school. The first time, the two laptops are paired: you compare "
            "the fingerprint shown on both. People who are on both are recognised, and importing the same "
            "file twice changes nothing. A backup is made before every import.",
        )
        self.export_bundle_button = w.button("Export all records…", "primary")
        self.export_bundle_button.clicked.connect(self._ask_export_bundle)
        self.import_bundle_button = w.button("Import records…")
        self.import_bundle_button.clicked.connect(self._ask_import_bundle)
        sec.addLayout(w.row(self.export_bundle_button, self.import_bundle_button, None))
        self.own_fingerprint = w.muted("")
        self.own_fingerprint.setAccessibleName("This laptop's fingerprint")
        self.own_fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        sec.addWidget(self.own_fingerprint)
        lay.addWidget(box)

        box, sec = _section(
            "Backups",
            "A backup is made each day the program starts (a week of dailies and a few weeklies "
            "are kept), and before every update, import and restore.",
        )
        self.backups = QTableWidget(0, 3)
        self.backups.setHorizontalHeaderLabels(["Taken", "Kind", "Size"])
        self.backups.setAccessibleName("Backups")
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
        self.backup_button = w.button("Back up now", "primary")
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = w.button("Restore this backup…", tip="Replace the records with the chosen backup")
        self.restore_button.clicked.connect(self.ask_restore)
        sec.addLayout(w.row(self.backup_button, self.restore_button, None))
        self.server_note = w.muted("These records are on a database server: its administrator backs them up.")
        sec.addWidget(self.server_note)
        lay.addWidget(box)

        box, sec = _section(
            "Shared database server",
            "For a school with a network: keep the records on a PostgreSQL "
            "server so that every laptop sees the same records. Leave empty to keep them on this "
            "laptop. The change takes effect the next time the program starts.",
        )
        self.server_url = QLineEdit()
        self.server_url.setAccessibleName("Database server address")
        self.server_url.setPlaceholderText("postgresql+psycopg://user:password@server/database")
        self.server_test = w.button("Test the connection", tip="Try to reach the server now")
        self.server_test.clicked.connect(self.test_server)
        self.server_save = w.button("Save", "primary", name="Save the database server address")
        self.server_save.clicked.connect(self.save_server)
        sec.addWidget(self.server_url)
        sec.addLayout(w.row(self.server_test, self.server_save, None))
        self.server_status = w.muted("")
        self.server_status.setAccessibleName("Database server status")
        sec.addWidget(self.server_status)
        lay.addWidget(box)

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
        lay.addWidget(box)
        lay.addStretch(1)
        self._buttons = [
            self.csv_button,
            self.xapi_button,
            self.family_button,
            self.export_bundle_button,
            self.import_bundle_button,
            self.backup_button,
            self.restore_button,
            self.erase_button,
        ]

    # --- the shared server ----------------------------------------------------------------------
    def _load_server(self) -> None:
        from app import local_config

        data_dir = self.ctx.locations.data_dir
        saved = local_config.load_database_url(data_dir) or ""
        self.server_url.setText(local_config.shown_address(data_dir))  # never the password on screen
        now = self.ctx.locations.database_url
        where = "The records are on a database server now." if self.on_server else "The records are on this laptop now."
        if (saved or None) != now and not (saved == "" and not self.on_server):
            where += " The saved choice is used from the next start."
        self.server_status.setText(where + _password_note(local_config.password_storage(data_dir)))

    def test_server(self) -> None:
        from app.local_config import test_connection, with_saved_password

        url = self.server_url.text().strip()
        if not url:
            self.server_status.setText("No address: the records stay on this laptop.")
            return
        self.server_status.setText("Trying to reach the server…")
        self.server_test.setEnabled(False)

        def done(problem) -> None:
            self.server_test.setEnabled(True)
            self.server_status.setText(problem or "The server answered. Save, then start the program again to use it.")

        def failed(exc: BaseException) -> None:
            self.server_test.setEnabled(True)
            self.server_status.setText(f"Could not test the connection: {exc}")

        full = with_saved_password(self.ctx.locations.data_dir, url)  # the address is shown without it
        tasks.run(self, lambda: test_connection(full), done, failed)

    def save_server(self) -> None:
        from app import local_config

        url = self.server_url.text().strip()
        problem = local_config.database_url_problem(url)
        if problem:
            self.server_status.setText(problem)
            return
        kept_in = local_config.save_database_url(self.ctx.locations.data_dir, url)
        self.server_url.setText(local_config.shown_address(self.ctx.locations.data_dir))
        self.server_status.setText(
            ("Saved. The program uses this server from its next start." + _password_note(kept_in))
            if url
            else "Saved. The records stay on this laptop (from the next start, if they are on a server now)."
        )

    # --- state ---------------------------------------------------------------------------------
    @property
    def on_server(self) -> bool:
        url = self.ctx.locations.database_url
        return bool(url) and not url.startswith("sqlite")

    def refresh(self) -> None:
        self._show_own_fingerprint()

        self._load_server()
        trainees = self.ctx.training.people.trainees(include_archived=True)
        for combo in (self.family_trainee, self.erase_trainee):
            keep = combo.currentData()
            combo.clear()
            for p in trainees:
                combo.addItem(f"{p.display_name}" + (f" ({p.group_name})" if p.group_name else ""), p.id)
            if keep is not None and combo.findData(keep) >= 0:
                combo.setCurrentIndex(combo.findData(keep))
        self.family_button.setEnabled(bool(trainees))
        self.erase_button.setEnabled(bool(trainees))
        self._fill_backups()

    def _fill_backups(self) -> None:
        from app.service import storage as backups

        self.server_note.setVisible(self.on_server)
        self.backups.setVisible(not self.on_server)
        self.backup_button.setVisible(not self.on_server)
        self.restore_button.setVisible(not self.on_server)
        found = [] if self.on_server else backups.list_backups(self.ctx.locations.backups_dir)
        self.backups.setRowCount(len(found))
        for r, b in enumerate(found):
            when = QTableWidgetItem(backups.age_in_words(b.taken_at))
            when.setData(Qt.ItemDataRole.UserRole, b)
            for c, item in enumerate(
                (when, QTableWidgetItem(b.label), QTableWidgetItem(backups.size_in_words(b.size)))
            ):
                self.backups.setItem(r, c, item)
        if found:
            self.backups.selectRow(0)
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected_backup() is not None and self.progress.isHidden())

    def selected_backup(self):
        rows = self.backups.selectionModel().selectedRows()
        if not rows:
            return None
        return self.backups.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)

    def _school(self) -> str:
        return str(self.ctx.settings.get(SCHOOL_NAME_KEY) or "")

    # --- running work --------------------------------------------------------------------------
    def _show_progress(self, on: bool) -> None:
        self.progress.setVisible(on)
        self.cancel_button.setVisible(on)
        self.progress.setRange(0, 0)

    def _moved(self, done: int, total: int, _text: str = "") -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _run(self, what: str, fn, on_done, with_progress: bool = False, on_failure=None) -> None:
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
            on_failure=on_failure or self._failed,
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

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, TrainingError):
            message = str(exc)  # the message for people (with advice, where there is some)
        elif isinstance(exc, OSError):
            message = f"The file could not be written ({exc.strerror or exc}). Choose another place."
        else:
            message = (
                f"Something unexpected went wrong: {exc}. Nothing was lost; tell whoever looks after this program."
            )
        self._settle(message, problem=True)

    # --- exports -------------------------------------------------------------------------------
    def _ask_csv(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a folder for the CSV files")
        if folder:
            self.export_csv(Path(folder))

    def export_csv(self, folder: Path) -> None:
        records = self.ctx.training.records
        self._run(
            "Writing the CSV files…",
            lambda _work: records.export_csv(folder),
            lambda n: f"Saved competencies.csv ({n[0]} rows) and attempts.csv ({n[1]} rows) in {folder}.",
        )

    def _ask_xapi(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the xAPI statements", "xapi-statements.json", "JSON (*.json)")
        if path:
            self.export_xapi(Path(path))

    def export_xapi(self, dest: Path) -> None:
        records = self.ctx.training.records
        self._run(
            "Writing the xAPI statements…",
            lambda _work: records.export_xapi(dest),
            lambda n: f"Saved {n} xAPI statements in {dest}.",
        )

    def _ask_family(self) -> None:
        name = self.family_trainee.currentText().split(" (")[0]
        default = "record-" + "-".join(name.lower().split()) + ".json"
        path, _ = QFileDialog.getSaveFileName(self, "Save the trainee's full record", default, "JSON (*.json)")
        if path:
            self.export_family(self.family_trainee.currentData(), Path(path))

    def export_family(self, profile_id: str, dest: Path) -> None:
        records = self.ctx.training.records
        self._run(
            "Writing the full record…",
            lambda _work: records.export_family_record(profile_id, dest),
            lambda path: f"Saved the full record in {path}. It holds personal information: hand it over safely.",
        )

    # --- bundles -------------------------------------------------------------------------------
    def _ask_export_bundle(self) -> None:
        from app.service.storage import BUNDLE_SUFFIX as SUFFIX

        suggested = self.ctx.training.records.bundle_name()
        path, _ = QFileDialog.getSaveFileName(self, "Export all records", suggested, f"Records bundle (*{SUFFIX})")
        if path:
            self.export_bundle(Path(path))

    def export_bundle(self, dest: Path) -> None:
        records = self.ctx.training.records
        self._run(
            "Exporting all records…",
            lambda work: records.export_bundle(dest, work),
            lambda info: (
                f"Saved {info.total_rows} records in {dest}. Copy this file to the other laptop "
                f"and choose Import records there. This laptop's key: {info.fingerprint}."
            ),
            with_progress=True,
        )

    def _ask_import_bundle(self) -> None:
        from app.service.storage import BUNDLE_SUFFIX as SUFFIX

        path, _ = QFileDialog.getOpenFileName(self, "Import records", "", f"Records bundle (*{SUFFIX});;All files (*)")
        if path:
            self.import_bundle(Path(path))

    def _show_own_fingerprint(self) -> None:
        try:
            fingerprint, paired = self.ctx.training.records.this_laptop()
        except (TrainingError, OSError):
            self.own_fingerprint.setText("This laptop's fingerprint cannot be shown: its key cannot be read.")
            return
        self.own_fingerprint.setText(
            f"This laptop's fingerprint: {fingerprint}. Paired laptops: {paired}."
            " (`peer-trainer devices` lists or removes them.)"
        )

    def import_bundle(self, source: Path) -> None:
        """Check the file first (on a worker), then ask, then merge with progress and Cancel."""
        records = self.ctx.training.records
        self._run("Checking the file…", lambda _work: records.check_bundle(source), self._confirm_import)

    def _confirm_import(self, checked) -> str:
        info, check = checked
        dlg = ImportDialog(self, info, check)
        dlg.accepted.connect(
            lambda: self._merge(
                info,
                info.fingerprint if check.needs_pairing else None,
                dlg.join is not None and dlg.join.isChecked(),
            )
        )
        self.dialog = dlg
        dlg.open()
        return "Waiting for your confirmation…"

    def _merge(self, info, fingerprint: str | None = None, join_school: bool = False) -> None:
        records = self.ctx.training.records

        def done(result) -> str:
            extra = ""
            if result.paired_now:
                extra += " That laptop is now paired with this one."
            if result.erased_elsewhere:
                extra = (
                    f" {len(result.erased_elsewhere)} trainee(s) here were erased on the other laptop: erase them "
                    "here too."
                )
            if result.conflicts:
                extra += f" {len(result.conflicts)} records were left out because they clash with records here."
            if result.refused:
                extra += (
                    " Refused means: roles or passwords that no coordinator of that laptop set, changes dated in "
                    "the future, or sign-offs by a trainer this school does not know."
                )
            return f"Imported: {result.summary()}{extra}"

        self._run(
            "Importing records…",
            lambda work: records.import_bundle(info, work, trust_fingerprint=fingerprint, join_school=join_school),
            done,
            with_progress=True,
        )

    # --- backups -------------------------------------------------------------------------------
    def back_up_now(self) -> None:
        from app.service import storage as backups

        records = self.ctx.training.records
        self._run(
            "Backing up…",
            lambda _work: records.back_up(),
            lambda info: f"Backed up ({backups.size_in_words(info.size)}).",
        )

    def ask_restore(self) -> None:
        from app.service import storage as backups

        chosen = self.selected_backup()
        if chosen is None:
            return
        lines = [
            f"Replace all records on this laptop with the backup taken <b>{backups.age_in_words(chosen.taken_at)}</b> "
            f"({chosen.label.lower()}).",
            "Anything recorded after that backup will no longer show. The records as they are now are backed up "
            "first, so this can be undone by restoring that backup.",
            "Everyone is signed out.",
        ]
        dlg = _Confirm(self, "Restore a backup", lines, "Restore", danger=True)
        dlg.accepted.connect(lambda: self.restore(chosen))
        self.dialog = dlg
        dlg.open()

    def restore(self, chosen) -> None:
        from app.service import storage as backups

        records, locations = self.ctx.training.records, self.ctx.locations
        self.ctx.open_records(None)  # nothing may use the old connection any more

        def done(result) -> str:
            self.ctx.open_records(result.db)
            _back_to_picker(self)
            return f"Restored the backup taken {backups.age_in_words(chosen.taken_at)}. Please sign in again."

        def failed(exc: BaseException) -> None:
            from app.service.storage import Database

            self.ctx.open_records(Database.open(locations))  # the restore left the records as they were
            self._failed(exc)

        self._run("Restoring…", lambda _work: records.restore(chosen), done, on_failure=failed)

    # --- erasure -------------------------------------------------------------------------------
    def ask_erase(self) -> None:
        profile_id = self.erase_trainee.currentData()
        if profile_id is None:
            return
        name = self.ctx.training.people.get(profile_id).display_name
        dlg = EraseDialog(self, name)
        dlg.accepted.connect(lambda: self.erase(profile_id, dlg.typed.text()))
        self.dialog = dlg
        dlg.open()

    def erase(self, profile_id: str, typed: str) -> None:
        records = self.ctx.training.records

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

        self._run("Erasing…", lambda _work: records.erase_trainee(profile_id, typed), done)

    def finish_erasure(self) -> None:
        records = self.ctx.training.records

        def done(complete: bool) -> str:
            self.finish_erase_button.setVisible(not complete)
            if complete:
                return "Erasure finished: nothing erased is left in the records file."
            return (
                "Another program is still reading the records. Close every other copy of Peer Helper Trainer "
                "(and any tool that opened the records), then choose Finish erasing again."
            )

        self._run("Finishing the erasure…", lambda _work: records.finish_erasure(), done)


def _back_to_picker(widget: QWidget) -> None:
    """After a restore the signed-in profile may not exist: back to the profile picker."""
    window = widget.window()
    show_picker = getattr(window, "show_picker", None)
    if callable(show_picker):
        show_picker()


class _Confirm(QDialog):
    def __init__(self, parent: QWidget, title: str, lines: list[str], action: str, danger: bool = False):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        lay = QVBoxLayout(self)
        lay.setSpacing(10)
        lay.addWidget(w.title(title, "SectionTitle"))
        for line in lines:
            label = w.Label(line)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            lay.addWidget(label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setProperty("role", "danger" if danger else "primary")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)


class ImportDialog(_Confirm):
    """Who made the file; and, for a laptop not paired yet, its fingerprint to compare before pairing."""

    def __init__(self, parent: QWidget, info, check):
        from html import escape

        school = escape(info.school) if info.school else "no school name"
        lines = [
            f"<b>{info.total_rows} records</b> from the laptop <b>{escape(info.device_id[:8])}</b> of <b>{school}</b>, "
            f"exported {info.created_at.astimezone():%d %b %Y at %H:%M}. It is signed and unchanged since it was made.",
        ]
        pairing = check.needs_pairing
        if not pairing:
            lines.append(f"That laptop is paired with this one (fingerprint {info.fingerprint}).")
        else:
            lines.append(
                "<b>This laptop is not paired with the laptop that made the file.</b> On that laptop, open "
                "Records: its fingerprint is under Bring laptops together. Compare it with this one, digit by "
                "digit:"
            )
            if check.device_key_changed:
                lines.append(
                    f"<span style='color:{theme.current()[0].danger}'><b>Careful:</b> that laptop was paired before "
                    f"with another fingerprint ({check.device_key_changed}). Pair again only if you know its program "
                    "was reinstalled.</span>"
                )
        super().__init__(parent, "Import records", lines, "Pair and import" if pairing else "Import", danger=False)
        at = self.layout().count() - 1
        self.same = self.join = self.digits = None
        if pairing:
            self.digits = digits = w.Label(info.fingerprint)
            digits.setObjectName("Fingerprint")
            digits.setAccessibleName("Fingerprint of the laptop that made the file")
            digits.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            font = digits.font()
            font.setPointSizeF(font.pointSizeF() * 1.6)
            font.setBold(True)
            font.setFamilies(["DejaVu Sans Mono", "Menlo", "Consolas", "monospace"])
            digits.setFont(font)
            digits.setAlignment(Qt.AlignmentFlag.AlignCenter)
            digits.setWordWrap(True)
            self.layout().insertWidget(at, digits)
            self.same = QCheckBox("The other laptop shows exactly these digits")
            self.layout().insertWidget(at + 1, self.same, 0, Qt.AlignmentFlag.AlignLeft)
            at += 2
        if not check.same_school and check.school_here:
            self.join = QCheckBox("Both laptops are our school")
            self.join.setAccessibleDescription("This laptop joins the school of the laptop that made the file")
            self.layout().insertWidget(at, self.join, 0, Qt.AlignmentFlag.AlignLeft)
            why = w.muted(
                f"This laptop (set up on its own as {check.school_name_here}) joins that laptop's school. "
                "Done once, before pairing with any other laptop."
            )
            why.setTextFormat(Qt.TextFormat.PlainText)
            self.layout().insertWidget(at + 1, why)
        boxes = [b for b in (self.same, self.join) if b is not None]
        for box in boxes:
            box.toggled.connect(lambda _on: self.ok.setEnabled(all(b.isChecked() for b in boxes)))
        self.ok.setEnabled(not boxes)
        self._fit()

    def _fit(self) -> None:
        """Wide enough for the digits at any text size, tall enough for every wrapped line."""
        scale = theme.current()[1]
        width = int(540 * min(scale, 1.7))
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is not None:
            width = min(width, int(screen.width() * 0.9))
        self.setMinimumWidth(width)
        if self.digits is not None and self.digits.fontMetrics().horizontalAdvance(self.digits.text()) > width - 40:
            groups = self.digits.text().split()
            half = len(groups) // 2
            self.digits.setText(" ".join(groups[:half]) + "\n" + " ".join(groups[half:]))  # 3 and 3, not 5 and 1
        self.resize(width, self.layout().totalHeightForWidth(width))


class EraseDialog(_Confirm):
    """Erasing asks for the trainee's name to be typed: a slip of the mouse cannot do it."""

    def __init__(self, parent: QWidget, name: str):
        from app.service.storage import same_name

        super().__init__(
            parent,
            f"Erase {name}",
            [
                f"Every record about <b>{_esc(name)}</b> will be removed from this laptop and its backups: lessons, "
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


def _password_note(kept_in: str | None) -> str:
    """Where the server password is kept, said plainly (issue 14: say so when there is no keyring)."""
    from app import local_config

    if kept_in == local_config.KEYRING:
        return " Its password is kept in this computer's keyring, not in the program's files."
    if kept_in == local_config.IN_FILE:
        return (
            " This computer has no keyring, so the server's password is kept in config.json in the records "
            "folder, readable only by your account on this computer. Anyone who can sign in to your account "
            "can read it."
        )
    return ""


def _esc(text) -> str:
    """Text from the records or from another laptop's file, shown inside rich text: never markup."""
    import html

    return html.escape(str(text))
