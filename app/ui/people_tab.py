"""Coordinators manage people: add a trainer or trainee, or a whole class from a pasted list."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from . import widgets as w
from .table_models import Row, RowsTable

ROLES = [("Trainee", "trainee"), ("Trainer", "trainer"), ("Coordinator", "coordinator")]


class PeopleTab(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        lay.setSpacing(10)
        add_one = w.button("Add a person…", "primary")
        add_one.clicked.connect(self._add_one)
        add_class = w.button("Add a class…", tip="Paste a list of names, one per line, to add a whole class at once")
        add_class.clicked.connect(self._add_class)
        self.count = w.muted("")
        lay.addLayout(w.row(self.count, add_class, add_one, stretch_first=True))
        self.table = RowsTable(["Name", "Role", "Class or group"], "People")  # A→Z by name at first
        lay.addWidget(self.table, 1)

    def refresh(self) -> None:
        from app.modules.records import accounts

        people = accounts.list_profiles(self.ctx.db)
        self.table.set_rows(
            [
                Row(
                    (p.display_name, p.role.capitalize(), p.group_name or ""),
                    payload=p.id,
                    # Ties broken by name, so a class or a role lists its people A→Z.
                    sort_keys=(
                        p.display_name.casefold(),
                        (p.role, p.display_name.casefold()),
                        ((p.group_name or "").casefold(), p.display_name.casefold()),
                    ),
                )
                for p in people
            ]
        )
        n_tr = sum(p.role == "trainee" for p in people)
        self.count.setText(f"{n_tr} trainee{'s' * (n_tr != 1)}, {len(people) - n_tr} staff")

    def _add_one(self) -> None:
        dlg = AddPersonDialog(self.ctx, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def _add_class(self) -> None:
        dlg = AddClassDialog(self.ctx, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.refresh()


class AddPersonDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Add a person")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        self.role = QComboBox()
        self.role.setAccessibleName("Role")
        for label, value in ROLES:
            self.role.addItem(label, value)
        self.group = QLineEdit()
        self.group.setAccessibleName("Class or group")
        self.group.setPlaceholderText("e.g. 9B (optional)")
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName("PIN or password")
        self.secret_label = QLabel()
        form.addRow("Name", self.name)
        form.addRow("Role", self.role)
        form.addRow("Class or group", self.group)
        form.addRow(self.secret_label, self.secret)
        lay.addLayout(form)
        self.help = w.muted("")
        lay.addWidget(self.help)
        self.error = QLabel()
        self.error.setObjectName("ErrorBanner")
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        w.main_button(box)
        box.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        box.accepted.connect(self._add)
        box.rejected.connect(self.reject)
        lay.addWidget(box)
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        self.resize(440, 10)

    def _role_changed(self) -> None:
        trainee = self.role.currentData() == "trainee"
        self.secret_label.setText("PIN (optional)" if trainee else "Password")
        self.secret.setPlaceholderText("4 to 8 digits" if trainee else "At least 8 characters")
        self.help.setText(
            "Trainees pick their name to sign in; a PIN is optional."
            if trainee
            else "Trainers and coordinators sign in with a password."
        )

    def _add(self) -> None:
        from app.modules.records import accounts

        from . import tasks

        db, name, role = self.ctx.db, self.name.text(), self.role.currentData()
        group, secret, actor = self.group.text().strip() or None, self.secret.text() or None, self.ctx.profile.id
        self.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.setEnabled(True)
            w.set_error(
                self.error, str(exc) if isinstance(exc, accounts.AccountError) else f"Adding did not work: {exc}"
            )

        tasks.run(
            self,
            lambda: accounts.create_profile(db, name, role, group=group, secret=secret, actor_id=actor),
            lambda _p: self.accept(),
            failed,
        )


class AddClassDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Add a class of trainees")
        lay = QVBoxLayout(self)
        lay.addWidget(w.muted("Paste or type the trainees' names, one per line. Blank lines are skipped."))
        form = QFormLayout()
        self.group = QLineEdit()
        self.group.setAccessibleName("Class or group")
        self.group.setPlaceholderText("e.g. 9B")
        form.addRow("Class or group", self.group)
        lay.addLayout(form)
        self.names = QPlainTextEdit()
        self.names.setAccessibleName("Names, one per line")
        self.names.setPlaceholderText("Amara Okafor\nDiego Fernández\nMei Chen\n…")
        self.names.setTabChangesFocus(True)
        lay.addWidget(self.names, 1)
        self.report = QLabel()
        self.report.setWordWrap(True)
        self.report.setObjectName("ErrorBanner")
        self.report.hide()
        lay.addWidget(self.report)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        w.main_button(box)
        box.button(QDialogButtonBox.StandardButton.Ok).setText("Add the class")
        box.accepted.connect(self._add)
        box.rejected.connect(self.reject)
        lay.addWidget(box)
        self.resize(480, 460)

    def _add(self) -> None:
        from app.modules.records import accounts

        try:
            result = accounts.create_trainees_from_text(
                self.ctx.db, self.names.toPlainText(), self.group.text().strip() or None, self.ctx.profile.id
            )
        except accounts.AccountError as exc:
            w.set_error(self.report, str(exc))
            return
        if result.problems:
            lines = "\n".join(f"Line {n}: {name or '(blank)'}: {why}" for n, name, why in result.problems)
            QMessageBox.information(
                self,
                "Some names were not added",
                f"{len(result.created)} trainee(s) added. These lines were not added:\n\n{lines}",
            )
        self.accept()
