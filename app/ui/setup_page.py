"""First start: the school's name and the coordinator's account."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLineEdit, QVBoxLayout, QWidget

from . import widgets as w


class SetupPage(QWidget):
    done = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body, lay = w.page(40)
        outer.addWidget(w.scroll(body))
        box = w.card()
        box.setFixedWidth(600)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(32, 28, 32, 28)
        inner.setSpacing(14)
        inner.addWidget(w.title("Welcome to Peer Helper Trainer"))
        inner.addWidget(
            w.muted(
                "Let's set this laptop up for your school. You will be the coordinator: you add trainers "
                "and trainees, choose the school's support contacts and print certificates. "
                "Everything stays on this computer."
            )
        )
        form = QFormLayout()
        form.setSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.school = QLineEdit()
        self.school.setPlaceholderText("e.g. Riverside High School")
        self.name = QLineEdit()
        self.name.setPlaceholderText("Your name, as trainees will see it")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("At least 8 characters")
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        for label, field, acc in (
            ("School name", self.school, "School name"),
            ("Your name", self.name, "Coordinator's name"),
            ("Password", self.password, "Coordinator password"),
            ("Password again", self.confirm, "Repeat the password"),
        ):
            field.setAccessibleName(acc)
            form.addRow(label, field)
        inner.addLayout(form)
        inner.addWidget(
            w.muted("Keep the password somewhere safe: it protects the trainees' records. Trainees never need it.")
        )
        self.error = w.Label()
        self.error.setObjectName("ErrorBanner")
        self.error.setWordWrap(True)
        self.error.hide()
        inner.addWidget(self.error)
        self.create = w.button("Set up and continue", "primary")
        self.create.setDefault(True)
        self.create.clicked.connect(self._create)
        self.confirm.returnPressed.connect(self._create)
        inner.addLayout(w.row(None, self.create))
        lay.addStretch(1)
        lay.addLayout(w.row(None, box, None))  # a row, not an alignment: wrapped text gets its height
        lay.addStretch(2)

    def showEvent(self, event):
        super().showEvent(event)
        self.school.setFocus()

    def _create(self) -> None:
        from app.modules.records import accounts

        school, name = self.school.text().strip(), self.name.text().strip()
        pw, again = self.password.text(), self.confirm.text()
        if not school:
            return self._fail("Please type the school's name.", self.school)
        if not name:
            return self._fail("Please type your name.", self.name)
        if pw != again:
            return self._fail("The two passwords are different. Type them again.", self.confirm)
        from . import tasks

        self.create.setEnabled(False)
        self.create.setText("Setting up…")
        db, keys_dir = self.ctx.db, self.ctx.locations.keys_dir

        def setup():
            from app.modules.keys import SigningKey

            profile = accounts.setup_school(db, name, pw, school)
            SigningKey.load_or_create(keys_dir)  # the school's certificate key, made once
            return profile

        tasks.run(self, setup, self._created, self._not_created)

    def _created(self, _profile) -> None:
        self.password.clear()
        self.confirm.clear()
        self.ctx.reload_settings()
        self.done.emit()

    def _not_created(self, exc: BaseException) -> None:
        from app.modules.records import accounts

        self.create.setEnabled(True)
        self.create.setText("Set up and continue")
        if isinstance(exc, accounts.AccountError):
            self._fail(str(exc), self.password)
        else:
            self._fail(f"Setting up did not work: {exc}", self.school)

    def _fail(self, message: str, focus: QWidget) -> None:
        w.set_error(self.error, message)
        focus.setFocus()
